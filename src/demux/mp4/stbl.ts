/** Expands a progressive track's sample table boxes (stts, ctts, stsc, stsz/stz2, stco/co64, stss, sdtp) into columns. */
import { childOf, valueAs, type Box } from '../../../boxes/tree.js';
import * as st from '../../../boxes/families/sample-table.js';
import { BoxwrightError } from '../../io/errors.js';
import { DISPOSABLE, SYNC, type SampleTable } from '../../model/sample-table.js';

/** Limits that keep allocation proportional to the input (sample counts are claims read from the file). */
export interface ExpandLimits {
  /** Largest sample count accepted (a claim above it is TOO_LARGE). */
  maxSamples: number;
  /** Box path for error messages. */
  path: string;
  /**
   * Uncompressed audio whose stts says one tick per sample: samples are regrouped into packets per chunk
   * (QuickTime rule, as ffmpeg does): at most 1024 sample frames, or whole packets of `samplesPerFrame`.
   */
  audioFrames?: { samplesPerFrame: number; bytesPerFrame: number };
  /** Size of the input: regrouped audio packets stop at its end (their size is computed, not declared). */
  inputSize?: number;
}

function need<T>(v: T | undefined, what: string, at: Box | undefined, path: string): T {
  if (v === undefined) throw new BoxwrightError('BAD_VALUE', `${what} is missing or unreadable`, at?.offset ?? 0, path);
  return v;
}

/** Sample sizes as a column (stsz or stz2). */
function sizesOf(stbl: Box, limits: ExpandLimits): Uint32Array {
  const stsz = valueAs(childOf(stbl, 'stsz'), st.stsz);
  if (stsz) {
    if ('entrySizes' in stsz) return stsz.entrySizes;
    if (stsz.sampleCount > limits.maxSamples) {
      throw new BoxwrightError('TOO_LARGE', `stsz declares ${stsz.sampleCount} samples, more than this input can hold (${limits.maxSamples})`, childOf(stbl, 'stsz')?.offset ?? 0, `${limits.path}/stsz`);
    }
    return new Uint32Array(stsz.sampleCount).fill(stsz.sampleSize);
  }
  const stz2 = valueAs(childOf(stbl, 'stz2'), st.stz2);
  if (stz2) return stz2.entrySizes;
  if (!childOf(stbl, 'stsz') && !childOf(stbl, 'stz2')) return new Uint32Array(0);
  return need<Uint32Array>(undefined, 'stsz', childOf(stbl, 'stsz') ?? childOf(stbl, 'stz2'), limits.path);
}

/** Columns for the samples described by an `stbl`. Times start at 0 (edit lists are applied by readers, not here). */
export function expandStbl(stbl: Box, limits: ExpandLimits): SampleTable {
  const stts0 = valueAs(childOf(stbl, 'stts'), st.stts);
  if (limits.audioFrames && stts0 && stts0.entries.sampleDelta.length === 1 && stts0.entries.sampleDelta[0] === 1) {
    const chunked = expandAudioChunks(stbl, limits.audioFrames, limits);
    if (chunked) return chunked;
  }
  const size = sizesOf(stbl, limits);
  const n = size.length;
  const dts = new Float64Array(n);
  const duration = new Float64Array(n);
  const ctsOffset = new Int32Array(n);
  const offset = new Float64Array(n);
  const flags = new Uint8Array(n);
  const description = new Uint16Array(n);

  // stts: run-length decode deltas; samples beyond the table keep the last delta.
  const stts = valueAs(childOf(stbl, 'stts'), st.stts);
  let i = 0;
  let t = 0;
  let lastDelta = 0;
  if (stts) {
    const { sampleCount, sampleDelta } = stts.entries;
    for (let e = 0; e < sampleCount.length && i < n; e++) {
      const d = sampleDelta[e]!;
      lastDelta = d;
      for (let k = sampleCount[e]!; k > 0 && i < n; k--, i++) {
        dts[i] = t;
        duration[i] = d;
        t += d;
      }
    }
  }
  for (; i < n; i++) {
    dts[i] = t;
    duration[i] = lastDelta;
    t += lastDelta;
  }

  const ctts = valueAs(childOf(stbl, 'ctts'), st.ctts);
  if (ctts) {
    const { sampleCount, sampleOffset } = ctts.entries;
    i = 0;
    for (let e = 0; e < sampleCount.length && i < n; e++) {
      const o = sampleOffset[e]!;
      for (let k = sampleCount[e]!; k > 0 && i < n; k--, i++) ctsOffset[i] = o;
    }
  }

  // stss absent = every sample is a sync sample.
  const stssBox = childOf(stbl, 'stss');
  const stss = valueAs(stssBox, st.stss);
  if (!stssBox) flags.fill(SYNC);
  else if (stss) for (const s of stss.sampleNumbers) if (s >= 1 && s <= n) flags[s - 1]! |= SYNC;

  // sdtp: sample_is_depended_on == 2 means nothing depends on the sample.
  const sdtp = valueAs(childOf(stbl, 'sdtp'), st.sdtp);
  if (sdtp) {
    const m = Math.min(n, sdtp.sampleFlags.length);
    for (let k = 0; k < m; k++) if (((sdtp.sampleFlags[k]! >> 2) & 3) === 2) flags[k]! |= DISPOSABLE;
  }

  // stsc + stco/co64: sample byte offsets and sample description indexes.
  const chunkOffsets: ArrayLike<number> =
    valueAs(childOf(stbl, 'stco'), st.stco)?.chunkOffsets ?? valueAs(childOf(stbl, 'co64'), st.co64)?.chunkOffsets ?? new Float64Array(0);
  const stsc = valueAs(childOf(stbl, 'stsc'), st.stsc);
  i = 0;
  if (stsc && n > 0) {
    const { firstChunk, samplesPerChunk, sampleDescriptionIndex } = stsc.entries;
    const entries = firstChunk.length;
    for (let e = 0; e < entries && i < n; e++) {
      const first = firstChunk[e]!;
      const last = e + 1 < entries ? firstChunk[e + 1]! - 1 : chunkOffsets.length;
      const per = samplesPerChunk[e]!;
      const desc = Math.max(0, sampleDescriptionIndex[e]! - 1);
      for (let c = first; c <= last && c <= chunkOffsets.length && i < n; c++) {
        let pos = chunkOffsets[c - 1]!;
        for (let k = 0; k < per && i < n; k++, i++) {
          offset[i] = pos;
          description[i] = desc;
          pos += size[i]!;
        }
      }
    }
  }
  // Samples that no chunk holds cannot be read: like ffmpeg, keep the ones that are placed.
  const m = i;
  return {
    count: m,
    dts: dts.subarray(0, m),
    ctsOffset: ctsOffset.subarray(0, m),
    duration: duration.subarray(0, m),
    size: size.subarray(0, m),
    offset: offset.subarray(0, m),
    flags: flags.subarray(0, m),
    description: description.subarray(0, m),
  };
}

