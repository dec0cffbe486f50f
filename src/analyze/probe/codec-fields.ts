/**
 * Codec-level stream fields as ffprobe prints them (profile, level, sizes, pixel format, colour, audio layout),
 * from a sample description's configuration record. A configuration we cannot read leaves the fields out.
 */
import { unlessBadMedia } from '../../io/errors.js';
import type { SampleDescription } from '../../model/movie.js';
import { hasImplicitSbr } from '../../decode/aac/index.js';
import { aacChannelLayout, aacOutputSampleRate, aacProfileName, parseAudioSpecificConfig } from '../../model/codec/aac-asc.js';
import { avcProfileName, parseAvcSps } from '../../model/codec/avc-sps.js';
import { containerChannelLayoutName, defaultChannelLayoutName } from '../../model/codec/channel-layout.js';
import { colorPrimariesName, colorRangeName, colorSpaceName, colorTransferName, pixFmtName } from '../../model/codec/color.js';
import { hevcProfileName, parseHevcSps } from '../../model/codec/hevc-sps.js';
import { lengthsChain } from './pict-type.js';
import { firstSps } from '../../model/codec-config.js';
import { av1CodecFields, av1ProfileName, findAv1SequenceHeader } from '../../model/codec/av1.js';
import { vp9ProfileName } from '../../model/codec/vp9.js';
import { dOpsInfo } from '../../model/codec/opus.js';
import { dfLaStreamInfo } from '../../model/codec/flac.js';
import { dac3Info, dec3Info } from '../../model/codec/ac3.js';
import { codecString } from '../../model/codec/codec-string.js';

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
  /** avctx->framerate as ffmpeg's decoder sets it, with the frame's tick count (H.264: 2 fields per frame). */
  codecFrameRate?: { num: number; den: number; repeat: number };
  /** Frames a decoder holds back for reordering (H.264 max_num_reorder_frames, HEVC sps_max_num_reorder_pics). */
  reorderDepth?: number;
  /** Bit rate the codec configuration declares (AC-3 nominal rate, esds average), bits per second. */
  declaredBitRate?: number;
}

const attempt = unlessBadMedia;

function colourFields(out: CodecFields, c: { fullRange?: boolean | undefined; primaries?: number | undefined; transfer?: number | undefined; matrix?: number | undefined }): void {
  if (c.fullRange !== undefined) out.color_range = colorRangeName(c.fullRange);
  if (c.matrix !== undefined && c.matrix !== 2) out.color_space = colorSpaceName(c.matrix);
  if (c.transfer !== undefined && c.transfer !== 2) out.color_transfer = colorTransferName(c.transfer);
  if (c.primaries !== undefined && c.primaries !== 2) out.color_primaries = colorPrimariesName(c.primaries);
}


/** The first H.264 SPS NAL in a sample given as Annex B (start codes) or 4-byte length-prefixed NAL units. */
export function inBandAvcSps(sample: Uint8Array): Uint8Array | undefined {
  const annexB = !lengthsChain(sample, 0, sample.length, 4) && sample.length > 4 && sample[0] === 0 && sample[1] === 0 && (sample[2] === 1 || (sample[2] === 0 && sample[3] === 1));
  if (annexB) {
    for (let i = 0; i + 3 < sample.length; i++) {
      if (sample[i] === 0 && sample[i + 1] === 0 && sample[i + 2] === 1 && (sample[i + 3]! & 31) === 7) {
        let end = i + 3;
        while (end + 2 < sample.length && !(sample[end] === 0 && sample[end + 1] === 0 && (sample[end + 2] === 1 || sample[end + 2] === 0))) end++;
        return sample.subarray(i + 3, end + 2 < sample.length ? end : sample.length);
      }
    }
    return undefined;
  }
  for (let p = 0; p + 4 <= sample.length; ) {
    const len = ((sample[p]! << 24) >>> 0) + (sample[p + 1]! << 16) + (sample[p + 2]! << 8) + sample[p + 3]!;
    p += 4;
    if (len === 0 || p + len > sample.length) return undefined;
    if ((sample[p]! & 31) === 7) return sample.subarray(p, p + len);
    p += len;
  }
  return undefined;
}

