import type { BoxVector } from '../../helpers/vector.js';
import { hexToBytes } from '../../helpers/vector.js';

export const vectors: BoxVector[] = [
  {
    box: { type: 'ftyp', value: { majorBrand: 'isom', minorVersion: 512, compatibleBrands: ['isom', 'iso2', 'avc1', 'mp41'] } },
    hex: '00000020 66747970 69736f6d 00000200 69736f6d 69736f32 61766331 6d703431',
    dump: ['[ftyp] size=32 offset=0', 'majorBrand: "isom"', 'minorVersion: 512', 'compatibleBrands: ["isom", "iso2", "avc1", "mp41"]'],
  },
  {
    box: { type: 'styp', value: { majorBrand: 'msdh', minorVersion: 0, compatibleBrands: ['msdh', 'msix'] } },
    hex: '00000018 73747970 6d736468 00000000 6d736468 6d736978',
  },
  { box: { type: 'free', value: { data: hexToBytes('00000000') } }, hex: '0000000c 66726565 00000000' },
  { box: { type: 'skip', value: { data: new Uint8Array(0) } }, hex: '00000008 736b6970' },
  { box: { type: 'wide', value: { data: new Uint8Array(0) } }, hex: '00000008 77696465' },
  { box: { type: 'mdat', value: { data: hexToBytes('deadbeef') } }, hex: '0000000c 6d646174 deadbeef', dump: ['data: deadbeef'] },
  {
    box: { type: 'uuid', value: { usertype: hexToBytes('a2394f525a9b4f14a2446c427c648df4'), data: hexToBytes('0102') } },
    hex: '0000001a 75756964 a2394f525a9b4f14a2446c427c648df4 0102',
  },
  {
    name: 'sidx v0',
    box: {
      type: 'sidx',
      value: {
        referenceId: 1, timescale: 90000, earliestPresentationTime: 0, firstOffset: 0,
        references: [{ referenceType: 0, referencedSize: 1000, subsegmentDuration: 180000, startsWithSap: 1, sapType: 1, sapDeltaTime: 0 }],
      },
    },
    hex: '0000002c 73696478 00000000 00000001 00015f90 00000000 00000000 0000 0001 000003e8 0002bf20 90000000',
  },
  {
    name: 'sidx v1 (64-bit time)',
    box: { type: 'sidx', value: { referenceId: 1, timescale: 1000, earliestPresentationTime: 0x100000000, firstOffset: 0, references: [] } },
    hex: '00000028 73696478 01000000 00000001 000003e8 0000000100000000 0000000000000000 0000 0000',
  },
  {
    name: 'emsg v0',
    box: { type: 'emsg', value: { schemeIdUri: 'urn:a', value: 'b', timescale: 1000, presentationTimeDelta: 5, eventDuration: 10, id: 7, messageData: hexToBytes('ff') } },
    hex: '00000025 656d7367 00000000 75726e3a6100 6200 000003e8 00000005 0000000a 00000007 ff',
  },
  {
    name: 'emsg v1',
    box: { type: 'emsg', value: { timescale: 1000, presentationTime: 90, eventDuration: 10, id: 7, schemeIdUri: 'urn:a', value: 'b', messageData: new Uint8Array(0) } },
    hex: '00000028 656d7367 01000000 000003e8 000000000000005a 0000000a 00000007 75726e3a6100 6200',
  },
  {
    box: { type: 'prft', value: { referenceTrackId: 1, ntpSeconds: 0xe8000000, ntpFraction: 5, mediaTime: 90000 } },
    hex: '0000001c 70726674 00000000 00000001 e8000000 00000005 00015f90',
  },
];
