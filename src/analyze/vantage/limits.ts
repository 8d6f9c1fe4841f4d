// Bounds and tolerances of the vantage-point analysis (several captures of one segment read together,
// docs/analysis.md §14). Every list the captures can grow stops at one of these numbers and counts what it
// left out; the tolerances are the rules the tests quote.

/** Captures read together at most (`-r` given more often is a usage error). */
export const MAX_VANTAGE_POINTS = 8;
/** Sources sampled per capture in the first pass (further ones are counted, not sampled). */
export const MAX_SURVEY_SOURCES = 64;
/** Virtual routers (family + VRID) noted per capture in the first pass. */
export const MAX_SURVEY_ROUTERS = 256;
/** Adverts sampled per capture and source for the clock offset: those whose IP ID is a multiple of a power
 *  of two that doubles whenever the sample is full, so every capture keeps the same adverts of a source. */
export const OFFSET_SAMPLES = 512;
/** Delivery is counted per flow (source, router, destination) and capture: flows tracked at most. */
export const MAX_FLOWS = 64;
/** Senders (a MAC, or an address when the link has none) whose frames are timed across captures. */
export const MAX_ORIGINS = 16;
/** Frames waiting for their copies on the other captures (a sliding window over the merged stream); when a
 *  flood fills it, the oldest is settled early and counted. */
export const MAX_PENDING = 16384;
/** Loss spells kept per flow and capture (the first ones; the longest is always kept). */
export const MAX_SPELLS_KEPT = 16;
/** Time differences kept per sender and pair of captures, for the question whose wire a capture is. */
export const LEAD_SAMPLES = 128;

/** The same advert on two captures (source, IP ID, checksum) lies at most this far apart once the clocks are
 *  aligned (seconds): the offset's error, the network's delay and the capture's own jitter. */
export const MATCH_WINDOW = 0.25;
/** Frames without an IP ID (IPv6 adverts, ARP): matched within this many seconds, and for an advert within
 *  NOID_FRACTION of its interval, so the next advert of the same source is never taken for it. */
export const NOID_WINDOW = 0.05;
export const NOID_FRACTION = 0.4;
/** Clock offset: the matched pairs' time differences are clustered in windows of ±this many seconds; the
 *  densest window must hold at least OFFSET_MIN_PAIRS and twice as many as any other. */
export const OFFSET_CLUSTER = 0.002;
/** The same for adverts without IP ID, which pair with every advert of their source: ±0.1 ms. */
export const NOID_CLUSTER = 0.0001;
export const OFFSET_MIN_PAIRS = 3;
/** A capture's frames of a sender arriving earlier than on another capture, relative to another sender's
 *  frames on the same two captures (so the clocks cancel out), mark it as nearer that sender: by at least
 *  LEAD_MIN seconds between the medians (pcap's microsecond resolution twice), and the later one on the other
 *  capture in at least LEAD_SHARE of the pairs of one frame of each sender. */
export const LEAD_MIN = 2e-6;
export const LEAD_SHARE = 0.9;
/** Time differences needed per sender and pair of captures before their median is trusted. */
export const LEAD_MIN_SAMPLES = 3;
/** A direction that delivered at least this share of a source's adverts delivered them all (a capture
 *  started or stopped a little later than the others); at most NONE_SHARE: none. */
export const ALL_SHARE = 0.98;
export const NONE_SHARE = 0.02;
