import { boxHex, hexToBytes, type BoxVector } from '../../helpers/vector.js';

const UNITY = [0x10000, 0, 0, 0, 0x10000, 0, 0, 0, 0x40000000];
const UNITY_HEX = '00010000 00000000 00000000 00000000 00010000 00000000 00000000 00000000 40000000';

const mvhdValue = { creationTime: 0, modificationTime: 0, timescale: 1000, duration: 10000, rate: 1, volume: 1, matrix: UNITY, nextTrackId: 2 };
const mvhdHex = boxHex('mvhd', `00000000 00000000 00000000 000003e8 00002710 00010000 0100 ${'00'.repeat(10)} ${UNITY_HEX} ${'00'.repeat(24)} 00000002`);
const tkhdValue = {
  enabled: true, inMovie: true, creationTime: 0, modificationTime: 0, trackId: 1, duration: 3000, layer: 0, alternateGroup: 0, volume: 0,
  matrix: UNITY, width: 320, height: 180,
};
const tkhdHex = boxHex('tkhd', `00000003 00000000 00000000 00000001 00000000 00000bb8 ${'00'.repeat(8)} 0000 0000 0000 0000 ${UNITY_HEX} 01400000 00b40000`);
const mdhdValue = { creationTime: 0, modificationTime: 0, timescale: 44100, duration: 4096, language: 'und' };
const mdhdHex = boxHex('mdhd', '00000000 00000000 00000000 0000ac44 00001000 55c4 0000');
const vmhdHex = boxHex('vmhd', '00000001 0000 000000000000');
const urlHex = boxHex('url ', '00000001');

export const vectors: BoxVector[] = [
  { box: { type: 'mvhd', value: mvhdValue }, hex: mvhdHex, dump: ['[mvhd] size=108 offset=0 v0 flags=0x000000', 'timescale: 1000', 'rate: 1'] },
  {
    name: 'mvhd v1 (64-bit duration)',
    box: { type: 'mvhd', value: { ...mvhdValue, duration: 2 ** 33 } },
    hex: boxHex('mvhd', `01000000 0000000000000000 0000000000000000 000003e8 0000000200000000 00010000 0100 ${'00'.repeat(10)} ${UNITY_HEX} ${'00'.repeat(24)} 00000002`),
  },
  { box: { type: 'moov', children: [{ type: 'mvhd', value: mvhdValue }] }, hex: boxHex('moov', mvhdHex) },
  { box: { type: 'tkhd', value: tkhdValue }, hex: tkhdHex, dump: ['width: 320', 'enabled: true'] },
  { box: { type: 'trak', children: [{ type: 'tkhd', value: tkhdValue }] }, hex: boxHex('trak', tkhdHex) },
  {
    box: { type: 'tref', children: [{ type: 'chap', value: { trackIds: [3] } }] },
    hex: boxHex('tref', boxHex('chap', '00000003')),
  },
  {
    box: { type: 'edts', children: [{ type: 'elst', value: { entries: [{ segmentDuration: 3000, mediaTime: 1024, mediaRateInteger: 1, mediaRateFraction: 0 }] } }] },
    hex: boxHex('edts', boxHex('elst', '00000000 00000001 00000bb8 00000400 0001 0000')),
  },
  {
    name: 'elst v1 (empty edit, 64-bit duration)',
    box: { type: 'elst', value: { entries: [{ segmentDuration: 2 ** 32, mediaTime: -1, mediaRateInteger: 1, mediaRateFraction: 0 }] } },
    hex: boxHex('elst', '01000000 00000001 0000000100000000 ffffffffffffffff 0001 0000'),
  },
  { box: { type: 'mdhd', value: mdhdValue }, hex: mdhdHex, dump: ['language: "und"'] },
  {
    name: 'mdhd with a QuickTime language code and quality',
    box: { type: 'mdhd', value: { ...mdhdValue, language: 0, quality: 0x100 } },
    hex: boxHex('mdhd', '00000000 00000000 00000000 0000ac44 00001000 0000 0100'),
  },
  { box: { type: 'mdia', children: [{ type: 'mdhd', value: mdhdValue }] }, hex: boxHex('mdia', mdhdHex) },
  {
    box: { type: 'hdlr', value: { handlerType: 'vide', name: 'VideoHandler' } },
    hex: boxHex('hdlr', '00000000 00000000 76696465 00000000 00000000 00000000 566964656f48616e646c657200'),
    dump: ['handlerType: "vide"', 'name: "VideoHandler"'],
  },
  {
    name: 'hdlr QuickTime (component fields, Pascal name)',
    box: { type: 'hdlr', value: { componentType: 'mhlr', handlerType: 'soun', manufacturer: 'appl', name: 'Sound', pascalName: true } },
    hex: boxHex('hdlr', '00000000 6d686c72 736f756e 6170706c 00000000 00000000 05536f756e64'),
  },
  { box: { type: 'minf', children: [{ type: 'vmhd', value: { graphicsMode: 0, opcolor: [0, 0, 0] } }] }, hex: boxHex('minf', vmhdHex) },
  { box: { type: 'vmhd', value: { graphicsMode: 0, opcolor: [0, 0, 0] } }, hex: vmhdHex },
  { box: { type: 'smhd', value: { balance: 0 } }, hex: boxHex('smhd', '00000000 0000 0000') },
  { box: { type: 'sthd', value: {} }, hex: boxHex('sthd', '00000000') },
  { box: { type: 'nmhd', value: {} }, hex: boxHex('nmhd', '00000000') },
  {
    box: { type: 'hmhd', value: { maxPduSize: 256, avgPduSize: 128, maxBitrate: 4096, avgBitrate: 2048 } },
    hex: boxHex('hmhd', '00000000 0100 0080 00001000 00000800 00000000'),
  },
  {
    box: { type: 'gmhd', children: [{ type: 'gmin', raw: hexToBytes('00000000 0040 8000 8000 8000 0000 0000') }] },
    hex: boxHex('gmhd', boxHex('gmin', '00000000 0040 8000 8000 8000 0000 0000')),
  },
  {
    box: { type: 'dinf', children: [{ type: 'dref', value: {}, children: [{ type: 'url ', value: { selfContained: true } }] }] },
    hex: boxHex('dinf', boxHex('dref', `00000000 00000001 ${urlHex}`)),
  },
  { box: { type: 'url ', value: { location: 'http://a' } }, hex: boxHex('url ', '00000000 687474703a2f2f6100') },
  { box: { type: 'urn ', value: { name: 'a', location: 'b' } }, hex: boxHex('urn ', '00000000 6100 6200') },
  {
    name: 'udta (QuickTime text atom kept opaque, zero terminator kept)',
    box: { type: 'udta', children: [{ type: '\u00a9too', raw: hexToBytes('0003 0000 616263') }], trailing: hexToBytes('00000000') },
    hex: boxHex('udta', boxHex('\u00a9too', '0003 0000 616263') + '00000000'),
  },
];
