/**
 * HLS packaging in memory: CMAF fMP4 (or MPEG-TS) segments, media playlists, I-frame playlists and a master
 * playlist, following Apple's HLS authoring rules — video variants carry no audio; each audio track is an
 * `EXT-X-MEDIA` rendition of one audio group; audio-only input gives an audio-only master.
 *
 * Every rendition of an input is cut by one segment plan (src/model/segment-plan.ts) on a timeline that needs
 * no edit list (player-timeline.ts), so audio and video segments line up and players that ignore edit lists
 * present what the input's edit lists say. Segments are written by the one fragment writer (one moof + mdat
 * per GOP, so every keyframe starts a fragment and I-frame playlists can point at it) or by the TS muxer.
 */
import { concatBytes } from '../io/bytes.js';
import type { Track } from '../model/movie.js';
import { renderMasterPlaylist, renderMediaPlaylist, mediaPlaylistVersion, targetDuration, type MediaEntry, type MediaPlaylist, type IFrameStream, type MediaRendition, type VariantStream } from './m3u8.js';
import { frameDurationTicks, initName, peakBitRate, planOf, segmentName, singleFileOf, writeTrackSegments, type PackageSource } from './segments.js';

export { prepareSource, type PackageSource } from './segments.js';

/** What to package: the variants (video, or audio for audio-only input) and the audio renditions. */
export interface HlsLayout {
  segmentTimeSec: number;
  segmentFormat: 'fmp4' | 'ts';
  singleFile: boolean;
  variants: Array<{ name: string; source: PackageSource; track: number; bandwidth?: number }>;
  audio: Array<{ name: string; source: PackageSource; track: number }>;
}

/** A file of the package (a playlist, an init segment, a media segment or a single-file rendition). */
export interface HlsFile {
  name: string;
  data: Uint8Array;
}

/** A media segment of a rendition. In a single-file rendition `data` is a view of that file at `byteRange`. */
export interface HlsSegment {
  name: string;
  /** EXTINF: the segment's own duration, seconds. */
  duration: number;
  data: Uint8Array;
  byteRange?: { offset: number; length: number };
}

/** One rendition (a variant stream, or an audio rendition). */
export interface HlsRendition {
  name: string;
  /** Peak segment bit rate, bits per second (a variant's includes its audio group's). */
  bandwidth: number;
  targetDuration: number;
  playlistName: string;
  playlist: string;
  init: HlsFile | null;
  segments: HlsSegment[];
}

/** The result of `packageHls`. */
export interface HlsPackage {
  type: 'hls';
  segmentTime: number;
  masterPlaylist: string;
  variants: HlsRendition[];
  renditions: HlsRendition[];
  iframePlaylists: Array<{ playlistName: string; playlist: string }>;
  /** Every file to write, each once: master, playlists, init and media segments. */
  files: HlsFile[];
  warnings: string[];
}

interface Written {
  rendition: HlsRendition;
  files: HlsFile[];
  averageBandwidth: number;
  /** I-frame playlist entries (fMP4 video). */
  iFrames: MediaEntry[];
  codec: string;
  /** Start of each segment, seconds on the rendition's timeline (for the alignment check). */
  startsSec: number[];
}

