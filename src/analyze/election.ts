// Who is master (docs/analysis.md §2, §8, §9): the election among the advertising sources (the highest
// priority, then the highest address), each change of master recorded as a Failover of a kind —
// initial, failover (with its measured and expected time), graceful hand-over, preemption — with its
// event, flapping (too many changes within a window), and priority changes (with the weight-too-small
// rule, and tracked-check-failed when no backup is known). The master coming back after a no-master period is
// master-back (no-master.ts), not a failover.
//
// Invariants: while a no-master period is open, the router has no master (r.master null, r.lastMaster
// the silent one); during an open split brain a change of winner among its masters is not a master change;
// a failover's duration/expected are null unless the new master's first advert measured it; at most
// MAX_PERIODS failovers are kept (totals count them all).
import type { EventType, Failover } from './model.js';
import type { FindingsBook } from './findings-book.js';
import { bestKnownBackup, type RouterState } from './router-state.js';
import { beats, type SourceState } from './source-state.js';
import type { NoMasterWatch } from './no-master.js';
import { ADVERTISING_WINDOW, FLAP_CHANGES, FLAP_WINDOW, masterDownInterval, silenceLimit, skewTime } from './timing.js';
import { MAX_PERIODS, type WorkMeter } from './limits.js';
import { utcClock, fmt } from './evidence-text.js';
import { ipIdStep } from './ip-id-step.js';

export class Election {
  constructor(private readonly book: FindingsBook, private readonly noMaster: NoMasterWatch, private readonly meter: WorkMeter) {}

