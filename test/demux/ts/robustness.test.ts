/**
 * Damaged transport streams: M2TS/204-byte framing, garbage between packets, lost packets, lying
 * PES lengths, truncation at every packet boundary and random byte flips. The demuxer must return
 * a movie (recovering what it can) or throw a BoxwrightError — never anything else — and be fast.
 */
import { configBytes } from '../../helpers/config.js';
import { readFileSync } from 'node:fs';
import { createFragmentedMp4, probeMedia } from '../../../src/index.js';
import { createTransmuxer } from '../../../src/transmux/index.js';
import { withContiguousData } from '../../../src/model/sample-bytes.js';
import { join } from 'node:path';
import { demuxTs, demuxTsWithReport } from '../../../src/demux/ts/index.js';
import { isBoxwrightError } from '../../../src/io/errors.js';
import type { Movie } from '../../../src/model/movie.js';
import { OWN_SAMPLES, thirdPartyDir } from '../../helpers/samples.js';
import { prng } from '../../fuzz/mutate.js';
import { concat, packetize, pat, pmt, pes } from './ts-writer.js';

const read = (p: string): Uint8Array => new Uint8Array(readFileSync(p));
const H264_AAC = read(join(OWN_SAMPLES, 'h264-aac.ts'));
const HEVC_AAC = read(join(OWN_SAMPLES, 'hevc-aac.ts'));
const LATM = read(join(OWN_SAMPLES, 'h264-aac-latm.ts'));
const M2TS_PRIVATE_AAC = read(join(OWN_SAMPLES, 'h264-aac-m2ts.m2ts'));
const MIDDLE_PMT = read(join(thirdPartyDir(), 'mux.js/test-middle-pat-pmt.ts'));
const OPUS = read(join(thirdPartyDir(), 'shaka-player/hls-ts-muxed-opus-h264/file3.ts'));
const MP3_ID3 = read(join(thirdPartyDir(), 'shaka-player/hls-ts-mp3/media_w239891843_0.ts'));
const AC3 = read(join(thirdPartyDir(), 'mediabunny/ac3-system-b.ts'));

/** Everything a track holds that a writer would use, for equality checks. */
function digest(m: Movie): unknown {
  return m.tracks.map((t) => ({
    id: t.id,
    count: t.samples.count,
    dts: Array.from(t.samples.dts),
    cts: Array.from(t.samples.ctsOffset),
    size: Array.from(t.samples.size),
    flags: Array.from(t.samples.flags),
    data: Buffer.from(withContiguousData(t).data).toString('base64'),
    descriptions: t.descriptions.map((d) => ({ ...d, config: d.config ? Buffer.from(configBytes(d.config)!).toString('hex') : undefined })),
  }));
}

function packets(ts: Uint8Array): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let p = 0; p + 188 <= ts.length; p += 188) out.push(ts.subarray(p, p + 188));
  return out;
}

/** Demuxes, allowing only a BoxwrightError; returns the movie or undefined. */
function safeDemux(data: Uint8Array, what: string): Movie | undefined {
  try {
    return demuxTs(data);
  } catch (e) {
    if (!isBoxwrightError(e)) throw new Error(`${what}: ${(e as Error).stack}`);
    return undefined;
  }
}

/** What a player or packager does with the input: fMP4, probe with packets, the transmuxer fed 1000-byte chunks. */
function safePipeline(data: Uint8Array, what: string): void {
  const steps: Array<[string, () => unknown]> = [
    ['createFragmentedMp4', () => createFragmentedMp4(data)],
    ['probeMedia', () => probeMedia(data, { packets: true })],
    [
      'transmuxer',
      () => {
        const t = createTransmuxer({ onInit: () => undefined, onFragment: () => undefined });
        for (let o = 0; o < data.length; o += 1000) t.push(data.subarray(o, o + 1000));
        t.flush();
      },
    ],
  ];
  for (const [name, run] of steps) {
    try {
      run();
    } catch (e) {
      if (!isBoxwrightError(e)) throw new Error(`${what} (${name}): ${(e as Error).stack}`);
    }
  }
}

