// The second pass of a vantage-point reading (docs/analysis.md §14.2): the captures' frames, merged in time
// order on the common clock, are matched copy by copy. The first copy of a frame goes to the analyzer
// (observe() returns true), later copies of it on other captures only mark where it was seen. A frame is
// settled once MATCH_WINDOW has passed after its first copy: an advert then counts, for every capture that
// was running, as arrived or lost (DeliveryCount), and the times of its copies feed the sender timing
// (senders.ts).
//
// What is "the same frame": an advert — source, MAC, destination, VRID, IP ID and checksum (IPv6 has no IP
// ID: the next advert is kept apart by a window of NOID_FRACTION of its interval); ARP — sender MAC,
// operation, addresses; an ICMP error — its sender, IP ID, type, code and what it quotes. Equal frames on
// one capture (a gratuitous ARP burst) pair up with the other captures' copies in order.
//
// Bounded: the pending frames live in a ring of MAX_PENDING (a flood settles the oldest early and counts
// it) indexed by hash buckets (typed arrays: no allocation per frame), flows and senders have their
// limits (limits.ts); per frame the work is a bucket walk, whatever the length of the captures.
import { Kind, type PacketRecord } from '../../decode/packet.js';
import { MATCH_WINDOW, MAX_FLOWS, MAX_PENDING, NOID_FRACTION, NOID_WINDOW } from './limits.js';
import { DeliveryCount } from './delivery-count.js';
import { Senders } from './senders.js';
import { routerText } from './survey.js';
import { ADVERTISING_WINDOW, DUPLICATE_WINDOW } from '../timing.js';

/** Adverts of a flow remembered (time and the captures that saw it), to look back at a takeover. */
const RECENT = 16;

/** What another source's adverts did right before this flow's source took over as master (while that
 *  source was still advertising): per capture, its adverts in the 3 intervals before, and how many arrived. */
export interface TakeoverCount {
  takeovers: number;
  expected: Int32Array;
  arrived: Int32Array;
}

/** One source's adverts for one router to one destination, and how they fared on each capture. */
export class Flow {
  sent = 0;
  /** For dual periods: when its current advertising run began, its last advert, its priority then. */
  runStart = -1;
  lastSeen = -Infinity;
  priority = 0;
  interval = 1;
  sender = -1;
  readonly counts: DeliveryCount[];
  /** The last RECENT settled adverts: times and the captures that saw them (a ring). */
  readonly recentT = new Float64Array(RECENT).fill(NaN);
  readonly recentMask = new Int32Array(RECENT);
  recentPos = 0;
  /** By the index of the other flow: its adverts before each of this source's takeovers. */
  readonly takeovers = new Map<number, TakeoverCount>();
  constructor(readonly family: number, readonly w: readonly number[], readonly vrid: number, readonly dw: readonly number[],
              readonly source: string, readonly router: string, readonly destination: string, k: number) {
    this.counts = [];
    for (let i = 0; i < k; i++) this.counts.push(new DeliveryCount());
  }
}

const enum FrameKind { Advert = 1, Arp = 2, Icmp = 3, Reject = 4 }

/** Buckets of the pending window's index (a power of two, twice MAX_PENDING). */
const BUCKETS = 32768;
/** Bits of the map of flows left out beyond MAX_FLOWS (8 KB): see leftOutSeen. */
const LEFT_OUT_BITS = 65536;
/** Below this many flows left out, their count is exact but for less than half a flow on average (n flows
 *  share a bit of the map some n² / 2¹⁷ times); from it on, the count is said to be approximate. */
export const LEFT_OUT_FLOWS_EXACT_BELOW = 256;

function mix(h: number, x: number): number {
  return Math.imul(h ^ x, 0x01000193);
}

export class AdvertMatcher {
  readonly flows: Flow[] = [];
  flowsLeftOut = 0;
  advertsLeftOut = 0;
  settledEarly = 0;
  /** Adverts a capture saw twice within DUPLICATE_WINDOW (-i any on a bridge and its port): not counted twice. */
  duplicates = 0;
  readonly senders: Senders;
  private readonly flowByKey = new Map<number, number[]>();
  private readonly byRouter = new Map<string, number[]>();
  /** Flows left out, one bit per 16 bits of their key, so each counts once in flowsLeftOut with memory fixed
   *  whatever their number. Approximate: two left-out flows on one bit count as one (a lower bound; among 50
   *  such flows a 2 % chance of one short). */
  private readonly leftOutSeen = new Int32Array(LEFT_OUT_BITS / 32);

