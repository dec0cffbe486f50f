/**
 * Transport stream → one elementary stream per PID of the chosen program, with the PES timestamps
 * and where each PES payload starts in it (ISO/IEC 13818-1 §2.4.3 packets, §2.4.4 PSI, §2.4.3.6 PES).
 *
 * One pass over the packets: the PSI is read as it comes (PAT → the first program → every version
 * of its PMT); packets of a PID no PMT has named yet are kept aside and replayed if a later PMT
 * version adds it, so a stream whose entry arrives late keeps what was sent before. Private data that
 * no descriptor names is recognised from its frames at the end; time base discontinuities are
 * numbered PES by PES (see discontinuity.ts).
 */
import type { MuxConfig } from './latm.js';
import type { StreamDescriptors } from './descriptors.js';
import { NULL_PID, PacketWalker, emptyPacket, forEachPacket, readPacketInto, type TsPacket } from './packets.js';
import { parsePesHeader, unwrapTimestamp } from './pes.js';
import { ProgramTables } from './program.js';
import type { Pmt } from './psi.js';
import { SegmentedBytes } from './segmented-bytes.js';
import { SNIFF_BYTES, sniffAudio } from './audio-frames.js';
import { DiscontinuityDetector } from './discontinuity.js';
import { esFormatOf, type EsFormat, type PmtFormat } from './stream-types.js';

/** Where one PES payload starts in its elementary stream, with its timestamps (90 kHz, unwrapped). */
export interface PesRecord {
  esOffset: number;
  /** Offset in the input of the transport packet the PES starts in (ffprobe's packet pos). */
  pos: number;
  /**
   * Offset of the packet at which the PES is complete, as ffmpeg's demuxer returns it: its last packet
   * when PES_packet_length says so, else the next PES start of the PID (the input length at the end).
   */
  end: number;
  pts?: number;
  dts?: number;
  /** The program's time base the timestamps are on, when not the first (see {@link DiscontinuityDetector}). */
  generation?: number;
}

/** One elementary stream of the program. */
export interface ElementaryStream {
  pid: number;
  streamType: number;
  format: EsFormat;
  descriptors: StreamDescriptors;
  /** The PES payloads of the stream, left in the transport packets (see {@link SegmentedBytes}). */
  data: SegmentedBytes;
  /** One record per PES packet, in order of esOffset. */
  pes: PesRecord[];
}

/** A PMT entry we do not read. */
export interface SkippedStream {
  pid: number;
  streamType: number;
}

/** Counters from the transport layer; none of these stop the demuxer. */
export interface CollectReport {
  packetSize: number;
  packets: number;
  droppedBytes: number;
  resyncs: number;
  /** Packets whose continuity_counter skipped (lost packets), without a discontinuity_indicator. */
  continuityErrors: number;
  /** Repeated packets (same counter, same bytes) that were discarded (§2.4.3.3). */
  duplicatePackets: number;
  /** Packets with transport_error_indicator set (kept, like ffmpeg). */
  transportErrors: number;
  /** PSI sections that failed the length or CRC check. */
  badSections: number;
  /** PES packets whose header could not be read (their payload is dropped). */
  badPesHeaders: number;
  /** PES packets whose PES_packet_length disagreed with the bytes received (kept as received). */
  pesLengthMismatches: number;
  /** Payload bytes of a stream before its first PES start (joined mid-packet). */
  orphanBytes: number;
  /** Number of PMT versions seen for the program. */
  pmtVersions: number;
  programNumber?: number;
  /** Programs the PAT lists (the most any PAT version did); only the first is read. */
  programCount: number;
}

/**
 * A part of a transport stream to demux (the incremental transmuxer's window): the PSI read from
 * other packets, and per PID an offset in the data from which its packets are left out.
 */
export interface TsWindow {
  /** Packets holding the PAT and PMT (instead of the PSI inside the data). */
  psi?: Uint8Array;
  /** By PID: packets at or after this offset are not part of the window. */
  limits?: Float64Array;
  /**
   * What the caller already read of the packets, when the data is whole 188-byte packets back to
   * back: per packet its PID, and a {@link continuationHint} (0: none). The packets are then not
   * searched for, and most are not read at all.
   */
  packets?: { pid: Int32Array; hint: Uint8Array };
  /** By PID: the LATM StreamMuxConfig an earlier part of the stream ended with; updated with this part's last. */
  latm?: Map<number, { config?: MuxConfig }>;
}

