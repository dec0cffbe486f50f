/** MP4 → fMP4 → MP4 → TS → MP4 keeps every packet's payload (ffmpeg framemd5 per stream) and count. */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createFragmentedMp4, streamCopy } from '../../src/api/remux.js';
import { ffprobeBin } from '../helpers/ffprobe.js';
import { REPO } from '../helpers/samples.js';

const dir = mkdtempSync(join(tmpdir(), 'boxwright-tsrt-'));

function hashes(path: string): string[][] {
  ffprobeBin();
  const out = execFileSync('ffmpeg', ['-v', 'error', '-i', path, '-map', '0:v?', '-map', '0:a?', '-c', 'copy', '-f', 'framemd5', '-'], { maxBuffer: 1 << 28 }).toString();
  const byStream: string[][] = [];
  for (const line of out.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const cols = line.split(',').map((x) => x.trim());
    (byStream[Number(cols[0])] ??= []).push(`${cols[4]}:${cols[5]}`);
  }
  return byStream;
}

test.each(['h264-aac.mp4', 'hevc-aac.mp4', 'long-gop-h264.mp4', 'h264-negcts.mp4', 'mp3.mp4', 'ac3.mp4'])('%s survives MP4 → fMP4 → MP4 → TS → MP4', (name) => {
  const src = join(REPO, 'samples', name);
  const input = new Uint8Array(readFileSync(src));
  const mp4 = streamCopy(createFragmentedMp4(streamCopy(input)).data);
  const ts = streamCopy(mp4, { format: 'ts' });
  const back = streamCopy(ts);
  const file = join(dir, name);
  writeFileSync(file, back);
  const want = hashes(src);
  const got = hashes(file);
  expect(got.map((s) => s.length)).toEqual(want.map((s) => s.length));
  expect(got).toEqual(want);
});
