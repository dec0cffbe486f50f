/**
 * The AAC-LC decoder (14496-3 §4): raw_data_block() parsing, then per channel inverse quantisation, stereo
 * tools, PNS, TNS and the filterbank. Float output matches ffmpeg's `aac` decoder (channel order included).
 * HE-AAC streams are decoded as their AAC-LC core (SBR/PS are not decoded; `limitation` says so).
 */
import { BoxwrightError } from '../../io/errors.js';
import { configOf } from '../../model/codec-config.js';
import { AAC_SAMPLE_RATES, parseAudioSpecificConfig, type AudioSpecificConfig } from '../../model/codec/aac-asc.js';
import type { SampleDescription } from '../../model/movie.js';
import type { AudioDecoder } from '../types.js';
import { AacBits } from './bits.js';
import { imdctAndWindow } from './filterbank.js';
import { applyIntensity, applyMidSide, applyTns, ChannelState, decodeIcs, initQuantTables, readIcsInfo, type IcsContext } from './ics.js';
import { decodeSymbol, SCALEFACTOR_TABLE } from './huffman.js';

const SCE = 0;
const CPE = 1;
const CCE = 2;
const LFE = 3;
const DSE = 4;
const PCE = 5;
const FIL = 6;
const END = 7;

/**
 * Output channel of each element channel by channelConfiguration, elements in bitstream order
 * (SCE/CPE/LFE, counted per type): ffmpeg's channel layouts (5.1 = FL FR FC LFE BL BR; 7 = 7.1 wide).
 */
const LAYOUTS: Record<number, ReadonlyArray<{ type: number; out: readonly number[] }>> = {
  1: [{ type: SCE, out: [0] }],
  2: [{ type: CPE, out: [0, 1] }],
  3: [{ type: SCE, out: [2] }, { type: CPE, out: [0, 1] }],
  4: [{ type: SCE, out: [2] }, { type: CPE, out: [0, 1] }, { type: SCE, out: [3] }],
  5: [{ type: SCE, out: [2] }, { type: CPE, out: [0, 1] }, { type: CPE, out: [3, 4] }],
  6: [{ type: SCE, out: [2] }, { type: CPE, out: [0, 1] }, { type: CPE, out: [4, 5] }, { type: LFE, out: [3] }],
  7: [{ type: SCE, out: [2] }, { type: CPE, out: [6, 7] }, { type: CPE, out: [0, 1] }, { type: CPE, out: [4, 5] }, { type: LFE, out: [3] }],
};
const CHANNELS_BY_CONFIG = [0, 1, 2, 3, 4, 5, 6, 8];

/** samplingFrequencyIndex for an explicit rate: the nearest table rate (as ffmpeg picks). */
function nearestRateIndex(hz: number): number {
  let best = 0;
  for (let i = 1; i < AAC_SAMPLE_RATES.length; i++) if (Math.abs(AAC_SAMPLE_RATES[i]! - hz) < Math.abs(AAC_SAMPLE_RATES[best]! - hz)) best = i;
  return best;
}

const UNSUPPORTED_TYPES: Record<number, string> = { 1: 'AAC Main', 3: 'AAC SSR', 4: 'AAC LTP' };

class AacDecoder implements AudioDecoder {
  readonly codec = 'aac';
  readonly sampleRate: number;
  readonly channels: number;
  private note: string | undefined;
  private readonly r: AacBits;
  private readonly ctx: IcsContext;
  private readonly out: Float32Array[];
  /** Element channel states by key `type:n:c` (n = occurrence of that element type in the block). */
  private readonly states = new Map<string, ChannelState>();
  private readonly scratch = new ChannelState();
  private readonly msMask = new Uint8Array(8 * 64);
  /** Output channel per `type:n:c`; elements without one are decoded and dropped. */
  private readonly routes = new Map<string, number>();
  private readonly written: Uint8Array;

