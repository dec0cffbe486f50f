/**
 * The transmuxer reads MPEG-TS only: any other input must end in a BoxwrightError at flush() (UNSUPPORTED_FORMAT),
 * not in success with no output.
 *
 * (Any input has 0x47 bytes that look like packets: without a PAT naming a program, flush() says so.)
 */
import { readFileSync } from 'node:fs';
import { createTransmuxer } from '../../src/transmux/index.js';
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

test('every input that is not MPEG-TS ends in UNSUPPORTED_FORMAT at flush()', () => {
  const wrong = notTs
    .filter((s) => readFileSync(s.path).length <= 2_000_000)
    .map((s) => ({ name: s.name, got: outcome(new Uint8Array(readFileSync(s.path))) }))
    .filter((r) => r.got !== 'UNSUPPORTED_FORMAT');
  expect(wrong).toEqual([]);
});
