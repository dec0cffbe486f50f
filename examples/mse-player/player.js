// Fetches an MPEG-TS file, transmuxes it chunk by chunk as the bytes arrive, and appends the fragmented MP4 to a
// MediaSource SourceBuffer — what a player does with each HLS segment. Works for fMP4 segments, ADTS, MP3 and AC-3
// input too: the transmuxer detects the input from its first bytes.
import { createTransmuxer, isBoxwrightError } from 'boxwright';

const video = document.getElementById('video');
const logElement = document.getElementById('log');
const src = new URLSearchParams(location.search).get('src') ?? '/media/h264-aac.ts';
document.getElementById('source').textContent = src;
const log = (line) => (logElement.textContent += line + '\n');
/** For the example's test (and the curious): what happened, as data. */
const result = (window.exampleResult = { state: 'loading', mimeType: '', fragments: 0, bufferedEnd: 0, error: '' });

const mediaSource = new MediaSource();
video.src = URL.createObjectURL(mediaSource);
await new Promise((resolve) => mediaSource.addEventListener('sourceopen', resolve, { once: true }));

// One SourceBuffer for the combined audio+video output. SourceBuffer takes one append at a time: queue the rest.
let sourceBuffer;
const queue = [];
const appendNext = () => {
  if (sourceBuffer && !sourceBuffer.updating && queue.length > 0) sourceBuffer.appendBuffer(queue.shift());
};
const idle = () =>
  new Promise((resolve) => {
    const check = () => (queue.length === 0 && !sourceBuffer.updating ? resolve() : sourceBuffer.addEventListener('updateend', check, { once: true }));
    check();
  });

const transmuxer = createTransmuxer({
  onInit(init, info) {
    if (!sourceBuffer) {
      if (!MediaSource.isTypeSupported(info.mimeType)) throw new Error(`this browser cannot play ${info.mimeType}`);
      result.mimeType = info.mimeType;
      log(`init segment: ${info.mimeType}`);
      sourceBuffer = mediaSource.addSourceBuffer(info.mimeType);
      sourceBuffer.addEventListener('updateend', appendNext);
    }
    queue.push(init);
    appendNext();
  },
  onFragment(fragment, info) {
    result.fragments++;
    log(`fragment ${result.fragments}: ${info.startSec.toFixed(3)} s + ${info.durationSec.toFixed(3)} s, ${fragment.length} bytes`);
    queue.push(fragment);
    appendNext();
  },
});

try {
  const response = await fetch(src);
  if (!response.ok) throw new Error(`${src}: HTTP ${response.status}`);
  // Push the body as it downloads: output does not depend on how the input is chunked.
  const reader = response.body.getReader();
  for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) transmuxer.push(chunk.value);
  transmuxer.flush(); // the end of a segment: write out what is pending
  await idle();
  mediaSource.endOfStream();
  result.bufferedEnd = video.buffered.length > 0 ? video.buffered.end(video.buffered.length - 1) : 0;
  log(`buffered to ${result.bufferedEnd.toFixed(3)} s; playing`);
  result.state = 'playing';
  await video.play();
  video.addEventListener('ended', () => {
    result.state = 'ended';
    log('ended');
  });
} catch (e) {
  // Bad media gives a BoxwrightError with a code and the byte offset.
  result.state = 'error';
  result.error = isBoxwrightError(e) ? e.message : String(e);
  log(result.error);
}
