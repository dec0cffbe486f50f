/**
 * Packet durations as ffprobe reports them. ffmpeg 5.1's MOV demuxer gives a packet the distance to the next
 * decode time only for tracks without composition offsets; for tracks with ctts (and all fragments) it leaves
 * the duration to avformat, which derives it from the codec: audio frame size / sample rate, video frame rate
 * from the bitstream timing (or r_frame_rate without one), in the track's time base, rounded down — and none
 * when that rate is not below 1000 fps (VFR streams muxed with a millisecond time base).
 */
import type { SampleDescription, Track } from '../../model/movie.js';
import { aacOutputSampleRate, parseAudioSpecificConfig } from '../../model/codec/aac-asc.js';
import { mpegAudioFrameSamples } from '../../model/codec/mp3.js';
import { isBoxwrightError } from '../../io/errors.js';
import type { ProbeStream } from './report.js';

/** Opus: samples (at 48 kHz) in a packet, from its TOC byte (RFC 6716 §3.1). */
function opusPacketSamples(data: Uint8Array, p: number, size: number): number | undefined {
  if (size < 1) return undefined;
  const toc = data[p]!;
  const config = toc >> 3;
  const ms10 = config < 12 ? [100, 200, 400, 600][config & 3]! : config < 16 ? [100, 200][config & 1]! : [25, 50, 100, 200][config & 3]!;
  const code = toc & 3;
  const frames = code === 0 ? 1 : code < 3 ? 2 : size >= 2 ? data[p + 1]! & 63 : 0;
  return (48 * ms10 * frames) / 10;
}

/**
 * The frame of an audio codec whose ffmpeg parser gives every packet one duration: samples per frame and the
 * rate they count at (AAC from its AudioSpecificConfig, SBR doubling both; AC-3/E-AC-3 1536; MPEG audio by layer).
 */
export function fixedAudioFrame(d: SampleDescription): { samples: number; rate: number } | undefined {
  const rate = d.sampleRate ?? 0;
  if (d.codec === 'aac') {
    if (d.config?.kind !== 'aac') return undefined;
    try {
      const asc = parseAudioSpecificConfig(d.config.audioSpecificConfig);
      return { samples: (asc.frameLength ?? 1024) * (asc.sbr ? 2 : 1), rate: aacOutputSampleRate(asc) };
    } catch (e) {
      if (isBoxwrightError(e)) return undefined;
      throw e;
    }
  }
  if (d.codec === 'ac3' || d.codec === 'eac3') return { samples: 1536, rate };
  const samples = mpegAudioFrameSamples(d.codec, d.sampleRate);
  return samples === undefined ? undefined : { samples, rate };
}

/**
 * The video packet duration ffmpeg derives from the bitstream timing (SPS VUI), in ticks of `timescale`, rounded
 * down; undefined at 1000 fps or more (ffmpeg then gives none).
 */
export function codecFrameTicks(rate: { num: number; den: number; repeat: number }, timescale: number): number | undefined {
  if (!rate.num || rate.den * 1000 <= rate.num) return undefined;
  return Math.floor((rate.den * rate.repeat * timescale) / rate.num);
}

/** A function giving the ffprobe packet duration of sample `i`, or undefined to keep the sample's own duration. */
export function packetDurationRule(
  track: Track,
  stream: ProbeStream,
  data: Uint8Array,
  codecFrameRate: { num: number; den: number; repeat: number } | undefined,
): ((i: number) => number | undefined) | undefined {
  const d = track.descriptions[0];
  if (!d) return undefined;
  const ts = track.timescale;
  if (track.kind === 'audio') {
    const rate = Number(stream.sample_rate ?? 0);
    if (!rate) return () => undefined;
    const fixed = fixedAudioFrame(d);
    if (fixed) {
      // The frame at the rate it counts in (an implicit-SBR stream reports twice the core rate, its frames stay 1024 core samples).
      const dur = Math.floor((fixed.samples * ts) / (fixed.rate || rate));
      return () => dur;
    }
    if (d.codec === 'opus') {
      return (i) => {
        const n = opusPacketSamples(data, track.samples.offset[i]!, track.samples.size[i]!);
        return n === undefined ? undefined : Math.floor((n * ts) / 48000);
      };
    }
    if (d.pcm) {
      const bytes = (d.pcm.bitsPerSample / 8) * (d.channels ?? 1);
      return (i) => (bytes ? Math.floor(((track.samples.size[i]! / bytes) * ts) / rate) : undefined);
    }
    return () => undefined;
  }
  if (track.kind === 'video') {
    if (codecFrameRate && codecFrameRate.num) {
      const dur = codecFrameTicks(codecFrameRate, ts);
      return () => dur;
    }
    const [num, den] = stream.r_frame_rate.split('/').map(Number) as [number, number];
    if (!num || !den) return () => undefined;
    const dur = Math.floor((den * ts) / num);
    return () => dur;
  }
  return () => undefined;
}
