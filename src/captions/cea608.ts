/**
 * CEA-608 (line 21) caption decoding, as carried in cc_data triplets of type 0 (field 1) and 1 (field 2):
 * pop-on, roll-up (2/3/4 rows) and paint-on captions, control-code doubling, special and extended characters,
 * preamble address codes, mid-row codes. The behaviour and the cue text follow mux.js's Cea608Stream
 * (lib/m2ts/caption-stream.js) so that players fed by either see the same cues; where mux.js has a bug we do
 * what CEA-608 says and docs/captions.md lists the difference.
 *
 * Positions (indent, tab offsets) and colours are not kept: cues carry text only.
 */
import type { CaptionCue } from './cue.js';

/** Index of the last of the 15 caption rows (CEA-608 captions sit on a grid of 15 rows × 32 columns). */
const BOTTOM_ROW = 14;
const ROW_COUNT = BOTTOM_ROW + 1;
/**
 * Characters a row keeps (tags included). A row has 32 columns; a stream that never moves the cursor would
 * otherwise grow a row without bound, and every cue repeats the row, so a hostile stream could make the output
 * quadratic in its length. Text past the bound is dropped (mux.js keeps it).
 */
export const MAX_ROW_CHARS = 256;

/**
 * Row of a PAC (CEA-608's preamble address code table, 47 CFR 15.119), found from the PAC's first byte (low 3 bits, channel bit cleared) and
 * bit 5 of its second byte: `data & 0x1720` indexes this list.
 */
const PAC_ROWS = [0x1100, 0x1120, 0x1200, 0x1220, 0x1500, 0x1520, 0x1600, 0x1620, 0x1700, 0x1720, 0x1000, 0x1300, 0x1320, 0x1400, 0x1420];

/** The basic character set where it is not ASCII (CEA-608 basic North American character set), by byte. */
const BASIC_OVERRIDES: Readonly<Record<number, string>> = {
  0x2a: '\u00e1', 0x5c: '\u00e9', 0x5e: '\u00ed', 0x5f: '\u00f3', 0x60: '\u00fa',
  0x7b: '\u00e7', 0x7c: '\u00f7', 0x7d: '\u00d1', 0x7e: '\u00f1', 0x7f: '\u2588',
};

/** Special characters (CEA-608 special North American characters): 0x11/0x19 followed by 0x30..0x3f. */
const SPECIAL = '\u00ae\u00b0\u00bd\u00bf\u2122\u00a2\u00a3\u266a\u00e0\u00a0\u00e8\u00e2\u00ea\u00ee\u00f4\u00fb';
/** Extended Spanish/French/misc. characters (CEA-608 extended western European set): 0x12/0x1a followed by 0x20..0x3f. */
const EXTENDED_1 =
  '\u00c1\u00c9\u00d3\u00da\u00dc\u00fc\u2018\u00a1*\'\u2014\u00a9\u2120\u2022\u201c\u201d' +
  '\u00c0\u00c2\u00c7\u00c8\u00ca\u00cb\u00eb\u00ce\u00cf\u00ef\u00d4\u00d9\u00f9\u00db\u00ab\u00bb';
/** Extended Portuguese/German/Danish characters (CEA-608 extended western European set): 0x13/0x1b followed by 0x20..0x3f. */
const EXTENDED_2 =
  '\u00c3\u00e3\u00cd\u00cc\u00ec\u00d2\u00f2\u00d5\u00f5{}\\^_|~' +
  '\u00c4\u00e4\u00d6\u00f6\u00df\u00a5\u00a4\u2502\u00c5\u00e5\u00d8\u00f8\u250c\u2510\u2514\u2518';

/** A byte of the basic character set (0x20..0x7f) as text. */
function basicChar(b: number): string {
  return BASIC_OVERRIDES[b] ?? String.fromCharCode(b);
}

type Mode = 'popOn' | 'rollUp' | 'paintOn';

/** A fresh display memory: 15 empty rows. */
const emptyRows = (): string[] => new Array<string>(ROW_COUNT).fill('');

