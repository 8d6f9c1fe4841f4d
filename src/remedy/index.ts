// Fix commands for a finding (VRRP-NOTES 5.3). Pure: Finding in, paste-ready commands out.
// iptables/ip6tables and nft lines are executed for real in a throwaway network namespace by
// test/remedy.test.ts; the firewalld and ufw lines are applied to scratch configurations (firewall-offline-cmd,
// ufw --rootdir) and the rules they produce loaded by iptables-restore, by test/remedy-firewalls.test.ts.
import type { Finding, Family } from '../analyze/model.js';
import { hostDropChecks, networkChecks } from './wire.js';
import { safe, type Fix, type FixOptions } from './fix.js';

export type { Fix, FixOptions } from './fix.js';

const FIREWALL_CAUSES = new Set(['firewall-drop', 'firewall-reject']);


function familyOf(addr: string, fallback: Family | null): Family {
  if (addr.includes(':')) return 6;
  if (addr.includes('.')) return 4;
  return fallback ?? 4;
}

/** Firewall rules letting VRRP from `peers` (and/or to the multicast group) into `host`. */
export function firewallFixes(host: string | null, peers: string[], multicast: string | null, family: Family | null,
  opts: FixOptions = {}): Fix[] {
  // 'any' (all interfaces, Linux cooked capture) names no interface a rule could match
  const ifc = opts.iface !== undefined && opts.iface !== '' && opts.iface !== 'any' ? safe(opts.iface) : null;
  const on = host !== null ? ` on ${host}` : ' on every node';
  const fixes: Fix[] = [];
  const ps = peers.map(safe);
  const fam = family ?? (ps.length > 0 ? familyOf(ps[0], null) : 4);

  // firewalld: rich rule per peer (keepalived(8) gives this form), else the whole protocol
  const fw: string[] = [];
  for (const p of ps) {
    fw.push(`firewall-cmd --permanent --add-rich-rule='rule family="ipv${familyOf(p, fam)}" source address="${p}" protocol value="vrrp" accept'`);
  }
  if (ps.length === 0) fw.push('firewall-cmd --permanent --add-protocol=vrrp');
  fw.push('firewall-cmd --reload');
  fixes.push({ tool: 'firewalld', host, title: `firewalld: accept VRRP from ${ps.join(', ') || 'any source'}${on}`, commands: fw });

  // iptables / ip6tables
  const ipt: string[] = [];
  const i = ifc !== null ? ` -i ${ifc}` : '';
  if (multicast !== null) {
    const m = safe(multicast);
    ipt.push(`${familyOf(m, fam) === 6 ? 'ip6tables' : 'iptables'} -I INPUT${i} -p vrrp -d ${m} -j ACCEPT`);
  }
  for (const p of ps) ipt.push(`${familyOf(p, fam) === 6 ? 'ip6tables' : 'iptables'} -I INPUT${i} -p vrrp -s ${p} -j ACCEPT`);
  if (ipt.length === 0) ipt.push(`${fam === 6 ? 'ip6tables' : 'iptables'} -I INPUT${i} -p vrrp -j ACCEPT`);
  fixes.push({
    tool: 'iptables', host,
    title: `iptables: accept VRRP${multicast !== null ? ' to ' + multicast : ''}${ps.length > 0 ? ' from ' + ps.join(', ') : ''}${on} (persist with netfilter-persistent save)`,
    commands: ipt,
  });

  // nftables (inet family covers IPv4 and IPv6; meta l4proto survives extension headers)
  const nft: string[] = [];
  const n = ifc !== null ? ` iifname "${ifc}"` : '';
  if (multicast !== null) {
    const m = safe(multicast);
    nft.push(`nft insert rule inet filter input${n} ${familyOf(m, fam) === 6 ? 'ip6' : 'ip'} daddr ${m} meta l4proto vrrp accept`);
  }
  for (const p of ps) nft.push(`nft insert rule inet filter input${n} ${familyOf(p, fam) === 6 ? 'ip6' : 'ip'} saddr ${p} meta l4proto vrrp accept`);
  if (nft.length === 0) nft.push(`nft insert rule inet filter input${n} meta l4proto vrrp accept`);
  fixes.push({
    tool: 'nftables', host,
    title: `nftables: accept VRRP${on} (use your table/chain from 'nft list ruleset'; persist in /etc/nftables.conf)`,
    commands: nft,
  });

  // ufw (proto vrrp needs ufw >= 0.36.2)
  const u: string[] = [];
  const uo = ifc !== null ? ` in on ${ifc}` : '';
  for (const p of ps) u.push(`ufw allow${uo} proto vrrp from ${p} to any`);
  if (ps.length === 0) u.push(`ufw allow${uo} proto vrrp from any to any`);
  fixes.push({ tool: 'ufw', host, title: `ufw (>= 0.36.2): accept VRRP${on}`, commands: u });
  // older ufw (Ubuntu 22.04 ships 0.36.1) knows no 'proto vrrp': the rule goes into before.rules, in
  // front of its COMMIT line (GNU sed, first COMMIT only), so that every line here is a command to paste
  const v6 = fam === 6;
  const bi = ifc !== null ? ` -i ${ifc}` : '';
  const file = `/etc/ufw/${v6 ? 'before6' : 'before'}.rules`;
  const before = (ps.length > 0 ? ps : [null]).map((p) =>
    `sed -i '0,/^COMMIT$/s//-A ${v6 ? 'ufw6' : 'ufw'}-before-input${bi} -p vrrp${p !== null ? ' -s ' + p : ''} -j ACCEPT\\nCOMMIT/' ${file}`);
  fixes.push({ tool: 'ufw', host, title: `ufw < 0.36.2: add the rule to ${file}${on}, then reload`,
    commands: [...before, 'ufw reload'] });
  return fixes;
}

