/**
 * demuxMedia / readPackets against independent oracles:
 * - MP4/MOV/fMP4: ffprobe -show_packets per stream (count, pts/dts as presentation timestamps — ffmpeg applies the
 *   edit list the same way —, duration, size, K flag) and `ffmpeg -c copy -f framemd5` hashes of the packet bytes;
 *   mp4box.js for the codec strings and for where the configuration record lies (our `description` must equal the
 *   body of the avcC/hvcC box mp4box.js located, and the AAC DecoderSpecificInfo it parsed).
 * - MPEG-TS and ADTS, whose ffprobe packets are Annex B access units / ADTS frames: ffprobe on the input for count,
 *   pts, dts and K flags; for the bytes, ffmpeg's own Annex B → length-prefixed / ADTS → raw conversion
 *   (`ffmpeg -i in.ts -c copy out.mp4`, its mov muxer), whose packets (read back with `-c copy -f data`) must equal
 *   ours once their access unit delimiters and in-band parameter sets are dropped (ours are in the description)
 *   and trailing zero bytes trimmed (Annex B trailing_zero_8bits, which ffmpeg leaves on a NAL unit), and whose
 *   avcC/hvcC parameter sets and AudioSpecificConfig must be ours.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createFile, type MP4BoxBuffer } from 'mp4box';
import { demuxMedia, readPackets, type MediaTrack, type WebCodecsVideoConfig } from '../../src/api/packets.js';
import { BoxwrightError } from '../../src/io/errors.js';
import { avcCNals, hvcCNals } from '../model/codec/helpers.js';
import { ffprobeBin, ffprobeJson, payloadMd5s } from '../helpers/ffprobe.js';
import { OWN_SAMPLES, thirdPartyDir } from '../helpers/samples.js';

const dir = mkdtempSync(join(tmpdir(), 'boxwright-packets-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const own = (n: string): string => join(OWN_SAMPLES, n);
const third = (n: string): string => join(thirdPartyDir(), n);
const md5 = (b: Uint8Array): string => createHash('md5').update(b).digest('hex');

interface FfPacket {
  stream_index: number;
  pts?: number;
  dts?: number;
  duration?: number;
  size: string;
  flags: string;
}
interface FfStream {
  index: number;
  time_base: string;
}

/** ffprobe's packets grouped by stream, and each stream's time base as [num, den]. */
function ffPackets(path: string): { packets: FfPacket[][]; timeBase: Array<[number, number]> } {
  const j = ffprobeJson(path, ['-show_packets', '-show_streams'])!;
  const streams = j.streams as FfStream[];
  const packets: FfPacket[][] = streams.map(() => []);
  for (const p of j.packets as FfPacket[]) packets[p.stream_index]!.push(p);
  return { packets, timeBase: streams.map((s) => s.time_base.split('/').map(Number) as [number, number]) };
}

interface BoxSample {
  dts: number;
  cts: number;
  duration: number;
  size: number;
  is_sync: boolean;
}

/** mp4box.js's view: codec string per track, the sample entry of each track, and its samples as stored. */
function mp4box(data: Uint8Array): { codecs: string[]; entries: Array<Record<string, any>>; samples: BoxSample[][] } {
  const f = createFile();
  let codecs: string[] = [];
  let ids: number[] = [];
  f.onReady = (info) => {
    codecs = info.tracks.map((t) => t.codec);
    ids = info.tracks.map((t) => t.id);
  };
  const ab = data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength) as MP4BoxBuffer;
  ab.fileStart = 0;
  f.appendBuffer(ab);
  f.flush();
  return {
    codecs,
    entries: ids.map((id) => (f.getTrackById(id) as any).mdia.minf.stbl.stsd.entries[0]),
    samples: ids.map((id) => f.getTrackSamplesInfo(id) as unknown as BoxSample[]),
  };
}

const usOf = (ticks: number, [num, den]: [number, number]): number => Math.round((ticks * num * 1e6) / den);

