/** Public `packageHls`: argument checks, variant selection, then src/package/hls.ts. */
import { demuxAny } from '../demux/index.js';
import { BoxwrightError } from '../io/errors.js';
import type { Movie, Track } from '../model/movie.js';
import { completeSamples } from '../model/sample-bytes.js';
import { packageHlsLayout, prepareSource, type HlsLayout, type HlsPackage, type PackageSource } from '../package/hls.js';

export type { HlsPackage, HlsRendition, HlsSegment, HlsFile } from '../package/hls.js';

/** A pre-encoded rendition to offer as a variant (boxwright never re-encodes). */
export interface HlsVariantOptions {
  /** File-safe name (letters, digits, `.`, `_`, `-`), unique; default `video1`, `video2`, … */
  name?: string;
  /** The rendition's media; default: the main input. */
  data?: Uint8Array;
  /** Which of its tracks to use (stream indexes, as `probeMedia` numbers them); default: its first video track and every audio track. */
  tracks?: number[];
  /** BANDWIDTH to announce instead of the measured peak (bits per second). */
  bandwidth?: number;
}

/** Options of {@link packageHls}. */
export interface PackageHlsOptions {
  /** Target segment duration in seconds (finite, > 0; default 6). Segments start at the first keyframe at or after each multiple. */
  segmentTime?: number;
  /** The variants; default: one, from the input. */
  variants?: HlsVariantOptions[];
  /** Not supported yet (throws RangeError when true). */
  encrypt?: boolean;
  /** `'fmp4'` (default): CMAF segments with an `EXT-X-MAP` init per rendition; `'ts'`: MPEG-TS segments. */
  segmentFormat?: 'fmp4' | 'ts';
  /** One file per rendition addressed with `EXT-X-BYTERANGE` instead of one file per segment. */
  singleFile?: boolean;
}

const OPTIONS = ['segmentTime', 'variants', 'encrypt', 'segmentFormat', 'singleFile'];
const VARIANT_OPTIONS = ['name', 'data', 'tracks', 'bandwidth'];
const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

function checkOptions(o: PackageHlsOptions): void {
  for (const k of Object.keys(o)) if (!OPTIONS.includes(k)) throw new RangeError(`packageHls: unknown option '${k}' (supported: ${OPTIONS.join(', ')})`);
  const t = o.segmentTime;
  if (t !== undefined && !(typeof t === 'number' && Number.isFinite(t) && t > 0)) throw new RangeError(`packageHls: segmentTime must be a finite number of seconds > 0, got ${String(t)}`);
  if (o.encrypt !== undefined && typeof o.encrypt !== 'boolean') throw new TypeError('packageHls: encrypt must be a boolean');
  if (o.encrypt) throw new RangeError('packageHls: encryption is not supported yet');
  if (o.segmentFormat !== undefined && o.segmentFormat !== 'fmp4' && o.segmentFormat !== 'ts') throw new RangeError(`packageHls: segmentFormat must be 'fmp4' or 'ts', got ${JSON.stringify(o.segmentFormat)}`);
  if (o.singleFile !== undefined && typeof o.singleFile !== 'boolean') throw new TypeError('packageHls: singleFile must be a boolean');
  if (o.variants !== undefined) {
    if (!Array.isArray(o.variants) || o.variants.length === 0) throw new RangeError('packageHls: variants must be a non-empty array');
    const names = new Set<string>();
    o.variants.forEach((v, i) => {
      if (v === null || typeof v !== 'object') throw new TypeError(`packageHls: variants[${i}] must be an object`);
      for (const k of Object.keys(v)) if (!VARIANT_OPTIONS.includes(k)) throw new RangeError(`packageHls: variants[${i}] has unknown option '${k}' (supported: ${VARIANT_OPTIONS.join(', ')})`);
      if (v.name !== undefined) {
        if (typeof v.name !== 'string' || !NAME.test(v.name)) throw new RangeError(`packageHls: variants[${i}].name must be 1–64 letters, digits, '.', '_' or '-' (file-safe), got ${JSON.stringify(v.name)}`);
        if (names.has(v.name)) throw new RangeError(`packageHls: variant name '${v.name}' is used twice`);
        names.add(v.name);
      }
      if (v.data !== undefined && !(v.data instanceof Uint8Array)) throw new TypeError(`packageHls: variants[${i}].data must be a Uint8Array`);
      if (v.tracks !== undefined && !(Array.isArray(v.tracks) && v.tracks.every((x) => Number.isInteger(x) && x >= 0))) throw new RangeError(`packageHls: variants[${i}].tracks must be an array of stream indexes`);
      if (v.bandwidth !== undefined && !(typeof v.bandwidth === 'number' && Number.isFinite(v.bandwidth) && v.bandwidth > 0)) throw new RangeError(`packageHls: variants[${i}].bandwidth must be a number > 0`);
    });
  }
}

