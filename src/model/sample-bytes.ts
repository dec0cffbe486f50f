/**
 * Sample bytes of a track, whether they sit in `track.data` or come from a `track.source`
 * (see {@link Track.source}). Writers take {@link sampleRun} (copied once into the output);
 * readers that parse payloads take {@link sampleBytes} or {@link withContiguousData}.
 */
import { contiguous, type ByteRun, type DeferredBytes } from '../io/deferred-bytes.js';
import type { Track } from './movie.js';
import { firstSamples } from './sample-table.js';

/** Sample `k` as a view of `track.data` or as deferred bytes. */
export function sampleRun(track: Track, k: number): ByteRun {
  if (track.source) return track.source.sample(k);
  const off = track.samples.offset[k]!;
  return track.data.subarray(off, off + track.samples.size[k]!);
}

/** Sample `k` as deferred bytes (a view of `track.data` copies itself). */
export function deferredSample(track: Track, k: number): DeferredBytes {
  const run = sampleRun(track, k);
  if (!(run instanceof Uint8Array)) return run;
  return { length: run.length, copyTo: (out, pos) => out.set(run, pos) };
}

/** Sample `k` as one view (a copy when the track has a source). */
export function sampleBytes(track: Track, k: number): Uint8Array {
  return contiguous(sampleRun(track, k));
}

/**
 * The track with its samples in `data` at their offsets: itself when it has no source, else a copy
 * whose `data` holds every sample back to back (one allocation of the summed sizes).
 */
export function withContiguousData(track: Track): Track {
  const source = track.source;
  if (!source) return track;
  const s = track.samples;
  let total = 0;
  for (let k = 0; k < s.count; k++) total = Math.max(total, s.offset[k]! + s.size[k]!);
  const data = new Uint8Array(total);
  for (let k = 0; k < s.count; k++) source.sample(k).copyTo(data, s.offset[k]!);
  const { source: _dropped, ...rest } = track;
  return { ...rest, data };
}

/**
 * The track with its samples up to the first one that is not wholly inside `track.data` (a file cut inside its
 * mdat, or a sample table pointing past the end): writers copy only bytes that exist, every complete sample
 * before the cut. Itself when every sample is complete, or when its bytes come from a `source`.
 */
export function completeSamples(track: Track): Track {
  if (track.source) return track;
  const s = track.samples;
  const limit = track.data.length;
  for (let k = 0; k < s.count; k++) {
    if (s.offset[k]! + s.size[k]! > limit) {
      const { packetView: _dropped, ...rest } = track;
      return { ...rest, samples: firstSamples(s, k) };
    }
  }
  return track;
}
