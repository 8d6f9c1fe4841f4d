// What the analyzer tells the outputs (report, JSON, check, dashboard, metrics, hooks).
// Plain data only: JSON-serialisable, no methods, no bytes. Times are seconds (float, packet clock).
// Addresses are already text here; packet-derived free text (auth strings) is raw and must be
// sanitised/masked by whoever prints it (src/report/sanitize.ts).

export type Severity = 'ok' | 'warning' | 'critical';
export type Family = 4 | 6;

/** A virtual router's state at the snapshot time. */
export type RouterStatus =
  | 'ok'            // one master advertising
  | 'split-brain'   // two or more sources advertising as master beyond a normal transition
  | 'no-master'     // adverts stopped for longer than the master-down interval
  | 'resigned'      // the last master sent priority 0 and nobody took over (keepalived stopped)
  | 'transition';   // overlap or silence still within the normal transition allowance

export interface PriorityPoint { t: number; priority: number }

export interface Advertiser {
  ip: string;
  mac: string | null;
  /** True while it is advertising (seen within its master-down interval). */
  active: boolean;
  /** 'master' = the elected master now; 'contender' = advertising too (split brain or transition);
   *  'silent' = used to advertise, stopped; 'resigned' = last advert had priority 0. */
  role: 'master' | 'contender' | 'silent' | 'resigned';
  priority: number;
  /** Priority changes over time (bounded; first point is the first advert). */
  priorityHistory: PriorityPoint[];
  version: number;
  /** Advertised interval in seconds (v2 seconds, v3 centiseconds / 100). */
  advertInterval: number;
  /** Raw advertised interval and its unit as on the wire. */
  advertIntervalRaw: number;
  advertIntervalUnit: 's' | 'cs';
  /** Measured interval between consecutive adverts (seconds), null before two adverts. */
  measuredInterval: number | null;
  /** Standard deviation of the measured interval (seconds). */
  jitter: number | null;
  adverts: number;
  firstSeen: number;
  lastSeen: number;
  addresses: string[];
  /** v2 auth type (0/1/2), null for v3. */
  authType: number | null;
  /** v2 simple-auth text as seen (raw: mask before printing), null when not type 1. */
  authText: string | null;
  /** False when its auth type or text differs from the other advertisers'. */
  authMatches: boolean;
  /** Destination kind of its adverts. */
  destination: 'multicast' | 'unicast' | 'mixed';
  /** Unicast destinations seen (keepalived unicast_peer), empty for multicast. */
  unicastPeers: string[];
  ttlMin: number;
  ttlMax: number;
  /** Counts per checksum variant ('ok' | 'v2-style' | 'old-unicast' | 'bad' | 'unknown'). */
  checksums: Record<string, number>;
  vlan: number | null;
}

export interface Failover {
  /** When the new master's first advert was seen. */
  t: number;
  from: string | null;
  to: string;
  /** 'failover' (old master went silent), 'graceful' (priority 0 hand-over), 'preemption'
   *  (higher priority took over), 'initial' (first master seen). */
  kind: 'failover' | 'graceful' | 'preemption' | 'initial';
  /** Measured: first advert of the new master minus last advert of the old (seconds). */
  duration: number | null;
  /** Expected: Master_Down_Interval for the new master's priority (failover) or Skew_Time (graceful). */
  expected: number | null;
}

export interface SplitBrainPeriod {
  start: number;
  /** null while still going on. */
  end: number | null;
  duration: number;
  advertisers: string[];
  /** True when the capture ended while it was still going on (end = the last packet's time). */
  endedWithCapture?: boolean;
}

export interface NoMasterPeriod {
  start: number;
  end: number | null;
  duration: number;
  lastMaster: string | null;
}

