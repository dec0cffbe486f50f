/**
 * PMT stream_type (ISO/IEC 13818-1 §2.4.4.9 Table 2-34, ATSC A/52 Annex A, ETSI EN 300 468 Annex D
 * / TS 101 154) + descriptors → how we read the elementary stream.
 */
import type { StreamDescriptors } from './descriptors.js';

/** The elementary stream formats this demuxer turns into samples. */
export type EsFormat = 'h264' | 'hevc' | 'aac' | 'latm' | 'mp3' | 'ac3' | 'eac3' | 'opus' | 'id3';

/**
 * What a PMT entry tells: a format, or 'sniff' for PES private data (0x06) whose descriptors name no
 * format (ffmpeg's m2ts mode writes AAC so, for one): its payload decides, as ffmpeg probes it.
 */
export type PmtFormat = EsFormat | 'sniff';

/** DVB descriptors of private streams that are not audio: VBI data, VBI teletext, teletext, subtitling. */
const NOT_AUDIO_TAGS: ReadonlySet<number> = new Set([0x45, 0x46, 0x56, 0x59]);

/**
 * The format of a PMT entry, or undefined when we do not read it (the stream is then skipped and
 * counted). Registration descriptors override private stream types (0x06) and a few ambiguous ones.
 */
export function esFormatOf(streamType: number, d: StreamDescriptors): PmtFormat | undefined {
  switch (streamType) {
    case 0x1b: // AVC video stream (ITU-T H.264 | ISO/IEC 14496-10)
      return 'h264';
    case 0x24: // HEVC video stream
      return 'hevc';
    case 0x0f: // ISO/IEC 13818-7 audio with ADTS transport syntax
      return 'aac';
    case 0x11: // ISO/IEC 14496-3 audio with the LATM transport syntax (LOAS)
      return 'latm';
    case 0x03: // ISO/IEC 11172-3 audio
    case 0x04: // ISO/IEC 13818-3 audio
      return 'mp3';
    case 0x81: // ATSC A/52 AC-3 (A/52 Annex A: also used for E-AC-3 when the E-AC-3 descriptor is present)
      return d.eac3 ? 'eac3' : 'ac3';
    case 0x87: // ATSC A/52 Annex G E-AC-3
      return 'eac3';
    case 0x15: // metadata carried in PES packets (§2.12.5); ID3 per the metadata descriptor / registration
      return d.metadataFormat === undefined || d.metadataFormat === 'ID3 ' || d.registration === 'ID3 ' ? 'id3' : undefined;
    case 0x84: // Blu-ray (HDMV): E-AC-3 (Dolby Digital Plus), primary and secondary audio
    case 0xa1:
      if (d.programRegistration === 'HDMV') return 'eac3';
      break;
    case 0x06: // PES private data: the descriptors say what it is (DVB "System B" signalling)
    default:
      break;
  }
  switch (d.registration) {
    case 'HEVC':
      return 'hevc';
    case 'AC-3':
      return 'ac3';
    case 'EAC3':
      return 'eac3';
    case 'Opus':
      return streamType === 0x06 ? 'opus' : undefined;
    case 'ID3 ':
      return 'id3';
    default:
      break;
  }
  if (streamType === 0x06) {
    if (d.eac3) return 'eac3';
    if (d.ac3) return 'ac3';
    if (d.opusChannelConfig !== undefined) return 'opus';
    if (d.registration === undefined && !d.tags.some((t) => NOT_AUDIO_TAGS.has(t))) return 'sniff';
  }
  return undefined;
}