  /** Elect the master among advertising sources at `t`; record the change. `a`: the source whose advert
   *  triggered this (null when time passed), `prevLast` / `prevIpId`: the time and IP ID of its previous
   *  advert (-1: none). Returns true if `a` became master. */
  elect(r: RouterState, t: number, a: SourceState | null, prevLast: number, prevIpId: number): boolean {
    let best: SourceState | null = null;
    this.meter.steps += r.sources.length;
    for (const x of r.sources) if (x.advertising && (best === null || beats(x, best))) best = x;
    // (a no-master period has no master (no-master.ts): an elected source that is the master ends none)
    if (best === null || best === r.master) return false;
    if (r.noMaster !== null && best === r.lastMaster) {
      // the same master came back after a silence: master-back, not a failover
      this.noMaster.masterBack(r, t, best, a === best ? prevLast : -1, a === best ? prevIpId : -1);
      r.master = best;
      return false;
    }
    if (r.splitBrain !== null && r.master !== null && !r.master.resigned) {
      // a split brain is going on: which of its masters wins an election is moot, not a failover
      r.master = best;
      return false;
    }
    const old = r.master ?? (r.noMaster !== null ? r.lastMaster : null);
    const wasNoMaster = r.noMaster !== null;
    if (wasNoMaster) this.noMaster.masterBack(r, t, best, a === best ? prevLast : -1, a === best ? prevIpId : -1);
    let kind: Failover['kind'];
    let duration: number | null = null;
    let expected: number | null = null;
    const fresh = best === a && best.adverts === 1 || (best === a && prevLast >= 0 && t - prevLast > ADVERTISING_WINDOW * best.intervalSeconds);
    if (old === null || (r.master === null && !wasNoMaster)) {
      kind = 'initial';
    } else if (wasNoMaster) {
      kind = 'failover';
      duration = t - old.lastSeen;
      expected = masterDownInterval(best.version, best.priority, best.version === 3 ? old.intervalSeconds : best.intervalSeconds);
    } else if (old.resigned) {
      const limit = silenceLimit(r, old);
      if (t - old.resignedAt <= limit) {
        kind = 'graceful';
        duration = t - old.resignedAt;
        expected = skewTime(best.version, best.priority, best.version === 3 ? old.intervalSeconds : best.intervalSeconds);
      } else kind = 'initial';
    } else if (old.advertising) {
      // both advertising: the capture's first moments sort themselves out as 'initial'
      kind = t - r.firstSeen < ADVERTISING_WINDOW * Math.max(old.intervalSeconds, best.intervalSeconds) ? 'initial' : 'preemption';
    } else {
      kind = 'failover';
      // a master of the split brain that `old` ended by stopping was master all along (a silenced one
      // just speaks again): no takeover to measure
      if (fresh && !masterAlongside(r, best, old)) {
        duration = t - old.lastSeen;
        expected = masterDownInterval(best.version, best.priority, best.version === 3 ? old.intervalSeconds : best.intervalSeconds);
      }
    }
    const fo: Failover = { t, from: kind === 'initial' && r.master === null ? null : old?.ip ?? null, to: best.ip, kind, duration, expected };
    if (kind === 'initial' && r.failovers.length > 0 && r.failovers[r.failovers.length - 1].kind === 'initial' && r.failovers.length === 1) {
      r.failovers[0] = fo;
    } else {
      if (r.failovers.length >= MAX_PERIODS) r.failovers.shift();
      r.failovers.push(fo);
      r.totals[kind]++;
    }
    const prev = r.master;
    r.master = best;
    if (kind !== 'initial') {
      r.lastFailover = t;
      this.flapCheck(r, t);
    }
    const type: EventType = kind === 'failover' ? 'failover' : kind === 'graceful' ? 'graceful-handover'
      : kind === 'preemption' ? 'preemption' : 'new-master';
    let msg: string;
    if (kind === 'initial') msg = `${best.ip} (prio ${best.priority}) is master`;
    else if (kind === 'preemption') msg = `${best.ip} (prio ${best.priority}) preempted ${old!.ip} (prio ${old!.priority})` + returnNote(best, a, t, prevLast, prevIpId);
    else if (kind === 'graceful') msg = `graceful hand-over from ${old!.ip} (priority 0) to ${best.ip} (prio ${best.priority}) in ${fmt(duration!)} s, expected ${fmt(expected!)} s`;
    else if (duration !== null) msg = `failover from ${old!.ip} to ${best.ip} (prio ${best.priority}) in ${fmt(duration)} s, expected ${fmt(expected!)} s`;
    else msg = `${best.ip} (prio ${best.priority}) is master now that ${old!.ip} stopped`;
    const e = this.book.event(r, t, type, kind === 'initial' || kind === 'graceful' || kind === 'preemption' ? 'ok' : 'warning',
      duration, expected, msg);
    // the master before this change: after a no-master period that is the one that went silent
    e.previousMaster = kind === 'initial' ? (prev !== null && prev !== best ? prev.ip : null) : old?.ip ?? null;
    this.book.push(e);
    return best === a;
  }

  /** The master's priority fell with no backup known (RouterState.checkDrop): once the slowest possible
   *  backup's takeover time has passed at `t` and it is still master, tracked-check-failed (whether the weight
   *  is enough cannot be told); if another source took over, the weight was enough and the failover tells it. */
  judgeCheckDrop(r: RouterState, t: number): void {
    const d = r.checkDrop!;
    const a = d.source;
    if (r.master !== a || !a.advertising || a.resigned) { r.checkDrop = null; return; }
    if (t - d.t <= silenceLimit(r, a)) return;
    r.checkDrop = null;
    const fi = this.book.routerFinding(r, 'tracked-check-failed', 'warning', t, a, null,
      `${a.ip}'s priority fell ${d.from} -> ${d.to} and it stays master: a tracked check failed on the master`);
    fi.finding.lastSeen = t;
  }

