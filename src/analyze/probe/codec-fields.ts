/**
 * Codec-level stream fields as ffprobe prints them (profile, level, sizes, pixel format, colour, audio layout),
 * from a sample description's configuration record. A configuration we cannot read leaves the fields out.
 */
import { isBoxwrightError } from '../../io/errors.js';
import type { SampleDescription } from '../../model/movie.js';
import { aacChannelLayout, aacOutputSampleRate, aacProfileName, mp4aCodecString, parseAudioSpecificConfig } from '../../model/codec/aac-asc.js';
import { avcCodecString, avcProfileName, parseAvcSps } from '../../model/codec/avc-sps.js';
import { defaultChannelLayoutName } from '../../model/codec/channel-layout.js';
import { colorPrimariesName, colorRangeName, colorSpaceName, colorTransferName, pixFmtName } from '../../model/codec/color.js';
import { hevcCodecString, hevcProfileName, parseHevcSps } from '../../model/codec/hevc-sps.js';

/** The codec-dependent part of a stream report. */
export interface CodecFields {
  profile?: string;
  level?: number;
  width?: number;
  height?: number;
  coded_width?: number;
  coded_height?: number;
  pix_fmt?: string;
  codecSar?: { num: number; den: number };
  color_range?: string;
  color_space?: string;
  color_transfer?: string;
  color_primaries?: string;
  field_order?: string;
  sample_rate?: number;
  channels?: number;
  channel_layout?: string;
  bits_per_sample?: number;
  codec_string?: string;
  /** Frame rate from the bitstream timing info (fallback for r_frame_rate). */
  timingRate?: { num: number; den: number };
}

/** Runs a parser; bad bytes (BoxwrightError) give undefined, anything else is our bug and propagates. */
function attempt<T>(f: () => T): T | undefined {
  try {
    return f();
  } catch (e) {
    if (isBoxwrightError(e)) return undefined;
    throw e;
  }
}

function colourFields(out: CodecFields, c: { fullRange?: boolean | undefined; primaries?: number | undefined; transfer?: number | undefined; matrix?: number | undefined }): void {
  if (c.fullRange !== undefined) out.color_range = colorRangeName(c.fullRange);
  if (c.matrix !== undefined && c.matrix !== 2) out.color_space = colorSpaceName(c.matrix);
  if (c.transfer !== undefined && c.transfer !== 2) out.color_transfer = colorTransferName(c.transfer);
  if (c.primaries !== undefined && c.primaries !== 2) out.color_primaries = colorPrimariesName(c.primaries);
}

/** avcC: SPS count is in the low 5 bits of byte 5; each SPS has a 16-bit length. */
function firstParameterSet(config: Uint8Array): Uint8Array | undefined {
  if (config.length < 8 || (config[5]! & 31) === 0) return undefined;
  const len = (config[6]! << 8) | config[7]!;
  return config.length >= 8 + len ? config.subarray(8, 8 + len) : undefined;
}

/** hvcC: the first NAL unit of type `type` in the arrays after the 23-byte header. */
function hvccNal(config: Uint8Array, type: number): Uint8Array | undefined {
  if (config.length < 23) return undefined;
  let p = 23;
  const arrays = config[22]!;
  for (let a = 0; a < arrays && p + 3 <= config.length; a++) {
    const nalType = config[p]! & 0x3f;
    const count = (config[p + 1]! << 8) | config[p + 2]!;
    p += 3;
    for (let k = 0; k < count && p + 2 <= config.length; k++) {
      const len = (config[p]! << 8) | config[p + 1]!;
      p += 2;
      if (p + len > config.length) return undefined;
      if (nalType === type) return config.subarray(p, p + len);
      p += len;
    }
  }
  return undefined;
}

/** Codec fields of one sample description. */
export function codecFields(d: SampleDescription): CodecFields {
  const out: CodecFields = {};
  if (d.width !== undefined) {
    out.width = d.width;
    out.height = d.height ?? 0;
  }
  const cfg = d.config;
  switch (d.codec) {
    case 'h264': {
      const sps = cfg && attempt(() => { const nal = firstParameterSet(cfg); return nal ? parseAvcSps(nal) : undefined; });
      if (!sps) break;
      out.profile = avcProfileName(sps.profileIdc, sps.constraintFlags) ?? String(sps.profileIdc);
      out.level = sps.levelIdc;
      out.width = sps.width;
      out.height = sps.height;
      out.coded_width = sps.codedWidth;
      out.coded_height = sps.codedHeight;
      const fmt = pixFmtName(sps.chromaFormatIdc, sps.bitDepthLuma, { fullRange: sps.videoFullRange === true, jpegNames: true });
      if (fmt) out.pix_fmt = fmt;
      if (sps.sar.num > 0) out.codecSar = sps.sar;
      if (sps.fieldOrder === 'progressive') out.field_order = 'progressive';
      colourFields(out, { fullRange: sps.videoFullRange, primaries: sps.colourPrimaries, transfer: sps.transferCharacteristics, matrix: sps.matrixCoefficients });
      out.codec_string = avcCodecString(d.entryType === 'encv' ? d.format : d.entryType, sps.profileIdc, sps.constraintFlags, sps.levelIdc);
      if (sps.timingInfo && sps.timingInfo.numUnitsInTick > 0) out.timingRate = { num: sps.timingInfo.timeScale, den: sps.timingInfo.numUnitsInTick * 2 };
      break;
    }
    case 'hevc': {
      const sps = cfg && attempt(() => { const nal = hvccNal(cfg, 33); return nal ? parseHevcSps(nal) : undefined; });
      if (!sps) break;
      const ptl = sps.profileTierLevel;
      out.profile = hevcProfileName(ptl.generalProfileIdc, ptl.generalProfileCompatibilityFlags) ?? String(ptl.generalProfileIdc);
      out.level = ptl.generalLevelIdc;
      out.width = sps.width;
      out.height = sps.height;
      out.coded_width = sps.codedWidth;
      out.coded_height = sps.codedHeight;
      const fmt = pixFmtName(sps.chromaFormatIdc, sps.bitDepthLuma, { fullRange: sps.videoFullRange === true });
      if (fmt) out.pix_fmt = fmt;
      if (sps.sar.num > 0) out.codecSar = sps.sar;
      colourFields(out, { fullRange: sps.videoFullRange, primaries: sps.colourPrimaries, transfer: sps.transferCharacteristics, matrix: sps.matrixCoefficients });
      out.codec_string = hevcCodecString(d.entryType === 'encv' ? d.format : d.entryType, ptl);
      break;
    }
    case 'aac': {
      const asc = cfg && attempt(() => parseAudioSpecificConfig(cfg));
      if (asc) {
        out.profile = aacProfileName(asc);
        out.sample_rate = aacOutputSampleRate(asc);
        out.channels = asc.channels || d.channels || 0;
        const layout = aacChannelLayout(asc) ?? defaultChannelLayoutName(out.channels);
        if (layout) out.channel_layout = layout;
        out.codec_string = mp4aCodecString(0x40, asc.signalledObjectType);
      }
      break;
    }
    default:
      break;
  }
  if (d.sampleRate !== undefined && out.sample_rate === undefined) out.sample_rate = Math.round(d.sampleRate);
  if (d.channels !== undefined && out.channels === undefined) {
    out.channels = d.channels;
    const layout = defaultChannelLayoutName(d.channels);
    if (layout) out.channel_layout = layout;
  }
  if (d.pcm) out.bits_per_sample = d.pcm.bitsPerSample;
  else if (d.sampleRate !== undefined) out.bits_per_sample = 0;
  return out;
}
