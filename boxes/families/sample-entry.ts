/**
 * Sample entries: the children of `stsd` (14496-12 §8.5.2, QTFF "Sample Description Atoms").
 * They are looked up only inside stsd (SAMPLE_ENTRIES in the registry), via {@link sampleEntryFor}.
 * Every layout is chosen from the four-character code alone, so each definition is tentative:
 * a body that does not fit stays opaque rather than failing the file.
 */
import type { ByteReader } from '../../src/io/byte-reader.js';
import {
  bytes, cstring, custom, i8, i16, reserved, struct, u8, u16, u32, ufixed16_16, when, withDefault, type Field,
} from '../../src/io/field.js';
import { box, customBox, type AnyBoxDef, type ValueOf } from '../define.js';

// ---------------------------------------------------------------- shared pieces (module-private)

/** §8.5.2.2 SampleEntry: 6 reserved zero bytes, then data_reference_index. */
const entryHead = {
  _reserved: reserved(bytes(6), new Uint8Array(6)),
  dataReferenceIndex: u16,
};

/** True when the next bytes read like a box header: size ≥ 8 that fits, then four printable ASCII characters. */
function looksLikeBox(r: ByteReader): boolean {
  if (r.remaining < 8) return false;
  const size = r.peekU32(0)!;
  if (size < 8 || size > r.remaining) return false;
  for (let i = 4; i < 8; i++) {
    const ch = r.data[r.pos + i]!;
    if (ch < 0x20 || ch > 0x7e) return false;
  }
  return true;
}

/**
 * compressorname (§12.1.3.2): a 32-byte Pascal string — one length byte, up to 31 bytes of text, zero padding.
 * A length over 31 or non-zero padding (some writers store a C string) re-encodes differently, so the engine
 * keeps such an entry's bytes verbatim.
 */
const compressorName: Field<string> = custom({
  minSize: 32,
  read: (r) => {
    const b = r.bytes(32, 'compressor name');
    const len = Math.min(b[0]!, 31);
    return new TextDecoder().decode(b.subarray(1, 1 + len));
  },
  write: (w, v) => {
    const text = new TextEncoder().encode(v).subarray(0, 31);
    const out = new Uint8Array(32);
    out[0] = text.length;
    out.set(text, 1);
    w.bytes(out);
  },
  size: () => 32,
});

// ---------------------------------------------------------------- visual

/**
 * §12.1.3 VisualSampleEntry, laid out as QTFF's video sample description: the fields ISO calls pre_defined and
 * reserved are QuickTime's version, revision level, vendor and qualities. They are 0 in ISO files and left out
 * of the value then.
 */
const visualFields = {
  ...entryHead,
  version: withDefault(u16, 0),
  revisionLevel: withDefault(u16, 0),
  vendor: withDefault(u32, 0),
  temporalQuality: withDefault(u32, 0),
  spatialQuality: withDefault(u32, 0),
  width: u16,
  height: u16,
  /** Pixels per inch, 72 in practice. */
  horizresolution: withDefault(ufixed16_16, 72),
  vertresolution: withDefault(ufixed16_16, 72),
  _dataSize: reserved(u32, 0),
  frameCount: withDefault(u16, 1),
  compressorName,
  depth: withDefault(u16, 0x18),
  // ISO: pre_defined = -1; QuickTime's color table ID, also -1 (no table) in practice.
  preDefined: withDefault(i16, -1),
};

const visual = <T extends string>(type: T) => box(type, { fields: visualFields, children: true, tentative: true, title: 'visual sample entry' });

/** 14496-15 §5.4.2 AVC (parameter sets in avcC only / also in band). */
export const avc1 = visual('avc1');
export const avc3 = visual('avc3');
/** 14496-15 §8.4.1 HEVC. */
export const hvc1 = visual('hvc1');
export const hev1 = visual('hev1');
/** AV1-ISOBMFF §2.2. */
export const av01 = visual('av01');
/** VP codec binding §2.1. */
export const vp08 = visual('vp08');
export const vp09 = visual('vp09');
/** Dolby Vision (HEVC-based). */
export const dvh1 = visual('dvh1');
export const dvhe = visual('dvhe');
/** 14496-15 §11 VVC. */
export const vvc1 = visual('vvc1');
export const vvi1 = visual('vvi1');
/** 14496-12 §8.12 protected video (the original format is in sinf/frma). */
export const encv = visual('encv');

/** Value of a visual sample entry. */
export type VisualSampleEntry = ValueOf<typeof avc1>;

// ---------------------------------------------------------------- audio

