/**
 * Never outside the input, for every public entry point on every sample file: the input placed at an odd offset
 * inside a larger buffer filled with a sentinel pattern gives exactly the outcome of a plain copy of it (same bytes,
 * same text, or the same error code), and no output holds a run of the sentinel the input does not hold itself.
 */
import { allSamples } from '../helpers/samples.js';
import { readFileSync } from 'node:fs';
import { comparable, runCall, TARGETS } from './targets.js';

/** Larger files add time, not cases: the writers' sentinel test (test/mux/outside-input.test.ts) covers big inputs. */
const MAX_INPUT_BYTES = 300_000;
const SENTINEL = [0xde, 0xad, 0xbe, 0xef];
const PAD = 4099;

/** `data` placed at an odd offset inside a larger buffer filled with the sentinel pattern. */
export function embedded(data: Uint8Array): Uint8Array {
  const big = new Uint8Array(data.length + 2 * PAD);
  for (let i = 0; i < big.length; i++) big[i] = SENTINEL[i & 3]!;
  big.set(data, PAD);
  return big.subarray(PAD, PAD + data.length);
}

const RUN = Buffer.from(Array.from({ length: 16 }, (_, i) => SENTINEL[i & 3]!));
/** The sentinel as text outputs would show it: hex (dumps, JSON) and decimal lists (JSON of typed arrays). */
const TEXT_RUNS = ['deadbeefdeadbeef', 'de ad be ef de ad be ef', '222,173,190,239,222,173,190,239'];

function sentinelIn(out: { bytes: Uint8Array } | { text: string } | { code: string }, input: Uint8Array): string | undefined {
  const inp = Buffer.from(input);
  if ('bytes' in out) return Buffer.from(out.bytes).includes(RUN) && !inp.includes(RUN) ? 'sentinel bytes in the output' : undefined;
  if ('text' in out) {
    const t = out.text.toLowerCase().replace(/\s+/g, (m) => (m.includes('\n') ? '' : m));
    const hex = inp.toString('hex');
    for (const r of TEXT_RUNS) if (t.includes(r) && !hex.includes('deadbeefdeadbeef')) return `sentinel '${r}' in the text`;
  }
  return undefined;
}

const files = allSamples()
  .map((s) => ({ name: s.name, data: new Uint8Array(readFileSync(s.path)) }))
  .filter((s) => s.data.length <= MAX_INPUT_BYTES);

test('enough sample files of every kind', () => {
  expect(files.length).toBeGreaterThan(100);
});

describe.each(TARGETS.map((t) => [t.name, t] as const))('%s', (_name, target) => {
  test('same outcome from a view into a larger buffer, nothing from outside it, on every sample', async () => {
    const failures: string[] = [];
    for (const [i, f] of files.entries()) {
      const plain = await runCall(target, Uint8Array.from(f.data), i);
      const inView = await runCall(target, embedded(f.data), i);
      if (plain.violation) failures.push(`${f.name}: ${plain.violation}`);
      const a = comparable(plain);
      const b = comparable(inView);
      if (JSON.stringify(Object.keys(a)) !== JSON.stringify(Object.keys(b)) || !sameOutcome(a, b)) {
        failures.push(`${f.name}: the view into a larger buffer gives ${describeOutcome(b)}, a plain copy ${describeOutcome(a)}`);
      }
      const s = sentinelIn(b, f.data);
      if (s) failures.push(`${f.name}: ${s}`);
    }
    expect(failures).toEqual([]);
  });
});

function sameOutcome(a: ReturnType<typeof comparable>, b: ReturnType<typeof comparable>): boolean {
  if ('bytes' in a && 'bytes' in b) return Buffer.from(a.bytes).equals(Buffer.from(b.bytes));
  if ('text' in a && 'text' in b) return a.text === b.text;
  if ('code' in a && 'code' in b) return a.code === b.code;
  return false;
}

function describeOutcome(o: ReturnType<typeof comparable>): string {
  if ('bytes' in o) return `${o.bytes.length} bytes`;
  if ('text' in o) return `${o.text.length} chars of text`;
  return `error ${o.code}`;
}
