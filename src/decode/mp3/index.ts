/**
 * The MPEG-1/2/2.5 audio decoder — Layer III (MP3) and Layer II (MP2) — one frame (header included, as the MP3,
 * MP4 and MPEG-TS demuxers give it) per call, planar float output as ffmpeg's `mp3float`/`mp2float` give it. A frame that
 * cannot be read (bad header, another layer or rate, unusable side information, cut short) is concealed with
 * silence of one frame's length, and never read out of bounds.
 */
import { BoxwrightError } from '../../io/errors.js';
import { parseMpegAudioHeader, type MpegAudioHeader } from '../../model/codec/mp3.js';
import type { SampleDescription } from '../../model/movie.js';
import type { AudioDecoder } from '../types.js';
import { Layer3FrameDecoder } from './frame.js';
import { Layer2FrameDecoder } from './layer2.js';
import { rateIndex } from './tables.js';

const RATES = [44100, 48000, 32000, 22050, 24000, 16000, 11025, 12000, 8000];

/** Codec name by layer. */
const CODECS = { 2: 'mp2', 3: 'mp3' } as const;

class MpegAudioDecoder implements AudioDecoder {
  readonly codec: string;
  readonly sampleRate: number;
  readonly channels: number;
  private readonly layer: 2 | 3;
  private readonly frameSamples: number;
  private readonly frames = new Layer3FrameDecoder();
  private readonly frames2 = new Layer2FrameDecoder();
  private readonly out: Float32Array[];
  private readonly scratch = [new Float32Array(1152), new Float32Array(1152)];

  constructor(layer: 2 | 3, sampleRate: number, channels: number) {
    this.layer = layer;
    this.codec = CODECS[layer];
    this.sampleRate = sampleRate;
    this.channels = channels;
    this.frameSamples = layer === 2 || sampleRate >= 32000 ? 1152 : 576;
    this.out = Array.from({ length: channels }, () => new Float32Array(this.frameSamples));
  }

  decode(payload: Uint8Array, _sampleIndex: number): readonly Float32Array[] {
    let h: MpegAudioHeader | undefined;
    try {
      h = parseMpegAudioHeader(payload, 0);
    } catch (e) {
      if (!(e instanceof BoxwrightError)) throw e;
    }
    if (!h || h.layer !== this.layer || h.sampleRate !== this.sampleRate) return this.conceal();
    const frameChannels = h.channels;
    const target = frameChannels === this.channels ? this.out : this.scratch;
    if (h.layer === 2) {
      this.frames2.decode(
        payload,
        { lsf: h.version !== 1, channels: frameChannels, channelMode: h.channelMode, modeExtension: h.modeExtension, protectionAbsent: h.protectionAbsent, bitRate: h.bitRate, sampleRate: h.sampleRate },
        target,
      );
    }
    const ok =
      h.layer === 2 ||
      this.frames.decode(
      payload,
      {
        lsf: h.version !== 1,
        channels: frameChannels,
        channelMode: h.channelMode,
        modeExtension: h.modeExtension,
        protectionAbsent: h.protectionAbsent,
        rateIndex: rateIndex(h.sampleRate),
      },
      target,
    );
    if (!ok) return this.conceal();
    if (target !== this.out) {
      // A frame with another channel count than the stream's: mono is copied to both, stereo averaged.
      const n = this.frameSamples;
      const [a, b] = this.scratch as [Float32Array, Float32Array];
      if (this.channels === 2) (this.out[0]!.set(a.subarray(0, n)), this.out[1]!.set(a.subarray(0, n)));
      else for (let i = 0; i < n; i++) this.out[0]![i] = 0.5 * (a[i]! + b[i]!);
    }
    return this.out;
  }

  private conceal(): readonly Float32Array[] {
    this.frames.dropReservoir();
    for (const o of this.out) o.fill(0);
    return this.out;
  }
}

/**
 * A decoder for the MPEG audio frames of `description` (codec `mp3`: Layer III, `mp2`: Layer II), each sample one
 * whole frame with its 4-byte header. Output per channel and frame: Layer III 1152 samples (MPEG-1) or 576
 * (MPEG-2/2.5), Layer II 1152.
 * @throws BoxwrightError UNSUPPORTED_CODEC for another codec (Layer I, `mp1`, included), no valid MPEG audio rate,
 * or not 1–2 channels.
 * @example
 * const dec = createMp3Decoder(track.descriptions[0]!, 'track 1');
 * const [left, right] = dec.decode(sampleBytes(track, 0), 0);
 */
export function createMp3Decoder(description: SampleDescription, path: string): AudioDecoder {
  const rate = description.sampleRate ?? 0;
  const channels = description.channels ?? 0;
  if (!RATES.includes(rate)) throw new BoxwrightError('UNSUPPORTED_CODEC', `MPEG audio at ${rate} Hz is not an MPEG audio sampling rate`, 0, path);
  if (channels !== 1 && channels !== 2) throw new BoxwrightError('UNSUPPORTED_CODEC', `MPEG audio with ${channels} channels`, 0, path);
  const layer = description.codec === 'mp2' ? 2 : description.codec === 'mp3' ? 3 : undefined;
  if (!layer) throw new BoxwrightError('UNSUPPORTED_CODEC', `no decoder for ${description.codec ?? description.format} audio (MPEG audio Layer II and III are decoded)`, 0, path);
  return new MpegAudioDecoder(layer, rate, channels);
}
