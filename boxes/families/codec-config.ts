/**
 * Codec configuration boxes found inside sample entries: decoder configuration records (avcC, hvcC, av1C,
 * vpcC, esds, dOps, dac3, dec3, dfLa, pcmC) and the generic visual/audio extras (btrt, pasp, colr, clap, chnl),
 * plus QuickTime's `wave` and the WebVTT configuration boxes.
 */
import type { ByteReader } from '../../src/io/byte-reader.js';
import type { ByteWriter } from '../../src/io/byte-writer.js';
import {
  bitfields, custom, fourcc, i16, i32, list, rest, reserved, u8, u16, u32, when,
  type AnyField, type Field, type FieldContext,
} from '../../src/io/field.js';
import { box, container, customBox, fullBox } from '../define.js';

// ---------------------------------------------------------------- helpers (module-private)

/** A group of bit fields whose names are spread into the enclosing value (spec fields sharing bytes stay flat). */
interface BitGroup {
  readonly bits: Field<Record<string, number>>;
}
type Part = readonly [string, AnyField] | BitGroup;

/**
 * Like `struct`, but bit-field groups contribute their fields to the same object instead of a nested one,
 * so `lengthSizeMinusOne` sits next to `avcLevelIndication` as in the spec's syntax.
 */
function packed<V>(parts: readonly Part[]): Field<V> {
  const minSize = parts.reduce((s, p) => s + ('bits' in p ? p.bits.minSize : p[1].optional ? 0 : p[1].minSize), 0);
  return {
    minSize,
    read(r, c) {
      const out: Record<string, unknown> = {};
      const inner: FieldContext = { ...c, parent: out };
      for (const p of parts) {
        if ('bits' in p) Object.assign(out, p.bits.read(r, inner));
        else {
          const v: unknown = p[1].read(r, inner);
          if (!p[1].hidden && v !== undefined) out[p[0]] = v;
        }
      }
      return out as V;
    },
    write(w, value, c) {
      const v = value as Record<string, unknown>;
      const inner: FieldContext = { ...c, parent: v };
      for (const p of parts) {
        if ('bits' in p) p.bits.write(w, v as Record<string, number>, inner);
        else p[1].write(w, v[p[0]], inner);
      }
    },
    size(value, c) {
      const v = value as Record<string, unknown>;
      const inner: FieldContext = { ...c, parent: v };
      let n = 0;
      for (const p of parts) n += 'bits' in p ? p.bits.minSize : p[1].size(v[p[0]], inner);
      return n;
    },
  };
}

const bits = <N extends string>(n: number, layout: ReadonlyArray<readonly [N, number] | readonly [null, number, number]>): BitGroup => ({
  bits: bitfields(n, layout) as Field<Record<string, number>>,
});

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

/** UTF-8 text filling the rest of the box, no terminator added (WebVTT `boxstring`); a file's NUL stays in the text. */
const restText: Field<string> = {
  minSize: 0,
  read: (r) => new TextDecoder().decode(r.rest()),
  write: (w, v) => w.bytes(new TextEncoder().encode(v)),
  size: (v) => new TextEncoder().encode(v).length,
};

// ---------------------------------------------------------------- AVC / HEVC / AV1 / VP

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

const avccHead = packed<Avcc>([
  ['configurationVersion', u8],
  ['avcProfileIndication', u8],
  ['profileCompatibility', u8],
  ['avcLevelIndication', u8],
  // Reserved bits above each count/size are all ones (§5.3.3.1.1).
  bits(1, [[null, 6, 0x3f], ['lengthSizeMinusOne', 2]]),
  ['sequenceParameterSets', list(lowBitsCount(5), nalUnit16, 'SPS')],
  ['pictureParameterSets', list(u8, nalUnit16, 'PPS')],
]);
const spsExts = list(u8, nalUnit16, 'SPS extensions');

/**
 * Value of an `avcC` box: the record, or `{}` for an empty box (seen in files whose AVC stream is Annex B with
 * parameter sets in band; an empty box is written back empty). Narrow with `'avcProfileIndication' in v`.
 */
export type AvccBox = Avcc | Record<string, never>;
const hasRecord = (v: AvccBox): v is Avcc => 'avcProfileIndication' in v;

