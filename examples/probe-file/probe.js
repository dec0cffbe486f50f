// probeMedia on a File from an <input type=file>: the same ffprobe-shaped report as `boxwright probe FILE`.
import { isBoxwrightError, probeMedia } from 'boxwright';

const out = document.getElementById('out');
document.getElementById('file').addEventListener('change', async (event) => {
  const file = event.target.files[0];
  if (!file) return;
  try {
    // probeMedia reads the whole input from memory. A file cut inside its media data still probes, so for a large
    // MP4 with its moov at the start, `file.slice(0, 32 << 20)` is enough for format and streams.
    const data = new Uint8Array(await file.arrayBuffer());
    const report = probeMedia(data, { packets: document.getElementById('packets').checked });
    out.textContent = JSON.stringify(report, null, 2);
  } catch (e) {
    // Bad or unsupported media: a BoxwrightError naming what was wrong and where.
    out.textContent = isBoxwrightError(e) ? `${file.name}: ${e.message}` : String(e);
  }
});
