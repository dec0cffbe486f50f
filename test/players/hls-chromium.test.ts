/**
 * packageHls output plays in headless Chromium with hls.js: playback advances, a seek to the middle plays on,
 * no fatal error. Files are served from 127.0.0.1 only. Chromium is Debian's package (see ./chromium.ts).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { packageHls, type PackageHlsOptions } from '../../src/api/hls.js';
import { OWN_SAMPLES, REPO, thirdPartyDir } from '../helpers/samples.js';
import { launchChromium, type ChromiumSession } from './chromium.js';
import { serveFiles, type StaticServer } from './serve.js';
import { EXERCISE_JS } from './exercise.js';

interface HlsCase {
  name: string;
  input: () => Uint8Array;
  options?: () => PackageHlsOptions;
}

const own = (f: string) => (): Uint8Array => readFileSync(join(OWN_SAMPLES, f));
const third = (f: string) => (): Uint8Array => readFileSync(join(thirdPartyDir(), f));

const CASES: HlsCase[] = [
  { name: 'H.264 with B-frames + AAC with priming (edit lists)', input: own('h264-aac.mp4'), options: () => ({ segmentTime: 0.5 }) },
  { name: 'mp4ff/prog_8s.mp4, 2 s segments', input: third('mp4ff/prog_8s.mp4'), options: () => ({ segmentTime: 2 }) },
  { name: 'MPEG-TS input', input: own('h264-aac.ts'), options: () => ({ segmentTime: 0.5 }) },
  { name: "segmentFormat 'ts'", input: third('mp4ff/prog_8s.mp4'), options: () => ({ segmentTime: 2, segmentFormat: 'ts' }) },
  { name: 'singleFile (EXT-X-BYTERANGE)', input: third('mp4ff/prog_8s.mp4'), options: () => ({ segmentTime: 2, singleFile: true }) },
  { name: 'audio-only', input: own('aac.m4a'), options: () => ({ segmentTime: 1 }) },
  { name: 'two audio renditions', input: own('multi-track.mp4'), options: () => ({ segmentTime: 0.5 }) },
  {
    name: 'two variants from two inputs',
    input: own('h264-aac.mp4'),
    options: () => ({ segmentTime: 0.5, variants: [{ name: 'a' }, { name: 'b', data: readFileSync(join(OWN_SAMPLES, 'h264-negcts.mp4')) }] }),
  },
];

const PAGE = `<!doctype html><html><head><meta charset="utf-8"><script src="/hls.js"></script></head><body><script>${EXERCISE_JS}
window.playHls = async function (src, timeoutMs) {
  const errors = [];
  const v = document.createElement('video');
  v.muted = true;
  document.body.appendChild(v);
  const hls = new Hls({ enableWorker: false, debug: false });
  hls.on(Hls.Events.ERROR, (_e, d) => errors.push((d.fatal ? 'FATAL ' : '') + d.type + ' ' + d.details));
  const parsed = new Promise((r) => hls.on(Hls.Events.MANIFEST_PARSED, r));
  hls.loadSource(src);
  hls.attachMedia(v);
  await parsed;
  const result = { ...(await exercise(v, errors, timeoutMs)), levels: hls.levels.length, audioTracks: hls.audioTracks.length };
  hls.destroy();
  return result;
};
</script></body></html>`;

let session: ChromiumSession;
let server: StaticServer;
let base = '';
const served = new Map<string, Uint8Array | string>();

beforeAll(async () => {
  served.set('/', PAGE);
  served.set('/hls.js', readFileSync(join(REPO, 'node_modules/hls.js/dist/hls.min.js'), 'utf8'));
  server = await serveFiles(served);
  base = server.base;
  session = await launchChromium();
}, 300_000);

afterAll(async () => {
  await session?.close();
  await server?.close();
});

describe('hls.js in headless Chromium plays packageHls output', () => {
  let page: Page;
  beforeAll(async () => {
    page = await session.context.newPage();
    await page.goto(`${base}/`);
  });

  test.each(CASES.map((c, i) => [c.name, i] as const))('%s', async (_name, i) => {
    const c = CASES[i]!;
    const pkg = packageHls(c.input(), c.options?.() ?? {});
    for (const f of pkg.files) served.set(`/case${i}/${f.name}`, f.data);
    const r = (await page.evaluate(([src, ms]) => (window as unknown as { playHls(s: string, t: number): Promise<unknown> }).playHls(src, ms), [`${base}/case${i}/master.m3u8`, 20_000] as const)) as {
      advanced: boolean;
      seekedOn: boolean;
      errors: string[];
      duration: number;
      reached: number;
      afterSeek: number;
    };
    expect(r.errors.filter((e) => e.startsWith('FATAL'))).toEqual([]);
    expect(r).toMatchObject({ advanced: true, seekedOn: true });
  }, 60_000);
});
