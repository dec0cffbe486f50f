/** Finding cc_data in SEI: NAL walking, emulation prevention, sei_message coding, the A/53 identifiers. */
import { ccTripletsOfSample, ccTripletsOfSeiRbsp, type CcTriplet } from '../../src/captions/index.js';
import { AVC_SLICE, avcSeiNal, escape, hevcSeiNal, sampleOf, seiRbsp, t35Payload, type Triplet } from './build.js';

const T: Triplet[] = [
  [0, 0x94, 0x20],
  [1, 0x15, 0x2c],
  [2, 0x00, 0x00], // zeros: the escaped form needs emulation-prevention bytes
  [3, 0x00, 0x03],
];
const expected = [
  { ccType: 0, ccData: 0x9420 },
  { ccType: 1, ccData: 0x152c },
  { ccType: 2, ccData: 0x0000 },
  { ccType: 3, ccData: 0x0003 },
];

test('H.264: the triplets of the SEI, emulation prevention removed before the messages are walked', () => {
  expect(ccTripletsOfSample(sampleOf([[0x09, 0xf0], avcSeiNal(T), AVC_SLICE]), 'avc')).toEqual(expected);
  // A message before the captions holds zero runs: escaped, it is longer than its payloadSize says, so the
  // caption message is found only if the 0x03 bytes are removed first.
  const rbsp = seiRbsp([
    { type: 5, payload: [0, 0, 0, 0, 1, 0, 0, 2, 0, 0, 3] },
    { type: 4, payload: t35Payload(T) },
  ]);
  const escaped = escape(rbsp);
  expect(escaped.length).toBeGreaterThan(rbsp.length);
  expect(ccTripletsOfSample(sampleOf([[0x06, ...escaped]]), 'avc')).toEqual(expected);
});

test('HEVC: prefix SEI (39) is read, suffix SEI (40) and H.264 type 6 are not', () => {
  expect(ccTripletsOfSample(sampleOf([hevcSeiNal(T)]), 'hevc')).toEqual(expected);
  const suffix = hevcSeiNal(T);
  suffix[0] = 40 << 1;
  expect(ccTripletsOfSample(sampleOf([suffix]), 'hevc')).toEqual([]);
  expect(ccTripletsOfSample(sampleOf([avcSeiNal(T)]), 'hevc')).toEqual([]);
  expect(ccTripletsOfSample(sampleOf([hevcSeiNal(T)]), 'avc')).toEqual([]);
});

test.each([1, 2, 3, 4])('NAL length prefixes of %i bytes', (size) => {
  expect(ccTripletsOfSample(sampleOf([avcSeiNal(T), AVC_SLICE], size), 'avc', size)).toEqual(expected);
});

test('a length prefix size outside 1..4 is a caller error (RangeError)', () => {
  expect(() => ccTripletsOfSample(new Uint8Array(8), 'avc', 0)).toThrow(RangeError);
  expect(() => ccTripletsOfSample(new Uint8Array(8), 'avc', 5)).toThrow(RangeError);
});

test('payloadType and payloadSize coded with 0xFF runs; every T35 caption message is read', () => {
  const rbsp = seiRbsp([
    { type: 300, payload: new Array<number>(260).fill(0x11) },
    { type: 4, payload: t35Payload(T.slice(0, 2)) },
    { type: 5, payload: [1, 2, 3] },
    { type: 4, payload: t35Payload(T.slice(2)) },
  ]);
  const out: CcTriplet[] = [];
  expect(ccTripletsOfSeiRbsp(Uint8Array.from(rbsp), out)).toBe(2);
  expect(out).toEqual(expected);
  expect(ccTripletsOfSample(sampleOf([[0x06, ...escape(rbsp)]]), 'avc')).toEqual(expected);
});

test('T35 payloads that are not ATSC caption data give nothing', () => {
  const variants: Array<(p: number[]) => void> = [
    (p) => (p[0] = 0xb4), // country code
    (p) => (p[2] = 0x2f), // provider code
    (p) => (p[6] = 0x33), // 'GA93'
    (p) => (p[7] = 0x06), // bar data, not cc_data
    (p) => (p[8] = p[8]! & ~0x40), // process_cc_data_flag clear
  ];
  for (const change of variants) {
    const payload = t35Payload(T);
    change(payload);
    expect(ccTripletsOfSample(sampleOf([[0x06, ...escape(seiRbsp([{ type: 4, payload }]))]]), 'avc')).toEqual([]);
  }
});

test('cc_valid clear skips a triplet; cc_count past the payload reads only what is there', () => {
  expect(ccTripletsOfSample(sampleOf([avcSeiNal([[0, 1, 2, false], ...T])]), 'avc')).toEqual(expected);
  const payload = t35Payload(T);
  payload[8] = (payload[8]! & ~0x1f) | 31; // claims 31 triplets, holds 4
  expect(ccTripletsOfSample(sampleOf([[0x06, ...escape(seiRbsp([{ type: 4, payload }]))]]), 'avc')).toEqual(expected);
});

test('damaged samples: a NAL length past the end stops the walk, a payload size past the end is cut', () => {
  const good = sampleOf([avcSeiNal(T)]);
  const tail = Uint8Array.from([0x7f, 0xff, 0xff, 0xff, 0x06, 0x04]);
  const joined = new Uint8Array(good.length + tail.length);
  joined.set(good);
  joined.set(tail, good.length);
  expect(ccTripletsOfSample(joined, 'avc')).toEqual(expected);
  // The SEI's payloadSize says 200, the NAL ends sooner: the triplets present are still read.
  const rbsp = [4, 200, ...t35Payload(T)];
  expect(ccTripletsOfSample(sampleOf([[0x06, ...escape(rbsp)]]), 'avc')).toEqual(expected);
  expect(ccTripletsOfSample(new Uint8Array(0), 'avc')).toEqual([]);
  expect(ccTripletsOfSample(Uint8Array.of(0, 0, 0), 'avc')).toEqual([]);
});
