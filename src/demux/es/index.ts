/** Elementary-stream audio demuxers: ADTS AAC, MPEG audio (MP3), WAVE PCM and AC-3 / E-AC-3, each to a one-track {@link Movie}. */
export { demuxAdts } from './adts.js';
export { demuxMp3, MP3_DECODER_DELAY, type Mp3DemuxOptions } from './mp3.js';
export { demuxWav, parseWavFormat, readWavFormat, WAVE_FORMAT, WAV_PACKET_BYTES, type WavFormat } from './wav.js';
export { demuxAc3 } from './ac3.js';
