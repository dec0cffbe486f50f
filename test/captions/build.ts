/** Builders of caption-carrying video samples for the caption tests: cc_data → T35 SEI → NAL → sample. */

/** CEA-608 byte with its odd-parity bit set (decoders drop it; real streams carry it). */
export function parity(b: number): number {
  let ones = 0;
  for (let x = b & 0x7f; x; x >>= 1) ones += x & 1;
  return ones % 2 === 0 ? b | 0x80 : b & 0x7f;
}

/** A cc_data triplet: [marker | cc_valid | cc_type, byte1, byte2]. */
export type Triplet = [type: number, b1: number, b2: number, valid?: boolean];

/** The user_data_registered_itu_t_t35 payload (A/53 Part 4) carrying `triplets`. */
export function t35Payload(triplets: readonly Triplet[]): number[] {
  const out = [0xb5, 0x00, 0x31, 0x47, 0x41, 0x39, 0x34, 0x03, 0x40 | 0x80 | triplets.length, 0xff];
  for (const [type, b1, b2, valid = true] of triplets) out.push(0xf8 | (valid ? 4 : 0) | type, b1, b2);
  out.push(0xff);
  return out;
}

/** An SEI RBSP with one message per entry (payloadType/payloadSize coded with 0xFF runs) and trailing bits. */
export function seiRbsp(messages: ReadonlyArray<{ type: number; payload: readonly number[] }>): number[] {
  const out: number[] = [];
  const code = (v: number): void => {
    while (v >= 255) {
      out.push(0xff);
      v -= 255;
    }
    out.push(v);
  };
  for (const m of messages) {
    code(m.type);
    code(m.payload.length);
    out.push(...m.payload);
  }
  out.push(0x80);
  return out;
}

/** Inserts emulation-prevention bytes (H.264 §7.4.1.1): 0x03 after two zeros before a byte ≤ 3. */
export function escape(rbsp: readonly number[]): number[] {
  const out: number[] = [];
  let zeros = 0;
  for (const b of rbsp) {
    if (zeros >= 2 && b <= 3) {
      out.push(3);
      zeros = 0;
    }
    out.push(b);
    zeros = b === 0 ? zeros + 1 : 0;
  }
  return out;
}

/** A sample of NAL units, each with a big-endian length prefix of `lengthSize` bytes. */
export function sampleOf(nals: ReadonlyArray<readonly number[]>, lengthSize = 4): Uint8Array {
  const out: number[] = [];
  for (const nal of nals) {
    for (let k = lengthSize - 1; k >= 0; k--) out.push(Math.floor(nal.length / 256 ** k) % 256);
    out.push(...nal);
  }
  return Uint8Array.from(out);
}

/** An H.264 SEI NAL unit (type 6) carrying `triplets`. */
export function avcSeiNal(triplets: readonly Triplet[]): number[] {
  return [0x06, ...escape(seiRbsp([{ type: 4, payload: t35Payload(triplets) }]))];
}

/** An HEVC prefix SEI NAL unit (type 39) carrying `triplets`. */
export function hevcSeiNal(triplets: readonly Triplet[]): number[] {
  return [39 << 1, 0x01, ...escape(seiRbsp([{ type: 4, payload: t35Payload(triplets) }]))];
}

/** A stand-in H.264 slice NAL unit. */
export const AVC_SLICE = [0x65, 0x88, 0x84, 0x00, 0x00, 0x03, 0x01];

/** An H.264 sample with one SEI carrying `triplets` followed by a slice. */
export function avcSample(triplets: readonly Triplet[]): Uint8Array {
  return sampleOf([avcSeiNal(triplets), AVC_SLICE]);
}

/** CEA-608 field-1 triplet from two bytes (parity added). */
export const f1 = (b1: number, b2: number): Triplet => [0, parity(b1), parity(b2)];
/** CEA-608 field-2 triplet from two bytes (parity added). */
export const f2 = (b1: number, b2: number): Triplet => [1, parity(b1), parity(b2)];

/** Field-1 triplets spelling `text` two characters per pair (a lone last character padded with 0x00). */
export function chars(text: string, field: 0 | 1 = 0): Triplet[] {
  const out: Triplet[] = [];
  for (let i = 0; i < text.length; i += 2) {
    const a = text.charCodeAt(i);
    const b = i + 1 < text.length ? text.charCodeAt(i + 1) : 0;
    out.push([field, parity(a), b === 0 ? 0x80 : parity(b)]);
  }
  return out;
}
