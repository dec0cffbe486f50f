/**
 * The `boxwright` command line. Each command reads a file, writes JSON or text to stdout,
 * and exits 1 with a one-line message on bad media (BoxwrightError) or 2 on bad usage.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BoxwrightError } from '../io/errors.js';
import { boxesToJson, dumpBoxes, readBoxes } from './boxes.js';
import { packageDash } from './dash.js';
import { packageHls, type HlsVariantOptions } from './hls.js';
import { packageStreams } from './streams.js';
import { probeMedia } from './probe.js';
import { createFragmentedMp4, streamCopy, STREAM_COPY_FORMATS, type StreamCopyFormat } from './remux.js';
import { analyzeGop } from './gop.js';
import { detectVfrCfr } from './vfr.js';
import { analyzeLoudness, loudnessReportToJson } from './loudness.js';

const USAGE = `usage: boxwright <command> [options]

commands:
  boxes FILE [--json]                 print the box tree (type, offset, size, fields), like mp4dump
  probe FILE [--packets] [--frames]   print format, streams (and packets/frames) as JSON, like ffprobe -of json
  gop FILE [--track ID]               keyframes, GOP durations, frame types per GOP (first video track) as JSON
  vfr FILE [--track ID]               constant or variable frame rate, jitter, packet count as JSON
  loudness FILE [--track ID]          EBU R128 loudness, loudness range, true peak, RMS/peak as JSON
  fragment IN OUT                     remux IN to fragmented MP4 (init + one moof/mdat per GOP) at OUT
  copy IN OUT [--format F] [--all]    remux without re-encoding; F: mp4 (default), mov, m4a, fmp4, ts;
                                      --all keeps every track (default: first video + first audio)
  hls IN -o DIR [--segment-time N] [--variant FILE ...] [--segment-format fmp4|ts] [--single-file] [--force]
                                      package IN as HLS into DIR (master.m3u8, media and I-frame playlists,
                                      segments); each --variant FILE adds a pre-encoded rendition
  dash IN -o DIR [--segment-time N] [--variant FILE ...] [--profile live|on-demand] [--force]
                                      package IN as MPEG-DASH into DIR (manifest.mpd and segments)
  package IN -o DIR [--segment-time N] [--variant FILE ...] [--profile live|on-demand] [--force]
                                      HLS and DASH together over one set of CMAF segments

FILE or IN may be - to read standard input.
`;

class UsageError extends Error {}

interface Io {
  out: (s: string) => void;
  err: (s: string) => void;
}

function parseArgs(args: readonly string[], known: readonly string[]): { files: string[]; flags: Set<string> } {
  const files: string[] = [];
  const flags = new Set<string>();
  for (const a of args) {
    if (a.startsWith('--')) {
      if (!known.includes(a)) throw new UsageError(`unknown option ${a}`);
      flags.add(a);
    } else files.push(a);
  }
  return { files, flags };
}

/** The input bytes: a file, or standard input for `-`. */
function readInput(path: string): Uint8Array {
  return readFileSync(path === '-' ? 0 : path);
}

type Analyzer = 'gop' | 'vfr' | 'loudness';

/** `gop`, `vfr`, `loudness`: one input, an optional `--track ID`, a JSON report. */
function analyzeCommand(kind: Analyzer, args: readonly string[], io: Io): void {
  const rest: string[] = [];
  let track: number | undefined;
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--track') {
      const v = args[++i];
      track = Number(v);
      if (!v || !Number.isInteger(track) || track < 1) throw new UsageError(`--track takes a track ID (a positive integer), got ${v ?? 'nothing'}`);
    } else rest.push(args[i]!);
  }
  const { files } = parseArgs(rest, []);
  if (files.length !== 1) throw new UsageError(`${kind} takes exactly one FILE`);
  const data = readInput(files[0]!);
  const options = track === undefined ? {} : { track };
  const report = kind === 'gop' ? analyzeGop(data, options) : kind === 'vfr' ? detectVfrCfr(data, options) : loudnessReportToJson(analyzeLoudness(data, options));
  io.out(JSON.stringify(report, null, 2) + '\n');
}

function boxesCommand(args: readonly string[], io: Io): void {
  const { files, flags } = parseArgs(args, ['--json']);
  if (files.length !== 1) throw new UsageError('boxes takes exactly one FILE');
  const tree = readBoxes(readInput(files[0]!));
  io.out(flags.has('--json') ? JSON.stringify(boxesToJson(tree), null, 2) + '\n' : dumpBoxes(tree));
}

function probeCommand(args: readonly string[], io: Io): void {
  const { files, flags } = parseArgs(args, ['--packets', '--frames']);
  if (files.length !== 1) throw new UsageError('probe takes exactly one FILE');
  const report = probeMedia(readInput(files[0]!), { packets: flags.has('--packets'), frames: flags.has('--frames') });
  io.out(JSON.stringify(report, null, 4) + '\n');
}

function fragmentCommand(args: readonly string[], io: Io): void {
  const { files } = parseArgs(args, []);
  if (files.length !== 2) throw new UsageError('fragment takes IN and OUT');
  const out = createFragmentedMp4(readInput(files[0]!));
  writeFileSync(files[1]!, out.data);
  io.out(JSON.stringify({ output: files[1], bytes: out.data.length, fragments: out.fragments.length }) + '\n');
}

