/**
 * The page that drives the transmuxer the way a player does, in headless Chromium: the library bundle
 * (`window.boxwright`) transmuxes the segments the page fetches, each output (`combined`, or `video` and
 * `audio` with `remux: false`) goes to its own SourceBuffer, created from the init segment's MIME type, and
 * the steps of a scenario — push a segment, end a timeline, reset for a seek, seek, play — run in order.
 */

/** One step of a scenario. */
export type TransmuxStep =
  | { push: string }
  | { endTimeline: true }
  | { flush: true }
  | { reset: { baseMediaDecodeTime?: number } }
  | { seek: number }
  /** Play until currentTime has advanced `advanceSec` past where it was (or the end). */
  | { play: { advanceSec: number; timeoutMs: number } };

export interface TransmuxScenario {
  /** createTransmuxer options (no callbacks). */
  options: { remux?: boolean; keepOriginalTimestamps?: boolean; baseMediaDecodeTime?: number };
  steps: TransmuxStep[];
}

export interface TransmuxResult {
  /** Each play step: whether playback advanced as asked, and from/to. */
  plays: Array<{ ok: boolean; from: number; to: number }>;
  /** SourceBuffers by output type, with their MIME type and final buffered ranges. */
  buffers: Record<string, { mime: string; buffered: Array<[number, number]> }>;
  errors: string[];
  events: string[];
}

export const TRANSMUX_PAGE_HTML = `<!doctype html>
<html><head><meta charset="utf-8"><title>boxwright transmuxer player</title><script src="/boxwright.js"></script></head>
<body>
<script>
'use strict';
function ranges(tr) { const out = []; for (let i = 0; i < tr.length; i++) out.push([tr.start(i), tr.end(i)]); return out; }
function mediaErr(v) { return v.error ? 'MediaError code=' + v.error.code + ' message=' + JSON.stringify(v.error.message) : 'MediaError (none)'; }

window.runScenario = async function runScenario(spec) {
  const errors = [];
  const events = [];
  const result = { plays: [], buffers: {}, errors, events };
  const video = document.createElement('video');
  video.muted = true;
  video.playsInline = true;
  document.body.appendChild(video);
  video.addEventListener('error', () => errors.push('video error: ' + mediaErr(video)));
  for (const ev of ['loadedmetadata', 'canplay', 'playing', 'waiting', 'seeking', 'seeked', 'ended']) {
    video.addEventListener(ev, () => events.push(ev + '@' + video.currentTime.toFixed(3)));
  }
  const ms = new MediaSource();
  video.src = URL.createObjectURL(ms);
  await new Promise((resolve) => ms.addEventListener('sourceopen', resolve, { once: true }));

  // Outputs of one push, in order; SourceBuffers are created for new types before anything is appended.
  let pending = [];
  const sbs = new Map();
  const tx = boxwright.createTransmuxer(Object.assign({}, spec.options, {
    onInit: (b, info) => pending.push({ type: info.type, mime: info.mimeType, bytes: b.slice() }),
    onFragment: (b, info) => pending.push({ type: info.type, bytes: b.slice() }),
  }));
  const append = (sb, bytes) => new Promise((resolve, reject) => {
    const done = () => { sb.removeEventListener('updateend', done); sb.removeEventListener('error', bad); resolve(); };
    const bad = () => { sb.removeEventListener('updateend', done); sb.removeEventListener('error', bad); reject(new Error('SourceBuffer error (' + mediaErr(video) + ')')); };
    sb.addEventListener('updateend', done);
    sb.addEventListener('error', bad);
    sb.appendBuffer(bytes);
  });
  const deliver = async () => {
    const out = pending;
    pending = [];
    for (const o of out) {
      if (o.mime && !sbs.has(o.type)) {
        if (!MediaSource.isTypeSupported(o.mime)) { errors.push('unsupported ' + o.mime); return; }
        sbs.set(o.type, { sb: ms.addSourceBuffer(o.mime), mime: o.mime });
      }
    }
    for (const o of out) {
      const s = sbs.get(o.type);
      if (!s) { errors.push('output ' + o.type + ' before its init segment'); return; }
      await append(s.sb, o.bytes);
    }
  };
  const play = async (p) => {
    const from = video.currentTime;
    const target = from + p.advanceSec;
    let playError = null;
    const tryPlay = () => video.play().catch((e) => { playError = String(e); });
    tryPlay();
    const t0 = performance.now();
    let retried = false;
    while (performance.now() - t0 < p.timeoutMs && !video.error) {
      if (video.currentTime >= target - 0.001 || video.ended) break;
      if (!retried && video.paused && performance.now() - t0 > 500) { retried = true; tryPlay(); }
      await new Promise((r) => setTimeout(r, 25));
    }
    const to = video.currentTime;
    const ok = !video.error && (to >= target - 0.001 || video.ended) && to > from;
    if (!ok) errors.push('play from ' + from.toFixed(3) + ' stopped at ' + to.toFixed(3) + ' (target ' + target.toFixed(3) + ', readyState=' + video.readyState + ', buffered=' + JSON.stringify(ranges(video.buffered)) + (playError ? ', ' + playError : '') + ')');
    video.pause();
    result.plays.push({ ok, from, to });
  };
  try {
    for (const step of spec.steps) {
      if (errors.length) break;
      if (step.push) {
        const bytes = new Uint8Array(await (await fetch(step.push)).arrayBuffer());
        for (let p = 0; p < bytes.length; p += 1000) tx.push(bytes.subarray(p, p + 1000));
        await deliver();
      } else if (step.flush) {
        tx.flush();
        await deliver();
      } else if (step.endTimeline) {
        tx.endTimeline();
        await deliver();
      } else if (step.reset) {
        tx.reset(step.reset);
        // A seek: what is buffered stays (a player drops it or not); the new data lands where its timestamps say.
      } else if (step.seek !== undefined) {
        video.currentTime = step.seek;
        await new Promise((r) => { if (!video.seeking) r(); else video.addEventListener('seeked', r, { once: true }); setTimeout(r, 3000); });
      } else if (step.play) {
        await play(step.play);
      }
    }
  } catch (e) {
    errors.push('threw: ' + (e && e.message ? e.message : e));
  }
  for (const [type, s] of sbs) result.buffers[type] = { mime: s.mime, buffered: ranges(s.sb.buffered) };
  return result;
};
</script>
</body></html>
`;
