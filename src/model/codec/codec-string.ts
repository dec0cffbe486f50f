// Temporary: replaced by the model's own codec-string function (branch arch-boxes) when it is merged.
import { codecFields } from '../../analyze/probe/codec-fields.js';
import type { SampleDescription } from '../movie.js';

export function codecString(d: SampleDescription): string | undefined {
  try {
    return codecFields(d).codec_string;
  } catch {
    return undefined;
  }
}
