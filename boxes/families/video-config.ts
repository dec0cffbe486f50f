/**
 * Video decoder configuration records, children of visual sample entries: `avcC` (H.264), `hvcC` (HEVC),
 * `av1C` (AV1) and `vpcC` (VP8/VP9). Spec fields that share bytes are spread bit groups, so the value is flat
 * as in the spec's syntax (`lengthSizeMinusOne` next to `avcLevelIndication`).
 */
import {
  bits, checkShape, custom, list, rest, reserved, shapeOf, struct, u8, u16, u32, type Field,
} from '../../src/io/field.js';
import { box, customBox, fullBox, type ValueOf } from '../define.js';

/** A count in the low bits of a byte whose high bits are reserved ones (avcC numOfSequenceParameterSets). */
function lowBitsCount(width: number): Field<number> {
  const mask = (1 << width) - 1;
  return { minSize: 1, read: (r) => r.u8() & mask, write: (w, v) => w.u8((0xff & ~mask) | (v & mask)), size: () => 1 };
}

/** Bytes with a u16 length prefix (NAL units, vpcC initialization data), as a zero-copy view. */
const nalUnit16: Field<Uint8Array> = {
  minSize: 2,
  read: (r) => r.bytes(r.u16(), 'length-prefixed bytes'),
  write: (w, v) => {
    w.u16(v.length);
    w.bytes(v);
  },
  size: (v) => 2 + v.length,
};

// ---------------------------------------------------------------- avcC

/** Value of an `avcC` box (14496-15 §5.3.3.1 AVCDecoderConfigurationRecord). */
export interface Avcc {
  configurationVersion: number;
  avcProfileIndication: number;
  profileCompatibility: number;
  avcLevelIndication: number;
  lengthSizeMinusOne: number;
  /** SPS NAL units (views into the input). */
  sequenceParameterSets: Uint8Array[];
  pictureParameterSets: Uint8Array[];
  /** High-profile extension (profiles 100/110/122/144), present only when the file carries it; its presence writes the whole extension. */
  chromaFormat?: number;
  bitDepthLumaMinus8?: number;
  bitDepthChromaMinus8?: number;
  sequenceParameterSetExts?: Uint8Array[];
}

/** Profiles whose record may carry the chroma/bit-depth extension (§5.3.3.1.2). */
const AVC_HIGH_PROFILES = new Set([100, 110, 122, 144]);

const avccHeadFields = {
  configurationVersion: u8,
  avcProfileIndication: u8,
  profileCompatibility: u8,
  avcLevelIndication: u8,
  // Reserved bits above each count/size are all ones (§5.3.3.1.1).
  lengthSize: bits(1, [[null, 6, 0x3f], ['lengthSizeMinusOne', 2]]),
  sequenceParameterSets: list(lowBitsCount(5), nalUnit16, 'SPS'),
  pictureParameterSets: list(u8, nalUnit16, 'PPS'),
};
const avccHead = struct(avccHeadFields);
const avccExtFields = {
  chroma: bits(1, [[null, 6, 0x3f], ['chromaFormat', 2]]),
  luma: bits(1, [[null, 5, 0x1f], ['bitDepthLumaMinus8', 3]]),
  chromaDepth: bits(1, [[null, 5, 0x1f], ['bitDepthChromaMinus8', 3]]),
  sequenceParameterSetExts: list(u8, nalUnit16, 'SPS extensions'),
};
const avccExt = struct(avccExtFields);
const AVCC_SHAPE = (() => {
  const head = shapeOf(avccHeadFields);
  return { required: head.required, allowed: new Set([...head.allowed, ...shapeOf(avccExtFields).allowed]) };
})();

/**
 * Value of an `avcC` box: the record, or `{}` for an empty box (seen in files whose AVC stream is Annex B with
 * parameter sets in band; an empty box is written back empty). Narrow with {@link hasAvcRecord}.
 */
export type AvccBox = Avcc | Record<string, never>;
/** True when an `avcC` value holds a record (not the empty box). */
export const hasAvcRecord = (v: AvccBox): v is Avcc => 'avcProfileIndication' in v;

/** 14496-15 §5.3.3.1 AVCDecoderConfigurationRecord. Bytes after it (some encoders pad) are kept by the engine as trailing. */
export const avcC = customBox('avcC', {
  body: custom<AvccBox>({
    minSize: 0,
    read: (r, c) => {
      if (r.remaining === 0) return {};
      const v: Avcc = avccHead.read(r, c);
      // Many encoders leave the extension out even for high profiles, so it is read only when bytes remain.
      if (!AVC_HIGH_PROFILES.has(v.avcProfileIndication) || r.remaining === 0) return v;
      return Object.assign(v, avccExt.read(r, c));
    },
    write: (w, v, c) => {
      if (!hasAvcRecord(v)) return;
      avccHead.write(w, v, c);
      // The extension is written whole when the value has it, whatever the profile.
      if (v.chromaFormat !== undefined) avccExt.write(w, extOf(v), c);
    },
    size: (v, c) => (!hasAvcRecord(v) ? 0 : avccHead.size(v, c) + (v.chromaFormat === undefined ? 0 : avccExt.size(extOf(v), c))),
    check: (v, where) => {
      if (Object.keys(v).length > 0) checkShape(v, AVCC_SHAPE, where);
    },
  }),
});

