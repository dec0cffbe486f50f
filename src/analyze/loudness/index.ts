/**
 * Loudness of one audio track: its samples decoded one at a time (src/decode) in presentation order — the edit
 * list applied as ffmpeg's MOV demuxer and decoder apply it — and fed to a {@link LoudnessMeter}. One pass; only
 * one decoded packet exists at a time.
 */
import { log10 } from '../../model/portable-math.js';
import { BoxwrightError } from '../../io/errors.js';
import { createAudioDecoder, type AudioDecoder } from '../../decode/index.js';
import type { Movie, Track } from '../../model/movie.js';
import { completeSamples, sampleBytes } from '../../model/sample-bytes.js';
import { rescale } from '../../model/time.js';
import { buildTimeline } from '../probe/timeline.js';
import { channelMaskOf, channelWeights } from './channels.js';
import { LoudnessMeter } from './meter.js';

/** Levels of one channel, in dB. */
export interface ChannelLoudness {
  /** RMS level (dBFS, as ffmpeg astats' "RMS level dB"); −Infinity for digital silence. */
  rmsDbfs: number;
  /** Sample peak (dBFS, astats' "Peak level dB"); −Infinity for digital silence. */
  peakDbfs: number;
  /** True peak (dBTP, 4× oversampled below 96 kHz); −Infinity for digital silence. */
  truePeakDbtp: number;
}

/**
 * What {@link analyzeLoudness} measured. Levels are in dB and are `-Infinity` where the signal is digital silence
 * (or too short to measure, for the integrated loudness); `JSON.stringify` writes those as `null` — see
 * `loudnessReportToJson` for the typed JSON form.
 */
export interface LoudnessReport {
  /** The track ID analysed. */
  track: number;
  /** Its codec (ffprobe's codec_name). */
  codec: string;
  /** Sample rate of the decoded audio (Hz). */
  sampleRate: number;
  /** Channels of the decoded audio. */
  channels: number;
  /** Seconds of audio analysed (decoded samples after the edit list's start trim). */
  duration: number;
  /** RMS level over all channels (dBFS; astats' overall "RMS level dB"). */
  rmsDbfs: number;
  /** Largest sample of any channel (dBFS; astats' overall "Peak level dB"). */
  peakDbfs: number;
  /** Integrated loudness (LUFS, ITU-R BS.1770-4 gating); −Infinity when no 400 ms block reaches −70 LUFS. */
  integratedLufs: number;
  /** Loudness range (LU, EBU Tech 3342); 0 when no 3 s window reaches −70 LUFS. */
  loudnessRangeLu: number;
  /** Largest true peak of any channel (dBTP). */
  truePeakDbtp: number;
  /** Per channel, in the decoder's order (ffmpeg's: FL FR FC LFE BL BR for 5.1). */
  perChannel: ChannelLoudness[];
  /** Set when the decoded audio is not the whole signal (HE-AAC measured on its AAC-LC core), saying what is missing. */
  limitation?: string;
}

/** Channels the meter takes (each costs per-packet work; no real layout comes near). */
const MAX_CHANNELS = 64;

const db = (amplitude: number): number => 20 * log10(amplitude);

/** Sample description index of sample `i`, or a clear error when the track switches to another audio format. */
function decoderFor(track: Track, decoders: Map<number, AudioDecoder>, index: number, first: AudioDecoder): AudioDecoder {
  let d = decoders.get(index);
  if (!d) {
    d = createAudioDecoder(track, index);
    if (d.sampleRate !== first.sampleRate || d.channels !== first.channels) {
      throw new BoxwrightError('UNSUPPORTED_CODEC', `track ${track.id} changes from ${first.channels} ch ${first.sampleRate} Hz to ${d.channels} ch ${d.sampleRate} Hz mid-stream`, 0, `track ${track.id}`);
    }
    decoders.set(index, d);
  }
  return d;
}

/**
 * Measures one audio track of `movie`. `containerMask`: a channel mask the container states (WAVE_FORMAT_EXTENSIBLE).
 * `maxFrames`: samples per channel measured at most (an MP3's LAME padding, which ffmpeg trims from the end).
 * @throws BoxwrightError UNSUPPORTED_CODEC when no decoder exists for the track's codec; decoder errors on bad samples.
 */
export function measureTrackLoudness(movie: Movie, input: Track, containerMask?: number, maxFrames = Infinity): LoudnessReport {
  // A file cut short ends where its last whole sample ends, as a decoder reading it would stop.
  const track = completeSamples(input);
  const s = track.samples;
  const firstIndex = s.count ? s.description[0]! : 0;
  const first = createAudioDecoder(track, firstIndex);
  const decoders = new Map([[firstIndex, first]]);
  if (first.channels > MAX_CHANNELS) {
    throw new BoxwrightError('UNSUPPORTED_CODEC', `${first.channels}-channel audio: loudness is measured on up to ${MAX_CHANNELS} channels (ffmpeg's ebur128: 63)`, 0, `track ${track.id}`);
  }
  if (!(first.sampleRate >= 10)) throw new BoxwrightError('BAD_VALUE', `sample rate ${first.sampleRate} Hz is too low to measure loudness`, 0, `track ${track.id}`);
  const weights = channelWeights(channelMaskOf(track.descriptions[firstIndex]!, first.channels, containerMask), first.channels);
  const meter = new LoudnessMeter(first.sampleRate, weights);
  const timeline = buildTimeline(track, movie.timescale, movie.fragmented);
  // Priming the edit list removes (AAC's 1024 samples): dropped from the first decoded output, as ffmpeg's skip_samples.
  let skip = rescale(timeline.skipSamples, track.timescale, first.sampleRate);
  let limitation = first.limitation;
  let left = maxFrames;
  for (let k = 0; k < timeline.sample.length; k++) {
    const i = timeline.sample[k]!;
    const decoder = decoderFor(track, decoders, s.description[i]!, first);
    limitation ??= decoder.limitation;
    const planes = decoder.decode(sampleBytes(track, i), i);
    const n = planes[0]?.length ?? 0;
    // Packets wholly outside the edit are decoded (a decoder needs its history) but not output; what they held
    // counts against the samples still to skip (ffmpeg's decode.c: the priming count includes discarded frames).
    if (timeline.discard[k]) {
      skip = Math.max(0, skip - n);
      continue;
    }
    const from = Math.min(skip, n);
    skip -= from;
    const to = Math.min(n, from + left);
    left -= to - from;
    if (from < to) meter.push(planes, from, to);
  }
  const m = meter.finish();
  const peak = m.perChannel.reduce((a, c) => Math.max(a, c.peak), 0);
  const truePeak = m.perChannel.reduce((a, c) => Math.max(a, c.truePeak), 0);
  const report: LoudnessReport = {
    track: track.id,
    codec: first.codec,
    sampleRate: first.sampleRate,
    channels: first.channels,
    duration: m.frames / first.sampleRate,
    rmsDbfs: db(m.rms),
    peakDbfs: db(peak),
    integratedLufs: m.integratedLufs,
    loudnessRangeLu: m.loudnessRangeLu,
    truePeakDbtp: db(truePeak),
    perChannel: m.perChannel.map((c) => ({ rmsDbfs: db(c.rms), peakDbfs: db(c.peak), truePeakDbtp: db(c.truePeak) })),
  };
  if (limitation !== undefined) report.limitation = limitation;
  return report;
}
