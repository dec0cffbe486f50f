/**
 * H.264 / HEVC Annex B elementary stream → access units (ITU-T H.264 §7.4.1.2.3, H.265 §7.4.2.4.4).
 *
 * A new access unit starts at an access unit delimiter, at a NAL unit that may only precede the
 * first VCL NAL unit of an access unit (SEI, parameter sets …) once the current one has a picture,
 * or at a slice that begins a new picture. For H.264 "begins a new picture" is taken as ffmpeg's
 * parser does: first_mb_in_slice not greater than the previous slice's (a lost first slice then still
 * splits pictures); for HEVC it is first_slice_segment_in_pic_flag.
 */
import { splitAnnexB } from '../../model/codec/nal.js';

export type VideoCodec = 'h264' | 'hevc';

/** One access unit: its NAL units (views of the elementary stream) and where it starts. */
export interface AccessUnit {
  /** Offset in the elementary stream of the first NAL unit's start code. */
  start: number;
  nals: Uint8Array[];
  /** Contains a slice (VCL NAL unit). */
  hasPicture: boolean;
  /** IDR (H.264 type 5) / IRAP (HEVC types 16–23). */
  key: boolean;
}

/** The NAL unit type for the codec (-1 for an empty or too short unit). */
export function nalType(codec: VideoCodec, nal: Uint8Array): number {
  if (codec === 'h264') return nal.length >= 1 ? nal[0]! & 0x1f : -1;
  return nal.length >= 2 ? (nal[0]! >> 1) & 0x3f : -1;
}

/** H.264 slice types that carry first_mb_in_slice (Table 7-1: 1 non-IDR, 2 partition A, 5 IDR). */
const isAvcSlice = (t: number): boolean => t === 1 || t === 2 || t === 5;
/** H.264 types that only come before the first VCL NAL unit of an access unit (§7.4.1.2.3). */
const isAvcPrefix = (t: number): boolean => t === 6 || t === 7 || t === 8 || t === 9 || t === 13 || (t >= 14 && t <= 18);
/** HEVC VCL types (0–31). */
const isHevcVcl = (t: number): boolean => t >= 0 && t <= 31;
/** HEVC types that start an access unit when they follow its pictures (§7.4.2.4.4). */
const isHevcPrefix = (t: number): boolean => (t >= 32 && t <= 35) || t === 39 || (t >= 41 && t <= 44) || (t >= 48 && t <= 55);

/** ue(v) at the start of `b` (after the NAL header), without emulation-prevention removal; -1 if it does not fit. */
function leadingUe(b: Uint8Array, from: number): number {
  let bit = from * 8;
  const end = Math.min(b.length, from + 8) * 8;
  const read = (): number => {
    const v = (b[bit >> 3]! >> (7 - (bit & 7))) & 1;
    bit++;
    return v;
  };
  let zeros = 0;
  while (bit < end && read() === 0) zeros++;
  if (zeros > 31 || bit + zeros > end) return -1;
  let v = 0;
  for (let i = 0; i < zeros; i++) v = v * 2 + read();
  return 2 ** zeros - 1 + v;
}

/** True when the NAL unit is a keyframe slice: IDR for H.264, IRAP for HEVC. */
export function isKeyNal(codec: VideoCodec, t: number): boolean {
  return codec === 'h264' ? t === 5 : t >= 16 && t <= 23;
}

/** True when the NAL unit carries slice data. */
export function isVclNal(codec: VideoCodec, t: number): boolean {
  return codec === 'h264' ? t >= 1 && t <= 5 : isHevcVcl(t);
}

/** Splits an Annex B elementary stream into access units. `es` must start at offset 0 of its buffer view. */
export function splitAccessUnits(codec: VideoCodec, es: Uint8Array): AccessUnit[] {
  const out: AccessUnit[] = [];
  let cur: AccessUnit | undefined;
  let lastMb = -1;
  const open = (nal: Uint8Array): AccessUnit => {
    const au: AccessUnit = { start: Math.max(0, nal.byteOffset - es.byteOffset - 3), nals: [], hasPicture: false, key: false };
    out.push(au);
    return au;
  };
  for (const nal of splitAnnexB(es)) {
    const t = nalType(codec, nal);
    if (t < 0) continue;
    let boundary = false;
    if (codec === 'h264') {
      if (t === 9) boundary = true;
      else if (isAvcPrefix(t)) boundary = cur?.hasPicture === true;
      else if (isAvcSlice(t)) {
        const mb = leadingUe(nal, 1);
        boundary = cur?.hasPicture === true && mb >= 0 && mb <= lastMb;
        if (mb >= 0) lastMb = mb;
      }
    } else {
      if (t === 35) boundary = true;
      else if (isHevcPrefix(t)) boundary = cur?.hasPicture === true;
      else if (isHevcVcl(t)) boundary = cur?.hasPicture === true && nal.length > 2 && (nal[2]! & 0x80) !== 0;
    }
    if (!cur || (boundary && cur.nals.length > 0)) cur = open(nal);
    cur.nals.push(nal);
    if (isVclNal(codec, t)) {
      cur.hasPicture = true;
      if (isKeyNal(codec, t)) cur.key = true;
    }
  }
  return out;
}
