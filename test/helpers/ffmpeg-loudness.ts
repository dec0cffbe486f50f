/**
 * ffmpeg 5.1 as the loudness oracle: the `ebur128=peak=true+sample` filter (integrated loudness and loudness range
 * to 3 decimals from its per-100 ms metadata, true and sample peaks from its log) and `astats` (RMS and peak levels,
 * overall and per channel, 6 decimals).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ffprobeBin } from './ffprobe.js';

export interface FfmpegLoudness {
  /** Integrated loudness (LUFS); ffmpeg reports −70 when nothing passed the gate. */
  integrated: number;
  /** Loudness range (LU). */
  lra: number;
  /** Overall true peak (dBFS, 0.1 dB steps), −Infinity for silence. */
  truePeak: number;
  /** Per-channel true peaks (dBFS, 0.1 dB steps) at the last 100 ms step. */
  truePeaks: number[];
  /** Overall sample peak (dBFS, 0.1 dB steps). */
  samplePeak: number;
}

export interface FfmpegLevels {
  rms: number;
  peak: number;
  perChannel: Array<{ rms: number; peak: number }>;
}

const dbOf = (s: string): number => (s === '-inf' ? -Infinity : Number(s));

function ffmpeg(args: string[]): string {
  ffprobeBin(); // installs ffmpeg (same package) when missing, or fails with the instruction
  const r = spawnSync('ffmpeg', ['-nostdin', '-hide_banner', '-nostats', ...args], { encoding: 'utf8', maxBuffer: 1 << 28 });
  if (r.status !== 0) throw new Error(`ffmpeg ${args.join(' ')} failed: ${r.stderr.slice(-2000)}`);
  return r.stderr;
}

/** `ffmpeg -i path -map 0:a:N -af ebur128=peak=true+sample` (N = audio stream index among the audio streams). */
export function ffmpegEbur128(path: string, audioIndex = 0): FfmpegLoudness {
  const dir = mkdtempSync(join(tmpdir(), 'bw-ebur128-'));
  try {
    const meta = join(dir, 'meta.txt');
    const log = ffmpeg(['-i', path, '-map', `0:a:${audioIndex}`, '-af', `ebur128=peak=true+sample:metadata=1:framelog=info,ametadata=mode=print:file=${meta}`, '-f', 'null', '-']);
    const text = readFileSync(meta, 'utf8');
    const last = (key: string): number | undefined => {
      const all = [...text.matchAll(new RegExp(`^lavfi\\.r128\\.${key.replace('.', '\\.')}=(\\S+)$`, 'gm'))];
      return all.length ? Number(all[all.length - 1]![1]) : undefined;
    };
    const summary = log.slice(log.lastIndexOf('Summary:'));
    const peakIn = (section: string): number => dbOf(new RegExp(`${section} peak:\\s+Peak:\\s+(\\S+)`).exec(summary)![1]!);
    const frames = [...log.matchAll(/TPK:((?:\s+(?:-?[\d.]+|-inf))+) dBFS/g)];
    const tpk = frames.length ? frames[frames.length - 1]![1]!.trim().split(/\s+/).map(dbOf) : [];
    return {
      integrated: last('I') ?? Number(/I:\s+(\S+) LUFS/.exec(summary)![1]),
      lra: last('LRA') ?? Number(/LRA:\s+(\S+) LU/.exec(summary)![1]),
      truePeak: peakIn('True'),
      truePeaks: tpk,
      samplePeak: peakIn('Sample'),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** `ffmpeg -i path -map 0:a:N -af [before,]astats` RMS and peak levels (dBFS), overall and per channel. */
export function ffmpegAstats(path: string, audioIndex = 0, before?: string): FfmpegLevels {
  const astats = 'astats=measure_perchannel=RMS_level+Peak_level:measure_overall=RMS_level+Peak_level';
  const log = ffmpeg(['-i', path, '-map', `0:a:${audioIndex}`, '-af', before ? `${before},${astats}` : astats, '-f', 'null', '-']);
  const lines = log.split('\n').filter((l) => /Parsed_astats_\d+/.test(l));
  const perChannel: Array<{ rms: number; peak: number }> = [];
  let current: { rms: number; peak: number } | undefined;
  let overall = { rms: NaN, peak: NaN };
  for (const l of lines) {
    if (/Channel: \d+/.test(l)) perChannel.push((current = { rms: NaN, peak: NaN }));
    else if (/\] Overall/.test(l)) current = overall = { rms: NaN, peak: NaN };
    const m = /(RMS|Peak) level dB: (\S+)/.exec(l);
    if (m && current) current[m[1] === 'RMS' ? 'rms' : 'peak'] = dbOf(m[2]!);
  }
  return { ...overall, perChannel };
}

/** Decoded audio as ffmpeg gives it: interleaved 32-bit float samples (`decoder`: force one, e.g. `mp2float`). */
export function ffmpegDecodeF32(path: string, audioIndex = 0, decoder?: string): Float32Array {
  ffprobeBin();
  const codec = decoder ? ['-c:a', decoder] : [];
  const out = execFileSync('ffmpeg', ['-nostdin', '-v', 'error', ...codec, '-i', path, '-map', `0:a:${audioIndex}`, '-f', 'f32le', '-'], { maxBuffer: 1 << 30 });
  return new Float32Array(out.buffer.slice(out.byteOffset, out.byteOffset + out.byteLength));
}
