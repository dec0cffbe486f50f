/**
 * The transmuxer reads MPEG-TS, MP4 (fragmented or progressive) and audio elementary streams (ADTS, MP3,
 * AC-3 / E-AC-3): every sample of another kind must end in a BoxwrightError at flush() (UNSUPPORTED_FORMAT), not in
 * success with no output, and every sample of those kinds is transmuxed or ends in a BoxwrightError.
 *
 * (Any input has 0x47 bytes that look like packets: without a PAT naming a program, flush() says so.)
 */
import { readFileSync } from 'node:fs';
import { createTransmuxer } from '../../src/transmux/index.js';
import { detectInputKind } from '../../src/transmux/input-kind.js';
import { isBoxwrightError } from '../../src/io/errors.js';
import { allSamples } from '../helpers/samples.js';

const notTs = allSamples().filter((s) => !/\.(ts|m2ts|mts)$/i.test(s.path) && !s.path.includes('/hls-ts'));

function outcome(data: Uint8Array): string {
  const out: Uint8Array[] = [];
  const tm = createTransmuxer({ onInit: (b) => out.push(b), onFragment: (b) => out.push(b) });
  try {
    tm.push(data);
    tm.flush();
  } catch (e) {
    if (isBoxwrightError(e)) return e.code;
    throw e;
  }
  return `returned ${out.length} outputs`;
}

test('non-TS samples exist', () => {
  expect(notTs.length).toBeGreaterThan(100);
});

test('every input that is not MPEG-TS, MP4 or an audio elementary stream ends in UNSUPPORTED_FORMAT at flush(); the others transmux or end in a BoxwrightError', () => {
  const results = notTs
    .filter((s) => readFileSync(s.path).length <= 2_000_000)
    .map((s) => {
      const data = new Uint8Array(readFileSync(s.path));
      return { name: s.name, kind: detectInputKind(data, true), got: outcome(data) };
    });
  expect(results.filter((r) => r.kind === 'ts' && r.got !== 'UNSUPPORTED_FORMAT')).toEqual([]);
  // Success writes something (an init-only MP4 is the one input with nothing to write yet).
  expect(results.filter((r) => r.got === 'returned 0 outputs' && r.kind !== 'mp4')).toEqual([]);
  expect(results.filter((r) => r.kind !== 'ts' && r.got.startsWith('returned')).length).toBeGreaterThan(50);
});
