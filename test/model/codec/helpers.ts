/**
 * Test helpers for the codec parsers: find config boxes by scanning raw file bytes (no box layer),
 * split avcC/hvcC records into NAL units, and run ffprobe 5.1 as the oracle.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BoxwrightError } from '../../../src/io/errors.js';
import { parseTree } from '../../../boxes/tree.js';
import type { BoxType, BoxValueMap } from '../../../boxes/registry.js';
import { OWN_SAMPLES, thirdPartyDir } from '../../helpers/samples.js';

export const FFPROBE = '/usr/bin/ffprobe';

/** Absolute path of a sample: 'samples/x.mp4' or 'thirdparty/dir/x.mp4'. */
export function samplePath(name: string): string {
  if (name.startsWith('samples/')) return join(OWN_SAMPLES, name.slice('samples/'.length));
  if (name.startsWith('thirdparty/')) return join(thirdPartyDir(), name.slice('thirdparty/'.length));
  if (name.startsWith('/')) return name;
  throw new Error(`unknown sample ${name}`);
}

export function readSample(name: string): Uint8Array {
  return new Uint8Array(readFileSync(samplePath(name)));
}

/** Every payload (after the 8-byte header) of boxes with this fourcc, found by scanning for the type. */
export function findBoxPayloads(data: Uint8Array, fourcc: string): Uint8Array[] {
  const t = [...fourcc].map((c) => c.charCodeAt(0));
  const out: Uint8Array[] = [];
  for (let i = 4; i + 4 <= data.length; i++) {
    if (data[i] !== t[0] || data[i + 1] !== t[1] || data[i + 2] !== t[2] || data[i + 3] !== t[3]) continue;
    const size = ((data[i - 4]! << 24) | (data[i - 3]! << 16) | (data[i - 2]! << 8) | data[i - 1]!) >>> 0;
    if (size < 8 || i - 4 + size > data.length) continue;
    out.push(data.subarray(i + 4, i - 4 + size));
  }
  return out;
}

export function firstBoxPayload(data: Uint8Array, fourcc: string): Uint8Array {
  const p = findBoxPayloads(data, fourcc)[0];
  if (!p) throw new Error(`no ${fourcc} box found`);
  return p;
}

/**
 * The value of a `type` box whose body is `payload`, decoded by its box definition (strict: a body that does not
 * fit throws BoxwrightError, as does a version the definition keeps opaque).
 */
export function decodeBox<T extends BoxType>(type: T, payload: Uint8Array): BoxValueMap[T] {
  const bytes = new Uint8Array(8 + payload.length);
  new DataView(bytes.buffer).setUint32(0, bytes.length);
  for (let i = 0; i < 4; i++) bytes[4 + i] = type.charCodeAt(i);
  bytes.set(payload, 8);
  const box = parseTree(bytes, { strict: true }).boxes[0]!;
  if (box.value === undefined) throw new BoxwrightError('BAD_VALUE', `${type} kept opaque`, 0, type);
  return box.value as BoxValueMap[T];
}

/** The value of the first `type` box in a file. */
export function firstBoxValue<T extends BoxType>(data: Uint8Array, type: T): BoxValueMap[T] {
  return decodeBox(type, firstBoxPayload(data, type));
}

/** SPS and PPS NAL units of an AVCDecoderConfigurationRecord (ISO 14496-15 §5.3.3.1). */
export function avcCNals(avcC: Uint8Array): { sps: Uint8Array[]; pps: Uint8Array[] } {
  let p = 5;
  const nSps = avcC[p++]! & 0x1f;
  const sps: Uint8Array[] = [];
  for (let i = 0; i < nSps; i++) {
    const len = (avcC[p]! << 8) | avcC[p + 1]!;
    sps.push(avcC.subarray(p + 2, p + 2 + len));
    p += 2 + len;
  }
  const nPps = avcC[p++]!;
  const pps: Uint8Array[] = [];
  for (let i = 0; i < nPps; i++) {
    const len = (avcC[p]! << 8) | avcC[p + 1]!;
    pps.push(avcC.subarray(p + 2, p + 2 + len));
    p += 2 + len;
  }
  return { sps, pps };
}

/** NAL units of an HEVCDecoderConfigurationRecord (ISO 14496-15 §8.3.3.1), by type. */
export function hvcCNals(hvcC: Uint8Array): Map<number, Uint8Array[]> {
  const out = new Map<number, Uint8Array[]>();
  let p = 22;
  const nArrays = hvcC[p++]!;
  for (let a = 0; a < nArrays; a++) {
    const type = hvcC[p]! & 0x3f;
    const n = (hvcC[p + 1]! << 8) | hvcC[p + 2]!;
    p += 3;
    for (let i = 0; i < n; i++) {
      const len = (hvcC[p]! << 8) | hvcC[p + 1]!;
      const list = out.get(type) ?? [];
      list.push(hvcC.subarray(p + 2, p + 2 + len));
      out.set(type, list);
      p += 2 + len;
    }
  }
  return out;
}

