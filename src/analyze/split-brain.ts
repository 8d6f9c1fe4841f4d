// Dual periods and split brain (docs/analysis.md §3, §3.1, §9a): when two or more sources advertise at
// once, when that lasts long enough to be a split brain (not a start-up race or a preemption), the
// silenced master (a master that rejects the other's adverts and goes quiet on the wire without
// resigning), and the takeover of a backup that did not hear the master (dual-master event, then a
// split brain or a brief dual master). The router machine (router-machine.ts) calls in here when a
// source starts or stops advertising and when time passes.
//
// Invariants: a dual period exists (dualPeriodStart is a number) only while two or more sources advertise,
// or until the call that ends it; a split brain opens once per dual period (declare) and closes once
// (endSplit, or closeAtEnd when the input ends); the silenced master is set only during a split brain
// (or the call that declares it); pendingTakeover only during a dual period.
import type { SplitBrainPeriod } from './model.js';
import type { FindingsBook } from './findings-book.js';
import type { Diagnosis } from './evidence.js';
import type { RouterState } from './router-state.js';
import { beats, type SourceState } from './source-state.js';
import { ADVERTISING_WINDOW, TRANSITION_INTERVALS, masterDownInterval } from './timing.js';
import { MAX_PERIODS, MAX_SPELLS, type WorkMeter } from './limits.js';
import { oneShot, type Admission } from './admission.js';
import { utcClock, fmt } from './evidence-text.js';

export class SplitBrainWatch {
  /** `admission`: during a flood a source that sent one advert and went quiet is flood traffic (no silenced
   *  master, no takeover); `meter`: the work counter. */
  constructor(private readonly book: FindingsBook, private readonly diagnosis: Diagnosis, private readonly admission: Admission,
    private readonly meter: WorkMeter) {}

  /** Source `a` stopped advertising: its window expired at `e` (or it resigned then), its last advert was at `last`. */
  afterInactive(r: RouterState, e: number, last: number, a: SourceState): void {
    if (r.advertisingCount >= 2) return;
    const floodShot = oneShot(a) && this.admission.flooding;
    if (r.advertisingCount === 1 && !a.resigned && r.dualPeriodStart === r.dualPeriodStart && !floodShot) {
      // Silenced master (analysis §3.1): `a` rejects the adverts of the source still advertising
      // (configuration mismatch, or TTL/hop limit != 255), so it cannot have heard a better master
      // and gone back to backup; it went quiet without resigning because each rejected advert
      // restarts a keepalived 2.2 master's advert timer.
      let m: SourceState | null = null;
      for (const x of r.sources) if (x.advertising) m = x;
      if (m !== null && (m.configMismatch !== null || m.lastTtlBad)) {
        r.silencedMaster = a;
        if (r.silencedSpells.length < MAX_SPELLS) r.silencedSpells.push({ source: a, from: a.lastSeen, to: -1 });
        else r.silencedSpellsNotKept++;
        if (r.splitBrain === null) this.declare(r, e, r.dualPeriodStart);
        else {
          if (r.splitBrainSources.indexOf(a) < 0) {
            r.splitBrainSources.push(a);
            r.splitBrainSources.sort((x, y) => (beats(x, y) ? -1 : 1));
            r.splitBrain.advertisers = r.splitBrainSources.map((x) => x.ip);
          }
          const fi = r.findings.get('split-brain');
          if (fi !== undefined) this.diagnosis.explain(fi);
        }
        r.dualPeriodStart = NaN;
        r.dualPeriodMaxInterval = 0;
        return;
      }
    }
    if (r.silencedMaster !== null && r.silencedMaster !== a) {
      // the master that silenced the other stopped: the silenced one is alone again
      this.unhide(r, e);
      if (r.splitBrain !== null) this.endSplit(r, last > r.splitBrain.start ? last : e);
    }
    if (r.dualPeriodStart !== r.dualPeriodStart) return;
    const start = r.dualPeriodStart;
    if (r.splitBrain === null && this.dualLasting(r, a)) this.declare(r, e, start);
    if (r.splitBrain !== null) this.endSplit(r, last > r.splitBrain.start ? last : e);
    else if (r.pendingTakeover !== null && r.pendingTakeover.source === a && !a.resigned && !floodShot) this.briefDual(r, e);
    r.pendingTakeover = null;
    r.dualPeriodStart = NaN;
    r.dualPeriodMaxInterval = 0;
  }

