/**
 * HEVC / H.265 video and sequence parameter sets (ITU-T H.265 §7.3.2.1, §7.3.2.2, VUI Annex E.2.1)
 * and the ISO/IEC 14496-15 Annex E codec string. Derived sizes follow ffmpeg 5.1
 * (hevc_ps.c: the conformance window crops, the default display window does not).
 */
import { BitReader } from '../../io/bit-reader.js';
import { BoxwrightError } from '../../io/errors.js';
import { readVuiPicture, ueMax, type VuiPicture } from './avc-sps.js';
import { unescapeRbsp } from './nal.js';

/** general_* fields of profile_tier_level() (§7.3.3), the same fields an hvcC record carries. */
export interface HevcProfileTierLevel {
  generalProfileSpace: number;
  generalTierFlag: boolean;
  generalProfileIdc: number;
  /** general_profile_compatibility_flag[0..31] as read: flag[j] is bit (31 − j). */
  generalProfileCompatibilityFlags: number;
  /** The 6 bytes starting with general_progressive_source_flag (hvcC general_constraint_indicator_flags). */
  generalConstraintIndicatorFlags: Uint8Array;
  generalLevelIdc: number;
}

/** A window in luma samples (conformance or default display window). */
export interface HevcWindow {
  left: number;
  right: number;
  top: number;
  bottom: number;
}

/** Parsed HEVC SPS. */
export interface HevcSps extends VuiPicture {
  videoParameterSetId: number;
  maxSubLayers: number;
  temporalIdNesting: boolean;
  profileTierLevel: HevcProfileTierLevel;
  seqParameterSetId: number;
  chromaFormatIdc: number;
  separateColourPlane: boolean;
  /** pic_width_in_luma_samples / pic_height_in_luma_samples (ffprobe's coded_width/coded_height). */
  codedWidth: number;
  codedHeight: number;
  /** Size after the conformance window (ffprobe's width/height). */
  width: number;
  height: number;
  /** Conformance window in luma samples (offsets × SubWidthC / SubHeightC); zero when absent or invalid. */
  conformanceWindow: HevcWindow;
  bitDepthLuma: number;
  bitDepthChroma: number;
  log2MaxPicOrderCntLsb: number;
  maxDecPicBuffering: number;
  maxNumReorderPics: number;
  maxLatencyIncreasePlus1: number;
  log2MinCbSize: number;
  log2CtbSize: number;
  scalingListEnabled: boolean;
  ampEnabled: boolean;
  saoEnabled: boolean;
  pcmEnabled: boolean;
  numShortTermRefPicSets: number;
  longTermRefPicsPresent: boolean;
  temporalMvpEnabled: boolean;
  strongIntraSmoothingEnabled: boolean;
  vuiPresent: boolean;
  fieldSeq: boolean;
  frameFieldInfoPresent: boolean;
  defaultDisplayWindow?: HevcWindow;
  timingInfo?: { numUnitsInTick: number; timeScale: number; pocProportionalToTiming: boolean; numTicksPocDiffOne?: number };
  /** VUI bitstream_restriction min_spatial_segmentation_idc (hvcC carries it). */
  minSpatialSegmentationIdc?: number;
}

/** Parsed HEVC VPS (the leading fields only). */
export interface HevcVps {
  videoParameterSetId: number;
  maxLayers: number;
  maxSubLayers: number;
  temporalIdNesting: boolean;
  profileTierLevel: HevcProfileTierLevel;
}

function bad(detail: string, r: BitReader): never {
  throw new BoxwrightError('BAD_VALUE', detail, r.position >> 3, 'sps');
}

function nalType(r: BitReader): number {
  r.skip(1); // forbidden_zero_bit
  const type = r.bits(6);
  r.skip(9); // nuh_layer_id, nuh_temporal_id_plus1
  return type;
}

