/**
 * Audio decoder configuration boxes, children of audio sample entries: `dOps` (Opus), `dac3`/`dec3`
 * (AC-3/E-AC-3), `dfLa` (FLAC), `pcmC` (ISO PCM), `chnl` (channel layout), and QuickTime's `wave`
 * extension list with its `enda`.
 */
import { bits, checkShape, custom, i16, reserved, u8, u16, u32, when } from '../../src/io/field.js';
import { box, container, customBox, fullBox, type ValueOf } from '../define.js';

/** Opus in ISO-BMFF §4.3.2 OpusSpecificBox (Version 0 is the only one defined). */
export const dOps = box('dOps', {
  fields: {
    version: reserved(u8, 0),
    outputChannelCount: u8,
    preSkip: u16,
    inputSampleRate: u32,
    outputGain: i16,
    channelMappingFamily: u8,
    streamCount: when((c) => c.parent.channelMappingFamily !== 0, u8),
    coupledCount: when((c) => c.parent.channelMappingFamily !== 0, u8),
    // One byte per output channel (§4.3.2): its length is outputChannelCount, read before.
    channelMapping: when(
      (c) => c.parent.channelMappingFamily !== 0,
      custom<Uint8Array>({
        minSize: 0,
        read: (r, c) => r.bytes(c.parent.outputChannelCount as number, 'channel mapping'),
        write: (w, v) => w.bytes(v),
        size: (v) => v.length,
      }),
    ),
  },
});

/** Value of a `dOps` box. */
export type DOps = ValueOf<typeof dOps>;

/** ETSI TS 102 366 Annex F.4 AC3SpecificBox. */
export const dac3 = box('dac3', {
  fields: { fields: bits(3, [['fscod', 2], ['bsid', 5], ['bsmod', 3], ['acmod', 3], ['lfeon', 1], ['bitRateCode', 5], [null, 5, 0]]) },
});

/** Value of a `dac3` box. */
export type Dac3 = ValueOf<typeof dac3>;

/** One independent substream of a `dec3` box (bits as numbers, as everywhere in box values). */
export interface Ec3Substream {
  fscod: number;
  bsid: number;
  asvc: number;
  bsmod: number;
  acmod: number;
  lfeon: number;
  numDepSub: number;
  /** Present when numDepSub > 0. */
  chanLoc?: number;
}

/** Value of a `dec3` box. */
export interface Dec3 {
  dataRate: number;
  /** num_ind_sub + 1 substreams (the count is derived). */
  independentSubstreams: Ec3Substream[];
}

const DEC3_SHAPE = { required: ['dataRate', 'independentSubstreams'], allowed: new Set(['dataRate', 'independentSubstreams']) };
const EC3_SUBSTREAM_SHAPE = {
  required: ['fscod', 'bsid', 'asvc', 'bsmod', 'acmod', 'lfeon', 'numDepSub'],
  allowed: new Set(['fscod', 'bsid', 'asvc', 'bsmod', 'acmod', 'lfeon', 'numDepSub', 'chanLoc']),
};

/** ETSI TS 102 366 Annex F.6 EC3SpecificBox. Extension bytes after the substreams (e.g. JOC) are kept as trailing. */
export const dec3 = customBox('dec3', {
  body: custom<Dec3>({
    minSize: 5,
    check: (v, where) => {
      checkShape(v, DEC3_SHAPE, where);
      if (!Array.isArray(v.independentSubstreams) || v.independentSubstreams.length < 1 || v.independentSubstreams.length > 8) {
        throw new TypeError(`${where}.independentSubstreams: expected 1 to 8 substreams`);
      }
      v.independentSubstreams.forEach((s, i) => checkShape(s, EC3_SUBSTREAM_SHAPE, `${where}.independentSubstreams[${i}]`));
    },
    read: (r) => {
      const head = r.u16();
      const n = (head & 7) + 1;
      r.require(n * 3, `${n} E-AC-3 substreams`);
      const independentSubstreams: Ec3Substream[] = [];
      for (let i = 0; i < n; i++) {
        const a = r.u16();
        const b = r.u8();
        const s: Ec3Substream = {
          fscod: a >> 14,
          bsid: (a >> 9) & 0x1f,
          // bit 8: reserved
          asvc: (a >> 7) & 1,
          bsmod: (a >> 4) & 7,
          acmod: (a >> 1) & 7,
          lfeon: a & 1,
          // b: reserved 3 bits, num_dep_sub 4 bits, then chan_loc's top bit or 1 reserved bit
          numDepSub: (b >> 1) & 0xf,
        };
        if (s.numDepSub > 0) s.chanLoc = ((b & 1) << 8) | r.u8();
        independentSubstreams.push(s);
      }
      return { dataRate: head >> 3, independentSubstreams };
    },
    write: (w, v) => {
      w.u16(((v.dataRate & 0x1fff) << 3) | ((v.independentSubstreams.length - 1) & 7));
      for (const s of v.independentSubstreams) {
        w.u16(((s.fscod & 3) << 14) | ((s.bsid & 0x1f) << 9) | ((s.asvc & 1) << 7) | ((s.bsmod & 7) << 4) | ((s.acmod & 7) << 1) | (s.lfeon & 1));
        const loc = s.numDepSub > 0 ? (s.chanLoc ?? 0) : 0;
        w.u8(((s.numDepSub & 0xf) << 1) | (loc >> 8));
        if (s.numDepSub > 0) w.u8(loc & 0xff);
      }
    },
    size: (v) => 2 + v.independentSubstreams.reduce((n, s) => n + (s.numDepSub > 0 ? 4 : 3), 0),
  }),
});

