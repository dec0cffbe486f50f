/** Shared helpers for the MPEG-TS muxer tests: ffmpeg/ffprobe as oracles, expected timestamps. */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { demuxMp4 } from '../../../src/demux/mp4/index.js';
import type { Movie, Track } from '../../../src/model/movie.js';
import { muxTs } from '../../../src/mux/ts/index.js';
import { ffprobeBin, ffprobeJson } from '../../helpers/ffprobe.js';

export const FFMPEG = '/usr/bin/ffmpeg';
const TMP = mkdtempSync(join(tmpdir(), 'boxwright-muxts-'));

/** Demuxes an MP4, muxes it to TS and writes the result to a temp file. */
export function muxFile(path: string, name: string, trackIndexes?: number[]): { movie: Movie; ts: Uint8Array; tsPath: string } {
  const movie = demuxMp4(new Uint8Array(readFileSync(path))).movie;
  const ts = muxTs(movie, trackIndexes);
  const tsPath = join(TMP, `${name.replace(/[^a-z0-9]+/gi, '_')}.ts`);
  writeFileSync(tsPath, ts);
  return { movie, ts, tsPath };
}

/** round(t × 90000 / timescale), halves up, in BigInt (an implementation independent of the muxer's). */
export function to90k(t: number, timescale: number): number {
  const num = BigInt(t) * 180000n + BigInt(timescale);
  const den = 2n * BigInt(timescale);
  const q = num / den;
  return Number(num % den !== 0n && num < 0n ? q - 1n : q);
}

/** The documented muxer offset: 1.4 s. */
export const OFFSET = 126000;

/** Expected TS timestamps of a track: 90 kHz + offset; DTS moved back by the largest negative composition offset. */
export function expectedTimestamps(track: Track): { pts: number[]; dts: number[] } {
  const s = track.samples;
  let shift = 0;
  for (let i = 0; i < s.count; i++) shift = Math.max(shift, -s.ctsOffset[i]!);
  const pts: number[] = [];
  const dts: number[] = [];
  for (let i = 0; i < s.count; i++) {
    pts.push(to90k(s.dts[i]! + s.ctsOffset[i]!, track.timescale) + OFFSET);
    dts.push(to90k(s.dts[i]! - shift, track.timescale) + OFFSET);
  }
  return { pts, dts };
}

interface ProbePacket {
  stream_index: number;
  pts?: number;
  dts?: number;
  flags: string;
  size: string;
}

/** ffprobe's packets of a TS grouped by elementary PID. */
export function probePacketsByPid(tsPath: string): Map<number, ProbePacket[]> {
  const j = ffprobeJson(tsPath, ['-show_streams', '-show_packets']) as { streams: Array<{ index: number; id: string }>; packets: ProbePacket[] } | undefined;
  if (!j) throw new Error(`ffprobe cannot open ${tsPath}`);
  const pidOf = new Map(j.streams.map((s) => [s.index, parseInt(s.id, 16)]));
  const out = new Map<number, ProbePacket[]>();
  for (const p of j.packets) {
    const pid = pidOf.get(p.stream_index)!;
    if (!out.has(pid)) out.set(pid, []);
    out.get(pid)!.push(p);
  }
  return out;
}

/** (size, md5) of every packet ffmpeg demuxes from `input` for one stream, after the bitstream filters. */
export function framemd5(input: string, map: string, bsf: string | undefined, inputOptions: string[] = []): string[] {
  ffprobeBin();
  const args = ['-v', 'error', ...inputOptions, '-i', input, '-map', map, '-c', 'copy', ...(bsf ? ['-bsf', bsf] : []), '-f', 'framemd5', '-'];
  const out = execFileSync(FFMPEG, args, { encoding: 'utf8', maxBuffer: 1 << 28 });
  return out
    .split('\n')
    .filter((l) => l.length > 0 && !l.startsWith('#'))
    .map((l) => {
      const f = l.split(',').map((x) => x.trim());
      return `${f[4]} ${f[5]}`;
    });
}

/** ffmpeg's stderr (errors only) when it decodes the whole file, plus the exit status when non-zero: empty = clean. */
export function decodeLog(path: string): string {
  const r = spawnSync(FFMPEG, ['-v', 'error', '-i', path, '-f', 'null', '-'], { encoding: 'utf8' });
  return `${r.stderr}${r.status === 0 ? '' : `exit ${r.status}`}`;
}
