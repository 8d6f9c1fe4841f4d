// iptables-save / ip6tables-save output (legacy or nft variant) as rule-model Rulesets, one per family.
// Tables become base chains at netfilter's fixed priorities (raw -300, mangle -150, nat -100/+100,
// filter 0, security 50). Understood: -i/-o, -s/-d (prefixes, netmasks, lists), -p (names, numbers, `!`),
// -f, -m conntrack/state, pkttype, addrtype, mark, iprange, ttl/hl, limit/hashlimit (taken as not exceeded),
// rpfilter (the peer passes), rt/frag/hbh/dst (no extension headers on an advert), comment; matches of
// other protocols (tcp, udp, icmp ...) never hold for VRRP. Targets: ACCEPT, DROP, REJECT, RETURN, user
// chains (-j/-g), CT --notrack/NOTRACK, MARK, nat targets (end the chain like ACCEPT), and non-terminating
// ones (LOG, NFLOG ...). Anything else is 'unknown'.
import { protocolNumber, type Action, type BaseChain, type Chain, type Cond, type CtState, type Hook, type Rule, type Ruleset } from './model.js';

/** Priorities of the iptables tables per hook (NF_IP_PRI_*). */
const PRIORITY: Record<string, Partial<Record<Hook, number>>> = {
  raw: { prerouting: -300, output: -300 },
  mangle: { prerouting: -150, input: -150, output: -150, postrouting: -150 },
  nat: { prerouting: -100, input: 100, output: -100, postrouting: 100 },
  filter: { input: 0, output: 0 },
  security: { input: 50, output: 50 },
};
const HOOK_OF: Record<string, Hook> = { PREROUTING: 'prerouting', INPUT: 'input', OUTPUT: 'output', POSTROUTING: 'postrouting' };

const CONTINUE_TARGETS = new Set(['LOG', 'NFLOG', 'ULOG', 'CONNMARK', 'TTL', 'HL', 'TOS', 'DSCP', 'CLASSIFY', 'AUDIT', 'TRACE',
  'CHECKSUM', 'TCPMSS', 'SECMARK', 'CONNSECMARK', 'IDLETIMER', 'LED', 'TEE', 'RATEEST', 'SET', 'ECN', 'HMARK']);
const NAT_TARGETS = new Set(['DNAT', 'SNAT', 'MASQUERADE', 'REDIRECT', 'NETMAP']);
const OTHER_PROTOCOL_MATCHES = new Set(['tcp', 'udp', 'udplite', 'icmp', 'icmp6', 'icmpv6', 'sctp', 'dccp', 'multiport', 'tcpmss', 'esp', 'ah', 'mh']);
const IGNORED_MATCHES = new Set(['comment', 'helper']);
/** IPv6 extension header matches: they need a header VRRP adverts do not carry. */
const EXTENSION_HEADER_MATCHES = new Set(['rt', 'frag', 'hbh', 'dst']);

/** Splits a rule line into words as the shell would (double quotes, backslash escapes). */
export function words(line: string): string[] {
  if (!line.includes('"')) return line.split(/[ \t]+/).filter((w) => w !== '');
  const out: string[] = [];
  let cur = '';
  let inWord = false;
  let quote = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (quote) {
      if (ch === '\\' && i + 1 < line.length) { cur += line[++i]; continue; }
      if (ch === '"') { quote = false; continue; }
      cur += ch;
    } else if (ch === '"') { quote = true; inWord = true; } else if (ch === ' ' || ch === '\t') {
      if (inWord) { out.push(cur); cur = ''; inWord = false; }
    } else { cur += ch; inWord = true; }
  }
  if (inWord) out.push(cur);
  return out;
}

interface Parsed { chain: string; conds: Cond[]; action: Action }

function addrConds(which: 'src' | 'dst', value: string, negate: boolean, family: 4 | 6): Cond {
  return { kind: 'addr', which, family, values: value.split(','), negate };
}

