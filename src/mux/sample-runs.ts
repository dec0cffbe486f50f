/**
 * The payload bytes of a track's samples as `mdat` chunks: one view of the input per run of samples stored back
 * to back (not one per sample), or each sample's deferred bytes when the track has a source. A sample whose
 * declared range leaves the input is an error here, never a view past its end: a view of a larger buffer (a
 * pooled Node Buffer, a subarray of a download) would otherwise copy bytes from outside the input into the output.
 */
import type { ByteRun } from '../io/deferred-bytes.js';
import { BoxwrightError } from '../io/errors.js';
import type { Track } from '../model/movie.js';

/** Appends samples [first, first + count) of `track` to `list`; returns their total size. */
export function appendSampleRuns(list: ByteRun[], track: Track, first: number, count: number): number {
  const s = track.samples;
  const end = first + count;
  let total = 0;
  if (track.source) {
    for (let k = first; k < end; k++) {
      list.push(track.source.sample(k));
      total += s.size[k]!;
    }
    return total;
  }
  const data = track.data;
  const limit = data.length;
  let runStart = -1;
  let runEnd = -1;
  /** Ends the current run: it widens the list's last view when it follows it in the input (a run across calls). */
  const flush = (): void => {
    if (runStart < 0) return;
    const last = list[list.length - 1];
    if (last instanceof Uint8Array && last.buffer === data.buffer && last.byteOffset >= data.byteOffset && last.byteOffset + last.length === data.byteOffset + runStart) {
      list[list.length - 1] = data.subarray(last.byteOffset - data.byteOffset, runEnd);
    } else {
      list.push(data.subarray(runStart, runEnd));
    }
  };
  for (let k = first; k < end; k++) {
    const off = s.offset[k]!;
    const size = s.size[k]!;
    if (off + size > limit) {
      throw new BoxwrightError('TRUNCATED', `sample ${k + 1} of track ${track.id} (${size} bytes at ${off}) extends past the end of the input (${limit} bytes)`, off, `track ${track.id}`);
    }
    total += size;
    if (off === runEnd) {
      runEnd += size;
      continue;
    }
    flush();
    runStart = off;
    runEnd = off + size;
  }
  flush();
  return total;
}