function extOf(v: Avcc): { chromaFormat: number; bitDepthLumaMinus8: number; bitDepthChromaMinus8: number; sequenceParameterSetExts: Uint8Array[] } {
  return {
    chromaFormat: v.chromaFormat ?? 0,
    bitDepthLumaMinus8: v.bitDepthLumaMinus8 ?? 0,
    bitDepthChromaMinus8: v.bitDepthChromaMinus8 ?? 0,
    sequenceParameterSetExts: v.sequenceParameterSetExts ?? [],
  };
}

// ---------------------------------------------------------------- hvcC

/** One array of NAL units of one type in an `hvcC` box. */
export interface HvccArray {
  arrayCompleteness: number;
  nalUnitType: number;
  /** NAL units (views into the input). */
  nalus: Uint8Array[];
}

const u48: Field<number> = {
  minSize: 6,
  read: (r) => r.u16() * 0x1_0000_0000 + r.u32(),
  write: (w, v) => {
    w.u16(Math.floor(v / 0x1_0000_0000));
    w.u32(v >>> 0);
  },
  size: () => 6,
};

const hvccArray: Field<HvccArray> = struct({
  // §8.3.3.1.1: the bit after array_completeness is reserved 0.
  head: bits(1, [['arrayCompleteness', 1], [null, 1, 0], ['nalUnitType', 6]]),
  nalus: list(u16, nalUnit16, 'NAL units'),
});

/** 14496-15 §8.3.3.1 HEVCDecoderConfigurationRecord; reserved bits are ones. */
export const hvcC = box('hvcC', {
  fields: {
    configurationVersion: u8,
    profile: bits(1, [['generalProfileSpace', 2], ['generalTierFlag', 1], ['generalProfileIdc', 5]]),
    generalProfileCompatibilityFlags: u32,
    /** 48 bits, exact as a number. */
    generalConstraintIndicatorFlags: u48,
    generalLevelIdc: u8,
    segmentation: bits(2, [[null, 4, 0xf], ['minSpatialSegmentationIdc', 12]]),
    parallelism: bits(1, [[null, 6, 0x3f], ['parallelismType', 2]]),
    chroma: bits(1, [[null, 6, 0x3f], ['chromaFormatIdc', 2]]),
    luma: bits(1, [[null, 5, 0x1f], ['bitDepthLumaMinus8', 3]]),
    chromaDepth: bits(1, [[null, 5, 0x1f], ['bitDepthChromaMinus8', 3]]),
    avgFrameRate: u16,
    temporal: bits(1, [['constantFrameRate', 2], ['numTemporalLayers', 3], ['temporalIdNested', 1], ['lengthSizeMinusOne', 2]]),
    arrays: list(u8, hvccArray, 'NAL unit arrays'),
  },
});

/** Value of an `hvcC` box (14496-15 §8.3.3.1 HEVCDecoderConfigurationRecord). */
export type Hvcc = ValueOf<typeof hvcC>;

// ---------------------------------------------------------------- av1C

/** initial_presentation_delay_present (1 bit) + minus_one or 4 reserved zero bits, after 3 reserved zero bits. */
const presentationDelay: Field<number | undefined> & { optional: true } = {
  minSize: 1,
  optional: true,
  read: (r) => {
    const b = r.u8();
    return b & 0x10 ? b & 0xf : undefined;
  },
  write: (w, v) => w.u8(v === undefined ? 0 : 0x10 | (v & 0xf)),
  size: () => 1,
};

/** AV1-ISOBMFF §2.3.3 AV1CodecConfigurationRecord. The first byte is marker 1 + version 1 (0x81): the only version defined. */
export const av1C = box('av1C', {
  fields: {
    marker: reserved(u8, 0x81),
    profile: bits(1, [['seqProfile', 3], ['seqLevelIdx0', 5]]),
    format: bits(1, [
      ['seqTier0', 1], ['highBitdepth', 1], ['twelveBit', 1], ['monochrome', 1],
      ['chromaSubsamplingX', 1], ['chromaSubsamplingY', 1], ['chromaSamplePosition', 2],
    ]),
    /** Present exactly when initial_presentation_delay_present is 1 (the flag is derived). */
    initialPresentationDelayMinusOne: presentationDelay,
    /** Sequence header and metadata OBUs (view). */
    configObus: rest,
  },
});

/** Value of an `av1C` box (marker and version 1 are implied). */
export type Av1c = ValueOf<typeof av1C>;

// ---------------------------------------------------------------- vpcC

/** VP codec binding §2.2 VPCodecConfigurationBox, version 1. Version 0 (an older draft layout) stays opaque. */
export const vpcC = fullBox('vpcC', {
  versions: [1],
  version: () => 1,
  fields: {
    profile: u8,
    level: u8,
    format: bits(1, [['bitDepth', 4], ['chromaSubsampling', 3], ['videoFullRangeFlag', 1]]),
    colourPrimaries: u8,
    transferCharacteristics: u8,
    matrixCoefficients: u8,
    // codecIntializationDataSize (sic in the spec) is derived from the bytes.
    codecInitializationData: nalUnit16,
  },
});

/** Value of a `vpcC` box (VPCodecConfigurationRecord, version 1). */
export type Vpcc = ValueOf<typeof vpcC>;
