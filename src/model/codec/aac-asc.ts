/**
 * MPEG-4 Audio: AudioSpecificConfig (ISO/IEC 14496-3 §1.6.2.1), ADTS headers (§1.A.2.2),
 * the AAC profile names ffprobe prints and RFC 6381 `mp4a` codec strings.
 */
import { BitReader } from '../../io/bit-reader.js';
import { BoxwrightError } from '../../io/errors.js';
import { aacChannelLayoutName, channelLayoutName, pceChannelMask, type PceElements } from './channel-layout.js';

/** §1.6.3.4 Table 1.18: samplingFrequencyIndex → Hz (13, 14 reserved; 15 = explicit). */
export const AAC_SAMPLE_RATES: readonly number[] = [96000, 88200, 64000, 48000, 44100, 32000, 24000, 22050, 16000, 12000, 11025, 8000, 7350];

/** §1.6.3.5 Table 1.19 (+ amendments 11..14): channelConfiguration → channel count (0 = from the PCE). */
export const AAC_CHANNELS_BY_CONFIG: readonly number[] = [0, 1, 2, 3, 4, 5, 6, 8, 0, 0, 0, 7, 8, 24, 8];

/** Channel counts of a program_config_element (§4.4.1.1). */
export interface ProgramConfig {
  /** is_cpe of each element, in order (for the channel layout). */
  elements: PceElements;
  front: number;
  side: number;
  back: number;
  lfe: number;
  channels: number;
  /** element_instance_tag the PCE names for each element (front, side, back as in `elements`; then the LFEs). */
  tags: { front: number[]; side: number[]; back: number[]; lfe: number[] };
}

/** Parsed AudioSpecificConfig. */
export interface AudioSpecificConfig {
  /** The first audioObjectType field as signalled (5 or 29 for explicit hierarchical HE-AAC / HE-AACv2). */
  signalledObjectType: number;
  /** The core object type (after an explicit SBR/PS wrapper: usually 2, AAC LC). */
  objectType: number;
  /** 5 (SBR) when SBR is signalled explicitly or through the 0x2b7 sync extension; 22 for ER BSAC. */
  extensionObjectType?: number;
  samplingFrequencyIndex: number;
  /** Core sample rate. */
  sampleRate: number;
  /** SBR output sample rate when SBR is signalled. */
  extensionSampleRate?: number;
  channelConfiguration: number;
  /**
   * Decoded output channels: from channelConfiguration, or the program_config_element when 0;
   * 2 for a mono core with PS (the decoder upmixes, ffprobe prints 2).
   */
  channels: number;
  /** Samples per frame of the core coder: 1024/960 (GA), 512/480 (LD/ELD). Undefined for non-GA types. */
  frameLength?: number;
  /** SBR explicitly signalled (sbrPresentFlag = 1). Implicit SBR can only be found by decoding. */
  sbr: boolean;
  /** PS explicitly signalled (psPresentFlag = 1). */
  ps: boolean;
  programConfig?: ProgramConfig;
}

/** GetAudioObjectType() of §1.6.2.1: 5 bits, 31 escapes to 32 + 6 bits. */
function objectType(r: BitReader): number {
  const t = r.bits(5);
  return t === 31 ? 32 + r.bits(6) : t;
}

/** samplingFrequencyIndex (+ 24-bit samplingFrequency when 0xf). Returns [index, Hz]. */
function samplingFrequency(r: BitReader, path: string): [number, number] {
  const idx = r.bits(4);
  if (idx === 15) return [idx, r.bits(24)];
  const hz = AAC_SAMPLE_RATES[idx];
  if (hz === undefined) throw new BoxwrightError('BAD_VALUE', `reserved samplingFrequencyIndex ${idx}`, 0, path);
  return [idx, hz];
}

