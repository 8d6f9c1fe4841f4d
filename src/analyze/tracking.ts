// Who is tracked, as the analyzer applies the rules of admission.ts (docs/analysis.md §12): a router or
// source that is not tracked yet is admitted (at once while there is room and no flood; by repeating
// otherwise, room made by removing one that may go), or counted as untracked and reported by the
// 'vrrp-flood' finding; once anything went beyond the limits, what never became established ages out.
// The analyzer calls in here off its fast path only: for a new router, for a new source, and once a
// second of capture time.
//
// Invariants: at most maxRouters routers in the registry and maxSources sources per router; a router or
// source removed takes its findings (a router's) with it, never one that advertises and is established
// or is named by what is going on (admission.ts).
import type { PacketRecord } from '../decode/packet.js';
import type { FindingsBook } from './findings-book.js';
import type { RouterRegistry } from './router-registry.js';
import type { RouterMachine } from './router-machine.js';
import { forgetSource, type RouterState } from './router-state.js';
import { agesOut, routerAgesOut, routerRemovable, sourceVictim, type Admission } from './admission.js';
import { FLOOD_TITLE } from './flood-evidence.js';
import type { WorkMeter } from './limits.js';

export class Tracking {
  /** The router of the current advert was admitted by repeating: its source comes with it (the analyzer
   *  resets this before each advert). */
  routerAdmitted = false;

  constructor(private readonly routers: RouterRegistry, private readonly book: FindingsBook, private readonly machine: RouterMachine,
    private readonly admission: Admission, private readonly meter: WorkMeter) {}

  /** A router not tracked yet (numeric key `k`): tracked from this advert when there is room and no flood is
   *  going on, or when it repeats (room made by removing a router that may go); else counted (null). */
  admitRouter(p: PacketRecord, k: number): RouterState | null {
    const adm = this.admission;
    if (this.routers.size < adm.maxRouters && !adm.flooding) return this.routers.create(p, k);
    if (adm.repeats(p, k)) {
      const room = this.routers.size < adm.maxRouters ? null : this.routers.victim((x) => routerRemovable(x, true), this.meter);
      if (room !== null) {
        this.dropRouter(room);
        adm.evictedRouters++;
      }
      if (this.routers.size < adm.maxRouters) {
        const r = this.routers.create(p, k);
        r.admittedByRepeat = true;
        adm.admittedRouters++;
        adm.admittedSources++;
        this.routerAdmitted = true;
        return r;
      }
    }
    this.untracked(p, k, null);
    return null;
  }

  /** A source of tracked router `r` (numeric key `k`) not tracked yet, while its table is full or a flood
   *  goes on: true when it repeats and room was made (its time judged first), else counted (false). */
  admitSource(p: PacketRecord, k: number, r: RouterState): boolean {
    if (!this.admission.repeats(p, k)) {
      this.untracked(p, k, r);
      return false;
    }
    const t = p.tsSec + p.tsNsec / 1e9;
    this.machine.evaluate(r, t);
    if (!this.makeRoom(r, t)) {
      this.untracked(p, k, r);
      return false;
    }
    this.admission.admittedSources++;
    return true;
  }

  /** Room for one more source in `r` at `t`: there is, or a source that may go was removed. */
  private makeRoom(r: RouterState, t: number): boolean {
    if (r.sources.length < this.admission.maxSources) return true;
    const v = sourceVictim(r, this.admission.flooding, this.meter);
    if (v === null) return false;
    if (v.advertising) this.machine.retire(r, v, t);
    forgetSource(r, v);
    this.admission.evictedSources++;
    return true;
  }

  /** An advert beyond the limits (router `r` tracked, its source not; or `r` null: the router not tracked). */
  private untracked(p: PacketRecord, k: number, r: RouterState | null): void {
    this.admission.count(p, k, r);
    // Opened by the first advert beyond the limits, and again by the next one after the dashboard's `c` forgot it
    // while the flood goes on (the book returns the open one otherwise); its evidence and severity are rebuilt
    // from the tally on every view (flood-evidence.ts).
    this.book.globalFinding('vrrp-flood', 'vrrp-flood', 'warning', p.tsSec + p.tsNsec / 1e9, null, null, null, FLOOD_TITLE);
  }

  /** Once anything went beyond the limits (the analyzer's sweep, once a second): sources that never became
   *  established and have been silent long go, and routers left with no source go with them. */
  ageOut(t: number): void {
    const list = this.routers.list;
    for (let i = list.length - 1; i >= 0; i--) {
      const r = list[i];
      const advs = r.sources;
      this.meter.steps += advs.length;
      for (let j = advs.length - 1; j >= 0; j--) {
        const s = advs[j];
        if (!agesOut(r, s, t)) continue;
        if (r.master === s) r.master = null;
        forgetSource(r, s);
        this.admission.agedSources++;
      }
      if (routerAgesOut(r)) {
        this.dropRouter(r);
        this.admission.agedRouters++;
      }
    }
  }

  private dropRouter(r: RouterState): void {
    this.routers.remove(r);
    this.book.forgetRouter(r);
  }
}
