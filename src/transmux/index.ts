/**
 * Incremental (push-based) MPEG-TS → fragmented MP4 transmuxer, for players that feed Media Source
 * Extensions the way hls.js / mux.js do. This module wires the parts, each with one job:
 *
 * - input.ts — finds the packets in the pushed bytes (any chunking; 188/192/204-byte packets; resync;
 *   packets before the first PMT held while the PSI is read ahead), copying them into one reused
 *   {@link PacketQueue};
 * - program.ts — the PAT/PMT (the demuxer's program tables), the streams we read, the PSI packets each
 *   window is demuxed with;
 * - timeline.ts — time base discontinuities mended as packets are queued, the 33-bit wrap, splice holes;
 * - cut-policy.ts — when a fragment is cut (keyframes, waiting for audio, forced cuts, audio-only cuts)
 *   and where a window's tracks are split (the segment plan's rule);
 * - writer.ts — init segment and moof + mdat fragments through the library's fragmented-MP4 writer.
 *
 * Here: each walked packet is queued (most need no parsing at all: the middle of a PES of a stream we
 * read), PES starts go to the timeline and the cut policy, and a cut that is ready is written: the queued
 * packets of the finished GOP (with the key PES as lookahead) are demuxed in place by {@link demuxTs} (with
 * the last PAT/PMT and per-PID limits), handed to the writer, and the consumed packets dropped. Only the
 * packet sequence decides when a fragment is cut, never where chunks end, so any chunking of the same
 * bytes produces the same output. `flush()` writes what is left.
 *
 * Decode times (`tfdt`) are on one 90 kHz timeline, continuous across pushes and across segments fed one
 * after another: by default it starts at `baseMediaDecodeTime` (0), with `keepOriginalTimestamps` it is
 * the stream's own. `reset()` (a seek) and `endTimeline()` (a discontinuity) start a new input pipeline;
 * the writer, which outlives them, places the new timeline (see writer.ts).
 */
import { continuationHint } from '../demux/ts/collect.js';
import type { VideoCodec } from '../demux/ts/access-units.js';
import type { MuxConfig } from '../demux/ts/latm.js';
import { demuxTs } from '../demux/ts/index.js';
import { emptyPacket, readPacketInto, NULL_PID } from '../demux/ts/packets.js';
import { parsePesHeader } from '../demux/ts/pes.js';
import { BoxwrightError } from '../io/errors.js';
import type { Movie } from '../model/movie.js';
import { CutPolicy, KeyframeProbe, splitWindow, type Cut, type WindowRange } from './cut-policy.js';
import { PacketInput } from './input.js';
import { PACKET, PacketQueue } from './packet-queue.js';
import { TransmuxProgram } from './program.js';
import { Timeline } from './timeline.js';
import type { GopAlignInfo, ResetOptions, Transmuxer, TransmuxerOptions } from './types.js';
import { FragmentWriter } from './writer.js';
import type { Engine } from './engine.js';
import { createEsEngine } from './es-engine.js';
import { routeByInputKind } from './input-kind.js';
import { createMp4Engine } from './mp4-engine.js';
import { OwnClockTimeline } from './own-clock.js';
import type { SilentFrame } from './audio-gaps.js';
import { silentAacFrame } from '../model/codec/aac-silence.js';
import { isBoxwrightError } from '../io/errors.js';

/** A silent frame for an AAC description, or undefined (no config, a layout the builder does not make). */
const silentFrame: SilentFrame = (d) => {
  if (d.config?.kind !== 'aac') return undefined;
  try {
    return silentAacFrame(d.config.audioSpecificConfig);
  } catch (e) {
    if (isBoxwrightError(e)) return undefined;
    throw e;
  }
};

export type { FragmentInfo, GopAlignInfo, TransmuxGopInfo, InitInfo, OutputType, ResetOptions, Transmuxer, TransmuxCaption, TransmuxerCallbacks, TransmuxerOptions, TransmuxMetadata } from './types.js';


/** A non-negative finite number, else a RangeError naming the option. */
function ticksOption(name: string, v: unknown, fallback: number): number {
  if (v === undefined) return fallback;
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) throw new RangeError(`createTransmuxer: ${name} must be a non-negative number, got ${String(v)}`);
  return v;
}

