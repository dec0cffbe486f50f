// A module Worker. Import maps do not reach workers, so this imports the build by its URL (serve.mjs serves the
// installed package at /boxwright/); with a bundler it would be `import { … } from 'boxwright'`.
import { createFragmentedMp4, isBoxwrightError, probeMedia } from '/boxwright/src/index.js';

self.addEventListener('message', ({ data }) => {
  try {
    const input = new Uint8Array(data.input);
    const probe = probeMedia(input);
    const started = performance.now();
    const { data: fmp4 } = createFragmentedMp4(input);
    const ms = performance.now() - started;
    // fmp4 may be a view into a larger buffer: send exactly its bytes, transferred.
    const out = fmp4.byteOffset === 0 && fmp4.byteLength === fmp4.buffer.byteLength ? fmp4.buffer : fmp4.slice().buffer;
    self.postMessage({ probe, fmp4: out, ms }, [out]);
  } catch (e) {
    self.postMessage({ error: isBoxwrightError(e) ? e.message : String(e) });
  }
});
