#!/usr/bin/env node
// Thin launcher: the CLI lives in the built library (npm run build, run by npm ci/install via "prepare").
import { readFileSync } from 'node:fs';
import { runCli } from '../dist/esm/src/api/cli.js';

// A reader that stops early (`boxwright probe --packets f.mp4 | head -1`) is not an error.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (e) => {
    if (e.code === 'EPIPE') process.exit(0);
    throw e;
  });
}
const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
process.exitCode = runCli(process.argv.slice(2), undefined, version);
