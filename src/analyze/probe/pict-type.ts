/** Picture types (I/P/B) from the first slice header of each H.264 / HEVC sample (no decoding). */
import { BitReader } from '../../io/bit-reader.js';
import { isBoxwrightError } from '../../io/errors.js';
import type { Track } from '../../model/movie.js';
import { unescapeRbsp } from '../../model/codec/nal.js';
import { hevcNals, nalLengthSize, type HevcConfig } from '../../model/codec-config.js';

/** slice_type % 5 → av_get_picture_type_char: P, B, I, SP ('p'), SI ('i'). */
const AVC_TYPES = ['P', 'B', 'I', 'p', 'i'] as const;
const HEVC_TYPES = ['B', 'P', 'I'] as const;

/** HEVC: num_extra_slice_header_bits and dependent_slice_segments_enabled from the first PPS in hvcC. */
function hevcPpsFlags(config: HevcConfig): { extraBits: number; dependentSlices: boolean } {
  const pps = hevcNals(config, 34)[0];
  if (!pps) return { extraBits: 0, dependentSlices: false };
  const r = new BitReader(unescapeRbsp(pps.subarray(2)));
  r.ue(); // pps_pic_parameter_set_id
  r.ue(); // pps_seq_parameter_set_id
  const dependentSlices = r.flag();
  r.flag(); // output_flag_present_flag
  return { extraBits: r.bits(3), dependentSlices };
}

/** A function giving the picture type of sample `i` of a video track, or undefined for other codecs. */
export function framePictTypes(track: Track, data: Uint8Array): ((i: number) => string | undefined) | undefined {
  const d = track.descriptions[0];
  const cfg = d?.config;
  if (!d || (d.codec !== 'h264' && d.codec !== 'hevc')) return undefined;
  const hevc = d.codec === 'hevc';
  // Without a record (Annex B samples) the usual 4-byte lengths are tried, as bitstreamKeyframes does.
  const lengthSize = cfg?.kind === 'avc' || cfg?.kind === 'hevc' ? nalLengthSize(cfg) : 4;
  let pps = { extraBits: 0, dependentSlices: false };
  if (cfg?.kind === 'hevc') {
    try {
      pps = hevcPpsFlags(cfg);
    } catch (e) {
      if (!isBoxwrightError(e)) throw e;
    }
  }
  // The first slice header decides; null stops the walk without a type (a slice that is not the picture's first).
  const sliceType = (whole: Uint8Array): string | null | undefined => {
    const nal = whole.subarray(0, 64);
    if (nal.length === 0) return undefined;
    if (!hevc) {
      const type = nal[0]! & 31;
      if (type !== 1 && type !== 5) return undefined;
      const r = new BitReader(unescapeRbsp(nal.subarray(1)));
      r.ue(); // first_mb_in_slice
      return AVC_TYPES[r.ue() % 5] ?? null;
    }
    const type = (nal[0]! >> 1) & 63;
    if (type > 21) return undefined;
    const r = new BitReader(unescapeRbsp(nal.subarray(2)));
    const first = r.flag();
    if (!first) return null;
    if (type >= 16 && type <= 23) r.flag(); // no_output_of_prior_pics_flag
    r.ue(); // slice_pic_parameter_set_id
    r.skip(pps.extraBits);
    return HEVC_TYPES[r.ue()] ?? null;
  };
  return (i) => {
    try {
      return scanNals(track, data, lengthSize, i, sliceType) ?? undefined;
    } catch (e) {
      if (!isBoxwrightError(e)) throw e;
    }
    return undefined;
  };
}

/** True when length-prefixed NAL units tile `[p, end)` exactly. */
export function lengthsChain(data: Uint8Array, p: number, end: number, lengthSize: number): boolean {
  while (p + lengthSize <= end) {
    let len = 0;
    for (let k = 0; k < lengthSize; k++) len = len * 256 + data[p + k]!;
    if (len === 0) return false;
    p += lengthSize + len;
  }
  return p === end;
}

