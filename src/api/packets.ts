/**
 * Public `demuxMedia` / `readPackets`: the samples of any supported input as packets, with a decoder configuration
 * in the shape WebCodecs takes (`VideoDecoder.configure`, `AudioDecoder.configure`), for WebCodecs and custom
 * pipelines. A thin layer over the movie model: the demuxers already hold the samples as views of the input
 * (MPEG-TS video as length-prefixed access units built from the transport packets, ADTS as raw frames) and the
 * configuration records as box values; here they are only turned into plain objects, one packet at a time.
 */
import { makeBox, writeTree, type Box } from '../../boxes/tree.js';
import { demuxAny } from '../demux/index.js';
import { concatBytes } from '../io/bytes.js';
import { BoxwrightError } from '../io/errors.js';
import type { CodecConfig } from '../model/codec-config.js';
import { codecString } from '../model/codec/codec-string.js';
import { opusHeadBytes } from '../model/codec/opus.js';
import type { Movie, SampleDescription, Track, TrackKind } from '../model/movie.js';
import { completeSamples, sampleBytes } from '../model/sample-bytes.js';
import { SYNC } from '../model/sample-table.js';
import { presentationOffsetTicks } from '../model/segment-plan.js';
import { gcd, rescale } from '../model/time.js';

/** `VideoDecoderConfig.colorSpace` members (WebCodecs `VideoColorSpaceInit`), only those the stream signals and WebCodecs names. */
export interface WebCodecsColorSpace {
  primaries?: 'bt709' | 'bt470bg' | 'smpte170m' | 'bt2020' | 'smpte432';
  transfer?: 'bt709' | 'smpte170m' | 'iec61966-2-1' | 'linear' | 'pq' | 'hlg';
  matrix?: 'rgb' | 'bt709' | 'bt470bg' | 'smpte170m' | 'bt2020-ncl';
  fullRange?: boolean;
}

/** A `VideoDecoderConfig` for WebCodecs' `VideoDecoder.configure()` (structurally compatible with the DOM type). */
export interface WebCodecsVideoConfig {
  /** RFC 6381 codec string (`avc1.64001f`, `hvc1.1.6.L93.B0`, `av01.0.04M.08`, `vp09.00.10.08`, `vp8`). */
  codec: string;
  /**
   * H.264: the AVCDecoderConfigurationRecord (avcC body); HEVC: the HEVCDecoderConfigurationRecord (hvcC body) —
   * the packets are then length-prefixed NAL units. Absent for AV1, VP8 and VP9, whose WebCodecs registrations do
   * not use it (the AV1 sequence header travels in the key frames).
   */
  description?: Uint8Array;
  /** Picture size in pixels (sample entry or SPS); left out when the stream does not say (WebCodecs rejects 0). */
  codedWidth?: number;
  codedHeight?: number;
  /** The display aspect ratio when the pixels are not square (`pasp`, or the SPS's sample aspect ratio). */
  displayAspectWidth?: number;
  displayAspectHeight?: number;
  colorSpace?: WebCodecsColorSpace;
}

/** An `AudioDecoderConfig` for WebCodecs' `AudioDecoder.configure()` (structurally compatible with the DOM type). */
export interface WebCodecsAudioConfig {
  /** WebCodecs codec string: `mp4a.40.2`, `opus`, `flac`, `mp3`, `ac-3`, `ec-3`, `pcm-s16`, `pcm-s24`, `pcm-s32`, `pcm-f32`, `pcm-u8`, `alaw`, `ulaw`. */
  codec: string;
  sampleRate: number;
  numberOfChannels: number;
  /** AAC: the AudioSpecificConfig; Opus: the Ogg identification header (`OpusHead`); FLAC: `fLaC` + the metadata blocks (STREAMINFO first). */
  description?: Uint8Array;
}

