/**
 * Stream fields ffprobe 5.1 prints that the sample corpus hardly exercises (issue 14), on files ffmpeg makes here:
 * WAV channel layouts (plain PCM and WAVE_FORMAT_EXTENSIBLE masks).
 * Each file is probed by probeMedia and by ffprobe, and the fields compared value for value.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { probeMedia } from '../../src/api/probe.js';
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
