/** Sample entries (stsd children) → format-neutral {@link SampleDescription}s. */
import { childOf, valueAs, type Box } from '../../../boxes/tree.js';
import { dac3 as dac3Box, dec3 as dec3Box, dfLa as dfLaBox, dOps as dOpsBox, enda as endaBox, pcmC as pcmCBox } from '../../../boxes/families/audio-config.js';
import { av1C as av1CBox, avcC as avcCBox, hasAvcRecord, hvcC as hvcCBox, vpcC as vpcCBox } from '../../../boxes/families/video-config.js';
import { esds as esdsBox } from '../../../boxes/families/esds.js';
import { btrt as btrtBox, colr as colrBox, pasp as paspBox } from '../../../boxes/families/visual-extras.js';
import * as pr from '../../../boxes/families/protection.js';
import type { AudioSampleEntry, VisualSampleEntry } from '../../../boxes/families/sample-entry.js';
import type { Protection, SampleDescription } from '../../model/movie.js';
import type { CodecConfig } from '../../model/codec-config.js';

const VIDEO_CODECS: Record<string, string> = {
  avc1: 'h264', avc3: 'h264', hvc1: 'hevc', hev1: 'hevc', dvh1: 'hevc', dvhe: 'hevc', av01: 'av1', vp08: 'vp8', vp09: 'vp9',
  mp4v: 'mpeg4', jpeg: 'mjpeg', mjpa: 'mjpeg', apch: 'prores', apcn: 'prores', apcs: 'prores', apco: 'prores', ap4h: 'prores',
};
const AUDIO_CODECS: Record<string, string> = {
  Opus: 'opus', 'ac-3': 'ac3', 'ec-3': 'eac3', fLaC: 'flac', '.mp3': 'mp3', alac: 'alac', alaw: 'pcm_alaw', ulaw: 'pcm_mulaw', 'raw ': 'pcm_u8',
  samr: 'amr_nb', sawb: 'amr_wb', 'dtsc': 'dts', 'dtsh': 'dts', 'dtsl': 'dts',
};
/** Subtitle/text entries (ffmpeg 5.1 has no MP4 mapping for wvtt/stpp: they stay codec-less data streams). */
const TEXT_CODECS: Record<string, string> = { tx3g: 'mov_text', text: 'mov_text', c608: 'eia_608', c708: 'eia_708' };

/** 14496-1 Table 5 objectTypeIndication → codec. */
function codecFromObjectType(oti: number | undefined): string | undefined {
  switch (oti) {
    case 0x40: case 0x66: case 0x67: case 0x68: return 'aac';
    case 0x69: case 0x6b: return 'mp3';
    case 0xa5: return 'ac3';
    case 0xa6: return 'eac3';
    case 0xad: return 'opus';
    case 0xa9: case 0xac: return 'dts';
    case 0x20: return 'mpeg4';
    case 0x21: return 'h264';
    case 0x6c: return 'mjpeg';
    case undefined: return 'aac';
    default: return undefined;
  }
}

/** PCM codec name as ffmpeg spells it. */
function pcmName(bits: number, float: boolean, little: boolean, signed = true): string {
  if (float) return `pcm_f${bits}${little ? 'le' : 'be'}`;
  if (bits === 8) return signed ? 'pcm_s8' : 'pcm_u8';
  return `pcm_s${bits}${little ? 'le' : 'be'}`;
}

function protectionOf(entry: Box): { protection?: Protection; format?: string } {
  const sinf = childOf(entry, 'sinf');
  if (!sinf) return {};
  const format = valueAs(childOf(sinf, 'frma'), pr.frma)?.dataFormat;
  const schm = valueAs(childOf(sinf, 'schm'), pr.schm);
  const tenc = valueAs(childOf(childOf(sinf, 'schi'), 'tenc'), pr.tenc);
  const protection: Protection = { scheme: schm?.schemeType ?? 'unknown', schemeVersion: schm?.schemeVersion ?? 0 };
  if (tenc) {
    protection.kid = Array.from(tenc.defaultKid, (b) => b.toString(16).padStart(2, '0')).join('');
    protection.perSampleIvSize = tenc.defaultPerSampleIvSize;
    if (tenc.defaultConstantIv) protection.constantIv = tenc.defaultConstantIv;
    if (tenc.defaultCryptByteBlock !== undefined) protection.cryptByteBlock = tenc.defaultCryptByteBlock;
    if (tenc.defaultSkipByteBlock !== undefined) protection.skipByteBlock = tenc.defaultSkipByteBlock;
  }
  return format === undefined ? { protection } : { protection, format };
}

