/**
 * Protection boxes: the protection scheme information tree (14496-12 §8.12) and Common Encryption
 * (23001-7) track and sample boxes, plus sample auxiliary information (14496-12 §8.7.8, §8.7.9).
 */
import type { ByteReader } from '../../src/io/byte-reader.js';
import type { ByteWriter } from '../../src/io/byte-writer.js';
import { bytes, cstring, custom, flagged, fourcc, list, rest, sinceVersion, u32, type Field } from '../../src/io/field.js';
import { box, container, customBox, fullBox } from '../define.js';

/** §8.12.1 ProtectionSchemeInfoBox. */
export const sinf = container('sinf');

/** §8.12.2 OriginalFormatBox: the sample entry type before encryption (e.g. `avc1` under `encv`). */
export const frma = box('frma', { fields: { dataFormat: fourcc } });

/** §8.12.5 SchemeTypeBox. schemeVersion is 0x00010000 for CENC 1.0 schemes. */
export const schm = fullBox('schm', {
  fields: { schemeType: fourcc, schemeVersion: u32, schemeUri: flagged(0x1, cstring) },
});

/** §8.12.6 SchemeInformationBox. */
export const schi = container('schi');

// ---------------------------------------------------------------- tenc

/** Value of a `tenc` box. */
export interface Tenc {
  /** Version 1 only (pattern encryption, e.g. `cbcs`): encrypted 16-byte blocks per pattern. Its presence selects version 1. */
  defaultCryptByteBlock?: number;
  /** Version 1 only: clear 16-byte blocks per pattern. */
  defaultSkipByteBlock?: number;
  defaultIsProtected: number;
  /** 0, 8 or 16; 0 with protection means a constant IV follows. */
  defaultPerSampleIvSize: number;
  defaultKid: Uint8Array;
  /** Present when defaultIsProtected is 1 and defaultPerSampleIvSize is 0 (its length byte is derived). */
  defaultConstantIv?: Uint8Array;
}

/** 23001-7 §8.2 TrackEncryptionBox. */
export const tenc = customBox('tenc', {
  full: true,
  versions: [0, 1],
  version: (v) => (v.defaultCryptByteBlock !== undefined || v.defaultSkipByteBlock !== undefined ? 1 : 0),
  body: custom<Tenc>({
    minSize: 20,
    read: (r, c) => {
      r.u8(); // reserved
      const pattern = r.u8(); // version 0: reserved
      const defaultIsProtected = r.u8();
      const defaultPerSampleIvSize = r.u8();
      const defaultKid = r.bytes(16, 'default KID');
      const out: Tenc =
        c.version >= 1
          ? { defaultCryptByteBlock: pattern >> 4, defaultSkipByteBlock: pattern & 15, defaultIsProtected, defaultPerSampleIvSize, defaultKid }
          : { defaultIsProtected, defaultPerSampleIvSize, defaultKid };
      if (defaultIsProtected === 1 && defaultPerSampleIvSize === 0) out.defaultConstantIv = r.bytes(r.u8(), 'default constant IV');
      return out;
    },
    write: (w, v, c) => {
      w.u8(0);
      w.u8(c.version >= 1 ? (((v.defaultCryptByteBlock ?? 0) & 15) << 4) | ((v.defaultSkipByteBlock ?? 0) & 15) : 0);
      w.u8(v.defaultIsProtected);
      w.u8(v.defaultPerSampleIvSize);
      bytes(16).write(w, v.defaultKid, c);
      if (v.defaultConstantIv !== undefined) {
        w.u8(v.defaultConstantIv.length);
        w.bytes(v.defaultConstantIv);
      }
    },
    size: (v) => 20 + (v.defaultConstantIv !== undefined ? 1 + v.defaultConstantIv.length : 0),
  }),
});

// ---------------------------------------------------------------- pssh

/** A u32 byte count, then that many bytes (as a view); the count is derived on write. */
const sizedBytes: Field<Uint8Array> = custom({
  minSize: 4,
  read: (r) => {
    const n = r.u32();
    return r.bytes(n, `${n} data bytes`);
  },
  write: (w, v) => {
    w.u32(v.length);
    w.bytes(v);
  },
  size: (v) => 4 + v.length,
});

/** 23001-7 §8.1 ProtectionSystemSpecificHeaderBox. A KID list (even empty) selects version 1. */
export const pssh = fullBox('pssh', {
  versions: [0, 1],
  version: (v) => (v.kids !== undefined ? 1 : 0),
  fields: {
    systemId: bytes(16),
    kids: sinceVersion(1, list(u32, bytes(16), 'KIDs')),
    data: sizedBytes,
  },
});

