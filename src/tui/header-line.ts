// The header line: the overall state word (what is wrong now, else the verdict over the whole data),
// then what changes (time, adverts, drops) before what does not (source, filter), so that a narrow
// terminal cuts the constant part. Invariant: the state word comes first and survives any width.
import type { Router, Snapshot } from '../analyze/model.js';
import { localClock, dur, fit, paint, SEVERITY_TONE, TONE_COLOUR } from './fitted-text.js';
import type { MaskedText } from './masked-text.js';
import { escapeTags } from './sanitize.js';
import type { UiState } from './types.js';
import type { Tone, ViewOptions } from './view-types.js';

/** Longest filter expression shown in the header before it is cut. */
const FILTER_MAX = 40;

/** The overall state word: what is wrong now first, else the verdict over the whole data. */
export function overallState(snap: Snapshot): { state: string; tone: Tone; note: string | null } {
  const now = (s: Router['state']): boolean => snap.routers.some((r) => r.state === s);
  let state: string;
  let tone: Tone;
  if (now('split-brain')) { state = 'SPLIT BRAIN'; tone = 'crit'; }
  else if (now('no-master') || now('resigned')) { state = 'NO MASTER'; tone = 'crit'; }
  else if (snap.routers.length === 0) { state = 'NO VRRP SEEN'; tone = snap.verdict === 'ok' ? 'info' : SEVERITY_TONE[snap.verdict]; }
  else if (now('transition')) { state = 'TRANSITION'; tone = 'warn'; }
  else if (snap.findings.some((f) => f.severity === 'warning' && f.code !== 'split-brain' && f.code !== 'no-master')) { state = 'WARNING'; tone = 'warn'; }
  else { state = 'OK'; tone = 'ok'; }
  let note: string | null = null;
  if (tone !== 'crit' && snap.verdict === 'critical' && (snap.findings.length > 0 || snap.routers.some((r) => r.splitBrains.length + r.noMasters.length > 0))) {
    const earlier = snap.routers.some((r) => r.splitBrains.length > 0) ? 'split brain' : snap.routers.some((r) => r.noMasters.length > 0) ? 'no master' : 'critical';
    note = `${earlier} earlier: see alerts`;
  }
  return { state, tone, note };
}

export function headerLine(snap: Snapshot, ui: UiState, o: ViewOptions, tx: MaskedText, width: number): { state: string; tone: Tone; line: string } {
  let { state, tone, note } = overallState(snap);
  // A replayed capture is judged as a whole (like the text report): a split brain that healed before
  // the end is still the headline, not a green OK.
  if (o.mode === 'replay' && note !== null) {
    state = note.startsWith('split brain') ? 'SPLIT BRAIN, HEALED' : note.startsWith('no master') ? 'NO MASTER, RECOVERED' : 'CRITICAL EARLIER';
    tone = 'crit';
    note = null;
  }
  const c = ui.colour;
  // The state comes first so that it survives any truncation.
  const stateText = ` ${state} `;
  let s = c ? `{bold}{white-fg}{${TONE_COLOUR[tone]}-bg}${escapeTags(stateText)}{/${TONE_COLOUR[tone]}-bg}{/white-fg}{/bold}` : `{bold}{inverse}${escapeTags(stateText)}{/inverse}{/bold}`;
  let used = stateText.length;
  const add = (plain: string, tn: Tone | null = null): void => {
    const room = width - used;
    if (room <= 1) return;
    const piece = fit(' ' + plain, room);
    used += piece.length;
    s += paint(piece, tn, c);
  };
  if (ui.paused) add('[PAUSED]', 'warn');
  // What changes comes before what does not (source, filter), so that a narrow terminal or a long
  // path cuts the constant part, never the capture time, adverts or drops.
  const drops = snap.stats.pcapDropped;
  add(`time ${localClock(snap.time)}${snap.firstTime === null ? '' : ` (+${dur(snap.time - snap.firstTime)})`}`);
  add(`adverts ${snap.stats.vrrpAdverts}`);
  add(drops === null ? 'drops n/a' : `drops ${drops}`, drops !== null && drops > 0 ? 'warn' : null);
  if (note !== null) add(`(${note})`, 'warn');
  add(`${o.mode === 'live' ? 'live' : 'replay'} ${tx.t(o.source)}`);
  if (o.filter !== null && o.filter !== '') add(`filter: ${fit(tx.t(o.filter), FILTER_MAX)}`);
  add(`routers ${snap.routers.length}`);
  add('  ? help');
  return { state, tone, line: s };
}
