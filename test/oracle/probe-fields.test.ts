/**
 * Stream fields ffprobe 5.1 prints that the sample corpus hardly exercises (issue 14), on files ffmpeg makes here:
 * WAV channel layouts (plain PCM and WAVE_FORMAT_EXTENSIBLE masks), H.264 field_order (interlaced libx264 in
 * MP4 and MPEG-TS), and nb_frames of fragmented MP4 whose moov already holds samples.
 * Each file is probed by probeMedia and by ffprobe, and the fields compared value for value.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { probeMedia } from '../../src/api/probe.js';
import { REPO } from '../helpers/samples.js';
import { ffprobeJson } from '../helpers/ffprobe.js';

const dir = mkdtempSync(join(tmpdir(), 'boxwright-probe-fields-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function ffmpeg(args: string[], out: string): string {
  const path = join(dir, out);
  execFileSync('ffmpeg', ['-nostdin', '-v', 'error', '-y', ...args, path], { stdio: ['ignore', 'ignore', 'pipe'] });
  return path;
}

type Stream = Record<string, unknown>;

/** The named stream fields of probeMedia and of ffprobe (absent fields as undefined), for one file. */
function both(path: string, fields: readonly string[]): { ours: Stream[]; theirs: Stream[] } {
  const ff = ffprobeJson(path, ['-show_streams']);
  if (!ff) throw new Error(`ffprobe cannot read ${path}`);
  const pick = (s: Stream): Stream => Object.fromEntries(fields.map((k) => [k, s[k]]));
  const ours = probeMedia(new Uint8Array(readFileSync(path))).streams.map((s) => pick(s as unknown as Stream));
  const theirs = (ff.streams as Stream[]).map(pick);
  return { ours, theirs };
}

describe('WAV channel_layout', () => {
  const FIELDS = ['codec_name', 'codec_tag_string', 'codec_tag', 'channels', 'channel_layout'] as const;
  const sine = ['-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=8000', '-t', '0.1'];

  // ffmpeg writes plain PCM (format tag 1, no mask) for mono and stereo 16-bit, WAVE_FORMAT_EXTENSIBLE otherwise.
  test.each([
    ['mono', 1],
    ['stereo', 2],
    ['2.1', 3],
    ['quad', 4],
    ['5.0', 5],
    ['5.1', 6],
    ['5.1(side)', 6],
    ['6.1', 7],
    ['7.1', 8],
    ['7.1(wide)', 8],
    ['FL+FR+LFE+BC', 4], // a mask with no standard name: "4 channels (FL+FR+LFE+BC)"
    ['FL+FR+FC+LFE+DL+DR', 6], // downmix bits (29, 30) are ffmpeg channels too
  ] as const)('%s (%d channels)', (layout, channels) => {
    const path = ffmpeg([...sine, '-ac', String(channels), '-channel_layout', layout], `wav-${layout.replace(/[^\w.]/g, '_')}.wav`);
    const { ours, theirs } = both(path, FIELDS);
    expect(ours).toEqual(theirs);
    expect(ours[0]!.channels).toBe(channels);
  });

  test('plain PCM has no layout, even for one or two channels; float WAVE_FORMAT_EXTENSIBLE shows its SubFormat tag', () => {
    const mono = both(ffmpeg([...sine, '-ac', '1'], 'plain-mono.wav'), FIELDS);
    expect(mono.ours).toEqual(mono.theirs);
    expect(mono.ours[0]!.channel_layout).toBeUndefined();
    const float = both(ffmpeg([...sine, '-ac', '6', '-c:a', 'pcm_f32le'], 'float-6ch.wav'), FIELDS);
    expect(float.ours).toEqual(float.theirs);
    expect(float.ours[0]).toMatchObject({ codec_tag: '0x0003', channel_layout: '5.1' });
  });

  // dwChannelMask written over a 6-channel WAVE_FORMAT_EXTENSIBLE header: ffmpeg uses the mask only when it has
  // exactly as many bits as there are channels; bits ffmpeg has no name for print as USRn; bit 31 is WL.
  const masks = [0, 0x3, 0x3f, 0x60f, 0x3ff, 0x8000001f, 0x4001f, 0x1000001f, 0x6000000f, 0xffffffff];
  test.each(masks.map((m) => [`0x${m.toString(16)}`, m] as const))('raw dwChannelMask %s', (_hex, mask) => {
    const base = readFileSync(ffmpeg([...sine, '-ac', '6', '-channel_layout', '5.1'], 'base-6ch.wav'));
    expect(base.readUInt16LE(20)).toBe(0xfffe); // fmt body at 20: wFormatTag, then dwChannelMask at 20 + 20
    const patched = Buffer.from(base);
    patched.writeUInt32LE(mask >>> 0, 40);
    const path = join(dir, `mask-${mask.toString(16)}.wav`);
    writeFileSync(path, patched);
    const { ours, theirs } = both(path, FIELDS);
    expect(ours).toEqual(theirs);
  });
});

