/**
 * Time base discontinuities in MPEG-TS (files joined end to end, a timestamp reset or jump): the
 * remuxed outputs keep one continuous timeline — every stream's decode times increasing, the part
 * after the splice shifted by one amount for all streams (A/V sync kept) — while probeMedia shows the
 * input's timestamps as ffprobe does. ffprobe/ffmpeg 5.1 are the oracles.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createFragmentedMp4, streamCopy } from '../../../src/api/remux.js';
import { probeMedia } from '../../../src/api/probe.js';
import { DiscontinuityDetector, mendTimeline } from '../../../src/demux/ts/discontinuity.js';
import { concatBytes } from '../../../src/io/bytes.js';
import { SampleTableBuilder } from '../../../src/model/sample-table.js';
import { transmuxParts } from '../../helpers/transmux.js';
import { isBoxwrightError } from '../../../src/io/errors.js';
import { prng } from '../../fuzz/mutate.js';
import { timestamp } from './ts-writer.js';
import { ffprobeBin } from '../../helpers/ffprobe.js';
import { OWN_SAMPLES } from '../../helpers/samples.js';

const ffmpeg = (): string => ffprobeBin().replace(/ffprobe$/, 'ffmpeg');

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'boxwright-discontinuity-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/**
 * Per stream, in decode order: the packets' dts in 90 kHz ticks as ffprobe reads them (ffmpeg itself
 * would move timestamps that go back), and their payload hashes (ffmpeg's framemd5 of a copy).
 */
function packets(path: string): Map<number, Array<{ dts: number; hash: string }>> {
  const probe = JSON.parse(execFileSync(ffprobeBin(), ['-v', 'error', '-show_packets', '-show_streams', '-of', 'json', path]).toString()) as {
    streams: Array<{ index: number; time_base: string }>;
    packets: Array<{ stream_index: number; dts: number }>;
  };
  const tb = new Map(probe.streams.map((s) => [s.index, (90000 * Number(s.time_base.split('/')[0])) / Number(s.time_base.split('/')[1])]));
  // H.264 as Annex B without delimiters and parameter sets (which TS carries in-band and MP4 in avcC);
  // AAC without its ADTS headers.
  const nals = 'filter_units=remove_types=7|8|9';
  const bsf = path.endsWith('.ts') ? ['-bsf:v', nals, '-bsf:a', 'aac_adtstoasc'] : ['-bsf:v', `h264_mp4toannexb,${nals}`];
  const text = execFileSync(ffmpeg(), ['-v', 'error', '-i', path, '-map', '0', '-c', 'copy', ...bsf, '-f', 'framemd5', '-']).toString();
  const hashes = new Map<number, string[]>();
  for (const line of text.split('\n')) {
    if (line.startsWith('#') || line.trim() === '') continue;
    const f = line.split(',').map((x) => x.trim());
    const list = hashes.get(Number(f[0])) ?? [];
    list.push(f[5]!);
    hashes.set(Number(f[0]), list);
  }
  const out = new Map<number, Array<{ dts: number; hash: string }>>();
  const seen = new Map<number, number>();
  for (const p of probe.packets) {
    const k = seen.get(p.stream_index) ?? 0;
    seen.set(p.stream_index, k + 1);
    const list = out.get(p.stream_index) ?? [];
    list.push({ dts: Math.round(p.dts * tb.get(p.stream_index)!), hash: hashes.get(p.stream_index)?.[k] ?? '' });
    out.set(p.stream_index, list);
  }
  return out;
}

/** Decode-time errors ffmpeg reports while reading a file (non-monotonic DTS and the like). */
function ffmpegErrors(path: string): string {
  return execFileSync(ffmpeg(), ['-v', 'error', '-i', path, '-map', '0', '-c', 'copy', '-f', 'null', '-'], { stdio: ['ignore', 'pipe', 'pipe'] }).toString() +
    execFileSync(ffmpeg(), ['-v', 'error', '-i', path, '-f', 'null', '-'], { stdio: ['ignore', 'pipe', 'pipe'] }).toString();
}

const transmux = (data: Uint8Array, chunk: number): Uint8Array => concatBytes(transmuxParts(data, chunk));

