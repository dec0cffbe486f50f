/**
 * Bad input: random bytes as samples, real caption samples mutated, and valid SEI carrying random cc_data.
 * Nothing may throw (garbage caption data is skipped, never an error), every cue must be well formed, and
 * the whole run must stay fast.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CaptionExtractor, type CaptionCue } from '../../src/captions/index.js';
import { demuxTs } from '../../src/demux/ts/index.js';
import { sampleBytes } from '../../src/model/sample-bytes.js';
import { thirdPartyDir } from '../helpers/samples.js';
import { avcSample, hevcSeiNal, sampleOf, type Triplet } from './build.js';
import { prng as rng } from '../fuzz/mutate.js';


function expectWellFormed(cues: readonly CaptionCue[]): void {
  for (const c of cues) {
    expect(Number.isFinite(c.startPts) && Number.isFinite(c.endPts)).toBe(true);
    expect(typeof c.text).toBe('string');
    expect(c.text.length).toBeGreaterThan(0);
    expect(c.stream).toMatch(/^(CC[1-4]|cc708_\d+)$/);
  }
}

test('random bytes as samples, every codec and length size: no throw', () => {
  const r = rng(1);
  const started = Date.now();
  for (let round = 0; round < 100; round++) {
    const cc = new CaptionExtractor();
    for (let s = 0; s < 20; s++) {
      const bytes = Uint8Array.from({ length: Math.floor(r() * 400) }, () => Math.floor(r() * 256));
      // Make SEI NAL types likely: the first NAL header byte is SEI for either codec half the time.
      if (bytes.length > 4 && r() < 0.5) bytes[4] = r() < 0.5 ? 0x06 : 39 << 1;
      cc.push(bytes, s * 3000, s * 3000, r() < 0.5 ? 'avc' : 'hevc', 1 + Math.floor(r() * 4));
    }
    expectWellFormed(cc.flush());
  }
  expect(Date.now() - started).toBeLessThan(5000);
});

test('valid SEI carrying random cc_data (608 and 708 garbage): no throw, well-formed cues', () => {
  const r = rng(2);
  const started = Date.now();
  let cues = 0;
  for (let round = 0; round < 100; round++) {
    const cc = new CaptionExtractor();
    for (let s = 0; s < 80; s++) {
      const t: Triplet[] = Array.from({ length: 1 + Math.floor(r() * 20) }, () => [Math.floor(r() * 4), Math.floor(r() * 256), Math.floor(r() * 256)]);
      const hevc = r() < 0.2;
      cc.push(hevc ? sampleOf([hevcSeiNal(t)]) : avcSample(t), Math.floor(r() * 100000), s, hevc ? 'hevc' : 'avc');
    }
    const out = cc.flush();
    expectWellFormed(out);
    cues += out.length;
  }
  expect(cues).toBeGreaterThan(0); // the garbage did reach the decoders
  expect(Date.now() - started).toBeLessThan(10000);
});

test('the caption samples of captions-test.ts, mutated: no throw', () => {
  const video = demuxTs(new Uint8Array(readFileSync(join(thirdPartyDir(), 'shaka-player/captions-test.ts')))).tracks.find((t) => t.kind === 'video')!;
  // The samples that carry captions, cut to their first 200 bytes (the SEI comes first) to keep this quick.
  const samples: Uint8Array[] = [];
  for (let k = 0; k < video.samples.count && samples.length < 60; k++) samples.push(sampleBytes(video, k).slice(0, 200));
  const r = rng(3);
  const started = Date.now();
  for (let round = 0; round < 100; round++) {
    const cc = new CaptionExtractor();
    samples.forEach((original, k) => {
      const s = original.slice(0, r() < 0.2 ? Math.floor(r() * original.length) : original.length);
      for (let m = 0, n = 1 + Math.floor(r() * 6); m < n && s.length > 0; m++) {
        const at = Math.floor(r() * s.length);
        s[at] = r() < 0.3 ? [0, 0xff, 0x03][Math.floor(r() * 3)]! : Math.floor(r() * 256);
      }
      cc.push(s, k * 3003, k * 3003, 'avc');
    });
    expectWellFormed(cc.flush());
  }
  expect(Date.now() - started).toBeLessThan(10000);
});

test('a stream that never breaks a row cannot make the output grow with its square', () => {
  // Pop-on EOC and a character, alternately, 50,000 times: each EOC shows the row written so far as a cue.
  // Rows keep at most 256 characters, so every cue is short and the run is linear.
  const cc = new CaptionExtractor();
  const eoc = (): Triplet => [0, 0x94, 0x2f];
  const started = Date.now();
  for (let k = 0; k < 5000; k++) {
    const t: Triplet[] = [];
    for (let j = 0; j < 10; j++) t.push(j % 2 === 0 ? eoc() : [0, 0xc1, 0xc2]);
    cc.push(avcSample(t), k, k, 'avc');
  }
  const cues = cc.flush();
  expect(cues.length).toBeGreaterThan(10000);
  expect(Math.max(...cues.map((c) => c.text.length))).toBeLessThanOrEqual(256);
  expect(Date.now() - started).toBeLessThan(5000);
});
