/**
 * MPEG-2 transport stream writer (ISO/IEC 13818-1): one program with the chosen audio/video tracks.
 *
 * Layout: PAT (PID 0) and PMT (PID {@link PMT_PID}) first and again before every video keyframe and at
 * least every 0.5 s; elementary streams on PIDs 0x100 + position in the chosen list, one PES per sample
 * in DTS order. Timestamps: PTS/DTS = sample time in 90 kHz + 1.4 s ({@link TIMESTAMP_OFFSET_90K}), and
 * the PCR (on the first video PID, else the first audio PID) = DTS − 0.7 s in the first packet of
 * each PES of that PID — the same values `ffmpeg -c copy -f mpegts` writes. Edit lists are not applied.
 *
 * The whole output is measured first (exact packet count), allocated once and written.
 */
import { BoxwrightError } from '../../io/errors.js';
import type { Movie } from '../../model/movie.js';
import { isSync } from '../../model/sample-table.js';
import type { EsSource } from './es-source.js';
import {
  ContinuityCounters,
  PACKET_SIZE,
  adaptationFieldSize,
  packetCount,
  sectionPacketCount,
  writePesPackets,
  writeSectionPackets,
  type FirstPacketFlags,
} from './packets.js';
import { pesHeaderSize, writePesHeader } from './pes.js';
import { PAT_PID, patSection, pmtSection } from './psi.js';
import { schedule, timestamps90k, type ScheduledStream } from './schedule.js';
import { esSourceFor } from './stream-types.js';
import { PCR_LEAD_90K } from './timestamps.js';

export { TIMESTAMP_OFFSET_90K, PCR_LEAD_90K } from './timestamps.js';
export { TS_CODECS } from './stream-types.js';

/** PID of the program map table (ffmpeg's default too). */
export const PMT_PID = 0x1000;
/** PID of the first elementary stream; the n-th chosen track gets FIRST_ES_PID + n. */
export const FIRST_ES_PID = 0x100;
/** The one program's program_number. */
export const PROGRAM_NUMBER = 1;

interface Stream extends ScheduledStream {
  pid: number;
  source: EsSource;
}

/** Validates `trackIndexes` (caller bugs throw RangeError) or picks every audio/video track. */
function chooseTracks(movie: Movie, trackIndexes: readonly number[] | undefined): number[] {
  if (trackIndexes === undefined) {
    const all = movie.tracks.flatMap((t, i) => (t.kind === 'video' || t.kind === 'audio' ? [i] : []));
    if (all.length === 0) throw new BoxwrightError('BAD_VALUE', 'the movie has no audio or video track to put in an MPEG-TS', 0, '');
    return all;
  }
  if (trackIndexes.length === 0) throw new RangeError('muxTs: trackIndexes is empty');
  const seen = new Set<number>();
  for (const i of trackIndexes) {
    if (!Number.isInteger(i) || i < 0 || i >= movie.tracks.length) throw new RangeError(`muxTs: track index ${i} is not in 0..${movie.tracks.length - 1}`);
    if (seen.has(i)) throw new RangeError(`muxTs: track index ${i} is listed twice`);
    seen.add(i);
  }
  if (trackIndexes.length > 0x1fff - FIRST_ES_PID) throw new RangeError('muxTs: too many tracks for the PID space');
  return [...trackIndexes];
}

/**
 * Writes the chosen tracks (indexes into `movie.tracks`; default: every video and audio track) as an
 * MPEG-TS. H.264 and HEVC become Annex B with an AUD per access unit and the parameter sets before each
 * keyframe; AAC gets ADTS headers; MP3, AC-3 and E-AC-3 frames go as they are; Opus gets its control
 * headers. Throws {@link BoxwrightError} UNSUPPORTED_CODEC for any other codec (and for encrypted or
 * subtitle/data tracks), BAD_VALUE for a track without samples or without the configuration its codec
 * needs, and RangeError for invalid `trackIndexes`.
 */
export function muxTs(movie: Movie, trackIndexes?: number[]): Uint8Array {
  const streams: Stream[] = chooseTracks(movie, trackIndexes).map((ti, k) => {
    const track = movie.tracks[ti]!;
    const source = esSourceFor(track);
    if (track.samples.count === 0) throw new BoxwrightError('BAD_VALUE', `track ${track.id} has no samples to put in an MPEG-TS`, 0, `track ${track.id}`);
    if (!(track.timescale > 0)) throw new BoxwrightError('BAD_VALUE', `track ${track.id} has timescale ${track.timescale}`, 0, `track ${track.id}`);
    return { pid: FIRST_ES_PID + k, track, source, video: source.video, ts: timestamps90k(track) };
  });
  const pcrStream = streams.find((s) => s.video) ?? streams[0]!;
  const pat = patSection(PROGRAM_NUMBER, PMT_PID);
  const pmt = pmtSection(
    PROGRAM_NUMBER,
    pcrStream.pid,
    streams.map((s) => ({ streamType: s.source.streamType, pid: s.pid, descriptors: s.source.descriptors })),
  );
  const plan = schedule(streams);

  const flagsOf = (s: Stream, i: number): FirstPacketFlags => {
    const randomAccess = isSync(s.track.samples, i);
    // §2.4.3.5: the PCR sits in the adaptation field of the PCR_PID's packets; here DTS − 0.7 s.
    return s === pcrStream ? { pcrBase: s.ts.dts[i]! - PCR_LEAD_90K, randomAccess } : { randomAccess };
  };
  const pesLength = (s: Stream, i: number, payload: number): number => pesHeaderSize(s.ts.pts[i] !== s.ts.dts[i]) + payload;

  // Measure: payload sizes (kept for the write pass) and the exact packet count.
  const payloadSize = new Float64Array(plan.count);
  const psiPackets = sectionPacketCount(pat) + sectionPacketCount(pmt);
  let packets = 0;
  for (let u = 0; u < plan.count; u++) {
    const s = streams[plan.stream[u]!]!;
    const i = plan.sample[u]!;
    if (plan.psi[u]) packets += psiPackets;
    payloadSize[u] = s.source.size(i);
    packets += packetCount(pesLength(s, i, payloadSize[u]!), adaptationFieldSize(flagsOf(s, i)));
  }

  // Write.
  const out = new Uint8Array(packets * PACKET_SIZE);
  const cc = new ContinuityCounters();
  let pos = 0;
  for (let u = 0; u < plan.count; u++) {
    const s = streams[plan.stream[u]!]!;
    const i = plan.sample[u]!;
    if (plan.psi[u]) {
      pos = writeSectionPackets(out, pos, PAT_PID, cc, pat);
      pos = writeSectionPackets(out, pos, PMT_PID, cc, pmt);
    }
    const size = payloadSize[u]!;
    pos = writePesPackets(out, pos, s.pid, cc, pesLength(s, i, size), flagsOf(s, i), (sink) => {
      writePesHeader(sink, s.source.streamId, size, s.ts.pts[i]!, s.ts.dts[i]!, s.video);
      s.source.write(i, sink);
    });
  }
  if (pos !== out.length) throw new BoxwrightError('INTERNAL', `TS writer filled ${pos} of ${out.length} measured bytes`, pos, '');
  return out;
}
