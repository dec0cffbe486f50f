#!/usr/bin/env node
/**
 * Node streams: read an MPEG-TS (or MP4, ADTS, MP3, AC-3) file as a stream, transmux it to fragmented MP4 as the
 * chunks arrive, and write the output file as it is produced. Memory stays at a few fragments however long the input.
 *
 *   node examples/node-stream-to-file.mjs IN OUT.mp4
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { Readable, Writable } from 'node:stream';
import { createTransmuxStream, isBoxwrightError } from 'boxwright';

const [input, output] = process.argv.slice(2);
if (!input || !output) {
  console.error('usage: node node-stream-to-file.mjs IN OUT.mp4');
  process.exit(2);
}

try {
  // createTransmuxStream() is a web TransformStream (bytes in, init segment then fragments out); Node's
  // Readable.toWeb / Writable.toWeb connect it to file streams, with backpressure.
  await Readable.toWeb(createReadStream(input))
    .pipeThrough(createTransmuxStream())
    .pipeTo(Writable.toWeb(createWriteStream(output)));
  console.log(`${input} → ${output}`);
} catch (e) {
  console.error(isBoxwrightError(e) ? `${input}: ${e.message}` : e);
  process.exit(1);
}
