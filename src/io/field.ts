/**
 * Fields: small values that know how to read, write and measure one field of a box (byte layout, not media
 * codecs — hence `Field`, not `Codec`).
 * Box definitions (boxes/) are structs of these, so one declaration serves parse, write and size.
 * Nothing here knows ISO-BMFF; it is byte layout only.
 */
import type { ByteReader } from './byte-reader.js';
import { utf8Bytes, type ByteWriter } from './byte-writer.js';

/** What a field may consult while being read or written. */
export interface FieldContext {
  /** FullBox version (0 for plain boxes). */
  version: number;
  /** FullBox flags (0 for plain boxes). */
  flags: number;
  /** Fields of the enclosing struct read or given so far (for fields whose layout depends on earlier ones). */
  parent: Readonly<Record<string, unknown>>;
  /** Number of child boxes the box has (for `entry_count` fields that count children, e.g. stsd, dref). */
  childCount?: number;
}

/** One field's reader, writer and measurer. */
export interface Field<T> {
  /** Bytes the field takes at least: used to check declared counts against the bytes that remain. */
  readonly minSize: number;
  read(r: ByteReader, c: FieldContext): T;
  write(w: ByteWriter, v: T, c: FieldContext): void;
  size(v: T, c: FieldContext): number;
  /** Optional fields may be absent from the value (presence decided on read, derived on write). */
  readonly optional?: true;
  /** FullBox flag bit that signals this optional field's presence (derived on write). */
  readonly flagBit?: number;
  /** Hidden fields (reserved, pre_defined) are read and discarded, and written as a constant. */
  readonly hidden?: true;
  /**
   * Checks the shape of a value before it is written (a struct: every required field present, no unknown key),
   * so a misspelt field is an error instead of a silent 0. Called once per struct by the writer, never on parse.
   * `where` names the value for the message (`mdhd`, `elst.entries[2]`).
   */
  check?(v: T, where: string): void;
  /** Field names a `bitfields` group spreads into its enclosing struct (see {@link spread}). */
  readonly spreads?: readonly string[];
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- variance hole for heterogeneous field maps
export type AnyField = Field<any>;
export type FieldValue<C> = C extends Field<infer T> ? T : never;
export type Fields = Record<string, AnyField>;
type Simplify<T> = { [K in keyof T]: T[K] } & {};
type UnionToIntersection<U> = (U extends unknown ? (x: U) => void : never) extends (x: infer I) => void ? I : never;
type SpreadKeys<F extends Fields> = { [K in keyof F]: F[K] extends { spreads: readonly string[] } ? K : never }[keyof F];
/** The fields that spread groups put into the struct itself. */
type SpreadValue<F extends Fields> = [SpreadKeys<F>] extends [never] ? unknown : UnionToIntersection<FieldValue<F[SpreadKeys<F>]>>;
/** The value type of a struct of fields: hidden fields left out, optional fields optional, spread groups flattened. */
export type StructValue<F extends Fields> = Simplify<
  {
    -readonly [K in keyof F as F[K] extends { hidden: true } | { spreads: readonly string[] } ? never : F[K] extends { optional: true } ? never : K]: FieldValue<F[K]>;
  } & {
    -readonly [K in keyof F as F[K] extends { optional: true } ? K : never]?: Exclude<FieldValue<F[K]>, undefined>;
  } & SpreadValue<F>
>;

const fixed = <T>(minSize: number, read: (r: ByteReader) => T, write: (w: ByteWriter, v: T) => void): Field<T> => ({
  minSize,
  read: (r) => read(r),
  write: (w, v) => write(w, v),
  size: () => minSize,
});

export const u8 = fixed(1, (r) => r.u8(), (w, v: number) => w.u8(v));
export const i8 = fixed(1, (r) => r.i8(), (w, v: number) => w.i8(v));
export const u16 = fixed(2, (r) => r.u16(), (w, v: number) => w.u16(v));
export const i16 = fixed(2, (r) => r.i16(), (w, v: number) => w.i16(v));
export const u24 = fixed(3, (r) => r.u24(), (w, v: number) => w.u24(v));
export const u32 = fixed(4, (r) => r.u32(), (w, v: number) => w.u32(v));
export const i32 = fixed(4, (r) => r.i32(), (w, v: number) => w.i32(v));
/** Unsigned 64-bit. All ones (ISO's "duration unknown") reads as Infinity and writes back as all ones. */
export const u64 = fixed(
  8,
  (r) => (r.peekU32(0) === 0xffffffff && r.peekU32(4) === 0xffffffff ? (r.pos += 8, Infinity) : r.u64()),
  (w, v: number) => (v === Infinity ? (w.u32(0xffffffff), w.u32(0xffffffff)) : w.u64(v)),
);
export const i64 = fixed(8, (r) => r.i64(), (w, v: number) => w.i64(v));
export const f64 = fixed(8, (r) => r.f64(), (w, v: number) => w.f64(v));
export const fourcc = fixed(4, (r) => r.fourcc(), (w, v: string) => w.fourcc(v));
/** 16.16 fixed point, signed (rate, matrix a/b/c/d). */
export const fixed16_16 = fixed(4, (r) => r.i32() / 65536, (w, v: number) => w.i32(Math.round(v * 65536)));
/** 16.16 fixed point, unsigned (width, height, sample rate). */
export const ufixed16_16 = fixed(4, (r) => r.u32() / 65536, (w, v: number) => w.u32(Math.round(v * 65536)));
/** 8.8 fixed point, signed (volume, balance). */
export const fixed8_8 = fixed(2, (r) => r.i16() / 256, (w, v: number) => w.i16(Math.round(v * 256)));
/** 2.30 fixed point (matrix u/v/w). */
export const fixed2_30 = fixed(4, (r) => r.i32() / 2 ** 30, (w, v: number) => w.i32(Math.round(v * 2 ** 30)));

/** Exactly `n` bytes, as a zero-copy view. */
export function bytes(n: number): Field<Uint8Array> {
  return {
    minSize: n,
    read: (r) => r.bytes(n),
    write: (w, v) => {
      if (v.length !== n) w.zeros(n);
      else w.bytes(v);
    },
    size: () => n,
  };
}

/** Everything left in the box body, as a zero-copy view. */
export const rest: Field<Uint8Array> = {
  minSize: 0,
  read: (r) => r.rest(),
  write: (w, v) => w.bytes(v),
  size: (v) => v.length,
};

/** Null-terminated UTF-8 string. A missing terminator at the end of the box is tolerated on read. */
export const cstring: Field<string> = {
  minSize: 0,
  read: (r) => r.cstring().text,
  write: (w, v) => {
    w.bytes(utf8Bytes(v));
    w.u8(0);
  },
  size: (v) => utf8Bytes(v).length + 1,
};

/** UTF-8 string filling the rest of the box; one trailing NUL is stripped on read and written back. */
export const restString: Field<string> = {
  minSize: 0,
  read: (r) => {
    const b = r.rest();
    const end = b.length > 0 && b[b.length - 1] === 0 ? b.length - 1 : b.length;
    return new TextDecoder().decode(b.subarray(0, end));
  },
  write: (w, v) => {
    w.bytes(utf8Bytes(v));
    w.u8(0);
  },
  size: (v) => utf8Bytes(v).length + 1,
};

/** A field written as `value` and ignored on read (reserved, pre_defined). Hidden from the value type. */
export function reserved<T>(codec: Field<T>, value: T): Field<T> & { hidden: true } {
  return { ...codec, hidden: true, write: (w, _v, c) => codec.write(w, value, c), size: (_v, c) => codec.size(value, c) };
}

/** A field that may be left out of the value: read as undefined when it equals `fallback`, written as `fallback` when absent. */
export function withDefault<T extends number | string>(codec: Field<T>, fallback: T): Field<T | undefined> & { optional: true } {
  return {
    minSize: codec.minSize,
    optional: true,
    read: (r, c) => {
      const v = codec.read(r, c);
      return v === fallback ? undefined : v;
    },
    write: (w, v, c) => codec.write(w, v ?? fallback, c),
    size: (v, c) => codec.size(v ?? fallback, c),
  };
}

/** The check of `codec`, for wrappers whose value is the inner one when present. */
const passCheck = <T>(codec: Field<T>): Pick<Field<T | undefined>, 'check'> =>
  codec.check ? { check: (v, where) => { if (v !== undefined) codec.check!(v, where); } } : {};

/** Present when `isPresent` says so on read; on write, present exactly when the value has it. */
export function when<T>(isPresent: (c: FieldContext, r: ByteReader) => boolean, codec: Field<T>): Field<T | undefined> & { optional: true } {
  return {
    minSize: 0,
    optional: true,
    read: (r, c) => (isPresent(c, r) ? codec.read(r, c) : undefined),
    write: (w, v, c) => {
      if (v !== undefined) codec.write(w, v, c);
    },
    size: (v, c) => (v === undefined ? 0 : codec.size(v, c)),
    ...passCheck(codec),
  };
}

/** Present when FullBox flag `bit` is set; the bit is derived from presence on write. */
export function flagged<T>(bit: number, codec: Field<T>): Field<T | undefined> & { optional: true; flagBit: number } {
  return { ...when((c) => (c.flags & bit) !== 0, codec), flagBit: bit };
}

/** Present in FullBox version ≥ `min` (the box's version function must account for it on write). */
export function sinceVersion<T>(min: number, codec: Field<T>): Field<T | undefined> & { optional: true } {
  return when((c) => c.version >= min, codec);
}

/** Present when bytes remain in the box body (trailing optional extensions). */
export function ifRemaining<T>(codec: Field<T>): Field<T | undefined> & { optional: true } {
  return when((_c, r) => r.remaining > 0, codec);
}

/** `v0` in version 0, `v1` from version 1 (32/64-bit time fields). */
export function byVersion<T>(v0: Field<T>, v1: Field<T>): Field<T> {
  return {
    minSize: Math.min(v0.minSize, v1.minSize),
    read: (r, c) => (c.version >= 1 ? v1 : v0).read(r, c),
    write: (w, v, c) => (c.version >= 1 ? v1 : v0).write(w, v, c),
    size: (v, c) => (c.version >= 1 ? v1 : v0).size(v, c),
    ...passCheck(v0),
  };
}

/** Field names of a struct as a writer sees them: the ones it needs and the ones it accepts. */
export interface Shape {
  readonly required: readonly string[];
  /** Every name the value may carry (required ones included). */
  readonly allowed: ReadonlySet<string>;
}

/** The shape of a struct of `fields`, plus `extraOptional` names the box adds (named FullBox flags). */
export function shapeOf(fields: Fields, extraOptional: readonly string[] = []): Shape {
  const required: string[] = [];
  const allowed = new Set<string>(extraOptional);
  for (const [name, f] of Object.entries(fields)) {
    if (f.spreads) {
      for (const n of f.spreads) (required.push(n), allowed.add(n));
    } else if (!f.hidden) {
      allowed.add(name);
      if (!f.optional) required.push(name);
    }
  }
  return { required, allowed };
}

function describeKeys(keys: readonly string[]): string {
  return keys.length === 0 ? 'no fields' : keys.map((k) => `'${k}'`).join(', ');
}

/** Edit distance of two short strings (field names), for spelling suggestions. */
function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) row[j] = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = row;
  }
  return prev[b.length]!;
}