/** Value of an audio sample entry (ISO AudioSampleEntry / V1, QuickTime sound description v0/v1/v2). */
export interface AudioSampleEntry {
  dataReferenceIndex: number;
  /**
   * Only kept for ISO AudioSampleEntryV1 (version 1 without QuickTime's 16 extra bytes); otherwise the version is
   * derived on write: QuickTime v2 fields present → 2, v1 fields present → 1, else 0.
   */
  soundVersion?: number;
  revisionLevel?: number;
  vendor?: number;
  channelCount: number;
  sampleSize: number;
  /** QuickTime compression ID (-2 in v2, -1/0 otherwise); ISO pre_defined 0. */
  compressionId?: number;
  packetSize?: number;
  /** 16.16 unsigned; QuickTime v2 keeps 1.0 here and the real rate in audioSampleRate. */
  sampleRate: number;
  /** QuickTime sound description v1 (presence selects version 1). */
  samplesPerPacket?: number;
  bytesPerPacket?: number;
  bytesPerFrame?: number;
  bytesPerSample?: number;
  /** QuickTime sound description v2 (presence selects version 2). Left out when 72, its only value. */
  sizeOfStructOnly?: number;
  audioSampleRate?: number;
  numAudioChannels?: number;
  /** Left out when 0x7F000000, its only value. */
  always7F000000?: number;
  constBitsPerChannel?: number;
  formatSpecificFlags?: number;
  constBytesPerAudioPacket?: number;
  constLPCMFramesPerAudioPacket?: number;
}

const V1_KEYS = ['samplesPerPacket', 'bytesPerPacket', 'bytesPerFrame', 'bytesPerSample'] as const;
const V2_KEYS = [
  'sizeOfStructOnly', 'audioSampleRate', 'numAudioChannels', 'always7F000000',
  'constBitsPerChannel', 'formatSpecificFlags', 'constBytesPerAudioPacket', 'constLPCMFramesPerAudioPacket',
] as const;
/** QTFF: the size of the v2 sound description without extensions, and the constant v2 field. */
const V2_STRUCT_SIZE = 72;
const V2_ALWAYS = 0x7f000000;

function soundVersionOf(v: AudioSampleEntry): number {
  if (V2_KEYS.some((k) => v[k] !== undefined)) return 2;
  if (V1_KEYS.some((k) => v[k] !== undefined)) return 1;
  return v.soundVersion === 1 ? 1 : 0;
}

/** The v0 part every version shares (after data_reference_index and the version). */
const soundCommon = struct({
  revisionLevel: withDefault(u16, 0),
  vendor: withDefault(u32, 0),
  channelCount: u16,
  sampleSize: u16,
  compressionId: withDefault(i16, 0),
  packetSize: withDefault(u16, 0),
  sampleRate: ufixed16_16,
});

const audioBody: Field<AudioSampleEntry> = custom({
  minSize: 28,
  read: (r, c) => {
    r.bytes(6, 'reserved');
    const dataReferenceIndex = r.u16();
    const version = r.u16();
    const out: AudioSampleEntry = { dataReferenceIndex, ...soundCommon.read(r, c) };
    if (version === 1) {
      // ISO AudioSampleEntryV1 (14496-12 §12.2.3) has version 1 but none of QuickTime's 16 extra bytes. Heuristic:
      // if what follows reads as a box header (size ≥ 8 that fits, four printable characters) it is a child box,
      // which QuickTime's samplesPerPacket/bytesPerPacket never look like (the latter's bytes are not printable).
      if (r.remaining < 16 || looksLikeBox(r)) out.soundVersion = 1;
      else for (const k of V1_KEYS) out[k] = r.u32();
    } else if (version === 2) {
      const size = r.u32();
      if (size !== V2_STRUCT_SIZE) out.sizeOfStructOnly = size;
      out.audioSampleRate = r.f64();
      out.numAudioChannels = r.u32();
      const always = r.u32();
      if (always !== V2_ALWAYS) out.always7F000000 = always;
      out.constBitsPerChannel = r.u32();
      out.formatSpecificFlags = r.u32();
      out.constBytesPerAudioPacket = r.u32();
      out.constLPCMFramesPerAudioPacket = r.u32();
    } else if (version !== 0) {
      r.fail('BAD_VALUE', `sound description version ${version} is not 0, 1 or 2`);
    }
    return out;
  },
  write: (w, v, c) => {
    w.zeros(6);
    w.u16(v.dataReferenceIndex);
    const version = soundVersionOf(v);
    w.u16(version);
    soundCommon.write(w, v, c);
    if (version === 2) {
      w.u32(v.sizeOfStructOnly ?? V2_STRUCT_SIZE);
      w.f64(v.audioSampleRate ?? 0);
      w.u32(v.numAudioChannels ?? 0);
      w.u32(v.always7F000000 ?? V2_ALWAYS);
      w.u32(v.constBitsPerChannel ?? 0);
      w.u32(v.formatSpecificFlags ?? 0);
      w.u32(v.constBytesPerAudioPacket ?? 0);
      w.u32(v.constLPCMFramesPerAudioPacket ?? 0);
    } else if (version === 1 && V1_KEYS.some((k) => v[k] !== undefined)) {
      for (const k of V1_KEYS) w.u32(v[k] ?? 0);
    }
  },
  size: (v) => {
    const version = soundVersionOf(v);
    return 28 + (version === 2 ? 36 : version === 1 && V1_KEYS.some((k) => v[k] !== undefined) ? 16 : 0);
  },
});

const audioEntry = <T extends string>(type: T) => customBox(type, { body: audioBody, children: true, tentative: true, title: 'audio sample entry' });

