/**
 * Transport stream packet layer (ISO/IEC 13818-1 §2.4.3.2–2.4.3.5): 188-byte packets, also with the
 * 4-byte M2TS/BDAV prefix (192 bytes) or 16 bytes of Reed-Solomon parity (204 bytes), resync on 0x47
 * after garbage, adaptation fields. Works on views of the input: nothing is copied.
 */

/** 13818-1 §2.4.3.2: every packet starts with the sync byte 0x47. */
export const SYNC_BYTE = 0x47;
/** The null packet PID (§2.4.3.3 Table 2-3): stuffing, never carries data. */
export const NULL_PID = 0x1fff;

/** One transport packet; offsets are absolute in the input. */
export interface TsPacket {
  /** Offset of the sync byte. */
  offset: number;
  pid: number;
  /** payload_unit_start_indicator: a PES packet or PSI section starts in this payload. */
  unitStart: boolean;
  transportError: boolean;
  continuityCounter: number;
  /** adaptation_field_control has the payload bit. */
  hasPayload: boolean;
  /** discontinuity_indicator of the adaptation field (§2.4.3.5). */
  discontinuity: boolean;
  /** random_access_indicator of the adaptation field. */
  randomAccess: boolean;
  /** Payload window [payloadStart, payloadEnd) in the input; empty when there is none. */
  payloadStart: number;
  payloadEnd: number;
  /** The adaptation_field_length did not fit the packet (payload dropped). */
  badAdaptation: boolean;
}

/** What the packet layer saw while scanning. */
export interface PacketScanStats {
  /** 188, 192 or 204; 0 when no packet was found. */
  packetSize: number;
  packets: number;
  /** Bytes skipped to find sync again, plus an incomplete packet at the end. */
  droppedBytes: number;
  /** Places where sync was lost and searched for again. */
  resyncs: number;
}

const SIZES = [188, 192, 204] as const;
/** Sync bytes that must line up before a position is trusted as a packet start. */
const CONFIRM = 3;

/** Offset of the sync byte inside a packet of `size` bytes (M2TS puts a 4-byte time code first). */
function syncOffset(size: number): number {
  return size === 192 ? 4 : 0;
}

/** True when a sync byte sits at `p` and at the next `CONFIRM − 1` strides that lie inside the data. */
function alignedAt(data: Uint8Array, p: number, stride: number): boolean {
  for (let k = 0; k < CONFIRM; k++) {
    const q = p + k * stride;
    if (q >= data.length) return k > 0 || p + 188 <= data.length;
    if (data[q] !== SYNC_BYTE) return false;
  }
  return true;
}

/**
 * Finds the packet size and the first sync byte: the earliest position where sync bytes repeat at
 * a stride of 188, 192 or 204 (188 preferred on a tie). Returns undefined when none repeats.
 */
export function detectPacketSize(data: Uint8Array): { size: number; firstSync: number } | undefined {
  // Look at up to 64 KiB: a stream whose start is garbage for longer than that is not worth guessing.
  const limit = Math.min(data.length, 65536);
  for (let p = 0; p < limit; p++) {
    if (data[p] !== SYNC_BYTE) continue;
    for (const size of SIZES) {
      if (!(p + 2 * size < data.length && alignedAt(data, p, size))) continue;
      if (size === 192) {
        // An M2TS arrival timestamp can hold 0x47 in every packet's prefix: the sync byte is the last
        // aligned one of the 4-byte prefix + sync.
        let q = p;
        for (let d = 1; d <= 4; d++) if (p + d + 2 * size < data.length && alignedAt(data, p + d, size)) q = p + d;
        return { size, firstSync: q };
      }
      return { size, firstSync: p };
    }
  }
  // Tiny inputs: a single packet (or two) at the very start.
  if (data.length >= 188 && data[0] === SYNC_BYTE) return { size: 188, firstSync: 0 };
  if (data.length >= 192 && data[4] === SYNC_BYTE) return { size: 192, firstSync: 4 };
  return undefined;
}

/** A packet record for {@link readPacketInto} to fill. */
export function emptyPacket(): TsPacket {
  return {
    offset: 0, pid: 0, unitStart: false, transportError: false, continuityCounter: 0, hasPayload: false,
    discontinuity: false, randomAccess: false, payloadStart: 0, payloadEnd: 0, badAdaptation: false,
  };
}

