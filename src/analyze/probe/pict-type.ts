/** Picture types (I/P/B) from the first slice header of each H.264 / HEVC sample (no decoding). */
import { BitReader } from '../../io/bit-reader.js';
import { isBoxwrightError } from '../../io/errors.js';
import type { Track } from '../../model/movie.js';
import { unescapeRbsp } from '../../model/codec/nal.js';

/** slice_type % 5 → av_get_picture_type_char: P, B, I, SP ('p'), SI ('i'). */
const AVC_TYPES = ['P', 'B', 'I', 'p', 'i'] as const;
const HEVC_TYPES = ['B', 'P', 'I'] as const;

/** HEVC: num_extra_slice_header_bits and dependent_slice_segments_enabled from the first PPS in hvcC. */
function hevcPpsFlags(config: Uint8Array): { extraBits: number; dependentSlices: boolean } {
  let p = 23;
  const arrays = config[22] ?? 0;
  for (let a = 0; a < arrays && p + 3 <= config.length; a++) {
    const type = config[p]! & 0x3f;
    const count = (config[p + 1]! << 8) | config[p + 2]!;
    p += 3;
    for (let k = 0; k < count && p + 2 <= config.length; k++) {
      const len = (config[p]! << 8) | config[p + 1]!;
      p += 2;
      if (type === 34 && p + len <= config.length) {
        const r = new BitReader(unescapeRbsp(config.subarray(p + 2, p + len)));
        r.ue(); // pps_pic_parameter_set_id
        r.ue(); // pps_seq_parameter_set_id
        const dependentSlices = r.flag();
        r.flag(); // output_flag_present_flag
        return { extraBits: r.bits(3), dependentSlices };
      }
      p += len;
    }
  }
  return { extraBits: 0, dependentSlices: false };
}

/** A function giving the picture type of sample `i` of a video track, or undefined for other codecs. */
export function framePictTypes(track: Track, data: Uint8Array): ((i: number) => string | undefined) | undefined {
  const d = track.descriptions[0];
  const cfg = d?.config;
  if (!d || !cfg || (d.codec !== 'h264' && d.codec !== 'hevc')) return undefined;
  const hevc = d.codec === 'hevc';
  const lengthSize = hevc ? ((cfg[21] ?? 3) & 3) + 1 : ((cfg[4] ?? 3) & 3) + 1;
  let pps = { extraBits: 0, dependentSlices: false };
  if (hevc) {
    try {
      pps = hevcPpsFlags(cfg);
    } catch (e) {
      if (!isBoxwrightError(e)) throw e;
    }
  }
  const s = track.samples;
  return (i) => {
    let p = s.offset[i]!;
    const end = Math.min(p + s.size[i]!, data.length);
    try {
      while (p + lengthSize <= end) {
        let len = 0;
        for (let k = 0; k < lengthSize; k++) len = len * 256 + data[p + k]!;
        p += lengthSize;
        if (len === 0 || p + len > end) return undefined;
        const nal = data.subarray(p, Math.min(p + len, p + 64));
        p += len;
        if (!hevc) {
          const type = nal[0]! & 31;
          if (type !== 1 && type !== 5) continue;
          const r = new BitReader(unescapeRbsp(nal.subarray(1)));
          r.ue(); // first_mb_in_slice
          return AVC_TYPES[r.ue() % 5];
        }
        const type = (nal[0]! >> 1) & 63;
        if (type > 21) continue;
        const r = new BitReader(unescapeRbsp(nal.subarray(2)));
        const first = r.flag();
        if (!first) return undefined;
        if (type >= 16 && type <= 23) r.flag(); // no_output_of_prior_pics_flag
        r.ue(); // slice_pic_parameter_set_id
        r.skip(pps.extraBits);
        return HEVC_TYPES[r.ue()];
      }
    } catch (e) {
      if (!isBoxwrightError(e)) throw e;
    }
    return undefined;
  };
}
