// One nftables JSON rule expression (libnftables-json(5)) as conditions and an action of the rule model,
// and as text when `nft -a list ruleset` gave none. Understood: meta l4proto/protocol/nfproto/iifname/
// oifname/iif/oif/pkttype/mark, ip/ip6 protocol/nexthdr/saddr/daddr/ttl/hoplimit, other protocols' headers
// (never a VRRP packet), ct state/status/direction/mark, fib daddr/saddr type, the fib reverse-path check,
// anonymous and named sets (prefixes, ranges), verdict maps (expanded into one rule per entry), limit and
// quota (taken as not exceeded), nat statements (end the chain like accept), notrack, mark set. Everything
// else becomes an 'unknown' condition or action naming itself.
import { protocolNumber, type Action, type Cond, type CtState } from './model.js';

export type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type Obj = { [k: string]: Json };

/** Named sets and maps of the rule's table: name → elements. */
export type SetLookup = (name: string) => Json[] | null;

function isObj(j: Json | undefined): j is Obj { return typeof j === 'object' && j !== null && !Array.isArray(j); }
function key1(o: Obj): string { return Object.keys(o)[0] ?? ''; }

/** Elements of a right-hand side: a value, an anonymous set, a named set '@x', or a flag list. */
function values(right: Json, sets: SetLookup): Json[] | null {
  if (typeof right === 'string' && right.startsWith('@')) return sets(right.slice(1));
  if (Array.isArray(right)) return right;
  if (isObj(right) && 'set' in right) return Array.isArray(right.set) ? right.set : [right.set];
  return [right];
}

/** An element's key as text: '10.0.0.0/24', 'a-b', 'eth0', '112'; null when it is something else. */
function elemText(e: Json): string | null {
  if (typeof e === 'string' || typeof e === 'number') return String(e);
  if (isObj(e)) {
    if (isObj(e.prefix)) return `${String(e.prefix.addr)}/${String(e.prefix.len)}`;
    if (Array.isArray(e.range) && e.range.length === 2) return `${String(e.range[0])}-${String(e.range[1])}`;
    if (isObj(e.elem)) return elemText(e.elem.val);
  }
  return null;
}

const OTHER_PROTOCOLS = new Set(['tcp', 'udp', 'udplite', 'sctp', 'dccp', 'icmp', 'icmpv6', 'igmp', 'esp', 'ah', 'comp', 'gre', 'arp']);

/** Conditions for `left op right` (right given as element list). */
export function keyConds(left: Json, op: string, elems: Json[] | null, text: string): Cond[] {
  const unknown: Cond[] = [{ kind: 'unknown', text }];
  if (elems === null) return unknown;
  const negate = op === '!=';
  if (op !== '==' && op !== '!=' && op !== 'in') {
    if (isObj(left) && isObj(left.payload) && (left.payload.field === 'ttl' || left.payload.field === 'hoplimit')
      && typeof elems[0] === 'number' && ['<', '>', '<=', '>='].includes(op)) {
      return [{ kind: 'family', family: left.payload.protocol === 'ip' ? 4 : 6 },
        { kind: 'ttl', op: op as '<' | '>' | '<=' | '>=', value: elems[0] }];
    }
    return unknown;
  }
  const texts = elems.map(elemText);
  if (texts.some((t) => t === null)) return unknown;
  const vals = texts as string[];
  if (!isObj(left)) return unknown;
  const k = key1(left);
  const inner = left[k];
  if (k === 'meta' && isObj(inner)) {
    const key = String(inner.key);
    if (key === 'l4proto') {
      const protos = vals.map((v) => protocolNumber(v));
      return protos.some((p) => p === null) ? unknown : [{ kind: 'proto', protos: protos as number[], negate }];
    }
    if (key === 'protocol' || key === 'nfproto') {
      const fams = vals.map((v) => (v === 'ip' || v === 'ipv4' ? 4 : v === 'ip6' || v === 'ipv6' ? 6 : 0));
      if (fams.length !== 1 || fams[0] === 0) return fams.every((f) => f !== 0) && !negate ? [] : unknown;
      return [{ kind: 'family', family: (negate ? 10 - fams[0] : fams[0]) as 4 | 6 }];
    }
    if (key === 'iifname' || key === 'oifname' || key === 'iif' || key === 'oif') {
      return [{ kind: 'iface', dir: key.startsWith('i') ? 'in' : 'out', names: vals, negate }];
    }
    if (key === 'pkttype') return [{ kind: 'pkttype', types: vals, negate }];
    if (key === 'mark' && vals.length === 1 && /^\d+$|^0x[0-9a-f]+$/i.test(vals[0])) {
      return [{ kind: 'mark', value: Number(vals[0]), mask: 0xffffffff, negate }];
    }
    return unknown;
  }
  if (k === 'payload' && isObj(inner)) {
    const proto = String(inner.protocol ?? '');
    const field = String(inner.field ?? '');
    if (proto === 'ip' || proto === 'ip6') {
      const family: 4 | 6 = proto === 'ip' ? 4 : 6;
      const fam: Cond = { kind: 'family', family };
      if (field === 'protocol' || field === 'nexthdr') {
        const protos = vals.map((v) => protocolNumber(v));
        return protos.some((p) => p === null) ? unknown : [fam, { kind: 'proto', protos: protos as number[], negate }];
      }
      if (field === 'saddr' || field === 'daddr') return [{ kind: 'addr', which: field === 'saddr' ? 'src' : 'dst', family, values: vals, negate }];
      if ((field === 'ttl' || field === 'hoplimit') && vals.length === 1 && /^\d+$/.test(vals[0])) {
        return [fam, { kind: 'ttl', op: negate ? '!=' : '==', value: Number(vals[0]) }];
      }
      return [fam, ...unknown];
    }
    if (OTHER_PROTOCOLS.has(proto)) return [{ kind: 'never', why: `${proto} ${field}: not a VRRP packet` }];
    return unknown;
  }
  if (k === 'ct' && isObj(inner)) {
    const key = String(inner.key);
    if (key === 'state') return [{ kind: 'ct', states: vals.map((v) => v.toLowerCase() as CtState), negate }];
    if (key === 'status') return [{ kind: 'assume', holds: negate, why: 'a new advert has no conntrack status flags (no NAT, not expected)' }];
    if (key === 'direction') return [{ kind: 'assume', holds: vals.includes('original') !== negate, why: 'the first advert travels in the original direction' }];
    return unknown;
  }
  if (k === 'fib' && isObj(inner) && Array.isArray(inner.flags)) {
    const flags = inner.flags.map(String);
    if (inner.result === 'type' && (flags.includes('daddr') || flags.includes('saddr'))) {
      return [{ kind: 'addrtype', which: flags.includes('daddr') ? 'dst' : 'src', types: vals, negate }];
    }
    return unknown;
  }
  return unknown;
}

