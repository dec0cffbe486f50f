/**
 * probeMedia vs ffprobe 5.1 on every ISO-BMFF sample: format and stream fields, and packets one by one.
 * Differences are allowed only where the table below explains them (ffprobe decodes to know, or fails on
 * the file). `UPDATE_PARITY=1` (npm run parity) rewrites docs/probe-parity.md from this run.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { probeMedia } from '../../src/api/probe.js';
import { BoxwrightError } from '../../src/io/errors.js';
import { ffprobeJson } from '../helpers/ffprobe.js';
import { isoSamples, REPO } from '../helpers/samples.js';

const FORMAT_FIELDS = ['format_name', 'nb_streams', 'start_time', 'duration', 'size', 'bit_rate'] as const;
const STREAM_FIELDS = [
  'codec_type', 'codec_name', 'codec_tag_string', 'profile', 'level', 'width', 'height', 'coded_width', 'coded_height',
  'pix_fmt', 'sample_aspect_ratio', 'display_aspect_ratio', 'field_order', 'color_range', 'color_space', 'color_transfer',
  'color_primaries', 'r_frame_rate', 'avg_frame_rate', 'time_base', 'start_pts', 'start_time', 'duration_ts', 'duration',
  'bit_rate', 'nb_frames', 'sample_rate', 'channels', 'channel_layout', 'bits_per_sample',
  'tags.language', 'tags.handler_name', 'disposition.default', 'side_data_list.0.rotation',
] as const;
const PACKET_FIELDS = ['stream_index', 'pts', 'dts', 'duration', 'size', 'pos', 'flags'] as const;

/** Why we differ, by file (and optionally field prefix): each reason says who is right and why. */
interface Explanation {
  file: RegExp;
  fields?: RegExp;
  reason: string;
  /** ffprobe has nothing to compare with (it reports these fields only after decoding): not counted at all. */
  notComparable?: true;
}
const EXPLAINED: Explanation[] = [
  {
    file: /(init|enca|encv)[^/]*\.(mp4|cmfv)$|imsc-image-init|audio-(ac-4|xhe-aac)|ttml-init|vtt-init|webvtt-init|captions-init|hvc1_init|av1_multitile_init|cea608-track-init|dash-vr\/init|hls-mp4-muxed-aac-h264\/init/,
    fields: /^(streams\.(profile|level|pix_fmt|field_order|color_|sample_aspect_ratio|display_aspect_ratio|r_frame_rate|start_pts|start_time|duration_ts|duration|bit_rate|channel_layout|coded_)|format\.(start_time|duration|bit_rate))/,
    reason: 'Init segment without samples: ffprobe fills codec details only after decoding a frame (there is none), and has no timing; we read them from the codec configuration record and the movie header.',
    notComparable: true,
  },
  {
    file: /samples\/encrypted-cenc-frag\.mp4$/,
    reason: "ffmpeg 5.1 wrote this CENC fragmented file without per-fragment senc/saiz/saio and cannot read it back (ffprobe lists no packets, no codec details); we read its tables.",
  },
  {
    file: /mp4ff\/cbcs\.mp4$/,
    fields: /^(packets|streams\.(bit_rate))/,
    reason: 'ffmpeg stops reading at "Incorrect number of samples in encryption info" (its cbcs senc handling); we list every packet of both fragments.',
  },
  {
    file: /samples\/h264-aac-frag-dash\.mp4$|bbb5s_aac_sidx\.mp4$|v300_multiple_segments\.mp4$/,
    fields: /^streams\.bit_rate/,
    reason: 'With a global sidx ffmpeg reads only the first fragment when it opens the file, so its bit_rate counts that fragment over the whole duration; we count every fragment.',
  },
  {
    file: /vvc_400kbps_2s\.mp4$|iamf\.mp4$/,
    fields: /^(streams\.(start_pts|start_time|sample_rate|coded_|field_order)|format\.start_time|packets\.duration)/,
    reason: 'Codec ffmpeg 5.1 does not know (VVC, IAMF): its values come from probing packets it cannot parse; we report the container values.',
  },
  {
    file: /mp4ff-decrypt\/testdata\/PIFF\/video\/complseg/,
    fields: /^(format|streams)\.(duration|duration_ts|bit_rate)$/,
    reason: 'PIFF (Smooth Streaming) segment without tfdt: ffmpeg takes the fragment time from the tfxd uuid box (2653 s in); we read ISO boxes only, so the fragment starts at 0.',
  },
  {
    file: /mp4ff\/ed_hevc\.mp4$/,
    fields: /^streams\.field_order$/,
    reason: 'Not yet understood: ffprobe leaves field_order unset for this HEVC stream (edit list starting at 7200, SPS without field signalling); we read a progressive SPS.',
  },
  {
    file: /go-mp4\/sample_qt\.mp4$/,
    fields: /^streams\.(profile|level|pix_fmt|field_order|color_)/,
    reason: 'A moov cut from its media (chunk offsets past the end of the file): ffprobe cannot decode a frame, so it reports no codec details; we read them from avcC.',
  },
  {
    file: /mediabunny\/toothsome-dts\.mp4$/,
    fields: /^streams\.(profile|sample_rate)/,
    reason: 'DTS: ffprobe reports the profile and core sample rate it decodes from the bitstream; we do not parse DTS frames and report the sample entry.',
  },
  {
    file: /samples\/h264-aac-frag(-dash)?\.mp4$|samples\/h264-negcts-frag\.mp4$|go-mp4\/sample_fragmented\.mp4$|frag-buck-bunny|rotate-buck-bunny|bbb5s_aac_sidx|cbcs_audio|multitrack\/testdata\/main_1|bbb_prog|prog_8s_enc_dashinit|v300_multiple|sintel|multidrm|dash-audio-ac3|hls-mp4-muxed|cea608-track|dash-vr|hvc1_seg|av1_multitile|multiple-trun|h265-cea|cea-segment|encrypted-sintel|opus\.mp4$/,
    fields: /^packets\.duration$/,
    reason: 'Fragmented tracks: ffmpeg does not carry trun durations into packets; avformat derives them from the codec frame size, and leaves the first audio packet of some files without one (its probe buffer fills it in only in some read orders). We always give the codec frame duration.',
  },
];

