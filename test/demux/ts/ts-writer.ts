/** A minimal MPEG-TS writer for building test streams (PAT/PMT sections with CRC, PES packetization). */
import { crc32Mpeg } from '../../../src/demux/ts/psi.js';
import { concatBytes } from '../../../src/io/bytes.js';

/** A long-form PSI section with its CRC_32 (13818-1 §2.4.4). */
export function section(tableId: number, extension: number, version: number, body: Uint8Array): Uint8Array {
  const length = 5 + body.length + 4;
  const out = new Uint8Array(3 + length);
  out[0] = tableId;
  out[1] = 0xb0 | (length >> 8);
  out[2] = length & 0xff;
  out[3] = extension >> 8;
  out[4] = extension & 0xff;
  out[5] = 0xc1 | ((version & 0x1f) << 1);
  out[6] = 0;
  out[7] = 0;
  out.set(body, 8);
  const crc = crc32Mpeg(out.subarray(0, out.length - 4));
  new DataView(out.buffer).setUint32(out.length - 4, crc);
  return out;
}

/** A PAT with one program. */
export function pat(programNumber: number, pmtPid: number): Uint8Array {
  return section(0, 1, 0, Uint8Array.of(programNumber >> 8, programNumber & 0xff, 0xe0 | (pmtPid >> 8), pmtPid & 0xff));
}

/** A PMT listing streams (type, pid, descriptor bytes). */
export function pmt(programNumber: number, version: number, pcrPid: number, streams: Array<{ type: number; pid: number; descriptors?: Uint8Array }>, programInfo = new Uint8Array(0)): Uint8Array {
  const parts: number[] = [0xe0 | (pcrPid >> 8), pcrPid & 0xff, 0xf0 | (programInfo.length >> 8), programInfo.length & 0xff, ...programInfo];
  for (const s of streams) {
    const d = s.descriptors ?? new Uint8Array(0);
    parts.push(s.type, 0xe0 | (s.pid >> 8), s.pid & 0xff, 0xf0 | (d.length >> 8), d.length & 0xff, ...d);
  }
  return section(2, programNumber, version, Uint8Array.from(parts));
}

/** A 5-byte PTS/DTS field (13818-1 §2.4.3.7): 4-bit prefix, 33 bits with marker bits. */
export function timestamp(prefix: number, t: number): number[] {
  const hi = Math.floor(t / 2 ** 30) & 7;
  const mid = Math.floor(t / 2 ** 15) & 0x7fff;
  const lo = t & 0x7fff;
  return [(prefix << 4) | (hi << 1) | 1, mid >> 7, ((mid & 0x7f) << 1) | 1, lo >> 7, ((lo & 0x7f) << 1) | 1];
}

/** A PES packet (optional PTS/DTS); PES_packet_length 0 for video stream ids when `unbounded`. */
export function pes(streamId: number, payload: Uint8Array, pts?: number, dts?: number, unbounded = false): Uint8Array {
  const opt: number[] = [];
  let flags = 0;
  if (pts !== undefined) {
    flags = dts !== undefined ? 0xc0 : 0x80;
    opt.push(...timestamp(dts !== undefined ? 3 : 2, pts));
    if (dts !== undefined) opt.push(...timestamp(1, dts));
  }
  const headerLen = 3 + opt.length;
  const len = unbounded ? 0 : headerLen + payload.length;
  const out = new Uint8Array(6 + headerLen + payload.length);
  out.set([0, 0, 1, streamId, (len >> 8) & 0xff, len & 0xff, 0x80, flags, opt.length, ...opt]);
  out.set(payload, 6 + headerLen);
  return out;
}

/** Continuity counters per PID, threaded through {@link packetize}. */
export type Counters = Map<number, number>;

/**
 * Cuts a PES packet or a section into 188-byte packets on `pid` (sections get a pointer_field);
 * the last packet is padded with adaptation-field stuffing (PES) or 0xFF (sections).
 */
export function packetize(pid: number, unit: Uint8Array, cc: Counters, isSection = false): Uint8Array[] {
  const out: Uint8Array[] = [];
  const data = isSection ? Uint8Array.from([0, ...unit]) : unit;
  let p = 0;
  while (p < data.length || out.length === 0) {
    const pkt = new Uint8Array(188).fill(0xff);
    const c = cc.get(pid) ?? 0;
    cc.set(pid, (c + 1) & 15);
    pkt[0] = 0x47;
    pkt[1] = (out.length === 0 ? 0x40 : 0) | (pid >> 8);
    pkt[2] = pid & 0xff;
    const remaining = data.length - p;
    if (remaining >= 184 || isSection) {
      pkt[3] = 0x10 | c;
      const n = Math.min(184, remaining);
      pkt.set(data.subarray(p, p + n), 4);
      p += n;
    } else {
      // Adaptation field stuffing so that the payload ends the packet.
      const afl = 183 - remaining;
      pkt[3] = 0x30 | c;
      pkt[4] = afl;
      if (afl > 0) pkt[5] = 0;
      pkt.set(data.subarray(p), 5 + afl);
      p = data.length;
    }
    out.push(pkt);
  }
  return out;
}

/** Concatenates byte arrays. */
export const concat = concatBytes;
