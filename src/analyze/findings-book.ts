// The findings and events book: opens findings (per router, or of no router), counts their repeats,
// builds events and keeps their bounded history, and hands each event to onEvent as it happens.
// What a finding says (evidence, cause, fix context) is rebuilt from the counters by the diagnosis
// (evidence.ts), given to the book as an EvidenceSource: the book does not know the finding codes.
//
// Invariants: a router has at most one finding per code (repeats raise count, lastSeen, severity); a
// finding's event is pushed after the finding is complete; onEvent sees every event once, complete
// (callers fill an event's optional fields before push()); at most maxEvents events are kept.
import type { AnalysisEvent, EventType, Family, Finding, FindingCode, Severity } from './model.js';
import type { FindingRecord, RouterState } from './router-state.js';
import type { SourceState } from './source-state.js';

/** What rebuilds a finding's evidence, cause and fix context from the current counters. */
export interface EvidenceSource {
  refresh(fi: FindingRecord): void;
}

const SEVERITY_RANK: Record<Severity, number> = { ok: 0, warning: 1, critical: 2 };

/** The worse of two severities. */
export function worse(a: Severity, b: Severity): Severity {
  return SEVERITY_RANK[b] > SEVERITY_RANK[a] ? b : a;
}

export class FindingsBook {
  /** Every finding kept, router and global ones, in order of opening (a Set: a router that stops being
   *  tracked takes its findings with it, forgetRouter()). */
  records = new Set<FindingRecord>();
  /** Findings of no router, by key ('rejected-packets', 'expected-vrid-missing:VRID'). */
  readonly global = new Map<string, FindingRecord>();
  /** Bounded event history, newest last. */
  events: AnalysisEvent[] = [];
  onEvent: ((e: AnalysisEvent) => void) | null = null;
  /** Events dropped from the history by its bound (or by clearHistory()). */
  eventsDropped = 0;
  /** Times in messages carry their date (the input spans more than a day so far): set by the analyzer. */
  dated = false;

  constructor(private readonly maxEvents: number, private readonly evidence: EvidenceSource) {}

  /** Another occurrence of a router's finding, if it is open. */
  touch(r: RouterState, code: FindingCode, t: number): void {
    const fi = r.findings.get(code);
    if (fi !== undefined) {
      fi.finding.count++;
      fi.finding.lastSeen = t;
    }
  }

  /** Open a router's finding (its event pushed), or count another occurrence of it. */
  routerFinding(r: RouterState, code: FindingCode, sev: Severity, t: number, a: SourceState | null, b: SourceState | null, title: string): FindingRecord {
    let fi = r.findings.get(code);
    if (fi !== undefined) {
      fi.finding.count++;
      fi.finding.lastSeen = t;
      if (SEVERITY_RANK[sev] > SEVERITY_RANK[fi.finding.severity]) fi.finding.severity = sev;
      return fi;
    }
    const f: Finding = {
      code, severity: sev, routerKey: r.key, vrid: r.vrid, family: r.family, title, evidence: [], cause: null,
      fixContext: {
        deafHost: null, peers: [], multicast: null, family: r.family,
      },
      firstSeen: t, lastSeen: t, count: 1,
    };
    fi = { finding: f, router: r, source: a, otherSource: b };
    r.findings.set(code, fi);
    this.records.add(fi);
    this.evidence.refresh(fi);
    const e = this.event(r, t, 'finding', sev, null, null, title);
    e.findingCode = code;
    this.push(e);
    return fi;
  }

  /** Open a finding of no router under `key` (its event pushed), or return the open one unchanged. */
  globalFinding(key: string, code: FindingCode, sev: Severity, t: number, r: RouterState | null, vrid: number | null,
    family: Family | null, title: string): FindingRecord {
    let fi = this.global.get(key);
    if (fi !== undefined) return fi;
    const f: Finding = {
      code, severity: sev, routerKey: r?.key ?? null, vrid, family, title, evidence: [], cause: null,
      fixContext: { deafHost: null, peers: [], multicast: null, family },
      firstSeen: t, lastSeen: t, count: 1,
    };
    fi = { finding: f, router: r, source: null, otherSource: null };
    this.global.set(key, fi);
    this.records.add(fi);
    const e: AnalysisEvent = {
      t, type: 'finding', routerKey: r?.key ?? '', family: family ?? 4, vrid: vrid ?? 0, vlan: null, severity: sev,
      master: null, previousMaster: null, advertisers: [], duration: null, expected: null, message: title, findingCode: code,
    };
    this.push(e);
    return fi;
  }

  /** Build and push an event of router `r`. */
  emit(r: RouterState, t: number, type: EventType, sev: Severity, duration: number | null, expected: number | null, message: string): AnalysisEvent {
    const e = this.event(r, t, type, sev, duration, expected, message);
    this.push(e);
    return e;
  }

  /** An event not yet pushed: fill its optional fields, then push() (onEvent sees it complete). */
  event(r: RouterState, t: number, type: EventType, sev: Severity, duration: number | null, expected: number | null, message: string): AnalysisEvent {
    const act: string[] = [];
    for (const a of r.sources) if (a.advertising) act.push(a.ip);
    const e: AnalysisEvent = {
      t, type, routerKey: r.key, family: r.family, vrid: r.vrid, vlan: r.vlan >= 0 ? r.vlan : null, severity: sev,
      master: r.master?.ip ?? null, previousMaster: null, advertisers: act, duration, expected, message,
    };
    return e;
  }

  push(e: AnalysisEvent): void {
    if (this.events.length >= this.maxEvents) {
      this.events.shift();
      this.eventsDropped++;
    }
    this.events.push(e);
    if (this.onEvent !== null) this.onEvent(e);
  }

  /** The dashboard's `c`: forget the events and every finding that is over; each router keeps what is
   *  going on (RouterState.forgetHistory()). */
  clearHistory(routers: readonly RouterState[]): void {
    this.eventsDropped += this.events.length;
    this.events = [];
    for (const r of routers) r.forgetHistory();
    this.global.clear();
    for (const fi of this.records) if (fi.router === null || fi.router.findings.get(fi.finding.code) !== fi) this.records.delete(fi);
  }

  /** Router `r` is no longer tracked (admission.ts): its findings go with it. */
  forgetRouter(r: RouterState): void {
    for (const fi of r.findings.values()) this.records.delete(fi);
  }
}
