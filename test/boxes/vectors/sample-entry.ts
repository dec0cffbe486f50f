/**
 * Sample entry vectors (children of stsd). Hex is written from the layouts in 14496-12 §8.5.2 / §12.1.3 / §12.2.3
 * and QTFF; `boxHex` only adds the 8-byte size + type header.
 */
import { boxHex, hexToBytes, type BoxVector } from '../../helpers/vector.js';

const b = hexToBytes;
const zeros = (n: number): string => '00'.repeat(n);

/** SampleEntry: 6 reserved bytes + data_reference_index 1. */
const HEAD = '000000000000 0001';

/**
 * VisualSampleEntry body in an ISO file: pre_defined/reserved (QuickTime version, revision, vendor, qualities) 0,
 * width, height, 72 dpi, reserved 0, frame_count 1, compressorname (32-byte Pascal string), depth 0x18, pre_defined -1.
 */
const visualBody = (width: string, height: string, name = zeros(32)): string =>
  `${HEAD} 0000 0000 00000000 00000000 00000000 ${width} ${height} 00480000 00480000 00000000 0001 ${name} 0018 ffff`;

/** AudioSampleEntry v0: version 0, revision 0, vendor 0, channels, sample size, pre_defined 0, reserved 0, rate 16.16. */
const audioV0 = (channels: string, sampleSize: string, rate: string): string => `${HEAD} 0000 0000 00000000 ${channels} ${sampleSize} 0000 0000 ${rate}`;

const stereo48k = { dataReferenceIndex: 1, channelCount: 2, sampleSize: 16, sampleRate: 48000 };
const STEREO_48K = audioV0('0002', '0010', 'bb800000');

/** AAC esds as ffmpeg writes it: every descriptor length in 4 bytes (80 80 80 nn). */
const aacEsdsHex = boxHex(
  'esds',
  // 03 len 34: ES_ID 1, flags 0 | 04 len 20: 40, 000101 0 1, 000000, 0001f400, 0001f400 | 05 len 2: 1190 | 06 len 1: 02
  '00000000 03 80808022 0001 00 04 80808014 40 15 000000 0001f400 0001f400 05 80808002 1190 06 80808001 02',
);
const aacEsds = {
  type: 'esds',
  value: {
    esDescriptor: {
      esId: 1, streamPriority: 0,
      decoderConfig: { objectTypeIndication: 0x40, streamType: 5, upStream: 0, bufferSizeDB: 0, maxBitrate: 128000, avgBitrate: 128000, decoderSpecificInfo: b('1190') },
      slConfig: { predefined: 2 },
    },
    lengthFieldSize: 4,
  },
};

/** The QuickTime `wave` extension: frma, the 4-byte `mp4a` atom, esds (1-byte lengths) and the zero terminator. */
const waveHex = boxHex(
  'wave',
  boxHex('frma', '6d703461') +
    boxHex('mp4a', '00000000') +
    // 03 len 25: ES_ID 0, flags 0 | 04 len 17: 40 15 000000 00017700 00000000 | 05 len 2: 1190 | 06 len 1: 02
    boxHex('esds', '00000000 03 19 0000 00 04 11 40 15 000000 00017700 00000000 05 02 1190 06 01 02') +
    '00000008 00000000',
);
const wave = {
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
};

const avcC = {
  type: 'avcC',
  value: {
    configurationVersion: 1, avcProfileIndication: 100, profileCompatibility: 0, avcLevelIndication: 31, lengthSizeMinusOne: 3,
    sequenceParameterSets: [b('6764001f')], pictureParameterSets: [b('68ebe3cb')],
    chromaFormat: 1, bitDepthLumaMinus8: 0, bitDepthChromaMinus8: 0, sequenceParameterSetExts: [],
  },
};
// 01 64 00 1f | 111111 11 | 111 00001 | 0004 SPS | 01 | 0004 PPS | 111111 01 | 11111 000 | 11111 000 | 00
const avcCHex = boxHex('avcC', '01 64 00 1f ff e1 0004 6764001f 01 0004 68ebe3cb fd f8 f8 00');

