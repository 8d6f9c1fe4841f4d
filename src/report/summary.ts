// The verdict in words: one headline for the whole capture and one line per virtual router.
// Shared by the text report, the check line, the JSON summary and the live exit summary.
import type { Finding, Router, Severity, Snapshot } from '../analyze/model.js';
import { duration, routerName, worse } from './format.js';

export interface RouterSummary {
  router: Router;
  severity: Severity;
  /** e.g. "split brain for 26.3 s (healed): 10.0.0.1 prio 100, 10.0.0.2 prio 80". */
  text: string;
}

export interface Summary {
  severity: Severity;
  /** "SPLIT BRAIN", "NO MASTER", "WARNING", "OK", "NO VRRP". */
  label: string;
  headline: string;
  routers: RouterSummary[];
  /** Findings that belong to no single router (e.g. an expected VRID that is absent). */
  global: Finding[];
}

function advertisersText(ips: string[], r: Router): string {
  return ips.map((ip) => {
    const a = r.advertisers.find((x) => x.ip === ip);
    return a ? `${ip} prio ${a.priority}` : ip;
  }).join(', ');
}

/** The split brain going on now, or still going on when the capture ended. */
export function openSplitBrain(r: Router): Router['splitBrains'][number] | undefined {
  return r.splitBrains.find((p) => p.end === null || p.endedWithCapture === true);
}

/** "10.99.0.100 held by two hosts" from a vip-conflict finding's title. */
function conflictText(f: Finding): string {
  const m = /^(\S+) is (?:claimed|answered) by (\S+) hosts/.exec(f.title);
  return m ? `${m[1]} held by ${m[2]} hosts at once` : f.title;
}

/** The router's virtual addresses are held by two hosts (a vip-conflict finding is reported for it). */
function held(findings: Finding[], r: Router): boolean {
  return findings.some((f) => f.code === 'vip-conflict' && f.routerKey === r.key);
}

export function summarizeRouter(r: Router, findings: Finding[]): RouterSummary {
  const own = findings.filter((f) => f.routerKey === r.key);
  return summarizeOwn(r, own);
}

/** One router's summary from its own findings. */
function summarizeOwn(r: Router, own: Finding[]): RouterSummary {
  let severity: Severity = r.worst;
  for (const f of own) severity = worse(severity, f.severity);
  const name = routerName(r);
  const parts: string[] = [];
  const open = openSplitBrain(r);
  // two hosts holding a virtual address is a split brain whatever the adverts show (vip-conflict, told
  // separately only when no split-brain finding of the router tells it)
  const conflict = own.find((f) => f.code === 'vip-conflict');
  if (conflict) parts.push(conflictText(conflict));
  if (open) {
    parts.push(`split brain for ${duration(open.duration)}${open.end !== null ? ' (still on when the capture ended)' : ''}: ${advertisersText(open.advertisers, r)}`);
  } else if (r.state === 'no-master') {
    const nm = r.noMasters[r.noMasters.length - 1];
    parts.push(`no master for ${duration(nm ? nm.duration : null)}` + (nm && nm.lastMaster ? ` (last master ${nm.lastMaster})` : ''));
  } else if (r.master !== null) {
    parts.push(`master ${r.master} prio ${r.masterPriority}`);
  } else if (r.state === 'resigned') {
    parts.push('every node resigned (priority 0): keepalived stopped');
  } else {
    parts.push('no master now');
  }
  const healed = r.splitBrains.filter((p) => p !== open);
  if (healed.length > 0) {
    const total = healed.reduce((s, p) => s + p.duration, 0);
    parts.push(`${healed.length === 1 ? 'a split brain' : `${healed.length} split brains`} lasting ${duration(total)} in all, healed`);
  }
  if (r.state !== 'no-master' && r.noMasters.length > 0) {
    parts.push(`${r.noMasters.length} period(s) with no master`);
  }
  const real = r.failovers.filter((f) => f.kind !== 'initial');
  if (real.length > 0) {
    const last = real[real.length - 1]!;
    const took = last.duration === null ? '' : `, ${duration(last.duration)}`;
    parts.push(`${real.length} master change${real.length > 1 ? 's' : ''} (last: ${last.kind}${took})`);
  }
  const warnings = own.filter((f) => f.severity === 'warning');
  if (warnings.length > 0) parts.push(warnings.map((f) => f.code).join(', '));
  return { router: r, severity, text: `${name}: ${parts.join('; ')}` };
}

export function summarize(s: Snapshot): Summary {
  // each router's findings, grouped once (not a pass over every finding per router)
  const byRouter = new Map<string, Finding[]>();
  for (const f of s.findings) {
    if (f.routerKey === null) continue;
    const l = byRouter.get(f.routerKey);
    if (l === undefined) byRouter.set(f.routerKey, [f]);
    else l.push(f);
  }
  const routers = s.routers.map((r) => summarizeOwn(r, byRouter.get(r.key) ?? []));
  const global = s.findings.filter((f) => f.routerKey === null);
  let severity: Severity = 'ok';
  for (const r of routers) severity = worse(severity, r.severity);
  for (const f of global) severity = worse(severity, f.severity);
  severity = worse(severity, s.verdict);

  const splitNow = routers.filter((r) => openSplitBrain(r.router) !== undefined);
  const splitEver = routers.filter((r) => r.router.splitBrains.length > 0 || held(s.findings, r.router));
  const noMaster = routers.filter((r) => r.router.state === 'no-master' || r.router.noMasters.length > 0);
  let label: string;
  if (splitEver.length > 0 || global.some((f) => f.code === 'vip-conflict')) label = 'SPLIT BRAIN';
  else if (noMaster.length > 0) label = 'NO MASTER';
  else if (severity === 'critical') label = 'CRITICAL';
  else if (severity === 'warning') label = 'WARNING';
  else if (s.routers.length === 0) label = 'NO VRRP';
  else label = 'OK';

  let headline: string;
  // a global finding (rejected packets, an absent expected VRID) is added to the routers' line, not instead of it
  const first = (splitNow[0] ?? splitEver[0] ?? noMaster[0]) ?? routers.find((r) => r.severity === severity) ?? routers[0] ?? null;
  if (first) {
    headline = first.text;
    const others = routers.length - 1;
    if (others > 0) headline += `; ${others} more virtual router${others > 1 ? 's' : ''}`;
  } else if (global.length > 0) {
    headline = global[0]!.title;
  } else {
    headline = 'no VRRP advertisement seen';
  }
  if (global.length > 0 && first) headline += `; ${global.map((f) => f.title).join('; ')}`;
  return { severity, label, headline, routers, global };
}
