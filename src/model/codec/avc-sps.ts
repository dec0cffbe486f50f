/**
 * H.264 / AVC sequence parameter set (ITU-T H.264 §7.3.2.1.1, VUI Annex E.1.1).
 * Pure: NAL unit bytes in, a plain object out. Field names follow the spec; derived values
 * (width/height after cropping, SAR) follow what ffmpeg 5.1 reports.
 */
import { BitReader } from '../../io/bit-reader.js';
import { BoxwrightError } from '../../io/errors.js';
import { unescapeRbsp } from './nal.js';

/** A rational number (sample aspect ratio, frame rate). */
export interface Ratio {
  num: number;
  den: number;
}

/** VUI timing_info (Annex E.1.1). */
export interface TimingInfo {
  numUnitsInTick: number;
  timeScale: number;
  fixedFrameRate: boolean;
}

/** VUI bitstream_restriction (Annex E.1.1). */
export interface AvcBitstreamRestriction {
  motionVectorsOverPicBoundaries: boolean;
  maxBytesPerPicDenom: number;
  maxBitsPerMbDenom: number;
  log2MaxMvLengthHorizontal: number;
  log2MaxMvLengthVertical: number;
  maxNumReorderFrames: number;
  maxDecFrameBuffering: number;
}

/** Parsed H.264 SPS. */
/** The VUI fields H.264 and HEVC share (see {@link readVuiPicture}). */
export interface VuiPicture {
  aspectRatioIdc?: number;
  /** Sample aspect ratio from the VUI; 0:1 when absent or unspecified (ffmpeg's "unknown"). */
  sar: Ratio;
  videoFormat?: number;
  /** video_full_range_flag; undefined when video_signal_type_present_flag is 0 (ffmpeg: H.264 unknown, HEVC 'tv'). */
  videoFullRange?: boolean;
  colourPrimaries?: number;
  transferCharacteristics?: number;
  matrixCoefficients?: number;
  chromaSampleLocTypeTopField?: number;
  chromaSampleLocTypeBottomField?: number;
}

export interface AvcSps extends VuiPicture {
  profileIdc: number;
  /** The whole constraint byte (constraint_set0_flag is bit 7, 0x80). */
  constraintFlags: number;
  levelIdc: number;
  seqParameterSetId: number;
  chromaFormatIdc: number;
  separateColourPlane: boolean;
  bitDepthLuma: number;
  bitDepthChroma: number;
  qpprimeYZeroTransformBypass: boolean;
  scalingMatrixPresent: boolean;
  log2MaxFrameNum: number;
  picOrderCntType: number;
  /** Present when picOrderCntType is 0. */
  log2MaxPicOrderCntLsb?: number;
  /** Present when picOrderCntType is 1. */
  deltaPicOrderAlwaysZero?: boolean;
  /** offset_for_top_to_bottom_field, present when picOrderCntType is 1. */
  offsetForTopToBottomField?: number;
  maxNumRefFrames: number;
  gapsInFrameNumAllowed: boolean;
  frameMbsOnly: boolean;
  mbAdaptiveFrameField: boolean;
  direct8x8Inference: boolean;
  /** Macroblock-aligned luma size: 16·PicWidthInMbs × 16·FrameHeightInMbs. */
  codedWidth: number;
  codedHeight: number;
  /** Display size after the frame-cropping rectangle. */
  width: number;
  height: number;
  /** Cropping in luma samples (already multiplied by CropUnitX/CropUnitY). */
  crop: { left: number; right: number; top: number; bottom: number };
  /** 'progressive' when frame_mbs_only_flag, else 'unknown' (the slices decide). */
  fieldOrder: 'progressive' | 'unknown';
  vuiPresent: boolean;
  timingInfo?: TimingInfo;
  nalHrd: boolean;
  vclHrd: boolean;
  picStructPresent: boolean;
  /** cpb_removal_delay_length and dpb_output_delay_length of the HRD parameters (the last of NAL and VCL), for pic_timing SEI. */
  hrdDelayLengths?: { cpbRemovalDelayLength: number; dpbOutputDelayLength: number };
  bitstreamRestriction?: AvcBitstreamRestriction;
  /** Shortcut for bitstreamRestriction.maxNumReorderFrames. */
  maxNumReorderFrames?: number;
}

/** Profiles whose SPS carries chroma_format_idc, bit depths and scaling matrices (§7.3.2.1.1). */
const HIGH_PROFILES = new Set([100, 110, 122, 244, 44, 83, 86, 118, 128, 138, 139, 134, 135]);

