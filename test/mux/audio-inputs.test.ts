/**
 * Audio-only inputs written to ISO-BMFF, ffmpeg 5.1 as the oracle: uncompressed audio from WAV into
 * QuickTime sound sample entries (MOV, MP4, fragmented MP4) — every WAV sample format ffmpeg writes
 * decodes to exactly the WAV's audio — and MP3 with its gapless trim as an edit list, as ffmpeg's own
 * remux writes it.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createFragmentedMp4, streamCopy } from '../../src/api/remux.js';
import { ffprobeBin } from '../helpers/ffprobe.js';

const ffmpeg = (): string => ffprobeBin().replace(/ffprobe$/, 'ffmpeg');
let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'boxwright-pcm-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** MD5 of the audio ffmpeg decodes from `path`, and the codec it reports. */
function decoded(path: string): { md5: string; codec: string } {
  const md5 = execFileSync(ffmpeg(), ['-v', 'error', '-i', path, '-map', '0:a', '-f', 'md5', '-']).toString().trim();
  const codec = execFileSync(ffprobeBin(), ['-v', 'error', '-select_streams', 'a', '-show_entries', 'stream=codec_name', '-of', 'csv=p=0', path]).toString().trim();
  return { md5, codec };
}

test.each([
  ['pcm_u8', 2],
  ['pcm_s16le', 2],
  ['pcm_s24le', 2],
  ['pcm_s32le', 1],
  ['pcm_f32le', 2],
  ['pcm_f64le', 2],
  ['pcm_alaw', 2],
  ['pcm_mulaw', 1],
  ['pcm_s24le', 6],
])('%s, %i channels: MOV, MP4 and fMP4 decode to the same audio as the WAV', (codec, channels) => {
  const wav = join(dir, `${codec}-${channels}.wav`);
  // Six channels make ffmpeg write WAVE_FORMAT_EXTENSIBLE.
  execFileSync(ffmpeg(), ['-v', 'error', '-y', '-f', 'lavfi', '-i', 'sine=f=440:r=44100:d=1.3', '-ac', String(channels), '-c:a', codec, wav]);
  const input = new Uint8Array(readFileSync(wav));
  const want = decoded(wav);
  expect(want.codec).toBe(codec);
  const outputs: Array<[string, Uint8Array]> = [
    ['mov', streamCopy(input, { format: 'mov' })],
    ['mp4', streamCopy(input, { format: 'mp4' })],
    ['frag.mp4', createFragmentedMp4(input).data],
  ];
  for (const [ext, bytes] of outputs) {
    const out = join(dir, `${codec}-${channels}.${ext}`);
    writeFileSync(out, bytes);
    expect(decoded(out)).toEqual(want);
  }
});

describe('MP3 with a LAME header into MP4 and MOV', () => {
  // The encoder delay + 529 and the padding become an edit list, as ffmpeg's own `-c copy` remux writes it.
  test.each(['mp4', 'mov'] as const)('%s: the same edit, frames and decoded audio as ffmpeg -c copy', (format) => {
    const src = join(__dirname, '../../samples/mp3.mp3');
    const ours = join(dir, `mp3.${format}`);
    writeFileSync(ours, streamCopy(new Uint8Array(readFileSync(src)), { format }));
    const theirs = join(dir, `mp3-ffmpeg.${format}`);
    execFileSync(ffmpeg(), ['-v', 'error', '-y', '-i', src, '-c', 'copy', theirs]);
    const md5 = (path: string): string => execFileSync(ffmpeg(), ['-v', 'error', '-i', path, '-f', 'md5', '-']).toString().trim();
    const frames = (path: string): string => execFileSync(ffmpeg(), ['-v', 'error', '-i', path, '-c', 'copy', '-f', 'framemd5', '-']).toString().split('\n').filter((l) => l && !l.startsWith('#')).map((l) => l.split(',').pop()!.trim()).join();
    expect(md5(ours)).toBe(md5(theirs));
    expect(frames(ours)).toBe(frames(theirs));
    // The first decoded sample is the one after the delay: the same count of samples is trimmed.
    const start = (path: string): string => execFileSync(ffprobeBin(), ['-v', 'error', '-show_entries', 'stream=start_time', '-of', 'csv=p=0', path]).toString().trim();
    expect(start(ours)).toBe(start(theirs));
  });
});
