/**
 * H.264 / HEVC parameter sets taken out of the Annex B stream: their identity (type + id, so a
 * repeated set replaces the earlier one) and the decoder configuration records built from them
 * (ISO/IEC 14496-15 §5.3.3.1 avcC, §8.3.3.1 hvcC) as box values, which boxes/ writes.
 */
import type { Avcc, Hvcc } from '../../../boxes/families/video-config.js';
import { BitReader } from '../../io/bit-reader.js';
import { BoxwrightError } from '../../io/errors.js';
import type { SampleDescription } from '../../model/movie.js';
import { parseAvcSps, type AvcSps } from '../../model/codec/avc-sps.js';
import { parseHevcSps, readProfileTierLevel, type HevcSps } from '../../model/codec/hevc-sps.js';
import { unescapeRbsp } from '../../model/codec/nal.js';
import type { VideoCodec } from './access-units.js';

/** Parameter set kinds, in the order a configuration record lists them. */
export type ParamSetKind = 'vps' | 'sps' | 'pps';

/** The kind of a parameter-set NAL unit type, or undefined for other NAL units. */
export function paramSetKind(codec: VideoCodec, type: number): ParamSetKind | undefined {
  if (codec === 'h264') return type === 7 ? 'sps' : type === 8 ? 'pps' : undefined;
  return type === 32 ? 'vps' : type === 33 ? 'sps' : type === 34 ? 'pps' : undefined;
}

/** Runs `f`, turning a BoxwrightError (bad bits) into undefined; other errors are bugs and propagate. */
function attempt<T>(f: () => T): T | undefined {
  try {
    return f();
  } catch (e) {
    if (e instanceof BoxwrightError) return undefined;
    throw e;
  }
}

/**
 * The parameter set id (H.264 §7.3.2.1/§7.3.2.2, HEVC §7.3.2.1–7.3.2.3), or undefined when the NAL
 * unit is too damaged to say (it is then dropped).
 */
export function paramSetId(codec: VideoCodec, kind: ParamSetKind, nal: Uint8Array): number | undefined {
  return attempt(() => {
    // Only the first bytes matter: unescape a bounded prefix (an HEVC SPS id sits after ~13 bytes of PTL).
    const r = new BitReader(unescapeRbsp(nal.subarray(0, Math.min(nal.length, 64))), 0, kind);
    if (codec === 'h264') {
      r.skip(8); // NAL header
      if (kind === 'sps') r.skip(24); // profile_idc, constraint flags, level_idc
      return r.ue();
    }
    r.skip(16); // NAL header
    if (kind === 'vps') return r.bits(4);
    if (kind === 'pps') return r.ue();
    r.skip(4); // sps_video_parameter_set_id
    const maxSubLayersMinus1 = r.bits(3);
    if (maxSubLayersMinus1 > 6) return undefined;
    r.skip(1); // sps_temporal_id_nesting_flag
    readProfileTierLevel(r, maxSubLayersMinus1);
    const id = r.ue();
    return id <= 15 ? id : undefined;
  });
}

/** The parameter sets in force: by kind and id, in the order they were first seen. */
export type ParamSetTable = ReadonlyMap<string, { kind: ParamSetKind; nal: Uint8Array }>;

/** True when two tables hold the same sets with the same bytes. */
export function sameParamSets(a: ParamSetTable, b: ParamSetTable): boolean {
  if (a.size !== b.size) return false;
  for (const [k, v] of a) {
    const w = b.get(k);
    if (!w || w.nal.length !== v.nal.length) return false;
    for (let i = 0; i < v.nal.length; i++) if (v.nal[i] !== w.nal[i]) return false;
  }
  return true;
}

/**
 * The parameter sets of one kind, as copies: the record keeps them, and the table's NAL units may be views of a
 * buffer the transmuxer reuses for the next packets (the record used to be serialized at once, which copied them).
 */
const ofKind = (t: ParamSetTable, kind: ParamSetKind): Uint8Array[] =>
  [...t.values()].filter((e) => e.kind === kind && e.nal.length <= 0xffff).map((e) => e.nal.slice());

/** §5.3.3.1.2: profiles whose avcC carries chroma_format and bit depths. */
const AVC_EXT_PROFILES = new Set([100, 110, 122, 144]);

