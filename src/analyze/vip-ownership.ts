// Who holds each virtual address, from the wire (docs/analysis.md §13): every ARP and IPv6 neighbour
// discovery frame that claims an address — gratuitous ARP (request and reply forms), ARP replies,
// unsolicited and solicited neighbour advertisements — is kept per address and MAC with its kind, count
// and first/last time, and mapped to the advertiser that sends from that MAC (its own MAC, or the virtual
// MAC 00:00:5e:00:01:VRID / 00:00:5e:00:02:VRID of use_vmac). From that it judges, when time passes
// (judge(), once per capture second and per live tick), two findings: vip-conflict — two MACs claimed one
// virtual address within VIP_CONFLICT_WINDOW of each other and that is no master change — and
// stale-neighbours — the last claim every neighbour heard is not the master's (a failover whose new
// master sent no gratuitous ARP/NA, an old master claiming again, a split brain healed with the loser's
// claim last). The judgement is in vip-judge.ts, the state in vip-state.ts, the text in vip-evidence.ts,
// the active probe's rounds in vip-probes.ts.
//
// Bounded by construction: addresses are followed only when an advert lists them (at most MAX_TRACKED_VIPS;
// further ones counted), or, for gratuitous claims, in a pending table of MAX_PENDING_VIPS keyed by address
// (the oldest replaced) until an advert lists them; at most MAX_MACS_PER_VIP MACs per address (the one
// claimed least recently replaced, never a MAC an advertiser of the router sends from). An ARP frame costs
// a hash, one Map lookup and a scan of at most MAX_MACS_PER_VIP entries; nothing is allocated for a frame
// that claims nothing or claims a known address from a known MAC. Times are read from the analyzer's
// clock array (a double passed to a call that is not inlined would be boxed).
import type { PacketRecord } from '../decode/packet.js';
import type { FindingsBook } from './findings-book.js';
import type { RouterState } from './router-state.js';
import type { SourceState } from './source-state.js';
import { tagOf } from './router-state.js';
import { MAX_MACS_PER_VIP, MAX_PENDING_VIPS, MAX_TRACKED_VIPS } from './limits.js';
import { CLAIM_BURST_GAP } from './timing.js';
import { ProbeLog } from './vip-probes.js';
import { ClaimKind, MacClaim, TELLS_ALL, VipState, addressText, hashOf, isMastersMac, isVirtualMac, ownerOf, sourceOfMac } from './vip-state.js';
import { contestFor, judgeRound, judgeVip } from './vip-judge.js';

export { ClaimKind, CLAIM_KIND_NAMES, MacClaim, VipState, isVirtualMac, sourceOfMac, addressText } from './vip-state.js';
export type { Contest, StaleSpell } from './vip-state.js';

export class VipOwnership {
  /** ARP frames and neighbour discovery frames seen (whether ownership can be judged per family). */
  arpFrames = 0;
  ndFrames = 0;
  /** Listed addresses that could not be followed (MAX_TRACKED_VIPS), pending ones replaced, MACs replaced. */
  vipsLeftOut = 0;
  pendingReplaced = 0;
  /** A probe was sent (--probe-vip): rounds must be closed as time passes. */
  private probing = false;

  /** Addresses waiting in the pending table now. */
  get pendingCount(): number {
    return this.pending.size;
  }

  /** MACs replaced in every address (MAX_MACS_PER_VIP). */
  get macsReplaced(): number {
    let n = 0;
    for (const v of this.tracked) n += v.macsReplaced;
    return n;
  }

  /** Followed addresses (listed by an advert, or named by --vip), in order of listing. */
  readonly tracked: VipState[] = [];
  private readonly byHash = new Map<number, VipState>();
  /** Claimed but not (yet) listed, oldest first (Map insertion order). */
  private readonly pending = new Map<number, VipState>();

  /** Where findings are opened: the analyzer's book, attached once right after construction (the book is
   *  built after this room, since the diagnosis it needs reads this room). */
  book: FindingsBook | null = null;

  /** `clock[0]`: the current packet's time. */
  constructor(private readonly clock: Float64Array) {}

  /** An ARP frame (counted by the caller). */
  arp(p: PacketRecord): void {
    this.arpFrames++;
    const op = p.arpOp, spa = p.arpSpa;
    if (spa === 0 || p.macHi < 0) return;               // an RFC 5227 probe asks, it claims nothing
    let kind: ClaimKind;
    if (op === 1) {
      if (spa !== p.arpTpa) return;                       // a plain request: no claim
      kind = ClaimKind.GarpRequest;
    } else if (op === 2) kind = spa === p.arpTpa ? ClaimKind.GarpReply : ClaimKind.ArpReply;
    else return;
    // an answer to an RFC 5227 probe goes back with target address 0.0.0.0
    this.claim(tagOf(p.vlan, p.vlanOuter), 4, spa, 0, 0, 0, kind, p.macHi, p.macLo, kind === ClaimKind.ArpReply && p.arpTpa === 0);
  }

