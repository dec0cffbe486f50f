/**
 * mux.js 7.1 as the caption oracle: its Transmuxer for MPEG-TS (CaptionStream over the H.264 SEI it demuxes) and
 * its mp4 CaptionParser for fMP4 segments. mux.js has no type declarations; the interfaces declare what we use.
 */
import type { CaptionCue } from '../../src/captions/index.js';

/** A cue as mux.js emits it: CEA-608 as rows (`content`), CEA-708 as `text`. */
interface MuxJsCaption {
  startPts: number;
  endPts: number;
  stream: string;
  text?: string;
  content?: Array<{ text: string }>;
}

interface MuxJs {
  mp4: {
    Transmuxer: new (options?: Record<string, unknown>) => {
      on(event: 'data', fn: (segment: { captions: MuxJsCaption[] }) => void): void;
      push(bytes: Uint8Array): void;
      flush(): void;
    };
    CaptionParser: new () => {
      init(): void;
      parse(segment: Uint8Array, trackIds: number[], timescales: Record<number, number>): { captions: MuxJsCaption[] } | null;
    };
  };
}

// mux.js is CommonJS without types; jest runs this file as CommonJS.
const muxjs = require('mux.js') as MuxJs;

/** mux.js's cue in our shape: 608 rows joined with '\n' (the text a player shows). */
function toCue(c: MuxJsCaption): CaptionCue {
  const text = c.text ?? (c.content ?? []).map((r) => r.text).join('\n');
  return { startPts: c.startPts, endPts: c.endPts, text, stream: c.stream as CaptionCue['stream'] };
}

/** The captions mux.js's Transmuxer finds in a whole transport stream (608 and 708), raw 90 kHz times. */
export function muxjsTsCaptions(bytes: Uint8Array): CaptionCue[] {
  const t = new muxjs.mp4.Transmuxer({ keepOriginalTimestamps: true });
  const out: CaptionCue[] = [];
  t.on('data', (segment) => {
    for (const c of segment.captions) out.push(toCue(c));
  });
  t.push(bytes);
  t.flush();
  return out;
}

/** The captions mux.js's CaptionParser finds in one fMP4 media segment (times in the track timescale). */
export function muxjsMp4Captions(segment: Uint8Array, trackId: number, timescale: number): CaptionCue[] {
  const p = new muxjs.mp4.CaptionParser();
  p.init();
  const r = p.parse(segment, [trackId], { [trackId]: timescale });
  return (r?.captions ?? []).map(toCue);
}

/** Cues in one canonical order (stream, start, end, text) so two decoders' lists compare as sets. */
export function sortCues(cues: readonly CaptionCue[]): CaptionCue[] {
  return [...cues].sort((a, b) => a.stream.localeCompare(b.stream) || a.startPts - b.startPts || a.endPts - b.endPts || a.text.localeCompare(b.text));
}

interface MuxJsCaptionStream {
  on(event: 'data', fn: (c: MuxJsCaption) => void): void;
  push(event: { nalUnitType: string; escapedRBSP: Uint8Array; pts: number; dts: number }): void;
  flush(): void;
}

// mux.js's caption stage on its own: SEI RBSPs in, cues out (the stage both entry points above end in).
const { CaptionStream } = require('mux.js/lib/m2ts/caption-stream') as { CaptionStream: new () => MuxJsCaptionStream };

/**
 * mux.js's cues for SEI RBSPs (emulation prevention removed, NAL header cut off) given in decode order,
 * each with its pts and dts, all flushed at the end.
 */
export function muxjsSeiCaptions(units: ReadonlyArray<{ rbsp: Uint8Array; pts: number; dts: number }>): CaptionCue[] {
  const s = new CaptionStream();
  const out: CaptionCue[] = [];
  s.on('data', (c) => out.push(toCue(c)));
  for (const u of units) s.push({ nalUnitType: 'sei_rbsp', escapedRBSP: u.rbsp, pts: u.pts, dts: u.dts });
  s.flush();
  return out;
}
