// Writes the checked-in Jazzer.js seed corpus (test/fuzz/seeds/): small files of every input kind, cut from
// samples/ and the third-party folder (MPEG-TS to its first packets, elementary streams to their first frames,
// WAV with its sizes patched to the bytes kept). MPEG-TS seeds are named .mpegts: tsc would take .ts for TypeScript. Run again after changing the list; the output is deterministic.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const THIRD = process.env.BOXWRIGHT_THIRDPARTY ?? join(ROOT, '../shared/samples/thirdparty');
const OUT = join(ROOT, 'test/fuzz/seeds');
const own = (n) => readFileSync(join(ROOT, 'samples', n));
const third = (n) => readFileSync(join(THIRD, n));

function wavPrefix(buf, keep) {
  const d = Buffer.from(buf.subarray(0, keep));
  for (let p = 12; p + 8 <= d.length; ) {
    const id = d.toString('latin1', p, p + 4);
    const size = d.readUInt32LE(p + 4);
    if (id === 'data') {
      d.writeUInt32LE(d.length - p - 8, p + 4);
      break;
    }
    p += 8 + size + (size & 1);
  }
  d.writeUInt32LE(d.length - 8, 4);
  return d;
}

const seeds = {
  'mp4-opus.mp4': own('opus.mp4'),
  'mp4-hevc-hev1.mp4': own('hevc-hev1.mp4'),
  'mp4-aac.m4a': own('aac.m4a'),
  'mp4-tx3g.mp4': own('subtitles-tx3g.mp4'),
  'mp4-h264-aac-frag.mp4': own('h264-aac-frag.mp4'),
  'mov-h264-aac.mov': own('h264-aac.mov'),
  'mov-pcm-alaw.mov': own('pcm-alaw.mov'),
  'mp4-go-mp4-sample.mp4': third('go-mp4/sample.mp4'),
  'mp4-go-mp4-fragmented.mp4': third('go-mp4/sample_fragmented.mp4'),
  'mp4-edit-list-discard.mp4': third('mediabunny/edit-list-discard.mp4'),
  'mp4-2xSencNoMdat.mp4': third('mp4ff/2xSencNoMdat.mp4'),
  'mp4-green-pixel.mp4': third('shaka-player/green-pixel.mp4'),
  'ts-h264-aac.mpegts': own('h264-aac.ts').subarray(0, 188 * 60),
  'ts-hevc-aac.mpegts': own('hevc-aac.ts').subarray(0, 188 * 60),
  'ts-h264-aac-latm.mpegts': own('h264-aac-latm.ts').subarray(0, 188 * 60),
  'ts-mp2.mpegts': own('mp2.ts').subarray(0, 188 * 60),
  'm2ts-h264-aac.m2ts': own('h264-aac-m2ts.m2ts').subarray(0, 192 * 60),
  'ts-raw-aac.mpegts': third('shaka-player/hls-ts-raw-aac/fileSequence0.ts'),
  'adts-aac.adts': own('aac.adts').subarray(0, 3000),
  'adts-id3.aac': third('shaka-player/id3-metadata.aac'),
  'mp3-mp3.mp3': own('mp3.mp3').subarray(0, 3000),
  'ac3-ac3.ac3': own('ac3.ac3').subarray(0, 3000),
  'wav-pcm.wav': wavPrefix(own('pcm.wav'), 2048),
  'wav-float.wav': wavPrefix(own('pcm-float.wav'), 2048),
};
rmSync(OUT, { recursive: true, force: true });
mkdirSync(OUT, { recursive: true });
let total = 0;
for (const [name, data] of Object.entries(seeds)) {
  writeFileSync(join(OUT, name), data);
  total += data.length;
}
console.log(`${Object.keys(seeds).length} seeds, ${total} bytes in ${OUT}`);
