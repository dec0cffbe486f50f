/**
 * mux.js 7.1 as a peer: every H.264/AAC transport stream of the third-party samples and our own, through mux.js's
 * Transmuxer and ours with each option pair (`remux`, `keepOriginalTimestamps`). ffprobe reads both outputs; the
 * packets are matched by payload hash and their timestamps compared. Where the two differ, the difference must
 * be one mux.js is known for (and where it is wrong, ffprobe on the source is the judge):
 *
 * - mux.js drops audio frames that start before the first video frame (`earliestAllowedDts`) — ours keeps them
 *   (ffprobe lists them in the source), so the timeline of ours starts at the earliest frame of any track and
 *   mux.js's at the first video frame: one constant offset between the two, the same for every packet.
 * - mux.js puts silent AAC frames in front of audio that starts after the video (`prefixWithSilence`) — frames that
 *   are not in the source; ours leaves the source's frames alone there.
 * - mux.js times AAC frames by counting 1024 samples from the first one, in the sample rate's clock; ours keeps
 *   each PES's timestamp (90 kHz), as ffmpeg reads it.
 * - mux.js leaves out the pictures before the first keyframe; ours keeps those after the first parameter sets.
 * - With remux on, mux.js writes nothing for a stream whose PMT lists an audio stream that never carries a packet.
 * - Kept timestamps across the 33-bit wrap: mux.js can land a whole 2^33 off (hls-ts-b-frames).
 *
 * The assertions: ours has every source frame (but undecodable leading pictures) at the source's time, one shift for
 * the whole timeline; mux.js has the same pictures. The table printed at the end shows where mux.js departs.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { concatBytes } from '../../src/io/bytes.js';
import { createTransmuxer, type OutputType } from '../../src/transmux/index.js';
import { ffprobeBin } from '../helpers/ffprobe.js';
import { filesUnder, OWN_SAMPLES, thirdPartyDir } from '../helpers/samples.js';

const require = createRequire(import.meta.url);

interface MuxjsSegment {
  type: string;
  initSegment: Uint8Array;
  data: Uint8Array;
}
interface MuxjsTransmuxer {
  on(event: 'data', f: (s: MuxjsSegment) => void): void;
  push(b: Uint8Array): void;
  flush(): void;
}
const muxjs = require('mux.js') as { mp4: { Transmuxer: new (o: object) => MuxjsTransmuxer } };

interface Pkt {
  t: number;
  d: number;
  hash: string;
}

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'boxwright-muxjs-peer-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** ffprobe's `codec_name,codec_type` per stream (none when ffprobe cannot read the file). */
function streams(path: string): string[] {
  ffprobeBin();
  try {
    return execFileSync('ffprobe', ['-v', 'error', '-show_entries', 'stream=codec_name,codec_type', '-of', 'csv=p=0', path], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] })
      .trim()
      .split('\n')
      .filter(Boolean);
  } catch {
    return [];
  }
}

/**
 * ffmpeg's packets (pts, dts in seconds, MD5 of the payload) of the first stream of `type` in a file (MP4 or the
 * source TS), with the timestamps as stored (`-copyts`). Video payloads are hashed on their slices only: which
 * other NAL units ride along (AUD, SEI, parameter sets) is each transmuxer's choice, the pictures are not; a
 * TS's ADTS frames lose their headers as MP4 stores them. None when the file has no such stream.
 */
