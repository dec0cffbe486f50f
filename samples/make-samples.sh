#!/usr/bin/env bash
# Regenerates the small, deterministic test media in this folder.
#
#   bash samples/make-samples.sh            # from any cwd; writes next to this script
#   FFMPEG=/path/to/ffmpeg bash samples/make-samples.sh
#
# Written for Debian 12's ffmpeg 5.1 (libx264, libx265, libaom, libvpx, libopus,
# libmp3lame + native aac/ac3/eac3/flac/alac/pcm encoders). Every input is a
# lavfi source, every encoder runs single-threaded and every muxer runs with
# bitexact flags and no copied metadata, so reruns with the same ffmpeg build
# produce byte-identical files. The outputs are committed: tests never need an
# encoder. See README.md for what each file exercises.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")"
FFMPEG=${FFMPEG:-ffmpeg}
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

FF=("$FFMPEG" -nostdin -hide_banner -loglevel error -y)
# Output options for reproducibility (no encoder/version strings, no
# creation_time, no metadata or chapters copied from the lavfi inputs).
BX=(-fflags +bitexact -flags:v +bitexact -flags:a +bitexact -map_metadata -1 -map_chapters -1)

# ---- inputs -----------------------------------------------------------------
# video: testsrc2, 160x90 (height not a multiple of 16 -> SPS cropping), 24 fps
vsrc() { # [duration] [size] [rate]
  echo "testsrc2=size=${2:-160x90}:rate=${3:-24}:duration=${1:-2}"
}
# audio: stereo, left 440 Hz / right 660 Hz sine
asrc() { # [duration] [sample_rate]
  local d=${1:-2} r=${2:-48000}
  echo "sine=f=440:r=$r:d=$d[l];sine=f=660:r=$r:d=$d[r];[l][r]join=inputs=2:channel_layout=stereo[out0]"
}
# second audio: seeded pink-ish noise (deterministic), mixed down to stereo
nsrc() { # [duration]
  echo "anoisesrc=d=${1:-2}:c=pink:r=48000:a=0.1:seed=42,aformat=channel_layouts=stereo"
}

V=(-f lavfi -i "$(vsrc)")
A=(-f lavfi -i "$(asrc)")
AV=("${V[@]}" "${A[@]}" -map 0:v -map 1:a)

# ---- encoders ---------------------------------------------------------------
# H.264 High, fixed IBBP pattern (b-adapt=0 so B-frames are guaranteed), GOP 12.
H264=(-c:v libx264 -preset veryfast -profile:v high -pix_fmt yuv420p -crf 28
      -bf 2 -g 12 -keyint_min 12 -sc_threshold 0 -x264-params b-adapt=0 -threads 1)
X265P="log-level=error:pools=none:frame-threads=1:keyint=12:min-keyint=12:scenecut=0:bframes=2:b-adapt=0"
HEVC=(-c:v libx265 -preset fast -pix_fmt yuv420p -crf 32 -x265-params "$X265P")
AAC=(-c:a aac -b:a 96k -ar 48000 -ac 2)

run() { # out-file ffmpeg-args...   (inputs + output options; BX appended)
  local out=$1; shift
  echo "  $out"
  "${FF[@]}" "$@" "${BX[@]}" "$out"
}

echo "ffmpeg: $("$FFMPEG" -hide_banner -version | head -1)"
echo "writing into $PWD"

# ---- 1-4: H.264 + AAC in MP4, different layouts -----------------------------
# moov first; edit lists from B-frame delay (video) and AAC priming (audio)
run h264-aac.mp4          "${AV[@]}" "${H264[@]}" "${AAC[@]}" -movflags +faststart
# moov after mdat
run h264-aac-moov-end.mp4 "${AV[@]}" "${H264[@]}" "${AAC[@]}"
# fragmented: empty moov + moof/mdat per keyframe, tfhd default-base-is-moof
run h264-aac-frag.mp4     "${AV[@]}" "${H264[@]}" "${AAC[@]}" \
    -movflags frag_keyframe+empty_moov+default_base_moof
# fragmented DASH-style single file with a global sidx in front of the fragments
run h264-aac-frag-dash.mp4 "${AV[@]}" "${H264[@]}" "${AAC[@]}" \
    -movflags +dash+global_sidx
# negative composition offsets: ctts version 1 (signed), video edit list
# media_time 0 instead of the B-frame delay
run h264-negcts.mp4       "${AV[@]}" "${H264[@]}" "${AAC[@]}" \
    -movflags +faststart+negative_cts_offsets
# same, fragmented: trun version 1 with signed sample_composition_time_offset
run h264-negcts-frag.mp4  "${AV[@]}" "${H264[@]}" "${AAC[@]}" \
    -movflags frag_keyframe+empty_moov+default_base_moof+negative_cts_offsets

