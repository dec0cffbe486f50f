/**
 * AV1: OBU headers and the sequence header OBU (the av1C record itself is a box value, boxes/families/video-config.ts)
 * (AV1 spec §5.3, §5.5), the codecs parameter string (AV1-ISOBMFF §5) and ffprobe's profile names.
 */
import { BitReader } from '../../io/bit-reader.js';
import { BoxwrightError } from '../../io/errors.js';

/** Parsed sequence header OBU. */
export interface Av1SequenceHeader {
  seqProfile: number;
  stillPicture: boolean;
  reducedStillPictureHeader: boolean;
  timingInfo?: { numUnitsInDisplayTick: number; timeScale: number; equalPictureInterval: boolean; numTicksPerPicture?: number };
  operatingPoints: Array<{ idc: number; seqLevelIdx: number; seqTier: number }>;
  /** max_frame_width_minus_1 + 1. */
  maxFrameWidth: number;
  maxFrameHeight: number;
  frameIdNumbersPresent: boolean;
  use128x128Superblock: boolean;
  enableOrderHint: boolean;
  orderHintBits: number;
  enableSuperres: boolean;
  bitDepth: number;
  monoChrome: boolean;
  subsamplingX: number;
  subsamplingY: number;
  chromaSamplePosition: number;
  colorDescriptionPresent: boolean;
  colorPrimaries: number;
  transferCharacteristics: number;
  matrixCoefficients: number;
  /** color_range: true = full. */
  colorRange: boolean;
  separateUvDeltaQ: boolean;
  filmGrainParamsPresent: boolean;
}

/** An OBU located in a buffer (§5.3.1). */
export interface Obu {
  type: number;
  temporalId: number;
  spatialId: number;
  /** Payload view (after the header and size field). */
  payload: Uint8Array;
}

const fail = (code: 'TRUNCATED' | 'BAD_VALUE', detail: string, offset = 0, path = 'av1C'): never => {
  throw new BoxwrightError(code, detail, offset, path);
};

/** leb128() of §4.10.5: returns [value, bytes used]. */
function leb128(bytes: Uint8Array, pos: number, path: string): [number, number] {
  let value = 0;
  for (let i = 0; i < 8; i++) {
    if (pos + i >= bytes.length) fail('TRUNCATED', 'leb128 runs past the end', pos + i, path);
    const b = bytes[pos + i]!;
    value += (b & 0x7f) * 2 ** (7 * i);
    if (!(b & 0x80)) return [value, i + 1];
  }
  return fail('BAD_VALUE', 'leb128 longer than 8 bytes', pos, path);
}

/** Splits a buffer of OBUs (low-overhead bitstream format, §5.2). An OBU without a size field runs to the end. */
export function splitObus(bytes: Uint8Array, offset = 0, path = 'av1'): Obu[] {
  const out: Obu[] = [];
  let p = 0;
  while (p < bytes.length) {
    const h = bytes[p]!;
    if (h & 0x80) fail('BAD_VALUE', 'OBU forbidden bit set', offset + p, path);
    const type = (h >> 3) & 0x0f;
    const ext = (h & 0x04) !== 0;
    const hasSize = (h & 0x02) !== 0;
    let q = p + 1;
    let temporalId = 0;
    let spatialId = 0;
    if (ext) {
      if (q >= bytes.length) fail('TRUNCATED', 'OBU extension header missing', offset + q, path);
      temporalId = bytes[q]! >> 5;
      spatialId = (bytes[q]! >> 3) & 3;
      q++;
    }
    let size: number;
    if (hasSize) {
      const [v, n] = leb128(bytes, q, path);
      q += n;
      size = v;
      if (size > bytes.length - q) fail('TRUNCATED', `OBU of ${size} bytes but ${bytes.length - q} remain`, offset + q, path);
    } else {
      size = bytes.length - q;
    }
    out.push({ type, temporalId, spatialId, payload: bytes.subarray(q, q + size) });
    p = q + size;
  }
  return out;
}

/** OBU_SEQUENCE_HEADER (Table 5). */
export const OBU_SEQUENCE_HEADER = 1;

/** uvlc() of §4.10.3. */
function uvlc(r: BitReader): number {
  let lz = 0;
  while (!r.flag()) {
    lz++;
    if (lz >= 32) return 2 ** 32 - 1;
  }
  return r.bits(lz) + 2 ** lz - 1;
}

