/**
 * examples/ as a user runs them, against the packed package installed into a fresh project (test/helpers/consumer.ts):
 * - node-stream-to-file.mjs: a TS file streamed through the transmuxer to an fMP4 file, which ffmpeg decodes to the
 *   same frames (video and audio framemd5) as the source;
 * - the browser examples, served by examples/serve.mjs (which serves the installed package's ES module build) to
 *   headless Chromium: the MSE player plays the transmuxed TS to its end; the Worker probes and remuxes off the main
 *   thread with the same report and bytes as Node; the File page probes a picked file as Node does, and names a text
 *   file as not media.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { createFragmentedMp4, probeMedia } from '../../src/index.js';
import { installConsumer, removeConsumer } from '../helpers/consumer.js';
import { ffprobeBin, ffprobeJson } from '../helpers/ffprobe.js';
import { OWN_SAMPLES, REPO } from '../helpers/samples.js';
import { launchChromium, type ChromiumSession } from '../players/chromium.js';

let tmp = '';
let consumer = '';
let server: ChildProcess | undefined;
let base = '';
let session: ChromiumSession;
let page: Page;

beforeAll(async () => {
  ({ tmp, consumer } = installConsumer());
  cpSync(join(REPO, 'examples'), join(consumer, 'examples'), { recursive: true });
  // serve.mjs as its header says, from the consumer project: port 0 picks a free one and it prints the URL.
  server = spawn(process.execPath, ['examples/serve.mjs', '--port', '0', '--media', join(consumer, 'samples')], { cwd: consumer, stdio: ['ignore', 'pipe', 'inherit'] });
  base = await new Promise<string>((resolve, reject) => {
    let out = '';
    server!.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /http:\/\/127\.0\.0\.1:\d+/.exec(out);
      if (m) resolve(m[0]);
    });
    server!.on('exit', (code) => reject(new Error(`serve.mjs exited (${String(code)}): ${out}`)));
  });
  session = await launchChromium();
  page = await session.context.newPage();
}, 240_000);

afterAll(async () => {
  await session?.close();
  server?.kill();
  removeConsumer(tmp);
});

/** ffmpeg's per-frame MD5s of the decoded stream `map` (0:v or 0:a) of `path`, without timestamps. */
function decodedMd5s(path: string, map: string): string[] {
  ffprobeBin(); // ffmpeg comes with it
  const r = spawnSync('ffmpeg', ['-v', 'error', '-i', path, '-map', map, '-f', 'framemd5', '-'], { encoding: 'utf8', maxBuffer: 1 << 28 });
  expect(r.status).toBe(0);
  return r.stdout.split('\n').filter((l) => l && !l.startsWith('#')).map((l) => l.split(',').at(-1)!.trim());
}

test('node-stream-to-file.mjs: TS streamed to an fMP4 file that decodes to the same frames as the source', () => {
  const input = join(OWN_SAMPLES, 'h264-aac.ts');
  const output = join(consumer, 'out.mp4');
  const r = spawnSync(process.execPath, ['examples/node-stream-to-file.mjs', input, output], { cwd: consumer, encoding: 'utf8' });
  expect({ stderr: r.stderr, status: r.status }).toEqual({ stderr: '', status: 0 });
  const probe = ffprobeJson(output, ['-show_format', '-show_streams']) as { format: { format_name: string }; streams: Array<{ codec_name: string }> };
  expect(probe.format.format_name).toContain('mp4');
  expect(probe.streams.map((s) => s.codec_name)).toEqual(['h264', 'aac']);
  for (const map of ['0:v', '0:a']) {
    const want = decodedMd5s(input, map);
    expect(want.length).toBeGreaterThan(10);
    expect(decodedMd5s(output, map)).toEqual(want);
  }
  // A usage error is exit 2, not a stack trace.
  const usage = spawnSync(process.execPath, ['examples/node-stream-to-file.mjs'], { cwd: consumer, encoding: 'utf8' });
  expect(usage.status).toBe(2);
  expect(usage.stderr).toContain('usage:');
  // Bad media is the library's error message and exit 1.
  const text = join(tmp, 'not-media.ts');
  writeFileSync(text, 'just some text, not media\n'.repeat(20));
  const bad = spawnSync(process.execPath, ['examples/node-stream-to-file.mjs', text, join(consumer, 'bad.mp4')], { cwd: consumer, encoding: 'utf8' });
  expect(bad.status).toBe(1);
  expect(bad.stderr).toMatch(/^\S+not-media\.ts: UNSUPPORTED_FORMAT: /);
});

interface ExampleResult {
  state: string;
  error?: string;
}