/** The given key that most looks like `name` (same letters ignoring case and separators, or two edits away), for the message. */
function lookalike(name: string, keys: readonly string[]): string | undefined {
  const norm = (k: string): string => k.toLowerCase().replace(/[_-]/g, '');
  return keys.find((k) => norm(k) === norm(name)) ?? keys.find((k) => editDistance(norm(k), norm(name)) <= 2);
}

/**
 * Throws a TypeError naming `where`, the field and what the value has when `value` lacks a required field or
 * carries one the shape does not know. A writer would otherwise turn the missing number into 0.
 */
export function checkShape(value: unknown, shape: Shape, where: string): void {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new TypeError(`${where}: value must be an object with fields ${describeKeys(shape.required)} (got ${value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value})`);
  }
  const v = value as Record<string, unknown>;
  for (const name of shape.required) {
    if (v[name] === undefined) {
      const keys = Object.keys(v);
      const near = lookalike(name, keys);
      const has = near !== undefined ? `'${near}'` : describeKeys(keys);
      throw new TypeError(`${where}: missing required field '${name}' (value has ${has})`);
    }
  }
  for (const key in v) {
    if (!shape.allowed.has(key)) {
      const near = lookalike(key, [...shape.allowed]);
      throw new TypeError(`${where}: unknown field '${key}'${near !== undefined ? ` (did you mean '${near}'?)` : ` (fields: ${describeKeys([...shape.allowed])})`}`);
    }
  }
}

