/**
 * `esds` (14496-14 §6.7.2): the MPEG-4 ES_Descriptor of an `mp4a`/`mp4v` sample entry, with its
 * DecoderConfigDescriptor (AAC's AudioSpecificConfig as DecoderSpecificInfo) and SLConfigDescriptor.
 * The descriptors' expandable length fields (14496-1 §8.3.3) are read and written here and nowhere else.
 */
import type { ByteReader } from '../../src/io/byte-reader.js';
import type { ByteWriter } from '../../src/io/byte-writer.js';
import { custom } from '../../src/io/field.js';
import { customBox } from '../define.js';

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
export const esds = customBox('esds', {
  full: true,
  keys: { required: ['esDescriptor'], optional: ['lengthFieldSize'] },
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