/** program_config_element() of §4.4.1.1: counts channels; `ascStart` is the bit where the ASC began (for byte_alignment). */
function readProgramConfig(r: BitReader, ascStart: number): ProgramConfig {
  r.skip(4 + 2 + 4); // element_instance_tag, object_type, sampling_frequency_index
  const nFront = r.bits(4);
  const nSide = r.bits(4);
  const nBack = r.bits(4);
  const nLfe = r.bits(2);
  const nAssoc = r.bits(3);
  const nCc = r.bits(4);
  if (r.flag()) r.skip(4); // mono_mixdown_element_number
  if (r.flag()) r.skip(4); // stereo_mixdown_element_number
  if (r.flag()) r.skip(3); // matrix_mixdown_idx, pseudo_surround_enable
  const elements = (n: number, tags: number[]): boolean[] => {
    const out: boolean[] = [];
    for (let i = 0; i < n; i++) {
      out.push(r.flag()); // is_cpe
      tags.push(r.bits(4)); // element_tag_select
    }
    return out;
  };
  const tags = { front: [] as number[], side: [] as number[], back: [] as number[], lfe: [] as number[] };
  const count = (els: boolean[]): number => els.reduce((a, c) => a + (c ? 2 : 1), 0);
  const frontEls = elements(nFront, tags.front);
  const sideEls = elements(nSide, tags.side);
  const backEls = elements(nBack, tags.back);
  const front = count(frontEls);
  const side = count(sideEls);
  const back = count(backEls);
  for (let i = 0; i < nLfe; i++) tags.lfe.push(r.bits(4));
  r.skip(4 * nAssoc + 5 * nCc);
  // byte_alignment() relative to the start of the AudioSpecificConfig.
  const misalign = (r.position - ascStart) & 7;
  if (misalign) r.skip(8 - misalign);
  const commentBytes = r.bits(8);
  r.skip(8 * commentBytes);
  return { elements: { front: frontEls, side: sideEls, back: backEls, lfe: nLfe }, front, side, back, lfe: nLfe, channels: front + side + back + nLfe, tags };
}

const GA_TYPES = new Set([1, 2, 3, 4, 6, 7, 17, 19, 20, 21, 22, 23]);
const EP_TYPES = new Set([17, 19, 20, 21, 22, 23, 24, 25, 26, 27, 39]);

/**
 * Parses an AudioSpecificConfig (the DecoderSpecificInfo of an `esds` with objectTypeIndication 0x40).
 * Handles the audioObjectType escape, explicit 24-bit sampling frequencies, explicit SBR (5) / PS (29)
 * signalling, GASpecificConfig (frameLengthFlag, program_config_element) and the backward-compatible
 * sync extension (0x2b7 SBR, then 0x548 PS). Throws {@link BoxwrightError} TRUNCATED or BAD_VALUE.
 */
export function parseAudioSpecificConfig(bytes: Uint8Array, offset = 0, path = 'esds'): AudioSpecificConfig {
  return readAudioSpecificConfig(new BitReader(bytes, offset, path), path, true);
}

/**
 * Reads an AudioSpecificConfig from `r`'s position, leaving it just after. `syncExtension` false
 * when the config is followed by other fields rather than by its end (LATM StreamMuxConfig): the
 * backward-compatible extension is then not looked for.
 */
export function readAudioSpecificConfig(r: BitReader, path: string, syncExtension: boolean): AudioSpecificConfig {
  const signalledObjectType = objectType(r);
  let aot = signalledObjectType;
  const [samplingFrequencyIndex, sampleRate] = samplingFrequency(r, path);
  const channelConfiguration = r.bits(4);
  let sbr = false;
  let ps = false;
  let extensionObjectType: number | undefined;
  let extensionSampleRate: number | undefined;
  if (aot === 5 || aot === 29) {
    extensionObjectType = 5;
    sbr = true;
    ps = aot === 29;
    extensionSampleRate = samplingFrequency(r, path)[1];
    aot = objectType(r);
    if (aot === 22) r.skip(4); // extensionChannelConfiguration
  }
  const asc: AudioSpecificConfig = {
    signalledObjectType,
    objectType: aot,
    samplingFrequencyIndex,
    sampleRate,
    channelConfiguration,
    channels: AAC_CHANNELS_BY_CONFIG[channelConfiguration] ?? 0,
    sbr,
    ps,
  };
  if (extensionObjectType !== undefined) asc.extensionObjectType = extensionObjectType;
  if (extensionSampleRate !== undefined) asc.extensionSampleRate = extensionSampleRate;
  let specificParsed = false;
  if (GA_TYPES.has(aot)) {
    // GASpecificConfig (§4.4.1).
    const frameLengthFlag = r.flag();
    asc.frameLength = aot === 23 ? (frameLengthFlag ? 480 : 512) : frameLengthFlag ? 960 : 1024;
    if (r.flag()) r.skip(14); // dependsOnCoreCoder → coreCoderDelay
    const extensionFlag = r.flag();
    if (channelConfiguration === 0) {
      asc.programConfig = readProgramConfig(r, 0);
      asc.channels = asc.programConfig.channels;
    }
    if (aot === 6 || aot === 20) r.skip(3); // layerNr
    if (extensionFlag) {
      if (aot === 22) r.skip(5 + 11); // numOfSubFrame, layer_length
      if (aot === 17 || aot === 19 || aot === 20 || aot === 23) r.skip(3); // resilience flags
      r.skip(1); // extensionFlag3
    }
    specificParsed = true;
  } else if (aot === 39) {
    // ELDSpecificConfig (§4.4.1.1, 14496-3 Amd): only the leading flags.
    asc.frameLength = r.flag() ? 480 : 512;
    r.skip(3); // resilience flags
    if (r.flag()) {
      asc.sbr = true; // ldSbrPresentFlag
      asc.extensionObjectType = 5;
    }
  }
  if (specificParsed && EP_TYPES.has(aot)) {
    const epConfig = r.bits(2);
    if (epConfig === 2 || epConfig === 3) specificParsed = false; // ErrorProtectionSpecificConfig: not parsed
  }
  if (syncExtension && specificParsed && extensionObjectType !== 5 && r.bitsLeft >= 16) {
    // Backward-compatible signalling (§1.6.6.2): syncExtensionType 0x2b7.
    if (r.bits(11) === 0x2b7) {
      const ext = objectType(r);
      if (ext === 5) {
        if (r.flag()) {
          asc.sbr = true;
          asc.extensionObjectType = 5;
          asc.extensionSampleRate = samplingFrequency(r, path)[1];
          if (r.bitsLeft >= 12 && r.bits(11) === 0x548) asc.ps = r.flag();
        }
      } else if (ext === 22) {
        if (r.flag()) {
          asc.sbr = true;
          asc.extensionObjectType = 22;
          asc.extensionSampleRate = samplingFrequency(r, path)[1];
        }
        r.skip(4); // extensionChannelConfiguration
      }
    }
  }
  if (asc.ps && asc.channels === 1) asc.channels = 2;
  return asc;
}

