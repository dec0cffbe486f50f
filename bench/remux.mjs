// Remux and TS → fMP4 throughput/memory of boxwright vs mp4box.js, mediabunny and mux.js, on two input shapes: `big`
// (72 s at 23 Mb/s, ~5,500 samples in ~210 MB: per-byte cost) and `long` (600 s at 3 Mb/s, ~46,000 samples in ~250 MB:
// per-sample cost). Every measurement is a fresh node process (bench/remux-case.mjs CASE --shape S), so peak RSS is per
// case and no JIT or heap state carries over. Per case and shape: one --check run (packet count of the output via
// probeMedia, untimed), then RUNS timed runs; the tables show medians. Wall time excludes reading the input from disk;
// peak RSS (maxRSS) includes the input buffer and node itself (see the "node + input" rows).
//
// Usage: npm run build && sh bench/make-media.sh && node bench/remux.mjs [--runs N] [--no-doc] [--shapes big,long] [case…]
//   Rewrites its two sections of docs/performance.md (not with --no-doc, a case subset or a shape subset).
//
// Before/after a change: node bench/remux.mjs --compare DIR [--runs N] [--shapes …] [case…]
//   DIR is another checkout of the repository with its own build (e.g. the commit before the change:
//   `git worktree add /tmp/bw-base REV && ln -s "$PWD/node_modules" /tmp/bw-base/ && (cd /tmp/bw-base && npm run build)`).
//   Runs boxwright's cases for both builds in one run, interleaved (base, this, this, base, …), and reports each case's
//   change in median and in fastest run; the issue's rule: no case more than 5 % slower (flagged when both are). On a
//   loaded machine use more runs (--runs 9): two identical builds differed by up to ±50 % with 3 runs at load 8.
//   Never writes the doc.
import { execFileSync } from 'node:child_process';
import { machineLine, median, runCaseProcess } from './harness.mjs';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const here = new URL('./', import.meta.url).pathname;
const root = new URL('../', import.meta.url).pathname;
const args = process.argv.slice(2);
const VALUE_FLAGS = ['--runs', '--shapes', '--compare'];
const opt = (flag) => (args.includes(flag) ? args[args.indexOf(flag) + 1] : undefined);
const RUNS = Number(opt('--runs') ?? 5);
const SHAPES = (opt('--shapes') ?? 'big,long').split(',');
const compareDir = opt('--compare') === undefined ? undefined : resolve(opt('--compare'));
const writeDoc = !args.includes('--no-doc') && compareDir === undefined;
const only = args.filter((a, i) => !a.startsWith('--') && !VALUE_FLAGS.includes(args[i - 1]));
const TIMEOUT_MS = 5 * 60 * 1000;
/** A change above this is reported as a slowdown in --compare mode (the issue's limit). */
const SLOWER_LIMIT = 0.05;

for (const s of SHAPES) if (s !== 'big' && s !== 'long') throw new Error(`--shapes: unknown shape ${s} (big, long)`);
const MEDIA = ['big.mp4', 'big.ts', 'seg/seg000.ts', 'long.mp4', 'long.ts', 'long-seg/seg000.ts'];
if (MEDIA.some((f) => !existsSync(`${here}media/${f}`))) {
  execFileSync('sh', [`${here}make-media.sh`], { stdio: 'inherit' });
}
if (compareDir !== undefined && !existsSync(join(compareDir, 'dist/esm/src/index.js'))) {
  throw new Error(`--compare ${compareDir}: no dist/esm/src/index.js there (run npm run build in it)`);
}

/** The inputs of each shape, for the text. */
const SHAPE_TEXT = {
  big: {
    title: 'high bitrate',
    mp4: '`bench/media/big.mp4`: 72 s testsrc2 1280×720 30 fps with film-grain noise, H.264 High (libx264 veryfast: CABAC, as real streams) at 23 Mb/s, GOP 60 with 2 B-frames, + 48 kHz AAC 128 kb/s, moov first',
    seg: 'seg',
  },
  long: {
    title: 'long, low bitrate',
    mp4: '`bench/media/long.mp4`: 600 s of the same picture with lighter noise, H.264 High (libx264 veryfast) at 3 Mb/s, GOP 60 with 2 B-frames, + 48 kHz AAC-LC 128 kb/s, moov first',
    seg: 'long-seg',
  },
};

