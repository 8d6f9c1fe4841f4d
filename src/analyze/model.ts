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
  | 'brief-dual-master' | 'vrrp-refused' | 'length-mismatch'
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
  /** Overall verdict: the worst router/finding severity that lasted beyond a normal transition. */
  verdict: Severity;
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
  | 'other';        // not an advert (reject, ICMP, ARP...)

export interface AnalyzerOptions {
  /** VRIDs the operator expects to see (`--expect-vrid`): absent ones become a CRITICAL finding. */
  expectVrids?: number[];
  /** Max events kept in the snapshot history (default 1000). */
  maxEvents?: number;
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
