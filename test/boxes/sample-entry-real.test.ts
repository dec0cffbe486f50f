/**
 * Sample entries and codec configuration boxes on real files: every one in our samples and the third-party
 * corpus parses to a value whose canonical encoding is the file's (no `raw`) and none fails (no `error`).
 */
import { existsSync, readFileSync } from 'node:fs';
import { relative } from 'node:path';
import * as audioConfig from '../../boxes/families/audio-config.js';
import * as esds from '../../boxes/families/esds.js';
import * as sampleEntry from '../../boxes/families/sample-entry.js';
import * as videoConfig from '../../boxes/families/video-config.js';
import * as visualExtras from '../../boxes/families/visual-extras.js';
import * as webvtt from '../../boxes/families/webvtt.js';
import { parseTree, type Box } from '../../boxes/tree.js';
import { OWN_SAMPLES, filesUnder, thirdPartyDir } from '../helpers/samples.js';

const typesOf = (family: object): Set<string> =>
  new Set(
    Object.values(family)
      .filter((d): d is { type: string; body: unknown } => typeof d === 'object' && d !== null && typeof (d as { type?: unknown }).type === 'string' && 'body' in d)
      .map((d) => d.type),
  );
const entries = typesOf(sampleEntry);
const configs = new Set([videoConfig, audioConfig, esds, visualExtras, webvtt].flatMap((f) => [...typesOf(f)]));

/** Known exceptions: `file: box path` → reason. */
const EXCEPTIONS: Record<string, string> = {
  'thirdparty/shaka-player/multiple-trun-init.mp4: moov/trak/mdia/minf/stbl/stsd/avc1/avcC':
    'writer cleared the reserved 1-bits before lengthSizeMinusOne and numOfSequenceParameterSets (03 01 instead of ff e1): kept verbatim',
};

/** Files that do not parse at all (not about our boxes). */
const UNPARSABLE: Record<string, string> = {
  'thirdparty/mp4ff/init_truncated.mp4': 'cut at 100 bytes inside moov',
};


/** Visits boxes with their path; `inStsd` tells whether the box is a sample entry (a child of stsd). */
function walk(boxes: Box[] | undefined, path: string, inStsd: boolean, visit: (b: Box, path: string, isEntry: boolean) => void): void {
  for (const b of boxes ?? []) {
    const p = path ? `${path}/${b.type}` : b.type;
    visit(b, p, inStsd);
    walk(b.children, p, b.type === 'stsd', visit);
  }
}

const tp = thirdPartyDir();
const isMp4Like = (p: string): boolean => /\.(mp4|mov|m4a|m4s|cmfv|cmft|m4v)$/i.test(p);
const files = [
  ...(existsSync(OWN_SAMPLES) ? filesUnder(OWN_SAMPLES).filter(isMp4Like).map((p) => ({ path: p, name: `samples/${relative(OWN_SAMPLES, p)}` })) : []),
  ...filesUnder(tp).filter(isMp4Like).map((p) => ({ path: p, name: `thirdparty/${relative(tp, p)}` })),
];

test('the corpus holds files', () => {
  expect(files.length).toBeGreaterThan(40);
});

/** Types seen parsed to a value across the corpus (checked at the end, so a silently opaque layout is noticed). */
const parsed = new Set<string>();

test.each(files.map((f) => [f.name, f] as const))('%s', (name, f) => {
  const data = new Uint8Array(readFileSync(f.path));
  if (UNPARSABLE[name]) {
    expect(() => parseTree(data)).toThrow();
    return;
  }
  const problems: string[] = [];
  walk(parseTree(data).boxes, '', false, (b, p, isEntry) => {
    if ((b.value !== undefined || b.children !== undefined) && !b.error) parsed.add(b.type);
    // Sample entries: ours, and unknown ones read with the generic visual/audio layout (those have a value or an error).
    // A `mp4a` inside `wave` is QuickTime's 4-byte atom, opaque on purpose.
    const mine = isEntry ? entries.has(b.type) || b.value !== undefined || b.error !== undefined : configs.has(b.type) && !p.endsWith('/wave/mp4a');
    if (!mine) return;
    const key = `${name}: ${p}`;
    if (EXCEPTIONS[key]) return;
    if (b.error) problems.push(`${p}: error ${b.error.message}`);
    else if (b.raw) problems.push(`${p}: raw (v${b.version ?? '-'} flags=0x${(b.flags ?? 0).toString(16)})`);
  });
  expect(problems).toEqual([]);
});

test('the corpus exercises the sample entries and configuration boxes', () => {
  const expected = [
    'avc1', 'hvc1', 'hev1', 'av01', 'vp09', 'encv', 'mp4a', 'Opus', 'ac-3', 'ec-3', 'fLaC', 'alac', 'alaw', 'ulaw', 'sowt', 'twos', 'in24', 'fl32',
    'enca', 'tx3g', 'wvtt', 'stpp', 'c608', 'tmcd',
    'avcC', 'hvcC', 'av1C', 'vpcC', 'esds', 'dOps', 'dac3', 'dec3', 'dfLa', 'btrt', 'pasp', 'colr', 'wave', 'vttC',
  ];
  expect(expected.filter((t) => !parsed.has(t))).toEqual([]);
});
