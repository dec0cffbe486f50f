/**
 * packageDash: the MPD parsed by fast-xml-parser and checked against the segments (SegmentTimeline sums to the
 * duration, S@t equals each segment's tfdt, every referenced file exists, indexRange points at a sidx whose
 * references match the fragments), ffmpeg reads manifest.mpd, the documented argument errors.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { packageDash, type DashPackage, type PackageDashOptions } from '../../src/api/dash.js';
import { packageStreams } from '../../src/api/streams.js';
import { findBox, findBoxes, readBoxes } from '../../src/api/boxes.js';
import { ffprobeBin, ffprobeJson } from '../helpers/ffprobe.js';
import { OWN_SAMPLES, thirdPartyDir } from '../helpers/samples.js';

const own = (f: string): Uint8Array => readFileSync(join(OWN_SAMPLES, f));
type Node = Record<string, unknown>;
const list = (x: unknown): Node[] => (x === undefined ? [] : Array.isArray(x) ? (x as Node[]) : [x as Node]);

function parseMpd(text: string): Node {
  const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', parseAttributeValue: false });
  return parser.parse(text, true) as Node;
}

/** Seconds of an ISO 8601 duration as we write them (PT#H#M#S). */
function seconds(iso: string): number {
  const m = /^PT(?:(\d+)H)?(?:(\d+)M)?(?:([\d.]+)S)?$/.exec(iso)!;
  return Number(m[1] ?? 0) * 3600 + Number(m[2] ?? 0) * 60 + Number(m[3] ?? 0);
}

function check(pkg: DashPackage): void {
  const files = new Map(pkg.segments.map((s) => [s.name, s.data]));
  const mpd = parseMpd(pkg.mpd).MPD as Node;
  expect(mpd.xmlns).toBe('urn:mpeg:dash:schema:mpd:2011');
  expect(mpd.type).toBe('static');
  const duration = seconds(mpd.mediaPresentationDuration as string);
  for (const set of list((mpd.Period as Node).AdaptationSet)) {
    for (const rep of list(set.Representation)) {
      if (pkg.profile === 'live') {
        const tpl = rep.SegmentTemplate as Node;
        const timescale = Number(tpl.timescale);
        const init = files.get(tpl.initialization as string);
        expect(init).toBeDefined();
        let number = Number(tpl.startNumber);
        let t = -1;
        let total = 0;
        for (const s of list((tpl.SegmentTimeline as Node).S)) {
          if (s.t !== undefined) t = Number(s.t);
          for (let k = 0; k <= Number(s.r ?? 0); k++) {
            const name = (tpl.media as string).replace(/\$Number%05d\$/, String(number).padStart(5, '0'));
            const seg = files.get(name);
            expect(seg).toBeDefined(); // every referenced segment exists
            // S@t is the segment's tfdt.
            const tfdt = findBox(readBoxes(seg!), 'moof/traf/tfdt')!.value as { baseMediaDecodeTime: number };
            expect(tfdt.baseMediaDecodeTime).toBe(t);
            t += Number(s.d);
            total += Number(s.d);
            number++;
          }
        }
        // The timeline sums to the presentation's duration (the longest track's; others within a frame).
        expect(Math.abs(total / timescale - duration)).toBeLessThanOrEqual(0.05);
      } else {
        const base = rep.SegmentBase as Node;
        const file = files.get(rep.BaseURL as string)!;
        expect(file).toBeDefined();
        const [s0, s1] = (base.indexRange as string).split('-').map(Number);
        const sidxBytes = file.subarray(s0!, s1! + 1);
        expect(new TextDecoder().decode(sidxBytes.subarray(4, 8))).toBe('sidx');
        const sidx = readBoxes(sidxBytes).boxes[0]!.value as { references: Array<{ referencedSize: number; subsegmentDuration: number }>; firstOffset: number };
        // The references tile the rest of the file: each starts with a moof, sizes add up.
        let at = s1! + 1 + sidx.firstOffset;
        for (const r of sidx.references) {
          expect(new TextDecoder().decode(file.subarray(at + 4, at + 8))).toBe('moof');
          const frag = readBoxes(file.subarray(at, at + r.referencedSize));
          let ticks = 0;
          for (const trun of findBoxes(frag, 'moof/traf/trun')) {
            const v = trun.value as { sampleCount: number; sampleDuration?: ArrayLike<number> };
            const tfhd = findBox({ boxes: [frag.boxes.find((b) => b.type === 'moof')!] }, 'moof/traf/tfhd')!.value as { defaultSampleDuration?: number };
            for (let i = 0; i < v.sampleCount; i++) ticks += v.sampleDuration ? v.sampleDuration[i]! : tfhd.defaultSampleDuration!;
          }
          // (A subsegment may hold several moofs, one per GOP.)
          let sum = 0;
          for (const moof of frag.boxes.filter((b) => b.type === 'moof')) {
            for (const traf of (moof.children ?? []).filter((c) => c.type === 'traf')) {
              const tfhd = traf.children!.find((c) => c.type === 'tfhd')!.value as { defaultSampleDuration?: number };
              for (const trun of traf.children!.filter((c) => c.type === 'trun')) {
                const v = trun.value as { sampleCount: number; sampleDuration?: ArrayLike<number> };
                for (let i = 0; i < v.sampleCount; i++) sum += v.sampleDuration ? v.sampleDuration[i]! : tfhd.defaultSampleDuration!;
              }
            }
          }
          expect(ticks).toBeGreaterThan(0);
          expect(sum).toBe(r.subsegmentDuration);
          at += r.referencedSize;
        }
        expect(at).toBe(file.length);
        const [i0, i1] = ((base.Initialization as Node).range as string).split('-').map(Number);
        expect(i0).toBe(0);
        expect(new TextDecoder().decode(file.subarray(4, 8))).toBe('ftyp');
        expect(i1! + 1).toBe(s0);
      }
    }
  }
}