  // the pending ring, struct of arrays: key words, time of the first copy, captures seen, window, flow, sender
  private readonly cap = MAX_PENDING;
  private head = 0;
  private count = 0;
  private readonly eHash = new Float64Array(MAX_PENDING);
  private readonly eW = new Int32Array(MAX_PENDING * 5);
  private readonly eT = new Float64Array(MAX_PENDING);
  private readonly eWin = new Float64Array(MAX_PENDING);
  private readonly eMask = new Int32Array(MAX_PENDING);
  private readonly eFlow = new Int32Array(MAX_PENDING);
  private readonly eSender = new Int32Array(MAX_PENDING);
  /** The next pending entry in the same bucket (-1: none). */
  private readonly eNext = new Int32Array(MAX_PENDING);
  private readonly eTimes: Float64Array;
  /** Buckets by hash: the oldest and newest pending entry of each, chained through eNext in time order, so
   *  the entry being settled (the oldest of all) is always the first of its bucket. No Map, no allocation. */
  private readonly bHead = new Int32Array(BUCKETS).fill(-1);
  private readonly bTail = new Int32Array(BUCKETS).fill(-1);
  private readonly kw = new Int32Array(5);

  /** `first`/`last`: each capture's span on the common clock (adverts outside it are not expected there). */
  constructor(readonly k: number, private readonly first: readonly number[], private readonly last: readonly number[]) {
    this.eTimes = new Float64Array(MAX_PENDING * k);
    this.senders = new Senders(k);
  }

  /** A decoded frame of capture `vp` on the common clock; `outgoing`: the capture marks it as sent by the
   *  capturing host. True when this is the frame's first copy (the analyzer gets it), false for a copy. */
  observe(p: PacketRecord, vp: number, outgoing: boolean): boolean {
    const t = p.tsSec + p.tsNsec / 1e9;
    this.expire(t);
    let kind: FrameKind;
    const w = this.kw;
    let win = NOID_WINDOW;
    let sender = -1;
    const addr = p.family === 6 ? mix(mix(mix(p.src0, p.src1), p.src2), p.src3) : p.src0;
    if (p.kind === Kind.Advert) {
      kind = FrameKind.Advert;
      w[0] = addr; w[1] = p.ipId; w[2] = (p.checksum | (p.vrid << 16)) | 0;
      w[3] = p.family === 6 ? mix(mix(mix(p.dst0, p.dst1), p.dst2), p.dst3) : p.dst0; w[4] = p.macLo ^ p.family;
      win = Math.min(MATCH_WINDOW, NOID_FRACTION * (p.intervalCs > 0 ? p.intervalCs / 100 : 1));
      sender = this.senders.find(p.macHi, p.macLo, addr, true);
    } else if (p.kind === Kind.Arp) {
      kind = FrameKind.Arp;
      w[0] = p.arpSpa; w[1] = p.arpTpa; w[2] = p.arpOp; w[3] = p.macHi; w[4] = p.macLo;
      sender = this.senders.find(p.macHi, p.macLo, 0, false);
    } else if (p.kind === Kind.IcmpError) {
      kind = FrameKind.Icmp;
      w[0] = addr; w[1] = p.ipId; w[2] = (p.icmpType << 8) | p.icmpCode; w[3] = p.qsrc0 ^ p.qdst0; w[4] = p.qvrid;
      sender = this.senders.find(p.macHi, p.macLo, addr, true);
    } else if (p.kind === Kind.Reject) {
      kind = FrameKind.Reject;
      w[0] = addr; w[1] = p.ipId; w[2] = p.reject; w[3] = p.dst0; w[4] = p.macLo;
    } else {
      return true;
    }
    if (sender >= 0 && outgoing) this.senders.list[sender].outgoing[vp]++;
    let h = 0x811c9dc5 ^ kind;
    for (let i = 0; i < 5; i++) h = mix(h, w[i]);
    // a small integer (30 bits): a Map lookup with it allocates nothing
    const hash = h & 0x3fffffff;
    const bit = 1 << vp;
    const bucket = hash & (BUCKETS - 1);
    for (let e = this.bHead[bucket]; e >= 0; e = this.eNext[e]) {
      if (this.eHash[e] !== hash || !this.sameKey(e)) continue;
      if ((this.eMask[e] & bit) !== 0) {
        // the same frame twice on one capture (-i any): an advert within DUPLICATE_WINDOW is one frame, with or
        // without IP ID — the next advert of a source comes an interval later, 10 ms at the shortest
        if (kind === FrameKind.Advert && t - this.eTimes[e * this.k + vp] <= DUPLICATE_WINDOW) { this.duplicates++; return true; }
        continue;
      }
      if (Math.abs(t - this.eT[e]) > this.eWin[e]) continue;
      this.eMask[e] |= bit;
      this.eTimes[e * this.k + vp] = t;
      return false;
    }
    // a new frame: the first copy; when a flood filled the window, the oldest frame is settled before its
    // time (counted) to make room — only now, so a copy of a waiting frame is matched first
    if (this.count === this.cap) { this.settleHead(); this.settledEarly++; }
    const e = (this.head + this.count) % this.cap;
    this.count++;
    this.eHash[e] = hash;
    this.eW.set(w, e * 5);
    this.eT[e] = t;
    this.eWin[e] = win;
    this.eMask[e] = bit;
    this.eTimes.fill(NaN, e * this.k, (e + 1) * this.k);
    this.eTimes[e * this.k + vp] = t;
    this.eSender[e] = sender;
    this.eNext[e] = -1;
    this.eFlow[e] = kind === FrameKind.Advert ? this.flowOf(p, t, sender) : -1;
    const tail = this.bTail[bucket];
    if (tail >= 0) this.eNext[tail] = e; else this.bHead[bucket] = e;
    this.bTail[bucket] = e;
    return true;
  }

