// The events pane: the analyzer's events and the log notes (hook failures...) merged in time order,
// newest last, each stamped with its packet-clock time to the millisecond.
import type { Snapshot } from '../analyze/model.js';
import { localClock, fit, paint } from './fitted-text.js';
import type { MaskedText } from './masked-text.js';
import type { Note, UiState } from './types.js';
import type { Tone } from './view-types.js';

/** Events and log notes (hook failures...), merged in time order, newest last. */
export function eventLines(snap: Snapshot, notes: readonly Note[], ui: UiState, tx: MaskedText, width: number): string[] {
  const tone: Record<string, Tone> = { ok: 'ok', warning: 'warn', critical: 'crit' };
  const line = (t: number, text: string, tn: Tone | null): string => {
    const plain = fit(`${localClock(t, true)} ${text}`, width);
    const cut = Math.min(plain.length, 13);
    return paint(plain.slice(0, cut), 'dim', ui.colour) + paint(plain.slice(cut), tn, ui.colour);
  };
  const out: string[] = [];
  let j = 0;
  const noteLine = (n: Note): string => line(n.t, tx.t(n.text.replace(/^vrrpwatch: /, '')), 'warn');
  for (const e of snap.events) {
    for (; j < notes.length && notes[j]!.t < e.t; j++) out.push(noteLine(notes[j]!));
    out.push(line(e.t, `${tx.t(e.routerKey)} ${tx.t(e.message)}`, tone[e.severity] ?? null));
  }
  for (; j < notes.length; j++) out.push(noteLine(notes[j]!));
  return out;
}
