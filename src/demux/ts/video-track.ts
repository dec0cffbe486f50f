/**
 * H.264 / HEVC elementary stream → samples in the MP4 form (ISO/IEC 14496-15 §5.3.2 / §8.3.2):
 * 4-byte NAL unit lengths, no access unit delimiters, parameter sets in the configuration record
 * (a new sample description whenever they change), SEI kept (CEA-608/708 captions live there).
 */
import { STAMPED, SYNC, SampleTableBuilder, type SampleTable } from '../../model/sample-table.js';
import type { SampleDescription } from '../../model/movie.js';
import { nalType, splitAccessUnits, type AccessUnit, type VideoCodec } from './access-units.js';
import type { PesRecord } from './collect.js';
import { describeVideo, paramSetId, paramSetKind, sameParamSets, type ParamSetKind, type ParamSetTable } from './parameter-sets.js';
import { pesForUnits } from './timing.js';

/** A demuxed video stream. */
export interface VideoTrackData {
  descriptions: SampleDescription[];
  samples: SampleTable;
  /** The samples, back to back. */
  data: Uint8Array;
  /** Access units without any slice (only delimiters, parameter sets or SEI) that were dropped. */
  droppedAccessUnits: number;
  /** Access units that got no timestamp from a PES header and were timed from their neighbours. */
  untimedAccessUnits: number;
}

/** NAL units that never go into a sample: access unit delimiters (the parameter sets are handled apart). */
const isDelimiter = (codec: VideoCodec, t: number): boolean => (codec === 'h264' ? t === 9 : t === 35);

interface PlannedSample {
  au: AccessUnit;
  nals: Uint8Array[];
  size: number;
  description: number;
}

/**
 * Cuts the stream into access units, moves the parameter sets into sample descriptions and writes
 * the samples into one buffer allocated once (measured first). `es` is the whole elementary stream
 * and `pes` its PES records.
 */
export function buildVideoTrack(codec: VideoCodec, es: Uint8Array, pes: readonly PesRecord[]): VideoTrackData {
  const aus = splitAccessUnits(codec, es);
  const tables: ParamSetTable[] = [];
  const descriptions: SampleDescription[] = [];
  let table = new Map<string, { kind: ParamSetKind; nal: Uint8Array }>();
  let current = -1;
  let dirty = false;
  let droppedAccessUnits = 0;
  const planned: PlannedSample[] = [];
  for (const au of aus) {
    const nals: Uint8Array[] = [];
    let size = 0;
    for (const nal of au.nals) {
      const t = nalType(codec, nal);
      if (isDelimiter(codec, t)) continue;
      const kind = paramSetKind(codec, t);
      if (kind) {
        const id = paramSetId(codec, kind, nal);
        if (id === undefined) continue;
        const key = `${kind}:${id}`;
        const old = table.get(key);
        if (!old || !bytesEqual(old.nal, nal)) {
          // Copy-on-write: earlier descriptions keep the table they were built from.
          table = new Map(table);
          table.set(key, { kind, nal });
          dirty = true;
        }
        continue;
      }
      // trailing_zero_8bits (Annex B.1) are stream padding, not NAL unit bytes; the last NAL unit of
      // the stream still has them (only those before a start code were cut).
      let e = nal.length;
      while (e > 0 && nal[e - 1] === 0) e--;
      if (e === 0) continue;
      nals.push(nal.subarray(0, e));
      size += 4 + e;
    }
    if (!au.hasPicture) {
      droppedAccessUnits++;
      continue;
    }
    if (dirty || current < 0) {
      dirty = false;
      let found = tables.findIndex((t) => sameParamSets(t, table));
      // Sample description indices are 16-bit: a stream changing its parameter sets more often
      // than that keeps the last description.
      if (found < 0 && (table.size > 0 || descriptions.length === 0) && descriptions.length < 0xffff) {
        tables.push(table);
        descriptions.push(describeVideo(codec, table));
        found = tables.length - 1;
      }
      // Pictures before any parameter set stay on the first description built.
      if (found >= 0) current = found;
    }
    planned.push({ au, nals, size, description: Math.max(0, current) });
  }
  if (descriptions.length > 1 && tables[0]!.size === 0) {
    // The placeholder made for leading pictures without parameter sets: point them at the real one.
    tables.shift();
    descriptions.shift();
    for (const s of planned) s.description = Math.max(0, s.description - 1);
  }
  if (descriptions.length === 0) descriptions.push(describeVideo(codec, new Map()));

  // Timestamps: those of the PES the access unit starts in. Access units no PES timestamp starts
  // (several AUs per PES) get decode times spread evenly between their timed neighbours, or one
  // frame interval (of the nearest timed pair) before the first / after the last timed one; their
  // presentation time is their decode time, since reordering is not known without the slice headers.
  const n = planned.length;
  const timed = pesForUnits(planned.map((s) => s.au.start), pes);
  const dts = new Float64Array(n);
  const pts = new Float64Array(n);
  const known: number[] = [];
  for (let i = 0; i < n; i++) {
    const rec = timed[i];
    if (rec && rec.pts !== undefined) {
      pts[i] = rec.pts;
      dts[i] = rec.dts ?? rec.pts;
      known.push(i);
    }
  }
  const untimedAccessUnits = n - known.length;
  if (known.length > 0 && untimedAccessUnits > 0) {
    const step = (a: number, b: number): number => Math.round((dts[b]! - dts[a]!) / (b - a));
    const first = known[0]!;
    const last = known[known.length - 1]!;
    const headStep = known.length > 1 ? step(first, known[1]!) : 0;
    const tailStep = known.length > 1 ? step(known[known.length - 2]!, last) : 0;
    for (let i = 0; i < first; i++) dts[i] = dts[first]! - (first - i) * headStep;
    for (let k = 0; k + 1 < known.length; k++) {
      const a = known[k]!;
      const b = known[k + 1]!;
      for (let i = a + 1; i < b; i++) dts[i] = dts[a]! + Math.round(((dts[b]! - dts[a]!) * (i - a)) / (b - a));
    }
    for (let i = last + 1; i < n; i++) dts[i] = dts[last]! + (i - last) * tailStep;
    for (let i = 0; i < n; i++) if (timed[i]?.pts === undefined) pts[i] = dts[i]!;
  }

  // Duration: up to the next sample's DTS; the last one repeats the previous duration.
  const durations = new Float64Array(n);
  for (let i = 0; i + 1 < n; i++) durations[i] = Math.max(0, dts[i + 1]! - dts[i]!);
  if (n > 1) durations[n - 1] = durations[n - 2]!;

  // Pass 2: the samples into one buffer of the measured size.
  let total = 0;
  for (const s of planned) total += s.size;
  const data = new Uint8Array(total);
  const dv = new DataView(data.buffer);
  const samples = new SampleTableBuilder(Math.max(1, n));
  let o = 0;
  for (let i = 0; i < n; i++) {
    const s = planned[i]!;
    const start = o;
    for (const nal of s.nals) {
      dv.setUint32(o, nal.length);
      data.set(nal, o + 4);
      o += 4 + nal.length;
    }
    samples.push(dts[i]!, pts[i]! - dts[i]!, durations[i]!, s.size, start, (s.au.key ? SYNC : 0) | STAMPED, s.description);
  }
  return { descriptions, samples: samples.build(), data, droppedAccessUnits, untimedAccessUnits };
}

function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