/** Runs the checks of the fields that have one on the present values of `v` (nested structs, lists of structs). */
function checkNested(v: Record<string, unknown>, nested: ReadonlyArray<readonly [string, AnyField]>, where: string): void {
  for (const [name, f] of nested) {
    const x = v[name];
    if (x !== undefined) f.check!(x, `${where}.${name}`);
  }
}

/**
 * Read all fields in order into an object; write them back in order. A `bitfields` group marked with
 * {@link spread} puts its fields into the same object (spec fields sharing bytes stay flat).
 */
export function struct<F extends Fields>(fields: F): Field<StructValue<F>> {
  const entries = Object.entries(fields);
  const minSize = entries.reduce((s, [, c]) => s + (c.optional ? 0 : c.minSize), 0);
  const shape = shapeOf(fields);
  const nested = entries.filter(([, f]) => f.check !== undefined && !f.spreads);
  // Flat arrays read once here, so the per-box loops (parse, and the re-encode check after it) touch no
  // optional properties of the fields.
  const names = entries.map(([n]) => n);
  const codecs = entries.map(([, c]) => c);
  const kept = entries.map(([, c]) => !c.hidden);
  const spreads = entries.map(([, c]) => c.spreads !== undefined);
  const hasSpread = spreads.includes(true);
  const n = entries.length;
  return {
    minSize,
    read(r, c) {
      const out: Record<string, unknown> = {};
      const inner: FieldContext = { ...c, parent: out };
      for (let i = 0; i < n; i++) {
        const v: unknown = codecs[i]!.read(r, inner);
        if (!kept[i] || v === undefined) continue;
        if (hasSpread && spreads[i]) Object.assign(out, v);
        else out[names[i]!] = v;
      }
      return out as StructValue<F>;
    },
    write(w, value, c) {
      const v = value as Record<string, unknown>;
      const inner: FieldContext = { ...c, parent: v };
      if (hasSpread) for (let i = 0; i < n; i++) codecs[i]!.write(w, spreads[i] ? v : v[names[i]!], inner);
      else for (let i = 0; i < n; i++) codecs[i]!.write(w, v[names[i]!], inner);
    },
    size(value, c) {
      const v = value as Record<string, unknown>;
      const inner: FieldContext = { ...c, parent: v };
      let total = 0;
      if (hasSpread) for (let i = 0; i < n; i++) total += codecs[i]!.size(spreads[i] ? v : v[names[i]!], inner);
      else for (let i = 0; i < n; i++) total += codecs[i]!.size(v[names[i]!], inner);
      return total;
    },
    check(value, where) {
      checkShape(value, shape, where);
      if (nested.length) checkNested(value as Record<string, unknown>, nested, where);
    },
  };
}

