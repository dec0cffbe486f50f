/**
 * The transmuxer's program: the PAT and PMT read as packets are walked (with the demuxer's
 * {@link ProgramTables}), the streams of the current PMT it can read, and the packets that carried the
 * last PAT and PMT — each window is demuxed with those in front, since the window itself may hold none.
 *
 * A PMT that lists other streams (a new stream, a changed codec) starts a new program: `onChange` runs
 * first, while the old streams and tables are still in place, so that what is pending is written as the
 * old program.
 */
import { concatBytes } from '../io/bytes.js';
import { NULL_PID, type TsPacket } from '../demux/ts/packets.js';
import { ProgramTables } from '../demux/ts/program.js';
import type { Pmt } from '../demux/ts/psi.js';
import { esFormatOf, type PmtFormat } from '../demux/ts/stream-types.js';
import { PACKET, type PacketQueue } from './packet-queue.js';

const VIDEO_FORMATS: ReadonlySet<PmtFormat> = new Set(['h264', 'hevc']);
/** A private stream the PMT does not name ('sniff') is taken for audio until its payload tells (see the demuxer). */
const AUDIO_FORMATS: ReadonlySet<PmtFormat> = new Set(['aac', 'latm', 'mp3', 'ac3', 'eac3', 'opus', 'sniff']);

function sameStreams(a: ReadonlyMap<number, PmtFormat>, b: ReadonlyMap<number, PmtFormat>): boolean {
  if (a.size !== b.size) return false;
  for (const [pid, f] of a) if (b.get(pid) !== f) return false;
  return true;
}

/**
 * True when the packet at `at` of `buf` repeats `last`, a PSI section read whole from one packet: the same
 * bytes apart from the continuity counter.
 */
function repeats(last: readonly Uint8Array[], buf: Uint8Array, at: number): boolean {
  if (last.length !== 1) return false;
  const a = last[0]!;
  if (a[1] !== buf[at + 1] || a[2] !== buf[at + 2] || (a[3]! & 0xf0) !== (buf[at + 3]! & 0xf0)) return false;
  for (let i = 4; i < PACKET; i++) if (a[i] !== buf[at + i]) return false;
  return true;
}

/** The program of one transmuxer (see the module comment). */
export class TransmuxProgram {
  /** Elementary streams of the current PMT that we can read, by PID, in PMT order. */
  streams = new Map<number, PmtFormat>();
  /** 1 for the PIDs of `streams` (looked up once per packet). */
  readonly isStream = new Uint8Array(8192);
  /** The PIDs of `streams` with an audio format, in PMT order. */
  audioPids: number[] = [];
  /** The video stream the cuts follow (-1: none). */
  videoPid = -1;
  /** The PAT/PMT reader (its `pmtPid` is read once per packet). */
  readonly tables: ProgramTables;
  /** The packets of the PAT / PMT section being read, and of the last complete one naming the program. */
  private patPkts: Uint8Array[] = [];
  private pmtPkts: Uint8Array[] = [];
  private patPrefix: Uint8Array[] = [];
  private pmtPrefix: Uint8Array[] = [];

  constructor(
    private readonly queue: PacketQueue,
    private readonly onChange: () => void,
  ) {
    this.tables = new ProgramTables({
      onPat: () => {
        this.patPrefix = this.patPkts.slice();
      },
      onPmt: (pmt, repeat) => this.onPmt(pmt, repeat),
    });
  }

  /** PID of the current PMT (-1: none yet). */
  get pmtPid(): number {
    return this.tables.pmtPid;
  }

  /** The lead stream of a program without video: its first audio stream (-1: none). */
  firstAudioPid(): number {
    return this.audioPids[0] ?? -1;
  }

  /** The packets of the last PAT and PMT, to demux a window with. */
  psi(): Uint8Array {
    return concatBytes([...this.patPrefix, ...this.pmtPrefix]);
  }

  /** Reads the packet at `at` of the queue buffer (`p`: read) if it is a PAT or PMT packet; false for any other. */
  psiPacket(at: number, p: TsPacket): boolean {
    const buf = this.queue.buf;
    const tables = this.tables;
    if (p.pid === 0) {
      // The PAT and PMT repeat every ~100 ms, unchanged: a repeat of a one-packet section changes nothing.
      if (p.unitStart && repeats(this.patPkts, buf, at)) return true;
      if (p.unitStart) this.patPkts = [];
      this.patPkts.push(buf.slice(at, at + PACKET));
      if (p.hasPayload) tables.payload(0, buf.subarray(p.payloadStart, p.payloadEnd), p.unitStart, false);
      return true;
    }
    if (p.pid === tables.pmtPid) {
      if (p.unitStart && repeats(this.pmtPkts, buf, at)) return true;
      if (p.unitStart) this.pmtPkts = [];
      this.pmtPkts.push(buf.slice(at, at + PACKET));
      if (p.hasPayload) tables.payload(p.pid, buf.subarray(p.payloadStart, p.payloadEnd), p.unitStart, false);
      return true;
    }
    return false;
  }

  private onPmt(pmt: Pmt, repeat: boolean): void {
    // A repeat changes nothing but which packets carry the PMT.
    if (repeat) {
      this.pmtPrefix = this.pmtPkts.slice();
      return;
    }
    const pmtPid = this.tables.pmtPid;
    const next = new Map<number, PmtFormat>();
    for (const s of pmt.streams) {
      if (s.pid === 0 || s.pid === NULL_PID || s.pid === pmtPid || next.has(s.pid)) continue;
      const f = esFormatOf(s.streamType, s.descriptors);
      if (f) next.set(s.pid, f);
    }
    if (!sameStreams(this.streams, next)) {
      // A different program: what is pending belongs to the old one.
      this.onChange();
      this.videoPid = -1;
    }
    this.streams = next;
    this.isStream.fill(0);
    for (const pid of next.keys()) this.isStream[pid] = 1;
    this.audioPids = [...next].filter(([, f]) => AUDIO_FORMATS.has(f)).map(([pid]) => pid);
    if (this.videoPid < 0 || !next.has(this.videoPid)) {
      this.videoPid = -1;
      for (const [pid, f] of next) {
        if (VIDEO_FORMATS.has(f)) {
          this.videoPid = pid;
          break;
        }
      }
    }
    this.pmtPrefix = this.pmtPkts.slice();
  }
}
