/**
 * Closed captions (CEA-608 and CEA-708) carried in H.264 / HEVC SEI, decoded into text cues.
 *
 * {@link CaptionExtractor} takes video samples one at a time (the transmuxer's per-sample path);
 * {@link extractCaptions} runs it over a demuxed video track. No I/O, no events: cues are returned.
 */
import type { SampleDescription, Track } from '../model/movie.js';
import { nalLengthSize as lengthSizeOf } from '../model/codec-config.js';
import { sampleBytes } from '../model/sample-bytes.js';
import { Cea608Decoder } from './cea608.js';
import { Cea708Decoder } from './cea708.js';
import type { CaptionCue } from './cue.js';
import { collectSampleTriplets, type CaptionVideoCodec, type CcTriplet } from './sei.js';

export type { CaptionCue, CaptionStreamName } from './cue.js';
export type { CaptionVideoCodec, CcTriplet } from './sei.js';
export { ccTripletsOfSample, ccTripletsOfSeiRbsp, ccTripletsOfT35 } from './sei.js';
export { Cea608Channel, Cea608Decoder } from './cea608.js';
export { Cea708Decoder } from './cea708.js';

/** Options of {@link CaptionExtractor}. */
export interface CaptionExtractorOptions {
  /** Decode CEA-708 (DTVCC) services too; default true, as mux.js. */
  cea708?: boolean;
}

/**
 * Collects the caption bytes of video samples and decodes them into cues.
 *
 * Samples are pushed in decode order; the caption byte pairs are decoded in presentation order (a stable sort
 * by pts at each {@link CaptionExtractor.flush}, as mux.js does), because encoders write each picture's caption
 * bytes into that picture and B-pictures come out of order. Decoder state (what is on screen, the roll-up
 * window, DTVCC packets in progress) carries over from one flush to the next, so flush per segment; call
 * {@link CaptionExtractor.reset} after a seek.
 *
 * @example
 * ```ts
 * const cc = new CaptionExtractor();
 * for (const s of segmentSamples) cc.push(s.bytes, s.pts, s.dts, 'avc');
 * const cues = cc.flush();   // [{ startPts, endPts, text, stream: 'CC1' }, …]
 * ```
 */
export class CaptionExtractor {
  private cues: CaptionCue[] = [];
  private readonly cea608: Cea608Decoder;
  private readonly cea708: Cea708Decoder | undefined;
  /** Waiting byte pairs in arrival order: pts, and cc_type << 16 | cc_data. */
  private pendingPts: number[] = [];
  private pendingWord: number[] = [];
  /** Duplicate detection across re-sent samples (see {@link CaptionExtractor.push}). */
  private latestDts: number | null = null;
  private ignoreEqualDts = false;
  private sameDtsCount = 0;

  constructor(options: CaptionExtractorOptions = {}) {
    this.cea608 = new Cea608Decoder(this.cues);
    this.cea708 = options.cea708 === false ? undefined : new Cea708Decoder(this.cues);
  }

  /**
   * Takes one video sample (NAL units with `nalLengthSize`-byte length prefixes, as the model stores them) and
   * keeps its caption bytes for the next {@link CaptionExtractor.flush}. Bad bytes never throw: what cannot be
   * read is skipped.
   *
   * Like mux.js, a sample whose dts is older than the newest one seen is taken as a repeat (the same segment
   * loaded twice) and ignored, and so are as many samples at that newest dts as were already taken.
   *
   * @param sample - the sample's bytes.
   * @param pts - its presentation time; cues use the same unit (90 kHz for MPEG-TS).
   * @param dts - its decode time, in the same unit.
   * @param codec - `'avc'` (H.264) or `'hevc'`.
   * @param nalLengthSize - bytes of each NAL unit length prefix (1..4; 4 for samples from the TS demuxer).
   * @throws RangeError when `nalLengthSize` is not 1..4.
   */
  push(sample: Uint8Array, pts: number, dts: number, codec: CaptionVideoCodec = 'avc', nalLengthSize = 4): void {
    const triplets: CcTriplet[] = [];
    // A sample without caption data takes no part in the repeat detection; one with only filler does, as in mux.js.
    if (collectSampleTriplets(sample, codec, nalLengthSize, triplets) === 0) return;
    if (this.latestDts !== null && dts < this.latestDts) {
      this.ignoreEqualDts = true;
      return;
    }
    if (dts === this.latestDts && this.ignoreEqualDts) {
      if (--this.sameDtsCount <= 0) this.ignoreEqualDts = false;
      return;
    }
    for (const t of triplets) {
      this.pendingPts.push(pts);
      this.pendingWord.push((t.ccType << 16) | t.ccData);
    }
    if (this.latestDts !== dts) this.sameDtsCount = 0;
    this.sameDtsCount++;
    this.latestDts = dts;
  }