/** profile_tier_level(1, maxNumSubLayersMinus1) of §7.3.3; sub-layer fields are skipped. */
export function readProfileTierLevel(r: BitReader, maxNumSubLayersMinus1: number): HevcProfileTierLevel {
  const generalProfileSpace = r.bits(2);
  const generalTierFlag = r.flag();
  const generalProfileIdc = r.bits(5);
  const generalProfileCompatibilityFlags = r.bits(32);
  const generalConstraintIndicatorFlags = new Uint8Array(6);
  for (let i = 0; i < 6; i++) generalConstraintIndicatorFlags[i] = r.bits(8);
  const generalLevelIdc = r.bits(8);
  const profilePresent: boolean[] = [];
  const levelPresent: boolean[] = [];
  for (let i = 0; i < maxNumSubLayersMinus1; i++) {
    profilePresent.push(r.flag());
    levelPresent.push(r.flag());
  }
  if (maxNumSubLayersMinus1 > 0) r.skip(2 * (8 - maxNumSubLayersMinus1)); // reserved_zero_2bits
  for (let i = 0; i < maxNumSubLayersMinus1; i++) {
    if (profilePresent[i]) r.skip(88); // sub_layer profile space … constraint flags
    if (levelPresent[i]) r.skip(8); // sub_layer_level_idc
  }
  return { generalProfileSpace, generalTierFlag, generalProfileIdc, generalProfileCompatibilityFlags, generalConstraintIndicatorFlags, generalLevelIdc };
}

/** scaling_list_data() of §7.3.4, parsed and discarded. */
function skipScalingListData(r: BitReader): void {
  for (let sizeId = 0; sizeId < 4; sizeId++) {
    for (let matrixId = 0; matrixId < 6; matrixId += sizeId === 3 ? 3 : 1) {
      if (!r.flag()) {
        r.ue(); // scaling_list_pred_matrix_id_delta
      } else {
        const coefNum = Math.min(64, 1 << (4 + (sizeId << 1)));
        if (sizeId > 1) r.se(); // scaling_list_dc_coef_minus8
        for (let i = 0; i < coefNum; i++) r.se(); // scaling_list_delta_coef
      }
    }
  }
}

/** st_ref_pic_set(stRpsIdx) of §7.3.7 inside an SPS; returns NumDeltaPocs[stRpsIdx]. */
function skipStRefPicSet(r: BitReader, idx: number, numDeltaPocs: number[]): number {
  const interPred = idx !== 0 && r.flag();
  if (interPred) {
    r.skip(1); // delta_rps_sign
    ueMax(r, 32767, 'abs_delta_rps_minus1');
    const ref = numDeltaPocs[idx - 1] ?? 0; // delta_idx_minus1 is 0 inside an SPS
    let n = 0;
    for (let j = 0; j <= ref; j++) {
      const used = r.flag();
      const useDelta = used ? true : r.flag();
      if (useDelta) n++;
    }
    return n;
  }
  const neg = ueMax(r, 16, 'num_negative_pics');
  const pos = ueMax(r, 16, 'num_positive_pics');
  for (let i = 0; i < neg + pos; i++) {
    ueMax(r, 32767, 'delta_poc_minus1');
    r.skip(1); // used_by_curr_pic_flag
  }
  return neg + pos;
}

/** hrd_parameters(commonInfPresentFlag, maxNumSubLayersMinus1) of Annex E.2.2, parsed and discarded. */
function skipHevcHrd(r: BitReader, common: boolean, maxNumSubLayersMinus1: number): void {
  let nal = false;
  let vcl = false;
  let subPic = false;
  if (common) {
    nal = r.flag();
    vcl = r.flag();
    if (nal || vcl) {
      subPic = r.flag();
      if (subPic) r.skip(8 + 5 + 1 + 5);
      r.skip(8); // bit_rate_scale, cpb_size_scale
      if (subPic) r.skip(4); // cpb_size_du_scale
      r.skip(15); // initial_cpb_removal_delay_length_minus1, au_cpb_removal_delay_length_minus1, dpb_output_delay_length_minus1
    }
  }
  for (let i = 0; i <= maxNumSubLayersMinus1; i++) {
    const fixedGeneral = r.flag();
    const fixedWithinCvs = fixedGeneral ? true : r.flag();
    let lowDelay = false;
    if (fixedWithinCvs) r.ue(); // elemental_duration_in_tc_minus1
    else lowDelay = r.flag();
    const cpbCnt = lowDelay ? 1 : ueMax(r, 31, 'cpb_cnt_minus1') + 1;
    for (let pass = 0; pass < (nal ? 1 : 0) + (vcl ? 1 : 0); pass++) {
      for (let k = 0; k < cpbCnt; k++) {
        r.ue(); // bit_rate_value_minus1
        r.ue(); // cpb_size_value_minus1
        if (subPic) {
          r.ue(); // cpb_size_du_value_minus1
          r.ue(); // bit_rate_du_value_minus1
        }
        r.skip(1); // cbr_flag
      }
    }
  }
}

