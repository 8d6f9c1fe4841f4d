// Bounds on what the wire can grow (the developers' guide: bounded by construction). Each list the
// analyzer keeps from packets either stops growing or drops its oldest entry at one of these numbers;
// the routers and the sources of each router are bounded by AnalyzerOptions.maxRouters / maxSources
// (--max-routers / --max-sources), what arrives beyond them is counted, not tracked (admission.ts).

/** Virtual routers tracked at most, unless AnalyzerOptions.maxRouters says otherwise (--max-routers). */
export const DEFAULT_MAX_ROUTERS = 1024;
/** Sources tracked per virtual router at most, unless AnalyzerOptions.maxSources says otherwise (--max-sources). */
export const DEFAULT_MAX_SOURCES = 16;
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

// ---- admission (admission.ts): who gets tracked when the limits are reached or a flood is going on
/** A flood is going on until this many seconds after the last advert beyond the limits; meanwhile a
 *  newcomer (router or source) is tracked only once it repeats. */
export const FLOOD_HOLD = 60;
/** A source with fewer adverts than this, not admitted by repeating, is not established: it may age out. */
export const ESTABLISHED_ADVERTS = 3;
/** Silence after which a source that is not established ages out (once anything went beyond the limits):
 *  max(AGE_OUT_FLOOR, AGE_OUT_MASTER_DOWNS × its master-down interval) seconds. */
export const AGE_OUT_FLOOR = 60;
export const AGE_OUT_MASTER_DOWNS = 3;
/** Routers looked at, from a rotating cursor, when one must make room for an admitted newcomer. */
export const EVICTION_SAMPLE = 32;
/** The repeat sketch (repeat-sketch.ts): one generation's length in seconds, its size in bytes (two are
 *  kept), and the keys one generation takes before it is rotated early. */
export const REPEAT_WINDOW = 4;
export const REPEAT_SKETCH_BYTES = 2 * 1024 * 1024;
export const REPEAT_GENERATION_KEYS = 500_000;
/** Sources beyond the limits quoted by the flood finding (the first ones seen). */
export const FLOOD_SAMPLES = 5;

/** Work done by the loops over sources and routers: each such loop adds the number of entries it walks
 *  (tests assert that it grows linearly with the adverts, whatever their sources). */
export class WorkMeter {
  steps = 0;
}
