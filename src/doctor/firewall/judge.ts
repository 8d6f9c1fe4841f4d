// One VRRP path through the rulesets found: the verdict, what decided it, the evidence (assumptions, rules
// not understood and whether they could change the verdict), and the fixes — found by applying each fix to
// the model and evaluating again until the path is accepted (at most MAX_FIXES steps). Pure.
import { parseAddress } from './address.js';
import type { PathVerdict, VrrpPath } from './contract.js';
import { evaluatePacket, type Outcome, type Packet } from './evaluate.js';
import { fixFor, type Fix, type FixContext } from './fixes.js';
import type { Ruleset } from './model.js';

const MAX_FIXES = 4;

export function packetOf(path: VrrpPath, ct: Packet['ct'] = 'new'): Packet {
  const addr = (s: string | null) => (s === null ? null : parseAddress(s));
  const dst = path.direction === 'in' ? path.group ?? path.local : path.group ?? path.peer;
  const src = path.direction === 'in' ? path.peer : path.local;
  return { family: path.family, direction: path.direction, iface: path.iface, src: addr(src), dst: addr(dst), multicast: path.group !== null, ct };
}

const MAY = 'may match, taken as ';

function describe(path: VrrpPath): string {
  const peer = path.peer ?? 'any source';
  return path.direction === 'in' ? `VRRP from ${peer} to ${path.group ?? path.local ?? 'this node'} on ${path.iface}`
    : `VRRP from this node to ${path.group ?? path.peer ?? '?'} on ${path.iface}`;
}

/** The accepting rules of an accepted outcome, policies only when nothing else accepted. */
function acceptedBy(o: Outcome): string {
  const rules = o.accepts.filter((a) => !/ policy (accept|ACCEPT)$/.test(a));
  if (o.accepts.length === 0) return 'no firewall chain on the path';
  return rules.length > 0 ? rules.join('; then ') : `no rule stops it: ${o.accepts.join(', ')}`;
}

function verdictOf(path: VrrpPath, outcomes: Outcome[]): Pick<PathVerdict, 'verdict' | 'decidedBy' | 'evidence'> {
  const primary = outcomes[0];
  const kinds = new Set(outcomes.map((o) => o.verdict));
  const evidence: string[] = [`${describe(path)}, first advert (conntrack NEW)`];
  const assumptions = new Set<string>();
  const uncertain = new Set<string>();
  for (const o of outcomes) {
    for (const a of o.assumed) {
      if (a.startsWith(MAY)) uncertain.add(a.slice(a.indexOf(': ') + 2));
      else assumptions.add(a);
    }
  }
  for (const a of assumptions) evidence.push(`assumed: ${a}`);
  const passed = primary.accepts.filter((a) => / policy (accept|ACCEPT)$/.test(a));
  if (primary.verdict === 'accepted' && passed.length > 0 && passed.length < primary.accepts.length) evidence.push(`also passed: ${passed.join(', ')}`);
  if (kinds.size === 1) {
    for (const u of uncertain) evidence.push(`may or may not match (the verdict is the same either way): ${u}`);
    return { verdict: primary.verdict, decidedBy: primary.verdict === 'accepted' ? acceptedBy(primary) : primary.decidedBy, evidence };
  }
  const deciding = [...uncertain];
  for (const k of kinds) {
    const o = outcomes.find((x) => x.verdict === k)!;
    const taken = o.assumed.filter((a) => a.startsWith(MAY + 'matching')).map((a) => a.slice(a.indexOf(': ') + 2));
    evidence.push(`${k} ${taken.length > 0 ? 'if ' + taken.join(' and ') + ' matches' : 'if none of them matches'}: ${k === 'accepted' ? acceptedBy(o) : o.decidedBy}`);
  }
  return { verdict: 'unknown', decidedBy: `depends on ${deciding.length === 1 ? 'a rule' : 'rules'} vrrpwatch cannot judge: ${deciding.join(' | ')}`, evidence };
}

/** The verdict for one path, with fixes when it is not accepted. */
export function judgePath(path: VrrpPath, rulesets: Ruleset[], ctx: FixContext): PathVerdict {
  const pkt = packetOf(path);
  const outcomes = evaluatePacket(pkt, rulesets);
  const v = verdictOf(path, outcomes);
  if (v.verdict === 'accepted') return { path, ...v, fixes: [] };
  if (path.direction === 'in' && path.group === null && (v.verdict === 'dropped' || v.verdict === 'rejected')) {
    const later = evaluatePacket(packetOf(path, 'established'), rulesets);
    if (later.every((o) => o.verdict === 'accepted')) {
      v.evidence.push('accepted once conntrack has an entry (ESTABLISHED: after this node sent an advert to the peer), so each start of the backup or conntrack flush still gives a brief dual master: the rule is needed all the same');
    }
  }
  const fixes: Fix[] = [];
  let rs = rulesets;
  let stepBase = rulesets;   // the rulesets before the last fix (a firewalld retry replaces it)
  for (let step = 0; step < MAX_FIXES; step++) {
    const bad = evaluatePacket(pkt, rs).find((o) => o.verdict !== 'accepted');
    if (bad === undefined) break;
    const prev = fixes[fixes.length - 1];
    const retry = prev !== undefined && prev.tool === 'firewalld' && bad.base?.where.tool === 'firewalld';
    const s = fixFor(path, bad, retry ? stepBase : rs, ctx, retry ? 1 : 0);
    if (s === null) break;
    // the same fix again: it did not help (an uncertain rule before it, say); the evidence says so below
    if (!retry && fixes.some((f) => f.commands.join('\n') === s.fix.commands.join('\n'))) break;
    if (retry) fixes.pop(); else stepBase = rs;
    fixes.push(s.fix);
    rs = s.next;
  }
  const after = evaluatePacket(pkt, rs).find((o) => o.verdict !== 'accepted');
  if (after !== undefined && fixes.length > 0) v.evidence.push(`with the fixes below applied the ruleset would still not accept it: ${after.decidedBy}`);
  return { path, ...v, fixes };
}
