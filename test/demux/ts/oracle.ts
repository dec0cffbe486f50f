/**
 * ffprobe/ffmpeg 5.1 as the oracle for the TS demuxer: per stream, packet count, PTS/DTS and the
 * payload of every packet (from `ffmpeg -c copy -f data`, cut at ffprobe's packet sizes).
 */
import { execFileSync } from 'node:child_process';
import { sampleBytes } from '../../../src/model/sample-bytes.js';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { ffprobeBin, ffprobeJson } from '../../helpers/ffprobe.js';
import { OWN_SAMPLES, thirdPartyDir } from '../../helpers/samples.js';
import type { Movie, Track } from '../../../src/model/movie.js';
import { splitAnnexB, splitLengthPrefixed } from '../../../src/model/codec/nal.js';

/** Every .ts file of our samples and the third-party corpus. */
export function tsFiles(): Array<{ name: string; path: string }> {
  const walk = (dir: string): string[] =>
    readdirSync(dir)
      .sort()
      .flatMap((n) => {
        const p = join(dir, n);
        return statSync(p).isDirectory() ? walk(p) : /\.(ts|m2ts|mts)$/i.test(n) ? [p] : [];
      });
  const ours = existsSync(OWN_SAMPLES) ? walk(OWN_SAMPLES).map((p) => ({ name: `samples/${relative(OWN_SAMPLES, p)}`, path: p })) : [];
  const tp = thirdPartyDir();
  return [...ours, ...walk(tp).map((p) => ({ name: `thirdparty/${relative(tp, p)}`, path: p }))];
}

interface ProbePacket {
  stream_index: number;
  pts?: number;
  dts?: number;
  size: string;
}
interface ProbeStream {
  index: number;
  id?: string;
  codec_name?: string;
  codec_type?: string;
}

/** The result of comparing one stream. */
export interface StreamComparison {
  pid: number;
  codec: string;
  /** ffprobe packets. */
  total: number;
  /** Our samples. */
  ours: number;
  /** Packets whose pts, dts and payload all agree exactly. */
  agreeing: number;
  /**
   * Packets of PES without a DTS where ffmpeg guessed a DTS from its reorder buffer; we use DTS = PTS
   * (13818-1 §2.4.3.7). PTS and payload agree.
   */
  dtsGuesses: number;
  /**
   * MP3/AC-3/E-AC-3 frames after the first of a PES, one tick apart: ffmpeg adds the frame duration
   * rounded down to 90 kHz ticks (it drifts), we add it without drift. Payload agrees.
   */
  oneTickDrift: number;
  timestampMismatches: number;
  payloadMismatches: number;
  /** Our timestamps minus ffprobe's (a multiple of 2^33: ffmpeg subtracts the wrap when the first timestamp is close to it). */
  offset: number;
  firstProblem?: string;
}

/** NAL unit types that are not in our samples: AUD and parameter sets. */
function droppedNal(codec: string, nal: Uint8Array): boolean {
  if (codec === 'h264') {
    const t = nal[0]! & 0x1f;
    return t === 7 || t === 8 || t === 9;
  }
  const t = (nal[0]! >> 1) & 0x3f;
  return t >= 32 && t <= 35;
}

