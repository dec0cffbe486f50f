/**
 * The transmuxer engine for audio elementary streams — ADTS AAC, MPEG audio (MP3) and AC-3 / E-AC-3 — as
 * HLS packed audio delivers them (RFC 8216 §3.4: each segment starts with an ID3 tag whose PRIV
 * `com.apple.streaming.transportStreamTimestamp` frame gives its first frame's 90 kHz time).
 *
 * Pushed bytes wait in a {@link ByteBuffer} until a decision about them cannot change with more bytes: a
 * candidate header is judged on {@link ES_HEADER_BYTES} bytes, a frame once its whole length and
 * {@link ES_LOOKAHEAD_BYTES} more are there (the next sync, for the resync check), or the input has ended.
 * The frames are found by the same functions the whole-file demuxers use ({@link EsFraming}), and a frame's
 * bytes are copied into the window being gathered. A window is a fixed number of access units (as many as fit
 * in one second, from the first frame's rate) and is written when the next unit starts, so only the bytes
 * decide where fragments are cut, never where chunks end.
 *
 * A window's frames (junk and tags gone) are demuxed by the whole-file demuxer ({@link demuxAdts},
 * {@link demuxMp3}, {@link demuxAc3}) — one definition of samples and sample descriptions — then moved onto the
 * stream's timeline and handed to the {@link FragmentWriter} as track 1. Timestamps are in the track's own
 * timescale, the sample rate (frame durations stay exact integers; hls.js uses the sample rate for audio
 * too): they start at the ID3 timestamp when the stream has one, else 0, and run on by the frames' durations.
 * A later ID3 tag with a timestamp (the next segment's) ends the window and re-anchors the timeline there, as
 * hls.js takes each segment's own ID3 time; 33-bit wraps of those timestamps keep counting upwards.
 */
import { ac3Framing, demuxAc3 } from '../demux/es/ac3.js';
import { adtsFraming, demuxAdts } from '../demux/es/adts.js';
import { id3v2TagSize, skipLeadingId3 } from '../demux/es/id3.js';
import { demuxMp3, mp3Framing } from '../demux/es/mp3.js';
import { ES_HEADER_BYTES, ES_LOOKAHEAD_BYTES, ticksFrom90k, type EsFraming } from '../demux/es/track.js';
import { unwrapTimestamp } from '../demux/ts/pes.js';
import { BoxwrightError, isBoxwrightError } from '../io/errors.js';
import type { Movie, SampleDescription, Track } from '../model/movie.js';
import { sameData } from '../model/same-data.js';
import { SampleTableBuilder } from '../model/sample-table.js';
import { rescale } from '../model/time.js';
import { ByteBuffer } from './byte-buffer.js';
import type { Engine } from './engine.js';
import { wholeRanges } from './own-clock.js';
import type { FragmentWriter } from './writer.js';

/** The elementary-stream inputs. */
export type EsKind = 'adts' | 'mp3' | 'ac3';

/** ID3 tags up to this size are held whole (their timestamp read); larger ones (cover art) are skipped as they stream past. */
export const ID3_HOLD = 1 << 20;

/** The output track's id (one audio track). */
const TRACK_ID = 1;

interface EsFormat<H> {
  name: string;
  framing: EsFraming<H>;
  demux(data: Uint8Array): Movie;
}

const FORMATS: { [K in EsKind]: EsFormat<never> } = {
  adts: { name: 'ADTS', framing: adtsFraming as EsFraming<never>, demux: demuxAdts },
  mp3: { name: 'MPEG audio', framing: mp3Framing as EsFraming<never>, demux: (d) => demuxMp3(d) },
  ac3: { name: 'AC-3', framing: ac3Framing as EsFraming<never>, demux: demuxAc3 },
};

/**
 * What stays the same while a stream does: the description without its bit rates (which a VBR stream's
 * windows each measure differently) and the encoder delay (only the window with the stream's LAME/Xing frame
 * reads it), so that a new init segment is written only when the stream changes.
 */
function streamKey(d: SampleDescription): unknown {
  const { avgBitrate: _a, maxBitrate: _m, encoderDelay: _e, config, ...rest } = d;
  if (config?.kind === 'ac3') return { ...rest, config: { ...config, dac3: { ...config.dac3, bitRateCode: 0 } } };
  if (config?.kind === 'eac3') return { ...rest, config: { ...config, dec3: { ...config.dec3, dataRate: 0 } } };
  return { ...rest, config };
}

/** The push-based engine for one elementary stream (see the module comment). */
class EsEngine<H> implements Engine {
  private readonly input = new ByteBuffer();
  /** Frames of the window being gathered, back to back. */
  private readonly window = new ByteBuffer();
  /** Held bytes needed before the next decision (a push with fewer does not scan). */
  private need = 0;
  /** Bytes of a large ID3 tag still to skip. */
  private skip = 0;
  private first: H | undefined;
  /** The last frame was accepted (a header of the first frame's stream is then trusted). */
  private synced = false;
  /** Access units in the window, and per window. */
  private units = 0;
  private unitsPerWindow = 0;
  /** An ID3 timestamp (90 kHz, unwrapped) for the next window, and the last one read. */
  private anchor90k: number | undefined;
  private lastAnchor90k: number | undefined;
  /** Where the next window starts, in `timescale` ticks. */
  private nextDts = 0;
  private timescale = 0;
  private description: SampleDescription | undefined;
  private pushed = 0;

