// The one rule model every firewall reader produces and the evaluator walks (nftables JSON, iptables-save,
// firewalld zones and ufw all end up here). A reader states what a rule matches as data (Cond) and what it
// does (Action); it never decides a path itself. Anything a reader does not understand becomes an
// 'unknown' condition or action carrying the rule's text, so the evaluator can say "may match".
// Invariants: every Rule carries its own text and place (for evidence); chains are looked up by id
// within one Ruleset; a Ruleset's base chains name the netfilter hook and priority they run at.

/** A condition's value for one packet: true, false, or cannot tell ('maybe'). */
export type Tri = true | false | 'maybe';

export type Hook = 'ingress' | 'prerouting' | 'input' | 'output' | 'postrouting';

/** Conntrack states a condition may test (nft and iptables spell them the same, lower-cased). */
export type CtState = 'new' | 'established' | 'related' | 'invalid' | 'untracked';

export type Cond =
  /** IP protocol / next header (meta l4proto, ip protocol, -p); 'all' in iptables is no condition at all. */
  | { kind: 'proto'; protos: number[]; negate: boolean }
  /** The packet's family must be this one (inet tables: `ip ...` payload matches imply IPv4). */
  | { kind: 'family'; family: 4 | 6 }
  /** Input/output interface name; a trailing '*' (nft) or '+' (iptables) is a prefix wildcard. */
  | { kind: 'iface'; dir: 'in' | 'out'; names: string[]; negate: boolean }
  /** Source/destination address against prefixes ('10.0.0.0/24', 'fe80::2') or ranges ('a-b'). */
  | { kind: 'addr'; which: 'src' | 'dst'; family: 4 | 6; values: string[]; negate: boolean }
  | { kind: 'ct'; states: CtState[]; negate: boolean }
  /** Link-layer packet type: 'host' | 'multicast' | 'broadcast' | 'other'. */
  | { kind: 'pkttype'; types: string[]; negate: boolean }
  /** Address type of source/destination (iptables addrtype, nft fib ... type): 'local' | 'unicast' | 'multicast' | ... */
  | { kind: 'addrtype'; which: 'src' | 'dst'; types: string[]; negate: boolean }
  /** The packet mark (0 until a rule sets it). */
  | { kind: 'mark'; value: number; mask: number; negate: boolean }
  /** IPv4 TTL / IPv6 hop limit compared with a value (VRRP sends 255). */
  | { kind: 'ttl'; op: '==' | '!=' | '<' | '>' | '<=' | '>='; value: number }
  /** A match that can never hold for a VRRP packet (tcp dport, icmp type ...), with why. */
  | { kind: 'never'; why: string }
  /** A match holding for the first advert, taken as an assumption the evidence names (limit, rpfilter). */
  | { kind: 'assume'; holds: boolean; why: string }
  /** Not understood: may or may not match. */
  | { kind: 'unknown'; text: string };

export type Action =
  | { kind: 'accept' }
  | { kind: 'drop' }
  | { kind: 'reject' }
  | { kind: 'jump'; chain: string }
  | { kind: 'goto'; chain: string }
  | { kind: 'return' }
  /** No verdict (counter, log, mark ...): the next rule runs. */
  | { kind: 'continue' }
  /** Conntrack skipped for this packet (notrack / CT --notrack): ct state becomes 'untracked'. */
  | { kind: 'notrack' }
  /** Sets the packet mark, then the next rule runs. */
  | { kind: 'setmark'; value: number | null }
  /** A verdict we cannot judge (queue to user space, an unknown target). */
  | { kind: 'unknown'; text: string };

export interface Rule {
  /** 1-based position in its chain. */
  index: number;
  /** nft rule handle, when known. */
  handle: number | null;
  /** The rule as its tool prints it. */
  text: string;
  conds: Cond[];
  action: Action;
}

export interface Chain {
  /** Unique within the Ruleset, e.g. 'inet filter input' or 'filter INPUT'. */
  id: string;
  name: string;
  rules: Rule[];
  /** Base chains only. */
  policy: 'accept' | 'drop' | null;
}

/** What manages a base chain, which tells the fix to give. */
export type Tool = 'nftables' | 'iptables' | 'firewalld' | 'ufw';

export interface BaseChain {
  chain: Chain;
  hook: Hook;
  priority: number;
  /** Packet families the chain sees: nft ip → [4], ip6 → [6], inet → [4, 6]. */
  families: (4 | 6)[];
  /** netdev ingress chains: the device they are bound to. */
  device: string | null;
  /** Where the chain lives, for text and fixes. */
  where: ChainPlace;
}

export interface ChainPlace {
  /** The backend as reported: 'nftables', 'iptables-legacy', 'iptables-nft', 'firewalld', 'ufw'. */
  backend: string;
  tool: Tool;
  /** nft family ('ip' | 'ip6' | 'inet' | 'netdev') or iptables command family ('iptables' | 'ip6tables'). */
  family: string;
  /** nft table name or iptables table ('filter', 'raw' ...); firewalld zone. */
  table: string;
  chain: string;
}

export interface Ruleset {
  backend: string;
  chains: Map<string, Chain>;
  base: BaseChain[];
}

/** IP protocol numbers by the names nft, iptables and /etc/protocols print. */
const PROTOCOLS: Record<string, number> = {
  hopopt: 0, icmp: 1, igmp: 2, ipip: 4, ipencap: 4, tcp: 6, egp: 8, udp: 17, dccp: 33, ipv6: 41, gre: 47,
  esp: 50, ah: 51, 'ipv6-icmp': 58, icmpv6: 58, ospf: 89, ospfigp: 89, pim: 103, vrrp: 112, l2tp: 115,
  sctp: 132, udplite: 136, mpls: 137,
};

export const VRRP_PROTOCOL = 112;

/** A protocol name or number as a number; null when unknown. */
export function protocolNumber(s: string | number): number | null {
  if (typeof s === 'number') return s;
  const t = s.trim().toLowerCase();
  if (/^\d+$/.test(t)) return Number(t);
  return PROTOCOLS[t] ?? null;
}

/** Does an interface name match a pattern ('eth*', 'eth+', 'eth0')? */
export function ifaceMatches(pattern: string, name: string): boolean {
  if (pattern.endsWith('*') || pattern.endsWith('+')) return name.startsWith(pattern.slice(0, -1));
  return pattern === name;
}