describe('packet framing', () => {
  test('192-byte M2TS (4-byte timecode prefix) gives the same movie', () => {
    const m2ts = concat(packets(H264_AAC).flatMap((p, i) => [Uint8Array.of(0x40, 0, i >> 8, i & 0xff), p]));
    const r = demuxTsWithReport(m2ts);
    expect(r.report.packetSize).toBe(192);
    expect(r.report.droppedBytes).toBe(0);
    expect(digest(r.movie)).toEqual(digest(demuxTs(H264_AAC)));
  });

  test('M2TS whose timecode prefixes hold 0x47 bytes (sync look-alikes) gives the same movie', () => {
    const m2ts = concat(packets(H264_AAC).flatMap((p, i) => [Uint8Array.of(0x47, i & 0xff, 0x47, 0x47), p]));
    const r = demuxTsWithReport(m2ts);
    expect(r.report.packetSize).toBe(192);
    expect(r.report.droppedBytes).toBe(0);
    expect(digest(r.movie)).toEqual(digest(demuxTs(H264_AAC)));
  });

  test('204-byte packets (16 parity bytes) give the same movie', () => {
    const p204 = concat(packets(HEVC_AAC).flatMap((p) => [p, new Uint8Array(16).fill(0x47)]));
    const r = demuxTsWithReport(p204);
    expect(r.report.packetSize).toBe(204);
    expect(digest(r.movie)).toEqual(digest(demuxTs(HEVC_AAC)));
  });

  test('garbage between packets is skipped and counted; nothing is lost', () => {
    const rnd = prng(7);
    let garbage = 0;
    const parts: Uint8Array[] = [];
    packets(H264_AAC).forEach((p, i) => {
      if (i % 37 === 5) {
        const g = Uint8Array.from({ length: 1 + Math.floor(rnd() * 300) }, () => Math.floor(rnd() * 256));
        garbage += g.length;
        parts.push(g);
      }
      parts.push(p);
    });
    const r = demuxTsWithReport(concat([Uint8Array.of(1, 2, 3), ...parts, Uint8Array.of(0x47, 0, 0)]));
    expect(r.report.droppedBytes).toBe(garbage + 6);
    expect(r.report.resyncs).toBeGreaterThan(0);
    expect(digest(r.movie)).toEqual(digest(demuxTs(H264_AAC)));
  });

  test('not a transport stream: UNSUPPORTED_FORMAT', () => {
    for (const d of [new Uint8Array(0), new Uint8Array(1000), Uint8Array.from({ length: 400 }, (_, i) => i)]) {
      expect(() => demuxTs(d)).toThrow(expect.objectContaining({ code: 'UNSUPPORTED_FORMAT' }));
    }
  });
});

describe('lost and damaged packets', () => {
  test('dropped packets are counted as continuity errors and the rest is recovered', () => {
    const all = packets(H264_AAC);
    const kept = all.filter((_, i) => i % 50 !== 17);
    const r = demuxTsWithReport(concat(kept));
    const whole = demuxTs(H264_AAC);
    expect(r.report.continuityErrors).toBeGreaterThan(0);
    expect(r.report.continuityErrors).toBeLessThanOrEqual(all.length - kept.length);
    for (const t of r.movie.tracks) {
      const full = whole.tracks.find((w) => w.id === t.id)!;
      // Each lost packet costs at most a couple of units.
      expect(t.samples.count).toBeGreaterThan(full.samples.count * 0.8);
    }
  });

  test('a repeated packet (same counter, same bytes) is a duplicate, not data', () => {
    const all = packets(H264_AAC);
    const dup = concat(all.flatMap((p, i) => (i === 40 ? [p, p] : [p])));
    const r = demuxTsWithReport(dup);
    expect(r.report.duplicatePackets).toBe(1);
    expect(r.report.continuityErrors).toBe(0);
    expect(digest(r.movie)).toEqual(digest(demuxTs(H264_AAC)));
  });

  test('lying PES_packet_length values do not lose data', () => {
    const bytes = H264_AAC.slice();
    const rnd = prng(3);
    for (let p = 0; p + 188 <= bytes.length; p += 188) {
      const pusi = (bytes[p + 1]! & 0x40) !== 0;
      const afc = (bytes[p + 3]! >> 4) & 3;
      const start = afc & 2 ? p + 5 + bytes[p + 4]! : p + 4;
      if (pusi && start + 6 <= p + 188 && bytes[start] === 0 && bytes[start + 1] === 0 && bytes[start + 2] === 1 && bytes[start + 3]! >= 0xc0) {
        bytes[start + 4] = Math.floor(rnd() * 256);
        bytes[start + 5] = Math.floor(rnd() * 256);
      }
    }
    const r = demuxTsWithReport(bytes);
    expect(r.report.pesLengthMismatches).toBeGreaterThan(0);
    expect(digest(r.movie)).toEqual(digest(demuxTs(H264_AAC)));
  });

  test('a PMT entry whose PID never carries a packet gives an empty track', () => {
    const cc = new Map<number, number>();
    const frame = Uint8Array.of(0xff, 0xf1, 0x50, 0x80, 0x01, 0x3f, 0xfc, 0x21, 0x00); // 9-byte ADTS frame: header + 2 bytes
    const ts = concat([
      ...packetize(0, pat(1, 0x1000), cc, true),
      ...packetize(0x1000, pmt(1, 0, 0x101, [{ type: 0x0f, pid: 0x101 }, { type: 0x1b, pid: 0x102 }, { type: 0x99, pid: 0x103 }]), cc, true),
      ...packetize(0x101, pes(0xc0, frame, 90000), cc),
    ]);
    const r = demuxTsWithReport(ts);
    expect(r.movie.tracks.map((t) => [t.id, t.kind, t.samples.count])).toEqual([
      [0x101, 'audio', 1],
      [0x102, 'video', 0],
    ]);
    expect(r.report.skippedStreams).toEqual([{ pid: 0x103, streamType: 0x99 }]);
    expect(r.movie.tracks[1]!.descriptions[0]!.codec).toBe('h264');
  });
});