  constructor(asc: AudioSpecificConfig, path: string) {
    this.r = new AacBits(path);
    const si = asc.samplingFrequencyIndex === 15 ? nearestRateIndex(asc.sampleRate) : asc.samplingFrequencyIndex;
    this.ctx = { r: this.r, samplingIndex: si, randomState: 0x1f2e3d4c };
    this.sampleRate = asc.sampleRate;
    const cfg = asc.channelConfiguration;
    const layout = LAYOUTS[cfg];
    if (layout) {
      this.channels = CHANNELS_BY_CONFIG[cfg]!;
      const seen = [0, 0, 0, 0];
      for (const el of layout) {
        const n = seen[el.type]!++;
        el.out.forEach((o, c) => this.routes.set(`${el.type}:${n}:${c}`, o));
      }
    } else if (cfg === 0 && asc.programConfig) {
      // Program config: channels in bitstream element order (front, side, back, LFE as the PCE lists them).
      const pce = asc.programConfig;
      let o = 0;
      const seen = [0, 0, 0, 0];
      for (const isCpe of [...pce.elements.front, ...pce.elements.side, ...pce.elements.back]) {
        const type = isCpe ? CPE : SCE;
        const n = seen[type]!++;
        for (let c = 0; c < (isCpe ? 2 : 1); c++) this.routes.set(`${type}:${n}:${c}`, o++);
      }
      for (let i = 0; i < pce.lfe; i++) this.routes.set(`${LFE}:${i}:0`, o++);
      this.channels = o;
    } else {
      throw new BoxwrightError('UNSUPPORTED_CODEC', `AAC channelConfiguration ${cfg} is not decoded`, 0, path);
    }
    if (this.channels === 0) throw new BoxwrightError('UNSUPPORTED_CODEC', 'AAC program config without channels', 0, path);
    this.out = Array.from({ length: this.channels }, () => new Float32Array(1024));
    this.written = new Uint8Array(this.channels);
    if (asc.sbr || asc.ps) this.note = this.sbrNote(asc.ps);
  }

  get limitation(): string | undefined {
    return this.note;
  }

  private sbrNote(ps: boolean): string {
    return `HE-AAC${ps ? 'v2' : ''}: SBR${ps ? ' and PS are' : ' is'} not decoded; the AAC-LC core is measured at ${this.sampleRate} Hz${ps ? ', mono' : ''}`;
  }

  private state(key: string): ChannelState {
    let s = this.states.get(key);
    if (!s) {
      s = new ChannelState();
      this.states.set(key, s);
    }
    return s;
  }

  decode(payload: Uint8Array, sampleIndex: number): readonly Float32Array[] {
    const r = this.r;
    r.reset(payload, sampleIndex);
    if (payload.length === 0) throw r.error('empty access unit');
    const seen = [0, 0, 0, 0];
    const decoded: Array<[ChannelState, number]> = [];
    this.written.fill(0);
    for (;;) {
      const id = r.read(3);
      if (id === END) break;
      switch (id) {
        case SCE:
        case LFE: {
          r.skip(4);
          const key = `${id}:${seen[id]!++}:0`;
          const ch = this.state(key);
          decodeIcs(this.ctx, ch, false);
          decoded.push([ch, this.routes.get(key) ?? -1]);
          break;
        }
        case CPE: {
          r.skip(4);
          const n = seen[CPE]!++;
          const k0 = `${CPE}:${n}:0`;
          const k1 = `${CPE}:${n}:1`;
          const left = this.state(k0);
          const right = this.state(k1);
          this.decodeCpe(left, right);
          decoded.push([left, this.routes.get(k0) ?? -1], [right, this.routes.get(k1) ?? -1]);
          break;
        }
        case CCE:
          this.skipCce();
          break;
        case DSE: {
          r.skip(4);
          const align = r.bit();
          let count = r.read(8);
          if (count === 255) count += r.read(8);
          if (align) r.byteAlign();
          r.skip(8 * count);
          break;
        }
        case PCE:
          this.skipPce();
          break;
        case FIL: {
          let count = r.read(4);
          if (count === 15) count += r.read(8) - 1;
          if (count > 0) {
            const type = r.peek(4);
            // EXT_SBR_DATA(_CRC): implicitly signalled HE-AAC.
            if ((type === 13 || type === 14) && this.note === undefined) this.note = this.sbrNote(false);
          }
          r.skip(8 * count);
          break;
        }
      }
      if (r.pos > r.end) r.overrun();
    }
    for (const [ch, o] of decoded) {
      if (ch.tns.present) applyTns(ch);
      if (o < 0) {
        imdctAndWindow(ch, this.scratchOut);
        continue;
      }
      imdctAndWindow(ch, this.out[o]!);
      this.written[o] = 1;
    }
    for (let c = 0; c < this.channels; c++) if (!this.written[c]) this.out[c]!.fill(0);
    return this.out;
  }

  private readonly scratchOut = new Float32Array(1024);

  private decodeCpe(left: ChannelState, right: ChannelState): void {
    const r = this.r;
    const common = r.bit() === 1;
    let msPresent = 0;
    const mask = this.msMask;
    if (common) {
      readIcsInfo(this.ctx, left);
      const a = left.info;
      const b = right.info;
      b.windowSequence = a.windowSequence;
      b.windowShape = a.windowShape;
      b.maxSfb = a.maxSfb;
      b.numWindows = a.numWindows;
      b.numGroups = a.numGroups;
      b.groupLen.set(a.groupLen);
      b.swbOffset = a.swbOffset;
      b.numSwb = a.numSwb;
      b.tnsMaxBands = a.tnsMaxBands;
      msPresent = r.read(2);
      if (msPresent === 3) throw r.error('reserved ms_mask_present 3');
      if (msPresent === 1) {
        for (let g = 0; g < a.numGroups; g++) for (let s = 0; s < a.maxSfb; s++) mask[g * 64 + s] = r.bit();
      } else if (msPresent === 2) {
        mask.fill(1);
      }
    }
    decodeIcs(this.ctx, left, common);
    decodeIcs(this.ctx, right, common);
    if (common && msPresent) applyMidSide(left, right, mask);
    applyIntensity(left, right, mask, msPresent);
  }