/** The value most hosts use (ties: the smallest numerically, else the first). */
function commonValue(values: Record<string, string> | undefined): string | null {
  if (values === undefined) return null;
  const counts = new Map<string, number>();
  for (const v of Object.values(values)) counts.set(v, (counts.get(v) ?? 0) + 1);
  let best: string | null = null;
  let bc = 0;
  for (const [v, c] of counts) {
    if (c > bc || (c === bc && best !== null && Number(v) < Number(best))) { best = v; bc = c; }
  }
  return best;
}

/** Hosts whose value differs from `v`. */
function differing(values: Record<string, string> | undefined, v: string | null): string[] {
  if (values === undefined) return [];
  return Object.entries(values).filter(([, x]) => x !== v).map(([h]) => h);
}

function keepalived(host: string | null, title: string, commands: string[]): Fix {
  return { tool: 'keepalived', host, title, commands };
}

/** The keepalived line aligning the virtual addresses; the title ends with each host's list. */
function sameVips(title: string, values: Record<string, string> | undefined): Fix {
  const lists = Object.entries(values ?? {}).map(([h, v]) => `${h}: ${v || '(none)'}`).join('; ');
  return keepalived(null, `${title} (${lists})`, ['virtual_ipaddress { <the same addresses on every node> }']);
}

function newVrid(title: string): Fix {
  return keepalived(null, title, ['virtual_router_id <an unused VRID>']);
}

/** A MAC as Cisco writes it: 0212.3456.789a. */
function ciscoMac(mac: string): string {
  const h = mac.replace(/[^0-9a-fA-F]/g, '').toLowerCase();
  return `${h.slice(0, 4)}.${h.slice(4, 8)}.${h.slice(8, 12)}`;
}

/** 'vrrp-flood': find the flooding MACs' switch ports; keep the flood from keepalived with an allow-list of
 *  the nodes (VRRP authentication does not stop a flood). */
