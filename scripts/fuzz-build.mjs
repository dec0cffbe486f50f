// Transpiles the library and the fuzz harness (src/, boxes/, test/fuzz/, test/helpers/) to CommonJS in
// .fuzz-build/ with SWC — the same transform jest uses — so that the long runner (scripts/fuzz-long.mjs) and
// Jazzer.js (scripts/fuzz.mjs) run exactly the code the jest fuzz tests run. Takes a second or two.
import { mkdirSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const FUZZ_BUILD = join(ROOT, '.fuzz-build');
const DIRS = ['src', 'boxes', 'test/fuzz', 'test/helpers'];

function tsFiles(dir) {
  const out = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) {
      // Seed and crasher folders hold media (MPEG-TS files may end in .ts).
      if (name !== 'seeds' && name !== 'corpus') out.push(...tsFiles(p));
    }
    else if (name.endsWith('.ts') && !name.endsWith('.test.ts') && !name.endsWith('.d.ts')) out.push(p);
  }
  return out;
}

/** Builds the tree in `out` (default .fuzz-build/) and returns its path. */
export function buildFuzzTree(out = FUZZ_BUILD) {
  const swc = createRequire(import.meta.url)('@swc/core');
  rmSync(out, { recursive: true, force: true });
  for (const d of DIRS) {
    for (const file of tsFiles(join(ROOT, d))) {
      const { code } = swc.transformFileSync(file, {
        jsc: { parser: { syntax: 'typescript' }, target: 'es2022' },
        module: { type: 'commonjs' },
        sourceMaps: false,
      });
      // `import … from './x.js'` names the .ts source; the transpiled file is x.js next to it, so paths stay.
      const to = join(out, relative(ROOT, file)).replace(/\.ts$/, '.js');
      mkdirSync(dirname(to), { recursive: true });
      writeFileSync(to, code);
    }
  }
  writeFileSync(join(out, 'package.json'), JSON.stringify({ type: 'commonjs' }) + '\n');
  // test/helpers/samples.ts finds samples/ next to itself (../..) and the third-party folder from there.
  symlinkSync(join(ROOT, 'samples'), join(out, 'samples'));
  process.env.BOXWRIGHT_THIRDPARTY ??= join(ROOT, '../shared/samples/thirdparty');
  return out;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  buildFuzzTree();
  console.log(`built ${FUZZ_BUILD}`);
}