// kind: 'bw' (boxwright), 'peer' (what boxwright is compared with), 'limit' (physical limit), 'base' (node + input).
// target (boxwright rows): speed-up over the fastest of `peers` that the issue asks for, and (alloc) the most time
// relative to the allocate + copy limit.
const MP4_PEERS = ['mp4box-seg', 'mediabunny-mp4'];
const MP4 = [
  { id: 'baseline', label: 'node + input only (no work)', kind: 'base' },
  { id: 'bw-fmp4', label: 'boxwright `createFragmentedMp4`', kind: 'bw', target: { peers: MP4_PEERS, speedup: 3, alloc: 2 } },
  { id: 'bw-streamcopy', label: 'boxwright `streamCopy` mp4 (single buffer)', kind: 'bw', target: { peers: MP4_PEERS, speedup: 2 } },
  { id: 'bw-chunks', label: 'boxwright `streamCopyChunks` mp4 (chunk list)', kind: 'bw', target: { peers: MP4_PEERS, speedup: 5 } },
  { id: 'mp4box-seg', label: 'mp4box.js segmentation → fMP4', kind: 'peer' },
  { id: 'mediabunny-mp4', label: "mediabunny `Conversion` → fMP4 (`fastStart: 'fragmented'`)", kind: 'peer' },
  { id: 'alloc-copy', label: 'limit: allocate n bytes + copy input in', kind: 'limit', alloc: true },
  { id: 'touched-copy', label: 'limit: copy into an already-touched buffer', kind: 'limit' },
];
const TS = [
  { id: 'ts-baseline', label: 'node + input only (no work)', kind: 'base' },
  { id: 'ts-bw-fmp4', label: 'boxwright `createFragmentedMp4(ts)` (whole file)', kind: 'bw', target: { peers: ['ts-muxjs-whole'], speedup: 5 } },
  { id: 'ts-bw-transmux-segs', label: 'boxwright `createTransmuxer`, fed 6 s segments (push + flush each)', kind: 'bw', target: { peers: ['ts-muxjs-segs'], speedup: 3 } },
  { id: 'ts-muxjs-whole', label: 'mux.js `Transmuxer`, whole file (1 push + flush)', kind: 'peer' },
  { id: 'ts-muxjs-segs', label: 'mux.js `Transmuxer`, fed 6 s segments (push + flush each)', kind: 'peer' },
  { id: 'ts-mediabunny', label: "mediabunny `Conversion` TS → fMP4 (`fastStart: 'fragmented'`)", kind: 'peer' },
  { id: 'ts-alloc-copy', label: 'limit: allocate n bytes + copy input in', kind: 'limit', alloc: true },
];

function runCase(id, shape, check, lib) {
  return runCaseProcess(`${here}remux-case.mjs`, [id, '--shape', shape, ...(lib ? ['--lib', lib] : []), ...(check ? ['--check'] : [])], { cwd: root, timeoutMs: TIMEOUT_MS });
}

function measure(c, shape) {
  process.stderr.write(`${shape} ${c.id}: check`);
  const chk = runCase(c.id, shape, true);
  if (chk.error) {
    process.stderr.write(` ${chk.error}\n`);
    return { ...c, error: chk.error };
  }
  const runs = [];
  for (let i = 0; i < RUNS; i++) {
    const r = runCase(c.id, shape, false);
    if (r.error) {
      process.stderr.write(` ${r.error}\n`);
      return { ...c, error: r.error };
    }
    runs.push(r);
    process.stderr.write(` ${r.ms.toFixed(0)}ms`);
  }
  process.stderr.write('\n');
  return {
    ...c,
    inBytes: chk.inBytes,
    outBytes: chk.outBytes,
    ms: median(runs.map((r) => r.ms)),
    rss: median(runs.map((r) => r.maxRssMB)),
    inPackets: chk.inPackets,
    outPackets: chk.outPackets,
  };
}

const ratio = (x) => `${x.toFixed(2)}×`;

