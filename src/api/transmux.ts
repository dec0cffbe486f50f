/** Public push-based transmuxer: MPEG-TS in, an init segment and moof+mdat fragments out (src/transmux). */
export { createTransmuxer, createTransmuxStream } from '../transmux/index.js';
export type { Transmuxer, TransmuxerCallbacks, InitInfo, FragmentInfo } from '../transmux/index.js';
