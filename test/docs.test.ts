/** docs/boxes.md lists the registry's boxes as they are (UPDATE_DOCS=1 rewrites it). */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { boxesDoc } from './helpers/boxes-doc.js';
import { REPO } from './helpers/samples.js';

test('docs/boxes.md is up to date with boxes/registry.ts', () => {
  const path = join(REPO, 'docs/boxes.md');
  const want = boxesDoc();
  if (process.env.UPDATE_DOCS) writeFileSync(path, want);
  expect(readFileSync(path, 'utf8')).toBe(want);
});
