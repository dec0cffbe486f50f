/**
 * GOP alignment as mux.js does it (lib/mp4/transmuxer.js, `VideoSegmentStream.alignGopsAtStart_` /
 * `alignGopsAtEnd_`): a player switching renditions gives the GOPs of the segment it has from one rendition
 * (their presentation times, source 90 kHz clock), and the segment of the new rendition keeps its video only
 * from a GOP that starts where one of those starts, so the two renditions' pictures meet at a keyframe.
 *
 * Both are pure functions over the presentation times of the segment's GOPs and of the GOPs to align with,
 * each in the order they were given (ascending, as a segment's GOPs are). They return the index of the first
 * GOP kept: 0 keeps every GOP, `gops.length` keeps none (mux.js returns `null` and appends no video).
 */

/**
 * Align at start (mux.js's default): walk both lists from their first entries — a GOP starting where the
 * current entry starts stops the walk; a GOP starting after it moves on to the next entry; a GOP starting
 * before it is dropped. When the entries run out, the GOPs left are kept.
 */
export function alignGopsAtStart(gops: readonly number[], align: readonly number[]): number {
  let a = 0;
  let g = 0;
  while (a < align.length && g < gops.length) {
    const ap = align[a]!;
    const gp = gops[g]!;
    if (ap === gp) break;
    if (gp > ap) a++;
    else g++;
  }
  return g;
}

/**
 * Align at end (mux.js's `alignGopsAtEnd: true`): walk both lists from their last entries — a match keeps the
 * video from that GOP; an entry later than the GOP steps back over the entries; a GOP later than the entry is
 * remembered while the walk is still at the last entry (GOPs after everything aligned with) and steps back
 * over the GOPs. Without a match, the video is kept from the remembered GOP, or none when there is none.
 */
export function alignGopsAtEnd(gops: readonly number[], align: readonly number[]): number {
  let a = align.length - 1;
  let g = gops.length - 1;
  let after: number | undefined;
  while (a >= 0 && g >= 0) {
    const ap = align[a]!;
    const gp = gops[g]!;
    if (ap === gp) return g;
    if (ap > gp) {
      a--;
      continue;
    }
    if (a === align.length - 1) after = g;
    g--;
  }
  return after ?? gops.length;
}
