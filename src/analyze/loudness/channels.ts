/**
 * Channel weights of ITU-R BS.1770-4 (Table 3): 1.0 for the front channels, 1.41 (+1.5 dB) for the surrounds, and
 * the LFE left out. Channels are identified by the track's layout in the decoder's order — ffmpeg's native order
 * (FL FR FC LFE BL BR … for 5.1) — and weighted as ffmpeg's ebur128 filter does: back, side, top-back and
 * surround-direct channels count as surrounds.
 */
import { AAC_CONFIG_MASKS, channelCount, channelLayoutMask, channelsOf, defaultChannelLayoutName } from '../../model/codec/channel-layout.js';
import { parseAudioSpecificConfig } from '../../model/codec/aac-asc.js';
import { configOf } from '../../model/codec-config.js';
import type { SampleDescription } from '../../model/movie.js';
import { unlessBadMedia } from '../../io/errors.js';

const SURROUND = new Set(['BL', 'BC', 'BR', 'SL', 'SR', 'TBL', 'TBC', 'TBR', 'SDL', 'SDR']);
const LFE = new Set(['LFE', 'LFE2']);

/**
 * The native channel mask of a track's decoded audio: the WAV channel mask when the container gives one, the AAC
 * channel configuration, else ffmpeg's default layout for the channel count (as the ffmpeg command line guesses it).
 * Undefined when none of these has `channels` channels (every channel then weighs 1.0).
 */
export function channelMaskOf(description: SampleDescription, channels: number, containerMask?: number): number | undefined {
  const fits = (m: number | undefined): m is number => m !== undefined && m > 0 && channelCount(m) === channels;
  if (fits(containerMask)) return containerMask;
  const aac = configOf(description.config, 'aac');
  if (aac) {
    const cfg = unlessBadMedia(() => parseAudioSpecificConfig(aac.audioSpecificConfig).channelConfiguration);
    const m = cfg === undefined ? undefined : AAC_CONFIG_MASKS[cfg];
    if (fits(m)) return m;
  }
  const name = defaultChannelLayoutName(channels);
  const m = name === undefined ? undefined : channelLayoutMask(name);
  return fits(m) ? m : undefined;
}

/** BS.1770 weight of each channel, in order, for a native channel mask (all 1.0 without one). */
export function channelWeights(mask: number | undefined, channels: number): Float64Array {
  const w = new Float64Array(channels).fill(1);
  if (mask === undefined) return w;
  channelsOf(mask).forEach((name, i) => {
    if (i < channels) w[i] = LFE.has(name) ? 0 : SURROUND.has(name) ? 1.41 : 1;
  });
  return w;
}