/**
 * Reads the NAL units of sample `i` (length-prefixed, or Annex B) and calls `visit` until it returns a value.
 * Annex B NAL units are cut to their first `maxBytes` (64: enough for a slice header's start).
 */
export function scanNals<T>(track: Track, data: Uint8Array, lengthSize: number, i: number, visit: (nal: Uint8Array) => T | undefined, maxBytes = 64): T | undefined {
  const s = track.samples;
  let p = s.offset[i]!;
  const end = Math.min(p + s.size[i]!, data.length);
  // Some files carry Annex B (start codes) in MP4 samples despite the format: scan those by start code —
  // but only when the length prefixes do not add up (a length such as 0x00000165 also looks like a start code).
  if (!lengthsChain(data, p, end, lengthSize) && p + 4 <= end && data[p] === 0 && data[p + 1] === 0 && (data[p + 2] === 1 || (data[p + 2] === 0 && data[p + 3] === 1))) {
    for (let k = p; k + 3 < end; k++) {
      if (data[k] === 0 && data[k + 1] === 0 && data[k + 2] === 1) {
        let stop = Math.min(end, k + 3 + maxBytes);
        for (let j = k + 3; j + 2 < stop; j++) {
          if (data[j] === 0 && data[j + 1] === 0 && data[j + 2]! <= 1) {
            stop = j;
            break;
          }
        }
        const v = visit(data.subarray(k + 3, stop));
        if (v !== undefined) return v;
        k += 2;
      }
    }
    return undefined;
  }
  while (p + lengthSize <= end) {
    let len = 0;
    for (let k = 0; k < lengthSize; k++) len = len * 256 + data[p + k]!;
    p += lengthSize;
    if (len === 0 || p + len > end) return undefined;
    const v = visit(data.subarray(p, p + len));
    if (v !== undefined) return v;
    p += len;
  }
  return undefined;
}

/** H.264 SEI: does the message list hold a recovery point (payloadType 6)? */
export function hasRecoveryPoint(sei: Uint8Array): boolean {
  let p = 1;
  while (p < sei.length && sei[p] !== 0x80) {
    let type = 0;
    while (p < sei.length && sei[p] === 0xff) (type += 255), p++;
    if (p >= sei.length) return false;
    type += sei[p++]!;
    let size = 0;
    while (p < sei.length && sei[p] === 0xff) (size += 255), p++;
    if (p >= sei.length) return false;
    size += sei[p++]!;
    if (type === 6) return true;
    p += size;
  }
  return false;
}

/**
 * Key-frame flags as ffmpeg's H.264/HEVC parsers set them (ffprobe shows these, not the container's):
 * H.264 — an IDR slice, or a recovery-point SEI before a slice; HEVC — an IRAP picture (NAL types 16–23).
 * Returns undefined for other codecs (the container's sync flags stand).
 */
export function bitstreamKeyframes(track: Track, data: Uint8Array): ((i: number) => boolean) | undefined {
  const d = track.descriptions[0];
  const cfg = d?.config;
  if (!d || (d.codec !== 'h264' && d.codec !== 'hevc')) return undefined;
  const hevc = d.codec === 'hevc';
  // Without a record (Annex B samples) the usual 4-byte lengths are tried, as before.
  const lengthSize = cfg?.kind === 'avc' || cfg?.kind === 'hevc' ? nalLengthSize(cfg) : 4;
  return (i) => {
    let recovery = false;
    const r = scanNals(track, data, lengthSize, i, (nal) => {
      if (hevc) {
        const type = (nal[0]! >> 1) & 63;
        if (type <= 31) return type >= 16 && type <= 23;
        return undefined;
      }
      const type = nal[0]! & 31;
      if (type === 5) return true;
      if (type === 6 && hasRecoveryPoint(nal)) recovery = true;
      if (type === 1) return recovery;
      return undefined;
    });
    return r === true;
  };
}
