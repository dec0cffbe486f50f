#!/usr/bin/env node
/**
 * What each API costs a web app: esbuild bundles an entry file that imports only that API from the package
 * (its TypeScript sources, which esbuild compiles as it would the ES module build), minified, for the browser; the
 * size is gzip -9 of that.
 *
 *   node scripts/bundle-size.mjs [--json]
 *
 * test/package/bundle-size.test.ts checks the sizes against docs/performance.md's table.
 */
import { build } from 'esbuild';
import { gzipSync } from 'node:zlib';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..');
const entry = join(repo, 'src/index.ts');

/** Entry points: what a user imports for one job. */
export const ENTRIES = {
  'box read/write': `import { readBoxes, writeBoxes } from 'boxwright'; console.log(readBoxes, writeBoxes);`,
  probe: `import { probeMedia } from 'boxwright'; console.log(probeMedia);`,
  transmuxer: `import { createTransmuxer } from 'boxwright'; console.log(createTransmuxer);`,
  'packet API': `import { demuxMedia } from 'boxwright'; console.log(demuxMedia);`,
  remux: `import { createFragmentedMp4, streamCopy } from 'boxwright'; console.log(createFragmentedMp4, streamCopy);`,
  everything: `import * as bw from 'boxwright'; console.log(bw);`,
};

/** Minified and gzipped bytes of each entry's bundle. */
export async function bundleSizes() {
  const sizes = {};
  for (const [name, contents] of Object.entries(ENTRIES)) {
    const out = await build({
      stdin: { contents, resolveDir: repo, loader: 'js' },
      bundle: true,
      minify: true,
      format: 'esm',
      platform: 'browser',
      target: 'es2020',
      write: false,
      logLevel: 'silent',
      alias: { boxwright: entry },
    });
    const code = out.outputFiles[0].contents;
    sizes[name] = { minified: code.length, gzip: gzipSync(code, { level: 9 }).length };
  }
  return sizes;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const sizes = await bundleSizes();
  if (process.argv.includes('--json')) console.log(JSON.stringify(sizes, null, 2));
  else {
    console.log('| entry | minified | min + gzip |\n| --- | ---: | ---: |');
    for (const [name, s] of Object.entries(sizes)) console.log(`| ${name} | ${(s.minified / 1000).toFixed(1)} kB | ${(s.gzip / 1000).toFixed(1)} kB |`);
  }
}
