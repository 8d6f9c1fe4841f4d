// Fixes for what only captures of several vantage points prove (docs/analysis.md §14.4): adverts that never
// or only partly reach a node's wire are the network's doing, so the fixes are the switch-side checks —
// multicast snooping without a querier, the VLAN on the trunks, ACLs and rate limits, a bond on one side —
// never a host firewall command; adverts that reach the node's wire and are dropped there are the host's
// doing: its firewall first (the same rules as firewallFixes), then rp_filter, keepalived's interface and
// socket. Pure: Finding in, Fix out.
import type { Finding } from '../analyze/model.js';
import { safe, type Fix, type FixOptions } from './fix.js';

/** Switch-side checks for adverts lost between two nodes (`cause` 'network' or 'network-loss', or an advert-loss finding). */
export function networkChecks(f: Finding, opts: FixOptions = {}): Fix[] {
  const c = f.fixContext;
  const to = c.deafHost ?? 'the node that misses them';
  const from = c.peers.length > 0 ? c.peers.join(', ') : 'its peer';
  const v6 = (c.family ?? 4) === 6;
  const group = c.multicast ?? (v6 ? 'ff02::12' : '224.0.0.18');
  const between = `between ${from} and ${to}`;
  const fixes: Fix[] = [];
  if (c.multicast !== null) {
    fixes.push({ tool: 'switch', host: null, title: `multicast filtering ${between}: ${v6 ? 'MLD' : 'IGMP'} snooping without a querier drops ${group} to ports that never joined it`,
      commands: [
        `show ${v6 ? 'ipv6 mld' : 'ip igmp'} snooping querier    # Cisco IOS/NX-OS: a querier on this VLAN? else enable one, or exempt ${group}`,
        'ip -d link show type bridge    # a Linux bridge: mcast_snooping 1 without mcast_querier 1 does the same',
        'bridge mdb show    # a Linux bridge: the groups each port joined',
      ] });
  }
  fixes.push({ tool: 'switch', host: null, title: `the VLAN of the adverts on every trunk ${between}`,
    commands: ['show interfaces trunk    # Cisco: the VLAN allowed and forwarding on each trunk', 'bridge vlan show    # a Linux bridge: the VLANs of each port'] });
  fixes.push({ tool: 'switch', host: null, title: `ACLs and multicast rate limits on the ports of ${from} and ${to}`,
    commands: ['show storm-control    # multicast storm control drops bursts', 'nft list ruleset bridge    # a Linux bridge: bridge-family rules (ebtables -L on older hosts)'] });
  const ifc = opts.iface !== undefined && opts.iface !== '' && opts.iface !== 'any' ? safe(opts.iface) : '<iface>';
  fixes.push({ tool: 'switch', host: null, title: `a bond or team on ${from} or ${to}: the adverts may leave on a link the switch does not forward to the other`,
    commands: ['cat /proc/net/bonding/*    # the mode and the active link', `ip -s link show ${ifc}    # errors and drops on the interface`] });
  if (f.cause === 'network-loss' || f.code === 'advert-loss') {
    fixes.push({ tool: 'switch', host: null, title: `the links ${between}: errors, drops, congestion`,
      commands: [`ethtool -S ${ifc} | grep -iE 'drop|err|discard'    # on both nodes`, 'show interfaces counters errors    # the switch ports on the way'] });
  }
  return fixes;
}

/** After the firewall fixes for a host that drops adverts reaching its wire: what else drops them there. */
export function hostDropChecks(f: Finding, opts: FixOptions = {}): Fix {
  const host = f.fixContext.deafHost;
  const ifc = opts.iface !== undefined && opts.iface !== '' && opts.iface !== 'any' ? safe(opts.iface) : null;
  return { tool: 'keepalived', host, title: `if no firewall rule on ${host ?? 'the node'} drops VRRP: the reverse-path filter, keepalived's interface, its socket`,
    commands: [
      `sysctl net.ipv4.conf.all.rp_filter${ifc !== null ? ` net.ipv4.conf.${ifc}.rp_filter` : ''}    # 1 (strict) drops what arrives on another interface than the route back`,
      "grep -nE '^\\s*(interface|unicast_src_ip)' /etc/keepalived/keepalived.conf    # the interface the adverts arrive on",
      'ss -wanp | grep keepalived    # its raw VRRP socket is open',
    ] };
}
