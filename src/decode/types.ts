/** The contract every audio decoder in src/decode meets: coded samples in, planar float PCM out. */

/** A synchronous decoder of one audio track's coded samples. */
export interface AudioDecoder {
  /** The codec decoded (ffprobe's codec_name: `aac`, `pcm_s16le` …). */
  readonly codec: string;
  /** Sample rate of the PCM returned (Hz). */
  readonly sampleRate: number;
  /** Channels of the PCM returned, in the codec's channel order. */
  readonly channels: number;
  /**
   * Set when the PCM is not the whole signal the stream carries (HE-AAC whose SBR is not decoded:
   * the AAC-LC core at half rate is measured), saying what was left out.
   */
  readonly limitation?: string;
  /**
   * Decodes one coded sample (one MP4 sample / one raw AAC frame / one PCM packet). Returns one
   * Float32Array per channel (nominal range −1…1), all the same length; they may be reused by the
   * next call, so copy what you keep. Bad bytes throw a BoxwrightError naming the sample.
   */
  decode(payload: Uint8Array, sampleIndex: number): readonly Float32Array[];
}