/** 14496-15 §5.3.3.1 AVCDecoderConfigurationRecord. Bytes after it (some encoders pad) are kept by the engine as trailing. */
export const avcC = customBox<AvccBox>('avcC', {
  body: custom<AvccBox>({
    minSize: 0,
    read: (r, c) => {
      if (r.remaining === 0) return {};
      const v = avccHead.read(r, c);
      // Many encoders leave the extension out even for high profiles, so it is read only when bytes remain.
      if (!AVC_HIGH_PROFILES.has(v.avcProfileIndication) || r.remaining === 0) return v;
      v.chromaFormat = r.u8() & 3;
      v.bitDepthLumaMinus8 = r.u8() & 7;
      v.bitDepthChromaMinus8 = r.u8() & 7;
      v.sequenceParameterSetExts = spsExts.read(r, c);
      return v;
    },
    write: (w, v, c) => {
      if (!hasRecord(v)) return;
      avccHead.write(w, v, c);
      // The extension is written whole when the value has it, whatever the profile.
      if (v.chromaFormat === undefined) return;
      w.u8(0xfc | (v.chromaFormat & 3));
      w.u8(0xf8 | ((v.bitDepthLumaMinus8 ?? 0) & 7));
      w.u8(0xf8 | ((v.bitDepthChromaMinus8 ?? 0) & 7));
      spsExts.write(w, v.sequenceParameterSetExts ?? [], c);
    },
    size: (v, c) =>
      !hasRecord(v)
        ? 0
        : avccHead.size(v, c) + (v.chromaFormat === undefined ? 0 : 3 + spsExts.size(v.sequenceParameterSetExts ?? [], c)),
  }),
});

/** One array of NAL units of one type in an `hvcC` box. */
export interface HvccArray {
  arrayCompleteness: number;
  nalUnitType: number;
  /** NAL units (views into the input). */
  nalus: Uint8Array[];
}

