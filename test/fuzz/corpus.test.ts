/**
 * Past crashers (test/fuzz/corpus/*.bin, each with its note in the README there): every entry point keeps the
 * fuzz contract on each of them, and the ones with a known right answer give it.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { probeMedia } from '../../src/api/probe.js';
import { createFragmentedMp4 } from '../../src/api/remux.js';
import { runCall, TARGETS } from './targets.js';

const DIR = join(__dirname, 'corpus');
const names = readdirSync(DIR).filter((n) => n.endsWith('.bin')).sort();
const readme = readFileSync(join(DIR, 'README.md'), 'utf8');

test('every corpus file has its note in the README', () => {
  expect(names.length).toBeGreaterThan(0);
  expect(names.filter((n) => !readme.includes(`\`${n}\``))).toEqual([]);
});

describe.each(names)('%s', (name) => {
  const data = new Uint8Array(readFileSync(join(DIR, name)));
  test('every entry point returns or throws BoxwrightError, within its budgets', async () => {
    const failures: string[] = [];
    for (const t of TARGETS) {
      const r = await runCall(t, data, 1, true);
      if (r.violation) failures.push(`${t.name}: ${r.violation}`);
    }
    expect(failures).toEqual([]);
  });
});

test('a PCM MOV without its stsd is read in chunks, as ffmpeg does (24 packets, not one per sample frame)', () => {
  const data = readFileSync(join(DIR, 'pcm-mov-without-stsd.bin'));
  const report = probeMedia(data, { packets: true, frames: true });
  expect(report.packets).toHaveLength(24);
  expect(report.streams[0]!.codec_type).toBe('audio');
});

test('samples spanning more than a fragment each: fragments hold at least 128 payload bytes, output stays near the input size', () => {
  const data = readFileSync(join(DIR, 'pcm-mov-stts-delta-max.bin'));
  const out = createFragmentedMp4(data);
  // 24,000 samples of 2 bytes: 375 fragments of 64 samples, not one per sample.
  expect(out.fragments).toHaveLength(375);
  expect(out.data.length).toBeLessThan(2 * data.length);
});
