/** Sample table boxes (14496-12 §8.5–§8.7, §8.9). Large tables are typed-array columns, never one object per row. */
import {
  byVersion, checkShape, childCount, columns, custom, fourcc, i32, i64, list, rest, sinceVersion, struct, u8, u16, u32, type Field,
} from '../../src/io/field.js';
import { container, customBox, fullBox } from '../define.js';
import { sampleEntryFor } from './sample-entry.js';

export const stbl = container('stbl');

/** §8.5.2 SampleDescriptionBox: the children are sample entries, whose layout depends on the handler. */
export const stsd = fullBox('stsd', {
  fields: { entryCount: childCount(u32) },
  children: true,
  resolveChild: (type, ctx) => sampleEntryFor(type, ctx.handler) ?? null,
});

/** §8.6.1.2 TimeToSampleBox. */
export const stts = fullBox('stts', { fields: { entries: columns(u32, () => ({ sampleCount: 'u32', sampleDelta: 'u32' }) as const, 'stts entries') }, exact: true });

/** §8.6.1.3 CompositionOffsetBox; version 1 offsets are signed. */
export const ctts = fullBox('ctts', {
  versions: [0, 1],
  version: (v) => (v.entries.sampleOffset.some((x) => x < 0) ? 1 : 0),
  fields: {
    // Version 0 offsets are unsigned on the wire; values ≥ 2^31 do not occur in practice, so both read as i32.
    entries: columns(u32, () => ({ sampleCount: 'u32', sampleOffset: 'i32' }) as const, 'ctts entries'),
  },
  exact: true,
});

/** §8.6.1.4 CompositionToDecodeBox. */
export const cslg = fullBox('cslg', {
  versions: [0, 1],
  version: (v) => (Object.values(v).every((x) => typeof x !== 'number' || (x >= -0x80000000 && x <= 0x7fffffff)) ? 0 : 1),
  fields: {
    compositionToDtsShift: byVersion(i32, i64),
    leastDecodeToDisplayDelta: byVersion(i32, i64),
    greatestDecodeToDisplayDelta: byVersion(i32, i64),
    compositionStartTime: byVersion(i32, i64),
    compositionEndTime: byVersion(i32, i64),
  },
});

/** §8.6.2 SyncSampleBox (absent = every sample is sync). */
export const stss = fullBox('stss', { fields: { sampleNumbers: custom(numbers('stss entries')) }, exact: true });
/** QuickTime partial sync samples (same layout as stss). */
export const stps = fullBox('stps', { fields: { sampleNumbers: custom(numbers('stps entries')) }, exact: true });

/** A u32 count then that many u32 values, as a Uint32Array. */
function numbers(what: string): Field<Uint32Array> {
  const col = columns(u32, () => ({ n: 'u32' }) as const, what);
  return {
    minSize: 4,
    read: (r, c) => col.read(r, c).n,
    write: (w, v, c) => col.write(w, { n: v }, c),
    size: (v, c) => col.size({ n: v }, c),
  };
}

/** §8.6.4 SampleDependencyTypeBox: one byte per sample (count comes from stsz, so the bytes run to the end). */
export const sdtp = fullBox('sdtp', { fields: { sampleFlags: rest } });

/** §8.7.4 SampleToChunkBox. */
export const stsc = fullBox('stsc', {
  fields: { entries: columns(u32, () => ({ firstChunk: 'u32', samplesPerChunk: 'u32', sampleDescriptionIndex: 'u32' }) as const, 'stsc entries') },
  exact: true,
});

/** Sample sizes: one size for all samples, or one per sample. */
export type SampleSizes = { sampleSize: number; sampleCount: number } | { entrySizes: Uint32Array };

/** §8.7.3.2 SampleSizeBox. */
export const stsz = customBox('stsz', {
  full: true,
  exact: true,
  body: custom<SampleSizes>({
    minSize: 8,
    check: (v, where) => {
      if (typeof v === 'object' && v !== null && 'entrySizes' in v) checkShape(v, STSZ_PER_SAMPLE, where);
      else checkShape(v, STSZ_CONSTANT, where);
    },
    read: (r) => {
      const sampleSize = r.u32();
      const count = r.u32();
      if (sampleSize !== 0) return { sampleSize, sampleCount: count };
      r.require(count * 4, `${count} stsz entries`);
      const entrySizes = new Uint32Array(count);
      // One tight loop (a sample table has up to millions of rows); `require` checked the bytes are there.
      const view = r.view;
      let p = r.pos;
      for (let i = 0; i < count; i++, p += 4) entrySizes[i] = view.getUint32(p);
      r.pos = p;
      return { entrySizes };
    },
    write: (w, v) => {
      if ('entrySizes' in v) {
        const sizes = v.entrySizes;
        w.u32(0);
        w.u32(sizes.length);
        const view = w.view;
        let p = w.reserve(sizes.length * 4);
        for (let i = 0; i < sizes.length; i++, p += 4) view.setUint32(p, sizes[i]! >>> 0);
      } else {
        w.u32(v.sampleSize);
        w.u32(v.sampleCount);
      }
    },
    size: (v) => 8 + ('entrySizes' in v ? v.entrySizes.length * 4 : 0),
  }),
});
const STSZ_PER_SAMPLE = { required: ['entrySizes'], allowed: new Set(['entrySizes']) };
const STSZ_CONSTANT = { required: ['sampleSize', 'sampleCount'], allowed: new Set(['sampleSize', 'sampleCount']) };

