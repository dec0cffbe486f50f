/**
 * AAC in LATM/LOAS (MPEG-TS stream type 0x11): the raw frames we take out are the AAC frames the
 * source MP4 holds (samples/h264-aac-latm.ts is h264-aac.mp4 remuxed with ffmpeg -mpegts_flags latm),
 * the fMP4 we write decodes to the same audio as ffmpeg's decode of the LATM input, and hand-made
 * StreamMuxConfig variants (audioMuxVersion 1, several subframes, other data) are read.
 */
import { configBytes } from '../../helpers/config.js';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { demuxAny } from '../../../src/demux/index.js';
import { scanLatm } from '../../../src/demux/ts/latm.js';
import { createFragmentedMp4, probeMedia } from '../../../src/index.js';
import { sampleBytes } from '../../../src/model/sample-bytes.js';
import { readFileSync } from 'node:fs';
import { ffprobeBin } from '../../helpers/ffprobe.js';
import { OWN_SAMPLES } from '../../helpers/samples.js';

const LATM = new Uint8Array(readFileSync(join(OWN_SAMPLES, 'h264-aac-latm.ts')));
const MP4 = new Uint8Array(readFileSync(join(OWN_SAMPLES, 'h264-aac.mp4')));

/** MSB-first bit writer for hand-made LATM frames. */
class Bits {
  private bytes: number[] = [];
  private n = 0;
  put(v: number, width: number): this {
    for (let i = width - 1; i >= 0; i--) {
      if (this.n % 8 === 0) this.bytes.push(0);
      if (Math.floor(v / 2 ** i) % 2) this.bytes[this.bytes.length - 1]! |= 0x80 >> this.n % 8;
      this.n++;
    }
    return this;
  }
  putBytes(b: Uint8Array): this {
    for (const x of b) this.put(x, 8);
    return this;
  }
  get length(): number {
    return this.n;
  }
  done(): Uint8Array {
    return Uint8Array.from(this.bytes);
  }
}

/** One LOAS frame around an AudioMuxElement. */
function loas(element: Uint8Array): Uint8Array {
  return Uint8Array.from([0x56, 0xe0 | (element.length >> 8), element.length & 0xff, ...element]);
}

