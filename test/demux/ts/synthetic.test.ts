/**
 * Transport streams built here from known access units and frames, to pin down what the corpus
 * does not exercise: several AUs per PES, AUs and NAL units split across PES packets, a PMT update
 * adding a stream, parameter sets changing mid-stream, the 33-bit wrap, many AAC frames per PES.
 */
import { configBytes } from '../../helpers/config.js';
import { sampleBytes } from '../../../src/model/sample-bytes.js';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { collectStreams } from '../../../src/demux/ts/collect.js';
import { demuxTs, demuxTsWithReport } from '../../../src/demux/ts/index.js';
import { splitLengthPrefixed } from '../../../src/model/codec/nal.js';
import type { Track } from '../../../src/model/movie.js';
import { OWN_SAMPLES, thirdPartyDir } from '../../helpers/samples.js';
import { concat, packetize, pat, pmt, pes, type Counters } from './ts-writer.js';

const START = Uint8Array.of(0, 0, 0, 1);
const read = (p: string): Uint8Array => new Uint8Array(readFileSync(p));

/** Parameter sets of an avcC payload. */
function avccSets(config: Uint8Array): Uint8Array[] {
  const out: Uint8Array[] = [];
  let p = 5;
  const nSps = config[p++]! & 0x1f;
  for (let i = 0; i < nSps; i++) {
    const n = (config[p]! << 8) | config[p + 1]!;
    out.push(config.subarray(p + 2, p + 2 + n));
    p += 2 + n;
  }
  const nPps = config[p++]!;
  for (let i = 0; i < nPps; i++) {
    const n = (config[p]! << 8) | config[p + 1]!;
    out.push(config.subarray(p + 2, p + 2 + n));
    p += 2 + n;
  }
  return out;
}

interface Au {
  annexB: Uint8Array;
  nals: Uint8Array[];
  pts: number;
  dts: number;
  key: boolean;
}

/** The video access units of a file as Annex B (AUD, parameter sets before keyframes), with their times. */
function accessUnits(file: string): Au[] {
  const movie = demuxTs(read(file));
  const t = movie.tracks.find((x) => x.kind === 'video')!;
  const sets = avccSets(configBytes(t.descriptions[0]!.config)!);
  const out: Au[] = [];
  for (let i = 0; i < t.samples.count; i++) {
    const nals = splitLengthPrefixed(sampleBytes(t, i), 4);
    const key = (t.samples.flags[i]! & 1) === 1;
    const parts = [START, Uint8Array.of(0x09, 0xf0), ...(key ? sets.flatMap((s) => [START, s]) : []), ...nals.flatMap((n) => [START, n])];
    const dts = t.samples.dts[i]!;
    out.push({ annexB: concat(parts), nals, pts: dts + t.samples.ctsOffset[i]!, dts, key });
  }
  return out;
}

const H264 = join(OWN_SAMPLES, 'h264-aac.ts');
const AUS = accessUnits(H264);

/** A TS with PAT + PMT (video on 0x100) and the given PES packets for the video PID. */
function videoTs(pesPackets: Uint8Array[], extraStreams: Array<{ type: number; pid: number }> = []): Uint8Array {
  const cc: Counters = new Map();
  return concat([
    ...packetize(0, pat(1, 0x1000), cc, true),
    ...packetize(0x1000, pmt(1, 0, 0x100, [{ type: 0x1b, pid: 0x100 }, ...extraStreams]), cc, true),
    ...pesPackets.flatMap((p) => packetize(0x100, p, cc)),
  ]);
}

function nalsOf(t: Track, i: number): Uint8Array[] {
  return splitLengthPrefixed(sampleBytes(t, i), 4);
}

function expectSameAus(t: Track, aus: Au[]): void {
  expect(t.samples.count).toBe(aus.length);
  aus.forEach((au, i) => {
    expect(nalsOf(t, i).map((n) => Buffer.from(n).toString('hex'))).toEqual(au.nals.map((n) => Buffer.from(n).toString('hex')));
    expect((t.samples.flags[i]! & 1) === 1).toBe(au.key);
  });
}

