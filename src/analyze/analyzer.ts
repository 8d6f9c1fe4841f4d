// The analyzer: the one entry point (packet, otherFrame, tick, finish, snapshot), a pure state machine
// over decoded records. Its clock is the packet times and tick(t); no I/O, no wall clock. It counts the
// frames, finds each advert's router (router-registry.ts), takes the steady state on its fast path, and
// hands everything else to the parts: the router state machine (router-machine.ts), ICMP refusals,
// who claims the virtual addresses (vip-ownership.ts), the findings and events book, the diagnosis
// (evidence.ts) and the view (view.ts).
// docs/analysis.md has the rules and a map of the files; docs/findings.md the finding codes. Keep the
// code and the two pages in step.
//
// Hot path (one advert): a numeric router key compared with a one-entry cache (else an array or a Map),
// then, in the steady state — the sole advertising source is the master and nothing it advertises
// changed — a dozen number comparisons and the Welford update: no allocation, no text, no call that
// takes the time as an argument (a double argument to a call that is not inlined is boxed; the time is
// kept in a Float64Array). A frame of kind Other costs two increments.
import { Kind, Checksum, Reject, REJECT_NAMES } from '../decode/packet.js';
import type { PacketRecord } from '../decode/packet.js';
import type { AdvertNote, AnalysisEvent, AnalyzerApi, AnalyzerOptions, Snapshot } from './model.js';
import { ADVERTISING_WINDOW, DUPLICATE_WINDOW } from './timing.js';
import { DEFAULT_MAX_EVENTS, DEFAULT_MAX_ROUTERS, DEFAULT_MAX_SOURCES, WorkMeter } from './limits.js';
import { routerKey, tagOf, type RouterState } from './router-state.js';
import { RouterRegistry } from './router-registry.js';
import { FindingsBook } from './findings-book.js';
import { Diagnosis } from './evidence.js';
import { IcmpRefusals, openRefusedFinding } from './icmp-refusals.js';
import { VipOwnership } from './vip-ownership.js';
import { unlistedView } from './vip-view.js';
import { RouterMachine, findSource } from './router-machine.js';
import { SPAN_WITH_DATES } from './evidence-text.js';
import { Admission } from './admission.js';
import { Tracking } from './tracking.js';
import { linkTypeName, missingVridFinding, reportedFindings, routerView, verdictOf } from './view.js';

// The tunables, the RFC formulas and the clock text, exported from here under the names docs/analysis.md uses.
export {
  ADVERTISING_WINDOW, TRANSITION_INTERVALS, ECHO_WINDOW, ECHO_WINDOW_FRACTION, FLAP_CHANGES, FLAP_WINDOW,
  NO_MASTER_ALLOWANCE, NO_MASTER_FLOOR, DUPLICATE_WINDOW, skewTime, masterDownInterval,
} from './timing.js';
export { utcClock } from './evidence-text.js';

/** Tests only: turn the steady-state fast path off to compare it with the general path. */
let fastPath = true;
export function setFastPathForTests(on: boolean): void {
  fastPath = on;
}

export class Analyzer implements AnalyzerApi {
  /** Why the last advert returned 'anomaly' (interned), null otherwise. */
  lastAnomaly: string | null = null;

  private frames = 0;
  private bytes = 0;
  private vrrpAdverts = 0;
  /** Protocol-112 frames that did not parse, by Reject reason. */
  private readonly rejects: number[] = new Array<number>(REJECT_NAMES.length).fill(0);
  private carp = 0;
  private icmpErrors = 0;
  /** Protocol-112 frames cut short by the capture's snapshot length (also counted in rejects), and of
   *  those by Reject reason: the rejected-packets finding leaves them out. */
  private cutByCapture = 0;
  private readonly cutRejects: number[] = new Array<number>(REJECT_NAMES.length).fill(0);
  /** Adverts seen twice (DUPLICATE_WINDOW), not counted as adverts. */
  private duplicates = 0;
  private arp = 0;
  private nd = 0;
  /** Frames of link types that cannot be decoded, by link type. */
  private readonly unsupported = new Map<number, number>();
  private pcapReceived: number | null = null;
  private pcapDropped: number | null = null;
  private pcapIfDropped: number | null = null;

