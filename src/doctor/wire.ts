// The wire against keepalived.conf: each vrrp_instance on the listened interface compared with the
// adverts its peers really send (the analyzer's Snapshot). Every difference that makes keepalived drop
// the other side's adverts (VRRP-NOTES 3.1: version, auth type and password, v2 interval, VIP list up to
// 2.3.2, TTL on multicast, unicast vs multicast, checksum flavour) is CRITICAL with the line to change;
// a VRID used by sources that are not this node's peers is a collision; the weight margin is computed
// with the priority the peer really advertises. Passwords are compared, never printed. Pure.
import type { Advertiser, Router, Snapshot } from '../analyze/model.js';
import { effective, trackerWeights, type Effective } from './conf-effective.js';
import type { Instance, KeepalivedConfig } from './conf-model.js';
import { at, configFix, type DoctorFinding, type Loc } from './types.js';
import { mirroredMargin, weightMargin } from './weights.js';

export interface WireInput {
  snapshot: Snapshot;
  iface: string;
  seconds: number;
  /** Every address of this host (its own adverts come from one of them). */
  localAddresses: string[];
  /** keepalived's version here, [2, 2, 7]; null = unknown (VIP-list mismatches are then judged as ≤ 2.3.2). */
  keepalivedVersion: [number, number, number] | null;
}

export interface WireResult {
  findings: DoctorFinding[];
  /** Sources seen advertising each instance's VRID that are not this node (for the firewall's 'in' paths). */
  peersSeen: Map<string, Advertiser[]>;
}

const MAX_OTHER_VRIDS = 20;

function f(code: string, severity: DoctorFinding['severity'], inst: Instance | null, title: string, where: Loc | null,
  evidence: string[] = [], fixes: DoctorFinding['fixes'] = []): DoctorFinding {
  return { code, severity, area: 'wire', instance: inst?.name ?? null, title, evidence, where, fixes };
}

const authName = (t: number | null): string => (t === 0 ? 'none' : t === 1 ? 'PASS' : t === 2 ? 'AH' : `type ${t}`);
const bare = (a: string): string => a.split('/')[0]!;
const vipsOf = (inst: Instance, eff: Effective): string[] => inst.vips.filter((v) => v.family === eff.family).map((v) => v.address);

/** keepalived ≥ 2.3.3 only logs VIP-list differences; before, it drops the advert. */
function vipMismatchDrops(v: [number, number, number] | null): boolean {
  if (v === null) return true;
  return v[0] < 2 || (v[0] === 2 && (v[1] < 3 || (v[1] === 3 && v[2] < 3)));
}