/** Extra child boxes of an entry (everything but sinf), as views, for writers that copy them. */
function extraBoxesOf(entry: Box, data: Uint8Array): Array<{ type: string; data: Uint8Array }> {
  return (entry.children ?? [])
    .filter((c) => c.type !== 'sinf' && c.offset !== undefined)
    .map((c) => ({ type: c.type, data: data.subarray(c.offset!, c.offset! + c.size!) }));
}

type Child = (type: string) => Box | undefined;

/**
 * Codec → its configuration, from the configuration box's value (decoded by the box definition; a box that did
 * not parse, or an empty avcC, gives none). MPEG-4 audio's comes from the esds, below.
 */
const CONFIG_OF: Readonly<Record<string, (child: Child) => CodecConfig | undefined>> = {
  h264: (child) => {
    const v = valueAs(child('avcC'), avcCBox);
    return v && hasAvcRecord(v) ? { kind: 'avc', avcC: v } : undefined;
  },
  hevc: (child) => some(valueAs(child('hvcC'), hvcCBox), (hvcC) => ({ kind: 'hevc', hvcC })),
  av1: (child) => some(valueAs(child('av1C'), av1CBox), (av1C) => ({ kind: 'av1', av1C })),
  vp8: (child) => some(valueAs(child('vpcC'), vpcCBox), (vpcC) => ({ kind: 'vpx', vpcC })),
  vp9: (child) => some(valueAs(child('vpcC'), vpcCBox), (vpcC) => ({ kind: 'vpx', vpcC })),
  opus: (child) => some(valueAs(child('dOps'), dOpsBox), (dOps) => ({ kind: 'opus', dOps })),
  ac3: (child) => some(valueAs(child('dac3'), dac3Box), (dac3) => ({ kind: 'ac3', dac3 })),
  eac3: (child) => some(valueAs(child('dec3'), dec3Box), (dec3) => ({ kind: 'eac3', dec3 })),
  flac: (child) => some(valueAs(child('dfLa'), dfLaBox), (dfLa) => ({ kind: 'flac', dfLa })),
};

const some = <V>(v: V | undefined, f: (v: V) => CodecConfig): CodecConfig | undefined => (v === undefined ? undefined : f(v));

function configOf(codec: string | undefined, child: Child): CodecConfig | undefined {
  return codec === undefined ? undefined : CONFIG_OF[codec]?.(child);
}