function floodFixes(f: Finding, opts: FixOptions): Fix[] {
  const macs = Object.keys(f.fixContext.values ?? {}).filter((m) => /^[0-9a-fA-F:]{17}$/.test(m));
  const fixes: Fix[] = [];
  if (macs.length > 0) {
    fixes.push({ tool: 'switch', host: null,
      title: 'find the switch port of each flooding MAC (Cisco IOS / NX-OS; elsewhere: the MAC address table), then limit or shut that port',
      commands: [...macs.map((m) => `show mac address-table address ${ciscoMac(m)}`),
        '! on that port: switchport port-security (a maximum of 1-2 MACs), storm-control multicast level 1.00, or shutdown'] });
    fixes.push({ tool: 'bridge', host: null, title: 'on a Linux bridge (a hypervisor, a container host): the port each flooding MAC came in on',
      commands: macs.map((m) => `bridge fdb show | grep -i ${m}`) });
  }
  const ps = f.fixContext.peers.map(safe);
  if (ps.length > 0) {
    const ifc = opts.iface !== undefined && opts.iface !== '' && opts.iface !== 'any' ? safe(opts.iface) : null;
    const fam = familyOf(ps[0]!, f.fixContext.family);
    const ipt = fam === 6 ? 'ip6tables' : 'iptables';
    const i = ifc !== null ? ` -i ${ifc}` : '';
    const n = ifc !== null ? ` iifname "${ifc}"` : '';
    const why = `accept VRRP only from the nodes (${ps.join(', ')}) on every node: the flood then never reaches keepalived ` +
      '(VRRP authentication does not stop it: a PASS password travels in clear text, and keepalived still handles every advert)';
    // inserted in this order, the ACCEPTs end up above the DROP
    fixes.push({ tool: 'iptables', host: null, title: `${ipt}: ${why}`,
      commands: [`${ipt} -I INPUT${i} -p vrrp -j DROP`, ...[...ps].reverse().map((p) => `${ipt} -I INPUT${i} -p vrrp -s ${p} -j ACCEPT`)] });
    fixes.push({ tool: 'nftables', host: null, title: `nftables: ${why} (use your table/chain from 'nft list ruleset')`,
      commands: [`nft insert rule inet filter input${n} meta l4proto vrrp drop`,
        ...[...ps].reverse().map((p) => `nft insert rule inet filter input${n} ${familyOf(p, fam) === 6 ? 'ip6' : 'ip'} saddr ${p} meta l4proto vrrp accept`)] });
  }
  return fixes;
}

/** When one capture cannot tell whether a host drops VRRP or the network does not deliver it: doctor on each
 *  node judges its firewall in force (and prints the rule when it drops VRRP); captures taken on every node at
 *  once, read together, show where the adverts stop (analysis §14). */
function findOutWhich(f: Finding, opts: FixOptions): Fix[] {
  const ifc = opts.iface !== undefined && opts.iface !== '' && opts.iface !== 'any' ? safe(opts.iface) : '<iface>';
  const c = f.fixContext;
  const nodes = [...new Set([...c.peers, ...(c.deafHost !== null ? [c.deafHost] : [])])].map(safe);
  // HOSTn: the hostname of the n-th node, whose capture the tcpdump line named after it
  const read = (nodes.length > 0 ? nodes : ['lb1', 'lb2']).map((n, i) => `-r ${n}=vrrp-HOST${i + 1}.pcap`).join(' ');
  const hosts = nodes.length > 0 ? ` (HOST1${nodes.length > 1 ? ', HOST2' : ''}${nodes.length > 2 ? ', …' : ''}: the hostnames of ${nodes.join(', ')})` : '';
  return [
    { tool: 'vrrpwatch', host: null, title: 'find out whether a firewall drops VRRP: on every node, judge the ruleset in force against the peers\' adverts (prints the rule to add)',
      commands: ['vrrpwatch doctor'] },
    { tool: 'vrrpwatch', host: null, title: `or capture on every node at the same time, then read the captures together: host or network${hosts}`,
      commands: [`tcpdump -i ${ifc} -w "vrrp-$(hostname).pcap" 'vrrp or arp'`, `vrrpwatch ${read}`] },
  ];
}

