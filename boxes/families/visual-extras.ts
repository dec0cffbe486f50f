/** Generic extras of visual sample entries: `btrt` (also in audio entries), `pasp`, `clap`, `colr`. */
import { custom, fourcc, i32, u32 } from '../../src/io/field.js';
import { box, customBox } from '../define.js';

/** 14496-12 §8.5.2.2 BitRateBox. */
export const btrt = box('btrt', { fields: { bufferSizeDB: u32, maxBitrate: u32, avgBitrate: u32 } });

/** 14496-12 §12.1.4 PixelAspectRatioBox. */
export const pasp = box('pasp', { fields: { hSpacing: u32, vSpacing: u32 } });

/** 14496-12 §12.1.4 CleanApertureBox; offsets are signed (QTFF 'clap'). */
export const clap = box('clap', {
  fields: {
    cleanApertureWidthN: u32,
    cleanApertureWidthD: u32,
    cleanApertureHeightN: u32,
    cleanApertureHeightD: u32,
    horizOffN: i32,
    horizOffD: u32,
    vertOffN: i32,
    vertOffD: u32,
  },
});

/** Value of a `colr` box: which fields are present depends on colourType. */
export interface Colr {
  colourType: string;
  /** 'nclx' and QuickTime 'nclc'. */
  colourPrimaries?: number;
  transferCharacteristics?: number;
  matrixCoefficients?: number;
  /** 'nclx' only (1 bit, then 7 reserved zero bits). */
  fullRangeFlag?: number;
  /** 'prof' / 'rICC': the ICC profile. */
  iccProfile?: Uint8Array;
  /** Any other colour type: its payload. */
  data?: Uint8Array;
}

/** 14496-12 §12.1.5 ColourInformationBox (and QuickTime 'nclc'). */
export const colr = customBox('colr', {
  keys: { required: ['colourType'], optional: ['colourPrimaries', 'transferCharacteristics', 'matrixCoefficients', 'fullRangeFlag', 'iccProfile', 'data'] },
  body: custom<Colr>({
    minSize: 4,
    read: (r, c) => {
      const colourType = fourcc.read(r, c);
      if (colourType === 'nclx' || colourType === 'nclc') {
        const out: Colr = { colourType, colourPrimaries: r.u16(), transferCharacteristics: r.u16(), matrixCoefficients: r.u16() };
        // Some writers leave out nclx's last byte; reading it only when present keeps those files canonical.
        if (colourType === 'nclx' && r.remaining > 0) out.fullRangeFlag = r.u8() >> 7;
        return out;
      }
      if (colourType === 'prof' || colourType === 'rICC') return { colourType, iccProfile: r.rest() };
      return { colourType, data: r.rest() };
    },
    write: (w, v, c) => {
      fourcc.write(w, v.colourType, c);
      if (v.colourType === 'nclx' || v.colourType === 'nclc') {
        w.u16(v.colourPrimaries ?? 2);
        w.u16(v.transferCharacteristics ?? 2);
        w.u16(v.matrixCoefficients ?? 2);
        if (v.fullRangeFlag !== undefined) w.u8((v.fullRangeFlag & 1) << 7);
      } else w.bytes(v.iccProfile ?? v.data ?? new Uint8Array(0));
    },
    size: (v) =>
      4 + (v.colourType === 'nclx' || v.colourType === 'nclc' ? 6 + (v.fullRangeFlag !== undefined ? 1 : 0) : (v.iccProfile ?? v.data)?.length ?? 0),
  }),
});
