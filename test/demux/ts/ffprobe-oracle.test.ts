/**
 * demuxTs against ffprobe/ffmpeg 5.1 on every .ts file of samples/ and the third-party corpus:
 * per stream the packet count, every packet's PTS and DTS, and every packet's payload (ffmpeg's
 * packets from `-c copy -f data` cut at ffprobe's sizes: AAC minus its ADTS header, H.264/HEVC as
 * NAL units without AUD and parameter sets), plus the stream fields our configuration records give.
 *
 * Timestamp rule: we unwrap 33-bit PTS/DTS so they stay continuous and never rebase them. ffmpeg
 * does the same except that when a program's first timestamp lies within the last 60 s before the
 * 2^33 wrap it subtracts 2^33 instead (libavformat update_wrap_reference), so its values come out
 * negative. The comparison therefore allows one constant offset per stream that is a multiple of 2^33.
 */
import { readFileSync } from 'node:fs';
import { demuxTsWithReport, type TsDemux } from '../../../src/demux/ts/index.js';
import { isBoxwrightError } from '../../../src/io/errors.js';
import { codecFields } from '../../../src/analyze/probe/codec-fields.js';
import { ffprobeJson } from '../../helpers/ffprobe.js';
import { compareWithFfprobe, tsFiles, type StreamComparison } from './oracle.js';

const FILES = tsFiles();
const summary: string[] = [];

/** Files named .ts that are not transport streams (content sniffing cases). */
const NOT_TS = new Set(['thirdparty/shaka-player/hls-ts-raw-aac/fileSequence0.ts']);

/** ffprobe reports HE-AAC(v2) after decoding (implicit SBR/PS): the ADTS header only says LC at the core rate. */
const IMPLICIT_HE_AAC = new Set(['thirdparty/mediabunny/no-initial-keyframe.ts', 'thirdparty/shaka-player/id3-metadata.ts']);

interface ProbeStream {
  index: number;
  id?: string;
  codec_name?: string;
  profile?: string;
  level?: number;
  width?: number;
  height?: number;
  sample_rate?: string;
  channels?: number;
  channel_layout?: string;
  tags?: { language?: string };
}

test('the corpus has transport streams', () => {
  expect(FILES.length).toBeGreaterThanOrEqual(25);
});

describe('demuxTs vs ffprobe 5.1', () => {
  test.each(FILES.map((f) => [f.name, f.path]))('%s', (name, path) => {
    const data = new Uint8Array(readFileSync(path));
    let result: TsDemux;
    try {
      result = demuxTsWithReport(data);
    } catch (e) {
      expect(isBoxwrightError(e, 'UNSUPPORTED_FORMAT')).toBe(true);
      expect(NOT_TS.has(name)).toBe(true);
      summary.push(`${name}: not a transport stream (UNSUPPORTED_FORMAT)`);
      return;
    }
    expect(NOT_TS.has(name)).toBe(false);
    const { movie, report } = result;
    expect(movie.container).toBe('mpegts');
    for (const t of movie.tracks) {
      expect(t.timescale).toBe(90000);
      expect(t.edits).toEqual([]);
      // Video samples stay in the packets (a source; offsets as if back to back); audio and data samples
      // are frames of one elementary stream buffer, in order and without overlap.
      let o = 0;
      for (let i = 0; i < t.samples.count; i++) {
        if (t.source) expect(t.samples.offset[i]).toBe(o);
        else expect(t.samples.offset[i]).toBeGreaterThanOrEqual(o);
        o = t.samples.offset[i]! + t.samples.size[i]!;
      }
      expect(t.source ? 0 : o).toBeLessThanOrEqual(t.data.length);
      expect(t.kind === 'video').toBe(t.source !== undefined);
    }
    const cmp = compareWithFfprobe(path, movie);
    if (!cmp) {
      summary.push(`${name}: ffprobe cannot open it; we found ${movie.tracks.length} track(s)`);
      return;
    }
    const probe = ffprobeJson(path, ['-show_streams'])!;
    const streams = probe.streams as ProbeStream[];
    const lines: string[] = [];
    for (const c of cmp) {
      const st = streams.find((s) => Number.parseInt(s.id ?? '', 16) === c.pid)!;
      if (c.codec === 'unknown') {
        // ffmpeg does not know the stream type either: we skip it and say so.
        expect(c.ours).toBe(-1);
        expect(report.skippedStreams.map((s) => s.pid)).toContain(c.pid);
        lines.push(`pid ${c.pid} unknown stream type: skipped`);
        continue;
      }
      lines.push(describe1(c));
      expect({ pid: c.pid, count: c.ours }).toEqual({ pid: c.pid, count: c.total });
      expect({ pid: c.pid, firstProblem: c.firstProblem }).toEqual({ pid: c.pid, firstProblem: undefined });
      expect(c.agreeing + c.dtsGuesses + c.oneTickDrift).toBe(c.total);
      expect(c.offset % 2 ** 33).toBe(0);

      const track = movie.tracks.find((t) => t.id === c.pid)!;
      const d = track.descriptions[0]!;
      expect(d.latm ? 'aac_latm' : d.codec ?? 'timed_id3').toBe(c.codec);
      expect(track.language).toBe(st.tags?.language);
      if (c.total === 0) continue;
      const f = codecFields(d);
      if (track.kind === 'video') {
        expect([d.width, d.height]).toEqual([st.width, st.height]);
        expect([f.profile, f.level]).toEqual([st.profile, st.level]);
      } else if (track.kind === 'audio' && !IMPLICIT_HE_AAC.has(name)) {
        expect([d.sampleRate, d.channels]).toEqual([Number(st.sample_rate), st.channels]);
        expect([f.sample_rate, f.channels, f.channel_layout]).toEqual([Number(st.sample_rate), st.channels, st.channel_layout]);
        if (d.codec === 'aac') expect(f.profile).toBe(st.profile);
      }
    }
    summary.push(`${name}\n  ${lines.join('\n  ')}`);
  });
});

function describe1(c: StreamComparison): string {
  const extra = [c.dtsGuesses ? `${c.dtsGuesses} with ffmpeg-guessed DTS` : '', c.oneTickDrift ? `${c.oneTickDrift} one tick from ffmpeg's drifting sum` : '', c.offset ? `offset ${c.offset / 2 ** 33}·2^33` : '']
    .filter(Boolean)
    .join(', ');
  return `pid ${c.pid} ${c.codec}: ${c.agreeing}/${c.total} exact${extra ? ` (+ ${extra})` : ''}`;
}

afterAll(() => {
  if (process.env.TS_ORACLE_SUMMARY) console.log(summary.sort().join('\n'));
});
