// What the analyzer knows of one virtual router (address family + VRID + VLAN tag path): its sources,
// its master, the dual period and split brain or no-master period going on, the bounded histories
// (master changes, periods) and the monotonic totals, and the findings opened for it. Plain state:
// the transitions are in router-machine.ts and the parts it calls (election.ts, split-brain.ts,
// no-master.ts).
//
// Invariants: advertisingCount = the number of sources with `advertising` set; splitBrain / noMaster
// are the open periods (also the last entries of splitBrains / noMasters, unless clearHistory() or the
// bound dropped them); `totals` only grow.
import type { Failover, Family, Finding, NoMasterPeriod, SplitBrainPeriod } from './model.js';
import type { SourceState } from './source-state.js';

/** A finding as the analyzer keeps it: the finding (output) and what its evidence is rebuilt from. */
export interface FindingRecord {
  finding: Finding;
  /** Its router, null for findings of no router (rejected-packets, expected-vrid-missing). */
  router: RouterState | null;
  /** The sources it is about, when it names them (e.g. the two sides of a mismatch; the master of no-master). */
  source: SourceState | null;
  otherSource: SourceState | null;
}

/** A lower-priority source that started advertising while the master had been advertising for longer
 *  than the source's master-down interval (it did not hear the master). */
export interface Takeover {
  source: SourceState;
  master: SourceState;
  /** Time of the source's first advert as master. */
  from: number;
  /** Since when the master had been advertising without a break. */
  masterSince: number;
  /** The source's Master_Down_Interval (s). */
  masterDown: number;
  /** source.adverts when it started (its first advert as master included). */
  advertsAtStart: number;
}

/** A takeover that ended without a split brain: the source went back to backup on its own. */
export interface BriefDual {
  source: SourceState;
  master: SourceState;
  from: number;
  /** Time of the source's last advert as master. */
  to: number;
  adverts: number;
  masterSince: number;
  masterDown: number;
}

/** A quiet spell of a silenced master (docs/analysis.md §3.1). */
export interface SilencedSpell {
  source: SourceState;
  /** Its last advert before it went quiet. */
  from: number;
  /** When it spoke again (or resigned, or its silencer stopped); -1 while still quiet. */
  to: number;
}