function trimZeros(n: Uint8Array): Uint8Array {
  let e = n.length;
  while (e > 0 && n[e - 1] === 0) e--;
  return n.subarray(0, e);
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** What our sample should equal for an ffprobe packet's bytes (ADTS header stripped for AAC). */
function expectedPayload(codec: string, pkt: Uint8Array): Uint8Array {
  if (codec === 'aac' && pkt.length >= 7 && pkt[0] === 0xff && (pkt[1]! & 0xf0) === 0xf0) return pkt.subarray(pkt[1]! & 1 ? 7 : 9);
  return pkt;
}

/** True when the bits of `needle` appear in `hay` starting at some bit position (a LATM payload need not be byte-aligned). */
function containsBits(hay: Uint8Array, needle: Uint8Array): boolean {
  const n = needle.length;
  for (let bit = 0; bit + n * 8 <= hay.length * 8; bit++) {
    const q = bit >> 3;
    const s = bit & 7;
    let k = 0;
    for (; k < n; k++) {
      const b = ((hay[q + k]! << s) | (s ? (hay[q + k + 1] ?? 0) >> (8 - s) : 0)) & 0xff;
      if (b !== needle[k]) break;
    }
    if (k === n) return true;
  }
  return false;
}

function samePayload(codec: string, ours: Uint8Array, pkt: Uint8Array): boolean {
  // LATM: our sample is the raw AAC frame inside the LOAS frame ffprobe reports as the packet.
  if (codec === 'aac_latm') return ours.length > 0 && ours.length < pkt.length && containsBits(pkt, ours);
  // ffmpeg 5.1 skips a 5-byte metadata AU cell header (13818-1 §2.12.4) even when the PES holds a bare ID3 tag.
  if (codec === 'timed_id3') return sameBytes(ours, pkt) || sameBytes(ours.subarray(5), pkt);
  if (codec === 'h264' || codec === 'hevc') {
    // trailing_zero_8bits (Annex B.1) are not part of a NAL unit: ffmpeg leaves the first zero of the
    // next 4-byte start code at the end of a packet.
    const theirs = splitAnnexB(pkt)
      .map(trimZeros)
      .filter((n) => n.length > 0 && !droppedNal(codec, n));
    let mine: Uint8Array[];
    try {
      mine = splitLengthPrefixed(ours, 4);
    } catch {
      return false;
    }
    return mine.length === theirs.length && mine.every((n, i) => sameBytes(n, theirs[i]!));
  }
  return sameBytes(ours, expectedPayload(codec, pkt));
}

const WRAP = 2 ** 33;
/** ffmpeg parsers that set an integer packet duration (rounded down), which ffmpeg then accumulates. */
const FLOORING_PARSERS = new Set(['mp3', 'mp2', 'ac3', 'eac3']);

/** Compares every stream ffprobe reports with the track of the same PID. */
export function compareWithFfprobe(path: string, movie: Movie): StreamComparison[] | undefined {
  const probe = ffprobeJson(path, ['-show_packets', '-show_streams']);
  if (!probe) return undefined;
  const streams = (probe.streams as ProbeStream[] | undefined) ?? [];
  const packets = (probe.packets as ProbePacket[] | undefined) ?? [];
  const out: StreamComparison[] = [];
  for (const st of streams) {
    const pid = Number.parseInt(st.id ?? '', 16);
    const track: Track | undefined = movie.tracks.find((t) => t.id === pid);
    const pk = packets.filter((p) => p.stream_index === st.index);
    const codec = st.codec_name ?? 'unknown';
    const c: StreamComparison = { pid, codec, total: pk.length, ours: track?.samples.count ?? -1, agreeing: 0, dtsGuesses: 0, oneTickDrift: 0, timestampMismatches: 0, payloadMismatches: 0, offset: 0 };
    out.push(c);
    if (!track) continue;
    // Packet bytes straight from ffmpeg's demuxer + parser, cut at ffprobe's sizes.
    const bytes = pk.length === 0 ? new Uint8Array(0) : new Uint8Array(execFileSync(ffprobeBin().replace(/ffprobe$/, 'ffmpeg'), ['-v', 'quiet', '-i', path, '-map', `0:${st.index}`, '-c', 'copy', '-copyinkf', '-f', 'data', '-'], { maxBuffer: 1 << 30 }));
    const s = track.samples;
    const firstDts = pk.find((p) => p.dts !== undefined)?.dts;
    if (s.count > 0 && firstDts !== undefined) {
      const i = pk.findIndex((p) => p.dts !== undefined);
      if (i < s.count) c.offset = Math.round((s.dts[i]! - firstDts) / WRAP) * WRAP;
    }
    let o = 0;
    for (let i = 0; i < pk.length; i++) {
      const p = pk[i]!;
      const size = Number(p.size);
      const pkt = bytes.subarray(o, o + size);
      o += size;
      if (i >= s.count) continue;
      const dts = s.dts[i]!;
      const pts = dts + s.ctsOffset[i]!;
      const same = (theirs: number | undefined, ours: number): boolean => theirs === undefined || theirs + c.offset === ours;
      const near = (theirs: number | undefined, ours: number): boolean => theirs === undefined || Math.abs(theirs + c.offset - ours) <= 1;
      const exact = same(p.dts, dts) && same(p.pts, pts);
      const guessed = !exact && same(p.pts, pts) && s.ctsOffset[i] === 0;
      const drift = !exact && FLOORING_PARSERS.has(codec) && near(p.dts, dts) && near(p.pts, pts);
      const sample = sampleBytes(track, i);
      const payloadOk = samePayload(codec, sample, pkt);
      if (!exact && !guessed && !drift) c.timestampMismatches++;
      if (!payloadOk) c.payloadMismatches++;
      if (payloadOk && exact) c.agreeing++;
      else if (payloadOk && guessed) c.dtsGuesses++;
      else if (payloadOk && drift) c.oneTickDrift++;
      else if (c.firstProblem === undefined) {
        c.firstProblem = `#${i}: ffprobe pts=${p.pts} dts=${p.dts} size=${size}; ours pts=${pts - c.offset} dts=${dts - c.offset} size=${s.size[i]}${payloadOk ? '' : ' (payload differs)'}`;
      }
    }
  }
  return out;
}
