/** Numbers printed the way ffprobe prints them. */

/** C's `%f` (6 decimals, ties to even on the exact binary value), as ffprobe prints times. */
export function fixed6(x: number): string {
  const s = x.toFixed(6);
  const scaled = x * 1e6;
  // toFixed breaks exact ties upwards; printf rounds them to even.
  if (Number.isInteger(scaled * 2) && !Number.isInteger(scaled)) {
    const down = Math.floor(scaled);
    const even = down % 2 === 0 ? down : down + 1;
    return (even / 1e6).toFixed(6);
  }
  return s;
}

/** `ticks × num/den` seconds as ffprobe's time strings. */
export function timeString(ticks: number, timescale: number): string {
  return fixed6(ticks / timescale);
}

/** A four-character code as ffmpeg's av_fourcc2str prints it: printable characters as is, others as `[n]`. */
export function fourccString(s: string): string {
  let out = '';
  for (let i = 0; i < 4; i++) {
    const c = s.charCodeAt(i) || 0;
    out += (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c === 0x2e || c === 0x20 || c === 0x5f || c === 0x2d ? String.fromCharCode(c) : `[${c}]`;
  }
  return out;
}

/** ffprobe's codec_tag: the fourcc as a little-endian 32-bit hex number. */
export function fourccTag(s: string): string {
  let v = 0;
  for (let i = 3; i >= 0; i--) v = v * 256 + ((s.charCodeAt(i) || 0) & 0xff);
  return `0x${v.toString(16).padStart(4, '0')}`;
}
