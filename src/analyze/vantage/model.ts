// What the vantage-point analysis tells the outputs (text report, JSON `vantagePoints`, check perfdata,
// the split brain's cause). Plain data only: JSON-serialisable, no methods. Times are seconds on the common
// clock (the first capture's), like every time of the analysis.

/** How the capture taken on a source's own host ("its wire") was told. */
export type WireHow =
  | 'named'       // the user named the capture after the source's address: -r 10.0.0.2=b.pcap
  | 'outgoing'    // the capture marks the source's frames as sent by this host (Linux cooked capture, -i any)
  | 'timing';     // the source's frames appear there first, against another sender's on the same captures

export interface VantagePoint {
  /** The name given (-r NAME=FILE) or the file's name without its extension. */
  name: string;
  file: string;
  format: string | null;
  frames: number;
  /** VRRP adverts in this capture (each copy). */
  adverts: number;
  /** First and last frame, on the common clock; null without frames. */
  first: number | null;
  last: number | null;
  /** Seconds added to this capture's timestamps to bring them onto the common clock (0 for the first). */
  offset: number;
  /** 'reference' for the first capture; 'measured' from adverts both captures saw; 'assumed' when no advert
   *  was seen by both (the captures' own clocks are used, said so in the notes). */
  offsetHow: 'reference' | 'measured' | 'assumed';
  /** The capture it was measured against, the adverts used and the spread (90 % of their differences lie
   *  within ±spread seconds of the offset). */
  offsetAgainst: string | null;
  offsetPairs: number;
  offsetSpread: number | null;
  /** Sources whose wire this is (see WireHow). */
  owns: string[];
  /** Where the file broke off, when it did (what was read before is in the analysis). */
  problem: { kind: string; offset: number; message: string } | null;
}

export interface LossSpell {
  /** First and last lost advert's time. */
  from: number;
  to: number;
  adverts: number;
}

/** How one source's adverts fared on one other capture. */
export interface Delivery {
  /** The capture (vantage point name) and the source whose wire it is, when known. */
  to: string;
  toSource: string | null;
  /** The source's adverts while this capture ran, how many it saw, how many it missed. */
  expected: number;
  arrived: number;
  lost: number;
  /** lost / expected × 100, rounded to 0.1; null when nothing was expected. */
  lossPercent: number | null;
  /** The same while another source of the router advertised too (a dual period: what that source should
   *  have heard to go back to backup). */
  dualExpected: number;
  dualArrived: number;
  /** Runs of consecutive lost adverts: how many, the first ones (bounded), the longest. */
  spellCount: number;
  spells: LossSpell[];
  spellsLeftOut: number;
  longest: LossSpell | null;
  /** Spells of 1, 2, 3 and 4 or more adverts (a backup takes over after about 3 intervals without one). */
  spellLengths: [number, number, number, number];
}

export interface SourceWires {
  source: string;
  /** Router text key without VLAN ("v4/99"): captures of one segment may tag it differently. */
  router: string;
  /** '224.0.0.18' / 'ff02::12', or the unicast peer the adverts were sent to. */
  destination: string;
  /** Distinct adverts seen on any capture. */
  sent: number;
  /** The capture taken on the source's own host, null when it cannot be told (`wireNote` says why). */
  wire: string | null;
  wireHow: WireHow | null;
  wireNote: string;
  /** The other captures (all of them when `wire` is null). */
  deliveries: Delivery[];
}

export interface VantageReport {
  points: VantagePoint[];
  sources: SourceWires[];
  /** Flows beyond MAX_FLOWS: how many, and their adverts (counted, not matched). */
  sourcesLeftOut: number;
  advertsLeftOut: number;
  /** Frames settled before their window passed because the pending window was full (a flood). */
  settledEarly: number;
  /** Lines that qualify the picture: clocks assumed, IPv6 matched by time, bounds reached. */
  notes: string[];
}
