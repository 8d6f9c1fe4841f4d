// Who gets tracked (docs/analysis.md §12). At most maxRouters virtual routers and maxSources sources per
// router are tracked; what arrives beyond that is counted here, not tracked — the flood tally that the
// 'vrrp-flood' finding reports (flood-evidence.ts). The real routers are protected:
// - a router or source already tracked is analysed exactly as before, and is never removed while it
//   advertises or is named by what is going on (its router's master, an open split brain, a pending
//   takeover, an open no-master period);
// - a newcomer that arrives while its table is full, or while a flood is going on (something went beyond
//   the limits within FLOOD_HOLD s), is tracked only once it repeats within the repeat sketch's window
//   (a real node advertises every interval, a flood's random sources practically never repeat); room is
//   then made by removing the least valuable entry that is not advertising: the fewest adverts first,
//   then the longest silent (sourceVictim; routers: router-registry.ts victim()). An admitted source's
//   first adverts were not tracked, and the evidence says so;
// - once anything went beyond the limits, a source that never became established (fewer than
//   ESTABLISHED_ADVERTS adverts, not admitted by repeating) ages out after max(AGE_OUT_FLOOR,
//   AGE_OUT_MASTER_DOWNS × its master-down interval) of silence, and a router with no source left and
//   nothing to report goes with it (analyzer.ts sweep), so that state does not stay full after a flood.
//
// Invariants: per untracked advert, a hash, one sketch look-up (one cache line per generation), two
// register updates and a few counters — no allocation except for the first FLOOD_SAMPLES sources; the
// sketch (2 × REPEAT_SKETCH_BYTES) exists only once something was beyond the limits.
import type { PacketRecord } from '../decode/packet.js';
import type { FloodSample, LimitStats } from './model.js';
import type { RouterState } from './router-state.js';
import type { SourceState } from './source-state.js';
import { AGE_OUT_FLOOR, AGE_OUT_MASTER_DOWNS, ESTABLISHED_ADVERTS, FLOOD_HOLD, FLOOD_SAMPLES, type WorkMeter } from './limits.js';
import { DistinctCounter, RepeatSketch, keyHash, routerHash } from './repeat-sketch.js';
import { masterDownInterval } from './timing.js';

export class Admission {
  /** A flood is going on while the packet time is at most this (FLOOD_HOLD after the last untracked advert). */
  floodUntil = -Infinity;
  untracked = 0;
  priority255 = 0;
  inUse = 0;
  first = -1;
  last = -1;
  peakPerSecond = 0;
  private second = -1;
  private inSecond = 0;
  admittedRouters = 0;
  admittedSources = 0;
  evictedRouters = 0;
  evictedSources = 0;
  agedRouters = 0;
  agedSources = 0;
  readonly samples: FloodSample[] = [];
  /** Tracked routers with an established source that untracked adverts were for, the first few. */
  private readonly inUseRouters: RouterState[] = [];
  private lastInUse: RouterState | null = null;
  /** VRIDs of untracked adverts: 8 words of bits for IPv4, 8 for IPv6. */
  readonly vrids = new Uint32Array(16);
  private readonly sourceCount = new DistinctCounter();
  private readonly routerCount = new DistinctCounter();
  private sketch: RepeatSketch | null = null;

  /** `clock[0]`: the current packet's time. */
  constructor(readonly maxRouters: number, readonly maxSources: number, private readonly clock: Float64Array) {}

  /** A flood is going on at the current packet's time: newcomers must repeat to be tracked. */
  get flooding(): boolean {
    return this.clock[0] <= this.floodUntil;
  }

  /** Was the sender of `p` (its address and MAC) seen advertising for router `key` within the repeat
   *  window? Remembers it either way. The key is the source, not the router alone: a flood of random VRIDs
   *  and VLANs hits the same router key again and again by chance, the same address and MAC practically
   *  never. */
  repeats(p: PacketRecord, key: number): boolean {
    keyHash(key, p.src0, p.src1, p.src2, p.src3, p.macHi, p.macLo);
    return this.repeatSketch().seenAndAdd();
  }

