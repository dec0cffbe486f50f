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