  constructor(
    private readonly format: EsFormat<H>,
    private readonly writer: FragmentWriter,
  ) {
  }

  push(chunk: Uint8Array): void {
    this.pushed += chunk.length;
    this.input.append(chunk);
    if (this.input.length >= this.need) this.scan(false);
  }

  end(): void {
    this.scan(true);
    this.writeWindow();
    if (this.first === undefined && this.pushed > 0) {
      throw new BoxwrightError('UNSUPPORTED_FORMAT', `no ${this.format.name} frame found in ${this.pushed} bytes`, 0, '');
    }
  }

  /** Consumes every held byte whose meaning is decided (all of them when `ended`). */
  private scan(ended: boolean): void {
    const { input, format } = this;
    const framing = format.framing;
    this.need = 0;
    for (;;) {
      const avail = input.length;
      if (avail === 0) return;
      if (this.skip > 0) {
        const n = Math.min(this.skip, avail);
        this.skip -= n;
        input.consume(n);
        continue;
      }
      if (avail < ES_HEADER_BYTES && !ended) {
        this.need = ES_HEADER_BYTES;
        return;
      }
      const d = input.view();
      const tag = id3v2TagSize(d, 0);
      if (tag > 0) {
        if (tag > ID3_HOLD) {
          this.skip = tag;
          continue;
        }
        if (avail < tag && !ended) {
          this.need = tag;
          return;
        }
        const ts = skipLeadingId3(d.subarray(0, Math.min(tag, avail))).timestamp90k;
        if (ts !== undefined) {
          // The next segment: what was gathered is written, and the timeline restarts at its time.
          this.writeWindow();
          this.anchor90k = unwrapTimestamp(ts, this.lastAnchor90k);
          this.lastAnchor90k = this.anchor90k;
        }
        input.consume(Math.min(tag, avail));
        continue;
      }
      const h = framing.headerAt(d, 0);
      if (h !== undefined) {
        const length = framing.frameLength(h);
        if (avail < length + ES_LOOKAHEAD_BYTES && !ended) {
          this.need = length + ES_LOOKAHEAD_BYTES;
          return;
        }
        if (framing.confirmed(d, 0, h) || (this.synced && this.first !== undefined && framing.sameStream(this.first, h))) {
          const end = Math.min(avail, length);
          this.accept(d.subarray(0, end), h);
          input.consume(end);
          continue;
        }
      }
      // Not a frame: resynchronise byte by byte, as the whole-file demuxers do.
      this.synced = false;
      input.consume(1);
    }
  }

  private accept(frame: Uint8Array, h: H): void {
    const framing = this.format.framing;
    if (this.first === undefined) {
      this.first = h;
      // About one second per fragment, at least one unit (decided once, on the first frame).
      this.unitsPerWindow = Math.max(1, Math.floor(framing.sampleRate(h) / framing.unitSamples(h)));
    }
    this.synced = true;
    if (framing.startsUnit(h)) {
      if (this.units >= this.unitsPerWindow) this.writeWindow();
      this.units++;
    }
    this.window.append(frame);
  }

  /** Demuxes the gathered frames, puts them on the timeline and writes them. */
  private writeWindow(): void {
    const window = this.window;
    this.units = 0;
    if (window.length === 0) return;
    let movie: Movie;
    try {
      movie = this.format.demux(window.view());
    } catch (e) {
      // Frames the demuxer does not take on their own (a dependent E-AC-3 substream, an MP3 VBR tag frame): nothing to write.
      if (isBoxwrightError(e, 'UNSUPPORTED_FORMAT')) {
        window.consume(window.length);
        return;
      }
      throw e;
    }
    const t = movie.tracks[0]!;
    const s = t.samples;
    const timescale = t.timescale;
    let base: number;
    if (this.anchor90k !== undefined) base = ticksFrom90k(this.anchor90k, timescale);
    else base = this.timescale === 0 || this.timescale === timescale ? this.nextDts : rescale(this.nextDts, this.timescale, timescale);
    this.anchor90k = undefined;
    const b = new SampleTableBuilder(Math.max(1, s.count));
    let end = base;
    for (let i = 0; i < s.count; i++) {
      b.push(base + s.dts[i]! - (s.dts[0] ?? 0), s.ctsOffset[i]!, s.duration[i]!, s.size[i]!, s.offset[i]!, s.flags[i]!, 0);
      end = base + s.dts[i]! - s.dts[0]! + s.duration[i]!;
    }
    this.nextDts = end;
    this.timescale = timescale;
    const d = t.descriptions[0]!;
    if (this.description === undefined || !sameData(streamKey(this.description), streamKey(d))) this.description = d;
    const { packetView: _p, ...rest } = t;
    const track: Track = { ...rest, id: TRACK_ID, descriptions: [this.description], samples: b.build() };
    // The writer copies the samples out before returning (nothing is carried): the window buffer is then reused.
    this.writer.write([track], wholeRanges([track]));
    window.consume(window.length);
  }
}

/** A push-based transmuxer for an audio elementary stream of `kind` (see the module comment). */
export function createEsEngine(kind: EsKind, writer: FragmentWriter): Engine {
  return new EsEngine(FORMATS[kind], writer);
}
