/** AAC decoder entry point (AAC-LC; HE-AAC measured on its core). */
import { BoxwrightError } from '../../io/errors.js';
import type { SampleDescription } from '../../model/movie.js';
import type { AudioDecoder } from '../types.js';

/**
 * A decoder for the AAC samples (raw access units, no ADTS header) of `description`.
 * @throws BoxwrightError UNSUPPORTED_CODEC until the decoder exists.
 */
export function createAacDecoder(description: SampleDescription, path: string): AudioDecoder {
  void description;
  throw new BoxwrightError('UNSUPPORTED_CODEC', 'no AAC decoder yet', 0, path);
}
