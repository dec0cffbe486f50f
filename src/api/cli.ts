/**
 * The `boxwright` command line. Each command reads a file, writes JSON or text to stdout,
 * and exits 1 with a one-line message on bad media (BoxwrightError) or 2 on bad usage.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { sniffFormat } from '../demux/sniff.js';
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
import { createTransmuxer, type OutputType, type TransmuxCaption, type TransmuxMetadata } from './transmux.js';
import { concatBytes } from '../io/bytes.js';

/** Per-command help: synopsis, what it does, an example. */
const HELP: Record<string, string> = {
  boxes: `boxwright boxes FILE [--json] [--compact]
  Print the box tree of an MP4/MOV/fMP4 file (type, offset, size, fields), like mp4dump; --json as JSON.
  example: boxwright boxes movie.mp4 --json | jq '.[].type'`,
  probe: `boxwright probe FILE [--packets] [--frames] [--init INIT] [--compact]
  Print format and streams (and packets / frame timestamps) as JSON shaped like ffprobe -of json.
  --init INIT reads a bare media segment (.m4s) with its init segment.
  example: curl -s https://example.com/v.mp4 | boxwright probe - --packets`,
  gop: `boxwright gop FILE [--track ID] [--compact]
  Keyframes, GOP durations and frame types per GOP of the first video track (or --track ID) as JSON.
  example: boxwright gop movie.mp4`,
  vfr: `boxwright vfr FILE [--track ID] [--compact]
  Constant or variable frame rate, jitter, packet count and frame rate of a video track as JSON.
  example: boxwright vfr capture.mp4`,
  loudness: `boxwright loudness FILE [--track ID] [--compact]
  EBU R128 integrated loudness, loudness range, true peak and RMS/peak levels of an audio track as JSON.
  example: boxwright loudness episode.m4a`,
  fragment: `boxwright fragment IN OUT [--keep-timestamps]
  Remux IN to fragmented MP4 (init + one moof/mdat per GOP) at OUT (- for standard output). An MPEG-TS input
  starts at 0 (every track moved by one amount), as ffmpeg -c copy starts it; --keep-timestamps keeps its clock.
  example: boxwright fragment movie.mp4 movie-frag.mp4`,
  transmux: `boxwright transmux IN OUT [--separate] [--keep-timestamps] [--base-time SEC] [--events FILE] [--compact]
  Push IN (MPEG-TS, fMP4 segments, ADTS/MP3/AC-3) through the player transmuxer to fragmented MP4 at OUT, as a
  player would get it: the timeline starts at 0 (--base-time SEC, or --keep-timestamps for the input's own).
  --separate writes one file per kind (OUT with .video / .audio before its extension); --events FILE writes the
  caption cues and timed ID3 metadata as JSON.
  example: boxwright transmux segment.ts segment.mp4 --events captions.json`,
  copy: `boxwright copy IN OUT [--format mp4|mov|m4a|fmp4|ts] [--all] [--keep-timestamps]
  Remux without re-encoding (default mp4; --all keeps every track, default first video + first audio).
  An MPEG-TS input starts at 0 as with ffmpeg -c copy (TS output: at 1.4 s); --keep-timestamps keeps its clock.
  OUT may be - for standard output.
  example: boxwright copy input.ts output.mp4`,
  hls: `boxwright hls IN -o DIR [--segment-time N] [--variant FILE ...] [--segment-format fmp4|ts] [--single-file] [--force]
  Package IN as HLS into DIR: master.m3u8, media and I-frame playlists, segments. Each --variant FILE adds a
  pre-encoded rendition. DIR must be empty or absent unless --force.
  example: boxwright hls movie.mp4 -o out --segment-time 4`,
  dash: `boxwright dash IN -o DIR [--segment-time N] [--variant FILE ...] [--profile live|on-demand] [--force]
  Package IN as MPEG-DASH into DIR (manifest.mpd and segments).
  example: boxwright dash movie.mp4 -o out --profile on-demand`,
  package: `boxwright package IN -o DIR [--segment-time N] [--variant FILE ...] [--profile live|on-demand] [--force]
  HLS and DASH together over one set of CMAF segments (master.m3u8 and manifest.mpd in DIR).
  example: boxwright package movie.mp4 -o out`,
};