  /** The latest packet (or tick) time, and the first packet's. */
  private time = 0;
  private firstTime: number | null = null;
  /** The current packet's time (any kind but Other). Kept in a typed array, not passed as an argument: a
   *  double argument to a call that is not inlined is boxed (a heap number per advert, the GC seen in the
   *  profile). The router registry and the ownership room read it. */
  private readonly clk = new Float64Array(1);
  private readonly routers = new RouterRegistry(this.clk);
  private readonly vips = new VipOwnership(this.clk);
  private readonly refusals: IcmpRefusals;
  private readonly diagnosis: Diagnosis;
  private readonly book: FindingsBook;
  private readonly machine: RouterMachine;
  private finished = false;
  /** Next whole second (capture time) at which sweep() judges every router. */
  private sweepSec = 0;
  private readonly expectVrids: number[];
  /** The limits, the flood tally and who gets tracked (admission.ts). */
  private readonly admission: Admission;
  /** Who gets tracked: newcomers admitted, room made, what ages out (tracking.ts). */
  private readonly tracking: Tracking;
  private readonly meter = new WorkMeter();

  constructor(opts: AnalyzerOptions = {}) {
    this.expectVrids = opts.expectVrids ?? [];
    this.admission = new Admission(Math.max(1, opts.maxRouters ?? DEFAULT_MAX_ROUTERS), Math.max(1, opts.maxSources ?? DEFAULT_MAX_SOURCES), this.clk);
    this.refusals = new IcmpRefusals();
    this.diagnosis = new Diagnosis(this.refusals, this.vips, this.rejects, this.cutRejects, this.admission);
    this.book = new FindingsBook(opts.maxEvents ?? DEFAULT_MAX_EVENTS, this.diagnosis);
    this.vips.book = this.book;
    this.machine = new RouterMachine(this.book, this.diagnosis, this.vips, this.admission, this.meter);
    this.tracking = new Tracking(this.routers, this.book, this.machine, this.admission, this.meter);
  }

  /** Work done by the loops over sources and routers so far (WorkMeter; tests assert it grows linearly). */
  get work(): number {
    return this.meter.steps;
  }

  /** Called synchronously for each event as it happens, complete. */
  get onEvent(): ((e: AnalysisEvent) => void) | null {
    return this.book.onEvent;
  }
  set onEvent(f: ((e: AnalysisEvent) => void) | null) {
    this.book.onEvent = f;
  }

  // ------------------------------------------------------------------ input
  packet(p: PacketRecord): AdvertNote {
    const kind = p.kind;
    this.otherFrame(p.frameLen, p.tsSec, p.tsNsec);
    if (kind === Kind.Other) return 'other';
    this.lastAnomaly = null;
    const t = p.tsSec + p.tsNsec / 1e9;
    if (this.firstTime === null) this.firstTime = t;
    if (t > this.time) this.time = t;
    this.clk[0] = t;
    if (kind === Kind.Advert) return this.advert(p);
    if (kind === Kind.Reject) this.reject(p, t);
    else if (kind === Kind.Carp) this.carp++;
    else if (kind === Kind.IcmpError) this.icmpError(p, t);
    else if (kind === Kind.Arp) {
      this.arp++;
      this.vips.arp(p);
    } else if (kind === Kind.Nd) {
      this.nd++;
      this.vips.nd(p);
    } else if (kind === Kind.UnsupportedLink) {
      this.unsupported.set(p.linktype, (this.unsupported.get(p.linktype) ?? 0) + 1);
    }
    return 'other';
  }

  /** A frame of no interest (what packet() does with Kind.Other), for callers that did not decode it. */
  otherFrame(frameLen: number, tsSec: number, tsNsec: number): void {
    this.frames++;
    this.bytes += frameLen;
    // Once per second of capture time, every router is judged at this frame's time, so a VRID that went
    // silent is seen as having no master while other traffic goes on (not only when it speaks again).
    if (tsSec >= this.sweepSec) this.sweep(tsSec + tsNsec / 1e9);
  }