/** Parses a sequence_header_obu() payload (§5.5.1), i.e. the OBU without its header. */
export function parseAv1SequenceHeader(payload: Uint8Array, offset = 0, path = 'av1'): Av1SequenceHeader {
  const r = new BitReader(payload, offset, path);
  const seqProfile = r.bits(3);
  if (seqProfile > 2) fail('BAD_VALUE', `seq_profile ${seqProfile} > 2`, offset, path);
  const stillPicture = r.flag();
  const reducedStillPictureHeader = r.flag();
  const operatingPoints: Av1SequenceHeader['operatingPoints'] = [];
  let timingInfo: Av1SequenceHeader['timingInfo'];
  if (reducedStillPictureHeader) {
    operatingPoints.push({ idc: 0, seqLevelIdx: r.bits(5), seqTier: 0 });
  } else {
    let decoderModelInfoPresent = false;
    let bufferDelayLength = 0;
    if (r.flag()) {
      const t: NonNullable<Av1SequenceHeader['timingInfo']> = { numUnitsInDisplayTick: r.bits(32), timeScale: r.bits(32), equalPictureInterval: r.flag() };
      if (t.equalPictureInterval) t.numTicksPerPicture = uvlc(r) + 1;
      timingInfo = t;
      decoderModelInfoPresent = r.flag();
      if (decoderModelInfoPresent) {
        bufferDelayLength = r.bits(5) + 1;
        r.skip(32 + 5 + 5); // num_units_in_decoding_tick, buffer_removal_time_length_minus_1, frame_presentation_time_length_minus_1
      }
    }
    const initialDisplayDelayPresent = r.flag();
    const count = r.bits(5) + 1;
    for (let i = 0; i < count; i++) {
      const idc = r.bits(12);
      const seqLevelIdx = r.bits(5);
      const seqTier = seqLevelIdx > 7 ? r.bit() : 0;
      if (decoderModelInfoPresent && r.flag()) r.skip(2 * bufferDelayLength + 1); // operating_parameters_info
      if (initialDisplayDelayPresent && r.flag()) r.skip(4);
      operatingPoints.push({ idc, seqLevelIdx, seqTier });
    }
  }
  const wBits = r.bits(4) + 1;
  const hBits = r.bits(4) + 1;
  const maxFrameWidth = r.bits(wBits) + 1;
  const maxFrameHeight = r.bits(hBits) + 1;
  const frameIdNumbersPresent = reducedStillPictureHeader ? false : r.flag();
  if (frameIdNumbersPresent) r.skip(4 + 3);
  const use128x128Superblock = r.flag();
  r.skip(2); // enable_filter_intra, enable_intra_edge_filter
  let enableOrderHint = false;
  let orderHintBits = 0;
  if (!reducedStillPictureHeader) {
    r.skip(4); // enable_interintra_compound, enable_masked_compound, enable_warped_motion, enable_dual_filter
    enableOrderHint = r.flag();
    if (enableOrderHint) r.skip(2); // enable_jnt_comp, enable_ref_frame_mvs
    const forceScreenContentTools = r.flag() ? 2 : r.bit(); // seq_choose_screen_content_tools
    if (forceScreenContentTools > 0 && !r.flag()) r.skip(1); // seq_choose_integer_mv → seq_force_integer_mv
    if (enableOrderHint) orderHintBits = r.bits(3) + 1;
  }
  const enableSuperres = r.flag();
  r.skip(2); // enable_cdef, enable_restoration
  // color_config() §5.5.2
  const highBitdepth = r.flag();
  let bitDepth = highBitdepth ? 10 : 8;
  if (seqProfile === 2 && highBitdepth) bitDepth = r.flag() ? 12 : 10;
  const monoChrome = seqProfile === 1 ? false : r.flag();
  const colorDescriptionPresent = r.flag();
  let colorPrimaries = 2;
  let transferCharacteristics = 2;
  let matrixCoefficients = 2;
  if (colorDescriptionPresent) {
    colorPrimaries = r.bits(8);
    transferCharacteristics = r.bits(8);
    matrixCoefficients = r.bits(8);
  }
  let colorRange: boolean;
  let subsamplingX = 1;
  let subsamplingY = 1;
  let chromaSamplePosition = 0;
  let separateUvDeltaQ = false;
  if (monoChrome) {
    colorRange = r.flag();
  } else if (colorPrimaries === 1 && transferCharacteristics === 13 && matrixCoefficients === 0) {
    colorRange = true;
    subsamplingX = 0;
    subsamplingY = 0;
    separateUvDeltaQ = r.flag();
  } else {
    colorRange = r.flag();
    if (seqProfile === 0) {
      subsamplingX = 1;
      subsamplingY = 1;
    } else if (seqProfile === 1) {
      subsamplingX = 0;
      subsamplingY = 0;
    } else if (bitDepth === 12) {
      subsamplingX = r.bit();
      subsamplingY = subsamplingX ? r.bit() : 0;
    } else {
      subsamplingX = 1;
      subsamplingY = 0;
    }
    if (subsamplingX && subsamplingY) chromaSamplePosition = r.bits(2);
    separateUvDeltaQ = r.flag();
  }
  const filmGrainParamsPresent = r.flag();
  const sh: Av1SequenceHeader = {
    seqProfile,
    stillPicture,
    reducedStillPictureHeader,
    operatingPoints,
    maxFrameWidth,
    maxFrameHeight,
    frameIdNumbersPresent,
    use128x128Superblock,
    enableOrderHint,
    orderHintBits,
    enableSuperres,
    bitDepth,
    monoChrome,
    subsamplingX,
    subsamplingY,
    chromaSamplePosition,
    colorDescriptionPresent,
    colorPrimaries,
    transferCharacteristics,
    matrixCoefficients,
    colorRange,
    separateUvDeltaQ,
    filmGrainParamsPresent,
  };
  if (timingInfo) sh.timingInfo = timingInfo;
  return sh;
}

