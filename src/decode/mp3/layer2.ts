/**
 * MPEG audio Layer II (ISO/IEC 11172-3 §2.4.3.3, 13818-3 for the half rates): bit allocation, scale factors with
 * scfsi, grouped and plain samples, dequantized as (2s − steps + 1)/steps times
 * the scale factor, then the same polyphase synthesis as Layer III. Joint stereo shares the allocation and the
 * samples of the subbands from `bound` up, each channel keeping its own scale factors.
 */
import { BitReader } from './bits.js';
import { SynthesisFilter } from './synthesis.js';
import { pow } from '../../model/portable-math.js';

/** Quantization classes (Table B.4): steps, and bits per sample (negative: three samples grouped in that many bits). */
const STEPS = [3, 5, 7, 9, 15, 31, 63, 127, 255, 511, 1023, 2047, 4095, 8191, 16383, 32767, 65535];
const BITS = [-5, -7, 3, -10, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16];

/**
 * Layer II allocation tables (Tables B.2a–d, 13818-3 B.1): per subband, its nbal (allocation bits) and the
 * quantization class of each allocation value 1 … 2^nbal − 1 (0 = no samples).
 */
function rows(spec: ReadonlyArray<readonly [number, number, readonly number[]]>): number[][] {
  const out: number[][] = [];
  for (const [count, nbal, classes] of spec) for (let i = 0; i < count; i++) out.push([nbal, ...classes]);
  return out;
}
const ALLOC_A_B = (): number[][] =>
  rows([
    [3, 4, [0, 2, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16]],
    [8, 4, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 16]],
    [12, 3, [0, 1, 2, 3, 4, 5, 16]],
    [7, 2, [0, 1, 16]],
  ]);
const ALLOC_C_D = (): number[][] =>
  rows([
    [2, 4, [0, 1, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15]],
    [10, 3, [0, 1, 3, 4, 5, 6, 7]],
  ]);
const ALLOC_LSF = (): number[][] =>
  rows([
    [4, 4, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14]],
    [7, 3, [0, 1, 3, 4, 5, 6, 7]],
    [19, 2, [0, 1, 3]],
  ]);

let tables: { alloc: number[][][]; scale: Float64Array } | undefined;

function layerTables(): { alloc: number[][][]; scale: Float64Array } {
  if (!tables) {
    const scale = new Float64Array(64);
    // Table B.1: 2.0 · 2^(−i/3).
    for (let i = 0; i < 64; i++) scale[i] = 2 * pow(2, -i / 3);
    tables = { alloc: [ALLOC_A_B(), ALLOC_A_B(), ALLOC_C_D(), ALLOC_C_D(), ALLOC_LSF()], scale };
  }
  return tables;
}

/** sblimit of each allocation table. */
const SBLIMIT = [27, 30, 8, 12, 30];

/** The allocation table ffmpeg (and ISO/IEC 11172-3 Annex B) picks from the bit rate per channel and the rate. */
function selectTable(bitRate: number, channels: number, sampleRate: number, lsf: boolean): number {
  if (lsf) return 4;
  const perChannel = bitRate / 1000 / channels;
  if ((sampleRate === 48000 && perChannel >= 56) || (perChannel >= 56 && perChannel <= 80)) return 0;
  if (sampleRate !== 48000 && perChannel >= 96) return 1;
  if (sampleRate !== 32000 && perChannel <= 48) return 2;
  return 3;
}

/** What a Layer II frame decode needs of its header. */
export interface Layer2Header {
  lsf: boolean;
  channels: number;
  channelMode: number;
  modeExtension: number;
  protectionAbsent: boolean;
  bitRate: number;
  sampleRate: number;
}

