/**
 * Adapters over two independent ISO-BMFF parsers (mp4box.js, codem-isoboxer): each returns the boxes it saw
 * in a file as a flat list of (path, type, offset, size), so tests can hold our box tree against them.
 * Neither library is trusted more than ours: the lists are evidence, and disagreements are judged case by case.
 */
import { createFile, MP4BoxBuffer } from 'mp4box';

/** One box as a peer reports it. `path` is the chain of types from the top level (e.g. `moov/trak/tkhd`). */
export interface PeerBox {
  path: string;
  type: string;
  offset: number;
  size: number;
  /** 0 for top-level boxes. */
  depth: number;
  /** The peer flagged the box as cut short (isoboxer's `_incomplete`). */
  incomplete?: boolean;
}

/** What a peer made of a file. */
export interface PeerResult {
  peer: PeerName;
  /** Every box found, parents before children, top-level boxes in file order. */
  boxes: PeerBox[];
  /** The library threw: message (the boxes it had collected before are still listed when reachable). */
  thrown?: string;
  /** Errors/warnings the library reported while parsing (onError callbacks, console output). */
  messages: string[];
  /** Paths of boxes the library marked as incomplete (isoboxer's `_incomplete`). */
  incomplete: string[];
}

export type PeerName = 'mp4box' | 'isoboxer';

/** A fresh ArrayBuffer holding exactly `data`. */
function ownBuffer(data: Uint8Array): ArrayBuffer {
  const ab = new ArrayBuffer(data.byteLength);
  new Uint8Array(ab).set(data);
  return ab;
}

/** Runs `fn` with console.error/warn/info/log captured into `sink` (both peers log parse problems there). */
function quietly<T>(sink: string[], fn: () => T): T {
  const saved = { error: console.error, warn: console.warn, info: console.info, log: console.log, debug: console.debug };
  const capture = (...args: unknown[]): void => {
    sink.push(args.map(String).join(' '));
  };
  console.error = capture;
  console.warn = capture;
  console.info = capture;
  console.log = capture;
  console.debug = capture;
  try {
    return fn();
  } finally {
    Object.assign(console, saved);
  }
}

/** The own (enumerable) properties of a library object, as unknown values. */
function props(o: object): Array<[string, unknown]> {
  return Object.entries(o as Record<string, unknown>);
}

/**
 * Walks a peer's object graph from its top-level box list. A value is taken as a box when `isBox` accepts it;
 * children are looked for in every array- or object-valued property (mp4box.js keeps them in `boxes`,
 * `entries` of stsd/dref, `references` of tref, and duplicates some in `traks`, `trafs`, `psshs`, `mvhd`…),
 * visiting `boxes` and `entries` first so a box gets its canonical path. Each object is listed once.
 */
function collect(
  top: unknown[],
  isBox: (v: unknown) => v is object,
  read: (b: object) => { type: string; offset: number; size: number; incomplete?: boolean },
  skip: ReadonlySet<string>,
): PeerBox[] {
  const out: PeerBox[] = [];
  const seen = new Set<object>();
  const pathOf = new Map<object, string>();
  const order = (k: string): number => (k === 'boxes' ? 0 : k === 'entries' ? 1 : 2);
  const visit = (list: unknown[], parentPath: string, depth: number): void => {
    const children: object[] = [];
    for (const v of list) {
      if (!isBox(v) || seen.has(v)) continue;
      seen.add(v);
      children.push(v);
      const { type, offset, size, incomplete } = read(v);
      const path = parentPath ? `${parentPath}/${type}` : type;
      out.push(incomplete ? { path, type, offset, size, depth, incomplete } : { path, type, offset, size, depth });
      pathOf.set(v, path);
    }
    for (const b of children) {
      const path = pathOf.get(b) ?? '';
      const nested = props(b)
        .filter(([k]) => !skip.has(k))
        .sort((x, y) => order(x[0]) - order(y[0]));
      for (const [, value] of nested) {
        if (Array.isArray(value)) visit(value, path, depth + 1);
        else if (isBox(value)) visit([value], path, depth + 1);
      }
    }
  };
  visit(top, '', 0);
  return out;
}

const FOURCC = /^[\x20-\x7e\xa9]{4}$|^uuid$/;

interface Mp4boxBoxLike {
  type: string;
  start: number;
  size: number;
  hdr_size: number;
}

