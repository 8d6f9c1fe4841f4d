// Findings from keepalived.conf alone (plus which interfaces and addresses this host has): the
// misconfigurations VRRP-NOTES.md and keepalived.conf(5) name that are visible in the file. Each names
// the file:line to change and the line to write. Pure: the model and host facts in, findings out.
import { effective, trackerWeights, type Effective } from './conf-effective.js';
import type { Address, Instance, KeepalivedConfig } from './conf-model.js';
import { at, configFix, type DoctorFinding, type HostFacts, type HostInterface } from './types.js';
import { weightMargin } from './weights.js';

export interface ConfigJudgeOptions {
  /** --peer-priority N: the other node's priority, for the weight margin and the 255 / tie checks. */
  peerPriority: number | null;
}

const PROBLEM_CODES = {
  syntax: ['config-syntax', 'critical'], include: ['include-problem', 'warning'], value: ['config-value', 'warning'],
  limit: ['config-limit', 'warning'], unsupported: ['config-not-checked', 'ok'],
} as const;

function finding(code: string, severity: DoctorFinding['severity'], inst: Instance | null, title: string,
  where: DoctorFinding['where'], evidence: string[] = [], fixes: DoctorFinding['fixes'] = []): DoctorFinding {
  return { code, severity, area: 'config', instance: inst?.name ?? null, title, evidence, where, fixes };
}

/** IPv4/IPv6 address → bigint, for subnet tests. */
function toBig(addr: string): bigint {
  if (!addr.includes(':')) return addr.split('.').reduce((a, o) => (a << 8n) | BigInt(Number(o)), 0n);
  const [head, tail] = addr.split('::') as [string, string | undefined];
  const h = head ? head.split(':') : [];
  const t = tail !== undefined && tail !== '' ? tail.split(':') : [];
  const groups = [...h, ...Array(tail === undefined ? 0 : 8 - h.length - t.length).fill('0'), ...t];
  return groups.reduce((a, g) => (a << 16n) | BigInt(parseInt(g || '0', 16)), 0n);
}

export function sameSubnet(a: string, b: string, prefix: number, family: 4 | 6): boolean {
  const bits = BigInt(family === 6 ? 128 : 32);
  const shift = bits - BigInt(prefix);
  return (toBig(a) >> shift) === (toBig(b) >> shift);
}

function hostIface(host: HostFacts, name: string | undefined): HostInterface | undefined {
  return name === undefined ? undefined : host.interfaces?.find((i) => i.name === name);
}

function vipPrefix(inst: Instance, a: Address, host: HostFacts): DoctorFinding | null {
  if (a.prefix !== null) return null;
  const ifc = hostIface(host, a.dev ?? inst.iface?.value);
  const local = ifc?.addresses.find((x) => x.family === a.family && sameSubnet(x.address, a.address, x.prefix, a.family));
  const prefix = local ? local.prefix : a.family === 6 ? 64 : 24;
  const rest = a.text.slice(a.address.length);
  return finding('vip-no-prefix', 'warning', inst,
    `${a.address} has no prefix length: keepalived adds it as /${a.family === 6 ? 128 : 32} (no subnet route${a.family === 6 ? ', deprecated as a source address' : ''}), which is rarely meant`,
    a.loc,
    local ? [`${ifc!.name} has ${local.address}/${local.prefix} in the same subnet`] : [`no address of this host's ${ifc?.name ?? 'interface'} is in a subnet with it: /${prefix} below is a guess`],
    [configFix(`write the subnet's prefix length (at ${at(a.loc)})`, [`${a.address}/${prefix}${rest}`])]);
}

