// The human report for `vrrpwatch -r FILE` (and the summary printed when a live capture ends):
// verdict first, then each virtual router (at most TEXT_MAX_ROUTERS in full, the ones with a problem first,
// the rest in one line), the timeline, the findings with their fixes (at most TEXT_MAX_FINDINGS in full).
import type { Advertiser, Cause, Finding, Router, Snapshot } from '../analyze/model.js';
import { fixesFor, type Fix } from '../remedy/index.js';
import { localTimestamp, duration, familyName, interval, paint } from './format.js';
import { maskSecret, sanitize } from './sanitize.js';
import { summarize, type RouterSummary } from './summary.js';
import { JSON_MAX_ROUTERS, TEXT_MAX_FINDINGS, TEXT_MAX_ROUTERS, problemsFirst } from './bounds.js';
import { ownershipLines, unlistedLines } from './ownership-text.js';

export interface SourceInfo {
  /** What was read: a file path, '-' or 'interface eth0'. */
  name: string;
  format: string | null;
  bytesRead: number | null;
  fileSize: number | null;
  /** Where reading stopped early, if it did. */
  problem: { kind: string; offset: number; message: string } | null;
}

export interface TextOptions {
  showAuth: boolean;
  color: boolean;
  iface?: string;
  /** Events shown in the timeline at most (the newest). */
  maxEvents?: number;
  /** Several captures read together: the "Vantage points" section, already rendered (vantage-text.ts, loaded
   *  only then). */
  vantageSection?: string[];
}

/** Input spanning more than a day prints dates with its times (router blocks, timeline). */
const DAY = 86400;

export const CAUSE_TEXT: Record<Cause, string> = {
  'firewall-drop': 'a firewall on {deaf} drops incoming VRRP (or the network does not deliver it there): it does not hear its peer, which hears it and answers each of its adverts',
  'firewall-reject': 'a firewall on {deaf} rejects VRRP (ICMP errors came back for the adverts it was sent)',
  'firewall-stateful': 'a stateful firewall on {deaf} has no rule for VRRP: its peer\'s unicast adverts get in only as replies to its own, so it takes over for a moment each time keepalived starts there',
  network: 'the network does not deliver the adverts to {deaf}: they never reach its wire (a switch, VLAN, trunk or multicast filter between the nodes)',
  'network-loss': 'the network loses part of the adverts on the way to {deaf} (the loss and its longest run are above): a run long enough makes it take over',
  'host-drop': '{deaf} drops adverts that reach its wire (its firewall, rp_filter, the wrong interface or keepalived\'s socket): its capture sees them, keepalived does not',
  'auth-mismatch': 'the nodes disagree on authentication (auth_type / auth_pass): each drops the other\'s adverts',
  'interval-mismatch': 'the nodes disagree on advert_int: a VRRPv2 node drops adverts with another interval',
  'version-mismatch': 'the nodes speak different VRRP versions: each drops the other\'s adverts',
  ttl: 'adverts arrive with a TTL/hop limit below 255 (routed or relayed): the receiver drops them',
  'checksum-variant': 'the nodes compute the VRRPv3 checksum differently (pseudo-header or not): the receiver drops the adverts',
  'vip-mismatch': 'the nodes announce different virtual address lists for the same VRID',
  'length-mismatch': 'the nodes send adverts of different lengths (keepalived 2.4 auth_hmac on one side, or a short VRRPv2 advert): a node that expects another length drops them',
  'unicast-multicast-mix': 'one node sends unicast and the other multicast: neither socket receives the other\'s adverts',
  'unicast-peer': 'unicast peers are misconfigured: adverts go to an address that does not answer',
  'sender-stall': 'the master stalled (its adverts paused and resumed with consecutive IP IDs)',
  unknown: 'the cause could not be told from this capture',
};

export function causeSentence(f: Finding): string | null {
  if (f.cause === null) return null;
  const deaf = f.fixContext.deafHost ?? 'one node';
  return CAUSE_TEXT[f.cause].replace('{deaf}', deaf);
}

function pad(s: string, n: number): string {
  return s.length >= n ? s + ' ' : s + ' '.repeat(n - s.length);
}

function table(rows: string[][], indent: string): string[] {
  const widths: number[] = [];
  for (const r of rows) r.forEach((c, i) => { widths[i] = Math.max(widths[i] ?? 0, c.length); });
  return rows.map((r) => indent + r.map((c, i) => (i === r.length - 1 ? c : pad(c, widths[i]! + 1))).join('').trimEnd());
}

function authCell(a: Advertiser, show: boolean): string {
  if (a.authType === null) return 'v3';
  const name = a.authType === 0 ? 'none' : a.authType === 1 ? 'simple' : a.authType === 2 ? 'ah' : `type${a.authType}`;
  const text = a.authType === 1 ? ` ${maskSecret(a.authText, show) ?? ''}` : '';
  return name + text + (a.authMatches ? '' : ' (differs)');
}

function measured(a: Advertiser): string {
  if (a.measuredInterval === null) return '—';
  const j = a.jitter === null ? '' : ` ±${duration(a.jitter)}`;
  return `${a.measuredInterval.toFixed(3)} s${j}`;
}

