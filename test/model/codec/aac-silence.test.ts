/**
 * silentAacFrame: ffmpeg 5.1 (ADTS input) and our AAC decoder both decode runs of the frames to zeros, without
 * an error, for channel configurations 1–7 at 22.05, 44.1 and 48 kHz, and for a program_config_element layout.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAacDecoder } from '../../../src/decode/aac/index.js';
import { BitCounter, BitWriter, type BitSink } from '../../../src/io/bit-writer.js';
import { BoxwrightError } from '../../../src/io/errors.js';
import { AAC_SAMPLE_RATES, parseAudioSpecificConfig } from '../../../src/model/codec/aac-asc.js';
import { silentAacFrame } from '../../../src/model/codec/aac-silence.js';
import { ffprobeBin } from '../../helpers/ffprobe.js';
import { writeTree } from '../../../boxes/tree.js';
import { demuxAny } from '../../../src/demux/index.js';
import { progressiveBoxes } from '../../../src/mux/mp4.js';

const FRAMES = 12;
const CHANNELS = [0, 1, 2, 3, 4, 5, 6, 8];

function bitsOf(write: (w: BitSink) => void): Uint8Array {
  const c = new BitCounter();
  write(c);
  const w = new BitWriter(c.bytes);
  write(w);
  return w.finish();
}

/** AudioSpecificConfig: object type, samplingFrequencyIndex, channelConfiguration, GASpecificConfig (+ PCE). */
function asc(objectType: number, rate: number, cfg: number, pce?: (w: BitSink) => void): Uint8Array {
  return bitsOf((w) => {
    w.bits(5, objectType);
    w.bits(4, AAC_SAMPLE_RATES.indexOf(rate));
    w.bits(4, cfg);
    w.bits(3, 0); // frameLengthFlag, dependsOnCoreCoder, extensionFlag
    pce?.(w);
    w.byteAlign();
  });
}

/** ADTS header (14496-3 §1.A.2.2), no CRC, one raw data block. */
function adts(objectType: number, rate: number, cfg: number, frame: Uint8Array): Uint8Array {
  const header = bitsOf((w) => {
    w.bits(12, 0xfff);
    w.bits(1, 0); // MPEG-4
    w.bits(2, 0);
    w.bits(1, 1); // protection_absent
    w.bits(2, objectType - 1);
    w.bits(4, AAC_SAMPLE_RATES.indexOf(rate));
    w.bits(1, 0);
    w.bits(3, cfg);
    w.bits(4, 0);
    w.bits(13, 7 + frame.length);
    w.bits(11, 0x7ff);
    w.bits(2, 0);
  });
  const out = new Uint8Array(7 + frame.length);
  out.set(header);
  out.set(frame, 7);
  return out;
}

