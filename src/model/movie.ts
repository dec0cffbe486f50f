/** The format-neutral movie model every writer, packager and analyzer uses. No byte parsing here. */
import type { DeferredBytes } from '../io/deferred-bytes.js';
import type { SampleTable } from './sample-table.js';
import type { CodecConfig } from './codec-config.js';

export type TrackKind = 'video' | 'audio' | 'subtitle' | 'data';

/** One edit-list entry (ticks: segment duration in the movie timescale, media time in the track timescale). */
export interface EditEntry {
  /** Duration of the edit in the movie timescale. */
  segmentDurationTicks: number;
  /** Start in the media (track timescale); −1 for an empty edit (a gap). */
  mediaTimeTicks: number;
  /** Playback rate (1 normally; 0 = dwell). */
  rate: number;
}

/** Content protection signalled for a sample description (CENC / cbcs …). */
export interface Protection {
  /** 'cenc', 'cbcs', 'cens', 'cbc1'. */
  scheme: string;
  schemeVersion: number;
  /** Default key ID as 32 lowercase hex digits. */
  kid?: string;
  perSampleIvSize?: number;
  constantIv?: Uint8Array;
  cryptByteBlock?: number;
  skipByteBlock?: number;
}

/** A sample description (one `stsd` entry / one TS stream's parameters), format-neutral. */
export interface SampleDescription {
  /** Sample entry / format fourcc as stored (`avc1`, `mp4a`, `encv`…). */
  entryType: string;
  /** The unencrypted format (`frma` for encv/enca), else `entryType`. */
  format: string;
  /** Our codec id (ffprobe's codec_name where one exists): h264, hevc, av1, vp9, vp8, aac, mp3, opus, ac3, eac3, flac, alac, pcm_s16le …; undefined when unknown. */
  codec?: string;
  /** Encoder delay in samples a stream header declares (LAME/Xing tag of an MP3), whether or not an edit list applies it. */
  encoderDelay?: number;
  /** AAC that arrived in LATM/LOAS (MPEG-TS stream type 0x11; ffprobe: aac_latm): the samples are the raw frames. */
  latm?: boolean;
  /** Codec configuration, decoded once (the configuration box's value; AAC's AudioSpecificConfig). */
  config?: CodecConfig;
  width?: number;
  height?: number;
  /** Pixel aspect ratio from `pasp`. */
  pixelAspect?: { h: number; v: number };
  /** `colr nclx/nclc` values. */
  colour?: { primaries: number; transfer: number; matrix: number; fullRange?: boolean };
  sampleRate?: number;
  channels?: number;
  /**
   * The channel mask the container declares (WAVE_FORMAT_EXTENSIBLE dwChannelMask; bit i = ffmpeg's AV_CH_* bit i),
   * as stored: it may name more or fewer channels than `channels`. Absent when the container has none.
   */
  channelMask?: number;
  /** Bits per (PCM) sample, from the sample entry. */
  sampleSize?: number;
  /** PCM: little-endian / float signalled by the entry. */
  pcm?: { bitsPerSample: number; littleEndian: boolean; float: boolean; companding?: 'alaw' | 'ulaw' };
  /** Average/max bitrate from `btrt` or the esds decoder config (bits per second). */
  avgBitrate?: number;
  maxBitrate?: number;
  protection?: Protection;
  /** QuickTime timecode (tmcd) description. */
  timecode?: { timescale: number; frameDuration: number; numberOfFrames: number; flags: number };
  /** The codec tag the container itself uses when it is not a sample entry type (MPEG-TS stream_type or registration, WAV format tag). */
  containerTag?: string;
  /** The complete sample entry box as it was in the input (MP4), for writers that copy it verbatim. */
  sourceEntry?: Uint8Array;
  /** Codec-specific extra boxes of the entry, kept as bytes by type (for writers). */
  extraBoxes?: ReadonlyArray<{ type: string; data: Uint8Array }>;
}

