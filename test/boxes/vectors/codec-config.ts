/**
 * Codec configuration vectors. Every hex string is written from the spec's bit layout (comments show the
 * split); `boxHex` only adds the 8-byte size + type header.
 */
import { boxHex, hexToBytes, type BoxVector } from '../../helpers/vector.js';

const b = hexToBytes;

export const vectors: BoxVector[] = [
  // ---------------------------------------------------------------- avcC (14496-15 §5.3.3.1)
  {
    name: 'avcC baseline (no extension)',
    box: {
      type: 'avcC',
      value: {
        configurationVersion: 1, avcProfileIndication: 66, profileCompatibility: 0xc0, avcLevelIndication: 30, lengthSizeMinusOne: 3,
        sequenceParameterSets: [b('6742c01e')], pictureParameterSets: [b('68ce3c80')],
      },
    },
    // 01 42 c0 1e | 111111 11 | 111 00001 | 0004 sps | 01 | 0004 pps
    hex: boxHex('avcC', '01 42 c0 1e ff e1 0004 6742c01e 01 0004 68ce3c80'),
    dump: ['[avcC] size=27 offset=0', 'avcProfileIndication: 66', 'lengthSizeMinusOne: 3', 'sequenceParameterSets: [6742c01e]', 'pictureParameterSets: [68ce3c80]'],
  },
  {
    name: 'avcC high profile without the optional extension',
    box: {
      type: 'avcC',
      value: {
        configurationVersion: 1, avcProfileIndication: 100, profileCompatibility: 0, avcLevelIndication: 31, lengthSizeMinusOne: 3,
        sequenceParameterSets: [b('6764001f')], pictureParameterSets: [b('68ebe3cb')],
      },
    },
    hex: boxHex('avcC', '01 64 00 1f ff e1 0004 6764001f 01 0004 68ebe3cb'),
  },
  {
    name: 'avcC high 10 with extension and an SPS extension',
    box: {
      type: 'avcC',
      value: {
        configurationVersion: 1, avcProfileIndication: 110, profileCompatibility: 0, avcLevelIndication: 40, lengthSizeMinusOne: 1,
        sequenceParameterSets: [b('676e0028'), b('676e0029')], pictureParameterSets: [],
        chromaFormat: 2, bitDepthLumaMinus8: 2, bitDepthChromaMinus8: 2, sequenceParameterSetExts: [b('6d00')],
      },
    },
    // ... | 111111 01 | 111 00010 | two SPS | 00 PPS | 111111 10 | 11111 010 | 11111 010 | 01 | 0002 6d00
    hex: boxHex('avcC', '01 6e 00 28 fd e2 0004 676e0028 0004 676e0029 00 fe fa fa 01 0002 6d00'),
    dump: ['chromaFormat: 2', 'sequenceParameterSetExts: [6d00]'],
  },

  { name: 'avcC empty (Annex-B stream)', box: { type: 'avcC', value: {} }, hex: boxHex('avcC', '') },

  // ---------------------------------------------------------------- hvcC (14496-15 §8.3.3.1)
  {
    box: {
      type: 'hvcC',
      value: {
        configurationVersion: 1, generalProfileSpace: 0, generalTierFlag: 1, generalProfileIdc: 2, generalProfileCompatibilityFlags: 0x20000000,
        generalConstraintIndicatorFlags: 0xb00000000000, generalLevelIdc: 153, minSpatialSegmentationIdc: 0, parallelismType: 0,
        chromaFormatIdc: 1, bitDepthLumaMinus8: 2, bitDepthChromaMinus8: 2, avgFrameRate: 0, constantFrameRate: 0, numTemporalLayers: 1,
        temporalIdNested: 1, lengthSizeMinusOne: 3,
        arrays: [
          { arrayCompleteness: 1, nalUnitType: 32, nalus: [b('40010c01')] },
          { arrayCompleteness: 0, nalUnitType: 39, nalus: [b('4e01'), b('4e0105')] },
        ],
      },
    },
    // 01 | 00 1 00010 | 20000000 | b00000000000 | 99 | 1111 000000000000 | 111111 00 | 111111 01 | 11111 010 | 11111 010 | 0000
    // | 00 001 1 11 | 02 | 1 0 100000, 0001, 0004 … | 0 0 100111, 0002, 0002 …, 0003 …
    hex: boxHex('hvcC', '01 22 20000000 b00000000000 99 f000 fc fd fa fa 0000 0f 02 a0 0001 0004 40010c01 27 0002 0002 4e01 0003 4e0105'),
    dump: ['generalTierFlag: 1', 'generalConstraintIndicatorFlags: 193514046488576', 'bitDepthLumaMinus8: 2'],
  },

  // ---------------------------------------------------------------- av1C (AV1-ISOBMFF §2.3.3)
  {
    name: 'av1C with initial presentation delay',
    box: {
      type: 'av1C',
      value: {
        seqProfile: 1, seqLevelIdx0: 9, seqTier0: 1, highBitdepth: 1, twelveBit: 0, monochrome: 0, chromaSubsamplingX: 0, chromaSubsamplingY: 0,
        chromaSamplePosition: 0, initialPresentationDelayMinusOne: 3, configObus: b('0a0b00000024'),
      },
    },
    // 1 0000001 | 001 01001 | 1 1 0 0 0 0 00 | 000 1 0011 | OBUs
    hex: boxHex('av1C', '81 29 c0 13 0a0b00000024'),
    dump: ['initialPresentationDelayMinusOne: 3', 'configObus: 0a0b00000024'],
  },

  // ---------------------------------------------------------------- vpcC (VP codec binding §2.2)
  {
    box: {
      type: 'vpcC',
      value: {
        profile: 2, level: 41, bitDepth: 10, chromaSubsampling: 1, videoFullRangeFlag: 1, colourPrimaries: 9, transferCharacteristics: 16,
        matrixCoefficients: 9, codecInitializationData: b('abcd'),
      },
    },
    // v1 flags 0 | 02 | 29 | 1010 001 1 | 09 | 10 | 09 | 0002 abcd
    hex: boxHex('vpcC', '01000000 02 29 a3 09 10 09 0002 abcd'),
    dump: ['[vpcC] size=22 offset=0 v1 flags=0x000000', 'bitDepth: 10'],
  },

  // ---------------------------------------------------------------- esds (14496-1 §7.2.6)
  {
    name: 'esds with 1-byte lengths, ES flags and an extra descriptor',
    box: {
      type: 'esds',
      value: {
        esDescriptor: {
          esId: 1, streamPriority: 3, dependsOnEsId: 2, ocrEsId: 3,
          decoderConfig: { objectTypeIndication: 0x6b, streamType: 5, upStream: 0, bufferSizeDB: 0, maxBitrate: 0, avgBitrate: 0 },
          slConfig: { predefined: 2 },
          otherDescriptors: [{ tag: 0x0a, data: b('656e67') }],
        },
      },
    },
    // 03 len 30: 0001 | 1 0 1 00011 | 0002 | 0003 | 04 len 13: 6b 000101 0 1 000000 00000000 00000000 | 06 01 02 | 0a 03 "eng"
    hex: boxHex('esds', '00000000 03 1e 0001 a3 0002 0003 04 0d 6b 15 000000 00000000 00000000 06 01 02 0a 03 656e67'),
    dump: ['[esds] size=44 offset=0 v0 flags=0x000000'],
  },
  {
    name: 'esds with a URL and DecoderSpecificInfo',
    box: {
      type: 'esds',
      value: {
        esDescriptor: {
          esId: 0, streamPriority: 0, url: 'a',
          decoderConfig: {
            objectTypeIndication: 0x40, streamType: 5, upStream: 1, bufferSizeDB: 0x1800, maxBitrate: 0x1f400, avgBitrate: 0x1f400,
            decoderSpecificInfo: b('1210'),
          },
        },
      },
    },
    // 03 len 24: 0000 | 0 1 0 00000 | 01 "a" | 04 len 17: 40 | 000101 1 1 | 001800 | 0001f400 | 0001f400 | 05 02 1210
    hex: boxHex('esds', '00000000 03 18 0000 40 01 61 04 11 40 17 001800 0001f400 0001f400 05 02 1210'),
  },

  // ---------------------------------------------------------------- audio
  {
    name: 'dOps mapping family 1',
    box: {
      type: 'dOps',
      value: {
        outputChannelCount: 6, preSkip: 312, inputSampleRate: 48000, outputGain: -256, channelMappingFamily: 1,
        streamCount: 4, coupledCount: 2, channelMapping: b('000401020305'),
      },
    },
    // version 0 | 06 | 0138 | 0000bb80 | ff00 | 01 | 04 | 02 | 6 bytes
    hex: boxHex('dOps', '00 06 0138 0000bb80 ff00 01 04 02 000401020305'),
    dump: ['outputGain: -256', 'channelMapping: 000401020305'],
  },
  {
    name: 'dac3 (32 kHz, 1/0)',
    box: { type: 'dac3', value: { fscod: 2, bsid: 8, bsmod: 1, acmod: 1, lfeon: 0, bitRateCode: 10 } },
    // 10 01000 001 001 0 01010 00000
    hex: boxHex('dac3', '90 49 40'),
  },
  {
    name: 'dec3 with two independent substreams and chan_loc',
    box: {
      type: 'dec3',
      value: {
        dataRate: 1024,
        independentSubstreams: [
          { fscod: 0, bsid: 16, asvc: 0, bsmod: 0, acmod: 7, lfeon: 1, numDepSub: 1, chanLoc: 0x102 },
          { fscod: 1, bsid: 16, asvc: 1, bsmod: 2, acmod: 2, lfeon: 0, numDepSub: 0 },
        ],
      },
    },
    // 0000010000000 001 | 00 10000 0 0 000 111 1 | 000 0001 1 | 00000010 | 01 10000 0 1 010 010 0 | 000 0000 0
    hex: boxHex('dec3', '2001 200f 03 02 60a4 00'),
    dump: ['dataRate: 1024'],
  },
  {
    name: 'dfLa with STREAMINFO and padding',
    box: { type: 'dfLa', value: { blocks: [{ blockType: 0, data: b(`10001000 000000 000000 0ac442f000000000 ${'00'.repeat(16)}`) }, { blockType: 1, data: b('00000000') }] } },
    // 0 0000000 000022 <34 bytes> | 1 0000001 000004 <4 bytes>
    hex: boxHex('dfLa', `00000000 00 000022 10001000 000000 000000 0ac442f000000000 ${'00'.repeat(16)} 81 000004 00000000`),
  },
  {
    name: 'pcmC little-endian 16-bit',
    box: { type: 'pcmC', value: { formatFlags: 1, pcmSampleSize: 16 } },
    hex: boxHex('pcmC', '00000000 01 10'),
  },
  {
    name: 'chnl defined layout',
    box: { type: 'chnl', value: { definedLayout: 2, omittedChannelsMap: b('0000000000000000') } },
    // stream_structure 1 (channel-structured) | 02 | 64-bit map
    hex: boxHex('chnl', '00000000 01 02 0000000000000000'),
  },
  {
    name: 'chnl explicit speakers and objects',
    box: { type: 'chnl', value: { definedLayout: 0, speakerPositions: b('0001'), objectCount: 3 } },
    hex: boxHex('chnl', '00000000 03 00 0001 03'),
  },
  {
    name: 'wave with frma, mp4a atom, esds and terminator',
    box: {
      type: 'wave',
      children: [
        { type: 'frma', value: { dataFormat: 'mp4a' } },
        { type: 'mp4a', raw: b('00000000') },
        {
          type: 'esds',
          value: {
            esDescriptor: {
              esId: 0, streamPriority: 0,
              decoderConfig: { objectTypeIndication: 0x40, streamType: 5, upStream: 0, bufferSizeDB: 0, maxBitrate: 96000, avgBitrate: 0, decoderSpecificInfo: b('1190') },
              slConfig: { predefined: 2 },
            },
          },
        },
        { type: '\0\0\0\0', raw: new Uint8Array(0) },
      ],
    },
    hex: boxHex(
      'wave',
      boxHex('frma', '6d703461') +
        boxHex('mp4a', '00000000') +
        boxHex('esds', '00000000 03 19 0000 00 04 11 40 15 000000 00017700 00000000 05 02 1190 06 01 02') +
        '00000008 00000000',
    ),
    dump: ['[mp4a] size=12 offset=20 (opaque)'],
  },
  {
    name: 'wave with frma and enda (little-endian QuickTime PCM), as ffmpeg writes it',
    box: {
      type: 'wave',
      children: [{ type: 'frma', value: { dataFormat: 'in24' } }, { type: 'enda', value: { littleEndian: 1 } }, { type: '\0\0\0\0', raw: new Uint8Array(0) }],
    },
    hex: boxHex('wave', boxHex('frma', '696e3234') + boxHex('enda', '0001') + '00000008 00000000'),
    dump: ['[enda] size=10 offset=20', 'littleEndian: 1'],
  },

  // ---------------------------------------------------------------- visual extras
  { box: { type: 'btrt', value: { bufferSizeDB: 0, maxBitrate: 1000000, avgBitrate: 800000 } }, hex: boxHex('btrt', '00000000 000f4240 000c3500') },
  { box: { type: 'pasp', value: { hSpacing: 4, vSpacing: 3 } }, hex: boxHex('pasp', '00000004 00000003'), dump: ['hSpacing: 4'] },
  {
    box: {
      type: 'clap',
      value: {
        cleanApertureWidthN: 704, cleanApertureWidthD: 1, cleanApertureHeightN: 480, cleanApertureHeightD: 1,
        horizOffN: -2, horizOffD: 1, vertOffN: 0, vertOffD: 1,
      },
    },
    hex: boxHex('clap', '000002c0 00000001 000001e0 00000001 fffffffe 00000001 00000000 00000001'),
  },
  {
    name: 'colr nclx full range',
    box: { type: 'colr', value: { colourType: 'nclx', colourPrimaries: 9, transferCharacteristics: 16, matrixCoefficients: 9, fullRangeFlag: 1 } },
    hex: boxHex('colr', '6e636c78 0009 0010 0009 80'),
    dump: ['colourType: "nclx"', 'fullRangeFlag: 1'],
  },
  {
    name: 'colr nclc (QuickTime)',
    box: { type: 'colr', value: { colourType: 'nclc', colourPrimaries: 1, transferCharacteristics: 1, matrixCoefficients: 1 } },
    hex: boxHex('colr', '6e636c63 0001 0001 0001'),
  },
  {
    name: 'colr prof',
    box: { type: 'colr', value: { colourType: 'prof', iccProfile: b('0000000c6170706c') } },
    hex: boxHex('colr', '70726f66 0000000c6170706c'),
  },

  // ---------------------------------------------------------------- WebVTT
  { box: { type: 'vttC', value: { config: 'WEBVTT' } }, hex: boxHex('vttC', '574542565454'), dump: ['config: "WEBVTT"'] },
  { box: { type: 'vlab', value: { sourceLabel: 'en' } }, hex: boxHex('vlab', '656e') },
];
