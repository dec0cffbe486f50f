// The main thread only fetches and displays; worker.js does the work. The input's ArrayBuffer and the output's
// are transferred, not copied.
const src = new URLSearchParams(location.search).get('src') ?? '/media/h264-aac.mp4';
document.getElementById('source').textContent = src;
const log = (line) => (document.getElementById('log').textContent += line + '\n');
/** For the example's test: the worker's answer. */
window.exampleResult = { state: 'loading' };

const worker = new Worker(new URL('./worker.js', import.meta.url), { type: 'module' });
worker.addEventListener('error', (e) => {
  window.exampleResult = { state: 'error', error: e.message };
  log(`worker failed: ${e.message}`);
});
worker.addEventListener('message', ({ data }) => {
  if (data.error) {
    window.exampleResult = { state: 'error', error: data.error };
    log(`error: ${data.error}`);
    return;
  }
  log(`format: ${data.probe.format.format_name}, ${data.probe.format.duration} s`);
  for (const s of data.probe.streams) log(`stream ${s.index}: ${s.codec_type} ${s.codec_name}`);
  log(`fragmented MP4: ${data.fmp4.byteLength} bytes, remuxed in ${data.ms.toFixed(1)} ms`);
  document.getElementById('video').src = URL.createObjectURL(new Blob([data.fmp4], { type: 'video/mp4' }));
  window.exampleResult = { state: 'done', probe: data.probe, fmp4: new Uint8Array(data.fmp4) };
});

const response = await fetch(src);
const input = await response.arrayBuffer();
worker.postMessage({ input }, [input]);