/**
 * Per sample, the packet ffmpeg's demuxer of the source container returns for it (ffprobe's view),
 * for containers whose packets are not the samples as stored: an MPEG-TS access unit is an Annex B
 * byte run returned when its PES is complete, an ADTS frame keeps its header.
 */
export interface PacketView {
  /** Input offset of the packet (the TS packet its PES starts in); NaN where ffprobe prints N/A. */
  pos: Float64Array;
  /** Packet size in bytes. */
  size: Float64Array;
  /**
   * When the demuxer returns it, as an input offset (MPEG-TS: the packet completing its PES, one
   * more PES for H.264/HEVC whose parser waits for the next access unit; Infinity: only the final
   * flush returns it). Packets of all tracks are listed in this order.
   */
  readOrder?: Float64Array;
  /**
   * What the demuxer added to each sample's timestamps to keep the timeline continuous across a
   * discontinuity (MPEG-TS); the input's own timestamps are these less it. Absent when nothing was added.
   */
  shift?: Float64Array;
}

/** Where the bytes of a track's samples come from when they are not in `Track.data`. */
export interface SampleSource {
  /** Sample `k` (its `samples.size[k]` bytes), to copy where it is written. */
  sample(k: number): DeferredBytes;
}

export interface Track {
  id: number;
  kind: TrackKind;
  /** Handler type (`vide`, `soun`, `subt`, `text`, `sbtl`, `clcp`, `meta`, `tmcd` …). */
  handlerType: string;
  handlerName: string;
  /** ISO 639-2 code ('und' when the file says undetermined); absent when the file leaves it unspecified. */
  language?: string;
  timescale: number;
  /** Media duration in ticks (mdhd), or the sum of sample durations when mdhd has none. */
  durationTicks: number;
  edits: EditEntry[];
  descriptions: SampleDescription[];
  samples: SampleTable;
  /**
   * The bytes that sample offsets point into: the input itself for MP4 (zero-copy), or a buffer the
   * demuxer assembled once (MPEG-TS audio frames reassembled from PES packets). Empty when `source`
   * is set.
   */
  data: Uint8Array;
  /**
   * Samples whose bytes exist nowhere back to back (MPEG-TS video: NAL units spread over transport
   * packets, length prefixes to add): each copies itself into place when written. The sample offsets
   * are then those of the samples laid back to back. See `model/sample-bytes.ts`.
   */
  source?: SampleSource;
  /** How the container's own demuxer (ffmpeg's) presents the samples as packets, where that differs from the samples. */
  packetView?: PacketView;
  /** Frames the container declares when its samples were regrouped into packets (QuickTime PCM: stts count). */
  frameCount?: number;
  /** In a file with mvex: how many samples the moov's own sample table lists (fragments add the rest). */
  moovSampleCount?: number;
  /** tkhd width/height (16.16 presentation size) and the transformation matrix (nine raw 32-bit values). */
  presentationWidth?: number;
  presentationHeight?: number;
  matrix?: readonly number[];
  /** tkhd flags. */
  enabled: boolean;
  /** tkhd alternate group. */
  alternateGroup: number;
  /** Track references by type (`chap`, `hint`, …): referenced track IDs. */
  references: Record<string, number[]>;
}

export interface Movie {
  /** MPEG-TS: the programs the PAT lists (ffprobe's nb_programs); absent elsewhere. */
  programCount?: number;
  /** 'mp4' for ISO-BMFF/QuickTime; other demuxers set their own. */
  container: string;
  majorBrand?: string;
  minorVersion?: number;
  compatibleBrands: string[];
  /** Movie timescale (mvhd) and duration in it. */
  timescale: number;
  durationTicks: number;
  /** The file is fragmented (moof boxes or mvex). */
  fragmented: boolean;
  tracks: Track[];
  /** Title/encoder/… tags (ffprobe names: title, encoder, major_brand…). */
  tags: Record<string, string>;
  /** Seconds since 1904 (mvhd creation_time), when set. */
  creationTime?: number;
}
