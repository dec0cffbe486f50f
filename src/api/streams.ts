/** Public `packageStreams`: HLS and DASH over one set of CMAF segments, as shaka-packager writes them. */
import { bytesEqual } from '../io/bytes.js';
import { BoxwrightError } from '../io/errors.js';
import { DASH_PROFILES, packageDashLayout, type DashPackage, type DashProfile } from '../package/dash.js';
import { packageHlsLayout, type HlsFile, type HlsPackage } from '../package/hls.js';
import { checkOptionKeys, checkSegmentTime, checkVariants, chooseRenditions, type VariantOptions } from './package-layout.js';

/** Options of {@link packageStreams}. */
export interface PackageStreamsOptions {
  /** Target segment duration in seconds (finite, > 0; default 6). */
  segmentTime?: number;
  /** The variants, as for packageHls. */
  variants?: VariantOptions[];
  /** DASH profile: `'live'` (default; the MPD's SegmentTemplate names the HLS segment files) or `'on-demand'` (the HLS playlists then address the same single files with byte ranges). */
  dashProfile?: DashProfile;
}

/** HLS and DASH of one input, and the files both reference, each once. */
export interface StreamsPackage {
  hls: HlsPackage;
  dash: DashPackage;
  /** Every file to write: `master.m3u8`, `manifest.mpd`, playlists and the shared segments. */
  files: HlsFile[];
  warnings: string[];
}

const OPTIONS = ['segmentTime', 'variants', 'dashProfile'];

/**
 * Packages media as HLS and MPEG-DASH at once over one set of CMAF segments: the HLS playlists and the MPD
 * reference the same files (one init segment and one file per segment per rendition, or with
 * `dashProfile: 'on-demand'` one file per rendition addressed by byte ranges in both).
 * @throws TypeError/RangeError for bad arguments; BoxwrightError for unreadable media or a codec that cannot be packaged.
 * @example
 * ```ts
 * import { packageStreams } from 'boxwright';
 * const both = packageStreams(bytes, { segmentTime: 6 });
 * for (const f of both.files) writeFileSync(join('out', f.name), f.data); // master.m3u8 + manifest.mpd, shared segments
 * ```
 */
export function packageStreams(data: Uint8Array, options: PackageStreamsOptions = {}): StreamsPackage {
  if (!(data instanceof Uint8Array)) throw new TypeError('packageStreams: data must be a Uint8Array (or Buffer)');
  checkOptionKeys('packageStreams', options, OPTIONS);
  checkSegmentTime('packageStreams', options.segmentTime);
  checkVariants('packageStreams', options.variants);
  const profile = options.dashProfile ?? 'live';
  if (!(DASH_PROFILES as readonly string[]).includes(profile)) throw new RangeError(`packageStreams: dashProfile must be one of ${DASH_PROFILES.join(', ')}, got ${JSON.stringify(profile)}`);
  const layout = chooseRenditions('packageStreams', data, options.variants, options.segmentTime ?? 6, 'fmp4');
  // The same sources: each track is written once and both manifests point at those bytes.
  const hls = packageHlsLayout({ ...layout, segmentFormat: 'fmp4', singleFile: profile === 'on-demand' });
  const dash = packageDashLayout(layout, profile);
  const files = new Map<string, Uint8Array>();
  for (const f of [...hls.files, ...dash.segments.map((s) => ({ name: s.name, data: s.data })), { name: 'manifest.mpd', data: new TextEncoder().encode(dash.mpd) }]) {
    const known = files.get(f.name);
    if (known && !bytesEqual(known, f.data)) throw new BoxwrightError('INTERNAL', `HLS and DASH wrote different bytes for ${f.name}`, 0, '');
    files.set(f.name, f.data);
  }
  const warnings = [...hls.warnings];
  for (const w of dash.warnings) if (!warnings.includes(w)) warnings.push(w);
  return { hls, dash, files: [...files].map(([name, d]) => ({ name, data: d })), warnings };
}
