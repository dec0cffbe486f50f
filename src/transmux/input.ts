/**
 * The transmuxer's input: finds the transport packets in the pushed bytes, whatever the chunking. Pushed
 * bytes are copied into the {@link PacketQueue} a slice at a time; the packet size (188, 192-byte M2TS or
 * 204 with parity bytes) is decided once on the first 4 KiB; sync is regained byte by byte (a decision that
 * depends on the bytes only, never on where chunks end); a partial packet waits for the next push. Until the
 * first PMT names the streams, packets are held and only the PSI is read ahead (at most 8 MiB of it); once
 * it is known they are walked in order, as if the PMT had come first (as mux.js holds them too).
 */
import { detectPacketSize, SYNC_BYTE } from '../demux/ts/packets.js';
import { PACKET, type PacketQueue } from './packet-queue.js';

/** Pushed bytes are walked this many at a time (bounds the queue whatever the chunk size). */
const SLICE = 1 << 20;
/** At most this many bytes are held waiting for the first PMT. */
export const HOLD_LIMIT = 8 << 20;
/** The packet size (188/192/204) is decided on this many leading bytes. */
export const DETECT_BYTES = 4096;

/** What the input hands its packets to; `at` is the packet's offset in `queue.buf`, valid during the call. */
export interface InputHandlers {
  /** A packet read ahead while packets are held: only its PSI matters. True once the program's streams are known. */
  readAhead(at: number): boolean;
  /** A packet walked in order: queue it (`queue.enqueue`) or leave it, which drops it. */
  packet(at: number): void;
}

/** The packet finder of one transmuxer (see the module comment). */
export class PacketInput {
  /** Bytes pushed so far. */
  bytes = 0;
  /** Packets walked in order so far. */
  packets = 0;
  /** Packet stride: 188, 192 (M2TS) or 204; 0 until decided. */
  private stride = 0;
  /** Bytes to skip before the next packet (the rest of the last one's stride). */
  private skip = 0;
  /** Before the first PMT: packets are held, and the PSI read `ahead` bytes past the first held one. */
  private holding = true;
  private ahead = 0;

  constructor(
    private readonly queue: PacketQueue,
    private readonly handlers: InputHandlers,
  ) {}

  /** Copies `chunk` in (the caller may reuse it) and walks it, a slice at a time. */
  push(chunk: Uint8Array): void {
    this.bytes += chunk.length;
    for (let o = 0; o < chunk.length; o += SLICE) {
      this.queue.append(chunk.subarray(o, Math.min(chunk.length, o + SLICE)));
      this.walk(false);
    }
  }

  /** Walks what is left at the end of the input (a packet size decided on fewer bytes, held packets released); a partial packet is dropped. */
  finish(): void {
    this.walk(true);
    this.queue.rawStart = this.queue.rawEnd;
  }

  /** Walks the raw bytes of the queue: every complete packet; a partial one waits for more bytes. */
  private walk(finishing: boolean): void {
    const queue = this.queue;
    let p = queue.rawStart;
    // Bytes still to skip after the last packet (the M2TS prefix of the next one).
    const s = Math.min(this.skip, queue.rawEnd - p);
    p += s;
    this.skip -= s;
    if (this.stride === 0) {
      // The packet size is decided once, on the first DETECT_BYTES bytes, whatever the chunking.
      if (queue.rawEnd - p < DETECT_BYTES && !finishing) {
        queue.rawStart = p;
        return;
      }
      const found = detectPacketSize(queue.buf.subarray(p, Math.min(queue.rawEnd, p + DETECT_BYTES)));
      this.stride = found ? found.size : PACKET;
      if (found) p += found.firstSync;
    }
    const stride = this.stride;
    if (this.holding) {
      let q = p + this.ahead;
      while (this.holding && q < queue.rawEnd) {
        if (queue.buf[q] !== SYNC_BYTE) {
          q++;
          continue;
        }
        if (q + PACKET > queue.rawEnd) break;
        if (this.handlers.readAhead(q)) this.holding = false;
        q += stride;
        // A stream without a usable PMT in its first HOLD_LIMIT bytes is walked without one.
        if (q - p > HOLD_LIMIT) this.holding = false;
      }
      if (this.holding && !finishing) {
        this.ahead = q - p;
        queue.rawStart = p;
        return;
      }
      this.holding = false;
    }
    const handlers = this.handlers;
    let packets = 0;
    while (p < queue.rawEnd) {
      // Resynchronise byte by byte: the decision depends on the byte only, never on chunk ends.
      if (queue.buf[p] !== SYNC_BYTE) {
        p++;
        continue;
      }
      if (p + PACKET > queue.rawEnd) break;
      packets++;
      handlers.packet(p);
      // 192-byte M2TS: the next sync byte follows a 4-byte prefix; 204-byte: 16 parity bytes.
      p += stride;
    }
    this.packets += packets;
    if (p > queue.rawEnd) {
      this.skip = p - queue.rawEnd;
      p = queue.rawEnd;
    }
    queue.rawStart = p;
  }
}
