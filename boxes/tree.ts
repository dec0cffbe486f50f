/**
 * The box engine: bytes ⇄ box tree, using the definitions in the registry.
 * Unknown boxes, unsupported versions and trailing bytes are kept as views, so parse → write is byte-identical.
 */
import { ByteReader } from '../src/io/byte-reader.js';
import { ByteWriter } from '../src/io/byte-writer.js';
import { contiguous, type ByteRun } from '../src/io/deferred-bytes.js';
import { BoxwrightError } from '../src/io/errors.js';
import type { FieldContext } from '../src/io/field.js';
import type { AnyBoxDef, BoxContext } from './define.js';
import { BOXES, type BoxType, type BoxValueMap } from './registry.js';

/**
 * One box. Layout facts read from a file (`offset`, `size`, `headerSize`, `largeSize`, `toEnd`, `version`,
 * `flags`) are hints for a byte-exact rewrite; a box you build needs only `type` and `value` (and `children`).
 */
export interface Box<V = unknown> {
  type: string;
  /** Parsed fields (undefined for opaque boxes). */
  value?: V;
  /** Child boxes of a container. */
  children?: Box[];
  /**
   * Verbatim bytes of the box body before its children (FullBox header included): set for unknown boxes,
   * unsupported versions, and bodies whose canonical encoding differs from the file. When set, it is
   * written instead of `value` — clear it after editing `value`.
   */
  raw?: Uint8Array;
  /** Bytes after the fields (leaf) or after the last child (container) that are not a box. */
  trailing?: Uint8Array;
  /** Why `value` could not be parsed (the box is kept opaque). */
  error?: BoxwrightError;
  /** Byte offset of the box in the input. */
  offset?: number;
  /** Size of the box in the input, header included. */
  size?: number;
  /** Header size in the input (8, or 16 with a 64-bit size). */
  headerSize?: number;
  /** The input used a 64-bit size field; kept on write. */
  largeSize?: boolean;
  /** The input's size field was 0 (box extends to the end of the file); kept on write. */
  toEnd?: boolean;
  /** FullBox version read from the input; kept on write when it can hold the value. */
  version?: number;
  /** FullBox flags read from the input; bits the definition does not derive are kept. */
  flags?: number;
  /** A box that may be a FullBox was written without version/flags (QuickTime `meta`). */
  bare?: boolean;
  /**
   * The size the box header declared when the input ends before it: a file cut inside its last `mdat` keeps the
   * bytes that are there (`size` is what remains), as ffmpeg reads it.
   */
  declaredSize?: number;
}

/** A box of registered type `T`, its value typed from the definition (`BoxOf<'mdhd'>`). */
export type BoxOf<T extends BoxType> = Box<BoxValueMap[T]> & { type: T };

/**
 * A box of a registered type with its value checked at compile time against the definition
 * (`makeBox('mdhd', { timescale: 48000, … })`; a misspelt field does not compile). The writer checks again at
 * run time, for values built without types.
 */
export function makeBox<T extends BoxType>(type: T, value: BoxValueMap[T], children?: Box[]): BoxOf<T> {
  return children === undefined ? { type, value } : { type, value, children };
}

/** A parsed file: its top-level boxes. */
export interface BoxTree {
  boxes: Box[];
}

/** Options for `readBoxes` (and the internal `parseTree`). */
export interface ParseOptions {
  /** Throw on a box body that does not parse (default: keep it opaque with `error`). */
  strict?: boolean;
  /** Deepest nesting accepted (default 48). */
  maxDepth?: number;
  /** Parse the data as the children of this box type (e.g. `stsd` for a lone sample entry). */
  within?: string;
  /** Handler type to assume (decides generic sample-entry layouts). */
  handler?: string;
  /**
   * Read a file cut short (a download in progress, a recording cut off) as far as it goes: a top-level box other
   * than `moov` that the input ends inside (a fragment's `moof`, a trailing `mfra`, `free`, `udta` …) and a partial
   * top-level box header are left out instead of throwing `TRUNCATED`. (A cut `mdat` is always kept, cut.)
   */
  partial?: boolean;
}

/** Where boxes being written sit (see {@link ParseOptions.within}). */
export interface WriteOptions {
  within?: string;
  handler?: string;
}

