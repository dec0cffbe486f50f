/**
 * CEA-708 (DTVCC) caption decoding from cc_data triplets of type 3 (packet start) and 2 (packet data):
 * caption channel packets → service blocks → window commands and text (CEA-708 service layer and coding layer). Like mux.js's
 * Cea708Stream (lib/m2ts/caption-stream.js), whose cues we reproduce: eight windows per service, text with
 * CR / BS / FF / HCR, DFx / CWx / CLW / DLW / DSW / HDW / TGW / RST; pen and window attributes are read and
 * dropped, SPL starts a new row. A cue is the text of the visible windows between two display commands.
 */
import type { CaptionCue } from './cue.js';

const WINDOWS = 8;
/** A caption channel packet holds at most 128 bytes (packet_size_code 0 means 128). Bytes past a generous
 *  bound without a new packet start are dropped, so a stream of type-2 triplets cannot grow memory. */
const MAX_PACKET_BYTES = 512;
/** Characters a window row keeps: a row has at most 42 columns; past this bound text is dropped (mux.js keeps
 *  it), so a stream without row breaks cannot make every cue, and the output, grow with its length. */
export const MAX_ROW_CHARS = 256;

/** G2 characters and the one G3 character, by 0x10 ‖ code; other G2/G3 codes are not characters. */
const G2_G3: Readonly<Record<number, string>> = {
  0x20: ' ', // transparent space, shown as a space
  0x21: '\u00a0', // non-breaking transparent space
  0x25: '\u2026',
  0x2a: '\u0160',
  0x2c: '\u0152',
  0x30: '\u2588',
  0x31: '\u2018',
  0x32: '\u2019',
  0x33: '\u201c',
  0x34: '\u201d',
  0x35: '\u2022',
  0x39: '\u2122',
  0x3a: '\u0161',
  0x3c: '\u0153',
  0x3d: '\u2120',
  0x3f: '\u0178',
  0x76: '\u215b',
  0x77: '\u215c',
  0x78: '\u215d',
  0x79: '\u215e',
  0x7a: '\u23d0',
  0x7b: '\u23a4',
  0x7c: '\u23a3',
  0x7d: '\u23af',
  0x7e: '\u23a6',
  0x7f: '\u23a1',
  0xa0: '\u3138', // G3 0xA0: the [CC] logo; mux.js's stand-in
};

/** G0 (0x20..0x7f, with 0x7f the music note) and G1 (0xa0..0xff, ISO 8859-1) bytes. */
const isTextByte = (b: number): boolean => (b >= 0x20 && b <= 0x7f) || (b >= 0xa0 && b <= 0xff);

/** One window's text: rows, the row being written, and a row break waiting for the next character. */
class Window {
  rows: string[] = [''];
  rowIdx = 0;
  pendingNewLine = false;
  visible = false;
  /** Rows the window keeps: row_count + 1 (CEA-708 "virtual rows"). */
  virtualRowCount = 2;

  reset(): void {
    this.clearText();
    this.pendingNewLine = false;
    this.visible = false;
    this.virtualRowCount = 2;
  }

  clearText(): void {
    this.rows = [''];
    this.rowIdx = 0;
  }

  clearRow(): void {
    this.rows[this.rowIdx] = '';
  }

  isEmpty(): boolean {
    return this.rows.length === 0 || (this.rows.length === 1 && this.rows[0] === '');
  }

  text(): string {
    return this.rows.join('\n');
  }

  addText(text: string): void {
    const row = this.rows[this.rowIdx]!;
    if (row.length + text.length <= MAX_ROW_CHARS) this.rows[this.rowIdx] = row + text;
  }

  backspace(): void {
    if (!this.isEmpty()) this.rows[this.rowIdx] = this.rows[this.rowIdx]!.slice(0, -1);
  }
}

/** One caption service: its windows, the current window, and when the text on screen appeared. */
class Service {
  readonly windows: Window[] = [];
  /** Before any CWx/DFx, text goes to a window that is never displayed. */
  current: Window = new Window();
  startPts: number;