  private repeatSketch(): RepeatSketch {
    if (this.sketch === null) this.sketch = new RepeatSketch(this.clock);
    return this.sketch;
  }

  /** Count advert `p` of router `key`, not tracked, right after repeats() said no (its hash is still in
   *  hashOut). `router`: its router when that is tracked (then only the source is beyond the limits), whose
   *  established sources make the VRID one in use. */
  count(p: PacketRecord, key: number, router: RouterState | null): void {
    const t = this.clock[0];
    this.untracked++;
    if (this.first < 0) this.first = t;
    this.last = t;
    this.floodUntil = t + FLOOD_HOLD;
    const sec = Math.floor(t);
    if (sec !== this.second) {
      this.second = sec;
      this.inSecond = 0;
    }
    if (++this.inSecond > this.peakPerSecond) this.peakPerSecond = this.inSecond;
    if (p.priority === 255) this.priority255++;
    // (a router once found in use stays so for the adverts in a row that hit it: no walk over its sources)
    if (router !== null && (router === this.lastInUse || established(router))) {
      this.inUse++;
      if (router !== this.lastInUse) {
        this.lastInUse = router;
        if (this.inUseRouters.length < FLOOD_SAMPLES && !this.inUseRouters.includes(router)) this.inUseRouters.push(router);
      }
    }
    this.vrids[(p.family === 6 ? 8 : 0) + (p.vrid >>> 5)] |= 1 << (p.vrid & 31);
    // distinct sources: the hash repeats() made (router, address and MAC)
    this.sourceCount.add();
    if (router === null) {
      routerHash(key);
      this.routerCount.add();
    }
    if (this.samples.length < FLOOD_SAMPLES) {
      const ip = p.srcText();
      if (!this.samples.some((x) => x.ip === ip)) {
        this.samples.push({ ip, mac: p.macHi === -1 ? null : p.macText(), family: p.family === 6 ? 6 : 4, vrid: p.vrid,
          vlan: p.vlan >= 0 ? p.vlan : null, priority: p.priority, t });
      }
    }
  }

  /** The tally as the snapshot shows it; `routers` / `sources`: how many are tracked now, `eventsDropped`:
   *  what the event history dropped. */
  view(routers: number, sources: number, eventsDropped = 0): LimitStats {
    const vrids = (base: number): number[] => {
      const out: number[] = [];
      for (let v = 0; v < 256; v++) if ((this.vrids[base + (v >>> 5)] & (1 << (v & 31))) !== 0) out.push(v);
      return out;
    };
    return {
      maxRouters: this.maxRouters, maxSources: this.maxSources, routers, sources,
      untrackedAdverts: this.untracked,
      // the estimate never exceeds what was counted (small counts are exact enough that this matters)
      untrackedSources: Math.min(this.untracked, this.sourceCount.estimate()),
      untrackedRouters: Math.min(this.untracked, this.routerCount.estimate()),
      priority255: this.priority255, inUse: this.inUse,
      first: this.first < 0 ? null : this.first, last: this.last < 0 ? null : this.last, peakPerSecond: this.peakPerSecond,
      vrids: { v4: vrids(0), v6: vrids(8) },
      inUseRouters: this.inUseRouters.map((r) => `${r.key} (${r.sources.filter((x) => x.adverts >= ESTABLISHED_ADVERTS).map((x) => x.ip).join(', ')})`),
      samples: this.samples.map((x) => ({ ...x })),
      admitted: { routers: this.admittedRouters, sources: this.admittedSources },
      evicted: { routers: this.evictedRouters, sources: this.evictedSources },
      agedOut: { routers: this.agedRouters, sources: this.agedSources },
      floodActive: this.flooding, eventsDropped,
    };
  }

