/**
 * Seeded mutation test: every mutated input must end in success or BoxwrightError, within 200 ms,
 * and retain no more than a small multiple of the input in memory. Crashers found here are fixed and
 * committed to test/fuzz/corpus/ with a note naming the fix.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseTree, writeTree } from '../../boxes/tree.js';
import { probeMedia } from '../../src/api/probe.js';
import { BoxwrightError } from '../../src/io/errors.js';
import { isoSamples } from '../helpers/samples.js';
import { mutations } from './mutate.js';

const MAX_MS = 200;
/** Budget when the case also lists every packet and frame (tens of thousands of objects for PCM). */
const MAX_MS_WITH_PACKETS = 1000;
const MAX_INPUT_BYTES = 400_000;
/** Mutations per file at most (evenly spread over the file's list, so every kind is represented). */
const MAX_PER_FILE = 250;
const MIN_CASES = 10_000;
const gc = (globalThis as { gc?: () => void }).gc;

/**
 * What the library does with an input, end to end (grows as the library grows). Listing packets and frames
 * costs time in proportion to the packets a file declares (legitimately up to one per byte), so that part runs
 * on every fifth case with its own, larger budget.
 */
let caseNumber = 0;
function exercise(data: Uint8Array): unknown {
  const tree = parseTree(data);
  writeTree(tree);
  if (++caseNumber % 5 === 0) return probeMedia(data, { packets: true, frames: true });
  return probeMedia(data);
}

function runCase(data: Uint8Array, measure = false): { ok: boolean; error?: unknown; ms: number; retained?: number } {
  const measureMemory = gc !== undefined && measure;
  let before = 0;
  if (measureMemory) {
    gc!();
    const m = process.memoryUsage();
    before = m.heapUsed + m.arrayBuffers;
  }
  // CPU time of this process (not wall time): other jest workers and oracle subprocesses share the 2 cores,
  // so wall time measures the machine's load; a hang still shows up as CPU time.
  const t0 = process.cpuUsage();
  const cpuMs = (): number => {
    const d = process.cpuUsage(t0);
    return (d.user + d.system) / 1000;
  };
  let result: unknown;
  try {
    result = exercise(data);
  } catch (e) {
    const ms = cpuMs();
    return e instanceof BoxwrightError ? { ok: true, ms } : { ok: false, error: e, ms };
  }
  const ms = cpuMs();
  if (!measureMemory) return { ok: true, ms };
  gc!();
  const m = process.memoryUsage();
  const retained = m.heapUsed + m.arrayBuffers - before;
  void result;
  return { ok: true, ms, retained };
}

test('mutated samples end in success or BoxwrightError, fast, with bounded memory', () => {
  const files = isoSamples().filter((s) => s.data.length <= MAX_INPUT_BYTES);
  expect(files.length).toBeGreaterThan(40);
  // Warm up the JIT so the time budget measures the library, not compilation.
  for (const f of files.slice(0, 5)) runCase(f.data);
  let cases = 0;
  const failures: string[] = [];
  for (const [i, f] of files.entries()) {
    const all = [...mutations(f.data, 1000 + i)];
    const stride = Math.ceil(all.length / MAX_PER_FILE);
    for (let k = 0; k < all.length; k += stride) {
      const m = all[k]!;
      const input = m.make();
      cases++;
      // Memory is measured on every 40th case (a full GC each time would dominate the run).
      const r = runCase(input, cases % 40 === 0);
      if (!r.ok) failures.push(`${f.name} ${m.name}: ${String((r.error as Error)?.stack ?? r.error).split('\n').slice(0, 3).join(' | ')}`);
      else if (r.ms > (caseNumber % 5 === 0 ? MAX_MS_WITH_PACKETS : MAX_MS)) failures.push(`${f.name} ${m.name}: took ${r.ms.toFixed(0)} ms`);
      else if (r.retained !== undefined && r.retained > 8 * input.length + 4_000_000) {
        failures.push(`${f.name} ${m.name}: retained ${r.retained} bytes for a ${input.length}-byte input`);
      }
      if (failures.length > 20) break;
    }
  }
  console.log(`mutation cases run: ${cases} over ${files.length} files`);
  expect(failures).toEqual([]);
  expect(cases).toBeGreaterThanOrEqual(MIN_CASES);
});

test('past crashers in test/fuzz/corpus end cleanly', () => {
  const dir = join(__dirname, 'corpus');
  let names: string[] = [];
  try {
    names = readdirSync(dir).filter((n) => n.endsWith('.bin'));
  } catch {
    names = [];
  }
  for (const n of names) {
    const r = runCase(new Uint8Array(readFileSync(join(dir, n))));
    expect({ n, ok: r.ok }).toEqual({ n, ok: true });
  }
});
