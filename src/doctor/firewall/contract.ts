// The types of the firewall half's contract with `vrrpwatch doctor` (issue 13; re-exported by index.ts,
// whose names the doctor command uses). Kept apart so the modules of this folder can name them without
// importing index.ts (no import circles).

export interface VrrpPath {
  /** 'in': a peer's adverts arriving at this node; 'out': this node's adverts leaving it. */
  direction: 'in' | 'out';
  family: 4 | 6;
  /** The vrrp_instance's interface (iifname/oifname a rule may match). */
  iface: string;
  /** The peer's address (unicast_peer, or a source seen on the wire); null = any source (multicast). */
  peer: string | null;
  /** This node's address on that path when known (unicast_src_ip, or the interface's address). */
  local: string | null;
  /** '224.0.0.18' / 'ff02::12' for multicast adverts, null for unicast. */
  group: string | null;
  /** The vrrp_instance name, for the text. */
  instance: string;
}

export interface PathVerdict {
  path: VrrpPath;
  /** What the ruleset does to the first advert of this path (conntrack state NEW). */
  verdict: 'accepted' | 'dropped' | 'rejected' | 'unknown';
  /** The rule or policy that decided it, with its place: 'nftables inet filter input rule 3 (handle 7): ip protocol vrrp drop',
   *  'iptables filter INPUT policy DROP', 'firewalld zone public (eth0): no rule accepts vrrp; target default rejects' ... */
  decidedBy: string;
  /** Further facts (matches not understood and assumed, chains followed). */
  evidence: string[];
  /** Paste-ready commands that make this path accepted on the firewall actually found (the zone holding the
   *  interface, the table and chain that exist, the ufw version), with how to make it persistent. Empty when accepted. */
  fixes: { tool: 'firewalld' | 'iptables' | 'nftables' | 'ufw'; title: string; commands: string[] }[];
}

export interface FirewallReport {
  /** What enforces rules here, e.g. 'nftables', 'iptables-legacy', 'iptables-nft', 'firewalld 2.1.1 (nftables)', 'ufw 0.36.2'; empty when none. */
  backends: string[];
  /** What could not be read or understood (one line each); never thrown. */
  notes: string[];
  verdicts: PathVerdict[];
}

export type RulesetSource =
  | { kind: 'live' }                       // read what is in force on this host (nft -j, iptables-save, firewalld, ufw)
  | { kind: 'file'; path: string };        // --ruleset FILE: iptables-save / ip6tables-save / nft / nft -j output, format told from content

export interface FirewallOptions {
  /** Read /etc files (firewalld zones, ufw rules) under this directory instead of / (tests, sosreports). */
  root?: string;
  /** Run commands (nft, iptables-save, firewall-cmd, ufw) — tests replace it; default runs them with a timeout. */
  run?: (argv: string[]) => { status: number | null; stdout: string; stderr: string };
}