  /** The established sources of the routers in use that the flood hit (the nodes to accept VRRP from). */
  inUsePeers(): string[] {
    const out: string[] = [];
    for (const r of this.inUseRouters) for (const x of r.sources) if (x.adverts >= ESTABLISHED_ADVERTS && !out.includes(x.ip)) out.push(x.ip);
    return out;
  }
}

/** A router with a source that advertised at least ESTABLISHED_ADVERTS times. */
export function established(r: RouterState): boolean {
  const advs = r.sources;
  for (let i = 0; i < advs.length; i++) if (advs[i].adverts >= ESTABLISHED_ADVERTS) return true;
  return false;
}

/** A source with one tracked advert: during a flood, flood traffic until it sends again (a source admitted
 *  by repeating too: a flood of random addresses repeats one now and then by chance, a node keeps on). */
export function oneShot(s: SourceState): boolean {
  return s.adverts <= 1;
}

/** Sources what is going on names: the master, the silenced master, an open split brain's masters, a
 *  pending takeover's two, the master an open no-master period waits for. Never removed. */
function named(r: RouterState, s: SourceState): boolean {
  if (r.master === s || r.silencedMaster === s || r.lastMaster === s) return true;
  if (r.splitBrain !== null && r.splitBrainSources.indexOf(s) >= 0) return true;
  const k = r.pendingTakeover;
  return k !== null && (k.source === s || k.master === s);
}

/** The source to remove from `r` to make room for an admitted newcomer: not named by what is going on,
 *  and not advertising — or, during a flood (`flooding`), advertising after a single advert (flood
 *  traffic); the ones not advertising first, then the fewest adverts, then the longest silent. Null when
 *  none may go: an established source that keeps advertising never does. */
export function sourceVictim(r: RouterState, flooding: boolean, meter: WorkMeter): SourceState | null {
  const advs = r.sources;
  meter.steps += advs.length;
  let v: SourceState | null = null;
  for (let i = 0; i < advs.length; i++) {
    const s = advs[i];
    if ((s.advertising && !(flooding && oneShot(s))) || named(r, s)) continue;
    if (v === null || (v.advertising && !s.advertising) ||
        (v.advertising === s.advertising && (s.adverts < v.adverts || (s.adverts === v.adverts && s.lastSeen < v.lastSeen)))) v = s;
  }
  return v;
}

/** Source `s` of `r` has been silent long enough at `t` to age out: not established, not advertising,
 *  not named by what is going on (its router's master only when it is the router's last source). */
export function agesOut(r: RouterState, s: SourceState, t: number): boolean {
  if (s.advertising || s.adverts >= ESTABLISHED_ADVERTS) return false;
  if (r.master === s ? r.sources.length > 1 || r.noMaster !== null : named(r, s)) return false;
  const down = masterDownInterval(s.version, s.lastNonZeroPriority > 0 ? s.lastNonZeroPriority : 1, s.intervalSeconds);
  return t - s.lastSeen > Math.max(AGE_OUT_FLOOR, AGE_OUT_MASTER_DOWNS * down);
}

/** Router `r` may be removed to make room for an admitted newcomer: nothing advertises — or, during a flood
 *  (`flooding`), only sources that sent a single advert —, no split-brain or no-master period (open or
 *  past), no finding worse than information. */
export function routerRemovable(r: RouterState, flooding: boolean): boolean {
  if (r.splitBrain !== null || r.noMaster !== null || r.splitBrains.length > 0 || r.noMasters.length > 0) return false;
  if (r.advertisingCount > 0) {
    if (!flooding) return false;
    for (const s of r.sources) if (s.advertising && !oneShot(s)) return false;
  }
  for (const fi of r.findings.values()) if (fi.finding.severity !== 'ok') return false;
  return true;
}

/** Router `r`, whose sources all aged out (none was established: agesOut), goes too unless it had a
 *  split-brain or no-master period: the findings its sources opened go with them. */
export function routerAgesOut(r: RouterState): boolean {
  return r.sources.length === 0 && r.splitBrain === null && r.noMaster === null && r.splitBrains.length === 0 && r.noMasters.length === 0;
}
