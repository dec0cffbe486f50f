/**
 * The pushed bytes a non-TS engine of the transmuxer has not consumed yet: appended as they arrive, dropped
 * from the front as they are consumed, in one buffer that grows with what is actually held (never by a size
 * a stream declares) and is compacted instead of reallocated when the front has been consumed.
 */
export class ByteBuffer {
  private buf = new Uint8Array(1 << 16);
  private start = 0;
  private end = 0;
  /** Stream offset of the first held byte (bytes consumed so far). */
  consumed = 0;

  /** Bytes held. */
  get length(): number {
    return this.end - this.start;
  }

  /** The held bytes (a view, valid until the next append). */
  view(): Uint8Array {
    return this.buf.subarray(this.start, this.end);
  }

  /** Copies `chunk` in. */
  append(chunk: Uint8Array): void {
    if (this.end + chunk.length > this.buf.length) {
      const held = this.end - this.start;
      if (held + chunk.length <= this.buf.length >> 1) {
        this.buf.copyWithin(0, this.start, this.end);
      } else {
        const next = new Uint8Array(Math.max(this.buf.length * 2, held + chunk.length));
        next.set(this.buf.subarray(this.start, this.end));
        this.buf = next;
      }
      this.start = 0;
      this.end = held;
    }
    this.buf.set(chunk, this.end);
    this.end += chunk.length;
  }

  /** Drops the first `n` held bytes. */
  consume(n: number): void {
    this.start += n;
    this.consumed += n;
    if (this.start === this.end) this.start = this.end = 0;
  }
}