  private sweep(t: number): void {
    this.sweepSec = Math.floor(t) + 1;
    // only a router silent for over a second can have lost its master (Master_Down_Interval is at
    // least 3 intervals); the others are judged by their own adverts, at no cost here
    const list = this.routers.list;
    this.meter.steps += list.length;
    for (let i = 0; i < list.length; i++) {
      const r = list[i];
      if (t - r.lastSeen > 1 || r.checkDrop !== null) this.machine.evaluate(r, t);
    }
    if (this.admission.untracked > 0) this.tracking.ageOut(t);
    this.book.dated = this.firstTime !== null && t - this.firstTime > SPAN_WITH_DATES;
    this.vips.judge(t, this.book);
  }

  tick(t: number): void {
    if (t > this.time) this.time = t;
    const list = this.routers.list;
    this.meter.steps += list.length;
    for (let i = 0; i < list.length; i++) this.machine.evaluate(list[i], t);
    this.vips.judge(t, this.book);
  }

  /** --probe-vip: the active probe for a virtual address (four words; IPv4 uses the first) went out at `t`.
   *  Answers seen afterwards are counted per round (vip-probes.ts). */
  probeSent(family: 4 | 6, w0: number, w1: number, w2: number, w3: number, t: number): void {
    if (t > this.time) this.time = t;
    this.clk[0] = t;
    this.vips.probeSent(family, w0, w1, w2, w3, this.book);
  }

  /** The virtual addresses to probe (--probe-vip): every one an advert lists, or --vip named, with its words. */
  virtualAddresses(): { family: 4 | 6; address: string; words: [number, number, number, number] }[] {
    return this.vips.tracked.filter((v) => v.router !== null || v.requested).map((v) => ({ family: v.family, address: v.text, words: [v.w0, v.w1, v.w2, v.w3] }));
  }

  setCaptureCounters(received: number, dropped: number, ifDropped: number): void {
    this.pcapReceived = received;
    this.pcapDropped = dropped;
    this.pcapIfDropped = ifDropped;
  }

  finish(): void {
    if (this.finished) return;
    this.finished = true;
    const t = this.time;
    this.vips.finish(t, this.book);
    for (const r of this.routers.list) this.machine.finish(r, t);
    for (const v of this.expectVrids) {
      if (!this.routers.list.some((r) => r.vrid === v)) {
        const fi = this.book.globalFinding('expected-vrid-missing:' + v, 'expected-vrid-missing', 'critical', t, null, v, null,
          `expected VRID ${v} was never seen`);
        fi.finding.evidence = [`no advert for VRID ${v} in ${this.vrrpAdverts} adverts seen`];
      }
    }
  }

