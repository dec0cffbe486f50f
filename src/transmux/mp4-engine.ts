/**
 * The transmuxer engine for MP4 input: fragmented MP4 (an init segment `ftyp` + `moov` with `mvex`, then
 * `moof` + `mdat` pairs — fMP4 HLS/DASH renditions pushed segment after segment, or a whole fragmented file)
 * and progressive MP4 (`moov` without `mvex`).
 *
 * Top-level boxes are split as they complete. A box size is a claim: it is checked (at least its header,
 * 64-bit sizes below 2^53) and never allocated; bytes are held only as they arrive, a box at most
 * {@link BOX_HOLD} bytes (a larger declared size fails at once, before waiting for it), and a size of 0 (the
 * box runs to the end) waits for `flush()`.
 *
 * - Fragmented: the init segment is demuxed by {@link demuxMp4} once (descriptions, timescales, `trex`
 *   defaults); each `moof` is read by the MP4 demuxer's fragment reader ({@link readMoof}) and handed to the
 *   {@link FragmentWriter} with its data as soon as the `mdat` that holds the end of its samples is complete
 *   (the next one, or several: a moof may point into more than one). Other boxes
 *   (`styp`, `sidx`, `free`, `emsg`, `prft` …) are skipped. A new `moov` replaces the init (a rendition switch).
 * - Progressive: the samples of a `moov` point anywhere in the file, so the whole file is held (at most
 *   {@link PROGRESSIVE_HOLD} bytes) and written at `flush()`.
 *
 * The output is normalised fMP4: our init segment and fragments (one GOP each with video, about 1 s of audio
 * without), the video and audio tracks with their own timescales and decode times (`tfdt` as in the input,
 * or from 0 for a progressive file), track IDs 1..n in `moov` order. Edit lists are not carried (the writer
 * writes none), and tracks that are neither video nor audio are left out, as for transport streams.
 */
import { parseTree } from '../../boxes/tree.js';
import { demuxMp4 } from '../demux/mp4/index.js';
import { readMoof, trexDefaults, type FragmentTrackState } from '../demux/mp4/fragments.js';
import { childOf, childrenOf, valueAs } from '../../boxes/tree.js';
import * as fr from '../../boxes/families/fragment.js';
import { BoxwrightError } from '../io/errors.js';
import type { Movie, Track } from '../model/movie.js';
import { firstSamples, SampleTableBuilder, type SampleTable } from '../model/sample-table.js';
import { ByteBuffer } from './byte-buffer.js';
import type { Engine } from './engine.js';
import { wholeRanges } from './own-clock.js';
import type { FragmentWriter } from './writer.js';

/** Largest top-level box held in fragmented input (a `moof` or an `mdat` of one fragment). */
export const BOX_HOLD = 256 << 20;
/** Largest progressive file (or input before its `moov`) held. */
export const PROGRESSIVE_HOLD = 1024 << 20;

const fourccAt = (d: Uint8Array, p: number): string => String.fromCharCode(d[p]!, d[p + 1]!, d[p + 2]!, d[p + 3]!);
const u32At = (d: Uint8Array, p: number): number => d[p]! * 2 ** 24 + d[p + 1]! * 2 ** 16 + d[p + 2]! * 2 ** 8 + d[p + 3]!;

/** A top-level box header: its type and whole size (undefined: runs to the end of the input). */
interface BoxHeader {
  type: string;
  size: number | undefined;
}

/** The box header at `p` of `d` (`at`: its offset in the stream), or undefined when its bytes are not all there yet. */
function boxHeaderAt(d: Uint8Array, p: number, at: number): BoxHeader | undefined {
  if (d.length - p < 8) return undefined;
  const size32 = u32At(d, p);
  const type = fourccAt(d, p + 4);
  if (size32 === 0) return { type, size: undefined };
  if (size32 !== 1) {
    if (size32 < 8) throw new BoxwrightError('BAD_BOX_SIZE', `top-level box '${type}' declares ${size32} bytes, less than its header`, at, type);
    return { type, size: size32 };
  }
  if (d.length - p < 16) return undefined;
  const hi = u32At(d, p + 8);
  if (hi >= 2 ** 21) throw new BoxwrightError('TOO_LARGE', `top-level box '${type}' declares a 64-bit size past 2^53`, at, type);
  const size = hi * 2 ** 32 + u32At(d, p + 12);
  if (size < 16) throw new BoxwrightError('BAD_BOX_SIZE', `top-level box '${type}' declares ${size} bytes, less than its header`, at, type);
  return { type, size };
}

/** The samples of `t` that lie inside its data (a cut file keeps those), or throws when `strict`. */
function samplesInside(t: SampleTable, dataLength: number, strict: boolean, at: number, path: string): SampleTable {
  for (let i = 0; i < t.count; i++) {
    if (t.offset[i]! < 0 || t.offset[i]! + t.size[i]! > dataLength) {
      if (strict) throw new BoxwrightError('TRUNCATED', `sample ${i} (${t.size[i]} bytes) lies outside its fragment's ${dataLength} bytes`, at, path);
      return firstSamples(t, i);
    }
  }
  return t;
}

