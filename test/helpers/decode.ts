/** Whole-file decoding through the library's decoder dispatch, for comparing against ffmpeg's decode. */
import { readFileSync } from 'node:fs';
import { createAudioDecoder } from '../../src/decode/index.js';
import { demuxAny } from '../../src/demux/index.js';
import { sampleBytes } from '../../src/model/sample-bytes.js';

/** Every sample of the first audio track decoded, as one planar array per channel (no priming trimmed). */
export interface DecodedFile {
  channels: Float32Array[];
  sampleRate: number;
  limitation?: string;
}

export function decodeFile(path: string): DecodedFile {
  const { movie } = demuxAny(new Uint8Array(readFileSync(path)));
  const track = movie.tracks.find((t) => t.kind === 'audio')!;
  const dec = createAudioDecoder(track);
  const parts: Float32Array[][] = Array.from({ length: dec.channels }, () => []);
  for (let k = 0; k < track.samples.count; k++) dec.decode(sampleBytes(track, k), k).forEach((o, c) => parts[c]!.push(o.slice()));
  const channels = parts.map((l) => {
    const a = new Float32Array(l.reduce((n, x) => n + x.length, 0));
    let at = 0;
    for (const x of l) (a.set(x, at), (at += x.length));
    return a;
  });
  return { channels, sampleRate: dec.sampleRate, ...(dec.limitation ? { limitation: dec.limitation } : {}) };
}
