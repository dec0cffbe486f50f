// The byte-identity cases shared by scripts/output-hashes.mjs (built dist/) and test/mux/output-identity.test.ts
// (src/ through jest): which inputs, which calls, and the sha256 of each output. CommonJS so that both an ES
// module script and the jest transform load it as it is; the API is passed in, so it knows neither build.
'use strict';
const { createHash } = require('node:crypto');
const { existsSync, readdirSync, readFileSync, statSync } = require('node:fs');
const { join, relative, resolve } = require('node:path');

/** The output formats of streamCopy, in the order the cases are listed. */
const FORMATS = ['mp4', 'mov', 'm4a', 'fmp4', 'ts'];
/** The input files the cases run on (the same media set as test/helpers/samples.ts). */
const MEDIA = /\.(mp4|m4a|m4v|m4s|mov|cmfv|cmft|cmfa|mp3|aac|adts|ac3|ec3|ts|m2ts|mts|wav|3gp)$/i;
/** Inputs the transmuxer is also run on. */
const TRANSPORT_STREAM = /\.(ts|m2ts|mts)$/i;
/** Chunk size of the chunked transmuxer case. */
const CHUNK = 64 * 1024;
/** Inputs larger than this are skipped (keeps the test quick); none of the corpus is near it today. */
const MAX_INPUT_BYTES = 20 * 1024 * 1024;

/** The folder holding our samples and the third-party corpus, resolved like test/helpers/samples.ts. */
function corpusDirs(repo) {
  const candidates = [process.env.BOXWRIGHT_THIRDPARTY, join(repo, '../shared/samples/thirdparty'), '/work/shared/samples/thirdparty'].filter(
    (p) => typeof p === 'string' && p.length > 0,
  );
  const thirdparty = candidates.find((p) => existsSync(join(p, 'SOURCES.md')));
  if (!thirdparty) {
    throw new Error(`third-party samples not found (looked in ${candidates.join(', ')}); set BOXWRIGHT_THIRDPARTY to the folder holding SOURCES.md`);
  }
  return { samples: join(repo, 'samples'), thirdparty };
}

function filesUnder(dir) {
  const out = [];
  for (const name of readdirSync(dir).sort()) {
    if (name.startsWith('.')) continue;
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...filesUnder(p));
    else out.push(p);
  }
  return out;
}

/** Every input: `{ name, path }`, name = `samples/…` or `thirdparty/…`, sorted by name. */
function listInputs(repo) {
  const { samples, thirdparty } = corpusDirs(resolve(repo));
  const pick = (dir, prefix) =>
    filesUnder(dir)
      .filter((p) => MEDIA.test(p))
      .map((p) => ({ name: `${prefix}/${relative(dir, p).split('\\').join('/')}`, path: p }));
  return [...pick(samples, 'samples'), ...pick(thirdparty, 'thirdparty')].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

function sha256(parts) {
  const h = createHash('sha256');
  for (const p of parts) h.update(p);
  return h.digest('hex');
}

/** The hash of what `run` returns (a buffer or a list of buffers), or `error: CODE` / `crash: Name`. */
function outcome(run) {
  try {
    const out = run();
    return sha256(Array.isArray(out) ? out : [out]);
  } catch (e) {
    if (e && e.name === 'BoxwrightError' && typeof e.code === 'string') return `error: ${e.code}`;
    return `crash: ${(e && e.name) || typeof e}`;
  }
}

/** Init segments and fragments in callback order, pushing `data` in chunks of `chunk` bytes (0: all at once). */
function transmux(api, data, chunk) {
  const parts = [];
  const tm = api.createTransmuxer({ onInit: (b) => parts.push(b), onFragment: (b) => parts.push(b) });
  if (chunk <= 0) tm.push(data);
  else for (let i = 0; i < data.length; i += chunk) tm.push(data.subarray(i, i + chunk));
  tm.flush();
  return parts;
}

/** The cases run on one input, in a fixed order: `[caseName, () => output]`. */
function casesFor(api, name, data) {
  const cases = [['createFragmentedMp4', () => api.createFragmentedMp4(data).data]];
  for (const map of [undefined, 'all']) {
    const suffix = map === undefined ? '' : ' all';
    for (const format of FORMATS) {
      const options = map === undefined ? { format } : { format, map };
      cases.push([`streamCopy ${format}${suffix}`, () => api.streamCopy(data, options)]);
      cases.push([`streamCopyChunks ${format}${suffix}`, () => api.streamCopyChunks(data, options)]);
    }
  }
  if (TRANSPORT_STREAM.test(name)) {
    cases.push(['transmuxer whole', () => transmux(api, data, 0)]);
    cases.push([`transmuxer ${CHUNK / 1024} KiB chunks`, () => transmux(api, data, CHUNK)]);
  }
  return cases;
}

/**
 * Hashes every case on one input. `api`: `{ createFragmentedMp4, streamCopy, streamCopyChunks, createTransmuxer }`.
 * Returns `{ caseName: hash | 'error: CODE' | 'crash: Name' }` in case order.
 */
function hashInput(api, name, data) {
  const out = {};
  for (const [c, run] of casesFor(api, name, data)) out[c] = outcome(run);
  return out;
}

/**
 * Hashes every input under `repo`. Returns `{ hashes: { inputName: { caseName: … } }, skipped: [names] }`, inputs
 * sorted by name; inputs over MAX_INPUT_BYTES are skipped (and listed).
 */
function computeOutputHashes(api, repo, onInput) {
  const hashes = {};
  const skipped = [];
  for (const { name, path } of listInputs(repo)) {
    if (statSync(path).size > MAX_INPUT_BYTES) {
      skipped.push(name);
      continue;
    }
    const data = new Uint8Array(readFileSync(path));
    hashes[name] = hashInput(api, name, data);
    if (onInput) onInput(name);
  }
  return { hashes, skipped };
}

/** The golden file's text: stable key order (inputs sorted, cases in case order), one trailing newline. */
function formatGolden(hashes) {
  const sorted = {};
  for (const name of Object.keys(hashes).sort()) sorted[name] = hashes[name];
  return JSON.stringify(sorted, null, 1) + '\n';
}

/** Every difference between two hash maps, one line each (`input: case: golden → now`). */
function diffHashes(golden, now) {
  const lines = [];
  const names = [...new Set([...Object.keys(golden), ...Object.keys(now)])].sort();
  for (const name of names) {
    const g = golden[name];
    const n = now[name];
    if (!g) {
      lines.push(`${name}: not in the golden file`);
      continue;
    }
    if (!n) {
      lines.push(`${name}: in the golden file but not computed now (input removed or skipped?)`);
      continue;
    }
    for (const c of [...new Set([...Object.keys(g), ...Object.keys(n)])]) {
      if (g[c] !== n[c]) lines.push(`${name}: ${c}: ${g[c] ?? '(none)'} → ${n[c] ?? '(none)'}`);
    }
  }
  return lines;
}

module.exports = { FORMATS, MAX_INPUT_BYTES, listInputs, hashInput, computeOutputHashes, formatGolden, diffHashes };
