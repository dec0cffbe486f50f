/**
 * Jazzer.js fuzz target: the entry points of one group (FUZZ_GROUP; see GROUPS) on each input, from the SWC build of
 * the library and harness (FUZZ_BUILD_DIR, made by scripts/fuzz-build.mjs) so that Jazzer instruments plain JS.
 * A finding is any call that breaks the contract of test/fuzz/targets.ts: an exception other than a BoxwrightError
 * with a finite offset, or an INTERNAL one. Time is bounded by Jazzer's --timeout, memory by libFuzzer's
 * -rss_limit_mb. Run through scripts/fuzz.mjs.
 */
const { join, resolve } = require('node:path');

const build = process.env.FUZZ_BUILD_DIR || resolve(__dirname, '../../../.fuzz-build');
const { TARGETS, errorViolation } = require(join(build, 'test/fuzz/targets.js'));
const { prng } = require(join(build, 'test/fuzz/mutate.js'));

/** Entry points fuzzed together (one Jazzer run each). The stream transmuxer is async; its sync core is fuzzed here. */
const GROUPS = {
  boxes: ['readBoxes', 'writeBoxes', 'findBox', 'dumpBoxes', 'boxesToJson'],
  probe: ['probeMedia', 'probeMedia:packets+frames', 'demuxMedia'],
  fmp4: ['createFragmentedMp4', 'createFragmentedMp4:1s', 'streamCopy:fmp4', 'streamCopy:fmp4:all', 'streamCopyChunks:fmp4:all'],
  mp4: ['streamCopy:mp4', 'streamCopy:mp4:all', 'streamCopy:mov', 'streamCopy:mov:all', 'streamCopy:m4a', 'streamCopy:m4a:all', 'streamCopyChunks:mp4:all', 'streamCopyChunks:mov:all', 'streamCopyChunks:m4a:all'],
  ts: ['streamCopy:ts', 'streamCopy:ts:all', 'streamCopyChunks:ts:all'],
  transmux: ['createTransmuxer'],
};
const group = process.env.FUZZ_GROUP || 'probe';
if (!GROUPS[group]) throw new Error(`FUZZ_GROUP must be one of ${Object.keys(GROUPS).join(', ')}`);
const targets = GROUPS[group].map((n) => {
  const t = TARGETS.find((x) => x.name === n);
  if (!t) throw new Error(`no fuzz target ${n}`);
  return t;
});

/** @param {Buffer} buf */
module.exports.fuzz = function fuzz(buf) {
  // A view into Jazzer's buffer, as a caller's Buffer would be.
  const data = new Uint8Array(buf.buffer, buf.byteOffset, buf.length);
  for (const t of targets) {
    try {
      t.run(data, prng(buf.length));
    } catch (e) {
      const v = errorViolation(e);
      if (v) {
        const err = e instanceof Error ? e : new Error(String(e));
        err.message = `[${t.name}] ${v}`;
        throw err;
      }
    }
  }
};

module.exports.GROUPS = GROUPS;
