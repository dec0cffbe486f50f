/** The CLI's commands, run in-process and as a real process through bin/ (after a build). */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from '../../src/api/cli.js';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { probeMedia } from '../../src/api/probe.js';
import { analyzeGop } from '../../src/api/gop.js';
import { streamCopy } from '../../src/api/remux.js';
import { analyzeLoudness, loudnessReportToJson } from '../../src/api/loudness.js';
import { BoxwrightError } from '../../src/io/errors.js';
import { REPO, isoSamples, thirdPartyDir } from '../helpers/samples.js';
import { ffprobeJson } from '../helpers/ffprobe.js';

function run(args: string[]): { code: number; out: string; err: string } {
  let out = '';
  let err = '';
  const code = runCli(args, { out: (s) => (out += s), err: (s) => (err += s) });
  return { code, out, err };
}

const samples = isoSamples();

test.each(samples.filter((s) => !s.name.endsWith('init_truncated.mp4')).map((s) => [s.name, s.path] as const))('boxes dumps %s', (_n, path) => {
  const text = run(['boxes', path]);
  expect(text.code).toBe(0);
  expect(text.out).toMatch(/^\[(ftyp|styp|moov|moof|sidx|free|mdat|emsg|skip|wide|uuid|meta)\] size=\d+ offset=0/);
  const json = run(['boxes', path, '--json']);
  expect(json.code).toBe(0);
  const tree = JSON.parse(json.out) as Array<{ type: string; offset: number; size: number }>;
  const total = tree.reduce((a, b) => a + b.size, 0);
  expect(total).toBe(readFileSync(path).length);
});

test('boxes on a truncated file exits 1 with a one-line BoxwrightError', () => {
  const broken = samples.find((s) => s.name.endsWith('init_truncated.mp4'))!;
  const r = run(['boxes', broken.path]);
  expect(r.code).toBe(1);
  expect(r.err).toMatch(/^boxwright: TRUNCATED: .* at moov, byte \d+\n$/);
});

test('probe prints an ffprobe-shaped JSON report', () => {
  const r = run(['probe', join(REPO, 'samples/h264-aac.mp4'), '--packets']);
  expect(r.code).toBe(0);
  const report = JSON.parse(r.out) as { format: { format_name: string }; streams: Array<{ codec_name: string }>; packets: unknown[] };
  expect(report.format.format_name).toBe('mov,mp4,m4a,3gp,3g2,mj2');
  expect(report.streams.map((s) => s.codec_name)).toEqual(['h264', 'aac']);
  expect(report.packets.length).toBeGreaterThan(100);
  expect(run(['probe', join(REPO, 'samples/h264-aac.mp4'), '--bogus']).code).toBe(2);
});

test('fragment and copy write files that probe back with the same packets', () => {
  const dir = mkdtempSync(join(tmpdir(), 'boxwright-cli-'));
  const src = join(REPO, 'samples/h264-aac.mp4');
  expect(run(['fragment', src, join(dir, 'f.mp4')]).code).toBe(0);
  expect(run(['copy', src, join(dir, 'c.ts'), '--format', 'ts']).code).toBe(0);
  expect(run(['copy', src, join(dir, 'c.mov'), '--format', 'mov', '--all']).code).toBe(0);
  expect(run(['copy', src, join(dir, 'x'), '--format', 'avi']).code).toBe(2);
  const count = (f: string): number => (JSON.parse(run(['probe', f, '--packets']).out) as { packets: unknown[] }).packets.length;
  expect(count(join(dir, 'f.mp4'))).toBe(count(src));
  expect(count(join(dir, 'c.mov'))).toBe(count(src));
  expect(count(join(dir, 'c.ts'))).toBe(count(src));
});

test('fragment and copy start an MPEG-TS at 0 unless --keep-timestamps', () => {
  const dir = mkdtempSync(join(tmpdir(), 'boxwright-cli-'));
  const src = join(REPO, 'samples/h264-aac.ts');
  const starts = (f: string): number[] => (JSON.parse(run(['probe', f]).out) as { streams: Array<{ start_time: string }> }).streams.map((s) => Number(s.start_time));
  const input = starts(src);
  expect(Math.min(...input)).toBeGreaterThan(1);
  for (const [cmd, extra] of [['fragment', []], ['copy', ['--format', 'mp4']], ['copy', ['--format', 'fmp4']]] as const) {
    const zero = join(dir, `${cmd}-${extra.join('')}-zero.mp4`);
    const kept = join(dir, `${cmd}-${extra.join('')}-kept.mp4`);
    expect(run([cmd, src, zero, ...extra]).code).toBe(0);
    expect(run([cmd, src, kept, ...extra, '--keep-timestamps']).code).toBe(0);
    expect(Math.min(...starts(zero))).toBe(0);
    expect(Math.min(...starts(kept))).toBeGreaterThan(1);
  }
  // TS output: the earliest decode time at 1.4 s (ffmpeg's mpegts muxer), or the input's clock + 1.4 s when kept.
  expect(run(['copy', src, join(dir, 'zero.ts'), '--format', 'ts']).code).toBe(0);
  expect(run(['copy', src, join(dir, 'kept.ts'), '--format', 'ts', '--keep-timestamps']).code).toBe(0);
  expect(Math.min(...starts(join(dir, 'kept.ts')))).toBeCloseTo(Math.min(...input) + 1.4, 6);
  expect(Math.min(...starts(join(dir, 'zero.ts')))).toBeLessThan(Math.min(...input) + 1.4);
  expect(run(['copy', src, join(dir, 'x.mp4'), '--keep-timestamps=yes']).code).toBe(2);
});