export interface Router {
  /** Stable key: "v4/99", "v6/7", with VLAN "v4/99@vlan10". */
  key: string;
  family: Family;
  vrid: number;
  vlan: number | null;
  /** Outer (service) VLAN id when the adverts carry stacked tags (QinQ); absent otherwise. */
  vlanOuter?: number;
  state: RouterStatus;
  /** The worst state this router was in for longer than a normal transition, anywhere in the data. */
  worst: Severity;
  master: string | null;
  masterPriority: number | null;
  virtualAddresses: string[];
  advertisers: Advertiser[];
  failovers: Failover[];
  splitBrains: SplitBrainPeriod[];
  noMasters: NoMasterPeriod[];
  /** Master_Down_Interval (s) for the current backup, null when unknown. */
  masterDownInterval: number | null;
  lastFailover: number | null;
  adverts: number;
  firstSeen: number;
  lastSeen: number;
  /** Monotonic counts since the analysis began: never capped, never cleared by clearHistory() (the
   *  arrays above are bounded histories for display). Metrics counters come from here. */
  totals: RouterTotals;
  /** Who claimed its virtual addresses on the wire (ARP / neighbour discovery) and, with --probe-vip, who
   *  answered the probes (src/analyze/vip-ownership.ts). */
  ownership: VipOwnershipView;
}

/** How an address was claimed: gratuitous ARP (request or reply form), an ARP reply, an unsolicited or
 *  solicited IPv6 neighbour advertisement. */
export type ClaimKindName = 'garp-request' | 'garp-reply' | 'arp-reply' | 'na-unsolicited' | 'na-solicited';

/** One MAC's claims of one address. */
export interface VipClaimer {
  mac: string;
  /** The advertiser that sends from this MAC (its address), null when none does. */
  advertiser: string | null;
  /** The MAC is the router's use_vmac virtual MAC (00:00:5e:00:01:VRID / 00:00:5e:00:02:VRID). */
  virtualMac: boolean;
  claims: Partial<Record<ClaimKindName, number>>;
  first: number;
  last: number;
}

/** One round of the active probe (--probe-vip) for an address: the distinct MACs that answered. */
export interface ProbeRound {
  t: number;
  macs: string[];
  answers: number;
}

export interface VipProbeView {
  /** Probes sent and answers seen since the start (never capped). */
  sent: number;
  answers: number;
  /** Rounds in which two or more MACs answered. */
  roundsWithTwoOrMore: number;
  /** The latest finished rounds (bounded), oldest first. */
  rounds: ProbeRound[];
  /** The round still counting answers (its probe went out less than a second ago), null when none. */
  counting: ProbeRound | null;
}

export interface VipView {
  address: string;
  claimers: VipClaimer[];
  /** MACs not kept (more than MAX_MACS_PER_VIP claimed it). */
  claimersLeftOut: number;
  /** The last claim every neighbour heard (gratuitous ARP, unsolicited NA): the MAC they were last told. */
  lastTold: { mac: string; advertiser: string | null; t: number; kind: ClaimKindName } | null;
  /** The last claim every neighbour heard is not the master's (stale-neighbours going on). */
  stale: boolean;
  /** With --probe-vip. */
  probe: VipProbeView | null;
}

export interface VipOwnershipView {
  /** False when the capture holds no ARP (IPv4) / no neighbour discovery (IPv6) at all. */
  judged: boolean;
  /** Why it could not be judged (null when judged). */
  note: string | null;
  vips: VipView[];
}

export interface RouterTotals {
  /** Master changes by kind. */
  failovers: { failover: number; graceful: number; preemption: number; initial: number };
  splitBrains: number;
  /** Seconds in split brain, closed periods plus the one going on. */
  splitBrainSeconds: number;
  noMasters: number;
  /** Seconds without a master, closed periods plus the one going on. */
  noMasterSeconds: number;
  briefDualMasters: number;
}

export type EventType =
  | 'new-master' | 'failover' | 'graceful-handover' | 'preemption'
  | 'split-brain-start' | 'split-brain-end' | 'no-master' | 'master-back'
  | 'priority-change' | 'dual-master' | 'finding';

export interface AnalysisEvent {
  t: number;
  type: EventType;
  routerKey: string;
  family: Family;
  vrid: number;
  vlan: number | null;
  severity: Severity;
  master: string | null;
  previousMaster: string | null;
  /** Advertisers currently active (IP list). */
  advertisers: string[];
  /** Seconds (failover duration, split-brain duration, silence), null when not applicable. */
  duration: number | null;
  expected: number | null;
  /** One sentence, plain text, already free of packet-derived control characters. */
  message: string;
  /** For 'finding' events: the finding's code. */
  findingCode?: string;
  /** For 'priority-change': who and from/to. */
  ip?: string;
  fromPriority?: number;
  toPriority?: number;
}

