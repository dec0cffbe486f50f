/** PES packet headers (ISO/IEC 13818-1 §2.4.3.6, §2.4.3.7) with PTS and DTS. */
import { BoxwrightError } from '../../io/errors.js';
import type { ByteSink } from './packets.js';
import { wrap33 } from './timestamps.js';

/** Table 2-22 stream_id values we use. */
export const STREAM_ID = {
  /** ITU-T H.26x / ISO/IEC 13818-2 / 14496-2 video stream number 0 (110x xxxx pattern's first). */
  VIDEO: 0xe0,
  /** ISO/IEC 13818-3 / 11172-3 / 13818-7 / 14496-3 audio stream number 0. */
  AUDIO: 0xc0,
  /** private_stream_1: AC-3, E-AC-3 (ATSC A/52 Annex A), Opus. */
  PRIVATE_1: 0xbd,
} as const;

/** Header bytes of a PES packet with a PTS (14) or a PTS and a DTS (19). */
export function pesHeaderSize(withDts: boolean): number {
  return withDts ? 19 : 14;
}

/** Writes a 5-byte PTS/DTS field at `out[p]`: 4-bit prefix, then 33 bits in 3/15/15 chunks each followed by a marker bit. */
export function writeTimestampField(out: Uint8Array, p: number, prefix: number, ts: number): void {
  const v = wrap33(ts);
  const top = Math.floor(v / 2 ** 30);
  const mid = Math.floor(v / 2 ** 15) & 0x7fff;
  const low = v & 0x7fff;
  out[p] = (prefix << 4) | (top << 1) | 1;
  out[p + 1] = mid >> 7;
  out[p + 2] = ((mid & 0x7f) << 1) | 1;
  out[p + 3] = low >> 7;
  out[p + 4] = ((low & 0x7f) << 1) | 1;
}

const field = new Uint8Array(5);
function timestamp(sink: ByteSink, prefix: number, ts: number): void {
  writeTimestampField(field, 0, prefix, ts);
  for (let i = 0; i < 5; i++) sink.u8(field[i]!);
}

/**
 * Writes the PES header for a payload of `payloadSize` bytes. The DTS is written only when it differs
 * from the PTS (§2.4.3.7: PTS_DTS_flags '11' vs '10'). PES_packet_length is 0 ("unbounded") for video when
 * `unboundedLength`, as §2.4.3.7 allows for video carried in transport packets; other streams must fit 16 bits.
 */
export function writePesHeader(sink: ByteSink, streamId: number, payloadSize: number, pts: number, dts: number, unboundedLength: boolean): void {
  const withDts = pts !== dts;
  const after = pesHeaderSize(withDts) - 6 + payloadSize;
  if (!unboundedLength && after > 0xffff) {
    throw new BoxwrightError('BAD_VALUE', `PES packet of ${after} bytes exceeds the 16-bit PES_packet_length of a non-video stream`, 0, '');
  }
  sink.u8(0);
  sink.u8(0);
  sink.u8(1); // packet_start_code_prefix
  sink.u8(streamId);
  const len = unboundedLength ? 0 : after;
  sink.u8(len >> 8);
  sink.u8(len & 0xff);
  // '10', PES_scrambling_control 00, PES_priority 0, data_alignment_indicator 1 (every PES starts an
  // access unit / audio frame), copyright 0, original_or_copy 0.
  sink.u8(0x84);
  sink.u8(withDts ? 0xc0 : 0x80); // PTS_DTS_flags; ESCR, ES_rate, DSM trick mode, copy info, CRC, extension all 0
  sink.u8(withDts ? 10 : 5); // PES_header_data_length
  timestamp(sink, withDts ? 0b0011 : 0b0010, pts);
  if (withDts) timestamp(sink, 0b0001, dts);
}