/** Writes one rendition (one track) segment by segment. */
function writeRendition(name: string, source: PackageSource, trackIndex: number, layout: HlsLayout): Written {
  const written = writeTrackSegments(source, trackIndex, layout.segmentTimeSec, layout.segmentFormat);
  const { init, segments, codec } = written;
  const ts = layout.segmentFormat === 'ts';
  const ext = ts ? 'ts' : 'm4s';
  const files: HlsFile[] = [];
  const entries: MediaEntry[] = [];
  const iFrames: MediaEntry[] = [];
  const hlsSegments: HlsSegment[] = [];
  let initFile: HlsFile | null = null;
  const playlist: MediaPlaylist = { entries };
  if (layout.singleFile && init) {
    // The same self-initialising file as DASH on-demand (init, sidx, segments), addressed by byte ranges.
    const fileName = `${name}.mp4`;
    const single = singleFileOf(written);
    const whole = single.data;
    files.push({ name: fileName, data: whole });
    playlist.map = { uri: fileName, byteRange: { length: single.initLength, offset: 0 } };
    initFile = { name: fileName, data: whole.subarray(0, single.initLength) };
    segments.forEach((s, k) => {
      const at = single.segmentOffsets[k]!;
      const byteRange = { offset: at, length: s.data.length };
      entries.push({ uri: fileName, durationSec: s.durationSec, byteRange });
      hlsSegments.push({ name: fileName, duration: s.durationSec, data: whole.subarray(at, at + s.data.length), byteRange });
      for (const f of s.keyframes) iFrames.push({ uri: fileName, durationSec: f.durationSec, byteRange: { offset: at + f.offset, length: f.length } });
    });
  } else if (layout.singleFile) {
    // MPEG-TS: the segments back to back.
    const fileName = `${name}.ts`;
    const whole = concatBytes(segments.map((s) => s.data));
    files.push({ name: fileName, data: whole });
    let at = 0;
    for (const s of segments) {
      const byteRange = { offset: at, length: s.data.length };
      entries.push({ uri: fileName, durationSec: s.durationSec, byteRange });
      hlsSegments.push({ name: fileName, duration: s.durationSec, data: whole.subarray(at, at + s.data.length), byteRange });
      at += s.data.length;
    }
  } else {
    if (init) {
      initFile = { name: initName(name), data: init };
      files.push(initFile);
      playlist.map = { uri: initFile.name };
    }
    segments.forEach((s, k) => {
      const seg = { name: segmentName(name, k + 1, ext), duration: s.durationSec, data: s.data };
      hlsSegments.push(seg);
      files.push({ name: seg.name, data: seg.data });
      entries.push({ uri: seg.name, durationSec: s.durationSec });
      for (const f of s.keyframes) iFrames.push({ uri: seg.name, durationSec: f.durationSec, byteRange: { offset: f.offset, length: f.length } });
    });
  }
  const peak = peakBitRate(segments.map((s) => ({ bytes: s.data.length, durationSec: s.durationSec })));
  let bytes = 0;
  let seconds = 0;
  for (const s of segments) {
    bytes += s.data.length;
    seconds += s.durationSec;
  }
  const text = renderMediaPlaylist(playlist);
  const playlistName = `${name}.m3u8`;
  files.push({ name: playlistName, data: new TextEncoder().encode(text) });
  return {
    rendition: { name, bandwidth: peak, targetDuration: targetDuration(entries), playlistName, playlist: text, init: initFile, segments: hlsSegments },
    files,
    averageBandwidth: seconds > 0 ? (bytes * 8) / seconds : 0,
    iFrames,
    codec,
    startsSec: segments.map((s) => s.startSec),
  };
}

/** The frame rate of a video track from its median sample duration (FRAME-RATE), or undefined. */
function frameRate(t: Track): number | undefined {
  const d = frameDurationTicks(t);
  return d === undefined ? undefined : t.timescale / d;
}

function videoRange(t: Track): 'SDR' | 'PQ' | 'HLG' | undefined {
  const c = t.descriptions[0]?.colour;
  if (!c) return undefined;
  // ITU-T H.273 transfer characteristics: 16 = SMPTE ST 2084 (PQ), 18 = ARIB STD-B67 (HLG).
  return c.transfer === 16 ? 'PQ' : c.transfer === 18 ? 'HLG' : 'SDR';
}

