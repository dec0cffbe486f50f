/**
 * Codec configurations, decoded once: a discriminated union of the configuration *box values* (avcC, hvcC,
 * av1C, vpcC, dac3, dec3, dOps, dfLa — parsed and written by their definitions in boxes/) and, for AAC, the
 * AudioSpecificConfig bitstream. Demuxers fill it (the MP4 demuxer from the parsed boxes, the TS and
 * elementary-stream demuxers by building the values), muxers hand the values to the box writer: no module
 * outside boxes/ knows the byte layout of a configuration box.
 */
import type { Av1c, Avcc, Hvcc, Vpcc } from '../../boxes/families/video-config.js';
import type { Dac3, Dec3, DfLa, DOps } from '../../boxes/families/audio-config.js';

/** H.264: the AVCDecoderConfigurationRecord (`avcC`). */
export interface AvcConfig {
  readonly kind: 'avc';
  readonly avcC: Avcc;
}

/** HEVC: the HEVCDecoderConfigurationRecord (`hvcC`). */
export interface HevcConfig {
  readonly kind: 'hevc';
  readonly hvcC: Hvcc;
}

/** AV1: the AV1CodecConfigurationRecord (`av1C`); its configOBUs hold the sequence header. */
export interface Av1Config {
  readonly kind: 'av1';
  readonly av1C: Av1c;
}

/** VP8 / VP9: the VPCodecConfigurationRecord (`vpcC`). */
export interface VpxConfig {
  readonly kind: 'vpx';
  readonly vpcC: Vpcc;
}

/** AAC: the AudioSpecificConfig (14496-3 §1.6.2.1, a bitstream — the esds DecoderSpecificInfo of MP4). */
export interface AacConfig {
  readonly kind: 'aac';
  readonly audioSpecificConfig: Uint8Array;
}

/** AC-3: the AC3SpecificBox (`dac3`). */
export interface Ac3Config {
  readonly kind: 'ac3';
  readonly dac3: Dac3;
}

/** E-AC-3: the EC3SpecificBox (`dec3`). */
export interface Eac3Config {
  readonly kind: 'eac3';
  readonly dec3: Dec3;
}

/** Opus: the OpusSpecificBox (`dOps`). */
export interface OpusConfig {
  readonly kind: 'opus';
  readonly dOps: DOps;
}

/** FLAC: the FLACSpecificBox (`dfLa`); its first metadata block is STREAMINFO. */
export interface FlacConfig {
  readonly kind: 'flac';
  readonly dfLa: DfLa;
}

/** A sample description's codec configuration, by `kind`. */
export type CodecConfig = AvcConfig | HevcConfig | Av1Config | VpxConfig | AacConfig | Ac3Config | Eac3Config | OpusConfig | FlacConfig;

/** The configuration of kind `K`, or undefined when `config` is absent or of another kind. */
export function configOf<K extends CodecConfig['kind']>(config: CodecConfig | undefined, kind: K): Extract<CodecConfig, { kind: K }> | undefined {
  return config?.kind === kind ? (config as Extract<CodecConfig, { kind: K }>) : undefined;
}

/** Bytes of the NAL unit length prefix in the samples (lengthSizeMinusOne + 1). */
export function nalLengthSize(config: AvcConfig | HevcConfig): number {
  return (config.kind === 'avc' ? config.avcC.lengthSizeMinusOne : config.hvcC.lengthSizeMinusOne) + 1;
}

/** The NAL units of HEVC NAL unit type `type` (32 VPS, 33 SPS, 34 PPS, 39/40 SEI) in an hvcC's arrays. */
export function hevcNals(config: HevcConfig, type: number): Uint8Array[] {
  return config.hvcC.arrays.filter((a) => a.nalUnitType === type).flatMap((a) => a.nalus);
}

/** The first SPS of an H.264 or HEVC configuration, or undefined when it lists none. */
export function firstSps(config: AvcConfig | HevcConfig): Uint8Array | undefined {
  return config.kind === 'avc' ? config.avcC.sequenceParameterSets[0] : hevcNals(config, 33)[0];
}
