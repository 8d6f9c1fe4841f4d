// The failovers pane of the selected router: the latest master changes, newest first, measured against
// the expected time (Master_Down_Interval or Skew_Time); SLOW when well over it.
import type { Router, Snapshot } from '../analyze/model.js';
import { localClock, dur, fit, paint } from './fitted-text.js';
import type { MaskedText } from './masked-text.js';
import { table, type Column } from './text-table.js';
import type { UiState } from './types.js';
import type { Tone } from './view-types.js';

export function failoverRows(r: Router | null, snap: Snapshot, ui: UiState, tx: MaskedText, width: number, height: number): string[] {
  if (r === null) return [];
  const cols: Column[] = [
    { head: 'TIME', max: 12 }, { head: 'KIND', max: 10 }, { head: 'FROM', max: 39 }, { head: 'TO', max: 39 },
    { head: 'MEASURED', max: 8, right: true }, { head: 'EXPECTED', max: 8, right: true }, { head: '', max: 12 },
  ];
  const list = r.failovers.slice(-Math.max(1, height - 1)).reverse();
  const rows = list.map((f) => {
    const slow = f.duration !== null && f.expected !== null && f.duration > f.expected * 1.5 + 0.1;
    return {
      cells: [localClock(f.t, true), f.kind, f.from === null ? '-' : tx.t(f.from), tx.t(f.to), dur(f.duration), dur(f.expected), slow ? 'SLOW' : f.duration !== null && f.expected !== null ? 'ok' : ''],
      tones: [null, null, null, null, slow ? 'crit' as Tone : null, null, slow ? 'crit' as Tone : 'ok' as Tone],
    };
  });
  const lines = table(cols, rows, width, ui.colour);
  if (rows.length === 0) lines.push(paint(fit('No failover seen.', width), 'dim', ui.colour));
  void snap;
  return lines;
}
