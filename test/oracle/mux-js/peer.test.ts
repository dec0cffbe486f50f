/**
 * Acceptance test of "MPEG-TS input" against a peer: on every .ts file of the third-party corpus, demuxTs must
 * produce at least as many correct samples as mux.js's Transmuxer (videojs/mux.js, run with
 * keepOriginalTimestamps and remux: false, its fMP4 output read back with mp4box.js), with timestamps that agree.
 *
 * "Correct" = the payload is byte-identical to mux.js's (see compare.ts for what is compared and the tolerances):
 * every mux.js sample must be found among ours, in order, and its dts/pts must agree — exactly for video (up to
 * one constant 2^33 per track), within mux.js's audio-clock rounding (90000/rate + 1 ticks) for audio.
 *
 * mux.js reads only H.264 and ADTS AAC (plus ID3/captions, which are not samples); on HEVC, AC-3, E-AC-3, MP3
 * and Opus it emits nothing, and it splits H.264 access units only at access unit delimiters, so a stream
 * without AUDs gives it no video. Those are recorded in the table as mux.js limitations; ours must still be > 0.
 */
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { execFileSync } from 'node:child_process';
import { demuxAny } from '../../../src/demux/index.js';
import { demuxTs } from '../../../src/demux/ts/index.js';
import { isBoxwrightError } from '../../../src/io/errors.js';
import type { Movie, Track } from '../../../src/model/movie.js';
import { thirdPartyDir } from '../../helpers/samples.js';
import { compareTrack, ourSamples, type TrackComparison } from './compare.js';
import { muxJsTransmux, type PeerResult } from './muxjs.js';

const TP = thirdPartyDir();
const FILES = execFileSync('find', [TP, '-name', '*.ts', '-type', 'f'], { encoding: 'utf8' })
  .trim()
  .split('\n')
  .filter((p) => p.length > 0)
  .sort()
  .map((path) => ({ path, name: relative(TP, path) }));

/** Named .ts but raw ADTS AAC with ID3 (demuxTs rejects it; mux.js sniffs it): we compare demuxAny's result. */
const NOT_TS = new Set(['shaka-player/hls-ts-raw-aac/fileSequence0.ts']);

/** Codecs mux.js's Transmuxer reads. */
const MUXJS_CODECS: Record<'video' | 'audio', string> = { video: 'h264', audio: 'aac' };

/**
 * mux.js samples that are deliberately not byte-identical to ours or retimed by mux.js, per file/track: count and reason.
 * Filled from measurement; every entry is explained in the reply/report and checked exactly (not as a bound).
 */
const PEER_DEVIATIONS: Record<string, { unmatched?: number; retimed?: number; firstRetimed?: number; why: string }> = {
  // The stream starts with 63 non-IDR frames. mux.js drops a leading GOP without keyframe and moves the first IDR
  // back to the dropped GOP's dts/pts (frame-utils extendFirstKeyFrame): its sample #0 is our #63 (same bytes,
  // whose own PES time is 189270 ticks later); its #1..#14 are our #64..#77 with equal times. We keep all 78.
  'mediabunny/no-initial-keyframe.ts video': { retimed: 1, firstRetimed: 0, why: 'mux.js drops the 63 frames before the first IDR and retimes that IDR to their start' },
  // One AAC frame per PES. The PES PTS step from frame 45 (10332252) to 46 (10336410) is 4158 ticks instead of the
  // nominal 4179.6 (1024 at 22.05 kHz): the stream's own clock steps back ~21 ticks. We keep every PES PTS; mux.js
  // accumulates 1024-sample durations from frame 0, so frames 46..56 come out 18.1..18.9 ticks later than their PES PTS.
  'mediabunny/no-initial-keyframe.ts audio': { retimed: 11, firstRetimed: 46, why: 'mux.js accumulates 1024-sample durations and ignores the PES PTS step at frame 46 (18.1..18.9 ticks)' },
  // The AAC arrives in 3 PES packets (PTS 5387160282, 5387185361, 5387210441). mux.js times a segment's audio as
  // floor(first dts in the 44.1 kHz clock) + 1024 per frame and ignores the later PES timestamps, which run
  // ~1 tick per PES ahead of the nominal 1024/44100 s frame rate; we start each PES at its own PTS. Frames 0..23
  // stay within the tolerance; frames 24..27 (the third PES) are 4.27..4.88 ticks apart, ours equal to the PES PTS
  // (5387210441) at frame 24.
  'mux.js/test-middle-pat-pmt.ts audio': { retimed: 4, firstRetimed: 24, why: 'mux.js accumulates 1024-sample durations and ignores later PES PTS (drift 4.3..4.9 ticks from the 3rd PES)' },
};

/**
 * Tracks in a codec mux.js reads on which it still emits nothing, with the reason (checked: the set must be exact).
 * mux.js's frame-utils groupNalsIntoFrames starts an H.264 access unit only at an access unit delimiter (NAL 9);
 * these streams have none, so it never completes a frame.
 */
const PEER_SILENT: Record<string, string> = {
  'mediabunny/no-aud.ts video': 'no AUD NAL units; mux.js splits H.264 access units only at AUDs',
  'shaka-player/hls-ts-muxed-opus-h264/file3.ts video': 'no AUD NAL units; mux.js splits H.264 access units only at AUDs',
};

interface Row {
  file: string;
  track: 'video' | 'audio';
  peer: string;
  ours: string;
  matched: string;
  times: string;
  sync: string;
  note: string;
}
const rows: Row[] = [];