const USAGE = `usage: boxwright <command> [options]        (boxwright <command> --help for one command)

commands:
${Object.values(HELP)
  .map((h) => '  ' + h.split('\n')[0]!.replace(/^boxwright /, ''))
  .join('\n')}

FILE and IN may be - for standard input. Exit codes: 0 success, 1 bad or unreadable media, 2 bad usage.
--version prints the version.
`;

class UsageError extends Error {}

/** Where the CLI writes: text to stdout and stderr, and bytes to stdout (for OUT = -). */
export interface CliIo {
  out: (s: string) => void;
  err: (s: string) => void;
  bytes?: (b: Uint8Array) => void;
}
type Io = CliIo;

interface Parsed {
  files: string[];
  flags: Set<string>;
  values: Map<string, string[]>;
}

/**
 * Splits `args` into positional files, boolean `flags` and `valued` options (`--opt V` or `--opt=V`, repeatable).
 * `-` is a file (standard input or output).
 */
function parseArgs(args: readonly string[], flags: readonly string[], valued: readonly string[] = []): Parsed {
  const out: Parsed = { files: [], flags: new Set(), values: new Map() };
  for (let i = 0; i < args.length; i++) {
    let a = args[i]!;
    if (a === '-o') a = '--output';
    if (a === '-' || !a.startsWith('-')) {
      out.files.push(a);
      continue;
    }
    const eq = a.indexOf('=');
    const name = eq > 0 ? a.slice(0, eq) : a;
    if (valued.includes(name)) {
      const v = eq > 0 ? a.slice(eq + 1) : args[++i];
      if (v === undefined) throw new UsageError(`${name} needs a value`);
      out.values.set(name, [...(out.values.get(name) ?? []), v]);
    } else if (flags.includes(a)) out.flags.add(a);
    else throw new UsageError(`unknown option ${a}`);
  }
  return out;
}

const one = (p: Parsed, name: string): string | undefined => p.values.get(name)?.at(-1);

/** The input bytes: a file, or standard input for `-`. An empty input is named as such. */
function readInput(path: string): Uint8Array {
  const data = readFileSync(path === '-' ? 0 : path);
  if (data.length === 0) throw new BoxwrightError('UNSUPPORTED_FORMAT', `${path === '-' ? 'standard input' : path} is empty (0 bytes)`, 0, '');
  return data;
}

/** Writes OUT (a file, or standard output for `-`), never over one of the inputs. */
function writeOutput(path: string, data: Uint8Array, inputs: readonly string[], io: Io): void {
  if (path === '-') {
    (io.bytes ?? ((b: Uint8Array) => process.stdout.write(b)))(data);
    return;
  }
  if (existsSync(path)) {
    const o = statSync(path);
    for (const i of inputs) {
      if (i === '-' || !existsSync(i)) continue;
      const s = statSync(i);
      if (s.dev === o.dev && s.ino === o.ino) throw new UsageError(`${path} is the input ${i}: refusing to overwrite it`);
    }
  }
  writeFileSync(path, data);
}

/** JSON as the commands print it: indented (4 spaces for probe, as ffprobe), one line with --compact. */
function printJson(io: Io, value: unknown, p: Parsed, indent = 2): void {
  io.out(JSON.stringify(value, null, p.flags.has('--compact') ? undefined : indent) + '\n');
}

type Analyzer = 'gop' | 'vfr' | 'loudness';

/** `gop`, `vfr`, `loudness`: one input, an optional `--track ID`, a JSON report. */
function analyzeCommand(kind: Analyzer, args: readonly string[], io: Io): void {
  const p = parseArgs(args, ['--compact'], ['--track']);
  const v = one(p, '--track');
  const track = v === undefined ? undefined : Number(v);
  if (track !== undefined && !(Number.isInteger(track) && track >= 1)) throw new UsageError(`--track takes a track ID (a positive integer), got ${v}`);
  if (p.files.length !== 1) throw new UsageError(`${kind} takes exactly one FILE`);
  const data = readInput(p.files[0]!);
  const options = track === undefined ? {} : { track };
  const report = kind === 'gop' ? analyzeGop(data, options) : kind === 'vfr' ? detectVfrCfr(data, options) : loudnessReportToJson(analyzeLoudness(data, options));
  printJson(io, report, p);
}

const FORMAT_NAMES: Partial<Record<string, string>> = { mpegts: 'MPEG-TS', m2ts: 'M2TS (Blu-ray MPEG-TS)', adts: 'ADTS AAC', mp3: 'MP3', wav: 'WAV', ac3: 'AC-3' };

