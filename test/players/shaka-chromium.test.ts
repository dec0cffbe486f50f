/**
 * shaka-player (a third player, with its own HLS and DASH parsers and its own handling of timestamps) plays
 * packageHls and packageDash output in headless Chromium: playback advances, a seek to the middle plays on, no
 * error, and the media starts where the manifest says the presentation starts (shaka, like hls.js, ignores
 * edit lists: the packaged timestamps themselves must be right).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { packageDash, type PackageDashOptions } from '../../src/api/dash.js';
import { packageHls, type PackageHlsOptions } from '../../src/api/hls.js';
import { OWN_SAMPLES, REPO, thirdPartyDir } from '../helpers/samples.js';
import { launchChromium, type ChromiumSession } from './chromium.js';
import { EXERCISE_JS, type Exercised } from './exercise.js';
import { serveFiles, type StaticServer } from './serve.js';

const own = (f: string) => (): Uint8Array => readFileSync(join(OWN_SAMPLES, f));
const third = (f: string) => (): Uint8Array => readFileSync(join(thirdPartyDir(), f));

const HLS: Array<[string, () => Uint8Array, PackageHlsOptions]> = [
  ['H.264 with B-frames + primed AAC (edit lists)', own('h264-aac.mp4'), { segmentTime: 0.5 }],
  ['mp4ff/prog_8s.mp4, 2 s', third('mp4ff/prog_8s.mp4'), { segmentTime: 2 }],
  ["segmentFormat 'ts'", third('mp4ff/prog_8s.mp4'), { segmentTime: 2, segmentFormat: 'ts' }],
  ['singleFile (EXT-X-BYTERANGE)', third('mp4ff/prog_8s.mp4'), { segmentTime: 2, singleFile: true }],
  ['MPEG-TS input', own('h264-aac.ts'), { segmentTime: 0.5 }],
  ['audio-only', own('aac.m4a'), { segmentTime: 1 }],
  ['two audio renditions', own('multi-track.mp4'), { segmentTime: 0.5 }],
];

const DASH: Array<[string, () => Uint8Array, PackageDashOptions]> = [
  ['H.264 with B-frames + primed AAC (edit lists)', own('h264-aac.mp4'), { segmentTime: 0.5 }],
  ['mp4ff/prog_8s.mp4, 2 s', third('mp4ff/prog_8s.mp4'), { segmentTime: 2 }],
  ['audio-only', own('aac.m4a'), { segmentTime: 1 }],
  ['multi-language audio', own('multi-track.mp4'), { segmentTime: 0.5 }],
  ['two video Representations', own('h264-aac.mp4'), { segmentTime: 0.5, variants: [{ name: 'a' }, { name: 'b', data: readFileSync(join(OWN_SAMPLES, 'h264-negcts.mp4')) }] }],
  ['VP9 + Opus', own('vp9-opus.mp4'), { segmentTime: 0.5 }],
  ['MPEG-TS input', own('h264-aac.ts'), { segmentTime: 0.5 }],
];

const PAGE = `<!doctype html><html><head><meta charset="utf-8"><script src="/shaka.js"></script></head><body><script>${EXERCISE_JS}
shaka.polyfill.installAll();
window.playShaka = async function (src, timeoutMs) {
  const errors = [];
  const v = document.createElement('video');
  v.muted = true;
  document.body.appendChild(v);
  const player = new shaka.Player();
  await player.attach(v);
  player.addEventListener('error', (e) => errors.push('FATAL ' + e.detail.code + ' ' + JSON.stringify(e.detail.data).slice(0, 300)));
  try {
    await player.load(src);
  } catch (e) {
    errors.push('FATAL load ' + e.code + ' ' + JSON.stringify(e.data).slice(0, 300));
    await player.destroy();
    return { advanced: false, seekedOn: false, errors };
  }
  const r = await exercise(v, errors, timeoutMs);
  await player.destroy();
  v.remove();
  return r;
};
</script></body></html>`;

let session: ChromiumSession;
let server: StaticServer;
let page: Page;

beforeAll(async () => {
  server = await serveFiles(
    new Map<string, Uint8Array | string>([
      ['/', PAGE],
      ['/shaka.js', readFileSync(join(REPO, 'node_modules/shaka-player/dist/shaka-player.compiled.js'), 'utf8')],
    ]),
  );
  session = await launchChromium();
  page = await session.context.newPage();
  await page.goto(`${server.base}/`);
}, 300_000);

afterAll(async () => {
  await session?.close();
  await server?.close();
});

async function playShaka(url: string): Promise<Exercised> {
  const r = (await page.evaluate(([src]) => (window as unknown as { playShaka(s: string, t: number): Promise<unknown> }).playShaka(src, 20_000), [url] as const)) as Exercised;
  if (process.env.DEBUG_PLAYERS) console.log(url, JSON.stringify(r));
  return r;
}

function expectPlayed(r: Exercised): void {
  expect(r.errors.filter((e) => e.startsWith('FATAL'))).toEqual([]);
  expect(r).toMatchObject({ advanced: true, seekedOn: true });
  // The presentation starts at 0: the first buffered media is there, not an edit list's or a TS clock's offset later.
  expect(r.startBuffered).toBeLessThan(0.1);
}

describe('shaka-player plays packageHls output', () => {
  test.each(HLS.map(([n], i) => [n, i] as const))('%s', async (_n, i) => {
    const [, input, options] = HLS[i]!;
    const pkg = packageHls(input(), options);
    for (const f of pkg.files) server.files.set(`/hls${i}/${f.name}`, f.data);
    expectPlayed(await playShaka(`${server.base}/hls${i}/master.m3u8`));
  }, 60_000);
});

describe.each([['live' as const], ['on-demand' as const]])('shaka-player plays packageDash %s output', (profile) => {
  test.each(DASH.map(([n], i) => [n, i] as const))('%s', async (_n, i) => {
    const [, input, options] = DASH[i]!;
    const pkg = packageDash(input(), { ...options, profile });
    const dir = `/${profile}${i}`;
    server.files.set(`${dir}/manifest.mpd`, pkg.mpd);
    for (const s of pkg.segments) server.files.set(`${dir}/${s.name}`, s.data);
    expectPlayed(await playShaka(`${server.base}${dir}/manifest.mpd`));
  }, 60_000);
});