/**
 * Parses the 4-byte header and adaptation field of the packet whose sync byte is at `p` (§2.4.3.2, §2.4.3.4)
 * into `out` (no allocation: callers reuse one object for every packet).
 */
export function readPacketInto(data: Uint8Array, p: number, out: TsPacket): TsPacket {
  const b1 = data[p + 1]!;
  const b2 = data[p + 2]!;
  const b3 = data[p + 3]!;
  const afc = (b3 >> 4) & 3;
  const end = p + 188;
  let payloadStart = p + 4;
  let discontinuity = false;
  let randomAccess = false;
  let badAdaptation = false;
  if (afc & 2) {
    const afl = data[p + 4]!;
    // §2.4.3.5: 0..182 with a payload, exactly 183 without one.
    if (afl > (afc === 3 ? 182 : 183)) {
      badAdaptation = true;
      payloadStart = end;
    } else {
      if (afl > 0) {
        const flags = data[p + 5]!;
        discontinuity = (flags & 0x80) !== 0;
        randomAccess = (flags & 0x40) !== 0;
      }
      payloadStart = p + 5 + afl;
    }
  }
  const hasPayload = (afc & 1) !== 0 && !badAdaptation;
  out.offset = p;
  out.pid = ((b1 & 0x1f) << 8) | b2;
  out.unitStart = (b1 & 0x40) !== 0;
  out.transportError = (b1 & 0x80) !== 0;
  out.continuityCounter = b3 & 0x0f;
  out.hasPayload = hasPayload;
  out.discontinuity = discontinuity;
  out.randomAccess = randomAccess;
  out.payloadStart = hasPayload ? payloadStart : end;
  out.payloadEnd = end;
  out.badAdaptation = badAdaptation;
  return out;
}

/**
 * Walks the complete transport packets of `data` in order: {@link PacketWalker.next} returns the
 * offset of the next sync byte, or -1 at the end. Garbage between packets is skipped by searching for
 * the next position where sync bytes line up again at the packet size; an incomplete packet at the
 * end is dropped. Always advances, so it ends on any input. `stats` counts as it goes.
 */
export class PacketWalker {
  readonly stats: PacketScanStats = { packetSize: 0, packets: 0, droppedBytes: 0, resyncs: 0 };
  private p = 0;
  private size = 188;

  constructor(private readonly data: Uint8Array) {
    const found = detectPacketSize(data);
    if (!found) {
      this.stats.droppedBytes = data.length;
      this.p = data.length;
      return;
    }
    this.size = found.size;
    this.stats.packetSize = found.size;
    // Bytes before the first sync (an M2TS prefix belongs to its packet and is not counted).
    this.stats.droppedBytes += Math.max(0, found.firstSync - syncOffset(found.size));
    this.p = found.firstSync;
  }

  next(): number {
    const data = this.data;
    let p = this.p;
    while (p + 188 <= data.length) {
      if (data[p] === SYNC_BYTE) {
        this.p = p + this.size;
        this.stats.packets++;
        return p;
      }
      // Lost sync: find the next position where sync bytes line up at this packet size.
      this.stats.resyncs++;
      let q = p + 1;
      while (q + 188 <= data.length && !(data[q] === SYNC_BYTE && alignedAt(data, q, this.size))) q++;
      this.stats.droppedBytes += q - p;
      p = q;
    }
    // The tail that holds no complete packet.
    if (p < data.length) this.stats.droppedBytes += data.length - p;
    this.p = data.length;
    return -1;
  }
}

/**
 * Calls `visit` for every complete transport packet of `data`, in order (only those whose PID is set in
 * `wanted`, indexed by PID, when given: it may change while scanning). The packet object is reused
 * from one call to the next: `visit` must copy what it keeps. See {@link PacketWalker}.
 */
export function forEachPacket(data: Uint8Array, visit: (p: TsPacket) => void, wanted?: Uint8Array): PacketScanStats {
  const walker = new PacketWalker(data);
  const packet = emptyPacket();
  for (let p = walker.next(); p >= 0; p = walker.next()) {
    if (!wanted || wanted[((data[p + 1]! & 0x1f) << 8) | data[p + 2]!] !== 0) visit(readPacketInto(data, p, packet));
  }
  return walker.stats;
}
