/** Public push-based transmuxer: MPEG-TS in, an init segment and moof+mdat fragments out (src/transmux). */
export { createTransmuxer, createTransmuxStream } from '../transmux/index.js';
export type { Transmuxer, TransmuxerCallbacks, TransmuxerOptions, ResetOptions, OutputType, TransmuxCaption, TransmuxMetadata, InitInfo, FragmentInfo, GopAlignInfo, TransmuxGopInfo } from '../transmux/index.js';
export type { CaptionStreamName } from '../captions/index.js';
export type { Id3Frame } from '../demux/es/id3.js';