/** One FLAC metadata block in a `dfLa` box. */
export interface FlacMetadataBlock {
  blockType: number;
  data: Uint8Array;
}

/** Value of a `dfLa` box. */
export interface DfLa {
  blocks: FlacMetadataBlock[];
}

/** FLAC in ISO-BMFF §3.3.2 FLACSpecificBox: metadata blocks; the last-metadata-block flag is derived (set on the last). */
export const dfLa = customBox('dfLa', {
  full: true,
  keys: { required: ['blocks'] },
  body: custom<DfLa>({
    minSize: 0,
    read: (r) => {
      const blocks: FlacMetadataBlock[] = [];
      while (r.remaining > 0) {
        const h = r.u8();
        blocks.push({ blockType: h & 0x7f, data: r.bytes(r.u24(), 'FLAC metadata block') });
        // Bytes after the block flagged last are not blocks: the engine keeps them as trailing.
        if (h & 0x80) break;
      }
      return { blocks };
    },
    write: (w, v) => {
      v.blocks.forEach((b, i) => {
        w.u8((i === v.blocks.length - 1 ? 0x80 : 0) | (b.blockType & 0x7f));
        w.u24(b.data.length);
        w.bytes(b.data);
      });
    },
    size: (v) => v.blocks.reduce((n, b) => n + 4 + b.data.length, 0),
  }),
});

/** 23003-5 §5.2 PCMConfigurationBox: format_flags bit 0 = little-endian samples. */
export const pcmC = fullBox('pcmC', { fields: { formatFlags: u8, pcmSampleSize: u8 } });

/** Value of a `chnl` box (version 0). The stream_structure bits are derived from the fields present. */
export interface Chnl {
  /** Present when the stream is channel-structured (stream_structure bit 1). */
  definedLayout?: number;
  /** definedLayout 0: the speaker_position entries (their count is the sample entry's channel count), as bytes. */
  speakerPositions?: Uint8Array;
  /** definedLayout ≠ 0: 64-bit omitted_channels_map, as 8 bytes (it may exceed 2^53). */
  omittedChannelsMap?: Uint8Array;
  /** Present when the stream is object-structured (stream_structure bit 2). */
  objectCount?: number;
}

/** 14496-12 §12.2.4 ChannelLayoutBox, version 0 (later versions stay opaque). */
export const chnl = customBox('chnl', {
  full: true,
  keys: { required: [], optional: ['definedLayout', 'speakerPositions', 'omittedChannelsMap', 'objectCount'] },
  body: custom<Chnl>({
    minSize: 1,
    read: (r) => {
      const structure = r.u8();
      if (structure & ~3) r.fail('BAD_VALUE', `chnl stream_structure ${structure} has unknown bits`);
      const out: Chnl = {};
      if (structure & 1) {
        out.definedLayout = r.u8();
        // The positions run to the end, except the object_count byte that follows when object-structured.
        if (out.definedLayout === 0) out.speakerPositions = r.bytes(Math.max(0, r.remaining - (structure & 2 ? 1 : 0)), 'speaker positions');
        else out.omittedChannelsMap = r.bytes(8, 'omitted channels map');
      }
      if (structure & 2) out.objectCount = r.u8();
      return out;
    },
    write: (w, v) => {
      w.u8((v.definedLayout !== undefined ? 1 : 0) | (v.objectCount !== undefined ? 2 : 0));
      if (v.definedLayout !== undefined) {
        w.u8(v.definedLayout);
        if (v.definedLayout === 0) w.bytes(v.speakerPositions ?? new Uint8Array(0));
        else if (v.omittedChannelsMap?.length === 8) w.bytes(v.omittedChannelsMap);
        else w.zeros(8);
      }
      if (v.objectCount !== undefined) w.u8(v.objectCount);
    },
    size: (v) =>
      1 + (v.definedLayout === undefined ? 0 : 1 + (v.definedLayout === 0 ? (v.speakerPositions?.length ?? 0) : 8)) + (v.objectCount === undefined ? 0 : 1),
  }),
});

/**
 * QuickTime SoundDescription extension atom list (QTFF "siDecompressionParam"). Its `frma` and `esds` children
 * resolve as usual; its `mp4a` child is a 4-byte QuickTime atom, not a sample entry, so it stays opaque
 * (as does the 8-byte zero terminator, which the registry does not know).
 */
export const wave = container('wave', { resolveChild: (type) => (type === 'mp4a' ? null : undefined) });

/** QTFF "Endian atom" (`enda`, in `wave`): 1 = the samples of in24/in32/fl32/fl64 are little-endian. */
export const enda = box('enda', { fields: { littleEndian: u16 } });