function instanceFindings(inst: Instance, eff: Effective, cfg: KeepalivedConfig, host: HostFacts, o: ConfigJudgeOptions): DoctorFinding[] {
  const out: DoctorFinding[] = [];
  if (inst.vrid === null) {
    out.push(finding('no-virtual-router-id', 'critical', inst, `vrrp_instance ${inst.name} has no valid virtual_router_id: keepalived does not run it`, inst.loc, [],
      [configFix(`add inside vrrp_instance ${inst.name} (${at(inst.loc)}) the same VRID as on the peer`, ['virtual_router_id 51'])]));
  }
  if (inst.iface === null && !eff.unicast) {
    out.push(finding('no-interface', 'critical', inst, `vrrp_instance ${inst.name} has no interface: keepalived cannot send multicast adverts`, inst.loc, [],
      [configFix(`add inside vrrp_instance ${inst.name} (${at(inst.loc)})`, [`interface ${host.interfaces?.find((i) => i.addresses.length && i.name !== 'lo')?.name ?? 'eth0'}`])]));
  }
  if (inst.iface !== null && host.interfaces !== null) {
    const ifc = hostIface(host, inst.iface.value);
    const names = host.interfaces.filter((i) => i.name !== 'lo').map((i) => i.name);
    const likely = host.interfaces.filter((i) => i.name !== 'lo' && i.up && i.addresses.some((a) => a.family === eff.family)).map((i) => i.name);
    if (!ifc) {
      out.push(finding('interface-missing', 'critical', inst, `interface ${inst.iface.value} does not exist on this host: keepalived cannot run ${inst.name}`,
        inst.iface.loc, [`interfaces here: ${names.join(', ') || 'none'}`],
        likely.length ? [configFix(`name an interface of this host that is up with an IPv${eff.family} address (at ${at(inst.iface.loc)})`, likely.slice(0, 3).map((n) => `interface ${n}`))] : []));
    } else if (!ifc.up) {
      out.push(finding('interface-down', 'warning', inst, `interface ${ifc.name} is down (no carrier): keepalived keeps ${inst.name} in FAULT`, inst.iface.loc,
        [], [configFix(`bring it up on this host`, [`ip link set ${ifc.name} up`])]));
    }
  }
  const pass = inst.auth?.pass;
  if (pass && Buffer.byteLength(pass.value, 'utf8') > 8 && eff.version === 2 && !eff.strict) {
    out.push(finding('auth-pass-truncated', 'warning', inst,
      'auth_pass is longer than 8 characters: keepalived sends and checks only the first 8 (it logs "Truncating auth_pass to 8 characters")', pass.loc,
      ['a peer whose password differs only after the 8th character is accepted; one that is not keepalived may compare more'],
      [configFix(`write the same password of at most 8 characters on every node (at ${at(pass.loc)})`, ['auth_pass <at most 8 characters>'])]));
  }
  if (eff.strict) {
    const strictAt = inst.strictMode?.loc ?? cfg.global.vrrpStrict?.loc ?? null;
    const strictWhy = `vrrp_strict at ${at(strictAt)}`;
    if (inst.auth && (inst.auth.type || inst.auth.pass)) {
      out.push(finding('strict-ignores-auth', 'warning', inst,
        'vrrp_strict ignores the authentication block: this node sends adverts without authentication, and a peer configured with it drops them (split brain)',
        inst.auth.loc, [strictWhy, 'keepalived logs "Strict mode does not support authentication. Ignoring."'],
        [configFix(`remove the authentication block at ${at(inst.auth.loc)} on every node (or drop vrrp_strict)`, ['# delete: authentication { ... }'])]));
    }
    if (eff.unicast) {
      const ifc = hostIface(host, inst.iface?.value);
      const mc = ifc ? ifc.multicast : true;
      out.push(finding('strict-unicast', mc ? 'critical' : 'ok', inst,
        mc ? `vrrp_strict forbids unicast_peer on an interface that can multicast: keepalived refuses to run ${inst.name} ("Unicast peers are not supported in strict mode")`
          : `vrrp_strict with unicast_peer: allowed because ${ifc!.name} cannot multicast`,
        inst.unicastPeerBlock, [strictWhy],
        mc ? [configFix(`drop vrrp_strict (${at(strictAt)}) or the unicast_peer block (${at(inst.unicastPeerBlock)}) on every node`, ['# delete: vrrp_strict'])] : []));
    }
    if (inst.preemptDelay) {
      out.push(finding('strict-preempt-delay', 'warning', inst, 'vrrp_strict forbids preempt_delay: keepalived resets it to 0', inst.preemptDelay.loc, [strictWhy],
        [configFix(`remove it (${at(inst.preemptDelay.loc)}) or drop vrrp_strict`, ['# delete: preempt_delay'])]));
    }
    if (eff.state === 'MASTER' && eff.priority !== 255) {
      out.push(finding('strict-master-not-owner', 'ok', inst, 'vrrp_strict allows state MASTER only with priority 255: keepalived starts this node as BACKUP',
        inst.state?.loc ?? null, [strictWhy], [configFix(`write (${at(inst.state?.loc ?? null)})`, ['state BACKUP'])]));
    }
  }
  if (eff.nopreempt && eff.state === 'MASTER') {
    out.push(finding('nopreempt-with-master', 'warning', inst, 'nopreempt needs state BACKUP: with state MASTER this node still takes the VIP back when it starts',
      inst.state?.loc ?? null, [`nopreempt at ${at(inst.nopreempt!.loc)}`],
      [configFix(`write on every node (at ${at(inst.state?.loc ?? null)})`, ['state BACKUP'])]));
  }
  if (inst.preemptDelay && !eff.strict && eff.state === 'MASTER') {
    out.push(finding('preempt-delay-with-master', 'warning', inst, 'preempt_delay needs state BACKUP: with state MASTER it does not delay anything',
      inst.state?.loc ?? null, [`preempt_delay at ${at(inst.preemptDelay.loc)}`], [configFix(`write (at ${at(inst.state?.loc ?? null)})`, ['state BACKUP'])]));
  }
  for (const a of [...inst.vips, ...inst.excluded]) {
    const f = vipPrefix(inst, a, host);
    if (f) out.push(f);
  }
  const mixed = inst.vips.filter((a) => a.family !== eff.family);
  for (const a of mixed) {
    out.push(finding('vip-family-ignored', 'warning', inst,
      `${a.address} is IPv${a.family} in an IPv${eff.family} instance: keepalived ignores it ("address family must match VRRP instance")`, a.loc,
      [`the first address (${inst.vips[0]!.address}) makes ${inst.name} IPv${eff.family}`],
      [configFix(`move it into a virtual_ipaddress_excluded block (any family may be mixed there)`, ['virtual_ipaddress_excluded {', `    ${a.text}`, '}'])]));
  }
  const asked = inst.version?.value ?? cfg.global.vrrpVersion?.value;
  if (eff.family === 6 && asked === 2) {
    const loc = inst.version?.loc ?? cfg.global.vrrpVersion?.loc ?? null;
    out.push(finding('ipv6-forces-v3', 'warning', inst,
      `the first VIP ${inst.vips[0]?.address ?? ''} is IPv6: keepalived runs ${inst.name} as VRRPv3 over IPv6, not the VRRPv2 asked at ${at(loc)}; a peer with an IPv4 first VIP speaks v2 over IPv4 and neither hears the other`,
      inst.vips[0]?.loc ?? loc, [], [configFix('give every node the same first VIP family; for IPv4 + IPv6 put the IPv6 ones in virtual_ipaddress_excluded', ['virtual_ipaddress_excluded {', `    ${inst.vips[0]?.text ?? ''}`, '}'])]));
  }
  const ownAddresses = new Set((host.interfaces ?? []).flatMap((i) => i.addresses.map((a) => a.address)));
  if (inst.unicastSrcIp && host.interfaces !== null && !ownAddresses.has(inst.unicastSrcIp.value)) {
    out.push(finding('unicast-src-not-local', 'warning', inst, `unicast_src_ip ${inst.unicastSrcIp.value} is not an address of this host`, inst.unicastSrcIp.loc,
      [`addresses of ${inst.iface?.value ?? 'this host'}: ${(hostIface(host, inst.iface?.value)?.addresses ?? []).map((a) => a.address).join(', ') || 'none'}`],
      [configFix(`write an address of this host (at ${at(inst.unicastSrcIp.loc)})`, [`unicast_src_ip ${hostIface(host, inst.iface?.value)?.addresses.find((a) => a.family === eff.family)?.address ?? '<this node\'s address>'}`])]));
  }
  for (const p of inst.unicastPeers) {
    if (ownAddresses.has(p.value) || p.value === inst.unicastSrcIp?.value) {
      out.push(finding('unicast-peer-self', 'warning', inst, `unicast_peer ${p.value} is this node itself: its adverts never reach the other node`, p.loc, [],
        [configFix(`list the other node's address instead (at ${at(p.loc)})`, ['<the peer\'s address>'])]));
    }
  }
  const weights = trackerWeights(inst, cfg);
  for (const w of weights.filter((x) => x.missing)) {
    out.push(finding('track-script-missing', 'warning', inst, `track_script ${w.tracker.name}: there is no vrrp_script ${w.tracker.name}, keepalived ignores the entry`, w.tracker.loc));
  }
  if (host.interfaces !== null) {
    for (const t of inst.trackInterfaces) {
      if (!hostIface(host, t.name)) out.push(finding('track-interface-missing', 'warning', inst, `track_interface ${t.name} does not exist on this host`, t.loc));
    }
  }
  const zeroed = weights.filter((w) => w.source.startsWith('zeroed'));
  if (zeroed.length > 0) {
    out.push(finding('sync-group-zeroes-weights', 'ok', inst,
      `${inst.name} is in vrrp_sync_group ${inst.syncGroup}: keepalived ignores the tracking weights (${zeroed.map((w) => w.tracker.name).join(', ')}); a failed check puts the group in FAULT`,
      zeroed[0]!.tracker.loc));
  }
  if (o.peerPriority !== null) {
    const other = o.peerPriority;
    if (eff.priority === 255 && other === 255) {
      out.push(finding('both-priority-255', 'critical', inst, 'this node and the peer both have priority 255 (address owner): keepalived reports a CONFIGURATION ERROR and lowers one to 254',
        inst.priority?.loc ?? null, ['--peer-priority 255'], [configFix(`only the node that owns the addresses may have 255 (at ${at(inst.priority?.loc ?? null)})`, ['priority 254'])]));
    } else if (eff.priority === other) {
      out.push(finding('priority-tie', 'warning', inst, `this node and the peer have the same priority ${other}: the higher IP address wins, so who is master depends on addressing`,
        inst.priority?.loc ?? null, [], [configFix(`give the nodes different priorities (at ${at(inst.priority?.loc ?? null)})`, [`priority ${Math.min(254, other + 20)}`])]));
    }
    out.push(...weightMargin({ instance: inst.name, eff, priorityLoc: inst.priority?.loc ?? null, weights, other, otherName: "the peer's", area: 'config' }));
  }
  return out;
}

