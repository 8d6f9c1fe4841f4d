// First-match evaluation of one VRRP packet through every base chain it meets, in netfilter's order.
// 'in' meets ingress (its device), prerouting, input; 'out' meets output, postrouting. Base chains of all
// rulesets (nftables tables, iptables-legacy tables, firewalld, ufw) on one hook run by priority: a drop or
// reject anywhere is final, an accept ends only its own base chain. A condition the model cannot judge
// ('maybe') forks the walk: both branches are followed (not-matching first, so the first outcome is the
// one where every uncertain rule stays out of the way), and the verdict is 'unknown' only when the branches
// disagree. Pure: no I/O; bounded (MAX_OUTCOMES branches, MAX_DEPTH nested jumps).
import { addressIn, type Address } from './address.js';
import {
  ifaceMatches, VRRP_PROTOCOL,
  type BaseChain, type Chain, type Cond, type CtState, type Hook, type Rule, type Ruleset, type Tri,
} from './model.js';

const MAX_OUTCOMES = 64;
const MAX_DEPTH = 32;
/** netfilter's conntrack runs at priority -200 on prerouting and output: before it there is no ct state. */
const CONNTRACK_PRIORITY = -200;

export interface Packet {
  family: 4 | 6;
  direction: 'in' | 'out';
  iface: string;
  /** null: unknown (any sender, or this node's address not given). */
  src: Address | null;
  dst: Address | null;
  multicast: boolean;
  /** Conntrack state the packet arrives with ('new' for the first advert). */
  ct: CtState;
}

interface State { ct: CtState; mark: number | null }

/** Where and how a branch ended. */
export interface Outcome {
  verdict: 'accepted' | 'dropped' | 'rejected' | 'unknown';
  /** The deciding rule or policy, as text with its place. */
  decidedBy: string;
  /** For a drop/reject/unknown: the base chain it happened in and the top-level rule (null: the policy). */
  base: BaseChain | null;
  topRule: Rule | null;
  /** The chain holding the deciding rule (null: a policy, or accepted). */
  ruleChain: Chain | null;
  /** Rules taken as matching or not, and assumptions made on the way. */
  assumed: string[];
  /** The accepting rule of each base chain passed (accepted outcomes). */
  accepts: string[];
}

const HOOKS: Record<'in' | 'out', Hook[]> = { in: ['ingress', 'prerouting', 'input'], out: ['output', 'postrouting'] };

/** The base chains a packet meets, in the order netfilter runs them. */
export function chainsFor(pkt: Packet, rulesets: Ruleset[]): BaseChain[] {
  const hooks = HOOKS[pkt.direction];
  const all = rulesets.flatMap((r) => r.base).filter((b) => hooks.includes(b.hook) && b.families.includes(pkt.family)
    && (b.device === null || b.device === pkt.iface));
  return all.map((b, i) => ({ b, i }))
    .sort((x, y) => hooks.indexOf(x.b.hook) - hooks.indexOf(y.b.hook) || x.b.priority - y.b.priority || x.i - y.i)
    .map((x) => x.b);
}

export function ruleText(b: BaseChain, chain: Chain, rule: Rule): string {
  const prefix = chain === b.chain ? label(b) : `${b.where.backend} ${chain.id}`;
  if (rule.index === 0) return `${prefix}: ${rule.text}`;   // a rule the reader made up to say what a tool does
  return `${prefix} rule ${rule.index}${rule.handle !== null ? ` (handle ${rule.handle})` : ''}: ${rule.text}`;
}

export function label(b: BaseChain): string { return `${b.where.backend} ${b.chain.id}`; }

function one(v: boolean, negate: boolean): Tri { return v !== negate; }

