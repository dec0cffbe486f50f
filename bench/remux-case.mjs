// One remux/transmux case, run in a fresh node process by bench/remux.mjs:
//   node bench/remux-case.mjs CASE [--shape big|long] [--lib DIR] [--check]
// Reads the input (not timed), runs the case once (timed), then prints one JSON line:
//   { case, shape, inBytes, outBytes, ms, maxRssMB }     (maxRssMB = process.resourceUsage().maxRSS, so it includes
//                                                         the input buffer and node itself)
// --shape: big (default: big.mp4, big.ts, seg/*.ts — high bitrate) or long (long.mp4, long.ts, long-seg/*.ts — long,
// low bitrate). --lib: the checkout whose built dist/ is measured (default: this one; bench/remux.mjs --compare).
// With --check it also probes the output with boxwright's probeMedia({ packets: true }) and adds
//   { outPackets, inPackets }  — done after the measurement, in its own run, so it never inflates the timed runs' RSS.
// Needs the build (npm run build) and bench/make-media.sh.
import { readFileSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const args = process.argv.slice(2);
const opt = (flag, dflt) => (args.includes(flag) ? args[args.indexOf(flag) + 1] : dflt);
const name = args[0];
const check = args.includes('--check');
const shape = opt('--shape', 'big');
const lib = resolve(opt('--lib', new URL('..', import.meta.url).pathname));
if (shape !== 'big' && shape !== 'long') {
  console.error(`unknown shape ${shape} (big or long)`);
  process.exit(2);
}
const distModule = (p) => import(pathToFileURL(join(lib, 'dist/esm/src', p)).href);
const bw = await distModule('index.js');
const { createFragmentedMp4, streamCopy, streamCopyChunks, probeMedia } = bw;
// Builds from before the package entry exported the transmuxer (7d4aa7e and older) have it only in its module.
const createTransmuxer = bw.createTransmuxer ?? (await distModule('transmux/index.js')).createTransmuxer;

const require = createRequire(import.meta.url);
const media = new URL('./media/', import.meta.url).pathname;
/** The inputs of a shape: the MP4, the same streams as MPEG-TS, and that cut into ~6 s segments. */
const MP4_IN = `${media}${shape}.mp4`;
const TS_IN = `${media}${shape}.ts`;
const SEG_DIR = `${media}${shape === 'big' ? 'seg' : 'long-seg'}/`;

/** Frames per GOP of big.mp4 and long.mp4 (make-media.sh: -g 60). mp4box.js 2.x's combined segmentation needs the same nbSamples on
 * every track ("nbSamples does not match existing tracks" otherwise), so the audio track gets 60 too. */
const VIDEO_GOP = 60;

const read = (p) => {
  const b = readFileSync(p);
  return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
};
const concat = (parts) => {
  let n = 0;
  for (const p of parts) n += p.byteLength;
  const out = new Uint8Array(n);
  let o = 0;
  for (const p of parts) {
    out.set(p instanceof Uint8Array ? p : new Uint8Array(p), o);
    o += p.byteLength;
  }
  return out;
};
const segments = () =>
  readdirSync(SEG_DIR)
    .filter((n) => n.endsWith('.ts'))
    .sort()
    .map((n) => read(`${SEG_DIR}${n}`));

// Each case: { input: () => data (untimed), run: async (data) => result, size: (result) => bytes, bytes: (result) => Uint8Array for --check }
const cases = {
  // --- MP4 (big.mp4 / long.mp4) ---
  baseline: { input: () => read(MP4_IN), run: (d) => d, size: () => 0 },
  'bw-fmp4': {
    input: () => read(MP4_IN),
    run: (d) => createFragmentedMp4(d),
    size: (r) => r.data.byteLength,
    bytes: (r) => r.data,
  },
  'bw-streamcopy': {
    input: () => read(MP4_IN),
    run: (d) => streamCopy(d, { format: 'mp4' }),
    size: (r) => r.byteLength,
    bytes: (r) => r,
  },
  'bw-chunks': {
    input: () => read(MP4_IN),
    run: (d) => streamCopyChunks(d, { format: 'mp4' }),
    size: (r) => r.reduce((n, c) => n + c.byteLength, 0),
    bytes: (r) => concat(r),
  },
  'mp4box-seg': {
    input: () => {
      const d = read(MP4_IN);
      // mp4box wants an ArrayBuffer with a fileStart; readFileSync of a big file owns its ArrayBuffer.
      const ab = d.byteOffset === 0 && d.byteLength === d.buffer.byteLength ? d.buffer : d.slice().buffer;
      ab.fileStart = 0;
      return { d, ab };
    },
    run: ({ ab }) =>
      new Promise((resolve, reject) => {
        const MP4Box = require('mp4box');
        const file = MP4Box.createFile();
        const out = [];
        file.onError = (e) => reject(new Error(String(e)));
        file.onReady = (info) => {
          for (const t of info.tracks) {
            file.setSegmentOptions(t.id, null, { nbSamples: VIDEO_GOP, rapAlignement: true });
          }
          const init = file.initializeSegmentation();
          out.push(init.buffer);
          file.start();
        };
        file.onSegment = (id, _user, buffer, nextSample) => {
          out.push(buffer);
          file.releaseUsedSamples(id, nextSample);
        };
        file.appendBuffer(ab);
        file.flush();
        resolve(out);
      }),
    size: (r) => r.reduce((n, c) => n + c.byteLength, 0),
    bytes: (r) => concat(r),
  },
  'mediabunny-mp4': { input: () => read(MP4_IN), run: (d) => mediabunny(d), size: (r) => r.byteLength, bytes: (r) => new Uint8Array(r) },
  'alloc-copy': {
    // Physical limit 1: allocate a fresh buffer of the input's size and copy the input into it (first touch of n bytes).
    input: () => read(MP4_IN),
    run: (d) => {
      const out = new Uint8Array(d.byteLength);
      out.set(d);
      return out;
    },
    size: (r) => r.byteLength,
  },
  'touched-copy': {
    // Physical limit 2: the same copy into a buffer that is already allocated and touched (fill is untimed).
    input: () => {
      const d = read(MP4_IN);
      const out = new Uint8Array(d.byteLength).fill(1);
      return { d, out };
    },
    run: ({ d, out }) => {
      out.set(d);
      return out;
    },
    size: (r) => r.byteLength,
  },

  // --- MPEG-TS (big.ts / long.ts and their segments) ---
  'ts-alloc-copy': {
    // The allocate + copy limit on the TS input's size.
    input: () => read(TS_IN),
    run: (d) => {
      const out = new Uint8Array(d.byteLength);
      out.set(d);
      return out;
    },
    size: (r) => r.byteLength,
  },
  'ts-baseline': { input: () => read(TS_IN), run: (d) => d, size: () => 0 },
  'ts-bw-fmp4': {
    input: () => read(TS_IN),
    run: (d) => createFragmentedMp4(d),
    size: (r) => r.data.byteLength,
    bytes: (r) => r.data,
  },
  'ts-bw-transmux-segs': {
    input: segments,
    run: (segs) => {
      const out = [];
      const t = createTransmuxer({ onInit: (b) => out.push(b), onFragment: (b) => out.push(b) });
      // As a segment-at-a-time player feeds it (and mux.js below): push + flush per segment.
      for (const s of segs) {
        t.push(s);
        t.flush();
      }
      return out;
    },
    size: (r) => r.reduce((n, c) => n + c.byteLength, 0),
    bytes: (r) => concat(r),
  },
  'ts-muxjs-whole': { input: () => [read(TS_IN)], run: (parts) => muxjs(parts), size: muxSize, bytes: muxBytes },
  'ts-muxjs-segs': { input: segments, run: (parts) => muxjs(parts), size: muxSize, bytes: muxBytes },
  'ts-mediabunny': { input: () => read(TS_IN), run: (d) => mediabunny(d), size: (r) => r.byteLength, bytes: (r) => new Uint8Array(r) },
};

/** mux.js: one Transmuxer (defaults: remux: true, i.e. audio+video in one segment), push each part then flush() after
 * each — a segment-at-a-time player does exactly this; for the whole file there is one push and one flush. */
function muxjs(parts) {
  const muxjs = require('mux.js');
  const t = new muxjs.mp4.Transmuxer();
  const out = { init: null, data: [] };
  t.on('data', (seg) => {
    if (!out.init && seg.initSegment) out.init = seg.initSegment;
    out.data.push(seg.data);
  });
  for (const p of parts) {
    t.push(p);
    t.flush();
  }
  return out;
}
function muxSize(r) {
  return (r.init?.byteLength ?? 0) + r.data.reduce((n, c) => n + c.byteLength, 0);
}
function muxBytes(r) {
  return concat([r.init, ...r.data]);
}

/** mediabunny: Conversion (packet copy; nothing is re-encoded for H.264/AAC into MP4) to a fragmented MP4 in memory. */
async function mediabunny(d) {
  const mb = await import('mediabunny');
  const input = new mb.Input({ source: new mb.BufferSource(d), formats: mb.ALL_FORMATS });
  const target = new mb.BufferTarget();
  const output = new mb.Output({ format: new mb.Mp4OutputFormat({ fastStart: 'fragmented' }), target });
  const conv = await mb.Conversion.init({ input, output });
  if (!conv.isValid) throw new Error(`mediabunny: invalid conversion: ${JSON.stringify(conv.discardedTracks.map((t) => t.reason))}`);
  await conv.execute();
  return target.buffer;
}

const c = cases[name];
if (!c) {
  console.error(`unknown case ${name}; cases: ${Object.keys(cases).join(' ')}`);
  process.exit(2);
}
// Warm the module graph (imports are untimed; mediabunny/mux.js/mp4box load lazily so load them here too).
if (name.includes('mediabunny')) await import('mediabunny');
if (name.includes('muxjs')) require('mux.js');
if (name.includes('mp4box')) require('mp4box');

const input = c.input();
const inBytes = Array.isArray(input) ? input.reduce((n, p) => n + p.byteLength, 0) : (input.d ?? input).byteLength;
const t0 = performance.now();
const result = await c.run(input);
const ms = performance.now() - t0;
const outBytes = c.size(result);
const maxRssMB = process.resourceUsage().maxRSS / 1024;
const line = { case: name, shape, inBytes, outBytes, ms, maxRssMB };
if (check && c.bytes) {
  const out = c.bytes(result);
  line.outPackets = probeMedia(out, { packets: true }).packets.length;
  const src = name.startsWith('ts-') ? read(TS_IN) : read(MP4_IN);
  line.inPackets = probeMedia(src, { packets: true }).packets.length;
}
console.log(JSON.stringify(line));
