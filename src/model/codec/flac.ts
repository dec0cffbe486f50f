/**
 * FLAC: metadata blocks (FLAC format §METADATA_BLOCK), STREAMINFO, from a `dfLa` box
 * (FLAC in ISOBMFF §3.3.2) or a native 'fLaC' stream. Channel layouts follow ffmpeg 5.1 (flac.c).
 */
import type { DfLa } from '../../../boxes/families/audio-config.js';
import { BitReader } from '../../io/bit-reader.js';
import { BoxwrightError } from '../../io/errors.js';
import { CH, channelLayoutName } from './channel-layout.js';

/** STREAMINFO fields. */
export interface FlacStreamInfo {
  minBlockSize: number;
  maxBlockSize: number;
  minFrameSize: number;
  maxFrameSize: number;
  sampleRate: number;
  channels: number;
  bitsPerSample: number;
  /** 36-bit total samples per channel; 0 = unknown. */
  totalSamples: number;
  md5: Uint8Array;
  /** ffprobe channel_layout for the channel count. */
  channelLayout: string | undefined;
}

/** A metadata block header + body view. */
export interface FlacMetadataBlock {
  last: boolean;
  type: number;
  data: Uint8Array;
}

const { FL, FR, FC, LFE, BL, BR, BC, SL, SR } = CH;
/** ffmpeg flac.c flac_channel_layouts (channels − 1). */
const FLAC_LAYOUTS: readonly number[] = [
  FC,
  FL + FR,
  FL + FR + FC,
  FL + FR + BL + BR,
  FL + FR + FC + SL + SR,
  FL + FR + FC + LFE + SL + SR,
  FL + FR + FC + LFE + BC + SL + SR,
  FL + FR + FC + LFE + BL + BR + SL + SR,
];

/** Splits metadata blocks starting at `start` until the last-block flag (or the end of the data). */
export function readFlacMetadataBlocks(bytes: Uint8Array, start = 0, offset = 0, path = 'dfLa'): FlacMetadataBlock[] {
  const out: FlacMetadataBlock[] = [];
  let p = start;
  while (p < bytes.length) {
    if (p + 4 > bytes.length) throw new BoxwrightError('TRUNCATED', 'metadata block header needs 4 bytes', offset + p, path);
    const last = (bytes[p]! & 0x80) !== 0;
    const type = bytes[p]! & 0x7f;
    const len = (bytes[p + 1]! << 16) | (bytes[p + 2]! << 8) | bytes[p + 3]!;
    if (p + 4 + len > bytes.length) throw new BoxwrightError('TRUNCATED', `metadata block of ${len} bytes but ${bytes.length - p - 4} remain`, offset + p, path);
    out.push({ last, type, data: bytes.subarray(p + 4, p + 4 + len) });
    p += 4 + len;
    if (last) break;
  }
  return out;
}

/** Parses a 34-byte STREAMINFO block body. */
export function parseFlacStreamInfo(body: Uint8Array, offset = 0, path = 'STREAMINFO'): FlacStreamInfo {
  if (body.length < 34) throw new BoxwrightError('TRUNCATED', `STREAMINFO needs 34 bytes but ${body.length} remain`, offset, path);
  const r = new BitReader(body, offset, path);
  const minBlockSize = r.bits(16);
  const maxBlockSize = r.bits(16);
  const minFrameSize = r.bits(24);
  const maxFrameSize = r.bits(24);
  const sampleRate = r.bits(20);
  const channels = r.bits(3) + 1;
  const bitsPerSample = r.bits(5) + 1;
  const totalSamples = r.bits(4) * 2 ** 32 + r.bits(32);
  if (sampleRate === 0) throw new BoxwrightError('BAD_VALUE', 'STREAMINFO sample rate 0', offset, path);
  return {
    minBlockSize,
    maxBlockSize,
    minFrameSize,
    maxFrameSize,
    sampleRate,
    channels,
    bitsPerSample,
    totalSamples,
    md5: body.slice(18, 34),
    channelLayout: channelLayoutName(FLAC_LAYOUTS[channels - 1]!),
  };
}

function streamInfoOf(blocks: FlacMetadataBlock[], offset: number, path: string): FlacStreamInfo {
  const si = blocks[0];
  if (!si || si.type !== 0) throw new BoxwrightError('BAD_VALUE', 'first metadata block is not STREAMINFO', offset, path);
  return parseFlacStreamInfo(si.data, offset, path);
}

/** The STREAMINFO of a `dfLa` box value (its first metadata block). */
export function dfLaStreamInfo(v: DfLa, offset = 0, path = 'dfLa'): FlacStreamInfo {
  const si = v.blocks[0];
  if (!si || si.blockType !== 0) throw new BoxwrightError('BAD_VALUE', 'first metadata block is not STREAMINFO', offset, path);
  return parseFlacStreamInfo(si.data, offset, path);
}

/** Parses the STREAMINFO of a native FLAC stream ('fLaC' magic, then metadata blocks). */
export function parseFlacStreamHeader(bytes: Uint8Array, offset = 0, path = 'flac'): FlacStreamInfo {
  if (bytes.length < 4 || bytes[0] !== 0x66 || bytes[1] !== 0x4c || bytes[2] !== 0x61 || bytes[3] !== 0x43) {
    throw new BoxwrightError('BAD_VALUE', "missing 'fLaC' magic", offset, path);
  }
  return streamInfoOf(readFlacMetadataBlocks(bytes, 4, offset, path), offset, path);
}