/** `h264-aac.ts` with its timestamps moved by `seconds` (ffmpeg -output_ts_offset). */
function shifted(seconds: number): Uint8Array {
  const out = join(dir, `shifted-${seconds}.ts`);
  execFileSync(ffmpeg(), ['-v', 'error', '-y', '-i', join(OWN_SAMPLES, 'h264-aac.ts'), '-map', '0', '-c', 'copy', '-output_ts_offset', String(seconds), '-f', 'mpegts', out]);
  return new Uint8Array(readFileSync(out));
}

const base = (): Uint8Array => new Uint8Array(readFileSync(join(OWN_SAMPLES, 'h264-aac.ts')));

describe.each([
  ['the same file twice (timestamps go back)', () => concatBytes([base(), base()])],
  ['a file, then one 1000 s later (a forward jump)', () => concatBytes([base(), shifted(1000)])],
  ['three parts, back then forward', () => concatBytes([shifted(50), base(), shifted(3000)])],
])('%s', (_name, make) => {
  let input: Uint8Array;
  let inPath: string;
  let inPackets: Map<number, Array<{ dts: number; hash: string }>>;
  beforeAll(() => {
    input = make();
    inPath = join(dir, `in-${input.length}-${input[input.length - 1]}.ts`);
    writeFileSync(inPath, input);
    inPackets = packets(inPath);
  });

  /** The output has every input packet, in order, with decode times increasing, each part shifted by one amount for all streams. */
  function checkContinuous(out: Uint8Array, name: string): void {
    const path = join(dir, `${name}-${input.length}.mp4`);
    writeFileSync(path, out);
    expect(ffmpegErrors(path)).toBe('');
    const outPackets = packets(path);
    // Time bases: where the input's dts steps back or jumps ahead > 10 s (per stream). Within a part,
    // a stream's output is its input moved by one amount; from one part to the next that amount
    // changes by the same for every stream (A/V sync kept). (Within a tick: MP4 audio times are in
    // its sample rate. A stream's own constant offset, as an edit list gives video, does not matter.)
    const moves: number[][] = [];
    for (const [stream, ins] of inPackets) {
      const outs = outPackets.get(stream)!;
      expect(outs.map((p) => p.hash)).toEqual(ins.map((p) => p.hash));
      let part = 0;
      const first: number[] = [];
      for (let i = 0; i < ins.length; i++) {
        if (i > 0) expect(outs[i]!.dts).toBeGreaterThan(outs[i - 1]!.dts);
        if (i > 0 && (ins[i]!.dts < ins[i - 1]!.dts || ins[i]!.dts - ins[i - 1]!.dts > 900000)) {
          part++;
          // The timeline runs on: the next part starts soon after this one ended (no hole a player stalls in).
          expect(outs[i]!.dts - outs[i - 1]!.dts).toBeLessThan(0.3 * 90000);
        }
        const shift = outs[i]!.dts - ins[i]!.dts;
        first[part] ??= shift;
        expect(Math.abs(shift - first[part]!)).toBeLessThanOrEqual(1);
      }
      first.forEach((s, k) => (moves[k] ??= []).push(s - first[0]!));
    }
    expect(moves.length).toBeGreaterThan(1);
    for (const m of moves) expect(Math.max(...m) - Math.min(...m)).toBeLessThanOrEqual(1);
  }

  test('createFragmentedMp4 and streamCopy: one continuous timeline, every packet kept, A/V sync kept', () => {
    checkContinuous(createFragmentedMp4(input).data, 'frag');
    checkContinuous(streamCopy(input, { format: 'mp4' }), 'copy');
  });

  test('the transmuxer: the same, and the same bytes for any chunking', () => {
    const whole = transmux(input, input.length);
    checkContinuous(whole, 'transmux');
    for (const chunk of [188, 1000]) expect(Buffer.from(transmux(input, chunk)).equals(Buffer.from(whole))).toBe(true);
  });

  test('probeMedia shows the input timestamps, as ffprobe does', () => {
    const ff = JSON.parse(execFileSync(ffprobeBin(), ['-v', 'error', '-show_packets', '-of', 'json', inPath]).toString()) as { packets: Array<{ pts?: number; dts?: number }> };
    const ours = probeMedia(input, { packets: true }).packets!;
    expect(ours.map((p) => [p.pts, p.dts])).toEqual(ff.packets.map((p) => [p.pts, p.dts]));
  });
});