function isMp4boxBox(v: unknown): v is Mp4boxBoxLike {
  if (typeof v !== 'object' || v === null) return false;
  const b = v as Partial<Mp4boxBoxLike>;
  return typeof b.type === 'string' && typeof b.start === 'number' && typeof b.size === 'number' && typeof b.hdr_size === 'number';
}

/** The boxes mp4box.js finds when given the whole file at once. */
export function mp4boxBoxes(data: Uint8Array): PeerResult {
  const messages: string[] = [];
  const result: PeerResult = { peer: 'mp4box', boxes: [], messages, incomplete: [] };
  const file = createFile();
  file.onError = (module: string, message: string) => messages.push(`${module}: ${message}`);
  try {
    quietly(messages, () => {
      const buffer = MP4BoxBuffer.fromArrayBuffer(ownBuffer(data), 0);
      file.appendBuffer(buffer);
      file.flush();
    });
  } catch (e) {
    result.thrown = e instanceof Error ? e.message : String(e);
  }
  result.boxes = collect(
    file.boxes,
    isMp4boxBox,
    (b) => {
      const m = b as Mp4boxBoxLike;
      return { type: m.type, offset: m.start, size: m.size };
    },
    new Set(['data', 'stream', 'parent']),
  );
  for (const b of result.boxes) if (!FOURCC.test(b.type)) messages.push(`odd box type '${b.type}' at ${b.offset}`);
  return result;
}

interface IsoboxerBoxLike {
  type: string;
  _offset: number;
  /** The 32-bit size field as read: 1 means `largesize` holds the size, 0 means "to the end of the file". */
  size: number;
  largesize?: number;
  /** The box's bytes (for size 0: from its start to the end of the file). */
  _raw?: DataView;
  _incomplete?: boolean;
}

/** The extent isoboxer gives a box: its `size` field, or the 64-bit `largesize`, or what a size of 0 spans. */
function isoboxerSize(b: IsoboxerBoxLike): number {
  if (b.size === 1 && typeof b.largesize === 'number') return b.largesize;
  if (b.size === 0 && b._raw) return b._raw.byteLength;
  return b.size;
}

interface IsoboxerFile {
  boxes?: unknown[];
  /** Set when a box extends past the end of the data. */
  _incomplete?: boolean;
  parse(): IsoboxerFile;
}

interface IsoboxerModule {
  createFile(): IsoboxerFile;
}

// codem-isoboxer is CommonJS without type declarations: load it through require and type only what we use.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const isoboxer = require('codem-isoboxer') as IsoboxerModule;

function isIsoboxerBox(v: unknown): v is IsoboxerBoxLike {
  if (typeof v !== 'object' || v === null) return false;
  const b = v as Partial<IsoboxerBoxLike>;
  return typeof b.type === 'string' && typeof b._offset === 'number' && typeof b.size === 'number';
}

/** The boxes codem-isoboxer finds (same as `parseBuffer(arrayBuffer).boxes`). */
export function isoboxerBoxes(data: Uint8Array): PeerResult {
  const messages: string[] = [];
  const result: PeerResult = { peer: 'isoboxer', boxes: [], messages, incomplete: [] };
  // parseBuffer(ab) is `new ISOFile(ab).parse()`; build the ISOFile ourselves so that the boxes parsed
  // before a throw stay reachable.
  const ISOFile = Object.getPrototypeOf(isoboxer.createFile()).constructor as new (buffer: ArrayBuffer) => IsoboxerFile;
  const file = new ISOFile(ownBuffer(data));
  try {
    quietly(messages, () => file.parse());
  } catch (e) {
    result.thrown = e instanceof Error ? e.message : String(e);
  }
  if (file._incomplete) messages.push('file marked incomplete (a box extends past the end of the data)');
  result.boxes = collect(
    file.boxes ?? [],
    isIsoboxerBox,
    (b) => {
      const m = b as IsoboxerBoxLike;
      const size = isoboxerSize(m);
      return m._incomplete ? { type: m.type, offset: m._offset, size, incomplete: true } : { type: m.type, offset: m._offset, size };
    },
    new Set(['_parent', '_root', '_raw', '_rawo', '_cursor']),
  );
  result.incomplete = result.boxes.filter((b) => b.incomplete).map((b) => b.path);
  return result;
}

/** Both peers, by name. */
export const PEERS: Record<PeerName, (data: Uint8Array) => PeerResult> = {
  mp4box: mp4boxBoxes,
  isoboxer: isoboxerBoxes,
};
