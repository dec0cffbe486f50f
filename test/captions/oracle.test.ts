/**
 * Captions against mux.js 7.1 (the oracle; test/captions/oracle.ts) on the third-party samples that carry them:
 * MPEG-TS through mux.js's Transmuxer (CEA-608 and CEA-708), fMP4 segments through its CaptionParser.
 * Our cues must equal mux.js's — text, stream, start and end, and the order they are emitted in.
 *
 * Where we differ from mux.js on purpose (docs/captions.md), none of these files exercises the difference;
 * the HEVC segment is the exception: mux.js reads only H.264 NAL units, so it finds nothing there, and the
 * expected cue is ffmpeg's (see that test).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CaptionExtractor, extractCaptions, type CaptionCue } from '../../src/captions/index.js';
import { demuxMp4 } from '../../src/demux/mp4/index.js';
import { demuxTs } from '../../src/demux/ts/index.js';
import type { Track } from '../../src/model/movie.js';
import { sampleBytes } from '../../src/model/sample-bytes.js';
import { SYNC } from '../../src/model/sample-table.js';
import { thirdPartyDir } from '../helpers/samples.js';
import { muxjsMp4Captions, muxjsTsCaptions, sortCues } from './oracle.js';

const read = (name: string): Uint8Array => new Uint8Array(readFileSync(join(thirdPartyDir(), name)));

function videoOf(tracks: readonly Track[]): Track {
  const v = tracks.find((t) => t.kind === 'video');
  if (!v) throw new Error('no video track');
  return v;
}

/** An init segment and a media segment as one file. */
function joined(init: Uint8Array, segment: Uint8Array): Uint8Array {
  const out = new Uint8Array(init.length + segment.length);
  out.set(init);
  out.set(segment, init.length);
  return out;
}

describe('MPEG-TS: our demuxer + CaptionExtractor = mux.js Transmuxer', () => {
  const files: Array<[string, number]> = [
    ['mux.js/sintel-captions.ts', 2], // CC1 pop-on
    ['mux.js/multi-channel-608-captions.ts', 4], // CC1 and CC3 (field 2) roll-up
    ['shaka-player/captions-test.ts', 7], // CC1 pop-on and cc708_1; B-frames, so pts order ≠ decode order
  ];

  test.each(files)('%s', (name, count) => {
    const bytes = read(name);
    const ours = extractCaptions(videoOf(demuxTs(bytes).tracks));
    const theirs = muxjsTsCaptions(bytes);
    expect(theirs).toHaveLength(count);
    // Our demuxer keeps the TS clock, as mux.js's captions do: raw 90 kHz times compare directly.
    expect(ours).toEqual(theirs);
  });

  test.each(files)('%s: pushed per sample and flushed per GOP gives the same cues', (name) => {
    const video = videoOf(demuxTs(read(name)).tracks);
    const whole = extractCaptions(video);
    const cc = new CaptionExtractor();
    const cues: CaptionCue[] = [];
    const s = video.samples;
    for (let k = 0; k < s.count; k++) {
      if (k > 0 && (s.flags[k]! & SYNC) !== 0) cues.push(...cc.flush());
      cc.push(sampleBytes(video, k), s.dts[k]! + s.ctsOffset[k]!, s.dts[k]!, 'avc');
    }
    cues.push(...cc.flush());
    expect(sortCues(cues)).toEqual(sortCues(whole));
  });

  test('the 708 cues of captions-test.ts, spelled out', () => {
    const cues = extractCaptions(videoOf(demuxTs(read('shaka-player/captions-test.ts')).tracks));
    expect(cues.filter((c) => c.stream === 'cc708_1').map((c) => c.text)).toEqual([
      'These are 708 captions \n(top left)',
      'These are 708 captions \n(top left)',
      'These are 708 captions \n(middle)',
      'These are 708 captions \n(middle)',
    ]);
    expect(cues.filter((c) => c.stream === 'CC1').map((c) => c.text)).toEqual([
      'These are 608 captions\n(top left)',
      'These are 608 captions\n(middle)',
      'These are 608 captions\n(bottom left)',
    ]);
  });

  test('sorting by pts matters: decode order alone garbles captions-test.ts', () => {
    // Pushing each sample with its dts as "pts" decodes in decode order; the B-frame caption bytes then land
    // out of order and the text differs. This is why flush() sorts.
    const video = videoOf(demuxTs(read('shaka-player/captions-test.ts')).tracks);
    const cc = new CaptionExtractor();
    const s = video.samples;
    for (let k = 0; k < s.count; k++) cc.push(sampleBytes(video, k), s.dts[k]!, s.dts[k]!, 'avc');
    const texts = cc.flush().map((c) => c.text);
    expect(texts).not.toEqual(extractCaptions(video).map((c) => c.text));
  });
});

describe('fMP4: our demuxer + extractCaptions = mux.js CaptionParser', () => {
  const pairs: Array<[string, string, number]> = [
    ['shaka-player/cea-init.mp4', 'shaka-player/cea-segment.mp4', 1],
    ['mux.js/dash-608-captions-init.mp4', 'mux.js/dash-608-captions-seg.m4s', 1],
    // SEI NAL units that are not caption data and malformed: both find nothing, neither fails.
    ['mux.js/malformed-sei-init.mp4', 'mux.js/malformed-sei.m4s', 0],
  ];

  test.each(pairs)('%s + %s', (init, segment, count) => {
    const seg = read(segment);
    const video = videoOf(demuxMp4(joined(read(init), seg)).movie.tracks);
    const ours = extractCaptions(video);
    // mux.js's CaptionParser gives times in the track timescale, as extractCaptions does.
    const theirs = muxjsMp4Captions(seg, video.id, video.timescale);
    expect(theirs).toHaveLength(count);
    expect(ours).toEqual(theirs);
  });

  test('HEVC prefix SEI (h265-cea): the cue ffmpeg finds; mux.js finds none', () => {
    const seg = read('shaka-player/h265-cea-segment.mp4');
    const video = videoOf(demuxMp4(joined(read('shaka-player/h265-cea-init.mp4'), seg)).movie.tracks);
    expect(video.descriptions[0]?.codec).toBe('hevc');
    // mux.js reads the samples as H.264 NAL units (type = first byte & 0x1f), so HEVC SEI (type 39) is missed.
    expect(muxjsMp4Captions(seg, video.id, video.timescale)).toEqual([]);
    // `ffmpeg -f lavfi -i "movie=h265.mp4[out0+subcc]" -f srt -` on init + segment prints
    // 00:00:00,133 --> 00:00:01,835 "WE WILL BREAK DOWN WHAT THIS " (ffmpeg keeps the trailing space mux.js trims):
    // 1.702 s, which is our 102102 ticks at 60000/s.
    const cues = extractCaptions(video);
    expect(cues).toEqual([{ startPts: 101132901820253, endPts: 101132901922355, text: 'WE WILL BREAK DOWN WHAT THIS', stream: 'CC1' }]);
    expect(video.timescale).toBe(60000);
  });
});
