// What keepalived.conf says about VRRP, typed, every value with the file:line it came from.
// Built from the keyword tree (conf-tree.ts); the keywords read here are the ones doctor judges
// (keepalived.conf(5), keepalived/vrrp/vrrp_parser.c): global_defs (vrrp_strict, vrrp_version,
// script_user, enable_script_security, vrrp_garp_*), vrrp_script, vrrp_sync_group and every
// vrrp_instance. Everything else is kept in the tree and ignored here. Pure; never throws.
import { isIP } from 'node:net';
import type { Loc, ReadProblem, ReadResult } from './conf-lines.js';
import { buildTree, children, lastChild, type ConfNode } from './conf-tree.js';

export interface Valued<T> { value: T; loc: Loc }

export interface Address {
  /** The entry as written ("10.0.0.100/24 dev eth0 label eth0:1"). */
  text: string;
  address: string;
  prefix: number | null;
  family: 4 | 6;
  dev: string | null;
  loc: Loc;
}

export interface Tracker {
  kind: 'script' | 'interface';
  name: string;
  /** As written on the track line; null = the script's own weight (scripts) or 0 (interfaces). */
  weight: number | null;
  reverse: boolean;
  loc: Loc;
}

export interface VrrpScript {
  name: string;
  loc: Loc;
  script: Valued<string> | null;
  interval: Valued<number> | null;
  weight: Valued<number> | null;
  reverse: boolean;
  rise: Valued<number> | null;
  fall: Valued<number> | null;
}

export interface Instance {
  name: string;
  loc: Loc;
  end: Loc | null;
  iface: Valued<string> | null;
  vrid: Valued<number> | null;
  state: Valued<string> | null;
  priority: Valued<number> | null;
  /** Seconds (fractions allowed). */
  advertInt: Valued<number> | null;
  auth: { loc: Loc; type: Valued<string> | null; pass: Valued<string> | null } | null;
  vips: Address[];
  vipBlock: Loc | null;
  excluded: Address[];
  unicastSrcIp: Valued<string> | null;
  unicastPeers: Valued<string>[];
  unicastPeerBlock: Loc | null;
  mcastDstIp: Valued<string> | null;
  /** The last of nopreempt / preempt decides (value true = nopreempt). */
  nopreempt: Valued<boolean> | null;
  preemptDelay: Valued<number> | null;
  version: Valued<number> | null;
  /** use_vmac, value = its interface name or ''. */
  useVmac: Valued<string> | null;
  strictMode: Valued<boolean> | null;
  trackScripts: Tracker[];
  trackInterfaces: Tracker[];
  /** Name of the vrrp_sync_group that lists it, if any. */
  syncGroup: string | null;
}

export interface GlobalDefs {
  loc: Loc | null;
  vrrpStrict: Valued<boolean> | null;
  vrrpVersion: Valued<number> | null;
  scriptUser: Valued<string> | null;
  enableScriptSecurity: Loc | null;
  /** vrrp_garp_* settings as written. */
  garp: Record<string, Valued<string>>;
}

export interface SyncGroup { name: string; loc: Loc; members: Valued<string>[]; trackingWeight: boolean }

export interface KeepalivedConfig {
  files: string[];
  global: GlobalDefs;
  instances: Instance[];
  scripts: VrrpScript[];
  syncGroups: SyncGroup[];
  problems: ReadProblem[];
}

const BOOL_TRUE = new Set(['on', 'true', 'yes']);
const BOOL_FALSE = new Set(['off', 'false', 'no']);

function int(n: ConfNode | undefined, problems: ReadProblem[], min: number, max: number, what: string): Valued<number> | null {
  if (!n) return null;
  const w = n.args[0];
  if (w === undefined || !/^-?\d+$/.test(w) || Number(w) < min || Number(w) > max) {
    problems.push({ kind: 'value', message: `${what} '${w ?? ''}' is not a whole number from ${min} to ${max}: keepalived rejects it`, loc: n.loc });
    return null;
  }
  return { value: Number(w), loc: n.loc };
}

function word(n: ConfNode | undefined): Valued<string> | null {
  return n && n.args[0] !== undefined ? { value: n.args[0], loc: n.loc } : null;
}