/**
 * Uncompressed audio in QuickTime files: stts gives one tick per sample frame, and ffmpeg reads chunks as
 * packets of up to 1024 frames (mov_build_index). Returns undefined when the tables do not allow it.
 */
function expandAudioChunks(stbl: Box, f: { samplesPerFrame: number; bytesPerFrame: number }, limits: ExpandLimits): SampleTable | undefined {
  const stsc = valueAs(childOf(stbl, 'stsc'), st.stsc);
  const offsets: ArrayLike<number> | undefined = valueAs(childOf(stbl, 'stco'), st.stco)?.chunkOffsets ?? valueAs(childOf(stbl, 'co64'), st.co64)?.chunkOffsets;
  if (!stsc || !offsets || f.bytesPerFrame <= 0) return undefined;
  const { firstChunk, samplesPerChunk, sampleDescriptionIndex } = stsc.entries;
  const out = { dts: [] as number[], duration: [] as number[], size: [] as number[], offset: [] as number[], description: [] as number[] };
  let dts = 0;
  for (let e = 0; e < firstChunk.length; e++) {
    const last = e + 1 < firstChunk.length ? firstChunk[e + 1]! - 1 : offsets.length;
    for (let c = firstChunk[e]!; c <= last && c <= offsets.length; c++) {
      let pos = offsets[c - 1]!;
      let left = samplesPerChunk[e]!;
      while (left > 0) {
        if (limits.inputSize !== undefined && pos >= limits.inputSize) break;
        if (out.dts.length >= limits.maxSamples) {
          throw new BoxwrightError('TOO_LARGE', `audio chunks hold more packets than this input can (${limits.maxSamples})`, stbl.offset ?? 0, limits.path);
        }
        let n: number;
        let bytes: number;
        if (f.samplesPerFrame >= 160) {
          n = f.samplesPerFrame;
          bytes = f.bytesPerFrame;
        } else if (f.samplesPerFrame > 1) {
          n = Math.min(Math.floor(1024 / f.samplesPerFrame) * f.samplesPerFrame, left);
          bytes = (n / f.samplesPerFrame) * f.bytesPerFrame;
        } else {
          n = Math.min(1024, left);
          bytes = n * f.bytesPerFrame;
        }
        out.dts.push(dts);
        out.duration.push(n);
        out.size.push(bytes);
        out.offset.push(pos);
        out.description.push(Math.max(0, sampleDescriptionIndex[e]! - 1));
        pos += bytes;
        dts += n;
        left -= n;
      }
    }
  }
  const count = out.dts.length;
  return {
    count,
    dts: Float64Array.from(out.dts),
    ctsOffset: new Int32Array(count),
    duration: Float64Array.from(out.duration),
    size: Uint32Array.from(out.size),
    offset: Float64Array.from(out.offset),
    flags: new Uint8Array(count).fill(SYNC),
    description: Uint16Array.from(out.description),
  };
}
