/**
 * Closed-caption bytes carried in H.264 / HEVC SEI: the `cc_data()` triplets of ATSC A/53 Part 4
 * (`user_data_registered_itu_t_t35` SEI, ITU-T T.35 country 0xB5, provider 0x0031, user identifier 'GA94',
 * user_data_type_code 0x03), as SCTE 128-1 §8.1 places them in the video elementary stream.
 *
 * Everything here reads untrusted bytes: every index is checked against the view it reads, nothing is
 * allocated by a length the stream declares, and malformed data ends the walk quietly (no caption is better
 * than an error for a side channel of the video).
 */
import { unescapeRbsp } from '../model/codec/nal.js';

/** The video codecs whose SEI we read. */
export type CaptionVideoCodec = 'avc' | 'hevc';

/**
 * One valid `cc_data` triplet (CEA-708 §4.4): `ccType` 0 = CEA-608 field 1, 1 = CEA-608 field 2,
 * 2 = DTVCC packet data, 3 = DTVCC packet start; `ccData` = cc_data_1 << 8 | cc_data_2 (parity bits kept).
 */
export interface CcTriplet {
  ccType: number;
  ccData: number;
}

/** H.264 Table 7-1: nal_unit_type 6 is SEI. */
const AVC_SEI = 6;
/** HEVC Table 7-1: 39 is PREFIX_SEI_NUT (A/53 and ffmpeg read caption data only from prefix SEI). */
const HEVC_PREFIX_SEI = 39;
/** H.264 D.1 / HEVC D.2: payloadType 4 is user_data_registered_itu_t_t35. */
const USER_DATA_REGISTERED_ITU_T_T35 = 4;

/**
 * Appends the valid cc_data triplets of one `user_data_registered_itu_t_t35` SEI payload to `out` when it is
 * ATSC caption data (A/53 Part 4 ATSC1_data / cc_data); other T.35 payloads (AFD, bar data, other registrants) add nothing.
 * Returns whether the payload was caption data (even when it held no valid triplet).
 *
 * Layout: country_code (0xB5), provider_code (u16 0x0031), user_identifier 'GA94', user_data_type_code (0x03),
 * then cc_data(): flags byte (process_cc_data_flag 0x40, cc_count low 5 bits), em_data, cc_count × 3 bytes,
 * marker_bits (0xFF). The triplets must end before that final marker byte, as mux.js reads them.
 */
export function ccTripletsOfT35(payload: Uint8Array, out: CcTriplet[]): boolean {
  if (payload.length < 10) return false;
  if (payload[0] !== 0xb5 || payload[1] !== 0x00 || payload[2] !== 0x31) return false;
  // 'GA94' = 0x47 0x41 0x39 0x34
  if (payload[3] !== 0x47 || payload[4] !== 0x41 || payload[5] !== 0x39 || payload[6] !== 0x34) return false;
  if (payload[7] !== 0x03) return false;
  const flags = payload[8]!;
  // process_cc_data_flag clear: the triplets are filler and must be ignored (A/53 Part 4).
  if ((flags & 0x40) === 0) return true;
  const count = flags & 0x1f;
  // The triplets start after flags and em_data; the last byte of the payload is marker_bits.
  const end = payload.length - 1;
  for (let k = 0, p = 10; k < count && p + 3 <= end; k++, p += 3) {
    const head = payload[p]!;
    // cc_valid (bit 2) clear: the two bytes carry nothing.
    if ((head & 0x04) === 0) continue;
    out.push({ ccType: head & 0x03, ccData: (payload[p + 1]! << 8) | payload[p + 2]! });
  }
  return true;
}

/**
 * Appends the caption triplets of one SEI RBSP (emulation prevention already removed, NAL header cut off) to
 * `out`. Walks every sei_message (H.264 §7.3.2.3.1: payloadType and payloadSize each a run of 0xFF bytes plus a
 * last byte) until the rbsp_trailing_bits byte 0x80 or the end; a payloadSize past the end is cut to what remains.
 * Returns the number of caption data messages found (valid triplets or not).
 */
export function ccTripletsOfSeiRbsp(rbsp: Uint8Array, out: CcTriplet[]): number {
  const n = rbsp.length;
  let found = 0;
  let i = 0;
  while (i < n) {
    if (rbsp[i] === 0x80) return found; // rbsp_stop_one_bit + alignment: no more messages
    let type = 0;
    while (i < n && rbsp[i] === 0xff) {
      type += 255;
      i++;
    }
    if (i >= n) return found;
    type += rbsp[i++]!;
    let size = 0;
    while (i < n && rbsp[i] === 0xff) {
      size += 255;
      i++;
    }
    if (i >= n) return found;
    size += rbsp[i++]!;
    const end = Math.min(n, i + size);
    if (type === USER_DATA_REGISTERED_ITU_T_T35 && ccTripletsOfT35(rbsp.subarray(i, end), out)) found++;
    i = end;
  }
  return found;
}

/**
 * The caption triplets of one video sample as the model stores it: NAL units each preceded by a big-endian
 * length of `nalLengthSize` bytes (ISO/IEC 14496-15 AVC and HEVC sample format; the TS demuxer writes 4). SEI NAL units
 * (H.264 type 6, HEVC prefix SEI 39) are unescaped and walked; everything else is skipped. A length running past
 * the sample ends the walk (the rest of the sample is not NAL units we can trust).
 *
 * @param sample - the sample bytes.
 * @param codec - `'avc'` (H.264) or `'hevc'`.
 * @param nalLengthSize - bytes of each NAL unit's length prefix: 1, 2, 3 or 4.
 * @returns the valid triplets in stream order (empty when the sample carries no caption data).
 * @throws RangeError when `nalLengthSize` is not 1..4 (a caller's bug, not bad media).
 * @example
 * ```ts
 * const triplets = ccTripletsOfSample(sampleBytes(track, k), 'avc', 4);
 * ```
 */
export function ccTripletsOfSample(sample: Uint8Array, codec: CaptionVideoCodec, nalLengthSize = 4): CcTriplet[] {
  const out: CcTriplet[] = [];
  collectSampleTriplets(sample, codec, nalLengthSize, out);
  return out;
}

/**
 * {@link ccTripletsOfSample} into `out`; returns the number of caption data messages the sample holds (valid
 * triplets or not), which is what tells a sample with captions from one without.
 */
export function collectSampleTriplets(sample: Uint8Array, codec: CaptionVideoCodec, nalLengthSize: number, out: CcTriplet[]): number {
  if (!Number.isInteger(nalLengthSize) || nalLengthSize < 1 || nalLengthSize > 4) {
    throw new RangeError(`nalLengthSize must be 1, 2, 3 or 4, got ${nalLengthSize}`);
  }
  const n = sample.length;
  const header = codec === 'avc' ? 1 : 2;
  let found = 0;
  let p = 0;
  while (p + nalLengthSize <= n) {
    let len = 0;
    for (let k = 0; k < nalLengthSize; k++) len = len * 256 + sample[p + k]!;
    p += nalLengthSize;
    if (len > n - p) return found;
    if (len > header) {
      const b0 = sample[p]!;
      const isSei = codec === 'avc' ? (b0 & 0x1f) === AVC_SEI : ((b0 >> 1) & 0x3f) === HEVC_PREFIX_SEI;
      if (isSei) found += ccTripletsOfSeiRbsp(unescapeRbsp(sample.subarray(p + header, p + len)), out);
    }
    p += len;
  }
  return found;
}