/** avcC record and picture properties for H.264 parameter sets. */
function describeAvc(table: ParamSetTable): SampleDescription {
  const d: SampleDescription = { entryType: 'avc1', format: 'avc1', codec: 'h264' };
  const spss = ofKind(table, 'sps').slice(0, 31).filter((s) => s.length >= 4);
  const ppss = ofKind(table, 'pps').slice(0, 255);
  const first = spss[0];
  if (!first) return d;
  const sps: AvcSps | undefined = attempt(() => parseAvcSps(first));
  const rec: Avcc = {
    configurationVersion: 1,
    avcProfileIndication: first[1]!,
    profileCompatibility: first[2]!,
    avcLevelIndication: first[3]!,
    lengthSizeMinusOne: 3,
    sequenceParameterSets: spss,
    pictureParameterSets: ppss,
  };
  if (sps && AVC_EXT_PROFILES.has(sps.profileIdc)) {
    rec.chromaFormat = sps.chromaFormatIdc;
    rec.bitDepthLumaMinus8 = sps.bitDepthLuma - 8;
    rec.bitDepthChromaMinus8 = sps.bitDepthChroma - 8;
    rec.sequenceParameterSetExts = [];
  }
  d.config = { kind: 'avc', avcC: rec };
  if (sps) applyPicture(d, sps);
  return d;
}

/** Picture size, pixel aspect and colour from an SPS (the VUI fields H.264 and HEVC share). */
function applyPicture(d: SampleDescription, sps: Pick<AvcSps, 'width' | 'height' | 'sar' | 'colourPrimaries' | 'transferCharacteristics' | 'matrixCoefficients' | 'videoFullRange'>): void {
  d.width = sps.width;
  d.height = sps.height;
  if (sps.sar.num > 0 && sps.sar.den > 0) d.pixelAspect = { h: sps.sar.num, v: sps.sar.den };
  if (sps.colourPrimaries !== undefined) {
    d.colour = { primaries: sps.colourPrimaries, transfer: sps.transferCharacteristics ?? 2, matrix: sps.matrixCoefficients ?? 2 };
    if (sps.videoFullRange !== undefined) d.colour.fullRange = sps.videoFullRange;
  }
}

/** hvcC record and picture properties for HEVC parameter sets. */
function describeHevc(table: ParamSetTable): SampleDescription {
  const d: SampleDescription = { entryType: 'hvc1', format: 'hvc1', codec: 'hevc' };
  const arrays = (['vps', 'sps', 'pps'] as const)
    .map((kind, i) => ({ arrayCompleteness: 1, nalUnitType: 32 + i, nalus: ofKind(table, kind).slice(0, 0xffff) }))
    .filter((a) => a.nalus.length > 0);
  const firstSps = ofKind(table, 'sps')[0];
  if (!firstSps) return d;
  const sps: HevcSps | undefined = attempt(() => parseHevcSps(firstSps));
  const ptl = sps?.profileTierLevel;
  let constraints = 0;
  for (const b of ptl?.generalConstraintIndicatorFlags ?? []) constraints = constraints * 256 + b;
  const rec: Hvcc = {
    configurationVersion: 1,
    generalProfileSpace: ptl?.generalProfileSpace ?? 0,
    generalTierFlag: ptl?.generalTierFlag ? 1 : 0,
    generalProfileIdc: ptl?.generalProfileIdc ?? 0,
    generalProfileCompatibilityFlags: ptl?.generalProfileCompatibilityFlags ?? 0,
    generalConstraintIndicatorFlags: constraints,
    generalLevelIdc: ptl?.generalLevelIdc ?? 0,
    minSpatialSegmentationIdc: sps?.minSpatialSegmentationIdc ?? 0,
    parallelismType: 0,
    chromaFormatIdc: sps?.chromaFormatIdc ?? 1,
    bitDepthLumaMinus8: (sps?.bitDepthLuma ?? 8) - 8,
    bitDepthChromaMinus8: (sps?.bitDepthChroma ?? 8) - 8,
    avgFrameRate: 0,
    constantFrameRate: 0,
    numTemporalLayers: sps?.maxSubLayers ?? 1,
    temporalIdNested: sps?.temporalIdNesting ? 1 : 0,
    lengthSizeMinusOne: 3,
    arrays,
  };
  d.config = { kind: 'hevc', hvcC: rec };
  if (sps) applyPicture(d, sps);
  return d;
}

/**
 * The sample description for a set of parameter sets: entry 'avc1' / 'hvc1' (all parameter sets in
 * the record, none in the samples), the configuration record, and the cropped picture size.
 */
export function describeVideo(codec: VideoCodec, table: ParamSetTable): SampleDescription {
  // The transmuxer demuxes GOP after GOP with the same parameter sets: parse them once.
  const key = `${codec}|${[...table.entries()].map(([k, v]) => `${k}=${hex(v.nal)}`).join('|')}`;
  let d = described.get(key);
  if (!d) {
    d = codec === 'h264' ? describeAvc(table) : describeHevc(table);
    if (described.size >= 16) described.delete(described.keys().next().value!);
    described.set(key, d);
  }
  // A copy: callers add fields (the container tag) to their description.
  return { ...d };
}

/** Recently described parameter sets (small: streams change them rarely). */
const described = new Map<string, SampleDescription>();

function hex(b: Uint8Array): string {
  let s = '';
  for (let i = 0; i < b.length; i++) s += (b[i]! < 16 ? '0' : '') + b[i]!.toString(16);
  return s;
}
