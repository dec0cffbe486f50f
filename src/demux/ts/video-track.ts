/**
 * H.264 / HEVC elementary stream → samples in the MP4 form (ISO/IEC 14496-15 §5.3.2 / §8.3.2):
 * 4-byte NAL unit lengths, no access unit delimiters, parameter sets in the configuration record
 * (a new sample description whenever they change), SEI kept (CEA-608/708 captions live there).
 */
import { STAMPED, SYNC, SampleTableBuilder, type SampleTable } from '../../model/sample-table.js';
import { bytesEqual } from '../../io/bytes.js';
import type { DeferredBytes } from '../../io/deferred-bytes.js';
import type { PacketView, SampleDescription, SampleSource } from '../../model/movie.js';
import { AccessUnitSplitter, isKeyNal, isVclNal, nalType, type VideoCodec } from './access-units.js';
import type { PesRecord } from './collect.js';
import { describeVideo, paramSetId, paramSetKind, sameParamSets, type ParamSetKind, type ParamSetTable } from './parameter-sets.js';
import type { SegmentedBytes } from './segmented-bytes.js';
import { pesEndAt, pesForUnits, positionsOf, generationsOf } from './timing.js';

/** A demuxed video stream: its samples stay in the transport packets until written (`source`). */
export interface VideoTrackData {
  descriptions: SampleDescription[];
  samples: SampleTable;
  /** Empty: the sample bytes come from `source`. */
  data: Uint8Array;
  source: SampleSource;
  /** ffprobe's view of the samples as packets. */
  packetView: PacketView;
  /** Per sample, the program's time base it is on, when not all on the first (see `mendTimeline`). */
  generations?: Uint8Array;
  /** Access units without any slice (only delimiters, parameter sets or SEI) that were dropped. */
  droppedAccessUnits: number;
  /** Access units that got no timestamp from a PES header and were timed from their neighbours. */
  untimedAccessUnits: number;
}

/** NAL units that never go into a sample: access unit delimiters (the parameter sets are handled apart). */
const isDelimiter = (codec: VideoCodec, t: number): boolean => (codec === 'h264' ? t === 9 : t === 35);

/** Bytes of a NAL unit header needed to split access units (type, first_mb_in_slice / first_slice flag). */
const HEAD_BYTES = 9;

/** A planned sample: its kept NAL units are nalFrom/nalTo[first, first + count). */
interface PlannedSample {
  start: number;
  first: number;
  count: number;
  size: number;
  key: boolean;
  description: number;
}

/** One sample in the MP4 form: each NAL unit with a 4-byte length, copied from the transport packets. */
class NalSample implements DeferredBytes {
  constructor(
    private readonly es: SegmentedBytes,
    private readonly from: Float64Array,
    private readonly to: Float64Array,
    private readonly s: PlannedSample,
  ) {}

  get length(): number {
    return this.s.size;
  }

  copyTo(out: Uint8Array, pos: number): void {
    let o = pos;
    for (let j = this.s.first; j < this.s.first + this.s.count; j++) {
      const a = this.from[j]!;
      const n = this.to[j]! - a;
      out[o] = n >>> 24;
      out[o + 1] = (n >>> 16) & 0xff;
      out[o + 2] = (n >>> 8) & 0xff;
      out[o + 3] = n & 0xff;
      this.es.copyTo(a, a + n, out, o + 4);
      o += 4 + n;
    }
  }
}

/**
 * Cuts the stream into access units and moves the parameter sets into sample descriptions. The
 * samples are not assembled: each records its NAL units' places in the elementary stream (which
 * itself stays in the transport packets) and copies itself when written. `pes` are the PES records.
 */
