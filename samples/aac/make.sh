#!/usr/bin/env bash
# Test media for the AAC decoder (test/decode/aac.test.ts), made with ffmpeg's native aac encoder.
# Deterministic: lavfi sources only, bitexact flags, no metadata. Run from anywhere: ./make.sh
set -euo pipefail
cd "$(dirname "$0")"
BX=(-fflags +bitexact -flags:a +bitexact -map_metadata -1 -map_chapters -1)
run() { local out=$1; shift; ffmpeg -nostdin -v error -y "$@" "${BX[@]}" "$out"; }
# A tone with a sweep and some noise: tonal and noisy bands in one signal.
TONE='aevalsrc=0.3*sin(2*PI*440*t)+0.2*sin(2*PI*(200+900*t)*t)+0.05*(random(0)-0.5)'
# Clicks every 100 ms over a quiet tone: transients that force eight-short windows.
CLICKS='aevalsrc=0.05*sin(2*PI*330*t)+0.8*lt(mod(t\,0.1)\,0.002)*sin(2*PI*3000*t)'

run mono-44k.m4a       -f lavfi -i "${TONE}:s=44100:d=2" -ac 1 -c:a aac -b:a 64k -f ipod
run stereo-22k.m4a     -f lavfi -i "${TONE}|0.2*sin(2*PI*660*t):s=22050:d=2" -c:a aac -b:a 48k -f ipod
run stereo-8k.m4a      -f lavfi -i "${TONE}|0.2*sin(2*PI*660*t):s=8000:d=2" -c:a aac -b:a 24k -f ipod
run stereo-96k.m4a     -f lavfi -i "${TONE}|0.2*sin(2*PI*1660*t):s=96000:d=1" -c:a aac -b:a 128k -f ipod
run transients-48k.m4a -f lavfi -i "${CLICKS}|0.5*${CLICKS#aevalsrc=}:s=48000:d=2" -c:a aac -b:a 128k -f ipod
run surround-51.m4a    -f lavfi -i "aevalsrc=0.3*sin(2*PI*300*t)|0.3*sin(2*PI*500*t)|0.3*sin(2*PI*700*t)|0.3*sin(2*PI*60*t)|0.2*sin(2*PI*900*t)+0.02*(random(0)-0.5)|0.2*sin(2*PI*1100*t):s=48000:d=2" \
    -c:a aac -b:a 256k -f ipod
# Low bitrate with intensity stereo, PNS and TNS on: the tools ffmpeg's encoder only uses when asked.
run tools-lowrate.m4a  -f lavfi -i "aevalsrc=0.1*(random(0)-0.5)+0.2*sin(2*PI*440*t)+0.1*sin(2*PI*6000*t)|0.08*(random(1)-0.5)+0.18*sin(2*PI*440*t)+0.09*sin(2*PI*6000*t):s=44100:d=2" \
    -c:a aac -b:a 32k -aac_is 1 -aac_pns 1 -aac_tns 1 -f ipod
run tools-adts.aac     -f lavfi -i "${CLICKS}|0.7*sin(2*PI*550*t)+0.1*(random(0)-0.5):s=32000:d=2" \
    -c:a aac -b:a 40k -aac_is 1 -aac_pns 1 -aac_tns 1 -f adts
# AAC in MPEG-TS with the LATM/LOAS transport (stream type 0x11), as DVB broadcasts carry it.
run latm-48k.ts        -f lavfi -i "${TONE}|0.2*sin(2*PI*660*t):s=48000:d=2" -c:a aac -b:a 96k -mpegts_flags latm -f mpegts
