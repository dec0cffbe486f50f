/**
 * ID3 timed metadata as fMP4 event messages: the form AOM "Carriage of ID3 Timed Metadata in the Common
 * Media Application Format" defines (and hls.js, Shaka and dash.js read) — an `emsg` version 1 box with
 * scheme `https://aomedia.org/emsg/ID3`, an empty value, and the whole ID3 tag as its message data.
 */
import { makeBox, writeTree } from '../../boxes/tree.js';

/** scheme_id_uri of ID3 in `emsg` (AOM ID3 in CMAF §3). */
export const ID3_EMSG_SCHEME = 'https://aomedia.org/emsg/ID3';
/** event_duration "unknown" (ISO/IEC 23009-1 §5.10.3.3.4): ID3 tags mark an instant, not a span. */
const UNKNOWN_DURATION = 0xffffffff;

function checkU32(name: string, v: number, min: number): void {
  if (!Number.isInteger(v) || v < min || v > 0xffffffff) throw new RangeError(`id3Emsg: ${name} must be an integer in [${min}, 2^32-1], got ${v}`);
}

/**
 * One `emsg` version 1 box carrying `tag` (a whole ID3v2 tag, header included) at `presentationTime` ticks
 * of `timescale` — absolute presentation time on the track's timeline, as version 1 requires — with event
 * `id`. Written through the `emsg` box definition, so `readBoxes` gives the same value back.
 * Throws RangeError for a timescale or id outside 32 bits or a time that is not an integer in [0, 2^53).
 */
export function id3Emsg(tag: Uint8Array, presentationTime: number, timescale: number, id: number): Uint8Array {
  checkU32('timescale', timescale, 1);
  checkU32('id', id, 0);
  if (!Number.isSafeInteger(presentationTime) || presentationTime < 0) throw new RangeError(`id3Emsg: presentationTime must be an integer in [0, 2^53), got ${presentationTime}`);
  const box = makeBox('emsg', { schemeIdUri: ID3_EMSG_SCHEME, value: '', timescale, presentationTime, eventDuration: UNKNOWN_DURATION, id, messageData: tag });
  return writeTree([box]);
}
