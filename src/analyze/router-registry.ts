// Finding the virtual router of an advert, per advert: a one-entry cache (adverts of one router often
// come in a row), an array for untagged routers by family and VRID (no hashing), a Map for the rest.
// Routers are created here, in order of their first tracked advert; the analyzer decides whether a new
// one is tracked at all (admission.ts) and removes one only to make room for an admitted newcomer or
// when it aged out (victim(), remove()).
//
// Invariant: no text and no allocation for a router already known. The time of a new router's first
// advert is read from the analyzer's clock array (a double passed as an argument to a call that is not
// inlined would be boxed: a heap number per advert). At most maxRouters routers (the analyzer checks
// `size` before create()).
import type { PacketRecord } from '../decode/packet.js';
import type { Family } from './model.js';
import { RouterState } from './router-state.js';
import { EVICTION_SAMPLE, type WorkMeter } from './limits.js';

export class RouterRegistry {
  /** Every router tracked, in order of first advert. */
  readonly list: RouterState[] = [];
  /** The router of the last advert looked up (the one-entry cache), null before the first. */
  last: RouterState | null = null;
  private readonly byKey = new Map<number, RouterState>();
  /** Routers without VLAN by family and VRID (index family 6 ? 256 + vrid : vrid). */
  private readonly plain: (RouterState | null)[] = new Array<RouterState | null>(512).fill(null);
  /** Where the next victim() search starts (a rotating cursor over `list`). */
  private cursor = 0;

  /** `clock[0]`: the current packet's time. */
  constructor(private readonly clock: Float64Array) {}

  get size(): number {
    return this.list.length;
  }

  /** The tracked router of this advert (numeric key `k` = routerKey() of it), null when it is not tracked. */
  find(p: PacketRecord, k: number): RouterState | null {
    const c = this.last;
    if (c !== null && c.numericKey === k) return c;
    if (p.vlan < 0) {
      const x = this.plain[k & 511];
      if (x !== null && x.numericKey === k) {
        this.last = x;
        return x;
      }
    }
    const r = this.byKey.get(k);
    if (r === undefined) return null;
    this.last = r;
    return r;
  }

  /** Track the router of this advert (numeric key `k`, not tracked yet) from now on. */
  create(p: PacketRecord, k: number): RouterState {
    const fam: Family = p.family === 6 ? 6 : 4;
    const vlan = p.vlan;
    const outer = vlan >= 0 ? p.vlanOuter : -1;
    const key = `v${fam}/${p.vrid}` + (vlan < 0 ? '' : outer >= 0 ? `@vlan${outer}.${vlan}` : `@vlan${vlan}`);
    const r = new RouterState(k, key, fam, p.vrid, vlan, this.clock[0]);
    r.vlanOuter = outer;
    this.byKey.set(k, r);
    if (vlan < 0 && k >= 0 && k < 512) this.plain[k] = r;
    this.list.push(r);
    this.last = r;
    return r;
  }

  /** A known router by routerKey(), undefined when none. */
  get(key: number): RouterState | undefined {
    return this.byKey.get(key);
  }

  /** Stop tracking `r`. */
  remove(r: RouterState): void {
    const i = this.list.indexOf(r);
    if (i < 0) return;
    this.list.splice(i, 1);
    this.byKey.delete(r.numericKey);
    const k = r.numericKey;
    if (k >= 0 && k < 512 && this.plain[k] === r) this.plain[k] = null;
    if (this.last === r) this.last = null;
  }

  /** The router to remove to make room: among EVICTION_SAMPLE routers from a rotating cursor, one that
   *  `removable` allows, with the fewest adverts, then the longest silent. Null when none of them may go. */
  victim(removable: (r: RouterState) => boolean, meter: WorkMeter): RouterState | null {
    const n = this.list.length;
    const look = Math.min(n, EVICTION_SAMPLE);
    meter.steps += look;
    let v: RouterState | null = null;
    for (let j = 0; j < look; j++) {
      const r = this.list[(this.cursor + j) % n];
      if (!removable(r)) continue;
      if (v === null || r.adverts < v.adverts || (r.adverts === v.adverts && r.lastSeen < v.lastSeen)) v = r;
    }
    this.cursor = n === 0 ? 0 : (this.cursor + look) % n;
    return v;
  }
}
