/**
 * MPEG-1/2/2.5 audio elementary streams (`.mp3`, ISO/IEC 11172-3 / 13818-3) → {@link Movie}.
 *
 * One frame is one sample, header included (MP3 in MP4 keeps the frame header: ISO/IEC 14496-3 has no
 * framing of its own for MPEG-1 audio, and QuickTime '.mp3' stores whole frames).
 */
import { BoxwrightError } from '../../io/errors.js';
import type { EditEntry, Movie, SampleDescription } from '../../model/movie.js';
import { SampleTableBuilder, SYNC } from '../../model/sample-table.js';
import { parseMpegAudioHeader, parseVbrHeader, type MpegAudioHeader, type VbrHeader } from '../../model/codec/mp3.js';
import { audioEndBeforeTrailingTags, id3v2TagSize, skipLeadingId3 } from './id3.js';
import { esMovie, noFrames, ticksFrom90k, type EsFraming } from './track.js';

const PATH = 'mp3';
/**
 * mpg123/LAME decoder delay: the MDCT/polyphase filterbank outputs 529 samples late. ffmpeg's mp3
 * demuxer skips encoder delay + 529 at the start and discards encoder padding − 529 at the end.
 */
export const MP3_DECODER_DELAY = 529;

/** Options of {@link demuxMp3}. */
export interface Mp3DemuxOptions {
  /**
   * Put the LAME encoder delay and padding into an edit list (media time = delay + 529, duration =
   * frames × samples per frame − delay − padding), the gapless trim ffmpeg applies when decoding.
   * Off by default: ffprobe reports the frames untrimmed (pts from 0, the skip only in start_time and
   * packet side data), which an edit cannot express.
   */
  gapless?: boolean;
}

/** Frame header at `p` with a known length (free format has none), or undefined. */
function headerAt(d: Uint8Array, p: number, end: number): MpegAudioHeader | undefined {
  if (p + 4 > end || d[p] !== 0xff || (d[p + 1]! & 0xe0) !== 0xe0) return undefined;
  // Pre-checks so the parser (which throws) only sees plausible headers — exceptions cost microseconds
  // and garbage can offer a candidate at every other byte: version ≠ 01, layer ≠ 00, bitrate index
  // 1..14 (0 is free format, without a frame length), sampling index ≠ 11 (§2.4.2.3).
  const b1 = d[p + 1]!;
  const b2 = d[p + 2]!;
  if ((b1 & 0x18) === 0x08 || (b1 & 0x06) === 0 || b2 >> 4 === 0 || b2 >> 4 === 15 || (b2 & 0x0c) === 0x0c) return undefined;
  try {
    const h = parseMpegAudioHeader(d, p, PATH);
    return h.frameLength !== undefined && h.frameLength >= 4 ? h : undefined;
  } catch (e) {
    if (e instanceof BoxwrightError) return undefined;
    throw e;
  }
}

/** Same version, layer and sampling rate: ffmpeg's mpegaudio parser SAME_HEADER_MASK (0xfffe0c00). */
function sameStream(a: MpegAudioHeader, b: MpegAudioHeader): boolean {
  return a.version === b.version && a.layer === b.layer && a.sampleRate === b.sampleRate;
}

/**
 * A header found while resynchronising is trusted when the next frame starts with a header of the same
 * stream (like ffmpeg's junk skipping in mp3dec.c), an ID3 tag, or the data ends. The channel mode is not
 * compared: encoders switch between stereo and joint stereo per frame, and a Xing/Info frame often
 * has another mode than the audio.
 */
function confirmed(d: Uint8Array, p: number, h: MpegAudioHeader, end: number): boolean {
  const next = p + h.frameLength!;
  if (next >= end) return true;
  if (id3v2TagSize(d, next) > 0) return true;
  const n = headerAt(d, next, end);
  return n !== undefined && sameStream(n, h);
}

/** ffprobe codec_name by layer. */
const CODEC_BY_LAYER = { 1: 'mp1', 2: 'mp2', 3: 'mp3' } as const;

/**
 * MPEG audio frame finding for incremental readers (see {@link EsFraming}). Free-format frames (no length in
 * the header) are never found, as in {@link demuxMp3}.
 */
export const mp3Framing: EsFraming<MpegAudioHeader> = {
  headerAt: (d, p) => headerAt(d, p, d.length),
  frameLength: (h) => h.frameLength!,
  confirmed: (d, p, h) => confirmed(d, p, h, d.length),
  sameStream,
  startsUnit: () => true,
  sampleRate: (h) => h.sampleRate,
  unitSamples: (h) => h.samplesPerFrame,
};

