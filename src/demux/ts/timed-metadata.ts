/**
 * Timed metadata of a transport stream: the ID3 tags of an ID3-in-PES stream (stream type 0x15, or private
 * data registered 'ID3 ' — HLS timed metadata, Apple's "Timed Metadata for HTTP Live Streaming") with their
 * timestamps and frames, as mux.js's MetadataStream gives them ('timed-metadata' events).
 */
import { isBoxwrightError } from '../../io/errors.js';
import type { Movie, Track } from '../../model/movie.js';
import { sampleBytes } from '../../model/sample-bytes.js';
import { id3v2TagSize, parseId3Tag, type Id3Frame } from '../es/id3.js';

/** One ID3 tag of a timed metadata stream. */
export interface TimedId3 {
  /** Presentation time in 90 kHz ticks, on the demuxer's continuous timeline (33-bit wraps unwrapped). */
  pts: number;
  /** Decode time: the same as `pts` (metadata PES carry a PTS only; the demuxer times data samples by it). */
  dts: number;
  /** The whole tag, header included (a view of the stream when it came in one PES packet). */
  data: Uint8Array;
  /** Its frames; empty when the tag could not be read (ID3v2.2, a damaged header). */
  frames: Id3Frame[];
}

/** True for the tracks `demuxTs` makes of ID3 timed metadata streams. */
export function isId3Track(track: Track): boolean {
  return track.kind === 'data' && track.descriptions.some((d) => d.format === 'ID3 ');
}

function hasId3Magic(d: Uint8Array): boolean {
  return d.length >= 10 && d[0] === 0x49 && d[1] === 0x44 && d[2] === 0x33;
}

function tagRecord(pts: number, data: Uint8Array): TimedId3 {
  let frames: Id3Frame[] = [];
  try {
    frames = parseId3Tag(data);
  } catch (e) {
    // An unreadable tag still marks a time; the caller keeps its bytes.
    if (!isBoxwrightError(e)) throw e;
  }
  return { pts, dts: pts, data, frames };
}

/**
 * The ID3 tags of a timed metadata track of {@link demuxTs} (one sample per PES packet), in order. A tag
 * larger than its PES packet is completed from the packets that follow and takes the first one's time, as
 * mux.js does; an incomplete tag is dropped when a packet starting a new tag comes first, or at the end.
 * Packets that do not start with 'ID3' while no tag is open are skipped, and bytes after a complete tag
 * in its last packet are ignored.
 */
export function timedMetadata(track: Track): TimedId3[] {
  const out: TimedId3[] = [];
  const s = track.samples;
  let open: { pts: number; size: number; parts: Uint8Array[]; have: number } | undefined;
  for (let k = 0; k < s.count; k++) {
    const bytes = sampleBytes(track, k);
    const pts = s.dts[k]! + s.ctsOffset[k]!;
    if (hasId3Magic(bytes)) {
      const size = id3v2TagSize(bytes, 0);
      open = undefined;
      if (size === 0) continue;
      if (size <= bytes.length) {
        out.push(tagRecord(pts, bytes.subarray(0, size)));
        continue;
      }
      open = { pts, size, parts: [bytes], have: bytes.length };
      continue;
    }
    if (!open) continue;
    open.parts.push(bytes);
    open.have += bytes.length;
    if (open.have < open.size) continue;
    // Bounded by bytes we hold, not by the declared size.
    const data = new Uint8Array(open.size);
    let at = 0;
    for (const p of open.parts) {
      const n = Math.min(p.length, open.size - at);
      data.set(p.subarray(0, n), at);
      at += n;
    }
    out.push(tagRecord(open.pts, data));
    open = undefined;
  }
  return out;
}

/** The timed ID3 tags of every ID3 timed metadata track of a demuxed transport stream, by track id (the PID). */
export function movieTimedMetadata(movie: Movie): Map<number, TimedId3[]> {
  const out = new Map<number, TimedId3[]>();
  for (const t of movie.tracks) if (isId3Track(t)) out.set(t.id, timedMetadata(t));
  return out;
}