/** The sample rate a decoder outputs (the SBR rate when SBR is signalled), as ffprobe reports it. */
export function aacOutputSampleRate(asc: AudioSpecificConfig): number {
  return asc.sbr && asc.extensionSampleRate !== undefined ? asc.extensionSampleRate : asc.sampleRate;
}

/**
 * The profile name ffprobe 5.1 prints for AAC (FF_PROFILE_AAC_* in libavcodec/profiles.c):
 * 'HE-AACv2' with PS, 'HE-AAC' with SBR, else by object type 'Main', 'LC', 'SSR', 'LTP', 'LD', 'ELD'.
 * Note ffprobe decodes, so implicitly signalled SBR/PS (an LC config) also turns into HE-AAC(v2) there.
 */
export function aacProfileName(asc: Pick<AudioSpecificConfig, 'objectType' | 'sbr' | 'ps'>): string | undefined {
  if (asc.objectType === 2 || asc.objectType === 5 || asc.objectType === 29) {
    if (asc.ps) return 'HE-AACv2';
    if (asc.sbr) return 'HE-AAC';
  }
  switch (asc.objectType) {
    case 1:
      return 'Main';
    case 2:
      return 'LC';
    case 3:
      return 'SSR';
    case 4:
      return 'LTP';
    case 5:
      return 'HE-AAC';
    case 29:
      return 'HE-AACv2';
    case 23:
      return 'LD';
    case 39:
      return 'ELD';
    default:
      return undefined;
  }
}

/**
 * RFC 6381 §3.3 codec string for an `mp4a` sample entry: `mp4a.<OTI hex>[.<audioObjectType>]`.
 * The audio object type (decimal) is appended for OTI 0x40 (MPEG-4 Audio): 'mp4a.40.2', 'mp4a.40.5'.
 * Other OTIs give e.g. 'mp4a.6B' (MPEG-1 audio), 'mp4a.69'.
 */
export function mp4aCodecString(objectTypeIndication: number, audioObjectType?: number): string {
  const oti = (objectTypeIndication & 0xff).toString(16).toUpperCase().padStart(2, '0');
  return objectTypeIndication === 0x40 && audioObjectType !== undefined ? `mp4a.40.${audioObjectType}` : `mp4a.${oti}`;
}

/**
 * The ffprobe channel_layout name for an AudioSpecificConfig: from channelConfiguration (1..7, 11..13),
 * or from a conventionally ordered program_config_element; undefined when ffprobe would print 'unknown'.
 */
export function aacChannelLayout(asc: Pick<AudioSpecificConfig, 'channelConfiguration' | 'ps' | 'programConfig'>): string | undefined {
  if (asc.ps && asc.channelConfiguration === 1) return 'stereo';
  if (asc.channelConfiguration === 0 && asc.programConfig) {
    const mask = pceChannelMask(asc.programConfig.elements);
    return mask === undefined ? undefined : channelLayoutName(mask);
  }
  return aacChannelLayoutName(asc.channelConfiguration);
}

