/**
 * The package as a consumer gets it: `npm pack` the built package, install the tarball offline into a fresh project
 * under the OS temp folder, then
 * - every symbol the README documents (its ```ts import lines and the API table) and every export of src/index.ts
 *   loads from an ES module (`import { … } from 'boxwright'`) and from CommonJS (`require('boxwright')`), and so does
 *   the `./cli` export; the transmuxer runs through both;
 * - the README's ```ts examples, and the examples in docs/ (```ts blocks that import 'boxwright'; the others show
 *   type shapes), run as written against the committed samples (those that need no browser), and what their
 *   comments say is printed is printed;
 * - a strict TypeScript consumer type-checks with the repository's own TypeScript under `module` `node16` and
 *   `nodenext`, as an ES module (`import { … } from 'boxwright'`, plus every README example) and as CommonJS
 *   (`import bw = require('boxwright')`);
 * - the installed `boxwright` bin runs.
 * test/helpers/consumer.ts makes the project; test/consumer/examples.test.ts runs examples/ in it.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as ts from 'typescript';
import { installConsumer, removeConsumer } from '../helpers/consumer.js';
import { REPO } from '../helpers/samples.js';

const README = readFileSync(join(REPO, 'README.md'), 'utf8');

/** The ```ts code blocks of the README, in order. */
const blocks = [...README.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]!);

/** The examples in docs/: ```ts blocks that import from 'boxwright' (the other ```ts blocks there show type shapes). */
const docBlocks = readdirSync(join(REPO, 'docs'))
  .filter((f) => f.endsWith('.md'))
  .sort()
  .flatMap((f) =>
    [...readFileSync(join(REPO, 'docs', f), 'utf8').matchAll(/```ts\n([\s\S]*?)```/g)]
      .map((m) => m[1]!)
      .filter((b) => /from 'boxwright'/.test(b))
      .map((code) => ({ doc: f, code })),
  );

/** Names imported from `pkg` in the README's examples: values and (`type X`) types. */
function readmeImports(pkg: string): { values: string[]; types: string[] } {
  const values = new Set<string>();
  const types = new Set<string>();
  for (const block of [...blocks, ...docBlocks.map((d) => d.code)]) {
    for (const m of block.matchAll(/import\s*(type\s+)?\{([^}]*)\}\s*from\s*'([^']+)'/g)) {
      if (m[3] !== pkg) continue;
      for (const spec of m[2]!.split(',').map((s) => s.trim()).filter(Boolean)) {
        const isType = m[1] !== undefined || spec.startsWith('type ');
        const name = spec.replace(/^type\s+/, '').split(/\s+as\s+/)[0]!.trim();
        (isType ? types : values).add(name);
      }
    }
  }
  return { values: [...values], types: [...types] };
}

