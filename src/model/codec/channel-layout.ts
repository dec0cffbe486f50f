/**
 * Channel layouts as ffprobe 5.1 prints `channel_layout` (libavutil/channel_layout.c).
 * Layouts are ffmpeg native-order channel masks (AV_CH_*); named ones print their name,
 * others print av_channel_layout_describe's "N channels (FL+FR+…)".
 */

/** ffmpeg AV_CH_* bits, in native order (bit i = channel i). */
export const CH = {
  FL: 1 << 0,
  FR: 1 << 1,
  FC: 1 << 2,
  LFE: 1 << 3,
  BL: 1 << 4,
  BR: 1 << 5,
  FLC: 1 << 6,
  FRC: 1 << 7,
  BC: 1 << 8,
  SL: 1 << 9,
  SR: 1 << 10,
  TC: 1 << 11,
  TFL: 1 << 12,
  TFC: 1 << 13,
  TFR: 1 << 14,
  TBL: 1 << 15,
  TBC: 1 << 16,
  TBR: 1 << 17,
  DL: 1 << 29,
  DR: 1 << 30,
  // Bits ≥ 31 don't fit a 32-bit int: keep them as plain numbers (2 ** n) and only add/compare them.
  WL: 2 ** 31,
  WR: 2 ** 32,
  SDL: 2 ** 33,
  SDR: 2 ** 34,
  LFE2: 2 ** 35,
  TSL: 2 ** 36,
  TSR: 2 ** 37,
  BFC: 2 ** 38,
  BFL: 2 ** 39,
  BFR: 2 ** 40,
} as const;

/** Channel abbreviations by bit index (native order), as `ffmpeg -layouts` lists them. */
const CHANNEL_NAMES: ReadonlyArray<readonly [number, string]> = Object.entries(CH).map(([name, bit]) => [bit, name] as const);

function sum(...bits: number[]): number {
  return bits.reduce((a, b) => a + b, 0);
}

const { FL, FR, FC, LFE, BL, BR, FLC, FRC, BC, SL, SR, TC, TFL, TFC, TFR, TBL, TBC, TBR, DL, DR, WL, WR, LFE2, TSL, TSR, BFC, BFL, BFR } = CH;

/** channel_layout_map of ffmpeg 5.1, in its order (order matters for {@link defaultChannelLayoutName}). */
const NAMED: ReadonlyArray<readonly [string, number]> = [
  ['mono', FC],
  ['stereo', sum(FL, FR)],
  ['2.1', sum(FL, FR, LFE)],
  ['3.0', sum(FL, FR, FC)],
  ['3.0(back)', sum(FL, FR, BC)],
  ['4.0', sum(FL, FR, FC, BC)],
  ['quad', sum(FL, FR, BL, BR)],
  ['quad(side)', sum(FL, FR, SL, SR)],
  ['3.1', sum(FL, FR, FC, LFE)],
  ['5.0', sum(FL, FR, FC, BL, BR)],
  ['5.0(side)', sum(FL, FR, FC, SL, SR)],
  ['4.1', sum(FL, FR, FC, LFE, BC)],
  ['5.1', sum(FL, FR, FC, LFE, BL, BR)],
  ['5.1(side)', sum(FL, FR, FC, LFE, SL, SR)],
  ['6.0', sum(FL, FR, FC, BC, SL, SR)],
  ['6.0(front)', sum(FL, FR, FLC, FRC, SL, SR)],
  ['hexagonal', sum(FL, FR, FC, BL, BR, BC)],
  ['6.1', sum(FL, FR, FC, LFE, BC, SL, SR)],
  ['6.1(back)', sum(FL, FR, FC, LFE, BL, BR, BC)],
  ['6.1(front)', sum(FL, FR, LFE, FLC, FRC, SL, SR)],
  ['7.0', sum(FL, FR, FC, BL, BR, SL, SR)],
  ['7.0(front)', sum(FL, FR, FC, FLC, FRC, SL, SR)],
  ['7.1', sum(FL, FR, FC, LFE, BL, BR, SL, SR)],
  ['7.1(wide)', sum(FL, FR, FC, LFE, BL, BR, FLC, FRC)],
  ['7.1(wide-side)', sum(FL, FR, FC, LFE, FLC, FRC, SL, SR)],
  ['octagonal', sum(FL, FR, FC, BL, BR, BC, SL, SR)],
  ['hexadecagonal', sum(FL, FR, FC, BL, BR, BC, SL, SR, TFL, TFC, TFR, TBL, TBC, TBR, WL, WR)],
  ['downmix', sum(DL, DR)],
  ['22.2', sum(FL, FR, FC, LFE, BL, BR, FLC, FRC, BC, SL, SR, TC, TFL, TFC, TFR, TBL, TBC, TBR, LFE2, TSL, TSR, BFC, BFL, BFR)],
];

function hasBit(mask: number, bit: number): boolean {
  return Math.floor(mask / bit) % 2 === 1;
}

/** The channels of a mask, in native order; bits ffmpeg does not name print as av_channel_name does ('USR18'). */
export function channelsOf(mask: number): string[] {
  const out: string[] = [];
  for (let i = 0, bit = 1; bit <= mask; i++, bit *= 2) {
    if (hasBit(mask, bit)) out.push(CHANNEL_NAMES.find(([b]) => b === bit)?.[1] ?? `USR${i}`);
  }
  return out;
}

/** Number of channels in a mask. */
export function channelCount(mask: number): number {
  return channelsOf(mask).length;
}

