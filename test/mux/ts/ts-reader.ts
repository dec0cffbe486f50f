/** A minimal, independent MPEG-TS reader for checking the muxer's packet structure in tests. */

export interface TsPacket {
  index: number;
  pid: number;
  pusi: boolean;
  cc: number;
  hasPayload: boolean;
  afLength: number;
  rai: boolean;
  pcr?: number;
  payload: Uint8Array;
}

export interface PesUnit {
  pid: number;
  /** Index of its first transport packet. */
  packet: number;
  streamId: number;
  pesPacketLength: number;
  pts?: number;
  dts?: number;
  rai: boolean;
  pcr?: number;
  /** PES payload (after the header). */
  data: Uint8Array;
}

export function readPackets(ts: Uint8Array): TsPacket[] {
  if (ts.length % 188 !== 0) throw new Error(`length ${ts.length} is not a multiple of 188`);
  const out: TsPacket[] = [];
  for (let o = 0, index = 0; o < ts.length; o += 188, index++) {
    const p = ts.subarray(o, o + 188);
    if (p[0] !== 0x47) throw new Error(`packet ${index} has no sync byte`);
    const afc = (p[3]! >> 4) & 3;
    let q = 4;
    let afLength = 0;
    let rai = false;
    let pcr: number | undefined;
    if (afc & 2) {
      afLength = p[4]!;
      if (afLength > 0) {
        rai = (p[5]! & 0x40) !== 0;
        if (p[5]! & 0x10) pcr = p[6]! * 2 ** 25 + p[7]! * 2 ** 17 + p[8]! * 2 ** 9 + p[9]! * 2 + (p[10]! >> 7);
      }
      q = 5 + afLength;
    }
    out.push({ index, pid: ((p[1]! & 0x1f) << 8) | p[2]!, pusi: (p[1]! & 0x40) !== 0, cc: p[3]! & 0x0f, hasPayload: (afc & 1) !== 0, afLength, rai, ...(pcr !== undefined ? { pcr } : {}), payload: p.subarray(q) });
  }
  return out;
}

function timestamp(b: Uint8Array, o: number): number {
  return ((b[o]! >> 1) & 7) * 2 ** 30 + ((b[o + 1]! << 7) | (b[o + 2]! >> 1)) * 2 ** 15 + ((b[o + 3]! << 7) | (b[o + 4]! >> 1));
}

/** PES packets of the elementary PIDs (≥ 0x100), reassembled. */
export function readPes(packets: TsPacket[]): PesUnit[] {
  const units: PesUnit[] = [];
  const open = new Map<number, { head: TsPacket; parts: Uint8Array[] }>();
  const close = (pid: number): void => {
    const o = open.get(pid);
    if (!o) return;
    const all = new Uint8Array(o.parts.reduce((n, x) => n + x.length, 0));
    let k = 0;
    for (const x of o.parts) {
      all.set(x, k);
      k += x.length;
    }
    if (all[0] !== 0 || all[1] !== 0 || all[2] !== 1) throw new Error(`PES on PID ${pid} at packet ${o.head.index} has no start code`);
    const flags = all[7]!;
    const hdr = 9 + all[8]!;
    const u: PesUnit = { pid, packet: o.head.index, streamId: all[3]!, pesPacketLength: (all[4]! << 8) | all[5]!, rai: o.head.rai, data: all.subarray(hdr) };
    if (o.head.pcr !== undefined) u.pcr = o.head.pcr;
    if (flags & 0x80) u.pts = timestamp(all, 9);
    if ((flags & 0xc0) === 0xc0) u.dts = timestamp(all, 14);
    units.push(u);
    open.delete(pid);
  };
  for (const p of packets) {
    if (p.pid < 0x100 || p.pid === 0x1fff || p.pid === 0x1000) continue;
    if (p.pusi) {
      close(p.pid);
      open.set(p.pid, { head: p, parts: [] });
    }
    open.get(p.pid)?.parts.push(p.payload);
  }
  for (const pid of [...open.keys()]) close(pid);
  return units.sort((a, b) => a.packet - b.packet);
}

/** The section in the first packet of `pid` (pointer_field 0 assumed, single packet). */
export function firstSection(packets: TsPacket[], pid: number): Uint8Array {
  const p = packets.find((x) => x.pid === pid && x.pusi)!;
  const s = p.payload.subarray(1 + p.payload[0]!);
  return s.subarray(0, 3 + (((s[1]! & 0x0f) << 8) | s[2]!));
}

export const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
