/**
 * Program-specific information (ISO/IEC 13818-1 §2.4.4): section reassembly across transport
 * packets, CRC_32 check (Annex A), and the program association and program map tables.
 */
import { crc32Mpeg2 } from '../../io/crc32.js';
import { parseDescriptors, type StreamDescriptors } from './descriptors.js';

/** §2.4.4.3 Table 2-30: table_id of the program association section. */
export const TABLE_PAT = 0x00;
/** §2.4.4.8 Table 2-33: table_id of the TS program map section. */
export const TABLE_PMT = 0x02;

/** One program of a PAT (program_number 0 is the network PID and is left out). */
export interface PatEntry {
  programNumber: number;
  pmtPid: number;
}

/** One elementary stream of a PMT (§2.4.4.9 second loop). */
export interface PmtStream {
  streamType: number;
  pid: number;
  descriptors: StreamDescriptors;
}

/** A parsed PMT. */
export interface Pmt {
  programNumber: number;
  version: number;
  pcrPid: number;
  streams: PmtStream[];
}

/** CRC-32/MPEG-2 of `bytes`; 0 over a whole section (CRC_32 field included) means it is intact. */
export { crc32Mpeg2 as crc32Mpeg } from '../../io/crc32.js';

/**
 * Section reassembly state for one PID. Plain data: {@link pushSectionPayload} returns the next state,
 * so callers keep one per PID.
 */
export interface SectionBuffer {
  /** The section being assembled: 3 bytes until section_length is known, then exactly its size. */
  buf: Uint8Array | undefined;
  filled: number;
  /** Total section size once known, else 0. */
  total: number;
}

const EMPTY: SectionBuffer = { buf: undefined, filled: 0, total: 0 };

/** An empty {@link SectionBuffer}. */
export function emptySectionBuffer(): SectionBuffer {
  return EMPTY;
}

/** §2.4.4.11: section_length of a PSI section is at most 1021, so a section is at most 1024 bytes. */
const MAX_SECTION = 1024;

const sectionSize = (b1: number, b2: number): number => 3 + (((b1 & 0x0f) << 8) | b2);

/** Sections that start at `p` in a payload: whole ones are emitted as views, the last may stay pending. */
function startSections(payload: Uint8Array, p: number, onSection: (section: Uint8Array) => void): SectionBuffer {
  // 0xFF as table_id is stuffing up to the end of the packet (§2.4.4.2).
  while (p < payload.length && payload[p] !== 0xff) {
    if (p + 3 > payload.length) {
      const buf = new Uint8Array(3);
      buf.set(payload.subarray(p));
      return { buf, filled: payload.length - p, total: 0 };
    }
    const total = sectionSize(payload[p + 1]!, payload[p + 2]!);
    if (total > MAX_SECTION) return EMPTY;
    if (p + total <= payload.length) {
      onSection(payload.subarray(p, p + total));
      p += total;
      continue;
    }
    const buf = new Uint8Array(total);
    buf.set(payload.subarray(p));
    return { buf, filled: payload.length - p, total };
  }
  return EMPTY;
}

/** Continues a pending section with `bytes`; emits it when complete. */
function continueSection(state: SectionBuffer, bytes: Uint8Array, onSection: (section: Uint8Array) => void): SectionBuffer {
  let { buf, filled, total } = state;
  if (!buf) return EMPTY;
  let q = 0;
  if (total === 0) {
    const n = Math.min(3 - filled, bytes.length);
    buf.set(bytes.subarray(0, n), filled);
    filled += n;
    q = n;
    if (filled < 3) return { buf, filled, total: 0 };
    total = sectionSize(buf[1]!, buf[2]!);
    if (total > MAX_SECTION) return EMPTY;
    const whole = new Uint8Array(total);
    whole.set(buf);
    buf = whole;
  }
  const n = Math.min(total - filled, bytes.length - q);
  buf.set(bytes.subarray(q, q + n), filled);
  filled += n;
  if (filled === total) {
    onSection(buf);
    return EMPTY;
  }
  return { buf, filled, total };
}

