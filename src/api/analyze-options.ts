/** Argument checks shared by the video analyzers (`analyzeGop`, `detectVfrCfr`). */

/**
 * Checks `data` and `{ track }`; returns the track ID asked for (undefined: the first video track).
 * @throws TypeError for a wrong type, RangeError for an unknown option or a track ID that is not a positive integer.
 */
export function checkTrackOption(fn: string, data: unknown, options: unknown): number | undefined {
  if (!(data instanceof Uint8Array)) throw new TypeError(`${fn}: data must be a Uint8Array (or Buffer)`);
  if (options === null || typeof options !== 'object') throw new TypeError(`${fn}: options must be an object`);
  for (const k of Object.keys(options)) if (k !== 'track') throw new RangeError(`${fn}: unknown option '${k}' (supported: track)`);
  const track = (options as { track?: unknown }).track;
  if (track === undefined) return undefined;
  if (typeof track !== 'number') throw new TypeError(`${fn}: options.track must be a number (a track ID)`);
  if (!Number.isInteger(track) || track < 0) throw new RangeError(`${fn}: options.track must be a non-negative integer track ID, got ${track}`);
  return track;
}
