// The state machine of one virtual router: what an advert, or the passing of time, does to it. Like
// keepalived's vrrp.c keeps the packet checks apart from the state changes, an advert here is first
// observed (SourceState.observe, receive-checks.ts, config-compare.ts, hearing.ts), then moves the
// state: a source starts or stops advertising, the dual-period / split-brain part (split-brain.ts)
// and the election (election.ts) follow, and silence is judged (no-master.ts). The steady state (one
// master, nothing changed) never gets here: analyzer.ts handles it on its fast path.
//
// The router's states (Router.state in the snapshot) and what moves it between them (docs/analysis.md):
//
//                  first advert, prio > 0
//   (no router) ─────────────────────────────►  OK: one source advertising (the master)
//                                                 │    ▲              │ the master's window passes
//        a second source advertises (dual period) │    │              │ (ADVERTISING_WINDOW × I),
//                                                 ▼    │              ▼ nobody else advertises
//                   TRANSITION (dual) ── back to one source          TRANSITION (silent)
//                     │    within TRANSITION_INTERVALS × Imax:        │      │ another source
//                     │    preemption, start-up race; a backup        │      │ advertises:
//                     │    that had not heard the master: brief       │      └──► OK (failover)
//                     │    dual master                                │ silence > silenceLimit
//                     │ every source advertised past                  ▼ (timing.ts)
//                     │ TRANSITION_INTERVALS × Imax,                 NO MASTER
//                     │ or a master silenced by rejected adverts      │ an advert with prio > 0:
//                     ▼                                               └──► OK (master-back, then a
//                   SPLIT BRAIN ── fewer than two masters (a window         failover if another source)
//                                  passes, prio 0, the silencer stops) ──► OK / TRANSITION (split-brain-end)
//
//   OK ── the master sends priority 0 and nobody takes over ──► RESIGNED ── a source advertises ──► OK
//         (graceful hand-over when within the silence limit, else initial)
//   finish(): an open split brain or no-master period is closed at the last packet's time and the
//   state stays split-brain / no-master; a capture that ends is not an outage.
import type { PacketRecord } from '../decode/packet.js';
import type { AdvertNote } from './model.js';
import type { FindingsBook } from './findings-book.js';
import type { Diagnosis } from './evidence.js';
import type { RouterState } from './router-state.js';
import { SourceState, isMulticast } from './source-state.js';
import { ADVERTISING_WINDOW } from './timing.js';
import { receiveChecks } from './receive-checks.js';
import { compareConfigurations } from './config-compare.js';
import { hearAdvert } from './hearing.js';
import { Election } from './election.js';
import { SplitBrainWatch } from './split-brain.js';
import { NoMasterWatch } from './no-master.js';
import { oneShot, type Admission } from './admission.js';
import type { WorkMeter } from './limits.js';
import type { VipOwnership } from './vip-ownership.js';

/** The tracked source of router `r` that sent `p`, null when none (`meter` counts the sources looked at). */
export function findSource(r: RouterState, p: PacketRecord, meter: WorkMeter): SourceState | null {
  const s0 = p.src0, s1 = p.src1, s2 = p.src2, s3 = p.src3;
  const advs = r.sources;
  meter.steps += advs.length;
  for (let i = 0; i < advs.length; i++) {
    const x = advs[i];
    if (x.src0 === s0 && x.src1 === s1 && x.src2 === s2 && x.src3 === s3) return x;
  }
  return null;
}

export class RouterMachine {
  /** Why a peer would drop the advert last given to advert() (interned), null when none. */
  anomaly: string | null = null;
  private readonly noMaster: NoMasterWatch;
  private readonly election: Election;
  private readonly splitBrain: SplitBrainWatch;

  /** `vips`: follows the addresses an advert lists (when a source's list is new); `admission`: whether a
   *  flood is going on (a source that sent one advert is then flood traffic, not a silenced master, a brief
   *  dual master or a master gone); `meter`: the work counter. */
  constructor(private readonly book: FindingsBook, diagnosis: Diagnosis, private readonly vips: VipOwnership,
    private readonly admission: Admission, private readonly meter: WorkMeter) {
    this.noMaster = new NoMasterWatch(book);
    this.election = new Election(book, this.noMaster, meter);
    this.splitBrain = new SplitBrainWatch(book, diagnosis, admission, meter);
  }