/** The page's `exampleResult` once its state is `state` (or 'error', which the caller's assertions then show). */
async function waitForResult<T extends ExampleResult>(state: string): Promise<T> {
  const handle = await page.waitForFunction(
    (want: string) => {
      const r = (window as unknown as { exampleResult?: ExampleResult }).exampleResult;
      return r !== undefined && (r.state === want || r.state === 'error') ? r : undefined;
    },
    state,
    { timeout: 60_000 },
  );
  return (await handle.jsonValue()) as T;
}

test('mse-player: the transmuxed TS plays in a <video> through MediaSource, to its end', async () => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${base}/mse-player/?src=/media/h264-aac.ts`);
  const result = await waitForResult<ExampleResult & { mimeType: string; fragments: number; bufferedEnd: number }>('ended');
  expect(errors).toEqual([]);
  expect(result.error ?? '').toBe('');
  expect(result.mimeType).toBe('video/mp4; codecs="avc1.64000a, mp4a.40.2"');
  expect(result.fragments).toBeGreaterThan(0);
  // Buffered to the source's duration (ffprobe's, the TS starting at 0 after the transmuxer's rebase).
  const duration = Number((ffprobeJson(join(OWN_SAMPLES, 'h264-aac.ts'), ['-show_format']) as { format: { duration: string } }).format.duration);
  expect(Math.abs(result.bufferedEnd - duration)).toBeLessThan(0.1);
  const played = await page.evaluate(() => (document.getElementById('video') as HTMLVideoElement).currentTime);
  expect(played).toBeGreaterThan(duration - 0.2);
  expect(await page.textContent('#log')).toContain('ended');
}, 120_000);

test('worker: probe and remux in a module Worker give what Node gives, and the result plays', async () => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  const path = join(OWN_SAMPLES, 'h264-aac.mp4');
  await page.goto(`${base}/worker/?src=/media/h264-aac.mp4`);
  await waitForResult('done');
  const inPage = await page.evaluate(async () => {
    const r = (window as unknown as { exampleResult: { state: string; error?: string; probe: unknown; fmp4: Uint8Array } }).exampleResult;
    if (r.state !== 'done') return { state: r.state, error: r.error, probe: undefined, sha: '' };
    const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', r.fmp4 as unknown as ArrayBuffer));
    return { state: r.state, error: '', probe: r.probe, sha: [...digest].map((b) => b.toString(16).padStart(2, '0')).join('') };
  });
  expect(errors).toEqual([]);
  expect(inPage.error).toBe('');
  const data = readFileSync(path);
  expect(inPage.probe).toEqual(JSON.parse(JSON.stringify(probeMedia(data))));
  expect(inPage.sha).toBe(createHash('sha256').update(createFragmentedMp4(data).data).digest('hex'));
  // ffprobe agrees on what was probed.
  const ff = ffprobeJson(path, ['-show_streams']) as { streams: Array<{ codec_name: string }> };
  expect((inPage.probe as { streams: Array<{ codec_name: string }> }).streams.map((s) => s.codec_name)).toEqual(ff.streams.map((s) => s.codec_name));
  // The remuxed bytes play from a Blob URL.
  await page.waitForFunction(() => (document.getElementById('video') as HTMLVideoElement).readyState >= 2, undefined, { timeout: 30_000 });
}, 120_000);

test('probe-file: a picked File is probed as Node probes it; a text file is named as not media', async () => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${base}/probe-file/`);
  for (const name of ['h264-aac.mp4', 'h264-aac.ts']) {
    const path = join(OWN_SAMPLES, name);
    await page.evaluate(() => (document.getElementById('out')!.textContent = ''));
    await page.setInputFiles('#file', path);
    await page.waitForFunction(() => (document.getElementById('out')!.textContent ?? '') !== '', undefined, { timeout: 30_000 });
    const report = JSON.parse((await page.textContent('#out'))!) as { streams: Array<{ codec_name: string }> };
    expect(report).toEqual(JSON.parse(JSON.stringify(probeMedia(readFileSync(path)))));
    const ff = ffprobeJson(path, ['-show_streams']) as { streams: Array<{ codec_name: string }> };
    expect(report.streams.map((s) => s.codec_name)).toEqual(ff.streams.map((s) => s.codec_name));
  }
  const text = join(tmp, 'notes.txt');
  writeFileSync(text, 'just some text, not media\n');
  await page.evaluate(() => (document.getElementById('out')!.textContent = ''));
  await page.setInputFiles('#file', text);
  await page.waitForFunction(() => (document.getElementById('out')!.textContent ?? '') !== '', undefined, { timeout: 30_000 });
  expect(await page.textContent('#out')).toMatch(/^notes\.txt: UNSUPPORTED_FORMAT: not a known media container \(first bytes .*"just som"\)\).* byte 0$/);
  expect(errors).toEqual([]);
}, 120_000);