/** One sample of a track, ready for `new EncodedVideoChunk(...)` / `new EncodedAudioChunk(...)`. */
export interface MediaPacket {
  /** Position of the sample in the track, in decode order. */
  index: number;
  /**
   * The coded bytes: a view of the input (no copy) where the sample is stored as one run — MP4/MOV/fMP4, ADTS,
   * MP3, AC-3, WAV, MPEG-TS audio; a fresh copy for MPEG-TS H.264/HEVC, whose access units are assembled from the
   * transport packets and given 4-byte NAL unit lengths (the form the track's `description` announces).
   */
  data: Uint8Array;
  /** Decode time in ticks of the track timescale. */
  dts: number;
  /** Presentation time in ticks of the track timescale (`dts` + composition offset). No edit list applied. */
  pts: number;
  /** Duration in ticks. */
  duration: number;
  /** Presentation time in microseconds on the movie timeline (edit list applied) — `EncodedVideoChunk.timestamp`. */
  timestamp: number;
  /** `duration` in microseconds — `EncodedVideoChunk.duration`. */
  durationUs: number;
  /** Whether the sample can be decoded on its own (video: a sync sample of the container; audio: always). */
  key: boolean;
  /** `key` as WebCodecs' `EncodedVideoChunkType` / `EncodedAudioChunkType`. */
  type: 'key' | 'delta';
  /** Index into the track's `decoderConfigs` of the configuration this sample needs (0 unless the track changes description). */
  descriptionIndex: number;
}

/** Options of {@link MediaTrack.packets}. */
export interface PacketRangeOptions {
  /** First sample index (default 0). */
  start?: number;
  /** Sample index to stop before (default the sample count). */
  end?: number;
}

/** One track of {@link demuxMedia}'s result. */
export interface MediaTrack {
  /** Track ID (MP4 `tkhd` track_ID; MPEG-TS: the PID; 1 for elementary streams). */
  id: number;
  /** What the track carries (from its handler). */
  kind: 'video' | 'audio' | 'subtitle' | 'data';
  /** Our codec id (ffprobe's codec_name): `h264`, `hevc`, `av1`, `vp9`, `aac`, `opus`, `mp3`, `ac3`, `flac`, `pcm_s16le` …; undefined when unknown. */
  codec: string | undefined;
  /** Ticks per second of `dts`, `pts` and `duration`. */
  timescale: number;
  /** Media duration in ticks. */
  durationTicks: number;
  /** Media duration in microseconds. */
  durationUs: number;
  /** Number of packets {@link MediaTrack.packets} yields (complete samples only: a file cut short loses the partial one). */
  sampleCount: number;
  /**
   * The WebCodecs decoder configuration of the track's first sample description; undefined when the codec has no
   * WebCodecs registration (subtitles, data, big-endian PCM, MPEG audio layers I/II …).
   */
  decoderConfig: WebCodecsVideoConfig | WebCodecsAudioConfig | undefined;
  /** One configuration per sample description (almost always one); `MediaPacket.descriptionIndex` indexes it. */
  decoderConfigs: ReadonlyArray<WebCodecsVideoConfig | WebCodecsAudioConfig | undefined>;
  /** The encryption scheme (`cenc`, `cbcs` …) when the samples are encrypted: their bytes are then ciphertext. */
  encryption?: string;
  /** The samples in decode order, one object at a time (nothing is materialized up front). */
  packets(options?: PacketRangeOptions): Generator<MediaPacket, void, undefined>;
  /** Sample `index` (0 ≤ index < sampleCount). */
  packet(index: number): MediaPacket;
}

/** The result of {@link demuxMedia}. */
export interface DemuxedMedia {
  /** The container the input was read as (`mp4`, `mpegts`, `m2ts`, `adts`, `mp3`, `ac3`, `wav`). */
  format: string;
  /** Every track, in the order of the input. */
  tracks: MediaTrack[];
  /** The earliest `timestamp` of a track's first packet (µs): subtract it for a timeline starting at 0. 0 without samples. */
  startUs: number;
  /** The track with this ID, or undefined. */
  track(id: number): MediaTrack | undefined;
}

/** Options of {@link demuxMedia}. */
export interface DemuxMediaOptions {
  /** An init segment to read before `data` when `data` is a bare media segment (moof/mdat). The packets are then views of a joined copy. */
  init?: Uint8Array;
}

/** Options of {@link readPackets}. */
export interface ReadPacketsOptions extends DemuxMediaOptions, PacketRangeOptions {
  /** The track to read (its ID); default the first video track, else the first audio track, else the first track. */
  trackId?: number;
}

const US = 1_000_000;