interface Tally {
  compared: number;
  agreed: number;
  notComparable: number;
  explained: Map<string, number>;
  unexplained: string[];
  byField: Map<string, { compared: number; agreed: number; explained: number }>;
}

function newTally(): Tally {
  return { compared: 0, agreed: 0, notComparable: 0, explained: new Map(), unexplained: [], byField: new Map() };
}

function get(o: unknown, path: string): unknown {
  let v: unknown = o;
  for (const k of path.split('.')) v = v === undefined || v === null ? undefined : (v as Record<string, unknown>)[k];
  return v;
}

function compare(t: Tally, file: string, field: string, ours: unknown, theirs: unknown, where: string): void {
  if (EXPLAINED.some((e) => e.notComparable && e.file.test(file) && (!e.fields || e.fields.test(field)))) {
    t.notComparable++;
    return;
  }
  const f = t.byField.get(field) ?? { compared: 0, agreed: 0, explained: 0 };
  t.byField.set(field, f);
  t.compared++;
  f.compared++;
  const a = ours === undefined ? undefined : String(ours);
  const b = theirs === undefined || theirs === 'N/A' ? undefined : String(theirs);
  if (a === b) {
    t.agreed++;
    f.agreed++;
    return;
  }
  const why = EXPLAINED.find((e) => e.file.test(file) && (!e.fields || e.fields.test(field)));
  if (why) {
    t.explained.set(why.reason, (t.explained.get(why.reason) ?? 0) + 1);
    f.explained++;
    return;
  }
  t.unexplained.push(`${where} ${field}: ours=${a} ffprobe=${b}`);
}

const samples = isoSamples();
const fields = newTally();
const packets = newTally();
const files: string[] = [];