function parentDefOf(type: string | undefined): AnyBoxDef | undefined {
  if (type === undefined) return undefined;
  const def = BOXES.get(type);
  if (!def) throw new RangeError(`unknown parent box type '${type}'`);
  return def;
}

function contextOf(handler: string | undefined): BoxContext {
  return handler === undefined ? {} : { handler };
}

interface ParseState {
  readonly strict: boolean;
  readonly maxDepth: number;
  readonly partial: boolean;
}

const DEFAULT_MAX_DEPTH = 48;

/** The definition for a child `type` of a box defined by `parent`, or undefined for unknown (opaque) boxes. */
export function resolveDef(parent: AnyBoxDef | undefined, type: string, ctx: BoxContext): AnyBoxDef | undefined {
  const byParent = parent?.resolveChild?.(type, ctx);
  if (byParent === null) return undefined;
  return byParent ?? BOXES.get(type);
}

function segmentName(type: string, index: number): string {
  return index === 0 ? type : `${type}[${index}]`;
}

/** Parses every box in `data` (the top level of a file). */
export function parseTree(data: Uint8Array, options: ParseOptions = {}): BoxTree {
  if (!(data instanceof Uint8Array)) throw new TypeError('parseTree expects a Uint8Array');
  const state: ParseState = { strict: options.strict ?? false, maxDepth: options.maxDepth ?? DEFAULT_MAX_DEPTH, partial: options.partial ?? false };
  const r = new ByteReader(data);
  return { boxes: parseChildren(r, parentDefOf(options.within), contextOf(options.handler), 0, state).boxes };
}

/** Parses the boxes in `r` (one level), as children of a box defined by `parent`. */
function parseChildren(
  r: ByteReader,
  parent: AnyBoxDef | undefined,
  ctx: BoxContext,
  depth: number,
  state: ParseState,
): { boxes: Box[]; trailing?: Uint8Array } {
  if (depth > state.maxDepth) r.fail('TOO_DEEP', `boxes nested deeper than ${state.maxDepth} levels`);
  const boxes: Box[] = [];
  const seen = new Map<string, number>();
  let here = ctx;
  while (r.remaining > 0) {
    // QuickTime ends some containers with a 32-bit zero; fewer than 8 bytes cannot be a box.
    if (r.remaining < 8) {
      if (depth === 0 && state.partial) return { boxes };
      if (depth === 0) r.fail('TRUNCATED', `box header needs 8 bytes but ${r.remaining} remain`);
      return { boxes, trailing: r.rest() };
    }
    const start = r.pos;
    const size32 = r.u32();
    const type = r.fourcc();
    let size = size32;
    let headerSize = 8;
    const node: Box = { type, offset: start };
    if (size32 === 1) {
      if (r.remaining < 8 && depth === 0 && state.partial) return { boxes };
      if (r.remaining < 8) r.fail('TRUNCATED', `'${type}' 64-bit size needs 8 bytes but ${r.remaining} remain`, start);
      size = r.u64();
      headerSize = 16;
      node.largeSize = true;
    } else if (size32 === 0) {
      size = r.end - start;
      node.toEnd = true;
    }
    const index = seen.get(type) ?? 0;
    seen.set(type, index + 1);
    const path = r.path ? `${r.path}/${segmentName(type, index)}` : segmentName(type, index);
    if (size < headerSize) {
      throw new BoxwrightError('BAD_BOX_SIZE', `'${type}' declares size ${size}, smaller than its ${headerSize}-byte header`, start, path);
    }
    if (size > r.end - start && depth === 0 && type === 'mdat') {
      // A file cut inside its media data (a download in progress, a recording cut short): the samples that are
      // there stay readable, as ffmpeg reads them. Only mdat: a cut moov or any other box is an error.
      node.declaredSize = size;
      size = r.end - start;
    }
    if (size > r.end - start && depth === 0 && state.partial && type !== 'moov') return { boxes };
    if (size > r.end - start) {
      const code = depth === 0 ? 'TRUNCATED' : 'BAD_BOX_SIZE';
      const where = depth === 0 ? 'the input' : 'its parent';
      throw new BoxwrightError(code, `'${type}' declares size ${size} but ${where} has ${r.end - start} bytes from its start`, start, path);
    }
    node.size = size;
    node.headerSize = headerSize;
    const body = r.window(r.pos, start + size, path);
    r.pos = start + size;
    const def = resolveDef(parent, type, here);
    parseBody(node, body, def, here, depth, state);
    boxes.push(node);
    // The handler type decides how sibling subtrees (minf/stbl/stsd) read their sample entries.
    if (type === 'hdlr' && node.value) here = { ...here, handler: (node.value as { handlerType: string }).handlerType };
  }
  return { boxes };
}

