/**
 * Files cut short (a download in progress, a recording cut off), as ffprobe reads them: every media sample (ours and
 * the third-party ones) cut at several offsets (inside its mdat, inside a TS packet, inside a frame, inside a
 * fragment's moof or a trailing mfra). Where ffprobe opens the cut file, probeMedia lists the same packets (stream,
 * pts, dts, size, key flag: a frame cut by the end is listed with the bytes that are there, last, as ffmpeg's parser
 * flush gives it) and createFragmentedMp4 writes every complete sample: ffprobe reads the output with the same
 * packets per stream, less at most the one cut. Where ffprobe cannot open it, we throw our error.
 * Cuts inside a moov are left out (a cut moov is an error, docs/errors.md). Known differences are listed in
 * EXCEPTIONS with the reason (docs/errors.md sums them up).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { probeMedia } from '../../src/api/probe.js';
import { createFragmentedMp4 } from '../../src/api/remux.js';
import { isBoxwrightError } from '../../src/io/errors.js';
import { ffprobeBin } from '../helpers/ffprobe.js';
import { allSamples } from '../helpers/samples.js';

/** Cut points, as fractions of the file: early, middle, late, and a few bytes before the end. */
const CUTS = [0.37, 0.61, 0.83, 0.97];
const CUT_BYTES_BEFORE_END = [1, 97];

/** Samples whose cut files we do not match, and why. */
const EXCEPTIONS: Record<string, string> = {
  // LATM (LOAS) audio in TS: a frame cut by the end is dropped; ffmpeg lists its bytes.
  'samples/h264-aac-latm.ts': 'LATM partial frame',
  'samples/aac/latm-48k.ts': 'LATM partial frame',
  // Open-GOP recovery-point I frame: ffmpeg's K flag on it changes when the file is cut (ours follows the bitstream).
  'samples/analyze/gop-h264-open.mp4': 'open-GOP key flag in a cut file',
  // MPEG audio in TS: frames after a cut PES's timestamp are 1 tick later than ffmpeg's (its running rounding).
  'samples/mp3/stereo-44k.ts': '1-tick frame timing after the last PES timestamp',
  'thirdparty/shaka-player/hls-ts-mp3/media_w239891843_0.ts': '1-tick frame timing after the last PES timestamp',
  // HEVC: ffmpeg's K flag on the packet cut by the end differs from the bitstream's (we read the bytes there).
  'samples/hevc-hev1.mp4': 'key flag of the cut HEVC packet',
  // ADTS in TS after an ID3 PES: ffmpeg's partial last packet is 5 bytes longer.
  'thirdparty/shaka-player/id3-metadata.ts': 'partial ADTS packet size',
  // A raw MP3 file cut inside its last frame: ffmpeg lists the partial frame, we drop it.
  'thirdparty/mediabunny/Toothsome-Meme.VBRv2.mp3': 'raw MP3 partial last frame',
  // ffmpeg loses sync on it and returns the whole file as one packet.
  'thirdparty/mediabunny/malformed-join.mp3': 'ffmpeg does not sync on it',
  // ffmpeg keeps listing whole audio packets stored before the cut after the cut video packet; we stop there.
  'thirdparty/mediabunny/bad-keyframe-flags.mp4': 'packets after the cut one',
  // Encrypted samples: ffmpeg's size for the cut packet counts differently; or it reads no packets at all.
  'thirdparty/mp4ff/cbcs.mp4': 'encrypted cut packet size',
  'thirdparty/mp4ff/prog_8s_enc_dashinit.mp4': 'encrypted, ffmpeg reads nothing of the cut file',
  // A video PES cut short: ffmpeg's H.264 parser splits its bytes into two packets; we list one.
  'thirdparty/mux.js/sintel-captions.ts': 'cut video PES split by the parser',
  // Cut late: ffmpeg's H.264 timestamps for this stream (its first packet without a DTS) differ from the whole file's.
  'thirdparty/shaka-player/hls-ts-muxed-aac-h264-with-overflow-nalus/fileSequence0.ts': 'ffmpeg video timestamps of the cut file',
  // A stream whose only PES is cut; and a PMT in the middle of a file cut before its streams start.
  'thirdparty/mediabunny/no-aud.ts': 'cut data PES listed by ffmpeg',
  'thirdparty/mux.js/test-middle-pat-pmt.ts': 'cut before the mid-file PMT is followed',
};

