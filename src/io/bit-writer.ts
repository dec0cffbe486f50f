import { BoxwrightError } from './errors.js';

/** Where bits go: a {@link BitWriter}, or a {@link BitCounter} that measures the same writing routine first. */
export interface BitSink {
  /** Appends the low `n` ≤ 32 bits of `value`, most significant first. */
  bits(n: number, value: number): void;
  /** Pads with zero bits to the next byte boundary. */
  byteAlign(): void;
}

/** Counts the bits a routine writes, so its output can be allocated once before writing. */
export class BitCounter implements BitSink {
  length = 0;
  bits(n: number): void {
    this.length += n;
  }
  byteAlign(): void {
    this.length = (this.length + 7) & ~7;
  }
  /** Whole bytes the written bits take. */
  get bytes(): number {
    return Math.ceil(this.length / 8);
  }
}

/**
 * MSB-first bit writer into a buffer of exact size (measured with {@link BitCounter}); {@link BitWriter.finish}
 * asserts it is exactly full, a mismatch being our bug (INTERNAL), as for the ByteWriter.
 */
export class BitWriter implements BitSink {
  private readonly data: Uint8Array;
  private pos = 0;

  constructor(bytes: number) {
    this.data = new Uint8Array(bytes);
  }

  bits(n: number, value: number): void {
    if (this.pos + n > this.data.length * 8) throw new BoxwrightError('INTERNAL', `bit writer overflow: ${n} bits at bit ${this.pos} exceed ${this.data.length} bytes`, this.pos >> 3, '');
    for (let i = n - 1; i >= 0; i--) {
      if (Math.floor(value / 2 ** i) & 1) this.data[this.pos >> 3]! |= 0x80 >> (this.pos & 7);
      this.pos++;
    }
  }

  byteAlign(): void {
    this.pos = (this.pos + 7) & ~7;
  }

  /** The written bytes; throws INTERNAL unless every byte was reached. */
  finish(): Uint8Array {
    if (this.pos !== this.data.length * 8) throw new BoxwrightError('INTERNAL', `bit writer holds ${this.pos} bits of ${this.data.length * 8}`, this.pos >> 3, '');
    return this.data;
  }
}
