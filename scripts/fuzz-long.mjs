#!/usr/bin/env node
// Long mutation run over every public entry point (test/fuzz/targets.ts), in worker processes.
//
//   nice -n 19 node scripts/fuzz-long.mjs --inputs 1000000 [--workers 2] [--max-bytes 400000] [--seed 1]
//                                          [--targets probeMedia,streamCopy] [--report fuzz-long-report.json]
//
// Each mutant of a seed file (every file of samples/ and the third-party folder up to --max-bytes; one to three
// mutations from test/fuzz/mutate.ts: box-aware, MPEG-TS/ADTS/MP3/AC-3/WAV-aware, flips, truncations) goes
// through every target; --inputs counts calls. A call breaks the contract when it throws anything but a
// BoxwrightError with a finite offset (or an INTERNAL one), exceeds its CPU budget, or — measured with a full GC
// on every 199th call (prime to the number of targets, so each is measured in turn) — keeps more than 8 × input + 4 MB or allocates more than 32 × input + 64 MB. Workers run
// with a 1 GB heap limit; the parent kills a worker whose RSS passes 1.5 GB or that is silent for 120 s, and
// records the mutant it was on. Failing mutants go to fuzz-failures/ with the reason. Exit code 1 on any failure.
import { fork } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildFuzzTree } from './fuzz-build.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const FAIL_DIR = join(ROOT, 'fuzz-failures');

function args() {
  const a = process.argv.slice(2);
  const get = (k, d) => {
    const i = a.indexOf(`--${k}`);
    return i >= 0 ? a[i + 1] : d;
  };
  return {
    inputs: Number(get('inputs', 1_000_000)),
    workers: Number(get('workers', 2)),
    maxBytes: Number(get('max-bytes', 400_000)),
    seed: Number(get('seed', 1)),
    targets: get('targets', ''),
    report: get('report', 'fuzz-long-report.json'),
    worker: a.includes('--worker'),
    index: Number(get('index', 0)),
    start: Number(get('start', 0)),
  };
}

// ---------------------------------------------------------------------------------------------------- worker
async function worker(o) {
  const req = (p) => require(join(process.env.FUZZ_BUILD_DIR, p));
  const { TARGETS, runCall } = req('test/fuzz/targets.js');
  const { mutations, formatMutations, randomMutant, prng } = req('test/fuzz/mutate.js');
  const { allSamples } = req('test/helpers/samples.js');
  const targets = TARGETS.filter((t) => !o.targets || o.targets.split(',').some((x) => t.name.startsWith(x)));
  const { looksIsoBmff } = req('test/helpers/samples.js');
  // Files over --max-bytes: ISO-BMFF ones are left out (their moov may be anywhere); streams (MPEG-TS, ADTS, MP3,
  // AC-3, WAV) keep their first --max-bytes, cut at a packet boundary for MPEG-TS / M2TS.
  const files = allSamples()
    .map((s) => ({ name: s.name, data: new Uint8Array(readFileSync(s.path)) }))
    .filter((s) => s.data.length > 0 && (s.data.length <= o.maxBytes || !looksIsoBmff(s.data)))
    .map((s) => {
      if (s.data.length <= o.maxBytes) return s;
      const packet = s.data[0] === 0x47 ? 188 : s.data[4] === 0x47 ? 192 : 1;
      return { name: `${s.name} (first ${o.maxBytes - (o.maxBytes % packet)} bytes)`, data: s.data.subarray(0, o.maxBytes - (o.maxBytes % packet)) };
    });
  const structured = new Map();
  const stats = Object.fromEntries(targets.map((t) => [t.name, { calls: 0, returned: 0, errors: 0, failures: 0, maxCpuMs: 0, maxRetainedRatio: 0, cpuMs: 0 }]));
  let calls = 0;
  let mutants = 0;
  let last = Date.now();
  const send = (extra = {}) => process.send({ type: 'stats', stats, calls, mutants, maxRss: process.resourceUsage().maxRSS * 1024, ...extra });
  for (let k = o.start; ; k++) {
    const mutantSeed = (o.seed * 1_000_003 + k * o.workers + o.index) >>> 0;
    const rnd = prng(mutantSeed);
    const fi = Math.floor(rnd() * files.length);
    const f = files[fi];
    if (!structured.has(fi)) structured.set(fi, [...mutations(f.data, 1000 + fi), ...formatMutations(f.data, 1000 + fi)]);
    const m = randomMutant(f.data, rnd, structured.get(fi));
    mutants++;
    // The awaits of sync targets resolve at once: yield to the event loop so that the parent's going is seen.
    await new Promise((r) => setImmediate(r));
    if (!process.connected) process.exit(0);
    process.send({ type: 'current', k, file: f.name, mutantSeed, mutation: m.name });
    for (const t of targets) {
      calls++;
      const r = await runCall(t, m.data, mutantSeed, calls % 199 === 0);
      const s = stats[t.name];
      s.calls++;
      s.cpuMs += r.cpuMs;
      if ('output' in r.outcome) s.returned++;
      else s.errors++;
      s.maxCpuMs = Math.max(s.maxCpuMs, r.cpuMs);
      if (r.retained !== undefined) s.maxRetainedRatio = Math.max(s.maxRetainedRatio, r.retained / (8 * m.data.length + 4_000_000));
      if (r.violation) {
        s.failures++;
        const hash = createHash('sha1').update(m.data).digest('hex').slice(0, 12);
        mkdirSync(FAIL_DIR, { recursive: true });
        writeFileSync(join(FAIL_DIR, `${t.name.replace(/[:+]/g, '_')}-${hash}.bin`), m.data);
        writeFileSync(join(FAIL_DIR, `${t.name.replace(/[:+]/g, '_')}-${hash}.txt`), `${t.name}\n${f.name}\n${m.name}\nseed ${mutantSeed}\n${r.violation}\n`);
        process.send({ type: 'failure', target: t.name, file: f.name, mutation: m.name, hash, violation: r.violation });
      }
    }
    if (Date.now() - last > 2000) {
      last = Date.now();
      send({ k });
    }
  }
}