/**
 * The caption decoder of one data channel (CC1..CC4). Feed it the two bytes of each triplet routed to it
 * (see {@link Cea608Decoder}); finished cues are appended to the array given to the constructor.
 */
export class Cea608Channel {
  private readonly name: 'CC1' | 'CC2' | 'CC3' | 'CC4';
  /** First byte of the miscellaneous control codes: 0x14 / 0x1c on field 1, 0x15 / 0x1d on field 2 (CEA-608 miscellaneous control codes). */
  private readonly control: number;
  /** First byte of special characters and mid-row codes (0x11 / 0x19); +1 and +2 are the extended sets. */
  private readonly ext: number;
  /** First byte of the PAC range (0x10..0x17 / 0x18..0x1f). */
  private readonly base: number;

  private mode: Mode = 'popOn';
  private displayed: string[] = emptyRows();
  private nonDisplayed: string[] = emptyRows();
  private row = BOTTOM_ROW;
  private topRow = 0;
  private rollUpRows = 2;
  private startPts = 0;
  private lastControlCode: number | null = null;
  private formatting: string[] = [];

  /**
   * @param field - 0 for field 1 (CC1/CC2), 1 for field 2 (CC3/CC4).
   * @param dataChannel - 0 for CC1/CC3, 1 for CC2/CC4.
   * @param out - where finished cues go.
   */
  constructor(
    field: 0 | 1,
    dataChannel: 0 | 1,
    private readonly out: CaptionCue[],
  ) {
    this.name = (['CC1', 'CC2', 'CC3', 'CC4'] as const)[(field << 1) | dataChannel]!;
    this.base = dataChannel === 0 ? 0x10 : 0x18;
    this.ext = this.base + 1;
    this.control = (dataChannel === 0 ? 0x14 : 0x1c) | field;
  }

  /** Drops everything on screen and in memory (a seek). */
  reset(): void {
    this.mode = 'popOn';
    this.displayed = emptyRows();
    this.nonDisplayed = emptyRows();
    this.row = BOTTOM_ROW;
    this.topRow = 0;
    this.rollUpRows = 2;
    this.startPts = 0;
    this.lastControlCode = null;
    this.formatting = [];
  }

  /** Decodes one byte pair (cc_data_1 << 8 | cc_data_2, parity bits included) received at `pts`. */
  push(pts: number, ccData: number): void {
    const data = ccData & 0x7f7f; // drop the odd-parity bits
    // CEA-608: control codes are sent twice so one survives a transmission error; act on the first.
    if (data === this.lastControlCode) {
      this.lastControlCode = null;
      return;
    }
    if ((data & 0xf000) === 0x1000) this.lastControlCode = data;
    else if (data !== 0) this.lastControlCode = null;
    if (data === 0) return; // padding

    const c0 = data >> 8;
    const c1 = data & 0xff;
    if (c0 === this.control && c1 >= 0x20 && c1 <= 0x2f) {
      this.command(pts, c1);
    } else if (c0 === this.ext && c1 >= 0x30 && c1 <= 0x3f) {
      this.write(SPECIAL[c1 - 0x30]!);
    } else if ((c0 === this.ext + 1 || c0 === this.ext + 2) && c1 >= 0x20 && c1 <= 0x3f) {
      // An extended character replaces the basic one sent before it for decoders without the extended sets.
      this.backspace();
      this.write((c0 === this.ext + 1 ? EXTENDED_1 : EXTENDED_2)[c1 - 0x20]!);
    } else if (c0 === this.ext && c1 >= 0x20 && c1 <= 0x2f) {
      // Mid-row code: a space on screen; attributes are not additive.
      this.clearFormatting();
      this.write(' ');
      if ((c1 & 0x0e) === 0x0e) this.addFormatting('i');
      if ((c1 & 0x01) === 0x01) this.addFormatting('u');
    } else if (c0 === this.base + 7 && c1 >= 0x21 && c1 <= 0x23) {
      // Tab offset 1..3 columns: positions are not kept.
    } else if (c0 >= this.base && c0 < this.base + 8 && c1 >= 0x40 && c1 <= 0x7f) {
      this.preambleAddress(pts, data, c1);
    } else if (c0 >= 0x20) {
      // Two basic characters; a second byte below 0x20 is not a character (0x00 pads a lone character).
      this.write(c1 >= 0x20 ? basicChar(c0) + basicChar(c1) : basicChar(c0));
    }
  }

