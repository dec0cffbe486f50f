/** Generates docs/boxes.md from the registry (and each definition's doc comment in its family's source). */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AnyBoxDef } from '../../boxes/define.js';
import { FAMILIES } from '../../boxes/registry.js';
import * as sampleEntry from '../../boxes/families/sample-entry.js';
import { REPO } from './samples.js';

const kebab = (s: string): string => s.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

function isDef(x: unknown): x is AnyBoxDef {
  return typeof x === 'object' && x !== null && typeof (x as AnyBoxDef).type === 'string' && 'body' in x && 'hasChildren' in x;
}

/** The first line of the TSDoc comment right before `export const <name>` in `src`. */
function docOf(src: string, name: string): string {
  const at = src.search(new RegExp(`^export const ${name}\\b`, 'm'));
  if (at < 0) return '';
  const before = src.slice(0, at).trimEnd();
  if (!before.endsWith('*/')) return '';
  const start = before.lastIndexOf('/**');
  const text = before.slice(start + 3, -2).split('\n').map((l) => l.replace(/^\s*\*\s?/, '').trim()).filter((l) => l).join(' ');
  return text.replace(/\|/g, '\\|');
}

function describe(def: AnyBoxDef): string {
  const parts: string[] = [];
  if (def.full === true) parts.push(`FullBox v${def.versions.join('/')}`);
  else if (typeof def.full === 'function') parts.push('FullBox or not (peeked)');
  if (def.hasChildren) parts.push('children');
  if (def.tentative) parts.push('tentative');
  if (def.verbatim) parts.push('verbatim');
  return parts.join(', ');
}

function section(title: string, file: string, family: object): string {
  const src = readFileSync(join(REPO, 'boxes/families', file), 'utf8');
  const rows = Object.entries(family)
    .filter(([, d]) => isDef(d))
    .map(([name, d]) => `| \`${JSON.stringify((d as AnyBoxDef).type).slice(1, -1)}\` | ${describe(d as AnyBoxDef)} | ${docOf(src, name) || (d as AnyBoxDef).title || ''} |`);
  return [`## ${title} (\`boxes/families/${file}\`)`, '', '| type | layout | definition |', '| --- | --- | --- |', ...rows, ''].join('\n');
}

/** The text of docs/boxes.md. */
export function boxesDoc(): string {
  const head = [
    '# Boxes',
    '',
    'Every box boxwright parses and writes, by family: one definition per box type serves parse, write, size and',
    'dump (see [adding-a-box.md](adding-a-box.md)). Boxes not listed are kept as bytes (opaque) and written back',
    'unchanged. Sample entries are looked up only inside `stsd`. Generated from `boxes/registry.ts` by',
    '`test/docs.test.ts` (`UPDATE_DOCS=1` rewrites this file).',
    '',
  ];
  const families = Object.entries(FAMILIES).map(([name, family]) => section(name, `${kebab(name)}.ts`, family));
  return [...head, ...families, section('sampleEntry', 'sample-entry.ts', sampleEntry)].join('\n');
}