  // ------------------------------------------------------------------ adverts
  private advert(p: PacketRecord): AdvertNote {
    const t = this.clk[0];
    const k = routerKey(tagOf(p.vlan, p.vlanOuter), p.family, p.vrid);
    const c = this.routers.last;
    this.tracking.routerAdmitted = false;
    const r = c !== null && c.numericKey === k ? c : this.routers.find(p, k) ?? this.tracking.admitRouter(p, k);
    if (r === null) {
      this.vrrpAdverts++;
      return 'untracked';
    }
    const prevAdv = r.lastSender;
    if (prevAdv !== null && t - prevAdv.lastSeen < DUPLICATE_WINDOW && t >= prevAdv.lastSeen && p.checksum === prevAdv.lastChecksum &&
        p.ipId === prevAdv.ipId && p.src0 === prevAdv.src0 && p.src1 === prevAdv.src1 && p.src2 === prevAdv.src2 && p.src3 === prevAdv.src3) {
      this.duplicates++;
      return 'duplicate';
    }
    this.vrrpAdverts++;

    // Fast path, the steady state: the sole advertising source is the master and nothing about
    // its advert changed. Nothing can expire, no dual period, no echo, no election to run. It does
    // what SourceState.observe() and addIntervalSample() would do for such an advert, inline.
    const m = r.master;
    if (m !== null && r.advertisingCount === 1 && fastPath && m.src0 === p.src0 && m.src1 === p.src1 && m.src2 === p.src2 && m.src3 === p.src3) {
      const since = t - m.lastSeen;
      const mc = p.family === 6 ? (p.dst0 >>> 24) === 0xff : (p.dst0 >>> 28) === 0xe;
      if (m.advertising && since >= 0 && since <= ADVERTISING_WINDOW * m.intervalSeconds && p.priority === m.priority &&
          p.intervalCs === m.intervalCs && p.version === m.version && p.addrHash === m.addressHash && p.count === m.addressCount &&
          p.authType === m.authType && p.authHi === m.authHi && p.authLo === m.authLo &&
          p.checksumStatus === Checksum.Ok && m.configMismatch === null && !m.lastTtlBad &&
          (mc ? p.ttl === 255 && m.unicastAdverts === 0
            : m.multicastAdverts === 0 && p.dst0 === m.lastUnicastDst0 && p.dst1 === m.lastUnicastDst1 && p.dst2 === m.lastUnicastDst2 && p.dst3 === m.lastUnicastDst3)) {
        r.adverts++;
        if (t > r.lastSeen) r.lastSeen = t;
        m.adverts++;
        if (since > 0) {
          const n = ++m.intervalSamples;
          const delta = since - m.intervalMean;
          m.intervalMean += delta / n;
          m.intervalM2 += delta * (since - m.intervalMean);
        }
        m.lastSeen = t;
        m.ipId = p.ipId;
        m.lastChecksum = p.checksum;
        if (mc) m.multicastAdverts++;
        else {
          m.unicastAdverts++;
          if (p.ttl < m.ttlMin) m.ttlMin = p.ttl;
          if (p.ttl > m.ttlMax) m.ttlMax = p.ttl;
        }
        m.checksumCounts[0]++;
        r.lastSender = m;
        return 'master';
      }
    }
    // the general path: find the source (a new one may have to repeat first: a flood's adverts end here,
    // counted), judge the time passed, move the state
    const a = findSource(r, p, this.meter);
    let admitted = this.tracking.routerAdmitted;
    if (a === null && !admitted && (r.sources.length >= this.admission.maxSources || this.admission.flooding)) {
      if (!this.tracking.admitSource(p, k, r)) return 'untracked';
      admitted = true;
    } else this.machine.evaluate(r, t);
    r.adverts++;
    if (t > r.lastSeen) r.lastSeen = t;
    const note = this.machine.advert(r, p, t, a, admitted);
    const anomaly = this.machine.anomaly;
    if (anomaly !== null) {
      this.lastAnomaly = anomaly;
      return 'anomaly';
    }
    return note;
  }

  // ------------------------------------------------------------------ other frames
  private reject(p: PacketRecord, t: number): void {
    const i = p.reject;
    if (i >= 0 && i < this.rejects.length) this.rejects[i]++;
    // cut by the capture's snapshot length, not by the network: counted, but nothing is wrong on the wire
    if (p.capLen < p.frameLen && (i === Reject.TruncatedIp || i === Reject.TruncatedVrrp || i === Reject.TruncatedAddresses)) {
      this.cutByCapture++;
      this.cutRejects[i]++;
      return;
    }
    const fi = this.book.global.get('rejected-packets');
    if (fi === undefined) {
      this.book.globalFinding('rejected-packets', 'rejected-packets', 'warning', t, null, null, null,
        'protocol-112 packets that are not valid VRRP');
    } else {
      fi.finding.count++;
      fi.finding.lastSeen = t;
    }
  }

  private icmpError(p: PacketRecord, t: number): void {
    this.icmpErrors++;
    const note = this.refusals.record(p, t);
    if (note === null) return;
    const r = this.routers.get(routerKey(note.tag, note.family, note.vrid));
    if (r !== undefined) openRefusedFinding(this.book, r, note, t);
  }

  /** Several vantage points (-r a -r b): where each source's adverts arrived, for the split brain's cause. */
  set wireEvidence(w: import('./vantage/wire-cause.js').WireEvidence | null) {
    this.diagnosis.wires = w;
  }

  // ------------------------------------------------------------------ history and view
  /** The dashboard's `c`: forget what is over (events, master changes, closed split-brain and no-master
   *  periods, findings), keep what is going on now (advertisers, master, an open period and its finding). */
  clearHistory(): void {
    this.book.clearHistory(this.routers.list);
    this.diagnosis.forgetRejects();
    this.vips.forgetHistory();
  }

