/** WebVTT configuration boxes of a `wvtt` sample entry (14496-30 §7.5–7.6). */
import type { Field } from '../../src/io/field.js';
import { box } from '../define.js';

/** UTF-8 text filling the rest of the box, no terminator added (WebVTT `boxstring`); a file's NUL stays in the text. */
const restText: Field<string> = {
  minSize: 0,
  read: (r) => new TextDecoder().decode(r.rest()),
  write: (w, v) => w.bytes(new TextEncoder().encode(v)),
  size: (v) => new TextEncoder().encode(v).length,
};

/** 14496-30 §7.5 WebVTTConfigurationBox: the WebVTT file header text. */
export const vttC = box('vttC', { fields: { config: restText } });

/** 14496-30 §7.6 WebVTTSourceLabelBox. */
export const vlab = box('vlab', { fields: { sourceLabel: restText } });
