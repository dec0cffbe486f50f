#!/bin/sh
# Generates the large inputs for bench/remux.mjs into bench/media/ (git-ignored). Idempotent: existing files are kept.
#   big.mp4       ~220 MB, 72 s, H.264 High 1280x720 30 fps (libx264 veryfast: CABAC, as real streams are; film-grain-like
#                 noise so that it really takes 23 Mb/s), GOP 60, B-frames, + AAC 128k, moov first
#   big.ts        the same streams as MPEG-TS (-c copy)
#   seg/seg%03d.ts  big.ts cut into ~6 s segments (-c copy; cuts land on keyframes, GOP = 2 s)
#   long.mp4      ~250 MB, 600 s, the same picture with lighter noise at 3 Mb/s (libx264 veryfast, GOP 60, 2 B-frames)
#                 + AAC-LC 128k, moov first: ~46,000 samples, 8× big.mp4's per byte (per-sample cost shows here)
#   long.ts       the same streams as MPEG-TS (-c copy)
#   long-seg/seg%03d.ts  long.ts cut into ~6 s segments (100 files)
set -eu
FFMPEG=${FFMPEG:-ffmpeg}
dir=$(dirname "$0")/media
mkdir -p "$dir/seg" "$dir/long-seg"
cd "$dir"

if [ ! -s big.mp4 ]; then
  "$FFMPEG" -v error -y \
    -f lavfi -i testsrc2=size=1280x720:rate=30 \
    -f lavfi -i sine=frequency=440:sample_rate=48000 \
    -t 72 -vf noise=alls=8:allf=t \
    -c:v libx264 -preset veryfast -b:v 23M -maxrate 23M -bufsize 23M -g 60 -bf 2 -pix_fmt yuv420p \
    -c:a aac -b:a 128k \
    -movflags +faststart big.tmp.mp4
  mv big.tmp.mp4 big.mp4
fi

if [ ! -s big.ts ]; then
  "$FFMPEG" -v error -y -i big.mp4 -map 0 -c copy -f mpegts big.tmp.ts
  mv big.tmp.ts big.ts
fi

if [ ! -s seg/seg000.ts ]; then
  "$FFMPEG" -v error -y -i big.ts -map 0 -c copy -f segment -segment_time 6 -segment_format mpegts seg/seg%03d.ts
fi

if [ ! -s long.mp4 ]; then
  "$FFMPEG" -v error -y \
    -f lavfi -i testsrc2=size=1280x720:rate=30 \
    -f lavfi -i sine=frequency=440:sample_rate=48000 \
    -t 600 -vf noise=alls=3:allf=t \
    -c:v libx264 -preset veryfast -b:v 3M -maxrate 3M -bufsize 6M -g 60 -bf 2 -pix_fmt yuv420p \
    -c:a aac -b:a 128k \
    -movflags +faststart long.tmp.mp4
  mv long.tmp.mp4 long.mp4
fi

if [ ! -s long.ts ]; then
  "$FFMPEG" -v error -y -i long.mp4 -map 0 -c copy -f mpegts long.tmp.ts
  mv long.tmp.ts long.ts
fi

if [ ! -s long-seg/seg000.ts ]; then
  "$FFMPEG" -v error -y -i long.ts -map 0 -c copy -f segment -segment_time 6 -segment_format mpegts long-seg/seg%03d.ts
fi

ls -l big.mp4 big.ts long.mp4 long.ts
ls seg | wc -l
ls long-seg | wc -l