function routerSection(r: Router, o: TextOptions, t0: number, dated: boolean): string[] {
  const out: string[] = [];
  const vips = r.virtualAddresses.length ? r.virtualAddresses.join(', ') : '—';
  out.push(paint(o.color, 'bold', `VRID ${r.vrid}`) + `  ${familyName(r.family)}${r.vlan !== null ? `  vlan ${r.vlan}` : ''}  virtual ${vips}  state ${r.state}` +
    (r.worst !== 'ok' ? ` (worst: ${r.worst})` : ''));
  if (r.masterDownInterval !== null) {
    out.push(`  master-down interval ${duration(r.masterDownInterval)}` +
      (r.advertisers.length < 2 ? ' (no backup seen: the longest, for a priority-1 backup)' : ''));
  }
  const rows: string[][] = [['advertiser', 'mac', 'prio', 'role', 'interval', 'measured', 'adverts', 'ttl', 'auth', 'sent to', 'last seen']];
  for (const a of r.advertisers) {
    rows.push([
      a.ip, a.mac ?? '—', String(a.priority), a.role, interval(a.advertIntervalRaw, a.advertIntervalUnit),
      measured(a), String(a.adverts), a.ttlMin === a.ttlMax ? String(a.ttlMin) : `${a.ttlMin}-${a.ttlMax}`,
      authCell(a, o.showAuth),
      a.destination === 'multicast' ? 'multicast' : `${a.destination} ${a.unicastPeers.join(',')}`,
      `+${(a.lastSeen - t0).toFixed(3)} s`,
    ]);
  }
  out.push(...table(rows, '  '));
  for (const a of r.advertisers) {
    if (a.priorityHistory.length > 1) {
      out.push(`  priority of ${a.ip}: ` + a.priorityHistory.map((p) => `${p.priority} at ${localTimestamp(p.t, dated)}`).join(' → '));
    }
  }
  const fo = r.failovers.filter((f) => f.kind !== 'initial');
  if (fo.length > 0) {
    out.push('  master changes:');
    for (const f of fo) {
      const took = f.duration === null ? '' : `  took ${duration(f.duration)}`;
      out.push(`    ${localTimestamp(f.t, dated)}  ${f.from ?? '—'} → ${f.to}  ${f.kind}${took}` +
        (f.expected !== null ? ` (expected ${duration(f.expected)})` : ''));
    }
  }
  for (const p of r.splitBrains) {
    const end = p.end === null ? 'still on' : localTimestamp(p.end, dated) + (p.endedWithCapture ? ' (capture ended)' : '');
    out.push(`  split brain ${localTimestamp(p.start, dated)} → ${end}  ${duration(p.duration)}  ${p.advertisers.join(' + ')}`);
  }
  for (const p of r.noMasters) {
    out.push(`  no master ${localTimestamp(p.start, dated)} → ${p.end === null ? 'still on' : localTimestamp(p.end, dated)}  ${duration(p.duration)}`);
  }
  out.push(...ownershipLines(r, dated));
  return out;
}

export function fixLines(fixes: Fix[], indent: string): string[] {
  const out: string[] = [];
  for (const fx of fixes) {
    const where = fx.host && !fx.title.includes(fx.host) ? ` (on ${fx.host})` : '';
    out.push(`${indent}${fx.title}${where}:`);
    for (const c of fx.commands) out.push(`${indent}  ${c}`);
  }
  return out;
}

function findingSection(f: Finding, o: TextOptions): string[] {
  const sev = f.severity === 'critical' ? paint(o.color, 'red', 'CRITICAL') : f.severity === 'warning' ? paint(o.color, 'yellow', 'WARNING') : 'INFO';
  const out = [`${sev}  ${f.code}  ${sanitize(f.title)}`];
  for (const e of f.evidence) out.push(`    - ${sanitize(e)}`);
  const cause = causeSentence(f);
  if (cause) out.push(`    cause: ${cause}`);
  const fixes = fixesFor(f, o.iface ? { iface: o.iface } : undefined);
  if (fixes.length > 0) {
    out.push('    fix:');
    out.push(...fixLines(fixes, '      '));
  }
  return out;
}

/** One line for the routers not shown in full: how many, by severity, and the first keys. */
function restLine(rest: readonly RouterSummary[]): string {
  const by = { critical: 0, warning: 0, ok: 0 };
  for (const r of rest) by[r.severity]++;
  const keys = rest.slice(0, 10).map((r) => r.router.key).join(', ');
  return `${rest.length} more virtual routers not shown in full (${by.critical} critical, ${by.warning} warning, ${by.ok} ok): ` +
    `${keys}${rest.length > 10 ? ', …' : ''} (--json lists up to ${JSON_MAX_ROUTERS})`;
}

/** One line for the findings not shown in full: how many of each code. */
function restFindings(rest: readonly Finding[]): string {
  const by = new Map<string, number>();
  for (const f of rest) {
    const k = `${f.severity === 'ok' ? 'INFO' : f.severity.toUpperCase()} ${f.code}`;
    by.set(k, (by.get(k) ?? 0) + 1);
  }
  return `${rest.length} more findings not shown in full: ${[...by].map(([k, n]) => `${n} × ${k}`).join(', ')}`;
}

