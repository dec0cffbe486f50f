/**
 * Movie fragment boxes (14496-12 §8.8): fragment defaults in `mvex`, the `moof`/`traf` tree, and the
 * random access index in `mfra`. Sample flags (trex, tfhd, trun) are the §8.8.3.1 32-bit bit fields, kept as numbers.
 */
import type { ByteReader } from '../../src/io/byte-reader.js';
import type { ByteWriter } from '../../src/io/byte-writer.js';
import { byVersion, custom, flagged, u32, u64 } from '../../src/io/field.js';
import { BoxwrightError } from '../../src/io/errors.js';
import { container, customBox, fullBox } from '../define.js';

const fitsU32 = (n: number): boolean => n >= 0 && n <= 0xffffffff;

/** §8.8.1 MovieExtendsBox. */
export const mvex = container('mvex');

/** §8.8.2 MovieExtendsHeaderBox. */
export const mehd = fullBox('mehd', {
  versions: [0, 1],
  version: (v) => (fitsU32(v.fragmentDuration) ? 0 : 1),
  fields: { fragmentDuration: byVersion(u32, u64) },
});

/** §8.8.3 TrackExtendsBox: per-track defaults for fragments. */
export const trex = fullBox('trex', {
  fields: {
    trackId: u32,
    defaultSampleDescriptionIndex: u32,
    defaultSampleDuration: u32,
    defaultSampleSize: u32,
    defaultSampleFlags: u32,
  },
});

/** §8.8.4 MovieFragmentBox. */
export const moof = container('moof');

/** §8.8.5 MovieFragmentHeaderBox. */
export const mfhd = fullBox('mfhd', { fields: { sequenceNumber: u32 } });

/** §8.8.6 TrackFragmentBox. */
export const traf = container('traf');

/** §8.8.7 TrackFragmentHeaderBox: each optional field's presence is its tf_flags bit. */
export const tfhd = fullBox('tfhd', {
  flags: { durationIsEmpty: 0x10000, defaultBaseIsMoof: 0x20000 },
  fields: {
    trackId: u32,
    baseDataOffset: flagged(0x1, u64),
    sampleDescriptionIndex: flagged(0x2, u32),
    defaultSampleDuration: flagged(0x8, u32),
    defaultSampleSize: flagged(0x10, u32),
    defaultSampleFlags: flagged(0x20, u32),
  },
});

/** §8.8.12 TrackFragmentBaseMediaDecodeTimeBox (ffmpeg always writes version 1; the version hint keeps it). */
export const tfdt = fullBox('tfdt', {
  versions: [0, 1],
  version: (v) => (fitsU32(v.baseMediaDecodeTime) ? 0 : 1),
  fields: { baseMediaDecodeTime: byVersion(u32, u64) },
});

// ---------------------------------------------------------------- trun

/** The per-sample columns of a `trun`, by tr_flags bit, in file order. */
const TRUN_COLUMNS = [
  ['sampleDuration', 0x100],
  ['sampleSize', 0x200],
  ['sampleFlags', 0x400],
  ['sampleCompositionTimeOffset', 0x800],
] as const;

/**
 * Value of a `trun` box, columnar: one array per per-sample field present (tr_flags derive from which are),
 * each `sampleCount` long; absent fields fall back to the tfhd/trex defaults. Writers pass typed arrays or
 * views of a sample table's columns, so a run of thousands of samples costs no object per sample.
 */
export interface Trun {
  /** Number of samples; every column present has this length. */
  sampleCount: number;
  /** Signed offset of the first sample's data (from the base data offset). */
  dataOffset?: number;
  /** Sample flags of the first sample, overriding the default (usually a sync sample first). */
  firstSampleFlags?: number;
  sampleDuration?: ArrayLike<number>;
  sampleSize?: ArrayLike<number>;
  /** §8.8.3.1 sample flags. */
  sampleFlags?: ArrayLike<number>;
  /** Signed in version 1 (a negative offset selects version 1 on write). */
  sampleCompositionTimeOffset?: ArrayLike<number>;
}

const TRUN_DATA_OFFSET = 0x1;
const TRUN_FIRST_SAMPLE_FLAGS = 0x4;
/**
 * A trun without per-sample fields stores only its sample count, so the count cannot be checked against
 * the bytes that remain. It is capped instead: at most 2^24 samples, and at most 16 per byte of the box,
 * so what a reader derives from it stays proportional to the input. Longer runs leave the trun opaque (BAD_VALUE).
 */
const TRUN_MAX_EMPTY_SAMPLES = 2 ** 24;
const TRUN_EMPTY_SAMPLES_PER_BYTE = 16;

/** tr_flags bits of the per-sample columns present. */
function trunColumnBits(v: Trun): number {
  let bits = 0;
  for (const [name, bit] of TRUN_COLUMNS) if (v[name] !== undefined) bits |= bit;
  return bits;
}

function trunFlags(v: Trun): number {
  return (v.dataOffset !== undefined ? TRUN_DATA_OFFSET : 0) | (v.firstSampleFlags !== undefined ? TRUN_FIRST_SAMPLE_FLAGS : 0) | trunColumnBits(v);
}

