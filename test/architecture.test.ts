/** Import direction: src/io ← boxes ← src/api; nothing imports src/api except src/index.ts. */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve, dirname } from 'node:path';
import { REPO } from './helpers/samples.js';

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? files(p) : p.endsWith('.ts') ? [p] : [];
  });
}

function importsOf(file: string): string[] {
  const src = readFileSync(file, 'utf8');
  return [...src.matchAll(/^\s*(?:import|export)[^'"]*from\s+'(\.[^']+)'/gm)].map((m) => relative(REPO, resolve(dirname(file), m[1]!)));
}

const all = [...files(join(REPO, 'src')), ...files(join(REPO, 'boxes'))];

test('src/io imports nothing outside src/io', () => {
  const bad = all.filter((f) => relative(REPO, f).startsWith('src/io/')).flatMap((f) => importsOf(f).filter((i) => !i.startsWith('src/io/')).map((i) => `${relative(REPO, f)} → ${i}`));
  expect(bad).toEqual([]);
});

test('boxes/ imports only boxes/ and src/io', () => {
  const bad = all.filter((f) => relative(REPO, f).startsWith('boxes/')).flatMap((f) => importsOf(f).filter((i) => !i.startsWith('boxes/') && !i.startsWith('src/io/')).map((i) => `${relative(REPO, f)} → ${i}`));
  expect(bad).toEqual([]);
});

test('nothing but src/index.ts and src/api imports src/api', () => {
  const bad = all
    .filter((f) => !relative(REPO, f).startsWith('src/api/') && relative(REPO, f) !== 'src/index.ts')
    .flatMap((f) => importsOf(f).filter((i) => i.startsWith('src/api/')).map((i) => `${relative(REPO, f)} → ${i}`));
  expect(bad).toEqual([]);
});
