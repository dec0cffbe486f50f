/**
 * Huffman decoding by table lookup: a 2^PRIMARY entry table indexed by the next bits, with second-level
 * tables for longer codes (the spec's codebooks are at most 19 bits). One lookup per short code, two at most.
 */
import type { AacBits } from './bits.js';
import { SCALEFACTOR_CODEBOOK, SPECTRAL_CODEBOOKS } from './tables.js';

const PRIMARY = 9;
const SUB = 32;
const INVALID = 0;

/**
 * A lookup table: entry = symbol << 6 | len (len = code length, or bits still to read in a sub-table),
 * with bit 5 set for a pointer (symbol field = sub-table start). 0 (length 0) = no code.
 */
export type HuffmanTable = Int32Array;

/** Builds the lookup table of a prefix code given per symbol as (length, codeword). */
export function buildTable(bits: readonly number[], codes: readonly number[]): HuffmanTable {
  // Sub-table sizes: per primary prefix, the longest code that starts with it.
  const subBits = new Int32Array(1 << PRIMARY);
  for (let s = 0; s < bits.length; s++) {
    const len = bits[s]!;
    if (len > PRIMARY) {
      const prefix = codes[s]! >>> (len - PRIMARY);
      subBits[prefix] = Math.max(subBits[prefix]!, len - PRIMARY);
    }
  }
  let size = 1 << PRIMARY;
  const subStart = new Int32Array(1 << PRIMARY);
  for (let p = 0; p < 1 << PRIMARY; p++) {
    if (subBits[p]! > 0) {
      subStart[p] = size;
      size += 1 << subBits[p]!;
    }
  }
  const table = new Int32Array(size).fill(INVALID);
  for (let p = 0; p < 1 << PRIMARY; p++) if (subBits[p]! > 0) table[p] = (subStart[p]! << 6) | SUB | subBits[p]!;
  for (let s = 0; s < bits.length; s++) {
    const len = bits[s]!;
    const code = codes[s]!;
    if (len <= PRIMARY) {
      const first = code << (PRIMARY - len);
      for (let k = 0; k < 1 << (PRIMARY - len); k++) table[first + k] = (s << 6) | len;
    } else {
      const prefix = code >>> (len - PRIMARY);
      const rest = len - PRIMARY;
      const sb = subBits[prefix]!;
      const first = subStart[prefix]! + ((code & ((1 << rest) - 1)) << (sb - rest));
      for (let k = 0; k < 1 << (sb - rest); k++) table[first + k] = (s << 6) | rest;
    }
  }
  return table;
}

/** Decodes one symbol; throws on a bit pattern that is no code or reads past the payload. */
export function decodeSymbol(r: AacBits, table: HuffmanTable): number {
  let e = table[r.peek(PRIMARY)]!;
  if (e & SUB) {
    r.pos += PRIMARY;
    e = table[(e >>> 6) + r.peek(e & 31)]!;
  }
  if ((e & 31) === 0) throw r.error('invalid Huffman code');
  r.pos += e & 31;
  if (r.pos > r.end) r.overrun();
  return e >>> 6;
}

/** Lookup tables of spectral codebooks 1–11 (index 0 unused). */
export const SPECTRAL_TABLES: readonly HuffmanTable[] = [new Int32Array(0), ...SPECTRAL_CODEBOOKS.map((b) => buildTable(b.bits, b.codes))];

/** Lookup table of the scalefactor codebook (symbol − 60 = difference). */
export const SCALEFACTOR_TABLE: HuffmanTable = buildTable(SCALEFACTOR_CODEBOOK.bits, SCALEFACTOR_CODEBOOK.codes);