export function buildVideoTrack(codec: VideoCodec, es: SegmentedBytes, pes: readonly PesRecord[]): VideoTrackData {
  const startCodes = es.startCodes();
  const tables: ParamSetTable[] = [];
  const descriptions: SampleDescription[] = [];
  let table = new Map<string, { kind: ParamSetKind; nal: Uint8Array }>();
  let current = -1;
  let dirty = false;
  let droppedAccessUnits = 0;
  const planned: PlannedSample[] = [];
  let nalFrom = new Float64Array(Math.max(16, startCodes.length));
  let nalTo = new Float64Array(Math.max(16, startCodes.length));
  let kept = 0;
  const splitter = new AccessUnitSplitter(codec);
  let au: (PlannedSample & { hasPicture: boolean }) | undefined;

  const close = (): void => {
    if (!au) return;
    if (!au.hasPicture) {
      droppedAccessUnits++;
      kept = au.first;
      return;
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
    au.description = Math.max(0, current);
    planned.push(au);
  };

  const minNal = codec === 'h264' ? 1 : 2;
  for (let j = 0; j < startCodes.length; j++) {
    const from = startCodes[j]! + 1;
    let to = j + 1 < startCodes.length ? startCodes[j + 1]! - 2 : es.length;
    if (to - from < minNal) continue;
    const head = es.slice(from, Math.min(to, from + HEAD_BYTES));
    // trailing_zero_8bits (Annex B.1) and the zero of a 4-byte start code are not NAL unit bytes.
    while (to > from && es.byteAt(to - 1) === 0) to--;
    if (to - from < minNal) continue;
    if (splitter.next(head)) {
      close();
      au = { start: Math.max(0, from - 3), first: kept, count: 0, size: 0, key: false, description: 0, hasPicture: false };
    }
    const cur = au!;
    const t = nalType(codec, head);
    if (isDelimiter(codec, t)) continue;
    const kind = paramSetKind(codec, t);
    if (kind) {
      const nal = es.slice(from, to);
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
    if (isVclNal(codec, t)) {
      cur.hasPicture = true;
      if (isKeyNal(codec, t)) cur.key = true;
    }
    if (kept === nalFrom.length) {
      const f = new Float64Array(kept * 2);
      f.set(nalFrom);
      nalFrom = f;
      const g = new Float64Array(kept * 2);
      g.set(nalTo);
      nalTo = g;
    }
    nalFrom[kept] = from;
    nalTo[kept] = to;
    kept++;
    cur.count++;
    cur.size += 4 + (to - from);
  }
  close();
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
  const timed = pesForUnits(planned.map((s) => s.start), pes);
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

  // Offsets: where the samples would lie back to back.
  const samples = new SampleTableBuilder(Math.max(1, n));
  let o = 0;
  for (let i = 0; i < n; i++) {
    const s = planned[i]!;
    samples.push(dts[i]!, pts[i]! - dts[i]!, durations[i]!, s.size, o, (s.key ? SYNC : 0) | STAMPED, s.description);
    o += s.size;
  }
  const from = nalFrom;
  const to = nalTo;
  const source: SampleSource = { sample: (k) => new NalSample(es, from, to, planned[k]!) };
  // ffmpeg's H.264/HEVC parser returns an access unit once it has seen where the next one starts:
  // when the PES holding that start is complete; the last one when the parser is flushed at the end.
  // Its packets are the Annex B bytes from one access unit's first start code to the next one's; the
  // first from the start of the stream. ffmpeg's H.264 parser cuts before the zero of a 4-byte start code.
  const boundary = (i: number): number => {
    const s = planned[i]!.start;
    return i === 0 ? 0 : codec === 'h264' && s > 0 && es.byteAt(s - 1) === 0 ? s - 1 : s;
  };
  const readOrder = new Float64Array(n);
  const size = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    readOrder[i] = i + 1 < n ? pesEndAt(pes, planned[i + 1]!.start + 3) : Infinity;
    size[i] = (i + 1 < n ? boundary(i + 1) : es.length) - boundary(i);
  }
  const generations = generationsOf(timed);
  const packetView: PacketView = { pos: positionsOf(timed), size, readOrder };
  return { descriptions, samples: samples.build(), data: new Uint8Array(0), source, packetView, droppedAccessUnits, untimedAccessUnits, ...(generations ? { generations } : {}) };
}