  /** A neighbour discovery frame (counted by the caller): an advertisement claims its target. */
  nd(p: PacketRecord): void {
    this.ndFrames++;
    if (p.ndType !== 136) return;
    const hi = p.ndLlaHi >= 0 ? p.ndLlaHi : p.macHi;
    if (hi < 0) return;
    const lo = p.ndLlaHi >= 0 ? p.ndLlaLo : p.macLo;
    const solicited = (p.ndFlags & 0x40) !== 0;
    this.claim(tagOf(p.vlan, p.vlanOuter), 6, p.ndTarget0, p.ndTarget1, p.ndTarget2, p.ndTarget3,
      solicited ? ClaimKind.NaSolicited : ClaimKind.NaUnsolicited, hi, lo, solicited);
  }

  /** The state of an address, followed or pending; null when unknown. */
  find(tag: number, family: number, w0: number, w1: number, w2: number, w3: number): VipState | null {
    const h = hashOf(tag, family, w0, w1, w2, w3);
    for (let v = this.byHash.get(h) ?? null; v !== null; v = v.next) if (v.same(tag, family, w0, w1, w2, w3)) return v;
    const q = this.pending.get(h);
    return q !== undefined && q.same(tag, family, w0, w1, w2, w3) ? q : null;
  }

  private claim(tag: number, family: 4 | 6, w0: number, w1: number, w2: number, w3: number, kind: ClaimKind, macHi: number, macLo: number,
    probeAnswer: boolean): void {
    const t = this.clock[0];
    let v = this.find(tag, family, w0, w1, w2, w3);
    if (v === null) {
      // not listed by any advert (yet): only claims that every neighbour hears wait in the pending table
      if (!TELLS_ALL[kind]) return;
      v = this.addPending(tag, family, w0, w1, w2, w3, t);
    }
    v.touched = t;
    let c: MacClaim | null = null;
    const macs = v.macs;
    for (let i = 0; i < macs.length; i++) if (macs[i].macHi === macHi && macs[i].macLo === macLo) { c = macs[i]; break; }
    if (c === null) c = this.addMac(v, macHi, macLo, t);
    else {
      if (t - c.last > CLAIM_BURST_GAP) c.bursts++;
      c.last = t;
    }
    c.counts[kind]++;
    if (probeAnswer && v.probe !== null) v.probe.answer(macHi, macLo, t);
    const r = v.router;
    // judged at this moment first: a claim that comes late ends a stale spell that had begun
    if (r !== null && this.book !== null) judgeVip(v, t, this.book, this.judged(r.family));
    if (r !== null) {
      const m = ownerOf(r, v);
      c.byMaster = isMastersMac(r, m, macHi, macLo);
      contestFor(v, c, t);
    }
    if (TELLS_ALL[kind]) {
      // every other MAC: the neighbours are told another host from this claim on, unless they already were
      for (let i = 0; i < macs.length; i++) {
        const x = macs[i];
        if (x !== c && x.otherSince < 0) { x.otherSince = t; x.otherBy = c; }
      }
      c.otherSince = -1;
      c.otherBy = null;
      if (v.firstTold === null) { v.firstTold = c; v.firstToldAt = t; }
      v.told = c;
      v.toldAt = t;
      v.toldKind = kind;
    }
  }

  private addMac(v: VipState, macHi: number, macLo: number, t: number): MacClaim {
    const c = new MacClaim(macHi, macLo, t);
    c.otherSince = v.firstToldAt;                          // never told: the neighbours were told others from the first claim
    c.otherBy = v.firstTold;
    if (v.macs.length < MAX_MACS_PER_VIP) { v.macs.push(c); return c; }
    // full: replace the MAC claimed least recently that no advertiser of the router sends from
    let j = -1;
    for (let i = 0; i < v.macs.length; i++) {
      const x = v.macs[i];
      if (x === v.told || (v.router !== null && sourceOfMac(v.router, x.macHi, x.macLo) !== null)) continue;
      if (j < 0 || x.last < v.macs[j].last) j = i;
    }
    v.macsReplaced++;
    if (j < 0) return c;                                   // every kept MAC matters: this one is counted only
    if (v.contest !== null && (v.contest.intruder === v.macs[j] || v.contest.other === v.macs[j])) v.contest = null;
    v.macs[j] = c;
    return c;
  }

  private addPending(tag: number, family: 4 | 6, w0: number, w1: number, w2: number, w3: number, t: number): VipState {
    const h = hashOf(tag, family, w0, w1, w2, w3);
    const old = this.pending.get(h);
    if (old !== undefined) this.pending.delete(h);         // a hash collision: the newer address wins the slot
    else if (this.pending.size >= MAX_PENDING_VIPS) {
      const first = this.pending.keys().next().value as number;
      this.pending.delete(first);
      this.pendingReplaced++;
    }
    const v = new VipState(tag, family, w0, w1, w2, w3, addressText(family, w0, w1, w2, w3), h, t);
    this.pending.set(h, v);
    return v;
  }