/** Parsed ADTS fixed + variable header (§1.A.2.2.1/2). */
export interface AdtsHeader {
  /** ID: 0 = MPEG-4, 1 = MPEG-2. */
  mpegVersion: 2 | 4;
  protectionAbsent: boolean;
  /** profile_ObjectType + 1 (1 Main, 2 LC, 3 SSR, 4 LTP). */
  objectType: number;
  samplingFrequencyIndex: number;
  sampleRate: number;
  channelConfiguration: number;
  /** aac_frame_length: the whole frame including the header. */
  frameLength: number;
  /** 7, or 9 with the CRC. */
  headerLength: number;
  bufferFullness: number;
  /** number_of_raw_data_blocks_in_frame + 1. */
  numberOfRawDataBlocks: number;
}

/**
 * Parses the ADTS header at `offset` in `bytes`. Throws TRUNCATED when fewer than 7 (or 9) bytes remain
 * and BAD_VALUE when there is no syncword, the layer is not 0, the sampling index is reserved
 * or aac_frame_length is shorter than the header.
 */
export function parseAdtsHeader(bytes: Uint8Array, offset = 0, path = 'adts'): AdtsHeader {
  if (!(offset >= 0 && offset + 7 <= bytes.length)) {
    throw new BoxwrightError('TRUNCATED', `ADTS header needs 7 bytes but ${Math.max(0, bytes.length - offset)} remain`, offset, path);
  }
  const r = new BitReader(bytes.subarray(offset, offset + 9 <= bytes.length ? offset + 9 : offset + 7), offset, path);
  const fail = (d: string): never => {
    throw new BoxwrightError('BAD_VALUE', d, offset, path);
  };
  if (r.bits(12) !== 0xfff) fail('no ADTS syncword');
  const id = r.bit();
  if (r.bits(2) !== 0) fail('ADTS layer is not 0');
  const protectionAbsent = r.flag();
  const objectType = r.bits(2) + 1;
  const samplingFrequencyIndex = r.bits(4);
  const sampleRate = AAC_SAMPLE_RATES[samplingFrequencyIndex];
  if (sampleRate === undefined) fail(`reserved sampling_frequency_index ${samplingFrequencyIndex}`);
  r.skip(1); // private_bit
  const channelConfiguration = r.bits(3);
  r.skip(4); // original_copy, home, copyright_identification_bit, copyright_identification_start
  const frameLength = r.bits(13);
  const bufferFullness = r.bits(11);
  const numberOfRawDataBlocks = r.bits(2) + 1;
  const headerLength = protectionAbsent ? 7 : 9;
  if (frameLength < headerLength) fail(`aac_frame_length ${frameLength} < header ${headerLength}`);
  if (!protectionAbsent && offset + 9 > bytes.length) {
    throw new BoxwrightError('TRUNCATED', `ADTS header with CRC needs 9 bytes but ${bytes.length - offset} remain`, offset, path);
  }
  return {
    mpegVersion: id ? 2 : 4,
    protectionAbsent,
    objectType,
    samplingFrequencyIndex,
    sampleRate: sampleRate!,
    channelConfiguration,
    frameLength,
    headerLength,
    bufferFullness,
    numberOfRawDataBlocks,
  };
}

/**
 * Builds the 2-byte AudioSpecificConfig for ADTS fields (audioObjectType 5 bits, samplingFrequencyIndex 4,
 * channelConfiguration 4, GASpecificConfig all zero: 1024-sample frames, no core coder, no extension).
 */
export function buildAudioSpecificConfig(fields: { objectType: number; samplingFrequencyIndex: number; channelConfiguration: number }): Uint8Array {
  const { objectType: aot, samplingFrequencyIndex: sfi, channelConfiguration: ch } = fields;
  if (!(aot >= 1 && aot <= 30 && Number.isInteger(aot))) throw new BoxwrightError('BAD_VALUE', `audioObjectType ${aot} does not fit 5 bits`, 0, 'esds');
  if (!(sfi >= 0 && sfi <= 12 && Number.isInteger(sfi))) throw new BoxwrightError('BAD_VALUE', `samplingFrequencyIndex ${sfi}`, 0, 'esds');
  if (!(ch >= 0 && ch <= 15 && Number.isInteger(ch))) throw new BoxwrightError('BAD_VALUE', `channelConfiguration ${ch}`, 0, 'esds');
  const v = (aot << 11) | (sfi << 7) | (ch << 3);
  return Uint8Array.of(v >> 8, v & 0xff);
}