function popcount(x: number): number {
  let n = 0;
  for (let b = x; b; b &= b - 1) n++;
  return n;
}

function hasNegative(a: ArrayLike<number> | undefined): boolean {
  if (!a) return false;
  for (let i = 0; i < a.length; i++) if (a[i]! < 0) return true;
  return false;
}

function readTrun(r: ByteReader, version: number, flags: number): Trun {
  const boxSize = r.remaining + 12; // this body + FullBox header + box header
  const count = r.u32();
  // Keys in file order (the dump lists them in this order).
  const out: Trun = { sampleCount: count };
  if (flags & TRUN_DATA_OFFSET) out.dataOffset = r.i32();
  if (flags & TRUN_FIRST_SAMPLE_FLAGS) out.firstSampleFlags = r.u32();
  const rowSize = 4 * popcount(flags & 0xf00);
  if (rowSize > 0) r.require(count * rowSize, `${count} trun samples of ${rowSize} bytes`);
  else if (count > TRUN_MAX_EMPTY_SAMPLES || count > TRUN_EMPTY_SAMPLES_PER_BYTE * boxSize) {
    r.fail('BAD_VALUE', `${count} trun samples without per-sample fields exceed the cap of ${Math.min(TRUN_MAX_EMPTY_SAMPLES, TRUN_EMPTY_SAMPLES_PER_BYTE * boxSize)}`);
  }
  const duration = flags & 0x100 ? new Uint32Array(count) : undefined;
  const size = flags & 0x200 ? new Uint32Array(count) : undefined;
  const sampleFlags = flags & 0x400 ? new Uint32Array(count) : undefined;
  // Version 0 offsets are unsigned, version 1 signed.
  const cto = flags & 0x800 ? (version >= 1 ? new Int32Array(count) : new Uint32Array(count)) : undefined;
  for (let i = 0; i < count; i++) {
    if (duration) duration[i] = r.u32();
    if (size) size[i] = r.u32();
    if (sampleFlags) sampleFlags[i] = r.u32();
    if (cto) cto[i] = version >= 1 ? r.i32() : r.u32();
  }
  if (duration) out.sampleDuration = duration;
  if (size) out.sampleSize = size;
  if (sampleFlags) out.sampleFlags = sampleFlags;
  if (cto) out.sampleCompositionTimeOffset = cto;
  return out;
}

function writeTrun(w: ByteWriter, v: Trun, version: number): void {
  const n = v.sampleCount;
  w.u32(n);
  if (v.dataOffset !== undefined) w.i32(v.dataOffset);
  if (v.firstSampleFlags !== undefined) w.u32(v.firstSampleFlags);
  const { sampleDuration: d, sampleSize: s, sampleFlags: f, sampleCompositionTimeOffset: c } = v;
  const signed = version >= 1;
  for (let i = 0; i < n; i++) {
    if (d) w.u32(d[i]!);
    if (s) w.u32(s[i]!);
    if (f) w.u32(f[i]!);
    if (c) {
      if (signed) w.i32(c[i]!);
      else w.u32(c[i]!);
    }
  }
}

/** Every column present is `sampleCount` long (a writer's mistake otherwise: nothing sensible to write). */
function checkTrunColumns(v: Trun): void {
  for (const [name] of TRUN_COLUMNS) {
    const col = v[name];
    if (col !== undefined && col.length !== v.sampleCount) {
      throw new BoxwrightError('BAD_VALUE', `trun: ${name} has ${col.length} entries but sampleCount is ${v.sampleCount}`, 0, 'trun');
    }
  }
}

/**
 * §8.8.8 TrackRunBox. tr_flags are derived from the columns present; version 1 (signed composition
 * offsets) is derived when an offset is negative, and kept from the file otherwise.
 * Known non-canonical case: an empty run (0 samples) whose tr_flags announce per-sample fields keeps
 * empty columns, which derive the same bits.
 */
export const trun = customBox('trun', {
  full: true,
  versions: [0, 1],
  version: (v) => (hasNegative(v.sampleCompositionTimeOffset) ? 1 : 0),
  flags: trunFlags,
  knownFlags: TRUN_DATA_OFFSET | TRUN_FIRST_SAMPLE_FLAGS | 0xf00,
  body: custom<Trun>({
    minSize: 4,
    read: (r, c) => readTrun(r, c.version, c.flags),
    write: (w, v, c) => writeTrun(w, v, c.version),
    size: (v) => {
      checkTrunColumns(v);
      const optional = (v.dataOffset !== undefined ? 4 : 0) + (v.firstSampleFlags !== undefined ? 4 : 0);
      return 4 + optional + v.sampleCount * 4 * popcount(trunColumnBits(v));
    },
  }),
});

// ---------------------------------------------------------------- random access (mfra)

/** §8.8.9 MovieFragmentRandomAccessBox. */
export const mfra = container('mfra');

