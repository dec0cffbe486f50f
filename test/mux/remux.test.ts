/**
 * Remux oracle: for every ISO-BMFF sample, the fMP4, MP4 and MOV outputs read back by ffprobe/ffmpeg with the
 * same packets per stream (pts, dts, size, key flag) and identical payload hashes (`-f framemd5 -c copy`), and
 * parsed by mp4box.js without errors. Round trip MP4 → fMP4 → MP4 keeps packets and payloads.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createFile, MP4BoxBuffer } from 'mp4box';
import { createFragmentedMp4, streamCopy } from '../../src/api/remux.js';
import { probeMedia } from '../../src/api/probe.js';
import { BoxwrightError } from '../../src/io/errors.js';
import { ffprobeJson, payloadMd5s } from '../helpers/ffprobe.js';
import { isoSamples } from '../helpers/samples.js';

const dir = mkdtempSync(join(tmpdir(), 'boxwright-remux-'));

interface Pkt {
  pts: string;
  dts: string;
  size: string;
  key: boolean;
  md5: string;
}

/**
 * Per stream (in output order): packets as ffprobe lists them (pts, dts, size, key flag) with the payload hash
 * from `ffmpeg -c copy -f framemd5` (whose own timestamps are shifted by the muxer, so only its hashes are used).
 */
function packetsOf(path: string, streams: number[], ignoreEditlist = false): Pkt[][] {
  const maps = streams.flatMap((s) => ['-map', `0:${s}`]);
  const ign = ignoreEditlist ? ['-ignore_editlist', '1'] : [];
  const hashes = payloadMd5s(path, { inputOptions: ign, maps });
  const probe = ffprobeJson(path, [...ign, '-show_packets']);
  const byStream: Pkt[][] = streams.map(() => []);
  for (const p of (probe?.packets ?? []) as Array<{ stream_index: number; flags: string; pts?: number; dts?: number; size: string }>) {
    const k = streams.indexOf(p.stream_index);
    if (k < 0) continue;
    byStream[k]!.push({ pts: String(p.pts), dts: String(p.dts), size: p.size, key: p.flags.startsWith('K'), md5: '' });
  }
  // framemd5 lists packets in the same per-stream order as ffprobe.
  byStream.forEach((list, k) => list.forEach((p, i) => (p.md5 = hashes[k]?.[i] ?? '')));
  return byStream;
}

/** Raw sample timing per track (with samples), as mp4box.js reads it: no edit-list processing. */
function mp4boxSamples(data: Uint8Array): Array<Array<{ dts: number; cts: number; size: number; sync: boolean }>> {
  const f = createFile();
  let ids: number[] = [];
  f.onReady = (info) => (ids = info.tracks.map((t) => t.id));
  const ab = data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength) as MP4BoxBuffer;
  ab.fileStart = 0;
  f.appendBuffer(ab);
  f.flush();
  return ids
    .map((id) => f.getTrackSamplesInfo(id).map((x) => ({ dts: x.dts, cts: x.cts, size: x.size, sync: x.is_sync })))
    .filter((list) => list.length > 0);
}

function mp4boxTracks(data: Uint8Array): number {
  const f = createFile();
  let tracks = -1;
  f.onReady = (info) => (tracks = info.tracks.length);
  f.onError = (e) => {
    throw new Error(`mp4box.js: ${String(e)}`);
  };
  const ab = data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength) as MP4BoxBuffer;
  ab.fileStart = 0;
  f.appendBuffer(ab);
  f.flush();
  return tracks;
}

/** Streams ffmpeg copies by default for our selection rule: first video + first audio. */
function selected(path: string, all: boolean): number[] {
  const streams = ((ffprobeJson(path, ['-show_streams'])?.streams ?? []) as Array<{ index: number; codec_type: string; codec_name?: string }>).filter(
    (s) => s.codec_name !== undefined,
  );
  if (all) return streams.map((s) => s.index);
  const v = streams.find((s) => s.codec_type === 'video');
  const a = streams.find((s) => s.codec_type === 'audio');
  return streams.filter((s) => s === v || s === a).map((s) => s.index);
}

const samples = isoSamples().filter((s) => {
  try {
    const r = probeMedia(s.data, { packets: true });
    return (
      (r.packets?.length ?? 0) > 0 &&
      r.streams.some((st) => (st.codec_type === 'video' || st.codec_type === 'audio') && st.codec_name !== undefined && !st.protection) &&
      !/encrypted|cbcs|cenc|sample_qt|annex-b|PIFF/.test(s.name)
    );
  } catch {
    return false;
  }
});

const results: string[] = [];

/** Whether ffmpeg reads a file as fragmented (its edit-list handling differs: fragments are only shifted). */
function isFragmented(data: Uint8Array): boolean {
  return probeMedia(data).format.format_name !== undefined && /moof/.test(Buffer.from(data.subarray(0, Math.min(data.length, 1 << 20))).toString('latin1'));
}

