import { BoxwrightError, type ErrorCode } from './errors.js';

const TEXT = new TextDecoder('utf-8', { fatal: false });

/**
 * Bounds-checked big-endian cursor over a window `[pos, end)` of a Uint8Array.
 * Offsets are absolute in `data`, so errors report positions in the original input.
 * A child reader covers a sub-window and carries the box path for error messages.
 */
export class ByteReader {
  readonly data: Uint8Array;
  readonly view: DataView;
  pos: number;
  readonly end: number;
  readonly path: string;

  constructor(data: Uint8Array, start = 0, end = data.length, path = '', view?: DataView) {
    this.data = data;
    this.view = view ?? new DataView(data.buffer, data.byteOffset, data.byteLength);
    this.pos = start;
    this.end = end;
    this.path = path;
  }

  /** Bytes left in this window. */
  get remaining(): number {
    return this.end - this.pos;
  }

  /** A reader over the next `size` bytes (checked), with `segment` appended to the path. Advances this reader. */
  child(size: number, segment?: string): ByteReader {
    this.require(size, 'child box');
    const path = segment === undefined ? this.path : this.path ? `${this.path}/${segment}` : segment;
    const r = new ByteReader(this.data, this.pos, this.pos + size, path, this.view);
    this.pos += size;
    return r;
  }

  /** A reader over `[start, end)` of the same data with another path; no bounds beyond this window. */
  window(start: number, end: number, path = this.path): ByteReader {
    if (start < this.pos || end > this.end || start > end) this.fail('INTERNAL', `window ${start}..${end} outside ${this.pos}..${this.end}`);
    return new ByteReader(this.data, start, end, path, this.view);
  }

  /** Throws TRUNCATED unless `n` more bytes are available. `what` names the claim being checked. */
  require(n: number, what: string): void {
    if (!(n >= 0 && n <= this.end - this.pos)) {
      this.fail('TRUNCATED', `${what} needs ${n} bytes but ${this.end - this.pos} remain`);
    }
  }

  /** Throws a {@link BoxwrightError} located at the current position. */
  fail(code: ErrorCode, detail: string, at = this.pos): never {
    throw new BoxwrightError(code, detail, at, this.path);
  }

  private take(n: number, what: string): number {
    const p = this.pos;
    if (n > this.end - p) this.fail('TRUNCATED', `${what} needs ${n} bytes but ${this.end - p} remain`);
    this.pos = p + n;
    return p;
  }

  u8(): number {
    return this.data[this.take(1, 'u8')]!;
  }
  i8(): number {
    return this.view.getInt8(this.take(1, 'i8'));
  }
  u16(): number {
    return this.view.getUint16(this.take(2, 'u16'));
  }
  i16(): number {
    return this.view.getInt16(this.take(2, 'i16'));
  }
  u24(): number {
    const p = this.take(3, 'u24');
    return (this.view.getUint16(p) << 8) | this.view.getUint8(p + 2);
  }
  u32(): number {
    return this.view.getUint32(this.take(4, 'u32'));
  }
  i32(): number {
    return this.view.getInt32(this.take(4, 'i32'));
  }
  /** Unsigned 64-bit as a number; values above 2^53 − 1 throw BAD_VALUE (they cannot be represented exactly). */
  u64(): number {
    const p = this.take(8, 'u64');
    const hi = this.view.getUint32(p);
    const lo = this.view.getUint32(p + 4);
    if (hi > 0x1fffff) this.fail('BAD_VALUE', `64-bit value 0x${hi.toString(16)}${lo.toString(16).padStart(8, '0')} exceeds 2^53`, p);
    return hi * 0x1_0000_0000 + lo;
  }
  /** Signed 64-bit as a number; magnitudes above 2^53 − 1 throw BAD_VALUE. */
  i64(): number {
    const p = this.take(8, 'i64');
    const hi = this.view.getInt32(p);
    const lo = this.view.getUint32(p + 4);
    if (hi > 0x1fffff || hi < -0x200000) this.fail('BAD_VALUE', `64-bit value exceeds ±2^53`, p);
    return hi * 0x1_0000_0000 + lo;
  }
  f32(): number {
    return this.view.getFloat32(this.take(4, 'f32'));
  }
  f64(): number {
    return this.view.getFloat64(this.take(8, 'f64'));
  }
  /** Four bytes as a string of four Latin-1 characters (box types may hold any byte, e.g. ©). */
  fourcc(): string {
    const p = this.take(4, 'fourcc');
    const d = this.data;
    return String.fromCharCode(d[p]!, d[p + 1]!, d[p + 2]!, d[p + 3]!);
  }
  /** A zero-copy view of the next `n` bytes. */
  bytes(n: number, what = 'bytes'): Uint8Array {
    const p = this.take(n, what);
    return this.data.subarray(p, p + n);
  }
  /** A zero-copy view of everything left. */
  rest(): Uint8Array {
    const p = this.pos;
    this.pos = this.end;
    return this.data.subarray(p, this.end);
  }
  /** UTF-8 text of the next `n` bytes. */
  utf8(n: number): string {
    return TEXT.decode(this.bytes(n, 'string'));
  }
  /** Null-terminated UTF-8 string; the terminator is consumed. Returns `terminated: false` when the window ends first. */
  cstring(): { text: string; terminated: boolean } {
    const d = this.data;
    let i = this.pos;
    while (i < this.end && d[i] !== 0) i++;
    const text = TEXT.decode(d.subarray(this.pos, i));
    const terminated = i < this.end;
    this.pos = terminated ? i + 1 : i;
    return { text, terminated };
  }
  /** Peek a u32 at `pos + ahead` without moving; undefined when out of the window. */
  peekU32(ahead = 0): number | undefined {
    const p = this.pos + ahead;
    return p + 4 <= this.end ? this.view.getUint32(p) : undefined;
  }
  /** Peek a fourcc at `pos + ahead` without moving; undefined when out of the window. */
  peekFourcc(ahead = 0): string | undefined {
    const p = this.pos + ahead;
    if (p + 4 > this.end) return undefined;
    const d = this.data;
    return String.fromCharCode(d[p]!, d[p + 1]!, d[p + 2]!, d[p + 3]!);
  }
}
