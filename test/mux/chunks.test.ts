/** The chunk-list output is the same file, with sample payloads as views of the input (no copy). */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { streamCopy, streamCopyChunks, type StreamCopyFormat } from '../../src/api/remux.js';
import { REPO } from '../helpers/samples.js';

const concat = (list: Uint8Array[]): Buffer => Buffer.concat(list.map((c) => Buffer.from(c.buffer, c.byteOffset, c.byteLength)));

test.each([
  ['h264-aac.mp4', 'mp4'],
  ['h264-aac.mp4', 'fmp4'],
  ['hevc-aac.mp4', 'mov'],
  ['aac.m4a', 'm4a'],
  ['h264-aac.ts', 'mp4'],
  ['h264-aac.mp4', 'ts'],
] as const)('%s → %s: chunks concatenate to the single-buffer output', (file, format) => {
  const data = new Uint8Array(readFileSync(join(REPO, 'samples', file)));
  const one = streamCopy(data, { format: format as StreamCopyFormat });
  const chunks = streamCopyChunks(data, { format: format as StreamCopyFormat });
  expect(Buffer.compare(concat(chunks), Buffer.from(one))).toBe(0);
  if (format !== 'ts' && !file.endsWith('.ts')) {
    // MP4 input: the payload chunks (most of the file) are views into the input's buffer, not copies.
    const viewBytes = chunks.filter((c) => c.buffer === data.buffer).reduce((a, c) => a + c.length, 0);
    expect(viewBytes).toBeGreaterThan(0.8 * one.length);
  }
});
