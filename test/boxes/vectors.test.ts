/** Runs every box vector (test/boxes/vectors/*.ts) and fails if a registered box has none. */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { BOXES, SAMPLE_ENTRIES } from '../../boxes/registry.js';
import { expectVector, type BoxVector } from '../helpers/vector.js';

const dir = join(__dirname, 'vectors');
const families: Array<[string, BoxVector[]]> = readdirSync(dir)
  .filter((f) => f.endsWith('.ts'))
  .map((f) => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const mod = require(join(dir, f)) as { vectors: BoxVector[] };
    return [f.replace(/\.ts$/, ''), mod.vectors];
  });

describe.each(families)('%s vectors', (_family, vectors) => {
  test.each(vectors.map((v) => [v.name ?? v.box.type, v] as const))('%s', (_name, v) => expectVector(v));
});

test('every registered box and sample entry has a vector', () => {
  const covered = new Set<string>();
  const visit = (b: BoxVector['box']): void => {
    covered.add(b.type);
    b.children?.forEach(visit);
  };
  for (const [, vs] of families) for (const v of vs) visit(v.box);
  const missing = [...BOXES.keys(), ...SAMPLE_ENTRIES.keys()].filter((t) => !covered.has(t));
  expect(missing).toEqual([]);
});
