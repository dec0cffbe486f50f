/**
 * Every public entry point as a named fuzz target, with the contract each call is held to. Shared by the jest
 * fuzz tests (test/fuzz/*.test.ts), the long runner (scripts/fuzz-long.mjs) and Jazzer.js (test/fuzz/jazzer/).
 *
 * Contract for any input: the call returns, or throws a BoxwrightError whose code is not INTERNAL and whose
 * offset is a finite number ≥ 0; its CPU time stays under a budget (a base plus a per-megabyte share); measured
 * with `global.gc` (node --expose-gc), what it keeps is at most 8 × the input + 4 MB and what it allocates on
 * the way at most 32 × the input + 64 MB.
 */
import { boxesToJson, dumpBoxes, findBox, readBoxes, writeBoxes, type Box } from '../../src/api/boxes.js';
import { probeMedia } from '../../src/api/probe.js';
import { analyzeGop } from '../../src/api/gop.js';
import { detectVfrCfr } from '../../src/api/vfr.js';
import { createFragmentedMp4, streamCopy, streamCopyChunks, STREAM_COPY_FORMATS, type StreamCopyFormat } from '../../src/api/remux.js';
import { BoxwrightError } from '../../src/io/errors.js';
import { createTransmuxer, createTransmuxStream, type TransmuxGopInfo } from '../../src/transmux/index.js';
import { packageDash } from '../../src/api/dash.js';
import { packageHls } from '../../src/api/hls.js';
import { packageStreams } from '../../src/api/streams.js';
import { analyzeLoudness, loudnessReportToJson } from '../../src/api/loudness.js';
import { demuxMedia } from '../../src/api/packets.js';
import { prng } from './mutate.js';

export { prng };

/** What a target gives back, in a form two runs can be compared by (bytes, text, or a list of byte chunks). */
export type Output = Uint8Array | string | Uint8Array[];

export interface FuzzTarget {
  name: string;
  /** Runs the entry point on `data`; `rnd` drives any choice the target makes (chunking). */
  run(data: Uint8Array, rnd: () => number): Output | Promise<Output>;
  /** CPU budget: this many ms plus `msPerMB` per megabyte of input. */
  baseMs: number;
}

/**
 * Chunks for a push API: small and odd, single bytes, or one large chunk, at random. Tiny chunks are used over the
 * first 16 KiB only and at most 256 chunks after that, so a call costs what the bytes cost, not the chunk count.
 */
export function randomChunks(data: Uint8Array, rnd: () => number): Uint8Array[] {
  const out: Uint8Array[] = [];
  const style = rnd();
  const floor = Math.ceil(data.length / 256);
  for (let at = 0; at < data.length; ) {
    let n = style < 0.2 ? data.length : style < 0.3 ? 1 + Math.floor(rnd() * 7) : 1 + Math.floor(rnd() * (rnd() < 0.5 ? 400 : 40_000));
    if (at >= 16_384) n = Math.max(n, floor);
    out.push(data.subarray(at, Math.min(data.length, at + n)));
    at += n;
  }
  return out;
}

const FIND_PATHS = ['moov/trak/mdia/minf/stbl/stsd', 'moov/trak[1]/tkhd', 'moof/traf/trun', 'moov/mvex/trex', 'meta/ilst'];

/** Box types, offsets and sizes of a tree, one line per box (comparable text of `readBoxes`). */
function outline(boxes: readonly Box[] | undefined, depth = 0): string {
  let s = '';
  for (const b of boxes ?? []) {
    s += `${' '.repeat(depth)}${b.type} ${b.offset ?? '-'} ${b.size ?? '-'}${b.error ? ` error=${b.error.code ?? ''}` : ''}\n`;
    s += outline(b.children, depth + 1);
  }
  return s;
}

function transmuxPush(data: Uint8Array, rnd: () => number): Uint8Array[] {
  const out: Uint8Array[] = [];
  const tm = createTransmuxer({ onInit: (b) => out.push(b.slice()), onFragment: (b) => out.push(b.slice()) });
  for (const c of randomChunks(data, rnd)) tm.push(c);
  tm.flush();
  return out;
}