/** Value of an `hvcC` box (14496-15 §8.3.3.1 HEVCDecoderConfigurationRecord). */
export interface Hvcc {
  configurationVersion: number;
  generalProfileSpace: number;
  generalTierFlag: number;
  generalProfileIdc: number;
  generalProfileCompatibilityFlags: number;
  /** 48 bits, exact as a number. */
  generalConstraintIndicatorFlags: number;
  generalLevelIdc: number;
  minSpatialSegmentationIdc: number;
  parallelismType: number;
  chromaFormatIdc: number;
  bitDepthLumaMinus8: number;
  bitDepthChromaMinus8: number;
  avgFrameRate: number;
  constantFrameRate: number;
  numTemporalLayers: number;
  temporalIdNested: number;
  lengthSizeMinusOne: number;
  arrays: HvccArray[];
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

const hvccArray = packed<HvccArray>([
  // §8.3.3.1.1: the bit after array_completeness is reserved 0.
  bits(1, [['arrayCompleteness', 1], [null, 1, 0], ['nalUnitType', 6]]),
  ['nalus', list(u16, nalUnit16, 'NAL units')],
]);

/** 14496-15 §8.3.3.1 HEVCDecoderConfigurationRecord; reserved bits are ones. */
export const hvcC = customBox<Hvcc>('hvcC', {
  body: packed<Hvcc>([
    ['configurationVersion', u8],
    bits(1, [['generalProfileSpace', 2], ['generalTierFlag', 1], ['generalProfileIdc', 5]]),
    ['generalProfileCompatibilityFlags', u32],
    ['generalConstraintIndicatorFlags', u48],
    ['generalLevelIdc', u8],
    bits(2, [[null, 4, 0xf], ['minSpatialSegmentationIdc', 12]]),
    bits(1, [[null, 6, 0x3f], ['parallelismType', 2]]),
    bits(1, [[null, 6, 0x3f], ['chromaFormatIdc', 2]]),
    bits(1, [[null, 5, 0x1f], ['bitDepthLumaMinus8', 3]]),
    bits(1, [[null, 5, 0x1f], ['bitDepthChromaMinus8', 3]]),
    ['avgFrameRate', u16],
    bits(1, [['constantFrameRate', 2], ['numTemporalLayers', 3], ['temporalIdNested', 1], ['lengthSizeMinusOne', 2]]),
    ['arrays', list(u8, hvccArray, 'NAL unit arrays')],
  ]),
});

/** Value of an `av1C` box (AV1-ISOBMFF §2.3.3 AV1CodecConfigurationRecord; marker and version 1 are implied). */
export interface Av1c {
  seqProfile: number;
  seqLevelIdx0: number;
  seqTier0: number;
  highBitdepth: number;
  twelveBit: number;
  monochrome: number;
  chromaSubsamplingX: number;
  chromaSubsamplingY: number;
  chromaSamplePosition: number;
  /** Present exactly when initial_presentation_delay_present is 1 (the flag is derived). */
  initialPresentationDelayMinusOne?: number;
  /** Sequence header and metadata OBUs (view). */
  configObus: Uint8Array;
}

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

/** AV1-ISOBMFF §2.3.3. The first byte is marker 1 + version 1 (0x81): the only version defined. */
export const av1C = customBox<Av1c>('av1C', {
  body: packed<Av1c>([
    ['marker', reserved(u8, 0x81)],
    bits(1, [['seqProfile', 3], ['seqLevelIdx0', 5]]),
    bits(1, [
      ['seqTier0', 1], ['highBitdepth', 1], ['twelveBit', 1], ['monochrome', 1],
      ['chromaSubsamplingX', 1], ['chromaSubsamplingY', 1], ['chromaSamplePosition', 2],
    ]),
    ['initialPresentationDelayMinusOne', presentationDelay],
    ['configObus', rest],
  ]),
});

/** Value of a `vpcC` box (VP Codec ISO Media File Format Binding §2.2 VPCodecConfigurationRecord, version 1). */
export interface Vpcc {
  profile: number;
  level: number;
  bitDepth: number;
  chromaSubsampling: number;
  videoFullRangeFlag: number;
  colourPrimaries: number;
  transferCharacteristics: number;
  matrixCoefficients: number;
  codecInitializationData: Uint8Array;
}

/** VP codec binding §2.2 VPCodecConfigurationBox. Version 0 (an older draft layout) stays opaque. */
export const vpcC = customBox<Vpcc>('vpcC', {
  full: true,
  versions: [1],
  version: () => 1,
  body: packed<Vpcc>([
    ['profile', u8],
    ['level', u8],
    bits(1, [['bitDepth', 4], ['chromaSubsampling', 3], ['videoFullRangeFlag', 1]]),
    ['colourPrimaries', u8],
    ['transferCharacteristics', u8],
    ['matrixCoefficients', u8],
    // codecIntializationDataSize (sic in the spec) is derived from the bytes.
    ['codecInitializationData', nalUnit16],
  ]),
});

// ---------------------------------------------------------------- esds (MPEG-4 descriptors)

/** A descriptor kept as bytes (tags this module does not decode). */
export interface RawDescriptor {
  tag: number;
  data: Uint8Array;
}

/** 14496-1 §7.2.6.6 DecoderConfigDescriptor (tag 4). */
export interface DecoderConfigDescriptor {
  objectTypeIndication: number;
  streamType: number;
  upStream: number;
  bufferSizeDB: number;
  maxBitrate: number;
  avgBitrate: number;
  /** DecoderSpecificInfo (tag 5), e.g. the AudioSpecificConfig of AAC. */
  decoderSpecificInfo?: Uint8Array;
  /** Other descriptors after the DecoderSpecificInfo (profileLevelIndicationIndex …), in file order. */
  otherDescriptors?: RawDescriptor[];
}

/** 14496-1 §7.3.2.3 SLConfigDescriptor (tag 6). MP4 files use predefined = 2 (no further fields). */
export interface SlConfigDescriptor {
  predefined: number;
  /** The custom fields when predefined is 0, as bytes. */
  data?: Uint8Array;
}

/** 14496-1 §7.2.6.5 ES_Descriptor (tag 3). The flag bits are derived from the optional fields. */
export interface EsDescriptor {
  esId: number;
  streamPriority: number;
  dependsOnEsId?: number;
  url?: string;
  ocrEsId?: number;
  decoderConfig?: DecoderConfigDescriptor;
  slConfig?: SlConfigDescriptor;
  /** Descriptors after the SLConfigDescriptor, in file order. */
  otherDescriptors?: RawDescriptor[];
}

/** Value of an `esds` box (14496-14 §6.7.2 ESDBox). */
export interface Esds {
  esDescriptor: EsDescriptor;
  /**
   * Width in bytes of every descriptor length field, when the file pads them (ffmpeg writes `80 80 80 nn`);
   * absent means the shortest form. A hint for byte-exact rewrites only.
   */
  lengthFieldSize?: number;
}

/** Shortest expandable-size encoding of `n` (14496-1 §8.3.3: 7 bits per byte, high bit = more). */
function minLengthBytes(n: number): number {
  return n < 0x80 ? 1 : n < 0x4000 ? 2 : n < 0x20_0000 ? 3 : 4;
}

/** Reads one descriptor header; returns the tag, a reader over its body and the width of its length field. */
function readDescriptorHeader(r: ByteReader): { tag: number; body: ByteReader; width: number } {
  const tag = r.u8();
  let len = 0;
  let width = 0;
  for (;;) {
    const b = r.u8();
    width++;
    len = len * 128 + (b & 0x7f);
    if (!(b & 0x80)) break;
    if (width === 4) r.fail('BAD_VALUE', `descriptor tag ${tag} length field longer than 4 bytes`);
  }
  return { tag, body: r.child(len, `descriptor ${tag}`), width };
}

function writeDescriptorHeader(w: ByteWriter, tag: number, len: number, hint: number | undefined): void {
  const width = Math.max(minLengthBytes(len), hint ?? 1);
  w.u8(tag);
  for (let i = width - 1; i >= 0; i--) w.u8(((len >>> (7 * i)) & 0x7f) | (i > 0 ? 0x80 : 0));
}

const headerSize = (len: number, hint: number | undefined): number => 1 + Math.max(minLengthBytes(len), hint ?? 1);

/** Collects the widths of all length fields read, to set the hint only when the file did not use the shortest form. */
interface WidthLog {
  widths: number[];
  padded: boolean;
}

function logWidth(log: WidthLog, width: number, len: number): void {
  log.widths.push(width);
  if (width !== minLengthBytes(len)) log.padded = true;
}

function readRawDescriptors(r: ByteReader, log: WidthLog): RawDescriptor[] {
  const out: RawDescriptor[] = [];
  while (r.remaining > 0) {
    const d = readDescriptorHeader(r);
    logWidth(log, d.width, d.body.remaining);
    out.push({ tag: d.tag, data: d.body.rest() });
  }
  return out;
}

function readDecoderConfig(r: ByteReader, log: WidthLog): DecoderConfigDescriptor {
  const objectTypeIndication = r.u8();
  const b = r.u8();
  const out: DecoderConfigDescriptor = {
    objectTypeIndication,
    streamType: b >> 2,
    upStream: (b >> 1) & 1,
    bufferSizeDB: r.u24(),
    maxBitrate: r.u32(),
    avgBitrate: r.u32(),
  };
  if (r.remaining > 0 && r.data[r.pos] === 5) {
    const d = readDescriptorHeader(r);
    logWidth(log, d.width, d.body.remaining);
    out.decoderSpecificInfo = d.body.rest();
  }
  const others = readRawDescriptors(r, log);
  if (others.length) out.otherDescriptors = others;
  return out;
}

function readEsDescriptor(r: ByteReader, log: WidthLog): EsDescriptor {
  const esId = r.u16();
  const b = r.u8();
  const out: EsDescriptor = { esId, streamPriority: b & 0x1f };
  if (b & 0x80) out.dependsOnEsId = r.u16();
  if (b & 0x40) out.url = new TextDecoder().decode(r.bytes(r.u8(), 'URL'));
  if (b & 0x20) out.ocrEsId = r.u16();
  if (r.remaining > 0 && r.data[r.pos] === 4) {
    const d = readDescriptorHeader(r);
    logWidth(log, d.width, d.body.remaining);
    out.decoderConfig = readDecoderConfig(d.body, log);
  }
  if (r.remaining > 0 && r.data[r.pos] === 6) {
    const d = readDescriptorHeader(r);
    logWidth(log, d.width, d.body.remaining);
    const predefined = d.body.u8();
    out.slConfig = d.body.remaining > 0 ? { predefined, data: d.body.rest() } : { predefined };
  }
  const others = readRawDescriptors(r, log);
  if (others.length) out.otherDescriptors = others;
  return out;
}

const rawDescriptorsSize = (ds: RawDescriptor[] | undefined, hint: number | undefined): number =>
  (ds ?? []).reduce((s, d) => s + headerSize(d.data.length, hint) + d.data.length, 0);

function decoderConfigBodySize(d: DecoderConfigDescriptor, hint: number | undefined): number {
  const dsi = d.decoderSpecificInfo;
  return 13 + (dsi ? headerSize(dsi.length, hint) + dsi.length : 0) + rawDescriptorsSize(d.otherDescriptors, hint);
}

function esBodySize(e: EsDescriptor, hint: number | undefined): number {
  let n = 3;
  if (e.dependsOnEsId !== undefined) n += 2;
  if (e.url !== undefined) n += 1 + new TextEncoder().encode(e.url).length;
  if (e.ocrEsId !== undefined) n += 2;
  if (e.decoderConfig) {
    const len = decoderConfigBodySize(e.decoderConfig, hint);
    n += headerSize(len, hint) + len;
  }
  if (e.slConfig) {
    const len = 1 + (e.slConfig.data?.length ?? 0);
    n += headerSize(len, hint) + len;
  }
  return n + rawDescriptorsSize(e.otherDescriptors, hint);
}

function writeRawDescriptors(w: ByteWriter, ds: RawDescriptor[] | undefined, hint: number | undefined): void {
  for (const d of ds ?? []) {
    writeDescriptorHeader(w, d.tag, d.data.length, hint);
    w.bytes(d.data);
  }
}

function writeEsDescriptor(w: ByteWriter, e: EsDescriptor, hint: number | undefined): void {
  writeDescriptorHeader(w, 3, esBodySize(e, hint), hint);
  w.u16(e.esId);
  // §7.2.6.5.1: streamDependenceFlag, URL_Flag, OCRstreamFlag, streamPriority (5 bits).
  w.u8((e.dependsOnEsId !== undefined ? 0x80 : 0) | (e.url !== undefined ? 0x40 : 0) | (e.ocrEsId !== undefined ? 0x20 : 0) | (e.streamPriority & 0x1f));
  if (e.dependsOnEsId !== undefined) w.u16(e.dependsOnEsId);
  if (e.url !== undefined) {
    const url = new TextEncoder().encode(e.url);
    w.u8(url.length);
    w.bytes(url);
  }
  if (e.ocrEsId !== undefined) w.u16(e.ocrEsId);
  const d = e.decoderConfig;
  if (d) {
    writeDescriptorHeader(w, 4, decoderConfigBodySize(d, hint), hint);
    w.u8(d.objectTypeIndication);
    // §7.2.6.6.1: streamType (6 bits), upStream (1 bit), reserved 1 bit = 1.
    w.u8(((d.streamType & 0x3f) << 2) | ((d.upStream & 1) << 1) | 1);
    w.u24(d.bufferSizeDB);
    w.u32(d.maxBitrate);
    w.u32(d.avgBitrate);
    if (d.decoderSpecificInfo) {
      writeDescriptorHeader(w, 5, d.decoderSpecificInfo.length, hint);
      w.bytes(d.decoderSpecificInfo);
    }
    writeRawDescriptors(w, d.otherDescriptors, hint);
  }
  if (e.slConfig) {
    writeDescriptorHeader(w, 6, 1 + (e.slConfig.data?.length ?? 0), hint);
    w.u8(e.slConfig.predefined);
    if (e.slConfig.data) w.bytes(e.slConfig.data);
  }
  writeRawDescriptors(w, e.otherDescriptors, hint);
}

/** 14496-14 §6.7.2 ESDBox: one ES_Descriptor (14496-1 §7.2.6.5). Bytes after it are kept by the engine. */
export const esds = customBox<Esds>('esds', {
  full: true,
  body: custom<Esds>({
    minSize: 5,
    read: (r) => {
      const log: WidthLog = { widths: [], padded: false };
      const d = readDescriptorHeader(r);
      if (d.tag !== 3) r.fail('BAD_VALUE', `esds holds descriptor tag ${d.tag}, expected an ES_Descriptor (3)`);
      logWidth(log, d.width, d.body.remaining);
      const esDescriptor = readEsDescriptor(d.body, log);
      // One hint for all length fields: the file's width when it padded them (ffmpeg: 4 everywhere).
      // A file mixing padded widths re-encodes differently and is kept verbatim by the engine.
      return log.padded ? { esDescriptor, lengthFieldSize: Math.max(...log.widths) } : { esDescriptor };
    },
    write: (w, v) => writeEsDescriptor(w, v.esDescriptor, v.lengthFieldSize),
    size: (v) => {
      const len = esBodySize(v.esDescriptor, v.lengthFieldSize);
      return headerSize(len, v.lengthFieldSize) + len;
    },
  }),
});

// ---------------------------------------------------------------- audio configs

/** Opus in ISO-BMFF §4.3.2 OpusSpecificBox (Version 0 is the only one defined). */
export const dOps = box('dOps', {
  fields: {
    version: reserved(u8, 0),
    outputChannelCount: u8,
    preSkip: u16,
    inputSampleRate: u32,
    outputGain: i16,
    channelMappingFamily: u8,
    streamCount: when((c) => c.parent.channelMappingFamily !== 0, u8),
    coupledCount: when((c) => c.parent.channelMappingFamily !== 0, u8),
    // One byte per output channel (§4.3.2): its length is outputChannelCount, read before.
    channelMapping: when(
      (c) => c.parent.channelMappingFamily !== 0,
      custom<Uint8Array>({
        minSize: 0,
        read: (r, c) => r.bytes(c.parent.outputChannelCount as number, 'channel mapping'),
        write: (w, v) => w.bytes(v),
        size: (v) => v.length,
      }),
    ),
  },
});

/** ETSI TS 102 366 Annex F.4 AC3SpecificBox. */
export const dac3 = customBox('dac3', {
  body: bitfields(3, [['fscod', 2], ['bsid', 5], ['bsmod', 3], ['acmod', 3], ['lfeon', 1], ['bitRateCode', 5], [null, 5, 0]]),
});

/** One independent substream of a `dec3` box. */
export interface Ec3Substream {
  fscod: number;
  bsid: number;
  asvc: number;
  bsmod: number;
  acmod: number;
  lfeon: number;
  numDepSub: number;
  /** Present when numDepSub > 0. */
  chanLoc?: number;
}

/** Value of a `dec3` box. */
export interface Dec3 {
  dataRate: number;
  /** num_ind_sub + 1 substreams (the count is derived). */
  independentSubstreams: Ec3Substream[];
}

/** ETSI TS 102 366 Annex F.6 EC3SpecificBox. Extension bytes after the substreams (e.g. JOC) are kept as trailing. */
export const dec3 = customBox<Dec3>('dec3', {
  body: custom<Dec3>({
    minSize: 5,
    read: (r) => {
      const head = r.u16();
      const n = (head & 7) + 1;
      r.require(n * 3, `${n} E-AC-3 substreams`);
      const independentSubstreams: Ec3Substream[] = [];
      for (let i = 0; i < n; i++) {
        const a = r.u16();
        const b = r.u8();
        const s: Ec3Substream = {
          fscod: a >> 14,
          bsid: (a >> 9) & 0x1f,
          // bit 8: reserved
          asvc: (a >> 7) & 1,
          bsmod: (a >> 4) & 7,
          acmod: (a >> 1) & 7,
          lfeon: a & 1,
          // b: reserved 3 bits, num_dep_sub 4 bits, then chan_loc's top bit or 1 reserved bit
          numDepSub: (b >> 1) & 0xf,
        };
        if (s.numDepSub > 0) s.chanLoc = ((b & 1) << 8) | r.u8();
        independentSubstreams.push(s);
      }
      return { dataRate: head >> 3, independentSubstreams };
    },
    write: (w, v) => {
      w.u16(((v.dataRate & 0x1fff) << 3) | ((v.independentSubstreams.length - 1) & 7));
      for (const s of v.independentSubstreams) {
        w.u16(((s.fscod & 3) << 14) | ((s.bsid & 0x1f) << 9) | ((s.asvc & 1) << 7) | ((s.bsmod & 7) << 4) | ((s.acmod & 7) << 1) | (s.lfeon & 1));
        const loc = s.numDepSub > 0 ? (s.chanLoc ?? 0) : 0;
        w.u8(((s.numDepSub & 0xf) << 1) | (loc >> 8));
        if (s.numDepSub > 0) w.u8(loc & 0xff);
      }
    },
    size: (v) => 2 + v.independentSubstreams.reduce((n, s) => n + (s.numDepSub > 0 ? 4 : 3), 0),
  }),
});

/** One FLAC metadata block in a `dfLa` box. */
export interface FlacMetadataBlock {
  blockType: number;
  data: Uint8Array;
}

/** FLAC in ISO-BMFF §3.3.2 FLACSpecificBox: metadata blocks; the last-metadata-block flag is derived (set on the last). */
export const dfLa = customBox<{ blocks: FlacMetadataBlock[] }>('dfLa', {
  full: true,
  body: custom<{ blocks: FlacMetadataBlock[] }>({
    minSize: 0,
    read: (r) => {
      const blocks: FlacMetadataBlock[] = [];
      while (r.remaining > 0) {
        const h = r.u8();
        blocks.push({ blockType: h & 0x7f, data: r.bytes(r.u24(), 'FLAC metadata block') });
        // Bytes after the block flagged last are not blocks: the engine keeps them as trailing.
        if (h & 0x80) break;
      }
      return { blocks };
    },
    write: (w, v) => {
      v.blocks.forEach((b, i) => {
        w.u8((i === v.blocks.length - 1 ? 0x80 : 0) | (b.blockType & 0x7f));
        w.u24(b.data.length);
        w.bytes(b.data);
      });
    },
    size: (v) => v.blocks.reduce((n, b) => n + 4 + b.data.length, 0),
  }),
});

/** 23003-5 §5.2 PCMConfigurationBox: format_flags bit 0 = little-endian samples. */
export const pcmC = fullBox('pcmC', { fields: { formatFlags: u8, pcmSampleSize: u8 } });

/** Value of a `chnl` box (version 0). The stream_structure bits are derived from the fields present. */
export interface Chnl {
  /** Present when the stream is channel-structured (stream_structure bit 1). */
  definedLayout?: number;
  /** definedLayout 0: the speaker_position entries (their count is the sample entry's channel count), as bytes. */
  speakerPositions?: Uint8Array;
  /** definedLayout ≠ 0: 64-bit omitted_channels_map, as 8 bytes (it may exceed 2^53). */
  omittedChannelsMap?: Uint8Array;
  /** Present when the stream is object-structured (stream_structure bit 2). */
  objectCount?: number;
}

/** 14496-12 §12.2.4 ChannelLayoutBox, version 0 (later versions stay opaque). */
export const chnl = customBox<Chnl>('chnl', {
  full: true,
  body: custom<Chnl>({
    minSize: 1,
    read: (r) => {
      const structure = r.u8();
      if (structure & ~3) r.fail('BAD_VALUE', `chnl stream_structure ${structure} has unknown bits`);
      const out: Chnl = {};
      if (structure & 1) {
        out.definedLayout = r.u8();
        // The positions run to the end, except the object_count byte that follows when object-structured.
        if (out.definedLayout === 0) out.speakerPositions = r.bytes(Math.max(0, r.remaining - (structure & 2 ? 1 : 0)), 'speaker positions');
        else out.omittedChannelsMap = r.bytes(8, 'omitted channels map');
      }
      if (structure & 2) out.objectCount = r.u8();
      return out;
    },
    write: (w, v) => {
      w.u8((v.definedLayout !== undefined ? 1 : 0) | (v.objectCount !== undefined ? 2 : 0));
      if (v.definedLayout !== undefined) {
        w.u8(v.definedLayout);
        if (v.definedLayout === 0) w.bytes(v.speakerPositions ?? new Uint8Array(0));
        else if (v.omittedChannelsMap?.length === 8) w.bytes(v.omittedChannelsMap);
        else w.zeros(8);
      }
      if (v.objectCount !== undefined) w.u8(v.objectCount);
    },
    size: (v) =>
      1 + (v.definedLayout === undefined ? 0 : 1 + (v.definedLayout === 0 ? (v.speakerPositions?.length ?? 0) : 8)) + (v.objectCount === undefined ? 0 : 1),
  }),
});

/**
 * QuickTime SoundDescription extension atom list (QTFF "siDecompressionParam"). Its `frma` and `esds` children
 * resolve as usual; its `mp4a` child is a 4-byte QuickTime atom, not a sample entry, so it stays opaque
 * (as do `enda` and the 8-byte zero terminator, which the registry does not know).
 */
export const wave = container('wave', { resolveChild: (type) => (type === 'mp4a' ? null : undefined) });

// ---------------------------------------------------------------- visual extras

/** 14496-12 §8.5.2.2 BitRateBox. */
export const btrt = box('btrt', { fields: { bufferSizeDB: u32, maxBitrate: u32, avgBitrate: u32 } });

/** 14496-12 §12.1.4 PixelAspectRatioBox. */
export const pasp = box('pasp', { fields: { hSpacing: u32, vSpacing: u32 } });

/** 14496-12 §12.1.4 CleanApertureBox; offsets are signed (QTFF 'clap'). */
export const clap = box('clap', {
  fields: {
    cleanApertureWidthN: u32,
    cleanApertureWidthD: u32,
    cleanApertureHeightN: u32,
    cleanApertureHeightD: u32,
    horizOffN: i32,
    horizOffD: u32,
    vertOffN: i32,
    vertOffD: u32,
  },
});

/** Value of a `colr` box: which fields are present depends on colourType. */
export interface Colr {
  colourType: string;
  /** 'nclx' and QuickTime 'nclc'. */
  colourPrimaries?: number;
  transferCharacteristics?: number;
  matrixCoefficients?: number;
  /** 'nclx' only (1 bit, then 7 reserved zero bits). */
  fullRangeFlag?: number;
  /** 'prof' / 'rICC': the ICC profile. */
  iccProfile?: Uint8Array;
  /** Any other colour type: its payload. */
  data?: Uint8Array;
}

/** 14496-12 §12.1.5 ColourInformationBox (and QuickTime 'nclc'). */
export const colr = customBox<Colr>('colr', {
  body: custom<Colr>({
    minSize: 4,
    read: (r, c) => {
      const colourType = fourcc.read(r, c);
      if (colourType === 'nclx' || colourType === 'nclc') {
        const out: Colr = { colourType, colourPrimaries: r.u16(), transferCharacteristics: r.u16(), matrixCoefficients: r.u16() };
        // Some writers leave out nclx's last byte; reading it only when present keeps those files canonical.
        if (colourType === 'nclx' && r.remaining > 0) out.fullRangeFlag = r.u8() >> 7;
        return out;
      }
      if (colourType === 'prof' || colourType === 'rICC') return { colourType, iccProfile: r.rest() };
      return { colourType, data: r.rest() };
    },
    write: (w, v, c) => {
      fourcc.write(w, v.colourType, c);
      if (v.colourType === 'nclx' || v.colourType === 'nclc') {
        w.u16(v.colourPrimaries ?? 2);
        w.u16(v.transferCharacteristics ?? 2);
        w.u16(v.matrixCoefficients ?? 2);
        if (v.fullRangeFlag !== undefined) w.u8((v.fullRangeFlag & 1) << 7);
      } else w.bytes(v.iccProfile ?? v.data ?? new Uint8Array(0));
    },
    size: (v) =>
      4 + (v.colourType === 'nclx' || v.colourType === 'nclc' ? 6 + (v.fullRangeFlag !== undefined ? 1 : 0) : (v.iccProfile ?? v.data)?.length ?? 0),
  }),
});

// ---------------------------------------------------------------- WebVTT

/** 14496-30 §7.5 WebVTTConfigurationBox: the WebVTT file header text. */
export const vttC = box('vttC', { fields: { config: restText } });

/** 14496-30 §7.6 WebVTTSourceLabelBox. */
export const vlab = box('vlab', { fields: { sourceLabel: restText } });