// libx264 is what makes interlaced H.264 here (ffmpeg has no native H.264 encoder).
const hasX264 = / libx264 /.test(spawnSync('ffmpeg', ['-hide_banner', '-encoders'], { encoding: 'utf8' }).stdout ?? '');
if (!hasX264) console.warn('probe-fields: this ffmpeg has no libx264 encoder; the H.264 field_order tests are skipped');

(hasX264 ? describe : describe.skip)('H.264 field_order', () => {
  const FIELDS = ['codec_name', 'field_order'] as const;
  const video = ['-f', 'lavfi', '-i', 'testsrc=size=160x120:rate=25', '-pix_fmt', 'yuv420p', '-c:v', 'libx264'];
  const MODES = {
    progressive: [],
    tff: ['-flags', '+ildct+ilme', '-x264opts', 'tff=1'],
    bff: ['-flags', '+ildct+ilme', '-x264opts', 'bff=1'],
    // frame_mbs_only_flag 0 but frames marked progressive in the pic_timing SEI
    fake: ['-x264opts', 'fake-interlaced=1:pic-struct=1'],
    // progressive with pic_timing SEI (pic_struct 0)
    picstruct: ['-x264opts', 'pic-struct=1'],
  } as const;

  test.each(Object.keys(MODES).flatMap((m) => ['mp4', 'ts'].map((c) => [m, c] as const)))('%s in %s', (mode, container) => {
    const path = ffmpeg([...video, '-t', '0.4', ...MODES[mode as keyof typeof MODES]], `h264-${mode}.${container}`);
    const { ours, theirs } = both(path, FIELDS);
    expect(ours).toEqual(theirs);
    expect(ours[0]!.field_order).toBe({ progressive: 'progressive', tff: 'tt', bff: 'bb', fake: 'progressive', picstruct: 'progressive' }[mode]);
  });

  test('interlaced with AAC audio, in MPEG-TS and MP4', () => {
    for (const c of ['ts', 'mp4']) {
      const inputs = ['-f', 'lavfi', '-i', 'testsrc=size=160x120:rate=25', '-f', 'lavfi', '-i', 'sine=sample_rate=48000'];
      const path = ffmpeg([...inputs, '-pix_fmt', 'yuv420p', '-c:v', 'libx264', ...MODES.bff, '-c:a', 'aac', '-t', '0.5'], `h264-bff-aac.${c}`);
      const { ours, theirs } = both(path, FIELDS);
      expect(ours).toEqual(theirs);
      expect(ours[0]!.field_order).toBe('bb');
    }
  });

  // The stream keeps the order of the packet that let ffmpeg's decoder output its first frame: packet number
  // has_b_frames (max_num_reorder_frames: 0 without B-frames, 1 with one, 2 with a B-pyramid). Streams whose first
  // n pictures are top field first and the rest bottom field first tell which packet that is.
  test.each([0, 1, 3].flatMap((bf) => [1, 2, 3].map((n) => [bf, n] as const)))('B-frames %d, %d tff pictures then bff', (bf, n) => {
    const raw = (mode: 'tff' | 'bff', frames: string[], name: string): Buffer =>
      readFileSync(ffmpeg([...video, '-bf', String(bf), ...MODES[mode], ...frames], name));
    const head = raw('tff', ['-frames:v', String(n)], `mix-${bf}-${n}-head.h264`);
    const tail = raw('bff', ['-t', '0.4'], `mix-${bf}-tail.h264`);
    const joined = join(dir, `mix-${bf}-${n}.h264`);
    writeFileSync(joined, Buffer.concat([head, tail]));
    const mp4 = ffmpeg(['-i', joined, '-c', 'copy'], `mix-${bf}-${n}.mp4`);
    const ts = ffmpeg(['-i', mp4, '-c', 'copy'], `mix-${bf}-${n}.ts`);
    for (const path of [mp4, ts]) {
      const { ours, theirs } = both(path, FIELDS);
      expect(ours).toEqual(theirs);
    }
  });
});

describe('nb_frames of fragmented MP4', () => {
  // ffmpeg counts the samples of the moov's sample tables only, never those of the fragments; an empty moov: none.
  const src = join(REPO, 'samples/h264-aac.mp4');
  test.each([
    ['empty moov, fragments', ['-movflags', 'frag_keyframe+empty_moov']],
    ['first fragment in moov, then moof at each keyframe', ['-movflags', 'frag_keyframe']],
    ['samples in moov, then moof every 0.5 s', ['-frag_duration', '500000']],
    ['samples in moov, then moof at keyframes and every 0.3 s', ['-movflags', 'frag_keyframe', '-frag_duration', '300000']],
    ['every sample in moov, mvex and mfra but no moof', ['-movflags', 'frag_custom']],
  ] as const)('%s', (name, flags) => {
    const path = ffmpeg(['-i', src, '-c', 'copy', ...flags], `frag-${name.replace(/\W+/g, '-')}.mp4`);
    const { ours, theirs } = both(path, ['codec_type', 'nb_frames']);
    expect(ours).toEqual(theirs);
  });
});
