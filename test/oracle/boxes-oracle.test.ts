/**
 * Oracle check: two independent parsers (mp4box.js, codem-isoboxer) must see the same boxes as ours.
 *
 * - Top level: the sequence of (type, offset, size) is identical for every sample.
 * - Nested: every box a peer reports exists in our tree at the same offset with the same type and size, or
 *   lies inside a box we deliberately did not descend (opaque or leaf: counted and printed, not failed).
 * - Every disagreement is an explicit, narrow exception below (peer + file + box path + reason).
 */
import { parseTree, type Box } from '../../boxes/tree.js';
import { BoxwrightError } from '../../src/io/errors.js';
import { isoSamples } from '../helpers/samples.js';
import { PEERS, type PeerBox, type PeerName, type PeerResult } from './peers.js';

/** Samples whose structure is deliberately broken: our parser must refuse them. */
const BROKEN: Record<string, string> = {
  'thirdparty/mp4ff/init_truncated.mp4': 'cut at 100 bytes inside moov (box extends past the end of the file)',
};

/**
 * Known peer failures and disagreements (all judged to be peer bugs or peer limits).
 * - `throws`: the peer throws while parsing the box at `path`; it must have stopped there: its top-level list
 *   is a prefix of ours that ends before the top-level box holding `path`. What it did parse is compared.
 * - `box`: the peer reports the box at `path` (type, offset, size) differently from our tree.
 */
interface PeerException {
  peer: PeerName;
  file: string;
  kind: 'throws' | 'box';
  path: string;
  /** For `throws`: what the peer's error message says. */
  error?: RegExp;
  reason: string;
}

const EXCEPTIONS: PeerException[] = [
  {
    peer: 'mp4box',
    file: 'thirdparty/mediabunny/annex-b.mp4',
    kind: 'throws',
    path: 'moov/trak/mdia/minf/stbl/stsd/avc1/avcC',
    error: /Invalid typed array length: 29552/,
    reason: 'the avcC is empty (8-byte box, Annex-B stream); mp4box.js reads a configuration record past its end and throws RangeError, losing moov',
  },
  {
    peer: 'mp4box',
    file: 'thirdparty/mux.js/test-webvtt-init.mp4',
    kind: 'throws',
    path: 'moov/trak/mdia/elng',
    error: /Invalid typed array length: -1/,
    reason: "the 11-byte elng holds 'en\\0' without a FullBox header; mp4box.js reads a string of length -1 and throws RangeError, losing moov",
  },
  {
    peer: 'isoboxer',
    file: 'thirdparty/mux.js/test-webvtt-init.mp4',
    kind: 'throws',
    path: 'moov/trak/mdia/elng',
    error: /Offset is outside the bounds of the DataView/,
    reason: "the 11-byte elng holds 'en\\0' without a FullBox header; isoboxer reads past its DataView and throws RangeError, losing moov",
  },
];

const samples = isoSamples();

interface OurBox {
  path: string;
  box: Box;
  offset: number;
  size: number;
  end: number;
}

function flatten(boxes: Box[]): OurBox[] {
  const out: OurBox[] = [];
  const walk = (list: Box[] | undefined, parent: string): void => {
    for (const box of list ?? []) {
      const path = parent ? `${parent}/${box.type}` : box.type;
      const offset = box.offset ?? -1;
      const size = box.size ?? -1;
      out.push({ path, box, offset, size, end: offset + size });
      walk(box.children, path);
    }
  };
  walk(boxes, '');
  return out;
}

const show = (b: { type: string; offset: number; size: number }): string => `${b.type}@${b.offset}+${b.size}`;

/** Totals over the corpus, printed and checked at the end. */
interface Totals {
  compared: number;
  topLevel: number;
  notDescended: number;
  /** "our parent type (opaque|leaf) > peer box type" → count. */
  notDescendedBy: Map<string, number>;
  excused: number;
  files: number;
}
const totals: Record<PeerName, Totals> = {
  mp4box: { compared: 0, topLevel: 0, notDescended: 0, notDescendedBy: new Map(), excused: 0, files: 0 },
  isoboxer: { compared: 0, topLevel: 0, notDescended: 0, notDescendedBy: new Map(), excused: 0, files: 0 },
};
const usedExceptions = new Set<PeerException>();
const PEER_NAMES: PeerName[] = ['mp4box', 'isoboxer'];

function exceptionsFor(peer: PeerName, file: string): PeerException[] {
  return EXCEPTIONS.filter((e) => e.peer === peer && e.file === file);
}