  /** Follow an address of router `r` (listed by an advert, or named by --vip when `r` is null). */
  follow(r: RouterState | null, tag: number, family: 4 | 6, w0: number, w1: number, w2: number, w3: number, text: string, t: number): VipState | null {
    let v = this.find(tag, family, w0, w1, w2, w3);
    if (v !== null && this.pending.get(v.key) === v) {
      this.pending.delete(v.key);
    } else if (v !== null) {
      if (v.router === null && r !== null) v.router = r;    // a --vip address an advert lists now
      return v;
    } else {
      v = new VipState(tag, family, w0, w1, w2, w3, text, hashOf(tag, family, w0, w1, w2, w3), t);
    }
    if (this.tracked.length >= MAX_TRACKED_VIPS) { this.vipsLeftOut++; return null; }
    v.router = r;
    v.next = this.byHash.get(v.key) ?? null;
    this.byHash.set(v.key, v);
    this.tracked.push(v);
    // claims made while it was pending: who was master then is not known, take the master now (none before the
    // router's first advert is judged: a MAC that sent no advert is never the master's)
    if (r !== null) {
      const m = ownerOf(r, v);
      for (const c of v.macs) c.byMaster = isVirtualMac(r, c.macHi, c.macLo) || (m !== null && sourceOfMac(r, c.macHi, c.macLo) === m);
    }
    return v;
  }

  /** Source `a` of router `r` sent advert `p`, whose address list is new for it: follow its addresses. */
  listed(r: RouterState, a: SourceState, p: PacketRecord): void {
    if (a.listedHash === a.addressHash && a.listedCount === a.addressCount) return;
    a.listedHash = a.addressHash;
    a.listedCount = a.addressCount;
    const n = Math.min(p.count, a.addresses.length);
    const tag = tagOf(r.vlan, r.vlanOuter);
    const t = this.clock[0];
    for (let i = 0; i < n; i++) {
      this.follow(r, tag, r.family, p.addressWord(i, 0), r.family === 6 ? p.addressWord(i, 1) : 0, r.family === 6 ? p.addressWord(i, 2) : 0,
        r.family === 6 ? p.addressWord(i, 3) : 0, a.addresses[i], t);
    }
  }

  /** The active probe for an address went out at `clock[0]` (--probe-vip): its previous round is judged, a new
   *  one counts the answers. An address no advert lists is followed as named by --vip. */
  probeSent(family: 4 | 6, w0: number, w1: number, w2: number, w3: number, book: FindingsBook): void {
    const t = this.clock[0];
    this.probing = true;
    let v = this.find(-1, family, w0, w1, w2, w3);
    if (v === null || v.router === null && !v.requested) {
      v = this.follow(null, -1, family, w0, w1, w2, w3, addressText(family, w0, w1, w2, w3), t);
      if (v === null) return;
      v.requested = true;
    }
    if (v.probe === null) v.probe = new ProbeLog();
    const closed = v.probe.sentAt(t);
    if (closed !== null) judgeRound(v, closed, t, book);
  }

  /** The followed addresses of router `r`. */
  forRouter(r: RouterState): VipState[] {
    return this.tracked.filter((v) => v.router === r);
  }

  /** Whether claims of this family can be seen at all (the capture holds ARP / neighbour discovery). */
  judged(family: number): boolean {
    return family === 6 ? this.ndFrames > 0 : this.arpFrames > 0;
  }

  // ------------------------------------------------------------------ judgement

  /** Judge every followed address at `t` (time passed): confirm or drop contests, open or close stale spells,
   *  close the probe rounds whose window has passed (vip-judge.ts). */
  judge(t: number, book: FindingsBook): void {
    // nothing to judge before the first claim or probe (a capture without ARP/ND: every VRRP-only capture)
    if (this.arpFrames === 0 && this.ndFrames === 0 && !this.probing) return;
    const list = this.tracked;
    for (let i = 0; i < list.length; i++) {
      const v = list[i];
      judgeVip(v, t, book, v.router !== null && this.judged(v.router.family));
    }
  }

  /** The input ended at `t`: the probe rounds still counting answers are closed with what they have (no answer
   *  can come any more), then every address is judged. */
  finish(t: number, book: FindingsBook): void {
    if (this.probing) {
      for (const v of this.tracked) {
        const closed = v.probe !== null ? v.probe.close() : null;
        if (closed !== null) judgeRound(v, closed, t, book);
      }
    }
    this.judge(t, book);
  }

  /** The dashboard's `c`: forget what is over (past conflicts and stale spells); keep the claims and what lasts. */
  forgetHistory(): void {
    for (const v of this.tracked) {
      v.conflicts = v.contest !== null && v.contest.confirmed !== '' ? [v.contest] : [];
      v.staleSpells = v.stale !== null ? [v.stale] : [];
    }
  }
}
