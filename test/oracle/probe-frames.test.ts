/**
 * probeMedia frame estimates vs ffprobe -show_frames (which decodes): per stream, in presentation order,
 * pts, pkt_dts, key_frame and pict_type (where we read the slice header: H.264, HEVC).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { probeMedia } from '../../src/api/probe.js';
import { ffprobeJson } from '../helpers/ffprobe.js';
import { REPO, thirdPartyDir } from '../helpers/samples.js';

const FILES = [
  ...['h264-aac.mp4', 'h264-aac-moov-end.mp4', 'h264-aac-frag.mp4', 'h264-negcts.mp4', 'h264-negcts-frag.mp4', 'hevc-aac.mp4', 'hevc-hev1.mp4',
    'long-gop-h264.mp4', 'vfr-h264.mp4', 'multi-track.mp4', 'aac.m4a', 'opus.mp4', 'flac.mp4', 'ac3.mp4', 'h264-rotate90.mp4'].map((n) => join(REPO, 'samples', n)),
  ...['mp4ff/bbb_prog_10s.mp4', 'mp4ff/prog_8s.mp4', 'mediabunny/edts.mp4', 'mediabunny/video-h265.mp4', 'go-mp4/sample.mp4', 'shaka-player/small.mp4'].map((n) => join(thirdPartyDir(), n)),
];

let compared = 0;
let agreed = 0;
const mismatches: string[] = [];

test.each(FILES.map((f) => [f.split('/').slice(-2).join('/'), f] as const))('%s', (_name, path) => {
  const ff = ffprobeJson(path, ['-show_frames', '-show_entries', 'frame=media_type,stream_index,key_frame,pts,pkt_dts,pict_type']);
  const ours = probeMedia(new Uint8Array(readFileSync(path)), { frames: true }).frames!;
  const theirs = (ff?.frames ?? []) as Array<Record<string, unknown>>;
  const streams = new Set(theirs.map((f) => f.stream_index as number));
  for (const si of streams) {
    const a = ours.filter((f) => f.stream_index === si);
    const b = theirs.filter((f) => f.stream_index === si);
    compared++;
    if (a.length === b.length) agreed++;
    else mismatches.push(`${path} stream ${si}: ${a.length} frames vs ${b.length}`);
    for (let i = 0; i < Math.min(a.length, b.length); i++) {
      for (const k of ['pts', 'pkt_dts', 'key_frame', 'pict_type'] as const) {
        const theirsV = b[i]![k];
        const oursV = (a[i] as unknown as Record<string, unknown>)[k];
        if (theirsV === undefined || (k === 'pict_type' && oursV === undefined && a[i]!.media_type !== 'video')) continue;
        if (k === 'pict_type' && oursV === undefined) continue;
        compared++;
        if (String(oursV) === String(theirsV)) agreed++;
        else mismatches.push(`${path} s${si} frame ${i} ${k}: ours=${String(oursV)} ffprobe=${String(theirsV)}`);
      }
    }
  }
});

test('frame estimates agree with ffprobe on ≥ 99.5 % of values', () => {
  console.log(`frames: ${agreed}/${compared} values agree; first mismatches:\n${mismatches.slice(0, 10).join('\n')}`);
  expect(compared).toBeGreaterThan(5000);
  expect(agreed / compared).toBeGreaterThanOrEqual(0.995);
});