function compareAdvertiser(inst: Instance, eff: Effective, cfg: KeepalivedConfig, a: Advertiser, input: WireInput): DoctorFinding[] {
  const out: DoctorFinding[] = [];
  const who = `${a.ip} (${a.adverts} advert${a.adverts === 1 ? '' : 's'} in ${input.seconds} s)`;
  const splitNote = 'each node drops the other\'s adverts: both become master (split brain)';
  if (a.version !== eff.version) {
    const loc = inst.version?.loc ?? cfg.global.vrrpVersion?.loc ?? inst.loc;
    out.push(f('wire-version-mismatch', 'critical', inst, `${a.ip} speaks VRRPv${a.version}, this node VRRPv${eff.version}: ${splitNote}`, loc,
      [`seen: ${who}`, 'keepalived logs "wrong version. Received ' + a.version + ' and expect ' + eff.version + '"'],
      [configFix(`use one version on every node (at ${at(loc)}, inside vrrp_instance ${inst.name} or as global vrrp_version)`, [`version ${a.version}`])]));
    return out; // the remaining fields mean different things in the other version
  }
  if (eff.version === 2) {
    if (a.authType !== eff.authType) {
      const loc = inst.auth?.loc ?? inst.loc;
      out.push(f('wire-auth-mismatch', 'critical', inst, `${a.ip} sends authentication ${authName(a.authType)}, this node expects ${authName(eff.authType)}: ${splitNote}`, loc,
        [`seen: ${who}`, eff.strict && inst.auth ? 'this node has vrrp_strict, which ignores its authentication block' : `keepalived logs "received a ${a.authType} auth, expecting ${eff.authType}!"`],
        [configFix(`use the same authentication on every node (at ${at(loc)})`, a.authType === 1
          ? ['authentication {', '    auth_type PASS', '    auth_pass <the peer\'s password>', '}']
          : ['# delete the authentication block (the peer sends none)'])]));
    } else if (a.authType === 1 && (a.authText ?? '') !== (eff.authPass ?? '')) {
      const loc = inst.auth?.pass?.loc ?? inst.auth?.loc ?? inst.loc;
      out.push(f('wire-auth-mismatch', 'critical', inst, `${a.ip} sends another auth_pass than this node's (compared, not shown): ${splitNote}`, loc,
        [`seen: ${who}`, 'keepalived logs "received an invalid passwd!"'],
        [configFix(`write the peer's password here, or this one there (at ${at(loc)}; only the first 8 characters count)`, ['auth_pass <the same password on every node>'])]));
    }
    if (a.advertIntervalRaw !== eff.interval) {
      const loc = inst.advertInt?.loc ?? inst.loc;
      out.push(f('wire-interval-mismatch', 'critical', inst,
        `${a.ip} advertises every ${a.advertIntervalRaw} s, this node every ${eff.interval} s: a VRRPv2 node drops adverts with another interval (split brain)`, loc,
        [`seen: ${who}`, `keepalived logs "advertisement interval mismatch mine=${eff.interval} sec rcv'd=${a.advertIntervalRaw} sec"`],
        [configFix(`use one advert_int on every node (at ${at(loc)})`, [`advert_int ${a.advertIntervalRaw}`])]));
    }
  } else if (a.advertIntervalRaw !== Math.round(eff.interval * 100)) {
    out.push(f('wire-interval-differs', 'ok', inst,
      `${a.ip} advertises every ${a.advertIntervalRaw} cs, this node ${Math.round(eff.interval * 100)} cs: in VRRPv3 a backup adopts the master's interval (no drop)`, inst.advertInt?.loc ?? null));
  }
  const ours = new Set(vipsOf(inst, eff));
  const theirs = new Set(a.addresses.map(bare));
  const same = ours.size === theirs.size && [...ours].every((x) => theirs.has(x));
  if (!same && ours.size > 0 && theirs.size > 0) {
    const drops = vipMismatchDrops(input.keepalivedVersion);
    const loc = inst.vipBlock ?? inst.loc;
    out.push(f('wire-vip-mismatch', drops ? 'critical' : 'warning', inst,
      `${a.ip} announces ${[...theirs].join(', ')}; this node ${[...ours].join(', ')}: ` +
      (drops ? 'keepalived up to 2.3.2 drops adverts whose address list differs (split brain)' : 'keepalived ≥ 2.3.3 logs it and keeps one master, but the nodes hold different addresses'),
      loc, [`seen: ${who}`, `keepalived here: ${input.keepalivedVersion?.join('.') ?? 'version unknown'}`],
      [configFix(`list the same addresses on every node (at ${at(loc)})`, ['virtual_ipaddress {', ...[...theirs].map((x) => `    ${inst.vips.find((v) => v.address === x)?.text ?? x}`), '}'])]));
  }
  if (a.destination !== 'unicast' && a.ttlMin < 255) {
    out.push(f('wire-ttl', 'critical', inst, `${a.ip}'s multicast adverts arrive with TTL ${a.ttlMin === a.ttlMax ? a.ttlMin : `${a.ttlMin}-${a.ttlMax}`}: keepalived drops anything below 255 (split brain)`, null,
      [`seen: ${who}`, 'keepalived logs "invalid TTL/HL. Received ' + a.ttlMin + ' and expect 255"', 'nothing in keepalived.conf changes this: something routes, relays or rewrites the adverts'],
      [{ tool: 'keepalived', host: a.ip, title: `look for a rule that rewrites the TTL on ${a.ip} (or a router between the nodes)`, commands: ['iptables -t mangle -S', 'nft list ruleset | grep -i -e ttl -e hoplimit'] }]));
  }
  if (eff.unicast && a.destination === 'multicast') {
    out.push(f('wire-unicast-multicast', 'critical', inst, `${a.ip} multicasts its adverts while this node unicasts to ${inst.unicastPeers.map((p) => p.value).join(', ')}: neither socket receives the other's adverts (split brain, nothing logged)`,
      inst.unicastPeerBlock, [`seen: ${who}`], [configFix(`give the peer the same unicast_peer / unicast_src_ip setup (or delete the unicast_peer block at ${at(inst.unicastPeerBlock)} on every node)`, ['unicast_peer {', `    ${input.localAddresses.find((x) => x.includes(':') === (eff.family === 6)) ?? '<this node>'}`, '}'])]));
  } else if (!eff.unicast && a.destination !== 'multicast') {
    out.push(f('wire-unicast-multicast', 'critical', inst, `${a.ip} unicasts its adverts (to ${a.unicastPeers.join(', ')}) while this node multicasts: neither socket receives the other's adverts (split brain, nothing logged)`,
      inst.loc, [`seen: ${who}`], [configFix(`add inside vrrp_instance ${inst.name} (${at(inst.loc)})`, ['unicast_peer {', `    ${a.ip}`, '}'])]));
  } else if (eff.unicast && a.destination === 'unicast') {
    const mine = new Set([...(inst.unicastSrcIp ? [inst.unicastSrcIp.value] : []), ...input.localAddresses]);
    if (a.unicastPeers.length > 0 && !a.unicastPeers.some((p) => mine.has(p))) {
      out.push(f('wire-unicast-wrong-peer', 'critical', inst, `${a.ip} sends its adverts to ${a.unicastPeers.join(', ')}, not to this node: this node never hears it (split brain)`, null,
        [`seen: ${who}`], [{ tool: 'keepalived', host: a.ip, title: `on ${a.ip}, list this node in unicast_peer`, commands: ['unicast_peer {', `    ${inst.unicastSrcIp?.value ?? [...mine][0] ?? '<this node>'}`, '}'] }]));
    }
    if (!inst.unicastPeers.some((p) => p.value === a.ip)) {
      out.push(f('wire-peer-not-listed', 'critical', inst, `${a.ip} advertises to this node but is not in its unicast_peer list: this node's adverts never reach it (split brain)`,
        inst.unicastPeerBlock, [`seen: ${who}`, `unicast_peer: ${inst.unicastPeers.map((p) => p.value).join(', ')}`],
        [configFix(`add it to the unicast_peer block (at ${at(inst.unicastPeerBlock)})`, [`    ${a.ip}`])]));
    }
  }
  const v2style = a.checksums['v2-style'] ?? 0;
  const bad = a.checksums['bad'] ?? 0;
  if (eff.version === 3 && eff.family === 4 && v2style > 0) {
    out.push(f('wire-checksum-flavour', 'critical', inst,
      `${a.ip} computes the VRRPv3 checksum without the IPv4 pseudo-header (${v2style} adverts): keepalived drops them ("Invalid VRRPv3 checksum")`, null,
      [`seen: ${who}`, `keepalived here: ${input.keepalivedVersion?.join('.') ?? 'version unknown'}`],
      [configFix('make both sides compute it the same way: on the peer include the pseudo-header (FRR: checksum-with-ipv4-pseudoheader), or here add v3_checksum_as_v2 (keepalived ≥ 2.2.8)', ['v3_checksum_as_v2'])]));
  } else if (bad > 0) {
    out.push(f('wire-bad-checksum', 'critical', inst, `${bad} adverts from ${a.ip} have a bad checksum: keepalived drops them`, null, [`seen: ${who}`]));
  }
  if (a.priority === 255 && eff.priority === 255) {
    out.push(f('both-priority-255', 'critical', inst, `${a.ip} and this node both have priority 255 (address owner): keepalived reports a CONFIGURATION ERROR and lowers one to 254`,
      inst.priority?.loc ?? null, [`seen: ${who}`], [configFix(`only the address owner may have 255 (at ${at(inst.priority?.loc ?? null)})`, ['priority 254'])]));
  } else if (a.priority === eff.priority && a.priority > 0) {
    out.push(f('priority-tie', 'warning', inst, `${a.ip} advertises priority ${a.priority}, the same as this node's: the higher IP address wins`, inst.priority?.loc ?? null,
      [`seen: ${who}`], [configFix(`give the nodes different priorities (at ${at(inst.priority?.loc ?? null)})`, [`priority ${Math.min(254, a.priority + 20)}`])]));
  }
  if (a.priority > 0 && a.priority < 255) {
    const m = { instance: inst.name, eff, priorityLoc: inst.priority?.loc ?? null, weights: trackerWeights(inst, cfg), other: a.priority, otherName: `${a.ip}'s`, area: 'wire' as const };
    out.push(...weightMargin(m), ...mirroredMargin({ ...m, peerIp: a.ip }));
  }
  return out;
}

