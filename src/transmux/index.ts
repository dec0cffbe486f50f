/**
 * Incremental (push-based) MPEG-TS → fragmented MP4 transmuxer, for players that feed Media Source
 * Extensions the way hls.js / mux.js do.
 *
 * Design: pushed bytes are copied into one reused {@link PacketQueue} (188-byte TS; 192-byte M2TS and
 * 204-byte packets are recognised on the first 4 KiB); a partial packet waits for the next push. Packets
 * before the first PMT are held while the PSI is read ahead, then walked in order. Only the packet
 * sequence decides when a fragment is cut, never where chunks end, so any chunking of the same bytes
 * produces the same output. A fragment is cut when a video PES holding a keyframe is complete (the next
 * video PES has started) and every audio stream has started a PES at or after that keyframe's decode
 * time (or two more keyframes have gone by without it); video without a keyframe for 10 s (intra
 * refresh, very long GOPs) is cut at a picture anyway, so what is held stays bounded. The queued packets of the finished GOP — with
 * the key PES as lookahead, so that the last frame's duration is the real one — are demuxed in place by
 * {@link demuxTs} (with the last PAT/PMT and per-PID limits); the samples before the keyframe are written
 * as moof+mdat (sequence numbers running on), and the consumed packets are dropped. Pictures before any
 * parameter sets cannot be described and are dropped. Streams without video are cut about once a second
 * at audio PES starts. `flush()` writes what is left.
 *
 * Decode times (`tfdt`) are the stream's own 90 kHz timestamps, continuous across pushes and across
 * segments fed one after another; a 33-bit wrap keeps counting upwards (as {@link demuxTs} does on a
 * whole file). At a time base discontinuity (timestamps that go back, or jump ahead more than 10 s: a
 * splice, an encoder restart, segments of another encoding) the timeline runs on from where it was,
 * by one shift for all streams (see discontinuity.ts; the PES timestamps are rewritten as packets are
 * queued). One transmuxer is one contiguous stream: a player that seeks creates a new one, whose
 * timestamps are the stream's own again. The init segment is written before the first fragment and
 * again whenever it changes (new parameter sets / AudioSpecificConfig, a track appearing).
 */
import { writeTree, type Box } from '../../boxes/tree.js';
import { bytesEqual, concatBytes } from '../io/bytes.js';
import { codecString } from '../model/codec/codec-string.js';
import { nalType, isKeyNal, type VideoCodec } from '../demux/ts/access-units.js';
import { continuationHint } from '../demux/ts/collect.js';
import { demuxTs } from '../demux/ts/index.js';
import { detectPacketSize, emptyPacket, readPacketInto, NULL_PID, SYNC_BYTE, type TsPacket } from '../demux/ts/packets.js';
import { parsePesHeader, unwrapTimestamp, TIMESTAMP_PERIOD, type PesHeader } from '../demux/ts/pes.js';
import { DiscontinuityDetector } from '../demux/ts/discontinuity.js';
import { TS_TIMESCALE } from '../demux/ts/timing.js';
import { writeTimestampField } from '../mux/ts/pes.js';
import { wrap33 } from '../mux/ts/timestamps.js';
import { emptySectionBuffer, parsePat, parsePmt, pushSectionPayload, type SectionBuffer } from '../demux/ts/psi.js';
import { esFormatOf, type PmtFormat } from '../demux/ts/stream-types.js';
import { BoxwrightError } from '../io/errors.js';
import type { Movie, SampleDescription, SampleSource, Track } from '../model/movie.js';
import { deferredSample } from '../model/sample-bytes.js';
import { sameData } from '../model/same-data.js';
import { SampleTableBuilder } from '../model/sample-table.js';
import { emptyTables, fragmentBoxes } from '../mux/fragment.js';
import { ftypBox, mvhdBox, trakBox } from '../mux/track-boxes.js';
import { PACKET, PacketQueue } from './packet-queue.js';

/** What {@link TransmuxerCallbacks.onInit} receives besides the bytes. */
export interface InitInfo {
  /** RFC 6381 codec strings of the tracks, in track order (`avc1.64001f`, `mp4a.40.2`). */
  codecs: string[];
  /** `video/mp4; codecs="…"` (or `audio/mp4` without video), ready for `MediaSource.isTypeSupported`. */
  mimeType: string;
}

/** What {@link TransmuxerCallbacks.onFragment} receives besides the bytes. */
export interface FragmentInfo {
  /** Presentation time of the fragment's first video (else first) sample, seconds on the stream's clock. */
  startSec: number;
  durationSec: number;
}

export interface TransmuxerCallbacks {
  /** An init segment (ftyp + moov): before the first fragment, and again when it changes. */
  onInit(init: Uint8Array, info: InitInfo): void;
  /** One moof + mdat. */
  onFragment(fragment: Uint8Array, info: FragmentInfo): void;
}

export interface Transmuxer {
  /** Feeds bytes of the transport stream (any chunking). */
  push(chunk: Uint8Array): void;
  /** Writes everything still pending; the transmuxer is finished afterwards. */
  flush(): void;
}