  constructor(
    readonly num: number,
    pts: number,
  ) {
    this.startPts = pts;
    for (let w = 0; w < WINDOWS; w++) this.windows.push(new Window());
  }
}

/**
 * The CEA-708 decoder of a stream: collects DTVCC packets from cc_data pairs and decodes every service in them.
 * A packet is decoded when the next packet starts (its length is not trusted to end it). Cues go to the array
 * given to the constructor.
 */
export class Cea708Decoder {
  private services = new Map<number, Service>();
  private packet: { data: number[]; pts: number[] } | null = null;

  constructor(private readonly out: CaptionCue[]) {}

  /** Drops all services and any partial packet (a seek). */
  reset(): void {
    this.services = new Map();
    this.packet = null;
  }

  /** Takes one DTVCC cc_data pair (cc_type 2 or 3) received at `pts`. */
  push(pts: number, ccType: number, ccData: number): void {
    if (ccType === 3 || this.packet === null) {
      if (this.packet !== null) this.decodePacket();
      this.packet = { data: [], pts: [] };
    }
    const p = this.packet;
    if (p.data.length >= MAX_PACKET_BYTES) return;
    p.pts.push(pts);
    p.data.push(ccData >>> 8, ccData & 0xff);
  }

  /** The pts of byte `i` of the current packet (one per byte pair; the last one past the end). */
  private ptsAt(i: number): number {
    const pts = this.packet!.pts;
    return pts[Math.min(Math.floor(i / 2), pts.length - 1)]!;
  }

  /** Splits the current packet into service blocks and decodes each. */
  private decodePacket(): void {
    const data = this.packet!.data;
    // Byte 0: sequence_number (2 bits) and packet_size_code (6 bits), not needed to find the blocks.
    let i = 1;
    while (i < data.length) {
      const header = data[i++]!;
      let serviceNum = header >> 5;
      const blockSize = header & 0x1f;
      // Service number 0 is the null block: only padding follows.
      if (serviceNum === 0) return;
      if (serviceNum === 7) {
        if (i >= data.length) return;
        serviceNum = data[i++]! & 0x3f; // extended_service_number (2 null bits, 6 bits)
      }
      this.decodeBlock(serviceNum, i, Math.min(i + blockSize, data.length));
      i += blockSize;
    }
  }

  private serviceOf(num: number, i: number): Service {
    let s = this.services.get(num);
    if (!s) {
      s = new Service(num, this.ptsAt(i));
      this.services.set(num, s);
    }
    return s;
  }

  /** Byte `i` of the current packet, 0 past its end (a command cut short reads zero parameters). */
  private byte(i: number): number {
    return this.packet!.data[i] ?? 0;
  }