/**
 * The transmuxer with every option a player uses: separate outputs, captions, ID3 metadata as events and emsg, and
 * segment ends, discontinuities and seeks between chunks (chosen by `rnd`, so a run can be repeated).
 */
function transmuxEvents(data: Uint8Array, rnd: () => number): Uint8Array[] {
  const out: Uint8Array[] = [];
  const text = (v: unknown): void => void out.push(new TextEncoder().encode(JSON.stringify(v, (_k, x: unknown) => (x instanceof Uint8Array ? x.length : x))));
  // GOP alignment (decided without drawing from `rnd`, so the chunking of recorded cases stays as it was): after each
  // segment, the next is aligned with the GOPs just reported and one 2 s after the last — some GOPs dropped, or all.
  let gops: TransmuxGopInfo[] = [];
  const tm = createTransmuxer({
    remux: false,
    emsg: true,
    alignGopsAt: data.length % 2 === 0 ? 'start' : 'end',
    onInit: (b, i) => (out.push(b.slice()), text(i)),
    onFragment: (b, i) => (out.push(b.slice()), text(i)),
    onCaptions: (c) => text(c),
    onMetadata: (m) => text(m),
    onGopInfo: (g) => (text(g), (gops = g)),
  });
  const align = (): void => tm.alignGopsWith(gops.length > 0 ? [...gops, { pts: gops[gops.length - 1]!.pts + 180_000 }] : []);
  for (const c of randomChunks(data, rnd)) {
    tm.push(c);
    const r = rnd();
    if (r < 0.05) (tm.flush(), align());
    else if (r < 0.08) (tm.endTimeline(), align());
    else if (r < 0.1) tm.reset({ baseMediaDecodeTime: Math.floor(rnd() * 900000) });
  }
  tm.flush();
  return out;
}

async function transmuxStream(data: Uint8Array, rnd: () => number): Promise<Uint8Array[]> {
  const ts = createTransmuxStream();
  const writer = ts.writable.getWriter();
  const reader = ts.readable.getReader();
  const out: Uint8Array[] = [];
  const reading = (async () => {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      out.push(value.slice());
    }
  })();
  // Both sides see the same error; keep the reader's from becoming an unhandled rejection.
  const readFailure = reading.then(
    () => undefined,
    (e: unknown) => ({ e }),
  );
  for (const c of randomChunks(data, rnd)) await writer.write(c);
  await writer.close();
  const f = await readFailure;
  if (f) throw f.e;
  return out;
}

/**
 * demuxMedia with every packet of every track read: a summary line (tracks, configurations, a checksum of the
 * packet times) followed by each description and packet as returned, so views must stay inside the input.
 * Times that are not finite or packets whose size is not their data's are reported as a broken contract.
 */
function packetsTarget(data: Uint8Array): Uint8Array[] {
  const media = demuxMedia(data);
  const out: Uint8Array[] = [];
  const summary: unknown[] = [media.format, media.startUs];
  for (const t of media.tracks) {
    let sum = 0;
    for (const p of t.packets()) {
      for (const v of [p.dts, p.pts, p.duration, p.timestamp, p.durationUs]) {
        if (!Number.isFinite(v)) throw new Error(`track ${t.id} packet ${p.index}: a time is ${v}`);
      }
      sum = (sum * 31 + p.timestamp + p.data.length + (p.key ? 1 : 0)) % 1_000_000_007;
      out.push(p.data);
    }
    const c = t.decoderConfig;
    if (c?.description) out.push(c.description);
    summary.push([t.id, t.kind, t.codec, t.sampleCount, t.durationUs, c ? { ...c, description: c.description?.length } : null, sum]);
  }
  out.unshift(new TextEncoder().encode(JSON.stringify(summary)));
  return out;
}

const copyTarget = (format: StreamCopyFormat, map: 'all' | undefined): FuzzTarget => ({
  name: `streamCopy:${format}${map ? ':all' : ''}`,
  run: (d) => streamCopy(d, map ? { format, map } : { format }),
  baseMs: 250,
});

