// Loudness throughput: seconds of audio analysed per second of wall time by boxwright's analyzeLoudness (pure
// TypeScript decode + BS.1770 meter with true peak) and by `ffmpeg -af ebur128=peak=true -f null -` (native decode,
// its filter) on the same file, in one run. Inputs are generated into bench/media/ (git-ignored): stereo 48 kHz,
// pink noise whose level steps every 2 s, as 16-bit WAV (PCM) and as AAC-LC 128 kb/s in M4A.
//
// Usage: node bench/loudness.mjs [--seconds N] [--runs N]      (default 60 s of audio, 3 runs, median)
//   boxwright is bundled from src/ with esbuild for the run (no build needed). ffmpeg's time is its whole process
//   (start-up included, ~0.05 s); boxwright's excludes reading the file. AAC rows say "no decoder" until
//   src/decode/aac has one.
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
const { analyzeLoudness } = await import(bundle);

const rows = [];
for (const i of inputs) {
  const data = new Uint8Array(readFileSync(i.file));
  const ours = [];
  let note = '';
  let report;
  for (let r = 0; r < RUNS && !note; r++) {
    const t0 = performance.now();
    try {
      report = analyzeLoudness(data);
    } catch (e) {
      note = e.code === 'UNSUPPORTED_CODEC' ? 'no decoder' : `failed: ${e.message}`;
      break;
    }
    ours.push((performance.now() - t0) / 1000);
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
    boxwright: ourRate ? `${ourRate.toFixed(0)} s/s (I ${report.integratedLufs.toFixed(1)} LUFS)` : note,
    ffmpeg: `${ffRate.toFixed(0)} s/s (I ${ffI} LUFS)`,
    ratio: ourRate ? `${(ourRate / ffRate).toFixed(2)}×` : '–',
  });
}
rmSync(tmp, { recursive: true, force: true });

console.log(`${SECONDS} s of stereo 48 kHz audio, median of ${RUNS} runs; ${machineLine()}\n`);
console.log('| input | boxwright analyzeLoudness | ffmpeg ebur128=peak=true | boxwright / ffmpeg |');
console.log('| --- | --- | --- | --- |');
for (const r of rows) console.log(`| ${r.input} | ${r.boxwright} | ${r.ffmpeg} | ${r.ratio} |`);
