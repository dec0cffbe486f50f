/**
 * The program tables of a transport stream (ISO/IEC 13818-1 §2.4.4): PAT and PMT sections reassembled from
 * the payloads of their packets, the program chosen, and each PMT of that program handed on. One
 * implementation serves the demuxer (collect.ts, which reads every PMT version of a whole file) and the
 * transmuxer (src/transmux/program.ts, which follows the current PMT as packets are pushed); what each
 * makes of a PMT stays with it.
 *
 * The program read is the first one a PAT lists, kept from then on, as ffmpeg does for a single-program
 * output. The PMT repeats every ~100 ms with the same bytes: a repeat is recognised by its bytes and not
 * parsed again.
 */
import { bytesEqual } from '../../io/bytes.js';
import { emptySectionBuffer, parsePat, parsePmt, pushSectionPayload, TABLE_PMT, type Pmt, type SectionBuffer } from './psi.js';

/** What a {@link ProgramTables} reports. */
export interface ProgramEvents {
  /** A PAT listing the program was read (its repeats too). */
  onPat?(): void;
  /**
   * A PMT of the program was read (its repeats too). `repeat`: its bytes are those of the last PMT passed
   * here, and `pmt` is that PMT's parse.
   */
  onPmt(pmt: Pmt, repeat: boolean): void;
}

/** Reads the PAT and the PMT of the first program from the payloads of PSI packets (see the module comment). */
export class ProgramTables {
  /** program_number of the program read: the first one a PAT listed. */
  programNumber: number | undefined;
  /** The most programs one PAT has listed. */
  programCount = 0;
  /** PMT PID the latest PAT gives for the program (-1: none yet). */
  pmtPid = -1;
  /** PSI sections that failed the length or CRC check. */
  badSections = 0;
  /** 1 for the PAT PID and for every PID a PAT has given the program's PMT on (looked up once per packet). */
  readonly psiPids = new Uint8Array(8192);
  /** Section reassembly per PSI PID. */
  private readonly buffers = new Map<number, SectionBuffer>();
  private lastPmtSection: Uint8Array | undefined;
  private lastPmt: Pmt | undefined;

  constructor(private readonly events: ProgramEvents) {
    this.psiPids[0] = 1;
  }

  /**
   * Feeds the payload of one packet of a PSI PID (the PAT's, 0, or one of {@link psiPids}); `lost`: packets
   * of the PID went missing before this one, so a partial section is dropped.
   */
  payload(pid: number, payload: Uint8Array, unitStart: boolean, lost: boolean): void {
    const state = this.buffers.get(pid) ?? emptySectionBuffer();
    this.buffers.set(pid, pushSectionPayload(state, payload, unitStart, lost, pid === 0 ? this.onPat : this.onPmt));
  }

  private readonly onPat = (section: Uint8Array): void => {
    const pat = parsePat(section);
    if (!pat) {
      this.badSections++;
      return;
    }
    this.programCount = Math.max(this.programCount, pat.length);
    if (this.programNumber === undefined && pat.length > 0) this.programNumber = pat[0]!.programNumber;
    let named = false;
    for (const e of pat) {
      if (e.programNumber !== this.programNumber) continue;
      this.psiPids[e.pmtPid] = 1;
      if (named) continue;
      named = true;
      if (e.pmtPid !== this.pmtPid) {
        // The PMT moved: it is read afresh there.
        this.buffers.delete(e.pmtPid);
        this.lastPmtSection = undefined;
        this.lastPmt = undefined;
      }
      this.pmtPid = e.pmtPid;
    }
    if (named) this.events.onPat?.();
  };

  private readonly onPmt = (section: Uint8Array): void => {
    if (section[0] !== TABLE_PMT) return; // other tables may share the PID
    if (this.lastPmt && bytesEqual(this.lastPmtSection, section)) {
      this.events.onPmt(this.lastPmt, true);
      return;
    }
    const pmt = parsePmt(section);
    if (!pmt) {
      this.badSections++;
      return;
    }
    if (pmt.programNumber !== this.programNumber) return;
    this.lastPmtSection = section.slice();
    this.lastPmt = pmt;
    this.events.onPmt(pmt, false);
  };
}
