/**
 * The transmuxer's pending transport packets, back to back in one buffer that is reused from one
 * window to the next, with per-packet metadata. Pushed bytes are copied in once, a slice at a time,
 * so memory stays bounded by what is pending (about one GOP) whatever the chunk sizes.
 *
 * Layout of `buf`: [queued packets: count × 188][walked bytes not queued][raw bytes rawStart..rawEnd).
 */
export const PACKET = 188;

export class PacketQueue {
  buf = new Uint8Array(1 << 20);
  /** Queued packets; packet i is at i × 188. */
  count = 0;
  /** Bytes appended but not yet walked. */
  rawStart = 0;
  rawEnd = 0;
  pid = new Int32Array(1024);
  seq = new Float64Array(1024);
  /** 1 when a PES starts in the packet. */
  start = new Uint8Array(1024);
  /** The packet's continuationHint (see the TS demuxer's window). */
  hint = new Uint8Array(1024);

  /** Appends bytes after the raw region, first moving it down next to the queued packets. */
  append(chunk: Uint8Array): void {
    const low = this.count * PACKET;
    if (this.rawStart > low) {
      this.buf.copyWithin(low, this.rawStart, this.rawEnd);
      this.rawEnd -= this.rawStart - low;
      this.rawStart = low;
    }
    const need = this.rawEnd + chunk.length;
    if (need > this.buf.length) {
      const grown = new Uint8Array(Math.max(need, this.buf.length * 2));
      grown.set(this.buf.subarray(0, this.rawEnd));
      this.buf = grown;
    }
    this.buf.set(chunk, this.rawEnd);
    this.rawEnd += chunk.length;
  }

  /** Queues the walked packet at `at` (≥ count × 188): it moves down next to the queued ones. */
  enqueue(at: number, pid: number, seq: number, start: boolean, hint = 0): void {
    const i = this.count;
    if (i === this.pid.length) {
      this.pid = grow(this.pid, new Int32Array(i * 2));
      this.seq = grow(this.seq, new Float64Array(i * 2));
      this.start = grow(this.start, new Uint8Array(i * 2));
      this.hint = grow(this.hint, new Uint8Array(i * 2));
    }
    const to = i * PACKET;
    if (at !== to) this.buf.copyWithin(to, at, at + PACKET);
    this.pid[i] = pid;
    this.seq[i] = seq;
    this.start[i] = start ? 1 : 0;
    this.hint[i] = hint;
    this.count = i + 1;
  }

  /** The index of the first queued packet with seq ≥ `from` (seqs increase along the queue). */
  indexOfSeq(from: number): number {
    let lo = 0;
    let hi = this.count;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.seq[mid]! < from) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** The queued packets. */
  bytes(): Uint8Array {
    return this.buf.subarray(0, this.count * PACKET);
  }

  /** Keeps the queued packets i with keep[i] ≠ 0, in order. */
  compact(keep: Uint8Array): void {
    let w = 0;
    for (let i = 0; i < this.count; i++) {
      if (!keep[i]) continue;
      if (w !== i) {
        this.buf.copyWithin(w * PACKET, i * PACKET, (i + 1) * PACKET);
        this.pid[w] = this.pid[i]!;
        this.seq[w] = this.seq[i]!;
        this.start[w] = this.start[i]!;
        this.hint[w] = this.hint[i]!;
      }
      w++;
    }
    this.count = w;
  }

  clear(): void {
    this.count = 0;
  }

  /** Empty, the raw bytes too: for the next input, keeping the buffers (allocating them again costs more). */
  reset(): void {
    this.count = 0;
    this.rawStart = 0;
    this.rawEnd = 0;
  }
}

function grow<T extends Int32Array | Float64Array | Uint8Array>(a: T, b: T): T {
  b.set(a);
  return b;
}
