// The cardinality bound (docs/metrics.md, "Cardinality"): which routers, advertisers and free-form
// label values get series of their own, and what the rest sum to in the "other" series.
// Invariants: the routers kept are the first seen (stable under a later flood of spoofed VRIDs), the
// advertisers kept per router are the master then the first seen, the label values kept are the
// first in sorted order; nothing beyond a bound is lost, it is summed into "other" and counted in
// vrrpwatch_folded_series. (The virtual addresses' bound is vips.ts's.)
import type { Counter } from 'prom-client';
import type { Advertiser, Router } from '../analyze/model.js';

/** The label value of everything folded. */
export const OTHER = 'other';

export const FAILOVER_KINDS = ['failover', 'graceful', 'preemption', 'initial'] as const;

/** Routers with their own series (the first `max` seen) and the rest. */
export function routersWithinBound(routers: readonly Router[], max: number): { kept: Router[]; rest: Router[] } {
  const ordered = routers.slice().sort((a, b) => a.firstSeen - b.firstSeen || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return { kept: ordered.slice(0, max), rest: ordered.slice(max) };
}

/** A router's advertisers with their own series (the master always, then the first seen) and the rest. */
export function advertisersWithinBound(rt: Router, max: number): { kept: Advertiser[]; rest: Advertiser[] } {
  const advs = rt.advertisers.slice().sort((a, b) =>
    (a.ip === rt.master ? -1 : 0) - (b.ip === rt.master ? -1 : 0) || a.firstSeen - b.firstSeen || (a.ip < b.ip ? -1 : a.ip > b.ip ? 1 : 0));
  return { kept: advs.slice(0, max), rest: advs.slice(max) };
}

/** What the routers beyond the bound sum to (their one "other" series). */
export interface OtherRouters {
  activeAdvertisers: number;
  /** 1 when any of them is in split brain now. */
  splitBrain: number;
  splitBrainNow: number;
  noMasterNow: number;
  splitBrainSeconds: number;
  noMasterSeconds: number;
  splitBrains: number;
  noMasters: number;
  briefDualMasters: number;
  failovers: Record<typeof FAILOVER_KINDS[number], number>;
  adverts: number;
}

export function sumOfRouters(rest: readonly Router[], t: number): OtherRouters {
  const o: OtherRouters = {
    activeAdvertisers: 0, splitBrain: 0, splitBrainNow: 0, noMasterNow: 0, splitBrainSeconds: 0, noMasterSeconds: 0,
    splitBrains: 0, noMasters: 0, briefDualMasters: 0, failovers: { failover: 0, graceful: 0, preemption: 0, initial: 0 }, adverts: 0,
  };
  for (const rt of rest) {
    for (const a of rt.advertisers) if (a.active) o.activeAdvertisers++;
    if (rt.state === 'split-brain') { o.splitBrain = 1; o.splitBrainNow = Math.max(o.splitBrainNow, openSeconds(rt.splitBrains, t)); }
    if (rt.state === 'no-master' || rt.state === 'resigned') o.noMasterNow = Math.max(o.noMasterNow, openSeconds(rt.noMasters, t));
    o.splitBrainSeconds += rt.totals.splitBrainSeconds;
    o.noMasterSeconds += rt.totals.noMasterSeconds;
    o.splitBrains += rt.totals.splitBrains;
    o.noMasters += rt.totals.noMasters;
    o.briefDualMasters += rt.totals.briefDualMasters;
    for (const k of FAILOVER_KINDS) o.failovers[k] += rt.totals.failovers[k];
    o.adverts += rt.adverts;
  }
  return o;
}

/** Sets a counter by one free-form label, at most `maxValues` values (the rest summed into "other");
 *  returns how many values were folded. */
export function setByLabel(m: Counter, label: string, values: Record<string, number>, maxValues: number): number {
  const keys = Object.keys(values).sort();
  let other = 0, folded = 0;
  for (let i = 0; i < keys.length; i++) {
    if (i < maxValues - 1 || keys.length <= maxValues) m.inc({ [label]: keys[i] }, values[keys[i]]);
    else { other += values[keys[i]]; folded++; }
  }
  if (folded > 0) m.inc({ [label]: OTHER }, other);
  return folded;
}

/** Duration of the open (last, end === null) period up to `t`, 0 when none is open. */
export function openSeconds(ps: Array<{ start: number; end: number | null; duration: number }>, t: number): number {
  const p = ps.length > 0 ? ps[ps.length - 1] : null;
  return p && p.end === null ? Math.max(0, p.duration, t - p.start) : 0;
}