function packets(bytes: Uint8Array | string, type: 'v' | 'a'): Pkt[] {
  const path = typeof bytes === 'string' ? bytes : join(dir, `p${Math.random().toString(36).slice(2)}.mp4`);
  if (typeof bytes !== 'string') writeFileSync(path, bytes);
  const bsf = type === 'v' ? ['-bsf:v', 'filter_units=pass_types=1-5'] : path.endsWith('.ts') ? ['-bsf:a', 'aac_adtstoasc'] : [];
  let out = '';
  try {
    out = execFileSync('ffmpeg', ['-v', 'error', '-copyts', '-i', path, '-copyinkf', '-map', `0:${type}:0`, '-c', 'copy', ...bsf, '-f', 'framemd5', '-'], {
      encoding: 'utf8',
      maxBuffer: 1 << 28,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  } catch (e) {
    // No such stream, or one the PMT lists that carries no packet (ffmpeg cannot set up its output).
    if (!/matches no streams|sample rate not set/.test(String((e as { stderr?: string }).stderr))) throw e;
  }
  if (typeof bytes !== 'string') rmSync(path);
  const tb = /#tb 0: (\d+)\/(\d+)/.exec(out);
  if (!tb) return [];
  const sec = Number(tb[1]) / Number(tb[2]);
  return out
    .split('\n')
    .filter((l) => l && !l.startsWith('#'))
    .map((l) => {
      const [, d, t, , , hash] = l.split(',').map((x) => x.trim());
      return { t: Number(t) * sec, d: Number(d) * sec, hash: hash! };
    });
}

/** The output of each transmuxer per output type, as one init + fragments file. */
function oursOut(input: Uint8Array, remux: boolean, keepOriginalTimestamps: boolean): Map<OutputType, Uint8Array> {
  const parts = new Map<OutputType, Uint8Array[]>();
  const add = (type: OutputType, b: Uint8Array): void => void (parts.get(type) ?? parts.set(type, []).get(type)!).push(b);
  const tm = createTransmuxer({ remux, keepOriginalTimestamps, onInit: (b, i) => add(i.type, b), onFragment: (b, i) => add(i.type, b) });
  tm.push(input);
  tm.flush();
  return new Map([...parts].map(([k, v]) => [k, concatBytes(v)]));
}

function theirsOut(input: Uint8Array, remux: boolean, keepOriginalTimestamps: boolean): Map<string, Uint8Array> {
  const parts = new Map<string, Uint8Array[]>();
  const t = new muxjs.mp4.Transmuxer({ remux, keepOriginalTimestamps });
  t.on('data', (s) => {
    const list = parts.get(s.type) ?? parts.set(s.type, [s.initSegment]).get(s.type)!;
    list.push(s.data);
  });
  t.push(input);
  t.flush();
  return new Map([...parts].map(([k, v]) => [k, concatBytes(v)]));
}

/** Our packets matched with theirs by payload, in order: pairs and the packets only one side has. */
function match(ours: Pkt[], theirs: Pkt[]): { pairs: Array<[Pkt, Pkt]>; onlyOurs: Pkt[]; onlyTheirs: Pkt[] } {
  const pairs: Array<[Pkt, Pkt]> = [];
  const onlyOurs: Pkt[] = [];
  const onlyTheirs: Pkt[] = [];
  const later = new Map<string, number>();
  for (const p of ours) later.set(p.hash, (later.get(p.hash) ?? 0) + 1);
  let i = 0;
  for (const q of theirs) {
    if (!later.get(q.hash)) {
      onlyTheirs.push(q);
      continue;
    }
    while (i < ours.length && ours[i]!.hash !== q.hash) {
      later.set(ours[i]!.hash, later.get(ours[i]!.hash)! - 1);
      onlyOurs.push(ours[i++]!);
    }
    later.set(q.hash, later.get(q.hash)! - 1);
    pairs.push([ours[i++]!, q]);
  }
  onlyOurs.push(...ours.slice(i));
  return { pairs, onlyOurs, onlyTheirs };
}

const FILES = [...filesUnder(thirdPartyDir()), ...filesUnder(OWN_SAMPLES)]
  .filter((f) => f.endsWith('.ts'))
  .filter((f) => {
    const s = streams(f);
    // mux.js reads H.264 and ADTS AAC only.
    return s.length > 0 && s.every((x) => x === 'h264,video' || x === 'aac,audio') && s.includes('h264,video');
  });

/** 2^33 ticks of 90 kHz, in seconds. */
const WRAP_SEC = 2 ** 33 / 90000;

/** Where ours differs from ffmpeg's reading of the source, and why (see docs/probe-parity.md). */
const KNOWN: Array<{ file: RegExp; type: 'v' | 'a'; reason: string }> = [
  {
    file: /with-overflow-nalus/,
    type: 'v',
    reason: "H.264 access units that continue into the next PES: ffmpeg's parser (and mux.js) give a PES timestamp to the access unit that ends in it; we give it to the one that starts in it (13818-1 §2.4.3.7).",
  },
];

const rows: string[] = [];
afterAll(() =>
  console.log(
    `mux.js 7.1 against the source (ffmpeg), where boxwright matches the source exactly:\n| file | remux | keep | mux.js − ours timeline (ms) | mux.js vs source |\n|---|---|---|---|---|\n${rows.join('\n')}`,
  ),
);

describe.each(FILES.map((f) => [f.replace(/^.*\/(thirdparty|samples)\//, ''), f]))('%s', (name, path) => {
  test.each([
    [true, false],
    [true, true],
    [false, false],
    [false, true],
  ])('remux %s, keepOriginalTimestamps %s: the same frames and times as mux.js, the differences explained', (remux, keep) => {
    const input = new Uint8Array(readFileSync(path));
    const ours = oursOut(input, remux, keep);
    const theirs = theirsOut(input, remux, keep);
    // (mux.js names a single-track output by its kind even with remux: ours is 'combined' whenever remux is on.)
    if (remux) expect([...ours.keys()]).toEqual(['combined']);
    else expect([...ours.keys()].sort()).toEqual([...theirs.keys()].sort());
    const get = (m: Map<string, Uint8Array>, type: 'v' | 'a'): Uint8Array | undefined =>
      remux ? (m.get('combined') ?? (m.size === 1 ? [...m.values()][0] : undefined)) : m.get(type === 'v' ? 'video' : 'audio');
    const o = { v: packets(get(ours, 'v')!, 'v'), a: get(ours, 'a') ? packets(get(ours, 'a')!, 'a') : [] };
    // (mux.js writes nothing at all for a PMT audio stream that never carries a packet, with remux on.)
    const t = { v: get(theirs, 'v') ? packets(get(theirs, 'v')!, 'v') : [], a: get(theirs, 'a') ? packets(get(theirs, 'a')!, 'a') : [] };
    const src = { v: packets(path, 'v'), a: packets(path, 'a') };
    // The source's timeline vs each output's: one offset each, from the first picture both have.
    const offsetOf = (out: Pkt[]): number => {
      const first = match(out, src.v).pairs[0]!;
      return first[0].d - first[1].d;
    };
    const oursOffset = offsetOf(o.v);
    const theirsOffset = t.v.length ? offsetOf(t.v) : NaN;
    // (Kept timestamps: ffmpeg reads a stream that crosses the 33-bit wrap as negative times before it, we count
    // upwards from the raw value: the same timestamps modulo 2^33.)
    if (keep) expect(Math.abs(oursOffset - Math.round(oursOffset / WRAP_SEC) * WRAP_SEC)).toBeLessThan(1e-6);
    else expect(Math.min(o.v[0]!.d, o.a[0]?.d ?? Infinity)).toBeCloseTo(0, 6);
    const summary: string[] = [];
    for (const type of ['v', 'a'] as const) {
      // Ours against the source: every frame, each at the source's time (one shift for the whole timeline).
      const mine = match(o[type], src[type]);
      expect(mine.onlyOurs).toEqual([]);
      // Pictures before the stream's first parameter sets cannot be decoded (nor described in an init segment): the
      // only source frames ours leaves out are those, at the start.
      const leading = src[type].indexOf(mine.pairs[0]?.[1] ?? src[type][0]!);
      expect(mine.onlyTheirs).toEqual(src[type].slice(0, leading));
      if (leading > 0) summary.push(`ours: ${leading} leading ${type === 'v' ? 'pictures' : 'frames'} before the parameter sets left out`);
      const known = KNOWN.find((k) => k.file.test(path) && k.type === type);
      if (!known) {
        for (const [a, b] of mine.pairs) {
          expect(Math.abs(a.d - b.d - oursOffset)).toBeLessThan(2e-5);
          expect(Math.abs(a.t - b.t - oursOffset)).toBeLessThan(2e-5);
        }
      }
      if (t.v.length === 0) {
        summary.push(`${type}: no output`);
        continue;
      }
      // mux.js against the source: what it drops, adds and moves.
      const peer = match(t[type], src[type]);
      const moved = peer.pairs.map(([a, b]) => Math.max(Math.abs(a.d - b.d - theirsOffset), Math.abs(a.t - b.t - theirsOffset)));
      const worst = moved.length ? Math.max(...moved) : 0;
      summary.push(
        `${type}: ${peer.pairs.length}/${src[type].length} source frames, ${peer.onlyTheirs.length} dropped, ${peer.onlyOurs.length} added, ` +
          `${moved.filter((m) => m > 2e-5).length} moved (worst ${(worst * 1000).toFixed(1)} ms)`,
      );
      // mux.js leaves out pictures only at the start (before the first keyframe, which ours keeps).
      if (type === 'v') expect(peer.onlyTheirs).toEqual(src.v.slice(0, peer.onlyTheirs.length));
    }
    rows.push(`| ${name} | ${remux} | ${keep} | ${((theirsOffset - oursOffset) * 1000).toFixed(1)} | ${summary.join(' · ')} |`);
  });
});