/**
 * Parses an HEVC SPS NAL unit (2-byte header included, emulation prevention in place).
 * Throws a {@link BoxwrightError}: TRUNCATED when the bits run out before the VUI,
 * BAD_VALUE for out-of-range syntax elements, UNSUPPORTED_FORMAT for a non-SPS NAL unit.
 * A cropping window larger than the picture is ignored (ffmpeg: "Displaying the whole video surface").
 * A VUI cut short is accepted with the fields read so far.
 */
export function parseHevcSps(nal: Uint8Array): HevcSps {
  const r = new BitReader(unescapeRbsp(nal), 0, 'sps');
  const type = nalType(r);
  if (type !== 33) throw new BoxwrightError('UNSUPPORTED_FORMAT', `NAL unit type ${type} is not an SPS`, 0, 'sps');
  const videoParameterSetId = r.bits(4);
  const maxSubLayersMinus1 = r.bits(3);
  if (maxSubLayersMinus1 > 6) bad(`sps_max_sub_layers_minus1 ${maxSubLayersMinus1} > 6`, r);
  const temporalIdNesting = r.flag();
  const profileTierLevel = readProfileTierLevel(r, maxSubLayersMinus1);
  const seqParameterSetId = ueMax(r, 15, 'sps_seq_parameter_set_id');
  const chromaFormatIdc = ueMax(r, 3, 'chroma_format_idc');
  const separateColourPlane = chromaFormatIdc === 3 ? r.flag() : false;
  const codedWidth = ueMax(r, 65535, 'pic_width_in_luma_samples');
  const codedHeight = ueMax(r, 65535, 'pic_height_in_luma_samples');
  if (codedWidth === 0 || codedHeight === 0) bad(`picture size ${codedWidth}x${codedHeight}`, r);
  // §6.2 Table 6-1: SubWidthC/SubHeightC from ChromaArrayType (0 with separate colour planes).
  const chromaArrayType = separateColourPlane ? 0 : chromaFormatIdc;
  const subWidthC = chromaArrayType === 1 || chromaArrayType === 2 ? 2 : 1;
  const subHeightC = chromaArrayType === 1 ? 2 : 1;
  let conformanceWindow: HevcWindow = { left: 0, right: 0, top: 0, bottom: 0 };
  if (r.flag()) {
    conformanceWindow = { left: r.ue() * subWidthC, right: r.ue() * subWidthC, top: r.ue() * subHeightC, bottom: r.ue() * subHeightC };
    if (conformanceWindow.left + conformanceWindow.right >= codedWidth || conformanceWindow.top + conformanceWindow.bottom >= codedHeight) {
      conformanceWindow = { left: 0, right: 0, top: 0, bottom: 0 };
    }
  }
  const bitDepthLuma = ueMax(r, 8, 'bit_depth_luma_minus8') + 8;
  const bitDepthChroma = ueMax(r, 8, 'bit_depth_chroma_minus8') + 8;
  const log2MaxPicOrderCntLsb = ueMax(r, 12, 'log2_max_pic_order_cnt_lsb_minus4') + 4;
  const orderingAll = r.flag();
  let maxDecPicBuffering = 0;
  let maxNumReorderPics = 0;
  let maxLatencyIncreasePlus1 = 0;
  for (let i = orderingAll ? 0 : maxSubLayersMinus1; i <= maxSubLayersMinus1; i++) {
    // The highest sub-layer's values are the ones that apply to the whole stream.
    maxDecPicBuffering = ueMax(r, 15, 'sps_max_dec_pic_buffering_minus1') + 1;
    maxNumReorderPics = ueMax(r, 15, 'sps_max_num_reorder_pics');
    maxLatencyIncreasePlus1 = r.ue();
  }
  const log2MinCbSize = ueMax(r, 3, 'log2_min_luma_coding_block_size_minus3') + 3;
  const log2CtbSize = log2MinCbSize + ueMax(r, 3, 'log2_diff_max_min_luma_coding_block_size');
  ueMax(r, 3, 'log2_min_luma_transform_block_size_minus2');
  ueMax(r, 3, 'log2_diff_max_min_luma_transform_block_size');
  ueMax(r, 4, 'max_transform_hierarchy_depth_inter');
  ueMax(r, 4, 'max_transform_hierarchy_depth_intra');
  const scalingListEnabled = r.flag();
  if (scalingListEnabled && r.flag()) skipScalingListData(r);
  const ampEnabled = r.flag();
  const saoEnabled = r.flag();
  const pcmEnabled = r.flag();
  if (pcmEnabled) {
    r.skip(8); // pcm_sample_bit_depth_luma_minus1, pcm_sample_bit_depth_chroma_minus1
    r.ue(); // log2_min_pcm_luma_coding_block_size_minus3
    r.ue(); // log2_diff_max_min_pcm_luma_coding_block_size
    r.skip(1); // pcm_loop_filter_disabled_flag
  }
  const numShortTermRefPicSets = ueMax(r, 64, 'num_short_term_ref_pic_sets');
  const numDeltaPocs: number[] = [];
  for (let i = 0; i < numShortTermRefPicSets; i++) numDeltaPocs.push(skipStRefPicSet(r, i, numDeltaPocs));
  const longTermRefPicsPresent = r.flag();
  if (longTermRefPicsPresent) {
    const n = ueMax(r, 32, 'num_long_term_ref_pics_sps');
    for (let i = 0; i < n; i++) r.skip(log2MaxPicOrderCntLsb + 1); // lt_ref_pic_poc_lsb_sps, used_by_curr_pic_lt_sps_flag
  }
  const temporalMvpEnabled = r.flag();
  const strongIntraSmoothingEnabled = r.flag();
  const sps: HevcSps = {
    videoParameterSetId,
    maxSubLayers: maxSubLayersMinus1 + 1,
    temporalIdNesting,
    profileTierLevel,
    seqParameterSetId,
    chromaFormatIdc,
    separateColourPlane,
    codedWidth,
    codedHeight,
    width: codedWidth - conformanceWindow.left - conformanceWindow.right,
    height: codedHeight - conformanceWindow.top - conformanceWindow.bottom,
    conformanceWindow,
    bitDepthLuma,
    bitDepthChroma,
    log2MaxPicOrderCntLsb,
    maxDecPicBuffering,
    maxNumReorderPics,
    maxLatencyIncreasePlus1,
    log2MinCbSize,
    log2CtbSize,
    scalingListEnabled,
    ampEnabled,
    saoEnabled,
    pcmEnabled,
    numShortTermRefPicSets,
    longTermRefPicsPresent,
    temporalMvpEnabled,
    strongIntraSmoothingEnabled,
    vuiPresent: r.flag(),
    sar: { num: 0, den: 1 },
    fieldSeq: false,
    frameFieldInfoPresent: false,
  };
  if (sps.vuiPresent) {
    try {
      parseVui(r, sps, maxSubLayersMinus1, subWidthC, subHeightC);
    } catch (e) {
      // ffmpeg keeps the SPS when the VUI overreads; so do we (fields read so far stay set).
      if (!(e instanceof BoxwrightError) || e.code !== 'TRUNCATED') throw e;
    }
  }
  return sps;
}