/**
 * What ffprobe 5.1 prints as channel_layout for a native channel mask: the standard name when
 * there is one ('5.1(side)'), else "N channels (FL+FR+LFE+BC)". Undefined for an empty mask.
 */
export function channelLayoutName(mask: number): string | undefined {
  if (mask <= 0) return undefined;
  const named = NAMED.find(([, m]) => m === mask);
  if (named) return named[0];
  const ch = channelsOf(mask);
  return `${ch.length} channels (${ch.join('+')})`;
}

/**
 * ffprobe 5.1's channel_layout for a container's channel mask (WAVE_FORMAT_EXTENSIBLE dwChannelMask, whose bits are
 * ffmpeg's AV_CH_* bits): the mask's layout when it has as many channels as the stream, else none — ffmpeg then
 * keeps the channel count with an unspecified order (a mask of 0, or with too few or too many bits, prints no layout).
 */
export function containerChannelLayoutName(mask: number, channels: number): string | undefined {
  return mask > 0 && channelCount(mask) === channels ? channelLayoutName(mask) : undefined;
}

/** The mask of a standard layout name ('stereo' → FL+FR), or undefined. */
export function channelLayoutMask(name: string): number | undefined {
  return NAMED.find(([n]) => n === name)?.[1];
}

/**
 * ffmpeg's default layout for a channel count (av_channel_layout_default: the first standard
 * layout with that many channels): 1 mono, 2 stereo, 3 '2.1', 4 '4.0', 5 '5.0', 6 '5.1', 7 '6.1', 8 '7.1'.
 */
export function defaultChannelLayoutName(channels: number): string | undefined {
  return NAMED.find(([, m]) => channelCount(m) === channels)?.[0];
}

/**
 * AAC channelConfiguration → ffmpeg 5.1's decoder layout (aacdectab.h aac_channel_layout):
 * 1 mono, 2 stereo, 3 '3.0', 4 '4.0', 5 '5.0', 6 '5.1', 7 '7.1', 11 '6.1(back)', 12 '7.1', 13 '22.2'.
 * (Config 7 is '7.1' in ffprobe 5.1's output, checked on a file from ffmpeg's own encoder, even though
 * the spec's 7th configuration has front-centre pairs.) Undefined for 0 (program_config_element) and reserved values.
 */
export const AAC_CONFIG_MASKS: ReadonlyArray<number> = [
  0,
  FC,
  sum(FL, FR),
  sum(FL, FR, FC),
  sum(FL, FR, FC, BC),
  sum(FL, FR, FC, BL, BR),
  sum(FL, FR, FC, LFE, BL, BR),
  sum(FL, FR, FC, LFE, BL, BR, SL, SR),
  0,
  0,
  0,
  sum(FL, FR, FC, LFE, BL, BR, BC),
  sum(FL, FR, FC, LFE, BL, BR, SL, SR),
  sum(FL, FR, FC, LFE, BL, BR, FLC, FRC, BC, SL, SR, TC, TFL, TFC, TFR, TBL, TBC, TBR, LFE2, TSL, TSR, BFC, BFL, BFR),
];

/** ffprobe channel_layout for an AAC channelConfiguration (see {@link AAC_CONFIG_MASKS}). */
export function aacChannelLayoutName(channelConfiguration: number): string | undefined {
  const m = AAC_CONFIG_MASKS[channelConfiguration];
  return m ? channelLayoutName(m) : undefined;
}

/**
 * Vorbis channel order layouts (ffmpeg ff_vorbis_ch_layouts), used for Opus mapping family 1;
 * index = channels − 1: mono, stereo, 3.0, quad, 5.0, 5.1, 6.1, 7.1.
 */
export const VORBIS_LAYOUT_MASKS: ReadonlyArray<number> = [
  FC,
  sum(FL, FR),
  sum(FL, FR, FC),
  sum(FL, FR, BL, BR),
  sum(FL, FR, FC, BL, BR),
  sum(FL, FR, FC, LFE, BL, BR),
  sum(FL, FR, FC, LFE, BC, SL, SR),
  sum(FL, FR, FC, LFE, BL, BR, SL, SR),
];

/** The element layout of an AAC program_config_element: is_cpe per element, in bitstream order. */
export interface PceElements {
  front: boolean[];
  side: boolean[];
  back: boolean[];
  lfe: number;
}

/**
 * Native channel mask for a PCE whose elements come in the conventional order (front: [SCE] then CPE;
 * side: one CPE; back: CPE then [SCE], or a lone SCE; at most one LFE). Other arrangements are what
 * ffmpeg 5.1 reports as an unspecified layout (ffprobe 'unknown'), and give undefined here.
 */
export function pceChannelMask(pce: PceElements): number | undefined {
  const key = (els: boolean[]): string => els.map((c) => (c ? 'C' : 'S')).join('');
  const front = ({ S: FC, C: sum(FL, FR), SC: sum(FC, FL, FR) } as Record<string, number>)[key(pce.front)];
  const side = ({ '': 0, C: sum(SL, SR) } as Record<string, number>)[key(pce.side)];
  const back = ({ '': 0, S: BC, C: sum(BL, BR), CS: sum(BL, BR, BC) } as Record<string, number>)[key(pce.back)];
  if (front === undefined || side === undefined || back === undefined || pce.lfe > 1) return undefined;
  return front + side + back + (pce.lfe ? LFE : 0);
}
