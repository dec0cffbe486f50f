/**
 * PES packet header (ISO/IEC 13818-1 §2.4.3.6–2.4.3.7): stream_id, PES_packet_length, PTS/DTS.
 * 33-bit timestamps are unwrapped by {@link unwrapTimestamp}.
 */

/** A parsed PES header. */
export interface PesHeader {
  streamId: number;
  /** PES_packet_length: bytes after the length field; 0 = unbounded (video). */
  packetLength: number;
  /** Offset of the payload from the start of the PES packet. */
  payloadOffset: number;
  /** Raw 33-bit PTS/DTS (90 kHz), when present. */
  pts?: number;
  dts?: number;
}

/** 2^33: the period of PTS/DTS (§2.4.3.7, 33-bit fields). */
export const TIMESTAMP_PERIOD = 2 ** 33;

/** stream_ids whose PES packets have no optional header (§2.4.3.7: the `if` before PES_header). */
function hasNoOptionalHeader(streamId: number): boolean {
  return (
    streamId === 0xbc || // program_stream_map
    streamId === 0xbe || // padding_stream
    streamId === 0xbf || // private_stream_2
    streamId === 0xf0 || // ECM
    streamId === 0xf1 || // EMM
    streamId === 0xff || // program_stream_directory
    streamId === 0xf2 || // DSMCC_stream
    streamId === 0xf8 // ITU-T H.222.1 type E
  );
}

/** A 33-bit timestamp from its 5-byte field (marker bits are not checked, as decoders do not). */
function readTimestamp(b: Uint8Array, p: number): number {
  const hi = (b[p]! >> 1) & 0x07;
  const mid = (b[p + 1]! << 7) | (b[p + 2]! >> 1);
  const lo = (b[p + 3]! << 7) | (b[p + 4]! >> 1);
  return hi * 2 ** 30 + mid * 2 ** 15 + lo;
}

/**
 * Parses the PES header at the start of `b` (a PES packet's first bytes, possibly only the first
 * packet's worth). Returns undefined when there is no packet_start_code_prefix or the header is
 * cut short or inconsistent.
 */
export function parsePesHeader(b: Uint8Array): PesHeader | undefined {
  if (b.length < 6 || b[0] !== 0 || b[1] !== 0 || b[2] !== 1) return undefined;
  const streamId = b[3]!;
  const packetLength = (b[4]! << 8) | b[5]!;
  if (hasNoOptionalHeader(streamId)) return { streamId, packetLength, payloadOffset: 6 };
  if (b.length < 9) return undefined;
  // MPEG-1 system streams would put stuffing here; in a TS the optional header starts with '10'.
  if ((b[6]! & 0xc0) !== 0x80) return undefined;
  const ptsDtsFlags = b[7]! >> 6;
  const headerDataLength = b[8]!;
  const payloadOffset = 9 + headerDataLength;
  if (payloadOffset > b.length) return undefined;
  const h: PesHeader = { streamId, packetLength, payloadOffset };
  if (ptsDtsFlags >= 2 && headerDataLength >= 5) {
    h.pts = readTimestamp(b, 9);
    // '11': DTS follows PTS. '01' is forbidden and ignored.
    if (ptsDtsFlags === 3 && headerDataLength >= 10) h.dts = readTimestamp(b, 14);
  }
  return h;
}

/**
 * Unwraps a raw 33-bit timestamp to the value congruent to it modulo 2^33 that is nearest to
 * `reference` (the previous unwrapped timestamp of the program). Values therefore stay continuous
 * across the wrap (a wrap adds 2^33) and small backward steps (B-frame PTS) stay small.
 * With no reference the raw value is returned.
 */
export function unwrapTimestamp(raw: number, reference: number | undefined): number {
  if (reference === undefined) return raw;
  const base = reference - (((reference % TIMESTAMP_PERIOD) + TIMESTAMP_PERIOD) % TIMESTAMP_PERIOD);
  let v = base + raw;
  if (v - reference > TIMESTAMP_PERIOD / 2) v -= TIMESTAMP_PERIOD;
  else if (reference - v > TIMESTAMP_PERIOD / 2) v += TIMESTAMP_PERIOD;
  return v;
}