/** Packages `layout` (see the module comment). */
export function packageHlsLayout(layout: HlsLayout): HlsPackage {
  const warnings: string[] = [];
  const files: HlsFile[] = [];
  const audio = layout.audio.map((a) => ({ ...a, written: writeRendition(a.name, a.source, a.track, layout) }));
  for (const a of audio) files.push(...a.written.files);
  const audioPeak = Math.max(0, ...audio.map((a) => a.written.rendition.bandwidth));
  const audioAverage = Math.max(0, ...audio.map((a) => a.written.averageBandwidth));
  const audioCodec = audio[0]?.written.codec;
  const group = 'audio';
  const renditions: MediaRendition[] = audio.map((a, i) => {
    const t = a.source.tracks[a.track]!;
    const lang = t.language && t.language !== 'und' ? t.language : undefined;
    const channels = t.descriptions[0]?.channels;
    return {
      type: 'AUDIO',
      groupId: group,
      name: t.handlerName && !/^(SoundHandler|Sound Media Handler|)$/.test(t.handlerName) ? t.handlerName : lang ? `${lang} ${i + 1}` : `audio ${i + 1}`,
      ...(lang ? { language: lang } : {}),
      isDefault: i === 0,
      autoselect: true,
      ...(channels ? { channels } : {}),
      uri: a.written.rendition.playlistName,
    };
  });
  for (const p of new Set(audio.map((a) => planOf(a.source, layout.segmentTimeSec)))) warnings.push(...p.warnings);
  const variants = layout.variants.map((v) => ({ ...v, written: writeRendition(v.name, v.source, v.track, layout) }));
  for (const v of variants) {
    files.push(...v.written.files);
    for (const w of planOf(v.source, layout.segmentTimeSec).warnings) if (!warnings.includes(w)) warnings.push(w);
  }
  // Players switch variants at segment boundaries: they should start at the same times.
  const first = variants[0];
  for (const v of variants.slice(1)) {
    const a = first!.written.startsSec;
    const b = v.written.startsSec;
    const origin = (xs: number[]): number => xs[0] ?? 0;
    const misaligned = a.length !== b.length || a.some((x, i) => Math.abs(x - origin(a) - (b[i]! - origin(b))) > 0.05);
    if (misaligned) warnings.push(`variant '${v.name}' has segment boundaries that do not line up with '${first!.name}' (keyframes at other times): players switching between them may stall or skip`);
  }
  const videoVariants = variants.filter((v) => v.source.tracks[v.track]!.kind === 'video');
  const streamInfs: VariantStream[] = variants.map((v) => {
    const t = v.source.tracks[v.track]!;
    const isVideo = t.kind === 'video';
    const d = t.descriptions[0];
    const withAudio = isVideo && audio.length > 0;
    const bandwidth = v.bandwidth ?? v.written.rendition.bandwidth + (withAudio ? audioPeak : 0);
    v.written.rendition.bandwidth = bandwidth;
    return {
      uri: v.written.rendition.playlistName,
      bandwidth,
      averageBandwidth: v.written.averageBandwidth + (withAudio ? audioAverage : 0),
      codecs: withAudio && audioCodec ? [v.written.codec, audioCodec] : [v.written.codec],
      ...(isVideo && d?.width && d.height ? { resolution: { width: t.presentationWidth ? Math.round(t.presentationWidth) : d.width, height: t.presentationHeight ? Math.round(t.presentationHeight) : d.height } } : {}),
      ...(isVideo && frameRate(t) ? { frameRate: frameRate(t)! } : {}),
      ...(isVideo && videoRange(t) ? { videoRange: videoRange(t)! } : {}),
      ...(withAudio ? { audioGroup: group } : {}),
    };
  });
  const iFrameStreams: IFrameStream[] = [];
  const iframePlaylists: Array<{ playlistName: string; playlist: string }> = [];
  if (layout.segmentFormat === 'fmp4') {
    for (const v of videoVariants) {
      const entries = v.written.iFrames;
      if (entries.length === 0) continue;
      const map = v.written.rendition.init;
      const playlist: MediaPlaylist = { entries, iFramesOnly: true, ...(map ? { map: { uri: map.name, ...(layout.singleFile ? { byteRange: { offset: 0, length: map.data.length } } : {}) } } : {}) };
      const text = renderMediaPlaylist(playlist);
      const playlistName = `${v.name}_iframes.m3u8`;
      iframePlaylists.push({ playlistName, playlist: text });
      files.push({ name: playlistName, data: new TextEncoder().encode(text) });
      const t = v.source.tracks[v.track]!;
      const d = t.descriptions[0];
      const peak = peakBitRate(entries.map((e) => ({ bytes: e.byteRange!.length, durationSec: e.durationSec })));
      iFrameStreams.push({ uri: playlistName, bandwidth: peak, codecs: [v.written.codec], ...(d?.width && d.height ? { resolution: { width: d.width, height: d.height } } : {}), ...(videoRange(t) ? { videoRange: videoRange(t)! } : {}) });
    }
  }
  const version = Math.max(3, ...[...variants, ...audio].map((x) => mediaPlaylistVersion({ entries: x.written.rendition.segments.map((s) => ({ uri: s.name, durationSec: s.duration, ...(s.byteRange ? { byteRange: s.byteRange } : {}) })), ...(x.written.rendition.init ? { map: { uri: x.written.rendition.init.name } } : {}) })));
  const masterPlaylist = renderMasterPlaylist({ version, renditions: videoVariants.length > 0 ? renditions : [], variants: streamInfs, iFrameStreams });
  files.unshift({ name: 'master.m3u8', data: new TextEncoder().encode(masterPlaylist) });
  return {
    type: 'hls',
    segmentTime: layout.segmentTimeSec,
    masterPlaylist,
    variants: variants.map((v) => v.written.rendition),
    renditions: videoVariants.length > 0 ? audio.map((a) => a.written.rendition) : [],
    iframePlaylists,
    files: dedupe(files),
    warnings,
  };
}

/** Files by name, each once (a single-file rendition's name is listed by its init and its segments). */
function dedupe(files: readonly HlsFile[]): HlsFile[] {
  const seen = new Set<string>();
  return files.filter((f) => (seen.has(f.name) ? false : (seen.add(f.name), true)));
}
