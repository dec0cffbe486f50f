/**
 * ID3 tags around elementary audio streams: ID3v2 in front (MP3 files, HLS packed audio — RFC 8216
 * §3.4 puts one before every segment's first frame), ID3v1 / APEv2 at the end of MP3 files, and the
 * Apple `com.apple.streaming.transportStreamTimestamp` PRIV frame that carries a segment's start time;
 * and the frames of an ID3v2.3/2.4 tag ({@link parseId3Tag}), for timed metadata (ID3 in PES, emsg).
 */

import { BoxwrightError, unlessBadMedia } from '../../io/errors.js';

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

/** True when `d` starts with the ID3v2 tag whose PRIV frame is Apple's HLS timestamp; its 33-bit value. */
function hlsTimestamp(d: Uint8Array, p: number, end: number): number | undefined {
  // A damaged tag in front of audio is skipped, not fatal: the audio behind it still plays.
  const frames = unlessBadMedia(() => parseId3Tag(d.subarray(p, end), p));
  return frames?.find((f) => f.timeStamp !== undefined)?.timeStamp;
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

/**
 * One frame of an ID3v2 tag, shaped like mux.js's (lib/tools/parse-id3.js) so players fed either see the same
 * fields. `data` is the frame body after unsynchronisation and the extra header bytes are removed — for PRIV
 * only the private data after the owner, as mux.js gives it. The other fields are there when the frame type
 * defines them and the body holds them.
 */
export interface Id3Frame {
  /** Frame ID, e.g. 'TIT2', 'TXXX', 'PRIV', 'WXXX'. */
  key: string;
  data: Uint8Array;
  /** Text frames (T***, TXXX): the text without trailing NULs. */
  value?: string;
  /** Text frames other than TXXX: the NUL-separated strings of `value` (ID3v2.4 §4.2). */
  values?: string[];
  /** TXXX, WXXX, APIC, GEOB. */
  description?: string;
  /** URL frames (W***, WXXX), and APIC whose MIME type is '-->' (a link to the picture). */
  url?: string;
  /** PRIV. */
  owner?: string;
  /** APIC, GEOB. */
  mimeType?: string;
  /** APIC picture type (ID3v2.4 §4.14). */
  pictureType?: number;
  /** GEOB. */
  filename?: string;
  /** PRIV `com.apple.streaming.transportStreamTimestamp`: its 33-bit MPEG-2 timestamp (90 kHz). */
  timeStamp?: number;
}

/** Frame format flags (ID3v2.4.0-structure §4.1.2; v2.3 §3.3.1 has other bits). */
const V24_GROUPING = 0x40;
const V24_COMPRESSED = 0x08;
const V24_ENCRYPTED = 0x04;
const V24_UNSYNC = 0x02;
const V24_LENGTH_INDICATOR = 0x01;
const V23_COMPRESSED = 0x80;
const V23_ENCRYPTED = 0x40;
const V23_GROUPING = 0x20;

function u32(d: Uint8Array, p: number): number {
  return d[p]! * 2 ** 24 + d[p + 1]! * 2 ** 16 + d[p + 2]! * 2 ** 8 + d[p + 3]!;
}

/** 28-bit syncsafe integer, or undefined when a byte has its top bit set. */
function syncsafe(d: Uint8Array, p: number): number | undefined {
  const a = d[p]!;
  const b = d[p + 1]!;
  const c = d[p + 2]!;
  const e = d[p + 3]!;
  if ((a | b | c | e) & 0x80) return undefined;
  return a * 2 ** 21 + b * 2 ** 14 + c * 2 ** 7 + e;
}

/** Undoes unsynchronisation (§6.1): every 0xFF 0x00 becomes 0xFF. A view when there is nothing to undo. */
function resync(d: Uint8Array): Uint8Array {
  let i = d.indexOf(0xff);
  if (i < 0) return d;
  const out = new Uint8Array(d.length); // never longer than the input
  let n = 0;
  let from = 0;
  for (; i >= 0 && i + 1 < d.length; i = d.indexOf(0xff, i + 1)) {
    if (d[i + 1] !== 0) continue;
    out.set(d.subarray(from, i + 1), n);
    n += i + 1 - from;
    from = i + 2;
    i++;
  }
  out.set(d.subarray(from), n);
  n += d.length - from;
  return out.subarray(0, n);
}

/** A frame ID: four of A–Z, 0–9 (§4). */
function isFrameId(d: Uint8Array, p: number): boolean {
  if (p + 4 > d.length) return false;
  for (let i = 0; i < 4; i++) {
    const c = d[p + i]!;
    if (!((c >= 0x41 && c <= 0x5a) || (c >= 0x30 && c <= 0x39))) return false;
  }
  return true;
}

/**
 * Size of the v2.4 frame at `q`. The size is syncsafe, but some writers (early iTunes) wrote a plain u32:
 * as ffmpeg and TagLib do, the plain reading is taken when the syncsafe one is impossible, or when only the
 * plain one lands on the next frame (or the end of the frames).
 */
function v24FrameSize(d: Uint8Array, q: number, end: number): number {
  const plain = u32(d, q + 4);
  const safe = syncsafe(d, q + 4);
  if (safe === undefined) return plain;
  if (safe < 0x80) return safe;
  const fits = (n: number): boolean => {
    const next = q + 10 + n;
    return next === end || (next < end && (d[next] === 0 || isFrameId(d, next)));
  };
  return !fits(safe) && fits(plain) ? plain : safe;
}

/** ISO-8859-1 bytes as a string, in chunks (String.fromCharCode takes a bounded argument list). */
function latin1(d: Uint8Array): string {
  let s = '';
  for (let i = 0; i < d.length; i += 4096) s += String.fromCharCode(...d.subarray(i, i + 4096));
  return s;
}

/** UTF-16 code units (big-endian unless `le`) as a string; an odd last byte is dropped. */
function utf16(d: Uint8Array, le: boolean): string {
  let s = '';
  const units: number[] = [];
  for (let i = 0; i + 1 < d.length; i += 2) {
    units.push(le ? d[i]! | (d[i + 1]! << 8) : (d[i]! << 8) | d[i + 1]!);
    if (units.length === 4096) {
      s += String.fromCharCode(...units);
      units.length = 0;
    }
  }
  return s + String.fromCharCode(...units);
}

const utf8Decoder = new TextDecoder('utf-8');

/** Text in ID3 encoding `enc` (§4: 0 ISO-8859-1, 1 UTF-16 with BOM, 2 UTF-16BE, 3 UTF-8); bad sequences become U+FFFD. */
function decodeText(d: Uint8Array, enc: number): string {
  switch (enc) {
    case 1: {
      // The BOM decides the byte order; without one, big-endian (as for encoding 2).
      if (d.length >= 2 && d[0] === 0xff && d[1] === 0xfe) return utf16(d.subarray(2), true);
      if (d.length >= 2 && d[0] === 0xfe && d[1] === 0xff) return utf16(d.subarray(2), false);
      return utf16(d, false);
    }
    case 2:
      return utf16(d, false);
    case 3:
      return utf8Decoder.decode(d);
    default:
      return latin1(d);
  }
}

/** End of the NUL-terminated string from `p` in encoding `enc` (index of its terminator, or `d.length`). */
function terminator(d: Uint8Array, p: number, enc: number): number {
  if (enc === 1 || enc === 2) {
    // Two zero bytes on a character boundary.
    for (let i = p; i + 1 < d.length; i += 2) if (d[i] === 0 && d[i + 1] === 0) return i;
    return d.length;
  }
  const i = d.indexOf(0, p);
  return i < 0 ? d.length : i;
}

/** One terminated string from `p`: [text, where the next field starts]. */
function terminated(d: Uint8Array, p: number, enc: number): [string, number] {
  const t = terminator(d, p, enc);
  return [decodeText(d.subarray(p, t), enc), Math.min(d.length, t + (enc === 1 || enc === 2 ? 2 : 1))];
}

const HLS_TIMESTAMP_BYTES = 8;

/** Reads the fields of frame `key` from its body (§4 of ID3v2.4.0-frames). */
function frameOf(key: string, body: Uint8Array): Id3Frame {
  const frame: Id3Frame = { key, data: body };
  const enc = body[0] ?? 0;
  if (key === 'TXXX' || key === 'WXXX') {
    if (body.length < 1) return frame;
    const [description, at] = terminated(body, 1, enc);
    frame.description = description;
    if (key === 'TXXX') frame.value = decodeText(body.subarray(at), enc).replace(/\0+$/, '');
    // URLs are always ISO-8859-1, and end at a NUL if there is one (§4.3).
    else frame.url = terminated(body, at, 0)[0];
  } else if (key[0] === 'T') {
    if (body.length < 1) return frame;
    const value = decodeText(body.subarray(1), enc).replace(/\0+$/, '');
    frame.value = value;
    frame.values = value.split('\0');
  } else if (key[0] === 'W') {
    frame.url = terminated(body, 0, 0)[0];
  } else if (key === 'PRIV') {
    const t = body.indexOf(0);
    if (t >= 0) {
      frame.owner = latin1(body.subarray(0, t));
      frame.data = body.subarray(t + 1);
      // RFC 8216 §3.4: an 8-byte big-endian 33-bit timestamp.
      if (frame.owner === HLS_TIMESTAMP_OWNER && frame.data.length === HLS_TIMESTAMP_BYTES) {
        const v = frame.data;
        frame.timeStamp = (v[3]! & 1) * 2 ** 32 + u32(v, 4);
      }
    }
  } else if (key === 'APIC' || key === 'GEOB') {
    if (body.length < 1) return frame;
    const [mimeType, afterMime] = terminated(body, 1, 0);
    frame.mimeType = mimeType;
    let at = afterMime;
    if (key === 'APIC') {
      if (at >= body.length) return frame;
      frame.pictureType = body[at]!;
      at++;
    } else {
      const [filename, afterName] = terminated(body, at, enc);
      frame.filename = filename;
      at = afterName;
    }
    const [description, afterDescription] = terminated(body, at, enc);
    frame.description = description;
    frame.data = body.subarray(afterDescription);
    if (key === 'APIC' && mimeType === '-->') frame.url = latin1(frame.data);
  }
  return frame;
}

/**
 * The frames of the ID3v2.3 or v2.4 tag at the start of `tag` (id3.org ID3v2.4.0-structure, ID3v2.3.0):
 * text frames (any of the four encodings), TXXX, URL frames and WXXX, PRIV (with the HLS timestamp),
 * APIC and GEOB (their header fields and the object as `data`); any other frame keeps its body as `data`.
 * Undoes unsynchronisation (the whole tag in v2.3, per frame in v2.4), skips the extended header, the
 * frames' grouping/encryption bytes and the data length indicator; compressed and encrypted frames keep
 * their bytes as they are. Frame bodies are views of `tag` unless unsynchronisation had to be undone.
 * Parsing stops at padding, or at a frame whose header is not a frame ID or whose size runs past the tag
 * (the frames before it are returned, as mux.js does).
 *
 * Throws {@link BoxwrightError}: BAD_VALUE when `tag` does not start with an ID3v2 header, UNSUPPORTED_FORMAT
 * for ID3v2.2 (three-character frame IDs) or an unknown major version, TRUNCATED when the tag's declared size
 * runs past the end of `tag`. `offset` is where `tag` sits in the input, for the error messages.
 */
export function parseId3Tag(tag: Uint8Array, offset = 0): Id3Frame[] {
  const size = id3v2TagSize(tag, 0);
  if (size === 0) throw new BoxwrightError('BAD_VALUE', 'no ID3v2 tag header (\'ID3\', version, flags, syncsafe size)', offset, 'ID3');
  const major = tag[3]!;
  if (major !== 3 && major !== 4) throw new BoxwrightError('UNSUPPORTED_FORMAT', `ID3v2.${major} tag (only v2.3 and v2.4 frames are read)`, offset, 'ID3');
  const flags = tag[5]!;
  const bodySize = size - ID3V2_HEADER - (flags & 0x10 ? 10 : 0);
  if (ID3V2_HEADER + bodySize > tag.length) {
    throw new BoxwrightError('TRUNCATED', `ID3v2 tag declares ${bodySize} bytes after its header but ${tag.length - ID3V2_HEADER} remain`, offset, 'ID3');
  }
  // v2.3 unsynchronises the whole tag after the header; v2.4 marks it on each frame (the header flag says all are).
  const tagUnsync = (flags & 0x80) !== 0;
  let d = tag.subarray(ID3V2_HEADER, ID3V2_HEADER + bodySize);
  if (tagUnsync && major === 3) d = resync(d);
  let q = 0;
  if (flags & 0x40) {
    // Extended header (§3.2): v2.4 size is syncsafe and counts itself; v2.3 size leaves out its own 4 bytes.
    if (d.length < 4) return [];
    const n = major === 4 ? syncsafe(d, 0) : u32(d, 0) + 4;
    if (n === undefined || n < 4 || n > d.length) return [];
    q = n;
  }
  const frames: Id3Frame[] = [];
  while (q + 10 <= d.length && isFrameId(d, q)) {
    const key = String.fromCharCode(d[q]!, d[q + 1]!, d[q + 2]!, d[q + 3]!);
    const frameSize = major === 4 ? v24FrameSize(d, q, d.length) : u32(d, q + 4);
    const start = q + 10;
    if (frameSize > d.length - start) break;
    const format = d[q + 9]!;
    let body = d.subarray(start, start + frameSize);
    q = start + frameSize;
    if (major === 4) {
      let extra = (format & V24_GROUPING ? 1 : 0) + (format & V24_ENCRYPTED ? 1 : 0) + (format & V24_LENGTH_INDICATOR ? 4 : 0);
      extra = Math.min(extra, body.length);
      body = body.subarray(extra);
      if (format & (V24_COMPRESSED | V24_ENCRYPTED)) {
        frames.push({ key, data: body });
        continue;
      }
      if (tagUnsync || format & V24_UNSYNC) body = resync(body);
    } else {
      const extra = Math.min(body.length, (format & V23_COMPRESSED ? 4 : 0) + (format & V23_ENCRYPTED ? 1 : 0) + (format & V23_GROUPING ? 1 : 0));
      body = body.subarray(extra);
      if (format & (V23_COMPRESSED | V23_ENCRYPTED)) {
        frames.push({ key, data: body });
        continue;
      }
    }
    frames.push(frameOf(key, body));
  }
  return frames;
}