/** ISO/IEC 23091-2 code points → WebCodecs' names (only those WebCodecs defines). */
const PRIMARIES: Record<number, WebCodecsColorSpace['primaries']> = { 1: 'bt709', 5: 'bt470bg', 6: 'smpte170m', 9: 'bt2020', 12: 'smpte432' };
const TRANSFER: Record<number, WebCodecsColorSpace['transfer']> = { 1: 'bt709', 6: 'smpte170m', 8: 'linear', 13: 'iec61966-2-1', 16: 'pq', 18: 'hlg' };
const MATRIX: Record<number, WebCodecsColorSpace['matrix']> = { 0: 'rgb', 1: 'bt709', 5: 'bt470bg', 6: 'smpte170m', 9: 'bt2020-ncl' };

/** The body of a configuration box (its bytes after the header), written by the box's one definition. */
function boxBody(box: Box, fullBox: boolean): Uint8Array {
  // A configuration box is far below 4 GiB: an 8-byte header (plus version and flags for a full box).
  return writeTree([box]).subarray(fullBox ? 12 : 8);
}

function videoDescription(c: CodecConfig | undefined): Uint8Array | undefined {
  if (c?.kind === 'avc') return boxBody(makeBox('avcC', c.avcC), false);
  if (c?.kind === 'hevc') return boxBody(makeBox('hvcC', c.hvcC), false);
  return undefined;
}

function colorSpaceOf(d: SampleDescription): WebCodecsColorSpace | undefined {
  const c = d.colour;
  if (!c) return undefined;
  const out: WebCodecsColorSpace = {};
  const p = PRIMARIES[c.primaries];
  const t = TRANSFER[c.transfer];
  const m = MATRIX[c.matrix];
  if (p) out.primaries = p;
  if (t) out.transfer = t;
  if (m) out.matrix = m;
  if (c.fullRange !== undefined) out.fullRange = c.fullRange;
  return Object.keys(out).length > 0 ? out : undefined;
}

function videoConfig(d: SampleDescription): WebCodecsVideoConfig | undefined {
  const codec = d.codec === 'vp8' ? 'vp8' : codecString(d);
  if (!codec || !(d.codec === 'h264' || d.codec === 'hevc' || d.codec === 'av1' || d.codec === 'vp9' || d.codec === 'vp8')) return undefined;
  // H.264/HEVC packets are length-prefixed NAL units: without a record to say so a decoder would expect Annex B.
  const description = videoDescription(d.config);
  if ((d.codec === 'h264' || d.codec === 'hevc') && !description) return undefined;
  const out: WebCodecsVideoConfig = { codec };
  const width = d.width ?? 0;
  const height = d.height ?? 0;
  if (width > 0 && height > 0) {
    out.codedWidth = width;
    out.codedHeight = height;
  }
  if (description) out.description = description;
  const par = d.pixelAspect;
  if (par && par.h > 0 && par.v > 0 && par.h !== par.v && width > 0 && height > 0) {
    const w = width * par.h;
    const h = height * par.v;
    const g = gcd(w, h) || 1;
    out.displayAspectWidth = w / g;
    out.displayAspectHeight = h / g;
  }
  const cs = colorSpaceOf(d);
  if (cs) out.colorSpace = cs;
  return out;
}

/** WebCodecs' PCM codec strings (the registration covers interleaved little-endian samples). */
function pcmCodec(d: SampleDescription): string | undefined {
  const p = d.pcm;
  if (!p) return undefined;
  if (p.companding) return p.companding === 'alaw' ? 'alaw' : 'ulaw';
  if (p.float) return p.bitsPerSample === 32 ? 'pcm-f32' : undefined;
  if (p.bitsPerSample === 8) return 'pcm-u8';
  if (!p.littleEndian) return undefined;
  return p.bitsPerSample === 16 ? 'pcm-s16' : p.bitsPerSample === 24 ? 'pcm-s24' : p.bitsPerSample === 32 ? 'pcm-s32' : undefined;
}

function audioConfig(d: SampleDescription): WebCodecsAudioConfig | undefined {
  const c = d.config;
  let codec: string | undefined;
  let description: Uint8Array | undefined;
  let sampleRate = d.sampleRate ?? 0;
  let numberOfChannels = d.channels ?? 0;
  switch (d.codec) {
    case 'aac':
      codec = codecString(d);
      if (c?.kind === 'aac') description = c.audioSpecificConfig;
      break;
    case 'opus':
      codec = 'opus';
      if (c?.kind === 'opus') {
        description = opusHeadBytes(c.dOps);
        numberOfChannels = c.dOps.outputChannelCount;
      }
      sampleRate = 48000;
      break;
    case 'flac':
      codec = 'flac';
      if (c?.kind === 'flac') description = concatBytes([new Uint8Array([0x66, 0x4c, 0x61, 0x43]), boxBody(makeBox('dfLa', c.dfLa), true)]);
      break;
    case 'mp3':
      codec = 'mp3';
      break;
    case 'ac3':
      codec = 'ac-3';
      break;
    case 'eac3':
      codec = 'ec-3';
      break;
    default:
      codec = pcmCodec(d);
  }
  if (!codec) return undefined;
  const out: WebCodecsAudioConfig = { codec, sampleRate, numberOfChannels };
  if (description) out.description = description;
  return out;
}