/** §8.7.3.3 CompactSampleSizeBox: 4, 8 or 16-bit sizes (the smallest that fits is chosen on write). */
export const stz2 = customBox('stz2', {
  full: true,
  body: {
    minSize: 8,
    read: (r) => {
      r.u24();
      const fieldSize = r.u8();
      const count = r.u32();
      if (fieldSize !== 4 && fieldSize !== 8 && fieldSize !== 16) r.fail('BAD_VALUE', `stz2 field size ${fieldSize} is not 4, 8 or 16`);
      r.require(Math.ceil((count * fieldSize) / 8), `${count} stz2 entries`);
      const entrySizes = new Uint32Array(count);
      for (let i = 0; i < count; i++) {
        if (fieldSize === 16) entrySizes[i] = r.u16();
        else if (fieldSize === 8) entrySizes[i] = r.u8();
        else {
          const b = r.data[r.pos]!;
          entrySizes[i] = i & 1 ? b & 15 : b >> 4;
          if (i & 1 || i === count - 1) r.pos++;
        }
      }
      return { entrySizes, fieldSize };
    },
    write: (w, v) => {
      const f = stz2FieldSize(v);
      w.u24(0);
      w.u8(f);
      w.u32(v.entrySizes.length);
      const n = v.entrySizes.length;
      for (let i = 0; i < n; i++) {
        const s = v.entrySizes[i]!;
        if (f === 16) w.u16(s);
        else if (f === 8) w.u8(s);
        else if (i & 1) continue;
        else w.u8((s << 4) | (i + 1 < n ? v.entrySizes[i + 1]! & 15 : 0));
      }
    },
    size: (v) => 8 + Math.ceil((v.entrySizes.length * stz2FieldSize(v)) / 8),
  },
});

function stz2FieldSize(v: { entrySizes: Uint32Array; fieldSize?: number }): number {
  let max = 0;
  for (const s of v.entrySizes) if (s > max) max = s;
  const need = max < 16 ? 4 : max < 256 ? 8 : 16;
  return Math.max(need, v.fieldSize ?? 0);
}

/** §8.7.5 ChunkOffsetBox (32-bit). */
export const stco = fullBox('stco', { fields: { chunkOffsets: custom(numbers('stco entries')) }, exact: true });

/** §8.7.5 ChunkLargeOffsetBox (64-bit). */
export const co64 = fullBox('co64', {
  fields: {
    chunkOffsets: custom<Float64Array>({
      minSize: 4,
      read: (r, c) => columns(u32, () => ({ o: 'u64' }) as const, 'co64 entries').read(r, c).o,
      write: (w, v, c) => columns(u32, () => ({ o: 'u64' }) as const).write(w, { o: v }, c),
      size: (v) => 4 + v.length * 8,
    }),
  },
  exact: true,
});

/** §8.9.3 SampleGroupDescriptionBox. Entries are kept as bytes (their layout depends on the grouping type). */
export const sgpd = fullBox('sgpd', {
  versions: [0, 1, 2],
  version: (v) => (v.defaultSampleDescriptionIndex !== undefined ? 2 : v.defaultLength !== undefined ? 1 : 0),
  fields: {
    groupingType: fourcc,
    /** v1: 0 means every entry is preceded by its own length. */
    defaultLength: sinceVersion(1, u32),
    defaultSampleDescriptionIndex: sinceVersion(2, u32),
    entries: custom<Uint8Array[]>({
      minSize: 4,
      read: (r, c) => {
        const count = r.u32();
        const fixed = (c.parent.defaultLength as number | undefined) ?? 0;
        if (c.version === 0) {
          // Version 0 does not give entry sizes; keep all entries as one block.
          return count === 0 ? [] : [r.rest()];
        }
        r.require(count * (fixed === 0 ? 4 : fixed), `${count} sgpd entries`);
        const out: Uint8Array[] = [];
        for (let i = 0; i < count; i++) out.push(r.bytes(fixed === 0 ? r.u32() : fixed, 'sgpd entry'));
        return out;
      },
      write: (w, v, c) => {
        const fixed = (c.parent.defaultLength as number | undefined) ?? 0;
        w.u32(v.length);
        for (const e of v) {
          if (c.version >= 1 && fixed === 0) w.u32(e.length);
          w.bytes(e);
        }
      },
      size: (v, c) => {
        const fixed = (c.parent.defaultLength as number | undefined) ?? 0;
        return 4 + v.reduce((a, e) => a + e.length + (c.version >= 1 && fixed === 0 ? 4 : 0), 0);
      },
    }),
  },
});

/** §8.9.2 SampleToGroupBox. */
export const sbgp = fullBox('sbgp', {
  versions: [0, 1],
  version: (v) => (v.groupingTypeParameter !== undefined ? 1 : 0),
  fields: {
    groupingType: fourcc,
    groupingTypeParameter: sinceVersion(1, u32),
    entries: columns(u32, () => ({ sampleCount: 'u32', groupDescriptionIndex: 'u32' }) as const, 'sbgp entries'),
  },
});

/** §8.7.7 SubSampleInformationBox. */
export const subs = fullBox('subs', {
  versions: [0, 1],
  version: (v) => (v.entries.some((e) => e.subsamples.some((s) => s.size > 0xffff)) ? 1 : 0),
  fields: {
    entries: list(
      u32,
      struct({
        sampleDelta: u32,
        subsamples: list(
          u16,
          struct({ size: byVersion(u16, u32), priority: u8, discardable: u8, codecSpecificParameters: u32 }),
          'subsamples',
        ),
      }),
      'subs entries',
    ),
  },
});
