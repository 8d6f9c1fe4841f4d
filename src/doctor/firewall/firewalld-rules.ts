// firewalld's zone model as the rule model, the way firewalld's nftables backend lays it out
// (src/firewall/core/nftables.py): filter_INPUT accepts established/related and loopback, drops invalid,
// runs the policies towards HOST with priority < 0, sends each packet to its zone (sources first, then
// interfaces, then the default zone), runs the policies with priority > 0, and rejects what is left
// (target default). A zone's or policy's chain holds rich rules with priority < 0 (in priority order),
// then at priority 0 the deny rules, then the allow rules with services and protocols, then rich rules
// with priority > 0, then its target (a policy's CONTINUE goes on). A policy for named ingress zones is
// entered through the same zone dispatch. Also the zone a path lands in, and the model with a fix applied.
import type { VrrpPath } from './contract.js';
import { addressIn, parseAddress } from './address.js';
import type { FirewalldFixInfo } from './fixes.js';
import type { FirewalldModel, Policy, RichRule, Zone } from './firewalld.js';
import { protocolNumber, type Action, type Chain, type Cond, type Rule, type Ruleset } from './model.js';

/** firewalld's filter_INPUT runs at priority filter + 10. */
const FIREWALLD_PRIORITY = 10;

export function firewalldLabel(m: FirewalldModel): string {
  return `firewalld${m.version !== null ? ' ' + m.version : ''}${m.running ? ` (${m.backend})` : ' (not running: its configuration)'}`;
}

function zoneId(z: Zone): string {
  return `zone ${z.name}${z.interfaces.length > 0 ? ` (${z.interfaces.join(', ')})` : ''}`;
}

function protoConds(value: string, m: FirewalldModel, kind: 'service' | 'protocol'): Cond[] {
  if (kind === 'protocol') {
    const p = protocolNumber(value);
    return p === null ? [{ kind: 'unknown', text: `protocol ${value}` }] : [{ kind: 'proto', protos: [p], negate: false }];
  }
  const protos = m.services.get(value);
  if (protos === undefined) return [{ kind: 'unknown', text: `service ${value} (its definition was not found)` }];
  const nums = protos.map(protocolNumber).filter((p): p is number => p !== null);
  return nums.length > 0 ? [{ kind: 'proto', protos: nums, negate: false }] : [{ kind: 'never', why: `service ${value} opens ports only` }];
}

function richConds(r: RichRule, m: FirewalldModel): Cond[] {
  const conds: Cond[] = [];
  if (r.family !== null) conds.push({ kind: 'family', family: r.family });
  for (const [which, s] of [['src', r.source], ['dst', r.destination]] as const) {
    if (s === null) continue;
    if (s.address === null) { conds.push({ kind: 'unknown', text: r.text }); continue; }   // an ipset or MAC source
    const fam = parseAddress(s.address.split('/')[0])?.family;
    if (fam === undefined) { conds.push({ kind: 'unknown', text: r.text }); continue; }
    conds.push({ kind: 'addr', which, family: fam, values: [s.address], negate: s.invert });
  }
  if (r.element.kind === 'service' || r.element.kind === 'protocol') conds.push(...protoConds(r.element.value, m, r.element.kind));
  else if (r.element.kind === 'other') conds.push({ kind: 'never', why: `${r.element.value}: not VRRP` });
  return conds;
}

/** A zone's or a policy's rules in firewalld's order (the target is added by the caller). */
function ruleList(z: { services: string[]; protocols: string[]; rules: RichRule[] }, m: FirewalldModel): Rule[] {
  const rules: Rule[] = [];
  const add = (text: string, conds: Cond[], action: Action) => rules.push({ index: rules.length + 1, handle: null, text, conds, action });
  const rich = (r: RichRule) => add(r.text, richConds(r, m), r.action === 'accept' ? { kind: 'accept' } : r.action === 'drop' ? { kind: 'drop' } : r.action === 'reject' ? { kind: 'reject' } : { kind: 'continue' });
  const byPriority = (a: RichRule, b: RichRule) => a.priority - b.priority;
  z.rules.filter((r) => r.priority < 0).sort(byPriority).forEach(rich);
  z.rules.filter((r) => r.priority === 0 && (r.action === 'drop' || r.action === 'reject')).forEach(rich);
  z.rules.filter((r) => r.priority === 0 && r.action === 'accept').forEach(rich);
  for (const s of z.services) add(`service ${s}${m.services.has(s) ? ` (protocols: ${m.services.get(s)!.join(' ') || 'none'})` : ''}`, protoConds(s, m, 'service'), { kind: 'accept' });
  for (const p of z.protocols) add(`protocol ${p}`, protoConds(p, m, 'protocol'), { kind: 'accept' });
  z.rules.filter((r) => r.priority > 0).sort(byPriority).forEach(rich);
  return rules;
}

