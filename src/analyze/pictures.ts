/**
 * What the NAL unit headers and the first slice header of an H.264 / HEVC sample say about its picture,
 * without decoding: the picture type, whether it is an IDR, and (HEVC) which kind of IRAP or leading picture it is.
 * The picture type and the key flag come from the probe's readers (`probe/pict-type.ts`), so `analyzeGop` and
 * `probeMedia` agree with each other and with ffprobe.
 */
import type { Track } from '../model/movie.js';
import { AVC_NAL } from '../model/codec/nal.js';
import { nalLengthSize } from '../model/codec-config.js';
import { bitstreamKeyframes, framePictTypes, hasRecoveryPoint, scanNals } from './probe/pict-type.js';

/** Picture coding type: SP slices count as P and SI slices as I (they predict the same way). */
export type PictureType = 'I' | 'P' | 'B';

/** HEVC nal_unit_type classes (H.265 Table 7-1). */
export type HevcPictureClass = 'IDR' | 'CRA' | 'BLA_W_LP' | 'BLA_W_RADL' | 'BLA_N_LP' | 'RASL' | 'RADL' | 'other';

/** What one sample's headers say. */
export interface PictureFacts {
  /** From the first slice header; undefined when it could not be read. */
  type: PictureType | undefined;
  /** An IDR picture (H.264 nal_unit_type 5; HEVC IDR_W_RADL / IDR_N_LP). */
  idr: boolean;
  /** HEVC: the class of the first VCL NAL unit; undefined for H.264 or when none was found. */
  hevcClass: HevcPictureClass | undefined;
  /** H.264: a recovery-point SEI precedes the first slice. */
  recoveryPoint: boolean;
}

/** A reader of sample facts for a track. */
export interface PictureReader {
  codec: 'h264' | 'hevc';
  /** Facts of sample `i`. */
  facts(i: number): PictureFacts;
  /** Whether sample `i` starts a GOP as ffprobe's key flag says (H.264: IDR or recovery point; HEVC: IRAP). */
  isKey(i: number): boolean;
}

const PICTURE_TYPES: Readonly<Record<string, PictureType>> = { I: 'I', P: 'P', B: 'B', p: 'P', i: 'I' };

function hevcClass(type: number): HevcPictureClass {
  if (type === 19 || type === 20) return 'IDR';
  if (type === 21) return 'CRA';
  if (type === 16) return 'BLA_W_LP';
  if (type === 17) return 'BLA_W_RADL';
  if (type === 18) return 'BLA_N_LP';
  if (type === 8 || type === 9) return 'RASL';
  if (type === 6 || type === 7) return 'RADL';
  return 'other';
}

/**
 * A reader of picture facts for an H.264 or HEVC track whose samples are in `data` (length-prefixed, or
 * Annex B as some MP4 files carry them); undefined for other codecs and for encrypted tracks. Unreadable headers give undefined
 * fields, never an exception.
 */
export function pictureReader(track: Track, data: Uint8Array): PictureReader | undefined {
  const d = track.descriptions[0];
  const codec = d?.codec;
  // Encrypted slice data cannot be read (and ffprobe cannot decode it to compare with).
  if ((codec !== 'h264' && codec !== 'hevc') || d?.protection) return undefined;
  const keys = bitstreamKeyframes(track, data);
  const types = framePictTypes(track, data);
  const cfg = d?.config;
  const lengthSize = cfg?.kind === 'avc' || cfg?.kind === 'hevc' ? nalLengthSize(cfg) : 4;
  const hevc = codec === 'hevc';
  return {
    codec,
    isKey: (i) => keys?.(i) ?? false,
    facts(i) {
      const t = types?.(i);
      let recoveryPoint = false;
      // The first VCL NAL unit's type (H.264 1–5, HEVC 0–31).
      const vcl = scanNals(track, data, lengthSize, i, (nal) => {
        if (nal.length === 0) return undefined;
        if (hevc) {
          const type = (nal[0]! >> 1) & 63;
          return type <= 31 ? type : undefined;
        }
        const type = nal[0]! & 31;
        if (type === AVC_NAL.SEI && hasRecoveryPoint(nal)) recoveryPoint = true;
        return type >= 1 && type <= 5 ? type : undefined;
      });
      return {
        type: t === undefined ? undefined : PICTURE_TYPES[t],
        idr: vcl === undefined ? false : hevc ? vcl === 19 || vcl === 20 : vcl === AVC_NAL.IDR,
        hevcClass: hevc && vcl !== undefined ? hevcClass(vcl) : undefined,
        recoveryPoint,
      };
    },
  };
}