/** The description of one sample entry. `handler` is the track's handler type. */
export function describeEntry(entry: Box, handler: string, data: Uint8Array): SampleDescription {
  const { protection, format: original } = protectionOf(entry);
  const format = original ?? entry.type;
  const d: SampleDescription = { entryType: entry.type, format, extraBoxes: extraBoxesOf(entry, data) };
  if (entry.offset !== undefined && entry.size !== undefined) d.sourceEntry = data.subarray(entry.offset, entry.offset + entry.size);
  if (protection) d.protection = protection;
  const findDeep = (type: string): Box | undefined => childOf(entry, type) ?? childOf(childOf(entry, 'wave'), type);
  const btrt = valueAs(childOf(entry, 'btrt'), btrtBox);
  if (btrt) {
    d.avgBitrate = btrt.avgBitrate;
    d.maxBitrate = btrt.maxBitrate;
  }
  if (handler === 'vide' || VIDEO_CODECS[format] !== undefined || entry.type === 'encv') {
    const v = entry.value as VisualSampleEntry | undefined;
    if (v) {
      d.width = v.width;
      d.height = v.height;
    }
    const codec = VIDEO_CODECS[format];
    if (codec) d.codec = codec;
    const config = configOf(codec, (type) => childOf(entry, type));
    if (config) d.config = config;
    const pasp = valueAs(childOf(entry, 'pasp'), paspBox);
    if (pasp) d.pixelAspect = { h: pasp.hSpacing, v: pasp.vSpacing };
    const colr = valueAs(childOf(entry, 'colr'), colrBox);
    if (colr && colr.colourPrimaries !== undefined) {
      d.colour = { primaries: colr.colourPrimaries, transfer: colr.transferCharacteristics ?? 2, matrix: colr.matrixCoefficients ?? 2 };
      if (colr.fullRangeFlag !== undefined) d.colour.fullRange = colr.fullRangeFlag === 1;
    }
    return d;
  }
  if (handler === 'soun' || entry.type === 'enca' || AUDIO_CODECS[format] !== undefined) {
    const a = entry.value as AudioSampleEntry | undefined;
    if (a) {
      d.channels = a.numAudioChannels ?? a.channelCount;
      d.sampleRate = a.audioSampleRate ?? a.sampleRate;
      d.sampleSize = a.constBitsPerChannel ?? a.sampleSize;
    }
    const esds = valueAs(findDeep('esds'), esdsBox);
    if (format === 'mp4a') {
      const dc = esds?.esDescriptor.decoderConfig;
      const codec = codecFromObjectType(dc?.objectTypeIndication);
      if (codec) d.codec = codec;
      if (dc?.decoderSpecificInfo && codec === 'aac') d.config = { kind: 'aac', audioSpecificConfig: dc.decoderSpecificInfo };
      if (dc && d.avgBitrate === undefined) {
        d.avgBitrate = dc.avgBitrate;
        d.maxBitrate = dc.maxBitrate;
      }
    } else if (AUDIO_CODECS[format]) {
      d.codec = AUDIO_CODECS[format];
      const config = configOf(d.codec, findDeep);
      if (config) d.config = config;
    }
    const pcm = pcmOf(format, entry, a);
    if (pcm) {
      d.pcm = pcm;
      d.codec = pcm.companding ? `pcm_${pcm.companding === 'ulaw' ? 'mulaw' : 'alaw'}` : pcmName(pcm.bitsPerSample, pcm.float, pcm.littleEndian, format !== 'raw ');
    }
    return d;
  }
  const text = TEXT_CODECS[format];
  if (text) d.codec = text;
  if (entry.type === 'tmcd' && entry.value) {
    const t = entry.value as { timescale: number; frameDuration: number; numberOfFrames: number; flags: number };
    d.timecode = { timescale: t.timescale, frameDuration: t.frameDuration, numberOfFrames: t.numberOfFrames, flags: t.flags };
  }
  return d;
}

/** PCM layout of a sample entry, following QuickTime/ISO rules (QTFF sound description; 23003-5 pcmC). */
function pcmOf(format: string, entry: Box, a: AudioSampleEntry | undefined): SampleDescription['pcm'] {
  const bits = a?.constBitsPerChannel ?? a?.sampleSize ?? 16;
  // QuickTime 'enda' (inside 'wave'): 1 = little-endian, for in24/in32/fl32/fl64.
  const enda = valueAs(childOf(childOf(entry, 'wave'), 'enda') ?? childOf(entry, 'enda'), endaBox);
  const endaLittle = enda?.littleEndian === 1;
  switch (format) {
    case 'sowt': return { bitsPerSample: bits, littleEndian: true, float: false };
    case 'twos': return { bitsPerSample: bits, littleEndian: false, float: false };
    case 'raw ': return { bitsPerSample: 8, littleEndian: false, float: false };
    case 'in24': return { bitsPerSample: 24, littleEndian: endaLittle, float: false };
    case 'in32': return { bitsPerSample: 32, littleEndian: endaLittle, float: false };
    case 'fl32': return { bitsPerSample: 32, littleEndian: endaLittle, float: true };
    case 'fl64': return { bitsPerSample: 64, littleEndian: endaLittle, float: true };
    case 'alaw': return { bitsPerSample: 8, littleEndian: false, float: false, companding: 'alaw' };
    case 'ulaw': return { bitsPerSample: 8, littleEndian: false, float: false, companding: 'ulaw' };
    case 'ipcm':
    case 'fpcm': {
      const pcmC = valueAs(childOf(entry, 'pcmC'), pcmCBox);
      return { bitsPerSample: pcmC?.pcmSampleSize ?? bits, littleEndian: ((pcmC?.formatFlags ?? 0) & 1) === 1, float: format === 'fpcm' };
    }
    case 'lpcm': {
      // QTFF LPCM flags: 1 float, 2 big-endian, 4 signed integer.
      const f = a?.formatSpecificFlags ?? 0;
      return { bitsPerSample: bits, littleEndian: (f & 2) === 0, float: (f & 1) === 1 };
    }
    default: return undefined;
  }
}
