/**
 * muxTs against ffmpeg 5.1: packets and timestamps as ffprobe reads them, payload identity through
 * framemd5, and a clean decode.
 *
 * Payload identity is exact: both sides go through ffmpeg's bitstream filters into the same canonical
 * form before hashing. Video: the MP4 side is converted with h264_mp4toannexb / hevc_mp4toannexb, and
 * on both sides `filter_units` removes the units the muxer may add or move (AUD, SPS, PPS and for HEVC
 * VPS) — filter_units reassembles every access unit with the same start-code convention, so equal
 * hashes mean equal NAL units in equal order. AAC: aac_adtstoasc strips our ADTS headers, leaving the
 * raw frames the MP4 stores. MP3, AC-3, E-AC-3, Opus (control header removed by ffmpeg's TS demuxer):
 * compared as demuxed. The MP4 is read with -ignore_editlist so that every sample is there.
 */
import { join } from 'node:path';
import type { Track } from '../../../src/model/movie.js';
import { isSync } from '../../../src/model/sample-table.js';
import { isoSamples } from '../../helpers/samples.js';
import { demuxMp4 } from '../../../src/demux/mp4/index.js';
import { decodeLog, expectedTimestamps, framemd5, muxFile, probePacketsByPid } from './helpers.js';

/**
 * Every ISO-BMFF sample whose audio/video tracks MPEG-TS can carry (ours and the third-party corpus), except files
 * ffmpeg itself cannot round-trip: MV-HEVC (its HEVC parser splits the two layers), a moov cut from its media, Annex B
 * samples with an empty avcC, and encrypted tracks.
 */
const TS_CODECS = new Set(['h264', 'hevc', 'aac', 'mp3', 'ac3', 'eac3', 'opus']);
const SKIP = /stereo_spatial|sample_qt|annex-b|encrypted|cbcs|cenc|PIFF|init/;
const FILES: Array<[string, () => string]> = isoSamples()
  .filter((s) => !SKIP.test(s.name))
  .filter((s) => {
    try {
      const av = demuxMp4(s.data).movie.tracks.filter((t) => (t.kind === 'video' || t.kind === 'audio') && t.samples.count > 0);
      return av.length > 0 && av.every((t) => TS_CODECS.has(t.descriptions[0]?.codec ?? '') && !t.descriptions[0]?.protection);
    } catch {
      return false;
    }
  })
  .map((s) => [s.name, () => s.path] as [string, () => string]);

/** The bitstream filters that bring both sides to the same canonical form (see the file comment). */
function filters(track: Track): { mp4?: string; ts?: string } {
  switch (track.descriptions[0]!.codec) {
    case 'h264':
      return { mp4: 'h264_mp4toannexb,filter_units=remove_types=7|8|9', ts: 'filter_units=remove_types=7|8|9' };
    case 'hevc':
      // hevc_mp4toannexb also repeats hvcC's SEI arrays before keyframes, which our muxer does not: drop prefix
      // SEI (39) on both sides too; every other NAL unit is still compared byte for byte.
      return { mp4: 'hevc_mp4toannexb,filter_units=remove_types=32|33|34|35|39', ts: 'filter_units=remove_types=32|33|34|35|39' };
    case 'aac':
      return { ts: 'aac_adtstoasc' };
    default:
      return {};
  }
}

describe.each(FILES)('muxTs %s', (name, where) => {
  let ctx: ReturnType<typeof muxFile> & { input: string };
  beforeAll(() => {
    const input = where();
    ctx = { ...muxFile(input, name), input };
  });

  test('ffprobe: one packet per sample, PTS/DTS = 90 kHz ticks + 1.4 s, keyframes', () => {
    const byPid = probePacketsByPid(ctx.tsPath);
    const tracks = ctx.movie.tracks.filter((t) => t.kind === 'video' || t.kind === 'audio');
    expect([...byPid.keys()].sort()).toEqual(tracks.map((_, k) => 0x100 + k));
    tracks.forEach((t, k) => {
      const got = byPid.get(0x100 + k)!;
      const want = expectedTimestamps(t);
      expect(got.length).toBe(t.samples.count);
      expect(got.map((p) => p.pts)).toEqual(want.pts);
      expect(got.map((p) => p.dts)).toEqual(want.dts);
      // mediabunny/bad-keyframe-flags.mp4 has wrong sync flags on purpose; ffprobe's K comes from the bitstream.
      if (t.kind === 'video' && !name.includes('bad-keyframe-flags')) {
        const syncs = Array.from({ length: t.samples.count }, (_, i) => isSync(t.samples, i));
        expect(got.map((p) => p.flags.startsWith('K'))).toEqual(syncs);
      }
    });
  });

  test('payload identity with the MP4 samples (framemd5 after canonicalizing bitstream filters)', () => {
    const tracks = ctx.movie.tracks.filter((t) => t.kind === 'video' || t.kind === 'audio');
    tracks.forEach((t, k) => {
      const f = filters(t);
      const mp4 = framemd5(ctx.input, `0:#${t.id}`, f.mp4, ['-ignore_editlist', '1']);
      const ts = framemd5(ctx.tsPath, `0:#${0x100 + k}`, f.ts);
      expect(mp4.length).toBe(t.samples.count);
      expect(ts).toEqual(mp4);
    });
  });

  test('ffmpeg decodes it without errors', () => {
    expect(decodeLog(ctx.tsPath)).toBe('');
  });
});
