/**
 * The transmuxer as players use it, in headless Chromium: the library bundled with esbuild runs in the page,
 * transmuxes the segments it fetches (pushed in 1000-byte chunks) and appends to MSE SourceBuffers —
 * separate audio and video buffers (`remux: false`), a seek with `reset()` (backwards, to earlier source
 * timestamps: the state-leak-across-seek bug of mux.js issue 312 would leave the audio buffer empty there),
 * a discontinuity sequence with `endTimeline()`, segments whose raw timestamps wrap past 2^33, and audio-only
 * ADTS and MP3 input.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { OWN_SAMPLES, thirdPartyDir } from '../helpers/samples.js';
import { bundleLibrary } from './bundle.js';
import { launchChromium, type ChromiumSession } from './chromium.js';
import { serveFiles, type StaticServer } from './serve.js';
import { TRANSMUX_PAGE_HTML, type TransmuxResult, type TransmuxScenario } from './transmux-page.js';

let session: ChromiumSession;
let server: StaticServer;
let page: Page;

const rollover = (n: number): string => join(thirdPartyDir(), `shaka-player/hls-ts-rollover/360p30_h264_48k_160_aac_ts-00000000${n}.ts`);
const MEDIA: Record<string, () => string> = {
  '/media/h264-aac.ts': () => join(OWN_SAMPLES, 'h264-aac.ts'),
  '/media/muxjs-test-segment.ts': () => join(thirdPartyDir(), 'mux.js/test-segment.ts'),
  '/media/r24.ts': () => rollover(24),
  '/media/r25.ts': () => rollover(25),
  '/media/r28.ts': () => rollover(28),
  '/media/aac.adts': () => join(OWN_SAMPLES, 'aac.adts'),
  '/media/id3-metadata.aac': () => join(thirdPartyDir(), 'shaka-player/id3-metadata.aac'),
  '/media/mp3.mp3': () => join(OWN_SAMPLES, 'mp3.mp3'),
};

beforeAll(async () => {
  const files = new Map<string, Uint8Array | string>([
    ['/', TRANSMUX_PAGE_HTML],
    ['/boxwright.js', await bundleLibrary()],
  ]);
  for (const [url, path] of Object.entries(MEDIA)) files.set(url, readFileSync(path()));
  server = await serveFiles(files);
  session = await launchChromium();
}, 300_000);

afterAll(async () => {
  await session?.close();
  await server?.close();
});

beforeEach(async () => {
  page = await session.context.newPage();
  await page.goto(`${server.base}/`);
});
afterEach(async () => {
  await page?.close();
});

async function run(s: TransmuxScenario): Promise<TransmuxResult> {
  const r = await page.evaluate((spec) => (window as unknown as { runScenario(s: TransmuxScenario): Promise<TransmuxResult> }).runScenario(spec), s);
  if (r.errors.length > 0) console.log(JSON.stringify(r, null, 1));
  return r;
}

/** Whether `ranges` cover [from, to] (with 0.1 s slack for the frame at each end). */
const covers = (ranges: Array<[number, number]>, from: number, to: number): boolean => ranges.some(([a, b]) => a <= from + 0.1 && b >= to - 0.1);

const PLAY = (advanceSec: number) => ({ play: { advanceSec, timeoutMs: 20000 } });

test('remux: false — separate video and audio SourceBuffers play from 0, across consecutive segments', async () => {
  const r = await run({ options: { remux: false }, steps: [{ push: '/media/r24.ts' }, { flush: true }, { push: '/media/r25.ts' }, { flush: true }, PLAY(3.5)] });
  expect(r.errors).toEqual([]);
  expect(Object.keys(r.buffers).sort()).toEqual(['audio', 'video']);
  expect(r.buffers.video!.mime).toMatch(/^video\/mp4; codecs="avc1\./);
  expect(r.buffers.audio!.mime).toMatch(/^audio\/mp4; codecs="mp4a\.40\.2"/);
  // The timeline starts at 0 (raw timestamps are ~9.7 s before the 33-bit wrap, and cross it).
  for (const b of Object.values(r.buffers)) expect(covers(b.buffered, 0, 3.9)).toBe(true);
  expect(r.plays.every((p) => p.ok)).toBe(true);
}, 120_000);

test('a seek backwards with reset(): the new timeline starts at baseMediaDecodeTime, audio and video both there', async () => {
  const r = await run({
    options: { remux: false },
    steps: [
      { push: '/media/r28.ts' },
      { flush: true },
      PLAY(0.5),
      // Back to the segment 4 before: earlier source timestamps, placed at 20 s.
      { reset: { baseMediaDecodeTime: 20 * 90000 } },
      { push: '/media/r24.ts' },
      { push: '/media/r25.ts' },
      { flush: true },
      { seek: 20.2 },
      PLAY(3),
    ],
  });
  expect(r.errors).toEqual([]);
  expect(r.plays.map((p) => p.ok)).toEqual([true, true]);
  for (const b of Object.values(r.buffers)) expect(covers(b.buffered, 20, 23.9)).toBe(true);
}, 120_000);

test('combined output: a discontinuity sequence (endTimeline between unrelated encodings) plays through as one timeline', async () => {
  const r = await run({
    options: {},
    steps: [{ push: '/media/h264-aac.ts' }, { endTimeline: true }, { push: '/media/muxjs-test-segment.ts' }, { endTimeline: true }, { push: '/media/h264-aac.ts' }, { flush: true }, PLAY(12)],
  });
  expect(r.errors).toEqual([]);
  expect(Object.keys(r.buffers)).toEqual(['combined']);
  // 2.0 + 8.9 + 2.0 s, each timeline following the last.
  expect(covers(r.buffers.combined!.buffered, 0, 12.5)).toBe(true);
  expect(r.plays[0]!.ok).toBe(true);
}, 120_000);

test.each([
  ['ADTS AAC', '/media/aac.adts', /^audio\/mp4; codecs="mp4a\.40\.2"/],
  ['ADTS AAC with an HLS ID3 timestamp', '/media/id3-metadata.aac', /^audio\/mp4; codecs="mp4a\.40\.2"/],
  ['MP3', '/media/mp3.mp3', /^audio\/mp4; codecs="mp4a\.40\.34"/],
])('audio-only %s input plays from 0', async (name, url, mime) => {
  // Debian's Chromium has no MP3 in MP4 in MSE under any codec name (only raw 'audio/mpeg'): there the init
  // segment's MIME type must be the one Chrome builds that do play it take, and nothing else can be played.
  const mp3InMp4 = await page.evaluate(() => ['mp3', 'mp4a.40.34', 'mp4a.6B', 'mp4a.69'].some((c) => MediaSource.isTypeSupported(`audio/mp4; codecs="${c}"`)));
  const r = await run({ options: {}, steps: [{ push: url }, { flush: true }, PLAY(1)] });
  if (name === 'MP3' && !mp3InMp4) {
    console.log(`MP3 input: this Chromium (${session.version}) cannot play MP3 in MP4 through MSE; checked the MIME type only`);
    expect(r.errors).toEqual(['unsupported audio/mp4; codecs="mp4a.40.34"']);
    return;
  }
  expect(r.errors).toEqual([]);
  expect(Object.keys(r.buffers)).toEqual(['combined']);
  expect(r.buffers.combined!.mime).toMatch(mime);
  expect(covers(r.buffers.combined!.buffered, 0, 1)).toBe(true);
}, 120_000);
