/**
 * createFragmentedMp4 output plays in headless Chromium through Media Source Extensions.
 * Chromium is Debian's package (/usr/bin/chromium) driven by playwright-core; see ./chromium.ts and ./README.md.
 */
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { probeMedia } from '../../src/api/probe.js';
import { createFragmentedMp4 } from '../../src/api/remux.js';
import { concatBytes } from '../../src/io/bytes.js';
import { transmuxParts } from '../helpers/transmux.js';
import { OWN_SAMPLES, thirdPartyDir } from '../helpers/samples.js';
import { launchChromium, type ChromiumSession } from './chromium.js';
import { PAGE_HTML, type CaseResult, type CaseSpec } from './page.js';

interface PlayerCase {
  name: string;
  file: () => string;
  /** The input bytes when they are not the file's. */
  input?: () => Uint8Array;
}

const own = (f: string) => () => join(OWN_SAMPLES, f);

const CASES: PlayerCase[] = [
  { name: 'h264-aac.mp4', file: own('h264-aac.mp4') },
  { name: 'long-gop-h264.mp4', file: own('long-gop-h264.mp4') },
  { name: 'h264-negcts.mp4', file: own('h264-negcts.mp4') },
  { name: 'mp4ff/prog_8s.mp4', file: () => join(thirdPartyDir(), 'mp4ff/prog_8s.mp4') },
  { name: 'h264-aac.ts (MPEG-TS in)', file: own('h264-aac.ts') },
  { name: 'aac.m4a', file: own('aac.m4a') },
  { name: 'hevc-aac.mp4', file: own('hevc-aac.mp4') },
  { name: 'av1.mp4', file: own('av1.mp4') },
  { name: 'vp9-opus.mp4', file: own('vp9-opus.mp4') },
  { name: 'opus.mp4', file: own('opus.mp4') },
  { name: 'flac.mp4', file: own('flac.mp4') },
];

/** `video/mp4; codecs="…"` (or `audio/mp4` without video) from probeMedia's codec strings. */
function mimeOf(data: Uint8Array): { mime: string; codecs: string[]; hasVideo: boolean } {
  const streams = probeMedia(data).streams.filter((s) => s.codec_type === 'video' || s.codec_type === 'audio');
  const codecs = streams.map((s) => {
    if (!s.codec_string) throw new Error(`probeMedia gave no codec_string for ${s.codec_type} stream ${s.index} (${s.codec_name})`);
    return s.codec_string;
  });
  const hasVideo = streams.some((s) => s.codec_type === 'video');
  return { mime: `${hasVideo ? 'video' : 'audio'}/mp4; codecs="${codecs.join(', ')}"`, codecs, hasVideo };
}

interface Row extends CaseResult {
  name: string;
  mime: string;
  hasVideo: boolean;
  console: string[];
}

let session: ChromiumSession;
let server: Server;
let base = '';
const media = new Map<string, Uint8Array>();
const rows: Row[] = [];
let h264AacSupported = false;

beforeAll(async () => {
  session = await launchChromium();
  server = createServer((req, res) => {
    const url = req.url ?? '/';
    if (url === '/' || url === '/index.html') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(PAGE_HTML);
      return;
    }
    const body = media.get(url);
    if (!body) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': body.length }).end(body);
  });
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const page = await session.context.newPage();
  await page.goto(`${base}/`);
  h264AacSupported = await page.evaluate(() => MediaSource.isTypeSupported('video/mp4; codecs="avc1.64000a, mp4a.40.2"'));
  await page.close();
}, 15 * 60_000); // a first run may have to apt-get install chromium

afterAll(async () => {
  if (rows.length) {
    const table = [
      ['case', 'mime', 'supported', 'played', 'currentTime reached', 'notes'],
      ...rows.map((r) => [
        r.name,
        r.mime,
        String(r.supported),
        r.supported ? String(r.played) : 'unsupported by this Chromium',
        r.supported ? `${r.currentTime.toFixed(3)} s (start ${r.startTime.toFixed(3)}, duration ${r.duration.toFixed(3)}${r.ended ? ', ended' : ''})` : '-',
        [...r.errors, ...r.console].join('; ') || '-',
      ]),
    ];
    const widths = table[0]!.map((_, i) => Math.max(...table.map((row) => row[i]!.length)));
    const lines = table.map((row) => row.map((c, i) => c.padEnd(widths[i]!)).join(' | '));
    lines.splice(1, 0, widths.map((w) => '-'.repeat(w)).join('-|-'));
    // eslint-disable-next-line no-console
    console.log(`MSE playback of createFragmentedMp4 output in Chromium ${session?.version ?? '?'}:\n${lines.join('\n')}`);
  }
  await session?.close();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
});

/** The init segment and fragments createFragmentedMp4 makes of an input. */
function wholeFile(input: Uint8Array): Uint8Array[] {
  const frag = createFragmentedMp4(input);
  return [frag.init, ...frag.fragments];
}

/** What createTransmuxer emits (init segments and fragments, in order) for an input pushed in 1000-byte chunks. */
const transmuxed = (input: Uint8Array): Uint8Array[] => transmuxParts(input, 1000);

/**
 * Plays one case; `pick` chooses which segments to append (all, in order, unless a control case says otherwise),
 * `make` turns the input into them, `spec` overrides how far playback must get and how long it may take.
 */
