#!/usr/bin/env node
// Golden output hashes for the byte-identity check (test/mux/output-identity.test.ts): for every file in samples/ and
// the third-party corpus, the sha256 of createFragmentedMp4(data).data, streamCopy / streamCopyChunks for every format
// with map undefined and 'all', and (TS inputs) the transmuxer's init + fragments pushed whole and in 64 KiB chunks.
// A BoxwrightError is recorded as `error: CODE`, anything else thrown as `crash: Name`.
//
//   npm run build && node scripts/output-hashes.mjs            writes test/golden/output-hashes.json
//   node scripts/output-hashes.mjs --check                      compares with it instead (exit 1 on a difference)
//   node scripts/output-hashes.mjs --dist /tmp/bw-base --check  the same with another checkout's built dist/
//   node scripts/output-hashes.mjs --out FILE                   writes FILE instead
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const lib = createRequire(import.meta.url)('./output-hashes-lib.cjs');

const args = process.argv.slice(2);
const opt = (name) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const distRoot = resolve(opt('--dist') ?? repo);
const out = resolve(opt('--out') ?? join(repo, 'test/golden/output-hashes.json'));
const check = args.includes('--check');

const entry = join(distRoot, 'dist/esm/src/index.js');
if (!existsSync(entry)) {
  console.error(`${entry} not found: run \`npm run build\` in ${distRoot} first`);
  process.exit(2);
}
const bw = await import(pathToFileURL(entry).href);
// Before the transmuxer was exported from the package entry it was reachable only through its module.
const createTransmuxer = bw.createTransmuxer ?? (await import(pathToFileURL(join(distRoot, 'dist/esm/src/transmux/index.js')).href)).createTransmuxer;
const api = { createFragmentedMp4: bw.createFragmentedMp4, streamCopy: bw.streamCopy, streamCopyChunks: bw.streamCopyChunks, createTransmuxer };

const t0 = performance.now();
const { hashes, skipped } = lib.computeOutputHashes(api, repo);
const ms = performance.now() - t0;
const cases = Object.values(hashes).reduce((n, h) => n + Object.keys(h).length, 0);
console.error(`${Object.keys(hashes).length} inputs, ${cases} outputs in ${(ms / 1000).toFixed(1)} s (dist of ${distRoot})`);
if (skipped.length > 0) console.error(`skipped (over ${lib.MAX_INPUT_BYTES} bytes): ${skipped.join(', ')}`);

if (check) {
  const diffs = lib.diffHashes(JSON.parse(readFileSync(out, 'utf8')), hashes);
  for (const d of diffs) console.log(d);
  console.error(diffs.length === 0 ? `identical to ${out}` : `${diffs.length} differences from ${out}`);
  process.exit(diffs.length === 0 ? 0 : 1);
}
writeFileSync(out, lib.formatGolden(hashes));
console.error(`wrote ${out}`);
