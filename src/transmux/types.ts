/**
 * The public types of the transmuxer (re-exported by its index): its options and what it reports to its caller.
 */

/**
 * Which output an init segment or fragment belongs to: both tracks in one (`'combined'`, the default), or
 * with `remux: false` one output per kind, each for its own `SourceBuffer`.
 */
export type OutputType = 'combined' | 'video' | 'audio';

import type { CaptionStreamName } from '../captions/index.js';
import type { Id3Frame } from '../demux/es/id3.js';

/** A caption cue decoded from CEA-608/708 data in the video's SEI (see {@link TransmuxerOptions.onCaptions}). */
export interface TransmuxCaption {
  /** Presentation times on the output timeline (90 kHz ticks), like the fragments' decode times. */
  startPts: number;
  endPts: number;
  /** The same in seconds. */
  startTime: number;
  endTime: number;
  /** The caption text, rows joined with `\n`. */
  text: string;
  /** `CC1`…`CC4` (CEA-608 channels) or `cc708_N` (CEA-708 service N). */
  stream: CaptionStreamName;
}

/** One ID3 tag of a timed metadata stream (see {@link TransmuxerOptions.onMetadata}). */
export interface TransmuxMetadata {
  /** Presentation time on the output timeline (90 kHz ticks); `dts` is the same. */
  pts: number;
  dts: number;
  /** The same in seconds (as mux.js's `cueTime`). */
  cueTime: number;
  /** The whole tag, header included. */
  data: Uint8Array;
  /** Its frames (`TXXX`, `PRIV`, `TIT2`…); empty when the tag could not be read. */
  frames: Id3Frame[];
}

/** What {@link TransmuxerCallbacks.onInit} receives besides the bytes. */
export interface InitInfo {
  /** RFC 6381 codec strings of the tracks, in track order (`avc1.64001f`, `mp4a.40.2`). */
  codecs: string[];
  /** `video/mp4; codecs="…"` (or `audio/mp4` without video), ready for `MediaSource.isTypeSupported`. */
  mimeType: string;
  /** The output this init segment starts (see {@link OutputType}). */
  type: OutputType;
}

/** What {@link TransmuxerCallbacks.onFragment} receives besides the bytes. */
export interface FragmentInfo {
  /** Presentation time of the fragment's first video (else first) sample, seconds on the output timeline. */
  startSec: number;
  durationSec: number;
  /** The output this fragment belongs to (see {@link OutputType}). */
  type: OutputType;
}

/**
 * One GOP to align with (see {@link Transmuxer.alignGopsWith}): what {@link TransmuxerOptions.onGopInfo} (or
 * mux.js's `gopInfo` event) reported for a segment of another rendition. Only `pts` is compared.
 */
export interface GopAlignInfo {
  /** Presentation time of the GOP's first picture, 90 kHz ticks of the source stream's clock. */
  pts: number;
  /** Its decode time (same clock); not used for aligning. */
  dts?: number;
  /** Its size in bytes; not used for aligning. */
  byteLength?: number;
}

/** One GOP of video written for a segment (see {@link TransmuxerOptions.onGopInfo}). */
export interface TransmuxGopInfo {
  /**
   * Presentation time of the GOP's first picture (its keyframe; the first picture of a segment that starts
   * mid-GOP), 90 kHz ticks of the *source* stream's clock — the input's PTS, with 33-bit wraps counted
   * upwards and time base discontinuities mended, not moved by `baseMediaDecodeTime`: the clock two
   * renditions of one stream share. (For MP4 input, the track's presentation time converted to 90 kHz.)
   */
  pts: number;
  /** Decode time of the same picture, same clock. */
  dts: number;
  /** Bytes of the GOP's samples as written to the `mdat` (length-prefixed NAL units). */
  byteLength: number;
  /** Number of NAL units (mux.js reports it; this transmuxer leaves it out). */
  nalCount?: number;
}

/** Where a {@link Transmuxer} delivers its output: one init segment per output and timeline, then fragments in order. */
export interface TransmuxerCallbacks {
  /** An init segment (ftyp + moov): before the first fragment of its output, and again when it changes or after `reset()`. */
  onInit(init: Uint8Array, info: InitInfo): void;
  /** One moof + mdat. */
  onFragment(fragment: Uint8Array, info: FragmentInfo): void;
}

