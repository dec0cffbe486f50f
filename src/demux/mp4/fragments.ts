/** Samples from movie fragments (moof/traf/trun), with trex/tfhd defaults, base data offsets and tfdt (14496-12 §8.8). */
import { childOf, childrenOf, valueAs, type Box } from '../../../boxes/tree.js';
import * as fr from '../../../boxes/families/fragment.js';
import { DISPOSABLE, SYNC, SampleTableBuilder } from '../../model/sample-table.js';

/** §8.8.3.1 sample_is_non_sync_sample. */
const NON_SYNC = 0x10000;

/** Per-track state while walking fragments in file order. */
export interface FragmentTrackState {
  trackId: number;
  builder: SampleTableBuilder;
  /** trex defaults. */
  defaults: { descriptionIndex: number; duration: number; size: number; flags: number };
  /** Decode time where the next fragment continues when it has no tfdt. */
  nextDts: number;
}

/** Sample flags → our SYNC/DISPOSABLE bits. */
export function sampleFlagsToBits(f: number): number {
  let bits = f & NON_SYNC ? 0 : SYNC;
  // sample_is_depended_on (bits 22–23) == 2: no other sample depends on this one.
  if (((f >>> 22) & 3) === 2) bits |= DISPOSABLE;
  return bits;
}

/** Appends the samples of one `moof` to the tracks' builders. `moof.offset` must be set (parsed from the input). */
export function readMoof(moof: Box, tracks: ReadonlyMap<number, FragmentTrackState>, maxSamples: number): void {
  const moofStart = moof.offset ?? 0;
  let previousTrafEnd = moofStart;
  for (const trafBox of childrenOf(moof, 'traf')) {
    const tfhd = valueAs(childOf(trafBox, 'tfhd'), fr.tfhd);
    if (!tfhd) continue;
    const track = tracks.get(tfhd.trackId);
    if (!track) continue;
    const d = track.defaults;
    const descriptionIndex = Math.max(0, (tfhd.sampleDescriptionIndex ?? d.descriptionIndex) - 1);
    const defDuration = tfhd.defaultSampleDuration ?? d.duration;
    const defSize = tfhd.defaultSampleSize ?? d.size;
    const defFlags = tfhd.defaultSampleFlags ?? d.flags;
    // Base data offset: explicit, else the moof start (default-base-is-moof, or the first traf),
    // else where the previous traf's data ended.
    const base = tfhd.baseDataOffset ?? (tfhd.defaultBaseIsMoof ? moofStart : previousTrafEnd);
    const tfdt = valueAs(childOf(trafBox, 'tfdt'), fr.tfdt);
    // An all-ones tfdt (read as Infinity) says nothing usable: the track runs on from its previous fragment.
    let dts = tfdt && Number.isFinite(tfdt.baseMediaDecodeTime) ? tfdt.baseMediaDecodeTime : track.nextDts;
    let pos = base;
    for (const trunBox of childrenOf(trafBox, 'trun')) {
      const trun = valueAs(trunBox, fr.trun);
      if (!trun) continue;
      if (trun.dataOffset !== undefined) pos = base + trun.dataOffset;
      const n = trun.sampleCount;
      if (track.builder.count + n > maxSamples) return;
      const { sampleDuration: durations, sampleSize: sizes, sampleFlags: flagsColumn, sampleCompositionTimeOffset: ctos } = trun;
      for (let k = 0; k < n; k++) {
        const duration = durations ? durations[k]! : defDuration;
        const size = sizes ? sizes[k]! : defSize;
        const flags = k === 0 && trun.firstSampleFlags !== undefined ? trun.firstSampleFlags : flagsColumn ? flagsColumn[k]! : defFlags;
        track.builder.push(dts, ctos ? ctos[k]! : 0, duration, size, pos, sampleFlagsToBits(flags), descriptionIndex);
        dts += duration;
        pos += size;
      }
    }
    track.nextDts = dts;
    previousTrafEnd = pos;
  }
}

export const trexDefaults = (trex: ReturnType<typeof valueAs<typeof fr.trex>>): FragmentTrackState['defaults'] => ({
  descriptionIndex: trex?.defaultSampleDescriptionIndex ?? 1,
  duration: trex?.defaultSampleDuration ?? 0,
  size: trex?.defaultSampleSize ?? 0,
  flags: trex?.defaultSampleFlags ?? 0,
});
