// The decoder's output: one mutable record, reused for every frame (no allocation on the hot path).
// Numeric fields are plain numbers; text is produced only on demand by the methods below, which read
// the frame's bytes and are therefore valid ONLY during the synchronous call that delivered the record.
// Consumers (the analyzer, the per-advert printer) copy what they keep.

/** What a frame turned out to be. */
export const enum Kind {
  /** Not of interest (other protocols): skipped as fast as possible. */
  Other = 0,
  /** A VRRP advertisement that parsed (it may still carry anomalies: bad checksum, TTL, ...). */
  Advert = 1,
  /** IP protocol 112 that could not be parsed as VRRP: `reject` says why. */
  Reject = 2,
  /** IP protocol 112 that is OpenBSD CARP, not VRRP. */
  Carp = 3,
  /** ICMP/ICMPv6 error quoting a VRRP packet (unreachable, admin prohibited): firewall evidence. */
  IcmpError = 4,
  /** ARP (request/reply/gratuitous): who claims which address. */
  Arp = 5,
  /** A link type we cannot decode: counted per link type. */
  UnsupportedLink = 6,
  /** ICMPv6 neighbour solicitation or advertisement (RFC 4861) that a neighbour would accept: who claims
   *  which IPv6 address. */
  Nd = 7,
}

/** Why a protocol-112 packet was rejected. Stable names: they appear in reports and metrics. */
export const enum Reject {
  None = 0,
  TruncatedIp = 1,
  BadIpHeader = 2,
  Fragment = 3,
  TruncatedVrrp = 4,
  BadVersion = 5,
  BadType = 6,
  CountLengthMismatch = 7,
  TruncatedAddresses = 8,
}
export const REJECT_NAMES: readonly string[] = [
  'none', 'truncated-ip', 'bad-ip-header', 'fragment', 'truncated-vrrp',
  'bad-version', 'bad-type', 'count-length-mismatch', 'truncated-addresses',
];

/** How the VRRP checksum verified. */
export const enum Checksum {
  Ok = 0,
  /** VRRPv3 over IPv4 computed without the pseudo-header (v3_checksum_as_v2, Cisco/Juniper style). */
  V2Style = 1,
  /** keepalived <= 1.3.6 unicast: pseudo-header built with 224.0.0.18 as destination. */
  OldUnicast = 2,
  Bad = 3,
  /** Not verifiable: the frame was captured short (snaplen). */
  Unknown = 4,
}
export const CHECKSUM_NAMES: readonly string[] = ['ok', 'v2-style', 'old-unicast', 'bad', 'unknown'];

export interface PacketRecord {
  kind: Kind;
  reject: Reject;
  tsSec: number;
  tsNsec: number;
  linktype: number;
  /** Original length of the frame on the wire (origlen), for byte counters. */
  frameLen: number;
  /** Bytes captured (caplen). */
  capLen: number;
  /** Source MAC as two numbers (hi 16 bits, lo 32 bits); macHi = -1 when the link has no MAC. */
  macHi: number;
  macLo: number;
  /** Innermost 802.1Q VLAN id, -1 when untagged; outer tag of a stacked pair, -1 when single. */
  vlan: number;
  vlanOuter: number;
  /** 4 or 6 (0 before the IP layer was reached). */
  family: number;
  /** Source / destination address words: IPv4 uses word 0 only; IPv6 uses 0..3 (big-endian words). */
  src0: number; src1: number; src2: number; src3: number;
  dst0: number; dst1: number; dst2: number; dst3: number;
  /** TTL (v4) or hop limit (v6). */
  ttl: number;
  /** IPv4 identification, -1 for IPv6. */
  ipId: number;
  // --- VRRP fields (kind Advert; partly set for Reject) ---
  version: number;
  type: number;
  vrid: number;
  priority: number;
  count: number;
  /** v2 auth type (0 none, 1 simple text, 2 IP AH); -1 in v3. */
  authType: number;
  /** v2 auth data, 8 bytes as two big-endian words (0 when absent). */
  authHi: number;
  authLo: number;
  /** Advertised interval exactly as on the wire: seconds in v2, centiseconds in v3. */
  intervalRaw: number;
  /** The same interval in centiseconds whatever the version (v2: raw × 100). */
  intervalCs: number;
  checksum: number;
  checksumStatus: Checksum;
  /** Length of the VRRP PDU as carried by IP. */
  vrrpLength: number;
  /** Bytes after the address list and v2 auth data (e.g. keepalived 2.4 HMAC trailer). */
  trailingBytes: number;
  /** 32-bit FNV-1a hash of the virtual address bytes: compare before formatting. */
  addrHash: number;
  /** (optional, added by the decoder) v2 advert whose IP length holds the addresses but no 8-byte
   *  authentication data (auth type 0 only; keepalived rejects it as "vrrp packet too short"). */
  authDataMissing?: boolean;
  // --- ICMP error fields (kind IcmpError): `src*` is the ICMP sender; quoted VRRP packet below ---
  icmpType: number;
  icmpCode: number;
  /** Source / destination of the quoted (original) VRRP packet, same word layout. */
  qsrc0: number; qsrc1: number; qsrc2: number; qsrc3: number;
  qdst0: number; qdst1: number; qdst2: number; qdst3: number;
  /** VRID of the quoted VRRP packet, -1 if not quoted far enough. */
  qvrid: number;
  // --- ARP fields (kind Arp): operation, sender/target IPv4, sender MAC (in macHi/macLo), target MAC ---
  arpOp: number;
  arpSpa: number;
  arpTpa: number;
  /** ARP target hardware address (hi 16 bits, lo 32 bits). */
  arpThaHi: number;
  arpThaLo: number;
  // --- neighbour discovery fields (kind Nd): `src*`/`dst*` are the IPv6 addresses, `ttl` the hop limit
  //     (always 255), `macHi/macLo` the link-layer source MAC ---
  /** ICMPv6 type: 135 neighbour solicitation, 136 neighbour advertisement. */
  ndType: number;
  /** NA flags byte: 0x80 router (R), 0x40 solicited (S), 0x20 override (O); 0 for NS. */
  ndFlags: number;
  /** Target address (four big-endian words). */
  ndTarget0: number; ndTarget1: number; ndTarget2: number; ndTarget3: number;
  /** The link-layer address option: source (NS, type 1) or target (NA, type 2); ndLlaHi = -1 when absent. */
  ndLlaHi: number;
  ndLlaLo: number;

  // --- text on demand, valid only during the callback ---
  srcText(): string;
  dstText(): string;
  macText(): string;
  /** Virtual addresses as text (IPv4 dotted or IPv6 compressed). */
  addresses(): string[];
  /** v2 simple-auth text, NUL-trimmed, raw (callers sanitise and mask). */
  authText(): string;
  /** Quoted (original) source / destination of an ICMP error, as text. */
  qsrcText(): string;
  qdstText(): string;
  /** Word `w` (0..3; IPv4 uses word 0) of the `i`-th virtual address of an advert (0 when not captured):
   *  addresses compared as numbers, no text made. */
  addressWord(i: number, w: number): number;
}

/** A frame's consumer. `buf` is only valid during the call. */
export interface FrameSink {
  frame(buf: Uint8Array, off: number, caplen: number, origlen: number,
        tsSec: number, tsNsec: number, linktype: number): void;
  /** Optional: called after each batch of frames (live capture: once per poll wakeup), e.g. to flush a
   *  pcap writer so that a signal between batches never loses a written frame. */
  batchEnd?(): void;
}