/** Conditions of one `-m NAME --opt ...` group. */
function moduleConds(name: string, opts: { neg: boolean; opt: string; args: string[] }[], text: string, family: 4 | 6): Cond[] {
  if (IGNORED_MATCHES.has(name)) return [];
  if (OTHER_PROTOCOL_MATCHES.has(name)) return [{ kind: 'never', why: `-m ${name}: not a VRRP packet` }];
  if (EXTENSION_HEADER_MATCHES.has(name)) return [{ kind: 'assume', holds: false, why: 'VRRP adverts carry no IPv6 extension headers (routing, fragment, hop-by-hop, destination options)' }];
  const out: Cond[] = [];
  for (const { neg, opt, args } of opts) {
    const a = args[0] ?? '';
    if ((name === 'conntrack' && opt === '--ctstate') || (name === 'state' && opt === '--state')) {
      out.push({ kind: 'ct', states: a.toLowerCase().split(',').map((s) => (s === 'untracked' ? 'untracked' : s) as CtState), negate: neg });
    } else if (name === 'conntrack' && opt === '--ctdir') {
      out.push({ kind: 'assume', holds: (a === 'ORIGINAL') !== neg, why: 'the first advert travels in the original direction' });
    } else if (name === 'conntrack' && opt === '--ctstatus') {
      out.push({ kind: 'assume', holds: neg, why: 'a new advert has no conntrack status flags (no NAT, not expected)' });
    } else if (name === 'pkttype' && opt === '--pkt-type') {
      out.push({ kind: 'pkttype', types: [a.toLowerCase()], negate: neg });
    } else if (name === 'addrtype' && (opt === '--src-type' || opt === '--dst-type')) {
      out.push({ kind: 'addrtype', which: opt === '--src-type' ? 'src' : 'dst', types: a.toLowerCase().split(','), negate: neg });
    } else if (name === 'addrtype' && (opt === '--limit-iface-in' || opt === '--limit-iface-out')) {
      continue;
    } else if (name === 'mark' && opt === '--mark') {
      const [v, m] = a.split('/');
      out.push({ kind: 'mark', value: Number(v), mask: m !== undefined ? Number(m) : 0xffffffff, negate: neg });
    } else if (name === 'iprange' && (opt === '--src-range' || opt === '--dst-range')) {
      out.push(addrConds(opt === '--src-range' ? 'src' : 'dst', a, neg, family));
    } else if ((name === 'ttl' || name === 'hl') && /^--(ttl|hl)-(eq|lt|gt)$/.test(opt)) {
      const op = opt.endsWith('eq') ? (neg ? '!=' : '==') : opt.endsWith('lt') ? '<' : '>';
      out.push({ kind: 'ttl', op, value: Number(a) });
    } else if (name === 'limit' || name === 'hashlimit') {
      if (!out.some((c) => c.kind === 'assume')) out.push({ kind: 'assume', holds: true, why: 'the rule\'s rate limit is not exceeded by one advert a second' });
    } else if (name === 'rpfilter') {
      continue;
    } else {
      return [{ kind: 'unknown', text }];
    }
  }
  if (name === 'rpfilter') {
    const invert = opts.some((o) => o.opt === '--invert');
    out.push({ kind: 'assume', holds: !invert, why: 'the peer is reachable through the VRRP interface (reverse-path check passes)' });
  }
  if (out.length === 0 && name !== 'limit' && name !== 'hashlimit') return [{ kind: 'unknown', text }];
  return out;
}

function targetAction(target: string, args: string[], chains: Set<string>, goto: boolean): Action {
  if (goto) return { kind: 'goto', chain: target };
  switch (target) {
    case 'ACCEPT': return { kind: 'accept' };
    case 'DROP': return { kind: 'drop' };
    case 'REJECT': return { kind: 'reject' };
    case 'RETURN': return { kind: 'return' };
    case 'NOTRACK': return { kind: 'notrack' };
    case 'CT': return args.includes('--notrack') ? { kind: 'notrack' } : { kind: 'continue' };
    case 'MARK': {
      const i = args.findIndex((x) => x === '--set-mark' || x === '--set-xmark');
      const v = i >= 0 ? args[i + 1]?.split('/') : undefined;
      return { kind: 'setmark', value: v !== undefined && (v[1] === undefined || Number(v[1]) === 0xffffffff) ? Number(v[0]) : null };
    }
  }
  if (NAT_TARGETS.has(target)) return { kind: 'accept' };
  if (CONTINUE_TARGETS.has(target)) return { kind: 'continue' };
  if (chains.has(target)) return { kind: 'jump', chain: target };
  return { kind: 'unknown', text: `-j ${target}` };
}

/** One `-A CHAIN ...` line. */
export function parseRule(line: string, family: 4 | 6, chains: Set<string>): Parsed | null {
  const w = words(line.replace(/^\[\d+:\d+\]\s*/, ''));
  if (w[0] !== '-A' || w.length < 2) return null;
  const chain = w[1];
  const conds: Cond[] = [];
  let action: Action = { kind: 'continue' };
  let i = 2;
  let neg = false;
  while (i < w.length) {
    const t = w[i++];
    if (t === '!') { neg = true; continue; }
    const arg = w[i];
    switch (t) {
      case '-i': case '--in-interface': case '-o': case '--out-interface':
        conds.push({ kind: 'iface', dir: t.startsWith('-i') || t === '--in-interface' ? 'in' : 'out', names: [arg], negate: neg }); i++; break;
      case '-s': case '--source': case '-d': case '--destination':
        conds.push(addrConds(t === '-s' || t === '--source' ? 'src' : 'dst', arg, neg, family)); i++; break;
      case '-p': case '--protocol': {
        i++;
        if (arg === 'all' || arg === '0') { if (neg) conds.push({ kind: 'never', why: '! -p all' }); break; }
        const p = protocolNumber(arg);
        conds.push(p === null ? { kind: 'unknown', text: `-p ${arg}` } : { kind: 'proto', protos: [p], negate: neg });
        break;
      }
      case '-f': case '--fragment':
        conds.push({ kind: 'assume', holds: neg, why: 'VRRP adverts are never fragmented' }); break;
      case '-c': i += 2; break;
      case '-m': case '--match': {
        i++;
        const opts: { neg: boolean; opt: string; args: string[] }[] = [];
        let n = false;
        while (i < w.length && (w[i].startsWith('--') || (w[i] === '!' && w[i + 1]?.startsWith('--') === true))) {
          if (w[i] === '!') { n = true; i++; continue; }
          const opt = w[i++];
          const args: string[] = [];
          while (i < w.length && !w[i].startsWith('-') && w[i] !== '!') args.push(w[i++]);
          // a lone '-' can be a value (e.g. a negative number is not used by matches we read)
          opts.push({ neg: n, opt, args });
          n = false;
        }
        const text = `-m ${arg} ${opts.map((o) => `${o.neg ? '! ' : ''}${o.opt} ${o.args.join(' ')}`.trim()).join(' ')}`.trim();
        conds.push(...moduleConds(arg, opts, text, family));
        break;
      }
      case '-j': case '--jump': case '-g': case '--goto': {
        i++;
        const args: string[] = [];
        while (i < w.length && !(w[i] === '-m' || w[i] === '-j' || w[i] === '-g')) args.push(w[i++]);
        action = targetAction(arg, args, chains, t === '-g' || t === '--goto');
        break;
      }
      default:
        conds.push({ kind: 'unknown', text: `${neg ? '! ' : ''}${t}${arg !== undefined && !arg.startsWith('-') ? ' ' + arg : ''}` });
        if (arg !== undefined && !arg.startsWith('-')) i++;
    }
    neg = false;
  }
  return { chain, conds, action };
}