/** The flag bits that optional fields of a struct declare. */
export function flagBitsOf(fields: Fields): number {
  let bits = 0;
  for (const c of Object.values(fields)) bits |= c.flagBit ?? 0;
  return bits;
}

/** The flag bits that the present optional fields of `value` need. */
export function presentFlagBits(fields: Fields, value: Readonly<Record<string, unknown>>): number {
  let bits = 0;
  for (const [name, c] of Object.entries(fields)) if (c.flagBit && value[name] !== undefined) bits |= c.flagBit;
  return bits;
}

/** Checks that `v` is an array and, when items have a check, each item (lists of structs: elst, sidx). */
function listCheck<T>(item: Field<T>): (v: T[], where: string) => void {
  return (v, where) => {
    if (!Array.isArray(v)) throw new TypeError(`${where}: expected an array (got ${v === null ? 'null' : typeof v})`);
    if (item.check) for (let i = 0; i < v.length; i++) item.check(v[i]!, `${where}[${i}]`);
  };
}

/** A list whose length is read first with `count`; the length is derived on write. */
export function list<T>(count: Field<number>, item: Field<T>, what = 'entries'): Field<T[]> {
  return {
    minSize: count.minSize,
    read(r, c) {
      const n = count.read(r, c);
      // The declared count is a claim: check it against the bytes that remain before allocating.
      r.require(n * item.minSize, `${n} ${what}`);
      if (item.minSize === 0 && n > r.remaining + 1) r.fail('BAD_VALUE', `${n} ${what} cannot fit in ${r.remaining} bytes`);
      const out = new Array<T>(n);
      for (let i = 0; i < n; i++) out[i] = item.read(r, c);
      return out;
    },
    write(w, v, c) {
      count.write(w, v.length, c);
      for (const x of v) item.write(w, x, c);
    },
    size(v, c) {
      let n = count.size(v.length, c);
      for (const x of v) n += item.size(x, c);
      return n;
    },
    check: listCheck(item),
  };
}

