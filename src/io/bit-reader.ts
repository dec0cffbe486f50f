import { BoxwrightError } from './errors.js';

/**
 * MSB-first bit reader with exp-Golomb codes (H.264/HEVC SPS, ADTS, AudioSpecificConfig).
 * Reading past the end throws TRUNCATED; `offset` is the absolute byte offset of `data[0]`.
 */
export class BitReader {
  private bitPos = 0;
  constructor(
    private readonly data: Uint8Array,
    private readonly offset = 0,
    private readonly path = '',
  ) {}

  get bitsLeft(): number {
    return this.data.length * 8 - this.bitPos;
  }
  get position(): number {
    return this.bitPos;
  }

  private fail(detail: string): never {
    throw new BoxwrightError('TRUNCATED', detail, this.offset + (this.bitPos >> 3), this.path);
  }

  /** Reads `n` ≤ 32 bits as an unsigned number. */
  bits(n: number): number {
    if (n > this.bitsLeft) this.fail(`needs ${n} bits but ${this.bitsLeft} remain`);
    let v = 0;
    for (let i = 0; i < n; i++) {
      const b = this.data[this.bitPos >> 3]!;
      v = v * 2 + ((b >> (7 - (this.bitPos & 7))) & 1);
      this.bitPos++;
    }
    return v;
  }
  bit(): number {
    return this.bits(1);
  }
  flag(): boolean {
    return this.bits(1) === 1;
  }
  skip(n: number): void {
    if (n > this.bitsLeft) this.fail(`cannot skip ${n} bits, ${this.bitsLeft} remain`);
    this.bitPos += n;
  }
  /** Unsigned exp-Golomb ue(v). */
  ue(): number {
    let zeros = 0;
    while (this.bits(1) === 0) {
      if (++zeros > 31) this.fail('exp-Golomb code longer than 32 bits');
    }
    return zeros === 0 ? 0 : 2 ** zeros - 1 + this.bits(zeros);
  }
  /** Signed exp-Golomb se(v). */
  se(): number {
    const k = this.ue();
    return k & 1 ? (k + 1) / 2 : -(k / 2);
  }
  byteAlign(): void {
    this.bitPos = (this.bitPos + 7) & ~7;
  }
}
