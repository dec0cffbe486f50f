/**
 * packageHls: our own playlist validator (TARGETDURATION, keyframe starts, EXTINF sums, CODECS, URIs, byte
 * ranges at moof boxes), the timing players compute without edit lists, ffmpeg reading the master playlist, and
 * the documented argument errors.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { packageHls, type HlsPackage, type PackageHlsOptions } from '../../src/api/hls.js';
import { probeMedia } from '../../src/api/probe.js';
import { demuxAny } from '../../src/demux/index.js';
import { presentationOffsetTicks } from '../../src/model/segment-plan.js';
import { ffprobeBin, ffprobeJson, payloadMd5s } from '../helpers/ffprobe.js';
import { OWN_SAMPLES, thirdPartyDir } from '../helpers/samples.js';

const dir = mkdtempSync(join(tmpdir(), 'boxwright-hls-'));
const own = (f: string): Uint8Array => readFileSync(join(OWN_SAMPLES, f));

/** An input whose edit list starts mid-GOP: ffmpeg's own `-ss … -c copy` cut. */
function cutMidGop(): Uint8Array {
  ffprobeBin();
  const src = join(dir, 'src-for-cut.mp4');
  writeFileSync(src, readFileSync(join(thirdPartyDir(), 'mp4ff/prog_8s.mp4')));
  const out = join(dir, 'cut.mp4');
  execFileSync('ffmpeg', ['-v', 'error', '-y', '-ss', '2.3', '-i', src, '-c', 'copy', out]);
  return readFileSync(out);
}

function parsePlaylist(text: string): { tags: string[]; entries: Array<{ duration: number; uri: string; range?: [number, number] }>; target: number; map?: { uri: string; range?: [number, number] } } {
  const lines = text.trim().split('\n');
  expect(lines[0]).toBe('#EXTM3U');
  const entries: Array<{ duration: number; uri: string; range?: [number, number] }> = [];
  let target = NaN;
  let map: { uri: string; range?: [number, number] } | undefined;
  let pending: { duration: number; range?: [number, number] } | undefined;
  const range = (s: string): [number, number] => {
    const [len, off] = s.split('@').map(Number);
    return [off!, len!];
  };
  for (const l of lines) {
    if (l.startsWith('#EXT-X-TARGETDURATION:')) target = Number(l.split(':')[1]);
    else if (l.startsWith('#EXT-X-MAP:')) {
      const uri = /URI="([^"]+)"/.exec(l)![1]!;
      const br = /BYTERANGE="([^"]+)"/.exec(l);
      map = { uri, ...(br ? { range: range(br[1]!) } : {}) };
    } else if (l.startsWith('#EXTINF:')) pending = { duration: Number(l.slice(8).split(',')[0]) };
    else if (l.startsWith('#EXT-X-BYTERANGE:')) pending!.range = range(l.slice(17));
    else if (!l.startsWith('#') && l.length > 0) {
      entries.push({ ...pending!, uri: l });
      pending = undefined;
    }
  }
  return { tags: lines.filter((l) => l.startsWith('#')), entries, target, ...(map ? { map } : {}) };
}