/** The init of fragmented input: its tracks and their fragment state. */
interface Init {
  movie: Movie;
  states: Map<number, FragmentTrackState>;
}

/** The push-based engine for MP4 input (see the module comment). */
class Mp4Engine implements Engine {
  private readonly input = new ByteBuffer();
  /** Offset in the held bytes of the next box not walked yet. */
  private cursor = 0;
  /** 'unknown' until a `moov` (or an `mdat` before any) says which. */
  private mode: 'unknown' | 'fragmented' | 'progressive' = 'unknown';
  private init: Init | undefined;
  /** Offset in the held bytes of the `moof` waiting for its `mdat`, and how far past it its samples reach. */
  private moofAt: number | undefined;
  private extent = 0;

  constructor(private readonly writer: FragmentWriter) {
  }

  push(chunk: Uint8Array): void {
    this.input.append(chunk);
    if (this.mode !== 'fragmented' && this.input.length > PROGRESSIVE_HOLD) {
      throw new BoxwrightError('TOO_LARGE', `MP4 input without a fragmented moov holds more than ${PROGRESSIVE_HOLD} bytes`, this.input.consumed, '');
    }
    this.walk(false);
  }

  end(): void {
    this.walk(true);
    const held = this.input.length;
    if (this.mode === 'progressive') {
      this.writeProgressive();
      return;
    }
    if (this.mode === 'unknown') {
      if (held > 0) throw new BoxwrightError('UNSUPPORTED_FORMAT', 'no moov box: not a playable ISO-BMFF stream (a media segment needs its init segment)', this.input.consumed, '');
      return;
    }
    if (!this.init!.movie.tracks.some((t) => t.kind === 'video' || t.kind === 'audio')) {
      throw new BoxwrightError('NO_TRACK', 'the moov has no video or audio track to transmux', 0, 'moov');
    }
    if (this.cursor < held || this.moofAt !== undefined) {
      throw new BoxwrightError('TRUNCATED', `the input ends inside a box (${held - (this.moofAt ?? this.cursor)} bytes of it)`, this.input.consumed + (this.moofAt ?? this.cursor), '');
    }
  }

  /** Walks the complete top-level boxes (at the end: the last one too, cut or running to the end). */
  private walk(ended: boolean): void {
    for (;;) {
      const d = this.input.view();
      const p = this.cursor;
      const at = this.input.consumed + p;
      if (p >= d.length) return;
      const h = boxHeaderAt(d, p, at);
      if (!h) return;
      if (this.mode === 'fragmented' && h.size !== undefined && h.size > BOX_HOLD) {
        throw new BoxwrightError('TOO_LARGE', `box '${h.type}' declares ${h.size} bytes, more than the ${BOX_HOLD} a fragment may hold`, at, h.type);
      }
      let size = h.size;
      if (size === undefined || p + size > d.length) {
        if (!ended) return;
        // Cut short (or running to the end): a progressive file keeps what is there; a fragment is incomplete.
        if (size !== undefined && this.mode !== 'progressive' && h.type !== 'mdat') return;
        size = d.length - p;
      }
      this.onBox(h.type, p, size, at);
    }
  }