describe('mutations: only BoxwrightError or success, and fast', () => {
  const FILES: Array<[string, Uint8Array]> = [
    ['h264-aac.ts', H264_AAC],
    ['hevc-aac.ts', HEVC_AAC],
    ['test-middle-pat-pmt.ts', MIDDLE_PMT],
    ['opus', OPUS],
    ['mp3+id3', MP3_ID3],
    ['ac3', AC3],
    ['h264-aac-latm.ts', LATM],
    ['h264-aac-m2ts.m2ts', M2TS_PRIVATE_AAC],
  ];

  test.each(FILES.slice(0, 3))('truncation at every packet boundary (and mid-packet): %s', (name, data) => {
    const t0 = Date.now();
    let last = -1;
    for (let cut = 0; cut <= data.length; cut += 188) {
      for (const c of [cut, cut + 100]) {
        if (c > data.length) continue;
        const m = safeDemux(data.subarray(0, c), `${name} cut ${c}`);
        if (m && c === cut) {
          // More bytes never give fewer samples in total by more than the one cut unit per track.
          const n = m.tracks.reduce((s, t) => s + t.samples.count, 0);
          expect(n).toBeGreaterThanOrEqual(last - m.tracks.length);
          last = n;
        }
      }
    }
    expect(Date.now() - t0).toBeLessThan(30000);
  });

  test.each(FILES)('random byte flips and dropped runs of packets: %s', (name, data) => {
    const rnd = prng(name.length * 7919);
    const t0 = Date.now();
    for (let k = 0; k < 120; k++) {
      const d = data.slice();
      const flips = 1 + Math.floor(rnd() * 20);
      for (let j = 0; j < flips; j++) {
        // Half the flips hit packet headers and PES/PSI headers, where the parsing decisions are.
        const p = rnd() < 0.5 ? Math.floor(rnd() * (d.length / 188)) * 188 + Math.floor(rnd() * 24) : Math.floor(rnd() * d.length);
        if (p < d.length) d[p] = Math.floor(rnd() * 256);
      }
      let input: Uint8Array = d;
      if (k % 3 === 0) {
        // Also drop a run of packets (and cut one mid-way).
        const at = Math.floor(rnd() * (d.length / 188)) * 188;
        const len = (1 + Math.floor(rnd() * 8)) * 188 + (k % 2 ? 61 : 0);
        input = concat([d.subarray(0, at), d.subarray(Math.min(d.length, at + len))]);
      }
      safeDemux(input, `${name} mutation ${k}`);
      if (k % 4 === 0) safePipeline(input, `${name} mutation ${k}`);
    }
    expect(Date.now() - t0).toBeLessThan(30000);
  });

  test('every PMT/PAT byte flipped in turn', () => {
    // The PSI of test-middle-pat-pmt.ts sits in its first two packets.
    for (let p = 0; p < 376; p++) {
      for (const v of [0x00, 0xff, MIDDLE_PMT[p]! ^ 0x10]) {
        const d = MIDDLE_PMT.slice();
        d[p] = v;
        safeDemux(d, `psi flip ${p}=${v}`);
      }
    }
  });
});