/** This node's own adverts against its configuration: another running configuration means a reload is missing. */
function compareOwn(inst: Instance, eff: Effective, own: Advertiser): DoctorFinding[] {
  const diffs: string[] = [];
  if (own.version !== eff.version) diffs.push(`version ${own.version} (file: ${eff.version})`);
  if (own.version === 2 && own.advertIntervalRaw !== eff.interval) diffs.push(`advert_int ${own.advertIntervalRaw} s (file: ${eff.interval} s)`);
  const ours = vipsOf(inst, eff).sort().join(', ');
  const sent = own.addresses.map(bare).sort().join(', ');
  if (ours !== '' && sent !== ours) diffs.push(`addresses ${sent} (file: ${ours})`);
  if (own.version === 2 && own.authType !== eff.authType) diffs.push(`authentication ${authName(own.authType)} (file: ${authName(eff.authType)})`);
  else if (own.authType === 1 && (own.authText ?? '') !== (eff.authPass ?? '')) diffs.push('another auth_pass than the file\'s');
  if (diffs.length === 0) return [];
  return [f('wire-own-differs', 'warning', inst, `this node (${own.ip}) advertises what keepalived.conf does not say: keepalived runs an older configuration`, inst.loc,
    diffs, [{ tool: 'keepalived', host: null, title: 'reload keepalived after checking the file', commands: ['keepalived -t -f /etc/keepalived/keepalived.conf && systemctl reload keepalived'] }])];
}