/** The presentation times of `alignGopsWith`'s argument, checked (the caller's bug: TypeError / RangeError). */
function alignPts(gops: unknown): number[] {
  if (!Array.isArray(gops)) throw new TypeError(`transmuxer: alignGopsWith() takes an array of { pts } objects, got ${gops === null ? 'null' : typeof gops}`);
  return gops.map((g: unknown, i) => {
    if (g === null || typeof g !== 'object') throw new TypeError(`transmuxer: alignGopsWith() entry ${i} must be an object with a pts, got ${g === null ? 'null' : typeof g}`);
    const pts = (g as { pts?: unknown }).pts;
    if (typeof pts !== 'number' || !Number.isFinite(pts)) throw new RangeError(`transmuxer: alignGopsWith() entry ${i} needs a finite pts (90 kHz ticks), got ${String(pts)}`);
    return pts;
  });
}

/**
 * Creates a push-based MPEG-TS → fragmented MP4 transmuxer.
 * @example
 * ```ts
 * import { createTransmuxer } from 'boxwright';
 * const tx = createTransmuxer({
 *   onInit: (init, info) => { sourceBuffer = mediaSource.addSourceBuffer(info.mimeType); queue.push(init); },
 *   onFragment: (fragment) => queue.push(fragment),
 * });
 * for await (const chunk of tsChunks) tx.push(chunk);
 * tx.flush();
 * ```
 * Options (all optional): `remux: false` for one output per kind, `keepOriginalTimestamps`,
 * `baseMediaDecodeTime`, `maxAudioGapFillSec`, `alignGopsAt` / `onGopInfo` with `alignGopsWith()` for
 * GOP alignment across renditions — see {@link TransmuxerOptions}.
 */
export function createTransmuxer(options: TransmuxerOptions): Transmuxer {
  if (options === null || typeof options !== 'object' || typeof options.onInit !== 'function' || typeof options.onFragment !== 'function') {
    throw new TypeError('createTransmuxer: options must be an object with onInit and onFragment functions');
  }
  for (const name of ['onCaptions', 'onMetadata', 'onGopInfo'] as const) {
    if (options[name] !== undefined && typeof options[name] !== 'function') throw new TypeError(`createTransmuxer: ${name} must be a function`);
  }
  for (const name of ['remux', 'keepOriginalTimestamps', 'emsg'] as const) {
    if (options[name] !== undefined && typeof options[name] !== 'boolean') throw new TypeError(`createTransmuxer: ${name} must be a boolean, got ${typeof options[name]}`);
  }
  const alignAt = options.alignGopsAt;
  if (alignAt !== undefined && alignAt !== 'start' && alignAt !== 'end') throw new RangeError(`createTransmuxer: alignGopsAt must be 'start' or 'end', got ${String(alignAt)}`);
  const baseMediaDecodeTime = ticksOption('baseMediaDecodeTime', options.baseMediaDecodeTime, 0);
  const maxGapSec = ticksOption('maxAudioGapFillSec', options.maxAudioGapFillSec, 10);
  const callbacks = { onInit: options.onInit.bind(options), onFragment: options.onFragment.bind(options) };
  const writer = new FragmentWriter(callbacks, {
    remux: options.remux !== false,
    keepOriginalTimestamps: options.keepOriginalTimestamps === true,
    baseMediaDecodeTime,
    maxAudioGapTicks: Math.round(maxGapSec * 90000),
    silentFrame,
    ...(options.onCaptions ? { onCaptions: options.onCaptions.bind(options) } : {}),
    ...(options.onMetadata ? { onMetadata: options.onMetadata.bind(options) } : {}),
    emsg: options.emsg === true,
    alignGopsAt: alignAt ?? 'start',
    ...(options.onGopInfo ? { onGopInfo: options.onGopInfo.bind(options) } : {}),
  });
  // Each timeline's input is routed by its first bytes: MPEG-TS, MP4 / fMP4 segments, or an audio elementary stream.
  const start = (how: 'reset' | 'continue', base?: number): Engine =>
    routeByInputKind((kind) => {
      // The 90 kHz transport stream clock wraps at 2^33; the other inputs keep their tracks' own clocks.
      const timeline = kind === 'ts' ? new Timeline() : new OwnClockTimeline();
      writer.startTimeline(timeline, how, base);
      return kind === 'ts' ? createTsEngine(writer, timeline) : kind === 'mp4' ? createMp4Engine(writer) : createEsEngine(kind, writer);
    });
  let engine = start('reset');
  return {
    push(chunk: Uint8Array): void {
      if (!(chunk instanceof Uint8Array)) throw new TypeError('transmuxer: push() takes a Uint8Array');
      if (chunk.length === 0) return;
      engine.push(chunk);
    },
    flush(): void {
      // The same timeline goes on (its time base, wrap count, where each track ends).
      try {
        engine.end();
      } finally {
        writer.endSegment();
      }
    },
    endTimeline(): void {
      try {
        engine.end();
      } finally {
        writer.endSegment();
      }
      engine = start('continue');
    },
    reset(resetOptions?: ResetOptions): void {
      if (resetOptions !== undefined && (resetOptions === null || typeof resetOptions !== 'object')) throw new TypeError('transmuxer: reset() takes an options object');
      const base = ticksOption('baseMediaDecodeTime', resetOptions?.baseMediaDecodeTime, baseMediaDecodeTime);
      // The old input is dropped unread: nothing of it reaches the new timeline.
      writer.discardSegment();
      engine = start('reset', base);
    },
    alignGopsWith(gops: readonly GopAlignInfo[]): void {
      writer.alignGopsWith(alignPts(gops));
    },
  };
}