/** 14496-14 §6.7 MPEG-4 audio (AAC, MP3 in MP4). */
export const mp4a = audioEntry('mp4a');
/** Opus in ISO-BMFF §4.3.1. */
export const Opus = audioEntry('Opus');
/** ETSI TS 102 366 Annex F (AC-3, E-AC-3) and TS 103 190 (AC-4). */
export const ac3 = audioEntry('ac-3');
export const ec3 = audioEntry('ec-3');
export const ac4 = audioEntry('ac-4');
/** FLAC in ISO-BMFF §3.3.1. */
export const fLaC = audioEntry('fLaC');
/** MP3 (QuickTime / some muxers). */
export const mp3 = audioEntry('.mp3');
/** 23003-5 integer / floating-point PCM. */
export const ipcm = audioEntry('ipcm');
export const fpcm = audioEntry('fpcm');
/** QuickTime PCM and companded formats. */
export const lpcm = audioEntry('lpcm');
export const sowt = audioEntry('sowt');
export const twos = audioEntry('twos');
export const in24 = audioEntry('in24');
export const in32 = audioEntry('in32');
export const fl32 = audioEntry('fl32');
export const fl64 = audioEntry('fl64');
export const alaw = audioEntry('alaw');
export const ulaw = audioEntry('ulaw');
export const raw = audioEntry('raw ');
export const NONE = audioEntry('NONE');
/** Apple Lossless. */
export const alac = audioEntry('alac');
/** 14496-12 §8.12 protected audio. */
export const enca = audioEntry('enca');

// ---------------------------------------------------------------- text, subtitles, captions, timecode

/** 3GPP TS 26.245 §5.16 TextSampleEntry. */
export const tx3g = box('tx3g', {
  fields: {
    ...entryHead,
    displayFlags: u32,
    horizontalJustification: i8,
    verticalJustification: i8,
    backgroundColorRgba: bytes(4),
    defaultTextBox: struct({ top: i16, left: i16, bottom: i16, right: i16 }),
    defaultStyle: struct({ startChar: u16, endChar: u16, fontId: u16, faceStyleFlags: u8, fontSize: u8, textColorRgba: bytes(4) }),
  },
  children: true,
  tentative: true,
});

/** 14496-30 §7.4 WVTTSampleEntry (children vttC, vlab). */
export const wvtt = box('wvtt', { fields: { ...entryHead }, children: true, tentative: true });

/** Schema location and MIME types may be left out when a box follows directly (14496-30 §12.6 marks them optional). */
const optionalString = when((_c, r) => r.remaining > 0 && !looksLikeBox(r), cstring);

/** 14496-30 §12.6 XMLSubtitleSampleEntry (TTML). */
export const stpp = box('stpp', {
  fields: {
    ...entryHead,
    namespace: cstring,
    // The strings are positional: MIME types need a schema location before them (an empty one if none).
    schemaLocation: {
      ...optionalString,
      write: (w, v, c) => optionalString.write(w, v ?? (c.parent.auxiliaryMimeTypes !== undefined ? '' : undefined), c),
      size: (v, c) => optionalString.size(v ?? (c.parent.auxiliaryMimeTypes !== undefined ? '' : undefined), c),
    },
    auxiliaryMimeTypes: optionalString,
  },
  children: true,
  tentative: true,
});

/** CEA-608 captions in ISO-BMFF (the plain SampleEntry header). */
export const c608 = box('c608', { fields: { ...entryHead }, children: true, tentative: true });

/** QTFF timecode sample description. */
export const tmcd = box('tmcd', {
  fields: {
    ...entryHead,
    _reserved1: reserved(u32, 0),
    flags: u32,
    timescale: u32,
    frameDuration: u32,
    numberOfFrames: u8,
    _reserved2: reserved(u8, 0),
  },
  children: true,
  tentative: true,
});

// ---------------------------------------------------------------- lookup

/** Generic layouts for entries we do not know, chosen by the track's handler (not exported: not registered). */
const genericVisual = visual('vide');
const genericAudio = audioEntry('soun');

let known: Map<string, AnyBoxDef> | undefined;

/**
 * The definition of sample entry `type` in a track with handler `handler`: the known one, else the generic visual
 * (`vide`) or audio (`soun`) layout, else undefined (kept opaque).
 */
export function sampleEntryFor(type: string, handler: string | undefined): AnyBoxDef | undefined {
  known ??= new Map(
    [
      avc1, avc3, hvc1, hev1, av01, vp08, vp09, dvh1, dvhe, vvc1, vvi1, encv,
      mp4a, Opus, ac3, ec3, ac4, fLaC, mp3, ipcm, fpcm, lpcm, sowt, twos, in24, in32, fl32, fl64, alaw, ulaw, raw, NONE, alac, enca,
      tx3g, wvtt, stpp, c608, tmcd,
    ].map((d): [string, AnyBoxDef] => [d.type, d]),
  );
  const def = known.get(type);
  if (def) return def;
  if (handler === 'vide') return genericVisual;
  if (handler === 'soun') return genericAudio;
  return undefined;
}
