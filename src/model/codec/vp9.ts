/** VP9 in ISOBMFF: the codecs parameter string (VP Codec ISO Media File Format Binding §5) and ffprobe's profile names. */

/** The vpcC fields the codecs parameter string uses (a `vpcC` box value has them all). */
export interface VpcFields {
  profile: number;
  level: number;
  bitDepth: number;
  chromaSubsampling?: number;
  colourPrimaries?: number;
  transferCharacteristics?: number;
  matrixCoefficients?: number;
  videoFullRangeFlag?: number;
}

/**
 * Codecs parameter string `vp09.PP.LL.DD[.CC.cp.tc.mc.FF]` (§5), e.g. 'vp09.00.10.08'.
 * The short form unless `full` is set.
 */
export function vp9CodecString(c: VpcFields, full = false): string {
  const two = (v: number): string => String(v).padStart(2, '0');
  const base = `vp09.${two(c.profile)}.${two(c.level)}.${two(c.bitDepth)}`;
  if (!full) return base;
  return `${base}.${two(c.chromaSubsampling ?? 1)}.${two(c.colourPrimaries ?? 1)}.${two(c.transferCharacteristics ?? 1)}.${two(c.matrixCoefficients ?? 1)}.${two(c.videoFullRangeFlag ?? 0)}`;
}

/** ffprobe profile names (libavcodec/profiles.c ff_vp9_profiles): 'Profile 0' … 'Profile 3'. */
export function vp9ProfileName(profile: number): string | undefined {
  return profile >= 0 && profile <= 3 ? `Profile ${profile}` : undefined;
}
