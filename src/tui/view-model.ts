// The pure half of the dashboard: (Snapshot, UiState) -> what each pane shows, already fitted to the
// pane's width and safe to hand to blessed with tags on. No blessed, no I/O, no clock: the time shown
// is the snapshot's (packet clock). Every text that came from packets goes through MaskedText (no
// control characters or ESC sequences, passwords masked) and is tag-escaped after it has been
// truncated. This file puts the frame together (history cleared by `c`, the selected router, the
// scroll offsets, the pane titles); each pane's lines come from the file named after it:
// header-line, router-table, advertiser-table, priority-chart, failover-table, alerts-pane,
// events-pane, fixes-view; the shared text helpers are in fitted-text, masked-text and text-table.
import type { Snapshot } from '../analyze/model.js';
import { advertiserRows } from './advertiser-table.js';
import { alertLines } from './alerts-pane.js';
import { eventLines } from './events-pane.js';
import { failoverRows } from './failover-table.js';
import { fixesView } from './fixes-view.js';
import { fit, useGlyphs } from './fitted-text.js';
import { computeGeometry, inner } from './geometry.js';
import { headerLine } from './header-line.js';
import { MaskedText, passwordsOf } from './masked-text.js';
import { probeTitle } from './ownership-cells.js';
import { chartLines } from './priority-chart.js';
import { routerRows, selectedIndex } from './router-table.js';
import { escapeTags } from './sanitize.js';
import type { Note, UiState } from './types.js';
import type { ViewModel, ViewOptions } from './view-types.js';

// What the tests and the benchmark import from here (the view model's public face).
export type { ChartSeries, PaneText, Tone, ViewModel, ViewOptions } from './view-types.js';
export { fit } from './fitted-text.js';
export { overallState } from './header-line.js';
export { moveSelection } from './router-table.js';
export { continuedLines } from './fixes-view.js';

export const HELP_LINES = [
  'Up/Down j/k select a virtual router (or scroll the focused pane)',
  'Enter/Tab   switch focus: routers, alerts, events',
  'p           pause the display (capture goes on)',
  'c           clear history',
  'f           fixes in full: every command whole, to copy',
  '            (Up/Down scroll, Esc, q or f close it)',
  '?           this help (any key closes it)',
  'q  Ctrl-C   quit',
];

/** History after `c`: a shallow copy without the events, failovers, periods and findings before `t`. */
export function sinceClear(snap: Snapshot, t: number): Snapshot {
  return {
    ...snap,
    events: snap.events.filter((e) => e.t > t),
    findings: snap.findings.filter((f) => f.lastSeen > t || (f.code === 'split-brain' && snap.routers.some((r) => r.key === f.routerKey && r.state === 'split-brain'))),
    routers: snap.routers.map((r) => ({
      ...r,
      failovers: r.failovers.filter((f) => f.t > t),
      splitBrains: r.splitBrains.filter((p) => p.end === null || p.end > t),
      noMasters: r.noMasters.filter((p) => p.end === null || p.end > t),
    })),
  };
}

/** The whole screen's content for one snapshot (and the log notes to show with its events). Pure. */
export function buildView(snap: Snapshot, ui: UiState, o: ViewOptions, notes: readonly Note[] = []): ViewModel {
  useGlyphs(ui.unicode);
  if (ui.clearedAt !== null) {
    const t = ui.clearedAt;
    snap = sinceClear(snap, t);
    notes = notes.filter((n) => n.t > t);
  }
  const g = computeGeometry(ui.cols, ui.rows, snap.routers.length);
  const tx = new MaskedText(passwordsOf(snap), ui.showAuth);
  const sel = selectedIndex(snap, ui.selectedKey);
  const router = sel < 0 ? null : snap.routers[sel]!;
  const rkey = router === null ? '' : ` ${tx.t(router.key)}`;

  const header = headerLine(snap, ui, o, tx, inner(g.header).width);
  const rIn = inner(g.routers);
  // Keep the selected row in view when the pane is short.
  const rVisible = Math.max(1, rIn.height - 1);
  const first = sel < rVisible ? 0 : sel - rVisible + 1;
  const routerLines = routerRows(snap, ui, tx, rIn.width, sel, first, first + rVisible);

  const aIn = inner(g.advertisers);
  const cIn = inner(g.chart);
  const fIn = inner(g.failovers);
  const chart = g.chart.visible ? chartLines(router, snap, ui, tx, cIn.width, cIn.height) : { lines: [], series: [] };
  const alIn = inner(g.alerts);
  // the alerts pane's lines up to one past what it shows (enough to say "more below")
  const { lines: alerts, fixes: nFixes } = alertLines(snap, ui, o, tx, alIn.width, ui.alertsScroll + alIn.height + 1);
  const evIn = inner(g.events);
  const events = eventLines(snap, notes, ui, tx, evIn.width);
  const evScroll = Math.min(ui.eventsScroll, Math.max(0, events.length - evIn.height));
  const evEnd = events.length - evScroll;
  const alStart = Math.min(ui.alertsScroll, Math.max(0, alerts.length - alIn.height));
  const more = alerts.length - alStart > alIn.height ? ' - more below: Tab, then down' : alStart > 0 ? ' - scrolled' : '';

  return {
    geometry: g,
    header,
    routers: { title: `Virtual routers (${snap.routers.length})`, lines: routerLines, keys: snap.routers.map((r) => r.key), selected: sel },
    advertisers: { title: `Advertisers${rkey}${router !== null ? probeTitle(router) : ''}`, lines: g.advertisers.visible ? advertiserRows(router, snap, ui, tx, aIn.width) : [] },
    chart: { title: `Priority over time${rkey}`, lines: chart.lines, series: chart.series },
    failovers: { title: `Failovers${rkey} (measured vs expected)`, lines: g.failovers.visible ? failoverRows(router, snap, ui, tx, fIn.width, fIn.height) : [] },
    alerts: { title: `Alerts (${snap.findings.length})${nFixes > 0 ? ' - f: fixes in full' : ''}${more}`, lines: alerts.slice(alStart, alStart + alIn.height), count: snap.findings.length, scroll: alStart },
    events: { title: `Events (${snap.events.length}${notes.length > 0 ? `, ${notes.length} log` : ''})${evScroll > 0 ? ` - ${evScroll} newer below` : ''}`, lines: events.slice(Math.max(0, evEnd - evIn.height), evEnd), scroll: evScroll },
    help: ui.help ? { title: 'Keys', lines: HELP_LINES.map((l) => escapeTags(fit(l, Math.max(10, ui.cols - 6)))) } : null,
    fixes: ui.fixesView ? fixesView(snap, ui, o, tx) : null,
  };
}