# ---- 5: HEVC ------------------------------------------------------------------
run hevc-aac.mp4  "${AV[@]}" "${HEVC[@]}" -tag:v hvc1 "${AAC[@]}" -movflags +faststart
run hevc-hev1.mp4 "${V[@]}" "${HEVC[@]}" -tag:v hev1 -movflags +faststart

# ---- 6: AV1 (libaom, realtime speed 8) ----------------------------------------
run av1.mp4 "${V[@]}" -c:v libaom-av1 -usage realtime -cpu-used 8 -crf 45 -b:v 0 \
    -g 12 -threads 1 -row-mt 0 -tiles 1x1 -pix_fmt yuv420p -movflags +faststart

# ---- 7: VP9 + Opus in MP4 (vpcC / dOps) ---------------------------------------
run vp9-opus.mp4 "${AV[@]}" -c:v libvpx-vp9 -deadline realtime -cpu-used 8 -crf 45 -b:v 0 \
    -g 12 -threads 1 -row-mt 0 -pix_fmt yuv420p \
    -c:a libopus -b:a 64k -ar 48000 -ac 2 -movflags +faststart

# ---- 8: audio-only MP4 / M4A ------------------------------------------------------
run opus.mp4 "${A[@]}" -c:a libopus -b:a 64k -movflags +faststart
run flac.mp4 "${A[@]}" -c:a flac -strict -2 -movflags +faststart
run mp3.mp4  "${A[@]}" -c:a libmp3lame -b:a 96k -movflags +faststart
run ac3.mp4  "${A[@]}" -c:a ac3  -b:a 96k -movflags +faststart
run eac3.mp4 "${A[@]}" -c:a eac3 -b:a 96k -movflags +faststart
run alac.m4a "${A[@]}" -c:a alac -f ipod -movflags +faststart
run aac.m4a  "${A[@]}" "${AAC[@]}" -f ipod -movflags +faststart

# ---- 9: PCM in QuickTime (1 s, 24 kHz stereo to stay small) -----------------------
P=(-f lavfi -i "$(asrc 1 24000)")
run pcm-s16le.mov "${P[@]}" -c:a pcm_s16le -f mov   # sowt
run pcm-s16be.mov "${P[@]}" -c:a pcm_s16be -f mov   # twos
run pcm-s24le.mov "${P[@]}" -c:a pcm_s24le -f mov   # in24 + wave/enda
run pcm-f32le.mov "${P[@]}" -c:a pcm_f32le -f mov   # fl32 + wave/enda
run pcm-alaw.mov  "${P[@]}" -c:a pcm_alaw  -f mov   # alaw
run pcm-mulaw.mov "${P[@]}" -c:a pcm_mulaw -f mov   # ulaw
# pcm-s16le.mp4 (ipcm/lpcm in ISO MP4) is skipped: the ffmpeg 5.1 mp4 muxer has
# no tag for PCM ("codec not currently supported in container"); ipcm support
# arrived in ffmpeg 6.1.

# ---- 10: QuickTime with timecode track + AAC (sound desc v1 + wave atom) ----------
run h264-aac.mov "${AV[@]}" "${H264[@]}" "${AAC[@]}" -timecode 01:00:00:00 -f mov -movflags +faststart

# ---- 11: rotation matrix + pasp + colr ----------------------------------------------
# ffmpeg 5.x ignores `-metadata:s:v:0 rotate=90` (display matrix is only taken from
# stream side data; -display_rotation arrived in 6.0), so the tkhd matrix is patched
# afterwards to exactly what ffmpeg <= 4.4 wrote for rotate=90 (and what phones
# write for portrait video): {0,1,-1,0} with x translation = coded height (90).
patch_tkhd_rotate90() { # file (single-track, moov first)
  local f=$1 n off
  n=$(LC_ALL=C grep -obUa tkhd "$f" | wc -l)
  [ "$n" -eq 1 ] || { echo "expected exactly one tkhd in $f, found $n" >&2; exit 1; }
  off=$(LC_ALL=C grep -obUa tkhd "$f" | cut -d: -f1)
  # matrix starts 44 bytes after the 'tkhd' type (version 0 tkhd)
  printf '\x00\x00\x00\x00\x00\x01\x00\x00\x00\x00\x00\x00'\
'\xff\xff\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00'\
'\x00\x5a\x00\x00\x00\x00\x00\x00\x40\x00\x00\x00' |
    dd of="$f" bs=1 seek=$((off + 44)) conv=notrunc status=none
}
run h264-rotate90.mp4 "${V[@]}" -vf setsar=4/3 "${H264[@]}" \
    -color_primaries bt709 -color_trc bt709 -colorspace bt709 -color_range tv \
    -movflags +faststart+write_colr
patch_tkhd_rotate90 h264-rotate90.mp4

# ---- 12: tx3g subtitles (WebVTT-in-MP4 'wvtt' is not writable by ffmpeg 5.1) -------
cat > "$TMP/subs.srt" <<'EOF'
1
00:00:00,000 --> 00:00:00,800
Hello from boxwright