/** Options of `createTransmuxer` besides the callbacks; every one is optional. */
export interface TransmuxerOptions extends TransmuxerCallbacks {
  /**
   * `true` (default): audio and video in one init segment and one fragment stream (`type: 'combined'`).
   * `false`: one init segment and fragment stream per kind (`type: 'video'` / `'audio'`), as mux.js's
   * `remux: false`, for a page that keeps a `SourceBuffer` per kind.
   */
  remux?: boolean;
  /**
   * `false` (default, as mux.js): the output timeline starts at {@link baseMediaDecodeTime} — the earliest
   * decode time of the first fragment after creation or `reset()` maps to it, every track shifted by the
   * same amount. `true`: the stream's own 90 kHz timestamps are kept (33-bit wraps still count upwards).
   */
  keepOriginalTimestamps?: boolean;
  /** Where the output timeline starts, 90 kHz ticks (default 0); ignored with `keepOriginalTimestamps`. */
  baseMediaDecodeTime?: number;
  /**
   * AAC audio with a hole (lost packets, a splice) is filled with silent frames so that the `SourceBuffer`
   * sees no gap, up to this many seconds per hole (default 10, as hls.js; 0 turns it off). Holes shorter
   * than half a frame are jitter and left alone; other codecs are never filled.
   */
  maxAudioGapFillSec?: number;
  /**
   * Caption cues (CEA-608 and CEA-708 in H.264/HEVC SEI, as mux.js's caption parser gives them), delivered as
   * they end; the SEI stays in the video, so a player that renders 608 itself still can. Not set: captions are
   * not decoded at all.
   */
  onCaptions?(cues: TransmuxCaption[]): void;
  /** ID3 tags of the stream's timed metadata (MPEG-TS stream type 0x15), as mux.js's metadata stream gives them. */
  onMetadata?(tags: TransmuxMetadata[]): void;
  /**
   * Also carry each ID3 tag in the fragmented MP4 as an `emsg` box (version 1, scheme
   * `https://aomedia.org/emsg/ID3`, timescale 90 kHz), in front of the fragment it falls in (of the video
   * output with `remux: false`). Default false.
   */
  emsg?: boolean;
  /**
   * How a segment's video is aligned with the GOPs given to {@link Transmuxer.alignGopsWith} (mux.js's
   * `alignGopsAtEnd`). `'start'` (default): the GOPs of the segment that start before the first GOP aligned
   * with are dropped, up to one that starts where a GOP aligned with starts. `'end'`: the video is kept from
   * the last GOP that starts where a GOP aligned with starts, or — without one — from the first GOP after the
   * last one aligned with. See docs/transmuxer.md, "GOP alignment".
   */
  alignGopsAt?: 'start' | 'end';
  /**
   * After each segment's video is written (at `flush()` / `endTimeline()`), the GOPs written for it, in
   * order (mux.js's `gopInfo` event) — in the source stream's 90 kHz clock, not on the output timeline (see
   * {@link TransmuxGopInfo.pts}), ready to be given to another rendition's transmuxer's
   * {@link Transmuxer.alignGopsWith}. Not called for a segment without video.
   */
  onGopInfo?(gops: TransmuxGopInfo[]): void;
}

/** What `reset()` takes. */
export interface ResetOptions {
  /** Where the next timeline starts, 90 kHz ticks (default: the option given at creation). */
  baseMediaDecodeTime?: number;
}

/** A push-based converter to fragmented MP4 (see `createTransmuxer`). */
export interface Transmuxer {
  /** Feeds bytes of the input (any chunking). */
  push(chunk: Uint8Array): void;
  /**
   * Writes everything still pending (the end of a segment, as mux.js's `flush()`): the last frame of each
   * track gets the duration of the one before. The transmuxer stays usable: the next bytes pushed (a
   * segment starting with its own PAT/PMT, as HLS segments do) continue the same timeline.
   */
  flush(): void;
  /**
   * Ends the current timeline (a discontinuity, as an HLS `#EXT-X-DISCONTINUITY`): everything pending is
   * written, and the next bytes pushed start a new input whose timestamps need not follow on. Without
   * `keepOriginalTimestamps` the new timeline continues where the output so far ends; with it, the new
   * input's own timestamps are kept.
   */
  endTimeline(): void;
  /**
   * Drops everything pending and starts over (a seek): the next bytes pushed are a new input, nothing of
   * the old one leaks into it. The next output starts with an init segment, at `baseMediaDecodeTime`
   * unless `keepOriginalTimestamps`.
   */
  reset(options?: ResetOptions): void;
  /**
   * Aligns the video of the segments that follow with `gops` (mux.js's `alignGopsWith`): the GOPs another
   * rendition's transmuxer reported through `onGopInfo` for the segment a player has buffered from it. At the
   * end of each segment (`flush()` / `endTimeline()`) its leading GOPs are dropped as {@link
   * TransmuxerOptions.alignGopsAt} says, so the video starts at a keyframe where the other rendition's does;
   * audio is untouched, and the output timeline is placed as without alignment. While the list is not empty,
   * a segment's fragments are held until its end. An empty list turns alignment off; `reset()` does too (as
   * mux.js's). The list is copied: later changes to the array do not count.
   * @throws TypeError when `gops` is not an array of objects; RangeError when a `pts` is not a finite number.
   */
  alignGopsWith(gops: readonly GopAlignInfo[]): void;
}
