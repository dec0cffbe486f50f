/**
 * boxwright: read, write, remux, package and analyze ISO-BMFF (MP4) media in pure TypeScript.
 * @packageDocumentation
 */
export { readBoxes, writeBoxes, findBox, findBoxes, dumpBoxes, boxesToJson } from './api/boxes.js';
export type { Box, BoxTree, ParseOptions, BoxJson } from './api/boxes.js';
export { BoxwrightError, isBoxwrightError, ERROR_CODES } from './io/errors.js';
export type { ErrorCode } from './io/errors.js';
export { probeMedia } from './api/probe.js';
export type { ProbeMediaOptions, ProbeReport, ProbeStream, ProbeFormat, ProbePacket, ProbeFrame, ProbeDisposition, ProbeSideData } from './api/probe.js';
export { createFragmentedMp4, streamCopy, streamCopyChunks, STREAM_COPY_FORMATS } from './api/remux.js';
export type { CreateFragmentedMp4Options, FragmentedMp4, FragmentOptions, StreamCopyOptions, StreamCopyFormat } from './api/remux.js';
export { packageHls } from './api/hls.js';
export type { PackageHlsOptions, HlsVariantOptions, HlsPackage, HlsRendition, HlsSegment, HlsFile } from './api/hls.js';
export { packageDash, DASH_PROFILES } from './api/dash.js';
export type { PackageDashOptions, DashPackage, DashProfile, DashSegment } from './api/dash.js';
export { packageStreams } from './api/streams.js';
export type { PackageStreamsOptions, StreamsPackage } from './api/streams.js';
export { createTransmuxer, createTransmuxStream } from './api/transmux.js';
export type { Transmuxer, TransmuxerCallbacks, TransmuxerOptions, ResetOptions, OutputType, TransmuxCaption, TransmuxMetadata, InitInfo, FragmentInfo, GopAlignInfo, TransmuxGopInfo, CaptionStreamName, Id3Frame } from './api/transmux.js';
export type { VariantOptions } from './api/package-layout.js';
export { analyzeGop } from './api/gop.js';
export type { AnalyzeGopOptions, GopAnalysis, GopInfo, GopFrameTypes } from './api/gop.js';
export { detectVfrCfr } from './api/vfr.js';
export type { DetectVfrCfrOptions, VfrAnalysis, FrameRate } from './api/vfr.js';
export { analyzeLoudness, loudnessReportToJson } from './api/loudness.js';
export type { AnalyzeLoudnessOptions, LoudnessReport, LoudnessReportJson, ChannelLoudness, JsonLevel } from './api/loudness.js';
export { demuxMedia, readPackets } from './api/packets.js';
export type { DemuxedMedia, DemuxMediaOptions, ReadPacketsOptions, PacketRangeOptions, MediaTrack, MediaPacket, WebCodecsVideoConfig, WebCodecsAudioConfig, WebCodecsColorSpace } from './api/packets.js';
