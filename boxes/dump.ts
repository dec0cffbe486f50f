/** Human-readable and JSON views of a box tree (the `boxwright boxes` command). */
import type { Box, BoxTree } from './tree.js';

const MAX_ITEMS = 8;
const MAX_BYTES = 16;

function hex(b: Uint8Array, max = MAX_BYTES): string {
  let s = '';
  for (let i = 0; i < Math.min(b.length, max); i++) s += b[i]!.toString(16).padStart(2, '0');
  return b.length > max ? `${s}… (${b.length} bytes)` : s || '(empty)';
}

function isTyped(v: unknown): v is ArrayLike<number> & { length: number } {
  return ArrayBuffer.isView(v) && !(v instanceof DataView) && !(v instanceof Uint8Array);
}

function text(v: unknown, depth = 0): string {
  if (v instanceof Uint8Array) return hex(v);
  if (isTyped(v) || Array.isArray(v)) {
    const arr = v as ArrayLike<unknown>;
    const shown: string[] = [];
    for (let i = 0; i < Math.min(arr.length, MAX_ITEMS); i++) shown.push(text(arr[i], depth + 1));
    return `[${shown.join(', ')}${arr.length > MAX_ITEMS ? `, … (${arr.length} total)` : ''}]`;
  }
  if (typeof v === 'string') return JSON.stringify(v);
  if (v !== null && typeof v === 'object') {
    if (depth > 4) return '{…}';
    return `{${Object.entries(v).map(([k, x]) => `${k}: ${text(x, depth + 1)}`).join(', ')}}`;
  }
  return String(v);
}

function fourccText(type: string): string {
  return /^[\x20-\x7e]{4}$/.test(type) ? type : JSON.stringify(type).slice(1, -1);
}

/** One box's header line as the dump shows it: `[type] size=N offset=O v1 flags=0x000001`. */
export function describeHeader(b: Box, size: number | undefined = b.size): string {
  let s = `[${fourccText(b.type)}]`;
  if (size !== undefined) s += ` size=${size}`;
  if (b.offset !== undefined) s += ` offset=${b.offset}`;
  if (b.version !== undefined) s += ` v${b.version} flags=0x${(b.flags ?? 0).toString(16).padStart(6, '0')}`;
  if (b.value === undefined && b.raw) s += ' (opaque)';
  return s;
}

function dumpBox(b: Box, indent: string, out: string[]): void {
  out.push(indent + describeHeader(b));
  const inner = indent + '  ';
  if (b.error) out.push(`${inner}! ${b.error.detail} (${b.error.code} at byte ${b.error.offset})`);
  if (b.value !== undefined && b.value !== null && typeof b.value === 'object') {
    for (const [k, v] of Object.entries(b.value)) out.push(`${inner}${k}: ${text(v)}`);
  } else if (b.raw) {
    out.push(`${inner}data: ${hex(b.raw)}`);
  }
  if (b.children) for (const c of b.children) dumpBox(c, inner, out);
  if (b.trailing) out.push(`${inner}trailing: ${hex(b.trailing)}`);
}

/** A text dump of boxes, one header line per box and one line per field, like `mp4dump`. */
export function dumpTree(tree: BoxTree | readonly Box[]): string {
  const boxes = Array.isArray(tree) ? (tree as readonly Box[]) : (tree as BoxTree).boxes;
  const out: string[] = [];
  for (const b of boxes) dumpBox(b, '', out);
  return out.join('\n') + '\n';
}

/** JSON-safe copy of a field value: typed arrays → arrays, bytes → hex (truncated past 64 bytes). */
export function jsonValue(v: unknown): unknown {
  if (v instanceof Uint8Array) return { bytes: v.length, hex: hex(v, 64) };
  if (isTyped(v)) return Array.from(v);
  if (Array.isArray(v)) return v.map(jsonValue);
  if (v !== null && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, jsonValue(x)]));
  return v;
}

/** JSON-safe view of one box and its subtree. */
export interface BoxJson {
  type: string;
  offset?: number;
  size?: number;
  headerSize?: number;
  version?: number;
  flags?: number;
  opaque?: boolean;
  error?: string;
  fields?: unknown;
  trailingBytes?: number;
  children?: BoxJson[];
}

/** A JSON-safe tree (for `boxwright boxes --json`). */
export function treeToJson(tree: BoxTree | readonly Box[]): BoxJson[] {
  const boxes = Array.isArray(tree) ? (tree as readonly Box[]) : (tree as BoxTree).boxes;
  const one = (b: Box): BoxJson => {
    const j: BoxJson = { type: b.type };
    if (b.offset !== undefined) j.offset = b.offset;
    if (b.size !== undefined) j.size = b.size;
    if (b.headerSize !== undefined) j.headerSize = b.headerSize;
    if (b.version !== undefined) j.version = b.version;
    if (b.flags !== undefined) j.flags = b.flags;
    if (b.value === undefined && b.raw) j.opaque = true;
    if (b.error) j.error = b.error.message;
    if (b.value !== undefined) j.fields = jsonValue(b.value);
    if (b.trailing) j.trailingBytes = b.trailing.length;
    if (b.children) j.children = b.children.map(one);
    return j;
  };
  return boxes.map(one);
}