/** A keyword with an optional <BOOL> (default on when it stands alone). */
function flag(n: ConfNode | undefined): Valued<boolean> | null {
  if (!n) return null;
  const a = n.args[0];
  if (a === undefined || BOOL_TRUE.has(a)) return { value: true, loc: n.loc };
  if (BOOL_FALSE.has(a)) return { value: false, loc: n.loc };
  return { value: true, loc: n.loc };
}

/** One virtual_ipaddress entry: <IPADDR>[/<MASK>] [dev X] [scope X] [label X] ... */
export function parseAddress(n: ConfNode, problems: ReadProblem[]): Address | null {
  const [addr, prefixText] = n.keyword.split('/', 2) as [string, string | undefined];
  const fam = isIP(addr);
  if (fam === 0) {
    problems.push({ kind: 'value', message: `'${n.keyword}' is not an IP address: keepalived ignores this entry`, loc: n.loc });
    return null;
  }
  let prefix: number | null = null;
  if (prefixText !== undefined) {
    const max = fam === 6 ? 128 : 32;
    if (!/^\d+$/.test(prefixText) || Number(prefixText) > max) {
      problems.push({ kind: 'value', message: `'${n.keyword}': prefix length must be 0-${max}`, loc: n.loc });
    } else {
      prefix = Number(prefixText);
    }
  }
  const dev = n.args.indexOf('dev');
  return {
    text: [n.keyword, ...n.args].join(' '), address: addr, prefix, family: fam === 6 ? 6 : 4,
    dev: dev >= 0 ? n.args[dev + 1] ?? null : null, loc: n.loc,
  };
}

function trackers(block: ConfNode | undefined, kind: Tracker['kind'], problems: ReadProblem[]): Tracker[] {
  const out: Tracker[] = [];
  for (const e of block?.children ?? []) {
    let weight: number | null = null;
    const wi = e.args.indexOf('weight');
    if (wi >= 0) {
      const w = e.args[wi + 1];
      if (w !== undefined && /^-?\d+$/.test(w) && Math.abs(Number(w)) <= 254) weight = Number(w);
      else problems.push({ kind: 'value', message: `track_${kind} ${e.keyword}: weight '${w ?? ''}' must be from -253 to 253`, loc: e.loc });
    }
    out.push({ kind, name: e.keyword, weight, reverse: e.args.includes('reverse'), loc: e.loc });
  }
  return out;
}

function instanceOf(n: ConfNode, problems: ReadProblem[]): Instance {
  const authNode = lastChild(n, 'authentication');
  const vipNode = lastChild(n, 'virtual_ipaddress');
  const exNode = lastChild(n, 'virtual_ipaddress_excluded');
  const peerNode = lastChild(n, 'unicast_peer');
  const pre = lastChild(n, 'nopreempt', 'preempt');
  const addresses = (b: ConfNode | undefined): Address[] =>
    (b?.children ?? []).map((c) => parseAddress(c, problems)).filter((a): a is Address => a !== null);
  const advert = lastChild(n, 'advert_int');
  let advertInt: Valued<number> | null = null;
  if (advert) {
    const v = Number(advert.args[0]);
    if (Number.isFinite(v) && v > 0) advertInt = { value: v, loc: advert.loc };
    else problems.push({ kind: 'value', message: `advert_int '${advert.args[0] ?? ''}' must be a positive number of seconds: keepalived ignores it`, loc: advert.loc });
  }
  const delay = lastChild(n, 'preempt_delay');
  const vmac = lastChild(n, 'use_vmac');
  return {
    name: n.args[0] ?? '',
    loc: n.loc,
    end: n.end,
    iface: word(lastChild(n, 'interface')),
    vrid: int(lastChild(n, 'virtual_router_id'), problems, 1, 255, 'virtual_router_id'),
    state: word(lastChild(n, 'state')),
    priority: int(lastChild(n, 'priority'), problems, 1, 255, 'priority'),
    advertInt,
    auth: authNode ? { loc: authNode.loc, type: word(lastChild(authNode, 'auth_type')), pass: word(lastChild(authNode, 'auth_pass')) } : null,
    vips: addresses(vipNode),
    vipBlock: vipNode?.loc ?? null,
    excluded: addresses(exNode),
    unicastSrcIp: word(lastChild(n, 'unicast_src_ip')),
    unicastPeers: (peerNode?.children ?? []).map((c) => ({ value: c.keyword, loc: c.loc })),
    unicastPeerBlock: peerNode?.loc ?? null,
    mcastDstIp: word(lastChild(n, 'mcast_dst_ip')),
    nopreempt: pre ? { value: pre.keyword === 'nopreempt', loc: pre.loc } : null,
    preemptDelay: delay && Number.isFinite(Number(delay.args[0])) ? { value: Number(delay.args[0]), loc: delay.loc } : null,
    version: int(lastChild(n, 'version', 'vrrp_version'), problems, 2, 3, 'version'),
    useVmac: vmac ? { value: vmac.args[0] ?? '', loc: vmac.loc } : null,
    strictMode: flag(lastChild(n, 'strict_mode')),
    trackScripts: trackers(lastChild(n, 'track_script'), 'script', problems),
    trackInterfaces: trackers(lastChild(n, 'track_interface'), 'interface', problems),
    syncGroup: null,
  };
}