/** Validates every playlist of a package against its files; returns each rendition's init + segments joined. */
function validate(pkg: HlsPackage): Map<string, Uint8Array> {
  const files = new Map(pkg.files.map((f) => [f.name, f.data]));
  const text = (n: string): string => new TextDecoder().decode(files.get(n)!);
  expect(text('master.m3u8')).toBe(pkg.masterPlaylist);
  const joined = new Map<string, Uint8Array>();
  for (const r of [...pkg.variants, ...pkg.renditions]) {
    expect(text(r.playlistName)).toBe(r.playlist);
    const p = parsePlaylist(r.playlist);
    expect(p.tags).toContain('#EXT-X-ENDLIST');
    expect(p.tags).toContain('#EXT-X-PLAYLIST-TYPE:VOD');
    // RFC 8216 §4.3.3.1: every EXTINF rounded to the nearest integer is at most the target duration.
    for (const e of p.entries) expect(Math.round(e.duration)).toBeLessThanOrEqual(p.target);
    expect(p.target).toBe(r.targetDuration);
    const parts: Uint8Array[] = [];
    const slice = (uri: string, range?: [number, number]): Uint8Array => {
      const f = files.get(uri);
      expect(f).toBeDefined(); // every URI resolves
      return range ? f!.subarray(range[0], range[0] + range[1]) : f!;
    };
    if (p.map) parts.push(slice(p.map.uri, p.map.range));
    for (const e of p.entries) {
      const seg = slice(e.uri, e.range);
      // A byte range starts at a box: moof (fMP4) or a TS packet.
      if (e.range && p.map) expect(new TextDecoder().decode(seg.subarray(4, 8))).toBe('moof');
      parts.push(seg);
    }
    const all = Buffer.concat(parts);
    joined.set(r.name, all);
    const probe = probeMedia(all, { packets: true });
    // EXTINF sums equal the track's duration within one frame.
    const packets = probe.packets!;
    const frame = Number(packets[0]!.duration_time ?? 0);
    const sum = p.entries.reduce((a, e) => a + e.duration, 0);
    const streamDuration = packets.reduce((a, k) => a + Number(k.duration_time ?? 0), 0);
    expect(Math.abs(sum - streamDuration)).toBeLessThanOrEqual(frame + 1e-6);
    // CODECS: the master names this rendition's codec string as its init segment gives it.
    const codec = probe.streams[0]!.codec_string!;
    expect(pkg.masterPlaylist).toContain(codec);
    // Every segment of a video rendition starts with a keyframe.
    if (probe.streams[0]!.codec_type === 'video' && p.map) {
      let at = p.map.range ? p.map.range[1] : files.get(p.map.uri)!.length;
      const init = parts[0]!;
      for (const [k, e] of p.entries.entries()) {
        const seg = parts[k + 1]!;
        const first = probeMedia(Buffer.concat([init, seg]), { packets: true }).packets![0]!;
        expect(first.flags.startsWith('K')).toBe(true);
        at += e.duration;
      }
    }
  }
  // I-frame playlists: byte ranges at moof boxes.
  for (const f of pkg.iframePlaylists) {
    const p = parsePlaylist(f.playlist);
    expect(f.playlist).toContain('#EXT-X-I-FRAMES-ONLY');
    for (const e of p.entries) expect(new TextDecoder().decode(files.get(e.uri)!.subarray(e.range![0] + 4, e.range![0] + 8))).toBe('moof');
  }
  return joined;
}

describe('playlists and segments', () => {
  const cases: Array<[string, () => Uint8Array, PackageHlsOptions]> = [
    ['h264-aac.mp4 0.5 s', () => own('h264-aac.mp4'), { segmentTime: 0.5 }],
    ['prog_8s 2 s single file', () => readFileSync(join(thirdPartyDir(), 'mp4ff/prog_8s.mp4')), { segmentTime: 2, singleFile: true }],
    ['multi-track.mp4', () => own('multi-track.mp4'), { segmentTime: 0.5 }],
    ['aac.m4a audio-only', () => own('aac.m4a'), { segmentTime: 1 }],
    ['h264-aac.ts', () => own('h264-aac.ts'), { segmentTime: 1 }],
    ['hevc-aac.mp4', () => own('hevc-aac.mp4'), { segmentTime: 0.5 }],
  ];
  test.each(cases)('%s', (_n, input, options) => {
    const pkg = packageHls(input(), options);
    validate(pkg);
    expect(pkg.type).toBe('hls');
  });

  test("segmentFormat 'ts': MPEG-TS segments, no EXT-X-MAP, every segment starts with PAT/PMT and a keyframe", () => {
    const pkg = packageHls(own('h264-aac.mp4'), { segmentTime: 0.5, segmentFormat: 'ts' });
    expect(pkg.masterPlaylist).not.toContain('EXT-X-MAP');
    for (const r of pkg.variants) {
      expect(r.playlist).not.toContain('EXT-X-MAP');
      for (const s of r.segments) {
        expect(s.data[0]).toBe(0x47);
        const first = probeMedia(s.data, { packets: true }).packets![0]!;
        expect(first.flags.startsWith('K')).toBe(true);
      }
    }
  });

  test('a segment time the GOPs cannot meet packages anyway, with a warning', () => {
    const pkg = packageHls(own('long-gop-h264.mp4'), { segmentTime: 0.5 });
    expect(pkg.warnings.join(' ')).toMatch(/GOPs longer than 0.5 s/);
    validate(pkg);
  });
});

