/**
 * Protection box vectors (14496-12 §8.12, 23001-7 CENC, §8.7.8–§8.7.9 aux info). Hex written by hand
 * from the spec layouts: size, type, [version, flags], fields.
 */
import type { BoxVector } from '../../helpers/vector.js';
import { hexToBytes } from '../../helpers/vector.js';

const KID = '0123456789abcdef0123456789abcdef';

export const vectors: BoxVector[] = [
  {
    name: 'sinf { frma, schm, schi { tenc v0 } }',
    box: {
      type: 'sinf',
      children: [
        { type: 'frma', value: { dataFormat: 'avc1' } },
        { type: 'schm', value: { schemeType: 'cenc', schemeVersion: 0x10000 } },
        {
          type: 'schi',
              children: [{ type: 'tenc', value: { defaultIsProtected: 1, defaultPerSampleIvSize: 8, defaultKid: hexToBytes(KID) } }],
        },
      ],
    },
    hex:
      '00000050 73696e66' +
      ' 0000000c 66726d61 61766331' +
      ' 00000014 7363686d 00000000 63656e63 00010000' +
      ' 00000028 73636869' +
      ` 00000020 74656e63 00000000 00 00 01 08 ${KID}`,
    dump: [
      '[sinf] size=80 offset=0',
      '[frma] size=12 offset=8',
      'dataFormat: "avc1"',
      '[schm] size=20 offset=20 v0 flags=0x000000',
      'schemeType: "cenc"',
      'schemeVersion: 65536',
      '[schi] size=40 offset=40',
      '[tenc] size=32 offset=48 v0 flags=0x000000',
      'defaultPerSampleIvSize: 8',
      `defaultKid: ${KID}`,
    ],
  },
  {
    name: 'schm with scheme URI',
    box: { type: 'schm', value: { schemeType: 'cbcs', schemeVersion: 0x10000, schemeUri: 'http://a' } },
    hex: '0000001d 7363686d 00000001 63626373 00010000 687474703a2f2f61 00',
    dump: ['[schm] size=29 offset=0 v0 flags=0x000001', 'schemeUri: "http://a"'],
  },
  {
    name: 'tenc v1 (cbcs pattern 1:9) with constant IV',
    box: {
      type: 'tenc',
      value: {
        defaultCryptByteBlock: 1,
        defaultSkipByteBlock: 9,
        defaultIsProtected: 1,
        defaultPerSampleIvSize: 0,
        defaultKid: hexToBytes(KID),
        defaultConstantIv: hexToBytes('00112233445566778899aabbccddeeff'),
      },
    },
    hex: `00000031 74656e63 01000000 00 19 01 00 ${KID} 10 00112233445566778899aabbccddeeff`,
    dump: ['[tenc] size=49 offset=0 v1 flags=0x000000', 'defaultCryptByteBlock: 1', 'defaultSkipByteBlock: 9', 'defaultConstantIv: 00112233445566778899aabbccddeeff'],
  },
  {
    name: 'tenc v0 with constant IV',
    box: {
      type: 'tenc',
      value: { defaultIsProtected: 1, defaultPerSampleIvSize: 0, defaultKid: hexToBytes(KID), defaultConstantIv: hexToBytes('0102030405060708') },
    },
    hex: `00000029 74656e63 00000000 00 00 01 00 ${KID} 08 0102030405060708`,
  },
  {
    name: 'tenc v1 with pattern 0:0 (version from the pattern fields)',
    box: { type: 'tenc', value: { defaultCryptByteBlock: 0, defaultSkipByteBlock: 0, defaultIsProtected: 1, defaultPerSampleIvSize: 16, defaultKid: hexToBytes(KID) } },
    hex: `00000020 74656e63 01000000 00 00 01 10 ${KID}`,
  },
  {
    name: 'pssh v0 (Widevine)',
    box: { type: 'pssh', value: { systemId: hexToBytes('edef8ba979d64acea3c827dcd51d21ed'), data: hexToBytes('deadbeef') } },
    hex: '00000024 70737368 00000000 edef8ba979d64acea3c827dcd51d21ed 00000004 deadbeef',
    dump: ['[pssh] size=36 offset=0 v0 flags=0x000000', 'systemId: edef8ba979d64acea3c827dcd51d21ed', 'data: deadbeef'],
  },
  {
    name: 'pssh v1 (ClearKey, one KID, no data)',
    box: { type: 'pssh', value: { systemId: hexToBytes('1077efecc0b24d02ace33c1e52e2fb4b'), kids: [hexToBytes(KID)], data: new Uint8Array(0) } },
    hex: `00000034 70737368 01000000 1077efecc0b24d02ace33c1e52e2fb4b 00000001 ${KID} 00000000`,
    dump: ['[pssh] size=52 offset=0 v1 flags=0x000000', `kids: [${KID}]`, 'data: (empty)'],
  },
  {
    name: 'senc with subsamples',
    box: {
      type: 'senc',
      value: { sampleCount: 1, data: hexToBytes('0001020304050607 0001 0005 00000010'), useSubsampleEncryption: true },
    },
    // one sample: 8-byte IV, 1 subsample (5 clear, 16 protected bytes)
    hex: '00000020 73656e63 00000002 00000001 0001020304050607 0001 0005 00000010',
    dump: ['[senc] size=32 offset=0 v0 flags=0x000002', 'sampleCount: 1', 'useSubsampleEncryption: true'],
  },
  {
    name: 'saiz with a default size',
    box: { type: 'saiz', value: { defaultSampleInfoSize: 8, sampleCount: 10 } },
    hex: '00000011 7361697a 00000000 08 0000000a',
  },
  {
    name: 'saiz with per-sample sizes and aux info type',
    box: { type: 'saiz', value: { auxInfoType: 'cenc', auxInfoTypeParameter: 0, sampleInfoSizes: new Uint8Array([16, 22, 16]) } },
    hex: '0000001c 7361697a 00000001 63656e63 00000000 00 00000003 10 16 10',
    dump: ['[saiz] size=28 offset=0 v0 flags=0x000001', 'auxInfoType: "cenc"', 'sampleInfoSizes: 101610'],
  },
  {
    name: 'saio v0',
    box: { type: 'saio', value: { offsets: new Float64Array([500]) } },
    hex: '00000014 7361696f 00000000 00000001 000001f4',
    dump: ['offsets: [500]'],
  },
  {
    name: 'saio v1 (64-bit offset) with aux info type',
    box: { type: 'saio', value: { auxInfoType: 'cbcs', auxInfoTypeParameter: 0, offsets: new Float64Array([0x100000000, 8]) } },
    hex: '00000028 7361696f 01000001 63626373 00000000 00000002 00000001 00000000 00000000 00000008',
  },
  {
    name: 'saio v1 kept by the version hint',
    box: { type: 'saio', value: { offsets: new Float64Array([8]) } },
    version: 1,
    hex: '00000018 7361696f 01000000 00000001 00000000 00000008',
  },
];