/**
 * A packet's hint for {@link TsWindow.packets}: nonzero (0x10 | continuity_counter) for a packet
 * without transport error, PES start or adaptation field, with a payload (the middle of a PES); 0 for
 * any other. `b1` and `b3` are the packet's header bytes 1 and 3.
 */
export function continuationHint(b1: number, b3: number): number {
  return (b1 & 0xc0) === 0 && (b3 & 0x30) === 0x10 ? 0x10 | (b3 & 15) : 0;
}

/** What {@link collectStreams} returns. */
export interface Collected {
  streams: ElementaryStream[];
  skipped: SkippedStream[];
  report: CollectReport;
}

/** Result of the continuity check of one packet. */
type CcResult = 'ok' | 'lost' | 'duplicate';

function sameBytes(data: Uint8Array, a: number, b: number): boolean {
  for (let i = 0; i < 188; i++) if (data[a + i] !== data[b + i]) return false;
  return true;
}

/** §2.4.3.3 continuity_counter per PID: +1 per packet with payload; a single repeat is a duplicate packet. */
class Continuity {
  /** Last counter per PID (-1: none yet) and the offset of that packet (to recognise duplicates). */
  private readonly last = new Int8Array(8192).fill(-1);
  private readonly lastOffset = new Float64Array(8192);

  check(data: Uint8Array, p: TsPacket): CcResult {
    if (!p.hasPayload) return 'ok';
    const pid = p.pid;
    const last = this.last[pid]!;
    const lastOffset = this.lastOffset[pid]!;
    this.last[pid] = p.continuityCounter;
    this.lastOffset[pid] = p.offset;
    if (last < 0 || p.discontinuity) return 'ok';
    if (p.continuityCounter === ((last + 1) & 15)) return 'ok';
    if (p.continuityCounter === last && sameBytes(data, lastOffset, p.offset)) return 'duplicate';
    return 'lost';
  }

  /**
   * The check for a packet with a payload and no adaptation field, at `offset` with `counter`, when
   * it is the next one of its PID (true: recorded, 'ok'); false leaves everything to {@link check}.
   */
  next(pid: number, counter: number, offset: number): boolean {
    const last = this.last[pid]!;
    if (last < 0 || counter !== ((last + 1) & 15)) return false;
    this.last[pid] = counter;
    this.lastOffset[pid] = offset;
    return true;
  }
}

/**
 * The demuxer's side of the program tables ({@link ProgramTables}): every version of the program's PMT,
 * calling `onStream` for each elementary stream PID the first time a PMT lists it (the first entry wins).
 */
class ProgramReader {
  readonly tables: ProgramTables;
  /** Streams by PID in order of first appearance. */
  readonly streams = new Map<number, { streamType: number; descriptors: StreamDescriptors }>();
  readonly versions = new Set<number>();
  continuityErrors = 0;

  constructor(private readonly onStream: (pid: number, streamType: number, descriptors: StreamDescriptors) => void) {
    this.tables = new ProgramTables({ onPmt: (pmt, repeat) => this.onPmt(pmt, repeat) });
  }

  private onPmt(pmt: Pmt, repeat: boolean): void {
    // A repeat lists nothing new.
    if (repeat) return;
    this.versions.add(pmt.version);
    const psiPids = this.tables.psiPids;
    for (const s of pmt.streams) {
      // PID 0 and the PMT PIDs are PSI (psiPids), never a stream.
      if (psiPids[s.pid] === 1 || s.pid === NULL_PID || this.streams.has(s.pid)) continue;
      this.streams.set(s.pid, { streamType: s.streamType, descriptors: s.descriptors });
      this.onStream(s.pid, s.streamType, s.descriptors);
    }
  }

  /** One packet of a PSI PID (see `tables.psiPids`). */
  packet(data: Uint8Array, p: TsPacket, cc: Continuity): void {
    const c = cc.check(data, p);
    if (c === 'duplicate' || !p.hasPayload) return;
    if (c === 'lost') this.continuityErrors++;
    this.tables.payload(p.pid, data.subarray(p.payloadStart, p.payloadEnd), p.unitStart, c === 'lost');
  }
}

/** Per-stream output being built. */
interface StreamBuild {
  /** The stream; its format is decided from the payload at the end when the PMT did not tell it. */
  stream: Omit<ElementaryStream, 'format'> & { format: PmtFormat };
  /** The PES being received: its first segment and the stream length before it (-1: none). */
  pesSeg: number;
  pesBase: number;
  /** Input offset of the packet the PES being received started in, and of its latest packet. */
  pesPos: number;
  pesLast: number;
}