function table(rows) {
  const byId = new Map(rows.map((r) => [r.id, r]));
  const ok = (r) => r && !r.error;
  const peers = rows.filter((r) => r.kind === 'peer' && ok(r));
  const fastestPeer = peers.length ? Math.min(...peers.map((r) => r.ms)) : NaN;
  const alloc = rows.find((r) => r.alloc && ok(r));
  // Samples of the input (from any boxwright row's check): the per-sample cost column.
  const samples = rows.find((r) => r.inPackets)?.inPackets;
  const out = [
    '| case | median ms | MB/s | µs / sample | peak RSS MB | speed vs fastest peer | time / alloc+copy | target | output bytes | packets |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- | ---: | --- |',
  ];
  for (const r of rows) {
    if (r.error) {
      out.push(`| ${r.label} | ${r.error} | | | | | | | | |`);
      continue;
    }
    const work = r.kind !== 'base';
    const mbs = work ? (r.inBytes / 1e6 / (r.ms / 1000)).toFixed(0) : '';
    const perSample = work && samples ? ((r.ms * 1000) / samples).toFixed(2) : '';
    const vs = work && Number.isFinite(fastestPeer) ? ratio(fastestPeer / r.ms) : ''; // > 1 = faster than the fastest peer
    const vsAlloc = work && alloc ? ratio(r.ms / alloc.ms) : ''; // < 1 = faster than allocating + copying its input
    const target = [];
    if (r.target) {
      const ref = r.target.peers.map((id) => byId.get(id)).filter(ok);
      if (ref.length) {
        const best = ref.reduce((a, b) => (a.ms <= b.ms ? a : b));
        const speedup = best.ms / r.ms;
        const whom = r.target.peers.length > 1 ? 'the faster peer' : best.id.replace(/^ts-/, '');
        target.push(`${ratio(speedup)} the speed of ${whom} (≥ ${r.target.speedup}×) ${speedup >= r.target.speedup ? 'met' : '**missed**'}`);
      } else target.push('peer failed');
      if (r.target.alloc !== undefined && alloc) {
        const x = r.ms / alloc.ms;
        target.push(`${ratio(x)} the allocate + copy time (≤ ${r.target.alloc}×) ${x <= r.target.alloc ? 'met' : '**missed**'}`);
      }
    }
    let pk = '';
    if (r.outPackets !== undefined) {
      const d = r.outPackets - r.inPackets;
      pk = d === 0 ? `keeps every packet (${r.outPackets})` : `${r.outPackets} of ${r.inPackets} (${d > 0 ? '+' : ''}${d})`;
    }
    out.push(
      `| ${r.label} | ${work ? r.ms.toFixed(0) : ''} | ${mbs} | ${perSample} | ${r.rss.toFixed(0)} | ${vs} | ${vsAlloc} | ${target.join('; ')} | ${work ? r.outBytes : ''} | ${pk} |`,
    );
  }
  return out.join('\n');
}

const selected = (list) => list.filter((c) => !only.length || only.includes(c.id));
const machine = machineLine();

if (compareDir !== undefined) {
  compare();
} else {
  measureAll();
}