describe.each([['live' as const], ['on-demand' as const]])('%s', (profile) => {
  const cases: Array<[string, () => Uint8Array, PackageDashOptions]> = [
    ['h264-aac.mp4', () => own('h264-aac.mp4'), { segmentTime: 0.5 }],
    ['prog_8s.mp4', () => readFileSync(join(thirdPartyDir(), 'mp4ff/prog_8s.mp4')), { segmentTime: 2 }],
    ['multi-track.mp4', () => own('multi-track.mp4'), { segmentTime: 0.5 }],
    ['aac.m4a', () => own('aac.m4a'), { segmentTime: 1 }],
    ['h264-aac.ts', () => own('h264-aac.ts'), { segmentTime: 0.5 }],
  ];
  test.each(cases)('%s: the MPD matches the segments', (_n, input, options) => {
    const pkg = packageDash(input(), { ...options, profile });
    expect(pkg).toMatchObject({ type: 'dash', profile });
    check(pkg);
  });

  test('ffmpeg reads manifest.mpd: per stream, every packet of the input with its timestamps, duration and payload', () => {
    ffprobeBin();
    const input = readFileSync(join(thirdPartyDir(), 'mp4ff/prog_8s.mp4'));
    const pkg = packageDash(input, { segmentTime: 2, profile });
    const dir = mkdtempSync(join(tmpdir(), `boxwright-dash-${profile}-`));
    writeFileSync(join(dir, 'manifest.mpd'), pkg.mpd);
    for (const s of pkg.segments) writeFileSync(join(dir, s.name), s.data);
    writeFileSync(join(dir, 'input.mp4'), input);
    // pts/dts/duration as ffprobe presents them (edit lists applied for the input; our output needs none) + MD5 of the payload.
    const packets = (path: string, stream: string): string[] => {
      const p = ffprobeJson(path, ['-select_streams', stream, '-show_packets', '-show_data_hash', 'MD5']) as {
        packets: Array<{ pts_time?: string; dts_time?: string; duration_time?: string; data_hash?: string }>;
      };
      return p.packets.map((k) => `${k.pts_time} ${k.dts_time} ${k.duration_time} ${k.data_hash}`);
    };
    for (const stream of ['v:0', 'a:0']) {
      const theirs = packets(join(dir, 'input.mp4'), stream);
      expect(theirs.length).toBeGreaterThan(100);
      expect(packets(join(dir, 'manifest.mpd'), stream)).toEqual(theirs);
    }
    // Reading both streams at once, ffmpeg 5.1's DASH demuxer stops at the end of the audio and drops the last few
    // pictures (7.93–8.0 s here; with one stream selected, above, it returns them all). So: nothing extra,
    // at most 3 missing, all of them at the end.
    const all = ffprobeJson(join(dir, 'manifest.mpd'), ['-show_packets']) as { packets: Array<{ codec_type?: string; stream_index: number }> };
    const total = all.packets.length;
    expect(total).toBeLessThanOrEqual(240 + 375);
    expect(total).toBeGreaterThanOrEqual(240 + 375 - 3);
  });
});

test('packageStreams: the playlists and the MPD reference the same files, each once', () => {
  const pkg = packageStreams(own('multi-track.mp4'), { segmentTime: 0.5 });
  const names = new Set(pkg.files.map((f) => f.name));
  expect(names.size).toBe(pkg.files.length);
  for (const s of pkg.dash.segments) expect(names.has(s.name)).toBe(true);
  for (const r of [...pkg.hls.variants, ...pkg.hls.renditions]) for (const s of r.segments) expect(pkg.files.find((f) => f.name === s.name)!.data).toBe(pkg.dash.segments.find((d) => d.name === s.name)!.data);
  expect(names.has('master.m3u8') && names.has('manifest.mpd')).toBe(true);
});

describe('bad arguments', () => {
  const data = own('h264-aac.mp4');
  test.each([0, -1, NaN, Infinity])('segmentTime %p → RangeError', (t) => expect(() => packageDash(data, { segmentTime: t })).toThrow(RangeError));
  test('unknown profile → RangeError listing the supported ones', () => {
    expect(() => packageDash(data, { profile: 'main' as 'live' })).toThrow(/live, on-demand/);
  });
  test('bad variants → RangeError', () => expect(() => packageDash(data, { variants: [{ name: 'a b' }] })).toThrow(RangeError));
  test('escaping: names are file-safe, and the serializer escapes what it writes', async () => {
    const { escapeXml } = await import('../../src/package/mpd.js');
    expect(escapeXml(`a&b<"c'>`)).toBe('a&amp;b&lt;&quot;c&apos;&gt;');
  });
});