/** Exactly `n` items (a fixed-size array such as a transformation matrix). */
export function array<T>(n: number, item: Field<T>): Field<T[]> {
  return {
    minSize: n * item.minSize,
    read(r, c) {
      const out = new Array<T>(n);
      for (let i = 0; i < n; i++) out[i] = item.read(r, c);
      return out;
    },
    write(w, v, c) {
      for (let i = 0; i < n; i++) item.write(w, v[i]!, c);
    },
    size: () => n * item.minSize,
    check(v, where) {
      listCheck(item)(v, where);
      if (v.length !== n) throw new TypeError(`${where}: expected ${n} items (got ${v.length})`);
    },
  };
}

/** An entry count that counts the box's children (stsd, dref): read and discarded, written from the children. */
export function childCount(codec: Field<number>): Field<number> & { hidden: true } {
  return {
    minSize: codec.minSize,
    hidden: true,
    read: (r, c) => codec.read(r, c),
    write: (w, _v, c) => codec.write(w, c.childCount ?? 0, c),
    size: (_v, c) => codec.size(0, c),
  };
}

/** Items until the end of the box body. */
export function listToEnd<T>(item: Field<T>): Field<T[]> {
  if (item.minSize <= 0) throw new Error('listToEnd needs items of at least one byte');
  return {
    minSize: 0,
    read(r, c) {
      const out: T[] = [];
      while (r.remaining >= item.minSize) out.push(item.read(r, c));
      return out;
    },
    write(w, v, c) {
      for (const x of v) item.write(w, x, c);
    },
    size(v, c) {
      let n = 0;
      for (const x of v) n += item.size(x, c);
      return n;
    },
    check: listCheck(item),
  };
}

/** Kinds of numbers a column can hold, with their byte width. */
export type ColumnKind = 'u8' | 'u16' | 'u32' | 'i32' | 'u64' | 'i64';
type ColumnArray<K extends ColumnKind> = K extends 'u8' ? Uint8Array : K extends 'u16' ? Uint16Array : K extends 'u32' ? Uint32Array : K extends 'i32' ? Int32Array : Float64Array;
export type ColumnsValue<S extends Record<string, ColumnKind>> = { -readonly [K in keyof S]: ColumnArray<S[K]> };

const WIDTH: Record<ColumnKind, number> = { u8: 1, u16: 2, u32: 4, i32: 4, u64: 8, i64: 8 };
function newColumn(kind: ColumnKind, n: number): Uint8Array | Uint16Array | Uint32Array | Int32Array | Float64Array {
  switch (kind) {
    case 'u8': return new Uint8Array(n);
    case 'u16': return new Uint16Array(n);
    case 'u32': return new Uint32Array(n);
    case 'i32': return new Int32Array(n);
    default: return new Float64Array(n);
  }
}