describe('H.264 access units across PES layouts', () => {
  test('one AU per PES: samples and times as built', () => {
    const t = demuxTs(videoTs(AUS.map((a) => pes(0xe0, a.annexB, a.pts, a.dts, true)))).tracks[0]!;
    expectSameAus(t, AUS);
    expect(Array.from(t.samples.dts)).toEqual(AUS.map((a) => a.dts));
    expect(AUS.map((_, i) => t.samples.dts[i]! + t.samples.ctsOffset[i]!)).toEqual(AUS.map((a) => a.pts));
  });

  test('two AUs per PES: the first is timed by the PES, the second spread between its neighbours', () => {
    const packets: Uint8Array[] = [];
    for (let i = 0; i < AUS.length; i += 2) packets.push(pes(0xe0, concat(AUS.slice(i, i + 2).map((a) => a.annexB)), AUS[i]!.pts, AUS[i]!.dts, true));
    const r = demuxTsWithReport(videoTs(packets));
    const t = r.movie.tracks[0]!;
    expectSameAus(t, AUS);
    expect(r.report.untimedAccessUnits).toBe(Math.floor(AUS.length / 2));
    for (let i = 0; i < AUS.length; i += 2) {
      expect(t.samples.dts[i]).toBe(AUS[i]!.dts);
      expect(t.samples.dts[i]! + t.samples.ctsOffset[i]!).toBe(AUS[i]!.pts);
    }
    // Untimed ones are spread evenly between timed neighbours: with a constant frame rate, exactly.
    expect(Array.from(t.samples.dts)).toEqual(AUS.map((a) => a.dts));
  });

  test('AUs split across PES packets, with PES boundaries inside NAL units and start codes', () => {
    const packets: Uint8Array[] = [];
    AUS.forEach((a, i) => {
      // Cut each AU at a different place, including inside the 4-byte start code (offset 1..3).
      const cut = [1, 2, 3, 7, Math.floor(a.annexB.length / 2), a.annexB.length - 1][i % 6]!;
      packets.push(pes(0xe0, a.annexB.subarray(0, cut), a.pts, a.dts, true));
      // No access unit starts in the second part, so it carries no timestamp (13818-1 §2.4.3.7).
      packets.push(pes(0xe0, a.annexB.subarray(cut), undefined, undefined, true));
    });
    const t = demuxTs(videoTs(packets)).tracks[0]!;
    expectSameAus(t, AUS);
    expect(Array.from(t.samples.dts)).toEqual(AUS.map((a) => a.dts));
  });

  test('access units without delimiters are split at the first slice of each picture', () => {
    const noAud = AUS.map((a) => concat(a.nals.flatMap((n) => [START, n])));
    // The first AU keeps its parameter sets (after the 6-byte AUD), the others are bare slices (+ SEI).
    noAud[0] = AUS[0]!.annexB.subarray(6);
    const t = demuxTs(videoTs(noAud.map((b, i) => pes(0xe0, b, AUS[i]!.pts, AUS[i]!.dts, true)))).tracks[0]!;
    expectSameAus(t, AUS);
  });
});

describe('parameter sets and program changes', () => {
  test('parameter sets that change mid-stream start a new sample description', () => {
    const other = accessUnits(join(thirdPartyDir(), 'mux.js/test-segment.ts'));
    const a = AUS.slice(0, 12);
    const last = a[a.length - 1]!.dts;
    const b = other.slice(0, 9).map((x, i) => ({ ...x, dts: last + 3750 * (i + 1), pts: last + 3750 * (i + 1) }));
    const c = AUS.slice(12, 24).map((x, i) => ({ ...x, dts: last + 3750 * (i + 10), pts: last + 3750 * (i + 10) + 3750 }));
    const all = [...a, ...b, ...c];
    const t = demuxTs(videoTs(all.map((x) => pes(0xe0, x.annexB, x.pts, x.dts, true)))).tracks[0]!;
    expectSameAus(t, all);
    expect(t.descriptions.map((d) => [d.width, d.height])).toEqual([
      [160, 90],
      [388, 300],
    ]);
    expect(Array.from(t.samples.description)).toEqual([...a.map(() => 0), ...b.map(() => 1), ...c.map(() => 0)]);
  });

  test('a PMT update that adds a PID mid-stream adds the track', () => {
    const cc: Counters = new Map();
    const frame = Uint8Array.of(0xff, 0xf1, 0x50, 0x80, 0x01, 0x3f, 0xfc, 0x21, 0x00);
    const ts = concat([
      ...packetize(0, pat(1, 0x1000), cc, true),
      ...packetize(0x1000, pmt(1, 0, 0x100, [{ type: 0x1b, pid: 0x100 }]), cc, true),
      ...AUS.slice(0, 5).flatMap((a) => packetize(0x100, pes(0xe0, a.annexB, a.pts, a.dts, true), cc)),
      ...packetize(0x1000, pmt(1, 1, 0x100, [{ type: 0x1b, pid: 0x100 }, { type: 0x0f, pid: 0x101, descriptors: Uint8Array.of(0x0a, 4, 0x66, 0x72, 0x61, 0) }]), cc, true),
      ...AUS.slice(5, 10).flatMap((a) => packetize(0x100, pes(0xe0, a.annexB, a.pts, a.dts, true), cc)),
      ...packetize(0x101, pes(0xc0, concat([frame, frame, frame]), 126000), cc),
    ]);
    const r = demuxTsWithReport(ts);
    expect(r.report.pmtVersions).toBe(2);
    expect(r.movie.tracks.map((t) => [t.id, t.kind, t.samples.count, t.language])).toEqual([
      [0x100, 'video', 10, undefined],
      [0x101, 'audio', 3, 'fra'],
    ]);
  });

  test('a PMT section split across packets is reassembled', () => {
    const cc: Counters = new Map();
    // 40 streams × 5 bytes make a 200+ byte section: two packets.
    const streams = Array.from({ length: 40 }, (_, i) => ({ type: i === 0 ? 0x1b : 0x99, pid: 0x100 + i }));
    const ts = concat([
      ...packetize(0, pat(1, 0x1000), cc, true),
      ...packetize(0x1000, pmt(1, 0, 0x100, streams), cc, true),
      ...AUS.slice(0, 3).flatMap((a) => packetize(0x100, pes(0xe0, a.annexB, a.pts, a.dts, true), cc)),
    ]);
    const r = demuxTsWithReport(ts);
    expect(r.movie.tracks.map((t) => t.samples.count)).toEqual([3]);
    expect(r.report.skippedStreams).toHaveLength(39);
  });
});