  /** Miscellaneous control codes (CEA-608). */
  private command(pts: number, c1: number): void {
    switch (c1) {
      case 0x20: // RCL: resume caption loading
        this.mode = 'popOn';
        break;
      case 0x2f: {
        // EOC: end of caption — swap memories. In paint-on mode too, which makes it pop-on again.
        this.mode = 'popOn';
        this.clearFormatting();
        this.flushDisplayed(pts);
        const shown = this.displayed;
        this.displayed = this.nonDisplayed;
        this.nonDisplayed = shown;
        this.startPts = pts;
        break;
      }
      case 0x25: // RU2, RU3, RU4: roll-up captions
      case 0x26:
      case 0x27:
        this.rollUpRows = c1 - 0x23;
        this.setRollUp(pts, undefined);
        break;
      case 0x2d: // CR: carriage return
        this.clearFormatting();
        this.flushDisplayed(pts);
        this.shiftRowsUp();
        this.startPts = pts;
        break;
      case 0x21: // BS: backspace
        this.backspace();
        break;
      case 0x2c: // EDM: erase displayed memory
        this.flushDisplayed(pts);
        this.displayed = emptyRows();
        break;
      case 0x2e: // ENM: erase non-displayed memory
        this.nonDisplayed = emptyRows();
        break;
      case 0x29: // RDC: resume direct captioning (paint-on)
        if (this.mode !== 'paintOn') {
          this.flushDisplayed(pts);
          this.displayed = emptyRows();
        }
        this.mode = 'paintOn';
        this.startPts = pts;
        break;
      default:
        // AOF, AON, DER, FON, RTD, TR: nothing a text cue shows. TO1..TO3 are on the base + 7 byte (tab offsets).
        break;
    }
  }

  /** A preamble address code: row, underline, and white italics or an indent. */
  private preambleAddress(pts: number, data: number, c1: number): void {
    // The channel bit (0x08 of the first byte) is masked so CC2/CC4 PACs find their row too.
    let row = PAC_ROWS.indexOf(data & 0x1720);
    if (this.mode === 'rollUp') {
      // CEA-608 "base row implementation": a base row too high for the roll-up window defers to the row count.
      if (row - this.rollUpRows + 1 < 0) row = this.rollUpRows - 1;
      this.setRollUp(pts, row);
    }
    if (row !== this.row && row >= 0 && row <= BOTTOM_ROW) {
      this.clearFormatting(); // attributes last to the end of their row
      this.row = row;
    }
    if ((c1 & 0x01) !== 0 && !this.formatting.includes('u')) this.addFormatting('u');
    // Colour PACs (0x40..0x4f, 0x60..0x7f): white italics is the only style we show.
    const colour = (c1 >= 0x40 && c1 <= 0x4f) || (c1 >= 0x60 && c1 <= 0x7f);
    if (colour && (c1 & 0x0e) === 0x0e) this.addFormatting('i');
  }

  /** Enters roll-up mode (wiping both memories when coming from another mode) and moves the base row. */
  private setRollUp(pts: number, newBaseRow: number | undefined): void {
    if (this.mode !== 'rollUp') {
      this.row = BOTTOM_ROW;
      this.mode = 'rollUp';
      this.flushDisplayed(pts);
      this.nonDisplayed = emptyRows();
      this.displayed = emptyRows();
    }
    const base = newBaseRow ?? this.row;
    if (base !== this.row) {
      // Move the roll-up window's rows as one block (mux.js moves them one by one and loses rows when the
      // old and new windows overlap).
      const moved: string[] = [];
      for (let k = 0; k < this.rollUpRows; k++) {
        const from = this.row - k;
        moved.push(from >= 0 ? this.displayed[from]! : '');
        if (from >= 0) this.displayed[from] = '';
      }
      for (let k = 0; k < this.rollUpRows; k++) {
        const to = base - k;
        if (to >= 0 && to <= BOTTOM_ROW) this.displayed[to] = moved[k]!;
      }
    }
    this.topRow = base - this.rollUpRows + 1;
  }

