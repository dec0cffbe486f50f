/**
 * Raw AC-3 and E-AC-3 elementary streams (`.ac3`, `.ec3`, `.eac3`, HLS packed audio) → {@link Movie}.
 *
 * ATSC A/52 §5 (AC-3 sync frames), Annex E (E-AC-3 substreams) and ETSI TS 102 366 Annex F
 * (the dac3 / dec3 configuration records an MP4 sample entry carries).
 */
import { BitReader } from '../../io/bit-reader.js';
import { BoxwrightError } from '../../io/errors.js';
import type { Movie, SampleDescription } from '../../model/movie.js';
import { SampleTableBuilder, SYNC } from '../../model/sample-table.js';
import type { Dac3, Dec3, Ec3Substream } from '../../../boxes/families/audio-config.js';
import { dac3Info, dec3Info, parseAc3FrameHeader, type Ac3FrameHeader } from '../../model/codec/ac3.js';
import { id3v2TagSize, skipLeadingId3 } from './id3.js';
import { esMovie, noFrames, ticksFrom90k, type EsFraming } from './track.js';

const PATH = 'ac3';

/** One sync frame with the header fields the dac3/dec3 records need beyond {@link Ac3FrameHeader}. */
export interface Frame {
  offset: number;
  h: Ac3FrameHeader;
  /** fscod as coded (E-AC-3 with fscod 3: fscod2, as ffmpeg puts it in dec3). */
  fscod: number;
  /** AC-3 frmsizecod (dac3 bit_rate_code = frmsizecod >> 1). */
  frmsizecod: number;
  /** E-AC-3 dependent substream chanmap (A/52 Annex E §E.2.3.1.8), when chanmape = 1. */
  chanmap?: number;
}

/**
 * Header at `p`, or undefined when the bytes are not a sync frame. AC-3 with bsid 9/10 runs at half/quarter
 * the fscod rate (not in A/52; ffmpeg's ac3_parser sr_shift = bsid − 8): rescaled here, the shared parser
 * assumes full rate.
 */
function frameAt(d: Uint8Array, p: number): Frame | undefined {
  if (d[p] !== 0x0b || d[p + 1] !== 0x77 || p + 8 > d.length) return undefined;
  // Pre-checks so the parser (which throws) only sees plausible headers — exceptions cost microseconds:
  // bsid ≤ 16; AC-3 fscod ≠ 3 and frmsizecod < 38 (A/52 Table 5.18); E-AC-3 fscod2 ≠ 3 (Annex E Table E.2.2).
  const bsid = d[p + 5]! >> 3;
  if (bsid > 16) return undefined;
  if (bsid <= 10 ? d[p + 4]! >> 6 === 3 || (d[p + 4]! & 0x3f) >= 38 : d[p + 4]! >> 4 === 0xf) return undefined;
  let h: Ac3FrameHeader;
  try {
    h = parseAc3FrameHeader(d, p, PATH);
  } catch (e) {
    if (e instanceof BoxwrightError) return undefined;
    throw e;
  }
  if (h.frameSize < 8) return undefined;
  if (h.codec === 'ac3') {
    if (h.bsid > 8) h = { ...h, sampleRate: h.sampleRate >> (h.bsid - 8), bitRate: h.bitRate >> (h.bsid - 8) };
    return { offset: p, h, fscod: d[p + 4]! >> 6, frmsizecod: d[p + 4]! & 0x3f };
  }
  const f: Frame = { offset: p, h, fscod: 0, frmsizecod: 0 };
  try {
    readEac3Bsi(d.subarray(p, Math.min(d.length, p + h.frameSize)), p, f);
  } catch (e) {
    if (e instanceof BoxwrightError) return undefined;
    throw e;
  }
  return f;
}

/** E-AC-3 bsi() up to chanmap (A/52 Annex E §E.2.2.2): the coded fscod and a dependent substream's chanmap. */
function readEac3Bsi(d: Uint8Array, offset: number, f: Frame): void {
  const r = new BitReader(d, offset, PATH);
  r.skip(16 + 2 + 3 + 11); // syncword, strmtyp, substreamid, frmsiz
  const fscod = r.bits(2);
  f.fscod = fscod === 3 ? r.bits(2) : (r.skip(2), fscod); // fscod2 or numblkscod
  const acmod = r.bits(3);
  r.skip(1 + 5 + 5); // lfeon, bsid, dialnorm
  if (r.flag()) r.skip(8); // compre → compr
  if (acmod === 0) {
    r.skip(5); // dialnorm2
    if (r.flag()) r.skip(8); // compr2e → compr2
  }
  if (f.h.streamType === 1 && r.flag()) f.chanmap = r.bits(16);
}