async function play(
  page: Page,
  c: PlayerCase,
  pick = (all: Uint8Array[]) => all,
  make: (input: Uint8Array) => Uint8Array[] = wholeFile,
  spec: Partial<CaseSpec> = {},
): Promise<Row> {
  const all = make(c.input ? c.input() : new Uint8Array(readFileSync(c.file())));
  const { mime, hasVideo } = mimeOf(concatBytes(all));
  const id = encodeURIComponent(c.name);
  const segments = pick(all).map((bytes) => {
    const i = all.indexOf(bytes);
    const url = `/media/${id}/part${i}.mp4`;
    media.set(url, bytes);
    return url;
  });
  const consoleMsgs: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') consoleMsgs.push(`console.${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => consoleMsgs.push(`pageerror: ${e.message}`));
  await page.goto(`${base}/`);
  const full: CaseSpec = { mime, segments, advanceSec: 1.0, timeoutMs: 8000, ...spec };
  const result = await page.evaluate((s) => (window as unknown as { runCase(s: CaseSpec): Promise<CaseResult> }).runCase(s), full);
  const row: Row = { ...result, name: c.name, mime, hasVideo, console: consoleMsgs };
  rows.push(row);
  return row;
}

describe('createFragmentedMp4 output plays through MSE in headless Chromium', () => {
  for (const c of CASES) {
    test(c.name, async () => {
      const page = await session.context.newPage();
      try {
        const r = await play(page, c);
        if (!r.supported) {
          // eslint-disable-next-line no-console
          console.log(`${c.name}: ${r.mime} unsupported by this Chromium (${session.version}) — not played`);
          return;
        }
        // The errors (MediaError code/message, SourceBuffer errors, console errors) are the useful part of a failure.
        expect({ played: r.played, errors: r.errors }).toEqual({ played: true, errors: [] });
        expect(r.currentTime).toBeGreaterThan(r.startTime);
      } finally {
        await page.close();
      }
    });
  }

  test('control: the harness reports a broken stream (fragments appended without the init segment)', async () => {
    const page = await session.context.newPage();
    try {
      const r = await play(page, { name: 'control: h264-aac.mp4 without init', file: own('h264-aac.mp4') }, (all) => all.slice(1));
      expect(r.played).toBe(false);
      expect(r.errors.length).toBeGreaterThan(0);
    } finally {
      await page.close();
    }
  });

  test('at least one video and one audio-only case play; H.264+AAC plays when Chromium supports it', () => {
    const real = rows.filter((r) => CASES.some((c) => c.name === r.name));
    expect(real.length).toBe(CASES.length);
    expect(real.filter((r) => r.hasVideo && r.played).map((r) => r.name)).not.toEqual([]);
    expect(real.filter((r) => !r.hasVideo && r.played).map((r) => r.name)).not.toEqual([]);
    // Debian's chromium decodes H.264/AAC (proprietary codecs via its ffmpeg): then every H.264+AAC case must play.
    const h264 = real.filter((r) => /avc1\./.test(r.mime) && /mp4a\./.test(r.mime));
    expect(h264.length).toBeGreaterThan(0);
    if (h264AacSupported) expect(h264.filter((r) => !r.played).map((r) => r.name)).toEqual([]);
    else console.log(`H.264+AAC is not supported by this Chromium (${session.version}); checked the other codecs only`);
  });
});

describe('MPEG-TS through the transmuxer (pushed in 1000-byte chunks) and whole-file remux plays through MSE in headless Chromium', () => {
  const ts = own('h264-aac.ts');
  const joined = (): Uint8Array => concatBytes([readFileSync(ts()), readFileSync(ts())]);
  const cases: Array<{ c: PlayerCase; make: (input: Uint8Array) => Uint8Array[]; spec: Partial<CaseSpec> }> = [
    { c: { name: 'transmuxer: h264-aac.ts', file: ts }, make: transmuxed, spec: {} },
    // Timestamps go back at the join (2 s in): played across it, as one timeline.
    { c: { name: 'transmuxer: h264-aac.ts twice', file: ts, input: joined }, make: transmuxed, spec: { advanceSec: 3.0, timeoutMs: 15000 } },
    { c: { name: 'createFragmentedMp4: h264-aac.ts twice', file: ts, input: joined }, make: wholeFile, spec: { advanceSec: 3.0, timeoutMs: 15000 } },
    // One IDR, then recovery points only: cut at 10 s without a keyframe, played across that cut.
    { c: { name: 'transmuxer: h264-intra-refresh.ts', file: own('h264-intra-refresh.ts') }, make: transmuxed, spec: { advanceSec: 10.8, timeoutMs: 30000 } },
  ];
  for (const { c, make, spec } of cases) {
    test(c.name, async () => {
      const page = await session.context.newPage();
      try {
        const r = await play(page, c, undefined, make, spec);
        if (!r.supported || !h264AacSupported) {
          // eslint-disable-next-line no-console
          console.log(`${c.name}: ${r.mime} unsupported by this Chromium (${session.version}) — not played`);
          return;
        }
        expect({ played: r.played, errors: r.errors }).toEqual({ played: true, errors: [] });
        expect(r.currentTime - r.startTime).toBeGreaterThanOrEqual((spec.advanceSec ?? 1) - 0.01);
      } finally {
        await page.close();
      }
    }, 60_000);
  }
});
