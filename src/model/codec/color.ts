/**
 * Colour description names as ffprobe 5.1 prints them (libavutil/pixdesc.c), for the code points of
 * ITU-T H.273 / ISO/IEC 23091-2 carried by H.264/HEVC VUI, AV1 color_config, vpcC and `colr` nclx.
 * Unspecified (2) and code points ffmpeg has no name for print 'unknown'; 0 and 3 print 'reserved'.
 */

const PRIMARIES: Readonly<Record<number, string>> = {
  0: 'reserved', 1: 'bt709', 3: 'reserved', 4: 'bt470m', 5: 'bt470bg', 6: 'smpte170m', 7: 'smpte240m', 8: 'film', 9: 'bt2020',
  10: 'smpte428', 11: 'smpte431', 12: 'smpte432', 22: 'ebu3213',
};
const TRANSFER: Readonly<Record<number, string>> = {
  0: 'reserved', 1: 'bt709', 3: 'reserved', 4: 'bt470m', 5: 'bt470bg', 6: 'smpte170m', 7: 'smpte240m', 8: 'linear', 9: 'log100', 10: 'log316',
  11: 'iec61966-2-4', 12: 'bt1361e', 13: 'iec61966-2-1', 14: 'bt2020-10', 15: 'bt2020-12', 16: 'smpte2084',
  17: 'smpte428', 18: 'arib-std-b67',
};
const MATRIX: Readonly<Record<number, string>> = {
  0: 'gbr', 1: 'bt709', 3: 'reserved', 4: 'fcc', 5: 'bt470bg', 6: 'smpte170m', 7: 'smpte240m', 8: 'ycgco', 9: 'bt2020nc',
  10: 'bt2020c', 11: 'smpte2085', 12: 'chroma-derived-nc', 13: 'chroma-derived-c', 14: 'ictcp',
};

/** ffprobe `color_primaries` for a ColourPrimaries code point. */
export function colorPrimariesName(code: number | undefined): string {
  return (code !== undefined && PRIMARIES[code]) || 'unknown';
}
/** ffprobe `color_transfer` for a TransferCharacteristics code point. */
export function colorTransferName(code: number | undefined): string {
  return (code !== undefined && TRANSFER[code]) || 'unknown';
}
/** ffprobe `color_space` for a MatrixCoefficients code point. */
export function colorSpaceName(code: number | undefined): string {
  return (code !== undefined && MATRIX[code]) || 'unknown';
}
/** ffprobe `color_range`: 'pc' (full), 'tv' (limited), 'unknown' (not signalled). */
export function colorRangeName(fullRange: boolean | undefined): 'pc' | 'tv' | 'unknown' {
  return fullRange === undefined ? 'unknown' : fullRange ? 'pc' : 'tv';
}

/**
 * The YUV pixel format name ffmpeg's software decoders output for a chroma format and bit depth:
 * chromaFormatIdc 0 → gray*, 1 → yuv420p*, 2 → yuv422p*, 3 → yuv444p* ('gbrp*' when `rgb`, i.e.
 * MatrixCoefficients 0); >8 bits get the 'NNle' suffix. 8-bit full-range YUV gives the 'yuvj' names
 * that ffmpeg 5.1 still uses for H.264/HEVC. Returns undefined for combinations ffmpeg has no format for.
 */
export function pixFmtName(chromaFormatIdc: number, bitDepth: number, opts: { fullRange?: boolean; rgb?: boolean; jpegNames?: boolean } = {}): string | undefined {
  const depth = bitDepth === 8 ? '' : [9, 10, 12, 14, 16].includes(bitDepth) ? `${bitDepth}le` : undefined;
  if (depth === undefined) return undefined;
  if (chromaFormatIdc === 0) return bitDepth === 8 ? 'gray' : `gray${depth}`;
  if (chromaFormatIdc === 3 && opts.rgb) return `gbrp${depth}`;
  const sub = ['', '420', '422', '444'][chromaFormatIdc];
  if (!sub) return undefined;
  const j = opts.jpegNames !== false && opts.fullRange === true && bitDepth === 8 ? 'j' : '';
  return `yuv${j}${sub}p${depth}`;
}