/** vui_parameters() of Annex E.2.1. */
function parseVui(r: BitReader, sps: HevcSps, maxSubLayersMinus1: number, subWidthC: number, subHeightC: number): void {
  readVuiPicture(r, sps);
  r.skip(1); // neutral_chroma_indication_flag
  sps.fieldSeq = r.flag();
  sps.frameFieldInfoPresent = r.flag();
  if (r.flag()) {
    sps.defaultDisplayWindow = { left: r.ue() * subWidthC, right: r.ue() * subWidthC, top: r.ue() * subHeightC, bottom: r.ue() * subHeightC };
  }
  if (r.flag()) {
    const numUnitsInTick = r.bits(32);
    const timeScale = r.bits(32);
    const pocProportionalToTiming = r.flag();
    const t: NonNullable<HevcSps['timingInfo']> = { numUnitsInTick, timeScale, pocProportionalToTiming };
    if (pocProportionalToTiming) t.numTicksPocDiffOne = r.ue() + 1;
    sps.timingInfo = t;
    if (r.flag()) skipHevcHrd(r, true, maxSubLayersMinus1);
  }
  if (r.flag()) {
    r.skip(3); // tiles_fixed_structure_flag, motion_vectors_over_pic_boundaries_flag, restricted_ref_pic_lists_flag
    sps.minSpatialSegmentationIdc = ueMax(r, 4095, 'min_spatial_segmentation_idc');
  }
}

