/**
 * One Layer III frame at a time: header, side information, the bit reservoir (main_data_begin reaches back
 * into the bytes kept from earlier frames), then per granule scale factors, Huffman data, requantization,
 * stereo, reorder, antialias, IMDCT and synthesis. A frame whose reservoir is missing (the first frames of
 * a cut stream) has the granules it cannot reach silenced and the rest decoded, as ffmpeg does.
 */
import { antialias } from './antialias.js';
import { BitReader } from './bits.js';
import { decodeSpectrum } from './huffman.js';
import { imdctGranule } from './imdct.js';
import { reorderShort } from './reorder.js';
import { requantize } from './requantize.js';
import { readScalefactorsLsf, readScalefactorsMpeg1 } from './scalefactors.js';
import { readSideInfo } from './side-info.js';
import { applyStereo } from './stereo.js';
import { SynthesisFilter } from './synthesis.js';

/** main_data_begin reaches at most 511 bytes back: the bytes kept between frames. */
const RESERVOIR = 512;

/** The fields of a frame header the frame decoder uses. */
export interface Layer3Header {
  /** MPEG-2/2.5 (one granule, LSF scale factors). */
  lsf: boolean;
  channels: number;
  /** 1 = joint stereo. */
  channelMode: number;
  modeExtension: number;
  protectionAbsent: boolean;
  /** Rate index 0–8 (see tables.ts). */
  rateIndex: number;
}

/** Decoder state of one Layer III stream: reservoir, IMDCT overlap and synthesis per channel. */
export class Layer3FrameDecoder {
  private reservoir = new Uint8Array(RESERVOIR);
  private reservoirLength = 0;
  private work = new Uint8Array(4096);
  private readonly r = new BitReader();
  private readonly q = new Int32Array(576);
  private readonly xr = [new Float64Array(576), new Float64Array(576)];
  private readonly sf = [new Int32Array(40), new Int32Array(40)];
  /** Granule 0's scale factors per channel (scfsi). */
  private readonly sfPrevious = [new Int32Array(40), new Int32Array(40)];
  private readonly overlap = [new Float64Array(576), new Float64Array(576)];
  private readonly sub = new Float64Array(576);
  private readonly synth = [new SynthesisFilter(), new SynthesisFilter()];

  /** Forgets the reservoir (after a frame that could not be read). */
  dropReservoir(): void {
    this.reservoirLength = 0;
  }

  /**
   * Decodes the frame `payload` (header included) into `out[c][0 … 576·granules)`. Returns false, writing
   * nothing, when the side information is unusable (the caller conceals the frame).
   */
  decode(payload: Uint8Array, h: Layer3Header, out: Float32Array[]): boolean {
    const r = this.r;
    const nch = h.channels;
    const sideStart = h.protectionAbsent ? 4 : 6;
    const sideLength = h.lsf ? (nch === 1 ? 9 : 17) : nch === 1 ? 17 : 32;
    const mainStart = sideStart + sideLength;
    if (payload.length < mainStart) return false;
    r.reset(payload, mainStart, sideStart * 8);
    const modeExt = h.channelMode === 1 ? h.modeExtension : 0;
    const si = readSideInfo(r, h.lsf, nch, h.rateIndex, (modeExt & 3) === 2);
    if (!si) return false;

    // Main data: the kept reservoir followed by this frame's bytes after the side information.
    const main = payload.subarray(mainStart);
    const held = this.reservoirLength;
    const total = held + main.length;
    if (this.work.length < total) this.work = new Uint8Array(total * 2);
    const buf = this.work;
    buf.set(this.reservoir.subarray(0, held), 0);
    buf.set(main, held);
    const nGr = si.granules.length;
    // Granules that lie before the kept bytes are silenced; the rest start where their data begins.
    let avail = held * 8;
    let skipped = 0;
    while (skipped < nGr && avail >> 3 < si.mainDataBegin) {
      for (let c = 0; c < nch; c++) avail += si.granules[skipped]![c]!.part23Length;
      skipped++;
    }
    let pos = avail - 8 * si.mainDataBegin;
    r.reset(buf, total, pos);

    for (let gr = 0; gr < nGr; gr++) {
      const row = si.granules[gr]!;
      for (let c = 0; c < nch; c++) {
        const g = row[c]!;
        const xr = this.xr[c]!;
        if (gr < skipped) {
          xr.fill(0);
          continue;
        }
        r.pos = pos;
        const end = pos + g.part23Length;
        const sf = this.sf[c]!;
        if (h.lsf) readScalefactorsLsf(r, g, sf, (modeExt & 1) === 1 && c === 1);
        else {
          readScalefactorsMpeg1(r, g, sf, this.sfPrevious[c]!);
          if (gr === 0) this.sfPrevious[c]!.set(sf);
        }
        const count = decodeSpectrum(r, g, end, this.q);
        requantize(this.q, count, g, sf, h.rateIndex, xr);
        pos = end;
      }
      if (nch === 2 && modeExt) applyStereo(this.xr[0]!, this.xr[1]!, modeExt, row[1]!, this.sf[1]!, h.rateIndex, h.lsf);
      for (let c = 0; c < nch; c++) {
        const g = row[c]!;
        const xr = this.xr[c]!;
        if (gr >= skipped) {
          reorderShort(xr, g, h.rateIndex);
          antialias(xr, g);
        }
        imdctGranule(xr, g, this.overlap[c]!, this.sub);
        this.synth[c]!.run(this.sub, out[c]!, 576 * gr);
      }
    }

    // Keep what follows the last granule's data (byte aligned): the next frames' reservoir.
    // (When every granule was silenced the position may stand before the kept bytes: keep them all.)
    const from = (Math.max(pos, 0) + 7) >> 3;
    let keep: Uint8Array;
    if (from <= total) keep = buf.subarray(from, total);
    else keep = payload.subarray(Math.max(4, payload.length - RESERVOIR));
    if (keep.length > RESERVOIR) keep = keep.subarray(keep.length - RESERVOIR);
    this.reservoir.set(keep, 0);
    this.reservoirLength = keep.length;
    return true;
  }
}
