/**
 * Layer III side information (ISO/IEC 11172-3 §2.4.1.7, 13818-3 §2.4.1.7): main_data_begin, scfsi and the
 * per-granule, per-channel fields, with the derived Huffman region ends and the long/short band split that
 * mixed blocks use (ffmpeg's conventions for 8 kHz, where ISO/IEC 13818-3 is unclear).
 */
import type { BitReader } from './bits.js';
import { longBandStarts } from './tables.js';

/** One granule of one channel. */
export interface Granule {
  part23Length: number;
  bigValues: number;
  globalGain: number;
  scalefacCompress: number;
  /** 0 normal, 1 start, 2 short, 3 stop. */
  blockType: number;
  /** Mixed block (switch_point): the two lowest subbands are long. */
  mixed: boolean;
  tables: number[];
  subblockGain: number[];
  /** Huffman region ends in lines (clamped to big_values · 2). */
  regionEnds: number[];
  preflag: number;
  scalefacScale: number;
  count1Table: number;
  /** scfsi bits (MPEG-1 granule 1), else 0. */
  scfsi: number;
  /** Long scale factor bands coded (22 for long blocks, 0 for short, 8 or 6 for mixed). */
  longEnd: number;
  /** First short band coded (13 for long blocks). */
  shortStart: number;
}

/** The side information of one frame. */
export interface SideInfo {
  mainDataBegin: number;
  /** [granule][channel]. */
  granules: Granule[][];
}

function newGranule(): Granule {
  return {
    part23Length: 0,
    bigValues: 0,
    globalGain: 0,
    scalefacCompress: 0,
    blockType: 0,
    mixed: false,
    tables: [0, 0, 0],
    subblockGain: [0, 0, 0],
    regionEnds: [0, 0, 0],
    preflag: 0,
    scalefacScale: 0,
    count1Table: 0,
    scfsi: 0,
    longEnd: 22,
    shortStart: 13,
  };
}

/**
 * Reads the side information at `r.pos` for a frame of `channels` channels, MPEG-1 (`lsf` false: 2 granules)
 * or MPEG-2/2.5 (1 granule), sampling rate index `ri`. Returns undefined for values no decoder can use
 * (big_values > 288, window switching with block type 0): the frame is then concealed.
 */
export function readSideInfo(r: BitReader, lsf: boolean, channels: number, ri: number, msOnly: boolean): SideInfo | undefined {
  const mainDataBegin = r.read(lsf ? 8 : 9);
  r.read(lsf ? channels : channels === 2 ? 3 : 5);
  const nGr = lsf ? 1 : 2;
  const scfsi = [0, 0];
  if (!lsf) for (let c = 0; c < channels; c++) scfsi[c] = r.read(4);
  const starts = longBandStarts(ri);
  const granules: Granule[][] = [];
  for (let gr = 0; gr < nGr; gr++) {
    const row: Granule[] = [];
    for (let c = 0; c < channels; c++) {
      const g = newGranule();
      g.scfsi = gr === 1 ? scfsi[c]! : 0;
      g.part23Length = r.read(12);
      g.bigValues = r.read(9);
      if (g.bigValues > 288) return undefined;
      g.globalGain = r.read(8);
      // M/S without intensity: the 1/√2 of M/S folded into the gain, as ffmpeg does.
      if (msOnly) g.globalGain -= 2;
      g.scalefacCompress = r.read(lsf ? 9 : 4);
      let region0: number;
      let region1: number;
      if (r.bit()) {
        g.blockType = r.read(2);
        if (g.blockType === 0) return undefined;
        g.mixed = r.bit() === 1;
        g.tables[0] = r.read(5);
        g.tables[1] = r.read(5);
        for (let w = 0; w < 3; w++) g.subblockGain[w] = r.read(3);
        // Implicit region0: 36 lines (72 at 8 kHz) for short blocks, 8 long bands otherwise.
        region0 = g.blockType === 2 ? (ri === 8 ? 72 : 36) : starts[8]!;
        region1 = 576;
      } else {
        for (let k = 0; k < 3; k++) g.tables[k] = r.read(5);
        const a1 = r.read(4);
        const a2 = r.read(3);
        region0 = starts[a1 + 1]!;
        region1 = starts[Math.min(a1 + a2 + 2, 22)]!;
      }
      const bv = g.bigValues * 2;
      g.regionEnds[0] = Math.min(region0, bv);
      g.regionEnds[1] = Math.min(Math.max(region1, g.regionEnds[0]), bv);
      g.regionEnds[2] = bv;
      if (g.blockType === 2) {
        if (g.mixed) {
          // 8 long bands (MPEG-1) or 6 (LSF: 36 lines, 72 at 8 kHz), then short bands from 3, as ffmpeg splits them.
          g.longEnd = ri <= 2 ? 8 : 6;
          g.shortStart = 3;
        } else {
          g.longEnd = 0;
          g.shortStart = 0;
        }
      }
      if (!lsf) g.preflag = r.bit();
      g.scalefacScale = r.bit();
      g.count1Table = r.bit();
      row.push(g);
    }
    granules.push(row);
  }
  return { mainDataBegin, granules };
}
