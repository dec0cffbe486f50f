/**
 * ID3 tags around elementary audio streams: ID3v2 in front (MP3 files, HLS packed audio — RFC 8216
 * §3.4 puts one before every segment's first frame), ID3v1 / APEv2 at the end of MP3 files, and the
 * Apple `com.apple.streaming.transportStreamTimestamp` PRIV frame that carries a segment's start time.
 */

/** ID3v2 header (id3.org ID3v2.4.0-structure §3.1): 'ID3', version, flags, 28-bit syncsafe size. */
const ID3V2_HEADER = 10;
/** HLS packed audio timestamp owner (RFC 8216 §3.4). */
const HLS_TIMESTAMP_OWNER = 'com.apple.streaming.transportStreamTimestamp';

function isId3v2At(d: Uint8Array, p: number): boolean {
  return p + ID3V2_HEADER <= d.length && d[p] === 0x49 && d[p + 1] === 0x44 && d[p + 2] === 0x33 && d[p + 3] !== 0xff && d[p + 4] !== 0xff;
}

/**
 * Total size of the ID3v2 tag at `p` (header + body + optional v2.4 footer), or 0 when there is none
 * (no 'ID3' magic, or a size byte with its top bit set, which a syncsafe integer never has).
 * The result may run past the end of `d` for a cut tag; callers clamp.
 */
export function id3v2TagSize(d: Uint8Array, p: number): number {
  if (!isId3v2At(d, p)) return 0;
  const s6 = d[p + 6]!;
  const s7 = d[p + 7]!;
  const s8 = d[p + 8]!;
  const s9 = d[p + 9]!;
  if ((s6 | s7 | s8 | s9) & 0x80) return 0;
  const body = s6 * 2 ** 21 + s7 * 2 ** 14 + s8 * 2 ** 7 + s9;
  return ID3V2_HEADER + body + (d[p + 5]! & 0x10 ? 10 : 0);
}

/** Leading ID3v2 tags: where the audio starts and the HLS start timestamp (90 kHz) when a tag had one. */
export interface LeadingId3 {
  /** First byte after the last consecutive ID3v2 tag (clamped to the data length). */
  end: number;
  /** 33-bit MPEG-2 timestamp (90 kHz) from the first PRIV transportStreamTimestamp frame. */
  timestamp90k?: number;
}

/** Skips consecutive ID3v2 tags from `start` and reads the HLS timestamp if one of them carries it. */
export function skipLeadingId3(d: Uint8Array, start = 0): LeadingId3 {
  let p = start;
  const out: LeadingId3 = { end: p };
  for (let size = id3v2TagSize(d, p); size > 0; size = id3v2TagSize(d, p)) {
    const end = Math.min(d.length, p + size);
    if (out.timestamp90k === undefined) {
      const ts = hlsTimestamp(d, p, end);
      if (ts !== undefined) out.timestamp90k = ts;
    }
    p = end;
  }
  out.end = p;
  return out;
}

function u32(d: Uint8Array, p: number): number {
  return d[p]! * 2 ** 24 + d[p + 1]! * 2 ** 16 + d[p + 2]! * 2 ** 8 + d[p + 3]!;
}

/**
 * Walks the frames of the ID3v2.3/2.4 tag in `d[p, end)` for PRIV with the HLS timestamp owner and returns
 * its 33-bit value (RFC 8216 §3.4: an 8-byte big-endian field whose upper 31 bits are zero).
 * v2.2 tags (3-character frame IDs, no PRIV) and unsynchronised tags are not searched.
 */
function hlsTimestamp(d: Uint8Array, p: number, end: number): number | undefined {
  const major = d[p + 3]!;
  const flags = d[p + 5]!;
  if ((major !== 3 && major !== 4) || flags & 0x80) return undefined;
  let q = p + ID3V2_HEADER;
  if (flags & 0x40) {
    // Extended header (§3.2): v2.4 size is syncsafe and includes itself; v2.3 size excludes its 4 bytes.
    if (q + 4 > end) return undefined;
    const n = major === 4 ? syncsafe(d, q) : u32(d, q) + 4;
    if (n === undefined || n < 4) return undefined;
    q += n;
  }
  while (q + 10 <= end) {
    if (d[q] === 0) break; // padding
    const id = String.fromCharCode(d[q]!, d[q + 1]!, d[q + 2]!, d[q + 3]!);
    const size = major === 4 ? syncsafe(d, q + 4) : u32(d, q + 4);
    if (size === undefined) return undefined;
    const body = q + 10;
    if (body + size > end) return undefined;
    if (id === 'PRIV') {
      const owner = HLS_TIMESTAMP_OWNER.length;
      if (size === owner + 1 + 8 && d[body + owner] === 0 && String.fromCharCode(...d.subarray(body, body + owner)) === HLS_TIMESTAMP_OWNER) {
        const v = body + owner + 1;
        return (d[v + 3]! & 1) * 2 ** 32 + u32(d, v + 4);
      }
    }
    q = body + size;
  }
  return undefined;
}

function syncsafe(d: Uint8Array, p: number): number | undefined {
  const a = d[p]!;
  const b = d[p + 1]!;
  const c = d[p + 2]!;
  const e = d[p + 3]!;
  if ((a | b | c | e) & 0x80) return undefined;
  return a * 2 ** 21 + b * 2 ** 14 + c * 2 ** 7 + e;
}

/**
 * End of the audio in an MP3 file: before a trailing ID3v1 tag ('TAG', the last 128 bytes) and an APEv2
 * tag (32-byte 'APETAGEX' footer whose size covers items + footer, plus a 32-byte header when flagged).
 * The APE tag may sit before or after the ID3v1 tag (both orders occur; APE spec "Location of the tag").
 */
export function audioEndBeforeTrailingTags(d: Uint8Array, start: number): number {
  let end = d.length;
  for (let pass = 0; pass < 2; pass++) {
    if (end - start >= 128 && d[end - 128] === 0x54 && d[end - 127] === 0x41 && d[end - 126] === 0x47) {
      end -= 128;
      continue;
    }
    if (end - start >= 32 && String.fromCharCode(...d.subarray(end - 32, end - 24)) === 'APETAGEX') {
      const f = end - 32;
      const size = d[f + 12]! + d[f + 13]! * 2 ** 8 + d[f + 14]! * 2 ** 16 + d[f + 15]! * 2 ** 24;
      const hasHeader = (d[f + 23]! & 0x80) !== 0;
      const total = size + (hasHeader ? 32 : 0);
      if (total >= 32 && total <= end - start) {
        end -= total;
        continue;
      }
    }
    break;
  }
  return end;
}
