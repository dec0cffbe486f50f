#!/usr/bin/env node
/**
 * A static file server for the browser examples, on 127.0.0.1 only:
 *   /            this examples/ folder (index.html lists the examples)
 *   /boxwright/  the installed package's ES module build (dist/esm), as the pages import it
 *   /media/      the media folder given with --media DIR (default: the repository's samples/)
 *
 *   node examples/serve.mjs [--port N] [--media DIR]
 *
 * With a bundler (esbuild, Vite, webpack) you would import 'boxwright' and need none of this.
 */
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import { dirname, extname, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 && args[i + 1] !== undefined ? args[i + 1] : fallback;
};
const port = Number(option('--port', '8080'));
const media = resolve(option('--media', join(here, '..', 'samples')));
// The package as installed (or this repository itself, through its own "exports"): its ES module build.
const packageJson = createRequire(import.meta.url).resolve('boxwright/package.json');
const library = join(dirname(packageJson), 'dist', 'esm');

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.mjs': 'text/javascript',
  '.json': 'application/json',
  '.map': 'application/json',
  '.mp4': 'video/mp4',
  '.m4a': 'audio/mp4',
  '.ts': 'video/mp2t',
};

/** The file under `root` that `rest` names, or undefined (never outside `root`). */
function under(root, rest) {
  const path = normalize(join(root, decodeURIComponent(rest)));
  if (path !== root && !path.startsWith(root + sep)) return undefined;
  return existsSync(path) && statSync(path).isFile() ? path : undefined;
}

function route(url) {
  const path = url.split('?')[0];
  if (path.startsWith('/boxwright/')) return under(library, path.slice('/boxwright/'.length));
  if (path.startsWith('/media/')) return under(media, path.slice('/media/'.length));
  return under(here, path.endsWith('/') ? path + 'index.html' : path.slice(1));
}

const server = createServer((req, res) => {
  const file = route(req.url ?? '/');
  if (!file) {
    res.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
    return;
  }
  res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream', 'content-length': statSync(file).size });
  createReadStream(file).pipe(res);
});
server.listen(port, '127.0.0.1', () => {
  const { port: bound } = server.address();
  console.log(`serving the examples on http://127.0.0.1:${bound}/ (library: ${library}, media: ${media})`);
});