describe('timing players compute without edit lists', () => {
  /** Per track of the input: presented times (edit lists applied) of its samples in decode order, seconds. */
  function presented(data: Uint8Array): Map<string, number[]> {
    const { movie } = demuxAny(data);
    const out = new Map<string, number[]>();
    for (const t of movie.tracks) {
      const off = presentationOffsetTicks(t, movie.timescale || 1000);
      const s = t.samples;
      out.set(t.kind, Array.from({ length: s.count }, (_, i) => (s.dts[i]! + s.ctsOffset[i]! + off) / t.timescale));
    }
    return out;
  }
  /** Per rendition: tfdt + composition offsets as a player computes them, seconds. */
  function played(joined: Uint8Array): number[] {
    const { movie } = demuxAny(joined);
    const t = movie.tracks[0]!;
    expect(t.edits).toEqual([]); // nothing for a player to ignore
    const s = t.samples;
    return Array.from({ length: s.count }, (_, i) => (s.dts[i]! + s.ctsOffset[i]!) / t.timescale);
  }

  test.each([
    ['B-frames + AAC priming (h264-aac.mp4)', () => own('h264-aac.mp4')],
    ['negative composition offsets (h264-negcts.mp4)', () => own('h264-negcts.mp4')],
    ['an edit list starting mid-GOP (ffmpeg -ss 2.3 -c copy)', cutMidGop],
  ])('%s: video within 1 ms, audio within one frame, audio segments back to back', (_n, input) => {
    const data = input();
    const want = presented(data);
    const pkg = packageHls(data, { segmentTime: 1 });
    const joined = validate(pkg);
    const video = played(joined.get(pkg.variants[0]!.name)!);
    const wantVideo = want.get('video')!;
    expect(video).toHaveLength(wantVideo.length);
    const worstVideo = Math.max(...video.map((x, i) => Math.abs(x - wantVideo[i]!)));
    expect(worstVideo).toBeLessThanOrEqual(0.001);
    const audio = played(joined.get(pkg.renditions[0]!.name)!);
    const allAudio = want.get('audio')!;
    const frame = allAudio[1]! - allAudio[0]!;
    // Audio that ends before the presentation starts (pre-roll of a mid-stream cut) is never presented: left out.
    const wantAudio = allAudio.filter((x) => x + frame > 1e-9);
    expect(audio).toHaveLength(wantAudio.length);
    expect(Math.max(...audio.map((x, i) => Math.abs(x - wantAudio[i]!)))).toBeLessThanOrEqual(frame + 1e-9);
    // Audio segments follow each other exactly: tfdt(i + 1) = tfdt(i) + duration(i), in ticks.
    const { movie } = demuxAny(joined.get(pkg.renditions[0]!.name)!);
    const t = movie.tracks[0]!;
    for (let i = 1; i < t.samples.count; i++) expect(t.samples.dts[i]).toBe(t.samples.dts[i - 1]! + t.samples.duration[i - 1]!);
  });
});

describe('TS inputs: the timeline across a 2^33 wrap and a discontinuity', () => {
  /** The input's packets as ffprobe reads them: per codec_type, pts in seconds in decode order. */
  function ffprobePts(path: string): Map<string, number[]> {
    const j = ffprobeJson(path, ['-show_streams', '-show_packets']) as { streams: Array<{ codec_type: string }>; packets: Array<{ stream_index: number; pts_time: string }> };
    const out = new Map<string, number[]>();
    for (const p of j.packets) {
      const kind = j.streams[p.stream_index]!.codec_type;
      if (!out.has(kind)) out.set(kind, []);
      out.get(kind)!.push(Number(p.pts_time));
    }
    return out;
  }
  /** Per rendition kind: pts (tfdt + composition offset) of init + segments, decode order, seconds. */
  function packagedPts(pkg: HlsPackage): Map<string, number[]> {
    const out = new Map<string, number[]>();
    for (const r of [...pkg.variants, ...pkg.renditions]) {
      const { movie } = demuxAny(Buffer.concat([r.init!.data, ...r.segments.map((s) => s.data)]));
      const t = movie.tracks[0]!;
      expect(t.edits).toEqual([]);
      out.set(t.kind, Array.from({ length: t.samples.count }, (_, i) => (t.samples.dts[i]! + t.samples.ctsOffset[i]!) / t.timescale));
    }
    return out;
  }
  /** ffmpeg's own copy of samples/h264-aac.ts with its timestamps moved by `offset` seconds. */
  function moved(offset: number, name: string): string {
    const out = join(dir, name);
    execFileSync('ffmpeg', ['-v', 'error', '-y', '-i', join(OWN_SAMPLES, 'h264-aac.ts'), '-c', 'copy', '-output_ts_offset', String(offset), '-f', 'mpegts', out]);
    return out;
  }
  const AUDIO_FRAME = 1024 / 48000;

  test('a timeline crossing 2^33 (90 kHz) stays increasing, every track shifted by one amount', () => {
    ffprobeBin();
    const path = moved(95441, 'wrap.ts'); // 2^33 / 90000 = 95443.7 s: wraps 2.2 s into the file
    const want = ffprobePts(path);
    const got = packagedPts(packageHls(readFileSync(path), { segmentTime: 0.5 }));
    const shifts: number[] = [];
    for (const kind of ['video', 'audio']) {
      const w = want.get(kind)!;
      const g = got.get(kind)!;
      expect(g).toHaveLength(w.length);
      const shift = g[0]! - w[0]!;
      shifts.push(shift);
      const tolerance = kind === 'video' ? 0.001 : AUDIO_FRAME;
      for (let i = 0; i < g.length; i++) expect(Math.abs(g[i]! - w[i]! - shift)).toBeLessThanOrEqual(tolerance);
    }
    // Both tracks moved by the same amount: A/V sync is the input's.
    expect(Math.abs(shifts[0]! - shifts[1]!)).toBeLessThanOrEqual(AUDIO_FRAME);
  });

  test('two files joined (a time base jump): each part keeps its spacing and A/V sync, the second follows the first', () => {
    const later = moved(50, 'later.ts');
    const joinedPath = join(dir, 'joined.ts');
    writeFileSync(joinedPath, Buffer.concat([own('h264-aac.ts'), readFileSync(later)]));
    const want = ffprobePts(joinedPath);
    const got = packagedPts(packageHls(readFileSync(joinedPath), { segmentTime: 0.5 }));
    const partShift: number[][] = [[], []];
    const ends: number[] = [];
    const starts: number[] = [];
    for (const kind of ['video', 'audio']) {
      const w = want.get(kind)!;
      const g = got.get(kind)!;
      expect(g).toHaveLength(w.length);
      const split = w.findIndex((x) => x >= 50);
      expect(split).toBeGreaterThan(0);
      const tolerance = kind === 'video' ? 0.001 : AUDIO_FRAME;
      for (const [part, from, to] of [[0, 0, split], [1, split, w.length]] as const) {
        const shift = g[from]! - w[from]!;
        partShift[part]!.push(shift);
        for (let i = from; i < to; i++) expect(Math.abs(g[i]! - w[i]! - shift)).toBeLessThanOrEqual(tolerance);
      }
      ends.push(Math.max(...g.slice(0, split)));
      starts.push(Math.min(...g.slice(split)));
    }
    for (const shifts of partShift) expect(Math.abs(shifts[0]! - shifts[1]!)).toBeLessThanOrEqual(AUDIO_FRAME);
    // No overlap: the second part is presented after the first, and not long after (the jump is closed).
    expect(Math.min(...starts)).toBeGreaterThan(Math.max(...ends));
    expect(Math.min(...starts) - Math.max(...ends)).toBeLessThan(0.25);
  });
});

