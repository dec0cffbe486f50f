/**
 * Movie fragment box vectors (14496-12 §8.8). Hex written by hand from the spec layouts:
 * size, type, [version, flags], fields.
 */
import type { BoxVector } from '../../helpers/vector.js';

export const vectors: BoxVector[] = [
  {
    name: 'mvex { mehd v0, trex }',
    box: {
      type: 'mvex',
      children: [
        { type: 'mehd', value: { fragmentDuration: 90000 } },
        {
          type: 'trex',
          value: { trackId: 1, defaultSampleDescriptionIndex: 1, defaultSampleDuration: 0, defaultSampleSize: 0, defaultSampleFlags: 0x10000 },
        },
      ],
    },
    hex:
      '00000038 6d766578' +
      ' 00000010 6d656864 00000000 00015f90' +
      ' 00000020 74726578 00000000 00000001 00000001 00000000 00000000 00010000',
    dump: ['[mvex] size=56 offset=0', '[mehd] size=16 offset=8 v0 flags=0x000000', 'fragmentDuration: 90000', '[trex] size=32 offset=24 v0 flags=0x000000', 'defaultSampleFlags: 65536'],
  },
  {
    name: 'mehd v1 (64-bit duration)',
    box: { type: 'mehd', value: { fragmentDuration: 0x100000000 } },
    hex: '00000014 6d656864 01000000 00000001 00000000',
  },
  {
    name: 'moof { mfhd, traf { tfhd default-base-is-moof, tfdt v0, trun v0 } }',
    box: {
      type: 'moof',
      children: [
        { type: 'mfhd', value: { sequenceNumber: 1 } },
        {
          type: 'traf',
              children: [
            { type: 'tfhd', value: { trackId: 1, defaultBaseIsMoof: true } },
            { type: 'tfdt', value: { baseMediaDecodeTime: 0 } },
            { type: 'trun', value: { sampleCount: 2, dataOffset: 108, sampleDuration: Uint32Array.of(1024, 1024), sampleSize: Uint32Array.of(100, 200) } },
          ],
        },
      ],
    },
    hex:
      '00000064 6d6f6f66' +
      ' 00000010 6d666864 00000000 00000001' +
      ' 0000004c 74726166' +
      ' 00000010 74666864 00020000 00000001' +
      ' 00000010 74666474 00000000 00000000' +
      // count 2, data offset 108 (moof size 100 + mdat header 8), then duration+size per sample
      ' 00000024 7472756e 00000301 00000002 0000006c 00000400 00000064 00000400 000000c8',
    dump: [
      '[moof] size=100 offset=0',
      '[mfhd] size=16 offset=8 v0 flags=0x000000',
      'sequenceNumber: 1',
      '[traf] size=76 offset=24',
      '[tfhd] size=16 offset=32 v0 flags=0x020000',
      'trackId: 1',
      'defaultBaseIsMoof: true',
      '[tfdt] size=16 offset=48 v0 flags=0x000000',
      '[trun] size=36 offset=64 v0 flags=0x000301',
      'sampleCount: 2',
      'dataOffset: 108',
      'sampleDuration: [1024, 1024]',
      'sampleSize: [100, 200]',
    ],
  },
  {
    name: 'tfhd with every optional field and duration-is-empty',
    box: {
      type: 'tfhd',
      value: {
        trackId: 2,
        baseDataOffset: 0x100000010,
        sampleDescriptionIndex: 1,
        defaultSampleDuration: 1024,
        defaultSampleSize: 512,
        defaultSampleFlags: 0x01010000,
        durationIsEmpty: true,
      },
    },
    // flags 0x01003b = duration-is-empty | 0x20 | 0x10 | 0x08 | 0x02 | 0x01
    hex: '00000028 74666864 0001003b 00000002 00000001 00000010 00000001 00000400 00000200 01010000',
    dump: ['[tfhd] size=40 offset=0 v0 flags=0x01003b', 'baseDataOffset: 4294967312', 'durationIsEmpty: true'],
  },
  {
    name: 'tfdt v1 kept by the version hint (ffmpeg)',
    box: { type: 'tfdt', value: { baseMediaDecodeTime: 4096 } },
    version: 1,
    hex: '00000014 74666474 01000000 00000000 00001000',
  },
  {
    name: 'tfdt v1 (64-bit time)',
    box: { type: 'tfdt', value: { baseMediaDecodeTime: 0x123456789 } },
    hex: '00000014 74666474 01000000 00000001 23456789',
  },
  {
    name: 'trun v0 with all per-sample fields and a negative data offset',
    box: {
      type: 'trun',
      value: { sampleCount: 1, dataOffset: -4, sampleDuration: Uint32Array.of(3000), sampleSize: Uint32Array.of(1000), sampleFlags: Uint32Array.of(0x02000000), sampleCompositionTimeOffset: Uint32Array.of(6000) },
    },
    hex: '00000024 7472756e 00000f01 00000001 fffffffc 00000bb8 000003e8 02000000 00001770',
    dump: ['[trun] size=36 offset=0 v0 flags=0x000f01', 'sampleCount: 1', 'dataOffset: -4', 'sampleDuration: [3000]', 'sampleSize: [1000]', 'sampleFlags: [33554432]', 'sampleCompositionTimeOffset: [6000]'],
  },
  {
    name: 'trun v1 (negative composition offset) with first-sample flags',
    box: {
      type: 'trun',
      value: {
        dataOffset: 112,
        firstSampleFlags: 0x02000000,
        sampleCount: 2,
        sampleSize: Uint32Array.of(500, 100),
        sampleCompositionTimeOffset: Int32Array.of(1024, -512),
      },
    },
    hex: '00000028 7472756e 01000a05 00000002 00000070 02000000 000001f4 00000400 00000064 fffffe00',
    dump: ['[trun] size=40 offset=0 v1 flags=0x000a05', 'sampleCount: 2', 'dataOffset: 112', 'firstSampleFlags: 33554432', 'sampleSize: [500, 100]', 'sampleCompositionTimeOffset: [1024, -512]'],
  },
  {
    name: 'trun with only first-sample flags (3 samples, all from defaults)',
    box: { type: 'trun', value: { sampleCount: 3, firstSampleFlags: 0x02000000 } },
    hex: '00000014 7472756e 00000004 00000003 02000000',
    dump: ['[trun] size=20 offset=0 v0 flags=0x000004', 'sampleCount: 3', 'firstSampleFlags: 33554432'],
  },
  {
    name: 'mfra { tfra v0 (1-byte numbers), mfro }',
    box: {
      type: 'mfra',
      children: [
        { type: 'tfra', value: { trackId: 1, entries: [{ time: 0, moofOffset: 1000, trafNumber: 1, trunNumber: 1, sampleNumber: 1 }] } },
        { type: 'mfro', value: { parentSize: 59 } },
      ],
    },
    hex:
      '0000003b 6d667261' +
      ' 00000023 74667261 00000000 00000001 00000000 00000001 00000000 000003e8 01 01 01' +
      ' 00000010 6d66726f 00000000 0000003b',
    dump: ['[tfra] size=35 offset=8 v0 flags=0x000000', 'entries: [{time: 0, moofOffset: 1000, trafNumber: 1, trunNumber: 1, sampleNumber: 1}]', 'parentSize: 59'],
  },
  {
    name: 'tfra v1 with 1-byte traf/trun and 4-byte sample numbers (derived)',
    box: {
      type: 'tfra',
      value: { trackId: 1, entries: [{ time: 0x100000000, moofOffset: 0x20, trafNumber: 1, trunNumber: 2, sampleNumber: 0x01000000 }] },
    },
    // length sizes: traf 0, trun 0, sample 3 → 0x00000003
    hex: '0000002e 74667261 01000000 00000001 00000003 00000001 00000001 00000000 00000000 00000020 01 02 01000000',
  },
  {
    name: 'tfra v1 with 4-byte widths kept as hints (small numbers)',
    box: {
      type: 'tfra',
      value: {
        trackId: 2,
        lengthSizeOfTrafNum: 3,
        lengthSizeOfTrunNum: 3,
        lengthSizeOfSampleNum: 3,
        entries: [{ time: 0, moofOffset: 1143, trafNumber: 1, trunNumber: 1, sampleNumber: 1 }],
      },
    },
    version: 1,
    hex: '00000034 74667261 01000000 00000002 0000003f 00000001 00000000 00000000 00000000 00000477 00000001 00000001 00000001',
    dump: ['[tfra] size=52 offset=0 v1 flags=0x000000', 'lengthSizeOfTrafNum: 3'],
  },
];
