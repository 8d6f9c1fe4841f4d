// Packet-derived and analyzer text on its way into a pane: one printable line (no control characters,
// no ESC sequences: clean()), every password seen in the snapshot masked wherever it appears (or, with
// --show-auth, shown with its control characters escaped). Invariant: every text that came from the
// wire passes through MaskedText before it is fitted and painted (fitted-text.ts).
import type { Advertiser, Snapshot } from '../analyze/model.js';
import { maskSecret } from '../report/sanitize.js';
import { clean, escapeControls } from './sanitize.js';

/** Passwords seen in the snapshot, to be masked wherever they appear in free text. */
export function passwordsOf(snap: Snapshot): string[] {
  const out: string[] = [];
  for (const r of snap.routers) for (const a of r.advertisers) {
    if (a.authText !== null && a.authText.length > 0 && !out.includes(a.authText)) out.push(a.authText);
  }
  // Longest first so that a password containing another is masked whole.
  return out.sort((a, b) => b.length - a.length);
}

/** The snapshot's passwords and whether to show them (--show-auth): every packet text a pane shows goes through t(). */
export class MaskedText {
  constructor(private readonly secrets: string[], private readonly showAuth: boolean) {}
  /** Packet-derived or analyzer free text -> one printable line, passwords masked. */
  t(raw: string | null | undefined): string {
    if (raw === null || raw === undefined) return '';
    let s = raw;
    // Shown passwords keep their control characters visible (\x1b), rather than losing them to clean().
    for (const p of this.secrets) if (s.includes(p)) s = s.split(p).join(this.secret(p));
    return clean(s);
  }
  /** A password: masked, or (--show-auth) escaped. */
  secret(p: string): string {
    return this.showAuth ? escapeControls(p) : maskSecret(p, false) ?? '';
  }
  auth(a: Advertiser): string {
    if (a.authType === null) return '-';
    if (a.authType === 0) return 'none';
    if (a.authType === 2) return 'AH';
    if (a.authType === 1) return `pass:${this.secret(a.authText ?? '')}`;
    return `type ${a.authType}`;
  }
}