test('ffmpeg reads master.m3u8 with every packet of the input (count and payloads)', () => {
  ffprobeBin();
  const input = readFileSync(join(thirdPartyDir(), 'mp4ff/prog_8s.mp4'));
  const pkg = packageHls(input, { segmentTime: 2 });
  const out = mkdtempSync(join(dir, 'master-'));
  for (const f of pkg.files) writeFileSync(join(out, f.name), f.data);
  writeFileSync(join(dir, 'prog.mp4'), input);
  const probe = ffprobeJson(join(out, 'master.m3u8'), ['-show_streams']) as { streams: Array<{ codec_type: string }> };
  expect(probe.streams.map((s) => s.codec_type).sort()).toEqual(['audio', 'video']);
  const ours = payloadMd5s(join(out, 'master.m3u8'), { inputOptions: ['-allowed_extensions', 'ALL'] });
  const theirs = payloadMd5s(join(dir, 'prog.mp4'));
  // Stream order may differ (the master lists video, then the audio group): compare as sets of sequences.
  expect(ours.map((x) => x.length).sort()).toEqual(theirs.map((x) => x.length).sort());
  expect(ours.map((x) => x.join()).sort()).toEqual(theirs.map((x) => x.join()).sort());
});

describe('bad arguments', () => {
  const data = own('h264-aac.mp4');
  test.each([0, -1, NaN, Infinity, '6'])('segmentTime %p → RangeError', (t) => {
    expect(() => packageHls(data, { segmentTime: t as number })).toThrow(RangeError);
  });
  test('encrypt: true → RangeError', () => expect(() => packageHls(data, { encrypt: true })).toThrow('encryption is not supported yet'));
  test('variant names: file-safe and unique', () => {
    expect(() => packageHls(data, { variants: [{ name: '../x' }] })).toThrow(RangeError);
    expect(() => packageHls(data, { variants: [{ name: 'a' }, { name: 'a' }] })).toThrow(/used twice/);
    expect(() => packageHls(data, { variants: [] })).toThrow(RangeError);
    expect(() => packageHls(data, { variants: [{ tracks: [7] }] })).toThrow(/stream 7/);
  });
  test('unknown option / not bytes', () => {
    expect(() => packageHls(data, { segmentTimeSec: 2 } as unknown as PackageHlsOptions)).toThrow(/unknown option 'segmentTimeSec'/);
    expect(() => packageHls('x' as unknown as Uint8Array)).toThrow(TypeError);
  });
  test('a codec MPEG-TS segments cannot carry → UNSUPPORTED_CODEC', () => {
    expect(() => packageHls(own('vp9-opus.mp4'), { segmentFormat: 'ts' })).toThrow(expect.objectContaining({ code: 'UNSUPPORTED_CODEC' }));
  });
});