/** Decoder state of one Layer II stream: the synthesis filter per channel. */
export class Layer2FrameDecoder {
  private readonly r = new BitReader();
  private readonly synth = [new SynthesisFilter(), new SynthesisFilter()];
  private readonly sub = [new Float64Array(32 * 36), new Float64Array(32 * 36)];
  private readonly alloc = [new Int32Array(32), new Int32Array(32)];
  private readonly scfsi = [new Int32Array(32), new Int32Array(32)];
  /** Scale factor index per channel, subband and part (3 parts of 12 slots). */
  private readonly sf = [new Int32Array(96), new Int32Array(96)];

  /** Decodes the frame `payload` (header included) into `out[c][0 … 1152)`. */
  decode(payload: Uint8Array, h: Layer2Header, out: Float32Array[]): void {
    const r = this.r;
    r.reset(payload, payload.length, (h.protectionAbsent ? 4 : 6) * 8);
    for (const s of this.sub) s.fill(0);
    this.layer2(h);
    for (let c = 0; c < h.channels; c++) this.synth[c]!.run(this.sub[c]!, out[c]!, 0, 36);
  }

  private layer2(h: Layer2Header): void {
    const r = this.r;
    const { alloc: allocTables, scale } = layerTables();
    const nch = h.channels;
    const t = selectTable(h.bitRate, nch, h.sampleRate, h.lsf);
    const table = allocTables[t]!;
    const sblimit = SBLIMIT[t]!;
    const bound = Math.min(nch === 2 && h.channelMode === 1 ? (h.modeExtension + 1) * 4 : sblimit, sblimit);
    const [a0, a1] = this.alloc as [Int32Array, Int32Array];
    for (let sb = 0; sb < sblimit; sb++) {
      const nbal = table[sb]![0]!;
      if (sb < bound) for (let c = 0; c < nch; c++) this.alloc[c]![sb] = r.read(nbal);
      else a0[sb] = a1[sb] = r.read(nbal);
    }
    for (let sb = 0; sb < sblimit; sb++) for (let c = 0; c < nch; c++) if (this.alloc[c]![sb]) this.scfsi[c]![sb] = r.read(2);
    for (let sb = 0; sb < sblimit; sb++) {
      for (let c = 0; c < nch; c++) {
        if (!this.alloc[c]![sb]) continue;
        const sf = this.sf[c]!;
        const at = 3 * sb;
        switch (this.scfsi[c]![sb]) {
          case 0:
            sf[at] = r.read(6);
            sf[at + 1] = r.read(6);
            sf[at + 2] = r.read(6);
            break;
          case 1:
            sf[at] = sf[at + 1] = r.read(6);
            sf[at + 2] = r.read(6);
            break;
          case 2:
            sf[at] = sf[at + 1] = sf[at + 2] = r.read(6);
            break;
          default:
            sf[at] = r.read(6);
            sf[at + 1] = sf[at + 2] = r.read(6);
        }
      }
    }
    const digits = [0, 0, 0];
    for (let part = 0; part < 3; part++) {
      for (let group = 0; group < 4; group++) {
        const slot = 12 * part + 3 * group;
        for (let sb = 0; sb < sblimit; sb++) {
          const shared = sb >= bound;
          for (let c = 0; c < (shared ? 1 : nch); c++) {
            const b = this.alloc[c]![sb]!;
            if (!b) continue;
            const q = table[sb]![b]!;
            const steps = STEPS[q]!;
            const bits = BITS[q]!;
            if (bits < 0) {
              let mant = r.read(-bits);
              for (let m = 0; m < 3; m++) {
                digits[m] = mant % steps;
                mant = Math.floor(mant / steps);
              }
            } else for (let m = 0; m < 3; m++) digits[m] = r.read(bits);
            for (const ch of shared ? [0, 1] : [c]) {
              const k = scale[this.sf[ch]![3 * sb + part]!]!;
              for (let m = 0; m < 3; m++) this.sub[ch]![36 * sb + slot + m] = ((2 * digits[m]! - steps + 1) / steps) * k;
            }
          }
        }
      }
    }
  }
}