/** ffmpeg's decode of an ADTS stream: interleaved f32 samples and what it said on stderr at level warning. */
function ffmpegDecode(bytes: Uint8Array, ext = 'aac'): { samples: Float32Array; stderr: string; status: number | null } {
  ffprobeBin();
  const dir = mkdtempSync(join(tmpdir(), 'silent-aac-'));
  try {
    const path = join(dir, `in.${ext}`);
    writeFileSync(path, bytes);
    const r = spawnSync('ffmpeg', ['-nostdin', '-v', 'warning', ...(ext === 'aac' ? ['-f', 'aac'] : []), '-i', path, '-f', 'f32le', '-'], { maxBuffer: 1 << 28 });
    const out = r.stdout;
    return { samples: new Float32Array(out.buffer.slice(out.byteOffset, out.byteOffset + out.byteLength)), stderr: r.stderr
        .toString()
        .split('\n')
        // The ADTS demuxer's note about a duration from the bit rate is not about the frames.
        .filter((l) => l !== '' && !l.includes('Estimating duration from bitrate'))
        .join('\n'),
      status: r.status };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function ourDecode(config: Uint8Array, frame: Uint8Array): Float32Array[][] {
  const dec = createAacDecoder({ entryType: 'mp4a', format: 'mp4a', codec: 'aac', config: { kind: 'aac', audioSpecificConfig: config } }, 'test');
  const out: Float32Array[][] = [];
  for (let k = 0; k < FRAMES; k++) out.push(dec.decode(frame, k).map((c) => c.slice()));
  return out;
}

const allZero = (a: Float32Array): boolean => a.every((x) => x === 0);

/**
 * An MP4 whose esds carries `config` and whose samples are `frame`: an ADTS stream of `standardFrame` (configuration
 * `cfg` at `rate`) demuxed, each frame replaced by `frame` (the same size) and the config by `config`.
 */
function mp4With(config: Uint8Array, frame: Uint8Array, rate: number, cfg: number, standardFrame: Uint8Array): Uint8Array {
  const stream = new Uint8Array(FRAMES * (7 + standardFrame.length));
  for (let k = 0; k < FRAMES; k++) stream.set(adts(2, rate, cfg, standardFrame), k * (7 + standardFrame.length));
  const { movie } = demuxAny(stream);
  const track = movie.tracks[0]!;
  const data = track.data.slice();
  for (let k = 0; k < track.samples.count; k++) data.set(frame, track.samples.offset[k]!);
  const description = { ...track.descriptions[0]!, config: { kind: 'aac' as const, audioSpecificConfig: config } };
  const replaced = { ...track, data, descriptions: [description] };
  return writeTree(progressiveBoxes({ ...movie, tracks: [replaced] }, [replaced], 'mp4'));
}

describe('silentAacFrame', () => {
  const cases = [1, 2, 3, 4, 5, 6, 7].flatMap((cfg) => [22050, 44100, 48000].map((rate) => ({ cfg, rate })));
  test.each(cases)('channel configuration $cfg at $rate Hz: zeros from ffmpeg and from our decoder', ({ cfg, rate }) => {
    const config = asc(2, rate, cfg);
    const frame = silentAacFrame(config);
    expect(silentAacFrame(parseAudioSpecificConfig(config))).toEqual(frame);
    const stream = new Uint8Array(FRAMES * (7 + frame.length));
    for (let k = 0; k < FRAMES; k++) stream.set(adts(2, rate, cfg, frame), k * (7 + frame.length));
    const ff = ffmpegDecode(stream);
    expect(ff.status).toBe(0);
    expect(ff.stderr).toBe('');
    expect(ff.samples.length).toBe(FRAMES * 1024 * CHANNELS[cfg]!);
    expect(allZero(ff.samples)).toBe(true);

    const ours = ourDecode(config, frame);
    expect(ours.every((f) => f.length === CHANNELS[cfg] && f.every((c) => c.length === 1024 && allZero(c)))).toBe(true);
  });

  test('frames are what the element list says: mono 4 bytes (SCE + END), stereo 7 (CPE without common window), 5.1 21, 7.1 28', () => {
    expect(silentAacFrame(asc(2, 48000, 1))).toEqual(Uint8Array.of(0x00, 0xc8, 0x00, 0x07));
    expect(silentAacFrame(asc(2, 48000, 2)).length).toBe(7);
    // 5.1: SCE + 2 CPE + LFE = 29 + 2×52 + 29 + 3 bits; 7.1: one CPE more.
    expect(silentAacFrame(asc(2, 48000, 6)).length).toBe(21);
    expect(silentAacFrame(asc(2, 48000, 7)).length).toBe(28);
  });

  test('channel configuration 0: the elements and instance tags of the program_config_element', () => {
    // PCE (§4.4.1.1): front SCE tag 3 + CPE tag 5, back CPE tag 6, one LFE tag 2 — a 5.1 with unusual tags.
    const config = asc(2, 48000, 0, (w) => {
      w.bits(4, 0); // element_instance_tag
      w.bits(2, 1); // object_type (LC)
      w.bits(4, AAC_SAMPLE_RATES.indexOf(48000));
      w.bits(4, 2); // front elements
      w.bits(4, 0); // side
      w.bits(4, 1); // back
      w.bits(2, 1); // LFE
      w.bits(3, 0); // assoc data
      w.bits(4, 0); // CC
      w.bits(3, 0); // mono/stereo/matrix mixdown absent
      w.bits(5, 0x03); // front: SCE tag 3
      w.bits(5, 0x15); // front: CPE tag 5
      w.bits(5, 0x16); // back: CPE tag 6
      w.bits(4, 2); // LFE tag 2
      w.byteAlign();
      w.bits(8, 0); // comment_field_bytes
    });
    const parsed = parseAudioSpecificConfig(config);
    expect(parsed.programConfig?.tags).toEqual({ front: [3, 5], side: [], back: [6], lfe: [2] });
    const frame = silentAacFrame(parsed);
    // SCE 3, CPE 5, CPE 6, LFE 2: the element IDs and tags in the frame's first bits.
    expect(frame[0]! >> 1).toBe((0 << 4) | 3);
    const ours = ourDecode(config, frame);
    expect(ours.every((f) => f.length === 6 && f.every(allZero))).toBe(true);

    // ffmpeg, from an MP4 whose esds carries the PCE config (5.1 frames have the same element types, so the same size).
    const standard = silentAacFrame(asc(2, 48000, 6));
    expect(frame.length).toBe(standard.length);
    const mp4 = mp4With(config, frame, 48000, 6, standard);
    const ff = ffmpegDecode(mp4, 'mp4');
    expect(ff.status).toBe(0);
    expect(ff.stderr).toBe('');
    expect(ff.samples.length).toBe(FRAMES * 1024 * 6);
    expect(allZero(ff.samples)).toBe(true);
  });

  test('HE-AAC (explicit SBR): the LC core frame, which ffmpeg decodes to zeros at the SBR rate', () => {
    // AudioSpecificConfig: AOT 5 (SBR), core 24 kHz, stereo, extension rate 48 kHz, core AOT 2, GASpecificConfig.
    const config = bitsOf((w) => {
      w.bits(5, 5);
      w.bits(4, AAC_SAMPLE_RATES.indexOf(24000));
      w.bits(4, 2);
      w.bits(4, AAC_SAMPLE_RATES.indexOf(48000));
      w.bits(5, 2);
      w.bits(3, 0);
      w.byteAlign();
    });
    const parsed = parseAudioSpecificConfig(config);
    expect([parsed.sbr, parsed.objectType, parsed.extensionSampleRate]).toEqual([true, 2, 48000]);
    const frame = silentAacFrame(config);
    expect(frame).toEqual(silentAacFrame(asc(2, 24000, 2)));
    const ff = ffmpegDecode(mp4With(config, frame, 24000, 2, frame), 'mp4');
    expect(ff.status).toBe(0);
    expect(ff.stderr).toBe('');
    expect(ff.samples.length).toBe(FRAMES * 2048 * 2);
    expect(allZero(ff.samples)).toBe(true);
    expect(ourDecode(config, frame).every((f) => f.length === 2 && f.every(allZero))).toBe(true);
  });

  test('what it does not make is a BoxwrightError UNSUPPORTED_CODEC', () => {
    // Configuration 0 without a PCE cannot come from bytes (the ASC would be cut): a parsed value without one.
    const noPce = { ...parseAudioSpecificConfig(asc(2, 48000, 1)), channelConfiguration: 0 };
    for (const config of [asc(2, 48000, 11), noPce, asc(3, 48000, 2)]) {
      expect(() => silentAacFrame(config)).toThrow(BoxwrightError);
      expect(() => silentAacFrame(config)).toThrow(/UNSUPPORTED_CODEC/);
    }
    expect(() => silentAacFrame(Uint8Array.of(0x12))).toThrow(BoxwrightError);
  });
});
