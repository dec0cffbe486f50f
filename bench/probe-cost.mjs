// Probe cost vs mdat size: probeMedia reads metadata only, so a file with the same moov but a 1 GB mdat must
// probe as fast as the small one. Builds (in memory) a 10 s moov-at-end MP4 and the same file with its mdat
// grown to 1 GB (moov after it, offsets unchanged), plus a moov-first variant with 1 GB of trailing 'free'.
// Needs the build (npm run build) and ffmpeg for the 10 s source (falls back to samples/h264-aac-moov-end.mp4).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { probeMedia, readBoxes } from '../dist/esm/src/index.js';

const GB = 1 << 30;
const dir = new URL('./media/', import.meta.url).pathname;
mkdirSync(dir, { recursive: true });
let src = `${dir}probe-10s.mp4`;
if (!existsSync(src)) {
  try {
    execFileSync('ffmpeg', ['-v', 'error', '-y', '-f', 'lavfi', '-i', 'testsrc2=size=320x180:rate=30', '-f', 'lavfi', '-i', 'sine=f=440:sample_rate=48000',
      '-t', '10', '-c:v', 'libx264', '-g', '60', '-c:a', 'aac', src]);
  } catch {
    src = new URL('../samples/h264-aac-moov-end.mp4', import.meta.url).pathname;
  }
}
const small = new Uint8Array(readFileSync(src));
const tree = readBoxes(small);
const mdat = tree.boxes.find((b) => b.type === 'mdat');
const moovFirst = tree.boxes.findIndex((b) => b.type === 'moov') < tree.boxes.findIndex((b) => b.type === 'mdat');

const mdatIndex = tree.boxes.indexOf(mdat);
const freeBefore = tree.boxes[mdatIndex - 1];
const canGrow = mdat.headerSize === 16 || (freeBefore?.type === 'free' && freeBefore.size === 8);

function grownMdat() {
  // [everything up to mdat end][padding][rest], with a 64-bit mdat size: the moov comes after 1 GB of media.
  // ffmpeg leaves an 8-byte 'free' before mdat for exactly this: free + mdat header become one 16-byte header.
  const pad = GB - small.length;
  const out = new Uint8Array(small.length + pad);
  const end = mdat.offset + mdat.size;
  out.set(small.subarray(0, end));
  out.set(small.subarray(end), end + pad);
  const dv = new DataView(out.buffer);
  const head = mdat.headerSize === 16 ? mdat.offset : freeBefore.offset;
  const size = end + pad - head;
  dv.setUint32(head, 1);
  out.set([0x6d, 0x64, 0x61, 0x74], head + 4);
  dv.setUint32(head + 8, Math.floor(size / 2 ** 32));
  dv.setUint32(head + 12, size >>> 0);
  return out;
}

function trailingFree() {
  const out = new Uint8Array(GB);
  out.set(small);
  const dv = new DataView(out.buffer);
  dv.setUint32(small.length, 1);
  out.set([0x66, 0x72, 0x65, 0x65], small.length + 4);
  dv.setUint32(small.length + 8, Math.floor((GB - small.length) / 2 ** 32));
  dv.setUint32(small.length + 12, (GB - small.length) >>> 0);
  return out;
}

function median(fn, runs = 15) {
  fn();
  const t = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    fn();
    t.push(performance.now() - t0);
  }
  t.sort((a, b) => a - b);
  return t[Math.floor(runs / 2)];
}

const rows = [['source (10 s)', small]];
if (canGrow && !moovFirst) rows.push(['same moov, mdat grown to 1 GB (moov at end)', grownMdat()]);
rows.push(['same file + 1 GB trailing free box', trailingFree()]);
console.log(`source: ${src} (${small.length} bytes)`);
console.log('| input | bytes | probeMedia median ms | with packets ms |');
console.log('| --- | ---: | ---: | ---: |');
rows.push(['source again (warm)', small]);
for (const [name, data] of rows) {
  const a = median(() => probeMedia(data));
  const b = median(() => probeMedia(data, { packets: true }));
  console.log(`| ${name} | ${data.length} | ${a.toFixed(2)} | ${b.toFixed(2)} |`);
}
