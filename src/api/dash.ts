/** Public `packageDash`: argument checks, rendition choice (shared with packageHls), then src/package/dash.ts. */
import { DASH_PROFILES, packageDashLayout, type DashPackage, type DashProfile } from '../package/dash.js';
import { checkOptionKeys, checkSegmentTime, checkVariants, chooseRenditions, type VariantOptions } from './package-layout.js';

export type { DashPackage, DashProfile, DashSegment } from '../package/dash.js';
export { DASH_PROFILES };

/** Options of {@link packageDash}. */
export interface PackageDashOptions {
  /** Target segment duration in seconds (finite, > 0; default 6). */
  segmentTime?: number;
  /** `'live'` (default; SegmentTemplate + SegmentTimeline) or `'on-demand'` (one file per Representation with a sidx). */
  profile?: DashProfile;
  /** The variants (Representations), as for packageHls. */
  variants?: VariantOptions[];
}

const OPTIONS = ['segmentTime', 'profile', 'variants'];

/**
 * Packages media as MPEG-DASH, in memory: an MPD and every file it references (`segments`; init segments with
 * `duration: 0`), from the same CMAF segments as HLS, with timestamps that need no edit list.
 * @throws TypeError/RangeError for bad arguments; BoxwrightError for unreadable media or a codec that cannot be packaged.
 * @example
 * ```ts
 * import { packageDash } from 'boxwright';
 * const dash = packageDash(bytes, { segmentTime: 4, profile: 'on-demand' });
 * writeFileSync('out/manifest.mpd', dash.mpd);
 * for (const s of dash.segments) writeFileSync(join('out', s.name), s.data);
 * ```
 */
export function packageDash(data: Uint8Array, options: PackageDashOptions = {}): DashPackage {
  if (!(data instanceof Uint8Array)) throw new TypeError('packageDash: data must be a Uint8Array (or Buffer)');
  checkOptionKeys('packageDash', options, OPTIONS);
  checkSegmentTime('packageDash', options.segmentTime);
  const profile = options.profile ?? 'live';
  if (!(DASH_PROFILES as readonly string[]).includes(profile)) throw new RangeError(`packageDash: profile must be one of ${DASH_PROFILES.join(', ')}, got ${JSON.stringify(profile)}`);
  checkVariants('packageDash', options.variants);
  const layout = chooseRenditions('packageDash', data, options.variants, options.segmentTime ?? 6, 'fmp4');
  return packageDashLayout(layout, profile);
}
