/**
 * The PCM decoder against ffmpeg's own decode of the same files (`-f f32le`): every PCM layout boxwright demuxes,
 * sample for sample. Integer PCM up to 24 bits, A-law and µ-law convert to 32-bit float exactly, so those must be
 * equal; 32-bit integers and 64-bit floats are rounded to float the same way (within one float step).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createAudioDecoder } from '../../src/decode/index.js';
import { demuxAny } from '../../src/demux/index.js';
import { sampleBytes } from '../../src/model/sample-bytes.js';
import { ffmpegDecodeF32 } from '../helpers/ffmpeg-loudness.js';
import { OWN_SAMPLES } from '../helpers/samples.js';

const FILES = [
  'pcm.wav', 'pcm-float.wav', 'pcm-s16le.mov', 'pcm-s16be.mov', 'pcm-s24le.mov', 'pcm-f32le.mov', 'pcm-alaw.mov', 'pcm-mulaw.mov',
  'loudness/silence-u8-stereo-48k.wav', 'loudness/mono-997-f32-44k1.mov', 'loudness/surround-5.1-16k.mov', 'loudness/sine-96k-lpcm.mov',
  'loudness/lra-alternating-8k.wav', 'loudness/ebu-1k-23dbfs-stereo-48k.mov', 'loudness/s8-8k.mov', 'loudness/s24be-8k.mov',
  'loudness/s32be-8k.mov', 'loudness/s32le-8k.mov', 'loudness/f64le-8k.mov',
];

/** Our decode of the first audio track, interleaved like ffmpeg's output. */
function decodeAll(path: string): { codec: string; samples: Float32Array } {
  const { movie } = demuxAny(new Uint8Array(readFileSync(path)));
  const track = movie.tracks.find((t) => t.kind === 'audio')!;
  const dec = createAudioDecoder(track);
  const chunks: Float32Array[] = [];
  for (let k = 0; k < track.samples.count; k++) {
    const planes = dec.decode(sampleBytes(track, k), k);
    const n = planes[0]!.length;
    const out = new Float32Array(n * dec.channels);
    planes.forEach((p, c) => p.forEach((v, i) => (out[i * dec.channels + c] = v)));
    chunks.push(out);
  }
  const all = new Float32Array(chunks.reduce((s, c) => s + c.length, 0));
  let at = 0;
  for (const c of chunks) {
    all.set(c, at);
    at += c.length;
  }
  return { codec: dec.codec, samples: all };
}

test.each(FILES)('%s decodes to the samples ffmpeg decodes', (f) => {
  const path = join(OWN_SAMPLES, f);
  const ours = decodeAll(path);
  const theirs = ffmpegDecodeF32(path);
  expect(ours.samples.length).toBe(theirs.length);
  const exact = !/s32|f64/.test(ours.codec);
  let worst = 0;
  for (let i = 0; i < theirs.length; i++) worst = Math.max(worst, Math.abs(ours.samples[i]! - theirs[i]!));
  expect(worst).toBeLessThanOrEqual(exact ? 0 : 2 ** -23);
});

test('a PCM layout without a decoder, and a packet with a partial frame', () => {
  const { movie } = demuxAny(new Uint8Array(readFileSync(join(OWN_SAMPLES, 'pcm.wav'))));
  const track = movie.tracks[0]!;
  const odd = { ...track, descriptions: [{ ...track.descriptions[0]!, codec: 'pcm_s20le' }] };
  expect(() => createAudioDecoder(odd)).toThrow(/UNSUPPORTED_CODEC: no decoder for pcm_s20le/);
  const dec = createAudioDecoder(track);
  // Stereo s16: 9 bytes are two whole frames and one byte of a third, which is ignored.
  const planes = dec.decode(Uint8Array.of(0, 0x80, 0xff, 0x7f, 1, 0, 0xff, 0xff, 9), 0);
  expect(planes.map((p) => [...p])).toEqual([[-1, 1 / 32768], [32767 / 32768, -1 / 32768]]);
});