export function renderText(s: Snapshot, src: SourceInfo, o: TextOptions): string {
  const sum = summarize(s);
  const colour = sum.severity === 'critical' ? 'red' : sum.severity === 'warning' ? 'yellow' : 'green';
  const out: string[] = [];
  out.push(paint(o.color, colour, sum.label) + '  ' + sum.headline);
  const t0 = s.firstTime ?? s.time;
  const dated = s.firstTime !== null && s.time - s.firstTime > DAY;
  const span = s.firstTime === null ? '' : `, ${localTimestamp(s.firstTime)} → ${localTimestamp(s.time, dated)} (${duration(s.time - s.firstTime)})`;
  const st = s.stats;
  const rejects = Object.values(st.rejects).reduce((a, b) => a + b, 0);
  out.push(`read ${src.name}${src.format ? ` (${src.format})` : ''}: ${st.frames} frames, ${st.vrrpAdverts} VRRP adverts, ${rejects} rejected${span}`);
  if (st.pcapDropped !== null) out.push(`libpcap: ${st.pcapReceived} received, ${st.pcapDropped} dropped by the kernel, ${st.pcapIfDropped ?? 0} by the interface`);
  if (src.problem) {
    const where = src.fileSize ? ` (${src.problem.offset} of ${src.fileSize} bytes read)` : ` (at byte ${src.problem.offset})`;
    out.push(`capture ${src.problem.kind}: ${src.problem.message}${where}; the report covers what was read`);
  }
  const oddLinks = Object.entries(st.unsupportedLinks);
  if (oddLinks.length) out.push(`not decoded: ${oddLinks.map(([k, v]) => `${v} frames of link type ${k}`).join(', ')}`);
  if (st.carp > 0) out.push(`${st.carp} OpenBSD CARP packets on protocol 112 (not VRRP) ignored`);
  if (rejects > 0) out.push(`rejected protocol-112 packets: ${Object.entries(st.rejects).filter(([, v]) => v > 0).map(([k, v]) => `${k} ${v}`).join(', ')}`);
  if ((st.duplicates ?? 0) > 0) out.push(`${st.duplicates} advert${st.duplicates === 1 ? '' : 's'} seen twice within 2 ms (the same frame on two interfaces, as -i any shows a bridge and its port) ignored`);
  if ((st.cutByCapture ?? 0) > 0) out.push(`${st.cutByCapture} VRRP frame${st.cutByCapture === 1 ? ' was' : 's were'} cut short by the capture's snapshot length and not judged (capture with -s 256 or more)`);

  // at most TEXT_MAX_ROUTERS routers in full, the ones with a problem first (in order of first advert
  // when all shown); the rest in one line
  const ordered = sum.routers.length > TEXT_MAX_ROUTERS ? problemsFirst(sum.routers) : sum.routers;
  for (const r of ordered.slice(0, TEXT_MAX_ROUTERS)) {
    out.push('');
    out.push(...routerSection(r.router, o, t0, dated));
  }
  if (ordered.length > TEXT_MAX_ROUTERS) out.push('', restLine(ordered.slice(TEXT_MAX_ROUTERS)));
  if (s.limits !== undefined && s.limits.untrackedAdverts > 0) {
    const l = s.limits;
    out.push('', `limits: ${l.routers} of at most ${l.maxRouters} virtual routers tracked, at most ${l.maxSources} sources each; ` +
      `${l.untrackedAdverts} adverts beyond them counted, not tracked (finding vrrp-flood)`);
  }
  if (s.unlistedVips !== undefined && s.unlistedVips.length > 0) {
    out.push('', paint(o.color, 'bold', 'Addresses named by --vip that no advert lists'));
    out.push(...unlistedLines(s.unlistedVips, dated));
  }

  if (o.vantageSection !== undefined) out.push('', ...o.vantageSection);

  const max = o.maxEvents ?? 50;
  const ev = s.events.filter((e) => e.type !== 'finding');
  if (ev.length > 0) {
    out.push('', paint(o.color, 'bold', 'Timeline') + (ev.length > max ? ` (last ${max} of ${ev.length})` : ''));
    for (const e of ev.slice(-max)) out.push(`  ${localTimestamp(e.t, dated)}  ${pad(`VRID ${e.vrid}${e.family === 6 ? '/v6' : ''}`, 9)} ${sanitize(e.message)}`);
  }
  if (s.findings.length > 0) {
    out.push('', paint(o.color, 'bold', 'Findings'));
    const order = { critical: 0, warning: 1, ok: 2 } as const;
    const fs = [...s.findings].sort((a, b) => order[a.severity] - order[b.severity]);
    for (const f of fs.slice(0, TEXT_MAX_FINDINGS)) out.push(...findingSection(f, o));
    if (fs.length > TEXT_MAX_FINDINGS) out.push(restFindings(fs.slice(TEXT_MAX_FINDINGS)));
  }
  return out.join('\n') + '\n';
}
