/**
 * The demuxMedia fuzz target alone (test/fuzz/targets.ts; mutations.test.ts runs it in rotation with every other
 * entry point): every mutation of every sample up to 400 KB must return, or throw a BoxwrightError with a finite
 * offset (never INTERNAL), within its CPU budget, with every packet's bytes inside the input and finite times.
 */
import { readFileSync } from 'node:fs';
import { allSamples } from '../helpers/samples.js';
import { formatMutations, mutations } from './mutate.js';
import { runCall, TARGETS } from './targets.js';

const MAX_INPUT_BYTES = 400_000;
const PER_FILE = 12;

test('demuxMedia: mutated samples return or throw BoxwrightError, fast, packets inside the input', async () => {
  const target = TARGETS.find((t) => t.name === 'demuxMedia')!;
  const files = allSamples()
    .map((s) => ({ name: s.name, data: new Uint8Array(readFileSync(s.path)) }))
    .filter((s) => s.data.length <= MAX_INPUT_BYTES && s.data.length > 0);
  expect(files.length).toBeGreaterThan(100);
  for (const f of files.slice(0, 3)) await runCall(target, f.data, 0);
  const failures: string[] = [];
  const outcomes = new Map<string, number>();
  let cases = 0;
  for (const [i, f] of files.entries()) {
    const unmutated = await runCall(target, f.data, i, true);
    if (unmutated.violation) failures.push(`${f.name} [as is]: ${unmutated.violation}`);
    const all = [...mutations(f.data, 7000 + i), ...formatMutations(f.data, 7000 + i)];
    const stride = Math.max(1, Math.ceil(all.length / PER_FILE));
    for (let k = 0; k < all.length && failures.length <= 20; k += stride) {
      const m = all[k]!;
      cases++;
      const r = await runCall(target, m.make(), cases, cases % 50 === 0);
      const o = 'code' in r.outcome ? r.outcome.code : 'ok';
      outcomes.set(o, (outcomes.get(o) ?? 0) + 1);
      if (r.violation) failures.push(`${f.name} [${m.name}]: ${r.violation}`);
    }
  }
  console.log(`demuxMedia: ${cases} mutated inputs over ${files.length} files: ${[...outcomes].map(([o, n]) => `${o} ${n}`).join(', ')}`);
  expect(failures).toEqual([]);
  expect(cases).toBeGreaterThan(1000);
}, 600_000);