  /**
   * Decodes the caption bytes pushed since the last flush, in presentation order, and returns the cues that
   * ended in them (in the order they ended). A caption still on screen is returned by a later flush, when it
   * is cleared or replaced.
   */
  flush(): CaptionCue[] {
    const n = this.pendingPts.length;
    const pts = this.pendingPts;
    const word = this.pendingWord;
    // Array#sort is stable, so pairs with one pts keep their arrival order.
    const order = Array.from({ length: n }, (_, k) => k).sort((a, b) => pts[a]! - pts[b]!);
    for (const k of order) {
      const w = word[k]!;
      const type = w >>> 16;
      const data = w & 0xffff;
      if (type < 2) this.cea608.push(pts[k]!, type as 0 | 1, data);
      else this.cea708?.push(pts[k]!, type, data);
    }
    this.pendingPts = [];
    this.pendingWord = [];
    return this.cues.splice(0);
  }

  /** Forgets everything: pending bytes, what is on screen, duplicate detection (after a seek). */
  reset(): void {
    this.pendingPts = [];
    this.pendingWord = [];
    this.cues.length = 0;
    this.latestDts = null;
    this.ignoreEqualDts = false;
    this.sameDtsCount = 0;
    this.cea608.reset();
    this.cea708?.reset();
  }
}

/**
 * The caption cues of a demuxed H.264 or HEVC track (CEA-608 in SEI of MPEG-TS or MP4 video). Times are in
 * the track's timescale (90 kHz for MPEG-TS), from each sample's dts + composition offset; edit lists are not
 * applied. Captions still on screen at the end of the track are not returned, as mux.js leaves them.
 *
 * @returns the cues, in the order they ended; empty for a track of another codec.
 * @example
 * ```ts
 * const video = demuxTs(bytes).tracks.find((t) => t.kind === 'video')!;
 * for (const cue of extractCaptions(video)) console.log(cue.stream, cue.startPts / 90000, cue.text);
 * ```
 */
export function extractCaptions(track: Track, options: CaptionExtractorOptions = {}): CaptionCue[] {
  const cc = new CaptionExtractor(options);
  const s = track.samples;
  for (let k = 0; k < s.count; k++) {
    const format = videoFormatOf(track.descriptions[s.description[k]!]);
    if (!format) continue;
    const dts = s.dts[k]!;
    cc.push(sampleBytes(track, k), dts + s.ctsOffset[k]!, dts, format.codec, format.lengthSize);
  }
  return cc.flush();
}

/** The codec and NAL length size of a description, when it is H.264 or HEVC (4-byte lengths without a configuration). */
function videoFormatOf(d: SampleDescription | undefined): { codec: CaptionVideoCodec; lengthSize: number } | undefined {
  const config = d?.config;
  if (config?.kind === 'avc' || config?.kind === 'hevc') return { codec: config.kind, lengthSize: lengthSizeOf(config) };
  if (d?.codec === 'h264') return { codec: 'avc', lengthSize: 4 };
  if (d?.codec === 'hevc') return { codec: 'hevc', lengthSize: 4 };
  return undefined;
}