  /** The reading stopped early (-c): the frames still waiting never had their chance to be seen on the other
   *  captures, so they are dropped unsettled (counted nowhere); finish() then closes the spells. */
  cut(): void {
    this.bHead.fill(-1);
    this.bTail.fill(-1);
    this.count = 0;
  }

  /** End of the input: settle every pending frame and close the loss spells going on. */
  finish(): void {
    while (this.count > 0) this.settleHead();
    for (const f of this.flows) for (const c of f.counts) c.close();
  }

  private sameKey(e: number): boolean {
    const o = e * 5, w = this.kw;
    return this.eW[o] === w[0] && this.eW[o + 1] === w[1] && this.eW[o + 2] === w[2] && this.eW[o + 3] === w[3] && this.eW[o + 4] === w[4];
  }

  private expire(t: number): void {
    while (this.count > 0 && this.eT[this.head] + MATCH_WINDOW < t) this.settleHead();
  }

  private settleHead(): void {
    const e = this.head;
    this.head = (this.head + 1) % this.cap;
    this.count--;
    // the oldest pending entry is the first of its bucket
    const bucket = this.eHash[e] & (BUCKETS - 1);
    const next = this.eNext[e];
    this.bHead[bucket] = next;
    if (next < 0) this.bTail[bucket] = -1;
    const t = this.eT[e], mask = this.eMask[e], k = this.k;
    const fi = this.eFlow[e];
    if (fi >= 0) {
      const f = this.flows[fi];
      f.sent++;
      f.recentT[f.recentPos] = t;
      f.recentMask[f.recentPos] = mask;
      f.recentPos = (f.recentPos + 1) % RECENT;
      const dual = this.dualAt(f, t);
      for (let vp = 0; vp < k; vp++) {
        // expected on a capture that saw it, or was running then
        const seen = (mask & (1 << vp)) !== 0;
        if (!seen && (t < this.first[vp] || t > this.last[vp])) continue;
        f.counts[vp].add(t, seen, dual);
      }
    }
    const si = this.eSender[e];
    if (si >= 0 && (mask & (mask - 1)) !== 0) {
      const s = this.senders.list[si];
      for (let i = 0; i < k; i++) {
        if ((mask & (1 << i)) === 0) continue;
        for (let j = i + 1; j < k; j++) if ((mask & (1 << j)) !== 0) s.addDiff(fi >= 0 ? 0 : 1, i, j, this.eTimes[e * k + j] - this.eTimes[e * k + i]);
      }
    }
  }

  /** Another source of the flow's router advertising at t (the flow's source should have been heard). */
  private dualAt(f: Flow, t: number): boolean {
    const list = this.byRouter.get(f.router)!;
    for (const gi of list) {
      const g = this.flows[gi];
      if (g === f || g.source === f.source) continue;
      if (g.priority > 0 && g.runStart >= 0 && g.runStart <= t && g.lastSeen >= t - ADVERTISING_WINDOW * g.interval) return true;
    }
    return false;
  }

