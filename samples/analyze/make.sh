#!/usr/bin/env bash
# Test media for analyzeGop / detectVfrCfr (test/analyze/). Same reproducibility rules as
# ../make-samples.sh: lavfi sources, single-threaded encoders, bitexact muxers, no metadata.
#
#   bash samples/analyze/make.sh
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")"
FFMPEG=${FFMPEG:-ffmpeg}
FF=("$FFMPEG" -nostdin -hide_banner -loglevel error -y)
BX=(-fflags +bitexact -flags:v +bitexact -map_metadata -1 -map_chapters -1)

vsrc() { # duration rate
  echo "testsrc2=size=160x90:rate=$2:duration=$1"
}
run() { # out-file ffmpeg-args...
  local out=$1; shift
  echo "  $out"
  "${FF[@]}" "$@" "${BX[@]}" "$out"
}
X264=(-c:v libx264 -preset veryfast -profile:v high -pix_fmt yuv420p -crf 34 -threads 1)
X265=(-c:v libx265 -preset fast -pix_fmt yuv420p -crf 36)
X265P="log-level=error:pools=none:frame-threads=1"

echo "ffmpeg: $("$FFMPEG" -hide_banner -version | head -1)"

# ---- GOP structure -------------------------------------------------------------------------------
# x264 open GOP: keyframes after the first are non-IDR I pictures with a recovery-point SEI and leading B-frames.
OPEN264=("${X264[@]}" -g 24 -keyint_min 24 -sc_threshold 0 -bf 3 -x264-params open-gop=1:b-adapt=0)
run gop-h264-open.mp4 -f lavfi -i "$(vsrc 3 24)" "${OPEN264[@]}" -movflags +faststart
run gop-h264-open.ts  -f lavfi -i "$(vsrc 3 24)" "${OPEN264[@]}" -f mpegts
# x264 closed GOP with scene-cut I pictures between IDRs (non-key I pictures count as I, not as GOP starts).
run gop-h264-closed.mp4 -f lavfi -i "$(vsrc 3 24),hue=H=t*2" "${X264[@]}" -g 30 -keyint_min 5 -bf 2 \
    -x264-params b-adapt=0:scenecut=40 -movflags +faststart
# x265 open GOP: CRA pictures with RASL leading pictures; closed GOP: IDR_W_RADL.
run gop-hevc-open.mp4 -f lavfi -i "$(vsrc 3 24)" "${X265[@]}" \
    -x265-params "$X265P:keyint=24:min-keyint=24:scenecut=0:bframes=3:b-adapt=0:open-gop=1" -tag:v hvc1 -movflags +faststart
run gop-hevc-open.ts -f lavfi -i "$(vsrc 3 24)" "${X265[@]}" \
    -x265-params "$X265P:keyint=24:min-keyint=24:scenecut=0:bframes=3:b-adapt=0:open-gop=1" -f mpegts
run gop-hevc-closed.mp4 -f lavfi -i "$(vsrc 3 24)" "${X265[@]}" \
    -x265-params "$X265P:keyint=24:min-keyint=24:scenecut=0:bframes=3:b-adapt=0:open-gop=0" -tag:v hvc1 -movflags +faststart

# ---- constant and variable frame rate ------------------------------------------------------------
CFR=("${X264[@]}" -g 30 -bf 2 -x264-params b-adapt=0)
# 29.97 fps in MPEG-TS (90 kHz: every step exactly 3003 ticks)
run cfr-2997.ts       -f lavfi -i "$(vsrc 3 30000/1001)" "${CFR[@]}" -f mpegts
# 29.97 fps in a 1000 Hz MP4 timescale: steps of 33 and 34 ms (rounded timestamps), B-frames
run cfr-2997-ms.mp4   -f lavfi -i "$(vsrc 3 30000/1001)" "${CFR[@]}" -video_track_timescale 1000 -movflags +faststart
run cfr-23976-ms.mp4  -f lavfi -i "$(vsrc 3 24000/1001)" "${CFR[@]}" -video_track_timescale 1000 -movflags +faststart
run cfr-5994.ts       -f lavfi -i "$(vsrc 2 60000/1001)" "${CFR[@]}" -f mpegts
run cfr-5994-ms.mp4   -f lavfi -i "$(vsrc 2 60000/1001)" "${CFR[@]}" -video_track_timescale 1000 -movflags +faststart
run cfr-25.mp4        -f lavfi -i "$(vsrc 3 25)" "${CFR[@]}" -movflags +faststart
run cfr-30.ts         -f lavfi -i "$(vsrc 3 30)" "${CFR[@]}" -f mpegts
# dropped frames: every frame whose index is 10..14 or 40..41 removed, timestamps kept (-fps_mode vfr)
run vfr-dropped.mp4   -f lavfi -i "$(vsrc 3 30)" -vf "select='not(between(n,10,14)+between(n,40,41))'" -fps_mode vfr \
    "${CFR[@]}" -movflags +faststart
run vfr-dropped.ts    -f lavfi -i "$(vsrc 3 30)" -vf "select='not(between(n,10,14)+between(n,40,41))'" -fps_mode vfr \
    "${CFR[@]}" -f mpegts
# irregular timestamps: a jittered clock (steps of 30..50 ms) in a 1/1000 time base
run vfr-irregular.mp4 -f lavfi -i "$(vsrc 3 25)" -vf "settb=1/1000,setpts='N*40+mod(N*7,21)-10'" -fps_mode vfr \
    "${CFR[@]}" -enc_time_base:v 1/1000 -video_track_timescale 1000 -movflags +faststart
# a single frame: no delta to measure
run one-frame.mp4     -f lavfi -i "$(vsrc 1 25)" -frames:v 1 "${CFR[@]}" -movflags +faststart
