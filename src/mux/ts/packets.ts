/**
 * Transport packets (ISO/IEC 13818-1 §2.4.3.2): 188-byte packets with a 4-byte header, an optional
 * adaptation field (§2.4.3.4) and payload. A PES packet or PSI section is spread over consecutive packets
 * of its PID; the last packet is padded (adaptation-field stuffing for PES, 0xFF bytes for PSI).
 */
import { BoxwrightError } from '../../io/errors.js';
import { wrap33 } from './timestamps.js';

/** §2.4.3.2: every transport packet is 188 bytes and starts with sync_byte 0x47. */
export const PACKET_SIZE = 188;
const SYNC_BYTE = 0x47;
const HEADER = 4;
/** Payload bytes of a packet without an adaptation field. */
const FULL = PACKET_SIZE - HEADER;

/** Sequential byte output: the payload writer of a packetized unit. */
export interface ByteSink {
  u8(v: number): void;
  bytes(b: Uint8Array): void;
}

/** What the adaptation field of a PES's first packet signals. */
export interface FirstPacketFlags {
  /** PCR base (90 kHz, any integer: reduced mod 2^33); the extension is 0. */
  pcrBase?: number;
  /** random_access_indicator: the PES starts a random access point (§2.4.3.5). */
  randomAccess: boolean;
}

/**
 * Bytes of the adaptation field the first packet needs before stuffing: 0 (none), 2 (length +
 * flags: random access only) or 8 (length + flags + 6-byte PCR).
 */
export function adaptationFieldSize(f: FirstPacketFlags): number {
  if (f.pcrBase !== undefined) return 8;
  return f.randomAccess ? 2 : 0;
}

/** Number of packets a unit of `length` payload bytes takes when its first packet carries `firstAf` adaptation-field bytes. */
export function packetCount(length: number, firstAf: number): number {
  const first = FULL - firstAf;
  return length <= first ? 1 : 1 + Math.ceil((length - first) / FULL);
}

/** Continuity counters per PID (§2.4.3.3: 4 bits, incremented for every packet with payload). */
export class ContinuityCounters {
  private readonly cc = new Uint8Array(0x2000);
  /** The counter for the next packet of `pid`, advancing it. */
  next(pid: number): number {
    const c = this.cc[pid]!;
    this.cc[pid] = (c + 1) & 0x0f;
    return c;
  }
}

function writeHeader(out: Uint8Array, p: number, pid: number, unitStart: boolean, hasAf: boolean, cc: number): void {
  out[p] = SYNC_BYTE;
  // transport_error_indicator 0, payload_unit_start_indicator, transport_priority 0, PID (13 bits).
  out[p + 1] = (unitStart ? 0x40 : 0) | ((pid >> 8) & 0x1f);
  out[p + 2] = pid & 0xff;
  // transport_scrambling_control 00, adaptation_field_control 01 (payload) or 11 (both), continuity_counter.
  out[p + 3] = (hasAf ? 0x30 : 0x10) | cc;
}

/**
 * Writes an adaptation field of exactly `size` bytes (≥ 1) at `p`: adaptation_field_length, then (when
 * size ≥ 2) the flags, the PCR when given, and 0xFF stuffing bytes (§2.4.3.5).
 */
function writeAdaptationField(out: Uint8Array, p: number, size: number, flags: FirstPacketFlags | undefined): void {
  out[p] = size - 1;
  if (size === 1) return;
  const pcr = flags?.pcrBase;
  out[p + 1] = (flags?.randomAccess ? 0x40 : 0) | (pcr !== undefined ? 0x10 : 0);
  let q = p + 2;
  if (pcr !== undefined) {
    // program_clock_reference_base (33 bits), 6 reserved bits, program_clock_reference_extension (9 bits, 0).
    const base = wrap33(pcr);
    const hi = Math.floor(base / 2);
    out[q] = (hi >>> 24) & 0xff;
    out[q + 1] = (hi >>> 16) & 0xff;
    out[q + 2] = (hi >>> 8) & 0xff;
    out[q + 3] = hi & 0xff;
    out[q + 4] = ((base % 2) << 7) | 0x7e;
    out[q + 5] = 0;
    q += 6;
  }
  out.fill(0xff, q, p + size);
}