/** Pushed bytes are walked this many at a time (bounds the queue whatever the chunk size). */
const SLICE = 1 << 20;
/** At most this many bytes are held waiting for the first PMT. */
const HOLD_LIMIT = 8 << 20;
/** The packet size (188/192/204) is decided on this many leading bytes. */
const DETECT_BYTES = 4096;
/** Bytes of a video PES looked at first to find its first picture's NAL unit type. */
const KEY_PROBE_BYTES = 512;
/** Target fragment length for streams without video (90 kHz ticks). */
const AUDIO_ONLY_FRAGMENT = 90000;
/** Video held without a keyframe for this long (90 kHz ticks) is cut at a picture anyway: 10 s. */
const MAX_GOP = 10 * 90000;
/** Keyframe cuts that may wait for a late audio stream before it is cut anyway. */
const MAX_WAITING_CUTS = 3;

const VIDEO_FORMATS: ReadonlySet<PmtFormat> = new Set(['h264', 'hevc']);
/** A private stream the PMT does not name ('sniff') is taken for audio until its payload tells (see the demuxer). */
const AUDIO_FORMATS: ReadonlySet<PmtFormat> = new Set(['aac', 'latm', 'mp3', 'ac3', 'eac3', 'opus', 'sniff']);

/** A decided cut: the lead stream's packets before `consumeBefore` are written, and the samples before `keyTs`. */
interface Cut {
  /** First packet (seq) of the lead stream that stays pending (the key PES start). */
  consumeBefore: number;
  /** Lead packets before this seq go into the demux window (the key PES as lookahead). */
  windowBefore: number;
  /** Raw 90 kHz decode time of the cut. */
  keyTs: number;
  /** Cut at a picture that is not a keyframe, the video having gone too long without one. */
  forced?: boolean;
}




/** ftyp + moov (mvex/trex, no mehd: the length of a live stream is not known) for `tracks`. */
function initSegment(tracks: readonly Track[]): Uint8Array {
  const codecs = tracks.map((t) => t.descriptions[0]?.codec ?? '');
  const moov: Box = {
    type: 'moov',
    children: [
      mvhdBox(90000, 0, tracks.length + 1),
      ...tracks.map((t, i) =>
        trakBox(t, { trackId: i + 1, movieTimescale: 90000, sourceMovieTimescale: 90000, durationTicks: 0, container: 'fragmented MP4', sampleTable: emptyTables() }),
      ),
      {
        type: 'mvex',
        children: tracks.map((_t, i) => ({
          type: 'trex',
          value: { trackId: i + 1, defaultSampleDescriptionIndex: 1, defaultSampleDuration: 0, defaultSampleSize: 0, defaultSampleFlags: 0 },
        })),
      },
    ],
  };
  return writeTree([ftypBox('fmp4', codecs), moov]);
}

/** Samples [first, first + count) of `t` with `shift` added to their decode times; their bytes stay where they are. */
function sliceTrack(t: Track, first: number, count: number, shift: number, d: SampleDescription): Track {
  const s = t.samples;
  const b = new SampleTableBuilder(Math.max(1, count));
  let o = 0;
  for (let i = first; i < first + count; i++) {
    b.push(s.dts[i]! + shift, s.ctsOffset[i]!, s.duration[i]!, s.size[i]!, o, s.flags[i]!, 0);
    o += s.size[i]!;
  }
  const source: SampleSource = { sample: (k) => deferredSample(t, first + k) };
  const { packetView: _packetView, ...rest } = t;
  return { ...rest, descriptions: [d], samples: b.build(), data: new Uint8Array(0), source, durationTicks: 0, edits: [] };
}

/** `a`'s samples followed by `b`'s (both from {@link sliceTrack}). */
function joinTracks(a: Track, b: Track): Track {
  const na = a.samples.count;
  const t = new SampleTableBuilder(Math.max(1, na + b.samples.count));
  let o = 0;
  for (const x of [a, b]) {
    const s = x.samples;
    for (let i = 0; i < s.count; i++) {
      t.push(s.dts[i]!, s.ctsOffset[i]!, s.duration[i]!, s.size[i]!, o, s.flags[i]!, 0);
      o += s.size[i]!;
    }
  }
  const source: SampleSource = { sample: (k) => (k < na ? deferredSample(a, k) : deferredSample(b, k - na)) };
  return { ...b, samples: t.build(), data: new Uint8Array(0), source };
}

/**
 * Whether the first picture NAL unit of an Annex B payload is a keyframe (IDR / IRAP); only that one
 * decides (a keyframe's slices are all key). Undefined when `payload` is only the start of the PES
 * (`complete` false) and does not reach a picture yet.
 */
function firstPictureIsKey(codec: VideoCodec, payload: Uint8Array, complete: boolean): boolean | undefined {
  const headerBytes = codec === 'h264' ? 1 : 2;
  for (let i = 0; i + 3 < payload.length; i++) {
    if (payload[i] !== 0 || payload[i + 1] !== 0 || payload[i + 2] !== 1) continue;
    if (!complete && i + 3 + headerBytes > payload.length) return undefined;
    const type = nalType(codec, payload.subarray(i + 3, i + 3 + headerBytes));
    if (isKeyNal(codec, type)) return true;
    if (codec === 'h264' ? type >= 1 && type <= 5 : type <= 31) return false;
    i += 2;
  }
  return complete ? false : undefined;
}