describe.each(samples.map((s) => [s.name, s] as const))('%s', (name, s) => {
  let input: Pkt[][] | undefined;
  let inputRaw: Pkt[][] | undefined;
  let streams: number[] = [];
  const inputFragmented = isFragmented(s.data);
  beforeAll(() => {
    streams = selected(s.path, false);
    input = packetsOf(s.path, streams);
    // Progressive and fragmented files apply edit lists differently in ffmpeg (discard vs shift), so a
    // progressive ↔ fragmented comparison is made on the raw sample times (-ignore_editlist 1 on both sides).
    inputRaw = packetsOf(s.path, streams, true);
  });

  test.each(['fmp4', 'mp4', 'mov'] as const)('%s output keeps every packet, timestamp and payload', (format) => {
    const out = format === 'fmp4' ? createFragmentedMp4(s.data).data : streamCopy(s.data, { format });
    const file = join(dir, `${name.replace(/\W/g, '_')}.${format === 'mov' ? 'mov' : 'mp4'}`);
    writeFileSync(file, out);
    const outStreams = selected(file, true);
    // createFragmentedMp4 writes every track; compare the ones ffmpeg selects by default on the input.
    const sameKind = (format === 'fmp4') === inputFragmented;
    const got = packetsOf(file, outStreams, !sameKind);
    const want = sameKind ? input! : inputRaw!;
    const pick = format === 'fmp4' ? streams.map((_s, k) => k) : want.map((_w, k) => k);
    for (const k of pick) {
      const a = want[k]!;
      const b = got[k]!;
      expect(b.length).toBe(a.length);
      expect(b.map((p) => p.md5)).toEqual(a.map((p) => p.md5));
      expect(b.map((p) => p.size)).toEqual(a.map((p) => p.size));
      if (sameKind) {
        // Same kind of file: ffprobe applies the edit lists the same way, so its timestamps must be identical.
        expect(b.map((p) => p.dts)).toEqual(a.map((p) => p.dts));
        expect(b.map((p) => p.pts)).toEqual(a.map((p) => p.pts));
        expect(b.map((p) => p.key)).toEqual(a.map((p) => p.key));
      }
    }
    if (!sameKind) {
      // Progressive ↔ fragmented: ffmpeg treats edit lists differently (discard vs shift), so compare the raw
      // sample times mp4box.js reads from both files.
      const inSamples = mp4boxSamples(s.data);
      const outSamples = mp4boxSamples(out);
      const chosen = format === 'fmp4' ? inSamples : inSamples.filter((_l, k) => streams.includes(k) || streams.length === inSamples.length);
      const n = Math.min(chosen.length, outSamples.length);
      expect(n).toBeGreaterThan(0);
      // A progressive file's stts starts at 0 (a later start becomes an empty edit): compare times from the first dts.
      const rebase = (l: Array<{ dts: number; cts: number; size: number; sync: boolean }>) => l.map((x) => ({ ...x, dts: x.dts - l[0]!.dts, cts: x.cts - l[0]!.dts }));
      // QuickTime PCM is regrouped into packets (as ffmpeg reads it): compare total bytes and duration instead.
      const pcm = /pcm_/.test(probeMedia(s.data).streams.map((x) => x.codec_name).join());
      for (let k = 0; k < n; k++) {
        if (pcm) expect(outSamples[k]!.reduce((a, x) => a + x.size, 0)).toBe(chosen[k]!.reduce((a, x) => a + x.size, 0));
        else expect(rebase(outSamples[k]!)).toEqual(rebase(chosen[k]!));
      }
    }
    expect(mp4boxTracks(out)).toBeGreaterThan(0);
    results.push(`${name} ${format}`);
  });

  test('round trip MP4 → fMP4 → MP4 keeps packets and payloads', () => {
    const back = streamCopy(createFragmentedMp4(streamCopy(s.data)).data);
    const file = join(dir, `${name.replace(/\W/g, '_')}-rt.mp4`);
    writeFileSync(file, back);
    const got = packetsOf(file, selected(file, true));
    input!.forEach((a, k) => expect(got[k]!.map((p) => p.md5)).toEqual(a.map((p) => p.md5)));
  });
});

test('bad arguments and bad media', () => {
  const any = samples[0]!.data;
  expect(() => streamCopy(any, { map: 'some' as never })).toThrow(RangeError);
  expect(() => streamCopy(any, { format: 'avi' as never })).toThrow(RangeError);
  expect(() => createFragmentedMp4(any, { fragmentDurationSec: -1 })).toThrow(RangeError);
  expect(() => streamCopy('x' as never)).toThrow(TypeError);
  expect(() => createFragmentedMp4(new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8, 9]))).toThrow(BoxwrightError);
  const video = samples.find((s) => s.name.endsWith('samples/long-gop-h264.mp4'))!;
  expect(() => streamCopy(video.data, { format: 'm4a' })).not.toThrow();
});

afterAll(() => console.log(`remux outputs checked: ${results.length}`));