export class RouterState {
  sources: SourceState[] = [];
  /** How many of `sources` are advertising now. */
  advertisingCount = 0;
  /** The election winner among the advertising sources; the silent master until another advertises
   *  or a no-master period opens (null then, and before the first advert). */
  master: SourceState | null = null;
  /** The source of the last advert (echo detection). */
  lastSender: SourceState | null = null;
  /** Start of the dual period going on (two or more sources advertising), NaN when none. */
  dualPeriodStart = NaN;
  /** The largest advertised interval (s) among the sources advertising during the dual period. */
  dualPeriodMaxInterval = 0;
  /** The split brain going on, null when none; and its masters (the election winner first; kept after it ends). */
  splitBrain: SplitBrainPeriod | null = null;
  splitBrainSources: SourceState[] = [];
  /** The no-master period going on, null when none. */
  noMaster: NoMasterPeriod | null = null;
  failovers: Failover[] = [];
  splitBrains: SplitBrainPeriod[] = [];
  noMasters: NoMasterPeriod[] = [];
  /** Times of the master changes within the flapping window (FLAP_WINDOW). */
  masterChangeTimes: number[] = [];
  findings = new Map<string, FindingRecord>();
  adverts = 0;
  /** Time of the last master change that was not 'initial', null when none. */
  lastFailover: number | null = null;
  constructor(
    /** routerKey() of its tag path, family and VRID (the registry's key). */
    readonly numericKey: number,
    /** Text key: "v4/99", "v6/7", "v4/99@vlan10", "v4/99@vlan20.10". */
    readonly key: string,
    readonly family: Family, readonly vrid: number,
    /** Innermost VLAN id, -1 untagged. */
    readonly vlan: number,
    readonly firstSeen: number,
  ) {}
  /** Time of its last advert. */
  lastSeen = 0;
  /** Last master while there is none (no-master period). */
  lastMaster: SourceState | null = null;
  /** A master silenced on the wire (docs/analysis.md §3.1), null when none. */
  silencedMaster: SourceState | null = null;
  /** Silenced-master spells, for the evidence (at most MAX_SPELLS). */
  silencedSpells: SilencedSpell[] = [];
  /** Silenced-master spells past MAX_SPELLS, counted but not kept. */
  silencedSpellsNotKept = 0;
  /** The input ended during a split brain (finish()). */
  splitBrainAtEnd = false;
  /** The input ended while this router had no master (finish()). */
  noMasterAtEnd = false;
  /** Outer VLAN id with stacked tags (QinQ), -1 otherwise. */
  vlanOuter = -1;
  /** A takeover pending until the dual period ends, as a brief dual master, or becomes a split brain. */
  pendingTakeover: Takeover | null = null;
  /** Brief dual masters seen (evidence of 'brief-dual-master', at most MAX_SPELLS). */
  briefDualMasters: BriefDual[] = [];
  /** Tracked only from a later advert, admitted because it repeated during a flood (admission.ts). */
  admittedByRepeat = false;
  /** The master's priority fell while no backup was known, from `from` (before its first drop) to `to` (after
   *  its last, at t): judged by Election.judgeCheckDrop once a backup would have taken over; null otherwise. */
  checkDrop: { source: SourceState; from: number; to: number; t: number } | null = null;
  /** Monotonic counts (Router.totals): never capped, never cleared by clearHistory(). */
  totals = { failover: 0, graceful: 0, preemption: 0, initial: 0, splitBrains: 0, splitBrainClosedSeconds: 0, noMasters: 0, noMasterClosedSeconds: 0, briefDualMasters: 0 };

  /** The dashboard's `c` (Analyzer.clearHistory()): forget what is over, keep what is going on (an open
   *  split-brain or no-master period and its finding). */
  forgetHistory(): void {
    this.failovers = [];
    this.masterChangeTimes = [];
    this.splitBrains = this.splitBrains.filter((p) => p.end === null);
    this.noMasters = this.noMasters.filter((p) => p.end === null);
    for (const code of this.findings.keys()) {
      const ongoing = (code === 'split-brain' && this.splitBrain !== null) || (code === 'no-master' && this.noMaster !== null);
      if (!ongoing) this.findings.delete(code);
    }
  }
}

/** Remove source `s` (not advertising, not named by what is going on: admission.ts decides) from `r`. The
 *  findings, spells and periods that name it keep their reference for their evidence. */
export function forgetSource(r: RouterState, s: SourceState): void {
  const i = r.sources.indexOf(s);
  if (i >= 0) r.sources.splice(i, 1);
  if (r.lastSender === s) r.lastSender = null;
}

/** The known source other than `m` with the highest last non-zero priority (the backup that should take
 *  over from `m`; the first of equals), null when none. */
export function bestKnownBackup(r: RouterState, m: SourceState): SourceState | null {
  let b: SourceState | null = null;
  for (const x of r.sources) if (x !== m && x.lastNonZeroPriority > 0 && (b === null || x.lastNonZeroPriority > b.lastNonZeroPriority)) b = x;
  return b;
}

/** The VLAN tag path a router is keyed by: the VLAN id, or with stacked tags (QinQ) outer and inner
 *  together, so two customers' S-VLANs carrying the same C-VLAN and VRID stay apart. -1 = untagged. */
export function tagOf(vlan: number, vlanOuter: number): number {
  return vlanOuter >= 0 ? (vlanOuter + 1) * 4096 + vlan : vlan;
}

/** Numeric router key: tag path, family and VRID. */
export function routerKey(tag: number, family: number, vrid: number): number {
  return (tag + 1) * 512 + (family === 6 ? 256 : 0) + vrid;
}
