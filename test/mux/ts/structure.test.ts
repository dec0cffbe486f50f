/**
 * Transport-level structure of muxTs output, read back with an independent reader: sync bytes,
 * continuity counters, PAT/PMT bytes (identical to ffmpeg's), PSI repetition, PCR placement and
 * values, random_access_indicator, PES headers, 33-bit timestamp wrap, ADTS framing vs ffmpeg.
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Movie, Track } from '../../../src/model/movie.js';
import { isSync } from '../../../src/model/sample-table.js';
import { muxTs } from '../../../src/mux/ts/index.js';
import { crc32Mpeg2 } from '../../../src/io/crc32.js';
import { ticksTo90k, wrap33 } from '../../../src/mux/ts/timestamps.js';
import { OWN_SAMPLES } from '../../helpers/samples.js';
import { FFMPEG, OFFSET, decodeLog, expectedTimestamps, muxFile, probePacketsByPid, to90k } from './helpers.js';
import { firstSection, hex, readPackets, readPes } from './ts-reader.js';

const sample = (n: string): string => join(OWN_SAMPLES, n);

describe('PSI', () => {
  test('PAT and PMT are byte-identical to ffmpeg -c copy -f mpegts (h264+aac, ac3, opus)', () => {
    // Sections (after the pointer_field) copied from ffmpeg 5.1's output for the same inputs (PID 0 and 0x1000).
    const PAT = '00b00d0001c100000001f0002ab104b2';
    const cases: Array<[string, string]> = [
      ['h264-aac.mp4', '02b01d0001c10000e100f0001be100f0000fe101f0060a04756e6400087de877'],
      ['hevc-aac.mp4', '02b0230001c10000e100f00024e100f0060504484556430fe101f0060a04756e6400e5e1aa7e'],
      ['ac3.mp4', '02b01e0001c10000e100f00081e100f00c050441432d330a04756e640022cfb8e2'],
      ['eac3.mp4', '02b01e0001c10000e100f00087e100f00c0504454143330a04756e6400513c10f3'],
      ['mp3.mp4', '02b0180001c10000e100f00003e100f0060a04756e64002dfe3f3c'],
      ['opus.mp4', '02b0220001c10000e100f00006e100f01005044f7075737f0280020a04756e6400211d8445'],
    ];
    for (const [name, pmt] of cases) {
      const packets = readPackets(muxFile(sample(name), `psi-${name}`).ts);
      expect([name, hex(firstSection(packets, 0))]).toEqual([name, PAT]);
      expect([name, hex(firstSection(packets, 0x1000))]).toEqual([name, pmt]);
    }
  });

  test('CRC-32/MPEG-2 check value and zero residue over a section', () => {
    expect(crc32Mpeg2(new TextEncoder().encode('123456789'))).toBe(0x0376e6e7);
    const pat = Uint8Array.from(Buffer.from('00b00d0001c100000001f0002ab104b2', 'hex'));
    expect(crc32Mpeg2(pat)).toBe(0);
  });
});

/** Structural invariants every output must hold. */
function checkStructure(ts: Uint8Array, chosen: Track[]): void {
  const packets = readPackets(ts);
  // Continuity counters: +1 mod 16 per PID for every packet with payload (§2.4.3.3).
  const last = new Map<number, number>();
  for (const p of packets) {
    expect(p.hasPayload).toBe(true);
    const prev = last.get(p.pid);
    if (prev !== undefined) expect([p.index, p.cc]).toEqual([p.index, (prev + 1) & 15]);
    last.set(p.pid, p.cc);
  }
  expect(packets[0]!.pid).toBe(0);
  expect(packets[1]!.pid).toBe(0x1000);
  const pes = readPes(packets);
  expect(pes.length).toBe(chosen.reduce((n, t) => n + t.samples.count, 0));
  const pcrPid = 0x100 + Math.max(0, chosen.findIndex((t) => t.kind === 'video'));
  let lastPcr = -1;
  const next = new Map<number, number>();
  for (const u of pes) {
    const k = u.pid - 0x100;
    const t = chosen[k]!;
    const i = next.get(u.pid) ?? 0;
    next.set(u.pid, i + 1);
    const want = expectedTimestamps(t);
    expect(u.pts).toBe(wrap33(want.pts[i]!));
    expect(u.dts ?? u.pts).toBe(wrap33(want.dts[i]!));
    expect(u.rai).toBe(isSync(t.samples, i));
    if (u.pid === pcrPid) {
      // PCR = DTS − 0.7 s, in the first packet of every PES of the PCR PID, never going back.
      expect(u.pcr).toBe(wrap33(want.dts[i]! - 63000));
      if (lastPcr >= 0) expect(wrap33(u.pcr! - lastPcr)).toBeLessThan(2 ** 32);
      lastPcr = u.pcr!;
    } else {
      expect(u.pcr).toBeUndefined();
    }
    // Video: PES_packet_length 0 (§2.4.3.7); audio: exact length.
    if (t.kind === 'video') {
      expect(u.streamId).toBe(0xe0);
      expect(u.pesPacketLength).toBe(0);
    } else {
      expect(u.pesPacketLength).toBe(u.data.length + 3 + (u.dts !== undefined ? 10 : 5));
    }
    // PAT+PMT right before every video keyframe.
    if (t.kind === 'video' && isSync(t.samples, i)) {
      expect([packets[u.packet - 2]!.pid, packets[u.packet - 1]!.pid]).toEqual([0, 0x1000]);
    }
  }
  // PSI at least every 0.5 s of DTS (plus one frame interval: it is inserted at the first PES past 0.5 s).
  const psi = new Set(packets.filter((p) => p.pid === 0).map((p) => p.index));
  const psiDts = pes.filter((u) => psi.has(u.packet - 2)).map((u) => u.dts ?? u.pts!);
  for (let k = 1; k < psiDts.length; k++) expect(wrap33(psiDts[k]! - psiDts[k - 1]!)).toBeLessThanOrEqual(45000 + 4000);
}

