/** id3Emsg: the emsg v1 form of an ID3 tag, read back by us, mp4box.js and codem-isoboxer. */
import { createFile, MP4BoxBuffer } from 'mp4box';
import { readBoxes } from '../../src/api/boxes.js';
import { ID3_EMSG_SCHEME, id3Emsg } from '../../src/mux/emsg.js';
import { parseId3Tag } from '../../src/demux/es/id3.js';

// codem-isoboxer has no types of its own.
const ISOBoxer = require('codem-isoboxer') as { parseBuffer(b: ArrayBuffer): { fetchAll(t: string): Array<Record<string, unknown>> } };

function arrayBuffer(d: Uint8Array): ArrayBuffer {
  const ab = new ArrayBuffer(d.byteLength);
  new Uint8Array(ab).set(d);
  return ab;
}

// An ID3v2.4 tag with one TXXX frame (description 'k', value 'v').
const TAG = Uint8Array.from([0x49, 0x44, 0x33, 4, 0, 0, 0, 0, 0, 15, 0x54, 0x58, 0x58, 0x58, 0, 0, 0, 5, 0, 0, 3, 0x6b, 0, 0x76, 0]);

describe('id3Emsg', () => {
  // A time past 2^32 checks the 64-bit presentation_time.
  const cases = [
    { time: 0, timescale: 90000, id: 0 },
    { time: 2 ** 33 + 7, timescale: 90000, id: 42 },
    { time: 123456, timescale: 48000, id: 0xffffffff },
  ];
  test.each(cases)('time $time @ $timescale, id $id: every field as written, by three readers', ({ time, timescale, id }) => {
    const bytes = id3Emsg(TAG, time, timescale, id);

    const ours = readBoxes(bytes).boxes;
    expect(ours).toHaveLength(1);
    expect(ours[0]!.type).toBe('emsg');
    expect(ours[0]!.version).toBe(1);
    expect(ours[0]!.value).toEqual({ schemeIdUri: ID3_EMSG_SCHEME, value: '', timescale, presentationTime: time, eventDuration: 0xffffffff, id, messageData: TAG });
    expect(parseId3Tag((ours[0]!.value as { messageData: Uint8Array }).messageData)).toMatchObject([{ key: 'TXXX', description: 'k', value: 'v' }]);

    const file = createFile();
    file.appendBuffer(MP4BoxBuffer.fromArrayBuffer(arrayBuffer(bytes), 0));
    file.flush();
    const m = file.boxes[0] as unknown as Record<string, unknown>;
    expect(m.type).toBe('emsg');
    expect(m.size).toBe(bytes.length);
    expect([m.version, m.timescale, m.presentation_time, m.event_duration, m.id, m.scheme_id_uri, m.value]).toEqual([1, timescale, time, 0xffffffff, id, ID3_EMSG_SCHEME, '']);
    expect(Buffer.from(m.message_data as Uint8Array).equals(Buffer.from(TAG))).toBe(true);

    const c = ISOBoxer.parseBuffer(arrayBuffer(bytes)).fetchAll('emsg');
    expect(c).toHaveLength(1);
    const e = c[0]!;
    expect([e.size, e.version, e.flags, e.timescale, e.presentation_time, e.event_duration, e.id, e.scheme_id_uri, e.value]).toEqual([bytes.length, 1, 0, timescale, time, 0xffffffff, id, ID3_EMSG_SCHEME, '']);
    expect(Buffer.from(e.message_data as Uint8Array).equals(Buffer.from(TAG))).toBe(true);
  });

  test('bad arguments are RangeErrors', () => {
    expect(() => id3Emsg(TAG, -1, 90000, 0)).toThrow(RangeError);
    expect(() => id3Emsg(TAG, 1.5, 90000, 0)).toThrow(RangeError);
    expect(() => id3Emsg(TAG, 0, 0, 0)).toThrow(RangeError);
    expect(() => id3Emsg(TAG, 0, 90000, 2 ** 32)).toThrow(RangeError);
  });
});