/** One random access point of a `tfra`. */
export interface TfraEntry {
  time: number;
  /** Offset of the `moof` holding the sample (32-bit in version 0, 64-bit in version 1). */
  moofOffset: number;
  /** 1-based numbers of the traf, trun and sample. */
  trafNumber: number;
  trunNumber: number;
  sampleNumber: number;
}

/**
 * Value of a `tfra` box. The number widths are layout choices: on write each is the smallest that holds
 * the entries, or the `lengthSizeOf…` hint when larger (spec semantics: bytes − 1, 0..3). A parse sets a
 * hint only when the file used a wider field than needed, so a canonical file's value carries none.
 */
export interface Tfra {
  trackId: number;
  lengthSizeOfTrafNum?: number;
  lengthSizeOfTrunNum?: number;
  lengthSizeOfSampleNum?: number;
  entries: TfraEntry[];
}

/** The variable-width numbers of a tfra entry, with their width field, in file order. */
const TFRA_NUMBERS = [
  ['trafNumber', 'lengthSizeOfTrafNum'],
  ['trunNumber', 'lengthSizeOfTrunNum'],
  ['sampleNumber', 'lengthSizeOfSampleNum'],
] as const;

/** Bytes − 1 needed for the largest `key` among the entries. */
function neededLengthSize(entries: readonly TfraEntry[], key: 'trafNumber' | 'trunNumber' | 'sampleNumber'): number {
  let max = 0;
  for (const e of entries) if (e[key] > max) max = e[key];
  return max < 0x100 ? 0 : max < 0x10000 ? 1 : max < 0x1000000 ? 2 : 3;
}

function tfraLengthSizes(v: Tfra): [number, number, number] {
  const size = (i: 0 | 1 | 2): number => {
    const [key, hint] = TFRA_NUMBERS[i];
    return Math.min(3, Math.max(neededLengthSize(v.entries, key), v[hint] ?? 0));
  };
  return [size(0), size(1), size(2)];
}

function readUint(r: ByteReader, bytes: number): number {
  let x = 0;
  for (let i = 0; i < bytes; i++) x = x * 256 + r.u8();
  return x;
}

function writeUint(w: ByteWriter, x: number, bytes: number): void {
  for (let i = bytes - 1; i >= 0; i--) w.u8(Math.floor(x / 2 ** (8 * i)) & 0xff);
}

/** §8.8.10 TrackFragmentRandomAccessBox. The 26 reserved bits are written as zero. */
export const tfra = customBox('tfra', {
  full: true,
  versions: [0, 1],
  version: (v) => (v.entries.every((e) => fitsU32(e.time) && fitsU32(e.moofOffset)) ? 0 : 1),
  body: custom<Tfra>({
    minSize: 12,
    read: (r, c) => {
      const trackId = r.u32();
      const packed = r.u32();
      // Reserved bits set: the value is still read; the re-encode check keeps the original bytes.
      const sizes = [(packed >>> 4) & 3, (packed >>> 2) & 3, packed & 3] as const;
      const count = r.u32();
      const rowSize = (c.version >= 1 ? 16 : 8) + sizes[0] + sizes[1] + sizes[2] + 3;
      r.require(count * rowSize, `${count} tfra entries of ${rowSize} bytes`);
      const entries = new Array<TfraEntry>(count);
      for (let i = 0; i < count; i++) {
        const time = c.version >= 1 ? r.u64() : r.u32();
        const moofOffset = c.version >= 1 ? r.u64() : r.u32();
        const trafNumber = readUint(r, sizes[0] + 1);
        const trunNumber = readUint(r, sizes[1] + 1);
        const sampleNumber = readUint(r, sizes[2] + 1);
        entries[i] = { time, moofOffset, trafNumber, trunNumber, sampleNumber };
      }
      const hints: Partial<Tfra> = {};
      TFRA_NUMBERS.forEach(([key, hint], i) => {
        if (sizes[i]! > neededLengthSize(entries, key)) hints[hint] = sizes[i]!;
      });
      return { trackId, ...hints, entries };
    },
    write: (w, v, c) => {
      const sizes = tfraLengthSizes(v);
      w.u32(v.trackId);
      w.u32((sizes[0] << 4) | (sizes[1] << 2) | sizes[2]);
      w.u32(v.entries.length);
      for (const e of v.entries) {
        if (c.version >= 1) {
          w.u64(e.time);
          w.u64(e.moofOffset);
        } else {
          w.u32(e.time);
          w.u32(e.moofOffset);
        }
        writeUint(w, e.trafNumber, sizes[0] + 1);
        writeUint(w, e.trunNumber, sizes[1] + 1);
        writeUint(w, e.sampleNumber, sizes[2] + 1);
      }
    },
    size: (v, c) => {
      const sizes = tfraLengthSizes(v);
      return 12 + v.entries.length * ((c.version >= 1 ? 16 : 8) + sizes[0] + sizes[1] + sizes[2] + 3);
    },
  }),
});

/** §8.8.11 MovieFragmentRandomAccessOffsetBox: `parentSize` is the size of the enclosing mfra (kept as given). */
export const mfro = fullBox('mfro', { fields: { parentSize: u32 } });