/** Stable finding codes (documented in docs/findings.md). */
export type FindingCode =
  | 'split-brain' | 'no-master' | 'interval-mismatch' | 'auth-mismatch' | 'vrid-collision'
  | 'version-mismatch' | 'ttl-not-255' | 'bad-checksum' | 'checksum-variant' | 'priority-255-conflict'
  | 'flapping' | 'rejected-packets' | 'weight-too-small' | 'expected-vrid-missing' | 'unicast-multicast-mix'
  | 'brief-dual-master' | 'vrrp-refused' | 'length-mismatch' | 'vrrp-flood' | 'vip-conflict' | 'stale-neighbours'
  | 'tracked-check-failed'
  // several vantage points (-r a -r b): a source's adverts lost on the way to another node's wire
  | 'advert-loss';

/** Why a split brain happened, as far as the evidence goes. */
export type Cause =
  | 'firewall-drop'        // one side hears the other (answers its adverts) and is not heard back
  | 'firewall-reject'      // ICMP admin-prohibited quoting VRRP
  | 'firewall-stateful'    // unicast passes the backup's firewall only as conntrack replies (no VRRP rule)
  | 'network'              // the adverts do not reach the other node's wire (two vantage points tell it)
  | 'network-loss'         // part of the adverts do not reach the other node's wire (two vantage points)
  | 'host-drop'            // the adverts reach the other node's wire, and that host drops them (two vantage points)
  | 'auth-mismatch' | 'interval-mismatch' | 'version-mismatch' | 'ttl' | 'checksum-variant'
  | 'vip-mismatch' | 'length-mismatch' | 'unicast-multicast-mix' | 'unicast-peer' | 'sender-stall' | 'unknown';

export interface Finding {
  code: FindingCode;
  severity: Severity;
  routerKey: string | null;
  vrid: number | null;
  family: Family | null;
  /** One line: what is wrong. */
  title: string;
  /** Facts from the capture that support it (plain text lines). */
  evidence: string[];
  cause: Cause | null;
  /** Inputs for remedies (src/remedy): which host must change and which peer/destination to allow. */
  fixContext: {
    /** Host that drops/doesn't hear (the one to change), when known. */
    deafHost: string | null;
    /** Address(es) the deaf host must accept VRRP from. */
    peers: string[];
    /** Multicast group in use ('224.0.0.18' | 'ff02::12'), null for unicast only. */
    multicast: string | null;
    family: Family | null;
    /** For config mismatches: the keepalived.conf keyword and the values seen per host. */
    configKey?: string;
    values?: Record<string, string>;
  };
  firstSeen: number;
  lastSeen: number;
  count: number;
}

export interface CaptureStats {
  frames: number;
  bytes: number;
  vrrpAdverts: number;
  /** Protocol-112 packets that did not parse, by reason name (REJECT_NAMES). */
  rejects: Record<string, number>;
  carp: number;
  icmpErrors: number;
  arp: number;
  /** Frames of link types we cannot decode, by link type name. */
  unsupportedLinks: Record<string, number>;
  /** Protocol-112 frames cut short by the capture's snapshot length (in `rejects` too, but no finding). */
  cutByCapture?: number;
  /** Adverts seen twice within 2 ms (same source, IP ID, checksum; e.g. `-i any` on a bridge): ignored. */
  duplicates?: number;
  /** IPv6 neighbour solicitations and advertisements. */
  nd?: number;
  /** What the virtual-address ownership room keeps and what it left out (bounded, src/analyze/limits.ts). */
  ownership?: { followed: number; pending: number; vipsLeftOut: number; pendingReplaced: number; claimersReplaced: number };
  /** Live only: libpcap's counters, null offline. */
  pcapReceived: number | null;
  pcapDropped: number | null;
  pcapIfDropped: number | null;
}

export interface Snapshot {
  /** Packet-clock time of the snapshot (last packet or tick), seconds. */
  time: number;
  firstTime: number | null;
  stats: CaptureStats;
  routers: Router[];
  findings: Finding[];
  /** Bounded history of events (newest last). */
  events: AnalysisEvent[];
  /** The limits on what is tracked, and what went beyond them (a flood); always set by the analyzer
   *  (absent only in snapshots made by hand: the dashboard's demo, tests). */
  limits?: LimitStats;
  /** Addresses named by --vip that no advert lists: their claims and probe answers. */
  unlistedVips?: VipView[];
  /** Overall verdict: the worst router/finding severity that lasted beyond a normal transition. */
  verdict: Severity;
}

