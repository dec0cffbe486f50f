/** Where the test media lives: our generated samples and the third-party corpus. */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import type { Box } from '../../boxes/tree.js';

export const REPO = resolve(__dirname, '../..');
export const OWN_SAMPLES = join(REPO, 'samples');

const THIRDPARTY_CANDIDATES = [
  process.env.BOXWRIGHT_THIRDPARTY,
  join(REPO, '../shared/samples/thirdparty'),
  '/work/shared/samples/thirdparty',
].filter((p): p is string => typeof p === 'string' && p.length > 0);

/** The third-party sample folder; fails (never skips) with an instruction when it is missing. */
export function thirdPartyDir(): string {
  const found = THIRDPARTY_CANDIDATES.find((p) => existsSync(join(p, 'SOURCES.md')));
  if (!found) {
    throw new Error(`third-party samples not found (looked in ${THIRDPARTY_CANDIDATES.join(', ')}); set BOXWRIGHT_THIRDPARTY to the folder holding SOURCES.md`);
  }
  return found;
}

/** Every file under `dir` (recursively, sorted, dot-files skipped). */
export function filesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    if (name.startsWith('.')) continue;
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...filesUnder(p));
    else out.push(p);
  }
  return out;
}

const MEDIA = /\.(mp4|m4a|m4v|m4s|mov|cmfv|cmft|cmfa|mp3|aac|adts|ac3|ec3|ts|m2ts|mts|wav|3gp)$/i;

/** A test media file: absolute path and a short name relative to its corpus. */
export interface Sample {
  path: string;
  name: string;
}

/** All media files: ours (samples/) and third-party. */
export function allSamples(): Sample[] {
  const ours = existsSync(OWN_SAMPLES) ? filesUnder(OWN_SAMPLES).filter((p) => MEDIA.test(p)).map((p) => ({ path: p, name: `samples/${relative(OWN_SAMPLES, p)}` })) : [];
  const tp = thirdPartyDir();
  const theirs = filesUnder(tp).filter((p) => MEDIA.test(p)).map((p) => ({ path: p, name: `thirdparty/${relative(tp, p)}` }));
  return [...ours, ...theirs];
}

const TOP_LEVEL = new Set(['ftyp', 'styp', 'moov', 'moof', 'mdat', 'free', 'skip', 'wide', 'sidx', 'uuid', 'emsg', 'prft', 'meta', 'pnot', 'mfra']);

/** True when the bytes start like an ISO-BMFF / QuickTime file (a known top-level box type at 4..8). */
export function looksIsoBmff(data: Uint8Array): boolean {
  if (data.length < 8) return false;
  const type = String.fromCharCode(data[4]!, data[5]!, data[6]!, data[7]!);
  return TOP_LEVEL.has(type);
}

/** ISO-BMFF samples with their bytes. */
export function isoSamples(): Array<Sample & { data: Uint8Array }> {
  return allSamples()
    .map((s) => ({ ...s, data: new Uint8Array(readFileSync(s.path)) }))
    .filter((s) => looksIsoBmff(s.data));
}

/** The other inputs probeMedia reads (MPEG-TS, ADTS, MP3, AC-3, WAV) with their bytes. */
export function otherMediaSamples(): Array<Sample & { data: Uint8Array }> {
  return allSamples()
    .filter((s) => /\.(ts|m2ts|mts|aac|adts|mp3|ac3|ec3|wav)$/i.test(s.path))
    .map((s) => ({ ...s, data: new Uint8Array(readFileSync(s.path)) }))
    .filter((s) => !looksIsoBmff(s.data));
}

/** Visits every box of a tree depth-first with its slash path of types (`moov/trak/mdia`). */
export function walkBoxes(boxes: Box[] | undefined, visit: (b: Box, path: string) => void, path = ''): void {
  for (const b of boxes ?? []) {
    const p = path ? `${path}/${b.type}` : b.type;
    visit(b, p);
    walkBoxes(b.children, visit, p);
  }
}
