/**
 * Audio frames (and ID3 timed-metadata PES packets) → samples: timestamps from the PES a frame
 * starts in, the following frames of that PES one frame duration apart (ISO/IEC 13818-1 §2.4.3.7:
 * a PES timestamp belongs to the first access unit starting in it).
 */
import { STAMPED, SYNC, SampleTableBuilder, type SampleTable } from '../../model/sample-table.js';
import type { PacketView, SampleDescription, SampleSource } from '../../model/movie.js';
import type { AudioScan } from './audio-frames.js';
import type { PesRecord } from './collect.js';
import { addFrameDuration, pesEndAt, pesForUnits, positionsOf, generationsOf } from './timing.js';

/** Samples of a demuxed audio or data stream. */
export interface FrameTrackData {
  descriptions: SampleDescription[];
  samples: SampleTable;
  data: Uint8Array;
  /** Where the sample bytes come from when not from `data` (video: see {@link Track.source}). */
  source?: SampleSource;
  /** ffprobe's view of the samples as packets. */
  packetView: PacketView;
  /** Per sample, the program's time base it is on, when not all on the first (see `mendTimeline`). */
  generations?: Uint8Array;
}

/** A unit to store: bytes [from, to) of the elementary stream, timed by the PES it starts in. */
interface Unit {
  start: number;
  from: number;
  to: number;
  /** ES offset just after the unit's last byte (where its PES must be complete). */
  esEnd: number;
  /** The packet ffmpeg returns for it: the whole frame, header included. */
  packetSize: number;
  /** Audio samples and rate, to time the units after the first of a PES; 0 for data. */
  samples: number;
  sampleRate: number;
  description: number;
  flags: number;
}

/** The time one unit after `ts` (data units have no duration of their own). */
function after(ts: number, u: Unit): number {
  return u.sampleRate > 0 && u.samples > 0 ? addFrameDuration(ts, u.samples, u.sampleRate) : ts;
}

/**
 * The units as samples of `es` (offsets into it, nothing copied) with their timing.
 * Units without a PES timestamp follow the previous one by its frame duration; the first units
 * before any timestamp start at the first timestamp minus their durations, or at 0 when the stream
 * has none. Durations run to the next unit's DTS; the last unit keeps its own frame duration
 * (or the previous duration for data).
 */
function storeUnits(es: Uint8Array, units: Unit[], pes: readonly PesRecord[], descriptions: SampleDescription[]): FrameTrackData {
  const n = units.length;
  const timed = pesForUnits(units.map((u) => u.start), pes);
  const dts = new Float64Array(n);
  const firstTimed = timed.findIndex((r) => r !== undefined);
  for (let i = 0; i < n; i++) {
    const r = timed[i];
    if (r && r.pts !== undefined) dts[i] = r.pts;
    else if (i > 0 && (firstTimed < 0 || i > firstTimed)) dts[i] = after(dts[i - 1]!, units[i - 1]!);
  }
  // Leading units that precede the first timestamp: count back from it.
  for (let i = firstTimed - 1; i >= 0; i--) {
    const u = units[i]!;
    dts[i] = dts[i + 1]! - after(0, u);
  }
  const table = new SampleTableBuilder(Math.max(1, n));
  let lastDuration = 0;
  for (let i = 0; i < n; i++) {
    const u = units[i]!;
    let duration: number;
    if (i + 1 < n) duration = Math.max(0, dts[i + 1]! - dts[i]!);
    else if (u.sampleRate > 0) duration = after(dts[i]!, u) - dts[i]!;
    else duration = lastDuration;
    lastDuration = duration;
    table.push(dts[i]!, 0, duration, u.to - u.from, u.from, u.flags | (timed[i]?.pts !== undefined ? STAMPED : 0), u.description);
  }
  // The samples stay where they are in the elementary stream (between frame headers).
  const readOrder = new Float64Array(n);
  const size = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const u = units[i]!;
    // A frame cut by the end of the file is what ffmpeg's parsers give last, when they are flushed at its end.
    readOrder[i] = u.to > es.length ? Infinity : pesEndAt(pes, u.esEnd - 1);
    size[i] = u.packetSize;
  }
  const generations = generationsOf(timed);
  return { descriptions, samples: table.build(), data: es, packetView: { pos: positionsOf(timed), size, readOrder }, ...(generations ? { generations } : {}) };
}

/** Audio frames → samples; every audio frame is a sync sample. */
export function buildAudioTrack(es: Uint8Array, scan: AudioScan, pes: readonly PesRecord[]): FrameTrackData {
  const keys = [...scan.descriptions.keys()];
  const descriptions = keys.map((k) => scan.descriptions.get(k)!);
  const index = new Map(keys.map((k, i) => [k, i]));
  const units: Unit[] = scan.frames.map((f) => ({
    start: f.start,
    from: f.payloadStart,
    to: f.end,
    // LATM frames were copied out (offsets into scan.data): their LOAS frame start stands for the end.
    esEnd: scan.data ? f.start + 1 : f.end,
    // A frame cut by the end of the stream: the packet is the bytes that are there.
    packetSize: f.packetSize ?? Math.min(f.end, es.length) - f.start,
    samples: f.samples,
    sampleRate: f.sampleRate,
    description: index.get(f.key) ?? 0,
    flags: SYNC,
  }));
  return storeUnits(es, units, pes, descriptions);
}

/**
 * The 5-byte Metadata AU cell header (ISO/IEC 13818-1 §2.12.4: metadata_service_id, sequence_number,
 * flags, AU_cell_data_length) when the PES payload [from, to) is one whole cell, else 0. HLS timed
 * ID3 (Apple) puts the ID3 tag in the PES without the cell; ffmpeg 5.1 strips 5 bytes regardless.
 */
function auCellHeaderLength(es: Uint8Array, from: number, to: number): number {
  if (to - from >= 3 && es[from] === 0x49 && es[from + 1] === 0x44 && es[from + 2] === 0x33) return 0; // 'ID3'
  if (to - from < 5) return 0;
  const cellLength = (es[from + 3]! << 8) | es[from + 4]!;
  return cellLength === to - from - 5 ? 5 : 0;
}

/**
 * Timed metadata (ID3 in PES, stream type 0x15): one sample per PES packet, the ID3 tag (without a
 * metadata AU cell header if there is one). Empty PES payloads are skipped.
 */
export function buildMetadataTrack(es: Uint8Array, pes: readonly PesRecord[]): FrameTrackData {
  const units: Unit[] = [];
  for (let i = 0; i < pes.length; i++) {
    const start = pes[i]!.esOffset;
    const to = i + 1 < pes.length ? pes[i + 1]!.esOffset : es.length;
    const from = start + auCellHeaderLength(es, start, to);
    if (to > from) units.push({ start, from, to, esEnd: to, packetSize: to - from, samples: 0, sampleRate: 0, description: 0, flags: SYNC });
  }
  return storeUnits(es, units, pes, [{ entryType: 'ID3 ', format: 'ID3 ' }]);
}