/** A source beyond the limits, as the flood finding quotes it. */
export interface FloodSample {
  ip: string;
  mac: string | null;
  family: Family;
  vrid: number;
  vlan: number | null;
  priority: number;
  t: number;
}

/** The limits on tracked routers and sources, and what arrived beyond them (docs/analysis.md §12). */
export interface LimitStats {
  maxRouters: number;
  maxSources: number;
  /** Routers and sources tracked now. */
  routers: number;
  sources: number;
  /** Adverts of routers or sources beyond the limits (or new during a flood and not repeating): counted, not tracked. */
  untrackedAdverts: number;
  /** About how many distinct sources (router and address) and routers those came from (±2 %). */
  untrackedSources: number;
  untrackedRouters: number;
  /** Of those adverts: how many claimed priority 255, how many were for a tracked router with an established source. */
  priority255: number;
  inUse: number;
  /** Packet times of the first and last of them (null when none), and the most in one second of capture time. */
  first: number | null;
  last: number | null;
  peakPerSecond: number;
  /** VRIDs they were for, per family. */
  vrids: { v4: number[]; v6: number[] };
  /** Tracked routers with an established source that some of them were for: "v4/99 (10.0.0.1)", the first few. */
  inUseRouters: string[];
  /** The first few distinct sources among them. */
  samples: FloodSample[];
  /** Newcomers tracked because they repeated while their table was full or a flood was going on. */
  admitted: { routers: number; sources: number };
  /** Tracked ones removed to make room for an admitted newcomer, and removed after a long silence. */
  evicted: { routers: number; sources: number };
  agedOut: { routers: number; sources: number };
  /** A flood is going on (something went beyond the limits within FLOOD_HOLD seconds). */
  floodActive: boolean;
  /** Events the bounded history dropped (the oldest first), since the start. */
  eventsDropped: number;
}

/** What the analyzer thought of one advert (for `--adverts` lines). Interned literals: no allocation. */
export type AdvertNote =
  | 'master'        // from the current master
  | 'new-master'    // first advert of a new master (failover / preemption / initial)
  | 'contender'     // a second source advertising for the same router (split brain or transition)
  | 'resign'        // priority 0: master resigning
  | 'echo'          // off-cycle answer to a lower-priority advert ("forcing new election")
  | 'anomaly'       // parsed, but a peer would drop it (TTL, checksum, auth, version...)
  | 'duplicate'     // the previous advert again (the same frame seen on two interfaces): ignored
  | 'untracked'     // a router or source beyond the limits (a flood): counted, not tracked
  | 'other';        // not an advert (reject, ICMP, ARP...)

export interface AnalyzerOptions {
  /** VRIDs the operator expects to see (`--expect-vrid`): absent ones become a CRITICAL finding. */
  expectVrids?: number[];
  /** Max events kept in the snapshot history (default 1000). */
  maxEvents?: number;
  /** Virtual routers tracked at most (default 1024, `--max-routers`). */
  maxRouters?: number;
  /** Sources tracked per virtual router at most (default 16, `--max-sources`). */
  maxSources?: number;
}

/** The analyzer's surface (implemented in src/analyze/analyzer.ts). Pure: time comes only from
 *  packets and tick(); no I/O, no Date.now(). */
export interface AnalyzerApi {
  /** Feed one decoded record of any kind. */
  packet(p: import('../decode/packet.js').PacketRecord): AdvertNote;
  /** Advance the clock without a packet (live mode): detects silence (no master). */
  tick(t: number): void;
  /** Called synchronously for each event as it happens. */
  onEvent: ((e: AnalysisEvent) => void) | null;
  /** Libpcap counters (live), merged into stats. */
  setCaptureCounters(received: number, dropped: number, ifDropped: number): void;
  /** Count a frame's bytes / unsupported link types etc. is done by packet(); this builds the view. */
  snapshot(): Snapshot;
  /** End of input (file end): closes open periods at the last packet time, without inventing outages. */
  finish(): void;
}

// Notes for implementers of AnalyzerApi:
// - packet() is called for EVERY frame (kind Other too: it only bumps counters then), so the Other
//   path must be a couple of increments.
// - After packet() returned 'anomaly', `lastAnomaly` (an interned string such as 'ttl-254',
//   'bad-checksum', 'auth-mismatch') tells why a peer would drop that advert.
