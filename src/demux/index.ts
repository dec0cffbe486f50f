/** Any supported input → the movie model. */
import { BoxwrightError } from '../io/errors.js';
import type { Movie } from '../model/movie.js';
import { demuxMp4 } from './mp4/index.js';
import { demuxAc3, demuxAdts, demuxMp3, demuxWav, readWavFormat } from './es/index.js';
import { demuxTs } from './ts/index.js';
import { describeStart, sniffFormat, type ContainerFormat } from './sniff.js';

/** A demuxed input: the movie and the container it came from. */
export interface Demuxed {
  movie: Movie;
  format: ContainerFormat;
}

/** Options of {@link demuxAny}. */
export interface DemuxOptions {
  /**
   * MP3: the LAME encoder delay and padding as an edit list (what a decoder trims), for writers; off
   * for probing, where ffprobe reports the frames untrimmed.
   */
  gapless?: boolean;
}

/**
 * Demuxes `data` after sniffing its container.
 * @throws BoxwrightError UNSUPPORTED_FORMAT naming what the first bytes look like.
 */
export function demuxAny(data: Uint8Array, options: DemuxOptions = {}): Demuxed {
  const format = sniffFormat(data);
  switch (format) {
    case 'mp4':
      return { movie: demuxMp4(data).movie, format };
    case 'mpegts':
    case 'm2ts':
      return { movie: demuxTs(data), format };
    case 'adts':
      return { movie: demuxAdts(data), format };
    case 'mp3':
      return { movie: demuxMp3(data, { gapless: options.gapless === true }), format };
    case 'wav': {
      const movie = demuxWav(data);
      // WAV's codec tag is its (16-bit, little-endian) format tag, as ffprobe shows it: for WAVE_FORMAT_EXTENSIBLE
      // the SubFormat GUID's tag (1 PCM, 3 float), not 0xFFFE.
      const tag = readWavFormat(data).formatTag;
      for (const t of movie.tracks) for (const d of t.descriptions) d.containerTag = String.fromCharCode(tag & 0xff, tag >> 8, 0, 0);
      return { movie, format };
    }
    case 'ac3':
      return { movie: demuxAc3(data), format };
    default:
      throw new BoxwrightError(
        'UNSUPPORTED_FORMAT',
        data.length === 0
          ? 'the input is empty (0 bytes)'
          : format === 'unknown'
            ? `not a known media container (${describeStart(data)}); boxwright reads MP4/MOV/fMP4, MPEG-TS, ADTS, MP3, AC-3 and WAV`
            : `${format} input is not supported yet (${describeStart(data)})`,
        0,
        '',
      );
  }
}
