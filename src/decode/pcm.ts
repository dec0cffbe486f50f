/**
 * PCM decoder: every uncompressed layout the demuxers describe (WAV, QuickTime `sowt`/`twos`/`raw `/`in24`/
 * `in32`/`fl32`/`fl64`/`lpcm`/`alaw`/`ulaw`, ISO `ipcm`/`fpcm`) → planar float, the values ffmpeg's decoders give
 * once converted to float: signed integers divided by 2^(bits−1) (s16 / 32768), unsigned 8-bit centred on 128,
 * floats as stored (non-finite values as 0), A-law and µ-law expanded to 16-bit by the G.711 tables first (libavcodec pcm_tablegen.h).
 */
import { BoxwrightError } from '../io/errors.js';
import type { SampleDescription } from '../model/movie.js';
import type { AudioDecoder } from './types.js';

type Kind = 's' | 'u' | 'f' | 'alaw' | 'mulaw';

/** One sample layout, read from the ffmpeg codec name the demuxers give (`pcm_s24be`, `pcm_alaw`…). */
interface Layout {
  kind: Kind;
  bytes: number;
  littleEndian: boolean;
}

const LAYOUTS: ReadonlyArray<readonly [RegExp, (m: RegExpExecArray) => Layout | undefined]> = [
  [/^pcm_(alaw|mulaw)$/, (m) => ({ kind: m[1] as Kind, bytes: 1, littleEndian: true })],
  [/^pcm_([su])8$/, (m) => ({ kind: m[1] as Kind, bytes: 1, littleEndian: true })],
  [/^pcm_s(16|24|32)(le|be)$/, (m) => ({ kind: 's', bytes: Number(m[1]) / 8, littleEndian: m[2] === 'le' })],
  [/^pcm_f(32|64)(le|be)$/, (m) => ({ kind: 'f', bytes: Number(m[1]) / 8, littleEndian: m[2] === 'le' })],
];

function layoutOf(codec: string | undefined): Layout | undefined {
  for (const [re, make] of LAYOUTS) {
    const m = codec === undefined ? null : re.exec(codec);
    if (m) return make(m);
  }
  return undefined;
}

/** True when {@link createPcmDecoder} decodes this codec (an ffmpeg PCM codec name). */
export function isDecodablePcm(codec: string | undefined): boolean {
  return layoutOf(codec) !== undefined;
}

/** G.711 A-law byte → 16-bit linear (ffmpeg alaw2linear). */
function alawToLinear(a: number): number {
  const v = a ^ 0x55;
  const seg = (v & 0x70) >> 4;
  let t = (v & 0x0f) * 2 + 1;
  t = seg ? (t + 32) << (seg + 2) : t << 3;
  return v & 0x80 ? t : -t;
}

/** G.711 µ-law byte → 16-bit linear (ffmpeg ulaw2linear). */
function ulawToLinear(u: number): number {
  const v = ~u & 0xff;
  const t = (((v & 0x0f) << 3) + 0x84) << ((v & 0x70) >> 4);
  return v & 0x80 ? 0x84 - t : t - 0x84;
}

/** The 256 float values of an 8-bit layout (so a byte decodes with one lookup). */
function byteTable(kind: Kind): Float32Array {
  const table = new Float32Array(256);
  for (let b = 0; b < 256; b++) {
    if (kind === 'alaw') table[b] = alawToLinear(b) / 32768;
    else if (kind === 'mulaw') table[b] = ulawToLinear(b) / 32768;
    else if (kind === 'u') table[b] = (b - 128) / 128;
    else table[b] = ((b << 24) >> 24) / 128;
  }
  return table;
}

/**
 * A decoder for the PCM samples of `description` (its `codec` is an ffmpeg PCM name, `channels` and `sampleRate`
 * set). A packet holds whole sample frames, interleaved; bytes of a trailing partial frame are ignored (as ffmpeg's
 * decoder does).
 * @throws BoxwrightError UNSUPPORTED_CODEC for a PCM layout it does not know; BAD_VALUE without channels or rate.
 */
export function createPcmDecoder(description: SampleDescription, path: string): AudioDecoder {
  const codec = description.codec ?? description.format;
  const layout = layoutOf(description.codec);
  if (!layout) throw new BoxwrightError('UNSUPPORTED_CODEC', `no decoder for ${codec} audio`, 0, path);
  const channels = description.channels ?? 0;
  const sampleRate = description.sampleRate ?? 0;
  if (!(channels >= 1)) throw new BoxwrightError('BAD_VALUE', `${codec} with ${channels} channels`, 0, path);
  if (!(sampleRate > 0)) throw new BoxwrightError('BAD_VALUE', `${codec} with sample rate ${sampleRate}`, 0, path);
  const { kind, bytes, littleEndian } = layout;
  const frameBytes = bytes * channels;
  const table = bytes === 1 ? byteTable(kind) : undefined;
  let planes: Float32Array[] = [];

  const decode = (payload: Uint8Array): readonly Float32Array[] => {
    const frames = Math.floor(payload.length / frameBytes);
    if (planes.length === 0 || planes[0]!.length !== frames) {
      // Packets of one track mostly share a size: reuse the buffers, allocate only when it changes.
      planes = Array.from({ length: channels }, () => new Float32Array(frames));
    }
    const view = new DataView(payload.buffer, payload.byteOffset, payload.byteLength);
    for (let c = 0; c < channels; c++) {
      const out = planes[c]!;
      let p = c * bytes;
      if (table) {
        for (let i = 0; i < frames; i++, p += frameBytes) out[i] = table[payload[p]!]!;
      } else if (kind === 'f') {
        // NaN and ±Infinity (no real recording holds them) read as 0, so no sum downstream turns NaN: v − v is 0 only when v is finite.
        for (let i = 0; i < frames; i++, p += frameBytes) {
          const v = bytes === 4 ? view.getFloat32(p, littleEndian) : view.getFloat64(p, littleEndian);
          out[i] = v - v === 0 ? v : 0;
        }
      } else if (bytes === 2) {
        for (let i = 0; i < frames; i++, p += frameBytes) out[i] = view.getInt16(p, littleEndian) / 32768;
      } else if (bytes === 3) {
        const [lo, hi] = littleEndian ? [0, 2] : [2, 0];
        for (let i = 0; i < frames; i++, p += frameBytes) {
          const v = (payload[p + lo]! | (payload[p + 1]! << 8) | (payload[p + hi]! << 16)) << 8;
          out[i] = v / 2147483648;
        }
      } else {
        for (let i = 0; i < frames; i++, p += frameBytes) out[i] = view.getInt32(p, littleEndian) / 2147483648;
      }
    }
    return planes;
  };

  return { codec, sampleRate, channels, decode };
}
