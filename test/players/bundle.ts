/** The library bundled with esbuild as a web app would bundle it: one IIFE exposing `window.boxwright`. */
import { join } from 'node:path';
import { build } from 'esbuild';
import { REPO } from '../helpers/samples.js';

export async function bundleLibrary(): Promise<string> {
  const bundle = await build({
    entryPoints: [join(REPO, 'src/index.ts')],
    bundle: true,
    format: 'iife',
    globalName: 'boxwright',
    platform: 'browser',
    target: 'es2020',
    write: false,
    logLevel: 'silent',
  });
  return bundle.outputFiles[0]!.text;
}