/** Table E-1: aspect_ratio_idc 1..16. */
const SAR_TABLE: ReadonlyArray<readonly [number, number]> = [
  [0, 1], [1, 1], [12, 11], [10, 11], [16, 11], [40, 33], [24, 11], [20, 11], [32, 11],
  [80, 33], [18, 11], [15, 11], [64, 33], [160, 99], [4, 3], [3, 2], [2, 1],
];

/** Annex E Table E-1 sample aspect ratio for `aspect_ratio_idc` (255 = Extended_SAR, given explicitly). */
export function sarFromAspectRatioIdc(idc: number, sarWidth = 0, sarHeight = 0): Ratio {
  if (idc === 255) return { num: sarWidth, den: sarHeight };
  const e = SAR_TABLE[idc];
  return e ? { num: e[0], den: e[1] } : { num: 0, den: 1 };
}

function bad(detail: string, r: BitReader): never {
  throw new BoxwrightError('BAD_VALUE', detail, r.position >> 3, 'sps');
}

/** ue(v) with an inclusive upper bound; larger values throw BAD_VALUE. */
export function ueMax(r: BitReader, max: number, what: string): number {
  const v = r.ue();
  if (v > max) bad(`${what} ${v} > ${max}`, r);
  return v;
}

/** scaling_list() of §7.3.2.1.1.1, only to move past it. */
function skipScalingList(r: BitReader, size: number): void {
  let last = 8;
  let next = 8;
  for (let j = 0; j < size; j++) {
    if (next !== 0) {
      const delta = r.se();
      if (delta < -128 || delta > 127) bad(`delta_scale ${delta} out of range`, r);
      next = (last + delta + 256) % 256;
    }
    last = next === 0 ? last : next;
  }
}

/** hrd_parameters() of Annex E.1.2, parsed and discarded. */
export function skipAvcHrd(r: BitReader): { cpbRemovalDelayLength: number; dpbOutputDelayLength: number } {
  const cpbCnt = ueMax(r, 31, 'cpb_cnt_minus1') + 1;
  r.skip(8); // bit_rate_scale, cpb_size_scale
  for (let i = 0; i < cpbCnt; i++) {
    r.ue(); // bit_rate_value_minus1
    r.ue(); // cpb_size_value_minus1
    r.skip(1); // cbr_flag
  }
  r.skip(5); // initial_cpb_removal_delay_length_minus1
  const cpbRemovalDelayLength = r.bits(5) + 1;
  const dpbOutputDelayLength = r.bits(5) + 1;
  r.skip(5); // time_offset_length
  return { cpbRemovalDelayLength, dpbOutputDelayLength };
}

/**
 * Parses an H.264 SPS NAL unit (header byte included, emulation prevention still in place).
 * Throws a {@link BoxwrightError}: TRUNCATED when the bits run out before the VUI,
 * BAD_VALUE for out-of-range syntax elements or an impossible cropping rectangle,
 * UNSUPPORTED_FORMAT when the NAL unit is not an SPS (type 7).
 * A VUI cut short inside bitstream_restriction is accepted without it, as ffmpeg does.
 */
