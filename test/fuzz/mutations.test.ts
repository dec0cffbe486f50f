/**
 * Seeded mutation test over every public entry point (test/fuzz/targets.ts): every mutated input must return or
 * throw a BoxwrightError with a finite offset (never INTERNAL), within its CPU budget, and — measured with a full
 * GC on every 100th call — keep at most 8 × the input + 4 MB. Seeds: every sample file up to 400 KB (ours and the
 * third-party ones); mutations: box-aware ones for ISO-BMFF, MPEG-TS / ADTS / MP3 / AC-3 / WAV-aware ones for the
 * rest, flips and truncations for all (test/fuzz/mutate.ts). Each case runs the plain probe plus one more entry
 * point in rotation, so every entry point gets over 120 cases here (in about 30 s); `scripts/fuzz-long.mjs` runs
 * a million (docs/robustness.md). Crashers are fixed and committed to test/fuzz/corpus/ with a note naming the fix.
 */
import { readFileSync } from 'node:fs';
import { allSamples } from '../helpers/samples.js';
import { formatMutations, mutations } from './mutate.js';
import { runCall, TARGETS, type FuzzTarget } from './targets.js';

const MAX_INPUT_BYTES = 400_000;
/** Mutations per file at most (evenly spread over the file's list, so every kind is represented). */
const MAX_PER_FILE = 30;
const MIN_CASES = 4_000;

const byName = (n: string): FuzzTarget => TARGETS.find((t) => t.name === n)!;
const ALWAYS = ['probeMedia'].map(byName);
const ROTATING = TARGETS.filter((t) => !ALWAYS.includes(t));

test('mutated samples: every entry point returns or throws BoxwrightError, fast, with bounded memory', async () => {
  const files = allSamples()
    .map((s) => ({ name: s.name, data: new Uint8Array(readFileSync(s.path)) }))
    .filter((s) => s.data.length <= MAX_INPUT_BYTES && s.data.length > 0);
  expect(files.length).toBeGreaterThan(100);
  // Warm up the JIT so the time budget measures the library, not compilation.
  for (const f of files.slice(0, 3)) for (const t of TARGETS) await runCall(t, f.data, 0);
  let cases = 0;
  let calls = 0;
  const perTarget = new Map<string, number>();
  const failures: string[] = [];
  for (const [i, f] of files.entries()) {
    const all = [...mutations(f.data, 1000 + i), ...formatMutations(f.data, 1000 + i)];
    const stride = Math.max(1, Math.ceil(all.length / MAX_PER_FILE));
    for (let k = 0; k < all.length && failures.length <= 20; k += stride) {
      const m = all[k]!;
      const input = m.make();
      cases++;
      for (const t of [...ALWAYS, ROTATING[cases % ROTATING.length]!]) {
        calls++;
        perTarget.set(t.name, (perTarget.get(t.name) ?? 0) + 1);
        const r = await runCall(t, input, cases, calls % 100 === 0);
        if (r.violation) failures.push(`${t.name} on ${f.name} [${m.name}]: ${r.violation}`);
      }
    }
  }
  console.log(`mutation cases: ${cases} over ${files.length} files, ${calls} calls: ${[...perTarget].map(([n, c]) => `${n} ${c}`).join(', ')}`);
  expect(failures).toEqual([]);
  expect(cases).toBeGreaterThanOrEqual(MIN_CASES);
  expect(Math.min(...ROTATING.map((t) => perTarget.get(t.name) ?? 0))).toBeGreaterThan(120);
});