function parseBody(node: Box, r: ByteReader, def: AnyBoxDef | undefined, ctx: BoxContext, depth: number, state: ParseState): void {
  const bodyStart = r.pos;
  if (!def) {
    node.raw = r.rest();
    return;
  }
  try {
    let version = 0;
    let flags = 0;
    const full = typeof def.full === 'function' ? def.full(r) : def.full;
    if (full) {
      if (r.remaining < 4) r.fail('TRUNCATED', `FullBox header needs 4 bytes but ${r.remaining} remain`);
      version = r.u8();
      flags = r.u24();
      node.version = version;
      node.flags = flags;
      if (!def.versions.includes(version)) {
        // A version we do not know: keep the whole body verbatim.
        r.pos = bodyStart;
        node.raw = r.rest();
        return;
      }
    } else if (def.full !== false) {
      node.bare = true;
    }
    const fc: FieldContext = { version, flags, parent: {} };
    const value = def.body.read(r, fc) as Record<string, unknown>;
    for (const [name, bit] of Object.entries(def.flagNames)) if (flags & bit) value[name] = true;
    // Plain containers have no fields: leave `value` out rather than carry an empty object.
    if (full || !def.hasChildren || Object.keys(value).length > 0) node.value = value;
    const fieldsEnd = r.pos;
    if (def.hasChildren) {
      const kids = parseChildren(r, def, ctx, depth + 1, state);
      node.children = kids.boxes;
      if (kids.trailing) node.trailing = kids.trailing;
    } else if (r.remaining > 0) {
      node.trailing = r.rest();
    }
    const reencodes = def.exact
      ? !full || (versionFor(node, def) === version && flagsFor(node, def) === flags)
      : def.verbatim || sameBytes(encodeFields(node, def), r.data.subarray(bodyStart, fieldsEnd));
    if (!reencodes) {
      // The file's encoding is not the one we would write (reserved bits set, padding, odd string form):
      // keep the bytes so the rewrite is exact; the value is still there to read.
      node.raw = r.data.subarray(bodyStart, fieldsEnd);
    }
  } catch (e) {
    if (!(e instanceof BoxwrightError) || e.code === 'INTERNAL') throw e;
    if (state.strict || (def.hasChildren && !def.tentative && e.path !== r.path)) throw e;
    // A body that does not match its definition stays opaque (with the reason), so the tree still round-trips.
    delete node.value;
    delete node.children;
    delete node.trailing;
    node.raw = r.data.subarray(bodyStart, r.end);
    node.error = e;
  }
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

// ---------------------------------------------------------------- writing

interface Layout {
  readonly size: number;
  readonly fieldsSize: number;
  readonly headerSize: number;
  readonly version: number;
  readonly flags: number;
  readonly full: boolean;
  readonly def: AnyBoxDef | undefined;
}

type Layouts = Map<Box, Layout>;

function isFull(node: Box, def: AnyBoxDef): boolean {
  if (def.full === true) return true;
  if (def.full === false) return false;
  return node.bare !== true;
}

function versionFor(node: Box, def: AnyBoxDef): number {
  const min = def.minVersion(node.value);
  const hint = node.version;
  return hint !== undefined && hint > min && def.versions.includes(hint) ? hint : min;
}

function flagsFor(node: Box, def: AnyBoxDef): number {
  const fixed = def.fixedFlags ?? 0;
  const hint = node.flags;
  const kept = hint === undefined ? fixed : hint & (~def.knownFlags | fixed);
  return (def.flagsOf(node.value) | kept) >>> 0;
}

function fieldContext(version: number, flags: number, node?: Box): FieldContext {
  return { version, flags, parent: {}, childCount: node?.children?.length ?? 0 };
}

/** Encodes only the fields part of a node (FullBox header + fields), as the writer would. */
function encodeFields(node: Box, def: AnyBoxDef): Uint8Array {
  if (node.value === undefined) node = { ...node, value: valueToWrite(node, def) };
  const full = isFull(node, def);
  const version = full ? versionFor(node, def) : 0;
  const flags = full ? flagsFor(node, def) : 0;
  const fc = fieldContext(version, flags, node);
  const w = new ByteWriter((full ? 4 : 0) + def.body.size(node.value, fc));
  if (full) {
    w.u8(version);
    w.u24(flags);
  }
  def.body.write(w, node.value, fc);
  return w.finish();
}

/** The value to encode: containers without fields may leave `value` out. */
function valueToWrite(node: Box, def: AnyBoxDef): unknown {
  if (node.value !== undefined) return node.value;
  if (def.body.minSize === 0) return {};
  throw new BoxwrightError('INTERNAL', `box '${node.type}' has neither a value nor raw bytes to write`, node.offset ?? 0, node.type);
}

function measure(node: Box, parent: AnyBoxDef | undefined, ctx: BoxContext, layouts: Layouts): Layout {
  const resolved = resolveDef(parent, node.type, ctx);
  const def = node.raw ? undefined : resolved;
  if (!node.raw && !def && (node.value !== undefined || !node.children)) {
    throw new BoxwrightError('INTERNAL', `no definition to write box '${node.type}' from its value (give raw bytes for unknown boxes)`, node.offset ?? 0, node.type);
  }
  let fieldsSize = 0;
  let version = 0;
  let flags = 0;
  let full = false;
  if (node.raw) fieldsSize = node.raw.length;
  else if (def) {
    // A missing or misspelt field would be written as 0: the definition checks the value's shape first.
    if (node.value !== undefined) def.check(node.value);
    const value = valueToWrite(node, def);
    const shaped = node.value === value ? node : { ...node, value };
    full = isFull(node, def);
    if (full) {
      version = versionFor(shaped, def);
      flags = flagsFor(shaped, def);
    }
    fieldsSize = (full ? 4 : 0) + def.body.size(value, fieldContext(version, flags, node));
  }
  let payload = fieldsSize + measureChildren(node.children, resolved, ctx, layouts) + (node.trailing?.length ?? 0);
  const large = node.largeSize === true || payload + 8 > 0xffffffff;
  const headerSize = large ? 16 : 8;
  payload += headerSize;
  const layout: Layout = { size: payload, fieldsSize, headerSize, version, flags, full, def };
  layouts.set(node, layout);
  return layout;
}

function measureChildren(children: Box[] | undefined, parent: AnyBoxDef | undefined, ctx: BoxContext, layouts: Layouts): number {
  if (!children) return 0;
  let total = 0;
  let here = ctx;
  for (const c of children) {
    total += measure(c, parent, here, layouts).size;
    if (c.type === 'hdlr' && c.value) here = { ...here, handler: (c.value as { handlerType: string }).handlerType };
  }
  return total;
}

function writeNode(w: ByteWriter, node: Box, layouts: Layouts): void {
  const l = layouts.get(node)!;
  if (l.headerSize === 16) {
    w.u32(1);
    w.fourcc(node.type);
    w.u64(l.size);
  } else {
    w.u32(node.toEnd ? 0 : l.size);
    w.fourcc(node.type);
  }
  if (node.raw) w.bytes(node.raw);
  else if (l.def) {
    if (l.full) {
      w.u8(l.version);
      w.u24(l.flags);
    }
    l.def.body.write(w, valueToWrite(node, l.def), fieldContext(l.version, l.flags, node));
  }
  if (node.children) for (const c of node.children) writeNode(w, c, layouts);
  if (node.trailing) w.bytes(node.trailing);
}

/** Size in bytes of `box` as {@link writeTree} would write it. */
export function sizeOf(box: Box, parent?: AnyBoxDef, ctx: BoxContext = {}): number {
  return measure(box, parent, ctx, new Map()).size;
}

/**
 * Boxes measured once, written later into a buffer the caller places: many trees (the segments of a rendition)
 * can then share one allocation, laid out as the file they form.
 */
export interface MeasuredTree {
  /** Bytes {@link MeasuredTree.writeInto} writes. */
  readonly size: number;
  /** Writes the boxes into `target`, which must be exactly {@link MeasuredTree.size} bytes (a subarray). */
  writeInto(target: Uint8Array): void;
}

/** Measures boxes (a whole file, or any list of sibling boxes) for {@link MeasuredTree.writeInto}. */
export function measureTree(tree: BoxTree | readonly Box[], options: WriteOptions = {}): MeasuredTree {
  const boxes = Array.isArray(tree) ? (tree as readonly Box[]) : (tree as BoxTree).boxes;
  const layouts: Layouts = new Map();
  const size = measureChildren(boxes as Box[], parentDefOf(options.within), contextOf(options.handler), layouts);
  return {
    size,
    writeInto(target: Uint8Array): void {
      if (target.length !== size) throw new BoxwrightError('INTERNAL', `a ${target.length}-byte target for ${size} measured bytes`, 0, '');
      const w = new ByteWriter(target);
      for (const b of boxes) writeNode(w, b, layouts);
      w.finish();
    },
  };
}

/** Writes boxes (a whole file, or any list of sibling boxes) into one buffer, allocated once. */
export function writeTree(tree: BoxTree | readonly Box[], options: WriteOptions = {}): Uint8Array {
  const m = measureTree(tree, options);
  const out = new Uint8Array(m.size);
  m.writeInto(out);
  return out;
}

// ---------------------------------------------------------------- finding

/** All boxes matching a slash-separated path of types (`moov/trak/mdia/mdhd`; `trak[1]` picks the second). */
export function findBoxes(tree: BoxTree | readonly Box[], path: string): Box[] {
  const roots = Array.isArray(tree) ? (tree as readonly Box[]) : (tree as BoxTree).boxes;
  let level: readonly Box[] = roots;
  let matches: Box[] = [];
  const parts = path.split('/').filter((p) => p.length > 0);
  for (let i = 0; i < parts.length; i++) {
    const m = /^(.{4})(?:\[(\d+)\])?$/s.exec(parts[i]!);
    if (!m) throw new RangeError(`bad path segment '${parts[i]}' in '${path}' (expected a four-character type, optionally with [index])`);
    const type = m[1]!;
    const pick = m[2] === undefined ? undefined : Number(m[2]);
    const found = level.filter((b) => b.type === type);
    matches = pick === undefined ? found : found[pick] ? [found[pick]] : [];
    level = matches.flatMap((b) => b.children ?? []);
  }
  return matches;
}

/** The first box matching `path` (see {@link findBoxes}), or undefined. */
export function findBox(tree: BoxTree | readonly Box[], path: string): Box | undefined {
  return findBoxes(tree, path)[0];
}

/** The typed value of `box` when it is a box of `def`'s type with a parsed value; undefined otherwise. */
export function valueAs<D extends AnyBoxDef>(box: Box | undefined, def: D): ValueOfDef<D> | undefined {
  return box && box.type === def.type && box.value !== undefined ? (box.value as ValueOfDef<D>) : undefined;
}
type ValueOfDef<D> = D extends { body: { read(...args: never[]): infer V } } ? V : never;

/** The first direct child of `box` with type `type`. */
export function childOf(box: Box | undefined, type: string): Box | undefined {
  return box?.children?.find((c) => c.type === type);
}

/** All direct children of `box` with type `type`. */
export function childrenOf(box: Box | undefined, type: string): Box[] {
  return box?.children?.filter((c) => c.type === type) ?? [];
}

/**
 * Like {@link writeTree}, but returns a list of chunks instead of one buffer: each `mdat` whose data is a list of
 * payload views contributes its header and those views as they are (zero-copy); every other box is written into
 * a small buffer. Concatenated, the chunks are byte-identical to {@link writeTree}'s output.
 */
export function writeTreeChunks(boxes: readonly Box[]): Uint8Array[] {
  const out: Uint8Array[] = [];
  let pending: Box[] = [];
  const flush = (): void => {
    if (pending.length) out.push(writeTree(pending));
    pending = [];
  };
  for (const b of boxes) {
    const data = (b.value as { data?: unknown } | undefined)?.data;
    if (b.type !== 'mdat' || b.raw || !Array.isArray(data)) {
      pending.push(b);
      continue;
    }
    flush();
    const chunks = (data as readonly ByteRun[]).map(contiguous);
    const payload = chunks.reduce((a, c) => a + c.length, 0);
    const large = b.largeSize === true || payload + 8 > 0xffffffff;
    const w = new ByteWriter(large ? 16 : 8);
    if (large) {
      w.u32(1);
      w.fourcc('mdat');
      w.u64(payload + 16);
    } else {
      w.u32(payload + 8);
      w.fourcc('mdat');
    }
    out.push(w.finish(), ...chunks);
  }
  flush();
  return out;
}
