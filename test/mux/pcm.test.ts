/**
 * Uncompressed audio from WAV into QuickTime sound sample entries (MOV, MP4, fragmented MP4): every
 * WAV sample format ffmpeg writes, and ffmpeg 5.1 as the oracle — it decodes our output to exactly the
 * audio it decodes from the WAV.
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
