/** Public box-level API: read, write, find and dump ISO-BMFF boxes. */
import { parseTree, writeTree, findBox as findIn, findBoxes as findAllIn, type Box, type BoxTree, type ParseOptions } from '../../boxes/tree.js';
import { dumpTree, treeToJson, type BoxJson } from '../../boxes/dump.js';

export type { Box, BoxTree, ParseOptions, BoxJson };

function requireBytes(data: unknown, fn: string): asserts data is Uint8Array {
  if (!(data instanceof Uint8Array)) throw new TypeError(`${fn}: data must be a Uint8Array (or Buffer), got ${data === null ? 'null' : typeof data}`);
}

function requireTree(tree: unknown, fn: string): asserts tree is BoxTree | Box[] {
  if (!Array.isArray(tree) && !(typeof tree === 'object' && tree !== null && Array.isArray((tree as BoxTree).boxes))) {
    throw new TypeError(`${fn}: expected a box tree ({ boxes }) or an array of boxes`);
  }
}

/**
 * Parses ISO-BMFF / QuickTime bytes into a box tree. Known boxes get typed `value`s; unknown boxes,
 * unsupported versions and trailing bytes are kept as views, so {@link writeBoxes} gives back the same bytes.
 * `mdat` payloads are views of `data`, never copies.
 * @throws BoxwrightError (`TRUNCATED`, `BAD_BOX_SIZE`, `TOO_DEEP`) when the box structure is broken.
 * @example
 * ```ts
 * import { readFileSync } from 'node:fs';
 * import { readBoxes, findBox } from 'boxwright';
 * const tree = readBoxes(readFileSync('movie.mp4'));
 * console.log(findBox(tree, 'moov/mvhd')?.value);
 * ```
 */
export function readBoxes(data: Uint8Array, options?: ParseOptions): BoxTree {
  requireBytes(data, 'readBoxes');
  return parseTree(data, options);
}

/**
 * Serializes a box tree (or a list of boxes) into one buffer, measured first and allocated once.
 * @example
 * ```ts
 * const tree = readBoxes(bytes);
 * const same = writeBoxes(tree); // byte-identical to `bytes`
 * ```
 */
export function writeBoxes(tree: BoxTree | Box[]): Uint8Array {
  requireTree(tree, 'writeBoxes');
  return writeTree(tree);
}

/**
 * The first box at `path` (`'moov/trak/mdia/mdhd'`, `'moov/trak[1]/tkhd'` for the second track), or undefined.
 * @example
 * ```ts
 * const mdhd = findBox(readBoxes(bytes), 'moov/trak[1]/mdia/mdhd'); // the second track's media header
 * ```
 */
export function findBox(tree: BoxTree | Box[], path: string): Box | undefined {
  requireTree(tree, 'findBox');
  if (typeof path !== 'string') throw new TypeError('findBox: path must be a string');
  return findIn(tree, path);
}

/**
 * Every box at `path` (see {@link findBox}).
 * @example
 * ```ts
 * const trackCount = findBoxes(readBoxes(bytes), 'moov/trak').length;
 * ```
 */
export function findBoxes(tree: BoxTree | Box[], path: string): Box[] {
  requireTree(tree, 'findBoxes');
  if (typeof path !== 'string') throw new TypeError('findBoxes: path must be a string');
  return findAllIn(tree, path);
}

/**
 * A human-readable dump of the tree: type, size, offset, version/flags and fields of every box.
 * @example
 * ```ts
 * console.log(dumpBoxes(readBoxes(bytes))); // ftyp 32 @0 … moov 1234 @32 …
 * ```
 */
export function dumpBoxes(tree: BoxTree | Box[]): string {
  requireTree(tree, 'dumpBoxes');
  return dumpTree(tree);
}

/**
 * A JSON-safe view of the tree (typed arrays as arrays, bytes as truncated hex).
 * @example
 * ```ts
 * const json = JSON.stringify(boxesToJson(readBoxes(bytes)), null, 2);
 * ```
 */
export function boxesToJson(tree: BoxTree | Box[]): BoxJson[] {
  requireTree(tree, 'boxesToJson');
  return treeToJson(tree);
}
