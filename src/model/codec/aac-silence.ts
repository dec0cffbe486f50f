/**
 * Silent AAC access units, to fill gaps in an audio track (a transmuxer's audio that starts late or has a hole):
 * one raw_data_block() (ISO/IEC 14496-3 §4.4.2.1) with, for every channel element of the configuration, an
 * individual_channel_stream that has no scale factor band (max_sfb = 0): no spectral coefficient, so the decoder
 * outputs a frame of zeros (after its overlap-add with the previous frame's tail).
 */
import { BitCounter, BitWriter, type BitSink } from '../../io/bit-writer.js';
import { BoxwrightError } from '../../io/errors.js';
import { parseAudioSpecificConfig, type AudioSpecificConfig } from './aac-asc.js';

/** Syntactic element IDs (§4.4.2.1 Table 4.85). */
const SCE = 0;
const CPE = 1;
const LFE = 3;
const END = 7;

interface Element {
  type: typeof SCE | typeof CPE | typeof LFE;
  tag: number;
}

/**
 * Elements of each channelConfiguration in bitstream order (§1.6.3.5 Table 1.19), with the instance tags
 * encoders write: each element type counts its own tags from 0.
 */
const BY_CONFIG: Record<number, Element[]> = {
  1: [{ type: SCE, tag: 0 }],
  2: [{ type: CPE, tag: 0 }],
  3: [{ type: SCE, tag: 0 }, { type: CPE, tag: 0 }],
  4: [{ type: SCE, tag: 0 }, { type: CPE, tag: 0 }, { type: SCE, tag: 1 }],
  5: [{ type: SCE, tag: 0 }, { type: CPE, tag: 0 }, { type: CPE, tag: 1 }],
  6: [{ type: SCE, tag: 0 }, { type: CPE, tag: 0 }, { type: CPE, tag: 1 }, { type: LFE, tag: 0 }],
  7: [{ type: SCE, tag: 0 }, { type: CPE, tag: 0 }, { type: CPE, tag: 1 }, { type: CPE, tag: 2 }, { type: LFE, tag: 0 }],
};

/**
 * Object types whose ics_info for a long window without bands is the same bits: the bit after max_sfb is
 * predictor_data_present (Main, LC) or ltp_data_present (LTP), 0 either way.
 */
const OBJECT_TYPES = new Set([1, 2, 4]);

/** Any value: no band uses it. 100 is within the range encoders write. */
const GLOBAL_GAIN = 100;

/** individual_channel_stream() (§4.4.2.7) of a long window with no bands; no pulse, TNS or gain control data. */
function silentIcs(w: BitSink): void {
  w.bits(8, GLOBAL_GAIN);
  // ics_info() (§4.4.2.1 Table 4.6): reserved bit, window_sequence ONLY_LONG_SEQUENCE, window_shape sine,
  // max_sfb 0, predictor/LTP data absent. section_data and scale_factor_data are empty for max_sfb 0.
  w.bits(1, 0);
  w.bits(2, 0);
  w.bits(1, 0);
  w.bits(6, 0);
  w.bits(1, 0);
  w.bits(1, 0); // pulse_data_present
  w.bits(1, 0); // tns_data_present
  w.bits(1, 0); // gain_control_data_present
}

function writeBlock(w: BitSink, elements: readonly Element[]): void {
  for (const e of elements) {
    w.bits(3, e.type);
    w.bits(4, e.tag);
    if (e.type === CPE) {
      // common_window 0: each channel carries its own ics_info.
      w.bits(1, 0);
      silentIcs(w);
    }
    silentIcs(w);
  }
  w.bits(3, END);
  w.byteAlign();
}

/** The channel elements a raw_data_block of this configuration carries. */
function elementsOf(asc: AudioSpecificConfig): Element[] {
  const cfg = asc.channelConfiguration;
  const fixed = BY_CONFIG[cfg];
  if (fixed) return fixed;
  const pce = asc.programConfig;
  if (cfg !== 0) throw new BoxwrightError('UNSUPPORTED_CODEC', `silent AAC frames for channelConfiguration ${cfg} are not made (1–7, or 0 with a program_config_element)`, 0, 'AudioSpecificConfig');
  if (!pce || pce.channels === 0) throw new BoxwrightError('UNSUPPORTED_CODEC', 'channelConfiguration 0 without a program_config_element naming channels', 0, 'AudioSpecificConfig');
  // The PCE lists front, side and back elements, then the LFEs, each with the instance tag the frames must use.
  const out: Element[] = [];
  const listed = (isCpe: boolean[], tags: number[]): void => isCpe.forEach((c, i) => out.push({ type: c ? CPE : SCE, tag: tags[i]! }));
  listed(pce.elements.front, pce.tags.front);
  listed(pce.elements.side, pce.tags.side);
  listed(pce.elements.back, pce.tags.back);
  for (const tag of pce.tags.lfe) out.push({ type: LFE, tag });
  return out;
}

/**
 * The raw AAC access unit (no ADTS header) that decodes to one frame of silence — `frameLength` (1024, or 960)
 * zero samples per channel — for the AudioSpecificConfig `config` (parsed, or its bytes). Built element by
 * element: an SCE, CPE or LFE per the channel configuration (1–7), or per the program_config_element for
 * configuration 0, each with global_gain and an ics_info of max_sfb 0, then END, byte aligned.
 * For HE-AAC configurations it is the AAC-LC core's frame (no SBR/PS extension data).
 *
 * Throws {@link BoxwrightError} UNSUPPORTED_CODEC for object types other than AAC Main, LC and LTP (as the
 * core), channel configurations other than 0–7, and configuration 0 without a PCE; parsing `config` bytes may
 * throw TRUNCATED or BAD_VALUE.
 */
export function silentAacFrame(config: AudioSpecificConfig | Uint8Array): Uint8Array {
  const asc = config instanceof Uint8Array ? parseAudioSpecificConfig(config) : config;
  if (!OBJECT_TYPES.has(asc.objectType)) throw new BoxwrightError('UNSUPPORTED_CODEC', `silent AAC frames for audio object type ${asc.objectType} are not made (AAC Main, LC, LTP)`, 0, 'AudioSpecificConfig');
  const elements = elementsOf(asc);
  const size = new BitCounter();
  writeBlock(size, elements);
  const w = new BitWriter(size.bytes);
  writeBlock(w, elements);
  return w.finish();
}
