// Packaging throughput and memory: boxwright packageHls / packageDash (in memory) vs shaka-packager (the npm package's
// native binary, output to tmpfs) and mediabunny's HlsOutputFormat (in memory), on both bench shapes (big.mp4: high
// bitrate; long.mp4: long, low bitrate — bench/make-media.sh). Fresh process per case (bench/package-case.mjs), RUNS
// runs each, medians. Prints a Markdown table per shape; with --doc rewrites the "Packaging" section of
// docs/performance.md.
// Usage: npm run build && sh bench/make-media.sh && node bench/package.mjs [--runs N] [--shapes big,long] [--doc]
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { machineLine, median, runCaseProcess } from './harness.mjs';

const here = new URL('./', import.meta.url).pathname;
const root = new URL('../', import.meta.url).pathname;
const args = process.argv.slice(2);
const opt = (flag) => (args.includes(flag) ? args[args.indexOf(flag) + 1] : undefined);
const RUNS = Number(opt('--runs') ?? 3);
const SHAPES = (opt('--shapes') ?? 'big,long').split(',');
for (const s of SHAPES) if (!existsSync(`${here}media/${s}.mp4`)) throw new Error(`bench/media/${s}.mp4 missing: run sh bench/make-media.sh`);

// target: the speed-up over a peer, and the RSS budget (input + output + 64 MB) for in-memory boxwright cases.
const CASES = [
  { id: 'bw-hls', label: 'boxwright `packageHls` (CMAF, in memory)', target: [['shaka-hls', 5], ['mediabunny-hls', 2]], rssBudget: true },
  { id: 'bw-hls-ts', label: "boxwright `packageHls` `segmentFormat: 'ts'`", target: [['shaka-hls', 5]], rssBudget: true },
  { id: 'bw-dash-live', label: "boxwright `packageDash` `'live'`", target: [['shaka-dash-live', 5]], rssBudget: true },
  { id: 'bw-dash-on-demand', label: "boxwright `packageDash` `'on-demand'`", target: [['shaka-dash-on-demand', 5]], rssBudget: true },
  { id: 'bw-hls-dash', label: 'boxwright `packageStreams` (HLS + DASH over one set of CMAF segments)', target: [['shaka-hls-dash', 5]], rssBudget: true },
  { id: 'shaka-hls', label: 'shaka-packager HLS (segments, to tmpfs)' },
  { id: 'shaka-hls-single', label: 'shaka-packager HLS (one file per stream, to tmpfs)' },
  { id: 'shaka-dash-live', label: 'shaka-packager DASH live (segment templates, to tmpfs)' },
  { id: 'shaka-dash-on-demand', label: 'shaka-packager DASH on-demand (one file per stream, to tmpfs)' },
  { id: 'shaka-hls-dash', label: 'shaka-packager HLS + DASH together (segments, to tmpfs)' },
  { id: 'mediabunny-hls', label: 'mediabunny `HlsOutputFormat` (CMAF, in memory)' },
];

function measure(c, shape) {
  const runs = [];
  process.stderr.write(`${shape} ${c.id}:`);
  for (let i = 0; i < RUNS; i++) {
    const r = runCaseProcess(`${here}package-case.mjs`, [c.id, '--shape', shape], { cwd: root });
    if (r.error) {
      process.stderr.write(` ${r.error}\n`);
      return { ...c, error: r.error };
    }
    runs.push(r);
    process.stderr.write(` ${r.ms.toFixed(0)}ms`);
  }
  process.stderr.write('\n');
  return { ...c, ...runs[0], ms: median(runs.map((r) => r.ms)), rss: median(runs.map((r) => r.maxRssMB)) };
}

const sections = [];
for (const shape of SHAPES) {
  const rows = CASES.map((c) => measure(c, shape));
  const byId = new Map(rows.map((r) => [r.id, r]));
  const lines = [
    `### ${shape}.mp4 (${((rows.find((r) => r.inBytes)?.inBytes ?? 0) / 1e6).toFixed(0)} MB), ${RUNS} runs, median`,
    '',
    '| case | median ms | MB/s | peak RSS MB | output MB | files | targets |',
    '| --- | ---: | ---: | ---: | ---: | ---: | --- |',
  ];
  for (const r of rows) {
    if (r.error) {
      lines.push(`| ${r.label} | ${r.error} | | | | | |`);
      continue;
    }
    const t = [];
    for (const [peer, want] of r.target ?? []) {
      const p = byId.get(peer);
      if (!p || p.error) continue;
      const x = p.ms / r.ms;
      t.push(`${x.toFixed(2)}× ${peer} (≥ ${want}×) ${x >= want ? 'met' : '**missed**'}`);
    }
    if (r.rssBudget) {
      const budget = (r.inBytes + r.outBytes) / 2 ** 20 + 64;
      t.push(`RSS ≤ in + out + 64 MB (${budget.toFixed(0)}) ${r.rss <= budget ? 'met' : '**missed**'}`);
    }
    lines.push(`| ${r.label} | ${r.ms.toFixed(0)} | ${(r.inBytes / 1e6 / (r.ms / 1000)).toFixed(0)} | ${r.rss.toFixed(0)} | ${(r.outBytes / 1e6).toFixed(1)} | ${r.files} | ${t.join('; ')} |`);
  }
  sections.push(lines.join('\n'));
}
const text = `${machineLine()}\n\n${sections.join('\n\n')}`;
console.log(text);
if (args.includes('--doc')) {
  const path = `${root}docs/performance.md`;
  const doc = readFileSync(path, 'utf8');
  const begin = '<!-- package-bench:begin -->';
  const end = '<!-- package-bench:end -->';
  const block = `${begin}\n${text}\n${end}`;
  writeFileSync(path, doc.includes(begin) ? doc.replace(new RegExp(`${begin}[\\s\\S]*?${end}`), block) : `${doc.trimEnd()}\n\n## Packaging (bench/package.mjs)\n\n${block}\n`);
}
