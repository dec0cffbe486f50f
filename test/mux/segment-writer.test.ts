/**
 * The init- and media-segment writers (src/mux/fragment.ts) on their own: chosen track IDs, sequence numbers,
 * one moof per track (CMAF) or all tracks in one, styp and sidx. Oracles: ffprobe reads back every packet of
 * the input (timestamps, sizes, payload hashes), mp4box.js and codem-isoboxer parse the boxes.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createFile, MP4BoxBuffer } from 'mp4box';
// codem-isoboxer has no types of its own.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const ISOBoxer = require('codem-isoboxer') as { parseBuffer(b: ArrayBuffer): { fetchAll(t: string): Array<Record<string, unknown>> } };
import { sizeOf, writeTree } from '../../boxes/tree.js';
import { demuxAny } from '../../src/demux/index.js';
import { initSegmentBoxes, mediaSegmentBoxes, sidxBox, type OutputTrack } from '../../src/mux/fragment.js';
import { planSegments, presentationOffsetTicks } from '../../src/model/segment-plan.js';
import { ffprobeJson, payloadMd5s } from '../helpers/ffprobe.js';
import { OWN_SAMPLES } from '../helpers/samples.js';

const dir = mkdtempSync(join(tmpdir(), 'boxwright-segw-'));

/** Per stream: `pts dts size md5` of every packet, as ffmpeg reads them. */
function packets(path: string): string[][] {
  const probe = ffprobeJson(path, ['-show_packets', '-show_streams']) as { streams: unknown[]; packets: Array<{ stream_index: number; pts: number; dts: number; size: string }> };
  const hashes = payloadMd5s(path);
  const out: string[][] = probe.streams.map(() => []);
  for (const p of probe.packets) out[p.stream_index]!.push(`${p.pts} ${p.dts} ${p.size} ${hashes[p.stream_index]?.[out[p.stream_index]!.length]}`);
  return out;
}

function tracksOf(file: string): { out: OutputTrack[]; movieTimescale: number; tracks: ReturnType<typeof demuxAny>['movie']['tracks'] } {
  const { movie } = demuxAny(readFileSync(join(OWN_SAMPLES, file)));
  const tracks = movie.tracks.filter((t) => t.samples.count > 0);
  // Output IDs that are neither 1..n nor in input order: the writer must use what it is given.
  const out = tracks.map((track, i) => ({ track, trackId: [7, 3, 12][i]! }));
  return { out, movieTimescale: movie.timescale || 1000, tracks };
}

