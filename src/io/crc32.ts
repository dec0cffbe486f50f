/** CRC_32 of MPEG-TS PSI sections (ISO/IEC 13818-1 Annex A): shared by the TS demuxer and muxer. */

/** Annex A: polynomial 0x04C11DB7, MSB first, initial value 0xFFFFFFFF, no reflection, no final xor. */
const TABLE = ((): Uint32Array => {
  const t = new Uint32Array(256);
  for (let i = 0; i < 256; i++) {
    let c = i << 24;
    for (let k = 0; k < 8; k++) c = c & 0x80000000 ? (c << 1) ^ 0x04c11db7 : c << 1;
    t[i] = c >>> 0;
  }
  return t;
})();

/**
 * CRC-32/MPEG-2 of `bytes[start, end)`. Written after a section's last byte it makes the CRC over the
 * whole section 0, which is what decoders check (§2.4.4.10 CRC_32).
 */
export function crc32Mpeg2(bytes: Uint8Array, start = 0, end = bytes.length): number {
  let c = 0xffffffff;
  for (let i = start; i < end; i++) c = ((c << 8) ^ TABLE[((c >>> 24) ^ bytes[i]!) & 0xff]!) >>> 0;
  return c >>> 0;
}
