/** File-level boxes: brands, padding, media data, segment index, events, producer reference time. */
import { bytes, byVersion, cstring, custom, fourcc, list, listToEnd, rest, reserved, u16, u32, u64, type Field } from '../../src/io/field.js';
import type { ByteRun } from '../../src/io/deferred-bytes.js';
import { alias, box, customBox, fullBox } from '../define.js';

/** 14496-12 §4.3 FileTypeBox. */
export const ftyp = box('ftyp', {
  fields: { majorBrand: fourcc, minorVersion: u32, compatibleBrands: listToEnd(fourcc) },
});
/** 14496-12 §8.16.2 SegmentTypeBox: same layout as ftyp. */
export const styp = alias(ftyp, 'styp');

/** Padding: the bytes are kept as they are (a view). */
export const free = box('free', { fields: { data: rest }, verbatim: true });
export const skip = alias(free, 'skip');
/** QuickTime placeholder for a future 64-bit mdat header. */
export const wide = alias(free, 'wide');

/**
 * Media data: a zero-copy view of the payload, never copied on parse. A writer may give a list of chunks
 * (sample payloads as views of their source, or deferred bytes that copy themselves), which are copied once,
 * straight into the output.
 */
export const mdat = box('mdat', {
  fields: {
    data: custom<Uint8Array | readonly ByteRun[]>({
      minSize: 0,
      read: (r) => r.rest(),
      write: (w, v) => {
        if (v instanceof Uint8Array) w.bytes(v);
        else for (const c of v) w.run(c);
      },
      size: (v) => (v instanceof Uint8Array ? v.length : v.reduce((a, c) => a + c.length, 0)),
    }),
  },
  verbatim: true,
});

/** 14496-12 §4.2 user-extended box type: 16-byte UUID then opaque data. */
export const uuid = box('uuid', { fields: { usertype: bytes(16), data: rest }, verbatim: true });

const sidxReference: Field<{ referenceType: number; referencedSize: number; subsegmentDuration: number; startsWithSap: number; sapType: number; sapDeltaTime: number }> = custom({
  minSize: 12,
  read: (r) => {
    const a = r.u32();
    const subsegmentDuration = r.u32();
    const c = r.u32();
    return {
      referenceType: a >>> 31,
      referencedSize: a & 0x7fffffff,
      subsegmentDuration,
      startsWithSap: c >>> 31,
      sapType: (c >>> 28) & 7,
      sapDeltaTime: c & 0x0fffffff,
    };
  },
  write: (w, v) => {
    w.u32(((v.referenceType & 1) << 31) | (v.referencedSize & 0x7fffffff));
    w.u32(v.subsegmentDuration);
    w.u32(((v.startsWithSap & 1) << 31) | ((v.sapType & 7) << 28) | (v.sapDeltaTime & 0x0fffffff));
  },
  size: () => 12,
});

/** 14496-12 §8.16.3 SegmentIndexBox. */
export const sidx = fullBox('sidx', {
  versions: [0, 1],
  version: (v) => (v.earliestPresentationTime > 0xffffffff || v.firstOffset > 0xffffffff ? 1 : 0),
  fields: {
    referenceId: u32,
    timescale: u32,
    earliestPresentationTime: byVersion(u32, u64),
    firstOffset: byVersion(u32, u64),
    _reserved: reserved(u16, 0),
    references: list(u16, sidxReference, 'references'),
  },
});

/** 23009-1 §5.10.3.3 DASHEventMessageBox (v0: strings first, time relative to the segment; v1: absolute time first). */
export const emsg = customBox('emsg', {
  full: true,
  versions: [0, 1],
  version: (v) => (v.presentationTime !== undefined ? 1 : 0),
  body: custom<Emsg>({
    minSize: 18,
    read: (r, c) => {
      if (c.version === 0) {
        const schemeIdUri = cstring.read(r, c);
        const value = cstring.read(r, c);
        return { schemeIdUri, value, timescale: r.u32(), presentationTimeDelta: r.u32(), eventDuration: r.u32(), id: r.u32(), messageData: r.rest() };
      }
      const timescale = r.u32();
      const presentationTime = r.u64();
      const eventDuration = r.u32();
      const id = r.u32();
      return { timescale, presentationTime, eventDuration, id, schemeIdUri: cstring.read(r, c), value: cstring.read(r, c), messageData: r.rest() };
    },
    write: (w, v, c) => {
      if (c.version === 0) {
        cstring.write(w, v.schemeIdUri, c);
        cstring.write(w, v.value, c);
        w.u32(v.timescale);
        w.u32(v.presentationTimeDelta ?? 0);
        w.u32(v.eventDuration);
        w.u32(v.id);
      } else {
        w.u32(v.timescale);
        w.u64(v.presentationTime ?? 0);
        w.u32(v.eventDuration);
        w.u32(v.id);
        cstring.write(w, v.schemeIdUri, c);
        cstring.write(w, v.value, c);
      }
      w.bytes(v.messageData);
    },
    size: (v, c) => cstring.size(v.schemeIdUri, c) + cstring.size(v.value, c) + (c.version === 0 ? 16 : 20) + v.messageData.length,
  }),
});
/** Value of an `emsg` box. */
export interface Emsg {
  schemeIdUri: string;
  value: string;
  timescale: number;
  /** v0 only: time relative to the segment's earliest presentation time. */
  presentationTimeDelta?: number;
  /** v1 only: absolute presentation time (its presence selects version 1). */
  presentationTime?: number;
  eventDuration: number;
  id: number;
  messageData: Uint8Array;
}

/** 14496-12 §8.16.5 ProducerReferenceTimeBox. */
export const prft = fullBox('prft', {
  versions: [0, 1],
  version: (v) => (v.mediaTime > 0xffffffff ? 1 : 0),
  // NTP timestamps pass 2^53, so the 64-bit value is kept as its two 32-bit halves.
  fields: { referenceTrackId: u32, ntpSeconds: u32, ntpFraction: u32, mediaTime: byVersion(u32, u64) },
});
