// Packet-derived text on its way to the dashboard: no terminal control of any kind, no blessed tags.
import { sanitize as sanitizeReport } from '../report/sanitize.js';

// ESC sequences removed whole (so "\x1b[2J" leaves nothing rather than ".[2J"):
// CSI (ESC [ or 0x9b) params intermediates final; OSC/DCS/SOS/PM/APC strings up to BEL or ST;
// any other two-character ESC sequence.
const ESC_SEQ = /(?:\u001b\[|\u009b)[\u0030-\u003f]*[\u0020-\u002f]*[\u0040-\u007e]?|(?:\u001b[\]PX^_]|[\u0090\u0098\u009d\u009e\u009f])[^\u0007\u001b\u009c]*(?:\u0007|\u001b\\|\u009c)?|\u001b[\u0020-\u007e]?/g;

/** Printable single-line text: ESC sequences dropped, other control characters (C0, DEL, C1) as '.'. */
export function clean(text: string): string {
  return sanitizeReport(text.replace(ESC_SEQ, ''));
}

/** blessed tag escaping: `{` and `}` cannot open a tag. Apply after truncation/padding. */
export function escapeTags(text: string): string {
  return text.replace(/[{}]/g, (c) => (c === '{' ? '{open}' : '{close}'));
}

/** clean() then escapeTags(). */
export function safe(text: string): string {
  return escapeTags(clean(text));
}

/** Removes blessed tags from a line (for width measurement and tests). */
export function stripTags(line: string): string {
  return line.replace(/\{(\/?[a-z-]+(?:-fg|-bg)?|\/|open|close)\}/g, (m, t: string) => (t === 'open' ? '{' : t === 'close' ? '}' : ''));
}

/** A password shown on request (--show-auth): every control character (C0, DEL, C1) as `\xHH` and
 *  `\` as `\\`, so that an escape character in it is visible and unambiguous rather than gone. */
export function escapeControls(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u001f\u007f-\u009f\\]/g, (c) => (c === '\\' ? '\\\\' : `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`));
}