// ---------------------------------------------------------------- senc

/**
 * 23001-7 §7.2 SampleEncryptionBox. The per-sample IV size is not in the box (it comes from `tenc` or a
 * sample group), so the entries cannot be parsed here: `sampleCount` is stored and the entries kept as bytes.
 */
export const senc = fullBox('senc', {
  flags: { useSubsampleEncryption: 0x2 },
  fields: { sampleCount: u32, data: rest },
});

// ---------------------------------------------------------------- saiz / saio

/** Auxiliary information type, present together with its parameter when flag 0x1 is set. */
export interface AuxInfoType {
  auxInfoType?: string;
  /** Written only with auxInfoType (0 when left out). */
  auxInfoTypeParameter?: number;
}

const AUX_INFO_TYPE = 0x1;

function readAuxInfoType(r: ByteReader, flags: number): AuxInfoType {
  return flags & AUX_INFO_TYPE ? { auxInfoType: r.fourcc(), auxInfoTypeParameter: r.u32() } : {};
}

function writeAuxInfoType(w: ByteWriter, v: AuxInfoType): void {
  if (v.auxInfoType === undefined) return;
  w.fourcc(v.auxInfoType);
  w.u32(v.auxInfoTypeParameter ?? 0);
}

const auxInfoTypeSize = (v: AuxInfoType): number => (v.auxInfoType !== undefined ? 8 : 0);
const auxInfoTypeFlags = (v: AuxInfoType): number => (v.auxInfoType !== undefined ? AUX_INFO_TYPE : 0);

/** Value of a `saiz` box: one size for all samples (with their count), or one size per sample. */
export type Saiz = AuxInfoType & ({ defaultSampleInfoSize: number; sampleCount: number } | { sampleInfoSizes: Uint8Array });

/** §8.7.8 SampleAuxiliaryInformationSizesBox. A default size of 0 means a size per sample follows. */
export const saiz = customBox('saiz', {
  full: true,
  flags: auxInfoTypeFlags,
  knownFlags: AUX_INFO_TYPE,
  body: custom<Saiz>({
    minSize: 5,
    read: (r, c) => {
      const aux = readAuxInfoType(r, c.flags);
      const defaultSampleInfoSize = r.u8();
      const sampleCount = r.u32();
      if (defaultSampleInfoSize !== 0) return { ...aux, defaultSampleInfoSize, sampleCount };
      // A view, never a copy (bytes checks the count against what remains).
      return { ...aux, sampleInfoSizes: r.bytes(sampleCount, `${sampleCount} saiz sizes`) };
    },
    write: (w, v) => {
      writeAuxInfoType(w, v);
      if ('sampleInfoSizes' in v) {
        w.u8(0);
        w.u32(v.sampleInfoSizes.length);
        w.bytes(v.sampleInfoSizes);
      } else {
        w.u8(v.defaultSampleInfoSize);
        w.u32(v.sampleCount);
      }
    },
    size: (v) => auxInfoTypeSize(v) + 5 + ('sampleInfoSizes' in v ? v.sampleInfoSizes.length : 0),
  }),
});

/** Value of a `saio` box. Offsets are 32-bit in version 0, 64-bit in version 1 (derived when one exceeds 32 bits). */
export type Saio = AuxInfoType & { offsets: Float64Array };

/** §8.7.9 SampleAuxiliaryInformationOffsetsBox. */
export const saio = customBox('saio', {
  full: true,
  versions: [0, 1],
  version: (v) => (v.offsets.every((o) => o <= 0xffffffff) ? 0 : 1),
  flags: auxInfoTypeFlags,
  knownFlags: AUX_INFO_TYPE,
  body: custom<Saio>({
    minSize: 4,
    read: (r, c) => {
      const aux = readAuxInfoType(r, c.flags);
      const count = r.u32();
      const width = c.version >= 1 ? 8 : 4;
      r.require(count * width, `${count} saio offsets`);
      const offsets = new Float64Array(count);
      for (let i = 0; i < count; i++) offsets[i] = width === 8 ? r.u64() : r.u32();
      return { ...aux, offsets };
    },
    write: (w, v, c) => {
      writeAuxInfoType(w, v);
      w.u32(v.offsets.length);
      for (const o of v.offsets) {
        if (c.version >= 1) w.u64(o);
        else w.u32(o);
      }
    },
    size: (v, c) => auxInfoTypeSize(v) + 4 + v.offsets.length * (c.version >= 1 ? 8 : 4),
  }),
});
