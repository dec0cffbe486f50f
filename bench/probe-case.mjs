// One probe case, run in a fresh node process by bench/probe.mjs:
//   node bench/probe-case.mjs CASE [--shape big|long] [--lib DIR] [--iters N]
// Reads the input (untimed), then probes it N times (default 7) in this process and prints one JSON line:
//   { case, shape, inBytes, firstMs, ms, minMs, maxRssMB }   (firstMs = the first, cold call; ms = median of the
//   rest, minMs = their fastest; cpuFirstMs/cpuMs: the same in process CPU time, which a busy machine disturbs less)
// Cases: bw-probe (probeMedia), bw-probe-packets (probeMedia { packets: true }), mediabunny-probe (Input + format +
// every track with its codec, codec string, size or sample rate/channels and computeDuration, + the input's duration:
// what a probe reports). Needs the build (npm run build) and bench/make-media.sh.
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { median } from './harness.mjs';

const args = process.argv.slice(2);
const opt = (flag, dflt) => (args.includes(flag) ? args[args.indexOf(flag) + 1] : dflt);
const name = args[0];
const shape = opt('--shape', 'big');
const iters = Number(opt('--iters', 7));
const lib = resolve(opt('--lib', new URL('..', import.meta.url).pathname));
if (shape !== 'big' && shape !== 'long') {
  console.error(`unknown shape ${shape} (big or long)`);
  process.exit(2);
}
const { probeMedia } = await import(pathToFileURL(join(lib, 'dist/esm/src/index.js')).href);
const media = new URL('./media/', import.meta.url).pathname;
const read = (p) => {
  const b = readFileSync(p);
  return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
};

async function mediabunnyProbe(d) {
  const mb = await import('mediabunny');
  const input = new mb.Input({ source: new mb.BufferSource(d), formats: mb.ALL_FORMATS });
  const format = (await input.getFormat()).name;
  const tracks = [];
  for (const t of await input.getTracks()) {
    const r = { type: t.type, codec: t.codec, codecString: await t.getCodecParameterString(), duration: await t.computeDuration() };
    if (t.isVideoTrack()) Object.assign(r, { width: t.displayWidth, height: t.displayHeight });
    if (t.isAudioTrack()) Object.assign(r, { sampleRate: t.sampleRate, channels: t.numberOfChannels });
    tracks.push(r);
  }
  return { format, duration: await input.computeDuration(), tracks };
}

const cases = {
  'bw-probe': (d) => probeMedia(d),
  'bw-probe-packets': (d) => probeMedia(d, { packets: true }),
  'mediabunny-probe': mediabunnyProbe,
};
const run = cases[name];
if (!run) {
  console.error(`unknown case ${name}; cases: ${Object.keys(cases).join(' ')}`);
  process.exit(2);
}
if (name.startsWith('mediabunny')) await import('mediabunny');
const data = read(`${media}${shape}.mp4`);
const times = [];
const cpu = [];
for (let i = 0; i < iters; i++) {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  await run(data);
  times.push(performance.now() - t0);
  const c = process.cpuUsage(c0);
  cpu.push((c.user + c.system) / 1000);
}
const maxRssMB = process.resourceUsage().maxRSS / 1024;
console.log(JSON.stringify({ case: name, shape, inBytes: data.byteLength, firstMs: times[0], ms: median(times.slice(1)), minMs: Math.min(...times.slice(1)), cpuFirstMs: cpu[0], cpuMs: median(cpu.slice(1)), maxRssMB }));