describe('probeMedia agrees with ffprobe', () => {
  test.each(samples.map((s) => [s.name, s] as const))('%s', (name, s) => {
    const ff = ffprobeJson(s.path, ['-show_format', '-show_streams', '-show_packets']);
    let ours;
    try {
      ours = probeMedia(s.data, { packets: true });
    } catch (e) {
      // Files ffprobe cannot open either must give our error, not a crash.
      expect(e).toBeInstanceOf(BoxwrightError);
      expect(ff?.streams === undefined || (ff.streams as unknown[]).length === 0).toBe(true);
      return;
    }
    expect(JSON.parse(JSON.stringify(ours))).toEqual(ours);
    if (!ff || !ff.streams) return; // ffprobe cannot open it (a lone segment): nothing to compare
    files.push(name);
    const ffFormat = ff.format as Record<string, unknown>;
    for (const k of FORMAT_FIELDS) compare(fields, name, `format.${k}`, get(ours.format, k), ffFormat[k], name);
    (ff.streams as Array<Record<string, unknown>>).forEach((st, i) => {
      for (const k of STREAM_FIELDS) compare(fields, name, `streams.${k}`, get(ours.streams[i], k), get(st, k), `${name}#${i}`);
    });
    const fp = (ff.packets as Array<Record<string, unknown>> | undefined) ?? [];
    const op = ours.packets ?? [];
    compare(packets, name, 'packets.count', op.length, fp.length, name);
    if (op.length === fp.length) {
      fp.forEach((p, i) => {
        for (const k of PACKET_FIELDS) compare(packets, name, `packets.${k}`, (op[i] as unknown as Record<string, unknown>)[k], p[k], `${name}[${i}]`);
      });
    }
  });

  afterAll(() => {
    if (process.env.UPDATE_PARITY) writeFileSync(join(REPO, 'docs/probe-parity.md'), renderTable());
  });

  test('parity: ≥ 99 % of format/stream fields and 100 % of packet fields agree or are explained', () => {
    const pct = (t: Tally): number => (100 * t.agreed) / Math.max(1, t.compared);
    console.log(`fields ${fields.agreed}/${fields.compared} (${pct(fields).toFixed(2)} %), packets ${packets.agreed}/${packets.compared} (${pct(packets).toFixed(3)} %)`);
    expect(files.length).toBeGreaterThan(80);
    expect(pct(fields)).toBeGreaterThanOrEqual(99);
    expect(fields.unexplained.slice(0, 40)).toEqual([]);
    expect(packets.unexplained.slice(0, 40)).toEqual([]);
  });
});

function renderTable(): string {
  const pct = (a: number, b: number): string => `${((100 * a) / Math.max(1, b)).toFixed(2)} %`;
  const lines = [
    '# probeMedia ↔ ffprobe parity',
    '',
    'Generated by `npm run parity` (test/oracle/probe-parity.test.ts) against ffprobe 5.1 on every ISO-BMFF file in',
    '`samples/` and the third-party corpus that ffprobe can open. Do not edit by hand.',
    '',
    `Files compared: ${files.length}. Not comparable (fields ffprobe reports only after decoding, in init segments without samples): ${fields.notComparable}.`,
    '',
    '| | compared | agreed | differ, explained | differ, unexplained |',
    '| --- | ---: | ---: | ---: | ---: |',
    `| format + stream fields | ${fields.compared} | ${fields.agreed} (${pct(fields.agreed, fields.compared)}) | ${sum(fields.explained)} | ${fields.unexplained.length} |`,
    `| packet fields | ${packets.compared} | ${packets.agreed} (${pct(packets.agreed, packets.compared)}) | ${sum(packets.explained)} | ${packets.unexplained.length} |`,
    '',
    '## By field',
    '',
    '| field | compared | agreed | explained | unexplained |',
    '| --- | ---: | ---: | ---: | ---: |',
  ];
  for (const t of [fields, packets]) {
    for (const [k, v] of [...t.byField].sort()) lines.push(`| \`${k}\` | ${v.compared} | ${v.agreed} | ${v.explained} | ${v.compared - v.agreed - v.explained} |`);
  }
  lines.push('', '## Why we differ on purpose', '', '| values | reason |', '| ---: | --- |');
  const reasons = new Map<string, number>();
  for (const t of [fields, packets]) for (const [r, n] of t.explained) reasons.set(r, (reasons.get(r) ?? 0) + n);
  for (const [r, n] of reasons) lines.push(`| ${n} | ${r} |`);
  const open = [...fields.unexplained, ...packets.unexplained];
  if (open.length) {
    lines.push('', '## Unexplained differences (to fix)', '');
    for (const u of open.slice(0, 200)) lines.push(`- ${u}`);
    if (open.length > 200) lines.push(`- … and ${open.length - 200} more`);
  }
  return lines.join('\n') + '\n';
}

function sum(m: Map<string, number>): number {
  let n = 0;
  for (const v of m.values()) n += v;
  return n;
}
