/** Seeded mutations of media files: truncations, bad box sizes, inflated counts, byte flips. */
import { parseTree, type Box } from '../../boxes/tree.js';

/** Small deterministic PRNG (mulberry32). */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface Mutation {
  name: string;
  /** Builds the mutated bytes (lazily, so listing mutations costs no copies). */
  make: () => Uint8Array;
}

interface Span {
  offset: number;
  size: number;
  headerSize: number;
}

function spans(data: Uint8Array): Span[] {
  const out: Span[] = [];
  const visit = (boxes: Box[] | undefined): void => {
    for (const b of boxes ?? []) {
      if (b.offset !== undefined && b.size !== undefined) out.push({ offset: b.offset, size: b.size, headerSize: b.headerSize ?? 8 });
      visit(b.children);
    }
  };
  try {
    visit(parseTree(data).boxes);
  } catch {
    /* broken samples still get byte flips */
  }
  return out;
}

function withU32(data: Uint8Array, at: number, v: number): Uint8Array {
  const d = data.slice();
  if (at + 4 <= d.length) new DataView(d.buffer).setUint32(at, v >>> 0);
  return d;
}

/** Every mutation of one file, deterministic for a given seed. */
export function* mutations(data: Uint8Array, seed: number): Generator<Mutation> {
  const boxes = spans(data);
  const rnd = prng(seed);
  for (const b of boxes) {
    // Truncation at every box boundary (start, inside the header, after the header, end).
    for (const cut of [b.offset, b.offset + 4, b.offset + b.headerSize, b.offset + b.size - 1]) {
      if (cut > 0 && cut < data.length) yield { name: `truncate@${cut}`, make: () => data.subarray(0, cut) };
    }
    // Bad sizes.
    for (const size of [0, 1, 7, 0xffffffff, b.size + 1, b.size * 2 + 64]) {
      yield { name: `size=${size}@${b.offset}`, make: () => withU32(data, b.offset, size) };
    }
    // A 64-bit size claiming far more than the file.
    yield {
      name: `largesize@${b.offset}`,
      make: () => withU32(withU32(withU32(data, b.offset, 1), b.offset + 8, 0x7fffffff), b.offset + 12, 0xffffffff),
    };
    // Inflated counts: the first u32 words of the body are where entry counts usually live.
    for (const rel of [4, 8, 12, 16]) {
      const at = b.offset + b.headerSize + rel;
      if (at + 4 > b.offset + b.size) break;
      yield { name: `count=0xffffffff@${at}`, make: () => withU32(data, at, 0xffffffff) };
      yield { name: `count=0x10000000@${at}`, make: () => withU32(data, at, 0x10000000) };
    }
  }
  // Random byte flips, concentrated on the first 4 KiB where the metadata usually is.
  const flips = Math.max(40, boxes.length);
  for (let i = 0; i < flips; i++) {
    // Draw the positions now so the sequence does not depend on which mutations get built.
    const n = 1 + Math.floor(rnd() * 8);
    const span = rnd() < 0.7 ? Math.min(4096, data.length) : data.length;
    const edits = Array.from({ length: n }, () => [Math.floor(rnd() * span), Math.floor(rnd() * 256)] as const);
    yield {
      name: `flip#${i}`,
      make: () => {
        const d = data.slice();
        for (const [at, v] of edits) d[at] = v;
        return d;
      },
    };
  }
}
