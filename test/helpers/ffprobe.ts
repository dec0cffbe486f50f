/** ffprobe 5.1 as an oracle: found on PATH, installed with apt-get when we are root, else a one-line instruction. */
import { execFileSync, spawnSync } from 'node:child_process';

let checked: string | undefined;

/** Path of a working ffprobe; throws `ffprobe not found: apt-get install ffmpeg` when it cannot get one. */
export function ffprobeBin(): string {
  if (checked) return checked;
  const works = (): boolean => spawnSync('ffprobe', ['-version'], { stdio: 'ignore' }).status === 0;
  if (!works() && process.getuid?.() === 0 && spawnSync('sh', ['-c', 'command -v apt-get'], { stdio: 'ignore' }).status === 0) {
    spawnSync('sh', ['-c', 'apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq ffmpeg'], { stdio: 'ignore' });
  }
  if (!works()) throw new Error('ffprobe not found: apt-get install ffmpeg (Debian 12 ships ffmpeg 5.1)');
  checked = 'ffprobe';
  return checked;
}

/** ffprobe's JSON for `path` with the given -show_* sections; undefined when ffprobe cannot open the file. */
export function ffprobeJson(path: string, sections: string[]): Record<string, unknown> | undefined {
  try {
    const out = execFileSync(ffprobeBin(), ['-v', 'quiet', '-of', 'json', ...sections, path], { encoding: 'utf8', maxBuffer: 1 << 30 });
    return JSON.parse(out) as Record<string, unknown>;
  } catch (e) {
    if ((e as Error).message.startsWith('ffprobe not found')) throw e;
    return undefined;
  }
}

/** Where {@link payloadMd5s} puts its extra ffmpeg arguments. */
export interface PayloadMd5Options {
  /** Before `-i` (e.g. `-ignore_editlist 1`, `-allowed_extensions ALL`). */
  inputOptions?: string[];
  /** The streams, as `-map` arguments (default: every stream, `-map 0`). */
  maps?: string[];
  /** After `-c copy` (e.g. bitstream filters). */
  outputOptions?: string[];
}

/**
 * Per output stream, the MD5 of every packet's payload as ffmpeg's demuxer returns them (`-c copy -f framemd5`),
 * in the per-stream order ffprobe lists them; a stream without packets has no entry. Only the hashes are taken:
 * framemd5's own timestamps are shifted by its muxer.
 */
export function payloadMd5s(path: string, options: PayloadMd5Options = {}): string[][] {
  ffprobeBin(); // ffmpeg comes with it
  const args = ['-v', 'error', ...(options.inputOptions ?? []), '-i', path, ...(options.maps ?? ['-map', '0']), '-c', 'copy', ...(options.outputOptions ?? []), '-f', 'framemd5', '-'];
  const byStream: string[][] = [];
  for (const line of execFileSync('ffmpeg', args, { encoding: 'utf8', maxBuffer: 1 << 28 }).split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const cols = line.split(',').map((x) => x.trim());
    (byStream[Number(cols[0])] ??= []).push(cols[5]!);
  }
  return byStream;
}
