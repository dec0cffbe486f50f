/**
 * A consumer project as a user gets one: `npm pack` the built package, install the tarball offline into a fresh
 * project under the OS temp folder, with esm/ and cjs/ subfolders for scripts of each module kind, the repository's
 * samples linked in as `samples/`, and Node's types (for examples that use node:fs).
 * It packs the repository's dist/ when it is at least as new as the sources (CI builds first); otherwise it builds a
 * copy of the package in the temp folder, never touching dist/ (other tests use it).
 */
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { filesUnder, REPO } from './samples.js';

function run(cmd: string, args: string[], cwd: string): string {
  return execFileSync(cmd, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

/** True when dist/ was built after the last change to anything the build reads. */
function distIsFresh(): boolean {
  const stamp = join(REPO, 'dist/cjs/package.json'); // the build's last write
  if (!existsSync(stamp) || !existsSync(join(REPO, 'dist/esm/src/index.d.ts')) || !existsSync(join(REPO, 'dist/cjs/src/index.d.ts'))) return false;
  const inputs = [
    ...filesUnder(join(REPO, 'src')),
    ...filesUnder(join(REPO, 'boxes')),
    ...['package.json', 'tsconfig.json', 'tsconfig.build.json', 'tsconfig.cjs.json', 'scripts/build.mjs'].map((p) => join(REPO, p)),
  ];
  const built = statSync(stamp).mtimeMs;
  return inputs.every((p) => statSync(p).mtimeMs <= built);
}

/** A directory holding a built package: the repository itself, or a fresh build of a copy of it under `tmp`. */
function builtPackage(tmp: string): string {
  if (distIsFresh()) return REPO;
  const copy = join(tmp, 'pkg');
  mkdirSync(copy);
  for (const p of ['package.json', 'tsconfig.json', 'tsconfig.build.json', 'tsconfig.cjs.json', 'README.md', 'scripts', 'src', 'boxes', 'bin', 'docs']) {
    cpSync(join(REPO, p), join(copy, p), { recursive: true });
  }
  symlinkSync(join(REPO, 'node_modules'), join(copy, 'node_modules'), 'dir');
  run(process.execPath, ['scripts/build.mjs'], copy);
  return copy;
}

/** Packs and installs the package into a new consumer project; `tmp` is the folder to remove afterwards. */
export function installConsumer(): { tmp: string; consumer: string } {
  const tmp = mkdtempSync(join(tmpdir(), 'boxwright-consumer-'));
  const pkgDir = builtPackage(tmp);
  // --ignore-scripts: "prepare" would rebuild dist/ under the other tests' feet.
  const packed = JSON.parse(run('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', tmp], pkgDir)) as Array<{ filename: string }>;
  const tarball = join(tmp, packed[0]!.filename);
  const consumer = join(tmp, 'consumer');
  mkdirSync(consumer);
  writeFileSync(join(consumer, 'package.json'), JSON.stringify({ name: 'consumer', version: '1.0.0', private: true }) + '\n');
  run('npm', ['install', '--offline', '--no-audit', '--no-fund', '--ignore-scripts', '--no-package-lock', tarball], consumer);
  // Node's types for the examples' node:fs (the package itself needs none), and the samples they read.
  mkdirSync(join(consumer, 'node_modules/@types'), { recursive: true });
  symlinkSync(join(REPO, 'node_modules/@types/node'), join(consumer, 'node_modules/@types/node'), 'dir');
  symlinkSync(join(REPO, 'samples'), join(consumer, 'samples'), 'dir');
  for (const kind of ['esm', 'cjs']) {
    mkdirSync(join(consumer, kind));
    writeFileSync(join(consumer, kind, 'package.json'), JSON.stringify({ type: kind === 'esm' ? 'module' : 'commonjs' }) + '\n');
  }
  return { tmp, consumer };
}

/** Removes the consumer project; KEEP_CONSUMER=1 keeps it (to rerun things in it by hand). */
export function removeConsumer(tmp: string): void {
  if (process.env.KEEP_CONSUMER) console.log(`consumer project kept in ${tmp}`);
  else if (tmp) rmSync(tmp, { recursive: true, force: true });
}