/** True when frame `f` is followed by the end of the data, an ID3 tag or another sync frame (resync check). */
function confirmed(d: Uint8Array, f: Frame): boolean {
  const next = f.offset + f.h.frameSize;
  return next >= d.length || id3v2TagSize(d, next) > 0 || frameAt(d, next) !== undefined;
}

/** The `dac3` value (TS 102 366 §F.4) of an AC-3 frame: bit_rate_code = frmsizecod >> 1. */
function buildDac3(f: Frame): Dac3 {
  const { bsid, bsmod, acmod, lfeon } = f.h;
  return { fscod: f.fscod, bsid: bsid & 0x1f, bsmod: bsmod & 7, acmod, lfeon: lfeon ? 1 : 0, bitRateCode: f.frmsizecod >> 1 };
}

/**
 * The `dec3` value (TS 102 366 §F.6) from the frames of one access unit and the stream's data_rate (kbit/s):
 * per independent substream fscod, bsid, asvc = 0, bsmod (0: it sits in the optional informational metadata,
 * not parsed), acmod, lfeon, num_dep_sub and chan_loc — the OR of its dependent substreams' chanmap bits 5..13,
 * as ffmpeg's MP4 muxer computes it.
 */
function buildDec3(frames: readonly Frame[], dataRateKbps: number): Dec3 {
  const subs: Array<{ f: Frame; deps: number; chanLoc: number }> = [];
  for (const f of frames) {
    if (f.h.streamType === 1) {
      const s = subs[subs.length - 1];
      if (!s) continue;
      s.deps++;
      s.chanLoc |= ((f.chanmap ?? 0) >> 5) & 0x1ff;
    } else if (subs.length < 8) {
      subs.push({ f, deps: 0, chanLoc: 0 });
    }
  }
  return {
    dataRate: Math.min(0x1fff, dataRateKbps),
    independentSubstreams: subs.map(({ f, deps, chanLoc }): Ec3Substream => {
      const s: Ec3Substream = { fscod: f.fscod, bsid: f.h.bsid, asvc: 0, bsmod: f.h.bsmod & 7, acmod: f.h.acmod, lfeon: f.h.lfeon ? 1 : 0, numDepSub: Math.min(15, deps) };
      if (deps > 0) s.chanLoc = chanLoc;
      return s;
    }),
  };
}

/** Whether frame `f` starts an access unit: every AC-3 frame and every E-AC-3 independent substream 0 (see {@link demuxAc3}). */
function startsUnit(f: Frame): boolean {
  return !(f.h.codec === 'eac3' && (f.h.streamType === 1 || (f.h.substreamId ?? 0) !== 0));
}

/**
 * AC-3 / E-AC-3 frame finding for incremental readers (see {@link EsFraming}): the same sync frames and
 * access units as {@link demuxAc3}; a frame of the same codec and rate as the first is trusted right after a frame.
 */
export const ac3Framing: EsFraming<Frame> = {
  headerAt: frameAt,
  frameLength: (f) => f.h.frameSize,
  confirmed: (d, _p, f) => confirmed(d, f),
  sameStream: (a, b) => a.h.codec === b.h.codec && a.h.sampleRate === b.h.sampleRate,
  startsUnit,
  sampleRate: (f) => f.h.sampleRate,
  unitSamples: (f) => f.h.samples,
};

/**
 * Demuxes AC-3 or E-AC-3. Leading ID3v2 tags are skipped (an HLS `transportStreamTimestamp` PRIV frame,
 * RFC 8216 §3.4, gives the first dts), so are ID3 tags between frames and garbage (resync on 0x0B77 whose
 * frame is followed by another sync frame). A final frame cut short keeps the bytes that remain, as in ffprobe.
 *
 * AC-3: one sync frame = one sample of 1536 samples. E-AC-3: one sample = an independent substream-0 frame
 * plus the dependent (and further independent) substream frames that follow it — one access unit, which is
 * what ffmpeg's parser emits as a packet — lasting numblks × 256 samples. Frames with fewer than 6 blocks are
 * not grouped into 1536-sample units (ffprobe does not either; an MP4 writer following TS 102 366 F.2 must).
 * Timescale = sample rate. `config` = the dac3 / dec3 value built from the first access unit.
 * Throws {@link BoxwrightError} UNSUPPORTED_FORMAT when there is no sync frame.
 */