/**
 * Finds and parses the first sequence header OBU in a buffer of OBUs (av1C configOBUs or a sample).
 * Returns undefined when there is none; throws {@link BoxwrightError} on malformed OBUs.
 */
export function findAv1SequenceHeader(obus: Uint8Array, offset = 0, path = 'av1'): Av1SequenceHeader | undefined {
  const sh = splitObus(obus, offset, path).find((o) => o.type === OBU_SEQUENCE_HEADER);
  return sh ? parseAv1SequenceHeader(sh.payload, offset, path) : undefined;
}

/** ffprobe profile names (libavcodec/profiles.c ff_av1_profiles). */
export function av1ProfileName(seqProfile: number): string | undefined {
  return ['Main', 'High', 'Professional'][seqProfile];
}

/** Fields that make up an AV1 codec string; a sequence header provides all of them. */
export type Av1CodecFields = Pick<
  Av1SequenceHeader,
  'seqProfile' | 'bitDepth' | 'monoChrome' | 'subsamplingX' | 'subsamplingY' | 'chromaSamplePosition' | 'colorPrimaries' | 'transferCharacteristics' | 'matrixCoefficients' | 'colorRange'
> & { seqLevelIdx: number; seqTier: number };

/** Codec fields of a parsed sequence header (operating point 0). */
export function av1CodecFields(sh: Av1SequenceHeader): Av1CodecFields {
  const op = sh.operatingPoints[0] ?? { seqLevelIdx: 0, seqTier: 0 };
  return { ...sh, seqLevelIdx: op.seqLevelIdx, seqTier: op.seqTier };
}

/**
 * AV1-ISOBMFF §5 codecs parameter string `av01.P.LLT.DD[.M.CCC.cp.tc.mc.F]`, e.g. 'av01.0.04M.08'.
 * The optional part is appended when it differs from its defaults (0.110.01.01.01.0), or when `full`.
 */
export function av1CodecString(f: Av1CodecFields, full = false): string {
  const two = (v: number): string => String(v).padStart(2, '0');
  const base = `av01.${f.seqProfile}.${two(f.seqLevelIdx)}${f.seqTier ? 'H' : 'M'}.${two(f.bitDepth)}`;
  const opt = `.${f.monoChrome ? 1 : 0}.${f.subsamplingX}${f.subsamplingY}${f.chromaSamplePosition}.${two(f.colorPrimaries)}.${two(f.transferCharacteristics)}.${two(f.matrixCoefficients)}.${f.colorRange ? 1 : 0}`;
  return full || opt !== '.0.110.01.01.01.0' ? base + opt : base;
}
