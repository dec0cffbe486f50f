/** Test-side bytes of a codec configuration (the model holds box values; tests compare bytes with ffmpeg's). */
import { writeTree } from '../../boxes/tree.js';
import type { CodecConfig } from '../../src/model/codec-config.js';

/** The configuration box's body as the writer encodes it (FullBox header included), or AAC's AudioSpecificConfig. */
export function configBytes(c: CodecConfig | undefined): Uint8Array | undefined {
  if (!c) return undefined;
  if (c.kind === 'aac') return c.audioSpecificConfig;
  const [type, value] =
    c.kind === 'avc' ? ['avcC', c.avcC] : c.kind === 'hevc' ? ['hvcC', c.hvcC] : c.kind === 'av1' ? ['av1C', c.av1C] : c.kind === 'vpx' ? ['vpcC', c.vpcC]
      : c.kind === 'opus' ? ['dOps', c.dOps] : c.kind === 'ac3' ? ['dac3', c.dac3] : c.kind === 'eac3' ? ['dec3', c.dec3] : ['dfLa', c.dfLa];
  return writeTree([{ type, value }]).subarray(8);
}