describe('packet structure', () => {
  test.each(['h264-aac.mp4', 'hevc-aac.mp4', 'long-gop-h264.mp4', 'h264-negcts.mp4', 'ac3.mp4', 'opus.mp4', 'aac.m4a'])('%s', (name) => {
    const { movie, ts } = muxFile(sample(name), `struct-${name}`);
    checkStructure(ts, movie.tracks.filter((t) => t.kind === 'video' || t.kind === 'audio'));
  });

  test('audio only from an A/V file: PCR moves to the audio PID, PSI every 0.5 s', () => {
    const { movie, ts, tsPath } = muxFile(sample('h264-aac.mp4'), 'audio-only', [1]);
    checkStructure(ts, [movie.tracks[1]!]);
    expect(decodeLog(tsPath)).toBe('');
  });

  test('track order follows trackIndexes: PIDs 0x100 + position', () => {
    const { movie, ts } = muxFile(sample('h264-aac.mp4'), 'swapped', [1, 0]);
    checkStructure(ts, [movie.tracks[1]!, movie.tracks[0]!]);
  });
});

describe('timestamps', () => {
  test('ticksTo90k is exact, also beyond 2^53 and for negative ticks', () => {
    const cases: Array<[number, number]> = [
      [0, 12288], [1, 12288], [512, 12288], [1024, 44100], [-1024, 48000], [1, 3], [3, 2], [-3, 2], [-1, 2],
      [2 ** 52, 48000], [2 ** 53 - 1, 1000000007], [123456789012345, 30000], [-(2 ** 50), 44100], [9e15, 90000],
    ];
    for (const [t, s] of cases) expect([t, s, ticksTo90k(t, s)]).toEqual([t, s, to90k(t, s)]);
    let seed = 7;
    for (let k = 0; k < 2000; k++) {
      seed = (seed * 48271) % 2147483647;
      const s = 1 + (seed % 1000000);
      const big = (seed * 4099) % 2 ** 40; // × 90000 is beyond 2^53: the BigInt path
      const small = seed % 2 ** 30;
      expect([big, s, ticksTo90k(big, s)]).toEqual([big, s, to90k(big, s)]);
      expect([small, s, ticksTo90k(small, s)]).toEqual([small, s, to90k(small, s)]);
    }
  });

  test('PTS/DTS and PCR wrap at 2^33 mid-stream; ffmpeg still reads every packet', () => {
    const { movie } = muxFile(sample('h264-aac.mp4'), 'wrap-src');
    // Start each track 1 s before the 33-bit wrap (in 90 kHz, minus the 1.4 s offset).
    const shifted: Movie = {
      ...movie,
      tracks: movie.tracks.map((t) => {
        const start = Math.round(((2 ** 33 - OFFSET - 90000) * t.timescale) / 90000);
        const dts = t.samples.dts.map((d) => d + start);
        return { ...t, samples: { ...t.samples, dts } };
      }),
    };
    const ts = muxTs(shifted);
    const chosen = shifted.tracks.filter((t) => t.kind === 'video' || t.kind === 'audio');
    const pts = readPes(readPackets(ts)).map((u) => u.pts!);
    expect(pts.some((p) => p < 200000)).toBe(true);
    expect(pts.some((p) => p > 2 ** 33 - 200000)).toBe(true);
    checkStructure(ts, chosen);
    const path = join(tmpdir(), `boxwright-muxts-wrap-${process.pid}.ts`);
    writeFileSync(path, ts);
    const byPid = probePacketsByPid(path);
    expect(chosen.map((_, k) => byPid.get(0x100 + k)?.length)).toEqual(chosen.map((t) => t.samples.count));
    expect(decodeLog(path)).toBe('');
  });
});

test('AAC: the PES payloads are exactly the ADTS stream ffmpeg writes (-f adts)', () => {
  const { ts } = muxFile(sample('h264-aac.mp4'), 'adts');
  const ours = Buffer.concat(readPes(readPackets(ts)).filter((u) => u.pid === 0x101).map((u) => u.data));
  const ff = execFileSync(FFMPEG, ['-v', 'error', '-ignore_editlist', '1', '-i', sample('h264-aac.mp4'), '-map', '0:a', '-c', 'copy', '-f', 'adts', '-'], { maxBuffer: 1 << 26 });
  expect(ours.length).toBe(ff.length);
  expect(ours.equals(ff)).toBe(true);
});

test('H.264: every access unit starts with an AUD; keyframes carry SPS+PPS right after it', () => {
  const { movie, ts } = muxFile(sample('h264-aac.mp4'), 'aud');
  const video = readPes(readPackets(ts)).filter((u) => u.pid === 0x100);
  video.forEach((u, i) => {
    expect(hex(u.data.subarray(0, 6))).toBe('0000000109f0');
    if (isSync(movie.tracks[0]!.samples, i)) expect([u.data[10]! & 0x1f]).toEqual([7]);
  });
});

test('HEVC: every access unit starts with an AUD (46 01 50); IRAPs carry VPS, SPS, PPS right after it', () => {
  const { movie, ts } = muxFile(sample('hevc-aac.mp4'), 'aud-hevc');
  const video = readPes(readPackets(ts)).filter((u) => u.pid === 0x100);
  expect(video.length).toBe(movie.tracks[0]!.samples.count);
  video.forEach((u, i) => {
    expect(hex(u.data.subarray(0, 7))).toBe('00000001460150');
    if (isSync(movie.tracks[0]!.samples, i)) expect([(u.data[11]! >> 1) & 0x3f]).toEqual([32]);
  });
});
