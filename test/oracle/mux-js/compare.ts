/**
 * Holds one of our tracks against mux.js's samples of the same type.
 *
 * Samples are matched by payload, not by position or time: mux.js drops and reorders nothing on good input, but
 * it drops frames we keep (before the first IDR, after a lost AUD…) and it may retime a sample, so matching by
 * bytes tells "the same sample" apart from "a sample at the same time". Matching keeps order: each mux.js sample
 * is paired with the first of our samples, after the previous pair, that has the same payload.
 *
 * Payloads compared:
 * - audio: the raw frame (AAC without its ADTS header) — byte-exact on both sides;
 * - video (H.264): mux.js writes every NAL unit of the access unit as 4-byte length + NAL, including the access
 *   unit delimiter (type 9) and the SPS/PPS (7/8) it saw in the stream; we keep parameter sets in the sample
 *   description and drop delimiters. So mux.js's sample minus its NAL units of types 9, 7, 8 (and 13, SPS
 *   extension; 10/11, end of sequence/stream, which mux.js also carries along) must equal ours byte for byte.
 *
 * Timestamps (90 kHz): mux.js with keepOriginalTimestamps writes the PES values as baseMediaDecodeTime, so video
 * dts/pts agree exactly, up to one constant multiple of 2^33 per track (we unwrap a stream that starts just
 * before the 33-bit wrap into negative values; mux.js keeps the raw 33-bit value). Its audio track runs on the
 * sample-rate clock: baseMediaDecodeTime = floor(firstDts × rate / 90000) and every frame lasts 1024 samples,
 * so its 90 kHz times can lie up to 90000/rate ticks below the PES time (4.1 ticks at 22.05 kHz); we round
 * to 90 kHz ticks. The audio tolerance is therefore 90000/rate + 1 ticks.
 */
import type { Track } from '../../../src/model/movie.js';
import { sampleBytes } from '../../../src/model/sample-bytes.js';
import type { PeerSample, PeerTrack } from './muxjs.js';

export const WRAP = 2 ** 33;

/** A sample of ours on the 90 kHz clock with its payload. */
export interface OurSample {
  dts: number;
  pts: number;
  size: number;
  sync: boolean;
  bytes: Uint8Array;
}

/** Our track's samples, rescaled to 90 kHz (TS tracks already are). */
export function ourSamples(track: Track): OurSample[] {
  const s = track.samples;
  const scale = 90000 / track.timescale;
  const out: OurSample[] = [];
  for (let i = 0; i < s.count; i++) {
    out.push({
      dts: s.dts[i]! * scale,
      pts: (s.dts[i]! + s.ctsOffset[i]!) * scale,
      size: s.size[i]!,
      sync: (s.flags[i]! & 1) !== 0,
      bytes: sampleBytes(track, i),
    });
  }
  return out;
}

/** NAL unit types mux.js keeps inside H.264 samples that we keep out of them. */
const STRIPPED_H264 = new Set([7, 8, 9, 10, 11, 13]);

/** mux.js's H.264 sample without delimiters/parameter sets, still 4-byte length-prefixed. */
export function stripH264(sample: Uint8Array): Uint8Array {
  const kept: Uint8Array[] = [];
  let p = 0;
  while (p + 4 <= sample.length) {
    const len = ((sample[p]! << 24) >>> 0) + (sample[p + 1]! << 16) + (sample[p + 2]! << 8) + sample[p + 3]!;
    const end = Math.min(sample.length, p + 4 + len);
    const type = len > 0 ? sample[p + 4]! & 0x1f : -1;
    if (!STRIPPED_H264.has(type)) kept.push(sample.subarray(p, end));
    p = end;
  }
  const out = new Uint8Array(kept.reduce((n, k) => n + k.length, 0));
  let at = 0;
  for (const k of kept) {
    out.set(k, at);
    at += k.length;
  }
  return out;
}

function hash(b: Uint8Array): string {
  let h = 0x811c9dc5;
  const step = Math.max(1, Math.floor(b.length / 256));
  for (let i = 0; i < b.length; i += step) h = Math.imul(h ^ b[i]!, 0x01000193);
  return `${b.length}:${h >>> 0}`;
}

function equal(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** One matched pair: indices and the timestamp differences (ours − mux.js, after the 2^33 offset). */
export interface Pair {
  peer: number;
  ours: number;
  dDts: number;
  dPts: number;
}

/** The comparison of one track type on one file. */
export interface TrackComparison {
  peerCount: number;
  ourCount: number;
  /** mux.js samples whose payload we also have (in order). */
  matched: number;
  /** Matched samples whose dts and pts agree within the tolerance. */
  timesAgree: number;
  /** Matched samples where mux.js's sync flag equals ours. */
  syncAgree: number;
  /** The constant offset (multiple of 2^33) ours − mux.js. */
  offset: number;
  /** Tolerance in ticks used for dts/pts. */
  tolerance: number;
  /** mux.js samples with no payload match in ours (indices). */
  unmatched: number[];
  /** Matched pairs whose timestamps disagree. */
  disagreeing: Pair[];
  pairs: Pair[];
}

/** mux.js's composition offsets are written in trun v0 (unsigned): a negative one reads as ~2^32. */
export function peerPts(s: PeerSample): number {
  const off = s.pts - s.dts;
  return off >= 2 ** 31 ? s.pts - 2 ** 32 : s.pts;
}

export function compareTrack(kind: 'video' | 'audio', peer: PeerTrack, ours: OurSample[]): TrackComparison {
  const payload = (s: PeerSample): Uint8Array => (kind === 'video' && peer.codec.startsWith('avc') ? stripH264(s.bytes) : s.bytes);
  const index = new Map<string, number[]>();
  ours.forEach((o, i) => {
    const k = hash(o.bytes);
    const list = index.get(k);
    if (list) list.push(i);
    else index.set(k, [i]);
  });
  const tolerance = kind === 'video' ? 0 : 90000 / peer.timescale + 1;
  const pairs: Pair[] = [];
  const unmatched: number[] = [];
  let last = -1;
  peer.samples.forEach((s, pi) => {
    const b = payload(s);
    const cands = index.get(hash(b)) ?? [];
    const oi = cands.find((i) => i > last && equal(ours[i]!.bytes, b));
    if (oi === undefined) {
      unmatched.push(pi);
      return;
    }
    last = oi;
    pairs.push({ peer: pi, ours: oi, dDts: ours[oi]!.dts - s.dts, dPts: ours[oi]!.pts - peerPts(s) });
  });
  // The offset: the multiple of 2^33 nearest to the first pair's dts difference.
  const offset = pairs.length > 0 ? Math.round(pairs[0]!.dDts / WRAP) * WRAP : 0;
  const disagreeing: Pair[] = [];
  let syncAgree = 0;
  for (const p of pairs) {
    p.dDts -= offset;
    p.dPts -= offset;
    if (Math.abs(p.dDts) > tolerance || Math.abs(p.dPts) > tolerance) disagreeing.push(p);
    if (peer.samples[p.peer]!.sync === ours[p.ours]!.sync) syncAgree++;
  }
  return {
    peerCount: peer.samples.length,
    ourCount: ours.length,
    matched: pairs.length,
    timesAgree: pairs.length - disagreeing.length,
    syncAgree,
    offset,
    tolerance,
    unmatched,
    disagreeing,
    pairs,
  };
}