const MP4_SAMPLES = [
  own('h264-aac.mp4'),
  own('h264-aac.mov'),
  own('hevc-aac.mp4'),
  own('hevc-hev1.mp4'),
  own('av1.mp4'),
  own('vp9-opus.mp4'),
  own('opus.mp4'),
  own('flac.mp4'),
  own('h264-negcts.mp4'),
  own('h264-aac-frag.mp4'),
  own('multi-track.mp4'),
  own('ac3.mp4'),
  own('mp3.mp4'),
];
const MP4_THIRD = ['mediabunny/edts.mp4', 'mp4ff/bbb_prog_10s.mp4', 'mp4ff/ed_hevc.mp4', 'mp4ff/prog_8s.mp4'];

describe.each([...MP4_SAMPLES, ...MP4_THIRD.map(third)].map((p) => [p.replace(/^.*\/(samples|thirdparty)\//, ''), p]))('MP4 %s', (_name, path) => {
  const data = new Uint8Array(readFileSync(path));
  const media = demuxMedia(data);

  test('packets: dts/pts/duration/size/sync as mp4box.js reads them; timestamps, K flags and bytes as ffmpeg gives them; views of the input', () => {
    const ff = ffPackets(path);
    const hashes = payloadMd5s(path);
    const stored = mp4box(data).samples;
    const tracks = media.tracks.filter((t) => t.sampleCount > 0);
    expect(tracks.length).toBe(ff.packets.filter((p) => p.length > 0).length);
    let s = 0;
    for (const t of media.tracks) {
      const ffp = ff.packets[s]!;
      const tb = ff.timeBase[s]!;
      const h = hashes[s] ?? [];
      const mine = stored[s]!;
      s++;
      if (t.sampleCount === 0) continue;
      expect(t.sampleCount).toBe(ffp.length);
      expect(h.length).toBe(ffp.length);
      let k = 0;
      for (const p of t.packets()) {
        const q = ffp[k]!;
        const m = mine[k]!;
        // The stored times (no edit list) as mp4box.js reads the sample table / truns.
        expect([k, p.dts, p.pts, p.data.length]).toEqual([k, m.dts, m.cts, m.size]);
        // Durations as stored, but where the model follows ffmpeg (a last sample's duration from the media
        // duration, mp4ff/ed_hevc.mp4), as ffmpeg's.
        expect([k, p.duration]).toEqual([k, p.duration === q.duration ? q.duration : m.duration]);
        // The presentation time with the edit list applied, as ffmpeg's demuxer gives it; its sizes too.
        expect([k, p.timestamp, p.data.length]).toEqual([k, usOf(q.pts!, tb), Number(q.size)]);
        if (t.kind === 'video') expect(p.key).toBe(m.is_sync);
        // ffprobe's K on H.264/HEVC comes from its parser; our samples are IDR-keyed by the container, the same here.
        if (t.kind === 'video') expect(p.key).toBe(q.flags.startsWith('K'));
        else expect(p.key).toBe(true);
        expect(p.type).toBe(p.key ? 'key' : 'delta');
        expect(md5(p.data)).toBe(h[k]);
        // Zero-copy: a view of the input's buffer.
        expect(p.data.buffer).toBe(data.buffer);
        k++;
      }
    }
  });

  test('codec strings and descriptions agree with mp4box.js', () => {
    const box = mp4box(data);
    media.tracks.forEach((t, i) => {
      const cfg = t.decoderConfig;
      const entry = box.entries[i]!;
      if (!cfg) {
        if (t.codec) expect(t.codec).not.toMatch(/^(h264|hevc|av1|vp9|aac|opus|flac)$/);
        return;
      }
      const theirs = box.codecs[i]!;
      // mp4box.js names Opus and FLAC by their sample entry ('Opus', 'fLaC'); WebCodecs by 'opus' and 'flac'. MP3 in MP4: 'mp4a.6b' vs WebCodecs 'mp3'.
      // For AV1 mp4box.js gives the short form (profile, level, tier, bit depth), ours adds the optional colour fields.
      if (t.codec === 'mp3') expect(cfg.codec).toBe('mp3');
      else if (t.codec === 'av1') expect(cfg.codec.startsWith(theirs)).toBe(true);
      else expect(cfg.codec.toLowerCase()).toBe(theirs.toLowerCase());
      const rec = entry.avcC ?? entry.hvcC;
      if (t.codec === 'h264' || t.codec === 'hevc') {
        // The record's body exactly as stored where mp4box.js found the box.
        expect(Buffer.from(cfg.description!).toString('hex')).toBe(Buffer.from(data.subarray(rec.start + rec.hdr_size, rec.start + rec.size)).toString('hex'));
      } else if (t.codec === 'aac') {
        // QuickTime keeps the esds inside a 'wave' box.
        const esds = entry.esds ?? entry.boxes?.find((b: { type: string }) => b.type === 'wave')?.boxes?.find((b: { type: string }) => b.type === 'esds');
        const dsi = esds.esd.descs[0].descs[0].data as Uint8Array;
        expect(Buffer.from(cfg.description!).toString('hex')).toBe(Buffer.from(dsi).toString('hex'));
      } else if (t.codec === 'opus') {
        const d = cfg.description!;
        expect(String.fromCharCode(...d.subarray(0, 8))).toBe('OpusHead');
        const v = new DataView(d.buffer, d.byteOffset, d.length);
        const dOps = entry.dOps;
        expect([d[9], v.getUint16(10, true), v.getUint32(12, true), v.getInt16(16, true), d[18]]).toEqual([
          dOps.OutputChannelCount,
          dOps.PreSkip,
          dOps.InputSampleRate,
          dOps.OutputGain,
          dOps.ChannelMappingFamily,
        ]);
      } else if (t.codec === 'flac') {
        const d = cfg.description!;
        expect(String.fromCharCode(...d.subarray(0, 4))).toBe('fLaC');
        // STREAMINFO first: type 0, 34 bytes.
        expect([d[4]! & 0x7f, (d[5]! << 16) | (d[6]! << 8) | d[7]!]).toEqual([0, 34]);
        const dfLa = entry.dfLa;
        expect(Buffer.from(d.subarray(4)).toString('hex')).toBe(Buffer.from(data.subarray(dfLa.start + dfLa.hdr_size, dfLa.start + dfLa.size)).toString('hex'));
      } else {
        expect(cfg.description).toBeUndefined();
      }
      if (t.kind === 'video') {
        const v = cfg as { codedWidth: number; codedHeight: number };
        expect([v.codedWidth, v.codedHeight]).toEqual([entry.width, entry.height]);
      } else {
        const a = cfg as { sampleRate: number; numberOfChannels: number };
        expect(a.numberOfChannels).toBe(t.codec === 'opus' ? entry.dOps.OutputChannelCount : entry.channel_count);
        expect(a.sampleRate).toBe(t.codec === 'opus' ? 48000 : entry.samplerate);
      }
    });
  });
});

/** The packets of the first `kind` ('v' | 'a') stream of `path` as ffmpeg's demuxer returns them (stream copy): sizes from framemd5, bytes from `-f data`. */
function ffPacketBytes(path: string, kind: 'v' | 'a'): Uint8Array[] {
  const args = ['-v', 'error', '-i', path, '-map', `0:${kind}:0`, '-c', 'copy'];
  const sizes = execFileSync('ffmpeg', [...args, '-f', 'framemd5', '-'], { maxBuffer: 1 << 28 })
    .toString()
    .split('\n')
    .filter((l) => l && !l.startsWith('#'))
    .map((l) => Number(l.split(',')[4]));
  const all = new Uint8Array(execFileSync('ffmpeg', [...args, '-f', 'data', '-'], { maxBuffer: 1 << 28 }));
  let at = 0;
  return sizes.map((n) => all.subarray(at, (at += n)));
}

/**
 * A NAL unit without trailing zero bytes: Annex B's trailing_zero_8bits (and the first zero of a 4-byte start
 * code) are not NAL unit bytes — a NAL unit ends in its rbsp_stop_one_bit or a cabac_zero_word's 0x03 —, but
 * ffmpeg's Annex B parser leaves them on the NAL unit before.
 */
function trimZeros(nal: Uint8Array): Uint8Array {
  let end = nal.length;
  while (end > 1 && nal[end - 1] === 0) end--;
  return nal.subarray(0, end);
}

/** A length-prefixed (4-byte) access unit without its delimiters and parameter sets, its NAL units trimmed (`trimZeros`). */
function withoutNals(au: Uint8Array, hevc: boolean): Uint8Array {
  const kept: Uint8Array[] = [];
  for (let at = 0; at + 4 <= au.length; ) {
    const len = ((au[at]! << 24) >>> 0) + (au[at + 1]! << 16) + (au[at + 2]! << 8) + au[at + 3]!;
    const nal = trimZeros(au.subarray(at + 4, at + 4 + len));
    const type = hevc ? (nal[0]! >> 1) & 63 : nal[0]! & 31;
    if (!(hevc ? type >= 32 && type <= 35 : type >= 7 && type <= 9)) kept.push(new Uint8Array([nal.length >>> 24, (nal.length >> 16) & 255, (nal.length >> 8) & 255, nal.length & 255]), nal);
    at += 4 + len;
  }
  return Buffer.concat(kept);
}

const FF_MATRIX: Record<string, string> = { bt709: 'bt709', bt470bg: 'bt470bg', smpte170m: 'smpte170m', bt2020nc: 'bt2020-ncl', gbr: 'rgb' };
const FF_TRANSFER: Record<string, string> = { bt709: 'bt709', smpte170m: 'smpte170m', 'iec61966-2-1': 'iec61966-2-1', linear: 'linear', smpte2084: 'pq', 'arib-std-b67': 'hlg' };

test.each(['mp4ff/bbb_prog_10s.mp4', 'mediabunny/sar_2x1.mp4', 'mp4ff/ed_hevc.mp4', 'mediabunny/cursed-vfr.mp4', 'mediabunny/edts.mp4'])(
  '%s: display aspect and colour space as ffprobe reports them',
  (file) => {
    const t = demuxMedia(new Uint8Array(readFileSync(third(file)))).tracks.find((x) => x.kind === 'video')!;
    const cfg = t.decoderConfig as WebCodecsVideoConfig;
    const s = (ffprobeJson(third(file), ['-select_streams', 'v:0', '-show_streams'])!.streams as Array<Record<string, string | number>>)[0]!;
    expect([cfg.codedWidth, cfg.codedHeight]).toEqual([s.width, s.height]);
    const sar = String(s.sample_aspect_ratio ?? '1:1');
    if (sar !== '1:1' && sar !== '0:1') expect(`${cfg.displayAspectWidth}:${cfg.displayAspectHeight}`).toBe(s.display_aspect_ratio);
    else expect(cfg.displayAspectWidth).toBeUndefined();
    const expected: Record<string, unknown> = {};
    if (s.color_primaries && s.color_primaries !== 'unknown') expected.primaries = s.color_primaries;
    if (s.color_transfer && s.color_transfer !== 'unknown') expected.transfer = FF_TRANSFER[s.color_transfer as string];
    if (s.color_space && s.color_space !== 'unknown') expected.matrix = FF_MATRIX[s.color_space as string];
    if (s.color_range === 'tv' || s.color_range === 'pc') expected.fullRange = s.color_range === 'pc';
    expect(cfg.colorSpace ?? {}).toEqual(expected);
  },
);

/** ffmpeg's own stream copy into MP4: its mov muxer converts Annex B to length-prefixed NAL units and strips ADTS headers. */
function ffmpegMp4(path: string, name: string): string {
  ffprobeBin();
  const out = join(dir, `${name}.mp4`);
  execFileSync('ffmpeg', ['-v', 'error', '-y', '-i', path, '-map', '0:v?', '-map', '0:a?', '-c', 'copy', out]);
  return out;
}

/** The parameter sets of an avcC/hvcC body as hex strings (sorted, trailing zeros trimmed), to compare records that may differ in layout. */
const hexOf = (b: Uint8Array): string => Buffer.from(trimZeros(b)).toString('hex');

function parameterSets(desc: Uint8Array, codec: string): string[] {
  const nals =
    codec === 'h264'
      ? Object.values(avcCNals(desc)).flat()
      : [...hvcCNals(desc)].filter(([type]) => type >= 32 && type <= 34).flatMap(([, list]) => list);
  return nals.map(hexOf).sort();
}

const ES_SAMPLES: Array<[string, string]> = [
  ['h264-aac.ts', own('h264-aac.ts')],
  ['hevc-aac.ts', own('hevc-aac.ts')],
  ['h264-aac-m2ts.m2ts', own('h264-aac-m2ts.m2ts')],
  ['aac.adts', own('aac.adts')],
  ['mux.js/test-segment.ts', third('mux.js/test-segment.ts')],
];

describe.each(ES_SAMPLES)('Annex B / ADTS input %s', (name, path) => {
  const data = new Uint8Array(readFileSync(path));
  const media = demuxMedia(data);

  test('timestamps and key flags equal ffprobe on the input; payloads hash as ffmpeg’s own stream copy to MP4', () => {
    const ff = ffPackets(path);
    const copy = ffmpegMp4(path, name.replace(/\W/g, '_'));
    const copyBox = mp4box(new Uint8Array(readFileSync(copy)));
    // Our packets carry the pictures' NAL units only: access unit delimiters and parameter sets go to the
    // description (a change of parameter sets starts a new one). ffmpeg's mov muxer keeps them in the samples, so
    // they are taken out of its packets before comparing (H.264 types 7/8/9, HEVC 32–35).
    // The copy holds the video then the audio stream (our track order for these inputs: video first).
    const tracks = media.tracks.filter((t) => t.sampleCount > 0 && (t.kind === 'video' || t.kind === 'audio'));
    expect(tracks.map((t) => t.kind)).toEqual([...tracks.map((t) => t.kind)].sort((a, b) => (a === b ? 0 : a === 'video' ? -1 : 1)));
    tracks.forEach((t, c) => {
      const s = media.tracks.indexOf(t);
      const ffp = ff.packets[s]!;
      const tb = ff.timeBase[s]!;
      expect(t.sampleCount).toBe(ffp.length);
      const theirs = ffPacketBytes(copy, t.kind === 'video' ? 'v' : 'a').map((b) => (t.kind === 'video' ? withoutNals(b, t.codec === 'hevc') : b));
      expect(theirs.length).toBe(t.sampleCount);
      let k = 0;
      for (const p of t.packets()) {
        const q = ffp[k]!;
        expect([k, p.timestamp]).toEqual([k, usOf(q.pts!, tb)]);
        // Ticks compare where ffmpeg's time base is the track's (MPEG-TS: 90 kHz; its ADTS demuxer uses 1/28224000).
        if (tb[0] === 1 && tb[1] === t.timescale) expect([k, p.pts, p.dts]).toEqual([k, q.pts, q.dts]);
        expect(p.key).toBe(t.kind === 'audio' || q.flags.startsWith('K'));
        expect([k, md5(p.data)]).toEqual([k, md5(theirs[k]!)]);
        k++;
      }
      const cfg = t.decoderConfig!;
      // ffmpeg's muxer names TS HEVC 'hev1' (parameter sets may stay in the samples); ours are all in the
      // description, so 'hvc1'. The profile/tier/level fields after the sample entry type must agree.
      expect(cfg.codec.replace(/^hev1\./, 'hvc1.')).toBe(copyBox.codecs[c]!.replace(/^hev1\./, 'hvc1.'));
      if (t.codec === 'hevc') expect(cfg.codec.startsWith('hvc1.')).toBe(true);
      const entry = copyBox.entries[c]!;
      if (t.codec === 'h264' || t.codec === 'hevc') {
        const rec = entry.avcC ?? entry.hvcC;
        const theirs = readFileSync(copy).subarray(rec.start + rec.hdr_size, rec.start + rec.size);
        expect(parameterSets(cfg.description!, t.codec)).toEqual(parameterSets(new Uint8Array(theirs), t.codec));
        // 4-byte NAL unit lengths, as the packets have.
        expect(cfg.description![t.codec === 'h264' ? 4 : 21]! & 3).toBe(3);
      } else {
        expect(Buffer.from(cfg.description!).toString('hex')).toBe(Buffer.from(entry.esds.esd.descs[0].descs[0].data as Uint8Array).toString('hex'));
      }
    });
  });
});

test('elementary streams and WAV: codec strings WebCodecs registers, raw frames as views of the input', () => {
  const expectTrack = (file: string, codec: string, sampleRate: number, channels: number): MediaTrack => {
    const data = new Uint8Array(readFileSync(own(file)));
    const t = demuxMedia(data).tracks[0]!;
    expect(t.decoderConfig).toEqual({ codec, sampleRate, numberOfChannels: channels });
    for (const p of t.packets()) {
      expect(p.data.buffer).toBe(data.buffer);
      expect(p.key).toBe(true);
    }
    const ff = ffPackets(own(file));
    expect(t.sampleCount).toBe(ff.packets[0]!.length);
    return t;
  };
  expectTrack('mp3.mp3', 'mp3', 48000, 2);
  expectTrack('ac3.ac3', 'ac-3', 48000, 2);
  expectTrack('pcm.wav', 'pcm-s16', 24000, 2);
  expectTrack('pcm-float.wav', 'pcm-f32', 24000, 2);
});

test('readPackets picks a track; ranges; timestamps follow the edit list; startUs', () => {
  const data = new Uint8Array(readFileSync(own('h264-aac.mp4')));
  const media = demuxMedia(data);
  const video = media.tracks.find((t) => t.kind === 'video')!;
  const audio = media.tracks.find((t) => t.kind === 'audio')!;
  expect(media.track(audio.id)).toBe(audio);
  expect(media.track(999)).toBeUndefined();
  // Default: the first video track.
  expect([...readPackets(data)].map((p) => p.dts)).toEqual([...video.packets()].map((p) => p.dts));
  expect([...readPackets(data, { trackId: audio.id, start: 2, end: 5 })].map((p) => p.index)).toEqual([2, 3, 4]);
  expect(audio.packet(3)).toEqual([...audio.packets({ start: 3, end: 4 })][0]);
  // Edit list: the first frame presented at 0, the AAC priming frame before it; startUs is the earliest.
  expect(Math.min(...[...video.packets()].map((p) => p.timestamp))).toBe(0);
  expect(audio.packet(0).timestamp).toBeLessThan(0);
  expect(media.startUs).toBe(audio.packet(0).timestamp);
  // MPEG-TS keeps its clock.
  const ts = demuxMedia(new Uint8Array(readFileSync(own('h264-aac.ts'))));
  expect(ts.startUs).toBeGreaterThan(1_000_000);
});

test('bad arguments throw TypeError/RangeError before any work; bad media BoxwrightError', () => {
  const data = new Uint8Array(readFileSync(own('h264-aac.mp4')));
  expect(() => demuxMedia('x' as unknown as Uint8Array)).toThrow(TypeError);
  expect(() => demuxMedia(data, null as unknown as object)).toThrow(TypeError);
  expect(() => demuxMedia(data, { bogus: 1 } as object)).toThrow(RangeError);
  expect(() => demuxMedia(data, { init: [] as unknown as Uint8Array })).toThrow(TypeError);
  expect(() => readPackets(data, { trackId: 1.5 })).toThrow(TypeError);
  expect(() => readPackets(data, { start: -1 })).toThrow(RangeError);
  expect(() => readPackets(data, { end: 1e9 })).toThrow(RangeError);
  expect(() => readPackets(data, { trackId: 42 })).toThrow(BoxwrightError);
  const t = demuxMedia(data).tracks[0]!;
  expect(() => t.packet(t.sampleCount)).toThrow(RangeError);
  expect(() => t.packet(0.5)).toThrow(TypeError);
  expect(() => t.packets({ start: 'a' as unknown as number })).toThrow(TypeError);
  expect(() => demuxMedia(new Uint8Array(100))).toThrow(BoxwrightError);
  expect(() => demuxMedia(new Uint8Array(0))).toThrow(BoxwrightError);
  // A file cut inside its mdat: the complete samples only.
  const cut = demuxMedia(data.subarray(0, Math.floor(data.length * 0.6)));
  for (const tr of cut.tracks) for (const p of tr.packets()) expect(p.data.length).toBeGreaterThan(0);
});

test('an encrypted track is reported with its scheme and no decoder configuration', () => {
  const media = demuxMedia(new Uint8Array(readFileSync(own('encrypted-cenc.mp4'))));
  for (const t of media.tracks) {
    expect(t.encryption).toBe('cenc');
    expect(t.decoderConfig).toBeUndefined();
  }
});

/**
 * HEVC, which the Chromium build of the WebCodecs test cannot decode: our packets and description turned back
 * into an Annex B stream (the description's parameter sets before each key packet, start codes for the lengths)
 * decode with ffmpeg to one frame per packet, without a decoder error.
 */
test.each(['hevc-aac.mp4', 'hevc-aac.ts', 'hevc-hev1.mp4'])('%s: HEVC packets + hvcC description decode with ffmpeg, one frame per packet', (file) => {
  const t = demuxMedia(new Uint8Array(readFileSync(own(file)))).tracks.find((x) => x.codec === 'hevc')!;
  const desc = t.decoderConfig!.description!;
  const params: Uint8Array[] = [];
  let at = 23;
  for (let a = 0, n = desc[22]!; a < n; a++) {
    const count = (desc[at + 1]! << 8) | desc[at + 2]!;
    at += 3;
    for (let i = 0; i < count; i++) {
      const len = (desc[at]! << 8) | desc[at + 1]!;
      params.push(desc.subarray(at + 2, at + 2 + len));
      at += 2 + len;
    }
  }
  const START = new Uint8Array([0, 0, 0, 1]);
  const parts: Uint8Array[] = [];
  for (const p of t.packets()) {
    if (p.key) for (const ps of params) parts.push(START, ps);
    for (let i = 0; i + 4 <= p.data.length; ) {
      const len = ((p.data[i]! << 24) >>> 0) + (p.data[i + 1]! << 16) + (p.data[i + 2]! << 8) + p.data[i + 3]!;
      parts.push(START, p.data.subarray(i + 4, i + 4 + len));
      i += 4 + len;
    }
  }
  const es = join(dir, `${file}.hevc`);
  writeFileSync(es, Buffer.concat(parts));
  ffprobeBin();
  const r = spawnSync('ffprobe', ['-v', 'error', '-count_frames', '-show_entries', 'stream=nb_read_frames', '-of', 'csv=p=0', '-f', 'hevc', es], { encoding: 'utf8' });
  expect(r.stderr).toBe('');
  expect(Number(r.stdout.trim())).toBe(t.sampleCount);
});
