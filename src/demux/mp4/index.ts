/** ISO-BMFF / QuickTime (progressive or fragmented) → {@link Movie}. */
import { childOf, childrenOf, parseTree, valueAs, type Box, type BoxTree } from '../../../boxes/tree.js';
import * as fi from '../../../boxes/families/file.js';
import * as fr from '../../../boxes/families/fragment.js';
import * as md from '../../../boxes/families/metadata.js';
import * as mv from '../../../boxes/families/movie.js';
import * as st from '../../../boxes/families/sample-table.js';
import { BoxwrightError } from '../../io/errors.js';
import type { EditEntry, Movie, SampleDescription, Track, TrackKind } from '../../model/movie.js';
import type { AudioSampleEntry } from '../../../boxes/families/sample-entry.js';
import { SampleTableBuilder, type SampleTable } from '../../model/sample-table.js';
import { describeEntry } from './descriptions.js';
import { readMoof, trexDefaults, type FragmentTrackState } from './fragments.js';
import { expandStbl } from './stbl.js';

/** QuickTime Macintosh language codes → ISO 639-2 (as ffmpeg's mov_mdhd_language_map). */
const MAC_LANGUAGES = [
  'eng', 'fra', 'ger', 'ita', 'dut', 'sve', 'spa', 'dan', 'por', 'nor', 'heb', 'jpn', 'ara', 'fin', 'gre', 'ice', 'mlt', 'tur',
  'hr ', 'chi', 'urd', 'hin', 'tha', 'kor', 'lit', 'pol', 'hun', 'est', 'lav', '', 'fo ', '', 'rus', 'chi', '', 'iri', 'alb',
  'ron', 'ces', 'slk', 'slv', 'yid', 'sr ', 'mac', 'bul', 'ukr', 'bel', 'uzb', 'kaz', 'aze', 'aze', 'arm', 'geo', 'mol', 'kir',
  'tgk', 'tuk', 'mon', '', 'pus', 'kur', 'kas', 'snd', 'tib', 'nep', 'san', 'mar', 'ben', 'asm', 'guj', 'pa ', 'ori', 'mal',
  'kan', 'tam', 'tel', '', 'bur', 'khm', 'lao', 'vie', 'ind', 'tgl', 'may', 'may', 'amh', 'tir', 'orm', 'som', 'swa', 'kin',
  'run', 'nya', 'mlg', 'epo',
];

/** ISO 639-2 code of an mdhd language (ISO packed, or a Macintosh code; 0x7fff = unspecified → undefined). */
function languageOf(raw: string | number | undefined): string | undefined {
  if (typeof raw === 'string') return raw;
  if (raw === undefined) return undefined;
  return raw < MAC_LANGUAGES.length ? MAC_LANGUAGES[raw]!.trim() || undefined : undefined;
}

/** A demuxed file: the movie and the box tree it came from. */
export interface Mp4Demux {
  movie: Movie;
  tree: BoxTree;
}

/** Track kind from handler and sample entry: timed text that players render is a subtitle, the rest data. */
function kindOf(handler: string, entryType: string | undefined): TrackKind {
  if (handler === 'vide') return 'video';
  if (handler === 'soun') return 'audio';
  if (entryType === 'tx3g' || entryType === 'text' || entryType === 'c608' || entryType === 'c708') return 'subtitle';
  if (entryType === 'wvtt' || entryType === 'stpp') return 'subtitle';
  return 'data';
}

function editsOf(trak: Box): EditEntry[] {
  const elst = valueAs(childOf(childOf(trak, 'edts'), 'elst'), mv.elst);
  if (!elst) return [];
  return elst.entries.map((e) => ({
    segmentDurationTicks: e.segmentDuration,
    mediaTimeTicks: e.mediaTime,
    rate: e.mediaRateInteger + e.mediaRateFraction / 65536,
  }));
}

function referencesOf(trak: Box): Record<string, number[]> {
  const out: Record<string, number[]> = {};
  for (const ref of childOf(trak, 'tref')?.children ?? []) {
    const ids = (ref.value as { trackIds?: number[] } | undefined)?.trackIds;
    if (ids) out[ref.type] = ids;
  }
  return out;
}