/** A condition's value for this packet; `why` receives an assumption worth naming. */
function test(c: Cond, pkt: Packet, st: State, priority: number, why: (s: string) => void): Tri {
  switch (c.kind) {
    case 'proto': return one(c.protos.includes(VRRP_PROTOCOL), c.negate);
    case 'family': return c.family === pkt.family;
    case 'iface': {
      if (c.dir === pkt.direction && pkt.iface === '') return 'maybe';   // the instance names no interface
      const name = c.dir === pkt.direction ? pkt.iface : '';
      return one(c.names.some((n) => ifaceMatches(n, name)), c.negate);
    }
    case 'addr': {
      if (c.family !== pkt.family) return false;   // an ip/ip6 match implies its family, negated or not
      const a = c.which === 'src' ? pkt.src : pkt.dst;
      if (a === null) return 'maybe';
      let unreadable = false;
      for (const v of c.values) {
        const r = addressIn(a, v);
        if (r === true) return !c.negate;
        if (r === null) unreadable = true;
      }
      return unreadable ? 'maybe' : c.negate;
    }
    case 'ct': {
      if (priority < CONNTRACK_PRIORITY && st.ct !== 'untracked') return 'maybe';
      return one(c.states.includes(st.ct), c.negate);
    }
    case 'pkttype': {
      if (pkt.direction === 'out') return 'maybe';
      return one(c.types.includes(pkt.multicast ? 'multicast' : 'host'), c.negate);
    }
    case 'addrtype': {
      let type: string | null;
      if (c.which === 'dst') type = pkt.multicast ? 'multicast' : pkt.direction === 'in' ? 'local' : 'unicast';
      else type = pkt.direction === 'out' ? 'local' : pkt.src !== null ? 'unicast' : null;
      if (type === null) return 'maybe';
      return one(c.types.includes(type), c.negate);
    }
    case 'mark': return st.mark === null ? 'maybe' : one((st.mark & c.mask) === (c.value & c.mask), c.negate);
    case 'ttl': {
      const v = 255;   // VRRP adverts are sent with TTL / hop limit 255 (RFC 5798 5.1.1.3)
      const r = c.op === '==' ? v === c.value : c.op === '!=' ? v !== c.value : c.op === '<' ? v < c.value
        : c.op === '>' ? v > c.value : c.op === '<=' ? v <= c.value : v >= c.value;
      return r;
    }
    case 'never': return false;
    case 'assume': why(c.why); return c.holds;
    case 'unknown': return 'maybe';
  }
}

function matches(rule: Rule, pkt: Packet, st: State, priority: number, why: (s: string) => void): Tri {
  let result: Tri = true;
  for (const c of rule.conds) {
    const v = test(c, pkt, st, priority, why);
    if (v === false) return false;
    if (v === 'maybe') result = 'maybe';
  }
  return result;
}

interface Frame { chain: Chain; idx: number }

/** One walk through a base chain; `forced`: the rule at the top frame's idx is taken as matching. */
interface Branch { frames: Frame[]; top: Rule | null; st: State; assumed: string[]; forced: boolean }

type End = (br: Branch, verdict: Outcome['verdict'], decidedBy: string) => void;

/** Outcomes of one base chain for a packet in state `st0`, the not-matching-first walk first. */
function runBase(b: BaseChain, chains: Map<string, Chain>, pkt: Packet, st0: State, assumed0: string[],
  out: { o: Outcome; st: State }[]): void {
  const stack: Branch[] = [{ frames: [{ chain: b.chain, idx: 0 }], top: null, st: { ...st0 }, assumed: [...assumed0], forced: false }];
  const end: End = (br, verdict, decidedBy) => {
    const fr = br.frames[br.frames.length - 1];
    out.push({ o: { verdict, decidedBy, base: b, topRule: br.top, ruleChain: br.top === null ? null : fr.chain, assumed: br.assumed, accepts: [] }, st: br.st });
  };
  const first = out.length;
  while (stack.length > 0) {
    const br = stack.pop()!;
    for (;;) {
      if (out.length - first + stack.length >= MAX_OUTCOMES) {
        end(br, 'unknown', `${label(b)}: too many rules that may or may not match to follow them all`);
        break;
      }
      const fr = br.frames[br.frames.length - 1];
      if (fr.idx >= fr.chain.rules.length) {
        if (br.frames.length > 1) { br.frames.pop(); continue; }
        const pol = b.chain.policy ?? 'accept';
        br.top = null;
        end(br, pol === 'drop' ? 'dropped' : 'accepted', `${label(b)} policy ${b.where.tool === 'iptables' || b.where.tool === 'ufw' ? pol.toUpperCase() : pol}`);
        break;
      }
      const rule = fr.chain.rules[fr.idx++];
      if (br.frames.length === 1) br.top = rule;
      const why: string[] = [];
      let m: Tri;
      if (br.forced) { m = true; br.forced = false; } else m = matches(rule, pkt, br.st, b.priority, (s) => why.push(s));
      if (m === false) continue;
      const text = ruleText(b, fr.chain, rule);
      for (const w of why) if (!br.assumed.includes(w)) br.assumed.push(w);
      if (m === 'maybe' && rule.action.kind === 'jump' && inert(rule.action.chain, chains, pkt, br.st, b.priority, 0)) continue;
      if (m === 'maybe' && rule.action.kind !== 'continue') {
        // follow "does not match" now; "matches" later, from a copy waiting on the stack
        const last = br.frames.length - 1;
        stack.push({ frames: br.frames.map((f, i) => ({ chain: f.chain, idx: i === last ? f.idx - 1 : f.idx })),
          top: br.top, st: { ...br.st }, assumed: [...br.assumed, `may match, taken as matching: ${text}`], forced: true });
        br.assumed.push(`may match, taken as not matching: ${text}`);
        continue;
      }
      if (!applyAction(br, rule, text, chains, end)) break;
    }
  }
}

