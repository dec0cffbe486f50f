/** Sample entry boxes for writers: the input's entry copied verbatim when there is one, else built from the description. */
import { makeBox, parseTree, type Box } from '../../boxes/tree.js';
import { BoxwrightError } from '../io/errors.js';
import type { CodecConfig } from '../model/codec-config.js';
import type { SampleDescription } from '../model/movie.js';

/**
 * The input's sample entry (its bytes, header included) as a box the writer copies: parsed by the box engine,
 * which keeps what it does not understand as it was, so writing it gives the same bytes.
 */
function verbatimBox(bytes: Uint8Array, kind: string): Box {
  const { boxes } = parseTree(bytes, { within: 'stsd', handler: kind === 'video' ? 'vide' : kind === 'audio' ? 'soun' : '' });
  if (boxes.length !== 1) throw new BoxwrightError('INTERNAL', `a source sample entry holds ${boxes.length} boxes`, 0, 'stsd');
  return boxes[0]!;
}

/** The configuration box of a codec configuration (AAC's goes in esds, built with the entry). */
function configBox(c: CodecConfig): Box | undefined {
  switch (c.kind) {
    case 'avc': return makeBox('avcC', c.avcC);
    case 'hevc': return makeBox('hvcC', c.hvcC);
    case 'av1': return makeBox('av1C', c.av1C);
    case 'vpx': return makeBox('vpcC', c.vpcC);
    case 'opus': return makeBox('dOps', c.dOps);
    case 'ac3': return makeBox('dac3', c.dac3);
    case 'eac3': return makeBox('dec3', c.dec3);
    case 'flac': return makeBox('dfLa', c.dfLa);
    case 'aac': return undefined;
  }
}
const ENTRY_TYPE: Record<string, string> = { h264: 'avc1', hevc: 'hvc1', av1: 'av01', vp9: 'vp09', vp8: 'vp08', aac: 'mp4a', mp3: 'mp4a', mp2: 'mp4a', mp1: 'mp4a', opus: 'Opus', ac3: 'ac-3', eac3: 'ec-3', flac: 'fLaC' };

/**
 * The `stsd` child for a description. `container` names the target for error messages.
 * @throws BoxwrightError UNSUPPORTED_CODEC when the codec cannot be described in ISO-BMFF.
 */
export function sampleEntryBox(d: SampleDescription, kind: string, container: string): Box {
  if (d.protection) {
    throw new BoxwrightError('UNSUPPORTED_CODEC', `encrypted ${d.codec ?? d.format} (${d.protection.scheme}) cannot be remuxed to ${container}: its per-sample encryption data is not carried`, 0, '');
  }
  if (d.sourceEntry) return verbatimBox(d.sourceEntry, kind);
  const codec = d.codec ?? '';
  if (d.pcm && QUICKTIME_PCM.has(d.entryType)) return pcmEntryBox(d);
  const type = ENTRY_TYPE[codec];
  // MPEG audio (layers I–III) in MP4 needs no decoder configuration (its esds has no DecoderSpecificInfo).
  const mpegAudio = codec === 'mp3' || codec === 'mp2' || codec === 'mp1';
  const config = d.config && codec !== 'aac' ? configBox(d.config) : undefined;
  if (!type || (mpegAudio ? false : codec === 'aac' ? d.config?.kind !== 'aac' : !config)) {
    throw new BoxwrightError('UNSUPPORTED_CODEC', `codec ${codec || d.format} cannot be written to ${container} (no sample entry for it)`, 0, '');
  }
  const children: Box[] = [];
  if (codec === 'aac' || mpegAudio) {
    children.push({
      type: 'esds',
      value: {
        esDescriptor: {
          esId: 0,
          streamPriority: 0,
          decoderConfig: {
            // 14496-1 Table 5: 0x6B ISO/IEC 11172-3 audio; 0x69 13818-3 (the half sample rates of MPEG-2 layers I/II).
            objectTypeIndication: codec === 'aac' ? 0x40 : codec !== 'mp3' && (d.sampleRate ?? 48000) < 32000 ? 0x69 : 0x6b,
            streamType: 5,
            upStream: 0,
            bufferSizeDB: 0,
            maxBitrate: d.maxBitrate ?? 0,
            avgBitrate: d.avgBitrate ?? 0,
            ...(d.config?.kind === 'aac' ? { decoderSpecificInfo: d.config.audioSpecificConfig } : {}),
          },
          slConfig: { predefined: 2 },
        },
      },
    });
  } else if (config) {
    children.push(config);
  }
  if (kind === 'video') {
    if (d.pixelAspect) children.push({ type: 'pasp', value: { hSpacing: d.pixelAspect.h, vSpacing: d.pixelAspect.v } });
    return { type, value: { dataReferenceIndex: 1, width: d.width ?? 0, height: d.height ?? 0, compressorName: '' }, children };
  }
  return { type, value: { dataReferenceIndex: 1, channelCount: d.channels ?? 2, sampleSize: 16, sampleRate: d.sampleRate ?? 0 }, children };
}

/** QuickTime sound sample entries for uncompressed audio (QTFF "Sound sample descriptions"). */
const QUICKTIME_PCM: ReadonlySet<string> = new Set(['raw ', 'twos', 'sowt', 'in24', 'in32', 'fl32', 'fl64', 'alaw', 'ulaw']);

/**
 * A QuickTime sound description for PCM (a WAV input's samples, for one): version 0 for 8/16-bit and
 * G.711; version 1 with a `wave` box holding `frma` and `enda` (little-endian) for 24/32-bit and float,
 * whose types are big-endian by default — as ffmpeg writes them.
 */
function pcmEntryBox(d: SampleDescription): Box {
  const type = d.entryType;
  const channels = d.channels ?? 2;
  const bits = d.pcm!.bitsPerSample;
  const base = { dataReferenceIndex: 1, channelCount: channels, sampleRate: d.sampleRate ?? 0, compressionId: 0, packetSize: 0 };
  if (type === 'raw ' || type === 'twos' || type === 'sowt' || type === 'alaw' || type === 'ulaw') {
    return { type, value: { ...base, sampleSize: type === 'raw ' ? 8 : 16 } };
  }
  const bytes = bits / 8;
  const children: Box[] = [];
  if (d.pcm!.littleEndian) {
    children.push({
      type: 'wave',
      // QTFF: the list ends with an 8-byte terminator atom (type 0), which has no definition: empty raw body.
      children: [makeBox('frma', { dataFormat: type }), makeBox('enda', { littleEndian: 1 }), { type: '\0\0\0\0', raw: new Uint8Array(0) }],
    });
  }
  return {
    type,
    value: { ...base, sampleSize: 16, samplesPerPacket: 1, bytesPerPacket: bytes, bytesPerFrame: bytes * channels, bytesPerSample: 2 },
    children,
  };
}
