/**
 * What the transmuxer reports besides fragments, against mux.js 7.1 and ffmpeg: CEA-608/708 caption cues
 * (`onCaptions`), timed ID3 metadata (`onMetadata`) and its `emsg` form; and AAC gap filling, judged by ffmpeg.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findBox, readBoxes } from '../../src/api/boxes.js';
import { concatBytes } from '../../src/io/bytes.js';
import { createTransmuxer, type TransmuxCaption, type TransmuxerOptions, type TransmuxMetadata } from '../../src/transmux/index.js';
import { muxjsTsCaptions, sortCues } from '../captions/oracle.js';
import { ffprobeBin } from '../helpers/ffprobe.js';
import { OWN_SAMPLES, thirdPartyDir } from '../helpers/samples.js';

const require = createRequire(import.meta.url);
const tp = (p: string): string => join(thirdPartyDir(), p);

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'boxwright-transmux-events-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Run {
  parts: Uint8Array[];
  cues: TransmuxCaption[];
  tags: TransmuxMetadata[];
}

function run(input: Uint8Array, chunk: number, options: Partial<TransmuxerOptions> = {}): Run {
  const r: Run = { parts: [], cues: [], tags: [] };
  const tm = createTransmuxer({
    ...options,
    onInit: (b) => r.parts.push(b),
    onFragment: (b) => r.parts.push(b),
    onCaptions: (c) => r.cues.push(...c),
    onMetadata: (t) => r.tags.push(...t),
  });
  const step = chunk || input.length;
  for (let p = 0; p < input.length; p += step) tm.push(input.subarray(p, p + step));
  tm.flush();
  return r;
}

describe.each(['mux.js/sintel-captions.ts', 'mux.js/multi-channel-608-captions.ts', 'shaka-player/captions-test.ts'])('captions of %s', (file) => {
  const input = (): Uint8Array => new Uint8Array(readFileSync(tp(file)));
  test('the same cues as mux.js (608 and 708, raw 90 kHz times with keepOriginalTimestamps), for any chunking', () => {
    const expected = sortCues(muxjsTsCaptions(input()));
    expect(expected.length).toBeGreaterThan(0);
    for (const chunk of [0, 1000, 188]) {
      const ours = run(input(), chunk, { keepOriginalTimestamps: true }).cues;
      expect(sortCues(ours.map(({ startPts, endPts, text, stream }) => ({ startPts, endPts, text, stream })))).toEqual(expected);
      for (const c of ours) expect(c.startTime).toBeCloseTo(c.startPts / 90000, 9);
    }
  });

  test('on the rebased timeline the cues move with the video: one shift for both', () => {
    const kept = run(input(), 1000, { keepOriginalTimestamps: true });
    const rebased = run(input(), 1000);
    expect(rebased.cues.length).toBe(kept.cues.length);
    const shifts = new Set(rebased.cues.map((c, i) => kept.cues[i]!.startPts - c.startPts));
    expect(shifts.size).toBe(1);
    // The same shift as the fragments' decode times: the first tfdt of each run.
    const tfdt = (parts: Uint8Array[]): number =>
      Number((findBox(readBoxes(parts[1]!), 'moof/traf/tfdt')!.value as { baseMediaDecodeTime: number | bigint }).baseMediaDecodeTime);
    expect([...shifts][0]).toBe(tfdt(kept.parts) - tfdt(rebased.parts));
  });
});

describe('timed ID3 metadata (shaka-player/id3-metadata.ts)', () => {
  const input = (): Uint8Array => new Uint8Array(readFileSync(tp('shaka-player/id3-metadata.ts')));
  interface MuxjsTag {
    pts: number;
    dts: number;
    data: Uint8Array;
    frames: Array<{ key: string }>;
  }
  const muxjs = require('mux.js') as { mp4: { Transmuxer: new (o: object) => { on(e: 'data', f: (s: { metadata: MuxjsTag[] }) => void): void; push(b: Uint8Array): void; flush(): void } } };

  test('the same tags as mux.js (pts, bytes, frames mux.js reads), for any chunking', () => {
    const t = new muxjs.mp4.Transmuxer({ keepOriginalTimestamps: true });
    const theirs: MuxjsTag[] = [];
    t.on('data', (s) => theirs.push(...s.metadata));
    t.push(input());
    t.flush();
    expect(theirs.length).toBeGreaterThan(0);
    for (const chunk of [0, 1000, 188]) {
      const ours = run(input(), chunk, { keepOriginalTimestamps: true }).tags;
      expect(ours.map((m) => m.pts)).toEqual(theirs.map((m) => m.pts));
      ours.forEach((m, i) => {
        expect(Buffer.from(m.data).equals(Buffer.from(theirs[i]!.data))).toBe(true);
        // (mux.js stops at an empty frame; we read on: its frames are a prefix of ours.)
        expect(m.frames.slice(0, theirs[i]!.frames.length).map((f) => f.key)).toEqual(theirs[i]!.frames.map((f) => f.key));
        expect(m.cueTime).toBeCloseTo(m.pts / 90000, 9);
      });
    }
  });

  test('emsg: each tag rides in front of a fragment as an emsg v1 (ID3 scheme) at its time', () => {
    const r = run(input(), 1000, { emsg: true });
    const events = r.parts.flatMap((p) => readBoxes(p).boxes.filter((b) => b.type === 'emsg'));
    expect(events.length).toBe(r.tags.length);
    events.forEach((e, i) => {
      // (Version 1: an absolute presentation_time, no presentation_time_delta.)
      const v = e.value as { schemeIdUri: string; timescale: number; presentationTime: number | bigint; messageData: Uint8Array };
      expect(v.presentationTime).toBeDefined();
      expect(v.schemeIdUri).toBe('https://aomedia.org/emsg/ID3');
      expect(v.timescale).toBe(90000);
      expect(Number(v.presentationTime)).toBe(r.tags[i]!.pts);
      expect(Buffer.from(v.messageData).equals(Buffer.from(r.tags[i]!.data))).toBe(true);
    });
    // ffprobe still reads the fragments around them.
    const path = join(dir, 'emsg.mp4');
    writeFileSync(path, concatBytes(r.parts));
    ffprobeBin();
    expect(execFileSync('ffprobe', ['-v', 'error', '-count_packets', '-show_entries', 'stream=nb_read_packets', '-of', 'csv=p=0', path], { encoding: 'utf8' }).trim()).not.toBe('');
  });
});

describe('AAC gap filling', () => {
  /** h264-aac.ts with two audio PES (~0.4 s) in the middle removed (a lost stretch of the stream). */
  function withAudioHole(): { ts: Uint8Array; removedPes: number } {
    const ts = new Uint8Array(readFileSync(join(OWN_SAMPLES, 'h264-aac.ts')));
    let audioPid = -1;
    for (let p = 0; p + 188 <= ts.length; p += 188) {
      const pusi = (ts[p + 1]! & 0x40) !== 0;
      const pid = ((ts[p + 1]! & 0x1f) << 8) | ts[p + 2]!;
      const payload = ts[p + 3]! & 0x20 ? p + 5 + ts[p + 4]! : p + 4;
      if (pusi && ts[payload] === 0 && ts[payload + 1] === 0 && ts[payload + 2] === 1 && (ts[payload + 3]! & 0xe0) === 0xc0) {
        audioPid = pid;
        break;
      }
    }
    expect(audioPid).toBeGreaterThan(0);
    const kept: Uint8Array[] = [];
    let starts = 0;
    let removedPes = 0;
    for (let p = 0; p + 188 <= ts.length; p += 188) {
      const pid = ((ts[p + 1]! & 0x1f) << 8) | ts[p + 2]!;
      if (pid === audioPid && ts[p + 1]! & 0x40) starts++;
      if (pid === audioPid && starts >= 4 && starts < 6) {
        if (ts[p + 1]! & 0x40) removedPes++;
        continue;
      }
      kept.push(ts.subarray(p, p + 188));
    }
    return { ts: concatBytes(kept), removedPes };
  }

  /** ffprobe's audio packet decode times (seconds) of an MP4. */
  const audioDts = (bytes: Uint8Array): number[] => {
    const path = join(dir, `a${Math.random().toString(36).slice(2)}.mp4`);
    writeFileSync(path, bytes);
    ffprobeBin();
    const out = execFileSync('ffprobe', ['-v', 'error', '-select_streams', 'a:0', '-show_entries', 'packet=dts_time', '-of', 'csv=p=0', path], { encoding: 'utf8' });
    return out.trim().split('\n').map(Number);
  };

  test('a hole of lost audio is filled with silent frames that ffmpeg decodes: no gap, every real frame in place', () => {
    const { ts, removedPes } = withAudioHole();
    expect(removedPes).toBe(2);
    const holed = audioDts(concatBytes(run(ts, 1000, { maxAudioGapFillSec: 0 }).parts));
    const filled = audioDts(concatBytes(run(ts, 1000).parts));
    const frame = holed[1]! - holed[0]!;
    const steps = (d: number[]): number[] => d.slice(1).map((x, i) => x - d[i]!);
    expect(Math.max(...steps(holed))).toBeGreaterThan(3 * frame);
    expect(Math.max(...steps(filled))).toBeLessThan(1.5 * frame);
    // Every frame of the unfilled output is still there at its time.
    const filledSet = new Set(filled.map((t) => t.toFixed(4)));
    for (const t of holed) expect(filledSet.has(t.toFixed(4))).toBe(true);
    // ffmpeg decodes the result without an error.
    const path = join(dir, 'filled.mp4');
    writeFileSync(path, concatBytes(run(ts, 1000).parts));
    const log = execFileSync('ffmpeg', ['-v', 'error', '-i', path, '-map', '0:a', '-f', 'null', '-'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    expect(log).toBe('');
  });
});