/**
 * Demuxes an MPEG audio stream. Skips leading ID3v2 tags (using an HLS `transportStreamTimestamp` PRIV
 * frame, RFC 8216 §3.4, as the first dts), ID3v2 tags between frames, a trailing ID3v1 and APEv2 tag,
 * and garbage (resynchronising on a header confirmed by the next one). The first frame, when it holds a
 * Xing/Info or VBRI header with a frame or byte count, is metadata and not a sample (as in ffmpeg).
 * A final frame cut short keeps the bytes that remain (ffprobe does the same).
 *
 * Timescale = sample rate of the first frame; duration per sample = 384 (Layer I), 1152 (Layer II,
 * MPEG-1 Layer III) or 576 (MPEG-2/2.5 Layer III). The track duration is the sum of the frames found,
 * not the Xing/VBRI frame count (they agree unless the file was cut). Codec is 'mp3', or 'mp1'/'mp2'
 * for Layer I/II (ffprobe's names); the entry type is QuickTime's '.mp3' for all three. Free-format streams (bitrate index 0) have no
 * frame length in the header and are not supported. Throws {@link BoxwrightError} UNSUPPORTED_FORMAT
 * when there is no frame.
 */
export function demuxMp3(data: Uint8Array, options: Mp3DemuxOptions = {}): Movie {
  const lead = skipLeadingId3(data);
  const end = audioEndBeforeTrailingTags(data, lead.end);
  const table = new SampleTableBuilder(Math.max(16, Math.min(1 << 16, data.length >> 8)));
  let first: MpegAudioHeader | undefined;
  let vbr: VbrHeader | undefined;
  let dts = 0;
  let p = lead.end;
  let synced = false;
  while (p < end) {
    const tag = id3v2TagSize(data, p);
    if (tag > 0) {
      p = Math.min(end, p + tag);
      continue;
    }
    const h = headerAt(data, p, end);
    // Right after a frame, a header of the same stream is trusted even when junk follows its frame.
    if (h === undefined || !(confirmed(data, p, h, end) || (synced && first !== undefined && sameStream(first, h)))) {
      synced = false;
      p++;
      continue;
    }
    const frameEnd = Math.min(end, p + h.frameLength!);
    synced = true;
    if (first === undefined) {
      first = h;
      if (lead.timestamp90k !== undefined) dts = ticksFrom90k(lead.timestamp90k, h.sampleRate);
      const v = parseVbrHeader(data.subarray(0, frameEnd), p, PATH);
      // ffmpeg (mp3_parse_vbr_tags) only treats the frame as a tag when it counts frames or bytes.
      if (v && (v.frames !== undefined || v.bytes !== undefined)) {
        vbr = v;
        p = frameEnd;
        continue;
      }
    }
    table.push(dts, 0, h.samplesPerFrame, frameEnd - p, p, SYNC, 0);
    dts += h.samplesPerFrame;
    p = frameEnd;
  }
  if (first === undefined) noFrames('MPEG audio', data, PATH);
  const description: SampleDescription = {
    entryType: '.mp3',
    format: '.mp3',
    codec: CODEC_BY_LAYER[first.layer],
    sampleRate: first.sampleRate,
    channels: first.channels,
    sampleSize: 16,
  };
  if (first.bitRate > 0 && vbr === undefined) description.avgBitrate = first.bitRate;
  if (vbr?.encoderDelay !== undefined) description.encoderDelay = vbr.encoderDelay;
  const samples = table.build();
  let edits: EditEntry[] | undefined;
  let movieDurationTicks: number | undefined;
  if (options.gapless && vbr?.encoderDelay !== undefined && samples.count > 0) {
    const total = (vbr.frames ?? samples.count) * first.samplesPerFrame;
    const skip = vbr.encoderDelay + MP3_DECODER_DELAY;
    // A cut file has fewer frames than the Xing count: never let the edit run past the media.
    const media = samples.count * first.samplesPerFrame;
    const keep = Math.min(total - vbr.encoderDelay - (vbr.encoderPadding ?? 0), media - skip);
    if (keep > 0) {
      edits = [{ segmentDurationTicks: keep, mediaTimeTicks: samples.dts[0]! + skip, rate: 1 }];
      movieDurationTicks = keep;
    }
  }
  return esMovie({ container: 'mp3', description, timescale: first.sampleRate, samples, data, ...(edits ? { edits, movieDurationTicks } : {}) });
}
