/** Reading NAL units out of codec configuration records (ISO/IEC 14496-15 avcC §5.3.3.1, hvcC §8.3.3.1). */

/** avcC: SPS count is in the low 5 bits of byte 5; each SPS has a 16-bit length. */
export function avccFirstSps(config: Uint8Array): Uint8Array | undefined {
  if (config.length < 8 || (config[5]! & 31) === 0) return undefined;
  const len = (config[6]! << 8) | config[7]!;
  return config.length >= 8 + len ? config.subarray(8, 8 + len) : undefined;
}

/** hvcC: the first NAL unit of type `type` in the arrays after the 23-byte header. */
export function hvccNal(config: Uint8Array, type: number): Uint8Array | undefined {
  if (config.length < 23) return undefined;
  let p = 23;
  const arrays = config[22]!;
  for (let a = 0; a < arrays && p + 3 <= config.length; a++) {
    const nalType = config[p]! & 0x3f;
    const count = (config[p + 1]! << 8) | config[p + 2]!;
    p += 3;
    for (let k = 0; k < count && p + 2 <= config.length; k++) {
      const len = (config[p]! << 8) | config[p + 1]!;
      p += 2;
      if (p + len > config.length) return undefined;
      if (nalType === type) return config.subarray(p, p + len);
      p += len;
    }
  }
  return undefined;
}
