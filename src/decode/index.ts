/** Audio decoders by codec: the one place that maps a sample description to a decoder. */
import { BoxwrightError } from '../io/errors.js';
import type { Track } from '../model/movie.js';
import { createAacDecoder } from './aac/index.js';
import { createMp3Decoder } from './mp3/index.js';
import { createPcmDecoder, isDecodablePcm } from './pcm.js';
import type { AudioDecoder } from './types.js';

export type { AudioDecoder } from './types.js';

/**
 * A decoder for the samples of `track` that use sample description `description`.
 * @throws BoxwrightError UNSUPPORTED_CODEC naming the codec when there is no decoder for it.
 */
export function createAudioDecoder(track: Track, description = 0): AudioDecoder {
  const path = `track ${track.id}`;
  const d = track.descriptions[description];
  if (!d) throw new BoxwrightError('BAD_VALUE', `track ${track.id} has no sample description ${description + 1}`, 0, path);
  if (d.codec === 'aac') return createAacDecoder(d, path);
  if (d.codec === 'mp3' || d.codec === 'mp2') return createMp3Decoder(d, path);
  if (isDecodablePcm(d.codec)) return createPcmDecoder(d, path);
  throw new BoxwrightError('UNSUPPORTED_CODEC', `no decoder for ${d.codec ?? d.format} audio (track ${track.id})`, 0, path);
}
