// `vrrpwatch check`: the monitoring-plugin verdict. One status line, `|` perfdata, exit code
// 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN (Monitoring Plugins Development Guidelines).
// A check is a tree of subchecks, one per virtual router; the worst state wins. The line is at most
// CHECK_LINE_MAX_BYTES (bounds.ts): the routers with a problem come first, and it says what it left out.
import type { Router, Snapshot } from '../analyze/model.js';
import { duration } from './format.js';
import { openSplitBrain, summarize } from './summary.js';
import { CHECK_LINE_MAX_BYTES, CHECK_LONG_MAX_LINES, CHECK_TEXT_MAX, cut, problemsFirst } from './bounds.js';

export type ExitCode = 0 | 1 | 2 | 3;

export interface CheckOutcome {
  code: ExitCode;
  /** The status line with perfdata. */
  line: string;
  /** Long output (one line per router and finding), printed with -v. */
  long: string[];
}

const STATUS = ['OK', 'WARNING', 'CRITICAL', 'UNKNOWN'] as const;

/** Router part of the perfdata labels: vrid99, vrid99_v6, vrid99_vl10, QinQ vrid99_vl100-10. With the
 *  metric suffixes below (each starting with its own letter) the first 19 characters of every label
 *  are unique, as RRD-based graphers need, for any router without stacked VLAN tags. */
function label(r: Router): string {
  const vlan = r.vlan === null ? '' : r.vlanOuter !== undefined ? `_vl${r.vlanOuter}-${r.vlan}` : `_vl${r.vlan}`;
  return `vrid${r.vrid}${r.family === 6 ? '_v6' : ''}${vlan}`;
}

const num = (n: number): string => (Number.isInteger(n) ? String(n) : n.toFixed(3));

/** The perfdata items of one router. */
function routerPerfdata(r: Router): string[] {
  const l = label(r);
  // Masters now: the split brain's advertisers while one is open, else the elected master (if any).
  const open = openSplitBrain(r);
  const active = open ? open.advertisers.length : r.master !== null ? 1 : 0;
  const split = r.splitBrains.reduce((t, x) => t + x.duration, 0);
  const fo = r.failovers.filter((f) => f.kind !== 'initial');
  const last = fo.length ? fo[fo.length - 1]!.duration : null;
  return [
    `'${l}_masters'=${active};;1;0;`,
    `'${l}_prio'=${r.masterPriority ?? 'U'};;;0;255`,
    `'${l}_split_s'=${num(split)}s;;0;0;`,
    `'${l}_changes'=${fo.length};;;0;`,
    `'${l}_last_fo_s'=${last === null ? 'U' : num(last) + 's'};;;0;`,
  ];
}

/** The totals: adverts, rejects, drops, and what the limits left untracked (a flood). */
function totalsPerfdata(s: Snapshot): string[] {
  const rejects = Object.values(s.stats.rejects).reduce((a, b) => a + b, 0);
  const p = [`'adverts'=${s.stats.vrrpAdverts}c`, `'rejects'=${rejects}c`];
  if (s.stats.pcapDropped !== null) p.push(`'pcap_drops'=${s.stats.pcapDropped}c`);
  const l = s.limits;
  if (l !== undefined && l.untrackedAdverts > 0) {
    p.push(`'routers'=${l.routers};;${l.maxRouters};0;${l.maxRouters}`, `'untracked'=${l.untrackedAdverts}c`, `'untracked_sources'=${l.untrackedSources}`);
  }
  return p;
}

const bytes = (x: string): number => Buffer.byteLength(x, 'utf8');

export function checkOutcome(s: Snapshot, o: { readProblem?: { kind: string; message: string } | null; noVrrpIs?: ExitCode;
  /** Several captures read together: a clause for the line and perfdata per direction (vantage-check.ts). */
  note?: string | null; perfdata?: string[] } = {}): CheckOutcome {
  const sum = summarize(s);
  let code: ExitCode = sum.severity === 'critical' ? 2 : sum.severity === 'warning' ? 1 : 0;
  let text = sum.headline;
  if (s.routers.length === 0 && code === 0) {
    // Nothing to judge: UNKNOWN unless the caller made absence an error (--expect-vrid does).
    code = o.noVrrpIs ?? 3;
    text = 'no VRRP advertisement seen';
  }
  if (o.note) text += `; ${o.note}`;
  if (o.readProblem) {
    text += `; capture ${o.readProblem.kind}: ${o.readProblem.message}`;
    if (o.readProblem.kind === 'corrupt' && code === 0) code = 1;
  }
  text = cut(text, CHECK_TEXT_MAX);
  // one line of at most CHECK_LINE_MAX_BYTES: the routers with a problem first, then the others, as long
  // as they fit beside the totals and the note of what was left out
  const ordered = problemsFirst(sum.routers);
  // several captures read together: their perfdata per direction (bounded by the captures) goes with the totals
  const totals = [...totalsPerfdata(s), ...(o.perfdata ?? [])];
  const head = `VRRP ${STATUS[code]} - `;
  const room = CHECK_LINE_MAX_BYTES - bytes(head) - bytes(text) - bytes(totals.join(' ')) - 3 - 80;
  const items: string[] = [];
  let used = 0, shown = 0;
  for (const r of ordered) {
    const p = routerPerfdata(r.router).join(' ');
    if (used + bytes(p) + 1 > room) break;
    items.push(p);
    used += bytes(p) + 1;
    shown++;
  }
  const left = ordered.length - shown;
  if (left > 0) {
    text += ` (perfdata of ${left} more router${left === 1 ? '' : 's'} left out)`;
    totals.push(`'routers_left_out'=${left}`);
  }
  const long: string[] = [];
  for (const r of sum.routers) long.push(`[${STATUS[r.severity === 'critical' ? 2 : r.severity === 'warning' ? 1 : 0]}] ${r.text}`);
  for (const f of s.findings) {
    if (f.severity === 'ok') continue;
    long.push(`[${f.severity === 'critical' ? 'CRITICAL' : 'WARNING'}] ${f.code}: ${f.title}`);
  }
  for (const r of s.routers) {
    const open = openSplitBrain(r);
    if (open) long.push(`split brain on VRID ${r.vrid} going on for ${duration(open.duration)}`);
  }
  if (long.length > CHECK_LONG_MAX_LINES) {
    const n = long.length - CHECK_LONG_MAX_LINES + 1;
    long.length = CHECK_LONG_MAX_LINES - 1;
    long.push(`... ${n} more lines left out`);
  }
  return { code, line: `${head}${text} | ${[...items, ...totals].join(' ')}`, long };
}

/** The line printed when the check itself could not run (bad arguments, unreadable capture). */
export function unknownLine(message: string): string {
  return `VRRP UNKNOWN - ${message}`;
}
