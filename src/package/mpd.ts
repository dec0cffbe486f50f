/**
 * The MPEG-DASH MPD (ISO/IEC 23009-1) as a small typed model and one serializer: every element and attribute
 * the packager writes is declared here, values are escaped in one place, and the document is namespaced
 * (`urn:mpeg:dash:schema:mpd:2011`).
 */

/** A generic XML element: what the serializer writes. */
export interface XmlElement {
  name: string;
  attributes?: Record<string, string | number | boolean | undefined>;
  children?: XmlElement[];
  /** Text content (an element has text or children, not both). */
  text?: string;
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };

/** Text escaped for an XML attribute value. Characters XML 1.0 cannot carry at all are refused. */
export function escapeXml(s: string): string {
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/.test(s)) throw new RangeError(`MPD: ${JSON.stringify(s)} holds a character XML cannot carry`);
  return s.replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

function attributeText(v: string | number | boolean): string {
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) throw new RangeError(`MPD: attribute value ${v} is not a finite number`);
    return String(v);
  }
  return escapeXml(String(v));
}

/** One element and its subtree, indented. */
function serialize(e: XmlElement, indent: string, out: string[]): void {
  let open = `${indent}<${e.name}`;
  for (const [k, v] of Object.entries(e.attributes ?? {})) if (v !== undefined) open += ` ${k}="${attributeText(v)}"`;
  const kids = e.children ?? [];
  if (e.text !== undefined) {
    out.push(`${open}>${escapeXml(e.text)}</${e.name}>`);
    return;
  }
  if (kids.length === 0) {
    out.push(`${open}/>`);
    return;
  }
  out.push(`${open}>`);
  for (const c of kids) serialize(c, indent + '  ', out);
  out.push(`${indent}</${e.name}>`);
}

/** An XML document: declaration and root element. */
export function renderXml(root: XmlElement): string {
  const out = ['<?xml version="1.0" encoding="UTF-8"?>'];
  serialize(root, '', out);
  return out.join('\n') + '\n';
}

/** ISO 8601 duration (`PT1M4.5S`) of `sec` seconds, to the millisecond. */
export function isoDuration(sec: number): string {
  const ms = Math.round(sec * 1000);
  const h = Math.floor(ms / 3_600_000);
  const m = Math.floor((ms % 3_600_000) / 60_000);
  const s = (ms % 60_000) / 1000;
  return `PT${h ? `${h}H` : ''}${m ? `${m}M` : ''}${s.toFixed(3).replace(/\.?0+$/, '')}S`;
}

/** One `S` run of a SegmentTimeline: `t` (start), `d` (duration) and `r` (further repeats). */
export interface TimelineRun {
  t: number;
  d: number;
  r: number;
}

/** SegmentTimeline runs of consecutive segments (start, duration): equal durations back to back share one `S`. */
export function timelineRuns(segments: ReadonlyArray<{ start: number; duration: number }>): TimelineRun[] {
  const runs: TimelineRun[] = [];
  for (const s of segments) {
    const last = runs[runs.length - 1];
    if (last && last.d === s.duration && last.t + last.d * (last.r + 1) === s.start) last.r++;
    else runs.push({ t: s.start, d: s.duration, r: 0 });
  }
  return runs;
}

/** How a Representation's segments are addressed. */
export type SegmentAddressing =
  | { kind: 'template'; timescale: number; presentationTimeOffset: number; initialization: string; media: string; startNumber: number; timeline: TimelineRun[] }
  | { kind: 'base'; timescale: number; presentationTimeOffset: number; indexRange: [number, number]; initializationRange: [number, number] };

/** A Representation. */
export interface Representation {
  id: string;
  bandwidth: number;
  codecs: string;
  mimeType: string;
  width?: number;
  height?: number;
  frameRate?: string;
  sar?: string;
  audioSamplingRate?: number;
  channels?: number;
  /** On-demand: the file's URL. */
  baseUrl?: string;
  segments: SegmentAddressing;
}

