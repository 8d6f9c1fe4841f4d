// `nft -j list ruleset` output as rule-model Rulesets: one for the nftables tables, and one per
// iptables-nft family when those tables show up (ip/ip6 tables named filter, raw, mangle, nat, security
// holding upper-case built-in chains). Rule text comes from `nft -a list ruleset` when given (matched by
// table, chain and handle), otherwise it is rendered from the JSON. Hooks other than ingress, prerouting,
// input, output and postrouting (forward, bridge, arp) are left out: no VRRP advert to or from this node
// passes them.
import type { BaseChain, Chain, Hook, Rule, Ruleset } from './model.js';
import { matchConds, keyConds, render, statement, verdict, vmapEntries, type Json, type SetLookup } from './nft-expr.js';

type Obj = { [k: string]: Json };
function isObj(j: Json | undefined): j is Obj { return typeof j === 'object' && j !== null && !Array.isArray(j); }

const HOOKS = new Set<Hook>(['ingress', 'prerouting', 'input', 'output', 'postrouting']);
const IPTABLES_TABLES = new Set(['filter', 'raw', 'mangle', 'nat', 'security']);
const IPTABLES_CHAINS = new Set(['PREROUTING', 'INPUT', 'FORWARD', 'OUTPUT', 'POSTROUTING']);

/** Named priorities nft may print (nft(8) "PRIORITY"); numbers pass through. */
const PRIORITY_NAMES: Record<string, number> = { raw: -300, mangle: -150, dstnat: -100, filter: 0, security: 50, srcnat: 100 };

export interface NftReadOptions {
  /** Text of each rule by `${family} ${table} ${chain} ${handle}` (from `nft -a list ruleset`). */
  texts?: Map<string, string>;
  /** Tables to leave out ('inet firewalld' when firewalld's own model is evaluated instead, iptables-nft tables read from iptables-nft-save). */
  skip?: (family: string, table: string) => boolean;
}

export interface NftReadResult {
  rulesets: Ruleset[];
  /** Tables that look like iptables-nft's ('ip filter', 'ip6 raw' ...). */
  iptablesNftTables: string[];
  notes: string[];
}

/** Is this table one iptables-nft made? */
export function isIptablesNftTable(family: string, name: string, chainNames: string[]): boolean {
  return (family === 'ip' || family === 'ip6') && IPTABLES_TABLES.has(name) && chainNames.some((c) => IPTABLES_CHAINS.has(c));
}

