#!/usr/bin/env node
// Thin launcher: the CLI lives in the built library (npm run build, run by npm ci/install via "prepare").
import { runCli } from '../dist/esm/src/api/cli.js';

process.exitCode = runCli(process.argv.slice(2));