/** An AdaptationSet: one media type (and language). */
export interface AdaptationSet {
  id: number;
  contentType: 'video' | 'audio';
  mimeType: string;
  lang?: string;
  role: 'main' | 'alternate';
  representations: Representation[];
}

/** The whole presentation (one static Period). */
export interface Mpd {
  profile: 'live' | 'on-demand';
  durationSec: number;
  minBufferTimeSec: number;
  maxSegmentDurationSec: number;
  adaptationSets: AdaptationSet[];
}

const PROFILES = { live: 'urn:mpeg:dash:profile:isoff-live:2011', 'on-demand': 'urn:mpeg:dash:profile:isoff-on-demand:2011' } as const;

function representationElement(r: Representation, onDemand: boolean): XmlElement {
  const children: XmlElement[] = [];
  if (r.channels) children.push({ name: 'AudioChannelConfiguration', attributes: { schemeIdUri: 'urn:mpeg:dash:23003:3:audio_channel_configuration:2011', value: r.channels } });
  if (r.baseUrl) children.push({ name: 'BaseURL', text: r.baseUrl });
  const seg = r.segments;
  if (seg.kind === 'template') {
    children.push({
      name: 'SegmentTemplate',
      attributes: { timescale: seg.timescale, presentationTimeOffset: seg.presentationTimeOffset || undefined, initialization: seg.initialization, media: seg.media, startNumber: seg.startNumber },
      children: [{ name: 'SegmentTimeline', children: seg.timeline.map((s) => ({ name: 'S', attributes: { t: s.t, d: s.d, r: s.r > 0 ? s.r : undefined } })) }],
    });
  } else {
    children.push({
      name: 'SegmentBase',
      attributes: { timescale: seg.timescale, presentationTimeOffset: seg.presentationTimeOffset || undefined, indexRange: `${seg.indexRange[0]}-${seg.indexRange[1]}`, indexRangeExact: 'true' },
      children: [{ name: 'Initialization', attributes: { range: `${seg.initializationRange[0]}-${seg.initializationRange[1]}` } }],
    });
  }
  return {
    name: 'Representation',
    attributes: {
      id: r.id,
      bandwidth: Math.ceil(r.bandwidth),
      codecs: r.codecs,
      mimeType: r.mimeType,
      width: r.width,
      height: r.height,
      frameRate: r.frameRate,
      sar: r.sar,
      audioSamplingRate: r.audioSamplingRate,
      startWithSAP: onDemand ? undefined : 1,
    },
    children,
  };
}

/** The MPD document text. */
export function renderMpd(m: Mpd): string {
  const onDemand = m.profile === 'on-demand';
  const sets: XmlElement[] = m.adaptationSets.map((a) => ({
    name: 'AdaptationSet',
    attributes: {
      id: a.id,
      contentType: a.contentType,
      mimeType: a.mimeType,
      lang: a.lang,
      segmentAlignment: onDemand ? undefined : 'true',
      subsegmentAlignment: onDemand ? 'true' : undefined,
      subsegmentStartsWithSAP: onDemand ? 1 : undefined,
      startWithSAP: onDemand ? undefined : 1,
    },
    children: [{ name: 'Role', attributes: { schemeIdUri: 'urn:mpeg:dash:role:2011', value: a.role } }, ...a.representations.map((r) => representationElement(r, onDemand))],
  }));
  return renderXml({
    name: 'MPD',
    attributes: {
      xmlns: 'urn:mpeg:dash:schema:mpd:2011',
      profiles: PROFILES[m.profile],
      type: 'static',
      mediaPresentationDuration: isoDuration(m.durationSec),
      minBufferTime: isoDuration(m.minBufferTimeSec),
      maxSegmentDuration: isoDuration(m.maxSegmentDurationSec),
    },
    children: [{ name: 'Period', attributes: { id: '0', start: 'PT0S' }, children: sets }],
  });
}