/** Rule texts from `nft -a list ruleset`: key `${family} ${table} ${chain} ${handle}`. */
export function rulesFromListing(text: string): Map<string, string> {
  const map = new Map<string, string>();
  let table = '';
  let chain = '';
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    let m = /^table (\S+) (\S+) \{/.exec(line);
    if (m !== null) { table = `${m[1]} ${m[2]}`; chain = ''; continue; }
    m = /^chain (\S+) \{/.exec(line);
    if (m !== null) { chain = m[1]; continue; }
    m = /^(.*?)\s*# handle (\d+)$/.exec(line);
    if (m !== null && chain !== '' && !/^(type|policy) /.test(m[1]) && !/^(set|map|chain|table) /.test(m[1])) {
      map.set(`${table} ${chain} ${m[2]}`, m[1].replace(/ counter packets \d+ bytes \d+/g, ' counter').replace(/^counter packets \d+ bytes \d+/, 'counter'));
    }
  }
  return map;
}

function priorityOf(p: Json | undefined): number {
  if (typeof p === 'number') return p;
  if (typeof p === 'string') {
    const m = /^(\w+)\s*([+-])?\s*(\d+)?$/.exec(p.trim());
    if (m !== null && m[1] in PRIORITY_NAMES) return PRIORITY_NAMES[m[1]] + (m[2] === '-' ? -1 : 1) * Number(m[3] ?? 0);
    if (/^-?\d+$/.test(p.trim())) return Number(p);
  }
  return 0;
}

/** Rules of one nft rule object (a verdict map becomes one rule per entry). */
function rulesOf(r: Obj, index: number, text: string, sets: SetLookup): Rule[] {
  const handle = typeof r.handle === 'number' ? r.handle : null;
  const exprs = Array.isArray(r.expr) ? r.expr : [];
  const conds: Rule['conds'] = [];
  const out: Rule[] = [];
  for (const e of exprs) {
    if (!isObj(e)) continue;
    if (isObj(e.match)) { conds.push(...matchConds(e.match, sets, text)); continue; }
    const s = statement(e, text);
    if (s === null) continue;
    if (s !== 'verdict') {
      conds.push(...s.conds);
      if (s.action !== null) out.push({ index, handle, text, conds: [...conds], action: s.action });
      continue;
    }
    if ('vmap' in e) {
      const vm = vmapEntries(e, sets);
      if (vm === null) return [...out, { index, handle, text, conds: [...conds, { kind: 'unknown', text }], action: { kind: 'unknown', text: 'verdict map' } }];
      for (const [k, action] of vm.entries) {
        out.push({ index, handle, text, conds: [...conds, ...keyConds(vm.left, '==', [k], text)], action });
      }
      return out;
    }
    out.push({ index, handle, text, conds, action: verdict(e) });
    return out;
  }
  // no verdict: the rule only counts, logs or sets something
  if (out.length === 0 || conds.length > 0) out.push({ index, handle, text, conds, action: { kind: 'continue' } });
  return out;
}

/** Reads `nft -j list ruleset` output (already parsed). */
export function readNftJson(doc: Json, opts: NftReadOptions = {}): NftReadResult {
  const items = isObj(doc) && Array.isArray(doc.nftables) ? doc.nftables : null;
  if (items === null) return { rulesets: [], iptablesNftTables: [], notes: ['nft -j output without an "nftables" array'] };
  const tables = new Map<string, { chains: Obj[]; sets: Map<string, Json[]>; rules: Obj[] }>();
  const tableOf = (family: string, name: string) => {
    const k = `${family} ${name}`;
    let t = tables.get(k);
    if (t === undefined) { t = { chains: [], sets: new Map(), rules: [] }; tables.set(k, t); }
    return t;
  };
  for (const item of items) {
    if (!isObj(item)) continue;
    const o = item.chain ?? item.set ?? item.map ?? item.rule ?? item.table;
    if (!isObj(o)) continue;
    const family = String(o.family);
    const tname = String(o.table ?? o.name);
    if (opts.skip?.(family, tname) === true) continue;
    const t = tableOf(family, tname);
    if (isObj(item.chain)) t.chains.push(o);
    else if (isObj(item.set) || isObj(item.map)) t.sets.set(String(o.name), Array.isArray(o.elem) ? o.elem : []);
    else if (isObj(item.rule)) t.rules.push(o);
  }
  const nft: Ruleset = { backend: 'nftables', chains: new Map(), base: [] };
  const ipt: Record<string, Ruleset> = {};
  const iptNames: string[] = [];
  const notes: string[] = [];
  for (const [tkey, t] of tables) {
    const [family, tname] = tkey.split(' ');
    const names = t.chains.map((c) => String(c.name));
    const isIpt = isIptablesNftTable(family, tname, names);
    let rs = nft;
    if (isIpt) {
      iptNames.push(tkey);
      const label = family === 'ip' ? 'iptables-nft' : 'ip6tables-nft';
      rs = ipt[label] ??= { backend: label, chains: new Map(), base: [] };
    }
    const sets: SetLookup = (n) => t.sets.get(n) ?? null;
    const byChain = new Map<string, Rule[]>();
    for (const r of t.rules) {
      const cname = String(r.chain);
      const list = byChain.get(cname) ?? [];
      const index = new Set(list.map((x) => x.index)).size + 1;
      const text = opts.texts?.get(`${tkey} ${cname} ${String(r.handle)}`) ?? (Array.isArray(r.expr) ? r.expr.map(render).join(' ') : '');
      list.push(...rulesOf(r, index, text, sets));
      byChain.set(cname, list);
    }
    for (const c of t.chains) {
      const cname = String(c.name);
      const id = isIpt ? `${tname} ${cname}` : `${tkey} ${cname}`;
      const chain: Chain = { id, name: cname, rules: byChain.get(cname) ?? [], policy: c.policy === 'drop' ? 'drop' : c.hook !== undefined ? 'accept' : null };
      rs.chains.set(id, chain);
    }
    // jump targets are chain names within the table: give the table's chains their short names too
    for (const c of t.chains) rs.chains.set(`${tkey}#${String(c.name)}`, rs.chains.get(isIpt ? `${tname} ${String(c.name)}` : `${tkey} ${String(c.name)}`)!);
    for (const c of t.chains) {
      const hook = String(c.hook ?? '') as Hook;
      if (!HOOKS.has(hook)) continue;
      const families: (4 | 6)[] = family === 'ip' ? [4] : family === 'ip6' ? [6] : family === 'inet' || family === 'netdev' ? [4, 6] : [];
      if (families.length === 0) continue;
      if (family === 'netdev' && hook !== 'ingress') continue;
      const chain = rs.chains.get(isIpt ? `${tname} ${String(c.name)}` : `${tkey} ${String(c.name)}`)!;
      const b: BaseChain = {
        chain, hook, priority: priorityOf(c.prio), families,
        device: family === 'netdev' ? String(c.dev ?? '') : null,
        where: { backend: rs.backend, tool: isIpt ? 'iptables' : 'nftables', family: isIpt ? (family === 'ip' ? 'iptables' : 'ip6tables') : family, table: tname, chain: String(c.name) },
      };
      rs.base.push(b);
    }
    // rewrite jump targets to the table-qualified key
    for (const c of t.chains) {
      for (const r of rs.chains.get(`${tkey}#${String(c.name)}`)!.rules) {
        if (r.action.kind === 'jump' || r.action.kind === 'goto') r.action = { kind: r.action.kind, chain: `${tkey}#${r.action.chain}` };
      }
    }
  }
  const rulesets = [nft, ...Object.values(ipt)].filter((r) => r.chains.size > 0);
  return { rulesets, iptablesNftTables: iptNames, notes };
}
