/** The byte arrays one after another, in one new buffer. */
export function concatBytes(parts: readonly Uint8Array[]): Uint8Array {
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Uint8Array(n);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/** True when `a` holds exactly the bytes of `b` (false when `a` is absent). */
export function bytesEqual(a: Uint8Array | undefined, b: Uint8Array): boolean {
  if (!a || a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Finds `needle` in `hay` from `from` on: its offset, or -1. */
export type ByteSearch = (hay: Uint8Array, needle: Uint8Array, from: number) => number;

/**
 * The host's native byte-string search when it has one (Node's, Bun's and Deno's Buffer#indexOf,
 * several times faster than a loop in JavaScript on long inputs), else undefined. It is only taken
 * when it finds what it should on a probe, so a polyfilled Buffer in a browser bundle is never used.
 */
export const hostByteSearch: ByteSearch | undefined = (() => {
  const host = globalThis as { Buffer?: { prototype?: { indexOf?: unknown } }; process?: { versions?: Record<string, unknown> } };
  const indexOf = host.Buffer?.prototype?.indexOf;
  if (typeof indexOf !== 'function' || typeof host.process?.versions?.node !== 'string') return undefined;
  const search: ByteSearch = (hay, needle, from) => indexOf.call(hay, needle, from) as number;
  try {
    const probe = new Uint8Array([0, 0, 0, 1, 7, 0, 0, 1]);
    const needle = new Uint8Array([0, 0, 1]);
    if (search(probe, needle, 0) !== 1 || search(probe, needle, 2) !== 5 || search(probe, needle, 6) !== -1) return undefined;
  } catch {
    return undefined;
  }
  return search;
})();
