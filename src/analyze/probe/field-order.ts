/**
 * H.264 `field_order` as ffprobe 5.1 reports it. ffmpeg's H.264 parser (h264_parser.c parse_nal_units) sets it for
 * every access unit from the SEI and the first slice header:
 *  - a frame (frame_mbs_only_flag, or field_pic_flag 0) with a pic_timing SEI whose pic_struct the SPS signals
 *    (pic_struct_present_flag): 3 or 5 (top field first) → tt, 4 or 6 → bb, anything else → progressive;
 *  - a frame without one: from its field POCs — top before bottom → tt, after → bb, equal → progressive;
 *  - a field (field_pic_flag 1): tt / bb for the second field of a pair parsed right after the first, else unknown.
 * The stream keeps the value the parser set for the packet the decoder needed to output its first frame during
 * avformat_find_stream_info: packet number has_b_frames (the SPS max_num_reorder_frames) in decode order —
 * checked with ffprobe on streams whose first packets are top field first and the rest bottom field first.
 */
import { BitReader } from '../../io/bit-reader.js';
import { isBoxwrightError } from '../../io/errors.js';
import type { Track } from '../../model/movie.js';
import { parseAvcSps, type AvcSps } from '../../model/codec/avc-sps.js';
import { unescapeRbsp } from '../../model/codec/nal.js';
import { nalLengthSize } from '../../model/codec-config.js';
import { scanNals } from './pict-type.js';

/** What ffprobe prints; null where ffmpeg's value is AV_FIELD_UNKNOWN (ffprobe prints nothing). */
export type FieldOrder = 'progressive' | 'tt' | 'bb' | null;

/** sei_pic_struct values (Table D-1) ffmpeg's parser maps to a field order. */
const TOP_FIRST = new Set([3, 5]);
const BOTTOM_FIRST = new Set([4, 6]);

/** bottom_field_pic_order_in_frame_present_flag of a PPS NAL (header byte included), with its id. */
function ppsPocFlag(nal: Uint8Array): { id: number; spsId: number; bottomFieldPicOrder: boolean } {
  const r = new BitReader(unescapeRbsp(nal.subarray(1)));
  const id = r.ue();
  const spsId = r.ue();
  r.flag(); // entropy_coding_mode_flag
  return { id, spsId, bottomFieldPicOrder: r.flag() };
}

/** pic_struct of the pic_timing message (payloadType 1) of an SEI NAL, or undefined when it has none. */
function picStructOf(nal: Uint8Array, sps: AvcSps): number | undefined {
  const rbsp = unescapeRbsp(nal.subarray(1));
  let p = 0;
  // ffmpeg: messages follow while more than 16 bits are left and the next 16 are not zero.
  while (rbsp.length - p > 2 && (rbsp[p] !== 0 || rbsp[p + 1] !== 0) && rbsp[p] !== 0x80) {
    let type = 0;
    while (p < rbsp.length && rbsp[p] === 0xff) (type += 255), p++;
    type += rbsp[p++] ?? 0;
    let size = 0;
    while (p < rbsp.length && rbsp[p] === 0xff) (size += 255), p++;
    size += rbsp[p++] ?? 0;
    if (p + size > rbsp.length) return undefined;
    if (type === 1) {
      const r = new BitReader(rbsp.subarray(p, p + size));
      if (sps.hrdDelayLengths) r.skip(sps.hrdDelayLengths.cpbRemovalDelayLength + sps.hrdDelayLengths.dpbOutputDelayLength);
      return r.bits(4);
    }
    p += size;
  }
  return undefined;
}

/** The slice header fields ffmpeg's parser reads (it reads no colour_plane_id, and neither do we). */
interface SliceStart {
  field: boolean;
  bottom: boolean;
  /** Bottom field POC minus top field POC of a frame, as far as the slice header and SPS give it. */
  bottomMinusTop: number;
}

