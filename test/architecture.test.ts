/**
 * The layering (docs/architecture.md "Rules"):
 *
 *   src/io ← boxes ← src/model ← src/demux | src/mux | src/analyze ← src/package | src/transmux ← src/api ← src/index.ts
 *
 * Each layer imports only the layers listed for it below; nothing imports upward. src/model may use boxes/ for
 * types only (the configuration box values), never for code. And box byte layouts live in boxes/ only: no file
 * outside boxes/ and src/io writes a box header or a box body by hand (see the last test for the rule).
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve, dirname } from 'node:path';
import { REPO } from './helpers/samples.js';

function files(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? files(p) : p.endsWith('.ts') ? [p] : [];
  });
}

interface Import {
  /** Repository-relative path of the imported module. */
  path: string;
  /** `import type` / `export type`: erased at run time. */
  typeOnly: boolean;
}

function importsOf(file: string): Import[] {
  const src = readFileSync(file, 'utf8');
  return [...src.matchAll(/^\s*(import|export)(\s+type)?[^'"]*?from\s+'(\.[^']+)'/gm)].map((m) => ({
    path: relative(REPO, resolve(dirname(file), m[3]!)),
    typeOnly: m[2] !== undefined,
  }));
}

const all = [...files(join(REPO, 'src')), ...files(join(REPO, 'boxes'))];
const rel = (f: string): string => relative(REPO, f);

/** The layer a repository path belongs to (`src/demux/ts/pes.ts` → `src/demux`). */
function layerOf(path: string): string {
  if (path.startsWith('boxes/')) return 'boxes';
  const m = /^src\/([^/]+)\//.exec(path);
  return m ? `src/${m[1]}` : path.replace(/\.js$/, '.ts');
}

/** What each layer may import besides itself. `boxes:type` = type-only imports of boxes/. */
const MAY_IMPORT: Record<string, readonly string[]> = {
  'src/io': [],
  boxes: ['src/io'],
  'src/model': ['src/io', 'boxes:type'],
  'src/decode': ['src/io', 'src/model'],
  'src/captions': ['src/io', 'src/model'],
  'src/demux': ['src/io', 'boxes', 'src/model'],
  'src/mux': ['src/io', 'boxes', 'src/model'],
  'src/analyze': ['src/io', 'boxes', 'src/model', 'src/decode'],
  'src/package': ['src/io', 'boxes', 'src/model', 'src/mux'],
  'src/transmux': ['src/io', 'boxes', 'src/model', 'src/demux', 'src/mux', 'src/captions'],
  'src/api': ['src/io', 'boxes', 'src/model', 'src/decode', 'src/captions', 'src/demux', 'src/mux', 'src/analyze', 'src/package', 'src/transmux'],
  'src/index.ts': ['src/io', 'src/api'],
};

test('every file belongs to a known layer', () => {
  expect(all.map(rel).filter((f) => MAY_IMPORT[layerOf(f)] === undefined)).toEqual([]);
});

test.each(Object.keys(MAY_IMPORT))('%s imports only what lies below it', (layer) => {
  const allowed = MAY_IMPORT[layer]!;
  const bad = all
    .filter((f) => layerOf(rel(f)) === layer)
    .flatMap((f) =>
      importsOf(f)
        .filter((i) => {
          const to = layerOf(i.path);
          if (to === layer) return false;
          return !(allowed.includes(to) || (i.typeOnly && allowed.includes(`${to}:type`)));
        })
        .map((i) => `${rel(f)} → ${i.path}${i.typeOnly ? ' (type)' : ''}`),
    );
  expect(bad).toEqual([]);
});

test('nothing but src/index.ts and src/api imports src/api', () => {
  const bad = all
    .filter((f) => !rel(f).startsWith('src/api/') && rel(f) !== 'src/index.ts')
    .flatMap((f) => importsOf(f).filter((i) => i.path.startsWith('src/api/')).map((i) => `${rel(f)} → ${i.path}`));
  expect(bad).toEqual([]);
});

/**
 * No hand-written box layout outside boxes/ (and src/io, which has no ISO knowledge). Box values go through
 * writeTree/parseTree; these patterns are how a box was written or read by hand before:
 * - `.fourcc(` on a reader or writer: a box type read or written next to a size;
 * - `bytes[4], bytes[5]` read together: a box type read out of a header at its fixed offset;
 * - `writeTree(…).subarray(8)` (in one statement or two): a box body obtained by cutting the header off the
 *   engine's output;
 * - `raw: Uint8Array.of(…)` / `raw: Uint8Array.from(…)`: a box body spelled out as bytes (an empty
 *   `new Uint8Array(0)` body — QuickTime's terminator atom — is not a layout and stays allowed).
 * Tests are not checked: pinning bytes is their job.
 */
const HAND_WRITTEN_BOX: ReadonlyArray<readonly [string, RegExp]> = [
  ['fourcc read/written on a reader or writer', /\.fourcc\(/],
  ['box type read at bytes 4..7', /\[\s*\w*\s*\+?\s*4\s*\]!?\s*,\s*\w+\s*\[\s*\w*\s*\+?\s*5\s*\]/],
  ['box header cut off writeTree output', /writeTree\([^;]*\)\s*\.subarray\(\s*8\s*\)/],
  ['box body spelled out as bytes', /raw:\s*Uint8Array\.(?:of|from)\(/],
];

test('no hand-written box header or body outside boxes/', () => {
  const bad = all
    .filter((f) => !rel(f).startsWith('boxes/') && !rel(f).startsWith('src/io/'))
    .flatMap((f) => {
      const lines = readFileSync(f, 'utf8').split('\n');
      const found = lines.flatMap((line, n) => HAND_WRITTEN_BOX.filter(([, re]) => re.test(line)).map(([what]) => `${rel(f)}:${n + 1}: ${what}`));
      // The same cut spread over two statements: a file that calls writeTree and slices 8 bytes off something.
      const text = lines.join('\n');
      if (/\bwriteTree\(/.test(text) && /\.subarray\(\s*8\s*\)/.test(text)) found.push(`${rel(f)}: writeTree output sliced at 8 (a box header cut off)`);
      return found;
    });
  expect(bad).toEqual([]);
});
