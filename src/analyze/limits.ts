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
/** IPv4 addresses whose last gratuitous ARP is remembered (further addresses are not kept). */
export const MAX_ARP_CLAIMS = 4096;
/** Events kept for the snapshot when AnalyzerOptions.maxEvents is not given (the oldest is dropped). */
export const DEFAULT_MAX_EVENTS = 1000;