export function parseAvcSps(nal: Uint8Array): AvcSps {
  const rbsp = unescapeRbsp(nal);
  const r = new BitReader(rbsp, 0, 'sps');
  r.skip(1); // forbidden_zero_bit
  r.skip(2); // nal_ref_idc
  const type = r.bits(5);
  if (type !== 7 && type !== 15) throw new BoxwrightError('UNSUPPORTED_FORMAT', `NAL unit type ${type} is not an SPS`, 0, 'sps');
  const profileIdc = r.bits(8);
  const constraintFlags = r.bits(8);
  const levelIdc = r.bits(8);
  const seqParameterSetId = ueMax(r, 31, 'seq_parameter_set_id');

  let chromaFormatIdc = 1;
  let separateColourPlane = false;
  let bitDepthLuma = 8;
  let bitDepthChroma = 8;
  let qpprimeYZeroTransformBypass = false;
  let scalingMatrixPresent = false;
  if (HIGH_PROFILES.has(profileIdc)) {
    chromaFormatIdc = ueMax(r, 3, 'chroma_format_idc');
    if (chromaFormatIdc === 3) separateColourPlane = r.flag();
    bitDepthLuma = ueMax(r, 6, 'bit_depth_luma_minus8') + 8;
    bitDepthChroma = ueMax(r, 6, 'bit_depth_chroma_minus8') + 8;
    qpprimeYZeroTransformBypass = r.flag();
    scalingMatrixPresent = r.flag();
    if (scalingMatrixPresent) {
      const lists = chromaFormatIdc !== 3 ? 8 : 12;
      for (let i = 0; i < lists; i++) {
        if (r.flag()) skipScalingList(r, i < 6 ? 16 : 64);
      }
    }
  }

  const log2MaxFrameNum = ueMax(r, 12, 'log2_max_frame_num_minus4') + 4;
  const picOrderCntType = ueMax(r, 2, 'pic_order_cnt_type');
  let log2MaxPicOrderCntLsb: number | undefined;
  let deltaPicOrderAlwaysZero: boolean | undefined;
  let offsetForTopToBottomField: number | undefined;
  if (picOrderCntType === 0) {
    log2MaxPicOrderCntLsb = ueMax(r, 12, 'log2_max_pic_order_cnt_lsb_minus4') + 4;
  } else if (picOrderCntType === 1) {
    deltaPicOrderAlwaysZero = r.flag();
    r.se(); // offset_for_non_ref_pic
    offsetForTopToBottomField = r.se();
    const cycle = ueMax(r, 255, 'num_ref_frames_in_pic_order_cnt_cycle');
    for (let i = 0; i < cycle; i++) r.se(); // offset_for_ref_frame[i]
  }
  const maxNumRefFrames = r.ue();
  const gapsInFrameNumAllowed = r.flag();
  const widthMbs = ueMax(r, 1 << 16, 'pic_width_in_mbs_minus1') + 1;
  const heightMapUnits = ueMax(r, 1 << 16, 'pic_height_in_map_units_minus1') + 1;
  const frameMbsOnly = r.flag();
  const mbAdaptiveFrameField = frameMbsOnly ? false : r.flag();
  const direct8x8Inference = r.flag();

  const codedWidth = widthMbs * 16;
  const codedHeight = (frameMbsOnly ? 1 : 2) * heightMapUnits * 16;
  const crop = { left: 0, right: 0, top: 0, bottom: 0 };
  if (r.flag()) {
    // §7.4.2.1.1: CropUnitX/CropUnitY from ChromaArrayType (0 when separate_colour_plane_flag).
    const chromaArrayType = separateColourPlane ? 0 : chromaFormatIdc;
    const subWidthC = chromaArrayType === 1 || chromaArrayType === 2 ? 2 : 1;
    const subHeightC = chromaArrayType === 1 ? 2 : 1;
    const unitX = subWidthC;
    const unitY = subHeightC * (frameMbsOnly ? 1 : 2);
    const l = r.ue();
    const rt = r.ue();
    const t = r.ue();
    const b = r.ue();
    if ((l + rt) * unitX >= codedWidth || (t + b) * unitY >= codedHeight) {
      bad(`frame cropping ${l},${rt},${t},${b} leaves no picture in ${codedWidth}x${codedHeight}`, r);
    }
    crop.left = l * unitX;
    crop.right = rt * unitX;
    crop.top = t * unitY;
    crop.bottom = b * unitY;
  }

  const sps: AvcSps = {
    profileIdc,
    constraintFlags,
    levelIdc,
    seqParameterSetId,
    chromaFormatIdc,
    separateColourPlane,
    bitDepthLuma,
    bitDepthChroma,
    qpprimeYZeroTransformBypass,
    scalingMatrixPresent,
    log2MaxFrameNum,
    picOrderCntType,
    maxNumRefFrames,
    gapsInFrameNumAllowed,
    frameMbsOnly,
    mbAdaptiveFrameField,
    direct8x8Inference,
    codedWidth,
    codedHeight,
    width: codedWidth - crop.left - crop.right,
    height: codedHeight - crop.top - crop.bottom,
    crop,
    fieldOrder: frameMbsOnly ? 'progressive' : 'unknown',
    vuiPresent: false,
    sar: { num: 0, den: 1 },
    nalHrd: false,
    vclHrd: false,
    picStructPresent: false,
  };
  if (log2MaxPicOrderCntLsb !== undefined) sps.log2MaxPicOrderCntLsb = log2MaxPicOrderCntLsb;
  if (deltaPicOrderAlwaysZero !== undefined) sps.deltaPicOrderAlwaysZero = deltaPicOrderAlwaysZero;
  if (offsetForTopToBottomField !== undefined) sps.offsetForTopToBottomField = offsetForTopToBottomField;

  sps.vuiPresent = r.flag();
  if (sps.vuiPresent) parseVui(r, sps);
  return sps;
}

/**
 * The start of vui_parameters() that H.264 (Annex E.1.1) and HEVC (Annex E.2.1) share: aspect ratio, overscan,
 * video signal type with colour description, chroma sample location.
 */