  private onBox(type: string, p: number, size: number, at: number): void {
    const end = p + size;
    if (this.mode === 'progressive') {
      this.cursor = end;
      return;
    }
    if (type === 'moov') {
      const d = this.input.view();
      // Demuxed from a copy: the descriptions keep views of it while the input buffer is reused.
      const movie = demuxMp4(d.slice(p, end)).movie;
      if (!movie.fragmented) {
        this.mode = 'progressive';
        this.cursor = end;
        return;
      }
      const tree = parseTree(d.slice(p, end));
      const mvex = childOf(tree.boxes[0], 'mvex');
      const states = new Map<number, FragmentTrackState>();
      for (const t of movie.tracks) {
        const trex = valueAs(childrenOf(mvex, 'trex').find((b) => (b.value as { trackId?: number } | undefined)?.trackId === t.id), fr.trex);
        const s = t.samples;
        const nextDts = s.count ? s.dts[s.count - 1]! + s.duration[s.count - 1]! : 0;
        states.set(t.id, { trackId: t.id, builder: new SampleTableBuilder(1), defaults: trexDefaults(trex), nextDts });
      }
      this.init = { movie, states };
      this.mode = 'fragmented';
      this.moofAt = undefined;
      this.drop(end);
      return;
    }
    if (type === 'mdat' && this.mode === 'unknown') {
      // Media before any moov: a progressive file with its moov at the end.
      this.mode = 'progressive';
      this.cursor = end;
      return;
    }
    if (type === 'moof') {
      if (this.mode !== 'fragmented') throw new BoxwrightError('UNSUPPORTED_FORMAT', 'a moof before any moov: a media segment needs its init segment first', at, 'moof');
      // The fragment before it lacks data its samples point at (it is written as far as that fails).
      if (this.moofAt !== undefined) this.writeFragment(this.moofAt, p);
      this.moofAt = p;
      this.extent = this.readFragment(p, end, false).extent;
      if (this.extent > BOX_HOLD) throw new BoxwrightError('TOO_LARGE', `moof samples reach ${this.extent} bytes past it, more than the ${BOX_HOLD} a fragment may hold`, at, 'moof');
      this.cursor = end;
      return;
    }
    // A fragment is complete with the mdat that holds the end of its samples (usually the one right after it).
    if (type === 'mdat' && this.moofAt !== undefined && end - this.moofAt >= this.extent) {
      this.writeFragment(this.moofAt, end);
      this.moofAt = undefined;
      this.drop(end);
      return;
    }
    if (this.moofAt !== undefined && end - this.moofAt > 2 * BOX_HOLD) {
      throw new BoxwrightError('TOO_LARGE', `no mdat completes the moof's data within ${2 * BOX_HOLD} bytes`, this.input.consumed + this.moofAt, 'moof');
    }
    // ftyp, styp, sidx, free, emsg, prft …: kept before the moov (the progressive case needs them), else skipped.
    if (this.mode === 'fragmented' && this.moofAt === undefined) this.drop(end);
    else this.cursor = end;
  }

  /** Drops the held bytes before offset `end` (the walk continues there). */
  private drop(end: number): void {
    this.input.consume(end);
    this.cursor = 0;
  }

  /**
   * The video and audio samples of the moof at `moofAt` (offsets in the held bytes), with offsets from the moof
   * start up to `end`, and how far past the moof start they reach. The tracks' decode times move on only when
   * `commit` (a moof is read once to learn its extent, again when written).
   */
  private readFragment(moofAt: number, end: number, commit: boolean): { tracks: Track[]; extent: number } {
    const { movie, states } = this.init!;
    const bytes = this.input.view().subarray(moofAt, end);
    const abs = this.input.consumed + moofAt;
    const moof = parseTree(bytes).boxes.find((b) => b.type === 'moof')!;
    const next = new Map<number, number>();
    for (const s of states.values()) {
      s.builder = new SampleTableBuilder(16);
      next.set(s.trackId, s.nextDts);
    }
    // At its place in the stream: an explicit base_data_offset counts from the start of the stream.
    readMoof({ ...moof, offset: abs }, states, bytes.length + (1 << 16));
    const tracks: Track[] = [];
    let extent = 0;
    for (const t of movie.tracks) {
      const state = states.get(t.id)!;
      if (t.kind !== 'video' && t.kind !== 'audio') continue;
      const built = state.builder.build();
      const b = new SampleTableBuilder(Math.max(1, built.count));
      for (let i = 0; i < built.count; i++) {
        const offset = built.offset[i]! - abs;
        b.push(built.dts[i]!, built.ctsOffset[i]!, built.duration[i]!, built.size[i]!, offset, built.flags[i]!, built.description[i]!);
        extent = Math.max(extent, offset + built.size[i]!);
      }
      if (built.count > 0) tracks.push({ ...t, samples: b.build(), data: bytes, edits: [] });
    }
    if (!commit) for (const s of states.values()) s.nextDts = next.get(s.trackId)!;
    return { tracks, extent };
  }

  /** Writes the moof at `moofAt` with the boxes after it up to `end` (offsets in the held bytes). */
  private writeFragment(moofAt: number, end: number): void {
    const { tracks } = this.readFragment(moofAt, end, true);
    const at = this.input.consumed + moofAt;
    for (const t of tracks) t.samples = samplesInside(t.samples, end - moofAt, true, at, 'moof');
    // The writer copies the samples out before returning (nothing is carried).
    if (tracks.length > 0) this.writer.write(tracks, wholeRanges(tracks));
  }

  /** Writes a held progressive file: every sample that is there, one window. */
  private writeProgressive(): void {
    const data = this.input.view();
    const movie = demuxMp4(data).movie;
    if (!movie.tracks.some((t) => t.kind === 'video' || t.kind === 'audio')) {
      throw new BoxwrightError('NO_TRACK', 'the movie has no video or audio track to transmux', 0, 'moov');
    }
    const tracks = movie.tracks.map((t) => ({ ...t, samples: samplesInside(t.samples, data.length, false, 0, ''), edits: [] }));
    this.writer.write(tracks, wholeRanges(tracks));
  }
}

/** A push-based transmuxer for MP4 / fragmented MP4 input (see the module comment). */
export function createMp4Engine(writer: FragmentWriter): Engine {
  return new Mp4Engine(writer);
}