export interface IptablesSection { family: 4 | 6; backend: string; text: string }

/** Splits a dump into sections by its "# Generated by ip6tables-save ..." headers. */
export function sections(text: string, fallback: { family: 4 | 6; backend: string }): IptablesSection[] {
  const out: IptablesSection[] = [];
  let cur: IptablesSection = { ...fallback, text: '' };
  for (const line of text.split('\n')) {
    const m = /^# Generated by (ip6?tables)(-legacy|-nft)?-save v[\d.]+( \(([a-z_]+)\))?/.exec(line);
    if (m !== null) {
      if (cur.text.trim() !== '') out.push(cur);
      const nft = m[2] === '-nft' || m[4] === 'nf_tables';
      const legacy = m[2] === '-legacy' || m[4] === 'legacy';
      cur = { family: m[1] === 'ip6tables' ? 6 : 4, backend: `${m[1]}${nft ? '-nft' : legacy ? '-legacy' : fallback.backend.replace(/^ip6?tables/, '')}`, text: '' };
      continue;
    }
    cur.text += line + '\n';
  }
  if (cur.text.trim() !== '') out.push(cur);
  return out;
}

/** One family's iptables-save text as a Ruleset. */
export function readIptablesSave(text: string, family: 4 | 6, backend: string): Ruleset {
  const rs: Ruleset = { backend, chains: new Map(), base: [] };
  let table = '';
  let policies = new Map<string, string>();
  let lines: string[] = [];
  const flush = (): void => {
    const names = new Set(policies.keys());
    const rules = new Map<string, Rule[]>();
    for (const n of names) rules.set(n, []);
    for (const line of lines) {
      const p = parseRule(line, family, names);
      if (p === null) continue;
      const list = rules.get(p.chain) ?? [];
      list.push({ index: list.length + 1, handle: null, text: line.replace(/^\[\d+:\d+\]\s*/, ''), conds: p.conds,
        action: p.action.kind === 'jump' || p.action.kind === 'goto' ? { ...p.action, chain: `${table} ${p.action.chain}` } : p.action });
      rules.set(p.chain, list);
    }
    for (const [name, list] of rules) {
      const pol = policies.get(name) ?? '-';
      const chain: Chain = { id: `${table} ${name}`, name, rules: list, policy: pol === 'DROP' ? 'drop' : pol === '-' ? null : 'accept' };
      rs.chains.set(chain.id, chain);
      const hook = HOOK_OF[name];
      const prio = hook !== undefined ? PRIORITY[table]?.[hook] : undefined;
      if (hook !== undefined && prio !== undefined && pol !== '-') {
        const b: BaseChain = { chain, hook, priority: prio, families: [family], device: null,
          where: { backend, tool: 'iptables', family: family === 4 ? 'iptables' : 'ip6tables', table, chain: name } };
        rs.base.push(b);
      }
    }
  };
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    if (line.startsWith('*')) { table = line.slice(1); policies = new Map(); lines = []; continue; }
    if (line === 'COMMIT') { flush(); continue; }
    const m = /^:(\S+) (\S+)/.exec(line);
    if (m !== null) { policies.set(m[1], m[2]); continue; }
    if (line.startsWith('-A ') || /^\[\d+:\d+\] -A /.test(line)) lines.push(line);
  }
  return rs;
}

/** Does this text look like iptables-save output? */
export function looksLikeIptablesSave(text: string): boolean {
  return /^\*(filter|raw|mangle|nat|security)\s*$/m.test(text) && /^COMMIT\s*$/m.test(text);
}