describe('AAC in LATM/LOAS', () => {
  test('the raw AAC frames equal those of the MP4 the stream was remuxed from, with the same AudioSpecificConfig', () => {
    const ts = demuxAny(LATM).movie;
    const mp4 = demuxAny(MP4).movie;
    const a = ts.tracks.find((t) => t.kind === 'audio')!;
    const b = mp4.tracks.find((t) => t.kind === 'audio')!;
    expect(a.descriptions[0]!.latm).toBe(true);
    expect(a.descriptions[0]!.codec).toBe('aac');
    // ffmpeg's LATM muxer writes the 2-byte config without the MP4's sync extension (SBR absent), as ffprobe's extradata_size=2 shows.
    const latmConfig = Buffer.from(configBytes(a.descriptions[0]!.config)!).toString('hex');
    expect(latmConfig).toBe('1190');
    expect(Buffer.from(configBytes(b.descriptions[0]!.config)!).toString('hex').startsWith(latmConfig)).toBe(true);
    expect(a.samples.count).toBe(b.samples.count);
    for (let i = 0; i < a.samples.count; i++) expect(Buffer.from(sampleBytes(a, i)).equals(Buffer.from(sampleBytes(b, i)))).toBe(true);
    const p = probeMedia(LATM);
    expect(p.streams[1]).toMatchObject({ codec_name: 'aac_latm', codec_tag: '0x0011', profile: 'LC', sample_rate: '48000', channels: 2 });
  });

  test('ffmpeg decodes our fMP4 to the same audio as the LATM input', () => {
    ffprobeBin(); // installs ffmpeg (with ffprobe) when missing, or fails with the instruction
    const dir = mkdtempSync(join(tmpdir(), 'bw-latm-'));
    const out = join(dir, 'out.mp4');
    const inp = join(dir, 'in.ts');
    writeFileSync(out, createFragmentedMp4(LATM).data);
    writeFileSync(inp, LATM);
    const hashes = (f: string): string[] =>
      execFileSync('ffmpeg', ['-v', 'error', '-i', f, '-map', '0:a', '-f', 'framemd5', '-'], { encoding: 'utf8' })
        .split('\n')
        .filter((l) => l && !l.startsWith('#'))
        .map((l) => l.split(',').at(-1)!.trim());
    const theirs = hashes(inp);
    expect(theirs.length).toBeGreaterThan(80);
    expect(hashes(out)).toEqual(theirs);
  });

  test('audioMuxVersion 1 (LatmGetValue, fill bits), two subframes, other data and a CRC byte', () => {
    const asc = Uint8Array.from([0x11, 0x90]); // AAC LC, 48 kHz, stereo
    const p1 = Uint8Array.from([1, 2, 3, 4, 5]);
    const p2 = Uint8Array.from([0xff, 0xfe]);
    const w = new Bits();
    w.put(0, 1); // useSameStreamMux
    w.put(1, 1).put(0, 1); // audioMuxVersion 1, audioMuxVersionA 0
    w.put(0, 2).put(0, 8); // taraBufferFullness = LatmGetValue (1 byte)
    w.put(1, 1).put(1, 6).put(0, 4).put(0, 3); // allStreamsSameTimeFraming, numSubFrames 1, numProgram 0, numLayer 0
    w.put(0, 2).put(16 + 5, 8); // ascLen = 21 bits: the 16-bit ASC, then 5 fill bits
    w.putBytes(asc).put(0, 5);
    w.put(0, 3).put(0xff, 8); // frameLengthType 0, latmBufferFullness
    w.put(1, 1).put(0, 2).put(8, 8); // otherDataPresent, otherDataLenBits = 8
    w.put(1, 1).put(0x5a, 8); // crcCheckPresent, crcCheckSum
    w.put(p1.length, 8).putBytes(p1);
    w.put(p2.length, 8).putBytes(p2);
    w.put(0xab, 8); // other data
    const f1 = loas(w.done());
    // The next frame reuses the config (useSameStreamMux = 1): two subframes again, then the other data.
    const w2 = new Bits().put(1, 1).put(p2.length, 8).putBytes(p2).put(p1.length, 8).putBytes(p1).put(0xcd, 8);
    const f2 = loas(w2.done());
    const scan = scanLatm(Uint8Array.from([...f1, ...f2]));
    expect(scan.skippedBytes).toBe(0);
    expect(scan.frames.map((f) => Array.from(scan.data.subarray(f.payloadStart, f.end)))).toEqual([Array.from(p1), Array.from(p2), Array.from(p2), Array.from(p1)]);
    expect(scan.frames.map((f) => f.start)).toEqual([0, 0, f1.length, f1.length]);
    const d = [...scan.descriptions.values()][0]!;
    expect(Array.from(configBytes(d.config)!)).toEqual(Array.from(asc));
    expect([d.sampleRate, d.channels]).toEqual([48000, 2]);
  });

  test('frames before the first StreamMuxConfig, garbage and a cut frame are skipped, not fatal', () => {
    const cfgLess = loas(new Bits().put(1, 1).put(3, 8).putBytes(Uint8Array.from([9, 9, 9])).done());
    const scan = scanLatm(Uint8Array.from([...cfgLess, 1, 2, 3, ...cfgLess.subarray(0, 4)]));
    expect(scan.frames.length).toBe(0);
    expect(scan.skippedBytes).toBeGreaterThan(0);
    // The real stream cut anywhere: frames up to the cut, nothing thrown.
    for (const cut of [1000, 20000, 40001, LATM.length - 1]) {
      const m = demuxAny(LATM.subarray(0, cut - (cut % 188))).movie;
      expect(m.tracks.every((t) => t.samples.count >= 0)).toBe(true);
    }
  });
});
