// Bounds on what the wire can grow (the developers' guide: bounded by construction). Each list the
// analyzer keeps from packets either stops growing or drops its oldest entry at one of these numbers.
// (The router registry and the sources of one router are not bounded here yet.)

/** Priority changes kept per source (the oldest point is dropped). */
export const MAX_PRIORITY_HISTORY = 256;
/** Master changes, split-brain and no-master periods kept per router (the oldest is dropped). */
export const MAX_PERIODS = 1000;
/** Unicast destinations remembered per source (further ones are not kept). */
export const MAX_UNICAST_PEERS = 16;
/** Silenced-master spells and brief dual masters kept per router, for the evidence (further ones are not kept). */
export const MAX_SPELLS = 64;
/** Distinct ICMP errors quoting VRRP kept (by family, VRID, type, code and sender; further ones are only counted). */
export const MAX_ICMP_NOTES = 64;
/** Virtual addresses whose claims (ARP, neighbour discovery) are followed: listed by an advert or named by
 *  --vip (further ones are counted as left out: stats.ownership.vipsLeftOut). */
export const MAX_TRACKED_VIPS = 4096;
/** Addresses claimed by gratuitous ARP / unsolicited NA that no advert lists (yet): the oldest is replaced. */
export const MAX_PENDING_VIPS = 256;
/** MACs kept per address: when full, the one claimed least recently that no advertiser sends from is replaced. */
export const MAX_MACS_PER_VIP = 8;
/** Active-probe rounds kept per address (the oldest is dropped; totals count them all). */
export const MAX_PROBE_ROUNDS = 16;
/** Events kept for the snapshot when AnalyzerOptions.maxEvents is not given (the oldest is dropped). */
export const DEFAULT_MAX_EVENTS = 1000;
