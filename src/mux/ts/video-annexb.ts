/**
 * H.264 / HEVC samples (length-prefixed NAL units, ISO/IEC 14496-15) → Annex B access units as
 * ISO/IEC 13818-1 §2.14 (AVC) and §2.17 (HEVC) require in PES packets: start codes, an access unit
 * delimiter first, and the parameter sets in-band before each random access point (§2.14.1 / §2.17.1:
 * the decoder gets no out-of-band configuration from the TS).
 */
import { BoxwrightError } from '../../io/errors.js';
import type { Track } from '../../model/movie.js';
import type { AvcConfig, CodecConfig, HevcConfig } from '../../model/codec-config.js';
import { AVC_NAL, HEVC_NAL, avcNalType, hevcNalType, splitLengthPrefixed } from '../../model/codec/nal.js';
import { isSync } from '../../model/sample-table.js';
import { sampleBytes } from '../../model/sample-bytes.js';
import type { EsSource } from './es-source.js';
import type { ByteSink } from './packets.js';

/** The NAL length size and the parameter sets of one sample description. */
export interface NalConfig {
  lengthSize: 1 | 2 | 4;
  /** Parameter sets (and, for HEVC, declarative SEI) in decoder order, as the record lists them. */
  parameterSets: Uint8Array[];
}

const START_CODE = Uint8Array.of(0, 0, 0, 1);
/** H.264 AUD (§7.3.2.4): nal_unit_type 9, primary_pic_type 7 (any slice type), rbsp stop bit. */
const AVC_AUD = Uint8Array.of(0x09, 0xf0);
/** HEVC AUD (§7.3.2.5): nal_unit_type 35, TemporalId 0, pic_type 2 (I, P or B), rbsp stop bit. */
const HEVC_AUD = Uint8Array.of(0x46, 0x01, 0x50);

function lengthSizeOf(minusOne: number, what: string, path: string): 1 | 2 | 4 {
  if (minusOne === 0) return 1;
  if (minusOne === 1) return 2;
  if (minusOne === 3) return 4;
  throw new BoxwrightError('BAD_VALUE', `${what} lengthSizeMinusOne ${minusOne} is not 0, 1 or 3`, 4, path);
}

/**
 * The NAL length size and parameter sets of an `avcC` value (ISO/IEC 14496-15 §5.3.3.1): SPS then PPS. The
 * high-profile SPS-extension trailer is not needed in-band and is left out.
 */
export function avcNalConfig(c: AvcConfig, path = 'avcC'): NalConfig {
  const r = c.avcC;
  return { lengthSize: lengthSizeOf(r.lengthSizeMinusOne, 'avcC', path), parameterSets: [...r.sequenceParameterSets, ...r.pictureParameterSets].filter((n) => n.length > 0) };
}

/** The NAL length size and parameter sets of an `hvcC` value (ISO/IEC 14496-15 §8.3.3.1), in array order. */
export function hevcNalConfig(c: HevcConfig, path = 'hvcC'): NalConfig {
  const r = c.hvcC;
  // Only VPS/SPS/PPS go in band before keyframes: SEI arrays (x265's encoder info) are declarative, and
  // repeating them would change the samples a TS demuxer reads back.
  const parameterSets = r.arrays.filter((a) => a.nalUnitType >= 32 && a.nalUnitType <= 34).flatMap((a) => a.nalus).filter((n) => n.length > 0);
  return { lengthSize: lengthSizeOf(r.lengthSizeMinusOne, 'hvcC', path), parameterSets };
}

/** Per-codec NAL specifics. */
interface Flavor {
  name: string;
  record: string;
  aud: Uint8Array;
  audType: number;
  spsType: number;
  nalType: (nal: Uint8Array) => number;
  /** The NAL config of the description's configuration, or undefined when it has none of the right kind. */
  parse: (c: CodecConfig | undefined, path: string) => NalConfig | undefined;
}