function writable(t: Track): boolean {
  return t.samples.count > 0 && t.descriptions.length > 0 && (t.kind === 'video' || t.kind === 'audio');
}

function sourceOf(data: Uint8Array, cache: Map<Uint8Array, PackageSource>, format: 'fmp4' | 'ts'): PackageSource {
  const known = cache.get(data);
  if (known) return known;
  const { movie: demuxed } = demuxAny(data, { gapless: true });
  const movie: Movie = { ...demuxed, tracks: demuxed.tracks.map(completeSamples) };
  const source = prepareSource(movie, movie.tracks.filter(writable), format);
  cache.set(data, source);
  return source;
}

/**
 * Packages media as HLS, in memory: a master playlist, media playlists, I-frame playlists and segments (CMAF
 * fMP4 by default, or MPEG-TS), following Apple's authoring rules (video variants without audio, audio as
 * `EXT-X-MEDIA` renditions). Timestamps need no edit list, so every player presents what the input's edit
 * lists say. `files` lists everything to write, with names relative to the master playlist.
 * @throws TypeError/RangeError for bad arguments; BoxwrightError for unreadable media or a codec HLS cannot carry (UNSUPPORTED_CODEC).
 */
export function packageHls(data: Uint8Array, options: PackageHlsOptions = {}): HlsPackage {
  if (!(data instanceof Uint8Array)) throw new TypeError('packageHls: data must be a Uint8Array (or Buffer)');
  if (options === null || typeof options !== 'object') throw new TypeError('packageHls: options must be an object');
  checkOptions(options);
  const segmentTimeSec = options.segmentTime ?? 6;
  const cache = new Map<Uint8Array, PackageSource>();
  const layout: HlsLayout = { segmentTimeSec, segmentFormat: options.segmentFormat ?? 'fmp4', singleFile: options.singleFile ?? false, variants: [], audio: [] };
  const requested = options.variants ?? [{}];
  const audioSeen = new Set<string>();
  const audioTracks: Array<{ source: PackageSource; track: number }> = [];
  requested.forEach((v, i) => {
    const input = v.data ?? data;
    const source = sourceOf(input, cache, layout.segmentFormat);
    const n = source.movie.tracks.length;
    for (const k of v.tracks ?? []) if (k >= n) throw new RangeError(`packageHls: variants[${i}].tracks names stream ${k}, but the input has ${n}`);
    const chosen = (v.tracks ?? source.movie.tracks.map((_t, k) => k)).filter((k) => source.tracks[k] !== undefined);
    const video = chosen.find((k) => source.tracks[k]!.kind === 'video');
    if (v.tracks && video === undefined && chosen.every((k) => source.tracks[k]!.kind !== 'audio')) {
      throw new BoxwrightError('UNSUPPORTED_FORMAT', `variants[${i}] selects no video or audio track with samples`, 0, '');
    }
    if (video !== undefined) layout.variants.push({ name: v.name ?? `video${layout.variants.length + 1}`, source, track: video, ...(v.bandwidth ? { bandwidth: v.bandwidth } : {}) });
    // Audio tracks go into the one audio group (each once, whichever variant names it).
    for (const k of chosen) {
      if (source.tracks[k]!.kind !== 'audio') continue;
      const key = `${[...cache.values()].indexOf(source)}:${k}`;
      if (audioSeen.has(key)) continue;
      audioSeen.add(key);
      audioTracks.push({ source, track: k });
    }
  });
  if (layout.variants.length === 0) {
    // Audio-only: every audio track is a variant of its own.
    audioTracks.forEach((a, i) => layout.variants.push({ name: requested[i]?.name ?? `audio${i + 1}`, ...a }));
  } else {
    audioTracks.forEach((a, i) => layout.audio.push({ name: `audio${i + 1}`, ...a }));
  }
  if (layout.variants.length === 0) throw new BoxwrightError('UNSUPPORTED_FORMAT', 'the input has no video or audio track with samples to package', 0, '');
  return packageHlsLayout(layout);
}
