/**
 * The in-page playback check every player test runs (a JavaScript source string for the served page): play
 * muted, wait for a duration, advance, seek to the middle and play on. A fatal player error ends the wait.
 */
export const EXERCISE_JS = `
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
function bufferedStart(v) { return v.buffered.length ? v.buffered.start(0) : NaN; }
async function exercise(v, errors, timeoutMs) {
  const until = async (cond) => { const t0 = performance.now(); while (!cond() && performance.now() - t0 < timeoutMs && !errors.some((e) => e.startsWith('FATAL'))) await sleep(50); return cond(); };
  await v.play().catch((e) => errors.push('play: ' + e));
  await until(() => v.duration > 0);
  // A player that attaches its MediaSource late (a loaded machine) makes the first play() reject on an element
  // with no source yet; ask again once the media is there rather than report a stall that is the test's.
  if (v.paused) v.play().catch((e) => errors.push('play (again): ' + e));
  const duration = v.duration;
  const startBuffered = bufferedStart(v);
  const advanced = await until(() => v.currentTime >= Math.min(1, duration * 0.4));
  const reached = v.currentTime;
  const middle = duration / 2;
  v.currentTime = middle;
  const seekedOn = await until(() => v.currentTime >= Math.min(middle + 0.3, duration - 0.05) || v.ended);
  return { advanced, reached, seekedOn, afterSeek: v.currentTime, duration, startBuffered, errors };
}
`;

/** What {@link EXERCISE_JS}'s `exercise` reports. */
export interface Exercised {
  advanced: boolean;
  reached: number;
  seekedOn: boolean;
  afterSeek: number;
  duration: number;
  /** Start of the first buffered range once the duration was known (NaN when nothing was buffered). */
  startBuffered: number;
  errors: string[];
}