/** Minimal entries (no children) for the types that share a layout. */
const plainVisual = (type: string): BoxVector => ({
  name: `${type} (bare)`,
  within: 'stsd',
  box: { type, value: { dataReferenceIndex: 1, width: 1920, height: 1080, compressorName: '' }, children: [] },
  hex: boxHex(type, visualBody('0780', '0438')),
});
const plainAudio = (type: string): BoxVector => ({
  name: `${type} (bare)`,
  within: 'stsd',
  box: { type, value: stereo48k, children: [] },
  hex: boxHex(type, STEREO_48K),
});

export const vectors: BoxVector[] = [
  // ---------------------------------------------------------------- visual
  {
    name: 'avc1 with avcC, btrt, pasp, colr',
    within: 'stsd',
    box: {
      type: 'avc1',
      value: { dataReferenceIndex: 1, width: 640, height: 480, compressorName: 'x264' },
      children: [
        avcC,
        { type: 'btrt', value: { bufferSizeDB: 0, maxBitrate: 1000000, avgBitrate: 800000 } },
        { type: 'pasp', value: { hSpacing: 1, vSpacing: 1 } },
        { type: 'colr', value: { colourType: 'nclx', colourPrimaries: 1, transferCharacteristics: 1, matrixCoefficients: 1, fullRangeFlag: 0 } },
      ],
    },
    hex: boxHex(
      'avc1',
      // compressorname: length 4, "x264", 27 zero bytes
      visualBody('0280', '01e0', `04 78323634 ${zeros(27)}`) +
        avcCHex +
        boxHex('btrt', '00000000 000f4240 000c3500') +
        boxHex('pasp', '00000001 00000001') +
        boxHex('colr', '6e636c78 0001 0001 0001 00'),
    ),
    dump: ['[avc1] size=172 offset=0', 'dataReferenceIndex: 1', 'width: 640', 'height: 480', 'compressorName: "x264"', '[avcC] size=31 offset=86', 'chromaFormat: 1', '[btrt] size=20 offset=117', '[colr] size=19 offset=153'],
  },
  {
    name: 'avc1 as QuickTime writes it (vendor, quality, name)',
    within: 'stsd',
    box: {
      type: 'avc1',
      value: { dataReferenceIndex: 1, vendor: 0x6170706c, spatialQuality: 0x200, width: 320, height: 240, compressorName: 'H.264' },
      children: [],
    },
    // vendor "appl", spatial quality 512, compressorname length 5 "H.264"
    hex: boxHex('avc1', `${HEAD} 0000 0000 6170706c 00000000 00000200 0140 00f0 00480000 00480000 00000000 0001 05 482e323634 ${zeros(26)} 0018 ffff`),
    dump: ['vendor: 1634758764', 'spatialQuality: 512'],
  },
  {
    name: 'avc1 with non-default resolution, frame count, depth and pre_defined',
    within: 'stsd',
    box: {
      type: 'avc1',
      value: { dataReferenceIndex: 2, width: 16, height: 16, horizresolution: 96, vertresolution: 96.5, frameCount: 2, compressorName: '', depth: 0x20, preDefined: 0 },
      children: [],
    },
    hex: boxHex('avc1', `000000000000 0002 0000 0000 00000000 00000000 00000000 0010 0010 00600000 00608000 00000000 0002 ${zeros(32)} 0020 0000`),
  },
  {
    name: 'hvc1 with hvcC',
    within: 'stsd',
    box: {
      type: 'hvc1',
      value: { dataReferenceIndex: 1, width: 1280, height: 720, compressorName: '' },
      children: [
        {
          type: 'hvcC',
          value: {
            configurationVersion: 1, generalProfileSpace: 0, generalTierFlag: 0, generalProfileIdc: 1, generalProfileCompatibilityFlags: 0x60000000,
            generalConstraintIndicatorFlags: 0x900000000000, generalLevelIdc: 93, minSpatialSegmentationIdc: 0, parallelismType: 0,
            chromaFormatIdc: 1, bitDepthLumaMinus8: 0, bitDepthChromaMinus8: 0, avgFrameRate: 0, constantFrameRate: 0, numTemporalLayers: 1,
            temporalIdNested: 1, lengthSizeMinusOne: 3,
            arrays: [
              { arrayCompleteness: 1, nalUnitType: 32, nalus: [b('40010c01')] },
              { arrayCompleteness: 1, nalUnitType: 33, nalus: [b('42010101')] },
              { arrayCompleteness: 1, nalUnitType: 34, nalus: [b('4401c1')] },
            ],
          },
        },
      ],
    },
    hex: boxHex(
      'hvc1',
      visualBody('0500', '02d0') +
        // 01 | 00 0 00001 | 60000000 | 900000000000 | 5d | f000 | fc | fd | f8 | f8 | 0000 | 00 001 1 11 | 03 arrays (1 0 type)
        boxHex('hvcC', '01 01 60000000 900000000000 5d f000 fc fd f8 f8 0000 0f 03 a0 0001 0004 40010c01 a1 0001 0004 42010101 a2 0001 0003 4401c1'),
    ),
    dump: ['[hvcC] size=57 offset=86', 'generalLevelIdc: 93'],
  },
  {
    name: 'av01 with av1C',
    within: 'stsd',
    box: {
      type: 'av01',
      value: { dataReferenceIndex: 1, width: 1920, height: 1080, compressorName: '' },
      children: [
        {
          type: 'av1C',
          value: {
            seqProfile: 0, seqLevelIdx0: 8, seqTier0: 0, highBitdepth: 0, twelveBit: 0, monochrome: 0, chromaSubsamplingX: 1, chromaSubsamplingY: 1,
            chromaSamplePosition: 0, configObus: b('0a0500000024'),
          },
        },
      ],
    },
    // 1 0000001 | 000 01000 | 0 0 0 0 1 1 00 | 000 0 0000 | OBUs
    hex: boxHex('av01', visualBody('0780', '0438') + boxHex('av1C', '81 08 0c 00 0a0500000024')),
    dump: ['seqLevelIdx0: 8', 'chromaSubsamplingX: 1'],
  },
  {
    name: 'vp09 with vpcC',
    within: 'stsd',
    box: {
      type: 'vp09',
      value: { dataReferenceIndex: 1, width: 1920, height: 1080, compressorName: '' },
      children: [
        {
          type: 'vpcC',
          value: {
            profile: 0, level: 31, bitDepth: 8, chromaSubsampling: 1, videoFullRangeFlag: 0, colourPrimaries: 1, transferCharacteristics: 1,
            matrixCoefficients: 1, codecInitializationData: new Uint8Array(0),
          },
        },
      ],
    },
    // vpcC v1: 00 | 1f | 1000 001 0 | 01 01 01 | 0000
    hex: boxHex('vp09', visualBody('0780', '0438') + boxHex('vpcC', '01000000 00 1f 82 01 01 01 0000')),
  },
  {
    name: 'encv with sinf/frma',
    within: 'stsd',
    box: {
      type: 'encv',
      value: { dataReferenceIndex: 1, width: 1920, height: 1080, compressorName: '' },
      children: [{ type: 'sinf', children: [{ type: 'frma', value: { dataFormat: 'avc1' } }] }],
    },
    hex: boxHex('encv', visualBody('0780', '0438') + boxHex('sinf', boxHex('frma', '61766331'))),
  },
  ...['avc3', 'hev1', 'vp08', 'dvh1', 'dvhe', 'vvc1', 'vvi1'].map(plainVisual),
  {
    name: 'unknown visual entry under a vide handler (generic layout)',
    within: 'stsd',
    handler: 'vide',
    box: { type: 'mp4v', value: { dataReferenceIndex: 1, width: 1920, height: 1080, compressorName: '' }, children: [] },
    hex: boxHex('mp4v', visualBody('0780', '0438')),
  },

  // ---------------------------------------------------------------- audio
  {
    name: 'mp4a (AAC) with esds, ffmpeg 4-byte descriptor lengths',
    within: 'stsd',
    box: { type: 'mp4a', value: stereo48k, children: [aacEsds] },
    hex: boxHex('mp4a', STEREO_48K + aacEsdsHex),
    dump: ['[mp4a] size=87 offset=0', 'channelCount: 2', 'sampleRate: 48000', '[esds] size=51 offset=36 v0 flags=0x000000', 'lengthFieldSize: 4'],
  },
  {
    name: 'mp4a QuickTime sound v1 with wave',
    within: 'stsd',
    box: {
      type: 'mp4a',
      value: { ...stereo48k, compressionId: -2, samplesPerPacket: 1024, bytesPerPacket: 0, bytesPerFrame: 0, bytesPerSample: 2 },
      children: [wave],
    },
    // version 1, revision 0, vendor 0, 2 ch, 16 bit, compression ID -2, packet size 0, 48000 | 1024, 0, 0, 2
    hex: boxHex('mp4a', `${HEAD} 0001 0000 00000000 0002 0010 fffe 0000 bb800000 00000400 00000000 00000000 00000002` + waveHex),
    dump: ['compressionId: -2', 'samplesPerPacket: 1024', '[wave] size=79 offset=52', '[mp4a] size=12 offset=72 (opaque)'],
  },
  {
    name: 'mp4a QuickTime sound v2 with wave',
    within: 'stsd',
    box: {
      type: 'mp4a',
      value: {
        dataReferenceIndex: 1, channelCount: 3, sampleSize: 16, compressionId: -2, sampleRate: 1,
        audioSampleRate: 48000, numAudioChannels: 2, constBitsPerChannel: 0, formatSpecificFlags: 0, constBytesPerAudioPacket: 0, constLPCMFramesPerAudioPacket: 1024,
      },
      children: [wave],
    },
    // version 2, v0 slots 3 ch / 16 / -2 / 0 / 1.0 | sizeOfStructOnly 72 | 48000.0 (f64) | 2 | 7f000000 | 0 | 0 | 0 | 1024
    hex: boxHex(
      'mp4a',
      `${HEAD} 0002 0000 00000000 0003 0010 fffe 0000 00010000 00000048 40e7700000000000 00000002 7f000000 00000000 00000000 00000000 00000400` + waveHex,
    ),
    dump: ['channelCount: 3', 'sampleRate: 1', 'audioSampleRate: 48000', 'constLPCMFramesPerAudioPacket: 1024'],
  },
  {
    name: 'lpcm QuickTime sound v2 (24-bit little-endian integer)',
    within: 'stsd',
    box: {
      type: 'lpcm',
      value: {
        dataReferenceIndex: 1, channelCount: 3, sampleSize: 16, compressionId: -2, sampleRate: 1,
        audioSampleRate: 48000, numAudioChannels: 2, constBitsPerChannel: 24, formatSpecificFlags: 0x0e, constBytesPerAudioPacket: 6, constLPCMFramesPerAudioPacket: 1,
      },
      children: [],
    },
    hex: boxHex('lpcm', `${HEAD} 0002 0000 00000000 0003 0010 fffe 0000 00010000 00000048 40e7700000000000 00000002 7f000000 00000018 0000000e 00000006 00000001`),
  },
  {
    name: 'ISO AudioSampleEntryV1 (version 1 without QuickTime fields)',
    within: 'stsd',
    box: {
      type: 'mp4a',
      value: { ...stereo48k, soundVersion: 1 },
      children: [{ type: 'btrt', value: { bufferSizeDB: 0, maxBitrate: 128000, avgBitrate: 128000 } }],
    },
    // version 1 then directly a box: 00000014 "btrt" reads as a box header, not as samplesPerPacket/bytesPerPacket
    hex: boxHex('mp4a', `${HEAD} 0001 0000 00000000 0002 0010 0000 0000 bb800000` + boxHex('btrt', '00000000 0001f400 0001f400')),
    dump: ['soundVersion: 1', '[btrt] size=20 offset=36'],
  },
  {
    name: 'Opus with dOps',
    within: 'stsd',
    box: {
      type: 'Opus',
      value: stereo48k,
      children: [{ type: 'dOps', value: { outputChannelCount: 2, preSkip: 312, inputSampleRate: 48000, outputGain: 0, channelMappingFamily: 0 } }],
    },
    // dOps: version 0 | 02 | 0138 | 0000bb80 | 0000 | 00
    hex: boxHex('Opus', STEREO_48K + boxHex('dOps', '00 02 0138 0000bb80 0000 00')),
    dump: ['preSkip: 312'],
  },
  {
    name: 'ac-3 with dac3',
    within: 'stsd',
    box: {
      type: 'ac-3',
      value: { ...stereo48k, channelCount: 6 },
      children: [{ type: 'dac3', value: { fscod: 0, bsid: 8, bsmod: 0, acmod: 7, lfeon: 1, bitRateCode: 15 } }],
    },
    // dac3: 00 01000 000 111 1 01111 00000
    hex: boxHex('ac-3', audioV0('0006', '0010', 'bb800000') + boxHex('dac3', '10 3d e0')),
    dump: ['acmod: 7', 'bitRateCode: 15'],
  },
  {
    name: 'ec-3 with dec3',
    within: 'stsd',
    box: {
      type: 'ec-3',
      value: { ...stereo48k, channelCount: 6 },
      children: [{ type: 'dec3', value: { dataRate: 384, independentSubstreams: [{ fscod: 0, bsid: 16, asvc: 0, bsmod: 0, acmod: 7, lfeon: 1, numDepSub: 0 }] } }],
    },
    // dec3: 0000110000000 000 | 00 10000 0 0 000 111 1 | 000 0000 0
    hex: boxHex('ec-3', audioV0('0006', '0010', 'bb800000') + boxHex('dec3', '0c00 200f 00')),
    dump: ['dataRate: 384'],
  },
  {
    name: 'fLaC with dfLa',
    within: 'stsd',
    box: {
      type: 'fLaC',
      value: { dataReferenceIndex: 1, channelCount: 2, sampleSize: 16, sampleRate: 44100 },
      children: [{ type: 'dfLa', value: { blocks: [{ blockType: 0, data: b(`10001000 000000 000000 0ac442f000000000 ${zeros(16)}`) }] } }],
    },
    // dfLa v0: 1 0000000 (last, STREAMINFO) 000022 <34 bytes>
    hex: boxHex('fLaC', audioV0('0002', '0010', 'ac440000') + boxHex('dfLa', `00000000 80 000022 10001000 000000 000000 0ac442f000000000 ${zeros(16)}`)),
  },
  {
    name: 'ipcm with pcmC',
    within: 'stsd',
    box: {
      type: 'ipcm',
      value: { dataReferenceIndex: 1, channelCount: 2, sampleSize: 24, sampleRate: 48000 },
      children: [{ type: 'pcmC', value: { formatFlags: 1, pcmSampleSize: 24 } }],
    },
    hex: boxHex('ipcm', audioV0('0002', '0018', 'bb800000') + boxHex('pcmC', '00000000 01 18')),
    dump: ['pcmSampleSize: 24'],
  },
  {
    name: 'enca with sinf/frma',
    within: 'stsd',
    box: { type: 'enca', value: stereo48k, children: [{ type: 'sinf', children: [{ type: 'frma', value: { dataFormat: 'mp4a' } }] }] },
    hex: boxHex('enca', STEREO_48K + boxHex('sinf', boxHex('frma', '6d703461'))),
  },
  ...['ac-4', '.mp3', 'fpcm', 'sowt', 'twos', 'in24', 'in32', 'fl32', 'fl64', 'alaw', 'ulaw', 'raw ', 'NONE', 'alac'].map(plainAudio),
  {
    name: 'unknown audio entry under a soun handler (generic layout)',
    within: 'stsd',
    handler: 'soun',
    box: { type: 'dtsc', value: stereo48k, children: [] },
    hex: boxHex('dtsc', STEREO_48K),
  },

  // ---------------------------------------------------------------- text, subtitles, captions, timecode
  {
    name: 'tx3g with ftab',
    within: 'stsd',
    box: {
      type: 'tx3g',
      value: {
        dataReferenceIndex: 1, displayFlags: 0, horizontalJustification: 1, verticalJustification: -1, backgroundColorRgba: b('000000ff'),
        defaultTextBox: { top: 0, left: 0, bottom: 60, right: 400 },
        defaultStyle: { startChar: 0, endChar: 0, fontId: 1, faceStyleFlags: 0, fontSize: 18, textColorRgba: b('ffffffff') },
      },
      children: [{ type: 'ftab', raw: b('0001 0001 05 417269616c') }],
    },
    // displayFlags | 01 | ff | RGBA | box top, left, bottom, right | style: start, end, font 1, face 0, size 18, RGBA
    hex: boxHex('tx3g', `${HEAD} 00000000 01 ff 000000ff 0000 0000 003c 0190 0000 0000 0001 00 12 ffffffff` + boxHex('ftab', '0001 0001 05 417269616c')),
    dump: ['verticalJustification: -1', 'defaultTextBox: {top: 0, left: 0, bottom: 60, right: 400}', '[ftab] size=18 offset=46 (opaque)'],
  },
  {
    name: 'wvtt with vttC and vlab',
    within: 'stsd',
    box: {
      type: 'wvtt',
      value: { dataReferenceIndex: 1 },
      children: [
        { type: 'vttC', value: { config: 'WEBVTT' } },
        { type: 'vlab', value: { sourceLabel: 'en' } },
      ],
    },
    hex: boxHex('wvtt', HEAD + boxHex('vttC', '574542565454') + boxHex('vlab', '656e')),
  },
  {
    name: 'stpp with all three strings',
    within: 'stsd',
    box: { type: 'stpp', value: { dataReferenceIndex: 1, namespace: 'http://www.w3.org/ns/ttml', schemaLocation: '', auxiliaryMimeTypes: '' }, children: [] },
    // "http://www.w3.org/ns/ttml" NUL, "" NUL, "" NUL
    hex: boxHex('stpp', `${HEAD} 687474703a2f2f7777772e77332e6f72672f6e732f74746d6c 00 00 00`),
    dump: ['namespace: "http://www.w3.org/ns/ttml"', 'schemaLocation: ""'],
  },
  {
    name: 'stpp without the optional strings, followed by a box',
    within: 'stsd',
    box: {
      type: 'stpp',
      value: { dataReferenceIndex: 1, namespace: 'urn:x' },
      children: [{ type: 'btrt', value: { bufferSizeDB: 0, maxBitrate: 0, avgBitrate: 0 } }],
    },
    hex: boxHex('stpp', `${HEAD} 75726e3a78 00` + boxHex('btrt', '00000000 00000000 00000000')),
  },
  {
    name: 'stpp with MIME types only (an empty schema location is written before them)',
    within: 'stsd',
    box: { type: 'stpp', value: { dataReferenceIndex: 1, namespace: 'urn:x', schemaLocation: '', auxiliaryMimeTypes: 'image/png' }, children: [] },
    hex: boxHex('stpp', `${HEAD} 75726e3a78 00 00 696d6167652f706e67 00`),
  },
  { name: 'c608', within: 'stsd', box: { type: 'c608', value: { dataReferenceIndex: 1 }, children: [] }, hex: boxHex('c608', HEAD) },
  {
    name: 'tmcd',
    within: 'stsd',
    box: { type: 'tmcd', value: { dataReferenceIndex: 1, flags: 2, timescale: 30000, frameDuration: 1001, numberOfFrames: 30 }, children: [] },
    // reserved 0 | flags 2 (24-hour max) | 30000 | 1001 | 30 frames | reserved 0
    hex: boxHex('tmcd', `${HEAD} 00000000 00000002 00007530 000003e9 1e 00`),
    dump: ['frameDuration: 1001'],
  },
];
