/**
 * Seeded mutations of media files: truncations, bad box sizes, inflated counts, byte flips — and, for the inputs
 * that are not ISO-BMFF, mutators that know their layout: MPEG-TS (sync bytes, PIDs, continuity counters,
 * PES lengths and headers, adaptation fields, PAT/PMT section bytes), ADTS / MP3 / AC-3 (sync words, frame header
 * fields, frame lengths) and WAV (RIFF and chunk sizes, fmt fields).
 */
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

// ---------------------------------------------------------------------------------------------------------------
// Format-aware mutators. Each draws its positions from `rnd` when listed, so a list is deterministic for a seed
// and building one costs no copies.

type Edit = (d: Uint8Array) => void;
const pick = <T>(rnd: () => number, xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
const int = (rnd: () => number, n: number): number => Math.floor(rnd() * n);
const interesting16 = [0, 1, 7, 0x7f, 0x80, 0xff, 0x100, 0x7fff, 0x8000, 0xfffe, 0xffff];
const interesting32 = [0, 1, 7, 8, 0x7fffffff, 0x80000000, 0xfffffffe, 0xffffffff];

function edited(data: Uint8Array, edit: Edit): () => Uint8Array {
  return () => {
    const d = data.slice();
    edit(d);
    return d;
  };
}

/** Packet starts of an MPEG-TS (188/192/204-byte packets; the sync byte's offset in each). */
function tsPackets(data: Uint8Array): { starts: number[]; stride: number } {
  for (const [stride, lead] of [[188, 0], [192, 4], [204, 0]] as const) {
    if (data.length >= lead + 2 * stride && data[lead] === 0x47 && data[lead + stride] === 0x47) {
      const starts: number[] = [];
      for (let p = lead; p + 4 <= data.length; p += stride) starts.push(p);
      return { starts, stride };
    }
  }
  return { starts: [], stride: 188 };
}

const pidOf = (d: Uint8Array, p: number): number => ((d[p + 1]! & 0x1f) << 8) | d[p + 2]!;

/** Offset of the payload of the packet at `p` (after any adaptation field), or -1. */
function payloadAt(d: Uint8Array, p: number): number {
  const afc = (d[p + 3]! >> 4) & 3;
  if (afc === 0 || afc === 2) return -1;
  const at = afc === 3 ? p + 5 + d[p + 4]! : p + 4;
  return at < p + 188 ? at : -1;
}

/** MPEG-TS mutations: sync bytes, PIDs, continuity counters, PUSI, adaptation fields, PES and PSI fields. */
export function* tsMutations(data: Uint8Array, rnd: () => number, count = 60): Generator<Mutation> {
  const { starts, stride } = tsPackets(data);
  if (starts.length === 0) return;
  // Packets worth aiming at: PSI (PID 0 and the PMT), PES starts, and any.
  const psi = starts.filter((p) => pidOf(data, p) === 0 || (data[p + 1]! & 0x40 && payloadAt(data, p) >= 0 && data[payloadAt(data, p) + 1] === 0x02));
  const pesStarts = starts.filter((p) => {
    const at = payloadAt(data, p);
    return (data[p + 1]! & 0x40) !== 0 && at >= 0 && data[at] === 0 && data[at + 1] === 0 && data[at + 2] === 1;
  });
  const kinds: Array<[string, (p: number) => Edit]> = [
    ['sync', (p) => (d) => void (d[p] = pick(rnd, [0x00, 0x46, 0x48, 0xff, 0x47 ^ (1 << int(rnd, 8))]))],
    ['pid', (p) => {
      const pid = pick(rnd, [0, 1, 0x10, 0x11, 0x100, 0x101, 0x1fff, int(rnd, 0x2000), pidOf(data, pick(rnd, starts))]);
      return (d) => {
        d[p + 1] = (d[p + 1]! & 0xe0) | (pid >> 8);
        d[p + 2] = pid & 0xff;
      };
    }],
    ['cc', (p) => {
      const cc = int(rnd, 16);
      return (d) => void (d[p + 3] = (d[p + 3]! & 0xf0) | cc);
    }],
    ['pusi', (p) => (d) => void (d[p + 1] = d[p + 1]! ^ 0x40)],
    ['tei', (p) => (d) => void (d[p + 1] = d[p + 1]! ^ 0x80)],
    ['afc', (p) => {
      const afc = int(rnd, 4);
      return (d) => void (d[p + 3] = (d[p + 3]! & 0xcf) | (afc << 4));
    }],
    ['af-length', (p) => {
      const len = pick(rnd, [0, 1, 182, 183, 184, 255, int(rnd, 256)]);
      return (d) => {
        d[p + 3] = d[p + 3]! | 0x20;
        d[p + 4] = len;
      };
    }],
    ['af-flags', (p) => {
      const flags = int(rnd, 256);
      return (d) => {
        if ((d[p + 3]! & 0x20) !== 0 && d[p + 4]! > 0) d[p + 5] = flags;
      };
    }],
    ['drop-packet', (p) => (d) => d.copyWithin(p, p + stride)],
    ['dup-packet', (p) => (d) => void (p + 2 * stride <= d.length && d.copyWithin(p + stride, p, p + stride))],
  ];
  const pesKinds: Array<[string, (p: number) => Edit]> = [
    ['pes-length', (p) => {
      const v = pick(rnd, interesting16);
      return (d) => {
        const at = payloadAt(d, p);
        if (at >= 0 && at + 6 <= d.length) (d[at + 4] = v >> 8), (d[at + 5] = v & 0xff);
      };
    }],
    ['pes-header-length', (p) => {
      const v = pick(rnd, [0, 1, 4, 5, 9, 10, 0xb0, 0xff]);
      return (d) => {
        const at = payloadAt(d, p);
        if (at >= 0 && at + 9 <= d.length) d[at + 8] = v;
      };
    }],
    ['pes-flags', (p) => {
      const v = int(rnd, 256);
      return (d) => {
        const at = payloadAt(d, p);
        if (at >= 0 && at + 8 <= d.length) d[at + 7] = v;
      };
    }],
    ['pes-timestamp', (p) => {
      const k = 9 + int(rnd, 10);
      const v = pick(rnd, [0, 0xff, int(rnd, 256)]);
      return (d) => {
        const at = payloadAt(d, p);
        if (at >= 0 && at + k < d.length) d[at + k] = v;
      };
    }],
    ['pes-stream-id', (p) => {
      const v = pick(rnd, [0xbd, 0xbe, 0xbf, 0xc0, 0xe0, 0xfd, int(rnd, 256)]);
      return (d) => {
        const at = payloadAt(d, p);
        if (at >= 0 && at + 4 <= d.length) d[at + 3] = v;
      };
    }],
  ];
  const psiKinds: Array<[string, (p: number) => Edit]> = [
    // Bytes of the section after the pointer field: table id, section length, program/PMT fields, stream types,
    // elementary PIDs and ES_info lengths all sit within its first ~40 bytes.
    ['psi-byte', (p) => {
      const k = int(rnd, 40);
      const v = pick(rnd, [0, 0xff, 0x0f, 0xf0, 0x1b, 0x0f, 0x24, 0x06, 0x03, int(rnd, 256)]);
      return (d) => {
        const at = payloadAt(d, p);
        if (at >= 0 && at + 1 + k < d.length) d[at + 1 + d[at]! + k] = v;
      };
    }],
    ['psi-pointer', (p) => {
      const v = pick(rnd, [0, 1, 183, 184, 255]);
      return (d) => {
        const at = payloadAt(d, p);
        if (at >= 0) d[at] = v;
      };
    }],
    ['section-length', (p) => {
      const v = pick(rnd, [0, 1, 5, 9, 13, 0x3fd, 0xfff, int(rnd, 0x1000)]);
      return (d) => {
        const at = payloadAt(d, p);
        if (at < 0) return;
        const s = at + 1 + d[at]!;
        if (s + 3 <= d.length) (d[s + 1] = (d[s + 1]! & 0xf0) | (v >> 8)), (d[s + 2] = v & 0xff);
      };
    }],
  ];
  for (let i = 0; i < count; i++) {
    const r = rnd();
    const [kind, make, pool] = r < 0.5 ? [...pick(rnd, kinds), starts] as const : r < 0.75 && pesStarts.length ? [...pick(rnd, pesKinds), pesStarts] as const : psi.length ? [...pick(rnd, psiKinds), psi] as const : [...pick(rnd, kinds), starts] as const;
    const p = pick(rnd, pool);
    yield { name: `ts:${kind}@${p}`, make: edited(data, make(p)) };
  }
  // Truncation inside a packet, and a packet shorter than the rest.
  const cut = pick(rnd, starts) + 1 + int(rnd, stride - 1);
  if (cut < data.length) yield { name: `ts:truncate@${cut}`, make: () => data.subarray(0, cut) };
}

type EsKind = 'adts' | 'mp3' | 'ac3';

/** Frame starts of an elementary stream (by its sync word), skipping a leading ID3 tag. */
function esFrames(data: Uint8Array, kind: EsKind, limit = 4096): number[] {
  const out: number[] = [];
  for (let p = 0; p + 4 < data.length && out.length < limit; p++) {
    const a = data[p]!;
    const b = data[p + 1]!;
    const hit = kind === 'adts' ? a === 0xff && (b & 0xf6) === 0xf0 : kind === 'mp3' ? a === 0xff && (b & 0xe0) === 0xe0 : a === 0x0b && b === 0x77;
    if (hit) out.push(p);
  }
  return out;
}

export function esKindOf(data: Uint8Array): EsKind | undefined {
  const f = esFrames(data.subarray(0, 8192), 'ac3', 1);
  let p = 0;
  while (p + 10 <= data.length && data[p] === 0x49 && data[p + 1] === 0x44 && data[p + 2] === 0x33) {
    p += 10 + (((data[p + 6]! & 0x7f) << 21) | ((data[p + 7]! & 0x7f) << 14) | ((data[p + 8]! & 0x7f) << 7) | (data[p + 9]! & 0x7f));
  }
  if (data[p] === 0xff && (data[p + 1]! & 0xf6) === 0xf0) return 'adts';
  if (data[p] === 0xff && (data[p + 1]! & 0xe0) === 0xe0) return 'mp3';
  if (data[p] === 0x0b && data[p + 1] === 0x77) return 'ac3';
  return f.length ? 'ac3' : undefined;
}

/** ADTS / MP3 / AC-3 mutations: sync words, header fields (bitrate, rate, layer, channels), frame lengths. */
export function* esMutations(data: Uint8Array, rnd: () => number, count = 60): Generator<Mutation> {
  const kind = esKindOf(data);
  if (!kind) return;
  const frames = esFrames(data, kind);
  if (frames.length === 0) return;
  const headerBytes = kind === 'adts' ? 7 : kind === 'mp3' ? 4 : 8;
  for (let i = 0; i < count; i++) {
    const p = pick(rnd, frames);
    const r = rnd();
    if (r < 0.15) {
      yield { name: `${kind}:sync@${p}`, make: edited(data, (d) => void (d[p + int(rnd, 2)] = int(rnd, 256))) };
    } else if (r < 0.35 && kind !== 'mp3') {
      // The frame length: ADTS 13 bits at bits 30..42; AC-3 frmsizecod (byte 4), E-AC-3 frmsiz (bytes 2..3).
      const v = pick(rnd, [0, 1, 6, 7, 8, 0x1fff, int(rnd, 0x2000)]);
      yield {
        name: `${kind}:frame-length=${v}@${p}`,
        make: edited(data, (d) => {
          if (p + headerBytes > d.length) return;
          if (kind === 'adts') {
            d[p + 3] = (d[p + 3]! & 0xfc) | ((v >> 11) & 3);
            d[p + 4] = (v >> 3) & 0xff;
            d[p + 5] = (d[p + 5]! & 0x1f) | ((v & 7) << 5);
          } else if (rnd() < 0.5) {
            d[p + 4] = (d[p + 4]! & 0xc0) | (v & 0x3f);
          } else {
            d[p + 2] = (d[p + 2]! & 0xf8) | ((v >> 8) & 7);
            d[p + 3] = v & 0xff;
          }
        }),
      };
    } else if (r < 0.8) {
      // One header byte: profile / sampling index / channels (ADTS), version / layer / bitrate / rate (MP3),
      // fscod / bsid / acmod (AC-3).
      const k = 1 + int(rnd, headerBytes - 1);
      const v = rnd() < 0.5 ? int(rnd, 256) : -1;
      yield {
        name: `${kind}:header[${k}]@${p}`,
        make: edited(data, (d) => {
          if (p + k < d.length) d[p + k] = v >= 0 ? v : d[p + k]! ^ (1 << int(rnd, 8));
        }),
      };
    } else if (r < 0.9) {
      // A frame removed or repeated (lengths no longer lead to the next sync word).
      const q = frames[frames.indexOf(p) + 1] ?? data.length;
      yield { name: `${kind}:drop-frame@${p}`, make: () => concat(data.subarray(0, p), data.subarray(q)) };
    } else {
      const cut = p + int(rnd, headerBytes + 2);
      yield { name: `${kind}:truncate@${cut}`, make: () => data.subarray(0, Math.min(cut, data.length)) };
    }
  }
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

/** WAV mutations: RIFF size, every chunk's size, fmt fields (format, channels, rates, block align, bits, cbSize). */
export function* wavMutations(data: Uint8Array, rnd: () => number, count = 40): Generator<Mutation> {
  const tag = String.fromCharCode(...data.subarray(0, 4));
  if ((tag !== 'RIFF' && tag !== 'RF64') || data.length < 12) return;
  const chunks: Array<{ at: number; id: string; size: number }> = [];
  const dv = new DataView(data.buffer, data.byteOffset, data.length);
  for (let p = 12; p + 8 <= data.length && chunks.length < 64; ) {
    const size = dv.getUint32(p + 4, true);
    chunks.push({ at: p, id: String.fromCharCode(...data.subarray(p, p + 4)), size });
    p += 8 + size + (size & 1);
  }
  const setU32 = (at: number, v: number): Edit => (d) => void (at + 4 <= d.length && new DataView(d.buffer, d.byteOffset, d.length).setUint32(at, v >>> 0, true));
  const setU16 = (at: number, v: number): Edit => (d) => void (at + 2 <= d.length && new DataView(d.buffer, d.byteOffset, d.length).setUint16(at, v & 0xffff, true));
  for (const v of interesting32) yield { name: `wav:riff-size=${v}`, make: edited(data, setU32(4, v)) };
  for (const c of chunks) {
    for (const v of [0, 1, 2, 15, 16, c.size - 1, c.size + 1, 0x7fffffff, 0xffffffff]) yield { name: `wav:${c.id}-size=${v}@${c.at}`, make: edited(data, setU32(c.at + 4, v)) };
  }
  const fmt = chunks.find((c) => c.id === 'fmt ');
  if (fmt) {
    // fmt: format (0), channels (2), sample rate (4), byte rate (8), block align (12), bits (14), cbSize (16),
    // then WAVE_FORMAT_EXTENSIBLE's valid bits (18), channel mask (20), sub-format GUID (24).
    const fields: Array<[number, 2 | 4]> = [[0, 2], [2, 2], [4, 4], [8, 4], [12, 2], [14, 2], [16, 2], [18, 2], [20, 4], [24, 2]];
    for (let i = 0; i < count; i++) {
      const [rel, w] = pick(rnd, fields);
      const at = fmt.at + 8 + rel;
      const v = w === 2 ? pick(rnd, [...interesting16, 3, 6, 7, 0xfffe, int(rnd, 0x10000)]) : pick(rnd, [...interesting32, 44100, 1, int(rnd, 2 ** 32)]);
      yield { name: `wav:fmt+${rel}=${v}`, make: edited(data, w === 2 ? setU16(at, v) : setU32(at, v)) };
    }
  }
  const cut = 12 + int(rnd, Math.max(1, Math.min(data.length, 200) - 12));
  yield { name: `wav:truncate@${cut}`, make: () => data.subarray(0, cut) };
}

/** Random byte flips and truncations anywhere (any format). */
export function* randomMutations(data: Uint8Array, rnd: () => number, count = 20): Generator<Mutation> {
  for (let i = 0; i < count; i++) {
    if (rnd() < 0.2) {
      const cut = int(rnd, data.length);
      yield { name: `truncate@${cut}`, make: () => data.subarray(0, cut) };
      continue;
    }
    const n = 1 + int(rnd, 8);
    const span = rnd() < 0.7 ? Math.min(4096, data.length) : data.length;
    const edits = Array.from({ length: n }, () => [int(rnd, span), int(rnd, 256)] as const);
    yield {
      name: `flip#${i}`,
      make: edited(data, (d) => {
        for (const [at, v] of edits) d[at] = v;
      }),
    };
  }
}

/** The format-aware mutations that apply to `data` (none for ISO-BMFF, which {@link mutations} covers). */
export function* formatMutations(data: Uint8Array, seed: number, count = 60): Generator<Mutation> {
  const rnd = prng(seed ^ 0x5bd1e995);
  yield* tsMutations(data, rnd, count);
  yield* wavMutations(data, rnd, count);
  if (tsPackets(data).starts.length === 0 && String.fromCharCode(...data.subarray(4, 8)) !== 'ftyp') yield* esMutations(data, rnd, count);
}

/**
 * One random mutant of `data` for a long run: one to three mutations drawn from every applicable kind
 * (box-aware, format-aware, flips, truncations), each applied to the previous one's output.
 */
export function randomMutant(data: Uint8Array, rnd: () => number, structured: readonly Mutation[]): { name: string; data: Uint8Array } {
  const steps = 1 + (rnd() < 0.3 ? 1 + int(rnd, 2) : 0);
  let d = data;
  const names: string[] = [];
  for (let s = 0; s < steps; s++) {
    const seed = Math.floor(rnd() * 2 ** 31);
    const r = rnd();
    let m: Mutation | undefined;
    if (r < 0.5 && structured.length) {
      // The structured list was made for the original; positions still apply to a same-length mutant.
      const base = structured[int(rnd, structured.length)]!;
      m = d === data ? base : undefined;
      if (!m) m = first(formatMutations(d, seed, 1)) ?? first(randomMutations(d, prng(seed), 1));
    } else if (r < 0.8) {
      m = first(formatMutations(d, seed, 1)) ?? first(randomMutations(d, prng(seed), 1));
    } else {
      m = first(randomMutations(d, prng(seed), 1));
    }
    if (!m) break;
    d = m.make();
    names.push(m.name);
    if (d.length === 0) break;
  }
  return { name: names.join(' + '), data: d };
}

function first<T>(g: Generator<T>): T | undefined {
  for (const x of g) return x;
  return undefined;
}
