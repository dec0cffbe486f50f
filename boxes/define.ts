/**
 * Box definitions: one declaration per box type serves parse, write, size and dump (the engine is in tree.ts).
 * Counts, sizes, versions and flag bits are derived on write; the caller never keeps them consistent.
 */
import type { ByteReader } from '../src/io/byte-reader.js';
import { checkShape, flagBitsOf, presentFlagBits, shapeOf, struct, type Field, type Fields, type StructValue } from '../src/io/field.js';

/** What a definition may consult about where a box sits (handler type decides sample-entry layouts). */
export interface BoxContext {
  /** Handler type of the enclosing track (`vide`, `soun`, …), once its `hdlr` has been seen. */
  readonly handler?: string;
}

/** How a box's payload is laid out. Built with {@link box}, {@link fullBox}, {@link container} or {@link customBox}. */
export interface BoxDef<V = unknown, T extends string = string> {
  /** The four-character code, as a literal type (`'mdhd'`), so a registry of definitions maps types to value types. */
  readonly type: T;
  /** FullBox header (version + flags) before the fields: always, never, or decided by peeking (QuickTime `meta`). */
  readonly full: boolean | ((r: ByteReader) => boolean);
  /** Versions whose layout is known; others are kept opaque. */
  readonly versions: readonly number[];
  readonly body: Field<V>;
  /** Whether child boxes follow the fields. */
  readonly hasChildren: boolean;
  /** Named boolean flags (FullBox), exposed in the value as `name: true`. */
  readonly flagNames: Readonly<Record<string, number>>;
  /** All flag bits this definition understands (named + optional-field bits + fixed bits). */
  readonly knownFlags: number;
  /** Bits the spec requires (vmhd: 1): set on new boxes; a file's own value of these bits is kept. */
  readonly fixedFlags?: number;
  /** Smallest version that can hold `value`. */
  minVersion(value: V): number;
  /** Flag bits derived from `value` (optional fields present + named flags set). */
  flagsOf(value: V): number;
  /** Definitions of children that depend on the parent (sample entries in `stsd`, items in `ilst`). `null` keeps a child opaque. */
  resolveChild?(type: string, ctx: BoxContext): BoxDef | null | undefined;
  /** Layout guessed from context (e.g. unknown sample entry under a video handler): on any parse error the box stays opaque. */
  readonly tentative?: boolean;
  /** A short note for docs and dumps. */
  readonly title?: string;
  /** The body is bytes kept as they are (mdat, free): it round-trips by construction, so parse skips re-encoding it. */
  readonly verbatim?: boolean;
  /**
   * Any body the fields read is written back byte for byte (counts and columns of fixed-width numbers: the sample
   * tables, tens of thousands of rows in a long file), so parse checks only that the FullBox version and flags
   * would be written as read, instead of re-encoding the body to compare it.
   */
  readonly exact?: boolean;
  /**
   * Checks a value before it is written: a required field missing or an unknown (often misspelt) field throws a
   * TypeError naming the box and the field. Run once per box by the writer, never by the parser.
   */
  check(value: V): void;
}

/** Any box definition (the value type erased). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- heterogeneous registry of definitions
export type AnyBoxDef = BoxDef<any>;

/** The value type a definition parses to and writes from. */
export type ValueOf<D> = D extends BoxDef<infer V, string> ? V : never;

type FlagValues<FL extends Record<string, number>> = { -readonly [K in keyof FL]?: boolean };

interface Extras {
  resolveChild?: (type: string, ctx: BoxContext) => BoxDef | null | undefined;
  tentative?: boolean;
  title?: string;
  verbatim?: boolean;
  exact?: boolean;
}

/** The check of a struct body, with the box type in the message and extra accepted names (named flags). */
function structCheck(type: string, fields: Fields, body: Field<unknown>, flagNames: readonly string[] = []): (value: unknown) => void {
  if (flagNames.length === 0) return (value) => body.check!(value, type);
  const shape = shapeOf(fields, flagNames);
  const nested = Object.entries(fields).filter(([, f]) => f.check !== undefined && !f.spreads);
  return (value) => {
    checkShape(value, shape, type);
    for (const [name, f] of nested) {
      const x = (value as Record<string, unknown>)[name];
      if (x !== undefined) f.check!(x, `${type}.${name}`);
    }
  };
}

