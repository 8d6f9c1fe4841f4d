// The state of the ownership room (vip-ownership.ts): per virtual address the MACs that claimed it (how, how
// often, when, whether as master), the last claim every neighbour heard, the contest and stale spells being
// judged (vip-judge.ts) and the active probe's rounds (vip-probes.ts); and how a MAC maps to an advertiser.
// Plain state and small pure helpers, no judgement.
import type { RouterState } from './router-state.js';
import { beats, type SourceState } from './source-state.js';
import { ipText4, ipText6 } from '../decode/text.js';
import type { ProbeLog, Round } from './vip-probes.js';

/** How an address was claimed. */
export const enum ClaimKind { GarpRequest = 0, GarpReply = 1, ArpReply = 2, NaUnsolicited = 3, NaSolicited = 4 }
export const CLAIM_KIND_NAMES = ['garp-request', 'garp-reply', 'arp-reply', 'na-unsolicited', 'na-solicited'] as const;
/** The kinds every neighbour hears (broadcast ARP, NA to all nodes); the others reach the asker only. */
export const TELLS_ALL = [true, true, false, true, false];

/** One MAC's claims of one address. */
export class MacClaim {
  /** Claims per ClaimKind. */
  readonly counts = [0, 0, 0, 0, 0];
  first: number;
  last: number;
  /** Claims more than CLAIM_BURST_GAP apart start a new burst (keepalived sends 5 at once). */
  bursts = 1;
  /** The claim was made by the router's master at the time (or by the virtual MAC). */
  byMaster = false;
  /** The first claim every neighbour heard from another MAC since this MAC's last such claim (since the first
   *  of all when it made none), and whose: since when the neighbours are told another host. -1 and null while
   *  this MAC's claim is the last they heard, or none was heard. */
  otherSince = -1;
  otherBy: MacClaim | null = null;
  constructor(readonly macHi: number, readonly macLo: number, t: number) {
    this.first = t;
    this.last = t;
  }
  get total(): number {
    const c = this.counts;
    return c[0] + c[1] + c[2] + c[3] + c[4];
  }
}

/** Two MACs claiming one address within the window, with no master change between them. */
export interface Contest {
  /** The claimer that was not the master when it claimed (or the first, when neither was). */
  intruder: MacClaim;
  other: MacClaim;
  first: number;
  last: number;
  /** intruder.bursts when the contest began. */
  burstsAtStart: number;
  /** Why it is a conflict ('' until judged one). */
  confirmed: string;
}

/** How a stale spell ended: the master claimed; the host the neighbours were last told is master again (no
 *  claim needed); two masters advertised (both hold the address); another master took over. */
export type StaleEnd = 'claim' | 'master-again' | 'two-masters' | 'master-change';

/** A time during which the last claim every neighbour heard was not the master's. */
export interface StaleSpell {
  from: number;
  /** When it ended (-1 while it lasts), and how (null while it lasts). */
  to: number;
  endedBy: StaleEnd | null;
  /** The claim it is dated from, the first every neighbour heard since the master's last (null: none seen in
   *  the capture), and when it was made; when it is dated from the takeover or a split brain's end instead, the
   *  last claim every neighbour heard before it began. */
  told: MacClaim | null;
  toldAt: number;
  master: SourceState;
  /** When the master took over (its first advert as master), -1 when it was master before the capture. */
  became: number;
  /** It is dated from the end of a split brain: the last claim heard then was made during it. */
  afterSplitBrain: boolean;
}

/** One virtual address and who claimed it. */
export class VipState {
  /** The router whose adverts list it; null while pending (claimed, not listed) or when only --vip names it. */
  router: RouterState | null = null;
  macs: MacClaim[] = [];
  /** MACs that were replaced when MAX_MACS_PER_VIP were kept. */
  macsReplaced = 0;
  /** The last claim every neighbour heard, and when. */
  told: MacClaim | null = null;
  toldAt = -1;
  toldKind = -1;
  /** The first claim every neighbour heard, and when (-1: none yet). */
  firstTold: MacClaim | null = null;
  firstToldAt = -1;
  /** Last time a claim (or the listing advert) touched it. */
  touched: number;
  /** The next state with the same hash. */
  next: VipState | null = null;
  contest: Contest | null = null;
  /** Confirmed conflicts (at most MAX_SPELLS kept). */
  conflicts: Contest[] = [];
  stale: StaleSpell | null = null;
  staleSpells: StaleSpell[] = [];
  /** Named by --vip (kept even when no advert lists it). */
  requested = false;
  /** The active probe's rounds (--probe-vip), null until the first probe. */
  probe: ProbeLog | null = null;
  /** A round in which two or more MACs answered, for the evidence (the latest). */
  provenBy: Round | null = null;
  constructor(readonly tag: number, readonly family: 4 | 6, readonly w0: number, readonly w1: number, readonly w2: number,
              readonly w3: number, readonly text: string, readonly key: number, t: number) {
    this.touched = t;
  }
  same(tag: number, family: number, w0: number, w1: number, w2: number, w3: number): boolean {
    return this.tag === tag && this.family === family && this.w0 === w0 && this.w1 === w1 && this.w2 === w2 && this.w3 === w3;
  }
}

/** A 32-bit hash of an address with its VLAN tag path and family (collisions are chained). */
export function hashOf(tag: number, family: number, w0: number, w1: number, w2: number, w3: number): number {
  let h = Math.imul(tag + 7, 0x9e3779b1) ^ family;
  h = Math.imul(h ^ w0, 0x01000193);
  if (family === 6) {
    h = Math.imul(h ^ w1, 0x01000193);
    h = Math.imul(h ^ w2, 0x01000193);
    h = Math.imul(h ^ w3, 0x01000193);
  }
  return h >>> 0;
}

/** The use_vmac virtual MAC of a router: 00:00:5e:00:01:VRID (IPv4), 00:00:5e:00:02:VRID (IPv6). */
export function isVirtualMac(r: RouterState, macHi: number, macLo: number): boolean {
  return macHi === 0x0000 && macLo === ((0x5e00 << 16) | ((r.family === 6 ? 2 : 1) << 8) | r.vrid) >>> 0;
}

/** A claim from this MAC is master `m`'s: its own MAC, or the router's virtual MAC (use_vmac). */
export function isMastersMac(r: RouterState, m: SourceState | null, macHi: number, macLo: number): boolean {
  return isVirtualMac(r, macHi, macLo) || (m !== null && m.macHi === macHi && m.macLo === macLo);
}

/** The source of router `r` that sends from this MAC, null when none does. */
export function sourceOfMac(r: RouterState, macHi: number, macLo: number): SourceState | null {
  for (const s of r.sources) if (s.macHi === macHi && s.macLo === macLo) return s;
  return null;
}

/** The source of `r` that should hold `v`: the master when it lists the address, else the election winner among
 *  the advertising sources that list it (nodes of one VRID that list different addresses); the master when
 *  none does. */
export function ownerOf(r: RouterState, v: VipState): SourceState | null {
  const m = r.master;
  if (m !== null && m.addresses.includes(v.text)) return m;
  let best: SourceState | null = null;
  for (const s of r.sources) if (s.advertising && s.addresses.includes(v.text) && (best === null || beats(s, best))) best = s;
  return best ?? m;
}

/** An address of a family from its words, as the decoder prints it. */
export function addressText(family: number, w0: number, w1: number, w2: number, w3: number): string {
  return family === 6 ? ipText6(w0, w1, w2, w3) : ipText4(w0);
}
