// Finding the virtual router of an advert, per advert: a one-entry cache (adverts of one router often
// come in a row), an array for untagged routers by family and VRID (no hashing), a Map for the rest.
// Routers are created here, in order of their first advert, and never removed.
//
// Invariant: no text and no allocation for a router already known. The time of a new router's first
// advert is read from the analyzer's clock array (a double passed as an argument to a call that is not
// inlined would be boxed: a heap number per advert).
import type { PacketRecord } from '../decode/packet.js';
import type { Family } from './model.js';
import { RouterState, routerKey, tagOf } from './router-state.js';

export class RouterRegistry {
  /** Every router, in order of first advert. */
  readonly list: RouterState[] = [];
  /** The router of the last advert looked up (the one-entry cache), null before the first. */
  last: RouterState | null = null;
  private readonly byKey = new Map<number, RouterState>();
  /** Routers without VLAN by family and VRID (index family 6 ? 256 + vrid : vrid). */
  private readonly plain: (RouterState | null)[] = new Array<RouterState | null>(512).fill(null);

  /** `clock[0]`: the current packet's time. */
  constructor(private readonly clock: Float64Array) {}

  /** The router of this advert, created at its first advert. */
  forAdvert(p: PacketRecord): RouterState {
    const fam: Family = p.family === 6 ? 6 : 4;
    const vlan = p.vlan;
    const k = routerKey(tagOf(vlan, p.vlanOuter), fam, p.vrid);
    const c = this.last;
    if (c !== null && c.numericKey === k) return c;
    if (vlan < 0) {
      const x = this.plain[k & 511];
      if (x !== null && x.numericKey === k) {
        this.last = x;
        return x;
      }
    }
    let r = this.byKey.get(k);
    if (r === undefined) {
      const outer = vlan >= 0 ? p.vlanOuter : -1;
      const key = `v${fam}/${p.vrid}` + (vlan < 0 ? '' : outer >= 0 ? `@vlan${outer}.${vlan}` : `@vlan${vlan}`);
      r = new RouterState(k, key, fam, p.vrid, vlan, this.clock[0]);
      r.vlanOuter = outer;
      this.byKey.set(k, r);
      if (vlan < 0 && k >= 0 && k < 512) this.plain[k] = r;
      this.list.push(r);
    }
    this.last = r;
    return r;
  }

  /** A known router by routerKey(), undefined when none. */
  get(key: number): RouterState | undefined {
    return this.byKey.get(key);
  }
}
