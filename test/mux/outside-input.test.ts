/**
 * Writers copy only bytes of the input: samples that leave it (a file cut inside its mdat, a moov pointing past
 * the end) are not written, and an input that is a view into a larger buffer gives exactly the output of a plain
 * copy of it, with none of the surrounding bytes (a sentinel pattern) in it.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createFragmentedMp4, streamCopy, STREAM_COPY_FORMATS } from '../../src/api/remux.js';
import { probeMedia } from '../../src/api/probe.js';
import { isBoxwrightError } from '../../src/io/errors.js';
import { OWN_SAMPLES, thirdPartyDir } from '../helpers/samples.js';

const SENTINEL = [0xde, 0xad, 0xbe, 0xef];

/** `data` placed at an odd offset inside a larger buffer filled with the sentinel pattern. */
function embedded(data: Uint8Array): Uint8Array {
  const pad = 4099;
  const big = new Uint8Array(data.length + 2 * pad);
  for (let i = 0; i < big.length; i++) big[i] = SENTINEL[i & 3]!;
  big.set(data, pad);
  return big.subarray(pad, pad + data.length);
}

function hasSentinelRun(out: Uint8Array, input: Uint8Array): boolean {
  // 16 bytes of the pattern in a row that the input itself does not contain.
  const pattern = Buffer.from(Array.from({ length: 16 }, (_, i) => SENTINEL[i & 3]!));
  return Buffer.from(out.buffer, out.byteOffset, out.length).includes(pattern) && !Buffer.from(input).includes(pattern);
}

type Outcome = { bytes: Uint8Array } | { code: string };
function outcome(f: () => Uint8Array): Outcome {
  try {
    return { bytes: f() };
  } catch (e) {
    if (isBoxwrightError(e)) return { code: e.code };
    throw e;
  }
}

const third = thirdPartyDir();
const inputs: Array<[string, Uint8Array]> = [
  ['h264-aac.mp4', readFileSync(join(OWN_SAMPLES, 'h264-aac.mp4'))],
  ['h264-aac.mp4 cut inside mdat', readFileSync(join(OWN_SAMPLES, 'h264-aac.mp4')).subarray(0, 40000)],
  ['h264-aac-frag.mp4 cut inside an mdat', readFileSync(join(OWN_SAMPLES, 'h264-aac-frag.mp4')).subarray(0, 30000)],
  ['mediabunny/annex-b.mp4', readFileSync(join(third, 'mediabunny/annex-b.mp4'))],
  ['go-mp4/sample_qt.mp4 (moov without its media)', readFileSync(join(third, 'go-mp4/sample_qt.mp4'))],
  [
    'shaka vtt-init + vtt-segment-multi-payload (last sample 16 bytes past the end)',
    Buffer.concat([readFileSync(join(third, 'shaka-player/vtt-init.mp4')), readFileSync(join(third, 'shaka-player/vtt-segment-multi-payload.mp4'))]),
  ],
];

describe.each(inputs)('%s', (_name, data) => {
  const writers: Array<[string, (d: Uint8Array) => Uint8Array]> = [
    ['createFragmentedMp4', (d) => createFragmentedMp4(d).data],
    ...STREAM_COPY_FORMATS.map((format) => [`streamCopy ${format} all`, (d: Uint8Array) => streamCopy(d, { format, map: 'all' })] as [string, (d: Uint8Array) => Uint8Array]),
  ];
  test.each(writers)('%s: same output from a view into a larger buffer, nothing from outside it', (_w, write) => {
    const plain = outcome(() => write(Uint8Array.from(data)));
    const view = embedded(data);
    const inView = outcome(() => write(view));
    expect(inView).toEqual(plain);
    if ('bytes' in inView) expect(hasSentinelRun(inView.bytes, data)).toBe(false);
  });
});

test('an MP4 cut inside its mdat remuxes every complete sample before the cut', () => {
  const whole = readFileSync(join(OWN_SAMPLES, 'h264-aac.mp4'));
  const cut = whole.subarray(0, 40000);
  const out = streamCopy(cut, { map: 'all' });
  const packets = probeMedia(whole, { packets: true }).packets!;
  // Per stream, the samples stored wholly within the first 40,000 bytes, up to the first that is not.
  const expected = [0, 1].map((si) => {
    const own = packets.filter((p) => p.stream_index === si);
    const firstIncomplete = own.findIndex((p) => Number(p.pos) + Number(p.size) > cut.length);
    return firstIncomplete < 0 ? own.length : firstIncomplete;
  });
  const got = probeMedia(out, { packets: true }).packets!;
  expect([0, 1].map((si) => got.filter((p) => p.stream_index === si).length)).toEqual(expected);
  expect(expected[0]).toBeGreaterThan(0);
});