/**
 * Does a jump into this chain surely come back with nothing decided or changed for this packet (every rule
 * in it, and in the chains it jumps to, either cannot match or only counts/logs/returns)? Then whether the
 * jump happens does not matter, and a jump that may or may not match needs no fork (kube-proxy-style rule
 * sets jump to hundreds of chains on ipset matches).
 */
function inert(id: string, chains: Map<string, Chain>, pkt: Packet, st: State, priority: number, depth: number): boolean {
  const chain = chains.get(id);
  if (chain === undefined || depth >= MAX_DEPTH) return false;
  for (const rule of chain.rules) {
    const m = matches(rule, pkt, st, priority, () => {});
    if (m === false) continue;
    const a = rule.action;
    if (a.kind === 'continue') continue;
    if (a.kind === 'return') { if (m === true) return true; continue; }
    if (a.kind === 'jump' && inert(a.chain, chains, pkt, st, priority, depth + 1)) continue;
    return false;
  }
  return true;
}

/** Applies a matched rule's action; false when the branch ended. */
function applyAction(br: Branch, rule: Rule, text: string, chains: Map<string, Chain>, end: End): boolean {
  const a = rule.action;
  switch (a.kind) {
    case 'accept': end(br, 'accepted', text); return false;
    case 'drop': end(br, 'dropped', text); return false;
    case 'reject': end(br, 'rejected', text); return false;
    case 'continue': return true;
    case 'notrack': br.st.ct = 'untracked'; return true;
    case 'setmark': br.st.mark = a.value; return true;
    case 'unknown': end(br, 'unknown', `${text} (a verdict vrrpwatch cannot judge: ${a.text})`); return false;
    case 'return':
      if (br.frames.length > 1) br.frames.pop();
      else br.frames[0].idx = Number.MAX_SAFE_INTEGER;   // return in a base chain: its policy decides
      return true;
    case 'jump':
    case 'goto': {
      const target = chains.get(a.chain);
      if (target === undefined) { end(br, 'unknown', `${text} (chain ${a.chain} not found)`); return false; }
      if (br.frames.length >= MAX_DEPTH) { end(br, 'unknown', `${text} (jumps nested too deep: a loop?)`); return false; }
      if (a.kind === 'goto') {
        // goto: the target returns to our caller; from a base chain, to the base chain's policy
        if (br.frames.length > 1) br.frames.pop();
        else br.frames[0].idx = Number.MAX_SAFE_INTEGER;
      }
      br.frames.push({ chain: target, idx: 0 });
      return true;
    }
  }
}

/** Every outcome of the packet through all base chains it meets; the first is the primary walk. */
export function evaluatePacket(pkt: Packet, rulesets: Ruleset[]): Outcome[] {
  const owner = new Map<BaseChain, Map<string, Chain>>();
  for (const r of rulesets) for (const b of r.base) owner.set(b, r.chains);
  let pending: { st: State; assumed: string[]; accepts: string[] }[] = [{ st: { ct: pkt.ct, mark: 0 }, assumed: [], accepts: [] }];
  const finals: Outcome[] = [];
  for (const b of chainsFor(pkt, rulesets)) {
    const next: typeof pending = [];
    for (const p of pending) {
      const out: { o: Outcome; st: State }[] = [];
      runBase(b, owner.get(b)!, pkt, p.st, p.assumed, out);
      for (const { o, st } of out) {
        if (o.verdict === 'accepted') next.push({ st, assumed: o.assumed, accepts: [...p.accepts, o.decidedBy] });
        else finals.push({ ...o, accepts: p.accepts });
      }
    }
    pending = next.slice(0, MAX_OUTCOMES);
    if (next.length > MAX_OUTCOMES) {
      finals.push({ verdict: 'unknown', decidedBy: `${label(b)}: too many rules that may or may not match to follow them all`,
        base: b, topRule: null, ruleChain: null, assumed: [], accepts: [] });
    }
  }
  for (const p of pending) {
    finals.push({ verdict: 'accepted', decidedBy: p.accepts.length > 0 ? p.accepts.join('; then ') : 'no firewall chain on the path',
      base: null, topRule: null, ruleChain: null, assumed: p.assumed, accepts: p.accepts });
  }
  // the primary walk (every uncertain rule not matching) is the first outcome of each chain's first walk
  return finals.sort((x, y) => primaryRank(x) - primaryRank(y));
}

function primaryRank(o: Outcome): number {
  return o.assumed.some((a) => a.startsWith('may match, taken as matching')) ? 1 : 0;
}