  /** Source `a` started advertising at `t`: a dual period begins when it is the second. */
  startedAdvertising(r: RouterState, a: SourceState, t: number): void {
    if (r.advertisingCount >= 2 && r.dualPeriodStart !== r.dualPeriodStart) {
      r.dualPeriodStart = t;
      r.dualPeriodMaxInterval = 0;
    }
    this.takeoverCheck(r, a, t);
  }

  /** Source `a` (not the master) just started advertising at `t`. keepalived starts a backup in
   *  BACKUP and keeps it there while it hears a better master, so a lower-priority source that starts
   *  advertising while the master has been advertising for longer than its Master_Down_Interval did
   *  not hear those adverts (VRRP-NOTES 5.2: a stateful firewall without a VRRP rule; or a firewall
   *  drop, in which case it becomes a split brain). */
  private takeoverCheck(r: RouterState, a: SourceState, t: number): void {
    const m = r.master;
    if (m === null || m === a || !m.advertising || m.advertisingSince < 0 || a.priority <= 0 || r.splitBrain !== null || !beats(m, a)) return;
    if (oneShot(a) && this.admission.flooding) return;
    const down = masterDownInterval(a.version, a.priority, a.version === 3 ? m.intervalSeconds : a.intervalSeconds);
    if (t - m.advertisingSince < down) return;
    r.pendingTakeover = { source: a, master: m, from: t, masterSince: m.advertisingSince, masterDown: down, advertsAtStart: a.adverts };
    this.book.emit(r, t, 'dual-master', 'warning', null, down,
      `${a.ip} (prio ${a.priority}) advertises as master while ${m.ip} (prio ${m.priority}) is master: ` +
      `it has not heard ${m.ip} for its master-down interval (${fmt(down)} s), though ${m.ip} advertised all along`);
  }

  /** The pending takeover ended without a split brain: the lower-priority source went back to backup. */
  private briefDual(r: RouterState, e: number): void {
    const k = r.pendingTakeover!;
    const a = k.source, m = k.master;
    if (r.briefDualMasters.length < MAX_SPELLS) {
      r.briefDualMasters.push({ source: a, master: m, from: k.from, to: a.lastSeen, adverts: a.adverts - k.advertsAtStart + 1, masterSince: k.masterSince, masterDown: k.masterDown });
    }
    const n = a.adverts - k.advertsAtStart + 1;
    r.totals.briefDualMasters++;
    const fi = this.book.routerFinding(r, 'brief-dual-master', 'warning', e, a, m,
      `brief dual master on VRID ${r.vrid}: ${a.ip} (prio ${a.lastNonZeroPriority}) took over for ${n} advert${n === 1 ? '' : 's'} while ${m.ip} (prio ${m.lastNonZeroPriority}) was master`);
    fi.finding.lastSeen = e;
    this.diagnosis.refresh(fi);
  }

  /** Close the open split brain at `end` (the last moment two masters were seen). */
  endSplit(r: RouterState, end: number): void {
    const sb = r.splitBrain!;
    sb.end = end;
    sb.duration = end - sb.start;
    r.totals.splitBrainClosedSeconds += sb.duration;
    r.splitBrain = null;
    if (r.silencedMaster !== null) this.unhide(r, end);
    this.book.emit(r, end, 'split-brain-end', 'critical', sb.duration, null,
      `split brain ended after ${fmt(sb.duration)} s (${sb.advertisers.join(', ')})`);
    const fi = r.findings.get('split-brain');
    if (fi !== undefined) fi.finding.lastSeen = end;
  }

  /** The input ended at `t` during the split brain: it is closed there, as still going on. */
  closeAtEnd(r: RouterState, t: number): void {
    const sb = r.splitBrain!;
    r.splitBrainAtEnd = true;
    sb.duration = t - sb.start;
    sb.end = t;
    sb.endedWithCapture = true;
    r.totals.splitBrainClosedSeconds += sb.duration;
    this.book.emit(r, t, 'split-brain-end', 'critical', sb.duration, null,
      `split brain still going on when the capture ended after ${fmt(sb.duration)} s (${sb.advertisers.join(', ')})`);
    r.splitBrain = null;
  }