interface Packet {
  stream_index: number;
  pts?: number;
  dts?: number;
  size: string;
  flags: string;
}

let dir = '';
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'boxwright-partial-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function ffprobePackets(path: string): Packet[] | undefined {
  try {
    const out = execFileSync(ffprobeBin(), ['-v', 'quiet', '-of', 'json', '-show_entries', 'packet=stream_index,pts,dts,size,flags', path], { encoding: 'utf8', maxBuffer: 1 << 28 });
    return (JSON.parse(out) as { packets?: Packet[] }).packets ?? [];
  } catch {
    return undefined;
  }
}

/** [start, end) of the top-level moov of an ISO-BMFF file, read from the box headers. */
function moovRange(data: Uint8Array): [number, number] | undefined {
  const view = new DataView(data.buffer, data.byteOffset, data.length);
  for (let p = 0; p + 8 <= data.length; ) {
    let size = view.getUint32(p);
    const type = String.fromCharCode(...data.subarray(p + 4, p + 8));
    if (size === 1 && p + 16 <= data.length) size = Number(view.getBigUint64(p + 8));
    if (size === 0) size = data.length - p;
    if (type === 'moov') return [p, p + size];
    if (size < 8) return undefined;
    p += size;
  }
  return undefined;
}

const key = (p: Packet): string => `${p.stream_index} ${String(p.pts)} ${String(p.dts)} ${p.size} ${p.flags[0]}`;
const perStream = (ps: readonly Packet[]): number[] => ps.reduce<number[]>((n, p) => ((n[p.stream_index] = (n[p.stream_index] ?? 0) + 1), n), []);

const samples = allSamples().filter((s) => !(s.name in EXCEPTIONS) && readFileSync(s.path).length < 4_000_000);

test.each(samples.map((s) => [s.name, s.path]))('%s cut short probes and remuxes as ffprobe reads it', (name, path) => {
  const data = new Uint8Array(readFileSync(path));
  const cuts = [...CUTS.map((f) => Math.floor(data.length * f)), ...CUT_BYTES_BEFORE_END.map((b) => data.length - b)].filter((n) => n > 0);
  const moov = moovRange(data);
  for (const n of cuts) {
    // A cut moov is an error (docs/errors.md); ffmpeg reads what it can of one.
    if (moov && n > moov[0] && n < moov[1]) continue;
    const cut = data.subarray(0, n);
    const file = join(dir, 'cut.bin');
    writeFileSync(file, cut);
    const want = ffprobePackets(file);
    let ours: Packet[] | undefined;
    try {
      ours = (probeMedia(cut, { packets: true }).packets ?? []).map((p) => ({ ...p, size: String(p.size) }));
    } catch (e) {
      if (!isBoxwrightError(e)) throw e;
      // ffprobe could not read it either, or read nothing of it.
      expect({ name, cut: n, ffprobe: want === undefined || want.length === 0 ? 'nothing' : `${want.length} packets`, ours: e.code }).toEqual({ name, cut: n, ffprobe: 'nothing', ours: e.code });
      continue;
    }
    if (want === undefined || want.length === 0) continue; // we read more than ffprobe (an encrypted track, a moov-end file …)
    expect({ name, cut: n, packets: ours.map(key) }).toEqual({ name, cut: n, packets: want.map(key) });
    // Remux: every complete sample, ffprobe reading the output.
    let out: Uint8Array;
    try {
      out = createFragmentedMp4(cut, { keepTimestamps: true }).data;
    } catch (e) {
      // A codec fMP4 does not carry, or nothing complete to write (the one sample there is cut).
      if (isBoxwrightError(e) && (e.code === 'UNSUPPORTED_CODEC' || e.code === 'UNSUPPORTED_FORMAT')) continue;
      throw e;
    }
    writeFileSync(join(dir, 'out.mp4'), out);
    const got = perStream(ffprobePackets(join(dir, 'out.mp4')) ?? []);
    const had = perStream(want);
    expect(got.length).toBeLessThanOrEqual(had.length);
    got.forEach((count, i) => expect({ name, cut: n, stream: i, missing: (had[i] ?? 0) - count <= 1 }).toEqual({ name, cut: n, stream: i, missing: true }));
  }
});
