/**
 * The PMT descriptors that decide how an elementary stream is read (ISO/IEC 13818-1 §2.6,
 * ETSI EN 300 468 Annex D for the DVB AC-3 / E-AC-3 descriptors, the Opus-in-TS mapping for 0x7F/0x80).
 */

/** What the descriptor loop of one PMT stream entry says. */
export interface StreamDescriptors {
  /** registration_descriptor format_identifier (§2.6.8), e.g. 'HEVC', 'AC-3', 'EAC3', 'Opus', 'ID3 '. */
  registration?: string;
  /** ISO_639_language_descriptor code (§2.6.18), lower-case as written. */
  language?: string;
  /** DVB AC-3 descriptor (tag 0x6A) or ATSC AC-3 audio descriptor (0x81) is present. */
  ac3?: boolean;
  /** DVB enhanced AC-3 descriptor (tag 0x7A) or ATSC E-AC-3 descriptor (0xCC) is present. */
  eac3?: boolean;
  /** Opus audio descriptor (extension descriptor 0x7F, tag extension 0x80): channel_config_code. */
  opusChannelConfig?: number;
  /** metadata_descriptor (§2.6.60) metadata_format_identifier when metadata_format is 0xFF. */
  metadataFormat?: string;
  /** Tags of every descriptor seen, in order. */
  tags: number[];
  /** The registration_descriptor of the program (the PMT's program_info loop), e.g. 'HDMV' for Blu-ray BDAV. */
  programRegistration?: string;
}

const ascii4 = (b: Uint8Array, p: number): string => String.fromCharCode(b[p]!, b[p + 1]!, b[p + 2]!, b[p + 3]!);

/** True when every byte is a printable ASCII letter (a usable ISO 639-2 code). */
function isLanguageCode(b: Uint8Array): boolean {
  for (const c of b) if (!((c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a))) return false;
  return true;
}

/**
 * Parses a descriptor loop (tag, length, body — §2.6.1). A descriptor whose length runs past the loop
 * ends it; what was read before is kept.
 */
export function parseDescriptors(loop: Uint8Array): StreamDescriptors {
  const out: StreamDescriptors = { tags: [] };
  let p = 0;
  while (p + 2 <= loop.length) {
    const tag = loop[p]!;
    const len = loop[p + 1]!;
    const body = loop.subarray(p + 2, p + 2 + len);
    if (body.length < len) break;
    out.tags.push(tag);
    switch (tag) {
      case 0x05: // registration_descriptor
        if (len >= 4 && out.registration === undefined) out.registration = ascii4(body, 0);
        break;
      case 0x0a: // ISO_639_language_descriptor: (language code, audio_type)*
        if (len >= 3 && out.language === undefined && isLanguageCode(body.subarray(0, 3))) {
          out.language = String.fromCharCode(body[0]!, body[1]!, body[2]!);
        }
        break;
      case 0x26: // metadata_descriptor: application_format(2), [id(4)], metadata_format(1), [id(4)]
        if (len >= 3) {
          let q = 2;
          if (body[0] === 0xff && body[1] === 0xff) q += 4;
          if (body[q] === 0xff && q + 5 <= len) out.metadataFormat = ascii4(body, q + 1);
        }
        break;
      case 0x6a: // DVB AC-3_descriptor (EN 300 468 D.3)
      case 0x81: // ATSC A/52 AC-3 audio descriptor
        out.ac3 = true;
        break;
      case 0x7a: // DVB enhanced_AC-3_descriptor (EN 300 468 D.5)
      case 0xcc: // ATSC E-AC-3 audio descriptor
        out.eac3 = true;
        break;
      case 0x7f: // DVB extension_descriptor; tag extension 0x80 = Opus audio descriptor (user defined)
        if (len >= 2 && body[0] === 0x80) out.opusChannelConfig = body[1]!;
        break;
      default:
        break;
    }
    p += 2 + len;
  }
  return out;
}