describe('DiscontinuityDetector and mendTimeline', () => {
  test('numbers time bases per stream; a stream that passes later joins the same one', () => {
    const d = new DiscontinuityDetector();
    const s = 90000;
    expect([d.generationFor(1, 10 * s), d.generationFor(2, 10.2 * s), d.generationFor(1, 11 * s), d.generationFor(2, 11.2 * s)]).toEqual([0, 0, 0, 0]);
    // Stream 1 goes back: a new time base; stream 2's old PES still belongs to the old one.
    expect(d.generationFor(1, 1 * s)).toBe(1);
    expect(d.generationFor(2, 11.4 * s)).toBe(0);
    expect(d.generationFor(2, 1.1 * s)).toBe(1);
    // Small steps back (PTS-only B-frames) and jumps ahead under 10 s are not discontinuities.
    expect(d.generationFor(1, 0.9 * s)).toBe(1);
    expect(d.generationFor(1, 9 * s)).toBe(1);
    expect(d.generationFor(1, 30 * s)).toBe(2);
    expect(d.current).toBe(2);
  });

  test('shifts each later time base to start where the previous one ended, the same for all tracks', () => {
    const table = (dts: number[], dur: number): ReturnType<SampleTableBuilder['build']> => {
      const b = new SampleTableBuilder(dts.length);
      for (const t of dts) b.push(t, 0, dur, 1, 0, 1, 0);
      return b.build();
    };
    const video = table([0, 100, 200, 0, 100], 100);
    const audio = table([10, 90, 170, 250, 20, 100], 80);
    const added = mendTimeline([video, audio], [Uint8Array.of(0, 0, 0, 1, 1), Uint8Array.of(0, 0, 0, 0, 1, 1)]);
    // Old end: max(200 + 100, 250 + 80) = 330; new start: min(0, 20) = 0.
    expect(Array.from(video.dts)).toEqual([0, 100, 200, 330, 430]);
    expect(Array.from(audio.dts)).toEqual([10, 90, 170, 250, 350, 430]);
    expect(Array.from(added[0]!)).toEqual([0, 0, 0, 330, 330]);
    // The last duration of a time base reaches the next one.
    expect(video.duration[2]).toBe(130);
    expect(audio.duration[3]).toBe(100);
    expect(mendTimeline([table([0, 1], 1)], [undefined])).toEqual([undefined]);
  });
});

describe('timestamps jumping at random on every PES', () => {
  /** h264-aac.ts with every PES PTS (and DTS) replaced by a random 33-bit value. */
  function scrambled(seed: number): Uint8Array {
    const d = base();
    const r = prng(seed);
    const field = (p: number, prefix: number): void => d.set(timestamp(prefix, Math.floor(r() * 2 ** 33)), p);
    for (let at = 0; at + 188 <= d.length; at += 188) {
      if ((d[at + 1]! & 0x40) === 0) continue;
      const p = at + 4 + ((d[at + 3]! & 0x20) !== 0 ? 1 + d[at + 4]! : 0);
      const audioOrVideo = (d[p + 3]! & 0xe0) === 0xc0 || (d[p + 3]! & 0xf0) === 0xe0;
      if (p + 19 > at + 188 || d[p] !== 0 || d[p + 1] !== 0 || d[p + 2] !== 1 || !audioOrVideo) continue;
      const flags = d[p + 7]! >> 6;
      if (flags >= 2) field(p + 9, flags === 3 ? 3 : 2);
      if (flags === 3) field(p + 14, 1);
    }
    return d;
  }

  test.each([1, 2, 3])('remux, probe and the transmuxer finish fast, with every packet kept (seed %i)', (seed) => {
    const input = scrambled(seed);
    expect(probeMedia(input, { packets: true }).packets!.map((p) => p.pts)).not.toEqual(probeMedia(base(), { packets: true }).packets!.map((p) => p.pts));
    const t0 = Date.now();
    const count = probeMedia(input, { packets: true }).packets!.length;
    for (const run of [() => createFragmentedMp4(input).data, () => streamCopy(input, { format: 'mp4' }), () => transmux(input, 1000)]) {
      let out: Uint8Array | undefined;
      try {
        out = run();
      } catch (e) {
        expect(isBoxwrightError(e)).toBe(true);
      }
      if (out) expect(probeMedia(out, { packets: true }).packets!.length).toBe(count);
    }
    expect(Date.now() - t0).toBeLessThan(5000);
  });
});
