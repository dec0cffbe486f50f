/** The program tables shared by the demuxer and the transmuxer (src/demux/ts/program.ts). */
import { ProgramTables } from '../../../src/demux/ts/program.js';
import type { Pmt } from '../../../src/demux/ts/psi.js';
import { pat, pmt, section } from './ts-writer.js';

/** A section as the payload of one packet starting it (pointer_field 0). */
const payload = (s: Uint8Array): Uint8Array => Uint8Array.from([0, ...s]);

function tables(): { t: ProgramTables; pats: number; pmts: Array<[Pmt, boolean]> } {
  const out = { pats: 0, pmts: [] as Array<[Pmt, boolean]> } as { t: ProgramTables; pats: number; pmts: Array<[Pmt, boolean]> };
  out.t = new ProgramTables({ onPat: () => out.pats++, onPmt: (p, repeat) => out.pmts.push([p, repeat]) });
  return out;
}

describe('ProgramTables', () => {
  const streams = [{ type: 0x1b, pid: 256 }, { type: 0x0f, pid: 257 }];

  it('reads the first program of the PAT and its PMT; a repeat is recognised by its bytes', () => {
    const x = tables();
    const t = x.t;
    const twoPrograms = section(0, 1, 0, Uint8Array.of(0, 5, 0xe1, 0x00, 0, 6, 0xe2, 0x00));
    t.payload(0, payload(twoPrograms), true, false);
    expect([t.programNumber, t.programCount, t.pmtPid, x.pats]).toEqual([5, 2, 0x100, 1]);
    expect(t.psiPids[0x100]).toBe(1);
    expect(t.psiPids[0x200]).toBe(0);
    const table = pmt(5, 0, 256, streams);
    t.payload(0x100, payload(table), true, false);
    t.payload(0x100, payload(table), true, false);
    expect(x.pmts.map(([p, r]) => [p.programNumber, p.streams.map((s) => s.pid), r])).toEqual([
      [5, [256, 257], false],
      [5, [256, 257], true],
    ]);
    expect(x.pmts[1]![0]).toBe(x.pmts[0]![0]); // not parsed again
    // Another program's PMT, and a PMT that fails its CRC.
    t.payload(0x100, payload(pmt(6, 0, 256, streams)), true, false);
    const bad = pmt(5, 1, 256, streams);
    bad[bad.length - 1]! ^= 1;
    t.payload(0x100, payload(bad), true, false);
    expect(x.pmts.length).toBe(2);
    expect(t.badSections).toBe(1);
  });

  it('reassembles a section across packets, and drops it when packets were lost', () => {
    const x = tables();
    const t = x.t;
    t.payload(0, payload(pat(1, 0x1000)), true, false);
    const table = pmt(1, 0, 256, streams);
    const whole = payload(table);
    t.payload(0x1000, whole.subarray(0, 10), true, false);
    t.payload(0x1000, whole.subarray(10), false, false);
    expect(x.pmts.length).toBe(1);
    const next = payload(pmt(1, 1, 256, streams.slice(0, 1)));
    t.payload(0x1000, next.subarray(0, 10), true, false);
    t.payload(0x1000, next.subarray(10), false, true);
    expect(x.pmts.length).toBe(1);
  });

  it('follows the PMT to a new PID, reading it afresh there', () => {
    const x = tables();
    const t = x.t;
    t.payload(0, payload(pat(1, 0x100)), true, false);
    const table = pmt(1, 0, 256, streams);
    t.payload(0x100, payload(table), true, false);
    t.payload(0, payload(pat(1, 0x101)), true, false);
    expect(t.pmtPid).toBe(0x101);
    expect([t.psiPids[0x100], t.psiPids[0x101]]).toEqual([1, 1]);
    // The same PMT on the new PID is not taken for a repeat.
    t.payload(0x101, payload(table), true, false);
    expect(x.pmts.map(([, r]) => r)).toEqual([false, false]);
  });
});
