/** Box vectors: one row pins value ⇄ bytes ⇄ dump for a box. */
import { parseTree, writeTree, type Box } from '../../boxes/tree.js';
import { dumpTree } from '../../boxes/dump.js';

export interface BoxVector {
  /** Short name of the case (defaults to the box type). */
  name?: string;
  /** The box as a caller would build it: type, value, children. No sizes, counts, versions or flag bits. */
  box: Box;
  /** Expected bytes as hex; spaces are ignored. */
  hex: string;
  /** Lines the dump must contain (each trimmed line must appear, in order). */
  dump?: string[];
  /** Parent box type and handler, for boxes only found inside another (sample entries live in stsd). */
  within?: string;
  handler?: string;
  /** When the input carries a version hint that the parse will restore (e.g. version 1 with small values). */
  version?: number;
}

export function hexToBytes(hex: string): Uint8Array {
  const clean = hex.replace(/[^0-9a-fA-F]/g, '');
  const out = new Uint8Array(clean.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(clean.slice(i * 2, i * 2 + 2), 16);
  return out;
}

export function bytesToHex(b: Uint8Array): string {
  return Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
}

/** Plain-data copy for deep equality (typed arrays → arrays). */
export function plain(v: unknown): unknown {
  if (ArrayBuffer.isView(v) && !(v instanceof DataView)) return Array.from(v as unknown as ArrayLike<number>);
  if (Array.isArray(v)) return v.map(plain);
  if (v !== null && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) if (x !== undefined) out[k] = plain(x);
    return out;
  }
  return v;
}

function strip(b: Box): unknown {
  const out: Record<string, unknown> = { type: b.type };
  if (b.value !== undefined) out.value = plain(b.value);
  if (b.children) out.children = b.children.map(strip);
  return out;
}

/** Asserts: value → bytes equals hex; bytes → value equals the value (canonical, not opaque); bytes → bytes identical; dump lines present. */
export function expectVector(v: BoxVector): void {
  const opts = { ...(v.within ? { within: v.within } : {}), ...(v.handler ? { handler: v.handler } : {}) };
  const box: Box = v.version === undefined ? v.box : { ...v.box, version: v.version };
  const written = writeTree([box], opts);
  expect(bytesToHex(written)).toBe(bytesToHex(hexToBytes(v.hex)));
  const parsed = parseTree(hexToBytes(v.hex), { ...opts, strict: true });
  expect(parsed.boxes).toHaveLength(1);
  const got = parsed.boxes[0]!;
  expect(got.raw).toBeUndefined();
  expect(strip(got)).toEqual(strip(v.box));
  expect(bytesToHex(writeTree(parsed, opts))).toBe(bytesToHex(hexToBytes(v.hex)));
  if (v.dump) {
    const lines = dumpTree(parsed).split('\n').map((l) => l.trim());
    let at = 0;
    for (const want of v.dump) {
      const i = lines.indexOf(want.trim(), at);
      expect({ missing: want, dump: lines }).toEqual({ missing: want, dump: i >= 0 ? lines : ['<not found>'] });
      at = i + 1;
    }
  }
}

/** Hex of a box: 32-bit size + type + payload (the size is simple arithmetic; the payload is written by hand). */
export function boxHex(type: string, payloadHex: string): string {
  const payload = payloadHex.replace(/[^0-9a-fA-F]/g, '');
  const size = 8 + payload.length / 2;
  const t = Array.from(type, (c) => (c.charCodeAt(0) & 0xff).toString(16).padStart(2, '0')).join('');
  return size.toString(16).padStart(8, '0') + t + payload;
}
