/** Metadata boxes: `meta` (ISO FullBox or QuickTime plain container), iTunes-style `ilst` items, QuickTime `keys`. */
import { custom, list, rest, restString, u32, type Field } from '../../src/io/field.js';
import type { ByteReader } from '../../src/io/byte-reader.js';
import { box, container, fullBox, type BoxDef } from '../define.js';

/**
 * ISO `meta` is a FullBox; QuickTime's is a plain container. A QuickTime body starts with a child box
 * header (a size of at least 8 that fits), where an ISO body starts with version/flags (almost always 0).
 */
function metaIsFull(r: ByteReader): boolean {
  const size = r.peekU32(0);
  const type = r.peekFourcc(4);
  return !(size !== undefined && size >= 8 && size <= r.remaining && type !== undefined && /^[\x20-\x7e\xa9]{4}$/.test(type));
}

/** §8.11.1 MetaBox. */
export const meta = fullBox('meta', { full: metaIsFull, fields: {}, children: true });

/** iTunes `data` atom: type indicator (well-known type), locale, value bytes. */
export const data = box('data', { fields: { dataType: u32, locale: u32, value: rest } });
/** iTunes freeform item namespace and name (`----` items). */
const mean = fullBox('mean', { fields: { value: restString } });
const itemName = fullBox('name', { fields: { value: restString } });

/** One `ilst` item: its type is the key (©nam, trkn, or a 1-based index into `keys`); children are data/mean/name. */
const ilstItem: BoxDef<Record<string, never>> = container('ilst-item', {
  resolveChild: (type) => (type === 'data' ? data : type === 'mean' ? mean : type === 'name' ? itemName : undefined),
});

/** Apple metadata item list. */
export const ilst = container('ilst', { resolveChild: () => ilstItem });

const keyEntry: Field<{ namespace: string; value: string }> = custom({
  minSize: 8,
  read: (r) => {
    const size = r.u32();
    if (size < 8) r.fail('BAD_VALUE', `keys entry size ${size} is below 8`);
    const namespace = r.fourcc();
    return { namespace, value: r.utf8(size - 8) };
  },
  write: (w, v) => {
    const b = new TextEncoder().encode(v.value);
    w.u32(b.length + 8);
    w.fourcc(v.namespace);
    w.bytes(b);
  },
  size: (v) => 8 + new TextEncoder().encode(v.value).length,
});

/** QuickTime metadata keys (`mdta` handler): item N of `ilst` refers to key N. */
export const keys = fullBox('keys', { fields: { entries: list(u32, keyEntry, 'keys entries') } });

