/**
 * RFC 6381 codecs parameter of a sample description — one function for every user: the probe report's
 * `codec_string`, the transmuxer's MIME codecs, HLS `CODECS` and DASH `@codecs`.
 */
import { unlessBadMedia } from '../../io/errors.js';
import { firstSps, type CodecConfig } from '../codec-config.js';
import type { SampleDescription } from '../movie.js';
import { mp4aCodecString, parseAudioSpecificConfig } from './aac-asc.js';
import { av1CodecFields, av1CodecString, findAv1SequenceHeader } from './av1.js';
import { avcCodecString } from './avc-sps.js';
import { hevcCodecString, parseHevcSps, type HevcProfileTierLevel } from './hevc-sps.js';
import { vp9CodecString } from './vp9.js';

const attempt = unlessBadMedia;

/** The sample entry type the string starts with (an encrypted entry's original format). */
const entryOf = (d: SampleDescription): string => (d.entryType === 'encv' || d.entryType === 'enca' ? d.format : d.entryType);

/**
 * The RFC 6381 codecs parameter of `d` (`avc1.64001f`, `hvc1.1.6.L93.B0`, `mp4a.40.2`, `opus` …), or undefined
 * for a codec without one. `inBandSps`: an H.264 SPS from the first sample, for streams whose avcC lists none.
 *
 * Where the configuration does not say, the string browsers accept for the codec is given:
 * - AAC without a readable AudioSpecificConfig: `mp4a.40.2` (AAC-LC, what hls.js assumes too);
 * - MP3: `mp4a.40.34` (14496-3 audio object type 34, MPEG-1/2 Layer III), which Chromium's MSE accepts for MP3 in
 *   MP4 (`mp4a.6B` names the same stream by its esds objectTypeIndication; both mean MP3);
 * - MPEG-1/2 Layers I/II: `mp4a.6B` / `mp4a.69`, the objectTypeIndication our sample entry writes.
 */
export function codecString(d: SampleDescription, inBandSps?: Uint8Array): string | undefined {
  const cfg: CodecConfig | undefined = d.config;
  switch (d.codec) {
    case 'h264': {
      const sps = (cfg?.kind === 'avc' ? firstSps(cfg) : undefined) ?? inBandSps;
      // profile_idc, the constraint flags byte and level_idc are the SPS's bytes 1–3 (H.264 §7.3.2.1.1).
      if (sps && sps.length >= 4) return avcCodecString(entryOf(d), sps[1]!, sps[2]!, sps[3]!);
      if (cfg?.kind === 'avc') return avcCodecString(entryOf(d), cfg.avcC.avcProfileIndication, cfg.avcC.profileCompatibility, cfg.avcC.avcLevelIndication);
      return undefined;
    }
    case 'hevc': {
      if (cfg?.kind !== 'hevc') return undefined;
      const sps = firstSps(cfg);
      const ptl = sps && attempt(() => parseHevcSps(sps).profileTierLevel);
      return hevcCodecString(entryOf(d), ptl ?? recordPtl(cfg.hvcC));
    }
    case 'av1': {
      if (cfg?.kind !== 'av1') return undefined;
      const sh = attempt(() => findAv1SequenceHeader(cfg.av1C.configObus));
      if (sh) return av1CodecString(av1CodecFields(sh));
      const c = cfg.av1C;
      const bitDepth = c.highBitdepth ? (c.twelveBit ? 12 : 10) : 8;
      return `av01.${c.seqProfile}.${String(c.seqLevelIdx0).padStart(2, '0')}${c.seqTier0 ? 'H' : 'M'}.${String(bitDepth).padStart(2, '0')}`;
    }
    case 'vp9':
      return cfg?.kind === 'vpx' ? vp9CodecString(cfg.vpcC) : undefined;
    case 'aac': {
      const asc = cfg?.kind === 'aac' ? attempt(() => parseAudioSpecificConfig(cfg.audioSpecificConfig)) : undefined;
      return asc ? mp4aCodecString(0x40, asc.signalledObjectType) : 'mp4a.40.2';
    }
    case 'mp3':
      return 'mp4a.40.34';
    case 'mp2':
    case 'mp1':
      return mp4aCodecString((d.sampleRate ?? 48000) < 32000 ? 0x69 : 0x6b);
    case 'opus':
      return 'opus';
    case 'flac':
      return 'fLaC';
    case 'ac3':
      return 'ac-3';
    case 'eac3':
      return 'ec-3';
    default:
      return undefined;
  }
}

/** The general profile/tier/level of an hvcC record, for a stream whose SPS does not parse. */
function recordPtl(r: { generalProfileSpace: number; generalTierFlag: number; generalProfileIdc: number; generalProfileCompatibilityFlags: number; generalConstraintIndicatorFlags: number; generalLevelIdc: number }): HevcProfileTierLevel {
  const flags: number[] = [];
  for (let i = 5, v = r.generalConstraintIndicatorFlags; i >= 0; i--, v = Math.floor(v / 256)) flags[i] = v % 256;
  return {
    generalProfileSpace: r.generalProfileSpace,
    generalTierFlag: r.generalTierFlag === 1,
    generalProfileIdc: r.generalProfileIdc,
    generalProfileCompatibilityFlags: r.generalProfileCompatibilityFlags,
    generalConstraintIndicatorFlags: Uint8Array.from(flags),
    generalLevelIdc: r.generalLevelIdc,
  };
}
