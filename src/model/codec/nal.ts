/**
 * NAL unit helpers shared by the H.264 and HEVC parameter-set parsers.
 *
 * H.264 §7.3.1 / HEVC §7.3.1.1: inside a NAL unit the byte sequence 0x000003 is an
 * emulation-prevention pattern; the 0x03 is removed to get the RBSP.
 */
import { BoxwrightError } from '../../io/errors.js';

/**
 * Removes emulation-prevention bytes (the 0x03 of every 0x00 0x00 0x03 triple) from a NAL unit
 * (H.264 §7.4.1, HEVC §7.4.2). Returns `nal` itself (same view, no copy) when there are none.
 */
export function unescapeRbsp(nal: Uint8Array): Uint8Array {
  const n = nal.length;
  let first = -1;
  for (let i = 2; i < n; i++) {
    if (nal[i] === 3 && nal[i - 1] === 0 && nal[i - 2] === 0) {
      first = i;
      break;
    }
  }
  if (first < 0) return nal;
  // The output is never longer than the input, so this allocation is bounded by the input length.
  const out = new Uint8Array(n);
  out.set(nal.subarray(0, first), 0);
  let o = first;
  let zeros = 0;
  for (let i = first + 1; i < n; i++) {
    const b = nal[i]!;
    if (zeros >= 2 && b === 3) {
      zeros = 0;
      continue;
    }
    out[o++] = b;
    zeros = b === 0 ? zeros + 1 : 0;
  }
  return out.subarray(0, o);
}

/** H.264 NAL unit header (§7.3.1): 1 byte. */
export interface AvcNalHeader {
  forbiddenZeroBit: number;
  nalRefIdc: number;
  nalUnitType: number;
}

/** HEVC NAL unit header (§7.3.1.2): 2 bytes. */
export interface HevcNalHeader {
  forbiddenZeroBit: number;
  nalUnitType: number;
  nuhLayerId: number;
  temporalId: number;
}

/** H.264 nal_unit_type values used by the parsers (Table 7-1). */
export const AVC_NAL = { SLICE: 1, IDR: 5, SEI: 6, SPS: 7, PPS: 8, AUD: 9, SPS_EXT: 13, SUBSET_SPS: 15 } as const;
/** HEVC nal_unit_type values used by the parsers (Table 7-1). */
export const HEVC_NAL = { IDR_W_RADL: 19, IDR_N_LP: 20, CRA: 21, VPS: 32, SPS: 33, PPS: 34, AUD: 35, PREFIX_SEI: 39, SUFFIX_SEI: 40 } as const;

function need(nal: Uint8Array, n: number, what: string): void {
  if (nal.length < n) throw new BoxwrightError('TRUNCATED', `${what} needs ${n} bytes but ${nal.length} remain`, 0, '');
}

/** Parses the 1-byte H.264 NAL unit header (§7.3.1). */
export function avcNalHeader(nal: Uint8Array): AvcNalHeader {
  need(nal, 1, 'H.264 NAL header');
  const b = nal[0]!;
  return { forbiddenZeroBit: b >> 7, nalRefIdc: (b >> 5) & 3, nalUnitType: b & 0x1f };
}

/** Parses the 2-byte HEVC NAL unit header (§7.3.1.2); TemporalId = nuh_temporal_id_plus1 − 1. */
export function hevcNalHeader(nal: Uint8Array): HevcNalHeader {
  need(nal, 2, 'HEVC NAL header');
  const b0 = nal[0]!;
  const b1 = nal[1]!;
  return {
    forbiddenZeroBit: b0 >> 7,
    nalUnitType: (b0 >> 1) & 0x3f,
    nuhLayerId: ((b0 & 1) << 5) | (b1 >> 3),
    temporalId: (b1 & 7) - 1,
  };
}

/** The H.264 nal_unit_type (low 5 bits of the first byte); -1 for an empty NAL unit. */
export function avcNalType(nal: Uint8Array): number {
  return nal.length === 0 ? -1 : nal[0]! & 0x1f;
}

/** The HEVC nal_unit_type (bits 1..6 of the first byte); -1 for an empty NAL unit. */
export function hevcNalType(nal: Uint8Array): number {
  return nal.length === 0 ? -1 : (nal[0]! >> 1) & 0x3f;
}

/**
 * Splits an Annex B byte stream (start codes 0x000001 / 0x00000001, H.264 Annex B / HEVC Annex B)
 * into NAL unit views. Trailing zero bytes before a start code are dropped.
 */
export function splitAnnexB(data: Uint8Array): Uint8Array[] {
  const out: Uint8Array[] = [];
  const n = data.length;
  let start = -1;
  // Find each 0x01 with the native search (memchr speed), then check the two zero bytes before it.
  let i = data.indexOf(1, 2);
  while (i >= 0) {
    if (data[i - 1] === 0 && data[i - 2] === 0) {
      if (start >= 0) {
        let end = i - 2;
        while (end > start && data[end - 1] === 0) end--;
        if (end > start) out.push(data.subarray(start, end));
      }
      start = i + 1;
      i = start + 2 < n ? data.indexOf(1, start + 2) : -1;
    } else {
      i = data.indexOf(1, i + 1);
    }
  }
  if (start >= 0 && start < n) out.push(data.subarray(start, n));
  return out;
}

/**
 * Splits a length-prefixed sample (ISO 14496-15 §4.3: NALUnitLength fields of `lengthSize` bytes)
 * into NAL unit views. A length that runs past the end throws TRUNCATED.
 */
export function splitLengthPrefixed(data: Uint8Array, lengthSize: 1 | 2 | 4, offset = 0, path = ''): Uint8Array[] {
  const out: Uint8Array[] = [];
  let p = 0;
  while (p < data.length) {
    if (p + lengthSize > data.length) throw new BoxwrightError('TRUNCATED', `NAL length field needs ${lengthSize} bytes but ${data.length - p} remain`, offset + p, path);
    let len = 0;
    for (let k = 0; k < lengthSize; k++) len = len * 256 + data[p + k]!;
    p += lengthSize;
    if (len > data.length - p) throw new BoxwrightError('TRUNCATED', `NAL unit of ${len} bytes but ${data.length - p} remain`, offset + p, path);
    out.push(data.subarray(p, p + len));
    p += len;
  }
  return out;
}
