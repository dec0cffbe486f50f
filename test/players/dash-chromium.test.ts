/**
 * packageDash output plays in headless Chromium with dash.js, both profiles: playback advances, a seek to the
 * middle plays on, no error. The combined packageStreams output plays in dash.js and hls.js from one directory.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { packageDash, type PackageDashOptions } from '../../src/api/dash.js';
import { packageStreams } from '../../src/api/streams.js';
import { OWN_SAMPLES, REPO, thirdPartyDir } from '../helpers/samples.js';
import { launchChromium, type ChromiumSession } from './chromium.js';
import { serveFiles, type StaticServer } from './serve.js';
import { EXERCISE_JS } from './exercise.js';

const own = (f: string) => (): Uint8Array => readFileSync(join(OWN_SAMPLES, f));
const third = (f: string) => (): Uint8Array => readFileSync(join(thirdPartyDir(), f));

const INPUTS: Array<[string, () => Uint8Array, PackageDashOptions]> = [
  ['H.264 with B-frames + primed AAC', own('h264-aac.mp4'), { segmentTime: 0.5 }],
  ['mp4ff/prog_8s.mp4, 2 s', third('mp4ff/prog_8s.mp4'), { segmentTime: 2 }],
  ['audio-only', own('aac.m4a'), { segmentTime: 1 }],
  ['multi-language audio', own('multi-track.mp4'), { segmentTime: 0.5 }],
  ['two video Representations', own('h264-aac.mp4'), { segmentTime: 0.5, variants: [{ name: 'a' }, { name: 'b', data: readFileSync(join(OWN_SAMPLES, 'h264-negcts.mp4')) }] }],
  ['VP9 + Opus', own('vp9-opus.mp4'), { segmentTime: 0.5 }],
  ['MPEG-TS input', own('h264-aac.ts'), { segmentTime: 0.5 }],
];

const PAGE = `<!doctype html><html><head><meta charset="utf-8"><script src="/dash.js"></script><script src="/hls.js"></script></head><body><script>
${EXERCISE_JS}
window.playDash = async function (src, timeoutMs) {
  const errors = [];
  const v = document.createElement('video');
  v.muted = true;
  document.body.appendChild(v);
  const player = dashjs.MediaPlayer().create();
  player.updateSettings({ debug: { logLevel: 0 } });
  player.on(dashjs.MediaPlayer.events.ERROR, (e) => errors.push('FATAL ' + JSON.stringify(e.error && (e.error.message || e.error.code) || e)));
  player.initialize(v, src, false);
  const r = await exercise(v, errors, timeoutMs);
  player.reset();
  return r;
};
window.playHls = async function (src, timeoutMs) {
  const errors = [];
  const v = document.createElement('video');
  v.muted = true;
  document.body.appendChild(v);
  const hls = new Hls({ enableWorker: false });
  hls.on(Hls.Events.ERROR, (_e, d) => errors.push((d.fatal ? 'FATAL ' : '') + d.type + ' ' + d.details));
  hls.loadSource(src);
  hls.attachMedia(v);
  const r = await exercise(v, errors, timeoutMs);
  hls.destroy();
  return r;
};
</script></body></html>`;

interface Played {
  advanced: boolean;
  seekedOn: boolean;
  errors: string[];
}

let session: ChromiumSession;
let server: StaticServer;
let page: Page;

beforeAll(async () => {
  server = await serveFiles(
    new Map<string, Uint8Array | string>([
      ['/', PAGE],
      ['/dash.js', readFileSync(join(REPO, 'node_modules/dashjs/dist/dash.all.min.js'), 'utf8')],
      ['/hls.js', readFileSync(join(REPO, 'node_modules/hls.js/dist/hls.min.js'), 'utf8')],
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

async function play(fn: 'playDash' | 'playHls', url: string): Promise<Played> {
  return (await page.evaluate(([f, src]) => (window as unknown as Record<string, (s: string, t: number) => Promise<unknown>>)[f]!(src, 20_000), [fn, url] as const)) as Played;
}

describe.each([['live' as const], ['on-demand' as const]])('dash.js plays packageDash %s output', (profile) => {
  test.each(INPUTS.map(([n], i) => [n, i] as const))('%s', async (_n, i) => {
    const [, input, options] = INPUTS[i]!;
    const pkg = packageDash(input(), { ...options, profile });
    const dir = `/${profile}${i}`;
    server.files.set(`${dir}/manifest.mpd`, pkg.mpd);
    for (const s of pkg.segments) server.files.set(`${dir}/${s.name}`, s.data);
    const r = await play('playDash', `${server.base}${dir}/manifest.mpd`);
    if (process.env.DEBUG_PLAYERS || !r.advanced || !r.seekedOn) console.log(JSON.stringify(r));
    expect(r.errors.filter((e) => e.startsWith('FATAL'))).toEqual([]);
    expect(r).toMatchObject({ advanced: true, seekedOn: true });
  }, 60_000);
});

test.each([['live' as const], ['on-demand' as const]])('packageStreams (%s): dash.js and hls.js play the same directory', async (dashProfile) => {
  const pkg = packageStreams(readFileSync(join(thirdPartyDir(), 'mp4ff/prog_8s.mp4')), { segmentTime: 2, dashProfile });
  const dir = `/streams-${dashProfile}`;
  for (const f of pkg.files) server.files.set(`${dir}/${f.name}`, f.data);
  for (const [fn, manifest] of [['playDash', 'manifest.mpd'], ['playHls', 'master.m3u8']] as const) {
    const r = await play(fn, `${server.base}${dir}/${manifest}`);
    expect(r.errors.filter((e) => e.startsWith('FATAL'))).toEqual([]);
    expect(r).toMatchObject({ advanced: true, seekedOn: true });
  }
}, 90_000);
