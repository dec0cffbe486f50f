/**
 * Layer III Huffman decoding (ISO/IEC 11172-3 §2.4.2.7, Annex B Table B.7): big_values pairs with linbits and
 * count1 quadruples, into the 576 quantized lines of one granule, as ffmpeg's mp3 decoder reads them (a last
 * quadruple that overruns part2_3_length is dropped).
 */
import type { BitReader } from './bits.js';
import { LINBITS, PAIR_CODES, QUAD_A_CODES, QUAD_A_LENGTHS } from './huffman-tables.js';

/** A binary decoding tree: node n's children at [2n] / [2n+1]; a negative entry is leaf −(value+1). */
type Tree = Int32Array;

let pairTrees: Array<Tree | undefined> | undefined;
let quadTree: Tree | undefined;

function buildTree(codes: readonly number[], lengths: readonly number[], valueOf: (index: number) => number): Tree {
  let nodes = new Int32Array(64);
  let used = 1;
  for (let v = 0; v < codes.length; v++) {
    const len = lengths[v]!;
    if (len === 0) continue;
    let n = 0;
    for (let b = len - 1; b >= 0; b--) {
      const slot = 2 * n + ((codes[v]! >> b) & 1);
      if (b === 0) {
        nodes[slot] = -(valueOf(v) + 1);
        break;
      }
      if (nodes[slot] === 0) {
        if (2 * (used + 1) > nodes.length) {
          const grown = new Int32Array(nodes.length * 2);
          grown.set(nodes);
          nodes = grown;
        }
        nodes[slot] = used++;
      }
      n = nodes[slot]!;
    }
  }
  return nodes;
}

/** The decoding trees, built at first use. */
function trees(): { pairs: Array<Tree | undefined>; quad: Tree } {
  if (!pairTrees || !quadTree) {
    pairTrees = [];
    for (let t = 0; t < 32; t++) {
      const src = PAIR_CODES[t < 16 ? t : t < 24 ? 16 : 24];
      if (!src) {
        pairTrees.push(undefined);
        continue;
      }
      const size = src.size;
      // Leaves hold x·16 + y whatever the grid size.
      pairTrees.push(buildTree(src.codes, [...src.lengths].map((c) => parseInt(c, 36)), (k) => (Math.floor(k / size) << 4) | k % size));
    }
    quadTree = buildTree(QUAD_A_CODES, QUAD_A_LENGTHS, (k) => k);
  }
  return { pairs: pairTrees, quad: quadTree };
}

/** Decodes one symbol; a walk into a missing branch (no such code) yields 0. */
function decodeSymbol(r: BitReader, tree: Tree): number {
  let n = 0;
  for (let depth = 0; depth < 24; depth++) {
    const next = tree[2 * n + r.bit()]!;
    if (next < 0) return -next - 1;
    if (next === 0) return 0;
    n = next;
  }
  return 0;
}

/** What {@link decodeSpectrum} needs of a granule's side information. */
export interface HuffmanRegions {
  /** table_select of regions 0–2. */
  tables: readonly number[];
  /** End line (exclusive, even) of regions 0, 1 and 2 (the last is big_values · 2). */
  regionEnds: readonly number[];
  count1Table: number;
}

/**
 * Decodes the big_values and count1 regions of one granule from `r` (which stands at the first Huffman bit)
 * up to bit `end` (part2_3 end). Writes signed integer magnitudes into `out[0…576)` (zeros after the last
 * decoded line), leaves `r.pos` at `end`, and returns the count of lines decoded (rzero start).
 */
export function decodeSpectrum(r: BitReader, g: HuffmanRegions, end: number, out: Int32Array): number {
  const { pairs, quad } = trees();
  const stop = Math.min(end, r.end);
  let i = 0;
  for (let region = 0; region < 3; region++) {
    const regionEnd = g.regionEnds[region]!;
    const t = g.tables[region]!;
    const tree = pairs[t];
    if (!tree) {
      for (; i < regionEnd; i++) out[i] = 0;
      continue;
    }
    const linbits = LINBITS[t]!;
    while (i < regionEnd) {
      if (r.pos >= stop) {
        region = 3;
        break;
      }
      const v = decodeSymbol(r, tree);
      let x = v >> 4;
      let y = v & 15;
      if (x === 15 && linbits) x += r.read(linbits);
      if (x !== 0 && r.bit()) x = -x;
      if (y === 15 && linbits) y += r.read(linbits);
      if (y !== 0 && r.bit()) y = -y;
      out[i++] = x;
      out[i++] = y;
    }
  }
  let lastPos = -1;
  while (i <= 572) {
    const pos = r.pos;
    if (pos >= stop) {
      // An encoder miscounted part2_3_length: the last quadruple read past it and is dropped (as ffmpeg does).
      if (pos > end && lastPos >= 0) {
        i -= 4;
        r.pos = lastPos;
      }
      break;
    }
    lastPos = pos;
    const v = g.count1Table ? 15 - r.read(4) : decodeSymbol(r, quad);
    for (let k = 0; k < 4; k++) {
      const m = (v >> (3 - k)) & 1;
      out[i + k] = m && r.bit() ? -1 : m;
    }
    i += 4;
  }
  out.fill(0, i, 576);
  r.pos = end;
  return i;
}
