/** Program association and program map sections (ISO/IEC 13818-1 §2.4.4.3, §2.4.4.8). */
import { BoxwrightError } from '../../io/errors.js';
import { crc32Mpeg2 } from '../../io/crc32.js';

/** §2.4.4.4 Table 2-3: the PAT is always on PID 0. */
export const PAT_PID = 0x0000;

/** One elementary stream entry of the PMT's second loop (§2.4.4.9). */
export interface PmtStreamEntry {
  streamType: number;
  pid: number;
  /** ES_info descriptors, already serialized. */
  descriptors: Uint8Array;
}

/**
 * A long-form section (§2.4.4.11 syntax): table_id, section_syntax_indicator 1, section_length,
 * the 16-bit id (transport_stream_id / program_number), version 0, current_next_indicator 1,
 * section_number 0, last_section_number 0, `body`, CRC_32.
 */
function section(tableId: number, id: number, body: Uint8Array): Uint8Array {
  const sectionLength = 5 + body.length + 4; // after section_length: id..last_section_number, body, CRC_32
  // §2.4.4.9: section_length of a PMT (and PAT) must not exceed 1021.
  if (sectionLength > 1021) throw new BoxwrightError('BAD_VALUE', `PSI section of ${sectionLength} bytes exceeds 1021 (too many streams)`, 0, '');
  const s = new Uint8Array(3 + sectionLength);
  s[0] = tableId;
  // section_syntax_indicator 1, '0', reserved '11', section_length (12 bits).
  s[1] = 0xb0 | (sectionLength >> 8);
  s[2] = sectionLength & 0xff;
  s[3] = id >> 8;
  s[4] = id & 0xff;
  s[5] = 0xc1; // reserved '11', version_number 0, current_next_indicator 1
  s[6] = 0; // section_number
  s[7] = 0; // last_section_number
  s.set(body, 8);
  const crc = crc32Mpeg2(s, 0, s.length - 4);
  s[s.length - 4] = crc >>> 24;
  s[s.length - 3] = (crc >>> 16) & 0xff;
  s[s.length - 2] = (crc >>> 8) & 0xff;
  s[s.length - 1] = crc & 0xff;
  return s;
}

/** The PAT (table_id 0x00) announcing one program and its PMT PID; transport_stream_id 1. */
export function patSection(programNumber: number, pmtPid: number): Uint8Array {
  return section(0x00, 1, Uint8Array.of(programNumber >> 8, programNumber & 0xff, 0xe0 | (pmtPid >> 8), pmtPid & 0xff));
}

/** The TS program map section (table_id 0x02) of one program: PCR_PID, no program descriptors, the streams. */
export function pmtSection(programNumber: number, pcrPid: number, streams: readonly PmtStreamEntry[]): Uint8Array {
  const body = new Uint8Array(4 + streams.reduce((n, s) => n + 5 + s.descriptors.length, 0));
  body[0] = 0xe0 | (pcrPid >> 8); // reserved '111', PCR_PID
  body[1] = pcrPid & 0xff;
  body[2] = 0xf0; // reserved '1111', program_info_length 0
  body[3] = 0;
  let p = 4;
  for (const s of streams) {
    body[p] = s.streamType;
    body[p + 1] = 0xe0 | (s.pid >> 8); // reserved '111', elementary_PID
    body[p + 2] = s.pid & 0xff;
    body[p + 3] = 0xf0 | (s.descriptors.length >> 8); // reserved '1111', ES_info_length
    body[p + 4] = s.descriptors.length & 0xff;
    body.set(s.descriptors, p + 5);
    p += 5 + s.descriptors.length;
  }
  return section(0x02, programNumber, body);
}