const ITEM_TAGS: Record<string, string> = {
  '\u00a9nam': 'title', '\u00a9ART': 'artist', '\u00a9alb': 'album', '\u00a9day': 'date', '\u00a9too': 'encoder', '\u00a9cmt': 'comment',
  '\u00a9gen': 'genre', '\u00a9wrt': 'composer', aART: 'album_artist', cprt: 'copyright', desc: 'description', '\u00a9des': 'description',
};

/** iTunes-style and QuickTime `mdta` metadata as ffprobe tag names (text items only). */
function tagsOf(container: Box | undefined): Record<string, string> {
  const tags: Record<string, string> = {};
  const meta = childOf(container, 'meta');
  const ilst = childOf(meta, 'ilst');
  const keys = valueAs(childOf(meta, 'keys'), md.keys)?.entries;
  for (const item of ilst?.children ?? []) {
    const data = valueAs(childOf(item, 'data'), md.data);
    if (!data || data.dataType !== 1) continue;
    let name: string | undefined;
    if (keys) {
      const index = (item.type.charCodeAt(0) << 24) | (item.type.charCodeAt(1) << 16) | (item.type.charCodeAt(2) << 8) | item.type.charCodeAt(3);
      name = keys[index - 1]?.value;
    }
    name ??= ITEM_TAGS[item.type];
    if (name) tags[name] = new TextDecoder().decode(data.value);
  }
  return tags;
}

/**
 * Sample-frame geometry of uncompressed audio (QuickTime sound description v1 fields, else PCM format). A sound
 * track whose sample description does not give it (missing, unreadable, another codec) but whose stsz gives one
 * size for every sample uses that size per frame — ffmpeg's mov_build_index rule, which decides on the handler
 * and stts alone: otherwise every 1-tick sample frame would be a packet of its own, one per few bytes of the file.
 */
function audioFramesOf(entry: Box | undefined, d: SampleDescription | undefined, handler: string, stbl: Box | undefined): { samplesPerFrame: number; bytesPerFrame: number } | undefined {
  const a = entry?.value as AudioSampleEntry | undefined;
  if (a?.samplesPerPacket && a.bytesPerFrame) return { samplesPerFrame: a.samplesPerPacket, bytesPerFrame: a.bytesPerFrame };
  if (d?.pcm) return { samplesPerFrame: 1, bytesPerFrame: (d.pcm.bitsPerSample / 8) * (d.channels ?? 1) };
  if (handler !== 'soun') return undefined;
  const stsz = valueAs(childOf(stbl, 'stsz'), st.stsz);
  return stsz && 'sampleSize' in stsz && stsz.sampleSize > 0 ? { samplesPerFrame: 1, bytesPerFrame: stsz.sampleSize } : undefined;
}

