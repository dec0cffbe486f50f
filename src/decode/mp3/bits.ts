/** The Layer III bit reader: MSB-first over a byte buffer; bits past `end` read as zeros, never out of bounds. */

/** Reads bits from `buf[0 … end/8)`; `pos` may run past `end` (the caller compares), reads there give zeros. */
export class BitReader {
  buf: Uint8Array = new Uint8Array(0);
  /** Next bit to read. */
  pos = 0;
  /** Bits available. */
  end = 0;

  /** Starts reading `buf` (its first `bytes` bytes) at bit `pos`. */
  reset(buf: Uint8Array, bytes: number, pos = 0): void {
    this.buf = buf;
    this.end = Math.min(bytes, buf.length) * 8;
    this.pos = pos;
  }

  /** One bit. */
  bit(): number {
    const p = this.pos++;
    if (p >= this.end || p < 0) return 0;
    return (this.buf[p >> 3]! >> (7 - (p & 7))) & 1;
  }

  /** `n` (0…24) bits. */
  read(n: number): number {
    let v = 0;
    const p = this.pos;
    if (p >= 0 && p + n <= this.end) {
      const b = this.buf;
      let i = p >> 3;
      // Up to 32 bits from 4 bytes cover any 24-bit read at any bit offset.
      const w = ((b[i]! << 24) | ((b[++i] ?? 0) << 16) | ((b[++i] ?? 0) << 8) | (b[++i] ?? 0)) >>> 0;
      this.pos = p + n;
      return n === 0 ? 0 : (w << (p & 7)) >>> (32 - n);
    }
    for (let k = 0; k < n; k++) v = (v << 1) | this.bit();
    return v;
  }
}
