// The advertisers pane of the selected router: one row per source (MAC, role, priority, announced and
// measured interval, jitter, TTL, auth, destination, the addresses its MAC holds), plus a row per MAC
// that claims an address without advertising. Invariant: when the pane is narrow, the droppable
// columns give way in order, a column with a flagged cell last (it carries evidence).
import type { Advertiser, Router, Snapshot } from '../analyze/model.js';
import { dur } from './fitted-text.js';
import type { MaskedText } from './masked-text.js';
import { claimersWithoutAdverts, holdsCell } from './ownership-cells.js';
import { fitColumns, table, type Column } from './text-table.js';
import type { UiState } from './types.js';
import type { Tone } from './view-types.js';

/** Columns of the advertisers table that give way, in this order, when the pane is too narrow for all
 *  of them: the MAC (which the issue requires) and the timing columns stay. */
const DROPPABLE_COLUMNS = ['DEST', 'AUTH', 'TTL', 'JITTER'];

export function advertiserRows(r: Router | null, snap: Snapshot, ui: UiState, tx: MaskedText, width: number): string[] {
  if (r === null) return [];
  const cols: Column[] = [
    { head: 'ADVERTISER', max: 39 }, { head: 'MAC', max: 17 }, { head: 'ROLE', max: 9 }, { head: 'PRI', max: 3, right: true },
    { head: 'INT', max: 6, right: true }, { head: 'MEASURED', max: 8, right: true }, { head: 'JITTER', max: 7, right: true },
    { head: 'ADVERTS', max: 8, right: true }, { head: 'LAST', max: 8, right: true }, { head: 'TTL', max: 7 }, { head: 'AUTH', max: 21 },
    { head: 'DEST', max: 9 }, { head: 'HOLDS', max: 41 },
  ];
  const roleTone: Record<Advertiser['role'], Tone> = { master: 'ok', contender: 'crit', silent: 'dim', resigned: 'warn' };
  const rows = r.advertisers.map((a) => ({
    cells: [
      tx.t(a.ip), a.mac === null ? '-' : tx.t(a.mac), a.role, String(a.priority),
      a.advertIntervalUnit === 's' ? `${a.advertIntervalRaw}s` : `${a.advertIntervalRaw}cs`,
      a.measuredInterval === null ? '-' : `${a.measuredInterval.toFixed(3)}s`,
      a.jitter === null ? '-' : `${(a.jitter * 1000).toFixed(1)}ms`,
      String(a.adverts), dur(snap.time - a.lastSeen),
      a.ttlMin === a.ttlMax ? String(a.ttlMin) : `${a.ttlMin}-${a.ttlMax}`,
      tx.auth(a), a.destination, holdsCell(r, a.mac),
    ],
    tones: [null, null, roleTone[a.role], null, null, null, null, null, null, a.ttlMin < 255 ? 'crit' as Tone : null, a.authMatches ? null : 'crit' as Tone, null, null] as (Tone | null)[],
  }));
  // a MAC that claims an address and sends no advert: the second holder the adverts do not show
  for (const [mac, holds] of claimersWithoutAdverts(r)) {
    rows.push({ cells: ['(no advert)', tx.t(mac), 'claims', '-', '-', '-', '-', '0', '-', '-', '-', '-', holds],
      tones: [null, null, 'crit', null, null, null, null, null, null, null, null, null, 'crit'] as (Tone | null)[] });
  }
  const gap = width < 100 ? ' ' : '  ';
  const keep = fitColumns(cols, rows, width, gap.length, DROPPABLE_COLUMNS);
  const pick = <T>(xs: T[]): T[] => keep.map((i) => xs[i]!);
  return table(pick(cols), rows.map((x) => ({ cells: pick(x.cells), tones: pick(x.tones) })), width, ui.colour, gap);
}