/** Paste-ready fixes for a finding (empty when there is nothing to run). */
export function fixesFor(f: Finding, opts: FixOptions = {}): Fix[] {
  const ctx = f.fixContext;
  const vrid = f.vrid !== null ? ` of VRID ${f.vrid}` : '';
  const cause = f.cause;
  // several vantage points: the network's doing (switch-side checks) or the host's (its firewall, then the rest)
  const wireFinding = f.code === 'split-brain' || f.code === 'brief-dual-master';
  if (f.code === 'advert-loss' || (wireFinding && (cause === 'network' || cause === 'network-loss'))) return networkChecks(f, opts);
  if (wireFinding && cause === 'host-drop') return [...firewallFixes(ctx.deafHost, ctx.peers, ctx.multicast, ctx.family, opts), hostDropChecks(f, opts)];
  // no cause the capture proves (nobody answers anybody; adverts that simply did not arrive for a while):
  // no firewall rule to paste without firewall evidence, but the two steps that tell host from network
  if (wireFinding && cause === 'unknown') return findOutWhich(f, opts);
  // a brief dual master: the backup must accept its master's adverts explicitly (not only via conntrack)
  if (f.code === 'brief-dual-master') return firewallFixes(ctx.deafHost, ctx.peers, ctx.multicast, ctx.family, opts);
  if (f.code === 'vrrp-flood') return floodFixes(f, opts);
  if (f.code === 'vrrp-refused') return cause === 'firewall-reject' ? firewallFixes(ctx.deafHost, ctx.peers, null, ctx.family, opts) : [];
  if (f.code === 'split-brain' && cause !== null && FIREWALL_CAUSES.has(cause)) {
    return firewallFixes(ctx.deafHost, ctx.peers, ctx.multicast, ctx.family, opts);
  }
  const what = f.code === 'split-brain' ? cause : f.code;
  switch (what) {
    case 'auth-mismatch': {
      if (ctx.configKey === 'auth_type') {
        const v = commonValue(ctx.values) ?? 'PASS';
        return [keepalived(null, `use the same authentication on every node${vrid} (vrrp_instance ... authentication { })`,
          v === 'none' ? ['# remove the authentication { } block'] : [`auth_type ${v}`, 'auth_pass <the same password on every node>'])];
      }
      return [keepalived(null, `set the same auth_pass on every node${vrid} (authentication { })`,
        ['auth_type PASS', 'auth_pass <the same password, at most 8 characters, on every node>'])];
    }
    case 'interval-mismatch': {
      const v = commonValue(ctx.values) ?? '1';
      return [keepalived(null, `use the same advert_int on every node${vrid}: ${differing(ctx.values, v).join(', ')} differ`, [`advert_int ${v}`])];
    }
    case 'version-mismatch': {
      const v = f.family === 6 ? '3' : commonValue(ctx.values) ?? '2';
      return [keepalived(null, `use the same VRRP version on every node${vrid}: ${differing(ctx.values, v).join(', ')} differ`,
        [`vrrp_version ${v}   # global_defs; or 'version ${v}' in the vrrp_instance`])];
    }
    case 'checksum-variant': {
      if (f.severity === 'ok') return [];   // one flavour only: nothing to align
      const vals = ctx.values ?? {};
      const old = Object.entries(vals).filter(([, x]) => x === 'old-unicast').map(([h]) => h);
      if (old.length > 0) {
        // keepalived <= 1.3.6 built the unicast pseudo-header with 224.0.0.18: newer keepalived detects
        // that by itself unless told 'old_unicast_checksum never'; the real fix is upgrading the old node
        return [keepalived(old.length === 1 ? old[0] : null,
          `${old.join(', ')} ${old.length === 1 ? 'computes' : 'compute'} the old keepalived (<= 1.3.6) unicast checksum${vrid}: upgrade keepalived there; ` +
          'on the newer nodes keep the automatic detection (no \'old_unicast_checksum never\')',
          ['# on the newer nodes, in the vrrp_instance: remove  old_unicast_checksum never'])];
      }
      const hosts = Object.entries(vals).filter(([, x]) => x === 'standard').map(([h]) => h);
      return [keepalived(hosts.length === 1 ? hosts[0] : null,
        `compute the VRRPv3 checksum the same way on every node${vrid}: v3_checksum_as_v2 on the keepalived nodes (keepalived >= 2.2.8), ` +
        'or the other side\'s IPv4 pseudo-header option',
        ['v3_checksum_as_v2'])];
    }
    case 'ttl':
    case 'ttl-not-255': {
      const fam = f.family ?? 4;
      const fixes: Fix[] = [];
      if (fam === 4) {
        fixes.push({ tool: 'iptables', host: null, title: 'workaround on each receiving node: restore TTL 255 on VRRP before keepalived checks it (better: keep the adverts on one L2 segment)',
          commands: [`iptables -t mangle -I PREROUTING${opts.iface ? ' -i ' + safe(opts.iface) : ''} -p vrrp -j TTL --ttl-set 255`] });
        fixes.push({ tool: 'nftables', host: null, title: 'the same workaround with nftables',
          commands: ['nft add table ip vrrpfix',
            "nft 'add chain ip vrrpfix prerouting { type filter hook prerouting priority -150; }'",
            `nft add rule ip vrrpfix prerouting${opts.iface ? ' iifname "' + safe(opts.iface) + '"' : ''} meta l4proto vrrp ip ttl set 255`] });
      } else {
        fixes.push({ tool: 'nftables', host: null, title: 'workaround on each receiving node: restore hop limit 255 on VRRP (better: keep the adverts on one L2 segment)',
          commands: ['nft add table ip6 vrrpfix',
            "nft 'add chain ip6 vrrpfix prerouting { type filter hook prerouting priority -150; }'",
            `nft add rule ip6 vrrpfix prerouting${opts.iface ? ' iifname "' + safe(opts.iface) + '"' : ''} meta l4proto vrrp ip6 hoplimit set 255`] });
      }
      return fixes;
    }
    case 'unicast-multicast-mix': {
      const vals = ctx.values ?? {};
      const uni = Object.entries(vals).filter(([, v]) => v.startsWith('unicast_peer')).map(([h]) => h);
      const multi = Object.entries(vals).filter(([, v]) => v === 'multicast').map(([h]) => h);
      return multi.map((h) => keepalived(h, `${h} sends multicast while ${uni.join(', ')} use unicast: configure the unicast peers on ${h}${vrid}`,
        [`unicast_src_ip ${safe(h)}`, `unicast_peer { ${[...uni, ...multi.filter((x) => x !== h)].map(safe).join(' ')} }`]));
    }
    case 'unicast-peer': {
      const sender = ctx.peers[0] ?? null;
      return sender === null || ctx.deafHost === null ? [] : [keepalived(sender, `${sender} does not send its adverts to ${ctx.deafHost}: add it to unicast_peer${vrid}`,
        [`unicast_peer { ${safe(ctx.deafHost)} }`])];
    }
    // one cluster with differing address lists, or two clusters sharing a VRID: the capture cannot tell
    // which, so both fixes are given, the likelier reading first
    case 'vip-mismatch':
      return [sameVips(`if these nodes are one cluster: give every node the same virtual_ipaddress list${vrid}`, ctx.values),
        newVrid('if they are two clusters: give one of them an unused VRID (1-255) on all its nodes')];
    case 'length-mismatch':
      return [keepalived(null, `send adverts of one length on every node${vrid}: the same auth_hmac setting everywhere ` +
        '(keepalived >= 2.4 on all nodes before enabling it), or none', ['# in the vrrp_instance, on every node or on none:', 'auth_hmac { ... }'])];
    case 'vrid-collision': {
      const other = newVrid(`if another cluster uses VRID ${f.vrid ?? '?'} on this segment: give one cluster an unused VRID (1-255) on all its nodes`);
      // every node with the same address list (a bigger cluster, or two alike): aligning them fixes nothing
      return cause !== 'vip-mismatch' ? [other] : [other, sameVips('if these nodes are one cluster: give every node the same virtual_ipaddress list', ctx.values)];
    }
    case 'priority-255-conflict':
      return [keepalived(null, 'only the address owner may use priority 255: lower it on the other nodes', ['priority 254'])];
    case 'stale-neighbours': {
      // tell the neighbours now, from the master (iputils arping / ndisc6's ndsend), then keep it from recurring
      const vips = Object.keys(ctx.values ?? {});
      const master = ctx.deafHost;
      const ifc = opts.iface !== undefined && opts.iface !== '' && opts.iface !== 'any' ? safe(opts.iface) : '<iface>';
      const fixes: Fix[] = [];
      const v4 = vips.filter((v) => !v.includes(':')), v6 = vips.filter((v) => v.includes(':'));
      if (v4.length > 0) {
        fixes.push({ tool: 'arping', host: master, title: `tell the neighbours now: gratuitous ARP from the master${master !== null ? ' ' + master : ''} (iputils arping)`,
          commands: v4.map((v) => `arping -U -c 3 -I ${ifc} ${safe(v)}`) });
      }
      if (v6.length > 0) {
        fixes.push({ tool: 'ndisc6', host: master, title: `tell the neighbours now: unsolicited neighbour advertisement from the master${master !== null ? ' ' + master : ''} (ndisc6's ndsend)`,
          commands: v6.map((v) => `ndsend ${safe(v)} ${ifc}`) });
      }
      fixes.push(ctx.configKey === 'vrrp_higher_prio_send_advert'
        ? keepalived(null, 'after a split brain, make the master claim the addresses again: the node going back to backup sends one more advert, ' +
          'which the master answers with its gratuitous ARP/NA (global_defs, every node); and refresh them while master',
        ['vrrp_higher_prio_send_advert', 'vrrp_garp_master_refresh 60'])
        : keepalived(null, 'refresh the gratuitous ARP/NA while master, so a lost claim does not last (global_defs, every node)', ['vrrp_garp_master_refresh 60']));
      return fixes;
    }
    case 'weight-too-small': {
      const need = ctx.values !== undefined ? Object.values(ctx.values)[0] : undefined;
      const host = ctx.values !== undefined ? Object.keys(ctx.values)[0] : null;
      return [keepalived(host ?? null, `the track_script weight must take the master below its backup${vrid}`,
        [`track_script { <script> weight -${need ?? '<gap + 1>'} }`])];
    }
    default:
      return [];
  }
}
