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
  /** The PES payloads of the stream, concatenated. */
  data: Uint8Array;
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

/** What {@link collectStreams} returns. */
export interface Collected {
  streams: ElementaryStream[];
  skipped: SkippedStream[];
  report: CollectReport;
}

/** Per-PID continuity state. */
interface Continuity {
  last: number;
  /** Offset of the last packet with a payload (to recognise duplicates). */
  lastOffset: number;
}

/** Result of the continuity check of one packet. */
type CcResult = 'ok' | 'lost' | 'duplicate';

function sameBytes(data: Uint8Array, a: number, b: number): boolean {
  for (let i = 0; i < 188; i++) if (data[a + i] !== data[b + i]) return false;
  return true;
}

/** §2.4.3.3 continuity_counter: +1 per packet with payload; a single repeat is a duplicate packet. */
function checkContinuity(map: Map<number, Continuity>, data: Uint8Array, p: TsPacket): CcResult {
  if (!p.hasPayload) return 'ok';
  const prev = map.get(p.pid);
  if (!prev) {
    map.set(p.pid, { last: p.continuityCounter, lastOffset: p.offset });
    return 'ok';
  }
  const { last, lastOffset } = prev;
  // Updated in place: one record per PID, not one per packet.
  prev.last = p.continuityCounter;
  prev.lastOffset = p.offset;
  if (p.discontinuity) return 'ok';
  if (p.continuityCounter === ((last + 1) & 15)) return 'ok';
  if (p.continuityCounter === last && sameBytes(data, lastOffset, p.offset)) return 'duplicate';
  return 'lost';
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
  const cc = new Map<number, Continuity>();
  const onPat = (section: Uint8Array): void => {
    const pat = parsePat(section);
    if (!pat) {
      prog.badSections++;
      return;
    }
    if (prog.programNumber === undefined && pat.length > 0) prog.programNumber = pat[0]!.programNumber;
    for (const e of pat) if (e.programNumber === prog.programNumber) prog.pmtPids.add(e.pmtPid);
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
    const c = checkContinuity(cc, data, p);
    if (c === 'duplicate' || !p.hasPayload) return;
    if (c === 'lost') prog.continuityErrors++;
    const state = buffers.get(p.pid) ?? emptySectionBuffer();
    const payload = data.subarray(p.payloadStart, p.payloadEnd);
    buffers.set(p.pid, pushSectionPayload(state, payload, p.unitStart, c === 'lost', isPat ? onPat : onPmt));
  });
  return prog;
}

/** A PES packet being received: views of its payload in the input. */
interface PendingPes {
  chunks: Uint8Array[];
  size: number;
}

/** Per-stream output being built. */
interface StreamBuild {
  stream: Omit<ElementaryStream, 'data'>;
  chunks: Uint8Array[];
  size: number;
  pending: PendingPes | undefined;
}

/** The first `n` bytes of a PES packet (copied only when they span packets). */
function headOf(pes: PendingPes, n: number): Uint8Array {
  const first = pes.chunks[0]!;
  if (first.length >= n || pes.chunks.length === 1) return first;
  const out = new Uint8Array(Math.min(n, pes.size));
  let o = 0;
  for (const c of pes.chunks) {
    if (o >= out.length) break;
    const take = Math.min(c.length, out.length - o);
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
export function collectStreams(data: Uint8Array): Collected {
  const prog = readProgram(data);
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
  const builds = new Map<number, StreamBuild>();
  const skipped: SkippedStream[] = [];
  for (const [pid, s] of prog.streams) {
    const format = esFormatOf(s.streamType, s.descriptors);
    if (!format) {
      skipped.push({ pid, streamType: s.streamType });
      continue;
    }
    builds.set(pid, { stream: { pid, streamType: s.streamType, format, descriptors: s.descriptors, pes: [] }, chunks: [], size: 0, pending: undefined });
  }
  // The latest timestamp of the program: 33-bit values are unwrapped next to it.
  let reference: number | undefined;
  const finish = (b: StreamBuild): void => {
    const pes = b.pending;
    b.pending = undefined;
    if (!pes || pes.size === 0) return;
    const h = parsePesHeader(headOf(pes, MAX_PES_HEADER));
    if (!h) {
      report.badPesHeaders++;
      return;
    }
    if (h.packetLength !== 0 && h.packetLength + 6 !== pes.size) report.pesLengthMismatches++;
    const rec: PesRecord = { esOffset: b.size };
    if (h.pts !== undefined) {
      const pts = unwrapTimestamp(h.pts, reference);
      const dts = h.dts === undefined ? pts : unwrapTimestamp(h.dts, pts);
      rec.pts = pts;
      rec.dts = dts;
      reference = dts;
    }
    b.stream.pes.push(rec);
    // The payload: everything after the header, as views of the input.
    let skip = h.payloadOffset;
    for (const c of pes.chunks) {
      if (skip >= c.length) {
        skip -= c.length;
        continue;
      }
      const v = skip > 0 ? c.subarray(skip) : c;
      skip = 0;
      b.chunks.push(v);
      b.size += v.length;
    }
  };
  const cc = new Map<number, Continuity>();
  const stats: PacketScanStats = forEachPacket(data, (p) => {
    const b = builds.get(p.pid);
    if (!b) return;
    if (p.transportError) report.transportErrors++;
    const c = checkContinuity(cc, data, p);
    if (c === 'duplicate') {
      report.duplicatePackets++;
      return;
    }
    if (c === 'lost') report.continuityErrors++;
    if (!p.hasPayload || p.payloadStart >= p.payloadEnd) return;
    const payload = data.subarray(p.payloadStart, p.payloadEnd);
    if (p.unitStart) {
      finish(b);
      b.pending = { chunks: [payload], size: payload.length };
    } else if (b.pending) {
      b.pending.chunks.push(payload);
      b.pending.size += payload.length;
    } else {
      report.orphanBytes += payload.length;
    }
  });
  for (const b of builds.values()) finish(b);
  report.packetSize = stats.packetSize;
  report.packets = stats.packets;
  report.droppedBytes = stats.droppedBytes;
  report.resyncs = stats.resyncs;
  const streams: ElementaryStream[] = [];
  for (const b of builds.values()) {
    // One copy of the payloads: the total is bounded by the input size.
    const es = new Uint8Array(b.size);
    let o = 0;
    for (const c of b.chunks) {
      es.set(c, o);
      o += c.length;
    }
    streams.push({ ...b.stream, data: es });
  }
  return { streams, skipped, report };
}