describe('timestamps', () => {
  test('PTS/DTS that wrap past 2^33 stay continuous', () => {
    const base = 2 ** 33 - 20 * 3750;
    const wrapped = AUS.map((a, i) => ({ ...a, pts: (base + 3750 * i + 7500) % 2 ** 33, dts: (base + 3750 * i) % 2 ** 33 }));
    const t = demuxTs(videoTs(wrapped.map((a) => pes(0xe0, a.annexB, a.pts, a.dts, true)))).tracks[0]!;
    AUS.forEach((_, i) => {
      expect(t.samples.dts[i]).toBe(base + 3750 * i);
      expect(t.samples.ctsOffset[i]).toBe(7500);
      expect(t.samples.duration[i]).toBe(3750);
    });
  });

  test('AAC frames after the first of a PES: no drift, within a tick of the exact times', () => {
    // ADTS frames of a real 44.1 kHz stream, regrouped into PES packets of 40 frames.
    const src = { data: collectStreams(read(join(thirdPartyDir(), 'mux.js/test-segment.ts'))).streams.find((s) => s.format === 'aac')!.data.materialize() };
    const frames: Uint8Array[] = [];
    for (let p = 0; p + 7 <= src.data.length; ) {
      const len = ((src.data[p + 3]! & 3) << 11) | (src.data[p + 4]! << 3) | (src.data[p + 5]! >> 5);
      frames.push(src.data.subarray(p, p + len));
      p += len;
    }
    expect(frames.length).toBeGreaterThan(300);
    const cc: Counters = new Map();
    const t0 = 900000;
    const exact = (k: number): number => t0 + (k * 1024 * 90000) / 44100;
    const parts = [...packetize(0, pat(1, 0x1000), cc, true), ...packetize(0x1000, pmt(1, 0, 0x101, [{ type: 0x0f, pid: 0x101 }]), cc, true)];
    for (let k = 0; k < frames.length; k += 40) parts.push(...packetize(0x101, pes(0xc0, concat(frames.slice(k, k + 40)), Math.round(exact(k))), cc));
    const t = demuxTs(concat(parts)).tracks[0]!;
    expect(t.samples.count).toBe(frames.length);
    for (let k = 0; k < frames.length; k++) {
      expect(Math.abs(t.samples.dts[k]! - exact(k))).toBeLessThanOrEqual(1);
      expect(t.samples.size[k]).toBe(frames[k]!.length - 7);
      if (k + 1 < frames.length) expect(t.samples.duration[k]).toBe(t.samples.dts[k + 1]! - t.samples.dts[k]!);
    }
    expect(t.descriptions[0]).toMatchObject({ entryType: 'mp4a', codec: 'aac', sampleRate: 44100, channels: 2 });
    expect(Buffer.from(configBytes(t.descriptions[0]!.config)!).toString('hex')).toBe('1210');
  });
});