export function judgeWire(cfg: KeepalivedConfig, input: WireInput): WireResult {
  const out: DoctorFinding[] = [];
  const peersSeen = new Map<string, Advertiser[]>();
  const local = new Set(input.localAddresses);
  const claimed = new Set<Router>();
  const instances = cfg.instances.filter((i) => i.vrid !== null && (i.iface?.value === input.iface || (i.iface === null && i.unicastPeers.length > 0)));
  if (instances.length === 0) {
    out.push(f('wire-no-instance', 'ok', null, `no vrrp_instance runs on ${input.iface}: the wire was listened to, nothing to compare`, null));
  }
  for (const inst of instances) {
    const eff = effective(inst, cfg);
    const vrid = inst.vrid!.value;
    const routers = input.snapshot.routers.filter((r) => r.vrid === vrid);
    const router = routers.find((r) => r.family === eff.family);
    for (const other of routers.filter((r) => r.family !== eff.family)) {
      claimed.add(other);
      const ips = other.advertisers.map((a) => a.ip).filter((ip) => !local.has(ip));
      if (ips.length === 0) continue;
      out.push(f('wire-family-mismatch', 'critical', inst, `${ips.join(', ')} advertise VRID ${vrid} over IPv${other.family} (VRRPv3), this node runs ${inst.name} over IPv${eff.family}: they never hear each other`,
        inst.vips[0]?.loc ?? inst.loc, [`first VIP here: ${inst.vips[0]?.address ?? 'none'}`],
        [configFix('give every node the same first VIP family (IPv6 makes an instance VRRPv3 over IPv6)', ['virtual_ipaddress {', `    ${other.virtualAddresses[0] ?? '<the same first address as the peer>'}`, '}'])]));
    }
    if (!router) {
      out.push(f('wire-silent', 'warning', inst, `no VRRP advert for VRID ${vrid} on ${input.iface} in ${input.seconds} s: keepalived does not run ${inst.name} here and no peer is master`, inst.vrid!.loc,
        ['a master always advertises; silence means neither this node nor a peer is master on this segment']));
      continue;
    }
    claimed.add(router);
    const own = router.advertisers.filter((a) => local.has(a.ip) || a.ip === inst.unicastSrcIp?.value);
    const peers = router.advertisers.filter((a) => !own.includes(a));
    peersSeen.set(inst.name, peers);
    for (const o of own) out.push(...compareOwn(inst, eff, o));
    const ours = new Set(vipsOf(inst, eff));
    for (const a of peers) {
      const theirs = a.addresses.map(bare);
      const foreign = ours.size > 0 && theirs.length > 0 && !theirs.some((x) => ours.has(x));
      const unlisted = eff.unicast && !inst.unicastPeers.some((p) => p.value === a.ip) && a.destination === 'multicast';
      if (foreign || unlisted) {
        const used = new Set([...input.snapshot.routers.map((r) => r.vrid), ...cfg.instances.map((i) => i.vrid?.value ?? 0)]);
        let free = 1;
        while (used.has(free) && free < 255) free++;
        out.push(f('vrid-collision', 'critical', inst, `${a.ip} advertises VRID ${vrid} for ${theirs.join(', ') || 'no address'}: another cluster on this segment uses the same VRID as ${inst.name}`,
          inst.vrid!.loc, [`seen: ${a.ip}, priority ${a.priority}, ${a.adverts} adverts in ${input.seconds} s`, `this node's addresses: ${[...ours].join(', ')}`],
          [configFix(`give one cluster another VRID, on every node of it (at ${at(inst.vrid!.loc)}); free here: ${free}`, [`virtual_router_id ${free}`])]));
        continue;
      }
      out.push(...compareAdvertiser(inst, eff, cfg, a, input));
    }
    if (peers.length === 0 && own.length > 0) {
      out.push(f('wire-no-peer', 'ok', inst, `only this node advertises VRID ${vrid} (it is master; a backup stays silent): the peer's settings cannot be seen from here — run doctor on the peer too`, null,
        [`own adverts: ${own.map((o) => `${o.ip} priority ${o.priority}`).join(', ')}`]));
    } else if (peers.length > 0 && own.length > 0 && (router.state === 'split-brain' || router.splitBrains.length > 0 ||
      input.snapshot.findings.some((x) => x.code === 'split-brain' && x.routerKey === router.key))) {
      const sb = input.snapshot.findings.find((x) => x.code === 'split-brain' && x.routerKey === router.key);
      out.push(f('wire-split-brain', 'critical', inst, `split brain now: this node and ${peers.map((p) => p.ip).join(', ')} both advertise VRID ${vrid} as master`, null,
        [...router.advertisers.map((a) => `${a.ip} priority ${a.priority}, ${a.adverts} adverts`), ...(sb ? [sb.title] : [])]));
    }
    if (peers.length > 0 && !out.some((x) => x.instance === inst.name && x.severity !== 'ok' && x.area === 'wire')) {
      out.push(f('wire-match', 'ok', inst, `${peers.map((p) => `${p.ip} (priority ${p.priority})`).join(', ')} advertise${peers.length === 1 ? 's' : ''} VRID ${vrid} with settings this node accepts`, null));
    }
  }
  const others = input.snapshot.routers.filter((r) => !claimed.has(r)).slice(0, MAX_OTHER_VRIDS);
  if (others.length > 0) {
    out.push(f('wire-other-vrids', 'ok', null, `other VRIDs on ${input.iface}: ${others.map((r) => `${r.vrid}${r.family === 6 ? ' (IPv6)' : ''} from ${r.advertisers.map((a) => a.ip).join('/')}`).join('; ')}`, null));
  }
  return { findings: out, peersSeen };
}