/** Writes into the payload areas of consecutive packets, skipping their headers. */
class PacketPayloadSink implements ByteSink {
  private cur: number;
  private end: number;
  private packet = 0;

  constructor(
    private readonly out: Uint8Array,
    private readonly base: number,
    private readonly count: number,
    firstPayload: number,
    private readonly lastPayload: number,
  ) {
    this.cur = firstPayload;
    this.end = base + PACKET_SIZE;
  }

  private advance(): void {
    this.packet++;
    if (this.packet >= this.count) throw new BoxwrightError('INTERNAL', 'TS unit payload longer than measured', this.cur, '');
    const p = this.base + this.packet * PACKET_SIZE;
    this.cur = this.packet === this.count - 1 ? this.lastPayload : p + HEADER;
    this.end = p + PACKET_SIZE;
  }

  u8(v: number): void {
    if (this.cur === this.end) this.advance();
    this.out[this.cur++] = v;
  }

  bytes(b: Uint8Array): void {
    let i = 0;
    while (i < b.length) {
      if (this.cur === this.end) this.advance();
      const n = Math.min(b.length - i, this.end - this.cur);
      this.out.set(b.subarray(i, i + n), this.cur);
      this.cur += n;
      i += n;
    }
  }

  /** Throws INTERNAL unless exactly the measured payload was written. */
  done(): void {
    if (this.packet !== this.count - 1 || this.cur !== this.end) throw new BoxwrightError('INTERNAL', 'TS unit payload shorter than measured', this.cur, '');
  }
}

/**
 * Writes a PES packet of `length` bytes as transport packets of `pid` at `pos`: the first packet has
 * payload_unit_start_indicator set and the adaptation field of `flags`; the last is filled up with
 * adaptation-field stuffing (§2.4.3.5: the only way to pad a PES-carrying packet). `fill` writes
 * the PES bytes. Returns the position after the last packet.
 */
export function writePesPackets(
  out: Uint8Array,
  pos: number,
  pid: number,
  counters: ContinuityCounters,
  length: number,
  flags: FirstPacketFlags,
  fill: (sink: ByteSink) => void,
): number {
  const af = adaptationFieldSize(flags);
  const n = packetCount(length, af);
  const lastData = n === 1 ? length : length - (FULL - af) - (n - 2) * FULL;
  const stuffing = (n === 1 ? FULL - af : FULL) - lastData;
  let firstPayload = 0;
  let lastPayload = 0;
  for (let k = 0; k < n; k++) {
    const p = pos + k * PACKET_SIZE;
    const afSize = (k === 0 ? af : 0) + (k === n - 1 ? stuffing : 0);
    writeHeader(out, p, pid, k === 0, afSize > 0, counters.next(pid));
    if (afSize > 0) writeAdaptationField(out, p + HEADER, afSize, k === 0 ? flags : undefined);
    if (k === 0) firstPayload = p + HEADER + afSize;
    if (k === n - 1) lastPayload = p + HEADER + afSize;
  }
  const sink = new PacketPayloadSink(out, pos, n, firstPayload, lastPayload);
  fill(sink);
  sink.done();
  return pos + n * PACKET_SIZE;
}

/** Packets a PSI section takes: pointer_field + section, 0xFF-padded (§2.4.4.2). */
export function sectionPacketCount(section: Uint8Array): number {
  return packetCount(1 + section.length, 0);
}

/**
 * Writes a PSI section as transport packets of `pid`: pointer_field 0 in the first, the section,
 * then 0xFF stuffing bytes to the end of the last packet (§2.4.4.2: after a section, 0xFF up to the end
 * of the packet). Returns the position after the last packet.
 */
export function writeSectionPackets(out: Uint8Array, pos: number, pid: number, counters: ContinuityCounters, section: Uint8Array): number {
  const n = sectionPacketCount(section);
  let s = 0;
  for (let k = 0; k < n; k++) {
    const p = pos + k * PACKET_SIZE;
    writeHeader(out, p, pid, k === 0, false, counters.next(pid));
    let q = p + HEADER;
    if (k === 0) out[q++] = 0; // pointer_field: the section starts right after it
    const take = Math.min(section.length - s, p + PACKET_SIZE - q);
    out.set(section.subarray(s, s + take), q);
    s += take;
    out.fill(0xff, q + take, p + PACKET_SIZE);
  }
  return pos + n * PACKET_SIZE;
}
