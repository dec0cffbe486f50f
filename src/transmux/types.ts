/**
 * The public types of the transmuxer (re-exported by its index): what it reports to its caller.
 */

/** What {@link TransmuxerCallbacks.onInit} receives besides the bytes. */
export interface InitInfo {
  /** RFC 6381 codec strings of the tracks, in track order (`avc1.64001f`, `mp4a.40.2`). */
  codecs: string[];
  /** `video/mp4; codecs="…"` (or `audio/mp4` without video), ready for `MediaSource.isTypeSupported`. */
  mimeType: string;
}

/** What {@link TransmuxerCallbacks.onFragment} receives besides the bytes. */
export interface FragmentInfo {
  /** Presentation time of the fragment's first video (else first) sample, seconds on the stream's clock. */
  startSec: number;
  durationSec: number;
}

/** Where a {@link Transmuxer} delivers its output: one init segment per timeline, then fragments in order. */
export interface TransmuxerCallbacks {
  /** An init segment (ftyp + moov): before the first fragment, and again when it changes. */
  onInit(init: Uint8Array, info: InitInfo): void;
  /** One moof + mdat. */
  onFragment(fragment: Uint8Array, info: FragmentInfo): void;
}

/** A push-based MPEG-TS (or MP4, or audio elementary stream) → fragmented MP4 converter (see `createTransmuxer`). */
export interface Transmuxer {
  /** Feeds bytes of the input (any chunking). */
  push(chunk: Uint8Array): void;
  /** Writes everything still pending; the transmuxer is finished afterwards. */
  flush(): void;
}