  /** Roll-up carriage return: rows outside the window are cleared, the window moves up one row. */
  private shiftRowsUp(): void {
    const d = this.displayed;
    for (let i = 0; i < this.topRow && i < ROW_COUNT; i++) d[i] = '';
    for (let i = this.row + 1; i < ROW_COUNT; i++) d[i] = '';
    for (let i = Math.max(this.topRow, 0); i < this.row; i++) d[i] = d[i + 1]!;
    d[this.row] = '';
  }

  /** The memory the current mode writes into: non-displayed for pop-on, displayed for roll-up and paint-on. */
  private target(): string[] {
    return this.mode === 'popOn' ? this.nonDisplayed : this.displayed;
  }

  private write(text: string): void {
    const rows = this.target();
    const row = rows[this.row]!;
    if (row.length + text.length <= MAX_ROW_CHARS) rows[this.row] = row + text;
  }

  private backspace(): void {
    const rows = this.target();
    rows[this.row] = rows[this.row]!.slice(0, -1);
  }

  private addFormatting(tag: 'i' | 'u'): void {
    this.formatting.push(tag);
    this.write(`<${tag}>`);
  }

  private clearFormatting(): void {
    if (this.formatting.length === 0) return;
    const closing = this.formatting.reverse().map((t) => `</${t}>`).join('');
    this.formatting = [];
    this.write(closing);
  }

  /** Emits what is on screen as a cue ending at `pts` (nothing when the screen is empty). */
  private flushDisplayed(pts: number): void {
    const lines: string[] = [];
    for (let i = 0; i < ROW_COUNT; i++) {
      // Rows are trimmed in place, as mux.js does: text added later to a roll-up row continues the trimmed row.
      const text = this.displayed[i]!.trim();
      this.displayed[i] = text;
      if (text.length > 0) lines.push(text);
    }
    if (lines.length > 0) this.out.push({ startPts: this.startPts, endPts: pts, text: lines.join('\n'), stream: this.name });
  }
}

/**
 * The four CEA-608 channels of a stream and the routing between them: on each field, a control code names the
 * data channel that the following characters belong to (0x10..0x17 channel 1, 0x18..0x1f channel 2), and Text
 * mode or XDS data turns the field away from captions until the next caption control code (CEA-608's rule for interleaved XDS).
 */
export class Cea608Decoder {
  private readonly channels: Cea608Channel[];
  /** Per field: the data channel characters go to, or null while Text/XDS data (or nothing yet) is being sent. */
  private active: [number | null, number | null] = [null, null];

  constructor(out: CaptionCue[]) {
    this.channels = [new Cea608Channel(0, 0, out), new Cea608Channel(0, 1, out), new Cea608Channel(1, 0, out), new Cea608Channel(1, 1, out)];
  }

  /** Drops all state (a seek). */
  reset(): void {
    this.active = [null, null];
    for (const c of this.channels) c.reset();
  }

  /**
   * Decodes one cc_data pair of field `field` (cc_type 0 → 0, 1 → 1) at `pts`.
   */
  push(pts: number, field: 0 | 1, ccData: number): void {
    const data = ccData & 0x7f7f;
    const c0 = data >> 8;
    const c1 = data & 0xff;
    // XDS control (0x01..0x0f, odd first bytes start or continue a packet) or RTD/TR (0x?4/0x?c 0x2a/0x2b): not captions.
    const textOrXds = (c0 & 0x71) === 0x01 || ((c0 & 0x76) === 0x14 && (c1 & 0x7e) === 0x2a);
    if (textOrXds) this.active[field] = null;
    else if ((c0 & 0x78) === 0x10) this.active[field] = 0;
    else if ((c0 & 0x78) === 0x18) this.active[field] = 1;
    const channel = this.active[field];
    if (channel === null) return;
    this.channels[(field << 1) | channel]!.push(pts, ccData);
  }
}