  /** An advert of router `r` at `t` off the fast path (the caller has judged the time passed: evaluate()),
   *  from tracked source `found` (findSource()), or from a new one when null (`admitted`: tracked from this
   *  advert because it repeated during a flood, admission.ts): observe the advert, move the state. */
  advert(r: RouterState, p: PacketRecord, t: number, found: SourceState | null, admitted: boolean): AdvertNote {
    let a = found;
    let changed = false;
    if (a === null) {
      a = new SourceState(p.src0, p.src1, p.src2, p.src3, p.srcText(), p.macHi === -1 ? null : p.macText(), t, p.vlan);
      a.macHi = p.macHi;
      a.macLo = p.macLo;
      a.admittedByRepeat = admitted;
      r.sources.push(a);
      changed = true;
    }
    const prevLast = a.adverts === 0 ? -1 : a.lastSeen;
    const prevIpId = a.ipId;
    // what the advert says, and what a peer would think of it
    const mc = isMulticast(p.family, p.dst0);
    if (a.observe(p, t, mc)) changed = true;
    let anomaly = receiveChecks(this.book, r, a, p, t, mc);
    const prio = p.priority;
    const oldPrio = a.priority;
    if (prio !== oldPrio) {
      a.notePriority(prio, t);
      if (prio === 255 || oldPrio === 255) changed = true;
      if (oldPrio > 0 && prio > 0) this.election.priorityChange(r, a, oldPrio, prio, t);
    }
    // its first non-zero priority makes it one of the VRID's advertisers (config-compare.ts counts those): a
    // source first seen resigning is compared again then
    if (prio > 0 && a.lastNonZeroPriority === 0) changed = true;
    if (prio > 0) a.lastNonZeroPriority = prio;
    if (changed) {
      compareConfigurations(this.book, r, t, this.meter);
      this.vips.listed(r, a, p);
    }
    if (anomaly === null && a.configMismatch !== null) anomaly = a.configMismatch;
    this.anomaly = anomaly;
    const echo = hearAdvert(r, a, prio, t, this.meter);
    // measured interval: time since the source's previous advert of any kind (keepalived restarts its
    // advert timer when it sends an echo), leaving out echoes, resignations and gaps
    if (!echo && prio > 0 && oldPrio > 0 && prevLast >= 0) {
      const dt = t - prevLast;
      if (dt > 0 && dt <= ADVERTISING_WINDOW * a.intervalSeconds) a.addIntervalSample(dt);
    }
    // the state
    if (prio === 0) {
      a.resigned = true;
      a.resignedAt = t;
      if (a.advertising) {
        a.advertising = false;
        r.advertisingCount--;
        this.splitBrain.afterInactive(r, t, t, a);
      } else if (r.silencedMaster === a) {
        this.splitBrain.unhide(r, t);
        if (r.splitBrain !== null) this.splitBrain.endSplit(r, t);
      }
      this.election.elect(r, t, null, prevLast, prevIpId);
      return 'resign';
    }
    a.resigned = false;
    if (r.silencedMaster === a) this.splitBrain.unhide(r, t);
    if (!a.advertising && a.admittedByRepeat && a.adverts === 1) {
      // tracked from this advert because it repeated during a flood: it counts as advertising once it
      // sends again (a flood repeats a random address now and then by chance, a node keeps on)
      return r.master === a ? 'master' : 'contender';
    }
    if (!a.advertising) {
      // an admitted source's second tracked advert proves the first: it advertised from then on
      const since = a.admittedByRepeat && a.adverts === 2 && t - prevLast <= ADVERTISING_WINDOW * a.intervalSeconds ? prevLast : t;
      a.advertising = true;
      a.advertisingSince = since;
      r.advertisingCount++;
      this.splitBrain.startedAdvertising(r, a, since);
    }
    if (r.advertisingCount >= 2) this.splitBrain.trackDual(r);
    const changedMaster = this.election.elect(r, t, a, prevLast, prevIpId);
    this.splitBrain.checkDual(r, t);
    return changedMaster ? 'new-master' : echo ? 'echo' : r.master === a ? 'master' : 'contender';
  }

  /** Source `a` of `r`, advertising, is forgotten at `t` to make room during a flood (admission.ts): it
   *  stops advertising now, as if its window had passed. */
  retire(r: RouterState, a: SourceState, t: number): void {
    a.advertising = false;
    r.advertisingCount--;
    this.splitBrain.afterInactive(r, t, a.lastSeen, a);
  }

  /** Judge router `r` at `t` with no advert of its own: expire sources whose advertising window has
   *  passed, judge the dual period, elect, detect silence. */
  evaluate(r: RouterState, t: number): void {
    this.expire(r, t);
    this.splitBrain.checkDual(r, t);
    const m = r.master;
    if (m !== null && !m.advertising && r.advertisingCount > 0) this.election.elect(r, t, null, -1, -1);
    if (m !== null && !m.advertising && !m.resigned && r.advertisingCount === 0 && r.noMaster === null && r.master !== null &&
        !(oneShot(m) && this.admission.flooding)) {
      this.noMaster.judgeSilence(r, m, t);
    }
    // an open period lasts until now (the dashboard, live JSON and evidence read it while it goes on;
    // an open split brain's is kept by checkDual)
    if (r.noMaster !== null) r.noMaster.duration = t - r.noMaster.start;
    if (r.checkDrop !== null) this.election.judgeCheckDrop(r, t);
  }

  /** The input ended at `t` (the last packet's time): judge `r` once more and close its open periods. */
  finish(r: RouterState, t: number): void {
    // one that fell silent long before the capture ended had no master (evaluate); the ones still
    // advertising at the end had none of that — a capture that simply ends is not an outage. A priority
    // drop still waiting for its judgement (checkDrop) is judged now too, as the sweep would.
    if (t > r.lastSeen || r.checkDrop !== null) this.evaluate(r, t);
    this.expire(r, t);
    this.splitBrain.checkDual(r, t);
    if (r.splitBrain !== null) this.splitBrain.closeAtEnd(r, t);
    if (r.noMaster !== null) this.noMaster.closeAtEnd(r, t);
  }

  /** Sources whose advertising window (from their last advert, or from the advert that restarted their
   *  timer) has passed at `t` stop advertising, at the window's end. */
  private expire(r: RouterState, t: number): void {
    if (r.advertisingCount === 0) return;
    const advs = r.sources;
    this.meter.steps += advs.length;
    for (let i = 0; i < advs.length; i++) {
      const a = advs[i];
      if (!a.advertising) continue;
      const from = a.timerPushedAt > a.lastSeen ? a.timerPushedAt : a.lastSeen;
      if (t - from > ADVERTISING_WINDOW * a.intervalSeconds) {
        a.advertising = false;
        r.advertisingCount--;
        this.splitBrain.afterInactive(r, from + ADVERTISING_WINDOW * a.intervalSeconds, a.lastSeen, a);
      }
    }
  }
}
