// Who last claimed an IPv4 address by gratuitous ARP (sender address = target address): after a split
// brain, neighbours may still send a virtual address to the former contender that claimed it last
// (VRRP-NOTES 5.1 #10; read by split-brain-cause.ts). One entry per address, updated in place.
//
// Invariants: at most MAX_ARP_CLAIMS addresses (later addresses are not kept); no allocation for an
// ARP frame that is not a claim of a new address (the time is read from the analyzer's clock array,
// not passed: a double argument to a call that is not inlined would be boxed, once per ARP frame).
import type { PacketRecord } from '../decode/packet.js';
import { MAX_ARP_CLAIMS } from './limits.js';

export interface ArpClaim {
  /** The claiming MAC as two words (PacketRecord.macHi/macLo). */
  macHi: number;
  macLo: number;
  /** Time of the last claim, and how many were seen. */
  t: number;
  count: number;
}

export class ArpClaims {
  private readonly byAddress = new Map<number, ArpClaim>();

  /** `clock[0]`: the current packet's time. */
  constructor(private readonly clock: Float64Array) {}

  /** An ARP frame (counted by the caller): a gratuitous one updates its address's claim. */
  record(p: PacketRecord): void {
    if (p.arpSpa !== p.arpTpa || p.macHi === -1) return;
    const t = this.clock[0];
    const g = this.byAddress.get(p.arpSpa);
    if (g === undefined) {
      if (this.byAddress.size < MAX_ARP_CLAIMS) this.byAddress.set(p.arpSpa, { macHi: p.macHi, macLo: p.macLo, t, count: 1 });
    } else {
      g.macHi = p.macHi;
      g.macLo = p.macLo;
      g.t = t;
      g.count++;
    }
  }

  get size(): number {
    return this.byAddress.size;
  }

  /** The last claim of an IPv4 address (as a 32-bit word), undefined when none was seen. */
  lastClaim(address: number): ArpClaim | undefined {
    return this.byAddress.get(address);
  }
}
