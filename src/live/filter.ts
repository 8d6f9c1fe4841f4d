// The default BPF filter of live capture: every VRRP advert plus the evidence the analyzer uses, nothing else.
//
//   E = ip proto 112 or ip6 proto 112                  all VRRP (and CARP, also proto 112), multicast AND
//                                                      unicast (unicast_peer sends to a unicast address)
//       or (icmp[0]=3 and icmp[17]=112)                ICMP unreachable (incl. admin-prohibited) whose
//                                                      quoted IPv4 header (at icmp+8, protocol at +9) is VRRP
//       or (icmp6[0]=1 and icmp6[14]=112)              ICMPv6 unreachable whose quoted IPv6 header (icmp6+8,
//                                                      next header at +6) is VRRP
//       or icmp6[0]=135 or icmp6[0]=136              IPv6 neighbour solicitations and advertisements: who
//                                                      claims which IPv6 address (and the --probe-vip answers)
//       or arp                                         who claims which address (gratuitous ARP of a new master)
//
//   Ethernet:   E or (vlan and (E or (vlan and E)))
//   other links (Linux cooked "any", raw IP, loopback):  E        (libpcap: "no VLAN support for Linux cooked v2")
//
// Why this shape. libpcap's `vlan` keyword is not a test but an offset shift: every term AFTER it in the
// expression is looked for 4 bytes further (tcpdump(7) pcap-filter, "vlan"). So the untagged alternative must
// come first and the tagged ones after it, each with its own copy of E; `vlan and E` alone would miss untagged
// adverts, `E and vlan` would test the wrong bytes.
// On Linux the kernel (veth, most NICs) strips the 802.1Q/802.1ad tag into packet metadata before the socket
// filter runs; libpcap puts it back into the captured bytes afterwards. Such a frame therefore looks UNTAGGED to
// BPF and is matched by the first E. (For the `vlan` branch of THIS expression libpcap 1.10.3 generates, for the
// metadata case, a load at the in-band +4 offset — see `ldb [vlanp]` in `tcpdump -i IFACE -d` — which would be
// wrong, but no frame needs that path: metadata-tagged frames already matched E.) The `vlan` branches catch
// in-band tags: NICs with VLAN offload off, and the inner tag of QinQ frames whose outer tag the kernel stripped.
// Verified with `tcpdump -d` and with untagged, 802.1Q and 802.1ad+802.1Q adverts, ICMP and ARP replayed into a
// veth and captured byte for byte, while ICMP echo, UDP and ICMP errors quoting UDP (tagged or not) are
// excluded (test/live-binding.test.ts).
// icmp6[...] only matches when ICMPv6 directly follows the IPv6 header (libpcap limitation), which is how
// routers send unreachables, and how every neighbour solicitation and advertisement is sent (RFC 4861 forbids
// nothing else, but hop limit 255 packets with extension headers are not seen in practice).

export const VRRP_EVIDENCE =
  'ip proto 112 or ip6 proto 112 or (icmp[0]=3 and icmp[17]=112) or (icmp6[0]=1 and icmp6[14]=112) or icmp6[0]=135 or icmp6[0]=136 or arp';

/** DLT_EN10MB */
const LINKTYPE_ETHERNET = 1;

/** The default filter for a link type (see the comment at the top of this file). */
export function defaultFilter(linktype: number): string {
  const e = `(${VRRP_EVIDENCE})`;
  if (linktype === LINKTYPE_ETHERNET) return `${e} or (vlan and (${e} or (vlan and ${e})))`;
  return e;
}

/** The default as the CLI shows it (Ethernet form); `openLive` adapts it to the link type it gets. */
export const DEFAULT_FILTER = defaultFilter(LINKTYPE_ETHERNET);

/** The filter actually installed: DEFAULT_FILTER follows the link type; anything else is the user's own
 *  expression (`-f EXPR` or a trailing expression) and is used as given (an empty one captures everything,
 *  as in tcpdump). */
export function resolveFilter(filter: string, linktype: number): string {
  return filter === DEFAULT_FILTER ? defaultFilter(linktype) : filter;
}
