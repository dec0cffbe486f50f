// One packaging case, run in a fresh node process by bench/package.mjs:
//   node bench/package-case.mjs CASE [--shape big|long]
// Prints one JSON line { case, shape, inBytes, outBytes, files, ms, maxRssMB }. boxwright and mediabunny run in this
// process, in memory (input read untimed; maxRSS of this process). shaka-packager runs as its native binary (the npm
// package's) reading the input file and writing to a tmpfs directory, timed as a child process with /usr/bin/time
// giving its peak RSS; its time includes reading the input through the page cache, which the in-memory cases skip.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';

const args = process.argv.slice(2);
const name = args[0];
const shape = args.includes('--shape') ? args[args.indexOf('--shape') + 1] : 'big';
const root = new URL('..', import.meta.url).pathname;
const INPUT = join(root, 'bench/media', `${shape}.mp4`);
const SEGMENT_TIME = 6;
const bw = await import(join(root, 'dist/esm/src/index.js'));

const read = () => {
  const b = readFileSync(INPUT);
  return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
};

/** Bytes and count of everything under `dir`. */
function treeSize(dir) {
  let bytes = 0;
  let files = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) {
      const t = treeSize(p);
      bytes += t.bytes;
      files += t.files;
    } else {
      bytes += statSync(p).size;
      files++;
    }
  }
  return { bytes, files };
}

/** shaka-packager on the input, HLS, DASH or both ('both': one set of segments, both manifests) (live: segment templates; on-demand: one file per stream + sidx). */
function shakaPackager(kind, profile) {
  const bin = join(root, 'node_modules/shaka-packager/bin/packager-linux-x64');
  const out = `/dev/shm/boxwright-bench-shaka-${process.pid}`;
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  const streams = ['video', 'audio'].map((s) =>
    profile === 'on-demand'
      ? `in=${INPUT},stream=${s},output=${out}/${s}.mp4${kind !== 'dash' ? `,playlist_name=${s}.m3u8` : ''}`
      : `in=${INPUT},stream=${s},init_segment=${out}/${s}/init.mp4,segment_template=${out}/${s}/$Number$.m4s${kind !== 'dash' ? `,playlist_name=${s}.m3u8${s === 'audio' ? ',hls_group_id=audio' : ''}` : ''}`,
  );
  const manifest = [
    ...(kind !== 'dash' ? ['--hls_master_playlist_output', `${out}/master.m3u8`] : []),
    ...(kind !== 'hls' ? ['--mpd_output', `${out}/manifest.mpd`] : []),
  ];
  const t0 = performance.now();
  const r = spawnSync('/usr/bin/time', ['-f', 'maxrss_kb=%M', bin, ...streams, '--segment_duration', String(SEGMENT_TIME), ...manifest], { encoding: 'utf8', maxBuffer: 1 << 26 });
  const ms = performance.now() - t0;
  if (r.status !== 0) throw new Error(`shaka-packager failed: ${(r.stderr ?? '').split('\n').filter(Boolean).slice(-3).join(' | ')}`);
  const rss = Number(/maxrss_kb=(\d+)/.exec(r.stderr)?.[1] ?? NaN) / 1024;
  const t = treeSize(out);
  rmSync(out, { recursive: true, force: true });
  return { ms, maxRssMB: rss, outBytes: t.bytes, files: t.files, inBytes: statSync(INPUT).size };
}

async function mediabunnyHls(d) {
  const mb = await import('mediabunny');
  const input = new mb.Input({ source: new mb.BufferSource(d), formats: mb.ALL_FORMATS });
  const files = [];
  const target = new mb.PathedTarget('master.m3u8', () => {
    const t = new mb.BufferTarget();
    files.push(t);
    return t;
  });
  const output = new mb.Output({ format: new mb.HlsOutputFormat({ segmentFormat: new mb.CmafOutputFormat(), targetDuration: SEGMENT_TIME }), target });
  const conv = await mb.Conversion.init({ input, output });
  if (!conv.isValid) throw new Error('mediabunny: invalid conversion');
  await conv.execute();
  return { files: files.length, outBytes: files.reduce((n, t) => n + (t.buffer?.byteLength ?? 0), 0) };
}

const inMemory = {
  'bw-hls': (d) => {
    const p = bw.packageHls(d, { segmentTime: SEGMENT_TIME });
    return { files: p.files.length, outBytes: p.files.reduce((n, f) => n + f.data.length, 0) };
  },
  'bw-hls-ts': (d) => {
    const p = bw.packageHls(d, { segmentTime: SEGMENT_TIME, segmentFormat: 'ts' });
    return { files: p.files.length, outBytes: p.files.reduce((n, f) => n + f.data.length, 0) };
  },
  'bw-dash-live': (d) => {
    const p = bw.packageDash(d, { segmentTime: SEGMENT_TIME, profile: 'live' });
    return { files: p.segments.length + 1, outBytes: p.segments.reduce((n, s) => n + s.data.length, p.mpd.length) };
  },
  'bw-dash-on-demand': (d) => {
    const p = bw.packageDash(d, { segmentTime: SEGMENT_TIME, profile: 'on-demand' });
    return { files: p.segments.length + 1, outBytes: p.segments.reduce((n, s) => n + s.data.length, p.mpd.length) };
  },
  'bw-hls-dash': (d) => {
    const p = bw.packageStreams(d, { segmentTime: SEGMENT_TIME });
    return { files: p.files.length, outBytes: p.files.reduce((n, f) => n + f.data.length, 0) };
  },
  'mediabunny-hls': mediabunnyHls,
};
const external = {
  'shaka-hls': () => shakaPackager('hls', 'live'),
  'shaka-hls-single': () => shakaPackager('hls', 'on-demand'),
  'shaka-dash-live': () => shakaPackager('dash', 'live'),
  'shaka-dash-on-demand': () => shakaPackager('dash', 'on-demand'),
  'shaka-hls-dash': () => shakaPackager('both', 'live'),
};

let line;
if (external[name]) {
  line = { case: name, shape, ...external[name]() };
} else if (inMemory[name]) {
  if (name.startsWith('mediabunny')) await import('mediabunny'); // module load untimed, as for boxwright
  const d = read();
  const t0 = performance.now();
  const r = await inMemory[name](d);
  const ms = performance.now() - t0;
  line = { case: name, shape, inBytes: d.byteLength, ...r, ms, maxRssMB: process.resourceUsage().maxRSS / 1024 };
} else {
  console.error(`unknown case ${name}; cases: ${[...Object.keys(inMemory), ...Object.keys(external)].join(' ')}`);
  process.exit(2);
}
console.log(JSON.stringify(line));