/** The first `n` bytes of the PES packet received from segment `seg` on (a view when they lie in one segment). */
function headOf(es: SegmentedBytes, seg: number, base: number, n: number): Uint8Array {
  const size = Math.min(n, es.length - base);
  const first = es.segment(seg);
  if (first.length >= size) return first.subarray(0, size);
  const out = new Uint8Array(size);
  let o = 0;
  for (let k = seg; k < es.count && o < size; k++) {
    const c = es.segment(k);
    const take = Math.min(c.length, size - o);
    out.set(c.subarray(0, take), o);
    o += take;
  }
  return out;
}

/** §2.4.3.7: the PES header is at most 9 + 255 bytes. */
const MAX_PES_HEADER = 264;

/**
 * Reads the PSI, then reassembles the PES packets of every stream of the first program into one
 * elementary stream per PID. Never throws on bad bytes: what cannot be read is skipped and counted.
 */
export function collectStreams(data: Uint8Array, window: TsWindow = {}): Collected {
  const limits = window.limits;
  const report: CollectReport = {
    packetSize: 0,
    packets: 0,
    droppedBytes: 0,
    resyncs: 0,
    continuityErrors: 0,
    duplicatePackets: 0,
    transportErrors: 0,
    badSections: 0,
    badPesHeaders: 0,
    pesLengthMismatches: 0,
    orphanBytes: 0,
    pmtVersions: 0,
    programCount: 0,
  };
  // By PID: the stream being built (an array, not a map: this is looked up once per packet).
  const builds: Array<StreamBuild | undefined> = new Array(8192);
  const order: StreamBuild[] = [];
  const skipped: SkippedStream[] = [];
  // Packets of PIDs no PMT has listed yet (a later PMT version may add them): their offsets.
  const deferred = new Map<number, number[]>();
  const p = emptyPacket();
  const replayed = emptyPacket();
  const cc = new Continuity();
  const program = new ProgramReader((pid, streamType, descriptors) => {
    const format = esFormatOf(streamType, descriptors);
    if (!format) {
      skipped.push({ pid, streamType });
      return;
    }
    // Room for every packet of the input up front (untouched capacity costs no memory): no regrowth.
    const es = new SegmentedBytes(data, Math.ceil(data.length / 188) + 1);
    const b: StreamBuild = { stream: { pid, streamType, format, descriptors, pes: [], data: es }, pesSeg: -1, pesBase: 0, pesPos: 0, pesLast: 0 };
    builds[pid] = b;
    order.push(b);
    // The stream keeps the packets sent before its PMT entry.
    const early = deferred.get(pid);
    deferred.delete(pid);
    if (early) for (const at of early) streamPacket(b, readPacketInto(data, at, replayed));
  });
  /** Bytes of a packet before its sync byte (4 in 192-byte M2TS packets); set once the packet size is known. */
  let prefix = 0;
  // The latest timestamp of the program: 33-bit values are unwrapped next to it.
  let reference: number | undefined;
  const detector = new DiscontinuityDetector();
  /** The PES being received is over; `next` is where (the next PES start of the PID, or the input length). */
  const finish = (b: StreamBuild, next: number): void => {
    const es = b.stream.data;
    const seg = b.pesSeg;
    const base = b.pesBase;
    b.pesSeg = -1;
    if (seg < 0 || es.length === base) return;
    const h = parsePesHeader(headOf(es, seg, base, MAX_PES_HEADER));
    if (!h) {
      report.badPesHeaders++;
      es.truncate(seg, base);
      return;
    }
    const complete = h.packetLength !== 0 && h.packetLength + 6 === es.length - base;
    if (h.packetLength !== 0 && !complete) report.pesLengthMismatches++;
    // Positions are of packets, as ffmpeg gives them: an M2TS packet starts at its 4-byte prefix.
    const rec: PesRecord = { esOffset: base, pos: b.pesPos - prefix, end: (complete ? b.pesLast : next) - prefix };
    if (h.pts !== undefined) {
      const pts = unwrapTimestamp(h.pts, reference);
      const dts = h.dts === undefined ? pts : unwrapTimestamp(h.dts, pts);
      reference = dts;
      rec.pts = pts;
      rec.dts = dts;
      // A new time base (a splice, files joined): numbered here, mended once the tracks are built.
      const generation = b.stream.format === 'id3' ? detector.current : detector.generationFor(b.stream.pid, dts);
      if (generation > 0) rec.generation = generation;
    }
    b.stream.pes.push(rec);
    // The payload: everything after the header, left where it is.
    es.dropFront(seg, Math.min(h.payloadOffset, es.length - base));
  };
  /** One packet of a stream being built. */
  function streamPacket(b: StreamBuild, q: TsPacket): void {
    if (q.transportError) report.transportErrors++;
    const c = cc.check(data, q);
    if (c === 'duplicate') {
      report.duplicatePackets++;
      return;
    }
    if (c === 'lost') report.continuityErrors++;
    if (!q.hasPayload || q.payloadStart >= q.payloadEnd) return;
    const es = b.stream.data;
    if (q.unitStart) {
      finish(b, q.offset);
      b.pesSeg = es.count;
      b.pesBase = es.length;
      b.pesPos = q.offset;
      b.pesLast = q.offset;
      es.push(q.payloadStart, q.payloadEnd - q.payloadStart);
    } else if (b.pesSeg >= 0) {
      es.push(q.payloadStart, q.payloadEnd - q.payloadStart);
      b.pesLast = q.offset;
    } else {
      report.orphanBytes += q.payloadEnd - q.payloadStart;
    }
  }
  const psiPids = program.tables.psiPids;
  const programStreams = program.streams;
  // The PSI of a window comes with it, apart.
  if (window.psi) forEachPacket(window.psi, (q) => program.packet(window.psi!, q, cc), psiPids);
  const readPsi = window.psi === undefined;
  /** Most packets: the middle of a PES, payload only, next in sequence (no header to read). */
  const continues = (b: StreamBuild, pid: number, hint: number, at: number): boolean => {
    if (hint === 0 || b.pesSeg < 0 || !cc.next(pid, hint & 15, at)) return false;
    b.stream.data.push(at + 4, 184);
    b.pesLast = at;
    return true;
  };
  const known = window.packets;
  if (known) {
    // Packets the caller has read: no sync search, and only those that are not plain continuations are read.
    const count = Math.floor(data.length / 188);
    for (let i = 0, at = 0; i < count; i++, at += 188) {
      const pid = known.pid[i]!;
      const b = builds[pid];
      if (b === undefined || (limits !== undefined && at >= limits[pid]!)) continue;
      if (!continues(b, pid, known.hint[i]!, at)) streamPacket(b, readPacketInto(data, at, p));
    }
  }
  // One pass, a loop rather than a visitor callback: this runs once per packet of the input.
  const walker = new PacketWalker(known ? new Uint8Array(0) : data);
  if (walker.stats.packetSize === 192) prefix = 4;
  for (let at = walker.next(); at >= 0; at = walker.next()) {
    const pid = ((data[at + 1]! & 0x1f) << 8) | data[at + 2]!;
    const b = builds[pid];
    if (b !== undefined) {
      if (limits !== undefined && at >= limits[pid]!) continue;
      if (!continues(b, pid, continuationHint(data[at + 1]!, data[at + 3]!), at)) streamPacket(b, readPacketInto(data, at, p));
    } else if (readPsi && psiPids[pid] === 1) {
      program.packet(data, readPacketInto(data, at, p), cc);
    } else if (readPsi && pid !== NULL_PID && !programStreams.has(pid)) {
      const list = deferred.get(pid);
      if (list) list.push(at);
      else deferred.set(pid, [at]);
    }
  }
  const stats = walker.stats;
  const tables = program.tables;
  report.continuityErrors += program.continuityErrors;
  report.badSections = tables.badSections;
  report.pmtVersions = program.versions.size;
  report.programCount = tables.programCount;
  if (tables.programNumber !== undefined) report.programNumber = tables.programNumber;
  for (const b of order) finish(b, data.length);
  report.packetSize = known ? 188 : stats.packetSize;
  report.packets = known ? Math.floor(data.length / 188) : stats.packets;
  report.droppedBytes = stats.droppedBytes;
  report.resyncs = stats.resyncs;
  const streams: ElementaryStream[] = [];
  for (const b of order) {
    const es = b.stream.data;
    es.seal();
    const format = b.stream.format === 'sniff' ? sniffAudio(es.slice(0, SNIFF_BYTES)) : b.stream.format;
    if (format) streams.push({ ...b.stream, format });
    else skipped.push({ pid: b.stream.pid, streamType: b.stream.streamType });
  }
  return { streams, skipped, report };
}
