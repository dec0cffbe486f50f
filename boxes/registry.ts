/**
 * The explicit list of box definitions. No registration at import time and no global mutation:
 * this module imports each family and indexes it.
 */
import type { AnyBoxDef, ValueOf } from './define.js';
import * as audioConfig from './families/audio-config.js';
import * as esds from './families/esds.js';
import * as file from './families/file.js';
import * as fragment from './families/fragment.js';
import * as metadata from './families/metadata.js';
import * as movie from './families/movie.js';
import * as protection from './families/protection.js';
import * as sampleEntry from './families/sample-entry.js';
import * as sampleTable from './families/sample-table.js';
import * as videoConfig from './families/video-config.js';
import * as visualExtras from './families/visual-extras.js';
import * as webvtt from './families/webvtt.js';

function isBoxDef(x: unknown): x is AnyBoxDef {
  return typeof x === 'object' && x !== null && typeof (x as AnyBoxDef).type === 'string' && 'body' in x && 'hasChildren' in x;
}

function indexByType(families: readonly object[]): Map<string, AnyBoxDef> {
  const map = new Map<string, AnyBoxDef>();
  for (const family of families) {
    for (const def of Object.values(family)) {
      if (!isBoxDef(def)) continue;
      if (map.has(def.type)) throw new Error(`box '${def.type}' is defined twice`);
      map.set(def.type, def);
    }
  }
  return map;
}

/** Box families by name (for docs and the vector meta-test). */
export const FAMILIES = { file, movie, sampleTable, fragment, protection, videoConfig, audioConfig, esds, visualExtras, webvtt, metadata } as const;

/** Boxes found by type anywhere (sample entries are only looked up inside `stsd`). */
export const BOXES: ReadonlyMap<string, AnyBoxDef> = indexByType(Object.values(FAMILIES));

/** Sample entries by type (the children of `stsd`). */
export const SAMPLE_ENTRIES: ReadonlyMap<string, AnyBoxDef> = indexByType([sampleEntry]);

type DefsOf<M> = Extract<M[keyof M], AnyBoxDef>;
/** Every registered definition (boxes and sample entries), as a union of their types. */
type RegisteredDef =
  | DefsOf<typeof file> | DefsOf<typeof movie> | DefsOf<typeof sampleTable> | DefsOf<typeof fragment>
  | DefsOf<typeof protection> | DefsOf<typeof videoConfig> | DefsOf<typeof audioConfig> | DefsOf<typeof esds>
  | DefsOf<typeof visualExtras> | DefsOf<typeof webvtt> | DefsOf<typeof metadata> | DefsOf<typeof sampleEntry>;

/**
 * Box type → the value type its definition parses to and writes from (`BoxValueMap['mdhd']` has `timescale`),
 * derived from the definitions themselves, so a box built in code is checked against the same declaration the
 * parser and writer use.
 */
export type BoxValueMap = { [D in RegisteredDef as string extends D['type'] ? never : D['type']]: ValueOf<D> };

/** A registered box (or sample entry) type. */
export type BoxType = keyof BoxValueMap;
