/**
 * Preload (node -r) for Jazzer.js 4 on glibc < 2.38 / libstdc++ < 13 (Debian 12 has glibc 2.36, GCC 12): its
 * prebuilt libFuzzer addon needs glibc 2.38 only for `__isoc23_strtol` / `__isoc23_strtoul` (the C23 variants,
 * which differ from strtol/strtoul only by accepting "0b" prefixes — unused by libFuzzer's flag parsing), and
 * GLIBCXX_3.4.32 only for `std::ios_base_library_init()` (GCC 13's "make sure iostreams are set up", which is
 * what constructing a `std::ios_base::Init` does on older libstdc++; that constructor ignores its object). When
 * loading the addon fails for that reason, a copy is written to fuzz-work/ with those imports renamed to
 * strtol / strtoul / ios_base::Init::Init() and their version requirements moved to GLIBC_2.2.5 / GLIBCXX_3.4,
 * and that copy is loaded instead. Nothing else changes.
 */
const { mkdirSync, readFileSync, writeFileSync } = require('node:fs');
const { join, resolve } = require('node:path');

function elfHash(name) {
  let h = 0;
  for (const c of Buffer.from(name, 'latin1')) {
    h = ((h << 4) + c) >>> 0;
    const g = h & 0xf0000000;
    if (g) h ^= g >>> 24;
    h = (h & ~g) >>> 0;
  }
  return h >>> 0;
}

/** The addon with its GLIBC_2.38 imports redirected (ELF64 little-endian only). */
function patchAddon(file) {
  const b = Buffer.from(readFileSync(file));
  if (b.readUInt32BE(0) !== 0x7f454c46 || b[4] !== 2 || b[5] !== 1) throw new Error('not an ELF64 LE file');
  const shoff = Number(b.readBigUInt64LE(0x28));
  const shentsize = b.readUInt16LE(0x3a);
  const shnum = b.readUInt16LE(0x3c);
  const sections = [];
  for (let i = 0; i < shnum; i++) {
    const at = shoff + i * shentsize;
    sections.push({ type: b.readUInt32LE(at + 4), offset: Number(b.readBigUInt64LE(at + 24)), size: Number(b.readBigUInt64LE(at + 32)), link: b.readUInt32LE(at + 40) });
  }
  const verneed = sections.find((s) => s.type === 0x6ffffffe);
  if (!verneed) throw new Error('no .gnu.version_r');
  const dynstr = sections[verneed.link];
  const str = (off) => {
    const start = dynstr.offset + off;
    return b.toString('latin1', start, b.indexOf(0, start));
  };
  const strOffset = (s) => {
    const i = b.indexOf(Buffer.from(`\0${s}\0`, 'latin1'), dynstr.offset);
    if (i < 0 || i >= dynstr.offset + dynstr.size) throw new Error(`no '${s}' in .dynstr`);
    return i + 1 - dynstr.offset;
  };
  const VERSIONS = { 'GLIBC_2.38': 'GLIBC_2.2.5', 'GLIBCXX_3.4.32': 'GLIBCXX_3.4' };
  let patched = 0;
  for (let vn = verneed.offset; ; ) {
    const cnt = b.readUInt16LE(vn + 2);
    let aux = vn + b.readUInt32LE(vn + 8);
    for (let k = 0; k < cnt; k++) {
      const to = VERSIONS[str(b.readUInt32LE(aux + 8))];
      if (to) {
        b.writeUInt32LE(elfHash(to), aux);
        b.writeUInt32LE(strOffset(to), aux + 8);
        patched++;
      }
      aux += b.readUInt32LE(aux + 12);
    }
    const next = b.readUInt32LE(vn + 12);
    if (!next) break;
    vn += next;
  }
  const RENAMES = [['__isoc23_strtoul', 'strtoul'], ['__isoc23_strtol', 'strtol'], ['_ZSt21ios_base_library_initv', '_ZNSt8ios_base4InitC1Ev']];
  for (const [from, to] of RENAMES) {
    if (b.indexOf(Buffer.from(`\0${from}\0`, 'latin1'), dynstr.offset) < 0) continue;
    const at = dynstr.offset + strOffset(from);
    b.fill(0, at, at + from.length);
    b.write(to, at, 'latin1');
  }
  if (!patched) throw new Error('no GLIBC_2.38 / GLIBCXX_3.4.32 requirement found');
  const dir = resolve(__dirname, '../../../fuzz-work/glibc-compat');
  mkdirSync(dir, { recursive: true });
  const out = join(dir, 'fuzzer-linux-x64.node');
  writeFileSync(out, b);
  return out;
}

const dlopen = process.dlopen;
process.dlopen = function compatDlopen(module, filename, ...rest) {
  try {
    return dlopen.call(this, module, filename, ...rest);
  } catch (e) {
    if (!/GLIBC_2\.38|GLIBCXX_3\.4\.32/.test(String(e && e.message)) || !/fuzzer-linux-x64\.node$/.test(filename)) throw e;
    return dlopen.call(this, module, patchAddon(filename), ...rest);
  }
};
