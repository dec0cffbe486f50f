/**
 * Layer III scale factors (ISO/IEC 11172-3 §2.4.2.7 part2, 13818-3 §2.4.3.2 for LSF), stored as ffmpeg lays
 * them out: the `longEnd` long bands first, then three (one per window) for each short band from `shortStart`.
 */
import type { BitReader } from './bits.js';
import type { Granule } from './side-info.js';
import { LSF_PARTITIONS, SLEN1, SLEN2 } from './tables.js';

function fill(r: BitReader, out: Int32Array, at: number, n: number, bits: number): number {
  for (let i = 0; i < n; i++) out[at + i] = bits ? r.read(bits) : 0;
  return at + n;
}

/**
 * MPEG-1 scale factors of granule `g` into `out` (40 entries); `previous` holds granule 0's of the same
 * channel, which scfsi reuses.
 */
export function readScalefactorsMpeg1(r: BitReader, g: Granule, out: Int32Array, previous: Int32Array): void {
  const slen1 = SLEN1[g.scalefacCompress]!;
  const slen2 = SLEN2[g.scalefacCompress]!;
  out.fill(0);
  if (g.blockType === 2) {
    let j = fill(r, out, 0, g.mixed ? 17 : 18, slen1);
    j = fill(r, out, j, 18, slen2);
    return;
  }
  let j = 0;
  for (let k = 0; k < 4; k++) {
    const n = k === 0 ? 6 : 5;
    if (g.scfsi & (8 >> k)) {
      for (let i = 0; i < n; i++, j++) out[j] = previous[j]!;
    } else {
      j = fill(r, out, j, n, k < 2 ? slen1 : slen2);
    }
  }
}

/**
 * MPEG-2/2.5 scale factors of granule `g` into `out`; `intensityRight` for the right channel of an intensity
 * stereo frame. Sets `g.preflag` where scalefac_compress implies it.
 */
export function readScalefactorsLsf(r: BitReader, g: Granule, out: Int32Array, intensityRight: boolean): void {
  const kind = g.blockType === 2 ? (g.mixed ? 2 : 1) : 0;
  let sf = g.scalefacCompress;
  const slen = [0, 0, 0, 0];
  let row: number;
  const split = (v: number, n1: number, n2: number, n3: number): void => {
    // slen[3] = v mod n3, slen[2] = (v / n3) mod n2, … (ISO 13818-3 §2.4.3.2).
    if (n3) {
      slen[3] = v % n3;
      v = Math.floor(v / n3);
    } else slen[3] = 0;
    if (n2) {
      slen[2] = v % n2;
      v = Math.floor(v / n2);
    } else slen[2] = 0;
    if (n1) {
      slen[1] = v % n1;
      v = Math.floor(v / n1);
    } else slen[1] = 0;
    slen[0] = v;
  };
  if (intensityRight) {
    sf >>= 1;
    if (sf < 180) (split(sf, 6, 6, 0), (row = 3));
    else if (sf < 244) (split(sf - 180, 4, 4, 0), (row = 4));
    else (split(sf - 244, 3, 0, 0), (row = 5));
  } else if (sf < 400) (split(sf, 5, 4, 4), (row = 0));
  else if (sf < 500) (split(sf - 400, 5, 4, 0), (row = 1));
  else {
    split(sf - 500, 3, 0, 0);
    row = 2;
    g.preflag = 1;
  }
  out.fill(0);
  let j = 0;
  const counts = LSF_PARTITIONS[row]![kind]!;
  for (let k = 0; k < 4; k++) j = fill(r, out, j, counts[k]!, slen[k]!);
}