/** Every public entry point. */
export const TARGETS: readonly FuzzTarget[] = [
  { name: 'readBoxes', run: (d) => outline(readBoxes(d).boxes), baseMs: 200 },
  { name: 'writeBoxes', run: (d) => writeBoxes(readBoxes(d)), baseMs: 200 },
  {
    name: 'findBox',
    run: (d) => {
      const tree = readBoxes(d);
      return FIND_PATHS.map((p) => `${p}: ${findBox(tree, p)?.offset ?? '-'}`).join('\n');
    },
    baseMs: 200,
  },
  { name: 'dumpBoxes', run: (d) => dumpBoxes(readBoxes(d)), baseMs: 300 },
  { name: 'boxesToJson', run: (d) => JSON.stringify(boxesToJson(readBoxes(d))), baseMs: 300 },
  { name: 'probeMedia', run: (d) => JSON.stringify(probeMedia(d)), baseMs: 250 },
  { name: 'probeMedia:packets+frames', run: (d) => JSON.stringify(probeMedia(d, { packets: true, frames: true })), baseMs: 1000 },
  { name: 'analyzeGop', run: (d) => JSON.stringify(analyzeGop(d)), baseMs: 300 },
  { name: 'detectVfrCfr', run: (d) => JSON.stringify(detectVfrCfr(d)), baseMs: 250 },
  { name: 'createFragmentedMp4', run: (d) => createFragmentedMp4(d).data, baseMs: 250 },
  { name: 'createFragmentedMp4:1s', run: (d) => createFragmentedMp4(d, { fragmentDurationSec: 1 }).data, baseMs: 250 },
  ...STREAM_COPY_FORMATS.flatMap((f) => [copyTarget(f, undefined), copyTarget(f, 'all')]),
  ...STREAM_COPY_FORMATS.map(
    (format): FuzzTarget => ({ name: `streamCopyChunks:${format}:all`, run: (d) => streamCopyChunks(d, { format, map: 'all' }), baseMs: 250 }),
  ),
  { name: 'createTransmuxer', run: transmuxPush, baseMs: 300 },
  { name: 'createTransmuxer:events', run: transmuxEvents, baseMs: 400 },
  { name: 'createTransmuxStream', run: transmuxStream, baseMs: 400 },
  { name: 'packageHls', run: (d) => packageHls(d, { segmentTime: 1 }).files.map((f) => f.data), baseMs: 400 },
  { name: 'packageHls:ts:singleFile', run: (d) => packageHls(d, { segmentTime: 2, segmentFormat: 'ts', singleFile: true }).files.map((f) => f.data), baseMs: 400 },
  { name: 'packageDash:on-demand', run: (d) => packageDash(d, { segmentTime: 1, profile: 'on-demand' }).segments.map((f) => f.data), baseMs: 400 },
  { name: 'packageStreams', run: (d) => packageStreams(d, { segmentTime: 1 }).files.map((f) => f.data), baseMs: 500 },
  { name: 'demuxMedia', run: packetsTarget, baseMs: 250 },
  { name: 'analyzeLoudness', run: (d) => JSON.stringify(loudnessReportToJson(analyzeLoudness(d))), baseMs: 400 },
];

export const MS_PER_MB = 1500;
const gc = (globalThis as { gc?: () => void }).gc;
export const canMeasureMemory = gc !== undefined;

/** Why an exception breaks the contract, or undefined when it is an acceptable outcome. */
export function errorViolation(e: unknown): string | undefined {
  if (!(e instanceof BoxwrightError)) {
    const err = e as Error | undefined;
    return `${err?.name ?? typeof e}: ${String(err?.stack ?? e).split('\n').slice(0, 4).join(' | ')}`;
  }
  if (e.code === 'INTERNAL') return `INTERNAL: ${e.stack?.split('\n').slice(0, 4).join(' | ')}`;
  if (typeof e.offset !== 'number' || !Number.isFinite(e.offset) || e.offset < 0) return `BoxwrightError with offset ${String(e.offset)}: ${e.message}`;
  return undefined;
}

