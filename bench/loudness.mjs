// Loudness throughput: seconds of audio analysed per second of wall time by boxwright's analyzeLoudness (pure
// TypeScript decode + BS.1770 meter with true peak) and by `ffmpeg -af ebur128=peak=true -f null -` (native decode,
// its filter) on the same file, in one run. Inputs are generated into bench/media/ (git-ignored): stereo 48 kHz,
// pink noise whose level steps every 2 s, as 16-bit WAV (PCM) and as AAC-LC 128 kb/s in M4A.
//
// Usage: node bench/loudness.mjs [--seconds N] [--runs N]      (default 60 s of audio, 3 runs, median)
//   boxwright is bundled from src/ with esbuild for the run (no build needed) and runs in a fresh process per run;
//   its time excludes reading the file, its peak RSS (minus the input's size: "working memory") shows whether memory
//   stays flat as the input gets longer (PCM is never held whole). ffmpeg's time is its whole process (start-up
//   included, ~0.05 s).
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildSync } from 'esbuild';
import { machineLine, median } from './harness.mjs';

const root = new URL('../', import.meta.url).pathname;
const args = process.argv.slice(2);
const opt = (flag, def) => (args.includes(flag) ? Number(args[args.indexOf(flag) + 1]) : def);
const SECONDS = opt('--seconds', 60);
const RUNS = opt('--runs', 3);

const media = join(root, 'bench/media');
mkdirSync(media, { recursive: true });
const src = `anoisesrc=d=${SECONDS}:c=pink:r=48000:a=0.3:seed=7,volume='if(lt(mod(t\\,4)\\,2)\\,1\\,0.25)':eval=frame,aformat=channel_layouts=stereo`;
const inputs = [
  { name: 'PCM s16 WAV', file: join(media, `loudness-${SECONDS}s.wav`), codec: ['-c:a', 'pcm_s16le'] },
  { name: 'AAC-LC M4A', file: join(media, `loudness-${SECONDS}s.m4a`), codec: ['-c:a', 'aac', '-b:a', '128k'] },
];
for (const i of inputs) {
  if (!existsSync(i.file)) execFileSync('ffmpeg', ['-nostdin', '-v', 'error', '-y', '-f', 'lavfi', '-i', src, ...i.codec, i.file]);
}

const tmp = mkdtempSync(join(tmpdir(), 'bw-loud-bench-'));
const bundle = join(tmp, 'loudness.mjs');
buildSync({ entryPoints: [join(root, 'src/api/loudness.ts')], bundle: true, format: 'esm', platform: 'node', outfile: bundle, logLevel: 'error' });

/** One boxwright run in a fresh process: seconds, peak RSS and the integrated loudness. */
function runOurs(file) {
  const code = `const { analyzeLoudness } = await import(${JSON.stringify(bundle)});
const buf = (await import('node:fs')).readFileSync(${JSON.stringify(file)});
const data = new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength); // a view: no second copy of the input
const t0 = performance.now();
let out;
try { const r = analyzeLoudness(data); out = { sec: (performance.now() - t0) / 1000, lufs: r.integratedLufs }; }
catch (e) { out = { error: e.code === 'UNSUPPORTED_CODEC' ? 'no decoder' : 'failed: ' + e.message }; }
out.maxRss = process.resourceUsage().maxRSS * 1024;
console.log(JSON.stringify(out));`;
  const p = spawnSync(process.execPath, ['--input-type=module', '-e', code], { encoding: 'utf8', maxBuffer: 1 << 24 });
  return JSON.parse(p.stdout.trim().split('\n').pop());
}

const rows = [];
for (const i of inputs) {
  const size = readFileSync(i.file).length;
  const ours = [];
  const rss = [];
  let note = '';
  let lufs;
  for (let r = 0; r < RUNS && !note; r++) {
    const o = runOurs(i.file);
    if (o.error) {
      note = o.error;
      break;
    }
    ours.push(o.sec);
    rss.push(o.maxRss);
    lufs = o.lufs;
  }
  const theirs = [];
  let ffI;
  for (let r = 0; r < RUNS; r++) {
    const t0 = performance.now();
    const p = spawnSync('ffmpeg', ['-nostdin', '-hide_banner', '-nostats', '-i', i.file, '-map', '0:a:0', '-af', 'ebur128=peak=true', '-f', 'null', '-'], { encoding: 'utf8' });
    theirs.push((performance.now() - t0) / 1000);
    ffI = /I:\s+(\S+) LUFS/.exec(p.stderr.slice(p.stderr.lastIndexOf('Summary')))?.[1];
  }
  const ffRate = SECONDS / median(theirs);
  const ourRate = ours.length ? SECONDS / median(ours) : undefined;
  rows.push({
    input: i.name,
    boxwright: ourRate ? `${ourRate.toFixed(0)} s/s (I ${lufs.toFixed(1)} LUFS)` : note,
    memory: rss.length ? `${(median(rss) / 2 ** 20).toFixed(0)} MB (input ${(size / 2 ** 20).toFixed(1)} MB)` : '–',
    ffmpeg: `${ffRate.toFixed(0)} s/s (I ${ffI} LUFS)`,
    ratio: ourRate ? `${(ourRate / ffRate).toFixed(2)}×` : '–',
  });
}
rmSync(tmp, { recursive: true, force: true });

console.log(`${SECONDS} s of stereo 48 kHz audio, median of ${RUNS} runs; ${machineLine()}\n`);
console.log('| input | boxwright analyzeLoudness | ffmpeg ebur128=peak=true | boxwright / ffmpeg | boxwright peak RSS |');
console.log('| --- | --- | --- | --- | --- |');
for (const r of rows) console.log(`| ${r.input} | ${r.boxwright} | ${r.ffmpeg} | ${r.ratio} | ${r.memory} |`);