function boxesCommand(args: readonly string[], io: Io): void {
  const p = parseArgs(args, ['--json', '--compact']);
  if (p.files.length !== 1) throw new UsageError('boxes takes exactly one FILE');
  const data = readInput(p.files[0]!);
  // Boxes of a file that is not ISO-BMFF would be garbage sizes: name what it is instead.
  const kind = FORMAT_NAMES[sniffFormat(data)];
  if (kind) throw new BoxwrightError('UNSUPPORTED_FORMAT', `not an ISO-BMFF file (looks like ${kind}); boxes reads MP4/MOV/fMP4 — boxwright probe reads this one`, 0, '');
  const tree = readBoxes(data);
  if (p.flags.has('--json')) printJson(io, boxesToJson(tree), p);
  else io.out(dumpBoxes(tree));
}

function probeCommand(args: readonly string[], io: Io): void {
  const p = parseArgs(args, ['--packets', '--frames', '--compact'], ['--init']);
  if (p.files.length !== 1) throw new UsageError('probe takes exactly one FILE');
  const init = one(p, '--init');
  const report = probeMedia(readInput(p.files[0]!), { packets: p.flags.has('--packets'), frames: p.flags.has('--frames'), ...(init !== undefined ? { init: readInput(init) } : {}) });
  printJson(io, report, p, 4);
}

function fragmentCommand(args: readonly string[], io: Io): void {
  const p = parseArgs(args, ['--keep-timestamps']);
  if (p.files.length !== 2) throw new UsageError('fragment takes IN and OUT');
  const [input, output] = p.files as [string, string];
  const out = createFragmentedMp4(readInput(input), p.flags.has('--keep-timestamps') ? { keepTimestamps: true } : {});
  writeOutput(output, out.data, [input], io);
  const summary = JSON.stringify({ output, bytes: out.data.length, fragments: out.fragments.length }) + '\n';
  if (output === '-') io.err(summary);
  else io.out(summary);
}

/** `OUT` with `.kind` before its extension (`a/b.mp4` → `a/b.video.mp4`). */
function kindPath(out: string, kind: string): string {
  const slash = out.lastIndexOf('/');
  const dot = out.lastIndexOf('.');
  return dot > slash + 1 ? `${out.slice(0, dot)}.${kind}${out.slice(dot)}` : `${out}.${kind}`;
}

function transmuxCommand(args: readonly string[], io: Io): void {
  const p = parseArgs(args, ['--separate', '--keep-timestamps', '--compact'], ['--base-time', '--events']);
  if (p.files.length !== 2) throw new UsageError('transmux takes IN and OUT');
  const [input, output] = p.files as [string, string];
  const separate = p.flags.has('--separate');
  if (separate && output === '-') throw new UsageError('--separate writes two files: OUT cannot be -');
  const base = one(p, '--base-time');
  const baseSec = base === undefined ? 0 : Number(base);
  if (!Number.isFinite(baseSec) || baseSec < 0) throw new UsageError(`--base-time takes seconds (a number >= 0), got ${base}`);
  const parts = new Map<OutputType, { bytes: Uint8Array[]; mimeType: string; fragments: number }>();
  const captions: TransmuxCaption[] = [];
  const metadata: TransmuxMetadata[] = [];
  const tm = createTransmuxer({
    remux: !separate,
    keepOriginalTimestamps: p.flags.has('--keep-timestamps'),
    baseMediaDecodeTime: Math.round(baseSec * 90000),
    onInit: (b, info) => {
      const o = parts.get(info.type) ?? { bytes: [], mimeType: info.mimeType, fragments: 0 };
      o.mimeType = info.mimeType;
      o.bytes.push(b);
      parts.set(info.type, o);
    },
    onFragment: (b, info) => {
      const o = parts.get(info.type)!;
      o.bytes.push(b);
      o.fragments++;
    },
    onCaptions: (c) => captions.push(...c),
    onMetadata: (m) => metadata.push(...m),
  });
  const data = readInput(input);
  // Pushed a megabyte at a time, as bytes arrive in a player.
  for (let o = 0; o < data.length; o += 1 << 20) tm.push(data.subarray(o, o + (1 << 20)));
  tm.flush();
  if (parts.size === 0) throw new BoxwrightError('NO_TRACK', `${input}: no video or audio to transmux`, 0, '');
  const outputs = [...parts].map(([type, o]) => {
    const path = separate ? kindPath(output, type) : output;
    const bytes = concatBytes(o.bytes);
    writeOutput(path, bytes, [input], io);
    return { type, output: path, mimeType: o.mimeType, bytes: bytes.length, fragments: o.fragments };
  });
  const events = one(p, '--events');
  if (events !== undefined) {
    const json = {
      captions: captions.map(({ startTime, endTime, stream, text }) => ({ startTime, endTime, stream, text })),
      metadata: metadata.map(({ cueTime, frames }) => ({ cueTime, frames: frames.map(({ data: _d, ...f }) => f) })),
    };
    writeOutput(events, new TextEncoder().encode(JSON.stringify(json, null, p.flags.has('--compact') ? undefined : 2) + '\n'), [input], io);
  }
  const summary = JSON.stringify({ outputs, captions: captions.length, metadata: metadata.length }) + '\n';
  if (output === '-') io.err(summary);
  else io.out(summary);
}