  /** Flow `li`'s source starts advertising at t: for every other source of the router still advertising, its
   *  adverts of the 3 intervals before (settled by now), and on which captures they arrived. */
  private takeover(li: number, t: number, iv: number): void {
    const l = this.flows[li];
    for (const hi of this.byRouter.get(l.router)!) {
      const h = this.flows[hi];
      if (h === l || h.source === l.source || h.priority === 0 || h.lastSeen < t - ADVERTISING_WINDOW * h.interval) continue;
      let c = l.takeovers.get(hi);
      if (c === undefined) { c = { takeovers: 0, expected: new Int32Array(this.k), arrived: new Int32Array(this.k) }; l.takeovers.set(hi, c); }
      c.takeovers++;
      for (let i = 0; i < RECENT; i++) {
        const te = h.recentT[i];
        if (!(te >= t - 3 * iv && te <= t)) continue;
        for (let vp = 0; vp < this.k; vp++) {
          const seen = (h.recentMask[i] & (1 << vp)) !== 0;
          if (!seen && (te < this.first[vp] || te > this.last[vp])) continue;
          c.expected[vp]++;
          if (seen) c.arrived[vp]++;
        }
      }
    }
  }

  /** The flow of an advert's first copy (created on first sight; -1 beyond MAX_FLOWS), its run updated. */
  private flowOf(p: PacketRecord, t: number, sender: number): number {
    const fam = p.family;
    let h = mix(mix(0x811c9dc5 ^ fam, p.src0), p.vrid);
    if (fam === 6) h = mix(mix(mix(h, p.src1), p.src2), p.src3);
    h = mix(mix(mix(mix(h, p.dst0), p.dst1), p.dst2), p.dst3);
    const key = h & 0x3fffffff;
    const cands = this.flowByKey.get(key);
    let fi = -1;
    if (cands !== undefined) {
      for (const i of cands) {
        const f = this.flows[i];
        if (f.family === fam && f.vrid === p.vrid && f.w[0] === p.src0 && f.w[1] === p.src1 && f.w[2] === p.src2 && f.w[3] === p.src3 &&
            f.dw[0] === p.dst0 && f.dw[1] === p.dst1 && f.dw[2] === p.dst2 && f.dw[3] === p.dst3) { fi = i; break; }
      }
    }
    if (fi < 0) {
      if (this.flows.length >= MAX_FLOWS) { this.leaveOut(key); return -1; }
      const src = p.srcText();
      const f = new Flow(fam, [p.src0, p.src1, p.src2, p.src3], p.vrid, [p.dst0, p.dst1, p.dst2, p.dst3], src,
        routerText(fam, p.vrid), p.dstText(), this.k);
      fi = this.flows.length;
      this.flows.push(f);
      if (cands === undefined) this.flowByKey.set(key, [fi]); else cands.push(fi);
      const rl = this.byRouter.get(f.router);
      if (rl === undefined) this.byRouter.set(f.router, [fi]); else rl.push(fi);
      if (sender >= 0) {
        const s = this.senders.list[sender];
        if (!s.sources.includes(src) && s.sources.length < 4) s.sources.push(src);
      }
    }
    const f = this.flows[fi];
    if (f.sender < 0) f.sender = sender;
    const iv = p.intervalCs > 0 ? p.intervalCs / 100 : 1;
    if (f.runStart < 0 || t - f.lastSeen > ADVERTISING_WINDOW * f.interval || f.priority === 0) {
      f.runStart = t;
      if (p.priority > 0) this.takeover(fi, t, iv);
    }
    f.lastSeen = t;
    f.priority = p.priority;
    f.interval = iv;
    return fi;
  }

  /** An advert of a flow beyond MAX_FLOWS (its 30-bit key): counted, its flow once (the key's upper 16 bits,
   *  those the hash mixes best). */
  private leaveOut(key: number): void {
    this.advertsLeftOut++;
    const bit = key >>> 14, word = bit >>> 5, mask = 1 << (bit & 31);
    if ((this.leftOutSeen[word] & mask) !== 0) return;
    this.leftOutSeen[word] |= mask;
    this.flowsLeftOut++;
  }
}