  /** A master change at `t` (not 'initial'): flapping once FLAP_CHANGES fall within FLAP_WINDOW. */
  private flapCheck(r: RouterState, t: number): void {
    const c = r.masterChangeTimes;
    c.push(t);
    while (c.length > 0 && t - c[0] > FLAP_WINDOW) c.shift();
    if (c.length >= FLAP_CHANGES) {
      const fi = r.findings.get('flapping');
      if (fi === undefined) {
        this.book.routerFinding(r, 'flapping', 'warning', t, null, null,
          `VRID ${r.vrid} is flapping: ${c.length} master changes within ${fmt(t - c[0], 1)} s`);
      } else {
        fi.finding.count++;
        fi.finding.lastSeen = t;
      }
    }
  }

  /** Source `a` advertised priority `to` after `from` (both > 0) at `t`: the event, and weight-too-small
   *  when the master's priority fell but stays above a known, silent backup's, tracked-check-failed when the
   *  master's priority fell and no backup is known. */
  priorityChange(r: RouterState, a: SourceState, from: number, to: number, t: number): void {
    const e = this.book.event(r, t, 'priority-change', 'ok', null, null, `${a.ip} priority ${from} -> ${to}`);
    e.ip = a.ip;
    e.fromPriority = from;
    e.toPriority = to;
    this.book.push(e);
    if (to < from && r.master === a) {
      const b = bestKnownBackup(r, a);
      if (b === null) {
        // no backup heard: judged once a backup would have taken over if the weight were enough (checkDrop);
        // a further drop moves the low point and the time a backup's takeover is counted from
        if (r.checkDrop !== null && r.checkDrop.source === a) {
          r.checkDrop.to = to;
          r.checkDrop.t = t;
        } else r.checkDrop = { source: a, from, to, t };
      } else if (to > b.lastNonZeroPriority && !b.advertising) {
        const fi = this.book.routerFinding(r, 'weight-too-small', 'warning', t, a, b,
          `${a.ip}'s priority fell ${from} -> ${to} but stays above ${b.ip}'s ${b.lastNonZeroPriority}: no failover`);
        fi.finding.lastSeen = t;
        fi.finding.evidence = [
          `${a.ip} advertised priority ${from}, then ${to} (a step of ${from - to}) at ${utcClock(t, this.book.dated)}`,
          `${b.ip} advertised priority ${b.lastNonZeroPriority}: a failover needs the master below ${b.lastNonZeroPriority}, a weight of at least ${from - b.lastNonZeroPriority + 1}`,
        ];
        fi.finding.fixContext.configKey = 'weight';
        fi.finding.fixContext.values = { [a.ip]: String(from - b.lastNonZeroPriority + 1) };
      }
    }
  }
}

/** For a source back after a gap: what its IP ID says (stall, losses, restart). Text only on master changes. */
function returnNote(b: SourceState, a: SourceState | null, t: number, prevLast: number, prevIpId: number): string {
  if (b !== a || prevLast < 0 || prevIpId < 0 || b.ipId < 0) return '';
  const silent = `; ${b.ip} was silent ${fmt(t - prevLast)} s and its IP ID`;
  const step = ipIdStep(prevIpId, b.ipId);
  if (step.kind === 'stall') return `${silent} went on from ${prevIpId} to ${b.ipId}: it stalled (sent nothing)`;
  if (step.kind === 'restart') return `${silent} restarted (${prevIpId} -> ${b.ipId}): keepalived was restarted`;
  if (step.kind === 'same') return `${silent} is ${b.ipId} again, which tells nothing (a sender that keeps one IP ID)`;
  return `${silent} jumped ${prevIpId} -> ${b.ipId}: ${step.lost} adverts were sent but not seen`;
}

/** `best` was a master in the last split brain, alongside `old`, until `old`'s last advert ended it. */
function masterAlongside(r: RouterState, best: SourceState, old: SourceState): boolean {
  const sb = r.splitBrains.length > 0 ? r.splitBrains[r.splitBrains.length - 1] : null;
  return sb !== null && sb.end !== null && sb.end >= old.lastSeen && sb.advertisers.includes(best.ip) && sb.advertisers.includes(old.ip);
}
