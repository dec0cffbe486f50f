import type { ByteRun } from './deferred-bytes.js';
import { BoxwrightError } from './errors.js';

const TEXT = new TextEncoder();

/**
 * Big-endian writer into a buffer of exact capacity. Output is measured first, allocated once,
 * and {@link ByteWriter.finish} asserts the buffer is exactly full: a mismatch is our bug (INTERNAL).
 */
export class ByteWriter {
  readonly data: Uint8Array;
  readonly view: DataView;
  pos = 0;

  constructor(capacityOrBuffer: number | Uint8Array) {
    this.data = typeof capacityOrBuffer === 'number' ? new Uint8Array(capacityOrBuffer) : capacityOrBuffer;
    this.view = new DataView(this.data.buffer, this.data.byteOffset, this.data.byteLength);
  }

  private take(n: number): number {
    const p = this.pos;
    if (p + n > this.data.length) {
      throw new BoxwrightError('INTERNAL', `writer overflow: ${n} bytes at ${p} exceed capacity ${this.data.length}`, p, '');
    }
    this.pos = p + n;
    return p;
  }

  /** Claims the next `n` bytes and returns where they start, for a caller that fills a block itself (a sample table column). */
  reserve(n: number): number {
    return this.take(n);
  }

  u8(v: number): void {
    this.data[this.take(1)] = v;
  }
  i8(v: number): void {
    this.view.setInt8(this.take(1), v);
  }
  u16(v: number): void {
    this.view.setUint16(this.take(2), v);
  }
  i16(v: number): void {
    this.view.setInt16(this.take(2), v);
  }
  u24(v: number): void {
    const p = this.take(3);
    this.data[p] = (v >>> 16) & 0xff;
    this.data[p + 1] = (v >>> 8) & 0xff;
    this.data[p + 2] = v & 0xff;
  }
  u32(v: number): void {
    this.view.setUint32(this.take(4), v >>> 0);
  }
  i32(v: number): void {
    this.view.setInt32(this.take(4), v | 0);
  }
  u64(v: number): void {
    const p = this.take(8);
    this.view.setUint32(p, Math.floor(v / 0x1_0000_0000));
    this.view.setUint32(p + 4, v >>> 0);
  }
  i64(v: number): void {
    const p = this.take(8);
    const hi = Math.floor(v / 0x1_0000_0000);
    this.view.setInt32(p, hi);
    this.view.setUint32(p + 4, (v - hi * 0x1_0000_0000) >>> 0);
  }
  f32(v: number): void {
    this.view.setFloat32(this.take(4), v);
  }
  f64(v: number): void {
    this.view.setFloat64(this.take(8), v);
  }
  fourcc(s: string): void {
    const p = this.take(4);
    for (let i = 0; i < 4; i++) this.data[p + i] = s.charCodeAt(i) & 0xff;
  }
  bytes(b: Uint8Array): void {
    this.data.set(b, this.take(b.length));
  }
  /** A view or deferred bytes (which copy themselves into the buffer). */
  run(b: ByteRun): void {
    if (b instanceof Uint8Array) this.data.set(b, this.take(b.length));
    else b.copyTo(this.data, this.take(b.length));
  }
  zeros(n: number): void {
    this.data.fill(0, this.take(n), this.pos);
  }
  /** Returns the buffer, asserting it is exactly full. */
  finish(): Uint8Array {
    if (this.pos !== this.data.length) {
      throw new BoxwrightError('INTERNAL', `writer holds ${this.pos} bytes but ${this.data.length} were measured`, this.pos, '');
    }
    return this.data;
  }
}

/** UTF-8 bytes of a string (for measuring and writing strings). */
export function utf8Bytes(s: string): Uint8Array {
  return TEXT.encode(s);
}
