/** Public `packageHls`: argument checks, variant selection, then src/package/hls.ts. */
import { packageHlsLayout, type HlsLayout, type HlsPackage } from '../package/hls.js';
import { checkOptionKeys, checkSegmentTime, checkVariants, chooseRenditions, type VariantOptions } from './package-layout.js';

export type { HlsPackage, HlsRendition, HlsSegment, HlsFile } from '../package/hls.js';

/** A pre-encoded rendition to offer as a variant. */
export type HlsVariantOptions = VariantOptions;

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

function checkOptions(o: PackageHlsOptions): void {
  checkOptionKeys('packageHls', o, OPTIONS);
  checkSegmentTime('packageHls', o.segmentTime);
  if (o.encrypt !== undefined && typeof o.encrypt !== 'boolean') throw new TypeError('packageHls: encrypt must be a boolean');
  if (o.encrypt) throw new RangeError('packageHls: encryption is not supported yet');
  if (o.segmentFormat !== undefined && o.segmentFormat !== 'fmp4' && o.segmentFormat !== 'ts') throw new RangeError(`packageHls: segmentFormat must be 'fmp4' or 'ts', got ${JSON.stringify(o.segmentFormat)}`);
  if (o.singleFile !== undefined && typeof o.singleFile !== 'boolean') throw new TypeError('packageHls: singleFile must be a boolean');
  checkVariants('packageHls', o.variants);
}

/**
 * Packages media as HLS, in memory: a master playlist, media playlists, I-frame playlists and segments (CMAF
 * fMP4 by default, or MPEG-TS), following Apple's authoring rules (video variants without audio, audio as
 * `EXT-X-MEDIA` renditions). Timestamps need no edit list, so every player presents what the input's edit
 * lists say. `files` lists everything to write, with names relative to the master playlist.
 * @throws TypeError/RangeError for bad arguments; BoxwrightError for unreadable media or a codec HLS cannot carry (UNSUPPORTED_CODEC).
 * @example
 * ```ts
 * import { packageHls } from 'boxwright';
 * const hls = packageHls(bytes, { segmentTime: 6 });
 * for (const f of hls.files) writeFileSync(join('out', f.name), f.data); // out/master.m3u8 …
 * ```
 */
export function packageHls(data: Uint8Array, options: PackageHlsOptions = {}): HlsPackage {
  if (!(data instanceof Uint8Array)) throw new TypeError('packageHls: data must be a Uint8Array (or Buffer)');
  checkOptions(options);
  const segmentFormat = options.segmentFormat ?? 'fmp4';
  const chosen = chooseRenditions('packageHls', data, options.variants, options.segmentTime ?? 6, segmentFormat);
  const layout: HlsLayout = { ...chosen, segmentFormat, singleFile: options.singleFile ?? false };
  return packageHlsLayout(layout);
}
