/** docs/errors.md lists exactly the error codes the library defines; public API argument checks. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ERROR_CODES } from '../../src/io/errors.js';
import { readBoxes, writeBoxes, findBox } from '../../src/index.js';
import { REPO } from '../helpers/samples.js';

test('docs/errors.md documents every code and no other', () => {
  const doc = readFileSync(join(REPO, 'docs/errors.md'), 'utf8');
  const documented = [...doc.matchAll(/^\| `([A-Z_]+)` \|/gm)].map((m) => m[1]);
  expect(documented.sort()).toEqual([...ERROR_CODES].sort());
});

test('bad arguments throw TypeError/RangeError', () => {
  expect(() => readBoxes('x' as unknown as Uint8Array)).toThrow(TypeError);
  expect(() => writeBoxes({} as never)).toThrow(TypeError);
  const tree = readBoxes(new Uint8Array(readFileSync(join(REPO, 'samples/h264-aac.mp4'))));
  expect(() => findBox(tree, 'moov/tr')).toThrow(RangeError);
  expect(findBox(tree, 'moov/trak[1]/mdia/hdlr')?.value).toMatchObject({ handlerType: 'soun' });
  expect(findBox(tree, 'moov/trak[5]')).toBeUndefined();
});
