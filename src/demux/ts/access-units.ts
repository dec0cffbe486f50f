/**
 * H.264 / HEVC Annex B elementary stream → access units (ITU-T H.264 §7.4.1.2.3, H.265 §7.4.2.4.4).
 *
 * A new access unit starts at an access unit delimiter, at a NAL unit that may only precede the
 * first VCL NAL unit of an access unit (SEI, parameter sets …) once the current one has a picture,
 * or at a slice that begins a new picture. For H.264 "begins a new picture" is taken as ffmpeg's
 * parser does: first_mb_in_slice not greater than the previous slice's (a lost first slice then still
 * splits pictures); for HEVC it is first_slice_segment_in_pic_flag.
 */
export type VideoCodec = 'h264' | 'hevc';

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

/**
 * Decides, NAL unit by NAL unit in stream order, where access units start. `head` is the NAL unit
 * from its header on (the first 9 bytes are enough).
 */
export class AccessUnitSplitter {
  /** The current access unit has a slice. */
  private hasPicture = false;
  private started = false;
  private lastMb = -1;

  constructor(readonly codec: VideoCodec) {}

  /** True when the NAL unit starts a new access unit; then records it as part of that one. */
  next(head: Uint8Array): boolean {
    const codec = this.codec;
    const t = nalType(codec, head);
    let boundary = false;
    if (codec === 'h264') {
      if (t === 9) boundary = true;
      else if (isAvcPrefix(t)) boundary = this.hasPicture;
      else if (isAvcSlice(t)) {
        const mb = leadingUe(head, 1);
        boundary = this.hasPicture && mb >= 0 && mb <= this.lastMb;
        if (mb >= 0) this.lastMb = mb;
      }
    } else {
      if (t === 35) boundary = true;
      else if (isHevcPrefix(t)) boundary = this.hasPicture;
      else if (isHevcVcl(t)) boundary = this.hasPicture && head.length > 2 && (head[2]! & 0x80) !== 0;
    }
    const starts = !this.started || boundary;
    this.started = true;
    if (starts) this.hasPicture = false;
    if (isVclNal(codec, t)) this.hasPicture = true;
    return starts;
  }
}
