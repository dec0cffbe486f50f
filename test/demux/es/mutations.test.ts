/**
 * Mutation safety of the elementary-stream demuxers: truncations, byte flips, garbage prefixes, sync-word
 * floods and every demuxer on every other format. Each run must return a well-formed movie or throw a
 * BoxwrightError — never a RangeError/TypeError — and stay fast.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { demuxAc3, demuxAdts, demuxMp3, demuxWav } from '../../../src/demux/es/index.js';
import { BoxwrightError } from '../../../src/io/errors.js';
import type { Movie } from '../../../src/model/movie.js';
import { OWN_SAMPLES, thirdPartyDir } from '../../helpers/samples.js';
import { prng } from '../../fuzz/mutate.js';

const DEMUXERS: Record<string, (d: Uint8Array) => Movie> = {
  adts: demuxAdts,
  mp3: (d) => demuxMp3(d, { gapless: true }),
  ac3: demuxAc3,
  wav: demuxWav,
};

const FILES: Array<[string, string]> = [
  ['adts', join(OWN_SAMPLES, 'aac.adts')],
  ['adts', 'shaka-player/id3-metadata.aac'],
  ['mp3', join(OWN_SAMPLES, 'mp3.mp3')],
  ['mp3', 'mediabunny/Toothsome-Meme.VBRv2.mp3'],
  ['ac3', join(OWN_SAMPLES, 'ac3.ac3')],
  ['ac3', 'shaka-player/hls-raw-ec3/fileSequence0.ec3'],
  ['wav', join(OWN_SAMPLES, 'pcm.wav')],
  ['wav', join(OWN_SAMPLES, 'pcm-float.wav')],
];

function load(path: string): Uint8Array {
  return new Uint8Array(readFileSync(path.startsWith('/') ? path : join(thirdPartyDir(), path)));
}

/** Runs `demux` and checks the outcome; returns a failure description, 'threw' or undefined (a good movie). */
function run(demux: (d: Uint8Array) => Movie, data: Uint8Array): string | undefined {
  let m: Movie;
  try {
    m = demux(data);
  } catch (e) {
    return e instanceof BoxwrightError ? 'threw' : `${(e as Error).name}: ${(e as Error).message}`;
  }
  const t = m.tracks[0];
  if (!t || m.tracks.length !== 1) return 'not one track';
  const s = t.samples;
  if (!(t.timescale > 0 && Number.isInteger(t.timescale))) return `timescale ${t.timescale}`;
  let sum = 0;
  for (let i = 0; i < s.count; i++) {
    const off = s.offset[i]!;
    const size = s.size[i]!;
    if (!(off >= 0 && off + size <= data.length)) return `sample ${i} [${off}, +${size}) outside ${data.length} bytes`;
    if (!(s.duration[i]! >= 0 && Number.isInteger(s.duration[i]!))) return `sample ${i} duration ${s.duration[i]}`;
    if (i > 0 && s.dts[i]! < s.dts[i - 1]!) return `sample ${i} dts goes back`;
    sum += s.duration[i]!;
  }
  if (t.durationTicks !== sum) return `durationTicks ${t.durationTicks} ≠ ${sum}`;
  if (t.data !== data) return 'track data is not the input';
  return undefined;
}

function* mutants(data: Uint8Array, seed: number): Generator<[string, Uint8Array]> {
  const r = prng(seed);
  const int = (n: number): number => Math.floor(r() * n);
  // Truncations: every length up to 96 (headers, ID3, RIFF chunks), then random cuts.
  for (let n = 0; n <= Math.min(96, data.length); n++) yield [`truncate@${n}`, data.subarray(0, n)];
  for (let k = 0; k < 40; k++) {
    const n = int(data.length);
    yield [`truncate@${n}`, data.subarray(0, n)];
  }
  // Byte flips: half in the first 512 bytes (tags, headers), half anywhere; 1–4 bytes each.
  for (let k = 0; k < 160; k++) {
    const d = data.slice();
    const flips = 1 + int(4);
    for (let j = 0; j < flips; j++) d[k % 2 ? int(Math.min(512, d.length)) : int(d.length)] = int(256);
    yield [`flip#${k}`, d];
  }
  // Garbage prefixes, random and sync-word floods.
  for (const n of [1, 2, 3, 8, 100, 4097]) {
    const g = Uint8Array.from({ length: n }, () => int(256));
    yield [`garbage${n}`, new Uint8Array(Buffer.concat([g, data]))];
  }
  for (const pair of [[0xff, 0xf1], [0xff, 0xfb], [0x0b, 0x77], [0x49, 0x44, 0x33, 4, 0, 0, 0x7f, 0x7f, 0x7f, 0x7f]]) {
    const flood = Uint8Array.from({ length: 3000 }, (_, i) => pair[i % pair.length]!);
    yield [`flood ${pair.join(',')}`, new Uint8Array(Buffer.concat([flood, data]))];
    yield [`flood-only ${pair.join(',')}`, flood];
  }
  // Huge sizes where formats keep them.
  for (const at of [4, 16, 40, 44, 6, 7, 8, 9]) {
    if (at + 4 > data.length) continue;
    const d = data.slice();
    d.fill(0xff, at, at + 4);
    yield [`ff×4@${at}`, d];
  }
}

describe('elementary-stream demuxers: only BoxwrightError or a well-formed movie', () => {
  test.each(FILES)('%s %s', (kind, path) => {
    // (paths under samples/ are absolute; third-party ones relative to the corpus)
    const data = load(path);
    const demux = DEMUXERS[kind]!;
    const failures: string[] = [];
    const started = Date.now();
    let n = 0;
    let ok = 0;
    for (const [name, d] of mutants(data, data.length)) {
      const f = run(demux, d);
      n++;
      if (f === undefined) ok++;
      else if (f !== 'threw' && failures.length < 10) failures.push(`${name}: ${f}`);
    }
    expect(failures).toEqual([]);
    expect(n).toBeGreaterThan(250);
    // Most mutants still demux (resync, truncated last frame): the errors are not the easy way out.
    expect(ok / n).toBeGreaterThan(0.5);
    // Each demux is a linear scan: the whole batch stays well under a few seconds.
    expect(Date.now() - started).toBeLessThan(15000);
  });

  test('pathological floods of sync words stay linear', () => {
    for (const pair of [[0xff, 0xf1], [0xff, 0xfb], [0x0b, 0x77], [0xff, 0xf1, 0x50, 0x80]]) {
      const flood = Uint8Array.from({ length: 1 << 20 }, (_, i) => pair[i % pair.length]!);
      for (const demux of Object.values(DEMUXERS)) {
        const t0 = Date.now();
        expect([undefined, 'threw']).toContain(run(demux, flood));
        expect(Date.now() - t0).toBeLessThan(1500);
      }
    }
  });

  test('every demuxer on every other format', () => {
    const failures: string[] = [];
    for (const [, path] of FILES) {
      const data = load(path);
      for (const [kind, demux] of Object.entries(DEMUXERS)) {
        const f = run(demux, data);
        if (f && f !== 'threw') failures.push(`${kind} on ${path}: ${f}`);
      }
    }
    expect(failures).toEqual([]);
  });
});