test('probe reads a bare media segment with its init segment', () => {
  const tp = thirdPartyDir();
  const init = new Uint8Array(readFileSync(join(tp, 'mp4ff/hvc1_init.mp4')));
  const seg = new Uint8Array(readFileSync(join(tp, 'mp4ff/hvc1_seg_1.m4s')));
  const r = probeMedia(seg, { init, packets: true });
  expect(r.streams[0]!.codec_name).toBe('hevc');
  expect(r.packets!.length).toBe(23);
  expect(() => probeMedia(seg)).toThrow(BoxwrightError);
});

test('bad usage exits 2 with the usage text', () => {
  expect(run(['nope']).code).toBe(2);
  expect(run(['boxes']).code).toBe(2);
  expect(run(['boxes', 'a.mp4', '--bogus']).err).toMatch(/unknown option --bogus/);
  expect(run(['--help']).code).toBe(0);
});

test('gop, vfr and loudness print the analyzers\' reports as JSON; --track picks the track', () => {
  const path = join(REPO, 'samples/h264-aac.mp4');
  const data = readFileSync(path);
  const gop = run(['gop', path]);
  expect(gop.code).toBe(0);
  expect(JSON.parse(gop.out)).toEqual(JSON.parse(JSON.stringify(analyzeGop(data))));
  const vfr = run(['vfr', path, '--track', '1']);
  expect(vfr.code).toBe(0);
  expect(JSON.parse(vfr.out)).toMatchObject({ track: 1, mode: 'cfr', packetCount: 48 });
  const loud = run(['loudness', path]);
  expect(loud.code).toBe(0);
  expect(JSON.parse(loud.out)).toEqual(JSON.parse(JSON.stringify(loudnessReportToJson(analyzeLoudness(data)))));
  const none = run(['gop', join(REPO, 'samples/aac.m4a')]);
  expect(none.code).toBe(1);
  expect(none.err).toMatch(/^boxwright: NO_TRACK: /);
  expect(run(['vfr', path, '--track', 'x']).code).toBe(2);
});

test('- reads standard input (the built CLI, a partial download probes as far as it goes)', () => {
  if (!existsSync(join(REPO, 'dist/esm/src/api/cli.js'))) execFileSync('npm', ['run', 'build'], { cwd: REPO, stdio: 'pipe' });
  const whole = readFileSync(join(REPO, 'samples/h264-aac.mp4'));
  const cut = whole.subarray(0, Math.floor(whole.length * 0.7));
  const r = spawnSync(process.execPath, [join(REPO, 'bin/boxwright.js'), 'probe', '-', '--packets'], { input: cut, encoding: 'utf8' });
  expect(r.status).toBe(0);
  const report = JSON.parse(r.stdout) as { packets: unknown[] };
  expect(report).toEqual(JSON.parse(JSON.stringify(probeMedia(cut, { packets: true }))));
  expect(report.packets.length).toBeGreaterThan(0);
});