/** --compare: boxwright's cases for this build and DIR's, interleaved, with each case's change. */
function compare() {
  const cases = [...MP4, ...TS].filter((c) => c.kind === 'bw' && (!only.length || only.includes(c.id)));
  const builds = [
    { name: 'base', lib: compareDir },
    { name: 'this', lib: root },
  ];
  const lines = [
    `Before/after: base = ${compareDir}, this = ${root} (${RUNS} interleaved runs each, median; ${machine})`,
    '',
    '| shape | case | base ms | this ms | change | fastest run: base / this ms | change | base RSS MB | this RSS MB | packets (base / this) | verdict |',
    '| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- |',
  ];
  let slower = 0;
  for (const shape of SHAPES) {
    for (const c of cases) {
      process.stderr.write(`${shape} ${c.id}: check`);
      const checks = builds.map((b) => runCase(c.id, shape, true, b.lib));
      const failed = checks.find((k) => k.error);
      if (failed) {
        process.stderr.write(` ${failed.error}\n`);
        lines.push(`| ${shape} | ${c.label} | ${checks[0].error ?? ''} | ${checks[1].error ?? ''} | | | | | | | |`);
        continue;
      }
      const runs = builds.map(() => []);
      let error;
      for (let i = 0; i < RUNS && !error; i++) {
        // Alternate which build goes first, so that drift in the machine's load falls on both.
        const order = i % 2 === 0 ? [0, 1] : [1, 0];
        for (const b of order) {
          const r = runCase(c.id, shape, false, builds[b].lib);
          if (r.error) error = r.error;
          else runs[b].push(r);
          process.stderr.write(` ${builds[b].name} ${r.error ? 'failed' : `${r.ms.toFixed(0)}ms`}`);
        }
      }
      process.stderr.write('\n');
      if (error) {
        lines.push(`| ${shape} | ${c.label} | ${error} | | | | | | | | |`);
        continue;
      }
      const [base, now] = runs.map((rs) => ({
        ms: median(rs.map((r) => r.ms)),
        min: Math.min(...rs.map((r) => r.ms)),
        rss: median(rs.map((r) => r.maxRssMB)),
      }));
      // Load on a shared machine only ever adds time, so the fastest runs are compared too; a case counts as slower
      // when both its median and its fastest run are more than 5 % slower.
      const change = now.ms / base.ms - 1;
      const minChange = now.min / base.min - 1;
      const pct = (x) => `${x >= 0 ? '+' : ''}${(x * 100).toFixed(1)} %`;
      const isSlower = change > SLOWER_LIMIT && minChange > SLOWER_LIMIT;
      const verdict = isSlower
        ? `**${(Math.min(change, minChange) * 100).toFixed(1)} % slower**`
        : change < -SLOWER_LIMIT && minChange < -SLOWER_LIMIT
          ? 'faster'
          : 'not more than 5 % slower';
      if (isSlower) slower++;
      const pk = checks.map((k) => (k.outPackets === k.inPackets ? `${k.outPackets} ✓` : `${k.outPackets} of ${k.inPackets}`)).join(' / ');
      lines.push(
        `| ${shape} | ${c.label} | ${base.ms.toFixed(0)} | ${now.ms.toFixed(0)} | ${pct(change)} | ${base.min.toFixed(0)} / ${now.min.toFixed(0)} | ${pct(minChange)} | ${base.rss.toFixed(0)} | ${now.rss.toFixed(0)} | ${pk} | ${verdict} |`,
      );
    }
  }
  lines.push('', slower === 0 ? 'No case more than 5 % slower.' : `${slower} case(s) more than 5 % slower (rerun to rule out noise).`);
  console.log(lines.join('\n'));
}

