import { boxHex, hexToBytes, type BoxVector } from '../../helpers/vector.js';

const u32s = (...xs: number[]): Uint32Array => Uint32Array.from(xs);
const i32s = (...xs: number[]): Int32Array => Int32Array.from(xs);

export const vectors: BoxVector[] = [
  {
    name: 'stbl with an empty stsd',
    box: { type: 'stbl', children: [{ type: 'stsd', value: {}, children: [] }] },
    hex: boxHex('stbl', boxHex('stsd', '00000000 00000000')),
  },
  {
    box: { type: 'stts', value: { entries: { sampleCount: u32s(10, 1), sampleDelta: u32s(1024, 512) } } },
    hex: boxHex('stts', '00000000 00000002 0000000a 00000400 00000001 00000200'),
    dump: ['entries: {sampleCount: [10, 1], sampleDelta: [1024, 512]}'],
  },
  {
    name: 'ctts v0',
    box: { type: 'ctts', value: { entries: { sampleCount: u32s(1, 2), sampleOffset: i32s(1024, 0) } } },
    hex: boxHex('ctts', '00000000 00000002 00000001 00000400 00000002 00000000'),
  },
  {
    name: 'ctts v1 (negative offsets)',
    box: { type: 'ctts', value: { entries: { sampleCount: u32s(1), sampleOffset: i32s(-512) } } },
    hex: boxHex('ctts', '01000000 00000001 00000001 fffffe00'),
  },
  {
    box: {
      type: 'cslg',
      value: { compositionToDtsShift: 512, leastDecodeToDisplayDelta: -512, greatestDecodeToDisplayDelta: 1024, compositionStartTime: 0, compositionEndTime: 9000 },
    },
    hex: boxHex('cslg', '00000000 00000200 fffffe00 00000400 00000000 00002328'),
  },
  { box: { type: 'stss', value: { sampleNumbers: u32s(1, 13, 25) } }, hex: boxHex('stss', '00000000 00000003 00000001 0000000d 00000019') },
  { box: { type: 'stps', value: { sampleNumbers: u32s(2) } }, hex: boxHex('stps', '00000000 00000001 00000002') },
  { box: { type: 'sdtp', value: { sampleFlags: hexToBytes('20 10 18') } }, hex: boxHex('sdtp', '00000000 201018') },
  {
    box: { type: 'stsc', value: { entries: { firstChunk: u32s(1, 3), samplesPerChunk: u32s(4, 2), sampleDescriptionIndex: u32s(1, 1) } } },
    hex: boxHex('stsc', '00000000 00000002 00000001 00000004 00000001 00000003 00000002 00000001'),
  },
  { name: 'stsz per-sample', box: { type: 'stsz', value: { entrySizes: u32s(100, 200) } }, hex: boxHex('stsz', '00000000 00000000 00000002 00000064 000000c8') },
  { name: 'stsz constant', box: { type: 'stsz', value: { sampleSize: 4, sampleCount: 1000 } }, hex: boxHex('stsz', '00000000 00000004 000003e8') },
  {
    name: 'stz2 4-bit (odd count, padded)',
    box: { type: 'stz2', value: { entrySizes: u32s(1, 2, 15), fieldSize: 4 } },
    hex: boxHex('stz2', '00000000 000000 04 00000003 12 f0'),
  },
  { name: 'stz2 16-bit', box: { type: 'stz2', value: { entrySizes: u32s(300), fieldSize: 16 } }, hex: boxHex('stz2', '00000000 000000 10 00000001 012c') },
  { box: { type: 'stco', value: { chunkOffsets: u32s(48, 4096) } }, hex: boxHex('stco', '00000000 00000002 00000030 00001000') },
  { box: { type: 'co64', value: { chunkOffsets: Float64Array.from([2 ** 32 + 8]) } }, hex: boxHex('co64', '00000000 00000001 0000000100000008') },
  {
    name: 'sgpd v1 roll (fixed length)',
    box: { type: 'sgpd', value: { groupingType: 'roll', defaultLength: 2, entries: [hexToBytes('ffff')] } },
    hex: boxHex('sgpd', '01000000 726f6c6c 00000002 00000001 ffff'),
  },
  {
    name: 'sgpd v1 (per-entry lengths)',
    box: { type: 'sgpd', value: { groupingType: 'seig', defaultLength: 0, entries: [hexToBytes('0001'), hexToBytes('02')] } },
    hex: boxHex('sgpd', '01000000 73656967 00000000 00000002 00000002 0001 00000001 02'),
  },
  {
    name: 'sgpd v2',
    box: { type: 'sgpd', value: { groupingType: 'seig', defaultLength: 1, defaultSampleDescriptionIndex: 1, entries: [hexToBytes('07')] } },
    hex: boxHex('sgpd', '02000000 73656967 00000001 00000001 00000001 07'),
  },
  {
    name: 'sbgp v0',
    box: { type: 'sbgp', value: { groupingType: 'roll', entries: { sampleCount: u32s(5), groupDescriptionIndex: u32s(1) } } },
    hex: boxHex('sbgp', '00000000 726f6c6c 00000001 00000005 00000001'),
  },
  {
    name: 'sbgp v1',
    box: { type: 'sbgp', value: { groupingType: 'seig', groupingTypeParameter: 7, entries: { sampleCount: u32s(), groupDescriptionIndex: u32s() } } },
    hex: boxHex('sbgp', '01000000 73656967 00000007 00000000'),
  },
  {
    box: { type: 'subs', value: { entries: [{ sampleDelta: 1, subsamples: [{ size: 10, priority: 0, discardable: 0, codecSpecificParameters: 0 }] }] } },
    hex: boxHex('subs', '00000000 00000001 00000001 0001 000a 00 00 00000000'),
  },
];
