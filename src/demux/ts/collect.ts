/**
 * Transport stream → one elementary stream per PID of the chosen program, with the PES timestamps
 * and where each PES payload starts in it (ISO/IEC 13818-1 §2.4.3 packets, §2.4.4 PSI, §2.4.3.6 PES).
 *
 * Two passes over the packets: the first reads the PSI (PAT → the first program → every version of
 * its PMT), the second reassembles the PES packets of every stream any PMT version listed. Reading
 * the PSI first lets a stream whose PMT entry arrives late (a PMT update adding a PID) keep the
 * packets sent before it.
 */
import type { StreamDescriptors } from './descriptors.js';
import { NULL_PID, forEachPacket, type PacketScanStats, type TsPacket } from './packets.js';
import { parsePesHeader, unwrapTimestamp } from './pes.js';
import { emptySectionBuffer, parsePat, parsePmt, pushSectionPayload, type SectionBuffer } from './psi.js';
import { SegmentedBytes } from './segmented-bytes.js';
import { esFormatOf, type EsFormat } from './stream-types.js';

/** Where one PES payload starts in its elementary stream, with its timestamps (90 kHz, unwrapped). */
export interface PesRecord {
  esOffset: number;
  pts?: number;
  dts?: number;
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
}

interface ProgramMap {
  programNumber?: number;
  pmtPids: Set<number>;
  /** Streams by PID in order of first appearance; the first PMT entry for a PID wins. */
  streams: Map<number, { streamType: number; descriptors: StreamDescriptors }>;
  versions: Set<number>;
  badSections: number;
  continuityErrors: number;
}

/** Pass 1: PAT and PMT sections. */
function readProgram(data: Uint8Array): ProgramMap {
  const prog: ProgramMap = { pmtPids: new Set(), streams: new Map(), versions: new Set(), badSections: 0, continuityErrors: 0 };
  const buffers = new Map<number, SectionBuffer>();
  const cc = new Continuity();
  // PAT, then the PMT PIDs it names: the only packets this pass looks at.
  const psiPids = new Uint8Array(8192);
  psiPids[0] = 1;
  const onPat = (section: Uint8Array): void => {
    const pat = parsePat(section);
    if (!pat) {
      prog.badSections++;
      return;
    }
    if (prog.programNumber === undefined && pat.length > 0) prog.programNumber = pat[0]!.programNumber;
    for (const e of pat) {
      if (e.programNumber !== prog.programNumber) continue;
      prog.pmtPids.add(e.pmtPid);
      psiPids[e.pmtPid] = 1;
    }
  };
  const onPmt = (section: Uint8Array): void => {
    if (section[0] !== 0x02) return; // other tables may share the PID
    const pmt = parsePmt(section);
    if (!pmt) {
      prog.badSections++;
      return;
    }
    if (pmt.programNumber !== prog.programNumber) return;
    prog.versions.add(pmt.version);
    for (const s of pmt.streams) {
      if (s.pid === 0 || s.pid === NULL_PID || prog.pmtPids.has(s.pid) || prog.streams.has(s.pid)) continue;
      prog.streams.set(s.pid, { streamType: s.streamType, descriptors: s.descriptors });
    }
  };
  forEachPacket(data, (p) => {
    const isPat = p.pid === 0;
    if (!isPat && !prog.pmtPids.has(p.pid)) return;
    const c = cc.check(data, p);
    if (c === 'duplicate' || !p.hasPayload) return;
    if (c === 'lost') prog.continuityErrors++;
    const state = buffers.get(p.pid) ?? emptySectionBuffer();
    const payload = data.subarray(p.payloadStart, p.payloadEnd);
    buffers.set(p.pid, pushSectionPayload(state, payload, p.unitStart, c === 'lost', isPat ? onPat : onPmt));
  }, psiPids);;
  return prog;
}

/** Per-stream output being built. */
interface StreamBuild {
  stream: ElementaryStream;
  /** The PES being received: its first segment and the stream length before it (-1: none). */
  pesSeg: number;
  pesBase: number;
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
  const prog = readProgram(window.psi ?? data);
  const limits = window.limits;
  const report: CollectReport = {
    packetSize: 0,
    packets: 0,
    droppedBytes: 0,
    resyncs: 0,
    continuityErrors: prog.continuityErrors,
    duplicatePackets: 0,
    transportErrors: 0,
    badSections: prog.badSections,
    badPesHeaders: 0,
    pesLengthMismatches: 0,
    orphanBytes: 0,
    pmtVersions: prog.versions.size,
  };
  if (prog.programNumber !== undefined) report.programNumber = prog.programNumber;
  // By PID: the stream being built (an array, not a map: this is looked up once per packet).
  const builds: Array<StreamBuild | undefined> = new Array(8192);
  const wanted = new Uint8Array(8192);
  const order: StreamBuild[] = [];
  const skipped: SkippedStream[] = [];
  for (const [pid, s] of prog.streams) {
    const format = esFormatOf(s.streamType, s.descriptors);
    if (!format) {
      skipped.push({ pid, streamType: s.streamType });
      continue;
    }
    const b: StreamBuild = { stream: { pid, streamType: s.streamType, format, descriptors: s.descriptors, pes: [], data: new SegmentedBytes(data) }, pesSeg: -1, pesBase: 0 };
    builds[pid] = b;
    wanted[pid] = 1;
    order.push(b);
  }
  // The latest timestamp of the program: 33-bit values are unwrapped next to it.
  let reference: number | undefined;
  const finish = (b: StreamBuild): void => {
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
    if (h.packetLength !== 0 && h.packetLength + 6 !== es.length - base) report.pesLengthMismatches++;
    const rec: PesRecord = { esOffset: base };
    if (h.pts !== undefined) {
      const pts = unwrapTimestamp(h.pts, reference);
      const dts = h.dts === undefined ? pts : unwrapTimestamp(h.dts, pts);
      rec.pts = pts;
      rec.dts = dts;
      reference = dts;
    }
    b.stream.pes.push(rec);
    // The payload: everything after the header, left where it is.
    es.dropFront(seg, Math.min(h.payloadOffset, es.length - base));
  };
  const cc = new Continuity();
  const stats: PacketScanStats = forEachPacket(data, (p) => {
    const b = builds[p.pid];
    if (!b || (limits !== undefined && p.offset >= limits[p.pid]!)) return;
    if (p.transportError) report.transportErrors++;
    const c = cc.check(data, p);
    if (c === 'duplicate') {
      report.duplicatePackets++;
      return;
    }
    if (c === 'lost') report.continuityErrors++;
    if (!p.hasPayload || p.payloadStart >= p.payloadEnd) return;
    const es = b.stream.data;
    if (p.unitStart) {
      finish(b);
      b.pesSeg = es.count;
      b.pesBase = es.length;
      es.push(p.payloadStart, p.payloadEnd - p.payloadStart);
    } else if (b.pesSeg >= 0) {
      es.push(p.payloadStart, p.payloadEnd - p.payloadStart);
    } else {
      report.orphanBytes += p.payloadEnd - p.payloadStart;
    }
  }, wanted);;
  for (const b of order) finish(b);
  report.packetSize = stats.packetSize;
  report.packets = stats.packets;
  report.droppedBytes = stats.droppedBytes;
  report.resyncs = stats.resyncs;
  const streams: ElementaryStream[] = [];
  for (const b of order) {
    b.stream.data.seal();
    streams.push(b.stream);
  }
  return { streams, skipped, report };
}
