/**
 * Opus identification fields from the `dOps` box value (Opus in ISOBMFF §4.3.2) or the Ogg `OpusHead`
 * (RFC 7845 §5.1, little-endian), with ffprobe's channel layouts.
 */
import type { DOps } from '../../../boxes/families/audio-config.js';
import { BoxwrightError } from '../../io/errors.js';
import { VORBIS_LAYOUT_MASKS, channelLayoutName } from './channel-layout.js';

/** Opus identification fields. */
export interface OpusHeader {
  version: number;
  outputChannelCount: number;
  preSkip: number;
  inputSampleRate: number;
  /** Q7.8 dB. */
  outputGain: number;
  channelMappingFamily: number;
  streamCount?: number;
  coupledCount?: number;
  channelMapping?: number[];
  /** Opus always decodes at 48 kHz (what ffprobe reports). */
  sampleRate: 48000;
  /** ffprobe channel_layout: family 0 → mono/stereo, family 1 → Vorbis order; undefined otherwise. */
  channelLayout: string | undefined;
}

function layout(family: number, channels: number): string | undefined {
  if (family === 0 && (channels === 1 || channels === 2)) return channels === 1 ? 'mono' : 'stereo';
  if (family === 1) {
    const m = VORBIS_LAYOUT_MASKS[channels - 1];
    return m ? channelLayoutName(m) : undefined;
  }
  return undefined;
}

function parse(bytes: Uint8Array, start: number, le: boolean, offset: number, path: string): OpusHeader {
  const fail = (detail: string): never => {
    throw new BoxwrightError('TRUNCATED', detail, offset, path);
  };
  if (bytes.length < start + 11) fail(`needs ${start + 11} bytes but ${bytes.length} remain`);
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const version = bytes[start]!;
  const outputChannelCount = bytes[start + 1]!;
  const c: OpusHeader = {
    version,
    outputChannelCount,
    preSkip: dv.getUint16(start + 2, le),
    inputSampleRate: dv.getUint32(start + 4, le),
    outputGain: dv.getInt16(start + 8, le),
    channelMappingFamily: bytes[start + 10]!,
    sampleRate: 48000,
    channelLayout: undefined,
  };
  if (c.channelMappingFamily !== 0) {
    if (bytes.length < start + 13 + outputChannelCount) fail(`channel mapping table needs ${start + 13 + outputChannelCount} bytes but ${bytes.length} remain`);
    c.streamCount = bytes[start + 11]!;
    c.coupledCount = bytes[start + 12]!;
    c.channelMapping = Array.from(bytes.subarray(start + 13, start + 13 + outputChannelCount));
  } else if (outputChannelCount > 2) {
    throw new BoxwrightError('BAD_VALUE', `mapping family 0 with ${outputChannelCount} channels`, offset, path);
  }
  c.channelLayout = layout(c.channelMappingFamily, outputChannelCount);
  return c;
}

/** The identification fields of a `dOps` box value, with ffprobe's sample rate and channel layout. */
export function dOpsInfo(v: DOps, offset = 0, path = 'dOps'): OpusHeader {
  if (v.channelMappingFamily === 0 && v.outputChannelCount > 2) {
    throw new BoxwrightError('BAD_VALUE', `mapping family 0 with ${v.outputChannelCount} channels`, offset, path);
  }
  const c: OpusHeader = {
    version: 0,
    outputChannelCount: v.outputChannelCount,
    preSkip: v.preSkip,
    inputSampleRate: v.inputSampleRate,
    outputGain: v.outputGain,
    channelMappingFamily: v.channelMappingFamily,
    sampleRate: 48000,
    channelLayout: layout(v.channelMappingFamily, v.outputChannelCount),
  };
  if (v.streamCount !== undefined) c.streamCount = v.streamCount;
  if (v.coupledCount !== undefined) c.coupledCount = v.coupledCount;
  if (v.channelMapping !== undefined) c.channelMapping = Array.from(v.channelMapping);
  return c;
}

/** Parses an Ogg Opus identification header ('OpusHead', little-endian). */
export function parseOpusHead(bytes: Uint8Array, offset = 0, path = 'OpusHead'): OpusHeader {
  if (bytes.length < 8 || String.fromCharCode(...bytes.subarray(0, 8)) !== 'OpusHead') {
    throw new BoxwrightError('BAD_VALUE', "missing 'OpusHead' magic", offset, path);
  }
  return parse(bytes, 8, true, offset, path);
}

/**
 * The Ogg Opus identification header (RFC 7845 §5.1: 'OpusHead', version 1, little-endian fields) carrying the
 * fields of a `dOps` box value — what WebCodecs' Opus registration takes as `AudioDecoderConfig.description`.
 */
export function opusHeadBytes(v: DOps): Uint8Array {
  const family = v.channelMappingFamily;
  const mapping = family !== 0 ? (v.channelMapping ?? new Uint8Array(0)) : undefined;
  const out = new Uint8Array(19 + (mapping ? 2 + mapping.length : 0));
  const dv = new DataView(out.buffer);
  out.set([0x4f, 0x70, 0x75, 0x73, 0x48, 0x65, 0x61, 0x64], 0); // 'OpusHead'
  out[8] = 1; // §5.1: version 1 (dOps version 0 maps to it, ISO-BMFF Opus §4.3.2)
  out[9] = v.outputChannelCount;
  dv.setUint16(10, v.preSkip, true);
  dv.setUint32(12, v.inputSampleRate, true);
  dv.setInt16(16, v.outputGain, true);
  out[18] = family;
  if (mapping) {
    out[19] = v.streamCount ?? 0;
    out[20] = v.coupledCount ?? 0;
    out.set(mapping, 21);
  }
  return out;
}
