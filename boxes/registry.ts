/**
 * The explicit list of box definitions. No registration at import time and no global mutation:
 * this module imports each family and indexes it.
 */
import type { AnyBoxDef } from './define.js';
import * as codecConfig from './families/codec-config.js';
import * as file from './families/file.js';
import * as fragment from './families/fragment.js';
import * as metadata from './families/metadata.js';
import * as movie from './families/movie.js';
import * as protection from './families/protection.js';
import * as sampleEntry from './families/sample-entry.js';
import * as sampleTable from './families/sample-table.js';

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
export const FAMILIES = { file, movie, sampleTable, fragment, protection, codecConfig, metadata } as const;

/** Boxes found by type anywhere (sample entries are only looked up inside `stsd`). */
export const BOXES: ReadonlyMap<string, AnyBoxDef> = indexByType(Object.values(FAMILIES));

/** Sample entries by type (the children of `stsd`). */
export const SAMPLE_ENTRIES: ReadonlyMap<string, AnyBoxDef> = indexByType([sampleEntry]);