function copyCommand(args: readonly string[], io: Io): void {
  const p = parseArgs(args, ['--all', '--keep-timestamps'], ['--format']);
  const f = one(p, '--format') ?? 'mp4';
  if (!(STREAM_COPY_FORMATS as readonly string[]).includes(f)) throw new UsageError(`--format takes one of ${STREAM_COPY_FORMATS.join(', ')}`);
  const format = f as StreamCopyFormat;
  if (p.files.length !== 2) throw new UsageError('copy takes IN and OUT');
  const [input, output] = p.files as [string, string];
  const out = streamCopy(readInput(input), {
    format,
    ...(p.flags.has('--all') ? { map: 'all' as const } : {}),
    ...(p.flags.has('--keep-timestamps') ? { keepTimestamps: true } : {}),
  });
  writeOutput(output, out, [input], io);
  const summary = JSON.stringify({ output, bytes: out.length, format }) + '\n';
  if (output === '-') io.err(summary);
  else io.out(summary);
}

type PackageKind = 'hls' | 'dash' | 'package';

function packageCommand(kind: PackageKind, args: readonly string[], io: Io): void {
  const p = parseArgs(args, kind === 'hls' ? ['--force', '--single-file'] : ['--force'], [
    '--output',
    '--segment-time',
    '--variant',
    '--segment-format',
    ...(kind === 'hls' ? [] : ['--profile']),
  ]);
  const inputs = p.files;
  const variants = p.values.get('--variant') ?? [];
  const dir = one(p, '--output');
  const force = p.flags.has('--force');
  const singleFile = p.flags.has('--single-file');
  const time = one(p, '--segment-time');
  const segmentTime = time === undefined ? undefined : Number(time);
  if (segmentTime !== undefined && !(Number.isFinite(segmentTime) && segmentTime > 0)) throw new UsageError('--segment-time takes a number of seconds > 0');
  const segmentFormat = one(p, '--segment-format');
  if (segmentFormat !== undefined && segmentFormat !== 'fmp4' && segmentFormat !== 'ts') throw new UsageError('--segment-format takes fmp4 or ts');
  const profile = one(p, '--profile');
  if (profile !== undefined && profile !== 'live' && profile !== 'on-demand') throw new UsageError('--profile takes live or on-demand');
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

/**
 * Runs the CLI with `argv` (without node and script); returns the exit code. `version` is what `--version`
 * prints (bin/boxwright.js passes the package's).
 */
export function runCli(argv: readonly string[], io: Io = { out: (s) => process.stdout.write(s), err: (s) => process.stderr.write(s) }, version = 'unknown'): number {
  const [command, ...rest] = argv;
  if (command === '--version' || command === '-V' || command === 'version') {
    io.out(`boxwright ${version}\n`);
    return 0;
  }
  if (command !== undefined && HELP[command] && (rest.includes('--help') || rest.includes('-h'))) {
    io.out(HELP[command] + '\n');
    return 0;
  }
  if (command === 'help' && rest[0] !== undefined && HELP[rest[0]]) {
    io.out(HELP[rest[0]] + '\n');
    return 0;
  }
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
      case 'transmux':
        transmuxCommand(rest, io);
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
        if (command === undefined) {
          io.err(USAGE);
          return 2;
        }
        io.out(USAGE);
        return 0;
      default:
        throw new UsageError(`unknown command '${command}'`);
    }
  } catch (e) {
    if (e instanceof UsageError) {
      io.err(`boxwright: ${e.message}\n${command !== undefined && HELP[command] ? `usage: ${HELP[command]}\n` : USAGE}`);
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