function readColumnValue(r: ByteReader, kind: ColumnKind): number {
  switch (kind) {
    case 'u8': return r.u8();
    case 'u16': return r.u16();
    case 'u32': return r.u32();
    case 'i32': return r.i32();
    case 'u64': return r.u64();
    default: return r.i64();
  }
}

/**
 * A table of fixed-width rows stored as typed-array columns (sample tables can hold millions of rows;
 * one object per row is not acceptable). The row count is read first and derived on write from the
 * first column's length. `schema` may depend on the FullBox version.
 */
export function columns<S extends Record<string, ColumnKind>>(
  count: Field<number>,
  schema: (c: FieldContext) => S,
  what = 'entries',
): Field<ColumnsValue<S>> {
  return {
    minSize: count.minSize,
    read(r, c) {
      const s = schema(c);
      const names = Object.keys(s);
      const n = count.read(r, c);
      const rowSize = names.reduce((a, k) => a + WIDTH[s[k]!], 0);
      r.require(n * rowSize, `${n} ${what} of ${rowSize} bytes`);
      const cols = names.map((k) => newColumn(s[k]!, n));
      const kinds = names.map((k) => s[k]!);
      const start = r.pos;
      if (kinds.some((k) => WIDTH[k] === 8)) {
        // 64-bit values go through the reader (range checks, error offsets), row by row.
        for (let i = 0; i < n; i++) {
          for (let j = 0; j < kinds.length; j++) cols[j]![i] = readColumnValue(r, kinds[j]!);
        }
      } else {
        // One tight loop per column (a sample table has up to millions of rows).
        const view = r.view;
        const data = r.data;
        let at = start;
        for (let j = 0; j < kinds.length; j++) {
          const col = cols[j]!;
          let p = at;
          switch (kinds[j]!) {
            case 'u8': for (let i = 0; i < n; i++, p += rowSize) col[i] = data[p]!; break;
            case 'u16': for (let i = 0; i < n; i++, p += rowSize) col[i] = view.getUint16(p); break;
            case 'u32': for (let i = 0; i < n; i++, p += rowSize) col[i] = view.getUint32(p); break;
            default: for (let i = 0; i < n; i++, p += rowSize) col[i] = view.getInt32(p);
          }
          at += WIDTH[kinds[j]!];
        }
        r.pos = start + n * rowSize;
      }
      const out: Record<string, unknown> = {};
      names.forEach((k, j) => (out[k] = cols[j]));
      return out as ColumnsValue<S>;
    },
    write(w, v, c) {
      const s = schema(c);
      const names = Object.keys(s);
      const cols = names.map((k) => (v as Record<string, ArrayLike<number>>)[k]!);
      const kinds = names.map((k) => s[k]!);
      const n = cols[0]?.length ?? 0;
      count.write(w, n, c);
      const rowSize = kinds.reduce((a, k) => a + WIDTH[k], 0);
      const start = w.reserve(n * rowSize);
      const view = w.view;
      const data = w.data;
      let at = start;
      for (let j = 0; j < kinds.length; j++) {
        const col = cols[j]!;
        let p = at;
        switch (kinds[j]!) {
          case 'u8': for (let i = 0; i < n; i++, p += rowSize) data[p] = col[i]!; break;
          case 'u16': for (let i = 0; i < n; i++, p += rowSize) view.setUint16(p, col[i]!); break;
          case 'u32': for (let i = 0; i < n; i++, p += rowSize) view.setUint32(p, col[i]! >>> 0); break;
          case 'i32': for (let i = 0; i < n; i++, p += rowSize) view.setInt32(p, col[i]! | 0); break;
          default:
            // 64-bit: through the writer's own encoding, at this column's place in each row.
            for (let i = 0; i < n; i++, p += rowSize) {
              w.pos = p;
              if (kinds[j] === 'u64') w.u64(col[i]!);
              else w.i64(col[i]!);
            }
        }
        at += WIDTH[kinds[j]!];
      }
      w.pos = start + n * rowSize;
    },
    size(v, c) {
      const s = schema(c);
      const names = Object.keys(s);
      const n = (v as Record<string, ArrayLike<number>>)[names[0]!]?.length ?? 0;
      return count.size(n, c) + n * names.reduce((a, k) => a + WIDTH[s[k]!], 0);
    },
    // Once per table, not per row: the columns are there, array-like, and of one length.
    check(v, where) {
      const names = Object.keys(schema({ version: 0, flags: 0, parent: {} }));
      checkShape(v, { required: names, allowed: new Set(names) }, where);
      const cols = v as Record<string, unknown>;
      const n = (cols[names[0]!] as ArrayLike<number>).length;
      for (const k of names) {
        const col = cols[k] as ArrayLike<number> | undefined;
        if (typeof col !== 'object' || col === null || typeof col.length !== 'number') throw new TypeError(`${where}.${k}: expected an array or typed array of numbers`);
        if (col.length !== n) throw new TypeError(`${where}: column '${k}' has ${col.length} rows but '${names[0]}' has ${n}`);
      }
    },
  };
}

