/** The AAC bit reader: MSB-first over a zero-padded copy of one access unit, fast enough for Huffman lookups. */
import { BoxwrightError } from '../../io/errors.js';

/** Bytes of zero padding after the payload, so a 32-bit peek never reads outside the buffer. */
const PAD = 8;

/**
 * Reads one access unit. Peeks past the payload see zeros; consuming past it throws BAD_VALUE naming the
 * sample (the caller checks {@link AacBits.overrun} after table lookups, which advance unchecked).
 */
export class AacBits {
  private buf = new Uint8Array(2048 + PAD);
  /** Next bit to read. */
  pos = 0;
  /** Bits in the payload. */
  end = 0;
  sampleIndex = 0;
  constructor(private readonly path: string) {}

  /** Starts reading `payload` (copied: the padding makes every peek branch-free). */
  reset(payload: Uint8Array, sampleIndex: number): void {
    if (this.buf.length < payload.length + PAD) this.buf = new Uint8Array(payload.length * 2 + PAD);
    this.buf.set(payload);
    this.buf.fill(0, payload.length, payload.length + PAD);
    this.pos = 0;
    this.end = payload.length * 8;
    this.sampleIndex = sampleIndex;
  }

  /** The next `n` (1…25) bits without consuming them. */
  peek(n: number): number {
    const b = this.buf;
    const i = this.pos >> 3;
    const w = (b[i]! << 24) | (b[i + 1]! << 16) | (b[i + 2]! << 8) | b[i + 3]!;
    return (w << (this.pos & 7)) >>> (32 - n);
  }

  /** Reads `n` (0…25) bits. */
  read(n: number): number {
    if (n === 0) return 0;
    const v = this.peek(n);
    this.pos += n;
    if (this.pos > this.end) this.overrun();
    return v;
  }

  bit(): number {
    return this.read(1);
  }

  skip(n: number): void {
    this.pos += n;
    if (this.pos > this.end) this.overrun();
  }

  byteAlign(): void {
    this.pos = (this.pos + 7) & ~7;
    if (this.pos > this.end) this.overrun();
  }

  get bitsLeft(): number {
    return this.end - this.pos;
  }

  /** Throws when the reader has gone past the payload. */
  check(): void {
    if (this.pos > this.end) this.overrun();
  }

  overrun(): never {
    throw this.error('the raw data block runs past the end of the sample');
  }

  /** BAD_VALUE naming the sample being decoded. */
  error(detail: string): BoxwrightError {
    return new BoxwrightError('BAD_VALUE', `AAC sample ${this.sampleIndex}: ${detail}`, Math.min(this.pos, this.end) >> 3, this.path);
  }
}
