// What `vrrpwatch doctor` prints: the verdict line first, what was examined, then one block per
// finding (worst first) with where in keepalived.conf, the evidence and the fix — the report's layout
// and pieces (src/report/text.ts fixLines, format.ts paint, sanitize.ts). `--json` is the same content as
// a versioned document (vrrpwatch.doctor/1, docs/doctor.md) bounded to MAX_JSON_BYTES: long strings are
// cut, lists capped, and the least severe findings left out (counted in `omitted`) until it fits.
import type { Severity } from '../analyze/model.js';
import { paint, SEVERITY_RANK } from '../report/format.js';
import { sanitize } from '../report/sanitize.js';
import { fixLines } from '../report/text.js';
import { effective } from './conf-effective.js';
import type { KeepalivedConfig } from './conf-model.js';
import { at, type DoctorFinding } from './types.js';

export const DOCTOR_SCHEMA = 'vrrpwatch.doctor/1';
export const MAX_JSON_BYTES = 256 * 1024;
const MAX_STRING = 500;
const MAX_LIST = 12;
const MAX_INSTANCES = 100;

export interface DoctorFacts {
  configPath: string;
  config: KeepalivedConfig | null;
  keepalived: { version: string | null; ran: boolean; status: number | null } | null;
  firewall: { source: string; backends: string[] } | null;
  /** null: the wire was not compared (no -i). */
  wire: { iface: string; seconds: number; adverts: number; sources: number } | null;
}

export interface DoctorVerdict { severity: Severity; label: 'OK' | 'WARNING' | 'CRITICAL'; headline: string; exitCode: 0 | 1 | 2 }

const ORDER: Record<Severity, number> = { critical: 0, warning: 1, ok: 2 };

export function sortFindings(fs: DoctorFinding[]): DoctorFinding[] {
  return fs.map((f, i) => ({ f, i })).sort((a, b) => ORDER[a.f.severity] - ORDER[b.f.severity] || a.i - b.i).map((x) => x.f);
}

export function verdictOf(fs: DoctorFinding[]): DoctorVerdict {
  let severity: Severity = 'ok';
  for (const f of fs) if (SEVERITY_RANK[f.severity] > SEVERITY_RANK[severity]) severity = f.severity;
  const crit = fs.filter((f) => f.severity === 'critical');
  const warn = fs.filter((f) => f.severity === 'warning');
  const label = severity === 'critical' ? 'CRITICAL' : severity === 'warning' ? 'WARNING' : 'OK';
  const first = crit[0] ?? warn[0];
  const counts = [crit.length ? `${crit.length} critical` : '', warn.length ? `${warn.length} warning${warn.length === 1 ? '' : 's'}` : ''].filter(Boolean).join(', ');
  const headline = first
    ? `${counts}: ${first.instance ? first.instance + ': ' : ''}${first.title}`
    : 'nothing found that would split the brain';
  return { severity, label, headline: sanitize(headline), exitCode: severity === 'critical' ? 2 : severity === 'warning' ? 1 : 0 };
}

/** One line per vrrp_instance: what keepalived will run. */
export function instanceLines(cfg: KeepalivedConfig): string[] {
  return cfg.instances.slice(0, MAX_INSTANCES).map((i) => {
    const e = effective(i, cfg);
    const dest = e.unicast ? `unicast to ${i.unicastPeers.map((p) => p.value).join(', ')}` : `multicast ${e.group}`;
    return `${i.name}: ${i.iface?.value ?? 'no interface'}, VRID ${i.vrid?.value ?? '?'}, ${e.state} priority ${e.priority}, VRRPv${e.version} IPv${e.family}, ` +
      `${dest}, every ${e.interval} s, auth ${e.authType === 1 ? 'PASS' : e.authType === 2 ? 'AH' : 'none'}, VIPs ${i.vips.map((v) => v.address + (v.prefix !== null ? '/' + v.prefix : '')).join(' ') || 'none'} (${at(i.loc)})`;
  });
}

function severityWord(s: Severity, color: boolean): string {
  return s === 'critical' ? paint(color, 'red', 'CRITICAL') : s === 'warning' ? paint(color, 'yellow', 'WARNING ') : 'INFO    ';
}

