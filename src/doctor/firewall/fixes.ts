// The exact fix for a path the ruleset does not accept: a rule in the base chain that dropped it, before the
// rule that did (nft insert ... position HANDLE, iptables -I CHAIN N), a rich rule or protocol in the zone that
// holds the interface (firewalld), a ufw rule or before.rules line by ufw version. Each fix also changes the
// rule model the same way, so the caller re-evaluates and adds fixes until the path is accepted (a drop in a
// second base chain needs its own). ufw command text comes from src/remedy (one builder for both).
import { firewallFixes } from '../../remedy/index.js';
import type { VrrpPath } from './contract.js';
import type { Outcome } from './evaluate.js';
import type { BaseChain, Chain, Cond, Rule, Ruleset, Tool } from './model.js';

export interface Fix { tool: Tool; title: string; commands: string[] }

/** What the fixes need to know about the host beyond the ruleset. */
export interface FixContext {
  /** Command to name for an iptables backend ('iptables-legacy' → 'iptables' when that is what `iptables` runs). */
  iptablesCommand: (backend: string, family: 4 | 6) => string;
  /** Where iptables rules persist here (a file the boot loads), or null. */
  iptablesPersistFile: (family: 4 | 6) => string | null;
  /** firewalld: the zone a path lands in, its version, whether it runs, and the zone change in model form. */
  firewalld: FirewalldFixInfo | null;
  /** ufw version ('0.36.2'), or null when unknown. */
  ufwVersion: string | null;
}

export interface FirewalldFixInfo {
  version: string | null;
  running: boolean;
  zoneFor: (path: VrrpPath) => string;
  /** Rulesets with an accept for this path added to the zone (rich rule or protocol), for re-evaluation. */
  apply: (rulesets: Ruleset[], path: VrrpPath, zone: string, priority: number | null) => Ruleset[];
  /** The lowest rich-rule priority in the zone (a new rule must come before a matching deny). */
  lowestPriority: (zone: string) => number;
}