/**
 * Feeds one packet payload to a PID's section reassembly and calls `onSection` with every complete
 * section (header through CRC_32). `unitStart` payloads begin with a pointer_field (§2.4.4.2) giving
 * where the first new section starts; the bytes before it finish the pending one. A gap in the
 * packets (`lost`) drops the partial section. Returns the next state.
 */
export function pushSectionPayload(
  state: SectionBuffer,
  payload: Uint8Array,
  unitStart: boolean,
  lost: boolean,
  onSection: (section: Uint8Array) => void,
): SectionBuffer {
  const pending = lost ? EMPTY : state;
  if (!unitStart) return continueSection(pending, payload, onSection);
  if (payload.length === 0) return EMPTY;
  const start = 1 + payload[0]!;
  if (pending.buf) continueSection(pending, payload.subarray(1, Math.min(payload.length, start)), onSection);
  return start < payload.length ? startSections(payload, start, onSection) : EMPTY;
}

/** Header fields shared by PAT and PMT (§2.4.4.3 long section syntax). */
interface LongSection {
  tableId: number;
  tableIdExtension: number;
  version: number;
  currentNext: boolean;
  /** The bytes between the header and CRC_32. */
  body: Uint8Array;
}

/**
 * Checks a long-form section: section_syntax_indicator set, length matching the bytes, CRC_32 intact.
 * Returns undefined for anything else (the caller counts it as a bad section).
 */
export function readLongSection(section: Uint8Array): LongSection | undefined {
  if (section.length < 12) return undefined;
  if ((section[1]! & 0x80) === 0) return undefined;
  const length = ((section[1]! & 0x0f) << 8) | section[2]!;
  if (length + 3 !== section.length || length < 9) return undefined;
  if (crc32Mpeg2(section) !== 0) return undefined;
  return {
    tableId: section[0]!,
    tableIdExtension: (section[3]! << 8) | section[4]!,
    version: (section[5]! >> 1) & 0x1f,
    currentNext: (section[5]! & 1) === 1,
    body: section.subarray(8, section.length - 4),
  };
}

/** Parses a program association section (§2.4.4.3); undefined when it is not an intact PAT. */
export function parsePat(section: Uint8Array): PatEntry[] | undefined {
  const s = readLongSection(section);
  if (!s || s.tableId !== TABLE_PAT || !s.currentNext) return undefined;
  const out: PatEntry[] = [];
  for (let p = 0; p + 4 <= s.body.length; p += 4) {
    const programNumber = (s.body[p]! << 8) | s.body[p + 1]!;
    const pid = ((s.body[p + 2]! & 0x1f) << 8) | s.body[p + 3]!;
    if (programNumber !== 0) out.push({ programNumber, pmtPid: pid });
  }
  return out;
}

/** Parses a TS program map section (§2.4.4.8); undefined when it is not an intact PMT. */
export function parsePmt(section: Uint8Array): Pmt | undefined {
  const s = readLongSection(section);
  if (!s || s.tableId !== TABLE_PMT || !s.currentNext) return undefined;
  const b = s.body;
  if (b.length < 4) return undefined;
  const pcrPid = ((b[0]! & 0x1f) << 8) | b[1]!;
  const infoLength = ((b[2]! & 0x0f) << 8) | b[3]!;
  let p = 4 + infoLength;
  if (p > b.length) return undefined;
  const programRegistration = parseDescriptors(b.subarray(4, p)).registration;
  const streams: PmtStream[] = [];
  while (p + 5 <= b.length) {
    const streamType = b[p]!;
    const pid = ((b[p + 1]! & 0x1f) << 8) | b[p + 2]!;
    const esInfoLength = ((b[p + 3]! & 0x0f) << 8) | b[p + 4]!;
    const end = p + 5 + esInfoLength;
    // ES_info_length must stay inside the section; a lying one ends the loop.
    if (end > b.length) break;
    const descriptors = parseDescriptors(b.subarray(p + 5, end));
    if (programRegistration !== undefined) descriptors.programRegistration = programRegistration;
    streams.push({ streamType, pid, descriptors });
    p = end;
  }
  return { programNumber: s.tableIdExtension, version: s.version, pcrPid, streams };
}
