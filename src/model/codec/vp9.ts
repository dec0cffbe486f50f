/**
 * VP9 in ISOBMFF: the VPCodecConfigurationRecord (`vpcC`, VP Codec ISO Media File Format Binding §2.2),
 * the codecs parameter string (§5) and ffprobe's profile names.
 */
import { BoxwrightError } from '../../io/errors.js';

/** Fields of a vpcC record (version 1 layout; version 0 fields mapped onto it). */
export interface VpcConfig {
  version: number;
  profile: number;
  level: number;
  bitDepth: number;
  /** 0 = 4:2:0 vertical, 1 = 4:2:0 colocated, 2 = 4:2:2, 3 = 4:4:4. */
  chromaSubsampling: number;
  videoFullRange: boolean;
  colourPrimaries: number;
  transferCharacteristics: number;
  matrixCoefficients: number;
}

/** Parses a vpcC box payload (FullBox header included). Throws TRUNCATED when short. */
export function parseVpcC(bytes: Uint8Array, offset = 0, path = 'vpcC'): VpcConfig {
  if (bytes.length < 12) throw new BoxwrightError('TRUNCATED', `vpcC needs 12 bytes but ${bytes.length} remain`, offset, path);
  const version = bytes[0]!;
  const profile = bytes[4]!;
  const level = bytes[5]!;
  const b6 = bytes[6]!;
  if (version === 0) {
    // Draft layout: bitDepth(4) colorSpace(4) chromaSubsampling(4) transferFunction(4) videoFullRangeFlag(1).
    const b7 = bytes[7]!;
    return { version, profile, level, bitDepth: b6 >> 4, chromaSubsampling: b7 >> 4, videoFullRange: (bytes[8]! & 0x80) !== 0, colourPrimaries: 2, transferCharacteristics: 2, matrixCoefficients: 2 };
  }
  return {
    version,
    profile,
    level,
    bitDepth: b6 >> 4,
    chromaSubsampling: (b6 >> 1) & 7,
    videoFullRange: (b6 & 1) !== 0,
    colourPrimaries: bytes[7]!,
    transferCharacteristics: bytes[8]!,
    matrixCoefficients: bytes[9]!,
  };
}

/**
 * Codecs parameter string `vp09.PP.LL.DD[.CC.cp.tc.mc.FF]` (§5), e.g. 'vp09.00.10.08'.
 * The short form unless `full` is set.
 */
export function vp9CodecString(c: Pick<VpcConfig, 'profile' | 'level' | 'bitDepth'> & Partial<VpcConfig>, full = false): string {
  const two = (v: number): string => String(v).padStart(2, '0');
  const base = `vp09.${two(c.profile)}.${two(c.level)}.${two(c.bitDepth)}`;
  if (!full) return base;
  return `${base}.${two(c.chromaSubsampling ?? 1)}.${two(c.colourPrimaries ?? 1)}.${two(c.transferCharacteristics ?? 1)}.${two(c.matrixCoefficients ?? 1)}.${two(c.videoFullRange ? 1 : 0)}`;
}

/** ffprobe profile names (libavcodec/profiles.c ff_vp9_profiles): 'Profile 0' … 'Profile 3'. */
export function vp9ProfileName(profile: number): string | undefined {
  return profile >= 0 && profile <= 3 ? `Profile ${profile}` : undefined;
}
