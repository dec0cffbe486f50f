#!/usr/bin/env bash
# Test media for the MP3 and MP2 decoder (test/decode/mp3.test.ts), made with libmp3lame, libshine, ffmpeg's mp2
# encoder and libtwolame.
# Deterministic: lavfi sources only, bitexact flags, no metadata. Run from anywhere: ./make.sh
set -euo pipefail
cd "$(dirname "$0")"
BX=(-fflags +bitexact -flags:a +bitexact -map_metadata -1 -map_chapters -1)
run() { local out=$1; shift; ffmpeg -nostdin -v error -y "$@" "${BX[@]}" "$out"; }
# A tone with a sweep and some noise: tonal and noisy bands in one signal.
TONE='aevalsrc=0.3*sin(2*PI*440*t)+0.2*sin(2*PI*(200+900*t)*t)+0.05*(random(0)-0.5)'
# Clicks every 100 ms over a quiet tone: transients that force short (and mixed) blocks.
CLICKS='aevalsrc=0.05*sin(2*PI*330*t)+0.8*lt(mod(t\,0.1)\,0.002)*sin(2*PI*3000*t)'

run mono-44k.mp3       -f lavfi -i "${TONE}:s=44100:d=2" -ac 1 -c:a libmp3lame -b:a 128k -f mp3
run stereo-48k-vbr.mp3 -f lavfi -i "${TONE}|0.2*sin(2*PI*660*t)+0.03*(random(1)-0.5):s=48000:d=2" -c:a libmp3lame -q:a 2 -joint_stereo 1 -f mp3
# MPEG-2 (22.05 kHz) and MPEG-2.5 (8 kHz).
run stereo-22k.mp3     -f lavfi -i "${TONE}|0.2*sin(2*PI*660*t):s=22050:d=2" -c:a libmp3lame -b:a 48k -f mp3
run stereo-8k.mp3      -f lavfi -i "${TONE}|0.2*sin(2*PI*660*t):s=8000:d=2" -c:a libmp3lame -b:a 16k -f mp3
run transients-44k.mp3 -f lavfi -i "${CLICKS}|0.5*${CLICKS#aevalsrc=}:s=44100:d=2" -c:a libmp3lame -b:a 128k -f mp3
# Nearly identical channels at a low bitrate. (LAME 3.100 never codes intensity stereo, nor mixed blocks: no
# encoder here makes them; test/decode/mp3.test.ts checks the intensity stereo arithmetic directly.)
run intensity-32k.mp3  -f lavfi -i "aevalsrc=0.1*(random(0)-0.5)+0.2*sin(2*PI*440*t)+0.1*sin(2*PI*6000*t)|0.09*(random(0)-0.5)+0.2*sin(2*PI*440*t)+0.09*sin(2*PI*6000*t):s=32000:d=2" \
    -c:a libmp3lame -b:a 32k -f mp3
# Another encoder: shine (long blocks only, its own bit reservoir use).
run shine-32k.mp3      -f lavfi -i "${TONE}|0.2*sin(2*PI*660*t):s=32000:d=2" -c:a libshine -b:a 64k -f mp3
# MP3 in MP4 and in MPEG-TS.
run stereo-44k.mp4     -f lavfi -i "${TONE}|0.2*sin(2*PI*660*t):s=44100:d=2" -c:a libmp3lame -b:a 96k -f mp4
run stereo-44k.ts      -f lavfi -i "${TONE}|0.2*sin(2*PI*660*t):s=44100:d=2" -c:a libmp3lame -b:a 96k -f mpegts
# MPEG audio Layer II: allocation tables B.2a (mp2-48k.mp2), B.2c (mp2-48k-low), B.2d (mp2-32k-low), the LSF table
# (mp2-24k-mono), joint stereo (twolame), and in MPEG-TS.
run mp2-48k.mp2        -f lavfi -i "${TONE}|0.2*sin(2*PI*660*t):s=48000:d=2" -c:a mp2 -b:a 192k -f mp2
run mp2-48k-low.mp2    -f lavfi -i "${TONE}|0.2*sin(2*PI*660*t):s=48000:d=2" -c:a mp2 -b:a 64k -f mp2
run mp2-32k-low.mp2    -f lavfi -i "${TONE}|0.2*sin(2*PI*660*t):s=32000:d=2" -c:a mp2 -b:a 64k -f mp2
run mp2-24k-mono.mp2   -f lavfi -i "${TONE}:s=24000:d=2" -ac 1 -c:a mp2 -b:a 48k -f mp2
run mp2-joint-44k.mp2  -f lavfi -i "aevalsrc=0.5*(${CLICKS#aevalsrc=})|0.25*(${CLICKS#aevalsrc=})+0.2*sin(2*PI*660*t):s=44100:d=2" -c:a libtwolame -mode joint_stereo -b:a 128k -f mp2
run mp2-48k.ts         -f lavfi -i "${TONE}|0.2*sin(2*PI*660*t):s=48000:d=2" -c:a mp2 -b:a 128k -f mpegts