  /** A cheap change counter for a display's render tick (DashboardFeed.version): it moves when a frame
   *  arrives, the clock passes a whole second, an event or finding is added, the analysis finishes or
   *  the capture drop counters move. Reads fields only (no allocation). A change that comes with none of
   *  these (an advertiser expiring on a tick) shows at the next whole second at the latest. */
  get changeCount(): number {
    return this.frames + Math.floor(this.time) + this.book.events.length + this.book.records.size + (this.finished ? 1 : 0) +
      (this.pcapDropped ?? 0) + (this.pcapIfDropped ?? 0);
  }

  /** The plain-data view for reports, dashboard, metrics and hooks (view.ts): evidence is rebuilt here. */
  snapshot(): Snapshot {
    const rejects: Record<string, number> = {};
    for (let i = 1; i < this.rejects.length; i++) if (this.rejects[i] > 0) rejects[REJECT_NAMES[i]] = this.rejects[i];
    const unsupportedLinks: Record<string, number> = {};
    for (const [lt, n] of this.unsupported) unsupportedLinks[linkTypeName(lt)] = n;
    this.diagnosis.dated = this.firstTime !== null && this.time - this.firstTime > SPAN_WITH_DATES;
    for (const fi of this.book.records) this.diagnosis.refresh(fi);
    const findings = reportedFindings(this.book.records);
    if (!this.finished) {
      for (const v of this.expectVrids) {
        if (!this.routers.list.some((r) => r.vrid === v) && !this.book.global.has('expected-vrid-missing:' + v)) {
          findings.push(missingVridFinding(v, this.vrrpAdverts, this.time));
        }
      }
    }
    const routers = this.routers.list.map((r) => routerView(r, this.finished, this.vips));
    let sources = 0;
    for (const r of this.routers.list) sources += r.sources.length;
    const v = this.vips;
    const unlisted = unlistedView(v);
    return {
      time: this.time,
      firstTime: this.firstTime,
      stats: {
        frames: this.frames, bytes: this.bytes, vrrpAdverts: this.vrrpAdverts, rejects, carp: this.carp,
        icmpErrors: this.icmpErrors, arp: this.arp, nd: this.nd, unsupportedLinks, cutByCapture: this.cutByCapture, duplicates: this.duplicates,
        ownership: { followed: v.tracked.length, pending: v.pendingCount, vipsLeftOut: v.vipsLeftOut, pendingReplaced: v.pendingReplaced, claimersReplaced: v.macsReplaced },
        pcapReceived: this.pcapReceived, pcapDropped: this.pcapDropped, pcapIfDropped: this.pcapIfDropped,
      },
      routers,
      findings,
      events: this.book.events.map((e) => ({ ...e, advertisers: e.advertisers.slice() })),
      ...(unlisted.length > 0 ? { unlistedVips: unlisted } : {}),
      verdict: verdictOf(routers, findings),
      limits: this.admission.view(this.routers.size, sources, this.book.eventsDropped),
    };
  }

  /** For `check -i`, without a snapshot: whether every router tracked has sent `adverts` adverts, the
   *  longest advertised interval, whether every VRID of `vrids` was seen, and whether anything went beyond
   *  the limits (`flood`). During a flood, sources that sent one advert are left out, and each other
   *  source must have sent `adverts` adverts itself (a newcomer is tracked one advert late and counts as
   *  advertising from its second tracked advert). */
  readiness(adverts: number, vrids: readonly number[]): { routers: number; ready: boolean; longest: number; vridsSeen: boolean; flood: boolean } {
    let n = 0, ready = true, longest = 0;
    const flood = this.admission.untracked > 0;
    for (const r of this.routers.list) {
      let counted = false;
      for (const a of r.sources) {
        if (flood && a.adverts <= 1) continue;
        counted = true;
        if (flood && a.adverts < adverts) ready = false;
        if (a.intervalSeconds > longest) longest = a.intervalSeconds;
      }
      if (!counted) continue;
      n++;
      if (r.adverts < adverts) ready = false;
    }
    const vridsSeen = vrids.every((v) => this.routers.list.some((r) => r.vrid === v));
    return { routers: n, ready, longest, vridsSeen, flood };
  }
}
