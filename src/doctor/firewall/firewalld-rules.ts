// firewalld's zone model as the rule model, the way firewalld's nftables backend lays it out
// (src/firewall/core/nftables.py): filter_INPUT accepts established/related and loopback, drops invalid,
// sends each packet to its zone (sources first, then interfaces, then the default zone), and rejects
// what the zone leaves (target default). A zone's chain holds rich rules with priority < 0 (in priority
// order), then at priority 0 the deny rules, then the allow rules with services and protocols, then rich
// rules with priority > 0, then its target. Also the zone a path lands in, and the model with a fix applied.
import type { VrrpPath } from './contract.js';
import { addressIn, parseAddress } from './address.js';
import type { FirewalldFixInfo } from './fixes.js';
import type { FirewalldModel, RichRule, Zone } from './firewalld.js';
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

function zoneChain(z: Zone, m: FirewalldModel): Chain {
  const rules: Rule[] = [];
  const add = (text: string, conds: Cond[], action: Action, index = rules.length + 1) => rules.push({ index, handle: null, text, conds, action });
  const rich = (r: RichRule) => add(r.text, richConds(r, m), r.action === 'accept' ? { kind: 'accept' } : r.action === 'drop' ? { kind: 'drop' } : r.action === 'reject' ? { kind: 'reject' } : { kind: 'continue' });
  const byPriority = (a: RichRule, b: RichRule) => a.priority - b.priority;
  z.rules.filter((r) => r.priority < 0).sort(byPriority).forEach(rich);
  z.rules.filter((r) => r.priority === 0 && (r.action === 'drop' || r.action === 'reject')).forEach(rich);
  z.rules.filter((r) => r.priority === 0 && r.action === 'accept').forEach(rich);
  for (const s of z.services) add(`service ${s}${m.services.has(s) ? ` (protocols: ${m.services.get(s)!.join(' ') || 'none'})` : ''}`, protoConds(s, m, 'service'), { kind: 'accept' });
  for (const p of z.protocols) add(`protocol ${p}`, protoConds(p, m, 'protocol'), { kind: 'accept' });
  z.rules.filter((r) => r.priority > 0).sort(byPriority).forEach(rich);
  const t = z.target.toUpperCase();
  if (t === 'ACCEPT') add('target ACCEPT accepts what no rule decided', [], { kind: 'accept' }, 0);
  else if (t === 'DROP') add('no rule accepts vrrp; target DROP drops it', [], { kind: 'drop' }, 0);
  else add(`no rule accepts vrrp; target ${z.target === '%%REJECT%%' ? '%%REJECT%%' : 'default'} rejects it`, [], { kind: 'reject' }, 0);
  return { id: zoneId(z), name: z.name, rules, policy: null };
}

/** The firewalld model as a Ruleset (one base chain on input; firewalld filters no output by default). */
export function firewalldRuleset(m: FirewalldModel): Ruleset {
  const label = firewalldLabel(m);
  const chains = new Map<string, Chain>();
  const dispatch: Rule[] = [];
  const zones = [...m.zones.values()];
  for (const z of zones) chains.set(zoneId(z), zoneChain(z, m));
  for (const z of zones) {
    for (const s of z.sources) {
      const fam = parseAddress(s.split('/')[0])?.family;
      const conds: Cond[] = fam === undefined ? [{ kind: 'unknown', text: `source ${s}` }] : [{ kind: 'addr', which: 'src', family: fam, values: [s], negate: false }];
      dispatch.push({ index: dispatch.length + 1, handle: null, text: `source ${s} → zone ${z.name}`, conds, action: { kind: 'goto', chain: zoneId(z) } });
    }
  }
  for (const z of zones) {
    for (const i of z.interfaces) {
      dispatch.push({ index: dispatch.length + 1, handle: null, text: `interface ${i} → zone ${z.name}`, conds: [{ kind: 'iface', dir: 'in', names: [i], negate: false }], action: { kind: 'goto', chain: zoneId(z) } });
    }
  }
  const def = m.zones.get(m.defaultZone);
  if (def !== undefined) dispatch.push({ index: dispatch.length + 1, handle: null, text: `any other interface → default zone ${def.name}`, conds: [], action: { kind: 'goto', chain: zoneId(def) } });
  chains.set('filter_INPUT_ZONES', { id: 'filter_INPUT_ZONES', name: 'filter_INPUT_ZONES', rules: dispatch, policy: null });
  const input: Rule[] = [
    { index: 1, handle: null, text: 'ct state established,related accept', conds: [{ kind: 'ct', states: ['established', 'related'], negate: false }], action: { kind: 'accept' } },
    { index: 2, handle: null, text: 'iifname "lo" accept', conds: [{ kind: 'iface', dir: 'in', names: ['lo'], negate: false }], action: { kind: 'accept' } },
    { index: 3, handle: null, text: 'ct state invalid drop', conds: [{ kind: 'ct', states: ['invalid'], negate: false }], action: { kind: 'drop' } },
    { index: 4, handle: null, text: 'jump filter_INPUT_ZONES', conds: [], action: { kind: 'jump', chain: 'filter_INPUT_ZONES' } },
    { index: 5, handle: null, text: 'reject with icmpx admin-prohibited', conds: [], action: { kind: 'reject' } },
  ];
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
