/**
 * mux.js (videojs, a peer MPEG-TS → fMP4 transmuxer) as an oracle for demuxTs: runs its `Transmuxer` with
 * `{ keepOriginalTimestamps: true, remux: false }` over a whole file and reads the fMP4 it emits with mp4box.js,
 * giving mux.js's sample list (dts, pts, size, sync, bytes) per track type in the 90 kHz TS clock.
 *
 * mux.js has no type declarations; {@link MuxJs} declares the little we use.
 */
import { createFile, MP4BoxBuffer } from 'mp4box';

/** One segment as mux.js's Transmuxer emits it on 'data'. */
interface MuxJsSegment {
  type: string;
  initSegment: Uint8Array;
  data: Uint8Array;
}

interface MuxJsTransmuxer {
  on(event: 'data', fn: (segment: MuxJsSegment) => void): void;
  on(event: string, fn: (payload: unknown) => void): void;
  push(bytes: Uint8Array): void;
  flush(): void;
}

interface MuxJs {
  mp4: {
    Transmuxer: new (options: { keepOriginalTimestamps: boolean; remux: boolean }) => MuxJsTransmuxer;
  };
}

// mux.js is CommonJS without types; jest runs this file as CommonJS.
const muxjs = require('mux.js') as MuxJs;

/** One sample of mux.js's output, timestamps in 90 kHz ticks. */
export interface PeerSample {
  dts: number;
  pts: number;
  size: number;
  sync: boolean;
  bytes: Uint8Array;
}

/** What mux.js made of one track type. */
export interface PeerTrack {
  /** The fMP4 track timescale mux.js chose (90000 for video, the sample rate for audio). */
  timescale: number;
  /** mp4box's codec string for the sample entry. */
  codec: string;
  samples: PeerSample[];
}

/** mux.js's result on one file. */
export interface PeerResult {
  video?: PeerTrack;
  audio?: PeerTrack;
  /** mux.js threw (push or flush). */
  thrown?: string;
  /** Segment types emitted (for the record). */
  segments: string[];
}

function ownBuffer(data: Uint8Array, fileStart: number): MP4BoxBuffer {
  const ab = new ArrayBuffer(data.byteLength);
  new Uint8Array(ab).set(data);
  return MP4BoxBuffer.fromArrayBuffer(ab, fileStart);
}

/** Parses init + media segments (one track) with mp4box.js; timestamps rescaled to 90 kHz (exact for video). */
function readFmp4(parts: Uint8Array[]): PeerTrack | undefined {
  const total = parts.reduce((n, p) => n + p.byteLength, 0);
  const all = new Uint8Array(total);
  let at = 0;
  for (const p of parts) {
    all.set(p, at);
    at += p.byteLength;
  }
  const file = createFile();
  const saved = { log: console.log, warn: console.warn, info: console.info, error: console.error };
  console.log = console.warn = console.info = console.error = (): void => undefined;
  try {
    file.appendBuffer(ownBuffer(all, 0), true);
    file.flush();
  } finally {
    Object.assign(console, saved);
  }
  const info = file.getInfo();
  const t = info.tracks[0];
  if (!t) return undefined;
  const samples = file.getTrackSamplesInfo(t.id).map((s) => {
    const scale = 90000 / s.timescale;
    return {
      dts: s.dts * scale,
      pts: s.cts * scale,
      size: s.size,
      sync: s.is_sync,
      bytes: all.subarray(s.offset, s.offset + s.size),
    };
  });
  return { timescale: t.timescale, codec: t.codec, samples };
}

/** Runs mux.js's Transmuxer on a whole transport stream. */
export function muxJsTransmux(data: Uint8Array): PeerResult {
  const result: PeerResult = { segments: [] };
  const parts: Record<'video' | 'audio', Uint8Array[]> = { video: [], audio: [] };
  try {
    const t = new muxjs.mp4.Transmuxer({ keepOriginalTimestamps: true, remux: false });
    t.on('data', (seg: MuxJsSegment) => {
      result.segments.push(seg.type);
      if (seg.type !== 'video' && seg.type !== 'audio') return;
      const list = parts[seg.type];
      // Each segment carries its own init segment; keep the first, then the moof+mdat pairs.
      if (list.length === 0) list.push(seg.initSegment);
      list.push(seg.data);
    });
    t.push(data);
    t.flush();
  } catch (e) {
    result.thrown = e instanceof Error ? e.message : String(e);
  }
  for (const kind of ['video', 'audio'] as const) {
    if (parts[kind].length > 0) {
      const track = readFmp4(parts[kind]);
      if (track) result[kind] = track;
    }
  }
  return result;
}