/** A plain box: fields, optionally followed by child boxes. */
export function box<T extends string, F extends Fields>(type: T, opts: { fields: F; children?: boolean } & Extras): BoxDef<StructValue<F>, T> {
  const { fields, children, ...extras } = opts;
  const body = struct(fields);
  return {
    type,
    full: false,
    versions: [0],
    body,
    hasChildren: children ?? false,
    flagNames: {},
    knownFlags: 0,
    minVersion: () => 0,
    flagsOf: () => 0,
    check: structCheck(type, fields, body),
    ...extras,
  };
}

/**
 * A FullBox: version and flags, then fields. `version(value)` gives the smallest version that holds the value
 * (a version read from a file is kept when it is larger, so files round-trip byte for byte).
 */
export function fullBox<T extends string, F extends Fields, FL extends Record<string, number> = Record<never, number>>(
  type: T,
  opts: {
    fields: F;
    versions?: readonly number[];
    version?: (v: StructValue<F>) => number;
    flags?: FL;
    /** Flag bits the spec requires to be set (vmhd: 1). */
    fixedFlags?: number;
    children?: boolean;
    full?: boolean | ((r: ByteReader) => boolean);
  } & Extras,
): BoxDef<StructValue<F> & FlagValues<FL>, T> {
  const { fields, versions, version, flags, fixedFlags, children, full, ...extras } = opts;
  const named: Record<string, number> = flags ?? {};
  const namedBits = Object.values(named).reduce((a, b) => a | b, fixedFlags ?? 0);
  const body = struct(fields) as Field<StructValue<F> & FlagValues<FL>>;
  return {
    type,
    full: full ?? true,
    versions: versions ?? [0],
    body,
    hasChildren: children ?? false,
    flagNames: named,
    knownFlags: namedBits | flagBitsOf(fields),
    fixedFlags: fixedFlags ?? 0,
    minVersion: (v) => (version ? version(v) : 0),
    flagsOf: (v) => {
      let bits = presentFlagBits(fields, v as Record<string, unknown>);
      for (const [name, bit] of Object.entries(named)) if ((v as Record<string, unknown>)[name] === true) bits |= bit;
      return bits;
    },
    check: structCheck(type, fields, body as Field<unknown>, Object.keys(named)),
    ...extras,
  };
}

/** A box that only holds other boxes. */
export function container<T extends string>(type: T, extras: Extras = {}): BoxDef<Record<string, never>, T> {
  return box(type, { fields: {}, children: true, ...extras }) as BoxDef<Record<string, never>, T>;
}

/** A box whose whole body is one custom codec (for layouts the field combinators cannot express). */
export function customBox<V, T extends string>(
  type: T,
  opts: {
    body: Field<V>;
    full?: boolean;
    versions?: readonly number[];
    version?: (v: V) => number;
    flags?: (v: V) => number;
    knownFlags?: number;
    children?: boolean;
    /**
     * The value's field names, for the write-time check, when the body is a `custom` field without a check of
     * its own: `required` must be present, and nothing outside `required` + `optional` is accepted.
     */
    keys?: { required: ReadonlyArray<keyof V & string>; optional?: ReadonlyArray<keyof V & string> };
  } & Extras,
): BoxDef<V, T> {
  const { body, full, versions, version, flags, knownFlags, children, keys, ...extras } = opts;
  const shape = keys && { required: keys.required, allowed: new Set<string>([...keys.required, ...(keys.optional ?? [])]) };
  return {
    type,
    full: full ?? false,
    versions: versions ?? [0],
    body,
    hasChildren: children ?? false,
    flagNames: {},
    knownFlags: knownFlags ?? 0,
    minVersion: (v) => (version ? version(v) : 0),
    flagsOf: (v) => (flags ? flags(v) : 0),
    check: (value) => {
      if (shape) checkShape(value, shape, type);
      body.check?.(value, type);
    },
    ...extras,
  };
}

/** The same definition under another box type (e.g. `skip` like `free`, `styp` like `ftyp`). */
export function alias<V, T extends string>(def: BoxDef<V>, type: T): BoxDef<V, T> {
  return { ...def, type };
}