function sliceStart(nal: Uint8Array, sps: AvcSps, bottomFieldPicOrder: boolean): SliceStart {
  const r = new BitReader(unescapeRbsp(nal.subarray(1, 64)));
  const idr = (nal[0]! & 31) === 5;
  r.ue(); // first_mb_in_slice
  r.ue(); // slice_type
  r.ue(); // pic_parameter_set_id
  r.skip(sps.log2MaxFrameNum); // frame_num
  let field = false;
  let bottom = false;
  if (!sps.frameMbsOnly) {
    field = r.flag();
    if (field) bottom = r.flag();
  }
  if (idr) r.ue(); // idr_pic_id
  let bottomMinusTop = 0;
  if (sps.picOrderCntType === 0) {
    r.skip(sps.log2MaxPicOrderCntLsb ?? 4); // pic_order_cnt_lsb
    if (bottomFieldPicOrder && !field) bottomMinusTop = r.se(); // delta_pic_order_cnt_bottom
  } else if (sps.picOrderCntType === 1) {
    bottomMinusTop = sps.offsetForTopToBottomField ?? 0;
    if (!sps.deltaPicOrderAlwaysZero) {
      r.se(); // delta_pic_order_cnt[0]
      if (bottomFieldPicOrder && !field) bottomMinusTop += r.se(); // delta_pic_order_cnt[1]
    }
  }
  return { field, bottom, bottomMinusTop };
}

/**
 * The field order ffmpeg's H.264 parser gives sample `i` of an H.264 track; undefined when the sample cannot be
 * read (no SPS/PPS, no slice), so that the caller can fall back on the SPS alone.
 */
export function avcSampleFieldOrder(track: Track, i: number): FieldOrder | undefined {
  const d = track.descriptions[0];
  const cfg = d?.config;
  if (!d || d.codec !== 'h264' || i < 0 || i >= track.samples.count) return undefined;
  const lengthSize = cfg?.kind === 'avc' ? nalLengthSize(cfg) : 4;
  const spss = new Map<number, AvcSps>();
  const ppss = new Map<number, { spsId: number; bottomFieldPicOrder: boolean }>();
  const addSps = (nal: Uint8Array): void => {
    const sps = parseAvcSps(nal);
    spss.set(sps.seqParameterSetId, sps);
  };
  const addPps = (nal: Uint8Array): void => {
    const pps = ppsPocFlag(nal);
    ppss.set(pps.id, pps);
  };
  try {
    if (cfg?.kind === 'avc') {
      for (const nal of cfg.avcC.sequenceParameterSets) addSps(nal);
      for (const nal of cfg.avcC.pictureParameterSets) addPps(nal);
    }
    const seis: Uint8Array[] = [];
    const result = scanNals(track, track.data, lengthSize, i, (nal): { order: FieldOrder } | null | undefined => {
      const type = nal[0]! & 31;
      if (type === 7) addSps(nal);
      else if (type === 8) addPps(nal);
      else if (type === 6) seis.push(nal);
      else if (type === 1 || type === 5) {
        const pps = ppss.get(ppsIdOf(nal));
        const sps = pps && spss.get(pps.spsId);
        if (!pps || !sps) return null;
        const slice = sliceStart(nal, sps, pps.bottomFieldPicOrder);
        // A field: only a pair parsed in one go would give tt/bb, and ffmpeg parses one picture per packet.
        if (slice.field) return { order: null };
        if (sps.picStructPresent) {
          for (const sei of seis) {
            const ps = picStructOf(sei, sps);
            // A pic_struct past 8 is invalid: ffmpeg then ignores the message.
            if (ps === undefined || ps > 8) continue;
            return { order: TOP_FIRST.has(ps) ? 'tt' : BOTTOM_FIRST.has(ps) ? 'bb' : 'progressive' };
          }
        }
        return { order: slice.bottomMinusTop > 0 ? 'tt' : slice.bottomMinusTop < 0 ? 'bb' : 'progressive' };
      }
      return undefined;
    }, Infinity);
    return result ? result.order : undefined;
  } catch (e) {
    if (!isBoxwrightError(e)) throw e;
    return undefined;
  }
}

/** pic_parameter_set_id of a slice NAL (header byte included). */
function ppsIdOf(nal: Uint8Array): number {
  const r = new BitReader(unescapeRbsp(nal.subarray(1, 16)));
  r.ue(); // first_mb_in_slice
  r.ue(); // slice_type
  return r.ue();
}

/**
 * ffprobe's H.264 field_order for a track: the parser's value for packet number `reorderDepth` (has_b_frames; the
 * last packet when there are fewer). undefined when that packet cannot be read; null for ffmpeg's "unknown".
 */
export function avcFieldOrder(track: Track, reorderDepth: number): FieldOrder | undefined {
  if (track.samples.count === 0) return undefined;
  return avcSampleFieldOrder(track, Math.min(reorderDepth, track.samples.count - 1));
}