describe.each(samples.map((s) => [s.name, s] as const))('%s', (name, s) => {
  if (BROKEN[name]) {
    test(`our parser refuses it with BoxwrightError (${BROKEN[name]})`, () => {
      expect(() => parseTree(s.data)).toThrow(BoxwrightError);
    });
    return;
  }

  let ours: OurBox[] | undefined;
  let top: Box[] = [];
  const ourTree = (): OurBox[] => {
    if (!ours) {
      top = parseTree(s.data).boxes;
      ours = flatten(top);
    }
    return ours;
  };
  const peerResults = new Map<PeerName, PeerResult>();
  const peer = (p: PeerName): PeerResult => {
    let r = peerResults.get(p);
    if (!r) {
      r = PEERS[p](s.data);
      peerResults.set(p, r);
    }
    return r;
  };

  describe.each(PEER_NAMES)('%s', (p) => {
    const excs = exceptionsFor(p, name);
    const throwsExc = excs.find((e) => e.kind === 'throws');

    test('top-level boxes: same types, offsets and sizes', () => {
      ourTree();
      const r = peer(p);
      const ourTop = top.map((b) => show({ type: b.type, offset: b.offset ?? -1, size: b.size ?? -1 }));
      const peerTop = r.boxes.filter((b) => b.depth === 0).map(show);
      if (throwsExc) {
        usedExceptions.add(throwsExc);
        // It must really throw, on a box we do see, and have stopped right before the top-level box holding it.
        expect(r.thrown).toMatch(throwsExc.error ?? /./);
        expect(ourTree().map((o) => o.path)).toContain(throwsExc.path);
        const stopType = throwsExc.path.split('/')[0];
        expect(peerTop).toEqual(ourTop.slice(0, peerTop.length));
        expect(top[peerTop.length]?.type).toBe(stopType);
      } else {
        expect({ thrown: r.thrown, top: peerTop }).toEqual({ thrown: undefined, top: ourTop });
      }
      totals[p].topLevel += peerTop.length;
      totals[p].files += 1;
    });

    test('nested boxes: each one the peer reports is in our tree (or under a box we keep opaque)', () => {
      const flat = ourTree();
      const r = peer(p);
      const byOffset = new Map<number, OurBox[]>();
      for (const o of flat) {
        const list = byOffset.get(o.offset);
        if (list) list.push(o);
        else byOffset.set(o.offset, [o]);
      }
      const t = totals[p];
      const mismatches: string[] = [];
      for (const b of r.boxes) {
        if (b.depth === 0) continue;
        if ((byOffset.get(b.offset) ?? []).some((o) => o.box.type === b.type && o.size === b.size)) {
          t.compared += 1;
          continue;
        }
        const excused = excs.find((e) => e.kind === 'box' && e.path === b.path);
        if (excused) {
          usedExceptions.add(excused);
          t.excused += 1;
          continue;
        }
        // The innermost of our boxes whose body holds the peer box's start.
        let enclosing: OurBox | undefined;
        for (const o of flat) if (o.offset < b.offset && b.offset < o.end && (!enclosing || o.offset > enclosing.offset)) enclosing = o;
        if (enclosing && !enclosing.box.children && b.offset + b.size <= enclosing.end) {
          t.notDescended += 1;
          const key = `${enclosing.box.type} (${enclosing.box.raw ? 'opaque' : 'leaf'}) > ${b.type}`;
          t.notDescendedBy.set(key, (t.notDescendedBy.get(key) ?? 0) + 1);
          continue;
        }
        const atOffset = (byOffset.get(b.offset) ?? []).map((o) => `${o.path}+${o.size}`);
        mismatches.push(`${b.path} ${show(b)}: ours at that offset [${atOffset.join(', ')}], innermost enclosing ${enclosing?.path ?? '(none)'}`);
      }
      if (mismatches.length) {
        const notes = r.messages.slice(0, 5).map((m) => `  peer said: ${m}`);
        throw new Error(`${p} disagrees with our tree on ${name}:\n${[...mismatches, ...notes].join('\n')}`);
      }
    });
  });
});

test('oracle totals', () => {
  const lines: string[] = [];
  for (const p of PEER_NAMES) {
    const t = totals[p];
    lines.push(
      `${p}: ${t.files} files, ${t.topLevel} top-level boxes + ${t.compared} nested boxes identical to ours; ` +
        `${t.notDescended} boxes inside boxes we do not descend; ${t.excused} excused by exceptions`,
    );
    // One line per parent we did not descend: "avc1 (opaque): avcC ×42, pasp ×32".
    const byParent = new Map<string, string[]>();
    for (const [k, n] of [...t.notDescendedBy].sort((a, b) => b[1] - a[1])) {
      const [parent = '', child = ''] = k.split(' > ');
      byParent.set(parent, [...(byParent.get(parent) ?? []), `${child} ×${n}`]);
    }
    for (const [parent, kids] of byParent) lines.push(`    not descended by us: ${parent}: ${kids.join(', ')}`);
  }
  const stale = EXCEPTIONS.filter((e) => !usedExceptions.has(e));
  for (const e of stale) lines.push(`unused exception (${e.kind}): ${e.peer} ${e.file} ${e.path}`);
  console.log(lines.join('\n'));

  // Every sample was checked against both peers (this test runs after the per-sample ones).
  const checked = samples.length - Object.keys(BROKEN).length;
  expect([totals.mp4box.files, totals.isoboxer.files]).toEqual([checked, checked]);
  // Floors a little under the measured counts (mp4box 521 top-level + 4090 nested, isoboxer 522 + 3774):
  // a drop means a peer or our parser stopped seeing boxes.
  expect(totals.mp4box.topLevel).toBeGreaterThan(500);
  expect(totals.mp4box.compared).toBeGreaterThan(3900);
  expect(totals.isoboxer.topLevel).toBeGreaterThan(500);
  expect(totals.isoboxer.compared).toBeGreaterThan(3600);
  // A `throws` exception depends only on the (pinned) peer: it must still happen.
  expect(stale.filter((e) => e.kind === 'throws')).toEqual([]);
});
