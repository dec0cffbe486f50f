/** The caption cue every decoder in src/captions produces. */

/** CEA-608 data channels (CC1/CC2 on field 1, CC3/CC4 on field 2) and CEA-708 services (`cc708_<n>`). */
export type CaptionStreamName = 'CC1' | 'CC2' | 'CC3' | 'CC4' | `cc708_${number}`;

/**
 * One caption as it was on screen: shown from `startPts` until `endPts`, both in the units of the
 * presentation times the samples were pushed with (90 kHz for MPEG-TS, the track timescale for MP4).
 */
export interface CaptionCue {
  startPts: number;
  endPts: number;
  /**
   * The text: CEA-608 rows top to bottom joined with '\n' (each trimmed, empty rows left out, italics and
   * underline as `<i>`/`<u>` tags, as mux.js writes them); CEA-708 visible windows' rows joined with '\n',
   * windows with '\n\n'.
   */
  text: string;
  stream: CaptionStreamName;
}
