/**
 * What the transmuxer is fed, told from the first pushed bytes, and the router that hands the input to the
 * engine for it. hls.js feeds MPEG-TS segments, but also packed audio (ADTS AAC, MP3, AC-3 / E-AC-3 with a
 * leading ID3 tag) for audio-only renditions and fMP4 segments.
 *
 * The kind is decided once, on the bytes only (so any chunking routes the same way): at least 10 bytes
 * (an ISO-BMFF box header, an ID3v2 header), and when the input starts with ID3v2 tags, the whole tags and 2 bytes after
 * them (at most {@link DETECT_HOLD} bytes are held for that). {@link sniffFormat} decides; anything it does not
 * call MP4 or an audio elementary stream goes to the MPEG-TS engine, which has its own resync and errors.
 */
import { id3v2TagSize } from '../demux/es/id3.js';
import { sniffFormat } from '../demux/sniff.js';
import { BoxwrightError } from '../io/errors.js';
import { ByteBuffer } from './byte-buffer.js';
import type { EsKind } from './es-engine.js';
import type { Engine } from './engine.js';

/** The inputs the transmuxer reads. */
export type InputKind = 'ts' | 'mp4' | EsKind;

/** At most this many leading bytes are held to decide the kind (ID3 tags before the audio). */
export const DETECT_HOLD = 16 << 20;

/** The kind of an input starting with `d`, or undefined while more bytes are needed (`ended`: no more come). */
export function detectInputKind(d: Uint8Array, ended: boolean): InputKind | undefined {
  if (!ended) {
    // 10: an ID3v2 header (an MP4 box header needs 8).
    if (d.length < 10) return undefined;
    // Leading ID3 tags: all of them, and 10 bytes after (another tag's header, or the audio's first sync).
    let p = 0;
    for (let tag = id3v2TagSize(d, p); tag > 0; tag = id3v2TagSize(d, p)) p += tag;
    if (p > 0 && p + 10 > d.length) {
      if (d.length > DETECT_HOLD) throw new BoxwrightError('TOO_LARGE', `more than ${DETECT_HOLD} bytes of ID3 tags before any audio`, 0, 'ID3');
      return undefined;
    }
  }
  switch (sniffFormat(d)) {
    case 'mp4':
      return 'mp4';
    case 'adts':
      return 'adts';
    case 'mp3':
      return 'mp3';
    case 'ac3':
      return 'ac3';
    default:
      return 'ts';
  }
}

/**
 * An engine that holds the first bytes until their kind is known, then creates the engine for it
 * (`create(kind)`), hands it the held bytes in one push and forwards everything else.
 */
export function routeByInputKind(create: (kind: InputKind) => Engine): Engine {
  let engine: Engine | undefined;
  const held = new ByteBuffer();
  const start = (ended: boolean): void => {
    const d = held.view();
    const kind = detectInputKind(d, ended);
    if (kind === undefined) return;
    engine = create(kind);
    if (d.length > 0) engine.push(d);
    held.consume(d.length);
  };
  return {
    push(chunk: Uint8Array): void {
      if (engine) {
        engine.push(chunk);
        return;
      }
      held.append(chunk);
      start(false);
    },
    end(): void {
      if (!engine) start(true);
      engine!.end();
    },
  };
}