function decoderConfig(kind: TrackKind, d: SampleDescription): WebCodecsVideoConfig | WebCodecsAudioConfig | undefined {
  if (d.protection) return undefined;
  return kind === 'video' ? videoConfig(d) : kind === 'audio' ? audioConfig(d) : undefined;
}

function checkRange(name: string, v: unknown, max: number): number | undefined {
  if (v === undefined) return undefined;
  if (typeof v !== 'number' || !Number.isInteger(v)) throw new TypeError(`${name} must be an integer, got ${String(v)}`);
  if (v < 0 || v > max) throw new RangeError(`${name} must be between 0 and ${max}, got ${v}`);
  return v;
}

function mediaTrack(movie: Movie, source: Track): MediaTrack {
  // Only samples whose bytes are all in the input: a file cut inside its mdat keeps the complete ones.
  const track = completeSamples(source);
  const s = track.samples;
  const count = s.count;
  const ts = track.timescale > 0 ? track.timescale : 1;
  const offset = presentationOffsetTicks(track, movie.timescale);
  const audio = track.kind === 'audio';
  const configs = track.descriptions.map((d) => decoderConfig(track.kind, d));
  const packet = (k: number): MediaPacket => {
    const dts = s.dts[k]!;
    const pts = dts + s.ctsOffset[k]!;
    const duration = s.duration[k]!;
    const key = audio || (s.flags[k]! & SYNC) !== 0;
    return {
      index: k,
      data: sampleBytes(track, k),
      dts,
      pts,
      duration,
      timestamp: rescale(pts + offset, ts, US),
      durationUs: rescale(duration, ts, US),
      key,
      type: key ? 'key' : 'delta',
      descriptionIndex: s.description[k] ?? 0,
    };
  };
  const encryption = track.descriptions.find((d) => d.protection)?.protection?.scheme;
  const out: MediaTrack = {
    id: track.id,
    kind: track.kind,
    codec: track.descriptions[0]?.codec,
    timescale: ts,
    durationTicks: track.durationTicks,
    durationUs: rescale(track.durationTicks, ts, US),
    sampleCount: count,
    decoderConfig: configs[0],
    decoderConfigs: configs,
    packets(options: PacketRangeOptions = {}) {
      // Checked here, not inside the generator, so a bad argument throws at the call.
      if (options === null || typeof options !== 'object') throw new TypeError('packets: options must be an object');
      const start = checkRange('packets: options.start', options.start, count) ?? 0;
      const end = checkRange('packets: options.end', options.end, count) ?? count;
      return (function* () {
        for (let k = start; k < end; k++) yield packet(k);
      })();
    },
    packet(index: number) {
      if (typeof index !== 'number' || !Number.isInteger(index)) throw new TypeError(`packet: index must be an integer, got ${String(index)}`);
      if (index < 0 || index >= count) throw new RangeError(`packet: index must be between 0 and ${count - 1}, got ${index}`);
      return packet(index);
    },
  };
  if (encryption) out.encryption = encryption;
  return out;
}

function checkInput(fn: string, data: unknown, options: unknown, allowed: readonly string[]): void {
  if (!(data instanceof Uint8Array)) throw new TypeError(`${fn}: data must be a Uint8Array (or Buffer)`);
  if (options === null || typeof options !== 'object') throw new TypeError(`${fn}: options must be an object`);
  for (const k of Object.keys(options)) {
    if (!allowed.includes(k)) throw new RangeError(`${fn}: unknown option '${k}' (supported: ${allowed.join(', ')})`);
  }
  const init = (options as { init?: unknown }).init;
  if (init !== undefined && !(init instanceof Uint8Array)) throw new TypeError(`${fn}: options.init must be a Uint8Array`);
}

