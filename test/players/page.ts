/**
 * The static page served to Chromium: `runCase(spec)` plays one fragmented MP4 through Media Source Extensions
 * (init segment, then each fragment, awaiting `updateend`; `endOfStream()`; muted `play()`) and reports what happened.
 */

/** What the test asks the page to play. */
export interface CaseSpec {
  mime: string;
  /** URLs of the segments to append in order (normally …/init.mp4 then …/fragN.mp4). */
  segments: string[];
  /** Playback must reach this many seconds past the first buffered time (or the end of the stream). */
  advanceSec: number;
  /** Give up after this long (ms) once playback was started. */
  timeoutMs: number;
}

/** What the page reports back. */
export interface CaseResult {
  supported: boolean;
  played: boolean;
  startTime: number;
  currentTime: number;
  duration: number;
  ended: boolean;
  buffered: Array<[number, number]>;
  errors: string[];
  events: string[];
}

export const PAGE_HTML = `<!doctype html>
<html><head><meta charset="utf-8"><title>boxwright MSE player</title></head>
<body>
<script>
'use strict';
function ranges(tr) { const out = []; for (let i = 0; i < tr.length; i++) out.push([tr.start(i), tr.end(i)]); return out; }
function mediaErr(v) { return v.error ? 'MediaError code=' + v.error.code + ' message=' + JSON.stringify(v.error.message) : 'MediaError (none)'; }

window.runCase = async function runCase(spec) {
  const errors = [];
  const events = [];
  const result = { supported: MediaSource.isTypeSupported(spec.mime), played: false, startTime: 0, currentTime: 0,
    duration: NaN, ended: false, buffered: [], errors, events };
  if (!result.supported) return result;

  const video = document.createElement('video');
  video.muted = true;
  video.playsInline = true;
  document.body.appendChild(video);
  let failed = null;
  const fail = (msg) => { errors.push(msg); if (!failed) failed = msg; };
  video.addEventListener('error', () => fail('video error: ' + mediaErr(video)));
  for (const ev of ['loadedmetadata', 'canplay', 'playing', 'waiting', 'stalled', 'ended']) {
    video.addEventListener(ev, () => events.push(ev + '@' + video.currentTime.toFixed(3)));
  }

  const ms = new MediaSource();
  video.src = URL.createObjectURL(ms);
  await new Promise((resolve) => ms.addEventListener('sourceopen', resolve, { once: true }));
  let sb;
  try {
    sb = ms.addSourceBuffer(spec.mime);
  } catch (e) {
    fail('addSourceBuffer threw: ' + e);
    return result;
  }
  sb.addEventListener('error', () => fail('SourceBuffer error event (' + mediaErr(video) + ')'));

  const segs = await Promise.all(spec.segments.map(async (u) => new Uint8Array(await (await fetch(u)).arrayBuffer())));
  for (let i = 0; i < segs.length && !failed; i++) {
    const label = spec.segments[i].split('/').pop();
    try {
      await new Promise((resolve, reject) => {
        const done = () => { sb.removeEventListener('updateend', done); sb.removeEventListener('error', bad); resolve(); };
        const bad = () => { sb.removeEventListener('updateend', done); sb.removeEventListener('error', bad); reject(new Error('error event')); };
        sb.addEventListener('updateend', done);
        sb.addEventListener('error', bad);
        sb.appendBuffer(segs[i]);
      });
    } catch (e) {
      fail('appending ' + label + ' failed: ' + e.message + ' (' + mediaErr(video) + ', readyState=' + ms.readyState + ')');
    }
    if (ms.readyState !== 'open' && !failed) fail('MediaSource ' + ms.readyState + ' after ' + label + ' (' + mediaErr(video) + ')');
  }
  try {
    result.buffered = ranges(sb.buffered);
  } catch (e) {
    fail('reading SourceBuffer.buffered threw: ' + e); // e.g. the SourceBuffer was removed after a decode error
  }
  if (failed) {
    await new Promise((r) => setTimeout(r, 200)); // let the media element's error event arrive
    return result;
  }
  ms.endOfStream();
  result.duration = ms.duration;

  const start = result.buffered.length ? result.buffered[0][0] : 0;
  result.startTime = start;
  // Playback starts at 0; a stream whose first sample is later (e.g. MPEG-TS timestamps) starts where the media is.
  if (start > video.currentTime + 0.001) video.currentTime = start;
  const target = Math.min(start + spec.advanceSec, ms.duration);
  // Not awaited: play() stays pending while playback cannot start, and the loop below has the timeout.
  video.play().catch((e) => fail('play() rejected: ' + e + ' (' + mediaErr(video) + ')'));
  const t0 = performance.now();
  while (!failed && performance.now() - t0 < spec.timeoutMs) {
    if (video.ended || video.currentTime >= target - 0.001) break;
    await new Promise((r) => setTimeout(r, 25));
  }
  result.currentTime = video.currentTime;
  result.ended = video.ended;
  result.played = !failed && !video.error && (video.ended || video.currentTime >= target - 0.001) && video.currentTime > start;
  if (!result.played && !failed) errors.push('timed out at currentTime=' + video.currentTime.toFixed(3) + ' (target ' + target.toFixed(3) + ', readyState=' + video.readyState + ', buffered=' + JSON.stringify(ranges(video.buffered)) + ')');
  video.pause();
  return result;
};
</script>
</body></html>
`;
