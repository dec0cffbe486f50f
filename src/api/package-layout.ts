/**
 * What `packageHls`, `packageDash` and `packageStreams` share at the API edge: checking the common options
 * (segment time, variants) and choosing the renditions — each variant's first video track, every audio track
 * once (an audio group / audio AdaptationSets), or for audio-only input every audio track as a variant.
 */
import { demuxAny } from '../demux/index.js';
import { BoxwrightError } from '../io/errors.js';
import type { Movie, Track } from '../model/movie.js';
import { completeSamples } from '../model/sample-bytes.js';
import { prepareSource, type PackageSource, type SegmentFormat } from '../package/segments.js';

/** A pre-encoded rendition to offer as a variant (boxwright never re-encodes). */
export interface VariantOptions {
  /** File-safe name (letters, digits, `.`, `_`, `-`), unique; default `video1`, `video2`, … */
  name?: string;
  /** The rendition's media; default: the main input. */
  data?: Uint8Array;
  /** Which of its tracks to use (stream indexes, as `probeMedia` numbers them); default: its first video track and every audio track. */
  tracks?: number[];
  /** Bandwidth to announce instead of the measured peak (bits per second). */
  bandwidth?: number;
}

/** One rendition to write: a track of a prepared source. */
export interface RenditionChoice {
  name: string;
  source: PackageSource;
  track: number;
  bandwidth?: number;
}

/** The renditions of a package. */
export interface PackageLayout {
  segmentTimeSec: number;
  /** Video variants, or for audio-only input the audio renditions as variants. */
  variants: RenditionChoice[];
  /** Audio renditions (empty for audio-only input). */
  audio: RenditionChoice[];
}

const VARIANT_OPTIONS = ['name', 'data', 'tracks', 'bandwidth'];
const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/** Checks `segmentTime` (finite, > 0). */
export function checkSegmentTime(fn: string, t: unknown): void {
  if (t !== undefined && !(typeof t === 'number' && Number.isFinite(t) && t > 0)) throw new RangeError(`${fn}: segmentTime must be a finite number of seconds > 0, got ${String(t)}`);
}

/** Checks the `variants` option. */
export function checkVariants(fn: string, variants: unknown): void {
  if (variants === undefined) return;
  if (!Array.isArray(variants) || variants.length === 0) throw new RangeError(`${fn}: variants must be a non-empty array`);
  const names = new Set<string>();
  (variants as unknown[]).forEach((x, i) => {
    if (x === null || typeof x !== 'object') throw new TypeError(`${fn}: variants[${i}] must be an object`);
    const v = x as VariantOptions;
    for (const k of Object.keys(v)) if (!VARIANT_OPTIONS.includes(k)) throw new RangeError(`${fn}: variants[${i}] has unknown option '${k}' (supported: ${VARIANT_OPTIONS.join(', ')})`);
    if (v.name !== undefined) {
      if (typeof v.name !== 'string' || !NAME.test(v.name)) throw new RangeError(`${fn}: variants[${i}].name must be 1–64 letters, digits, '.', '_' or '-' (file-safe), got ${JSON.stringify(v.name)}`);
      if (names.has(v.name)) throw new RangeError(`${fn}: variant name '${v.name}' is used twice`);
      names.add(v.name);
    }
    if (v.data !== undefined && !(v.data instanceof Uint8Array)) throw new TypeError(`${fn}: variants[${i}].data must be a Uint8Array`);
    if (v.tracks !== undefined && !(Array.isArray(v.tracks) && v.tracks.every((k) => Number.isInteger(k) && k >= 0))) throw new RangeError(`${fn}: variants[${i}].tracks must be an array of stream indexes`);
    if (v.bandwidth !== undefined && !(typeof v.bandwidth === 'number' && Number.isFinite(v.bandwidth) && v.bandwidth > 0)) throw new RangeError(`${fn}: variants[${i}].bandwidth must be a number > 0`);
  });
}

/** Checks the options object: an object whose keys are all `known`. */
export function checkOptionKeys(fn: string, options: unknown, known: readonly string[]): void {
  if (options === null || typeof options !== 'object') throw new TypeError(`${fn}: options must be an object`);
  for (const k of Object.keys(options)) if (!known.includes(k)) throw new RangeError(`${fn}: unknown option '${k}' (supported: ${known.join(', ')})`);
}

function writable(t: Track): boolean {
  return t.samples.count > 0 && t.descriptions.length > 0 && (t.kind === 'video' || t.kind === 'audio');
}

/**
 * Demuxes the inputs (each once) and chooses the renditions.
 * @throws BoxwrightError for unreadable media, or when nothing can be packaged.
 */
export function chooseRenditions(fn: string, data: Uint8Array, variants: readonly VariantOptions[] | undefined, segmentTimeSec: number, format: SegmentFormat): PackageLayout {
  const cache = new Map<Uint8Array, PackageSource>();
  const sourceOf = (input: Uint8Array): PackageSource => {
    const known = cache.get(input);
    if (known) return known;
    const { movie: demuxed } = demuxAny(input, { gapless: true });
    const movie: Movie = { ...demuxed, tracks: demuxed.tracks.map(completeSamples) };
    const source = prepareSource(movie, movie.tracks.filter(writable), format);
    cache.set(input, source);
    return source;
  };
  const layout: PackageLayout = { segmentTimeSec, variants: [], audio: [] };
  const requested = variants ?? [{}];
  const audioSeen = new Set<string>();
  const audioTracks: Array<{ source: PackageSource; track: number }> = [];
  requested.forEach((v, i) => {
    const source = sourceOf(v.data ?? data);
    const n = source.movie.tracks.length;
    for (const k of v.tracks ?? []) if (k >= n) throw new RangeError(`${fn}: variants[${i}].tracks names stream ${k}, but the input has ${n}`);
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
  return layout;
}
