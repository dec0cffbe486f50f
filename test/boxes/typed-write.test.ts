/**
 * The typed write path: box values are typed per box type from the registry (BoxValueMap, makeBox), and at run
 * time a value with a required field missing, misspelt or an unknown field is refused before anything is
 * written — a missing number used to be written as 0.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeBox, writeTree, type Box, type BoxOf } from '../../boxes/tree.js';
import type { BoxValueMap } from '../../boxes/registry.js';
import { readBoxes, writeBoxes } from '../../src/index.js';
import { REPO } from '../helpers/samples.js';

const mdhd: BoxValueMap['mdhd'] = { creationTime: 0, modificationTime: 0, timescale: 48000, duration: 0, language: 'und' };

interface Row {
  name: string;
  boxes: Box[];
  /** Expected message (substring), or undefined when the value is valid. */
  error?: string;
}

const rows: Row[] = [
  {
    name: 'misspelt required field',
    boxes: [{ type: 'mdhd', value: { creationTime: 0, modificationTime: 0, timeScale: 48000, duration: 0, language: 'und' } }],
    error: "mdhd: missing required field 'timescale' (value has 'timeScale')",
  },
  {
    name: 'missing required field',
    boxes: [{ type: 'mdhd', value: { creationTime: 0, modificationTime: 0, duration: 0, language: 'und' } }],
    error: "mdhd: missing required field 'timescale' (value has 'creationTime', 'modificationTime', 'duration', 'language')",
  },
  {
    name: 'extra field',
    boxes: [{ type: 'mdhd', value: { ...mdhd, sampleRate: 48000 } }],
    error: "mdhd: unknown field 'sampleRate'",
  },
  {
    name: 'misspelt field in a nested struct (elst entry)',
    boxes: [{ type: 'elst', value: { entries: [{ segmentDuration: 1, mediaTime: 0, mediaRateInteger: 1, mediaRateFraction: 0 }, { segmentDuration: 1, mediatime: 0, mediaRateInteger: 1, mediaRateFraction: 0 }] } }],
    error: "elst.entries[1]: missing required field 'mediaTime' (value has 'mediatime')",
  },
  {
    name: 'misspelt optional field (flagged) is unknown, not silently dropped',
    boxes: [{ type: 'tfhd', value: { trackId: 1, defaultSampleDurations: 1024 } }],
    error: "tfhd: unknown field 'defaultSampleDurations' (did you mean 'defaultSampleDuration'?)",
  },
  {
    name: 'column table with a missing column',
    boxes: [{ type: 'stts', value: { entries: { sampleCount: Uint32Array.of(1) } } }],
    error: "stts.entries: missing required field 'sampleDelta'",
  },
  {
    name: 'bit fields of a spread group (avcC lengthSizeMinusOne)',
    boxes: [{ type: 'hvcC', value: {} }],
    error: "hvcC: missing required field 'configurationVersion'",
  },
  {
    name: 'valid value, optional fields absent (withDefault, flagged, named flags)',
    boxes: [
      { type: 'mdhd', value: mdhd },
      { type: 'tfhd', value: { trackId: 1 } },
      { type: 'tkhd', value: { creationTime: 0, modificationTime: 0, trackId: 1, duration: 0, layer: 0, alternateGroup: 0, volume: 0, matrix: [0x10000, 0, 0, 0, 0x10000, 0, 0, 0, 0x40000000], width: 0, height: 0 } },
    ],
  },
  {
    name: 'valid value with named flags and optional fields present',
    boxes: [{ type: 'tfhd', value: { trackId: 1, defaultSampleDuration: 1024, defaultBaseIsMoof: true } }],
  },
];

test.each(rows)('$name', ({ boxes, error }) => {
  if (error === undefined) {
    expect(writeBoxes(boxes).length).toBeGreaterThan(0);
    return;
  }
  expect(() => writeBoxes(boxes)).toThrow(TypeError);
  expect(() => writeBoxes(boxes)).toThrow(error);
});

test('the check runs inside containers, and on sizeOf-free paths too (writeTree)', () => {
  const moov: Box = { type: 'moov', children: [{ type: 'trak', children: [{ type: 'mdia', children: [{ type: 'mdhd', value: { ...mdhd, timescale: undefined } }] }] }] };
  expect(() => writeTree([moov])).toThrow("mdhd: missing required field 'timescale'");
});

test('every parsed sample writes back through the check (parsed values have the declared shape)', () => {
  for (const name of ['h264-aac.mp4', 'h264-aac-frag.mp4']) {
    const data = new Uint8Array(readFileSync(join(REPO, 'samples', name)));
    expect(writeBoxes(readBoxes(data)).length).toBe(data.length);
  }
});

test('makeBox types the value from the definition', () => {
  const box: BoxOf<'mdhd'> = makeBox('mdhd', mdhd);
  expect(writeBoxes([box]).length).toBe(32);
  // @ts-expect-error -- a misspelt field does not compile
  makeBox('mdhd', { creationTime: 0, modificationTime: 0, timeScale: 48000, duration: 0, language: 'und' });
  // @ts-expect-error -- a missing required field does not compile
  makeBox('tfdt', {});
  expect(makeBox('tfdt', { baseMediaDecodeTime: 0 }).type).toBe('tfdt');
});