function measureAll() {
  const results = { mp4: {}, ts: {} };
  for (const shape of SHAPES) {
    results.mp4[shape] = selected(MP4).map((c) => measure(c, shape));
    results.ts[shape] = selected(TS).map((c) => measure(c, shape));
  }
  const pkg = (n) => {
    try {
      return JSON.parse(readFileSync(`${root}node_modules/${n}/package.json`, 'utf8')).version;
    } catch {
      return '?';
    }
  };
  const inBytes = (rows) => rows.find((r) => r.inBytes)?.inBytes;
  const samples = (rows) => rows.find((r) => r.inPackets)?.inPackets;
  const nSegs = (shape) => readdirSync(`${here}media/${SHAPE_TEXT[shape].seg}`).filter((n) => n.endsWith('.ts')).length;
  const shapeTables = (kind, file) =>
    SHAPES.map((shape) => {
      const rows = results[kind][shape];
      return `### ${SHAPE_TEXT[shape].title}: \`${shape}.${file}\` (${inBytes(rows)} bytes, ${samples(rows) ?? '?'} samples)\n\n${table(rows)}\n`;
    }).join('\n');

  const mp4Section = `## Remux (\`node bench/remux.mjs\`)

Inputs (\`sh bench/make-media.sh\`), two shapes: ${SHAPES.map((s) => `**${SHAPE_TEXT[s].title}**, ${SHAPE_TEXT[s].mp4}`).join('; ')}.
Each case runs in a fresh node process, ${RUNS} runs, median shown. Time excludes reading the file; MB/s = input bytes / time;
µs / sample = time / the input's sample count (what the long shape stresses); peak RSS is the child's \`maxRSS\` and
includes node and the input buffer (the "node + input only" row); time / alloc+copy = time relative to allocating a
buffer of the input's size and copying the input into it. Packets: \`probeMedia(output, { packets: true }).packets.length\`
against the input's. ${machine}

- boxwright: \`createFragmentedMp4(data)\` (one moof+mdat per GOP, \`.data\` is one buffer); \`streamCopy(data, { format: 'mp4' })\`
  (one buffer, moov first); \`streamCopyChunks(data, { format: 'mp4' })\` (chunk list, payloads are views of the input).
  Targets: \`createFragmentedMp4\` ≥ 3× the faster peer and ≤ 2× the allocate + copy time on both shapes; \`streamCopy\` ≥ 2×,
  \`streamCopyChunks\` ≥ 5× the faster peer.
- mp4box.js ${pkg('mp4box')}: \`createFile()\`, in \`onReady\` \`setSegmentOptions(trackId, null, { nbSamples: 60, rapAlignement: true })\` for
  every track (60 = frames per GOP; mp4box 2.x's combined segmentation refuses different nbSamples per track, so audio
  segments are 60 AAC frames too), \`initializeSegmentation()\`, \`start()\`, one \`appendBuffer\` of the whole file + \`flush()\`;
  output = init + every \`onSegment\` buffer (one moof+mdat per track per segment), \`releaseUsedSamples(id, nextSample)\` after each.
- mediabunny ${pkg('mediabunny')}: \`Conversion.init({ input: new Input({ source: new BufferSource(data), formats: ALL_FORMATS }),
  output: new Output({ format: new Mp4OutputFormat({ fastStart: 'fragmented' }), target: new BufferTarget() }) })\` then
  \`execute()\` — packets are copied, not re-encoded; default 1 s minimum fragment duration (so one fragment per 2 s GOP).
- limits: \`new Uint8Array(n)\` + \`set(input)\` (n = input size; allocation + first touch of every page), and the same
  \`set\` into a buffer that was allocated and filled beforehand (untimed) — memory bandwidth alone.

${shapeTables('mp4', 'mp4')}`;

  const tsSection = `## TS → fMP4 (\`node bench/remux.mjs\`)

Inputs: ${SHAPES.map((s) => `\`bench/media/${s}.ts\` (the streams of ${s}.mp4, \`ffmpeg -c copy -f mpegts\`) and its ~6 s segments \`bench/media/${SHAPE_TEXT[s].seg}/seg*.ts\` (${nSegs(s)} files)`).join('; ')}
(\`-f segment -segment_time 6 -c copy\`), read before timing. Same method and machine as above. The issue's targets: whole
file ≥ 5× mux.js, 6 s segments ≥ 3× mux.js (issue 15), peak RSS ≤ input + output + 64 MB; mux.js times vary by ±20 % between runs
here, so the ratio does too.

- boxwright: \`createFragmentedMp4(ts)\` on the whole file; \`createTransmuxer({ onInit, onFragment })\` fed the segments
  \`push\` + \`flush()\` each (as mux.js below), output = every onInit/onFragment buffer.
- mux.js ${pkg('mux.js')}: \`new (require('mux.js').mp4.Transmuxer)()\` (defaults: remux on — audio and video in one segment,
  timestamps rebased), collecting \`initSegment\` (first) + \`data\` of each 'data' event; whole file = one \`push\` + \`flush()\`;
  segments = \`push(seg)\` + \`flush()\` per segment, as a segment-at-a-time player does.
- mediabunny ${pkg('mediabunny')} reads MPEG-TS (\`MPEG_TS\` in \`ALL_FORMATS\`): the same \`Conversion\` to \`Mp4OutputFormat({ fastStart: 'fragmented' })\`
  + \`BufferTarget\` as above, whole file.
- limit: allocate n bytes + copy the TS input in (n = its size).

${shapeTables('ts', 'ts')}`;

  console.log(`\n${mp4Section}\n${tsSection}`);

  if (writeDoc && !only.length && SHAPES.length === 2) {
    const path = `${root}docs/performance.md`;
    let doc = readFileSync(path, 'utf8');
    for (const [heading, text] of [
      ['## Remux (`node bench/remux.mjs`)', mp4Section],
      ['## TS → fMP4 (`node bench/remux.mjs`)', tsSection],
    ]) {
      const at = doc.indexOf(heading);
      if (at < 0) {
        doc = `${doc.trimEnd()}\n\n${text}`;
      } else {
        const next = doc.indexOf('\n## ', at + heading.length);
        doc = `${doc.slice(0, at)}${text}${next < 0 ? '' : `\n${doc.slice(next + 1)}`}`;
      }
    }
    writeFileSync(path, doc.endsWith('\n') ? doc : `${doc}\n`);
    console.error(`wrote ${path}`);
  }
}