/** Parses the leading fields of an HEVC VPS NAL unit (§7.3.2.1) up to its profile_tier_level. */
export function parseHevcVps(nal: Uint8Array): HevcVps {
  const r = new BitReader(unescapeRbsp(nal), 0, 'vps');
  const type = nalType(r);
  if (type !== 32) throw new BoxwrightError('UNSUPPORTED_FORMAT', `NAL unit type ${type} is not a VPS`, 0, 'vps');
  const videoParameterSetId = r.bits(4);
  r.skip(2); // vps_base_layer_internal_flag, vps_base_layer_available_flag
  const maxLayers = r.bits(6) + 1;
  const maxSubLayersMinus1 = r.bits(3);
  if (maxSubLayersMinus1 > 6) bad(`vps_max_sub_layers_minus1 ${maxSubLayersMinus1} > 6`, r);
  const temporalIdNesting = r.flag();
  r.skip(16); // vps_reserved_0xffff_16bits
  const profileTierLevel = readProfileTierLevel(r, maxSubLayersMinus1);
  return { videoParameterSetId, maxLayers, maxSubLayers: maxSubLayersMinus1 + 1, temporalIdNesting, profileTierLevel };
}

/**
 * ffmpeg's profile number for a profile_tier_level: general_profile_idc, or when that is 0 the
 * lowest j > 0 whose general_profile_compatibility_flag[j] is set (hevc_ps.c decode_profile_tier_level).
 */
function ffmpegHevcProfile(profileIdc: number, compatibilityFlags: number): number {
  if (profileIdc !== 0) return profileIdc;
  for (let j = 1; j < 32; j++) if ((compatibilityFlags >>> (31 - j)) & 1) return j;
  return 0;
}

/**
 * The profile name ffprobe 5.1 prints for HEVC (libavcodec/profiles.c): 'Main', 'Main 10',
 * 'Main Still Picture', 'Rext'. `compatibilityFlags` (as read, flag[0] = bit 31) is used when
 * general_profile_idc is 0. Undefined for other profiles (ffprobe prints 'unknown').
 */
export function hevcProfileName(generalProfileIdc: number, compatibilityFlags = 0): string | undefined {
  switch (ffmpegHevcProfile(generalProfileIdc, compatibilityFlags)) {
    case 1:
      return 'Main';
    case 2:
      return 'Main 10';
    case 3:
      return 'Main Still Picture';
    case 4:
      return 'Rext';
    default:
      return undefined;
  }
}

/** Reverses the 32 bits of `v` (unsigned). */
function reverse32(v: number): number {
  let out = 0;
  for (let i = 0; i < 32; i++) out = out * 2 + ((v >>> i) & 1);
  return out;
}

/**
 * RFC 6381 codec string for HEVC, ISO/IEC 14496-15 Annex E.3:
 * `<sampleEntryType>.<space letter><profile_idc>.<compat flags, bit-reversed, hex>.<L|H><level_idc>[.<constraint bytes>]`,
 * with trailing zero constraint bytes dropped, e.g. 'hvc1.1.6.L93.B0'.
 */
export function hevcCodecString(sampleEntryType: string, ptl: HevcProfileTierLevel): string {
  const space = ['', 'A', 'B', 'C'][ptl.generalProfileSpace & 3]!;
  const compat = reverse32(ptl.generalProfileCompatibilityFlags >>> 0).toString(16).toUpperCase();
  const tier = ptl.generalTierFlag ? 'H' : 'L';
  const bytes = Array.from(ptl.generalConstraintIndicatorFlags);
  while (bytes.length > 0 && bytes[bytes.length - 1] === 0) bytes.pop();
  const constraints = bytes.map((b) => `.${b.toString(16).toUpperCase()}`).join('');
  return `${sampleEntryType}.${space}${ptl.generalProfileIdc}.${compat}.${tier}${ptl.generalLevelIdc}${constraints}`;
}
