// The virtual routers pane: one row per router (family, VRID, VLAN, state word, master, priority,
// active advertisers, last failover, virtual addresses), and which router is selected.
// Invariant: only the rows the pane shows are formatted (a flood may track a thousand routers).
import type { Router, Snapshot } from '../analyze/model.js';
import { dur, fit, paint } from './fitted-text.js';
import type { MaskedText } from './masked-text.js';
import { table, type Column } from './text-table.js';
import type { UiState } from './types.js';
import type { Tone } from './view-types.js';

const ROUTER_STATE: Record<Router['state'], { word: string; tone: Tone }> = {
  'ok': { word: 'OK', tone: 'ok' },
  'split-brain': { word: 'SPLIT BRAIN', tone: 'crit' },
  'no-master': { word: 'NO MASTER', tone: 'crit' },
  'resigned': { word: 'RESIGNED', tone: 'crit' },
  'transition': { word: 'TRANSITION', tone: 'warn' },
};

/** The header and the rows of routers `from` to `to` (exclusive): only what the pane shows is formatted
 *  (a flood may have the analyzer track a thousand routers; the column widths come from these rows). */
export function routerRows(snap: Snapshot, ui: UiState, tx: MaskedText, width: number, selected: number, from: number, to: number): string[] {
  const cols: Column[] = [
    { head: 'FAM', max: 3 }, { head: 'VRID', max: 4, right: true }, { head: 'VLAN', max: 4, right: true },
    { head: 'STATE', max: 11 }, { head: 'MASTER', max: 39 }, { head: 'PRI', max: 3, right: true },
    { head: 'ADV', max: 3, right: true }, { head: 'FAILOVER', max: 8 }, { head: 'VIRTUAL ADDRESSES', max: 60 },
  ];
  const rows = snap.routers.slice(from, to).map((r, j) => {
    const i = from + j;
    const st = ROUTER_STATE[r.state];
    const active = r.advertisers.filter((a) => a.active).length;
    return {
      cells: [
        `v${r.family}`, String(r.vrid), r.vlan === null ? '-' : String(r.vlan), st.word,
        r.master === null ? '-' : tx.t(r.master), r.masterPriority === null ? '-' : String(r.masterPriority),
        String(active), r.lastFailover === null ? '-' : dur(snap.time - r.lastFailover),
        r.virtualAddresses.map((a) => tx.t(a)).join(' '),
      ],
      tones: [null, null, null, st.tone, null, null, active > 1 ? 'crit' as Tone : null, null, null],
      selected: i === selected,
    };
  });
  const lines = table(cols, rows, width, ui.colour);
  if (snap.routers.length === 0) lines.push(paint(fit('No VRRP advertisement seen yet.', width), 'dim', ui.colour));
  return lines;
}

/** Index of the selected router in the snapshot (by key; the first when unknown). */
export function selectedIndex(snap: Snapshot, key: string | null): number {
  if (snap.routers.length === 0) return -1;
  const i = key === null ? -1 : snap.routers.findIndex((r) => r.key === key);
  return i < 0 ? 0 : i;
}

/** The key `delta` rows away from the selected router (clamped). */
export function moveSelection(snap: Snapshot, key: string | null, delta: number): string | null {
  if (snap.routers.length === 0) return key;
  const i = Math.min(snap.routers.length - 1, Math.max(0, selectedIndex(snap, key) + delta));
  return snap.routers[i]!.key;
}