/** Characters allowed in an address or interface name pasted into a command. */
function safe(s: string): string {
  return /^[0-9A-Za-z.:_%@/\-]+$/.test(s) ? s : "'" + s.replace(/'/g, '') + "'";
}

function versionAtLeast(v: string | null, want: number[]): boolean {
  if (v === null) return false;
  const parts = v.split('.').map((x) => Number.parseInt(x, 10));
  for (let i = 0; i < want.length; i++) {
    const p = parts[i] ?? 0;
    if (Number.isNaN(p)) return false;
    if (p !== want[i]) return p > want[i];
  }
  return true;
}

/** The address a fix rule names: the peer's source (in), or the destination (out / multicast without a peer). */
function selector(path: VrrpPath): { which: 'src' | 'dst'; addr: string } | null {
  if (path.direction === 'in') {
    if (path.peer !== null) return { which: 'src', addr: path.peer };
    if (path.group !== null) return { which: 'dst', addr: path.group };
    return null;
  }
  const to = path.group ?? path.peer;
  return to !== null ? { which: 'dst', addr: to } : null;
}

/** The fix rule in model form. */
function modelRule(path: VrrpPath, index: number): Rule {
  const conds: Cond[] = [{ kind: 'family', family: path.family }, { kind: 'proto', protos: [112], negate: false }];
  if (path.iface !== '') conds.push({ kind: 'iface', dir: path.direction, names: [path.iface], negate: false });
  const sel = selector(path);
  if (sel !== null) conds.push({ kind: 'addr', which: sel.which, family: path.family, values: [sel.addr.replace(/%.*$/, '')], negate: false });
  return { index, handle: null, text: 'the fix printed above', conds, action: { kind: 'accept' } };
}

/** Rulesets with `rule` inserted in `chain` before its rule `before` (null: at the end). */
export function insertRule(rulesets: Ruleset[], chain: Chain, before: Rule | null, rule: Rule): Ruleset[] {
  const at = before === null ? chain.rules.length : chain.rules.findIndex((r) => r.index === before.index);
  const rules = [...chain.rules];
  rules.splice(at < 0 ? rules.length : at, 0, rule);
  const copy: Chain = { ...chain, rules };
  return rulesets.map((rs) => {
    if (![...rs.chains.values()].includes(chain)) return rs;
    const chains = new Map([...rs.chains].map(([k, c]) => [k, c === chain ? copy : c] as [string, Chain]));
    const base: BaseChain[] = rs.base.map((b) => (b.chain === chain ? { ...b, chain: copy } : b));
    return { ...rs, chains, base };
  });
}

function nftFix(path: VrrpPath, b: BaseChain, top: Rule | null): Fix {
  const w = b.where;
  const fam = path.family === 4 ? 'ip' : 'ip6';
  const sel = selector(path);
  const parts = path.iface !== '' ? [`${path.direction === 'in' ? 'iifname' : 'oifname'} "${safe(path.iface)}"`] : [];
  if (sel !== null) parts.push(`${fam} ${sel.which === 'src' ? 'saddr' : 'daddr'} ${safe(sel.addr)}`);
  parts.push('meta l4proto vrrp accept');
  const where = `${w.family} ${safe(w.table)} ${safe(w.chain)}`;
  const place = top === null ? `add rule ${where}` : top.handle !== null ? `insert rule ${where} position ${top.handle}` : `insert rule ${where} index ${top.index - 1}`;
  return {
    tool: 'nftables',
    title: `nftables: accept VRRP ${path.direction === 'in' ? 'from ' + (path.peer ?? 'any source') : 'to ' + (sel?.addr ?? 'any')} in ${where} ` +
      `${top === null ? 'at its end (its policy drops)' : 'before the rule that ' + (path.direction === 'in' ? 'drops it' : 'stops it')}`,
    commands: [`nft '${place} ${parts.join(' ')}'`,
      `# persist: put the same rule in your ruleset file (Debian: /etc/nftables.conf, table ${w.family} ${w.table}, chain ${w.chain}${top === null ? '' : ', before: ' + top.text.replace(/\n/g, ' ')}), then 'nft -c -f /etc/nftables.conf'`],
  };
}

function iptablesFix(path: VrrpPath, b: BaseChain, top: Rule | null, ctx: FixContext): Fix {
  const w = b.where;
  const cmd = ctx.iptablesCommand(w.backend, path.family);
  const sel = selector(path);
  const table = w.table !== 'filter' ? ` -t ${safe(w.table)}` : '';
  const pos = top === null ? `-A ${safe(w.chain)}` : `-I ${safe(w.chain)} ${top.index}`;
  const args = `${path.iface !== '' ? `${path.direction === 'in' ? '-i' : '-o'} ${safe(path.iface)} ` : ''}-p vrrp${sel !== null ? (sel.which === 'src' ? ' -s ' : ' -d ') + safe(sel.addr) : ''} -j ACCEPT`;
  const file = ctx.iptablesPersistFile(path.family);
  return {
    tool: 'iptables',
    title: `${w.backend}: accept VRRP in ${w.table} ${w.chain} ${top === null ? 'at its end (its policy drops)' : `before rule ${top.index}`}`,
    commands: [`${cmd}${table} ${pos} ${args}`,
      file !== null ? `${cmd}-save > ${file}` : `# persist: ${cmd}-save into the file your boot restores (Debian: netfilter-persistent save; RHEL: service ${path.family === 4 ? 'iptables' : 'ip6tables'} save)`],
  };
}

function firewalldFix(path: VrrpPath, fw: FirewalldFixInfo, zone: string, priority: number | null): Fix {
  const prefix = fw.running ? `firewall-cmd --permanent --zone=${safe(zone)}` : `firewall-offline-cmd --zone=${safe(zone)}`;
  const commands: string[] = [];
  const pri = priority !== null ? ` priority="${priority}"` : '';
  if (path.peer !== null) {
    commands.push(`${prefix} --add-rich-rule='rule${pri} family="ipv${path.family}" source address="${safe(path.peer)}" protocol value="vrrp" accept'`);
  } else if (priority !== null) {
    commands.push(`${prefix} --add-rich-rule='rule${pri} family="ipv${path.family}" protocol value="vrrp" accept'`);
  } else if (versionAtLeast(fw.version, [2, 1, 0])) commands.push(`${prefix} --add-service=vrrp`);
  else commands.push(`${prefix} --add-protocol=vrrp`);
  if (fw.running) commands.push('firewall-cmd --reload');
  return { tool: 'firewalld', title: `firewalld: accept VRRP ${path.peer !== null ? 'from ' + path.peer : ''} in zone ${zone}${fw.running ? '' : ' (firewalld is not running: the offline command edits its configuration)'}`.replace('  ', ' '), commands };
}

/** A line added to ufw's before(6).rules in front of its first COMMIT (GNU sed), as src/remedy writes it. */
function beforeRulesLine(family: 4 | 6, rule: string): string {
  return `sed -i '0,/^COMMIT$/s//${rule}\\nCOMMIT/' /etc/ufw/${family === 6 ? 'before6' : 'before'}.rules`;
}

function ufwFix(path: VrrpPath, o: Outcome, version: string | null): { fix: Fix; chain: string } {
  const p = path.family === 6 ? 'ufw6' : 'ufw';
  const modern = versionAtLeast(version, [0, 36, 2]);   // `proto vrrp` (LP: #1996636)
  // ufw's own rules run after before.rules: when before.rules itself drops, the line must go there
  const inBefore = o.ruleChain !== null && /^filter ufw6?-(before|not-local)/.test(o.ruleChain.id);
  const v = version ?? 'of unknown version';
  if (path.direction === 'out') {
    const to = selector(path)?.addr ?? 'any';
    if (modern && !inBefore) {
      return { chain: `filter ${p}-user-output`, fix: { tool: 'ufw', title: `ufw ${v}: allow VRRP out on ${path.iface}`,
        commands: [`ufw allow out${path.iface !== '' ? ' on ' + safe(path.iface) : ''} proto vrrp to ${safe(to)}`] } };
    }
    return { chain: `filter ${p}-before-output`, fix: { tool: 'ufw', title: `ufw ${v}: add the rule to before${path.family === 6 ? '6' : ''}.rules, then reload`,
      commands: [beforeRulesLine(path.family, `-A ${p}-before-output${path.iface !== '' ? ' -o ' + safe(path.iface) : ''} -p vrrp${to !== 'any' ? ' -d ' + safe(to) : ''} -j ACCEPT`), 'ufw reload'] } };
  }
  const built = firewallFixes(null, path.peer !== null ? [path.peer] : [], path.group, path.family, { iface: path.iface })
    .filter((f) => f.tool === 'ufw');
  const useUser = modern && !inBefore;
  return {
    chain: useUser ? `filter ${p}-user-input` : `filter ${p}-before-input`,
    fix: { tool: 'ufw', title: useUser ? `ufw ${v}: allow VRRP in on ${path.iface}` : `ufw ${v}: add the rule to before${path.family === 6 ? '6' : ''}.rules, then reload`,
      commands: built[useUser ? 0 : 1].commands },
  };
}

export interface FixStep { fix: Fix; next: Ruleset[] }

/** The fix for one non-accepted outcome, with the rulesets as they would be once it is applied. */
export function fixFor(path: VrrpPath, o: Outcome, rulesets: Ruleset[], ctx: FixContext, attempt: number): FixStep | null {
  const b = o.base;
  if (b === null) return null;
  const tool = b.where.tool;
  if (tool === 'firewalld' && ctx.firewalld !== null) {
    const zone = ctx.firewalld.zoneFor(path);
    const priority = attempt > 0 ? ctx.firewalld.lowestPriority(zone) - 1 : null;
    return { fix: firewalldFix(path, ctx.firewalld, zone, priority), next: ctx.firewalld.apply(rulesets, path, zone, priority) };
  }
  if (tool === 'ufw') {
    const { fix, chain } = ufwFix(path, o, ctx.ufwVersion);
    const owner = rulesets.find((r) => r.base.includes(b));
    const target = owner?.chains.get(chain);
    if (target === undefined) return { fix, next: rulesets };
    return { fix, next: insertRule(rulesets, target, null, modelRule(path, target.rules.length + 1)) };
  }
  const rule = modelRule(path, o.topRule?.index ?? b.chain.rules.length + 1);
  const fix = tool === 'nftables' ? nftFix(path, b, o.topRule) : iptablesFix(path, b, o.topRule, ctx);
  return { fix, next: insertRule(rulesets, b.chain, o.topRule, rule) };
}
