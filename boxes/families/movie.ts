/** Movie structure boxes: moov, tracks, media headers, handlers, data references, user data (14496-12 §8.2–§8.10). */
import {
  array, byVersion, childCount, cstring, custom, fixed8_8, fixed16_16, fourcc, i16, i32, i64, ifRemaining, list, listToEnd,
  reserved, u16, u32, u64, ufixed16_16, when, withDefault, bytes, struct, type Field,
} from '../../src/io/field.js';
import { box, container, fullBox, type BoxDef } from '../define.js';

const fitsU32 = (n: number): boolean => n >= 0 && n <= 0xffffffff;
const fitsI32 = (n: number): boolean => n >= -0x80000000 && n <= 0x7fffffff;

/** Transformation matrix as the nine raw 32-bit values (a b u c d v x y w; u/v/w are 2.30, the rest 16.16). */
const matrix = array(9, i32);

export const moov = container('moov');

/** §8.2.2 MovieHeaderBox. */
export const mvhd = fullBox('mvhd', {
  versions: [0, 1],
  version: (v) => (fitsU32(v.creationTime) && fitsU32(v.modificationTime) && fitsU32(v.duration) ? 0 : 1),
  fields: {
    creationTime: byVersion(u32, u64),
    modificationTime: byVersion(u32, u64),
    timescale: u32,
    duration: byVersion(u32, u64),
    rate: fixed16_16,
    volume: fixed8_8,
    _reserved: reserved(bytes(10), new Uint8Array(10)),
    matrix,
    // QuickTime keeps preview/poster/selection/current times here; ISO requires zeros.
    _preDefined: reserved(bytes(24), new Uint8Array(24)),
    nextTrackId: u32,
  },
});

export const trak = container('trak');

/** §8.3.2 TrackHeaderBox. */
export const tkhd = fullBox('tkhd', {
  versions: [0, 1],
  version: (v) => (fitsU32(v.creationTime) && fitsU32(v.modificationTime) && fitsU32(v.duration) ? 0 : 1),
  flags: { enabled: 0x1, inMovie: 0x2, inPreview: 0x4, sizeIsAspectRatio: 0x8 },
  fields: {
    creationTime: byVersion(u32, u64),
    modificationTime: byVersion(u32, u64),
    trackId: u32,
    _reserved1: reserved(u32, 0),
    duration: byVersion(u32, u64),
    _reserved2: reserved(bytes(8), new Uint8Array(8)),
    layer: i16,
    alternateGroup: i16,
    volume: fixed8_8,
    _reserved3: reserved(u16, 0),
    matrix,
    width: ufixed16_16,
    height: ufixed16_16,
  },
});

/** One track-reference type box inside `tref` (its type is the reference type: hint, cdsc, chap, …). */
const trackReference: BoxDef<{ trackIds: number[] }> = box('tref-entry', { fields: { trackIds: listToEnd(u32) } });

/** §8.3.3 TrackReferenceBox: every child is a reference-type box listing track IDs. */
export const tref = container('tref', { resolveChild: () => trackReference });

export const edts = container('edts');

/** §8.6.6 EditListBox. mediaTime −1 is an empty edit. */
export const elst = fullBox('elst', {
  versions: [0, 1],
  version: (v) => (v.entries.every((e) => fitsU32(e.segmentDuration) && fitsI32(e.mediaTime)) ? 0 : 1),
  fields: {
    entries: list(
      u32,
      struct({
        segmentDuration: byVersion(u32, u64),
        mediaTime: byVersion(i32, i64),
        mediaRateInteger: i16,
        mediaRateFraction: i16,
      }),
      'edit list entries',
    ),
  },
});

export const mdia = container('mdia');

/**
 * ISO 639-2/T language packed in 15 bits (§8.4.2.3), or a QuickTime Macintosh language code
 * (values below 0x400, and 0x7fff for unspecified) kept as a number.
 */
const language: Field<string | number> = custom({
  minSize: 2,
  read: (r) => {
    const v = r.u16();
    if (v < 0x400 || v === 0x7fff || v & 0x8000) return v;
    return String.fromCharCode(((v >> 10) & 31) + 0x60, ((v >> 5) & 31) + 0x60, (v & 31) + 0x60);
  },
  write: (w, v) => {
    if (typeof v === 'number') return w.u16(v);
    const c = (i: number): number => ((v.charCodeAt(i) || 0x60) - 0x60) & 31;
    w.u16((c(0) << 10) | (c(1) << 5) | c(2));
  },
  size: () => 2,
});

