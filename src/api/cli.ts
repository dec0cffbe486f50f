/**
 * The `boxwright` command line. Each command reads a file, writes JSON or text to stdout,
 * and exits 1 with a one-line message on bad media (BoxwrightError) or 2 on bad usage.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { BoxwrightError } from '../io/errors.js';
import { boxesToJson, dumpBoxes, readBoxes } from './boxes.js';
import { probeMedia } from './probe.js';
import { createFragmentedMp4, streamCopy, STREAM_COPY_FORMATS, type StreamCopyFormat } from './remux.js';

const USAGE = `usage: boxwright <command> [options]

commands:
  boxes FILE [--json]                 print the box tree (type, offset, size, fields), like mp4dump
  probe FILE [--packets] [--frames]   print format, streams (and packets/frames) as JSON, like ffprobe -of json
  fragment IN OUT                     remux IN to fragmented MP4 (init + one moof/mdat per GOP) at OUT
  copy IN OUT [--format F] [--all]    remux without re-encoding; F: mp4 (default), mov, m4a, fmp4, ts;
                                      --all keeps every track (default: first video + first audio)
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

function boxesCommand(args: readonly string[], io: Io): void {
  const { files, flags } = parseArgs(args, ['--json']);
  if (files.length !== 1) throw new UsageError('boxes takes exactly one FILE');
  const tree = readBoxes(readFileSync(files[0]!));
  io.out(flags.has('--json') ? JSON.stringify(boxesToJson(tree), null, 2) + '\n' : dumpBoxes(tree));
}

function probeCommand(args: readonly string[], io: Io): void {
  const { files, flags } = parseArgs(args, ['--packets', '--frames']);
  if (files.length !== 1) throw new UsageError('probe takes exactly one FILE');
  const report = probeMedia(readFileSync(files[0]!), { packets: flags.has('--packets'), frames: flags.has('--frames') });
  io.out(JSON.stringify(report, null, 4) + '\n');
}

function fragmentCommand(args: readonly string[], io: Io): void {
  const { files } = parseArgs(args, []);
  if (files.length !== 2) throw new UsageError('fragment takes IN and OUT');
  const out = createFragmentedMp4(readFileSync(files[0]!));
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
  const out = streamCopy(readFileSync(files[0]!), { format, ...(flags.has('--all') ? { map: 'all' as const } : {}) });
  writeFileSync(files[1]!, out);
  io.out(JSON.stringify({ output: files[1], bytes: out.length, format }) + '\n');
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
      case 'fragment':
        fragmentCommand(rest, io);
        return 0;
      case 'copy':
        copyCommand(rest, io);
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