export function renderDoctorText(facts: DoctorFacts, findings: DoctorFinding[], o: { color: boolean }): string {
  const v = verdictOf(findings);
  const out: string[] = [];
  const colour = v.severity === 'critical' ? 'red' : v.severity === 'warning' ? 'yellow' : 'green';
  out.push(`${paint(o.color, colour, v.label)}  doctor: ${v.headline}`);
  if (facts.config) {
    const n = facts.config.files.length;
    out.push(`config ${facts.configPath}${n > 1 ? ` (+${n - 1} included file${n === 2 ? '' : 's'})` : ''}: ${facts.config.instances.length} vrrp_instance${facts.config.instances.length === 1 ? '' : 's'}`);
    for (const l of instanceLines(facts.config)) out.push(`  ${sanitize(l)}`);
  }
  if (facts.keepalived) {
    out.push(facts.keepalived.ran ? `keepalived ${facts.keepalived.version ?? ''} -t: exit ${facts.keepalived.status}`.replace('  ', ' ') : 'keepalived -t: not run');
  }
  out.push(facts.firewall ? `firewall: ${facts.firewall.source}${facts.firewall.backends.length ? ` (${facts.firewall.backends.join(', ')})` : ' (no firewall found)'}` : 'firewall: not checked');
  out.push(facts.wire
    ? `wire: ${facts.wire.seconds} s on ${facts.wire.iface}, ${facts.wire.adverts} VRRP adverts from ${facts.wire.sources} source${facts.wire.sources === 1 ? '' : 's'}`
    : 'wire: not compared (give -i IFACE to compare this configuration with the peers\' adverts)');
  if (findings.length > 0) out.push('', paint(o.color, 'bold', 'Findings'));
  for (const f of sortFindings(findings)) {
    out.push(`${severityWord(f.severity, o.color)}  ${f.code}  ${f.instance ? f.instance + ': ' : ''}${sanitize(f.title)}`);
    if (f.where) out.push(`    at ${sanitize(at(f.where))}`);
    for (const e of f.evidence) out.push(`    - ${sanitize(e)}`);
    if (f.fixes.length > 0) {
      out.push('    fix:');
      out.push(...fixLines(f.fixes.map((x) => ({ ...x, title: sanitize(x.title), commands: x.commands.map(sanitize) })), '      '));
    }
  }
  return out.join('\n') + '\n';
}

const cut = (s: string): string => (s.length > MAX_STRING ? s.slice(0, MAX_STRING - 1) + '…' : s);

function bounded(f: DoctorFinding): DoctorFinding {
  return {
    ...f, title: cut(sanitize(f.title)),
    evidence: f.evidence.slice(0, MAX_LIST).map((e) => cut(sanitize(e))),
    fixes: f.fixes.slice(0, MAX_LIST).map((x) => ({ ...x, title: cut(sanitize(x.title)), commands: x.commands.slice(0, MAX_LIST).map((c) => cut(sanitize(c))) })),
  };
}

export function renderDoctorJson(facts: DoctorFacts, findings: DoctorFinding[], version: string): string {
  const v = verdictOf(findings);
  let kept = sortFindings(findings).map(bounded);
  let omitted = 0;
  const doc = () => ({
    schema: DOCTOR_SCHEMA,
    tool: { name: 'vrrpwatch', version },
    verdict: v,
    config: facts.config ? {
      path: facts.configPath, files: facts.config.files.slice(0, MAX_LIST * 4),
      instances: facts.config.instances.slice(0, MAX_INSTANCES).map((i) => {
        const e = effective(i, facts.config!);
        return {
          name: i.name, interface: i.iface?.value ?? null, vrid: i.vrid?.value ?? null, state: e.state, priority: e.priority,
          version: e.version, family: e.family, advertInt: e.interval, authType: ['none', 'PASS', 'AH'][e.authType],
          unicastPeers: i.unicastPeers.map((p) => p.value), group: e.group, vips: i.vips.map((a) => a.address + (a.prefix !== null ? '/' + a.prefix : '')), at: at(i.loc),
        };
      }),
    } : { path: facts.configPath, files: [], instances: [] },
    keepalived: facts.keepalived,
    firewall: facts.firewall,
    wire: facts.wire,
    findings: kept,
    omitted,
  });
  let text = JSON.stringify(doc(), null, 2);
  while (Buffer.byteLength(text) > MAX_JSON_BYTES && kept.length > 0) {
    const drop = Math.max(1, Math.ceil(kept.length / 10));
    kept = kept.slice(0, kept.length - drop);
    omitted += drop;
    text = JSON.stringify(doc(), null, 2);
  }
  return text + '\n';
}
