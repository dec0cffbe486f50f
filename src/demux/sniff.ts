/** Container detection from the first bytes. */

export type ContainerFormat = 'mp4' | 'mpegts' | 'm2ts' | 'adts' | 'mp3' | 'wav' | 'ac3' | 'unknown';

const ISO_TOP = new Set(['ftyp', 'styp', 'moov', 'moof', 'mdat', 'free', 'skip', 'wide', 'sidx', 'uuid', 'pnot', 'emsg', 'prft', 'meta']);

function fourccAt(d: Uint8Array, p: number): string {
  return p + 4 <= d.length ? String.fromCharCode(d[p]!, d[p + 1]!, d[p + 2]!, d[p + 3]!) : '';
}

/** Guesses the container of `data`. */
export function sniffFormat(data: Uint8Array): ContainerFormat {
  if (ISO_TOP.has(fourccAt(data, 4))) return 'mp4';
  if (data.length >= 188 && data[0] === 0x47 && (data.length < 376 || data[188] === 0x47)) return 'mpegts';
  if (data.length >= 192 && data[4] === 0x47 && (data.length < 384 || data[196] === 0x47)) return 'm2ts';
  if ((fourccAt(data, 0) === 'RIFF' || fourccAt(data, 0) === 'RF64') && fourccAt(data, 8) === 'WAVE') return 'wav';
  let p = 0;
  // ID3v2 tag (HLS packed audio, MP3 files): skip it to see the first audio frame.
  while (fourccAt(data, p).startsWith('ID3') && p + 10 <= data.length) {
    const size = ((data[p + 6]! & 0x7f) << 21) | ((data[p + 7]! & 0x7f) << 14) | ((data[p + 8]! & 0x7f) << 7) | (data[p + 9]! & 0x7f);
    p += 10 + size + (data[p + 5]! & 0x10 ? 10 : 0);
  }
  if (p + 2 <= data.length) {
    if (data[p] === 0xff && (data[p + 1]! & 0xf6) === 0xf0) return 'adts';
    if (data[p] === 0xff && (data[p + 1]! & 0xe0) === 0xe0) return 'mp3';
    if (data[p] === 0x0b && data[p + 1] === 0x77) return 'ac3';
  }
  return 'unknown';
}

/** A short description of the first bytes, for error messages. */
export function describeStart(data: Uint8Array): string {
  const head = Array.from(data.subarray(0, 8), (b) => b.toString(16).padStart(2, '0')).join(' ');
  const text = Array.from(data.subarray(0, 8), (b) => (b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '.')).join('');
  return `first bytes ${head || '(none)'} ("${text}")`;
}