/** The names in the first column of the README's API table (`probeMedia(data, …)`, `findBox(…)` / `findBoxes(…)`). */
function readmeTableNames(): string[] {
  const api = README.slice(README.indexOf('## API'), README.indexOf('\n## ', README.indexOf('## API') + 1));
  const names: string[] = [];
  for (const line of api.split('\n')) {
    const cell = /^\|([^|]*)\|/.exec(line)?.[1];
    if (cell === undefined) continue;
    for (const m of cell.matchAll(/`([A-Za-z_$][\w$]*)/g)) names.push(m[1]!);
  }
  return names;
}

/** The exports of src/index.ts: `export { … }` (values) and `export type { … }` (types). */
function indexExports(): { values: string[]; types: string[] } {
  const src = readFileSync(join(REPO, 'src/index.ts'), 'utf8');
  const values: string[] = [];
  const types: string[] = [];
  for (const m of src.matchAll(/export\s+(type\s+)?\{([^}]*)\}/g)) {
    const names = m[2]!.split(',').map((s) => s.trim().split(/\s+as\s+/).pop()!.trim()).filter(Boolean);
    (m[1] ? types : values).push(...names);
  }
  return { values, types };
}

const readme = readmeImports('boxwright');
const readmeCli = readmeImports('boxwright/cli');
const exported = indexExports();
/** Every runtime value a consumer is promised: the README's and src/index.ts's. */
const VALUES = [...new Set([...readme.values, ...readmeTableNames(), ...exported.values])].sort();
const TYPES = [...new Set([...readme.types, ...exported.types])].sort();
const CLI_VALUES = [...new Set(['runCli', ...readmeCli.values])].sort();
/** README examples that only run in a browser (type-checked, not run). */
const BROWSER_ONLY = /\b(document|window|MediaSource|fetch)\b/;

let tmp = '';
let consumer = '';

beforeAll(() => {
  ({ tmp, consumer } = installConsumer());
}, 180_000);

afterAll(() => removeConsumer(tmp));

test('the README documents the transmuxer and the API table is not empty', () => {
  expect(VALUES).toEqual(expect.arrayContaining(['createTransmuxer', 'createTransmuxStream', 'probeMedia', 'createFragmentedMp4', 'streamCopy']));
  expect(readmeTableNames().length).toBeGreaterThanOrEqual(10);
});

/** Checks each name is defined and runs the transmuxer on samples/h264-aac.ts (whole, and as a TransformStream). */
const CHECK_BODY = `
const missing = VALUES.filter((n) => bw[n] === undefined);
const missingCli = CLI_VALUES.filter((n) => cli[n] === undefined);
const ts = readFileSync(SAMPLE);
const parts = [];
const tm = bw.createTransmuxer({ onInit: (b, info) => parts.push(['init', b.length, info.mimeType]), onFragment: (b, info) => parts.push(['fragment', b.length, info.durationSec > 0]) });
for (let i = 0; i < ts.length; i += 65536) tm.push(ts.subarray(i, i + 65536));
tm.flush();
const streamed = [];
const reader = new Blob([ts]).stream().pipeThrough(bw.createTransmuxStream()).getReader();
for (let r = await reader.read(); !r.done; r = await reader.read()) streamed.push(r.value.length);
let error = '';
try { bw.readBoxes(ts.subarray(0, 10), { strict: true }); } catch (e) { error = e instanceof bw.BoxwrightError ? e.code : 'not a BoxwrightError'; }
console.log(JSON.stringify({ missing, missingCli, parts, streamed, error }));
`;

function checkScript(kind: 'esm' | 'cjs'): string {
  const consts = `const VALUES = ${JSON.stringify(VALUES)};\nconst CLI_VALUES = ${JSON.stringify(CLI_VALUES)};\nconst SAMPLE = ${JSON.stringify(join(REPO, 'samples/h264-aac.ts'))};\n`;
  if (kind === 'esm') {
    return (
      `import { ${VALUES.join(', ')} } from 'boxwright';\n` + // a missing named export fails at link time
      `import * as bw from 'boxwright';\nimport * as cli from 'boxwright/cli';\nimport { readFileSync } from 'node:fs';\n` +
      `void [${VALUES.join(', ')}];\n` +
      consts +
      CHECK_BODY
    );
  }
  // CommonJS: require the package; `boxwright/cli` is an ES module export, loaded with import().
  return (
    `const bw = require('boxwright');\nconst { readFileSync } = require('node:fs');\n` +
    consts +
    `(async () => {\nconst cli = await import('boxwright/cli');\n${CHECK_BODY}\n})().catch((e) => { console.error(e); process.exit(1); });\n`
  );
}

test.each(['esm', 'cjs'] as const)('every documented and exported value loads and the transmuxer runs (%s)', (kind) => {
  const file = join(consumer, kind, kind === 'esm' ? 'check.mjs' : 'check.cjs');
  writeFileSync(file, checkScript(kind));
  const r = spawnSync(process.execPath, [file], { cwd: consumer, encoding: 'utf8' });
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  const out = JSON.parse(r.stdout) as { missing: string[]; missingCli: string[]; parts: Array<[string, number, unknown]>; streamed: number[]; error: string };
  expect(out.missing).toEqual([]);
  expect(out.missingCli).toEqual([]);
  expect(out.parts[0]).toEqual(['init', expect.any(Number), 'video/mp4; codecs="avc1.64000a, mp4a.40.2"']);
  expect(out.parts.filter((p) => p[0] === 'fragment').length).toBeGreaterThan(0);
  expect(out.parts.every((p) => p[0] === 'init' || p[2] === true)).toBe(true);
  expect(out.streamed).toEqual(out.parts.map((p) => p[1]));
  expect(out.error).toBe('TRUNCATED');
});

/** What a README comment says a console.log prints: `// 'a' 'b'` → the line `a b`; `// { k: v, … }` → each `k: v`. */
function promisedOutput(block: string): string[] {
  const promises: string[] = [];
  for (const line of block.split('\n')) {
    const m = /console\.log\(.*\);\s*\/\/\s*(.*)$/.exec(line);
    if (!m) continue;
    const comment = m[1]!.trim();
    if (/^('[^']*'\s*)+$/.test(comment)) promises.push([...comment.matchAll(/'([^']*)'/g)].map((q) => q[1]).join(' '));
    else if (comment.startsWith('{')) {
      for (const kv of comment.matchAll(/(\w+): ('[^']*'|[\w.-]+)/g)) promises.push(`${kv[1]}: ${kv[2]}`);
    }
  }
  return promises;
}

/** Runs an example (TypeScript, transpiled) as an ES module in the consumer project; checks its promised output. */
function runExample(name: string, block: string): void {
  const js = ts.transpileModule(block, { compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 } }).outputText;
  const file = join(consumer, 'esm', `${name}.mjs`);
  writeFileSync(file, js);
  const r = spawnSync(process.execPath, [file], { cwd: consumer, encoding: 'utf8' });
  expect({ example: name, stderr: r.stderr, status: r.status }).toEqual({ example: name, stderr: '', status: 0 });
  for (const p of promisedOutput(block)) expect(r.stdout).toContain(p);
}

test('the README examples run as written against the committed samples', () => {
  const runnable = blocks.filter((b) => !BROWSER_ONLY.test(b));
  expect(runnable.length).toBeGreaterThanOrEqual(2);
  runnable.forEach((block, i) => runExample(`readme-run-${i}`, block));
  // The main example's promises are checked (so the parsing above found them).
  expect(promisedOutput(blocks[0]!)).toEqual(expect.arrayContaining(['h264 avc1.64000a', 'timescale: 12288']));
});

test('the examples in docs/ run as written against the committed samples', () => {
  expect(docBlocks.map((d) => d.doc)).toEqual(expect.arrayContaining(['errors.md', 'loudness.md', 'transmuxer.md']));
  docBlocks.forEach(({ doc, code }, i) => {
    if (!BROWSER_ONLY.test(code)) runExample(`docs-run-${i}-${doc.replace(/\.md$/, '')}`, code);
  });
});

/** A strict consumer using the types: the transmuxer's callbacks and info, errors, and every export by name. */
function esmConsumer(): string {
  return `import { ${VALUES.join(', ')} } from 'boxwright';
import type { ${TYPES.join(', ')} } from 'boxwright';
import { runCli } from 'boxwright/cli';

const callbacks: TransmuxerCallbacks = {
  onInit(init: Uint8Array, info: InitInfo) { const codecs: string[] = info.codecs; void [init, codecs, info.mimeType.length]; },
  onFragment(fragment: Uint8Array, info: FragmentInfo) { const t: number = info.startSec + info.durationSec; void [fragment, t]; },
};
const tm: Transmuxer = createTransmuxer(callbacks);
tm.push(new Uint8Array(188));
tm.flush();
const stream: TransformStream<Uint8Array, Uint8Array> = createTransmuxStream();
export function firstCode(data: Uint8Array): ErrorCode | undefined {
  try {
    const f: FragmentedMp4 = createFragmentedMp4(data, { fragmentDurationSec: 2 });
    const fmt: StreamCopyFormat = 'ts';
    const copied: Uint8Array = streamCopy(f.data, { format: fmt, map: 'all' });
    const report: ProbeReport = probeMedia(copied, { packets: true });
    return report.streams.length > 0 ? undefined : 'INTERNAL';
  } catch (e) {
    if (isBoxwrightError(e)) return e.code;
    if (e instanceof BoxwrightError) return e.code;
    throw e;
  }
}
const exitCode: number = runCli(['--help']);
export const values = [${VALUES.join(', ')}, stream, exitCode];
`;
}

function cjsConsumer(): string {
  return `import bw = require('boxwright');
${TYPES.map((t) => `export type ${t}_ = bw.${t};`).join('\n')}

const callbacks: bw.TransmuxerCallbacks = {
  onInit(init: Uint8Array, info: bw.InitInfo) { const codecs: string[] = info.codecs; void [init, codecs, info.mimeType.length]; },
  onFragment(fragment: Uint8Array, info: bw.FragmentInfo) { const t: number = info.startSec + info.durationSec; void [fragment, t]; },
};
const tm: bw.Transmuxer = bw.createTransmuxer(callbacks);
tm.push(new Uint8Array(188));
tm.flush();
const stream: TransformStream<Uint8Array, Uint8Array> = bw.createTransmuxStream();
export function firstCode(data: Uint8Array): bw.ErrorCode | undefined {
  try {
    const f: bw.FragmentedMp4 = bw.createFragmentedMp4(data, { fragmentDurationSec: 2 });
    const fmt: bw.StreamCopyFormat = 'ts';
    const copied: Uint8Array = bw.streamCopy(f.data, { format: fmt, map: 'all' });
    const report: bw.ProbeReport = bw.probeMedia(copied, { packets: true });
    return report.streams.length > 0 ? undefined : 'INTERNAL';
  } catch (e) {
    if (bw.isBoxwrightError(e)) return e.code;
    if (e instanceof bw.BoxwrightError) return e.code;
    throw e;
  }
}
export const values = [${VALUES.map((v) => `bw.${v}`).join(', ')}, stream];
`;
}

const MODES = [
  ['esm', 'node16'],
  ['esm', 'nodenext'],
  ['cjs', 'node16'],
  ['cjs', 'nodenext'],
] as const;

/** Parsed lib and node_modules declaration files, shared by the four type checks (parsing them is most of the cost). */
const sourceFiles = new Map<string, ts.SourceFile | undefined>();

/**
 * Type-checks a project with the repository's own TypeScript, in process so that the four programs share the parsed
 * declaration files (one `tsc -p` each took 10–15 s here). The same as `node node_modules/typescript/bin/tsc -p FILE`
 * on the tsconfig written next to the consumer. Returns tsc's formatted diagnostics ('' when clean).
 */
function typeCheck(configPath: string): string {
  const parsed = ts.getParsedCommandLineOfConfigFile(configPath, {}, {
    ...ts.sys,
    onUnRecoverableConfigFileDiagnostic: (d) => {
      throw new Error(ts.flattenDiagnosticMessageText(d.messageText, '\n'));
    },
  });
  if (!parsed) throw new Error(`cannot read ${configPath}`);
  const host = ts.createCompilerHost(parsed.options);
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (fileName, languageVersion, onError, shouldCreate) => {
    if (!fileName.includes('/node_modules/')) return getSourceFile(fileName, languageVersion, onError, shouldCreate);
    // A declaration file parses the same in every program with the same target and module format.
    const key = `${fileName}|${typeof languageVersion === 'object' ? `${languageVersion.languageVersion}/${String(languageVersion.impliedNodeFormat)}` : languageVersion}`;
    if (!sourceFiles.has(key)) sourceFiles.set(key, getSourceFile(fileName, languageVersion, onError, shouldCreate));
    return sourceFiles.get(key);
  };
  const program = ts.createProgram({ rootNames: parsed.fileNames, options: parsed.options, host });
  const diagnostics = [...parsed.errors, ...ts.getPreEmitDiagnostics(program)];
  return ts.formatDiagnostics(diagnostics, { getCanonicalFileName: (f) => f, getCurrentDirectory: () => consumer, getNewLine: () => '\n' });
}

test.each(MODES)('a strict TypeScript %s consumer type-checks under module %s', (kind, mode) => {
  const dir = join(consumer, kind);
  const files = [`consumer.ts`];
  writeFileSync(join(dir, 'consumer.ts'), kind === 'esm' ? esmConsumer() : cjsConsumer());
  if (kind === 'esm') {
    blocks.forEach((b, i) => {
      writeFileSync(join(dir, `readme-${i}.ts`), b);
      files.push(`readme-${i}.ts`);
    });
    docBlocks.forEach((d, i) => {
      writeFileSync(join(dir, `docs-${i}.ts`), d.code);
      files.push(`docs-${i}.ts`);
    });
  }
  const config = {
    compilerOptions: {
      strict: true,
      module: mode,
      moduleResolution: mode,
      target: 'ES2022',
      lib: ['ES2022', 'DOM'],
      types: ['node'],
      noEmit: true,
      // Our .d.ts files (and @types/node) are checked; TypeScript's own lib files are not (12 s a run, and not ours).
      skipLibCheck: false,
      skipDefaultLibCheck: true,
    },
    files,
  };
  const configPath = join(dir, `tsconfig.${mode}.json`);
  writeFileSync(configPath, JSON.stringify(config, null, 2));
  expect(typeCheck(configPath)).toBe('');
});

test('the installed bin runs (npx boxwright probe …, as the README says)', () => {
  const r = spawnSync(join(consumer, 'node_modules/.bin/boxwright'), ['probe', 'samples/h264-aac.mp4'], { cwd: consumer, encoding: 'utf8' });
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  const report = JSON.parse(r.stdout) as { streams: Array<{ codec_name: string }> };
  expect(report.streams.map((s) => s.codec_name)).toEqual(['h264', 'aac']);
});