/** DecoderSpecificInfo (the AudioSpecificConfig) inside an esds payload (ISO 14496-1 §7.2.6). */
export function esdsDecoderSpecificInfo(esds: Uint8Array): { objectTypeIndication: number; dsi: Uint8Array | undefined } {
  let p = 4; // FullBox version + flags
  let oti = -1;
  let dsi: Uint8Array | undefined;
  const readLen = (): number => {
    let len = 0;
    for (let k = 0; k < 4; k++) {
      const b = esds[p++]!;
      len = (len << 7) | (b & 0x7f);
      if (!(b & 0x80)) break;
    }
    return len;
  };
  while (p < esds.length) {
    const tag = esds[p++]!;
    const len = readLen();
    if (tag === 0x03) {
      const flags = esds[p + 2]!;
      p += 3;
      if (flags & 0x80) p += 2;
      if (flags & 0x40) p += 1 + esds[p]!;
      if (flags & 0x20) p += 2;
    } else if (tag === 0x04) {
      oti = esds[p]!;
      p += 13;
    } else if (tag === 0x05) {
      dsi = esds.subarray(p, p + len);
      p += len;
    } else {
      p += len;
    }
  }
  return { objectTypeIndication: oti, dsi };
}

export type Stream = Record<string, string | number | undefined>;

const probeCache = new Map<string, Stream[]>();

/** `ffprobe -v error -show_streams -of json FILE` → streams. Fails with an install hint when missing. */
export function ffprobeStreams(name: string): Stream[] {
  const path = samplePath(name);
  const hit = probeCache.get(path);
  if (hit) return hit;
  if (!existsSync(FFPROBE)) throw new Error('ffprobe not found: apt-get install ffmpeg');
  const json = execFileSync(FFPROBE, ['-v', 'error', '-show_streams', '-of', 'json', path], { encoding: 'utf8', maxBuffer: 64 << 20, stdio: ['ignore', 'pipe', 'ignore'] });
  const streams = (JSON.parse(json) as { streams: Stream[] }).streams;
  probeCache.set(path, streams);
  return streams;
}

export function ffprobeStream(name: string, codecType: 'video' | 'audio'): Stream {
  const s = ffprobeStreams(name).find((x) => x.codec_type === codecType);
  if (!s) throw new Error(`${name}: no ${codecType} stream in ffprobe output`);
  return s;
}

export { prng } from '../../fuzz/mutate.js';
import { prng } from '../../fuzz/mutate.js';

/**
 * Feeds every truncation and `flips` random bit-flipped/byte-replaced versions of `input` to `fn`;
 * returns the errors that are not BoxwrightErrors (the test expects none).
 */
export function mutationFailures(input: Uint8Array, fn: (b: Uint8Array) => unknown, flips = 300, seed = 1): string[] {
  const bad: string[] = [];
  const run = (b: Uint8Array, name: string): void => {
    try {
      fn(b);
    } catch (e) {
      if (!(e instanceof BoxwrightError)) bad.push(`${name}: ${String(e)}`);
    }
  };
  for (let cut = 0; cut < input.length; cut++) run(input.slice(0, cut), `truncate@${cut}`);
  const rnd = prng(seed);
  for (let i = 0; i < flips; i++) {
    const b = input.slice();
    const n = 1 + Math.floor(rnd() * 4);
    for (let k = 0; k < n; k++) {
      const at = Math.floor(rnd() * b.length);
      if (rnd() < 0.5) b[at] = b[at]! ^ (1 << Math.floor(rnd() * 8));
      else b[at] = Math.floor(rnd() * 256);
    }
    run(b, `flip#${i}`);
  }
  return bad;
}

/**
 * Minimal MPEG-TS demux for tests: the concatenated packet payloads of each PID, with PES headers
 * removed (so elementary streams come out contiguous; PSI PIDs come out as junk, callers scan).
 */
export function tsPayloads(data: Uint8Array): Map<number, Uint8Array> {
  const parts = new Map<number, Uint8Array[]>();
  for (let p = 0; p + 188 <= data.length; p += 188) {
    if (data[p] !== 0x47) continue;
    const pid = ((data[p + 1]! & 0x1f) << 8) | data[p + 2]!;
    const afc = (data[p + 3]! >> 4) & 3;
    let start = p + 4;
    if (afc === 2 || afc === 0) continue;
    if (afc === 3) start += 1 + data[p + 4]!;
    if (start >= p + 188) continue;
    const pusi = (data[p + 1]! & 0x40) !== 0;
    if (pusi && data[start] === 0 && data[start + 1] === 0 && data[start + 2] === 1 && start + 9 <= p + 188) {
      const sid = data[start + 3]!;
      // ISO 13818-1 §2.4.3.6: streams other than padding/private_2/… carry the optional PES header.
      if (sid !== 0xbc && sid !== 0xbe && sid !== 0xbf) start += 9 + data[start + 8]!;
      if (start >= p + 188) continue;
    }
    const list = parts.get(pid) ?? [];
    list.push(data.subarray(start, p + 188));
    parts.set(pid, list);
  }
  const out = new Map<number, Uint8Array>();
  for (const [pid, list] of parts) {
    const total = list.reduce((a, b) => a + b.length, 0);
    const buf = new Uint8Array(total);
    let o = 0;
    for (const b of list) {
      buf.set(b, o);
      o += b.length;
    }
    out.set(pid, buf);
  }
  return out;
}

/** The elementary bytes to scan: for .ts files the per-PID payloads, else the whole file. */
export function scanTargets(name: string): Uint8Array[] {
  const data = readSample(name);
  return name.endsWith('.ts') ? [...tsPayloads(data).values()] : [data];
}