export function readVuiPicture(r: BitReader, v: VuiPicture): void {
  if (r.flag()) {
    const idc = r.bits(8);
    v.aspectRatioIdc = idc;
    v.sar = idc === 255 ? sarFromAspectRatioIdc(255, r.bits(16), r.bits(16)) : sarFromAspectRatioIdc(idc);
  }
  if (r.flag()) r.skip(1); // overscan_info_present_flag → overscan_appropriate_flag
  if (r.flag()) {
    v.videoFormat = r.bits(3);
    v.videoFullRange = r.flag();
    if (r.flag()) {
      v.colourPrimaries = r.bits(8);
      v.transferCharacteristics = r.bits(8);
      v.matrixCoefficients = r.bits(8);
    }
  }
  if (r.flag()) {
    v.chromaSampleLocTypeTopField = ueMax(r, 5, 'chroma_sample_loc_type_top_field');
    v.chromaSampleLocTypeBottomField = ueMax(r, 5, 'chroma_sample_loc_type_bottom_field');
  }
}

/** vui_parameters() of Annex E.1.1. */
function parseVui(r: BitReader, sps: AvcSps): void {
  readVuiPicture(r, sps);
  if (r.flag()) {
    sps.timingInfo = { numUnitsInTick: r.bits(32), timeScale: r.bits(32), fixedFrameRate: r.flag() };
  }
  sps.nalHrd = r.flag();
  if (sps.nalHrd) sps.hrdDelayLengths = skipAvcHrd(r);
  sps.vclHrd = r.flag();
  if (sps.vclHrd) sps.hrdDelayLengths = skipAvcHrd(r);
  if (sps.nalHrd || sps.vclHrd) r.skip(1); // low_delay_hrd_flag
  // ffmpeg (h264_ps.c) tolerates a VUI that ends here or inside bitstream_restriction.
  if (r.bitsLeft === 0) return;
  sps.picStructPresent = r.flag();
  if (r.bitsLeft === 0) return;
  if (!r.flag()) return;
  try {
    const br: AvcBitstreamRestriction = {
      motionVectorsOverPicBoundaries: r.flag(),
      maxBytesPerPicDenom: r.ue(),
      maxBitsPerMbDenom: r.ue(),
      log2MaxMvLengthHorizontal: r.ue(),
      log2MaxMvLengthVertical: r.ue(),
      maxNumReorderFrames: r.ue(),
      maxDecFrameBuffering: r.ue(),
    };
    sps.bitstreamRestriction = br;
    sps.maxNumReorderFrames = br.maxNumReorderFrames;
  } catch (e) {
    if (!(e instanceof BoxwrightError) || e.code !== 'TRUNCATED') throw e;
  }
}

/** ffmpeg's FF_PROFILE_H264_* names (libavcodec/profiles.c), as ffprobe prints `profile`. */
const AVC_PROFILE_NAMES: ReadonlyMap<number, string> = new Map([
  [66, 'Baseline'],
  [77, 'Main'],
  [88, 'Extended'],
  [100, 'High'],
  [110, 'High 10'],
  [122, 'High 4:2:2'],
  [144, 'High 4:4:4'],
  [244, 'High 4:4:4 Predictive'],
  [44, 'CAVLC 4:4:4'],
  [118, 'Multiview High'],
  [128, 'Stereo High'],
]);

/**
 * The profile name ffprobe 5.1 prints for an H.264 stream (ff_h264_get_profile + profiles.c):
 * constraint_set1_flag on Baseline gives 'Constrained Baseline'; constraint_set3_flag on
 * High 10 / High 4:2:2 / High 4:4:4 Predictive gives the '… Intra' profile.
 * `constraintFlags` is the avcC/SPS constraint byte (constraint_set0_flag = 0x80).
 * Returns undefined for profiles ffmpeg has no name for (ffprobe prints 'unknown').
 */
export function avcProfileName(profileIdc: number, constraintFlags: number): string | undefined {
  const set1 = (constraintFlags & 0x40) !== 0;
  const set3 = (constraintFlags & 0x10) !== 0;
  if (profileIdc === 66 && set1) return 'Constrained Baseline';
  if (set3) {
    if (profileIdc === 110) return 'High 10 Intra';
    if (profileIdc === 122) return 'High 4:2:2 Intra';
    if (profileIdc === 244) return 'High 4:4:4 Intra';
  }
  return AVC_PROFILE_NAMES.get(profileIdc);
}

/** RFC 6381 §3.3 codec string for H.264: `avc1.PPCCLL` (profile, constraint byte, level in hex). */
export function avcCodecString(sampleEntryType: string, profileIdc: number, constraintFlags: number, levelIdc: number): string {
  const hex = (v: number): string => (v & 0xff).toString(16).padStart(2, '0');
  return `${sampleEntryType}.${hex(profileIdc)}${hex(constraintFlags)}${hex(levelIdc)}`;
}