/** Codec fields of one sample description (`firstSample`: for parameter sets carried in band). */
export function codecFields(d: SampleDescription, firstSample?: Uint8Array): CodecFields {
  const out: CodecFields = {};
  if (d.width !== undefined) {
    out.width = d.width;
    out.height = d.height ?? 0;
  }
  const cfg = d.config;
  switch (d.codec) {
    case 'h264': {
      const sps = attempt(() => {
        const nal = (cfg?.kind === 'avc' ? firstSps(cfg) : undefined) ?? (firstSample && inBandAvcSps(firstSample));
        return nal ? parseAvcSps(nal) : undefined;
      });
      if (!sps) break;
      out.profile = avcProfileName(sps.profileIdc, sps.constraintFlags) ?? String(sps.profileIdc);
      out.level = sps.levelIdc;
      if (sps.maxNumReorderFrames !== undefined) out.reorderDepth = sps.maxNumReorderFrames;
      out.width = sps.width;
      out.height = sps.height;
      out.coded_width = sps.codedWidth;
      out.coded_height = sps.codedHeight;
      const fmt = pixFmtName(sps.chromaFormatIdc, sps.bitDepthLuma, { fullRange: sps.videoFullRange === true, jpegNames: true });
      if (fmt) out.pix_fmt = fmt;
      if (sps.sar.num > 0) out.codecSar = sps.sar;
      if (sps.fieldOrder === 'progressive') out.field_order = 'progressive';
      colourFields(out, { fullRange: sps.videoFullRange, primaries: sps.colourPrimaries, transfer: sps.transferCharacteristics, matrix: sps.matrixCoefficients });
      if (sps.timingInfo && sps.timingInfo.numUnitsInTick > 0) {
        out.timingRate = { num: sps.timingInfo.timeScale, den: sps.timingInfo.numUnitsInTick * 2 };
        // framerate = time_scale / (2·num_units_in_tick); a progressive frame lasts two ticks.
        out.codecFrameRate = { num: sps.timingInfo.timeScale, den: sps.timingInfo.numUnitsInTick * 2, repeat: 1 };
      }
      break;
    }
    case 'hevc': {
      const sps = cfg?.kind === 'hevc' ? attempt(() => { const nal = firstSps(cfg); return nal ? parseHevcSps(nal) : undefined; }) : undefined;
      if (!sps) break;
      const ptl = sps.profileTierLevel;
      out.profile = hevcProfileName(ptl.generalProfileIdc, ptl.generalProfileCompatibilityFlags) ?? String(ptl.generalProfileIdc);
      out.level = ptl.generalLevelIdc;
      out.reorderDepth = sps.maxNumReorderPics;
      out.width = sps.width;
      out.height = sps.height;
      out.coded_width = sps.codedWidth;
      out.coded_height = sps.codedHeight;
      const fmt = pixFmtName(sps.chromaFormatIdc, sps.bitDepthLuma, { fullRange: sps.videoFullRange === true });
      if (fmt) out.pix_fmt = fmt;
      if (sps.sar.num > 0) out.codecSar = sps.sar;
      colourFields(out, { fullRange: sps.videoFullRange, primaries: sps.colourPrimaries, transfer: sps.transferCharacteristics, matrix: sps.matrixCoefficients });
      // With frame_field_info the picture structure comes from SEI (known only when decoding).
      if (!sps.fieldSeq && !sps.frameFieldInfoPresent) out.field_order = 'progressive';
      if (sps.timingInfo && sps.timingInfo.numUnitsInTick > 0) {
        out.timingRate = { num: sps.timingInfo.timeScale, den: sps.timingInfo.numUnitsInTick };
        out.codecFrameRate = { num: sps.timingInfo.timeScale, den: sps.timingInfo.numUnitsInTick, repeat: 1 };
      }
      break;
    }
    case 'av1': {
      const c = cfg?.kind === 'av1' ? cfg.av1C : undefined;
      const sh = c && attempt(() => findAv1SequenceHeader(c.configObus));
      if (!c) break;
      out.profile = av1ProfileName(c.seqProfile);
      if (sh) {
        const f = av1CodecFields(sh);
        out.level = f.seqLevelIdx;
        out.width = sh.maxFrameWidth;
        out.height = sh.maxFrameHeight;
        const fmt = pixFmtName(sh.monoChrome ? 0 : sh.subsamplingX ? (sh.subsamplingY ? 1 : 2) : 3, sh.bitDepth, { fullRange: sh.colorRange, jpegNames: false });
        if (fmt) out.pix_fmt = fmt;
        out.field_order = 'progressive';
        colourFields(out, { fullRange: sh.colorRange, primaries: sh.colorPrimaries, transfer: sh.transferCharacteristics, matrix: sh.matrixCoefficients });
      }
      break;
    }
    case 'vp9':
    case 'vp8': {
      const c = cfg?.kind === 'vpx' ? cfg.vpcC : undefined;
      if (!c) break;
      if (d.codec === 'vp9') {
        const name = vp9ProfileName(c.profile);
        if (name !== undefined) out.profile = name;
      }
      const fullRange = c.videoFullRangeFlag === 1;
      const fmt = pixFmtName(c.chromaSubsampling <= 1 ? 1 : c.chromaSubsampling === 2 ? 2 : 3, c.bitDepth, { fullRange, jpegNames: false });
      if (fmt) out.pix_fmt = fmt;
      out.field_order = 'progressive';
      colourFields(out, { fullRange, primaries: c.colourPrimaries, transfer: c.transferCharacteristics, matrix: c.matrixCoefficients });
      break;
    }
    case 'opus': {
      const c = cfg?.kind === 'opus' ? attempt(() => dOpsInfo(cfg.dOps)) : undefined;
      if (!c) break;
      out.sample_rate = c.sampleRate;
      out.channels = c.outputChannelCount;
      if (c.channelLayout) out.channel_layout = c.channelLayout;
      break;
    }
    case 'flac': {
      const c = cfg?.kind === 'flac' ? attempt(() => dfLaStreamInfo(cfg.dfLa)) : undefined;
      if (!c) break;
      out.sample_rate = c.sampleRate;
      out.channels = c.channels;
      if (c.channelLayout) out.channel_layout = c.channelLayout;
      break;
    }
    case 'ac3':
    case 'eac3': {
      const c = cfg?.kind === 'ac3' ? attempt(() => dac3Info(cfg.dac3)) : cfg?.kind === 'eac3' ? attempt(() => dec3Info(cfg.dec3)) : undefined;
      if (!c) break;
      out.sample_rate = c.sampleRate;
      out.channels = c.channels;
      if (c.channelLayout) out.channel_layout = c.channelLayout;
      out.declaredBitRate = c.bitRate;
      break;
    }
    case 'aac': {
      const asc = cfg?.kind === 'aac' ? attempt(() => parseAudioSpecificConfig(cfg.audioSpecificConfig)) : undefined;
      if (asc) {
        // SBR the config does not signal: ffmpeg finds it in the first frame, doubles the rate and, for a mono core
        // (PS undecided in the config), assumes parametric stereo — HE-AACv2, two channels. Looked for only at core
        // rates up to 24 kHz (where HE-AAC cores are): decoding a frame costs a cold probe a few milliseconds.
        const implicit = !asc.sbr && asc.objectType === 2 && asc.sampleRate <= 24000 && firstSample !== undefined && hasImplicitSbr(d, firstSample);
        const seen = implicit ? { ...asc, sbr: true, ps: asc.channelConfiguration === 1, extensionSampleRate: 2 * asc.sampleRate } : asc;
        out.profile = aacProfileName(seen);
        out.sample_rate = aacOutputSampleRate(seen);
        out.channels = seen.ps && seen.channelConfiguration === 1 ? 2 : asc.channels || d.channels || 0;
        const layout = aacChannelLayout(seen) ?? defaultChannelLayoutName(out.channels);
        if (layout) out.channel_layout = layout;
      }
      break;
    }
    default:
      break;
  }
  const outOfBand = cfg?.kind === 'avc' && firstSps(cfg) !== undefined;
  const codec = codecString(d, d.codec === 'h264' && firstSample && !outOfBand ? inBandAvcSps(firstSample) : undefined);
  if (codec !== undefined) out.codec_string = codec;
  // MPEG-4 audio declares its average bit rate in the esds DecoderConfigDescriptor.
  if (d.format === 'mp4a' && d.avgBitrate) out.declaredBitRate = d.avgBitrate;
  if (d.colour) {
    // The container's colr box, as ffmpeg's mov demuxer applies it over the bitstream's values.
    const c = d.colour;
    colourFields(out, { fullRange: c.fullRange ?? (out.color_range === undefined ? undefined : out.color_range === 'pc'), primaries: c.primaries, transfer: c.transfer, matrix: c.matrix });
  }
  // ffmpeg's HEVC, AV1 and VP9 decoders report limited range when the stream does not say (H.264 leaves it unknown).
  if ((d.codec === 'hevc' || d.codec === 'av1' || d.codec === 'vp9') && out.color_range === undefined && out.width !== undefined) out.color_range = 'tv';
  if (d.sampleRate !== undefined && out.sample_rate === undefined) out.sample_rate = Math.round(d.sampleRate);
  if (d.channels !== undefined && out.channels === undefined) {
    out.channels = d.channels;
    // A channel mask the container declares (WAV) decides; without one, ffmpeg's default layout for the count.
    const layout = d.channelMask !== undefined ? containerChannelLayoutName(d.channelMask, d.channels) : defaultChannelLayoutName(d.channels);
    if (layout) out.channel_layout = layout;
  }
  if (d.pcm) out.bits_per_sample = d.pcm.bitsPerSample;
  else if (d.sampleRate !== undefined) out.bits_per_sample = 0;
  return out;
}