function ourMovie(name: string, data: Uint8Array): Movie {
  if (NOT_TS.has(name)) {
    let thrown: unknown;
    try {
      demuxTs(data);
    } catch (e) {
      thrown = e;
    }
    expect(isBoxwrightError(thrown, 'UNSUPPORTED_FORMAT')).toBe(true);
    return demuxAny(data).movie;
  }
  return demuxTs(data);
}

/** Our track of that kind: the first with a codec mux.js reads, else the first of the kind. */
function ourTrack(movie: Movie, kind: 'video' | 'audio'): Track | undefined {
  const ofKind = movie.tracks.filter((t) => t.kind === kind);
  return ofKind.find((t) => t.descriptions[0]?.codec === MUXJS_CODECS[kind]) ?? ofKind[0];
}

afterAll(() => {
  const head: Row = { file: 'file', track: 'video', peer: 'mux.js', ours: 'ours', matched: 'same bytes', times: 'times agree', sync: 'sync agree', note: 'note' };
  const all = [head, ...rows];
  const w = (k: keyof Row): number => Math.max(...all.map((r) => r[k].length));
  const line = (r: Row): string =>
    `| ${r.file.padEnd(w('file'))} | ${r.track.padEnd(5)} | ${r.peer.padStart(w('peer'))} | ${r.ours.padStart(w('ours'))} | ${r.matched.padStart(w('matched'))} | ${r.times.padStart(w('times'))} | ${r.sync.padStart(w('sync'))} | ${r.note}`;
  console.log(['demuxTs vs mux.js Transmuxer (90 kHz)', line(head), ...rows.map(line)].join('\n'));
});

test('the corpus has the transport streams', () => {
  expect(FILES.length).toBeGreaterThanOrEqual(28);
});

describe('demuxTs vs mux.js', () => {
  test.each(FILES.map((f) => [f.name, f.path] as const))('%s', (name, path) => {
    const data = new Uint8Array(readFileSync(path));
    const peer: PeerResult = muxJsTransmux(data);
    const movie = ourMovie(name, data);
    const kinds = (['video', 'audio'] as const).filter((k) => peer[k] !== undefined || movie.tracks.some((t) => t.kind === k));
    if (kinds.length === 0) {
      // Nothing on either side (a lone stuffed PES packet): ours must not invent samples either.
      expect(movie.tracks.every((t) => t.samples.count === 0)).toBe(true);
      rows.push({ file: name, track: 'video', peer: '0', ours: '0', matched: '-', times: '-', sync: '-', note: `no samples on either side${peer.thrown ? `; mux.js threw: ${peer.thrown}` : ''}` });
      return;
    }
    for (const kind of kinds) {
      const track = ourTrack(movie, kind);
      const ours = track ? ourSamples(track) : [];
      const codec = track?.descriptions[0]?.codec ?? '?';
      const p = peer[kind];
      if (p === undefined || p.samples.length === 0) {
        const why = peer.thrown
          ? `mux.js threw: ${peer.thrown}`
          : codec !== MUXJS_CODECS[kind]
            ? `mux.js limitation: no ${codec} support`
            : ours.length === 0
              ? 'stream declared but empty on both sides'
              : `mux.js limitation: emitted no ${kind} (${PEER_SILENT[`${name} ${kind}`] ?? 'UNEXPLAINED'})`;
        if (codec === MUXJS_CODECS[kind] && ours.length > 0 && !peer.thrown) expect(PEER_SILENT[`${name} ${kind}`]).toBeDefined();
        // Ours must have samples wherever the stream carries any (test-no-audio-segment's AAC PID is empty).
        if (ours.length === 0) expect(why).toBe('stream declared but empty on both sides');
        rows.push({ file: name, track: kind, peer: '0', ours: String(ours.length), matched: '-', times: '-', sync: '-', note: `${codec}; ${why}` });
        continue;
      }
      const c: TrackComparison = compareTrack(kind, p, ours);
      const key = `${name} ${kind}`;
      const dev = PEER_DEVIATIONS[key];
      const note = [
        codec,
        c.offset !== 0 ? `offset ${c.offset / 2 ** 33}×2^33` : '',
        kind === 'audio' ? `±${c.tolerance.toFixed(2)}` : '',
        dev ? dev.why : '',
        c.unmatched.length > 0 ? `unmatched mux.js #${c.unmatched.slice(0, 5).join(',')}${c.unmatched.length > 5 ? '…' : ''}` : '',
        c.disagreeing.length > 0
          ? `first disagreement mux#${c.disagreeing[0]!.peer}/ours#${c.disagreeing[0]!.ours} Δdts ${+c.disagreeing[0]!.dDts.toFixed(2)} Δpts ${+c.disagreeing[0]!.dPts.toFixed(2)}`
          : '',
      ]
        .filter((s) => s.length > 0)
        .join('; ');
      rows.push({
        file: name,
        track: kind,
        peer: String(c.peerCount),
        ours: String(c.ourCount),
        matched: String(c.matched),
        times: `${c.timesAgree}/${c.matched}`,
        sync: `${c.syncAgree}/${c.matched}`,
        note,
      });
      expect(c.ourCount).toBeGreaterThanOrEqual(c.peerCount);
      expect({ key, unmatched: c.unmatched.length }).toEqual({ key, unmatched: dev?.unmatched ?? 0 });
      expect({ key, retimed: c.disagreeing.length }).toEqual({ key, retimed: dev?.retimed ?? 0 });
      if (dev?.firstRetimed !== undefined) expect(c.disagreeing[0]?.peer).toBe(dev.firstRetimed);
      // At least as many correct samples as mux.js: our samples with a payload match and agreeing times.
      expect(c.timesAgree).toBeGreaterThanOrEqual(c.peerCount - (dev?.unmatched ?? 0) - (dev?.retimed ?? 0));
    }
  });
});