export function demuxAc3(data: Uint8Array): Movie {
  const lead = skipLeadingId3(data);
  const table = new SampleTableBuilder(Math.max(16, Math.min(1 << 16, data.length >> 9)));
  let firstUnit: Frame[] | undefined;
  let firstFrame: Frame | undefined;
  let maxKbps = 0;
  let unit: Frame[] = [];
  let dts = 0;
  let timescale = 0;
  const flush = (): void => {
    if (unit.length === 0) return;
    const head = unit[0]!;
    const last = unit[unit.length - 1]!;
    const end = Math.min(data.length, last.offset + last.h.frameSize);
    if (firstUnit === undefined) {
      firstUnit = unit;
      timescale = head.h.sampleRate;
      if (lead.timestamp90k !== undefined) dts = ticksFrom90k(lead.timestamp90k, timescale);
    }
    // dec3 data_rate: the highest access-unit rate, each frame's rate rounded down as ffmpeg's ac3_parser
    // does (8 · frame size · rate / samples); ffmpeg's MP4 muxer keeps the maximum over the stream too.
    let bits = 0;
    for (const f of unit) bits += Math.floor((8 * f.h.frameSize * f.h.sampleRate) / f.h.samples);
    maxKbps = Math.max(maxKbps, Math.floor(bits / 1000));
    table.push(dts, 0, head.h.samples, end - head.offset, head.offset, SYNC, 0);
    dts += head.h.samples;
    unit = [];
  };
  let p = lead.end;
  let synced = false;
  while (p < data.length) {
    const tag = id3v2TagSize(data, p);
    if (tag > 0) {
      flush();
      p = Math.min(data.length, p + tag);
      continue;
    }
    const f = frameAt(data, p);
    // Right after a frame, a frame of the same stream is trusted even when junk follows it.
    if (f === undefined || !(confirmed(data, f) || (synced && firstFrame !== undefined && f.h.codec === firstFrame.h.codec && f.h.sampleRate === firstFrame.h.sampleRate))) {
      flush();
      synced = false;
      p++;
      continue;
    }
    synced = true;
    firstFrame ??= f;
    // A new access unit starts at every AC-3 frame and at every E-AC-3 independent substream 0.
    // (An AC-3 core followed by E-AC-3 dependent substreams, A/52 Annex E §E.1.3.1.1, is one unit too.)
    const joins = unit.length > 0 && !startsUnit(f);
    if (!joins) flush();
    if (unit.length > 0 || f.h.streamType !== 1) unit.push(f); // a dependent frame with nothing to depend on is dropped
    p = Math.min(data.length, p + f.h.frameSize);
  }
  flush();
  if (firstUnit === undefined) noFrames('AC-3', data, PATH);
  const head = firstUnit[0]!;
  const eac3 = firstUnit.some((f) => f.h.codec === 'eac3');
  const dec3 = eac3 ? buildDec3(firstUnit, maxKbps) : undefined;
  const dac3 = eac3 ? undefined : buildDac3(head);
  const info = dec3 ? dec3Info(dec3, 0, PATH) : dac3Info(dac3!, 0, PATH);
  const description: SampleDescription = {
    entryType: eac3 ? 'ec-3' : 'ac-3',
    format: eac3 ? 'ec-3' : 'ac-3',
    codec: eac3 ? 'eac3' : 'ac3',
    config: dec3 ? { kind: 'eac3', dec3 } : { kind: 'ac3', dac3: dac3! },
    sampleRate: head.h.sampleRate,
    channels: info.channels,
    sampleSize: 16,
    avgBitrate: eac3 ? info.bitRate : head.h.bitRate,
  };
  return esMovie({ container: eac3 ? 'eac3' : 'ac3', description, timescale, samples: table.build(), data });
}