/** §8.4.2 MediaHeaderBox. */
export const mdhd = fullBox('mdhd', {
  versions: [0, 1],
  version: (v) => (fitsU32(v.creationTime) && fitsU32(v.modificationTime) && fitsU32(v.duration) ? 0 : 1),
  fields: {
    creationTime: byVersion(u32, u64),
    modificationTime: byVersion(u32, u64),
    timescale: u32,
    duration: byVersion(u32, u64),
    language,
    /** QuickTime media quality; 0 in ISO files. */
    quality: withDefault(u16, 0),
  },
});

const NO_FOURCC = '\0\0\0\0';

/**
 * Handler name: ISO writes a NUL-terminated string; QuickTime a Pascal string (length byte first, no NUL).
 * The form is kept in the value (`pascalName`) because it decides the bytes.
 */
const handlerName: Field<{ name: string; pascal: boolean }> = custom({
  minSize: 0,
  read: (r) => {
    const n = r.remaining;
    const first = n > 0 ? r.data[r.pos]! : -1;
    const last = n > 0 ? r.data[r.end - 1]! : 0;
    if (n > 0 && first === n - 1 && last !== 0) {
      r.u8();
      return { name: r.utf8(first), pascal: true };
    }
    return { name: cstring.read(r, { version: 0, flags: 0, parent: {} }), pascal: false };
  },
  write: (w, v) => {
    const b = new TextEncoder().encode(v.name);
    if (v.pascal) {
      w.u8(b.length);
      w.bytes(b);
    } else {
      w.bytes(b);
      w.u8(0);
    }
  },
  size: (v) => new TextEncoder().encode(v.name).length + 1,
});

/** §8.4.3 HandlerBox (QuickTime: component type/manufacturer/flags in the reserved slots). */
export const hdlr = fullBox('hdlr', {
  fields: {
    /** QuickTime component type ('mhlr', 'dhlr'); zero in ISO files. */
    componentType: withDefault(fourcc, NO_FOURCC),
    handlerType: fourcc,
    manufacturer: withDefault(fourcc, NO_FOURCC),
    componentFlags: withDefault(u32, 0),
    componentFlagsMask: withDefault(u32, 0),
    /** Absent in some files (no bytes at all after the reserved fields). */
    name: when((_c, r) => r.remaining > 0, custom<string>({
      minSize: 0,
      read: (r, c) => {
        const v = handlerName.read(r, c);
        // Remember the Pascal form on the struct being read, so the same bytes are written back.
        if (v.pascal) (c.parent as Record<string, unknown>).pascalName = true;
        return v.name;
      },
      write: (w, v, c) => handlerName.write(w, { name: v, pascal: c.parent.pascalName === true }, c),
      size: (v, c) => handlerName.size({ name: v, pascal: c.parent.pascalName === true }, c),
    })),
    /** The name is a QuickTime Pascal string. */
    pascalName: { minSize: 0, optional: true, read: () => undefined, write: () => undefined, size: () => 0 } as Field<true | undefined> & { optional: true },
  },
});

export const minf = container('minf');

/** §12.1.2 VideoMediaHeaderBox (flags must be 1). */
export const vmhd = fullBox('vmhd', { fixedFlags: 1, fields: { graphicsMode: u16, opcolor: array(3, u16) } });
/** §12.2.2 SoundMediaHeaderBox. */
export const smhd = fullBox('smhd', { fields: { balance: fixed8_8, _reserved: reserved(u16, 0) } });
/** §12.6.2 SubtitleMediaHeaderBox. */
export const sthd = fullBox('sthd', { fields: {} });
/** §8.4.5.2 NullMediaHeaderBox. */
export const nmhd = fullBox('nmhd', { fields: {} });
/** §12.4.2 HintMediaHeaderBox. */
export const hmhd = fullBox('hmhd', { fields: { maxPduSize: u16, avgPduSize: u16, maxBitrate: u32, avgBitrate: u32, _reserved: reserved(u32, 0) } });
/** QuickTime base media information header (text, timecode tracks). */
export const gmhd = container('gmhd');

export const dinf = container('dinf');
/** §8.7.2 DataReferenceBox: entry count = number of children. */
export const dref = fullBox('dref', { fields: { entryCount: childCount(u32) }, children: true });
/** §8.7.2 DataEntryUrlBox; flag 1 = media in the same file (no location). */
export const url = fullBox('url ', { flags: { selfContained: 0x1 }, fields: { location: ifRemaining(cstring) } });
/** §8.7.2 DataEntryUrnBox. */
export const urn = fullBox('urn ', { flags: { selfContained: 0x1 }, fields: { name: cstring, location: ifRemaining(cstring) } });

/** §8.10.1 UserDataBox (QuickTime may end it with a 32-bit zero, kept as trailing bytes). */
export const udta = container('udta');