/** A rule the model makes up to say what a target does (index 0: printed without a rule number). */
function targetRule(text: string, kind: 'accept' | 'drop' | 'reject'): Rule {
  return { index: 0, handle: null, text, conds: [], action: { kind } };
}

/** A zone's chain; with policies after the zones, a default target leaves the reject to filter_INPUT. */
function zoneChain(z: Zone, m: FirewalldModel, postPolicies: boolean): Chain {
  const rules = ruleList(z, m);
  const t = z.target.toUpperCase();
  if (t === 'ACCEPT') rules.push(targetRule('target ACCEPT accepts what no rule decided', 'accept'));
  else if (t === 'DROP') rules.push(targetRule('no rule accepts vrrp; target DROP drops it', 'drop'));
  else if (t === '%%REJECT%%' || !postPolicies) rules.push(targetRule(`no rule accepts vrrp; target ${t === '%%REJECT%%' ? '%%REJECT%%' : 'default'} rejects it`, 'reject'));
  return { id: zoneId(z), name: z.name, rules, policy: null };
}

function policyChain(p: Policy, m: FirewalldModel): Chain {
  const rules = ruleList(p, m);
  const t = p.target.toUpperCase();
  if (t === 'ACCEPT') rules.push(targetRule('target ACCEPT accepts what no rule decided', 'accept'));
  else if (t === 'DROP') rules.push(targetRule('target DROP drops what no rule decided', 'drop'));
  else if (t === 'REJECT') rules.push(targetRule('target REJECT rejects what no rule decided', 'reject'));
  return { id: `policy ${p.name}`, name: p.name, rules, policy: null };
}

/** Rules sending a packet to the chain of its zone (sources first, then interfaces, then the default zone). */
function dispatchRules(m: FirewalldModel, target: (z: Zone) => Rule['action']): Rule[] {
  const out: Rule[] = [];
  const zones = [...m.zones.values()];
  const add = (text: string, conds: Cond[], z: Zone) => out.push({ index: out.length + 1, handle: null, text, conds, action: target(z) });
  for (const z of zones) {
    for (const s of z.sources) {
      const fam = parseAddress(s.split('/')[0])?.family;
      add(`source ${s} → zone ${z.name}`, fam === undefined ? [{ kind: 'unknown', text: `source ${s}` }] : [{ kind: 'addr', which: 'src', family: fam, values: [s], negate: false }], z);
    }
  }
  for (const z of zones) for (const i of z.interfaces) add(`interface ${i} → zone ${z.name}`, [{ kind: 'iface', dir: 'in', names: [i], negate: false }], z);
  const def = m.zones.get(m.defaultZone);
  if (def !== undefined) add(`any other interface → default zone ${def.name}`, [], def);
  return out;
}

