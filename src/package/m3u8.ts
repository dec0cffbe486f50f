/**
 * HLS playlist text (RFC 8216, with Apple's HLS authoring rules): media, I-frame and master playlists built
 * from a small typed model, rendered by one function each. Durations come in as exact seconds of the
 * segments' own ticks; attribute values are quoted and checked here, in one place.
 */

/** One entry of a media playlist. */
export interface MediaEntry {
  uri: string;
  durationSec: number;
  /** `EXT-X-BYTERANGE` (single-file playlists, I-frame playlists). */
  byteRange?: { length: number; offset: number };
}

/** A media (or I-frame) playlist. */
export interface MediaPlaylist {
  entries: MediaEntry[];
  /** `EXT-X-MAP`: the init segment (with its byte range in a single file). */
  map?: { uri: string; byteRange?: { length: number; offset: number } };
  /** `EXT-X-I-FRAMES-ONLY`. */
  iFramesOnly?: boolean;
}

/** An `EXT-X-MEDIA` rendition. */
export interface MediaRendition {
  type: 'AUDIO' | 'SUBTITLES';
  groupId: string;
  name: string;
  language?: string;
  isDefault: boolean;
  autoselect: boolean;
  channels?: number;
  uri: string;
}

/** An `EXT-X-STREAM-INF` variant. */
export interface VariantStream {
  uri: string;
  bandwidth: number;
  averageBandwidth: number;
  codecs: string[];
  resolution?: { width: number; height: number };
  frameRate?: number;
  videoRange?: 'SDR' | 'PQ' | 'HLG';
  audioGroup?: string;
}

/** An `EXT-X-I-FRAME-STREAM-INF`. */
export interface IFrameStream {
  uri: string;
  bandwidth: number;
  codecs: string[];
  resolution?: { width: number; height: number };
  videoRange?: 'SDR' | 'PQ' | 'HLG';
}

/** The master playlist. */
export interface MasterPlaylist {
  version: number;
  renditions: MediaRendition[];
  variants: VariantStream[];
  iFrameStreams: IFrameStream[];
}

/** EXTINF / duration text: exact to the microsecond, trailing zeros kept to three decimals at least. */
export function formatDuration(sec: number): string {
  const s = sec.toFixed(6).replace(/0{1,3}$/, '');
  return s;
}

/** `#EXT-X-TARGETDURATION`: the largest EXTINF rounded to the nearest integer (RFC 8216 §4.3.3.1), at least 1. */
export function targetDuration(entries: readonly MediaEntry[]): number {
  let t = 1;
  for (const e of entries) t = Math.max(t, Math.round(e.durationSec));
  return t;
}

/** The lowest `EXT-X-VERSION` for the features a media playlist uses (RFC 8216 §7). */
export function mediaPlaylistVersion(p: MediaPlaylist): number {
  let v = 3; // decimal EXTINF
  if (p.iFramesOnly || p.entries.some((e) => e.byteRange)) v = 4;
  if (p.map) v = Math.max(v, p.iFramesOnly ? 5 : 6);
  return v;
}

function quoted(s: string, what: string): string {
  if (/["\r\n]/.test(s)) throw new RangeError(`HLS ${what} cannot contain a double quote or a line break: ${JSON.stringify(s)}`);
  return `"${s}"`;
}

function byteRange(r: { length: number; offset: number }): string {
  return `${r.length}@${r.offset}`;
}

/** A VOD media playlist (or an I-frame playlist). */
export function renderMediaPlaylist(p: MediaPlaylist): string {
  const lines = ['#EXTM3U', `#EXT-X-VERSION:${mediaPlaylistVersion(p)}`, `#EXT-X-TARGETDURATION:${targetDuration(p.entries)}`, '#EXT-X-MEDIA-SEQUENCE:0', '#EXT-X-PLAYLIST-TYPE:VOD'];
  if (p.iFramesOnly) lines.push('#EXT-X-I-FRAMES-ONLY');
  else lines.push('#EXT-X-INDEPENDENT-SEGMENTS');
  if (p.map) lines.push(`#EXT-X-MAP:URI=${quoted(p.map.uri, 'URI')}${p.map.byteRange ? `,BYTERANGE=${quoted(byteRange(p.map.byteRange), 'BYTERANGE')}` : ''}`);
  for (const e of p.entries) {
    lines.push(`#EXTINF:${formatDuration(e.durationSec)},`);
    if (e.byteRange) lines.push(`#EXT-X-BYTERANGE:${byteRange(e.byteRange)}`);
    lines.push(e.uri);
  }
  lines.push('#EXT-X-ENDLIST');
  return lines.join('\n') + '\n';
}

function resolution(r: { width: number; height: number } | undefined): string[] {
  return r ? [`RESOLUTION=${r.width}x${r.height}`] : [];
}

/** The master (multivariant) playlist. */
export function renderMasterPlaylist(m: MasterPlaylist): string {
  const lines = ['#EXTM3U', `#EXT-X-VERSION:${m.version}`, '#EXT-X-INDEPENDENT-SEGMENTS'];
  for (const r of m.renditions) {
    const attrs = [
      `TYPE=${r.type}`,
      `GROUP-ID=${quoted(r.groupId, 'GROUP-ID')}`,
      `NAME=${quoted(r.name, 'NAME')}`,
      ...(r.language ? [`LANGUAGE=${quoted(r.language, 'LANGUAGE')}`] : []),
      `DEFAULT=${r.isDefault ? 'YES' : 'NO'}`,
      `AUTOSELECT=${r.autoselect ? 'YES' : 'NO'}`,
      ...(r.channels ? [`CHANNELS=${quoted(String(r.channels), 'CHANNELS')}`] : []),
      `URI=${quoted(r.uri, 'URI')}`,
    ];
    lines.push(`#EXT-X-MEDIA:${attrs.join(',')}`);
  }
  for (const v of m.variants) {
    const attrs = [
      `BANDWIDTH=${Math.ceil(v.bandwidth)}`,
      `AVERAGE-BANDWIDTH=${Math.ceil(v.averageBandwidth)}`,
      `CODECS=${quoted(v.codecs.join(','), 'CODECS')}`,
      ...resolution(v.resolution),
      ...(v.frameRate ? [`FRAME-RATE=${v.frameRate.toFixed(3)}`] : []),
      ...(v.videoRange ? [`VIDEO-RANGE=${v.videoRange}`] : []),
      ...(v.audioGroup ? [`AUDIO=${quoted(v.audioGroup, 'AUDIO')}`] : []),
    ];
    lines.push(`#EXT-X-STREAM-INF:${attrs.join(',')}`, v.uri);
  }
  for (const f of m.iFrameStreams) {
    const attrs = [`BANDWIDTH=${Math.ceil(f.bandwidth)}`, `CODECS=${quoted(f.codecs.join(','), 'CODECS')}`, ...resolution(f.resolution), ...(f.videoRange ? [`VIDEO-RANGE=${f.videoRange}`] : []), `URI=${quoted(f.uri, 'URI')}`];
    lines.push(`#EXT-X-I-FRAME-STREAM-INF:${attrs.join(',')}`);
  }
  return lines.join('\n') + '\n';
}