/** The MPEG-TS engine of one timeline: after each `end()` (a segment's end) the next bytes go to a fresh pipeline on the same timeline. */
function createTsEngine(writer: FragmentWriter, timeline: Timeline): Engine {
  // One packet queue for the engine's pipelines: a segment's worth of buffer is not allocated again per segment.
  const queue = new PacketQueue();
  let pipeline = createTsPipeline(writer, timeline, queue);
  return {
    push: (chunk) => pipeline.push(chunk),
    end(): void {
      pipeline.end();
      queue.reset();
      pipeline = createTsPipeline(writer, timeline, queue);
    },
  };
}

/** The MPEG-TS input pipeline (see the module comment). */
function createTsPipeline(writer: FragmentWriter, timeline: Timeline, queue: PacketQueue): Engine {
  /** Sequence number of the next packet queued (counts every walked packet). */
  let seq = 0;
  const packet = emptyPacket();
  /** Per PID, the queue offset from which packets are outside the window being demuxed. */
  const limits = new Float64Array(8192);
  /**
   * Per PID, the seq of its last queued PES start (Infinity: none), kept as packets are queued: a cut
   * consumes a stream's packets only up to that start, so it stays queued until a later one replaces it.
   */
  const lastStart = new Float64Array(8192).fill(Infinity);
  const keyframes = new KeyframeProbe(queue);
  const program = new TransmuxProgram(queue, () => {
    // A different program: what is pending belongs to the old one.
    drain();
    policy.reset();
  });
  const policy = new CutPolicy((start) => keyframes.isKeyPes(start, program.videoPid, program.streams.get(program.videoPid) as VideoCodec));
  // Read once per packet: the arrays and objects themselves, not through the program.
  const isStream = program.isStream;
  const tables = program.tables;
  const nextStartOf = (pid: number): number | undefined => policy.lastStartOf(pid);

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

  /** The walked packet at `at` in the queue buffer. */
  const onPacket = (at: number): void => {
    const buf = queue.buf;
    const b1 = buf[at + 1]!;
    const fastPid = ((b1 & 0x1f) << 8) | buf[at + 2]!;
    if ((b1 & 0x40) === 0 && fastPid !== 0 && fastPid !== tables.pmtPid && isStream[fastPid]) {
      // Most packets: the middle of a PES of a stream we read. Nothing to parse, only to queue (with
      // what the window's demux would otherwise read again from memory by then).
      queue.enqueue(at, fastPid, seq, false, continuationHint(b1, buf[at + 3]!));
      seq++;
      return;
    }
    const p = readPacketInto(buf, at, packet);
    if (program.psiPacket(at, p) || !isStream[p.pid]) {
      skipPacket(at);
      return;
    }
    const pid = p.pid;
    const start = p.unitStart && p.hasPayload;
    let ts: number | undefined;
    if (start) {
      const h = parsePesHeader(buf.subarray(p.payloadStart, p.payloadEnd));
      if (h && h.pts !== undefined) ts = timeline.mendPes(buf, p.payloadStart, h, pid, program.streams.get(pid)!, seq);
    }
    if (pid === program.videoPid) {
      if (start) policy.videoStart(seq, ts);
    } else if (start && ts !== undefined) {
      policy.otherStart(pid, seq, ts, program.videoPid < 0 && program.firstAudioPid() === pid);
    }
    queue.enqueue(at, pid, seq, start);
    if (start) lastStart[pid] = seq;
    seq++;
    // Whether a cut is ready changes only with a new cut or a new PES start of another stream.
    if (policy.changed) {
      policy.changed = false;
      for (let c = policy.nextReady(program.audioPids); c; c = policy.nextReady(program.audioPids)) emitCut(c);
    }
  };

  const input = new PacketInput(queue, {
    readAhead: (at) => {
      program.psiPacket(at, readPacketInto(queue.buf, at, packet));
      return program.streams.size > 0;
    },
    packet: onPacket,
  });

  /** Demuxes the queued packets before byte `end`, inside `limits` when `withLimits`, with the last PAT/PMT. */
  /** LATM StreamMuxConfigs carried from window to window (frames may rely on a config sent in an earlier one). */
  const latm = new Map<number, { config?: MuxConfig }>();
  const demuxWindow = (end: number, withLimits: boolean): Movie =>
    demuxTs(queue.bytes().subarray(0, end), {
      psi: program.psi(),
      packets: { pid: queue.pid, hint: queue.hint },
      latm,
      ...(withLimits ? { limits } : {}),
    });

  /** Writes the GOP(s) before a cut and drops their packets. */
  const emitCut = (c: Cut): void => {
    const leadPid = program.videoPid >= 0 ? program.videoPid : program.firstAudioPid();
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
    // A forced cut is at the first PES starting at or after the cut PES's first packet.
    const cutAtByte = c.forced ? queue.indexOfSeq(c.consumeBefore) * PACKET : 0;
    const ranges = splitWindow(movie, leadPid, c, cutAtByte);
    // The samples are written (copied out of the queue) before the queue is compacted.
    writer.write(movie.tracks, ranges, timeline.passSplice(c.consumeBefore) ? nextStartOf : undefined);
    queue.compact(keep);
  };

  /** Writes every pending cut, then everything else pending (with the carried samples). */
  function drain(): void {
    for (let c = policy.next(); c; c = policy.next()) emitCut(c);
    if (queue.count > 0) {
      const movie = demuxWindow(queue.count * PACKET, false);
      const ranges = new Map<number, WindowRange>();
      for (const t of movie.tracks) ranges.set(t.id, { first: 0, count: t.samples.count, carry: 0 });
      writer.write(movie.tracks, ranges);
    } else if (writer.carrying) {
      writer.write([], new Map());
    }
    queue.clear();
    timeline.clearSplice();
    lastStart.fill(Infinity);
  }

  return {
    push(chunk: Uint8Array): void {
      input.push(chunk);
    },
    end(): void {
      input.finish();
      if (input.packets === 0 && input.bytes > 0) throw new BoxwrightError('UNSUPPORTED_FORMAT', `no MPEG-TS packets in ${input.bytes} bytes`, 0, '');
      // Any input has 0x47 bytes that look like packets: without a PAT naming a program it was not a transport stream.
      if (input.bytes > 0 && program.pmtPid < 0) throw new BoxwrightError('UNSUPPORTED_FORMAT', `no MPEG-TS program (PAT) in ${input.bytes} bytes`, 0, '');
      drain();
    },
  };
}

/**
 * A WHATWG TransformStream: transport stream bytes in, the init segment then fragments out.
 * @example
 * ```ts
 * import { createTransmuxStream } from 'boxwright';
 * const fmp4 = (await fetch('segment.ts')).body!.pipeThrough(createTransmuxStream());
 * for await (const part of fmp4) sourceBuffer.appendBuffer(part); // (wait for updateend between appends)
 * ```
 */
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