describe('segment writer', () => {
  test.each([['single-moof' as const], ['moof-per-track' as const]])('%s segments with chosen track IDs and sequence numbers play back every packet (ffprobe)', (layout) => {
    const { out, movieTimescale, tracks } = tracksOf('multi-track.mp4');
    const plan = planSegments(
      tracks.map((t) => ({ kind: t.kind, timescale: t.timescale, samples: t.samples, presentationOffsetTicks: presentationOffsetTicks(t, movieTimescale) })),
      { segmentTimeSec: 0.5 },
    );
    expect(plan.segments).toHaveLength(4);
    const init = writeTree(initSegmentBoxes(out, { movieTimescale, sourceMovieTimescale: movieTimescale }));
    let seq = 100;
    const segments = plan.segments.map((s) => {
      const m = mediaSegmentBoxes(
        s.ranges.map((r, i) => ({ ...out[i]!, first: r.first, count: r.count })),
        { sequenceNumber: seq, layout, styp: { majorBrand: 'msdh', compatibleBrands: ['msdh', 'msix'] } },
      );
      seq += m.moofCount;
      const bytes = writeTree(m.boxes);
      expect(bytes.length).toBe(m.size);
      return bytes;
    });
    const whole = Buffer.concat([init, ...segments]);
    const outPath = join(dir, `${layout}.mp4`);
    writeFileSync(outPath, whole);
    writeFileSync(join(dir, 'src.mp4'), readFileSync(join(OWN_SAMPLES, 'multi-track.mp4')));
    // ffmpeg applies the edit lists to both; packets, timestamps and payloads agree stream by stream.
    expect(packets(outPath)).toEqual(packets(join(dir, 'src.mp4')));

    // mp4box.js: the track IDs and the fragments' sequence numbers are what we asked for.
    const f = createFile();
    let info: { tracks: Array<{ id: number }> } | undefined;
    f.onReady = (i: unknown) => (info = i as typeof info);
    const ab = whole.buffer.slice(whole.byteOffset, whole.byteOffset + whole.length) as ArrayBuffer;
    f.appendBuffer(MP4BoxBuffer.fromArrayBuffer(ab, 0));
    f.flush();
    expect(info!.tracks.map((t) => t.id).sort((a, b) => a - b)).toEqual([3, 7, 12]);
    const iso = ISOBoxer.parseBuffer(ab);
    const seqs = iso.fetchAll('mfhd').map((b) => b.sequence_number as number);
    expect(seqs[0]).toBe(100);
    seqs.forEach((n, i) => expect(n).toBe(100 + i));
    const moofs = iso.fetchAll('moof').length;
    expect(moofs).toBe(layout === 'single-moof' ? plan.segments.length : plan.segments.length * 3);
    expect(iso.fetchAll('styp')).toHaveLength(plan.segments.length);
    expect(iso.fetchAll('tfhd').map((b) => b.track_ID as number).every((id) => [3, 7, 12].includes(id))).toBe(true);
  });

  test('a sidx indexing the segments is read by ffmpeg, mp4box.js and codem-isoboxer with our sizes and durations', () => {
    const { out, movieTimescale, tracks } = tracksOf('h264-aac.mp4');
    const video = out.filter((o) => o.track.kind === 'video');
    const v = video[0]!.track;
    const plan = planSegments([{ kind: 'video', timescale: v.timescale, samples: v.samples }], { segmentTimeSec: 0.5 });
    expect(plan.segments).toHaveLength(4);
    const init = writeTree(initSegmentBoxes(video, { movieTimescale, sourceMovieTimescale: movieTimescale }));
    const segs = plan.segments.map((s, k) => writeTree(mediaSegmentBoxes([{ ...video[0]!, first: s.ranges[0]!.first, count: s.ranges[0]!.count }], { sequenceNumber: k + 1 }).boxes));
    const refs = plan.segments.map((s, k) => ({ referencedSize: segs[k]!.length, subsegmentDuration: s.ranges[0]!.durationTicks, startsWithSap: true }));
    const sidx = sidxBox(video[0]!.trackId, v.timescale, v.samples.dts[0]! + v.samples.ctsOffset[0]!, refs);
    const file = Buffer.concat([init, writeTree([sidx]), ...segs]);
    expect(writeTree([sidx]).length).toBe(sizeOf(sidx));
    const path = join(dir, 'sidx.mp4');
    writeFileSync(path, file);
    const iso = ISOBoxer.parseBuffer(file.buffer.slice(file.byteOffset, file.byteOffset + file.length) as ArrayBuffer);
    const box = iso.fetchAll('sidx')[0]!;
    expect(box.reference_ID).toBe(video[0]!.trackId);
    expect(box.timescale).toBe(v.timescale);
    const r = box.references as Array<{ referenced_size: number; subsegment_duration: number; starts_with_SAP: number }>;
    expect(r.map((x) => x.referenced_size)).toEqual(refs.map((x) => x.referencedSize));
    expect(r.map((x) => x.subsegment_duration)).toEqual(refs.map((x) => x.subsegmentDuration));
    expect(r.every((x) => x.starts_with_SAP === 1)).toBe(true);
    // The indexed file plays: every video packet of the input.
    const own = packets(path)[0]!;
    writeFileSync(join(dir, 'src2.mp4'), readFileSync(join(OWN_SAMPLES, 'h264-aac.mp4')));
    const src = packets(join(dir, 'src2.mp4'))[tracks.findIndex((t) => t.kind === 'video')]!;
    expect(own).toEqual(src);
  });

  test('a trun column of the wrong length is refused, not written', () => {
    expect(() => writeTree([{ type: 'trun', value: { sampleCount: 3, sampleSize: Uint32Array.of(1, 2) } }])).toThrow(/sampleSize has 2 entries but sampleCount is 3/);
  });
});