describe('behaves like a Unix tool (the built CLI, as a user runs it)', () => {
  const BIN = join(REPO, 'bin/boxwright.js');
  const cli = (args: string[], input?: Uint8Array) => spawnSync(process.execPath, [BIN, ...args], { input, maxBuffer: 1 << 26 });
  beforeAll(() => {
    if (!existsSync(join(REPO, 'dist/esm/src/api/cli.js'))) execFileSync('npm', ['run', 'build'], { cwd: REPO, stdio: 'pipe' });
  });

  test('--version prints the package version; every command has --help with an example', () => {
    const version = (JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { version: string }).version;
    expect(cli(['--version']).stdout.toString()).toBe(`boxwright ${version}\n`);
    for (const c of ['boxes', 'probe', 'gop', 'vfr', 'loudness', 'fragment', 'copy', 'hls', 'dash', 'package']) {
      const r = cli([c, '--help']);
      expect(r.status).toBe(0);
      expect(r.stdout.toString()).toMatch(new RegExp(`^boxwright ${c} [\\s\\S]*example: .*boxwright ${c} `));
    }
  });

  test('wrong-kind, unknown and empty inputs are named, exit 1', () => {
    const ts = cli(['boxes', join(REPO, 'samples/h264-aac.ts')]);
    expect(ts.status).toBe(1);
    expect(ts.stderr.toString()).toMatch(/not an ISO-BMFF file \(looks like MPEG-TS\)/);
    const text = cli(['probe', '-'], new TextEncoder().encode('hello, this is a text file\n'));
    expect(text.status).toBe(1);
    expect(text.stderr.toString()).toMatch(/not a known media container \(first bytes 68 65 6c 6c/);
    const empty = cli(['probe', '-'], new Uint8Array(0));
    expect(empty.status).toBe(1);
    expect(empty.stderr.toString()).toMatch(/standard input is empty \(0 bytes\)/);
  });

  test('copy and fragment write to standard output with -, the summary going to stderr', () => {
    const src = join(REPO, 'samples/h264-aac.mp4');
    const r = cli(['copy', src, '-', '--format', 'ts']);
    expect(r.status).toBe(0);
    expect(r.stdout).toEqual(Buffer.from(streamCopy(readFileSync(src), { format: 'ts' })));
    expect(JSON.parse(r.stderr.toString())).toMatchObject({ output: '-', format: 'ts' });
    const f = cli(['fragment', '-', '-'], readFileSync(src));
    expect(f.status).toBe(0);
    expect(f.stdout.subarray(4, 8).toString()).toBe('ftyp');
  });

  test('never overwrites its input', () => {
    const dir = mkdtempSync(join(tmpdir(), 'boxwright-cli-same-'));
    const file = join(dir, 'a.mp4');
    const bytes = readFileSync(join(REPO, 'samples/h264-aac.mp4'));
    writeFileSync(file, bytes);
    const r = cli(['copy', file, file]);
    expect(r.status).toBe(2);
    expect(r.stderr.toString()).toMatch(/is the input .*refusing to overwrite it/);
    expect(readFileSync(file)).toEqual(bytes);
  });

  test('a reader that stops early (| head -1) ends it quietly', () => {
    const r = spawnSync('sh', ['-c', `"${process.execPath}" "${BIN}" probe --packets "${join(REPO, 'samples/h264-aac.mp4')}" | head -c 1; exit \${PIPESTATUS:-0}`], { encoding: 'utf8' });
    expect(r.stdout).toBe('{');
    expect(r.stderr).toBe('');
  });

  test('probe --init reads a bare segment; --compact prints one line', () => {
    const tp = thirdPartyDir();
    const r = cli(['probe', join(tp, 'mp4ff/hvc1_seg_1.m4s'), '--init', join(tp, 'mp4ff/hvc1_init.mp4'), '--packets', '--compact']);
    expect(r.status).toBe(0);
    const out = r.stdout.toString();
    expect(out.trim().split('\n')).toHaveLength(1);
    expect((JSON.parse(out) as { packets: unknown[] }).packets).toHaveLength(23);
  });
});

test('a missing file exits 1 naming it', () => {
  const r = run(['boxes', join(REPO, 'no-such-file.mp4')]);
  expect(r.code).toBe(1);
  expect(r.err).toMatch(/no-such-file\.mp4/);
});

test('the built bin/boxwright.js runs (npm run build)', () => {
  if (!existsSync(join(REPO, 'dist/esm/src/api/cli.js'))) {
    execFileSync('npm', ['run', 'build'], { cwd: REPO, stdio: 'pipe' });
  }
  const r = spawnSync(process.execPath, [join(REPO, 'bin/boxwright.js'), 'boxes', join(REPO, 'samples/h264-aac.mp4')], { encoding: 'utf8' });
  expect(r.status).toBe(0);
  expect(r.stdout).toContain('[moov]');
  // The CommonJS build loads too.
  const cjs = spawnSync(process.execPath, ['-e', "const b=require('./');const t=b.readBoxes(require('fs').readFileSync('samples/h264-aac.mp4'));console.log(t.boxes.map(x=>x.type).join(','))"], { cwd: REPO, encoding: 'utf8' });
  expect(cjs.stderr).toBe('');
  expect(cjs.stdout.trim()).toMatch(/^ftyp,moov/);
});

test('hls writes a package ffprobe reads, refuses a non-empty directory without --force', () => {
  const dir = join(mkdtempSync(join(tmpdir(), 'boxwright-cli-hls-')), 'out');
  const input = join(REPO, 'samples/h264-aac.mp4');
  const r = run(['hls', input, '-o', dir, '--segment-time', '1']);
  expect(r.code).toBe(0);
  const summary = JSON.parse(r.out) as { output: string[]; files: number };
  expect(summary.output).toEqual([join(dir, 'master.m3u8')]);
  expect(readFileSync(join(dir, 'master.m3u8'), 'utf8')).toMatch(/^#EXTM3U/);
  const probe = JSON.parse(execFileSync('ffprobe', ['-v', 'quiet', '-of', 'json', '-show_streams', join(dir, 'master.m3u8')]).toString()) as { streams: Array<{ codec_name: string }> };
  expect(probe.streams.map((s) => s.codec_name).sort()).toEqual(['aac', 'h264']);
  expect(run(['hls', input, '-o', dir]).code).toBe(2);
  expect(run(['hls', input, '-o', dir, '--force', '--segment-format', 'ts', '--single-file']).code).toBe(0);
  expect(run(['hls', input, '-o', dir, '--segment-time', '0']).code).toBe(2);
});

test('dash and package write manifests ffprobe reads', () => {
  const root = mkdtempSync(join(tmpdir(), 'boxwright-cli-dash-'));
  const input = join(REPO, 'samples/h264-aac.mp4');
  for (const [cmd, profile, manifests] of [['dash', 'live', ['manifest.mpd']], ['dash', 'on-demand', ['manifest.mpd']], ['package', 'live', ['master.m3u8', 'manifest.mpd']]] as const) {
    const dir = join(root, `${cmd}-${profile}`);
    const r = run([cmd, input, '-o', dir, '--segment-time', '1', '--profile', profile]);
    expect(r.code).toBe(0);
    for (const m of manifests) {
      const probe = JSON.parse(execFileSync('ffprobe', ['-v', 'quiet', '-of', 'json', '-show_streams', join(dir, m)]).toString()) as { streams: Array<{ codec_name: string }> };
      expect(probe.streams.map((s) => s.codec_name).sort()).toEqual(['aac', 'h264']);
    }
  }
  expect(run(['dash', input, '-o', join(root, 'x'), '--profile', 'main']).code).toBe(2);
});

test('transmux writes what a player gets (ffprobe reads every packet), one file per kind with --separate, the events with --events', () => {
  const dir = mkdtempSync(join(tmpdir(), 'boxwright-cli-transmux-'));
  const src = join(thirdPartyDir(), 'mux.js/sintel-captions.ts');
  const packets = (f: string, type: 'v' | 'a'): Array<{ dts_time: string }> =>
    (ffprobeJson(f, ['-select_streams', `${type}:0`, '-show_entries', 'packet=dts_time'])!.packets as Array<{ dts_time: string }>) ?? [];
  const r = run(['transmux', src, join(dir, 'out.mp4'), '--events', join(dir, 'events.json')]);
  expect(r.code).toBe(0);
  const summary = JSON.parse(r.out) as { outputs: Array<{ type: string; mimeType: string }>; captions: number };
  expect(summary.outputs.map((o) => o.type)).toEqual(['combined']);
  expect(summary.outputs[0]!.mimeType).toMatch(/^video\/mp4; codecs="avc1\.[0-9a-f]{6}, mp4a\.40\.2"$/);
  for (const type of ['v', 'a'] as const) expect(packets(join(dir, 'out.mp4'), type).length).toBe(packets(src, type).length);
  // The timeline starts at 0 by default; --keep-timestamps keeps the stream's own.
  expect(Math.min(Number(packets(join(dir, 'out.mp4'), 'v')[0]!.dts_time), Number(packets(join(dir, 'out.mp4'), 'a')[0]!.dts_time))).toBe(0);
  expect(run(['transmux', src, join(dir, 'kept.mp4'), '--keep-timestamps']).code).toBe(0);
  expect(Number(packets(join(dir, 'kept.mp4'), 'v')[0]!.dts_time)).toBeCloseTo(Number(packets(src, 'v')[0]!.dts_time), 4);
  const events = JSON.parse(readFileSync(join(dir, 'events.json'), 'utf8')) as { captions: Array<{ text: string; stream: string }> };
  expect(events.captions.length).toBe(summary.captions);
  expect(events.captions.length).toBeGreaterThan(0);
  expect(events.captions[0]!.stream).toBe('CC1');
  const sep = run(['transmux', src, join(dir, 'sep.mp4'), '--separate']);
  expect(sep.code).toBe(0);
  expect(packets(join(dir, 'sep.video.mp4'), 'v').length).toBe(packets(src, 'v').length);
  expect(packets(join(dir, 'sep.audio.mp4'), 'a').length).toBe(packets(src, 'a').length);
  expect(run(['transmux', src, '-', '--separate']).code).toBe(2);
  expect(run(['transmux', src, join(dir, 'x.mp4'), '--base-time', 'soon']).code).toBe(2);
});
