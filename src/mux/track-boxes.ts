/** The parts of a `trak` that progressive and fragmented writers share (tkhd, edts, mdia header, minf header). */
import type { Box } from '../../boxes/tree.js';
import type { Track } from '../model/movie.js';
import { rescale } from '../model/time.js';
import { sampleEntryBox } from './sample-entry.js';

const IDENTITY = [0x10000, 0, 0, 0, 0x10000, 0, 0, 0, 0x40000000];

const HANDLERS: Record<string, { handlerType: string; name: string }> = {
  video: { handlerType: 'vide', name: 'VideoHandler' },
  audio: { handlerType: 'soun', name: 'SoundHandler' },
  subtitle: { handlerType: 'text', name: 'SubtitleHandler' },
  data: { handlerType: 'meta', name: 'DataHandler' },
};

/** The media header box of minf for a handler. */
function mediaHeader(handlerType: string): Box {
  switch (handlerType) {
    case 'vide':
      return { type: 'vmhd', value: { graphicsMode: 0, opcolor: [0, 0, 0] } };
    case 'soun':
      return { type: 'smhd', value: { balance: 0 } };
    case 'subt':
      return { type: 'sthd', value: {} };
    case 'text':
    case 'sbtl':
      return { type: 'nmhd', value: {} };
    default:
      return { type: 'nmhd', value: {} };
  }
}

/** Options shared by the trak builders. */
export interface TrakOptions {
  /** Output track ID. */
  trackId: number;
  /** Movie timescale of the output. */
  movieTimescale: number;
  /** Input movie timescale (for edit durations). */
  sourceMovieTimescale: number;
  /** Track duration in the track timescale (0 for fragmented output). */
  durationTicks: number;
  /** Name of the target container for error messages. */
  container: string;
  /** Sample table boxes (stts, stsz, …), empty for fragmented output. */
  sampleTable: Box[];
}

/** A complete `trak` box for `track`. */
export function trakBox(track: Track, o: TrakOptions): Box {
  const handler = track.handlerType ? { handlerType: track.handlerType, name: track.handlerName } : HANDLERS[track.kind]!;
  const durationMovie = rescale(o.durationTicks, track.timescale, o.movieTimescale);
  const visual = track.kind === 'video';
  const d0 = track.descriptions[0];
  const children: Box[] = [
    {
      type: 'tkhd',
      value: {
        enabled: track.enabled || undefined,
        inMovie: true,
        creationTime: 0,
        modificationTime: 0,
        trackId: o.trackId,
        duration: durationMovie,
        layer: 0,
        alternateGroup: track.alternateGroup,
        volume: track.kind === 'audio' ? 1 : 0,
        matrix: track.matrix ? [...track.matrix] : IDENTITY,
        width: visual ? track.presentationWidth ?? d0?.width ?? 0 : 0,
        height: visual ? track.presentationHeight ?? d0?.height ?? 0 : 0,
      },
    },
  ];
  if (track.edits.length > 0) {
    children.push({
      type: 'edts',
      children: [
        {
          type: 'elst',
          value: {
            entries: track.edits.map((e, i) => ({
              // Fragmented inputs often leave the last edit's duration 0 ("the rest"): a progressive file needs it.
              segmentDuration:
                e.segmentDurationTicks === 0 && e.mediaTimeTicks >= 0 && i === track.edits.length - 1 && o.durationTicks > 0
                  ? rescale(Math.max(0, o.durationTicks - e.mediaTimeTicks), track.timescale, o.movieTimescale)
                  : rescale(e.segmentDurationTicks, o.sourceMovieTimescale, o.movieTimescale),
              mediaTime: e.mediaTimeTicks,
              mediaRateInteger: Math.trunc(e.rate),
              mediaRateFraction: Math.round((e.rate - Math.trunc(e.rate)) * 65536),
            })),
          },
        },
      ],
    });
  }
  children.push({
    type: 'mdia',
    children: [
      {
        type: 'mdhd',
        value: { creationTime: 0, modificationTime: 0, timescale: track.timescale, duration: o.durationTicks, language: track.language ?? 'und' },
      },
      { type: 'hdlr', value: { handlerType: handler.handlerType, name: handler.name } },
      {
        type: 'minf',
        children: [
          mediaHeader(handler.handlerType),
          { type: 'dinf', children: [{ type: 'dref', value: {}, children: [{ type: 'url ', value: { selfContained: true } }] }] },
          {
            type: 'stbl',
            children: [
              { type: 'stsd', value: {}, children: track.descriptions.map((d) => sampleEntryBox(d, track.kind, o.container)) },
              ...o.sampleTable,
            ],
          },
        ],
      },
    ],
  });
  return { type: 'trak', children };
}

/** `ftyp` for the target. */
export function ftypBox(target: 'mp4' | 'mov' | 'm4a' | 'fmp4', codecs: readonly string[]): Box {
  switch (target) {
    case 'mov':
      return { type: 'ftyp', value: { majorBrand: 'qt  ', minorVersion: 0x200, compatibleBrands: ['qt  '] } };
    case 'm4a':
      return { type: 'ftyp', value: { majorBrand: 'M4A ', minorVersion: 0x200, compatibleBrands: ['M4A ', 'isom', 'iso2', 'mp41'] } };
    case 'fmp4':
      return { type: 'ftyp', value: { majorBrand: 'iso6', minorVersion: 0, compatibleBrands: ['iso6', 'cmfc', 'mp41', ...(codecs.includes('h264') ? ['avc1'] : [])] } };
    default:
      return { type: 'ftyp', value: { majorBrand: 'isom', minorVersion: 0x200, compatibleBrands: ['isom', 'iso2', ...(codecs.includes('h264') ? ['avc1'] : []), 'mp41'] } };
  }
}

/** `mvhd` with the next free track ID. */
export function mvhdBox(timescale: number, duration: number, nextTrackId: number): Box {
  return { type: 'mvhd', value: { creationTime: 0, modificationTime: 0, timescale, duration, rate: 1, volume: 1, matrix: IDENTITY, nextTrackId } };
}

const TAG_ITEMS: Record<string, string> = {
  title: '\u00a9nam', artist: '\u00a9ART', album: '\u00a9alb', date: '\u00a9day', comment: '\u00a9cmt', genre: '\u00a9gen',
  composer: '\u00a9wrt', album_artist: 'aART', copyright: 'cprt', description: 'desc', encoder: '\u00a9too',
};

/** `udta/meta/ilst` carrying the movie's text tags (iTunes-style items, as ffmpeg reads and writes them), or none. */
export function metadataBox(tags: Readonly<Record<string, string>>): Box | undefined {
  const items: Box[] = [];
  for (const [name, item] of Object.entries(TAG_ITEMS)) {
    const text = tags[name];
    if (text === undefined) continue;
    items.push({ type: item, children: [{ type: 'data', value: { dataType: 1, locale: 0, value: new TextEncoder().encode(text) } }] });
  }
  if (items.length === 0) return undefined;
  return {
    type: 'udta',
    children: [
      {
        type: 'meta',
        value: {},
        children: [{ type: 'hdlr', value: { handlerType: 'mdir', manufacturer: 'appl', name: '' } }, { type: 'ilst', children: items }],
      },
    ],
  };
}
