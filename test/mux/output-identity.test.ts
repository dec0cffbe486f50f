/**
 * Byte identity of every writer's output across refactors: createFragmentedMp4, streamCopy and streamCopyChunks (every
 * format, map default and 'all') and the transmuxer (TS inputs, pushed whole and in 64 KiB chunks) on every sample,
 * hashed and compared with test/golden/output-hashes.json (made by `scripts/output-hashes.mjs` from the built dist/;
 * here from src/). A difference is either a bug or a fix: after checking that it is a fix, rewrite the file with
 * `UPDATE_GOLDEN=1` (or `npm run build && node scripts/output-hashes.mjs`) and say in the commit which cases changed why.
 * `error: CODE` is a BoxwrightError, `crash: Name` anything else thrown (a bug in itself).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createFragmentedMp4, createTransmuxer, streamCopy, streamCopyChunks } from '../../src/index.js';
import { computeOutputHashes, diffHashes, formatGolden, type OutputHashes } from '../../scripts/output-hashes-lib.cjs';
import { REPO } from '../helpers/samples.js';

const GOLDEN = join(REPO, 'test/golden/output-hashes.json');

test('every output is byte-identical to test/golden/output-hashes.json', () => {
  const { hashes, skipped } = computeOutputHashes({ createFragmentedMp4, streamCopy, streamCopyChunks, createTransmuxer }, REPO);
  expect(skipped).toEqual([]);
  if (process.env.UPDATE_GOLDEN) {
    writeFileSync(GOLDEN, formatGolden(hashes));
    return;
  }
  const golden = JSON.parse(readFileSync(GOLDEN, 'utf8')) as OutputHashes;
  const diffs = diffHashes(golden, hashes);
  // One line per differing case, so that the failure lists them all.
  expect(diffs.join('\n')).toBe('');
  expect(Object.keys(hashes).length).toBeGreaterThan(100);
});