/** Demuxes ISO-BMFF / QuickTime bytes. Payload offsets refer to `data`. */
export function demuxMp4(data: Uint8Array): Mp4Demux {
  // A file cut short reads as far as it goes (ffmpeg does the same): whole fragments, the samples of a cut mdat.
  const tree = parseTree(data, { partial: true });
  const top = tree.boxes;
  const ftyp = valueAs(top.find((b) => b.type === 'ftyp'), fi.ftyp);
  const moov = top.find((b) => b.type === 'moov');
  if (!moov) throw new BoxwrightError('UNSUPPORTED_FORMAT', 'no moov box: not a playable ISO-BMFF file (a media segment needs its init segment)', 0, '');
  const mvhd = valueAs(childOf(moov, 'mvhd'), mv.mvhd);
  // Sample counts are claims: an input cannot hold more samples than bytes (plus slack for moov-only files).
  const maxSamples = data.length + (1 << 16);
  const mvex = childOf(moov, 'mvex');
  const frag = new Map<number, FragmentTrackState>();
  const stblOnly = new Map<number, SampleTable>();
  const tracks: Track[] = [];
  childrenOf(moov, 'trak').forEach((trak, t) => {
    const path = `moov/trak${t ? `[${t}]` : ''}`;
    const tkhd = valueAs(childOf(trak, 'tkhd'), mv.tkhd);
    const mdia = childOf(trak, 'mdia');
    const mdhd = valueAs(childOf(mdia, 'mdhd'), mv.mdhd);
    const hdlr = valueAs(childOf(mdia, 'hdlr'), mv.hdlr);
    const stbl = childOf(childOf(mdia, 'minf'), 'stbl');
    const handler = hdlr?.handlerType ?? '';
    const entries = childOf(stbl, 'stsd')?.children ?? [];
    const descriptions = entries.map((e) => describeEntry(e, handler, data));
    const id = tkhd?.trackId ?? t + 1;
    const audioFrames = audioFramesOf(entries[0], descriptions[0], handler, stbl);
    const fromStbl = stbl ? expandStbl(stbl, { maxSamples, inputSize: data.length, path: `${path}/mdia/minf/stbl`, ...(audioFrames ? { audioFrames } : {}) }) : undefined;
    const sttsCount = valueAs(childOf(stbl, 'stts'), st.stts)?.entries.sampleCount.reduce((a, b) => a + b, 0);
    // Fragments append to the moov's samples; without mvex the stbl columns are used as they are.
    const builder = new SampleTableBuilder(mvex && fromStbl ? fromStbl.count + 16 : 64);
    if (mvex && fromStbl) {
      for (let i = 0; i < fromStbl.count; i++) {
        builder.push(fromStbl.dts[i]!, fromStbl.ctsOffset[i]!, fromStbl.duration[i]!, fromStbl.size[i]!, fromStbl.offset[i]!, fromStbl.flags[i]!, fromStbl.description[i]!);
      }
    }
    const trex = valueAs(childrenOf(mvex, 'trex').find((b) => (b.value as { trackId?: number } | undefined)?.trackId === id), fr.trex);
    const nextDts = fromStbl && fromStbl.count ? fromStbl.dts[fromStbl.count - 1]! + fromStbl.duration[fromStbl.count - 1]! : 0;
    if (mvex) frag.set(id, { trackId: id, builder, defaults: trexDefaults(trex), nextDts });
    else if (fromStbl) stblOnly.set(id, fromStbl);
    const language = languageOf(mdhd?.language);
    tracks.push({
      id,
      kind: kindOf(handler, entries[0]?.type),
      handlerType: handler,
      handlerName: hdlr?.name ?? '',
      ...(language ? { language } : {}),
      timescale: mdhd?.timescale || 1,
      // All-ones ("unknown", read as Infinity) counts as no duration.
      durationTicks: Number.isFinite(mdhd?.duration) ? mdhd!.duration : 0,
      edits: editsOf(trak),
      descriptions,
      samples: undefined as unknown as SampleTable,
      data,
      ...(tkhd ? { presentationWidth: tkhd.width, presentationHeight: tkhd.height, matrix: tkhd.matrix } : {}),
      ...(fromStbl && sttsCount !== undefined && sttsCount !== fromStbl.count && audioFrames ? { frameCount: sttsCount } : {}),
      ...(mvex ? { moovSampleCount: fromStbl?.count ?? 0 } : {}),
      enabled: tkhd ? tkhd.enabled === true : true,
      alternateGroup: tkhd?.alternateGroup ?? 0,
      references: referencesOf(trak),
    });
  });
  let fragmented = mvex !== undefined;
  for (const box of top) {
    if (box.type !== 'moof') continue;
    fragmented = true;
    readMoof(box, frag, maxSamples);
  }
  for (const track of tracks) track.samples = frag.get(track.id)?.builder.build() ?? stblOnly.get(track.id) ?? new SampleTableBuilder(1).build();
  // QuickTime chapter tracks (referenced by 'chap') carry chapter titles, not subtitles: ffmpeg reads them as data.
  const chapters = new Set(tracks.flatMap((t) => t.references.chap ?? []));
  for (const track of tracks) {
    if (!chapters.has(track.id)) continue;
    track.kind = 'data';
    for (const d of track.descriptions) if (d.codec === 'mov_text') d.codec = 'bin_data';
  }
  const tags = { ...tagsOf(childOf(moov, 'udta')), ...tagsOf(moov) };
  const movie: Movie = {
    container: 'mp4',
    compatibleBrands: ftyp?.compatibleBrands ?? [],
    timescale: mvhd?.timescale || 1000,
    durationTicks: Number.isFinite(mvhd?.duration) ? mvhd!.duration : 0,
    fragmented,
    tracks,
    tags,
  };
  if (ftyp) {
    movie.majorBrand = ftyp.majorBrand;
    movie.minorVersion = ftyp.minorVersion;
  }
  if (mvhd?.creationTime) movie.creationTime = mvhd.creationTime;
  return { movie, tree };
}
