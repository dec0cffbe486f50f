#!/usr/bin/env node
// Coverage-guided fuzzing with Jazzer.js over every entry point group of test/fuzz/jazzer/fuzz-target.cjs.
//
//   npm run fuzz -- --minutes 30            each group gets its share of 30 minutes
//   npm run fuzz -- --seconds 30 --smoke    CI smoke (npm test runs it through test/fuzz/jazzer-smoke.test.ts)
//   npm run fuzz -- --groups probe,ts --minutes 10
//
// Seeds: test/fuzz/seeds/ (checked in, made by scripts/make-fuzz-seeds.mjs) plus the corpus of past crashers
// (test/fuzz/corpus/*.bin); inputs Jazzer finds interesting go to fuzz-work/corpus/<group>/ (not checked in), so
// a later run continues from them. A finding is written to fuzz-failures/jazzer/<group>-crash-… and the run
// exits 1; each run is killed if it overruns its time by 60 s, so this never hangs.
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildFuzzTree } from './fuzz-build.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const a = process.argv.slice(2);
const get = (k) => {
  const i = a.indexOf(`--${k}`);
  return i >= 0 ? a[i + 1] : undefined;
};
const smoke = a.includes('--smoke');
const totalSec = get('seconds') ? Number(get('seconds')) : Number(get('minutes') ?? 10) * 60;
const ALL = ['boxes', 'probe', 'fmp4', 'mp4', 'ts', 'transmux'];
const groups = get('groups') ? get('groups').split(',') : ALL;
const perGroup = Math.max(1, Math.floor(totalSec / groups.length));

const build = buildFuzzTree();
const jazzer = createRequire(import.meta.url).resolve('@jazzer.js/core/dist/cli.js');
const seedDir = join(ROOT, 'test/fuzz/seeds');
// Corpus folders: the checked-in seeds and the past crashers (copied to a scratch folder: libFuzzer reads every
// file of a folder). The smoke takes the seeds up to 12 KB only, so that reading them stays within its seconds.
const scratch = (name) => {
  const d = join(ROOT, 'fuzz-work', name);
  rmSync(d, { recursive: true, force: true });
  mkdirSync(d, { recursive: true });
  return d;
};
const corpora = [];
if (smoke) {
  const small = scratch('smoke-seeds');
  for (const n of readdirSync(seedDir)) if (statSync(join(seedDir, n)).size <= 12_000) copyFileSync(join(seedDir, n), join(small, n));
  corpora.push(small);
} else {
  const crashers = scratch('crashers');
  for (const n of readdirSync(join(ROOT, 'test/fuzz/corpus')).filter((n) => n.endsWith('.bin'))) copyFileSync(join(ROOT, 'test/fuzz/corpus', n), join(crashers, n));
  corpora.push(seedDir, crashers);
}
const failures = [];
for (const g of groups) {
  // Inputs Jazzer finds go to the first folder; the smoke starts from nothing each time.
  const work = smoke ? scratch(`smoke-${g}`) : join(ROOT, `fuzz-work/corpus/${g}`);
  const artifacts = join(ROOT, 'fuzz-failures/jazzer');
  mkdirSync(work, { recursive: true });
  mkdirSync(artifacts, { recursive: true });
  const args = [
    jazzer,
    join(ROOT, 'test/fuzz/jazzer/fuzz-target.cjs'),
    work,
    ...corpora,
    '--sync',
    '--includes', `${build}/src/`,
    '--includes', `${build}/boxes/`,
    '--excludes', 'node_modules',
    '--disable_bug_detectors', '.*',
    '--timeout', '10000',
    '--',
    `-max_total_time=${perGroup}`,
    // The smoke is repeatable: the same mutation sequence on every run (a slower machine explores a prefix of it).
    ...(smoke ? ['-seed=1'] : []),
    '-rss_limit_mb=2048',
    '-max_len=262144',
    `-artifact_prefix=${artifacts}/${g}-`,
    '-print_final_stats=1',
  ];
  console.log(`jazzer: ${g} for ${perGroup} s`);
  const before = new Set(readdirSync(artifacts));
  // libFuzzer stops by itself (-max_total_time, after reading its corpus); the kill is the backstop against a hang
  // outside any one input (Jazzer's --timeout covers each input).
  const wallSec = smoke ? perGroup + 90 : Math.ceil(perGroup * 1.5) + 300;
  const r = spawnSync(process.execPath, ['--stack-size=2000', '-r', join(ROOT, 'test/fuzz/jazzer/glibc-compat.cjs'), ...args], {
    cwd: ROOT,
    env: { ...process.env, FUZZ_GROUP: g, FUZZ_BUILD_DIR: build },
    encoding: 'utf8',
    timeout: wallSec * 1000,
    killSignal: 'SIGKILL',
    maxBuffer: 64 << 20,
  });
  const out = `${r.stdout ?? ''}${r.stderr ?? ''}`;
  const stats = out.split('\n').filter((l) => /stat::number_of_executed_units|stat::new_units_added|Done \d+ runs/.test(l));
  console.log(stats.join('\n'));
  const found = readdirSync(artifacts).filter((n) => !before.has(n));
  if (found.length || (r.status !== 0 && !r.error)) {
    failures.push(g);
    console.log(out.split('\n').slice(-60).join('\n'));
    console.log(`jazzer: ${g} FAILED (exit ${r.status}${r.signal ? `, ${r.signal}` : ''}; ${found.map((n) => `fuzz-failures/jazzer/${n}`).join(', ') || 'no input saved'})`);
  } else if (r.error) {
    failures.push(g);
    console.log(out.split('\n').slice(-30).join('\n'));
    console.log(`jazzer: ${g} did not stop within ${wallSec} s (${r.error.message}): killed`);
  }
}
if (failures.length) {
  console.log(`jazzer: findings in ${failures.join(', ')} (inputs in fuzz-failures/jazzer/)`);
  process.exit(1);
}
console.log(`jazzer: ${groups.length} groups, no findings`);
