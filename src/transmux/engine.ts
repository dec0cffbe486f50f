/**
 * One input pipeline of the transmuxer: the bytes of one input kind (MPEG-TS, MP4, an audio elementary stream)
 * in, windows of samples out through the shared {@link FragmentWriter}. `createTransmuxer` makes a new one for
 * each timeline (after `reset()` / `endTimeline()`); the writer outlives them.
 */
export interface Engine {
  /** Feeds bytes (any chunking; the caller has checked the argument). */
  push(chunk: Uint8Array): void;
  /**
   * Writes everything pending (the end of a segment). The engine stays usable: more bytes of the same
   * timeline may follow. Throws a BoxwrightError when the bytes so far were not the input kind it reads.
   */
  end(): void;
}