/** Conditions of one `match` expression. */
export function matchConds(m: Obj, sets: SetLookup, text: string): Cond[] {
  const op = String(m.op ?? '==');
  const left = m.left ?? null;
  // the reverse-path check: 'fib saddr [. mark] . iif oif missing drop'
  if (isObj(left) && isObj(left.fib) && (left.fib.result === 'oif' || left.fib.result === 'oifname') && typeof m.right === 'boolean') {
    const missing = m.right === false;
    return [{ kind: 'assume', holds: (op === '!=') === missing, why: 'the peer is reachable through the VRRP interface (reverse-path check passes)' }];
  }
  // mark with a mask: 'meta mark & 0xff == 0x1'
  if (isObj(left) && Array.isArray(left['&']) && left['&'].length === 2 && isObj(left['&'][0]) && isObj(left['&'][0].meta)
    && left['&'][0].meta.key === 'mark' && typeof left['&'][1] === 'number' && typeof m.right === 'number') {
    return [{ kind: 'mark', value: m.right, mask: left['&'][1], negate: op === '!=' }];
  }
  return keyConds(left, op, values(m.right ?? null, sets), text);
}

/** A statement that is no verdict: conditions it adds (limit/quota), or an action (notrack, mark set). */
export function statement(e: Obj, text: string): { conds: Cond[]; action: Action | null } | 'verdict' | null {
  const k = key1(e);
  const v = e[k];
  switch (k) {
    case 'counter': case 'log': case 'comment': case 'dup': case 'last': case 'flow': case 'set': case 'map':
    case 'secmark': case 'synproxy_stmt':
      return { conds: [], action: null };
    case 'limit':
      return { conds: [{ kind: 'assume', holds: !(isObj(v) && v.inv === true), why: 'the rule\'s rate limit is not exceeded by one advert a second' }], action: null };
    case 'quota':
      return { conds: [{ kind: 'assume', holds: !(isObj(v) && v.inv === true), why: 'the rule\'s quota is not used up' }], action: null };
    case 'notrack': return { conds: [], action: { kind: 'notrack' } };
    case 'mangle': {
      const key = isObj(v) ? v.key : null;
      if (isObj(key) && isObj(key.meta) && key.meta.key === 'mark') {
        return { conds: [], action: { kind: 'setmark', value: isObj(v) && typeof v.value === 'number' ? v.value : null } };
      }
      return { conds: [], action: null };
    }
    case 'accept': case 'drop': case 'reject': case 'return': case 'jump': case 'goto': case 'continue': case 'vmap':
    case 'snat': case 'dnat': case 'masquerade': case 'redirect': case 'queue': case 'fwd': case 'tproxy': case 'synproxy':
      return 'verdict';
    case 'xt':
      if (isObj(v) && v.type === 'target') {
        const name = String(v.name);
        return ['LOG', 'NFLOG', 'MARK', 'CONNMARK', 'TTL', 'HL', 'DSCP', 'TOS', 'CLASSIFY', 'AUDIT', 'TRACE'].includes(name)
          ? { conds: [], action: null } : 'verdict';
      }
      return { conds: [{ kind: 'unknown', text: `${text} (xt match ${isObj(v) ? String(v.name) : '?'}: shown only by iptables-nft-save)` }], action: null };
    default:
      return { conds: [{ kind: 'unknown', text }], action: null };
  }
}