function demux(data: Uint8Array, init: Uint8Array | undefined): DemuxedMedia {
  const input = init ? concatBytes([init, data]) : data;
  const { movie, format } = demuxAny(input);
  const tracks = movie.tracks.map((t) => mediaTrack(movie, t));
  let startUs: number | undefined;
  for (const t of tracks) {
    if (t.sampleCount === 0) continue;
    const first = t.packet(0).timestamp;
    if (startUs === undefined || first < startUs) startUs = first;
  }
  return { format, tracks, startUs: startUs ?? 0, track: (id: number) => tracks.find((t) => t.id === id) };
}

/**
 * Demuxes any supported input (MP4/MOV/fMP4, MPEG-TS, ADTS, MP3, AC-3, WAV) into tracks of packets, each track with
 * a WebCodecs decoder configuration. Reads the container's metadata once; packets are made one at a time as
 * `track.packets()` is iterated, their bytes views of `data` wherever the input stores the sample in one piece.
 *
 * Times: `dts`/`pts`/`duration` are integer ticks of `track.timescale` as stored; `timestamp` is the presentation
 * time in microseconds with the track's edit list applied (so an MP4 whose edit list skips the B-frame delay or
 * the AAC priming presents its first frame at 0, and primed audio packets come out before 0); inputs without edit
 * lists keep their own clock (MPEG-TS: the PES PTS, typically from 1.4 s) — subtract `startUs` for a timeline
 * starting at 0. MPEG-TS H.264/HEVC is given in length-prefixed (AVC/HEVC) form with an avcC/hvcC `description`
 * built from the in-band parameter sets; ADTS AAC as raw frames with the AudioSpecificConfig.
 * @throws TypeError / RangeError for bad arguments; BoxwrightError for unreadable or unsupported media.
 * @example
 * ```ts
 * import { demuxMedia } from 'boxwright';
 * const media = demuxMedia(bytes);
 * const video = media.tracks.find((t) => t.kind === 'video' && t.decoderConfig);
 * const decoder = new VideoDecoder({ output: (frame) => frame.close(), error: console.error });
 * decoder.configure(video.decoderConfig as VideoDecoderConfig);
 * for (const p of video.packets()) {
 *   decoder.decode(new EncodedVideoChunk({ type: p.type, timestamp: p.timestamp, duration: p.durationUs, data: p.data }));
 * }
 * await decoder.flush();
 * ```
 */
export function demuxMedia(data: Uint8Array, options: DemuxMediaOptions = {}): DemuxedMedia {
  checkInput('demuxMedia', data, options, ['init']);
  return demux(data, options.init);
}

/**
 * The packets of one track of `data`, in decode order, as a generator (see {@link demuxMedia} for what each packet
 * holds and how its times are given). The input is demuxed, and the arguments checked, when it is called; the
 * packets are made as they are iterated. The track is `options.trackId`, else the first video track, else the first
 * audio track, else the first track.
 * @throws TypeError / RangeError for bad arguments; BoxwrightError for bad media, or NO_TRACK when the input has no
 * track (or none with `trackId`).
 * @example
 * ```ts
 * import { readPackets } from 'boxwright';
 * let keys = 0;
 * for (const p of readPackets(bytes, { trackId: 1 })) if (p.key) keys++;
 * ```
 */
export function readPackets(data: Uint8Array, options: ReadPacketsOptions = {}): Generator<MediaPacket, void, undefined> {
  checkInput('readPackets', data, options, ['init', 'trackId', 'start', 'end']);
  if (options.trackId !== undefined && !(typeof options.trackId === 'number' && Number.isInteger(options.trackId))) {
    throw new TypeError(`readPackets: options.trackId must be an integer, got ${String(options.trackId)}`);
  }
  const media = demux(data, options.init);
  const tracks = media.tracks;
  const track =
    options.trackId !== undefined
      ? media.track(options.trackId)
      : (tracks.find((t) => t.kind === 'video') ?? tracks.find((t) => t.kind === 'audio') ?? tracks[0]);
  if (!track) {
    throw new BoxwrightError(
      'NO_TRACK',
      options.trackId !== undefined ? `no track with ID ${options.trackId} (the input has ${tracks.map((t) => t.id).join(', ') || 'none'})` : 'the input has no track',
      0,
      '',
    );
  }
  const range: PacketRangeOptions = {};
  if (options.start !== undefined) range.start = options.start;
  if (options.end !== undefined) range.end = options.end;
  return track.packets(range);
}
