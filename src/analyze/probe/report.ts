/** The ffprobe-shaped report: field names and meanings follow `ffprobe -of json -show_format -show_streams [-show_packets] [-show_frames]`. */

/** ffprobe's `disposition` flags of a stream (0 or 1 each). */
export interface ProbeDisposition {
  default: 0 | 1;
  dub: 0 | 1;
  original: 0 | 1;
  comment: 0 | 1;
  lyrics: 0 | 1;
  karaoke: 0 | 1;
  forced: 0 | 1;
  hearing_impaired: 0 | 1;
  visual_impaired: 0 | 1;
  clean_effects: 0 | 1;
  attached_pic: 0 | 1;
  timed_thumbnails: 0 | 1;
  captions: 0 | 1;
  descriptions: 0 | 1;
  metadata: 0 | 1;
  dependent: 0 | 1;
  still_image: 0 | 1;
}

/** One entry of ffprobe's `side_data_list` (display matrix, …). */
export interface ProbeSideData {
  side_data_type: string;
  displaymatrix?: string;
  rotation?: number;
}

/** One stream, as ffprobe's `streams[]` entry (plus `codec_string`, RFC 6381). */
export interface ProbeStream {
  index: number;
  codec_name?: string;
  profile?: string;
  codec_type: 'video' | 'audio' | 'subtitle' | 'data';
  codec_tag_string: string;
  codec_tag: string;
  width?: number;
  height?: number;
  coded_width?: number;
  coded_height?: number;
  sample_aspect_ratio?: string;
  display_aspect_ratio?: string;
  pix_fmt?: string;
  level?: number;
  color_range?: string;
  color_space?: string;
  color_transfer?: string;
  color_primaries?: string;
  field_order?: string;
  sample_rate?: string;
  channels?: number;
  channel_layout?: string;
  bits_per_sample?: number;
  id: string;
  r_frame_rate: string;
  avg_frame_rate: string;
  time_base: string;
  start_pts?: number;
  start_time?: string;
  duration_ts?: number;
  duration?: string;
  bit_rate?: string;
  nb_frames?: string;
  disposition: ProbeDisposition;
  tags: Record<string, string>;
  side_data_list?: ProbeSideData[];
  /** RFC 6381 codecs parameter (`avc1.64001f`, `mp4a.40.2`), where we know it. Not an ffprobe field. */
  codec_string?: string;
  /** Content protection (scheme, default KID), when the track is encrypted. Not an ffprobe field. */
  protection?: { scheme: string; kid?: string };
}

/** ffprobe's `format` section: the container as a whole. */
export interface ProbeFormat {
  nb_streams: number;
  nb_programs: number;
  format_name: string;
  format_long_name: string;
  start_time?: string;
  duration?: string;
  size: string;
  bit_rate?: string;
  probe_score: number;
  tags: Record<string, string>;
}

/** One entry of ffprobe's `packets` (`-show_packets`): a coded sample with its timestamps and position. */
export interface ProbePacket {
  codec_type: string;
  stream_index: number;
  pts: number;
  pts_time: string;
  dts: number;
  dts_time: string;
  /** Absent where ffprobe prints N/A. */
  duration?: number;
  duration_time?: string;
  size: string;
  /** Absent where ffprobe prints N/A (MPEG-TS frames after the first of a PES). */
  pos?: string;
  flags: string;
}

/** One entry of ffprobe's `frames` (`-show_frames`), derived from the bitstream without decoding. */
export interface ProbeFrame {
  media_type: string;
  stream_index: number;
  key_frame: 0 | 1;
  pts: number;
  pts_time: string;
  pkt_dts: number;
  pkt_dts_time: string;
  pict_type?: string;
}

/** What {@link probeMedia} returns. JSON-safe: `JSON.parse(JSON.stringify(r))` equals `r`. */
export interface ProbeReport {
  format: ProbeFormat;
  streams: ProbeStream[];
  packets?: ProbePacket[];
  frames?: ProbeFrame[];
}
