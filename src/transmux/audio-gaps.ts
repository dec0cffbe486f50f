/**
 * Audio gap filling for Media Source Extensions: a hole in an audio track (lost packets, a splice the
 * timeline did not mend) leaves a gap in the `SourceBuffer`'s buffered range where playback stalls. AAC
 * holes are filled with silent frames, as hls.js and mux.js do, up to a bound (a longer hole is a real
 * gap in the source, not ours to invent minutes of silence for).
 *
 * A hole is the time between where a sample ends and where the next starts (also between the end of the
 * last fragment and the first sample of this one). Holes shorter than half a frame are timestamp jitter.
 * The silent frames are one frame duration each; the last one ends exactly where the next real sample
 * starts, so every real sample keeps its decode time.
 */
import type { SampleDescription, SampleSource, Track } from '../model/movie.js';
import { deferredSample } from '../model/sample-bytes.js';
import { SampleTableBuilder, SYNC } from '../model/sample-table.js';

/** The raw silent access unit for an AAC description, or undefined when none can be made. */
export type SilentFrame = (d: SampleDescription) => Uint8Array | undefined;

/** AAC frames are 1024 samples (960-sample framing is not produced by the encoders a transmuxer meets). */
const AAC_FRAME_SAMPLES = 1024;

/**
 * `track` (one description, decode times on the output timeline) with its holes filled; itself when it
 * has none or cannot be filled. `prevEnd`: where the track's previous fragment ended (undefined: none).
 */
export function fillAudioGaps(track: Track, prevEnd: number | undefined, maxGapTicks: number, silentFrame: SilentFrame): Track {
  const d = track.descriptions[0];
  const s = track.samples;
  if (!d || d.codec !== 'aac' || !d.sampleRate || s.count === 0) return track;
  const frameTicks = (AAC_FRAME_SAMPLES * track.timescale) / d.sampleRate;
  const holeBefore = (i: number): number => {
    const end = i === 0 ? prevEnd : s.dts[i - 1]! + s.duration[i - 1]!;
    return end === undefined ? 0 : s.dts[i]! - end;
  };
  const fills = (hole: number): boolean => hole >= frameTicks / 2 && hole <= maxGapTicks;
  let any = false;
  for (let i = 0; i < s.count && !any; i++) any = fills(holeBefore(i));
  if (!any) return track;
  const frame = silentFrame(d);
  if (!frame) return track;

  // Output index → original sample index, or -1 for a silent frame.
  const origin: number[] = [];
  const b = new SampleTableBuilder(s.count + 16);
  let o = 0;
  for (let i = 0; i < s.count; i++) {
    const hole = holeBefore(i);
    if (fills(hole)) {
      const start = s.dts[i]! - hole;
      const n = Math.max(1, Math.round(hole / frameTicks));
      for (let k = 0; k < n; k++) {
        const t0 = start + Math.round(k * frameTicks);
        const t1 = k + 1 < n ? start + Math.round((k + 1) * frameTicks) : s.dts[i]!;
        b.push(t0, 0, t1 - t0, frame.length, o, SYNC, 0);
        o += frame.length;
        origin.push(-1);
      }
    }
    b.push(s.dts[i]!, s.ctsOffset[i]!, s.duration[i]!, s.size[i]!, o, s.flags[i]!, 0);
    o += s.size[i]!;
    origin.push(i);
  }
  const silent = { length: frame.length, copyTo: (out: Uint8Array, pos: number) => out.set(frame, pos) };
  const source: SampleSource = { sample: (k) => (origin[k]! < 0 ? silent : deferredSample(track, origin[k]!)) };
  return { ...track, samples: b.build(), data: new Uint8Array(0), source };
}