export interface CallResult {
  target: string;
  /** The output, or the error code when a BoxwrightError was thrown. */
  outcome: { output: Output } | { code: string };
  cpuMs: number;
  /** Bytes kept after the call (with its output) — when memory was measured. */
  retained?: number;
  /** Bytes allocated during the call and not yet collected at its end — when memory was measured. */
  transient?: number;
  /** The contract broken, if it was. */
  violation?: string;
}

const memNow = (): number => {
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
};

/** Runs one target on one input and checks the contract. */
export async function runCall(target: FuzzTarget, data: Uint8Array, seed: number, measureMemory = false): Promise<CallResult> {
  const measure = measureMemory && gc !== undefined;
  let before = 0;
  if (measure) {
    gc!();
    before = memNow();
  }
  // CPU time of this process, not wall time: other processes share the cores; a hang still shows as CPU time.
  const t0 = process.cpuUsage();
  let outcome: CallResult['outcome'];
  let violation: string | undefined;
  try {
    outcome = { output: await target.run(data, prng(seed)) };
  } catch (e) {
    violation = errorViolation(e);
    outcome = { code: e instanceof BoxwrightError ? e.code : 'THROWN' };
  }
  const d = process.cpuUsage(t0);
  let cpuMs = (d.user + d.system) / 1000;
  const budget = target.baseMs + (MS_PER_MB * data.length) / 1e6;
  // Process CPU time includes a major GC of garbage other tests left (its helper threads count too): over budget,
  // measure again and keep the smallest — a slow path or a hang is slow every time, a collection is not.
  for (let again = 0; again < 2 && !violation && cpuMs > budget; again++) {
    const t1 = process.cpuUsage();
    try {
      await target.run(data, prng(seed));
    } catch {
      // The outcome is the first run's; only the time is measured again.
    }
    const d1 = process.cpuUsage(t1);
    cpuMs = Math.min(cpuMs, (d1.user + d1.system) / 1000);
  }
  const result: CallResult = { target: target.name, outcome, cpuMs };
  if (!violation && cpuMs > budget) violation = `took ${cpuMs.toFixed(0)} ms of CPU (budget ${budget.toFixed(0)} ms) for ${data.length} bytes`;
  if (measure) {
    result.transient = memNow() - before;
    gc!();
    result.retained = memNow() - before;
    if (!violation && result.retained > 8 * data.length + 4_000_000) violation = `retained ${result.retained} bytes for a ${data.length}-byte input`;
    if (!violation && result.transient > 32 * data.length + 64_000_000) violation = `allocated ${result.transient} bytes for a ${data.length}-byte input`;
  }
  if (!violation && 'output' in outcome) violation = outsideViolation(outcome.output, data);
  if (violation) result.violation = violation;
  return result;
}

/** Output chunks that are views of the input's buffer must lie inside the input. */
function outsideViolation(output: Output, data: Uint8Array): string | undefined {
  if (!Array.isArray(output)) return undefined;
  for (const c of output) {
    if (c.buffer !== data.buffer) continue;
    if (c.byteOffset < data.byteOffset || c.byteOffset + c.length > data.byteOffset + data.length) {
      return `an output chunk views bytes ${c.byteOffset - data.byteOffset}..${c.byteOffset - data.byteOffset + c.length} of a ${data.length}-byte input`;
    }
  }
  return undefined;
}

/** The outcome as plain data for comparison (chunk lists joined). */
export function comparable(r: CallResult): { bytes: Uint8Array } | { text: string } | { code: string } {
  if (!('output' in r.outcome)) return r.outcome;
  const o = r.outcome.output;
  if (typeof o === 'string') return { text: o };
  if (o instanceof Uint8Array) return { bytes: Uint8Array.from(o) };
  const n = o.reduce((s, c) => s + c.length, 0);
  const all = new Uint8Array(n);
  let at = 0;
  for (const c of o) {
    all.set(c, at);
    at += c.length;
  }
  return { bytes: all };
}
