// Box-layer benchmark: parse (and write) speed of boxwright vs mp4box.js and codem-isoboxer on the same inputs,
// in one run. Needs the build (npm run build). Usage: npm run bench [-- files…]
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { parseTree, writeTree } from '../dist/esm/boxes/tree.js';

const require = createRequire(import.meta.url);
const MP4Box = require('mp4box');
const ISOBoxer = require('codem-isoboxer');

function defaultFiles() {
  const dir = new URL('../samples/', import.meta.url).pathname;
  return readdirSync(dir)
    .filter((n) => /\.(mp4|mov|m4a)$/.test(n))
    .map((n) => join(dir, n))
    .sort((a, b) => statSync(b).size - statSync(a).size)
    .slice(0, 8);
}

function time(fn, minMs = 300) {
  fn(); // warm-up
  let runs = 0;
  const t0 = performance.now();
  let t = t0;
  while (t - t0 < minMs) {
    fn();
    runs++;
    t = performance.now();
  }
  return (t - t0) / runs;
}

const files = process.argv.slice(2).length ? process.argv.slice(2) : defaultFiles();
const rows = [];
for (const path of files) {
  const data = new Uint8Array(readFileSync(path));
  const ours = time(() => parseTree(data));
  const oursWrite = time(() => writeTree(parseTree(data)));
  const mp4box = time(() => {
    const f = MP4Box.createFile(false);
    const ab = data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength);
    ab.fileStart = 0;
    f.appendBuffer(ab);
    f.flush();
  });
  const isoboxer = time(() => ISOBoxer.parseBuffer(data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength)));
  rows.push({ file: path.split('/').pop(), bytes: data.length, ours, oursWrite, mp4box, isoboxer });
}

const ms = (x) => x.toFixed(3);
console.log('| file | bytes | boxwright parse ms | parse+write ms | mp4box.js ms | isoboxer ms | mp4box/ours | isoboxer/ours |');
console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
for (const r of rows) {
  console.log(`| ${r.file} | ${r.bytes} | ${ms(r.ours)} | ${ms(r.oursWrite)} | ${ms(r.mp4box)} | ${ms(r.isoboxer)} | ${(r.mp4box / r.ours).toFixed(1)}× | ${(r.isoboxer / r.ours).toFixed(1)}× |`);
}