function sameStreams(a: ReadonlyMap<number, PmtFormat>, b: ReadonlyMap<number, PmtFormat>): boolean {
  if (a.size !== b.size) return false;
  for (const [pid, f] of a) if (b.get(pid) !== f) return false;
  return true;
}

/** Creates a push-based MPEG-TS → fragmented MP4 transmuxer. */
export function createTransmuxer(callbacks: TransmuxerCallbacks): Transmuxer {
  if (callbacks === null || typeof callbacks !== 'object' || typeof callbacks.onInit !== 'function' || typeof callbacks.onFragment !== 'function') {
    throw new TypeError('createTransmuxer: callbacks must be an object with onInit and onFragment functions');
  }
  let finished = false;
  let bytesSeen = 0;
  let packetsSeen = 0;
  let seq = 0;
  const queue = new PacketQueue();
  /** Packet stride: 188, 192 (M2TS) or 204; 0 until decided. Bytes to skip before the next packet. */
  let stride = 0;
  let skip = 0;
  /** Before the first PMT: packets are held, and the PSI read `ahead` bytes past the first held one. */
  let holding = true;
  let ahead = 0;
  const packet = emptyPacket();
  /** Per PID, the queue offset from which packets are outside the window being demuxed. */
  const limits = new Float64Array(8192);
  /**
   * Per PID, the seq of its last queued PES start (Infinity: none), kept as packets are queued: a cut
   * consumes a stream's packets only up to that start, so it stays queued until a later one replaces it.
   */
  const lastStart = new Float64Array(8192).fill(Infinity);

  // PSI: the last complete PAT and PMT, as the packets that carried them.
  let pmtPid = -1;
  let programNumber: number | undefined;
  let patState: SectionBuffer = emptySectionBuffer();
  let pmtState: SectionBuffer = emptySectionBuffer();
  let patPkts: Uint8Array[] = [];
  let pmtPkts: Uint8Array[] = [];
  let patPrefix: Uint8Array[] = [];
  let pmtPrefix: Uint8Array[] = [];
  /** The last PMT section read (a repeat of it changes nothing). */
  let lastPmtSection: Uint8Array | undefined;
  /** Elementary streams of the PMT we can read, by PID. */
  let streams = new Map<number, PmtFormat>();
  /** 1 for the PIDs of `streams` (looked up once per packet). */
  const isStream = new Uint8Array(8192);
  /** The PIDs of `streams` with an audio format. */
  let audioPids: number[] = [];
  let videoPid = -1;

  // Video PES tracking.
  let videoPesStart = -1; // seq of the current video PES start
  let videoPesTs: number | undefined;
  let videoBefore = false; // pending holds video before the current PES
  /** Raw decode time of the last cut's video PES (or of the first video PES). */
  let lastCutTs: number | undefined;
  const cuts: Cut[] = [];
  /** A cut was added or an audio PES started since the cuts were last checked. */
  let cutsChanged = false;
  /** Raw timestamp of the last PES start per non-video PID. */
  const lastStartTs = new Map<number, number>();
  // Audio-only cutting.
  let audioWindowStart: number | undefined;

  /** Time base discontinuities, and the last decode time read (33-bit values are unwrapped next to it). */
  const timeline = new DiscontinuityDetector();
  let timeReference: number | undefined;
  /** Seq of the first packet on a new time base not yet written past (see mendPes). */
  let spliceSeq: number | undefined;

  // Output state.
  let sequenceNumber = 0;
  let wrapShift = 0;
  let lastEnd: number | undefined;
  let lastInit: Uint8Array | undefined;
  let lastInitInputs: unknown;
  /** Latest description per PID (init tracks), and the PIDs in PMT/track order. */
  const described = new Map<number, { track: Track; description: SampleDescription }>();
  /** Audio samples demuxed with one GOP that belong to the next (their dts is at or after its start), output timeline. */
  const carried = new Map<number, Track>();

  const onPat = (section: Uint8Array): void => {
    const pat = parsePat(section);
    if (!pat || pat.length === 0) return;
    const entry = programNumber === undefined ? pat[0]! : pat.find((e) => e.programNumber === programNumber);
    if (!entry) return;
    programNumber = entry.programNumber;
    if (entry.pmtPid !== pmtPid) {
      pmtState = emptySectionBuffer();
      lastPmtSection = undefined;
    }
    pmtPid = entry.pmtPid;
    patPrefix = patPkts.slice();
  };
  const onPmt = (section: Uint8Array): void => {
    if (section[0] !== 0x02) return;
    // The PMT repeats every ~100 ms, unchanged: only its packets are kept then.
    if (bytesEqual(lastPmtSection, section)) {
      pmtPrefix = pmtPkts.slice();
      return;
    }
    const pmt = parsePmt(section);
    if (!pmt || pmt.programNumber !== programNumber) return;
    const next = new Map<number, PmtFormat>();
    for (const s of pmt.streams) {
      if (s.pid === 0 || s.pid === NULL_PID || s.pid === pmtPid || next.has(s.pid)) continue;
      const f = esFormatOf(s.streamType, s.descriptors);
      if (f) next.set(s.pid, f);
    }
    if (!sameStreams(streams, next)) {
      // A different program (a new stream, a changed codec): what is pending belongs to the old one.
      drain();
      videoPid = -1;
      videoPesStart = -1;
      videoPesTs = undefined;
      videoBefore = false;
      lastCutTs = undefined;
      lastStartTs.clear();
      audioWindowStart = undefined;
    }
    streams = next;
    isStream.fill(0);
    for (const pid of streams.keys()) isStream[pid] = 1;
    audioPids = [...streams].filter(([, f]) => AUDIO_FORMATS.has(f)).map(([pid]) => pid);
    if (videoPid < 0 || !streams.has(videoPid)) {
      videoPid = -1;
      for (const [pid, f] of streams) {
        if (VIDEO_FORMATS.has(f)) {
          videoPid = pid;
          break;
        }
      }
    }
    pmtPrefix = pmtPkts.slice();
    lastPmtSection = section.slice();
  };

  /** The index of the first queued packet with seq ≥ `from` (seqs increase along the queue). */
  const queueIndexOf = (from: number): number => {
    let lo = 0;
    let hi = queue.count;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (queue.seq[mid]! < from) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };

  /** The payload bytes of the queued video packets from seq `from` on, at most `max` of them. */
  const videoPesBytes = (from: number, max: number): Uint8Array => {
    const first = queueIndexOf(from);
    /** Copies the bytes into `out` (only counts them without it); returns how many. */
    const fill = (out?: Uint8Array): number => {
      let o = 0;
      for (let i = first; i < queue.count && o < max; i++) {
        if (queue.pid[i] !== videoPid) continue;
        const p = readPacketInto(queue.buf, i * PACKET, packet);
        if (!p.hasPayload || p.payloadStart >= p.payloadEnd) continue;
        const end = Math.min(p.payloadEnd, p.payloadStart + max - o);
        if (out) out.set(queue.buf.subarray(p.payloadStart, end), o);
        o += end - p.payloadStart;
      }
      return o;
    };
    // The probe of every PES goes into one reused buffer; a whole PES (rarely needed) is counted first.
    if (max <= probe.length) return probe.subarray(0, fill(probe));
    const all = new Uint8Array(fill());
    fill(all);
    return all;
  };
  const probe = new Uint8Array(KEY_PROBE_BYTES);

  /** True when the completed video PES holds a keyframe NAL unit. */
  const isKeyPes = (): boolean => {
    const codec = streams.get(videoPid) as VideoCodec;
    // Most PES packets show their first slice within a few KiB; otherwise all of it is read.
    let pes = videoPesBytes(videoPesStart, KEY_PROBE_BYTES);
    for (;;) {
      const h = parsePesHeader(pes);
      if (!h) return false;
      const complete = pes.length < KEY_PROBE_BYTES;
      const key = firstPictureIsKey(codec, pes.subarray(h.payloadOffset), complete);
      if (key !== undefined) return key;
      if (complete) return false;
      const all = videoPesBytes(videoPesStart, Infinity);
      if (all.length === pes.length) return false;
      pes = all;
    }
  };

  /** The video PES that was being received ends here. */
  const endVideoPes = (): void => {
    if (videoPesStart < 0) return;
    if (videoBefore && videoPesTs !== undefined) {
      const key = isKeyPes();
      // A stream without keyframes for long (intra refresh, very long GOPs) is cut anyway, so that
      // what is held stays bounded; the fragment then starts with a picture that is not a sync sample.
      const forced = !key && lastCutTs !== undefined && unwrapTimestamp(videoPesTs, lastCutTs) - lastCutTs >= MAX_GOP;
      if (key || forced) {
        cuts.push({ consumeBefore: videoPesStart, windowBefore: seq, keyTs: videoPesTs, ...(forced ? { forced } : {}) });
        cutsChanged = true;
        lastCutTs = videoPesTs;
      }
    }
    if (lastCutTs === undefined && videoPesTs !== undefined) lastCutTs = videoPesTs;
    videoBefore = true;
  };

  const cutReady = (c: Cut): boolean => {
    if (cuts.length >= MAX_WAITING_CUTS) return true;
    // Called for every packet while a cut waits: a plain loop over the audio PIDs, no iterator.
    for (let i = 0; i < audioPids.length; i++) {
      const last = lastStartTs.get(audioPids[i]!);
      if (last !== undefined && unwrapTimestamp(last, c.keyTs) < c.keyTs) return false;
    }
    return true;
  };

  /**
   * A walked packet that is not a stream packet stays where it is as a null packet (no demuxer reads
   * those): moving every later packet down would cost more than carrying it until the next compaction.
   */
  const skipPacket = (at: number): void => {
    const buf = queue.buf;
    buf[at + 1] = buf[at + 1]! | 0x1f;
    buf[at + 2] = 0xff;
    queue.enqueue(at, NULL_PID, seq, false);
  };

  /**
   * True when the packet at `at` repeats `last`, a PSI section read whole from one packet: the same
   * bytes apart from the continuity counter.
   */
  const repeats = (last: readonly Uint8Array[], at: number): boolean => {
    if (last.length !== 1) return false;
    const a = last[0]!;
    const buf = queue.buf;
    if (a[1] !== buf[at + 1] || a[2] !== buf[at + 2] || (a[3]! & 0xf0) !== (buf[at + 3]! & 0xf0)) return false;
    for (let i = 4; i < PACKET; i++) if (a[i] !== buf[at + i]) return false;
    return true;
  };

  /** Reads a PAT or PMT packet (`p`, at `at`); false for any other packet. */
  const psiPacket = (at: number, p: TsPacket): boolean => {
    const buf = queue.buf;
    if (p.pid === 0) {
      // The PAT and PMT repeat every ~100 ms, unchanged: a repeat of a one-packet section changes nothing.
      if (p.unitStart && repeats(patPkts, at)) return true;
      if (p.unitStart) patPkts = [];
      patPkts.push(buf.slice(at, at + PACKET));
      if (p.hasPayload) patState = pushSectionPayload(patState, buf.subarray(p.payloadStart, p.payloadEnd), p.unitStart, false, onPat);
      return true;
    }
    if (p.pid === pmtPid) {
      if (p.unitStart && repeats(pmtPkts, at)) return true;
      if (p.unitStart) pmtPkts = [];
      pmtPkts.push(buf.slice(at, at + PACKET));
      if (p.hasPayload) pmtState = pushSectionPayload(pmtState, buf.subarray(p.payloadStart, p.payloadEnd), p.unitStart, false, onPmt);
      return true;
    }
    return false;
  };

  /**
   * Keeps the queued timestamps on one timeline across time base discontinuities (a splice, an
   * encoder restart, segments of another encoding fed on): the PTS/DTS of the PES header at `at`
   * (parsed: `h`) are rewritten in place when the program's timeline has been shifted. Returns the
   * PES decode time as it now is (33 bits).
   */
  const mendPes = (pid: number, format: PmtFormat, at: number, h: PesHeader): number => {
    const raw = h.dts ?? h.pts!;
    const dts = unwrapTimestamp(raw, timeReference);
    timeReference = dts;
    let shift = timeline.currentShift;
    if (format !== 'id3') {
      const before = timeline.current;
      timeline.generationFor(pid, dts);
      shift = timeline.shiftOf(pid);
      if (timeline.current !== before) spliceSeq ??= seq;
    }
    if (shift === 0) return raw;
    const buf = queue.buf;
    writeTimestampField(buf, at + 9, buf[at + 9]! >> 4, h.pts! + shift);
    if (h.dts !== undefined) writeTimestampField(buf, at + 14, buf[at + 14]! >> 4, h.dts + shift);
    return wrap33(raw + shift);
  };

  /** The walked packet at `at` in the queue buffer. */
  const onPacket = (at: number): void => {
    packetsSeen++;
    const buf = queue.buf;
    const b1 = buf[at + 1]!;
    const fastPid = ((b1 & 0x1f) << 8) | buf[at + 2]!;
    if ((b1 & 0x40) === 0 && fastPid !== 0 && fastPid !== pmtPid && isStream[fastPid]) {
      // Most packets: the middle of a PES of a stream we read. Nothing to parse, only to queue (with
      // what the window's demux would otherwise read again from memory by then).
      queue.enqueue(at, fastPid, seq, false, continuationHint(b1, buf[at + 3]!));
      seq++;
      return;
    }
    const p = readPacketInto(buf, at, packet);
    if (psiPacket(at, p)) {
      skipPacket(at);
      return;
    }
    const pid = p.pid;
    if (!isStream[pid]) {
      skipPacket(at);
      return;
    }
    const format = streams.get(pid)!;
    const start = p.unitStart && p.hasPayload;
    let ts: number | undefined;
    if (start) {
      const h = parsePesHeader(buf.subarray(p.payloadStart, p.payloadEnd));
      if (h && h.pts !== undefined) ts = mendPes(pid, format, p.payloadStart, h);
    }
    if (pid === videoPid) {
      if (start) {
        endVideoPes();
        videoPesStart = seq;
        videoPesTs = ts;
      }
    } else if (start && ts !== undefined) {
      lastStartTs.set(pid, ts);
      cutsChanged = true;
      if (videoPid < 0 && AUDIO_FORMATS.has(format) && firstAudioPid() === pid) {
        if (audioWindowStart === undefined) audioWindowStart = ts;
        else if (unwrapTimestamp(ts, audioWindowStart) - audioWindowStart >= AUDIO_ONLY_FRAGMENT) {
          cuts.push({ consumeBefore: seq, windowBefore: seq, keyTs: ts });
          cutsChanged = true;
          audioWindowStart = ts;
        }
      }
    }
    queue.enqueue(at, pid, seq, start);
    if (start) lastStart[pid] = seq;
    seq++;
    // Whether a cut is ready changes only with a new cut or a new audio PES start.
    if (cutsChanged) {
      cutsChanged = false;
      while (cuts.length > 0 && cutReady(cuts[0]!)) emitCut(cuts.shift()!);
    }
  };

  /** The lead stream of a program without video: its first audio stream (-1: none). */
  const firstAudioPid = (): number => audioPids[0] ?? -1;

  /**
   * Writes the samples of `movie` chosen per track (ranges by PID) as init (when changed) + fragments.
   * `spliced`: the window ends after a time base discontinuity — each stream's last sample then lasts
   * until its next PES (the new base), so that no player sees a hole at the splice.
   */
  const write = (movie: Movie, ranges: Map<number, { first: number; count: number }>, cutDts?: number, spliced = false): void => {
    // Pictures before the stream's first parameter sets (a segment cut mid-GOP) cannot be decoded and
    // have no sample description to write: they are dropped, as players do.
    for (const t of movie.tracks) {
      const r = ranges.get(t.id);
      if (!r || t.kind !== 'video' || described.has(t.id)) continue;
      while (r.count > 0 && !t.descriptions[t.samples.description[r.first]!]?.config) {
        r.first++;
        r.count--;
      }
    }
    // Descriptions: the one of each track's first written sample.
    for (const t of movie.tracks) {
      const r = ranges.get(t.id);
      if (!r || r.count === 0 || (t.kind !== 'video' && t.kind !== 'audio')) continue;
      const d = t.descriptions[t.samples.description[r.first]!] ?? t.descriptions[0];
      // A window without parameter sets of its own (a stream that sends them once) keeps the last ones.
      if (d && (d.config || t.kind !== 'video' || !described.has(t.id))) described.set(t.id, { track: t, description: d });
    }
    const order = movie.tracks.filter((t) => described.has(t.id)).map((t) => t.id);
    for (const pid of described.keys()) if (!order.includes(pid)) order.push(pid);
    if (order.length === 0) return;
    const previous = new Map(carried);
    carried.clear();

    // One shift for the whole window keeps its tracks in step; a 33-bit wrap keeps counting upwards.
    let ref: number | undefined;
    for (const t of movie.tracks) {
      const r = ranges.get(t.id);
      if (r && r.count > 0) ref = ref === undefined ? t.samples.dts[r.first]! : Math.min(ref, t.samples.dts[r.first]!);
    }
    if (ref === undefined && previous.size === 0) return;
    if (ref !== undefined && lastEnd !== undefined) {
      while (ref + wrapShift < lastEnd - TIMESTAMP_PERIOD / 2) wrapShift += TIMESTAMP_PERIOD;
      while (ref + wrapShift > lastEnd + TIMESTAMP_PERIOD / 2) wrapShift -= TIMESTAMP_PERIOD;
    }
    const initTracks = order.map((pid) => {
      const { track, description } = described.get(pid)!;
      return { ...track, descriptions: [description], samples: new SampleTableBuilder(1).build(), durationTicks: 0, edits: [] };
    });
    // Most windows have the tracks of the last one: the init segment is only rebuilt for others.
    // (Without the fields that change with every window and that the init segment does not use.)
    const initInputs = initTracks.map(({ samples: _s, data: _d, source: _so, packetView: _p, ...rest }) => rest);
    const init = lastInit !== undefined && sameData(lastInitInputs, initInputs) ? lastInit : initSegment(initTracks);
    lastInitInputs = initInputs;
    if (!bytesEqual(lastInit, init)) {
      lastInit = init;
      const codecs = initTracks.map((t) => codecString(t.descriptions[0]!) ?? t.descriptions[0]!.entryType.trim());
      const kind = initTracks.some((t) => t.kind === 'video') ? 'video' : 'audio';
      callbacks.onInit(init, { codecs, mimeType: `${kind}/mp4; codecs="${codecs.join(', ')}"` });
    }
    const subTracks = order.map((pid, i) => {
      const t = movie.tracks.find((x) => x.id === pid);
      const r = ranges.get(pid);
      let out: Track = { ...initTracks[i]! };
      if (t && r && r.count > 0) {
        // Samples at or after the next GOP's start wait for the next fragment.
        let count = r.count;
        if (cutDts !== undefined && t.kind !== 'video') {
          while (count > 0 && t.samples.dts[r.first + count - 1]! >= cutDts) count--;
          if (count < r.count) carried.set(pid, sliceTrack(t, r.first + count, r.count - count, wrapShift, described.get(pid)!.description));
        }
        out = sliceTrack(t, r.first, count, wrapShift, described.get(pid)!.description);
        const before = previous.get(pid);
        if (before) out = joinTracks(before, out);
        // The stream's next PES (not in the window) is on the new time base.
        const next = spliced && t.kind !== 'video' && count === r.count ? lastStartTs.get(pid) : undefined;
        const n = out.samples.count;
        if (next !== undefined && n > 0) {
          const dur = out.samples.duration as Float64Array;
          const lastDts = out.samples.dts[n - 1]!;
          const nextDts = unwrapTimestamp(next, lastDts - wrapShift) + wrapShift;
          // (A mended splice leaves at most about one PES between them: more is not ours to fill.)
          const hole = nextDts - (lastDts + dur[n - 1]!);
          if (hole > 0 && hole < TS_TIMESCALE) dur[n - 1] = nextDts - lastDts;
        }
      } else if (previous.has(pid)) {
        out = previous.get(pid)!;
      }
      return out;
    });
    const sub: Movie = { ...movie, timescale: 90000, tracks: subTracks };
    const out = fragmentBoxes(sub, subTracks);
    let end = -Infinity;
    let start = Infinity;
    for (const t of subTracks) {
      const s = t.samples;
      for (let i = 0; i < s.count; i++) {
        end = Math.max(end, s.dts[i]! + s.ctsOffset[i]! + s.duration[i]!);
        start = Math.min(start, s.dts[i]! + s.ctsOffset[i]!);
      }
      if (s.count > 0) lastEnd = Math.max(lastEnd ?? -Infinity, s.dts[s.count - 1]! + s.duration[s.count - 1]!);
    }
    const leadHasSamples = (subTracks.find((t) => t.kind === 'video') ?? subTracks[0]!).samples.count > 0;
    const count = out.fragmentSizes.length;
    for (let k = 0; k < count; k++) {
      const moof = out.boxes[out.initCount + 2 * k]!;
      // Sequence numbers run on across windows; each fragment is written into its own buffer, once.
      (moof.children![0]!.value as { sequenceNumber: number }).sequenceNumber = ++sequenceNumber;
      const frag = writeTree([moof, out.boxes[out.initCount + 2 * k + 1]!]);
      const s0 = leadHasSamples ? out.starts[k]! : start / 90000;
      const s1 = k + 1 < count ? out.starts[k + 1]! : end / 90000;
      callbacks.onFragment(frag, { startSec: s0, durationSec: Math.max(0, s1 - s0) });
    }
  };

  /** Demuxes the queued packets inside `limits` (all when undefined), with the last PAT/PMT. */
  const demuxWindow = (end: number, withLimits: boolean): Movie =>
    demuxTs(queue.bytes().subarray(0, end), {
      psi: concatBytes([...patPrefix, ...pmtPrefix]),
      packets: { pid: queue.pid, hint: queue.hint },
      ...(withLimits ? { limits } : {}),
    });

  /** Writes the GOP(s) before a cut and drops their packets. */
  const emitCut = (c: Cut): void => {
    const leadPid = videoPid >= 0 ? videoPid : firstAudioPid();
    const n = queue.count;
    // Other streams: every complete PES (up to their last PES start, whose PES may be incomplete);
    // their samples from the cut on are carried to the next fragment.
    // By PID (typed arrays: these loops run over every pending packet).
    limits.fill(Infinity);
    const keep = new Uint8Array(n);
    let inWindow = 0;
    let windowEnd = 0;
    for (let i = 0; i < n; i++) {
      const pid = queue.pid[i]!;
      if (pid === NULL_PID) continue; // dropped
      const s = queue.seq[i]!;
      const lead = pid === leadPid;
      const within = lead ? s < c.windowBefore : s < lastStart[pid]!;
      const consumed = lead ? s < c.consumeBefore : within;
      if (within) {
        inWindow++;
        windowEnd = (i + 1) * PACKET;
      } else if (limits[pid] === Infinity) limits[pid] = i * PACKET;
      if (!consumed) keep[i] = 1;
    }
    if (inWindow === 0) {
      queue.compact(keep);
      return;
    }
    // Packets after the window's last one are not read at all.
    const movie = demuxWindow(windowEnd, true);
    const ranges = new Map<number, { first: number; count: number }>();
    let cutDts: number | undefined;
    for (const t of movie.tracks) {
      const n = t.samples.count;
      if (t.id === leadPid && c.windowBefore > c.consumeBefore) {
        // The key access unit is lookahead: write the samples before the last sync sample (a forced
        // cut: before the first sample of the cut PES).
        let last = n;
        if (c.forced) {
          // The samples of PES that start before the cut PES's first packet (untimed ones go with the PES before them).
          const cutAt = queueIndexOf(c.consumeBefore) * PACKET;
          const pos = t.packetView?.pos;
          let at = -Infinity;
          for (last = 0; last < n; last++) {
            const p = pos?.[last];
            if (p !== undefined && !Number.isNaN(p)) at = p;
            if (at >= cutAt) break;
          }
        } else {
          for (let i = n - 1; i >= 0; i--) {
            if (t.samples.flags[i]! & 1) {
              last = i;
              break;
            }
          }
        }
        ranges.set(t.id, { first: 0, count: last });
        if (last < n) cutDts = t.samples.dts[last]!;
      } else {
        ranges.set(t.id, { first: 0, count: n });
      }
    }
    if (cutDts === undefined && c.windowBefore === c.consumeBefore) cutDts = unwrapTimestamp(c.keyTs, movie.tracks[0]?.samples.dts[0]);
    // The samples are written (copied out of the queue) before the queue is compacted.
    const spliced = spliceSeq !== undefined && c.consumeBefore >= spliceSeq;
    if (spliced) spliceSeq = undefined;
    write(movie, ranges, cutDts, spliced);
    queue.compact(keep);
  };

  /** Writes every pending cut, then everything else pending (with the carried samples). */
  function drain(): void {
    while (cuts.length > 0) emitCut(cuts.shift()!);
    const ranges = new Map<number, { first: number; count: number }>();
    let movie: Movie = { container: 'mpegts', compatibleBrands: [], timescale: 90000, durationTicks: 0, fragmented: false, tracks: [], tags: {} };
    const any = queue.count > 0;
    if (any) {
      movie = demuxWindow(queue.count * PACKET, false);
      for (const t of movie.tracks) ranges.set(t.id, { first: 0, count: t.samples.count });
    }
    if (any || carried.size > 0) write(movie, ranges);
    queue.clear();
    spliceSeq = undefined;
    lastStart.fill(Infinity);
  }

  /** Walks the raw bytes of the queue: every complete packet; a partial one waits for more bytes. */
  const walk = (finishing = false): void => {
    let p = queue.rawStart;
    // Bytes still to skip after the last packet (the M2TS prefix of the next one).
    const s = Math.min(skip, queue.rawEnd - p);
    p += s;
    skip -= s;
    if (stride === 0) {
      // The packet size is decided once, on the first DETECT_BYTES bytes, whatever the chunking.
      if (queue.rawEnd - p < DETECT_BYTES && !finishing) {
        queue.rawStart = p;
        return;
      }
      const found = detectPacketSize(queue.buf.subarray(p, Math.min(queue.rawEnd, p + DETECT_BYTES)));
      stride = found ? found.size : PACKET;
      if (found) p += found.firstSync;
    }
    if (holding) {
      // Until the first PMT names the streams, packets are held and only the PSI is read ahead: once it
      // is known they are walked in order, as if the PMT had come first (as mux.js holds them too).
      let q = p + ahead;
      while (holding && q < queue.rawEnd) {
        if (queue.buf[q] !== SYNC_BYTE) {
          q++;
          continue;
        }
        if (q + PACKET > queue.rawEnd) break;
        psiPacket(q, readPacketInto(queue.buf, q, packet));
        if (streams.size > 0) holding = false;
        q += stride;
        // A stream without a usable PMT in its first HOLD_LIMIT bytes is walked without one.
        if (q - p > HOLD_LIMIT) holding = false;
      }
      if (holding && !finishing) {
        ahead = q - p;
        queue.rawStart = p;
        return;
      }
      holding = false;
    }
    while (p < queue.rawEnd) {
      // Resynchronise byte by byte: the decision depends on the byte only, never on chunk ends.
      if (queue.buf[p] !== SYNC_BYTE) {
        p++;
        continue;
      }
      if (p + PACKET > queue.rawEnd) break;
      onPacket(p);
      // 192-byte M2TS: the next sync byte follows a 4-byte prefix; 204-byte: 16 parity bytes.
      p += stride;
    }
    if (p > queue.rawEnd) {
      skip = p - queue.rawEnd;
      p = queue.rawEnd;
    }
    queue.rawStart = p;
  };

  const push = (chunk: Uint8Array): void => {
    if (finished) throw new TypeError('transmuxer: push() after flush()');
    if (!(chunk instanceof Uint8Array)) throw new TypeError('transmuxer: push() takes a Uint8Array');
    if (chunk.length === 0) return;
    bytesSeen += chunk.length;
    // Copied in (the caller may reuse its chunk), a slice at a time.
    for (let o = 0; o < chunk.length; o += SLICE) {
      queue.append(chunk.subarray(o, Math.min(chunk.length, o + SLICE)));
      walk();
    }
  };

  const flush = (): void => {
    if (finished) throw new TypeError('transmuxer: flush() called twice');
    finished = true;
    walk(true);
    queue.rawStart = queue.rawEnd;
    if (packetsSeen === 0 && bytesSeen > 0) throw new BoxwrightError('UNSUPPORTED_FORMAT', `no MPEG-TS packets in ${bytesSeen} bytes`, 0, '');
    drain();
  };

  return { push, flush };
}

/** A WHATWG TransformStream: transport stream bytes in, the init segment then fragments out. */
export function createTransmuxStream(): TransformStream<Uint8Array, Uint8Array> {
  let tm: Transmuxer | undefined;
  return new TransformStream<Uint8Array, Uint8Array>({
    start(controller) {
      tm = createTransmuxer({ onInit: (b) => controller.enqueue(b), onFragment: (b) => controller.enqueue(b) });
    },
    transform(chunk) {
      tm!.push(chunk);
    },
    flush() {
      tm!.flush();
    },
  });
}