const FLAVORS: Record<'h264' | 'hevc', Flavor> = {
  h264: { name: 'H.264', record: 'avcC', aud: AVC_AUD, audType: AVC_NAL.AUD, spsType: AVC_NAL.SPS, nalType: avcNalType, parse: (c, p) => (c?.kind === 'avc' ? avcNalConfig(c, p) : undefined) },
  hevc: { name: 'HEVC', record: 'hvcC', aud: HEVC_AUD, audType: HEVC_NAL.AUD, spsType: HEVC_NAL.SPS, nalType: hevcNalType, parse: (c, p) => (c?.kind === 'hevc' ? hevcNalConfig(c, p) : undefined) },
};

/** How sample `i` is laid out in Annex B: its NAL units and what is added in front. */
interface AccessUnitPlan {
  nals: Uint8Array[];
  /** The sample starts with its own AUD (then ours is not added). */
  ownAud: boolean;
  /** Parameter sets to insert after the AUD. */
  parameterSets: Uint8Array[];
}

const annexBSize = (nals: readonly Uint8Array[]): number => nals.reduce((n, x) => n + START_CODE.length + x.length, 0);

/**
 * An {@link EsSource} turning length-prefixed H.264/HEVC samples into Annex B access units: an AUD
 * first (unless the sample has one), the configuration record's parameter sets after it on sync samples
 * that carry no SPS of their own, and every NAL unit behind a 4-byte start code (Annex B.1.2 allows the
 * leading zero_byte anywhere; it is required before parameter sets and the first NAL of an access unit).
 */
export function annexBSource(track: Track, codec: 'h264' | 'hevc', streamType: number, streamId: number, descriptors: Uint8Array): EsSource {
  const f = FLAVORS[codec];
  const path = `track ${track.id}`;
  const configs = track.descriptions.map((d, k) => {
    // An empty record (some writers store Annex B samples with one) gives no configuration, nor a NAL length size.
    const cfg = f.parse(d.config, `${path}/${f.record}`);
    if (!cfg) throw new BoxwrightError('BAD_VALUE', `${f.name} track ${track.id} has no ${f.record} configuration (sample description ${k})`, 0, path);
    return cfg;
  });
  const plan = (i: number): AccessUnitPlan => {
    const cfg = configs[track.samples.description[i]!];
    if (!cfg) throw new BoxwrightError('BAD_VALUE', `sample ${i} of track ${track.id} uses a missing sample description`, track.samples.offset[i]!, path);
    const nals = splitLengthPrefixed(sampleBytes(track, i), cfg.lengthSize, track.samples.offset[i]!, path).filter((n) => n.length > 0);
    const ownAud = nals.length > 0 && f.nalType(nals[0]!) === f.audType;
    let parameterSets: Uint8Array[] = [];
    if (isSync(track.samples, i) && !nals.some((n) => f.nalType(n) === f.spsType)) {
      if (cfg.parameterSets.every((n) => f.nalType(n) !== f.spsType)) {
        throw new BoxwrightError(
          'BAD_VALUE',
          `${f.name} keyframe ${i} of track ${track.id} carries no SPS and the ${f.record} has none: a TS decoder could not start there`,
          track.samples.offset[i]!,
          path,
        );
      }
      parameterSets = cfg.parameterSets;
    }
    return { nals, ownAud, parameterSets };
  };
  return {
    streamType,
    streamId,
    descriptors,
    video: true,
    size(i) {
      const p = plan(i);
      return (p.ownAud ? 0 : START_CODE.length + f.aud.length) + annexBSize(p.parameterSets) + annexBSize(p.nals);
    },
    write(i, sink: ByteSink) {
      const p = plan(i);
      const nal = (n: Uint8Array): void => {
        sink.bytes(START_CODE);
        sink.bytes(n);
      };
      let k = 0;
      if (p.ownAud) nal(p.nals[k++]!);
      else nal(f.aud);
      for (const ps of p.parameterSets) nal(ps);
      for (; k < p.nals.length; k++) nal(p.nals[k]!);
    },
  };
}