/** An escape hatch for layouts the combinators cannot express; keeps all of a box's logic in its definition. */
export function custom<T>(codec: Field<T>): Field<T> {
  return codec;
}

/** Fixed-width bit fields packed MSB-first into `bytes` bytes. */
export function bitfields<const N extends string>(
  byteCount: number,
  layout: ReadonlyArray<readonly [N, number] | readonly [null, number, number]>,
): Field<Record<N, number>> {
  const total = layout.reduce((a, [, b]) => a + b, 0);
  if (total !== byteCount * 8) throw new Error(`bitfields layout has ${total} bits, not ${byteCount * 8}`);
  return {
    minSize: byteCount,
    read(r) {
      const b = r.bytes(byteCount, 'bit fields');
      let bit = 0;
      const out = {} as Record<N, number>;
      for (const [name, width] of layout) {
        let v = 0;
        for (let i = 0; i < width; i++, bit++) v = v * 2 + ((b[bit >> 3]! >> (7 - (bit & 7))) & 1);
        if (name !== null) out[name] = v;
      }
      return out;
    },
    write(w, v) {
      const b = new Uint8Array(byteCount);
      let bit = 0;
      for (const [name, width, fill] of layout) {
        // Reserved bits (name null) are written with their fixed fill value (often all ones).
        const x = name === null ? fill ?? 0 : v[name] ?? 0;
        for (let i = width - 1; i >= 0; i--, bit++) if (Math.floor(x / 2 ** i) % 2) b[bit >> 3]! |= 0x80 >> (bit & 7);
      }
      w.bytes(b);
    },
    size: () => byteCount,
    check(v, where) {
      for (const [name] of layout) {
        if (name !== null && typeof v[name] !== 'number') throw new TypeError(`${where}: missing required field '${name}' (a ${byteCount * 8}-bit group's field)`);
      }
    },
  };
}

/**
 * A bit-field group whose fields sit in the enclosing struct's value itself rather than in a nested object
 * (`lengthSizeMinusOne` next to `avcLevelIndication`, as in the spec's syntax). Its key in the struct is a
 * placeholder; the struct reads, writes and checks the named bits.
 */
export function spread<N extends string>(group: Field<Record<N, number>>, names: readonly N[]): Field<Record<N, number>> & { spreads: readonly N[] } {
  return { ...group, spreads: names };
}

/** {@link bitfields} as a {@link spread} group: the common case. */
export function bits<const N extends string>(
  byteCount: number,
  layout: ReadonlyArray<readonly [N, number] | readonly [null, number, number]>,
): Field<Record<N, number>> & { spreads: readonly N[] } {
  const names = layout.flatMap(([n]) => (n === null ? [] : [n]));
  return spread(bitfields(byteCount, layout), names);
}
