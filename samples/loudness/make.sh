#!/usr/bin/env bash
# Regenerates the loudness test signals in this folder (test/analyze/loudness.test.ts measures them and compares
# with ffmpeg's ebur128 and astats filters). Same reproducibility rules as ../make-samples.sh: lavfi sources only,
# bitexact muxers, no metadata. PCM only (the meter is tested apart from any lossy decoder); short and at modest
# rates so each file stays around 100 KB or less.
#
#   bash samples/loudness/make.sh
#
# No WAVE_FORMAT_EXTENSIBLE files (ffmpeg writes them for > 2 channels, > 16 bits or float): probeMedia does not
# report their SubFormat tag and layout yet (see test/oracle/probe-parity.test.ts), so those layouts are in MOV here.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")"
FFMPEG=${FFMPEG:-ffmpeg}
FF=("$FFMPEG" -nostdin -hide_banner -loglevel error -y)
BX=(-fflags +bitexact -flags:a +bitexact -map_metadata -1 -map_chapters -1)

run() { # out-file ffmpeg-args...
  local out=$1; shift
  echo "  $out"
  "${FF[@]}" "$@" "${BX[@]}" "$out"
}
# aevalsrc with one expression per channel ('|'-separated), a rate and a duration.
src() { echo "aevalsrc=$1:s=$2:d=$3"; }
SINE1K='sin(2*PI*1000*t)'
# 50 ms fades in and out for signals whose true peak is compared: an abrupt start or end makes any oversampling
# filter ring (ffmpeg's resampler by up to 0.6 dB), which measures the filter, not the signal.
fades() { echo "afade=t=in:d=0.05,afade=t=out:st=$1:d=0.05"; }  # fade-out start = duration - 0.05

# 1 kHz sine, -20 dBFS peak, stereo 48 kHz: RMS -23.01 dBFS, peak -20 dBFS (issue 14's known signal).
run sine-1k-20dbfs-stereo-48k.wav -f lavfi -i "$(src "0.1*$SINE1K|0.1*$SINE1K" 48000 0.5)" -c:a pcm_s16le
# EBU Tech 3341 test 1 shape: stereo 1 kHz at -23 dBFS each channel -> -23.0 LUFS; big-endian 'twos' in QuickTime.
run ebu-1k-23dbfs-stereo-48k.mov -f lavfi -i "$(src "0.0707946*$SINE1K|0.0707946*$SINE1K" 48000 0.5)" -c:a pcm_s16be -f mov
# Digital silence, unsigned 8-bit (0x80 is zero): every level -Infinity.
run silence-u8-stereo-48k.wav -f lavfi -i "$(src "0|0" 48000 1)" -c:a pcm_u8
# Mono 997 Hz at -12 dBFS, 44.1 kHz float ('fl32' + enda in QuickTime).
run mono-997-f32-44k1.mov -f lavfi -i "$(src "0.251189*sin(2*PI*997*t)" 44100 0.5)" -c:a pcm_f32le -f mov
# 5.1 (FL FR FC LFE BL BR: ffmpeg's layout for 6 channels), 16 kHz: a loud 60 Hz LFE that must not count,
# surrounds weighted 1.41.
run surround-5.1-16k.mov -f lavfi -i "$(src "0.1*sin(2*PI*500*t)|0.1*sin(2*PI*700*t)|0.05*sin(2*PI*1000*t)|0.9*sin(2*PI*60*t)|0.05*sin(2*PI*1500*t)|0.03*sin(2*PI*2000*t)" 16000 0.6):c=5.1" -af "$(fades 0.55)" -c:a pcm_s16le -f mov
# 96 kHz mono ('lpcm' sound description v2 in QuickTime, a rate above 65535): 2x oversampled true peak.
run sine-96k-lpcm.mov -f lavfi -i "$(src "0.5*sin(2*PI*3000*t)" 96000 0.5)" -c:a pcm_s16le -f mov
# Loud/quiet alternation for the loudness range: 1 kHz at -20 dBFS for 4 s, -30 dBFS for 4 s, twice (EBU Tech 3342
# test 1 shape, shortened), mono 8 kHz A-law.
run lra-alternating-8k.wav -f lavfi -i "$(src "if(lt(mod(t\,8)\,4)\,0.1\,0.0316228)*$SINE1K" 8000 16)" -af "$(fades 15.95)" -c:a pcm_alaw
# Half a second: shorter than one 3 s short-term window (loudness range 0), µ-law in QuickTime.
run short-0.5s-mulaw.mov -f lavfi -i "$(src "0.3*sin(2*PI*440*t)" 48000 0.5)" -c:a pcm_mulaw -f mov
# Inter-sample peaks: fs/4 sine at 45 degrees phase, amplitude 0.9: samples reach 0.636 (-3.93 dBFS), the waveform
# 0.9 (-0.92 dBTP) between them (EBU Tech 3341 test 15 shape).
run intersample-peak-48k.wav -f lavfi -i "$(src "0.9*sin(2*PI*12000*t+PI/4)" 48000 0.5)" -af "$(fades 0.45)" -c:a pcm_s16le
# The other integer and float layouts, small: signed 8-bit, 24 and 32-bit big-endian, 64-bit float little-endian.
run s8-8k.mov     -f lavfi -i "$(src "0.5*sin(2*PI*440*t)" 8000 0.5)" -c:a pcm_s8 -f mov
run s24be-8k.mov  -f lavfi -i "$(src "0.5*sin(2*PI*440*t)" 8000 0.5)" -c:a pcm_s24be -f mov
run s32be-8k.mov  -f lavfi -i "$(src "0.5*sin(2*PI*440*t)" 8000 0.5)" -c:a pcm_s32be -f mov
run f64le-8k.mov  -f lavfi -i "$(src "0.5*sin(2*PI*440*t)" 8000 0.5)" -c:a pcm_f64le -f mov
run s32le-8k.mov  -f lavfi -i "$(src "0.5*sin(2*PI*440*t)" 8000 0.5)" -c:a pcm_s32le -f mov