/** A verdict expression as an action. */
export function verdict(e: Obj): Action {
  const k = key1(e);
  const v = e[k];
  switch (k) {
    case 'accept': case 'snat': case 'dnat': case 'masquerade': case 'redirect': return { kind: 'accept' };
    case 'drop': return { kind: 'drop' };
    case 'reject': return { kind: 'reject' };
    case 'return': return { kind: 'return' };
    case 'continue': return { kind: 'continue' };
    case 'jump': case 'goto':
      return isObj(v) && typeof v.target === 'string' ? { kind: k, chain: v.target } : { kind: 'unknown', text: k };
    case 'xt':
      return isObj(v) && v.name === 'REJECT' ? { kind: 'reject' } : isObj(v) && v.name === 'DROP' ? { kind: 'drop' }
        : { kind: 'unknown', text: `xt target ${isObj(v) ? String(v.name) : '?'}` };
    default: return { kind: 'unknown', text: k };
  }
}

/** A verdict map's entries as [key elements, action]; null when not readable. */
export function vmapEntries(e: Obj, sets: SetLookup): { left: Json; entries: [Json, Action][] } | null {
  const vm = e.vmap;
  if (!isObj(vm)) return null;
  const data = vm.data;
  let list: Json[] | null;
  if (typeof data === 'string' && data.startsWith('@')) list = sets(data.slice(1));
  else if (isObj(data) && Array.isArray(data.set)) list = data.set;
  else list = null;
  if (list === null) return null;
  const entries: [Json, Action][] = [];
  for (const item of list) {
    const pair = Array.isArray(item) ? item : isObj(item) && Array.isArray(item.map) ? item.map : null;
    if (pair === null || pair.length !== 2 || !isObj(pair[1])) return null;
    entries.push([pair[0], verdict(pair[1])]);
  }
  return { left: vm.key ?? null, entries };
}

/** nft-like text of an expression (used when `nft -a list ruleset` text is not at hand). */
export function render(e: Json): string {
  if (e === null) return '';
  if (typeof e === 'string') return e;
  if (typeof e === 'number' || typeof e === 'boolean') return String(e);
  if (Array.isArray(e)) return e.map(render).join(', ');
  const k = key1(e);
  const v = e[k];
  switch (k) {
    case 'match': {
      const m = v as Obj;
      const op = m.op === '==' || m.op === 'in' ? '' : ` ${String(m.op)}`;
      return `${render(m.left ?? null)}${op} ${render(m.right ?? null)}`;
    }
    case 'meta': return ['iifname', 'oifname', 'iif', 'oif', 'mark', 'pkttype'].includes(String((v as Obj).key)) ? String((v as Obj).key) : `meta ${String((v as Obj).key)}`;
    case 'payload': return `${String((v as Obj).protocol)} ${String((v as Obj).field)}`;
    case 'ct': return `ct ${String((v as Obj).key)}`;
    case 'fib': return `fib ${((v as Obj).flags as Json[]).map(render).join(' . ')} ${String((v as Obj).result)}`;
    case 'set': return `{ ${(Array.isArray(v) ? v : [v]).map(render).join(', ')} }`;
    case 'prefix': return `${String((v as Obj).addr)}/${String((v as Obj).len)}`;
    case 'range': return `${render((v as Json[])[0])}-${render((v as Json[])[1])}`;
    case 'jump': case 'goto': return `${k} ${String((v as Obj).target)}`;
    case 'vmap': return `${render((v as Obj).key ?? null)} vmap ${render((v as Obj).data ?? null)}`;
    case 'counter': return 'counter';
    case 'xt': return `xt ${String((v as Obj).type)} ${String((v as Obj).name)}`;
    case '&': return `${render((v as Json[])[0])} & ${render((v as Json[])[1])}`;
    case 'concat': return (v as Json[]).map(render).join(' . ');
    default: return v === null ? k : `${k} ${typeof v === 'object' ? JSON.stringify(v) : String(v)}`;
  }
}