  /** Decodes the service block in bytes [start, end) of the current packet. */
  private decodeBlock(serviceNum: number, start: number, end: number): void {
    let s = this.serviceOf(serviceNum, start);
    for (let i = start; i < end; i++) {
      const b = this.byte(i);
      if (isTextByte(b)) {
        this.addChar(s, i, b === 0x7f ? '\u266a' : String.fromCharCode(b));
      } else if (b === 0x10) {
        // EXT1: a G2/G3 character, or a C2/C3 code whose parameters are skipped.
        const e = this.byte(++i);
        if (isTextByte(e)) this.addChar(s, i, G2_G3[e] ?? '');
        else i += extendedParameterBytes(e);
      } else if (b === 0x18) {
        // P16: a 16-bit character code in the next two bytes.
        const hi = this.byte(i + 1);
        const lo = this.byte(i + 2);
        if (isTextByte(hi) && isTextByte(lo)) {
          i += 2;
          this.addChar(s, i, String.fromCharCode((hi << 8) | lo));
        }
      } else if (b >= 0x11 && b <= 0x17) {
        i += 1; // C0 codes 0x11..0x17 take one parameter byte (CEA-708 C0 code set)
      } else if (b >= 0x19 && b <= 0x1f) {
        i += 2; // C0 codes 0x19..0x1f take two
      } else if (b >= 0x80 && b <= 0x87) {
        s.current = s.windows[b & 7]!; // CWx
      } else if (b >= 0x98 && b <= 0x9f) {
        // DFx: define window x and make it current; of its six parameters we keep visibility and row count.
        const w = s.windows[b & 7]!;
        s.current = w;
        w.visible = (this.byte(i + 1) & 0x20) !== 0;
        w.virtualRowCount = (this.byte(i + 4) & 0x0f) + 1;
        i += 6;
      } else if (b >= 0x88 && b <= 0x8c) {
        // CLW, DSW, HDW, TGW, DLW: a window bitmap; what was on screen ends here.
        const map = this.byte(++i);
        this.flushDisplayed(s, this.ptsAt(i));
        for (let w = 0; w < WINDOWS; w++) {
          if ((map & (1 << w)) === 0) continue;
          const win = s.windows[w]!;
          if (b === 0x88) win.clearText();
          else if (b === 0x89) win.visible = true;
          else if (b === 0x8a) win.visible = false;
          else if (b === 0x8b) win.visible = !win.visible;
          else win.reset();
        }
      } else if (b === 0x97) {
        i += 4; // SWA: window attributes
      } else if (b === 0x90) {
        i += 2; // SPA: pen attributes
      } else if (b === 0x91) {
        i += 3; // SPC: pen colour
      } else if (b === 0x92) {
        // SPL: pen location. Without positions, a move starts a new row.
        s.current.pendingNewLine = true;
        i += 2;
      } else if (b === 0x8f) {
        // RST: the service starts over.
        this.flushDisplayed(s, this.ptsAt(i));
        this.services.delete(serviceNum);
        s = this.serviceOf(serviceNum, i);
      } else if (b === 0x08) {
        s.current.backspace(); // BS
      } else if (b === 0x0c) {
        s.current.clearText(); // FF: form feed clears the window
      } else if (b === 0x0e) {
        s.current.clearRow(); // HCR: erases the current row only (mux.js clears the window)
      } else if (b === 0x0d) {
        s.current.pendingNewLine = true; // CR
      } else if (b === 0x8d) {
        i += 1; // DLY: delay (tenths of a second), not applied
      }
      // 0x00 NUL, 0x03 ETX, 0x8e DLC and reserved codes: nothing to do.
    }
  }

  /** Writes a character at byte `i` into the current window, starting the pending new row first. */
  private addChar(s: Service, i: number, char: string): void {
    const w = s.current;
    if (w.pendingNewLine && !w.isEmpty()) this.newLine(s, w, this.ptsAt(i));
    w.pendingNewLine = false;
    w.addText(char);
  }

  /** A new row in window `w`; when the window is full the text on screen ends first and the top row goes. */
  private newLine(s: Service, w: Window, pts: number): void {
    if (w.rows.length >= w.virtualRowCount && s.windows.includes(w)) this.flushDisplayed(s, pts);
    w.rows.push('');
    w.rowIdx++;
    while (w.rows.length > w.virtualRowCount) {
      w.rows.shift();
      w.rowIdx--;
    }
  }

  /** Emits the visible windows' text as a cue ending at `pts`; the next cue starts there. */
  private flushDisplayed(s: Service, pts: number): void {
    const texts: string[] = [];
    for (const w of s.windows) if (w.visible && !w.isEmpty()) texts.push(w.text());
    const text = texts.join('\n\n');
    if (text !== '') this.out.push({ startPts: s.startPts, endPts: pts, text, stream: `cc708_${s.num}` });
    s.startPts = pts;
  }
}

/** Parameter bytes after EXT1 + a C2 (0x00..0x1f) or C3 (0x80..0x9f) code (CEA-708 C2 and C3 code sets). */
function extendedParameterBytes(code: number): number {
  if (code <= 0x07) return 0;
  if (code <= 0x0f) return 1;
  if (code <= 0x17) return 2;
  if (code <= 0x1f) return 3;
  if (code >= 0x80 && code <= 0x87) return 4;
  if (code >= 0x88 && code <= 0x8f) return 5;
  // 0x90..0x9f are variable-length (a header byte gives the length): not skipped, as mux.js.
  return 0;
}