  /** coupling_channel_element(): parsed (its ICS uses the noise generator as ffmpeg's does) and not applied. */
  private skipCce(): void {
    const r = this.r;
    r.skip(4);
    const independent = r.bit();
    const coupled = r.read(3);
    let gainLists = 0;
    for (let c = 0; c <= coupled; c++) {
      gainLists++;
      if (r.bit()) {
        r.skip(4);
        const lr = r.read(2);
        if (lr === 3) gainLists++;
      } else r.skip(4);
    }
    r.skip(1 + 1 + 2); // cc_domain, gain_element_sign, gain_element_scale
    const ch = this.scratch;
    decodeIcs(this.ctx, ch, false);
    for (let c = 1; c < gainLists; c++) {
      const cge = independent ? 1 : r.bit();
      if (cge) decodeSymbol(r, SCALEFACTOR_TABLE);
      else {
        for (let g = 0; g < ch.info.numGroups; g++) {
          for (let s = 0; s < ch.info.maxSfb; s++) if (ch.bandType[g * 64 + s] !== 0) decodeSymbol(r, SCALEFACTOR_TABLE);
        }
      }
    }
    const note = 'coupling channel elements are not applied';
    if (this.note === undefined) this.note = `AAC: ${note}`;
    else if (!this.note.includes(note)) this.note += `; ${note}`;
  }

  /** program_config_element() inside a raw data block: read past. */
  private skipPce(): void {
    const r = this.r;
    r.skip(4 + 2 + 4);
    const front = r.read(4);
    const side = r.read(4);
    const back = r.read(4);
    const lfe = r.read(2);
    const assoc = r.read(3);
    const cc = r.read(4);
    if (r.bit()) r.skip(4);
    if (r.bit()) r.skip(4);
    if (r.bit()) r.skip(3);
    r.skip(5 * (front + side + back) + 4 * lfe + 4 * assoc + 5 * cc);
    r.byteAlign();
    r.skip(8 * r.read(8));
  }
}

/**
 * A decoder for the AAC samples (raw access units, no ADTS header) of `description`: AAC-LC, any sample
 * rate, channel configurations 1–7 or a program config. HE-AAC(v2) is decoded as its AAC-LC core (its
 * `limitation` says so, `sampleRate` is the core rate).
 * @throws BoxwrightError UNSUPPORTED_CODEC for Main, SSR, LTP and non-GA object types or a missing config.
 * @example
 * const dec = createAacDecoder(track.descriptions[0]!, 'track 1');
 * const [left, right] = dec.decode(sampleBytes(track, 0), 0);
 */
export function createAacDecoder(description: SampleDescription, path: string): AudioDecoder {
  const config = configOf(description.config, 'aac');
  if (!config) throw new BoxwrightError('UNSUPPORTED_CODEC', 'AAC without an AudioSpecificConfig', 0, path);
  const asc = parseAudioSpecificConfig(config.audioSpecificConfig, 0, path);
  const unsupported = UNSUPPORTED_TYPES[asc.objectType];
  if (unsupported) throw new BoxwrightError('UNSUPPORTED_CODEC', `${unsupported} (audio object type ${asc.objectType}) is not decoded`, 0, path);
  if (asc.objectType !== 2) throw new BoxwrightError('UNSUPPORTED_CODEC', `AAC audio object type ${asc.objectType} is not decoded`, 0, path);
  if (asc.frameLength !== undefined && asc.frameLength !== 1024) throw new BoxwrightError('UNSUPPORTED_CODEC', `AAC with ${asc.frameLength}-sample frames is not decoded`, 0, path);
  initQuantTables();
  return new AacDecoder(asc, path);
}

/**
 * True when the first access unit carries SBR data its AudioSpecificConfig does not signal (implicit HE-AAC, as in
 * every ADTS stream): what ffmpeg learns by decoding and then reports as HE-AAC at twice the core rate. False for
 * explicit signalling, for object types this decoder does not read, and when the unit does not decode.
 */
export function hasImplicitSbr(description: SampleDescription, firstUnit: Uint8Array): boolean {
  try {
    const dec = createAacDecoder(description, 'probe');
    if (dec.limitation !== undefined) return false;
    dec.decode(firstUnit, 0);
    return dec.limitation !== undefined;
  } catch (e) {
    if (e instanceof BoxwrightError) return false;
    throw e;
  }
}