function scriptOf(n: ConfNode, problems: ReadProblem[]): VrrpScript {
  const w = lastChild(n, 'weight');
  const script = lastChild(n, 'script');
  return {
    name: n.args[0] ?? '',
    loc: n.loc,
    script: script ? { value: script.args.join(' '), loc: script.loc } : null,
    interval: int(lastChild(n, 'interval'), problems, 1, 1_000_000, 'interval'),
    weight: int(w, problems, -253, 253, 'weight'),
    reverse: w?.args.includes('reverse') ?? false,
    rise: int(lastChild(n, 'rise'), problems, 1, 1_000_000, 'rise'),
    fall: int(lastChild(n, 'fall'), problems, 1, 1_000_000, 'fall'),
  };
}

/** Read the model out of what conf-lines.ts read. */
export function buildModel(read: ReadResult): KeepalivedConfig {
  const { root, problems } = buildTree(read.lines);
  const all: ReadProblem[] = [...read.problems, ...problems];
  const global: GlobalDefs = { loc: null, vrrpStrict: null, vrrpVersion: null, scriptUser: null, enableScriptSecurity: null, garp: {} };
  const instances: Instance[] = [];
  const scripts: VrrpScript[] = [];
  const syncGroups: SyncGroup[] = [];
  for (const n of root) {
    if (n.keyword === 'global_defs') {
      global.loc ??= n.loc;
      global.vrrpStrict = flag(lastChild(n, 'vrrp_strict')) ?? global.vrrpStrict;
      global.vrrpVersion = int(lastChild(n, 'vrrp_version'), all, 2, 3, 'vrrp_version') ?? global.vrrpVersion;
      global.scriptUser = word(lastChild(n, 'script_user')) ?? global.scriptUser;
      global.enableScriptSecurity = lastChild(n, 'enable_script_security')?.loc ?? global.enableScriptSecurity;
      for (const c of n.children ?? []) if (c.keyword.startsWith('vrrp_garp_')) global.garp[c.keyword] = { value: c.args.join(' '), loc: c.loc };
    } else if (n.keyword === 'vrrp_instance') {
      const inst = instanceOf(n, all);
      if (instances.some((i) => i.name === inst.name)) {
        all.push({ kind: 'value', message: `vrrp_instance ${inst.name} is defined twice: keepalived skips this one ("already defined")`, loc: n.loc });
      } else {
        instances.push(inst);
      }
    } else if (n.keyword === 'vrrp_script') {
      scripts.push(scriptOf(n, all));
    } else if (n.keyword === 'vrrp_sync_group') {
      const group = lastChild(n, 'group');
      syncGroups.push({
        name: n.args[0] ?? '', loc: n.loc,
        members: (group?.children ?? []).flatMap((c) => [c.keyword, ...c.args].map((name) => ({ value: name, loc: c.loc }))),
        trackingWeight: children(n, 'sync_group_tracking_weight').length > 0,
      });
    }
  }
  for (const g of syncGroups) for (const m of g.members) {
    const inst = instances.find((i) => i.name === m.value);
    if (inst) inst.syncGroup = g.name;
  }
  return { files: read.files, global, instances, scripts, syncGroups, problems: all };
}