/** The firewalld model as a Ruleset (one base chain on input; firewalld filters no output by default). */
export function firewalldRuleset(m: FirewalldModel): Ruleset {
  const label = firewalldLabel(m);
  const chains = new Map<string, Chain>();
  const policies = [...m.policies].sort((a, b) => a.priority - b.priority);
  const post = policies.filter((p) => p.priority > 0);
  for (const z of m.zones.values()) chains.set(zoneId(z), zoneChain(z, m, post.length > 0));
  chains.set('filter_INPUT_ZONES', { id: 'filter_INPUT_ZONES', name: 'filter_INPUT_ZONES', rules: dispatchRules(m, (z) => ({ kind: 'goto', chain: zoneId(z) })), policy: null });
  // a policy applies to traffic from its ingress zones: the same dispatch, into the policy or back
  const policyJumps = (list: Policy[]): Rule[] => list.map((p, i) => {
    const c = policyChain(p, m);
    chains.set(c.id, c);
    let target = c.id;
    if (!p.ingress.includes('ANY')) {
      target = `${c.id} (ingress ${p.ingress.join(', ')})`;
      chains.set(target, { id: target, name: target, policy: null,
        rules: dispatchRules(m, (z) => (p.ingress.includes(z.name) ? { kind: 'goto', chain: c.id } : { kind: 'return' })) });
    }
    return { index: i + 1, handle: null, text: `jump ${c.id}`, conds: [], action: { kind: 'jump', chain: target } };
  });
  const pre = policyJumps(policies.filter((p) => p.priority < 0));
  const postJumps = policyJumps(post);
  const steps: Rule[] = [
    { index: 1, handle: null, text: 'ct state established,related accept', conds: [{ kind: 'ct', states: ['established', 'related'], negate: false }], action: { kind: 'accept' } },
    { index: 2, handle: null, text: 'iifname "lo" accept', conds: [{ kind: 'iface', dir: 'in', names: ['lo'], negate: false }], action: { kind: 'accept' } },
    { index: 3, handle: null, text: 'ct state invalid drop', conds: [{ kind: 'ct', states: ['invalid'], negate: false }], action: { kind: 'drop' } },
    ...pre,
    { index: 0, handle: null, text: 'jump filter_INPUT_ZONES', conds: [], action: { kind: 'jump', chain: 'filter_INPUT_ZONES' } },
    ...postJumps,
  ];
  const input: Rule[] = [...steps.map((r, i) => ({ ...r, index: i + 1 })),
    targetRule(post.length > 0 ? 'no zone or policy accepts vrrp; the zone\'s target default rejects it' : 'reject with icmpx admin-prohibited', 'reject')];
  const base: Chain = { id: 'filter_INPUT', name: 'filter_INPUT', rules: input, policy: 'accept' };
  chains.set(base.id, base);
  return {
    backend: label, chains,
    base: [{ chain: base, hook: 'input', priority: FIREWALLD_PRIORITY, families: [4, 6], device: null,
      where: { backend: label, tool: 'firewalld', family: 'inet', table: 'firewalld', chain: 'filter_INPUT' } }],
  };
}

/** The zone that handles a path: a zone whose source holds the peer, else the interface's zone, else the default. */
export function zoneFor(m: FirewalldModel, path: VrrpPath): string {
  const peer = path.peer !== null ? parseAddress(path.peer) : null;
  if (peer !== null) for (const z of m.zones.values()) if (z.sources.some((s) => addressIn(peer, s) === true)) return z.name;
  for (const z of m.zones.values()) if (z.interfaces.includes(path.iface)) return z.name;
  return m.defaultZone;
}

/** What the fixes need: the zone, and the model with the fix applied (rich rule, service or protocol). */
export function firewalldFixInfo(m: FirewalldModel): FirewalldFixInfo {
  return {
    version: m.version,
    running: m.running,
    zoneFor: (p) => zoneFor(m, p),
    lowestPriority: (zone) => Math.min(0, ...(m.zones.get(zone)?.rules.map((r) => r.priority) ?? [])),
    apply: (rulesets, path, zone, priority) => {
      const z = m.zones.get(zone);
      if (z === undefined) return rulesets;
      const copy: Zone = { ...z, rules: [...z.rules], protocols: [...z.protocols] };
      if (path.peer !== null || priority !== null) {
        const src = path.peer !== null ? ` source address="${path.peer}"` : '';
        copy.rules.push(({ family: path.family, priority: priority ?? 0, source: path.peer !== null ? { address: path.peer, other: null, invert: false } : null,
          destination: null, element: { kind: 'protocol', value: 'vrrp' }, action: 'accept',
          text: `rule${priority !== null ? ` priority="${priority}"` : ''} family="ipv${path.family}"${src} protocol value="vrrp" accept` }));
      } else copy.protocols.push('vrrp');
      const model: FirewalldModel = { ...m, zones: new Map([...m.zones].map(([k, v]) => [k, k === zone ? copy : v])) };
      const label = firewalldLabel(m);
      return rulesets.map((r) => (r.backend === label ? firewalldRuleset(model) : r));
    },
  };
}
