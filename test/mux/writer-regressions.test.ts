/**
 * Crashers of the writers found by the independent review (issue 11), each with its cause and fix; every entry
 * point must return or throw a BoxwrightError with a numeric offset.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createFragmentedMp4, streamCopy, streamCopyChunks, STREAM_COPY_FORMATS } from '../../src/api/remux.js';
import { probeMedia } from '../../src/api/probe.js';
import { isBoxwrightError } from '../../src/io/errors.js';
import { OWN_SAMPLES, thirdPartyDir } from '../helpers/samples.js';

function endsCleanly(f: () => unknown): void {
  try {
    f();
  } catch (e) {
    expect(isBoxwrightError(e) ? `BoxwrightError ${Number.isFinite(e.offset) ? 'with offset' : 'offset ' + e.offset}` : String(e)).toBe('BoxwrightError with offset');
  }
}

function everyEntryPoint(data: Uint8Array): void {
  endsCleanly(() => createFragmentedMp4(data));
  endsCleanly(() => probeMedia(data, { packets: true, frames: true }));
  for (const format of STREAM_COPY_FORMATS) {
    endsCleanly(() => streamCopy(data, { format, map: 'all' }));
    endsCleanly(() => streamCopyChunks(data, { format }));
  }
}

test('tfdt of all ones (read as Infinity) — cause: Infinity reached BigInt in rescale/ticksTo90k; fix: the fragment runs on from the previous one, and time arithmetic rejects non-finite values', () => {
  const frag = Buffer.from(readFileSync(join(OWN_SAMPLES, 'h264-aac-frag.mp4')));
  const at = frag.indexOf(Buffer.from('tfdt'));
  frag[at + 4] = 1; // version 1: 64-bit
  for (let k = 0; k < 8; k++) frag[at + 8 + k] = 0xff;
  everyEntryPoint(frag);
  expect(streamCopy(frag, { format: 'ts' }).length).toBeGreaterThan(0);
});

test('mp4ff/opus.mp4 cut at 736 bytes (no mdat) — cause: the TS writer sized its output from declared sample sizes; fix: writers keep only complete samples', () => {
  everyEntryPoint(readFileSync(join(thirdPartyDir(), 'mp4ff/opus.mp4')).subarray(0, 736));
});

test('an opus sample size inflated to 2.6 GB — cause: output allocated by the declared size; fix: samples past the input are not written', () => {
  const opus = Buffer.from(readFileSync(join(thirdPartyDir(), 'mp4ff/opus.mp4')));
  const stsz = opus.indexOf(Buffer.from('stsz'));
  for (const delta of [12, 16, 20, 24]) {
    const m = Buffer.from(opus);
    m.writeUInt32BE(0x9abcdef0, stsz + delta);
    const before = process.memoryUsage().rss;
    everyEntryPoint(m);
    expect(process.memoryUsage().rss - before).toBeLessThan(256 << 20);
  }
});