export function judgeConfig(cfg: KeepalivedConfig, host: HostFacts, o: ConfigJudgeOptions): DoctorFinding[] {
  const out: DoctorFinding[] = [];
  for (const p of cfg.problems) {
    const [code, severity] = PROBLEM_CODES[p.kind];
    out.push(finding(code, severity, null, p.message, p.loc));
  }
  if (cfg.instances.length === 0) {
    out.push(finding('no-vrrp-instance', 'warning', null, 'no vrrp_instance in the configuration: nothing to check', null));
  }
  const seen = new Map<string, Instance>();
  for (const inst of cfg.instances) {
    const eff = effective(inst, cfg);
    out.push(...instanceFindings(inst, eff, cfg, host, o));
    if (inst.vrid !== null && !eff.unicast) {
      const key = `${inst.iface?.value ?? ''}/${eff.family}/${inst.vrid.value}/${eff.group}`;
      const first = seen.get(key);
      if (first) {
        out.push(finding('vrid-duplicate', 'critical', inst, `virtual_router_id ${inst.vrid.value} is used by ${first.name} too, on the same interface and multicast group: the two instances take each other's adverts`,
          inst.vrid.loc, [`${first.name}: ${at(first.vrid!.loc)}`], [configFix(`give one of them another VRID (at ${at(inst.vrid.loc)})`, [`virtual_router_id ${inst.vrid.value === 255 ? 254 : inst.vrid.value + 1}`])]));
      } else {
        seen.set(key, inst);
      }
    }
  }
  return out;
}
