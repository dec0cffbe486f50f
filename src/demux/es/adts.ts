/**
 * Raw AAC in ADTS framing (ISO/IEC 14496-3 §1.A.2, `.aac` files and HLS packed audio) → {@link Movie}.
 *
 * One ADTS frame is one sample. Samples point at the raw_data_block payload after the 7-byte header
 * (9 with the CRC), the way an MP4 `mp4a` track stores AAC; ffprobe's packets are whole ADTS frames,
 * so its size is ours + header and its pos is ours − header.
 */
import { BoxwrightError } from '../../io/errors.js';
import type { Movie, SampleDescription } from '../../model/movie.js';
import { SampleTableBuilder, SYNC } from '../../model/sample-table.js';
import { AAC_CHANNELS_BY_CONFIG, buildAudioSpecificConfig, parseAdtsHeader, type AdtsHeader } from '../../model/codec/aac-asc.js';
import { id3v2TagSize, skipLeadingId3 } from './id3.js';
import { esMovie, noFrames, ticksFrom90k, type EsFraming } from './track.js';

const PATH = 'adts';
/**
 * Samples per raw_data_block. ADTS has no frameLengthFlag (its header maps onto an AudioSpecificConfig
 * with GASpecificConfig all zero), so 960-sample framing cannot be signalled and every block is 1024.
 */
const SAMPLES_PER_BLOCK = 1024;

/** The ADTS header at `p`, or undefined when the bytes there are not one (no sync, reserved values, cut). */
function headerAt(d: Uint8Array, p: number): AdtsHeader | undefined {
  // Cheap pre-checks so the parser (which throws) only sees plausible headers — exceptions cost
  // microseconds each and garbage can offer a candidate at every other byte: syncword 0xFFF, layer 00,
  // a defined sampling_frequency_index and an aac_frame_length covering the header (§1.A.2.2.1/2).
  if (d[p] !== 0xff || (d[p + 1]! & 0xf6) !== 0xf0 || p + 7 > d.length) return undefined;
  if (((d[p + 2]! >> 2) & 0xf) > 12) return undefined;
  const frameLength = ((d[p + 3]! & 3) << 11) | (d[p + 4]! << 3) | (d[p + 5]! >> 5);
  if (frameLength < (d[p + 1]! & 1 ? 7 : 9)) return undefined;
  try {
    return parseAdtsHeader(d, p, PATH);
  } catch (e) {
    if (e instanceof BoxwrightError) return undefined;
    throw e;
  }
}

/**
 * A header found while resynchronising is trusted only when the frame it announces is followed by the
 * end of the data, an ID3 tag, or another header with the same sampling index and channel configuration —
 * the check ffmpeg's ADTS probe makes, which random 0xFFF bytes in garbage rarely pass.
 */
function confirmed(d: Uint8Array, p: number, h: AdtsHeader): boolean {
  const next = p + h.frameLength;
  if (next >= d.length) return true;
  if (id3v2TagSize(d, next) > 0) return true;
  const n = headerAt(d, next);
  return n !== undefined && n.samplingFrequencyIndex === h.samplingFrequencyIndex && n.channelConfiguration === h.channelConfiguration;
}

/** Same fixed header (§1.A.2.2.1: ID, profile, sampling index, channel configuration). */
function sameStream(a: AdtsHeader, b: AdtsHeader): boolean {
  return a.mpegVersion === b.mpegVersion && a.objectType === b.objectType && a.samplingFrequencyIndex === b.samplingFrequencyIndex && a.channelConfiguration === b.channelConfiguration;
}

/** ADTS frame finding for incremental readers (see {@link EsFraming}); a frame's length is `aac_frame_length`. */
export const adtsFraming: EsFraming<AdtsHeader> = {
  headerAt,
  frameLength: (h) => h.frameLength,
  confirmed,
  sameStream,
  startsUnit: () => true,
  sampleRate: (h) => h.sampleRate,
  unitSamples: (h) => SAMPLES_PER_BLOCK * h.numberOfRawDataBlocks,
};

/**
 * Demuxes an ADTS stream. Leading ID3v2 tags are skipped; when one carries the HLS
 * `transportStreamTimestamp` PRIV frame (RFC 8216 §3.4) its 90 kHz time becomes the first sample's dts.
 * ID3 tags between frames are skipped too, and garbage is stepped over byte by byte until a confirmed
 * header (one whose frame is followed by another header, an ID3 tag or the end; right after a frame, a
 * header with the same fixed fields as the first is enough). A final frame cut short keeps the bytes that remain (ffprobe does the same).
 *
 * Timescale = sample rate of the first header; duration = 1024 × raw data blocks per frame.
 * The description's `config` is the AudioSpecificConfig the first header maps to. Later headers that
 * change the sampling rate or channels are not tracked (the description is the first header's).
 * Throws {@link BoxwrightError} UNSUPPORTED_FORMAT when there is no ADTS frame at all.
 */
export function demuxAdts(data: Uint8Array): Movie {
  const lead = skipLeadingId3(data);
  const table = new SampleTableBuilder(Math.max(16, Math.min(1 << 16, data.length >> 8)));
  let first: AdtsHeader | undefined;
  let dts = 0;
  let p = lead.end;
  let synced = false;
  // ffprobe's packets: whole frames.
  const pos: number[] = [];
  const frameSize: number[] = [];
  while (p < data.length) {
    const tag = id3v2TagSize(data, p);
    if (tag > 0) {
      p = Math.min(data.length, p + tag);
      continue;
    }
    const h = headerAt(data, p);
    // Right after a frame, a header of the same stream is trusted even when junk follows its frame.
    if (h === undefined || !(confirmed(data, p, h) || (synced && first !== undefined && sameStream(first, h)))) {
      synced = false;
      p++;
      continue;
    }
    if (first === undefined) {
      first = h;
      if (lead.timestamp90k !== undefined) dts = ticksFrom90k(lead.timestamp90k, h.sampleRate);
    }
    const end = Math.min(data.length, p + h.frameLength);
    const size = end - p - h.headerLength;
    if (size <= 0) break;
    const duration = SAMPLES_PER_BLOCK * h.numberOfRawDataBlocks;
    table.push(dts, 0, duration, size, p + h.headerLength, SYNC, 0);
    pos.push(p);
    frameSize.push(end - p);
    dts += duration;
    synced = true;
    p = end;
  }
  if (first === undefined) noFrames('ADTS', data, PATH);
  const description: SampleDescription = {
    entryType: 'mp4a',
    format: 'mp4a',
    codec: 'aac',
    config: { kind: 'aac', audioSpecificConfig: buildAudioSpecificConfig(first) },
    sampleRate: first.sampleRate,
    sampleSize: 16,
  };
  const channels = AAC_CHANNELS_BY_CONFIG[first.channelConfiguration];
  if (channels) description.channels = channels;
  const packetView = { pos: Float64Array.from(pos), size: Float64Array.from(frameSize) };
  return esMovie({ container: 'aac', description, timescale: first.sampleRate, samples: table.build(), data, packetView });
}