  /** During a dual period: the largest interval among the sources advertising. */
  trackDual(r: RouterState): void {
    const advs = r.sources;
    this.meter.steps += advs.length;
    for (let i = 0; i < advs.length; i++) {
      const a = advs[i];
      if (a.advertising && a.intervalSeconds > r.dualPeriodMaxInterval) r.dualPeriodMaxInterval = a.intervalSeconds;
    }
  }

  /** At `t`: an open split brain lasts until now; else declare it when the dual period going on has
   *  lasted (dualLasting). Called on every advert of `r` and whenever time passes for it. */
  checkDual(r: RouterState, t: number): void {
    if (r.splitBrain !== null) {
      r.splitBrain.duration = t - r.splitBrain.start;
      return;
    }
    if (r.dualPeriodStart !== r.dualPeriodStart) return;
    if (this.dualLasting(r, null)) this.declare(r, t, r.dualPeriodStart);
  }

  /** A dual period is a split brain once every source in it (the advertising ones, and `gone`, which
   *  just stopped) advertised again at least TRANSITION_INTERVALS of the largest interval after it began:
   *  a node that yields within about one interval of hearing the better one (start-up race, preemption)
   *  sent its last advert before that. */
  private dualLasting(r: RouterState, gone: SourceState | null): boolean {
    const limit = r.dualPeriodStart + TRANSITION_INTERVALS * r.dualPeriodMaxInterval;
    if (gone !== null && gone.lastSeen < limit) return false;
    const advs = r.sources;
    this.meter.steps += advs.length;
    for (let i = 0; i < advs.length; i++) {
      const x = advs[i];
      if (x.advertising && x.lastSeen < limit) return false;
    }
    return true;
  }

  /** The silenced master spoke (or resigned, or its silencer stopped) at `t`. */
  unhide(r: RouterState, t: number): void {
    const h = r.silencedMaster;
    r.silencedMaster = null;
    for (let i = r.silencedSpells.length - 1; i >= 0; i--) {
      const s = r.silencedSpells[i];
      if (s.source === h && s.to < 0) { s.to = t; break; }
    }
  }

  /** Open the split brain of the dual period that began at `start`, detected at `t`. */
  private declare(r: RouterState, t: number, start: number): void {
    r.pendingTakeover = null; // the split brain finding tells that story
    // every source that advertised as master during the dual period: also one that resigned (priority 0)
    // or stopped since, as when the split brain is declared at the advert that ends it
    const advs: SourceState[] = [];
    for (const a of r.sources) {
      if (a.advertising || a === r.silencedMaster || (a.lastNonZeroPriority > 0 && (a.resigned
        ? a.resignedAt >= start && a.advertisingSince >= 0 && a.advertisingSince <= t
        : a.lastSeen + ADVERTISING_WINDOW * a.intervalSeconds >= start))) advs.push(a);
    }
    advs.sort((x, y) => (beats(x, y) ? -1 : 1));
    const sb: SplitBrainPeriod = { start, end: null, duration: t - start, advertisers: advs.map((a) => a.ip) };
    r.splitBrain = sb;
    r.splitBrainSources = advs;
    if (r.splitBrains.length >= MAX_PERIODS) r.splitBrains.shift();
    r.splitBrains.push(sb);
    r.totals.splitBrains++;
    const desc = advs.map((a) => `${a.ip} prio ${a.lastNonZeroPriority}`).join(', ');
    this.book.emit(r, t, 'split-brain-start', 'critical', t - start, null, r.silencedMaster !== null
      ? `split brain: ${r.silencedMaster.ip} became master too but is silenced on the wire by the other's rejected adverts (${desc})`
      : `split brain: ${advs.length} sources advertising VRID ${r.vrid} at once (${desc}), for ${fmt(t - start)} s so far, since ${utcClock(start, this.book.dated)}`);
    const fi = this.book.routerFinding(r, 'split-brain', 'critical', t, advs[0] ?? null, advs[1] ?? null,
      `split brain on VRID ${r.vrid}: ${desc} advertise at once`);
    fi.finding.count = r.splitBrains.length;
    fi.finding.lastSeen = t;
    this.diagnosis.explain(fi);
  }
}
