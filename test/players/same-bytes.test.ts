/**
 * Node and a browser give the same bytes: the library bundled with esbuild (as a web app would bundle it) runs in
 * headless Chromium on every committed sample, and every output — probe JSON (with packets), createFragmentedMp4,
 * streamCopy to each format, packageHls, packageDash, the analyzers (GOPs, VFR/CFR, loudness with the AAC, MP3, MP2 and PCM
 * decoders: the same numbers bit for bit), the transmuxer fed 1000-byte chunks — hashes (SHA-256) the
 * same as the library run in Node on the same input. A thrown error must be the same error code.
 */
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { Page } from 'playwright-core';
import * as lib from '../../src/index.js';
import { filesUnder, OWN_SAMPLES } from '../helpers/samples.js';
import { bundleLibrary } from './bundle.js';
import { launchChromium, type ChromiumSession } from './chromium.js';
import { serveFiles, type StaticServer } from './serve.js';

type Lib = typeof lib;

/**
 * Runs every entry point on one input and returns a digest per output. Serialised with toString() into the page,
 * so it uses only what both Node and the browser have (WebCrypto, TextEncoder) and no imports.
 */
async function digestAll(api: Lib, data: Uint8Array): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  const hex = async (b: Uint8Array | string): Promise<string> => {
    const bytes = typeof b === 'string' ? new TextEncoder().encode(b) : b;
    const d = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>));
    return Array.from(d, (x) => x.toString(16).padStart(2, '0')).join('');
  };
  const run = async (name: string, f: () => Array<Uint8Array | string>): Promise<void> => {
    try {
      const parts = f();
      const hashes: string[] = [];
      for (const p of parts) hashes.push(await hex(p));
      out[name] = await hex(hashes.join(','));
    } catch (e) {
      out[name] = 'error ' + ((e as { code?: string }).code ?? String(e));
    }
  };
  await run('probe', () => [JSON.stringify(api.probeMedia(data, { packets: true }))]);
  await run('fragment', () => [api.createFragmentedMp4(data).data]);
  for (const format of api.STREAM_COPY_FORMATS) await run(`copy-${format}`, () => [api.streamCopy(data, { format, map: 'all' })]);
  await run('hls', () => api.packageHls(data, { segmentTime: 1 }).files.flatMap((f) => [f.name, f.data]));
  await run('dash', () => {
    const p = api.packageDash(data, { segmentTime: 1 });
    return [p.mpd, ...p.segments.flatMap((s) => [s.name, s.data])];
  });
  await run('gop', () => [JSON.stringify(api.analyzeGop(data))]);
  await run('vfr', () => [JSON.stringify(api.detectVfrCfr(data))]);
  await run('loudness', () => [JSON.stringify(api.loudnessReportToJson(api.analyzeLoudness(data)))]);
  await run('transmux', () => {
    const parts: Uint8Array[] = [];
    const t = api.createTransmuxer({ onInit: (b) => parts.push(b.slice()), onFragment: (b) => parts.push(b.slice()) });
    for (let p = 0; p < data.length; p += 1000) t.push(data.subarray(p, p + 1000));
    t.flush();
    return parts;
  });
  return out;
}

// Every committed sample, those in subfolders (aac/, analyze/, loudness/) included, by path under samples/.
const SAMPLES = filesUnder(OWN_SAMPLES)
  .map((p) => relative(OWN_SAMPLES, p))
  .filter((f) => !/\.(md|sh)$/.test(f));

let session: ChromiumSession;
let server: StaticServer;
let page: Page;

beforeAll(async () => {
  const files = new Map<string, Uint8Array | string>([
    ['/', '<!doctype html><html><head><meta charset="utf-8"><script src="/boxwright.js"></script></head><body></body></html>'],
    ['/boxwright.js', await bundleLibrary()],
  ]);
  for (const f of SAMPLES) files.set(`/samples/${f}`, readFileSync(join(OWN_SAMPLES, f)));
  server = await serveFiles(files);
  session = await launchChromium();
  page = await session.context.newPage();
  await page.goto(`${server.base}/`);
}, 300_000);

afterAll(async () => {
  await session?.close();
  await server?.close();
});

test.each(SAMPLES)('%s: the browser bundle gives the bytes Node gives', async (name) => {
  const inNode = await digestAll(lib, readFileSync(join(OWN_SAMPLES, name)));
  const inBrowser = await page.evaluate(
    async ([src, url]) => {
      const data = new Uint8Array(await (await fetch(url)).arrayBuffer());
      const f = new Function(`return (${src});`)() as (api: unknown, d: Uint8Array) => Promise<Record<string, string>>;
      return f((window as unknown as { boxwright: unknown }).boxwright, data);
    },
    [digestAll.toString(), `${server.base}/samples/${name}`] as const,
  );
  expect(inBrowser).toEqual(inNode);
  // The run did something: at least the probe succeeded on every committed sample.
  expect(inNode.probe).toMatch(/^[0-9a-f]{64}$/);
}, 120_000);