2
00:00:01,000 --> 00:00:01,900
Second <i>cue</i>
EOF
run subtitles-tx3g.mp4 "${V[@]}" -i "$TMP/subs.srt" -map 0:v -map 1:s "${H264[@]}" \
    -c:s mov_text -metadata:s:s:0 language=eng -movflags +faststart

# ---- 13: Common Encryption (cenc, AES-CTR); bitexact => fixed IVs ---------------------
CENC=(-encryption_scheme cenc-aes-ctr
      -encryption_key 00112233445566778899aabbccddeeff
      -encryption_kid 0123456789abcdef0123456789abcdef)
run encrypted-cenc.mp4      "${AV[@]}" "${H264[@]}" "${AAC[@]}" "${CENC[@]}" -movflags +faststart
run encrypted-cenc-frag.mp4 "${AV[@]}" "${H264[@]}" "${AAC[@]}" "${CENC[@]}" \
    -movflags frag_keyframe+empty_moov+default_base_moof

# ---- 14: non-MP4 containers ------------------------------------------------------------
run h264-aac.ts "${AV[@]}" "${H264[@]}" "${AAC[@]}" -f mpegts
run hevc-aac.ts "${AV[@]}" "${HEVC[@]}" "${AAC[@]}" -f mpegts
# the AAC of h264-aac.mp4 in LATM/LOAS (stream type 0x11), same frames
run h264-aac-latm.ts -i h264-aac.mp4 -map 0 -c copy -f mpegts -mpegts_flags latm
# 192-byte M2TS (BDAV) packets; in this mode ffmpeg writes the AAC as private data (0x06) without
# a descriptor that names it, so a reader must recognise it from its payload
run h264-aac-m2ts.m2ts -i h264-aac.mp4 -map 0 -c copy -f mpegts -mpegts_m2ts_mode 1
# MPEG-1 Layer II audio alone in MPEG-TS (stream type 0x03)
run mp2.ts "${A[@]}" -c:a mp2 -b:a 128k -f mpegts
run aac.adts    "${A[@]}" "${AAC[@]}" -f adts
run mp3.mp3     "${A[@]}" -c:a libmp3lame -b:a 96k -write_id3v2 1 -id3v2_version 3 \
    -metadata title="boxwright sample" -f mp3
run pcm.wav       "${P[@]}" -c:a pcm_s16le -f wav
run pcm-float.wav "${P[@]}" -c:a pcm_f32le -f wav
run ac3.ac3     "${A[@]}" -c:a ac3 -b:a 96k -f ac3

# ---- 15: long GOP (segmenting) and variable frame rate ---------------------------------------
run long-gop-h264.mp4 -f lavfi -i "$(vsrc 6)" -f lavfi -i "$(asrc 6)" -map 0:v -map 1:a \
    -c:v libx264 -preset veryfast -profile:v high -pix_fmt yuv420p -crf 30 -bf 2 \
    -g 48 -keyint_min 48 -sc_threshold 0 -threads 1 \
    -c:a aac -b:a 64k -ar 48000 -ac 2 -movflags +faststart
# 12 s of H.264 with periodic intra refresh: one IDR at the start, then only recovery points (no
# keyframe for longer than the transmuxer holds video)
run h264-intra-refresh.ts -f lavfi -i "$(vsrc 12)" -f lavfi -i "$(asrc 12)" -map 0:v -map 1:a \
    -c:v libx264 -preset veryfast -profile:v high -pix_fmt yuv420p -crf 34 -bf 0 \
    -x264-params intra-refresh=1:keyint=48 -threads 1 \
    -c:a aac -b:a 32k -ar 48000 -ac 2 -f mpegts
# first second at 24 fps (frames 0-23, 41/42 ms steps in a 1/1000 timescale),
# then 20 fps (frames 24-47, 50 ms): ~2.2 s, many stts entries.
# -enc_time_base keeps the 1 ms timestamps (the default 1/24 would requantize them).
run vfr-h264.mp4 "${V[@]}" \
    -vf "settb=1/1000,setpts='if(lt(N,24),N*1000/24,1000+(N-24)*50)'" -fps_mode vfr \
    "${H264[@]}" -enc_time_base:v 1/1000 -video_track_timescale 1000 -movflags +faststart

# ---- 16: one video + two audio tracks, languages and handler names -----------------------------
run multi-track.mp4 "${V[@]}" "${A[@]}" -f lavfi -i "$(nsrc)" -map 0:v -map 1:a -map 2:a \
    "${H264[@]}" "${AAC[@]}" \
    -metadata:s:v:0 handler_name="boxwright video" \
    -metadata:s:a:0 language=eng -metadata:s:a:0 handler_name="English stereo" \
    -metadata:s:a:1 language=fra -metadata:s:a:1 handler_name="French noise" \
    -movflags +faststart

echo "done: $(ls | wc -l) files, $(du -sh . | cut -f1)"