// ---------------------------------------------------------------------------------------------------- parent
function parent(o) {
  // Its own copy of the code, so that rebuilding .fuzz-build (Jazzer) during a long run changes nothing here.
  const buildDir = buildFuzzTree(join(ROOT, '.fuzz-build-long'));
  const started = Date.now();
  const perWorker = new Map();
  const failures = [];
  let stopping = false;
  const totals = () => {
    const byTarget = {};
    let calls = 0;
    let mutants = 0;
    let maxRss = 0;
    for (const w of perWorker.values()) {
      calls += w.calls + w.done.calls;
      mutants += w.mutants + w.done.mutants;
      maxRss = Math.max(maxRss, w.maxRss ?? 0);
      for (const src of [w.stats, w.done.stats]) {
        for (const [name, s] of Object.entries(src ?? {})) {
          const t = (byTarget[name] ??= { calls: 0, returned: 0, errors: 0, failures: 0, maxCpuMs: 0, maxRetainedRatio: 0, cpuMs: 0 });
          for (const k of ['calls', 'returned', 'errors', 'failures', 'cpuMs']) t[k] += s[k];
          t.maxCpuMs = Math.max(t.maxCpuMs, s.maxCpuMs);
          t.maxRetainedRatio = Math.max(t.maxRetainedRatio, s.maxRetainedRatio);
        }
      }
    }
    return { calls, mutants, maxRss, byTarget };
  };
  const merge = (done, stats, calls, mutants) => {
    done.calls += calls;
    done.mutants += mutants;
    done.stats ??= {};
    for (const [name, s] of Object.entries(stats ?? {})) {
      const t = (done.stats[name] ??= { calls: 0, returned: 0, errors: 0, failures: 0, maxCpuMs: 0, maxRetainedRatio: 0, cpuMs: 0 });
      for (const k of ['calls', 'returned', 'errors', 'failures', 'cpuMs']) t[k] += s[k];
      t.maxCpuMs = Math.max(t.maxCpuMs, s.maxCpuMs);
      t.maxRetainedRatio = Math.max(t.maxRetainedRatio, s.maxRetainedRatio);
    }
  };
  const writeReport = () => {
    const t = totals();
    const report = {
      command: `node scripts/fuzz-long.mjs --inputs ${o.inputs} --workers ${o.workers} --max-bytes ${o.maxBytes} --seed ${o.seed}${o.targets ? ` --targets ${o.targets}` : ''}`,
      elapsedSec: Math.round((Date.now() - started) / 1000),
      calls: t.calls,
      mutants: t.mutants,
      failures: failures.length,
      maxWorkerRssMB: Math.round(t.maxRss / 1e6),
      byTarget: t.byTarget,
      failureList: failures,
    };
    writeFileSync(resolve(ROOT, o.report), JSON.stringify(report, null, 2) + '\n');
    return report;
  };
  const spawn = (index, start) => {
    const prev = perWorker.get(index);
    const done = prev ? prev.done : { calls: 0, mutants: 0 };
    if (prev) merge(done, prev.stats, prev.calls, prev.mutants);
    const child = fork(fileURLToPath(import.meta.url), ['--worker', '--index', String(index), '--start', String(start), '--seed', String(o.seed), '--workers', String(o.workers), '--max-bytes', String(o.maxBytes), ...(o.targets ? ['--targets', o.targets] : [])], {
      execArgv: ['--expose-gc', '--max-old-space-size=1024', '--stack-size=2000'],
      env: { ...process.env, FUZZ_BUILD_DIR: buildDir },
    });
    const w = { child, done, calls: 0, mutants: 0, stats: {}, current: undefined, seen: Date.now(), maxRss: prev?.maxRss ?? 0 };
    perWorker.set(index, w);
    child.on('message', (m) => {
      w.seen = Date.now();
      if (m.type === 'current') w.current = m;
      else if (m.type === 'stats') {
        w.calls = m.calls;
        w.mutants = m.mutants;
        w.stats = m.stats;
        w.maxRss = Math.max(w.maxRss, m.maxRss);
      } else if (m.type === 'failure') {
        failures.push(m);
        console.log(`FAILURE ${m.target} on ${m.file} [${m.mutation}] → fuzz-failures/${m.hash}: ${m.violation.slice(0, 300)}`);
      }
    });
    child.on('exit', (code, signal) => {
      if (stopping) return;
      const c = w.current;
      const reason = w.killed ?? `worker exited (${code ?? signal})`;
      failures.push({ type: 'failure', target: '(worker)', file: c?.file, mutation: c?.mutation, mutantSeed: c?.mutantSeed, violation: reason });
      console.log(`FAILURE worker ${index}: ${reason} on ${c?.file} [${c?.mutation}] mutant seed ${c?.mutantSeed} (node scripts/fuzz-long.mjs --worker … --start ${c?.k} reproduces it)`);
      spawn(index, (c?.k ?? start) + 1);
    });
  };
  for (let i = 0; i < o.workers; i++) spawn(i, 0);
  const timer = setInterval(() => {
    const t = totals();
    for (const w of perWorker.values()) {
      let rss = 0;
      try {
        const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${w.child.pid}/status`, 'utf8'));
        rss = m ? Number(m[1]) * 1024 : 0;
      } catch {
        rss = 0;
      }
      w.maxRss = Math.max(w.maxRss, rss);
      if (rss > 1.5e9 && !w.killed) {
        w.killed = `RSS ${Math.round(rss / 1e6)} MB`;
        w.child.kill('SIGKILL');
      } else if (Date.now() - w.seen > 120_000 && !w.killed) {
        w.killed = 'silent for 120 s (a hang)';
        w.child.kill('SIGKILL');
      }
    }
    const r = writeReport();
    process.stdout.write(`${new Date().toISOString()} calls ${t.calls} mutants ${t.mutants} failures ${failures.length} rss ${Math.round(r.maxWorkerRssMB)} MB\n`);
    if (t.calls >= o.inputs) {
      stopping = true;
      clearInterval(timer);
      for (const w of perWorker.values()) w.child.kill('SIGTERM');
      const rep = writeReport();
      console.log(JSON.stringify({ calls: rep.calls, mutants: rep.mutants, failures: rep.failures, elapsedSec: rep.elapsedSec }, null, 2));
      process.exit(failures.length ? 1 : 0);
    }
  }, 10_000);
}

const o = args();
if (o.worker) {
  const { createRequire } = await import('node:module');
  globalThis.require = createRequire(import.meta.url);
  // A worker never outlives its parent.
  process.on('disconnect', () => process.exit(0));
  worker(o).catch((e) => {
    console.error(e);
    process.exit(2);
  });
} else parent(o);