function copyCommand(args: readonly string[], io: Io): void {
  const rest: string[] = [];
  let format: StreamCopyFormat = 'mp4';
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--format') {
      const f = args[++i];
      if (!f || !(STREAM_COPY_FORMATS as readonly string[]).includes(f)) throw new UsageError(`--format takes one of ${STREAM_COPY_FORMATS.join(', ')}`);
      format = f as StreamCopyFormat;
    } else rest.push(args[i]!);
  }
  const { files, flags } = parseArgs(rest, ['--all']);
  if (files.length !== 2) throw new UsageError('copy takes IN and OUT');
  const out = streamCopy(readInput(files[0]!), { format, ...(flags.has('--all') ? { map: 'all' as const } : {}) });
  writeFileSync(files[1]!, out);
  io.out(JSON.stringify({ output: files[1], bytes: out.length, format }) + '\n');
}

type PackageKind = 'hls' | 'dash' | 'package';

function packageCommand(kind: PackageKind, args: readonly string[], io: Io): void {
  const inputs: string[] = [];
  const variants: string[] = [];
  let dir: string | undefined;
  let segmentTime: number | undefined;
  let segmentFormat: 'fmp4' | 'ts' | undefined;
  let singleFile = false;
  let force = false;
  let profile: 'live' | 'on-demand' | undefined;
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    const value = (): string => {
      const v = args[++i];
      if (v === undefined) throw new UsageError(`${a} needs a value`);
      return v;
    };
    if (a === '-o' || a === '--output') dir = value();
    else if (a === '--segment-time') {
      segmentTime = Number(value());
      if (!(Number.isFinite(segmentTime) && segmentTime > 0)) throw new UsageError('--segment-time takes a number of seconds > 0');
    } else if (a === '--variant') variants.push(value());
    else if (a === '--segment-format') {
      const f = value();
      if (f !== 'fmp4' && f !== 'ts') throw new UsageError('--segment-format takes fmp4 or ts');
      segmentFormat = f;
    } else if (a === '--profile' && kind !== 'hls') {
      const p = value();
      if (p !== 'live' && p !== 'on-demand') throw new UsageError('--profile takes live or on-demand');
      profile = p;
    } else if (a === '--single-file' && kind === 'hls') singleFile = true;
    else if (a === '--force') force = true;
    else if (a.startsWith('-')) throw new UsageError(`unknown option ${a}`);
    else inputs.push(a);
  }
  if (inputs.length !== 1) throw new UsageError(`${kind} takes exactly one IN`);
  if (!dir) throw new UsageError(`${kind} needs -o DIR`);
  if (existsSync(dir) && readdirSync(dir).length > 0 && !force) throw new UsageError(`${dir} is not empty (use --force to write into it)`);
  const data = readInput(inputs[0]!);
  const variantOptions: HlsVariantOptions[] | undefined = variants.length > 0 ? [{ name: 'video1' }, ...variants.map((f, k) => ({ name: `video${k + 2}`, data: readFileSync(f) }))] : undefined;
  const common = { ...(segmentTime !== undefined ? { segmentTime } : {}), ...(variantOptions ? { variants: variantOptions } : {}) };
  let files: Array<{ name: string; data: Uint8Array }>;
  let warnings: string[];
  let manifest: string;
  if (kind === 'hls') {
    const pkg = packageHls(data, { ...common, ...(segmentFormat ? { segmentFormat } : {}), ...(singleFile ? { singleFile } : {}) });
    files = pkg.files;
    warnings = pkg.warnings;
    manifest = 'master.m3u8';
  } else if (kind === 'dash') {
    const pkg = packageDash(data, { ...common, ...(profile ? { profile } : {}) });
    files = [{ name: 'manifest.mpd', data: new TextEncoder().encode(pkg.mpd) }, ...pkg.segments];
    warnings = pkg.warnings;
    manifest = 'manifest.mpd';
  } else {
    const pkg = packageStreams(data, { ...common, ...(profile ? { dashProfile: profile } : {}) });
    files = pkg.files;
    warnings = pkg.warnings;
    manifest = 'master.m3u8 manifest.mpd';
  }
  mkdirSync(dir, { recursive: true });
  let bytes = 0;
  for (const f of files) {
    writeFileSync(join(dir, f.name), f.data);
    bytes += f.data.length;
  }
  for (const w of warnings) io.err(`boxwright: warning: ${w}\n`);
  io.out(JSON.stringify({ output: manifest.split(' ').map((m) => join(dir!, m)), files: files.length, bytes }) + '\n');
}

/** Runs the CLI with `argv` (without node and script); returns the exit code. */
export function runCli(argv: readonly string[], io: Io = { out: (s) => process.stdout.write(s), err: (s) => process.stderr.write(s) }): number {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'boxes':
        boxesCommand(rest, io);
        return 0;
      case 'probe':
        probeCommand(rest, io);
        return 0;
      case 'gop':
      case 'vfr':
      case 'loudness':
        analyzeCommand(command, rest, io);
        return 0;
      case 'fragment':
        fragmentCommand(rest, io);
        return 0;
      case 'copy':
        copyCommand(rest, io);
        return 0;
      case 'hls':
      case 'dash':
      case 'package':
        packageCommand(command, rest, io);
        return 0;
      case undefined:
      case '-h':
      case '--help':
      case 'help':
        io.out(USAGE);
        return command === undefined ? 2 : 0;
      default:
        throw new UsageError(`unknown command '${command}'`);
    }
  } catch (e) {
    if (e instanceof UsageError) {
      io.err(`boxwright: ${e.message}\n${USAGE}`);
      return 2;
    }
    if (e instanceof BoxwrightError) {
      io.err(`boxwright: ${e.message}\n`);
      return 1;
    }
    const err = e as NodeJS.ErrnoException;
    if (err && typeof err.code === 'string' && err.syscall) {
      io.err(`boxwright: ${err.message}\n`);
      return 1;
    }
    throw e;
  }
}
