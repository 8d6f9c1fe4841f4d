// The analyzer: a pure state machine over decoded records. Clock = packet times and tick(t).
// The rules (advertising window, dual period, split brain, no master, flapping...) are written
// down in docs/analysis.md; the finding codes in docs/findings.md. Keep the three in step.
//
// Hot path (one advert): a numeric router key looked up in a Map (with a one-entry cache), the
// advertiser found in a small array by comparing source words, numbers compared and updated.
// Text (addresses, auth, MAC, IP) is produced only for a new advertiser or when its hash/words change.
import { Kind, Checksum, Reject, REJECT_NAMES } from '../decode/packet.js';
import type { PacketRecord } from '../decode/packet.js';
import type {
  AdvertNote, AnalysisEvent, AnalyzerApi, AnalyzerOptions, Advertiser, EventType, Failover,
  Finding, NoMasterPeriod, Router, RouterStatus, Severity,
  SplitBrainPeriod, Snapshot,
} from './model.js';
import {
  ADVERTISING_WINDOW, TRANSITION_INTERVALS, ECHO_WINDOW, ECHO_WINDOW_FRACTION, FLAP_CHANGES, FLAP_WINDOW,
  DUPLICATE_WINDOW, skewTime, masterDownInterval, silenceLimit, bestBackupDownInterval,
} from './timing.js';
import { DEFAULT_MAX_EVENTS, MAX_PERIODS, MAX_SPELLS } from './limits.js';
import { clock, fmt } from './evidence-text.js';
import { SourceState, beats, firstPair, isMulticast } from './source-state.js';
import { RouterState, bestKnownBackup, routerKey, tagOf, type FindingRecord } from './router-state.js';
import { RouterRegistry } from './router-registry.js';
import { FindingsBook, worse } from './findings-book.js';
import { Diagnosis } from './evidence.js';
import { IcmpRefusals, openRefusedFinding } from './icmp-refusals.js';
import { ArpClaims } from './arp-claims.js';

// The tunables, the RFC formulas and the clock text, exported from here under the names docs/analysis.md uses.
export {
  ADVERTISING_WINDOW, TRANSITION_INTERVALS, ECHO_WINDOW, ECHO_WINDOW_FRACTION, FLAP_CHANGES, FLAP_WINDOW,
  NO_MASTER_ALLOWANCE, NO_MASTER_FLOOR, DUPLICATE_WINDOW, skewTime, masterDownInterval,
} from './timing.js';
export { clock } from './evidence-text.js';

/** Tests only: turn the steady-state fast path off to compare it with the general path. */
let fastPath = true;
export function setFastPathForTests(on: boolean): void {
  fastPath = on;
}

const TTL_ANOMALY: string[] = [];
for (let i = 0; i < 256; i++) TTL_ANOMALY.push('ttl-' + i);

const LINKTYPE_NAMES: Record<number, string> = {
  0: 'null', 1: 'ethernet', 6: 'ieee802', 9: 'ppp', 10: 'fddi', 12: 'raw', 101: 'raw', 104: 'c-hdlc',
  105: 'ieee802.11', 108: 'loop', 113: 'linux-sll', 127: 'ieee802.11-radiotap', 192: 'ppi',
  195: 'ieee802.15.4', 220: 'usb-linux-mmapped', 228: 'ipv4', 229: 'ipv6', 276: 'linux-sll2',
};

export class Analyzer implements AnalyzerApi {
  /** Why the last advert returned 'anomaly' (interned), null otherwise. */
  lastAnomaly: string | null = null;

  private frames = 0;
  private bytes = 0;
  private vrrpAdverts = 0;
  private rejects: number[] = new Array<number>(REJECT_NAMES.length).fill(0);
  private carp = 0;
  private icmpErrors = 0;
  /** Protocol-112 frames cut short by the capture's snapshot length (also counted in rejects). */
  private cutByCapture = 0;
  /** Adverts seen twice (DUPLICATE_WINDOW), not counted as adverts. */
  private duplicates = 0;
  private arp = 0;
  private unsupported = new Map<number, number>();
  private pcapReceived: number | null = null;
  private pcapDropped: number | null = null;
  private pcapIfDropped: number | null = null;

  private time = 0;
  private firstTime: number | null = null;
  /** The current packet's time. Kept in a typed array, not passed as an argument: a double argument
   *  to a call that is not inlined is boxed (a heap number per advert, the GC seen in the profile). */
  private readonly clk = new Float64Array(1);
  private readonly routers = new RouterRegistry(this.clk);
  private readonly arpClaims = new ArpClaims();
  private readonly refusals = new IcmpRefusals();
  private readonly diagnosis: Diagnosis;
  private readonly book: FindingsBook;
  private finished = false;
  /** Next whole second (capture time) at which sweep() judges every router. */
  private sweepSec = 0;
  private readonly expectVrids: number[];

  constructor(opts: AnalyzerOptions = {}) {
    this.expectVrids = opts.expectVrids ?? [];
    this.diagnosis = new Diagnosis(this.refusals, this.arpClaims, this.rejects);
    this.book = new FindingsBook(opts.maxEvents ?? DEFAULT_MAX_EVENTS, this.diagnosis);
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
    if (kind === Kind.Advert) {
      this.clk[0] = t;
      return this.advert(p);
    }
    if (kind === Kind.Reject) this.reject(p, t);
    else if (kind === Kind.Carp) this.carp++;
    else if (kind === Kind.IcmpError) this.icmpError(p, t);
    else if (kind === Kind.Arp) {
      this.arp++;
      this.arpClaims.record(p, t);
    }
    else if (kind === Kind.UnsupportedLink) {
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
    for (let i = 0; i < this.routers.list.length; i++) {
      const r = this.routers.list[i];
      if (t - r.lastSeen > 1) this.evaluate(r, t);
    }
  }

  tick(t: number): void {
    if (t > this.time) this.time = t;
    for (let i = 0; i < this.routers.list.length; i++) this.evaluate(this.routers.list[i], t);
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
    for (const r of this.routers.list) {
      // judge every router at the last packet's time: one that fell silent long before the capture
      // ended had no master (evaluate); the ones still advertising at the end had none of that —
      // a capture that simply ends is not an outage.
      if (t > r.lastSeen) this.evaluate(r, t);
      this.expire(r, t);
      this.checkDual(r, t);
      if (r.splitBrain !== null) {
        r.splitBrainAtEnd = true;
        r.splitBrain.duration = t - r.splitBrain.start;
        r.splitBrain.end = t;
        r.splitBrain.endedWithCapture = true;
        r.totals.splitBrainClosedSeconds += r.splitBrain.duration;
        this.book.emit(r, t, 'split-brain-end', 'critical', r.splitBrain.duration, null,
          `split brain still going on when the capture ended after ${fmt(r.splitBrain.duration)} s (${r.splitBrain.advertisers.join(', ')})`);
        r.splitBrain = null;
      }
      if (r.noMaster !== null) {
        r.noMasterAtEnd = true;
        r.noMaster.end = t;
        r.noMaster.duration = t - r.noMaster.start;
        r.totals.noMasterClosedSeconds += r.noMaster.duration;
        r.noMaster = null;
      }
    }
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
    const c = this.routers.last;
    const r = c !== null && c.numericKey === routerKey(tagOf(p.vlan, p.vlanOuter), p.family, p.vrid) ? c : this.routers.forAdvert(p);
    const prevAdv = r.lastSender;
    if (prevAdv !== null && t - prevAdv.lastSeen < DUPLICATE_WINDOW && t >= prevAdv.lastSeen && p.checksum === prevAdv.lastChecksum &&
        p.ipId === prevAdv.ipId && p.src0 === prevAdv.src0 && p.src1 === prevAdv.src1 && p.src2 === prevAdv.src2 && p.src3 === prevAdv.src3) {
      this.duplicates++;
      return 'duplicate';
    }
    this.vrrpAdverts++;
    r.adverts++;
    if (t > r.lastSeen) r.lastSeen = t;

    // Fast path, the steady state: the sole advertising source is the master and nothing about
    // its advert changed. Nothing can expire, no dual period, no echo, no election to run.
    const m = r.master;
    if (m !== null && r.advertisingCount === 1 && fastPath && m.src0 === p.src0 && m.src1 === p.src1 && m.src2 === p.src2 && m.src3 === p.src3) {
      const since = t - m.lastSeen;
      const mc = p.family === 6 ? (p.dst0 >>> 24) === 0xff : (p.dst0 >>> 28) === 0xe;
      if (m.advertising && since >= 0 && since <= ADVERTISING_WINDOW * m.intervalSeconds && p.priority === m.priority &&
          p.intervalCs === m.intervalCs && p.version === m.version && p.addrHash === m.addressHash && p.count === m.addressCount &&
          p.authType === m.authType && p.authHi === m.authHi && p.authLo === m.authLo &&
          p.checksumStatus === Checksum.Ok && m.configMismatch === null && !m.lastTtlBad &&
          (mc ? p.ttl === 255 && m.unicastAdverts === 0 : m.multicastAdverts === 0 && p.dst0 === m.lastUnicastDst0 && p.dst1 === m.lastUnicastDst1 && p.dst2 === m.lastUnicastDst2 && p.dst3 === m.lastUnicastDst3)) {
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
    this.evaluate(r, t);

    // find the advertiser by source words
    const s0 = p.src0, s1 = p.src1, s2 = p.src2, s3 = p.src3;
    let a: SourceState | null = null;
    const advs = r.sources;
    for (let i = 0; i < advs.length; i++) {
      const x = advs[i];
      if (x.src0 === s0 && x.src1 === s1 && x.src2 === s2 && x.src3 === s3) { a = x; break; }
    }
    let changed = false;
    if (a === null) {
      a = new SourceState(s0, s1, s2, s3, p.srcText(), p.macHi === -1 ? null : p.macText(), t, p.vlan);
      a.macHi = p.macHi;
      a.macLo = p.macLo;
      advs.push(a);
      changed = true;
    }
    const prevLast = a.adverts === 0 ? -1 : a.lastSeen;
    const prevIpId = a.ipId;
    // what the advert says (counts, configuration, destination, length, TTL, checksum)
    const mc = isMulticast(p.family, p.dst0);
    if (a.observe(p, t, mc)) changed = true;
    // receive checks that depend on this packet alone
    let anomaly: string | null = null;
    const ttl = p.ttl;
    if (mc && ttl !== 255) {
      if (a.badTtlAdverts === 1) {
        this.book.routerFinding(r, 'ttl-not-255', 'warning', t, a, null,
          `${a.ip} sends multicast adverts with ${p.family === 6 ? 'hop limit' : 'TTL'} ${ttl}: keepalived drops them`);
      } else this.book.touch(r, 'ttl-not-255', t);
      anomaly = TTL_ANOMALY[ttl & 255];
    }
    const cs = p.checksumStatus;
    if (cs === Checksum.Bad) {
      if (a.checksumCounts[3] === 1) {
        this.book.routerFinding(r, 'bad-checksum', 'warning', t, a, null, `adverts from ${a.ip} carry bad checksums`);
      } else this.book.touch(r, 'bad-checksum', t);
      if (anomaly === null) anomaly = 'bad-checksum';
    } else if (cs === Checksum.V2Style || cs === Checksum.OldUnicast) {
      if (a.checksumCounts[cs] === 1) {
        this.book.routerFinding(r, 'checksum-variant', 'ok', t, a, null,
          `${a.ip} computes its checksum the ${cs === Checksum.V2Style ? 'VRRPv2 way (no IPv4 pseudo-header)' : 'old keepalived unicast way'}`);
      }
    }

    // priority
    const prio = p.priority;
    const oldPrio = a.priority;
    if (prio !== oldPrio) {
      a.notePriority(prio, t);
      if (prio === 255 || oldPrio === 255) changed = true;
      if (oldPrio > 0 && prio > 0) this.priorityChange(r, a, oldPrio, prio, t);
    }
    if (prio > 0) a.lastNonZeroPriority = prio;
    if (changed) this.compare(r, t);
    if (anomaly === null && a.configMismatch !== null) anomaly = a.configMismatch;

    // echo: a higher-priority source answering a lower-priority advert at once
    let echo = false;
    const la = r.lastSender;
    if (prio > 0 && la !== null && la !== a && la.priority > 0 && la.priority < prio && la.advertising) {
      const d = t - la.lastSeen;
      if (d >= 0 && d <= ECHO_WINDOW && d <= ECHO_WINDOW_FRACTION * la.intervalSeconds) {
        echo = true;
        la.advertsEchoed++;
        if (d > la.longestEcho) la.longestEcho = d;
        la.echoedBy = a;
      }
    }
    r.lastSender = a;
    // the other advertising sources that reject this advert (configuration mismatch, TTL) stay master
    // and restart their advert timer on it (analysis §3.1); one that accepts it answers (echo) or yields
    for (let i = 0; i < advs.length; i++) {
      const x = advs[i];
      if (x !== a && x.advertising && x.timerPushedAt <= x.lastSeen && t > x.lastSeen && (x.configMismatch !== null || a.lastTtlBad)) x.timerPushedAt = t;
    }
    if (prio > 0) {
      for (let i = 0; i < advs.length; i++) {
        const x = advs[i];
        if (x !== a && x.advertising && x.priority > prio) { a.advertsUnderBetter++; break; }
      }
    }
    // measured interval (Welford): time since the source's previous advert of any kind (keepalived
    // restarts its advert timer when it sends an echo), leaving out echoes, resignations and gaps
    if (!echo && prio > 0 && oldPrio > 0 && prevLast >= 0) {
      const dt = t - prevLast;
      if (dt > 0 && dt <= ADVERTISING_WINDOW * a.intervalSeconds) a.addIntervalSample(dt);
    }

    // state
    let note: AdvertNote;
    if (prio === 0) {
      a.resigned = true;
      a.resignedAt = t;
      if (a.advertising) {
        a.advertising = false;
        r.advertisingCount--;
        this.afterInactive(r, t, t, a);
      } else if (r.silencedMaster === a) {
        this.unhide(r, t);
        if (r.splitBrain !== null) this.endSplit(r, t);
      }
      this.elect(r, t, null, prevLast, prevIpId);
      note = 'resign';
    } else {
      a.resigned = false;
      if (r.silencedMaster === a) this.unhide(r, t);
      if (!a.advertising) {
        a.advertising = true;
        a.advertisingSince = t;
        r.advertisingCount++;
        if (r.advertisingCount >= 2 && r.dualPeriodStart !== r.dualPeriodStart) {
          r.dualPeriodStart = t;
          r.dualPeriodMaxInterval = 0;
        }
        this.takeoverCheck(r, a, t);
      }
      if (r.advertisingCount >= 2) this.trackDual(r);
      const changedMaster = this.elect(r, t, a, prevLast, prevIpId);
      this.checkDual(r, t);
      note = changedMaster ? 'new-master' : echo ? 'echo' : r.master === a ? 'master' : 'contender';
    }
    if (anomaly !== null) {
      this.lastAnomaly = anomaly;
      return 'anomaly';
    }
    return note;
  }

  private reject(p: PacketRecord, t: number): void {
    const i = p.reject;
    if (i >= 0 && i < this.rejects.length) this.rejects[i]++;
    // cut by the capture's snapshot length, not by the network: counted, but nothing is wrong on the wire
    if (p.capLen < p.frameLen && (i === Reject.TruncatedIp || i === Reject.TruncatedVrrp || i === Reject.TruncatedAddresses)) {
      this.cutByCapture++;
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

  /** A refusal whose split brain names the same host and cause: the split-brain finding tells it (its
   *  event was still emitted, often before the split brain was declared). */
  private toldBySplitBrain(fi: FindingRecord): boolean {
    if (fi.finding.code !== 'vrrp-refused' || fi.router === null) return false;
    const sb = fi.router.findings.get('split-brain');
    return sb !== undefined && sb.finding.cause === fi.finding.cause && sb.finding.fixContext.deafHost === fi.finding.fixContext.deafHost;
  }

  // ------------------------------------------------------------------ state machine
  /** Expire sources whose advertising window has passed, judge dual periods, elect, detect silence. */
  private evaluate(r: RouterState, t: number): void {
    this.expire(r, t);
    this.checkDual(r, t);
    const m = r.master;
    if (m !== null && !m.advertising && r.advertisingCount > 0) this.elect(r, t, null, -1, -1);
    if (m !== null && !m.advertising && !m.resigned && r.advertisingCount === 0 && r.noMaster === null && r.master !== null) {
      const limit = silenceLimit(r, m);
      if (t - m.lastSeen > limit) {
        const nm: NoMasterPeriod = { start: m.lastSeen, end: null, duration: t - m.lastSeen, lastMaster: m.ip };
        r.noMaster = nm;
        if (r.noMasters.length >= MAX_PERIODS) r.noMasters.shift();
        r.noMasters.push(nm);
        r.totals.noMasters++;
        r.master = null;
        r.lastMaster = m;
        // the event says who is gone: master none, previousMaster the silent one
        const e = this.book.event(r, t, 'no-master', 'critical', t - m.lastSeen, bestBackupDownInterval(r, m),
          `no master: nothing advertised for ${fmt(t - m.lastSeen)} s since ${m.ip}'s last advert (limit ${fmt(limit)} s)`);
        e.previousMaster = m.ip;
        this.book.push(e);
        const fi = this.book.routerFinding(r, 'no-master', 'critical', t, m, null,
          `no master for VRID ${r.vrid}: adverts stopped for longer than the master-down interval`);
        fi.finding.count = r.noMasters.length;
      }
    }
    if (r.noMaster !== null) r.noMaster.duration = t - r.noMaster.start;
  }

  private expire(r: RouterState, t: number): void {
    if (r.advertisingCount === 0) return;
    const advs = r.sources;
    for (let i = 0; i < advs.length; i++) {
      const a = advs[i];
      if (!a.advertising) continue;
      const from = a.timerPushedAt > a.lastSeen ? a.timerPushedAt : a.lastSeen;
      if (t - from > ADVERTISING_WINDOW * a.intervalSeconds) {
        a.advertising = false;
        r.advertisingCount--;
        this.afterInactive(r, from + ADVERTISING_WINDOW * a.intervalSeconds, a.lastSeen, a);
      }
    }
  }

  /** Source `a` stopped advertising: its window expired at `e`, its last advert was at `last`. */
  private afterInactive(r: RouterState, e: number, last: number, a: SourceState): void {
    if (r.advertisingCount >= 2) return;
    if (r.advertisingCount === 1 && !a.resigned && r.dualPeriodStart === r.dualPeriodStart) {
      // Silenced master (analysis §3.1): `a` rejects the adverts of the source still advertising
      // (configuration mismatch, or TTL/hop limit != 255), so it cannot have heard a better master
      // and gone back to backup; it went quiet without resigning because each rejected advert
      // restarts a keepalived 2.2 master's advert timer.
      let m: SourceState | null = null;
      for (const x of r.sources) if (x.advertising) m = x;
      if (m !== null && (m.configMismatch !== null || m.lastTtlBad)) {
        r.silencedMaster = a;
        if (r.silencedSpells.length < MAX_SPELLS) r.silencedSpells.push({ source: a, from: a.lastSeen, to: -1 });
        if (r.splitBrain === null) this.declare(r, e, r.dualPeriodStart);
        else {
          if (r.splitBrainSources.indexOf(a) < 0) {
            r.splitBrainSources.push(a);
            r.splitBrainSources.sort((x, y) => (beats(x, y) ? -1 : 1));
            r.splitBrain.advertisers = r.splitBrainSources.map((x) => x.ip);
          }
          const fi = r.findings.get('split-brain');
          if (fi !== undefined) this.diagnosis.explain(fi);
        }
        r.dualPeriodStart = NaN;
        r.dualPeriodMaxInterval = 0;
        return;
      }
    }
    if (r.silencedMaster !== null && r.silencedMaster !== a) {
      // the master that silenced the other stopped: the silenced one is alone again
      this.unhide(r, e);
      if (r.splitBrain !== null) this.endSplit(r, last > r.splitBrain.start ? last : e);
    }
    if (r.dualPeriodStart !== r.dualPeriodStart) return;
    const start = r.dualPeriodStart;
    if (r.splitBrain === null && this.dualLasting(r, a)) this.declare(r, e, start);
    if (r.splitBrain !== null) this.endSplit(r, last > r.splitBrain.start ? last : e);
    else if (r.pendingTakeover !== null && r.pendingTakeover.source === a && !a.resigned) this.briefDual(r, e);
    r.pendingTakeover = null;
    r.dualPeriodStart = NaN;
    r.dualPeriodMaxInterval = 0;
  }

  /** Source `a` (not the master) just started advertising at `t`. keepalived starts a backup in
   *  BACKUP and keeps it there while it hears a better master, so a lower-priority source that starts
   *  advertising while the master has been advertising for longer than its Master_Down_Interval did
   *  not hear those adverts (VRRP-NOTES 5.2: a stateful firewall without a VRRP rule; or a firewall
   *  drop, in which case it becomes a split brain). */
  private takeoverCheck(r: RouterState, a: SourceState, t: number): void {
    const m = r.master;
    if (m === null || m === a || !m.advertising || m.advertisingSince < 0 || a.priority <= 0 || r.splitBrain !== null || !beats(m, a)) return;
    const down = masterDownInterval(a.version, a.priority, a.version === 3 ? m.intervalSeconds : a.intervalSeconds);
    if (t - m.advertisingSince < down) return;
    r.pendingTakeover = { source: a, master: m, from: t, masterSince: m.advertisingSince, masterDown: down, advertsAtStart: a.adverts };
    this.book.emit(r, t, 'dual-master', 'warning', null, down,
      `${a.ip} (prio ${a.priority}) advertises as master while ${m.ip} (prio ${m.priority}) is master: ` +
      `it has not heard ${m.ip} for its master-down interval (${fmt(down)} s), though ${m.ip} advertised all along`);
  }

  /** The pending takeover ended without a split brain: the lower-priority source went back to backup. */
  private briefDual(r: RouterState, e: number): void {
    const k = r.pendingTakeover!;
    const a = k.source, m = k.master;
    if (r.briefDualMasters.length < MAX_SPELLS) {
      r.briefDualMasters.push({ source: a, master: m, from: k.from, to: a.lastSeen, adverts: a.adverts - k.advertsAtStart + 1, masterSince: k.masterSince, masterDown: k.masterDown });
    }
    const n = a.adverts - k.advertsAtStart + 1;
    r.totals.briefDualMasters++;
    const fi = this.book.routerFinding(r, 'brief-dual-master', 'warning', e, a, m,
      `brief dual master on VRID ${r.vrid}: ${a.ip} (prio ${a.lastNonZeroPriority}) took over for ${n} advert${n === 1 ? '' : 's'} while ${m.ip} (prio ${m.lastNonZeroPriority}) was master`);
    fi.finding.lastSeen = e;
    this.diagnosis.refresh(fi);
  }

  private endSplit(r: RouterState, end: number): void {
    const sb = r.splitBrain!;
    sb.end = end;
    sb.duration = end - sb.start;
    r.totals.splitBrainClosedSeconds += sb.duration;
    r.splitBrain = null;
    if (r.silencedMaster !== null) this.unhide(r, end);
    this.book.emit(r, end, 'split-brain-end', 'critical', sb.duration, null,
      `split brain ended after ${fmt(sb.duration)} s (${sb.advertisers.join(', ')})`);
    const fi = r.findings.get('split-brain');
    if (fi !== undefined) fi.finding.lastSeen = end;
  }

  private trackDual(r: RouterState): void {
    const advs = r.sources;
    for (let i = 0; i < advs.length; i++) {
      const a = advs[i];
      if (a.advertising && a.intervalSeconds > r.dualPeriodMaxInterval) r.dualPeriodMaxInterval = a.intervalSeconds;
    }
  }

  private checkDual(r: RouterState, t: number): void {
    if (r.dualPeriodStart !== r.dualPeriodStart || r.splitBrain !== null) return;
    if (this.dualLasting(r, null)) this.declare(r, t, r.dualPeriodStart);
  }

  /** A dual period is a split brain once every source in it (the advertising ones, and `gone`, which
   *  just stopped) advertised again more than TRANSITION_INTERVALS of the largest interval after it began:
   *  a node that yields within about one interval of hearing the better one (start-up race, preemption)
   *  sent its last advert before that. */
  private dualLasting(r: RouterState, gone: SourceState | null): boolean {
    const limit = r.dualPeriodStart + TRANSITION_INTERVALS * r.dualPeriodMaxInterval;
    if (gone !== null && gone.lastSeen < limit) return false;
    const advs = r.sources;
    for (let i = 0; i < advs.length; i++) {
      const x = advs[i];
      if (x.advertising && x.lastSeen < limit) return false;
    }
    return true;
  }

  /** The silenced master spoke (or resigned, or its silencer stopped) at `t`. */
  private unhide(r: RouterState, t: number): void {
    const h = r.silencedMaster;
    r.silencedMaster = null;
    for (let i = r.silencedSpells.length - 1; i >= 0; i--) {
      const s = r.silencedSpells[i];
      if (s.source === h && s.to < 0) { s.to = t; break; }
    }
  }

  private declare(r: RouterState, t: number, start: number): void {
    r.pendingTakeover = null; // the split brain finding tells that story
    const advs: SourceState[] = [];
    for (const a of r.sources) {
      if (a.advertising || a === r.silencedMaster || (!a.resigned && a.lastNonZeroPriority > 0 && a.lastSeen + ADVERTISING_WINDOW * a.intervalSeconds >= start)) advs.push(a);
    }
    advs.sort((x, y) => (beats(x, y) ? -1 : 1));
    const sb: SplitBrainPeriod = { start, end: null, duration: t - start, advertisers: advs.map((a) => a.ip) };
    r.splitBrain = sb;
    r.splitBrainSources = advs;
    if (r.splitBrains.length >= MAX_PERIODS) r.splitBrains.shift();
    r.splitBrains.push(sb);
    r.totals.splitBrains++;
    const desc = advs.map((a) => `${a.ip} prio ${a.lastNonZeroPriority}`).join(', ');
    this.book.emit(r, t, 'split-brain-start', 'critical', t - start, null, r.silencedMaster !== null
      ? `split brain: ${r.silencedMaster.ip} became master too but is silenced on the wire by the other's rejected adverts (${desc})`
      : `split brain: ${advs.length} sources advertising VRID ${r.vrid} at once (${desc}), for ${fmt(t - start)} s so far, since ${clock(start)}`);
    const fi = this.book.routerFinding(r, 'split-brain', 'critical', t, advs[0] ?? null, advs[1] ?? null,
      `split brain on VRID ${r.vrid}: ${desc} advertise at once`);
    fi.finding.count = r.splitBrains.length;
    fi.finding.lastSeen = t;
    this.diagnosis.explain(fi);
  }

  /** Elect the master among advertising sources; record the change. Returns true if `a` became master. */
  private elect(r: RouterState, t: number, a: SourceState | null, prevLast: number, prevIpId: number): boolean {
    let best: SourceState | null = null;
    for (const x of r.sources) if (x.advertising && (best === null || beats(x, best))) best = x;
    if (best === null || best === r.master) {
      if (best !== null && r.noMaster !== null) this.masterBack(r, t, best, a === best ? prevLast : -1, a === best ? prevIpId : -1);
      return false;
    }
    if (r.noMaster !== null && best === r.lastMaster) {
      // the same master came back after a silence: master-back, not a failover
      this.masterBack(r, t, best, a === best ? prevLast : -1, a === best ? prevIpId : -1);
      r.master = best;
      return false;
    }
    if (r.splitBrain !== null && r.master !== null && !r.master.resigned) {
      // a split brain is going on: which of its masters wins an election is moot, not a failover
      r.master = best;
      return false;
    }
    const old = r.master ?? (r.noMaster !== null ? r.lastMaster : null);
    const wasNoMaster = r.noMaster !== null;
    if (wasNoMaster) this.masterBack(r, t, best, a === best ? prevLast : -1, a === best ? prevIpId : -1);
    let kind: Failover['kind'];
    let duration: number | null = null;
    let expected: number | null = null;
    const fresh = best === a && best.adverts === 1 || (best === a && prevLast >= 0 && t - prevLast > ADVERTISING_WINDOW * best.intervalSeconds);
    if (old === null || (r.master === null && !wasNoMaster)) {
      kind = 'initial';
    } else if (wasNoMaster) {
      kind = 'failover';
      duration = t - old.lastSeen;
      expected = masterDownInterval(best.version, best.priority, best.version === 3 ? old.intervalSeconds : best.intervalSeconds);
    } else if (old.resigned) {
      const limit = silenceLimit(r, old);
      if (t - old.resignedAt <= limit) {
        kind = 'graceful';
        duration = t - old.resignedAt;
        expected = skewTime(best.version, best.priority, best.version === 3 ? old.intervalSeconds : best.intervalSeconds);
      } else kind = 'initial';
    } else if (old.advertising) {
      // both advertising: the capture's first moments sort themselves out as 'initial'
      kind = t - r.firstSeen < ADVERTISING_WINDOW * Math.max(old.intervalSeconds, best.intervalSeconds) ? 'initial' : 'preemption';
    } else {
      kind = 'failover';
      if (fresh) {
        duration = t - old.lastSeen;
        expected = masterDownInterval(best.version, best.priority, best.version === 3 ? old.intervalSeconds : best.intervalSeconds);
      }
    }
    const fo: Failover = { t, from: kind === 'initial' && r.master === null ? null : old?.ip ?? null, to: best.ip, kind, duration, expected };
    if (kind === 'initial' && r.failovers.length > 0 && r.failovers[r.failovers.length - 1].kind === 'initial' && r.failovers.length === 1) {
      r.failovers[0] = fo;
    } else {
      if (r.failovers.length >= MAX_PERIODS) r.failovers.shift();
      r.failovers.push(fo);
      r.totals[kind]++;
    }
    const prev = r.master;
    r.master = best;
    if (kind !== 'initial') {
      r.lastFailover = t;
      this.flapCheck(r, t);
    }
    const type: EventType = kind === 'failover' ? 'failover' : kind === 'graceful' ? 'graceful-handover'
      : kind === 'preemption' ? 'preemption' : 'new-master';
    let msg: string;
    if (kind === 'initial') msg = `${best.ip} (prio ${best.priority}) is master`;
    else if (kind === 'preemption') msg = `${best.ip} (prio ${best.priority}) preempted ${old!.ip} (prio ${old!.priority})` + this.returnNote(best, a, t, prevLast, prevIpId);
    else if (kind === 'graceful') msg = `graceful hand-over from ${old!.ip} (priority 0) to ${best.ip} (prio ${best.priority}) in ${fmt(duration!)} s, expected ${fmt(expected!)} s`;
    else if (duration !== null) msg = `failover from ${old!.ip} to ${best.ip} (prio ${best.priority}) in ${fmt(duration)} s, expected ${fmt(expected!)} s`;
    else msg = `${best.ip} (prio ${best.priority}) is master now that ${old!.ip} stopped`;
    const e = this.book.event(r, t, type, kind === 'initial' || kind === 'graceful' || kind === 'preemption' ? 'ok' : 'warning',
      duration, expected, msg);
    // the master before this change: after a no-master period that is the one that went silent (masterBack
    // has already put the new one in r.master)
    e.previousMaster = kind === 'initial' ? (prev !== null && prev !== best ? prev.ip : null) : old?.ip ?? null;
    this.book.push(e);
    return best === a;
  }

  /** For a source back after a gap: what its IP ID says (stall, losses, restart). Text only on master changes. */
  private returnNote(b: SourceState, a: SourceState | null, t: number, prevLast: number, prevIpId: number): string {
    if (b !== a || prevLast < 0 || prevIpId < 0 || b.ipId < 0) return '';
    const gap = t - prevLast;
    const step = (b.ipId - prevIpId + 65536) % 65536;
    if (step === 1) return `; ${b.ip} was silent ${fmt(gap)} s and its IP ID went on from ${prevIpId} to ${b.ipId}: it stalled (sent nothing)`;
    if (b.ipId <= 1 || step > 32768) return `; ${b.ip} was silent ${fmt(gap)} s and its IP ID restarted (${prevIpId} -> ${b.ipId}): keepalived was restarted`;
    return `; ${b.ip} was silent ${fmt(gap)} s and its IP ID jumped ${prevIpId} -> ${b.ipId}: ${step - 1} adverts were sent but not seen`;
  }

  private masterBack(r: RouterState, t: number, m: SourceState, prevLast: number, prevIpId: number): void {
    const nm = r.noMaster!;
    nm.end = t;
    nm.duration = t - nm.start;
    r.totals.noMasterClosedSeconds += nm.duration;
    r.noMaster = null;
    let extra = '';
    if (prevLast >= 0 && prevIpId >= 0 && m.ipId >= 0) {
      const step = (m.ipId - prevIpId + 65536) % 65536;
      extra = step === 1 ? `; ${m.ip}'s IP ID went on from ${prevIpId} to ${m.ipId}: the sender stalled (no adverts were sent)`
        : `; ${m.ip}'s IP ID jumped from ${prevIpId} to ${m.ipId}: ${step - 1} adverts were sent but not seen (lost on the way)`;
      const fi = r.findings.get('no-master');
      if (fi !== undefined) {
        fi.finding.evidence.push(extra.slice(2));
        fi.finding.cause = step === 1 ? 'sender-stall' : 'network';
      }
    }
    if (r.master === null) r.master = m;
    const e = this.book.event(r, t, 'master-back', 'ok', nm.duration, null,
      `${m.ip} advertises again after ${fmt(nm.duration)} s without a master${extra}`);
    e.previousMaster = r.lastMaster?.ip ?? null;
    this.book.push(e);
  }

  private flapCheck(r: RouterState, t: number): void {
    const c = r.masterChangeTimes;
    c.push(t);
    while (c.length > 0 && t - c[0] > FLAP_WINDOW) c.shift();
    if (c.length >= FLAP_CHANGES) {
      const fi = r.findings.get('flapping');
      if (fi === undefined) {
        this.book.routerFinding(r, 'flapping', 'warning', t, null, null,
          `VRID ${r.vrid} is flapping: ${c.length} master changes within ${fmt(t - c[0], 1)} s`);
      } else {
        fi.finding.count++;
        fi.finding.lastSeen = t;
      }
    }
  }

  private priorityChange(r: RouterState, a: SourceState, from: number, to: number, t: number): void {
    const e = this.book.event(r, t, 'priority-change', 'ok', null, null, `${a.ip} priority ${from} -> ${to}`);
    e.ip = a.ip;
    e.fromPriority = from;
    e.toPriority = to;
    this.book.push(e);
    if (to < from && r.master === a) {
      // weight too small: the master's priority fell but stays above a known backup's
      const b = bestKnownBackup(r, a);
      if (b !== null && to > b.lastNonZeroPriority && !b.advertising) {
        const fi = this.book.routerFinding(r, 'weight-too-small', 'warning', t, a, b,
          `${a.ip}'s priority fell ${from} -> ${to} but stays above ${b.ip}'s ${b.lastNonZeroPriority}: no failover`);
        fi.finding.lastSeen = t;
        fi.finding.evidence = [
          `${a.ip} advertised priority ${from}, then ${to} (a step of ${from - to}) at ${clock(t)}`,
          `${b.ip} advertised priority ${b.lastNonZeroPriority}: a failover needs the master below ${b.lastNonZeroPriority}, a weight of at least ${from - b.lastNonZeroPriority + 1}`,
        ];
        fi.finding.fixContext.configKey = 'weight';
        fi.finding.fixContext.values = { [a.ip]: String(from - b.lastNonZeroPriority + 1) };
      }
    }
  }

  /** Compare the advertisers' configurations (on change only) and open the matching findings. */
  private compare(r: RouterState, t: number): void {
    const advs = r.sources;
    for (const a of advs) a.configMismatch = null;
    const n = advs.length;
    const v2i = new Set<number>(), vers = new Set<number>(), auth = new Set<string>(), addr = new Set<number>();
    let mcast = false, ucast = false, p255 = 0;
    const flav = new Set<number>();
    for (const a of advs) {
      vers.add(a.version);
      if (a.version === 2) { v2i.add(a.intervalCs); auth.add(a.authType + ':' + a.authHi + ':' + a.authLo); }
      addr.add(a.addressHash ^ (a.addressCount << 24));
      if (a.multicastAdverts > 0) mcast = true;
      if (a.unicastAdverts > 0) ucast = true;
      if (a.claimedOwner()) p255++;
      if (a.version === 3 && a.checksumCounts[0] + a.checksumCounts[1] + a.checksumCounts[2] > 0) flav.add(a.checksumFlavour());
    }
    if (n < 2) return;
    // per-source mismatch against any other source (a peer configured like that other would drop it)
    for (const a of advs) {
      for (const b of advs) {
        if (a === b) continue;
        if (a.version !== b.version) a.configMismatch = 'version-mismatch';
        else if (a.version === 2 && (a.authType !== b.authType || a.authHi !== b.authHi || a.authLo !== b.authLo)) a.configMismatch = 'auth-mismatch';
        else if (a.version === 2 && a.intervalCs !== b.intervalCs) a.configMismatch = 'interval-mismatch';
        else if (a.version === 3 && r.family === 4 && a.checksumFlavour() !== b.checksumFlavour() && a.checksumCounts[0] + a.checksumCounts[1] + a.checksumCounts[2] > 0 && b.checksumCounts[0] + b.checksumCounts[1] + b.checksumCounts[2] > 0) a.configMismatch = 'checksum-variant';
        else if (a.trailerBytes !== b.trailerBytes) a.configMismatch = 'length-mismatch';
        else if (a.addressCount !== b.addressCount) a.configMismatch = 'address-count-mismatch';
        else if (a.addressHash !== b.addressHash) a.configMismatch = 'vip-mismatch';
        if (a.configMismatch !== null) break;
      }
    }
    const pair = (pred: (x: SourceState, y: SourceState) => boolean): [SourceState, SourceState] | null => firstPair(advs, pred);
    if (vers.size > 1) {
      const p = pair((x, y) => x.version !== y.version)!;
      this.book.routerFinding(r, 'version-mismatch', 'warning', t, p[0], p[1],
        `VRID ${r.vrid} is advertised as VRRPv${p[0].version} by ${p[0].ip} and VRRPv${p[1].version} by ${p[1].ip}`);
    }
    if (auth.size > 1) {
      const p = pair((x, y) => x.version === 2 && y.version === 2 && (x.authType !== y.authType || x.authHi !== y.authHi || x.authLo !== y.authLo))!;
      this.book.routerFinding(r, 'auth-mismatch', 'warning', t, p[0], p[1],
        p[0].authType !== p[1].authType ? `${p[0].ip} and ${p[1].ip} use different authentication types`
          : `${p[0].ip} and ${p[1].ip} use different authentication passwords`);
    }
    const iv = pair((x, y) => x.intervalCs !== y.intervalCs);
    if (iv !== null) {
      const v3 = iv[0].version === 3 && iv[1].version === 3;
      this.book.routerFinding(r, 'interval-mismatch', v3 ? 'ok' : 'warning', t, iv[0], iv[1],
        `${iv[0].ip} advertises every ${fmt(iv[0].intervalSeconds)} s, ${iv[1].ip} every ${fmt(iv[1].intervalSeconds)} s` +
        (v3 ? ' (VRRPv3: a backup adopts the master\'s interval)' : ''));
    }
    const lp = pair((x, y) => x.trailerBytes !== y.trailerBytes);
    if (lp !== null) {
      const fi = this.book.routerFinding(r, 'length-mismatch', 'warning', t, lp[0], lp[1],
        `${lp[0].ip} and ${lp[1].ip} send adverts of different lengths for the same contents: keepalived drops the ones it does not expect`);
      fi.otherSource = lp[1];
    }
    if (flav.size > 1) {
      const p = pair((x, y) => x.version === 3 && y.version === 3 && x.checksumFlavour() !== y.checksumFlavour())!;
      const fi = this.book.routerFinding(r, 'checksum-variant', 'warning', t, p[0], p[1],
        `${p[0].ip} and ${p[1].ip} compute the VRRPv3 checksum differently`);
      fi.finding.severity = 'warning';
      fi.otherSource = p[1];
    }
    const others = advs.filter((x) => x.lastNonZeroPriority > 0 || x.priority > 0);
    if (addr.size > 1 || others.length > 2) {
      // different address sets: another cluster (warning); a third source with the same addresses and
      // auth may be a legitimate cluster of three or more nodes: information only
      const p = pair((x, y) => x.addressHash !== y.addressHash || x.addressCount !== y.addressCount);
      const same = addr.size === 1 && auth.size <= 1 && vers.size === 1;
      this.book.routerFinding(r, 'vrid-collision', same ? 'ok' : 'warning', t, p?.[0] ?? null, p?.[1] ?? null,
        p === null ? `${others.length} sources advertise VRID ${r.vrid} with the same addresses (a cluster of ${others.length}, or a collision)`
          : `${p[0].ip} and ${p[1].ip} advertise VRID ${r.vrid} with different virtual addresses`);
    }
    if (mcast && ucast) {
      const p = pair((x, y) => x.multicastAdverts > 0 && y.unicastAdverts > 0) ?? [advs.find((x) => x.multicastAdverts > 0 && x.unicastAdverts > 0)!, advs[0]];
      this.book.routerFinding(r, 'unicast-multicast-mix', 'warning', t, p[0], p[1],
        `VRID ${r.vrid} is advertised both to multicast and to unicast peers`);
    }
    if (p255 > 1) {
      const p = pair((x, y) => x.claimedOwner() && y.claimedOwner())!;
      this.book.routerFinding(r, 'priority-255-conflict', 'warning', t, p[0], p[1],
        `${p[0].ip} and ${p[1].ip} both claim priority 255 (address owner)`);
    }
  }

  /** The dashboard's `c`: forget what is over (events, master changes, closed split-brain and no-master
   *  periods, findings), keep what is going on now (advertisers, master, an open period and its finding). */
  clearHistory(): void {
    this.book.clearHistory(this.routers.list);
  }

  /** A cheap change counter for a display's render tick (DashboardFeed.version): it moves when a frame
   *  arrives, the clock passes a whole second, an event or finding is added, the analysis finishes or
   *  the capture drop counters move. Reads fields only (no allocation). A change that comes with none of
   *  these (an advertiser expiring on a tick) shows at the next whole second at the latest. */
  get changeCount(): number {
    return this.frames + Math.floor(this.time) + this.book.events.length + this.book.records.length + (this.finished ? 1 : 0) +
      (this.pcapDropped ?? 0) + (this.pcapIfDropped ?? 0);
  }

  // ------------------------------------------------------------------ view
  snapshot(): Snapshot {
    const rejects: Record<string, number> = {};
    for (let i = 1; i < this.rejects.length; i++) if (this.rejects[i] > 0) rejects[REJECT_NAMES[i]] = this.rejects[i];
    const unsupportedLinks: Record<string, number> = {};
    for (const [lt, n] of this.unsupported) unsupportedLinks[LINKTYPE_NAMES[lt] ?? `linktype-${lt}`] = n;
    for (const fi of this.book.records) this.diagnosis.refresh(fi);
    const findings: Finding[] = this.book.records.filter((fi) => !this.toldBySplitBrain(fi)).map((fi) => structuredClone(fi.finding));
    if (!this.finished) {
      for (const v of this.expectVrids) {
        if (!this.routers.list.some((r) => r.vrid === v) && !this.book.global.has('expected-vrid-missing:' + v)) {
          findings.push({
            code: 'expected-vrid-missing', severity: 'critical', routerKey: null, vrid: v, family: null,
            title: `expected VRID ${v} was never seen`, evidence: [`no advert for VRID ${v} in ${this.vrrpAdverts} adverts seen`],
            cause: null, fixContext: { deafHost: null, peers: [], multicast: null, family: null },
            firstSeen: this.time, lastSeen: this.time, count: 1,
          });
        }
      }
    }
    const routers = this.routers.list.map((r) => this.routerView(r));
    let verdict: Severity = 'ok';
    for (const r of routers) verdict = worse(verdict, r.worst);
    for (const f of findings) verdict = worse(verdict, f.severity);
    return {
      time: this.time,
      firstTime: this.firstTime,
      stats: {
        frames: this.frames, bytes: this.bytes, vrrpAdverts: this.vrrpAdverts, rejects, carp: this.carp,
        icmpErrors: this.icmpErrors, arp: this.arp, unsupportedLinks, cutByCapture: this.cutByCapture, duplicates: this.duplicates,
        pcapReceived: this.pcapReceived, pcapDropped: this.pcapDropped, pcapIfDropped: this.pcapIfDropped,
      },
      routers,
      findings,
      events: this.book.events.map((e) => ({ ...e, advertisers: e.advertisers.slice() })),
      verdict,
    };
  }

  private routerView(r: RouterState): Router {
    const m = r.master;
    let state: RouterStatus;
    if (r.splitBrain !== null || r.splitBrainAtEnd) state = 'split-brain';
    else if (r.noMaster !== null || r.noMasterAtEnd) state = 'no-master';
    else if (r.advertisingCount >= 2) state = 'transition';
    else if (m !== null && m.advertising) state = 'ok';
    else if (r.advertisingCount === 1) state = 'ok';
    else if (m !== null && m.resigned) state = 'resigned';
    else if (r.sources.length > 0 && r.sources.every((x) => x.resigned)) state = 'resigned';
    else state = this.finished ? 'ok' : 'transition';
    let worst: Severity = r.splitBrains.length > 0 || r.noMasters.length > 0 ? 'critical' : 'ok';
    for (const fi of r.findings.values()) worst = worse(worst, fi.finding.severity);
    const authKeys = new Map<string, number>();
    for (const a of r.sources) if (a.version === 2) {
      const k = a.authType + ':' + a.authHi + ':' + a.authLo;
      authKeys.set(k, (authKeys.get(k) ?? 0) + 1);
    }
    const master = m !== null && (m.advertising || this.finished && !m.resigned) ? m : null;
    const backup = m !== null ? m : r.sources[0] ?? null;
    return {
      key: r.key, family: r.family, vrid: r.vrid, vlan: r.vlan >= 0 ? r.vlan : null,
      ...(r.vlanOuter >= 0 ? { vlanOuter: r.vlanOuter } : {}), state, worst,
      master: master?.ip ?? null, masterPriority: master?.priority ?? null,
      virtualAddresses: (m ?? r.sources[0])?.addresses.slice() ?? [],
      advertisers: r.sources.map((a) => this.advView(a, r, authKeys)),
      failovers: r.failovers.map((x) => ({ ...x })),
      splitBrains: r.splitBrains.map((x) => ({ ...x, advertisers: x.advertisers.slice() })),
      noMasters: r.noMasters.map((x) => ({ ...x })),
      masterDownInterval: backup !== null ? bestBackupDownInterval(r, backup) : null,
      lastFailover: r.lastFailover,
      adverts: r.adverts, firstSeen: r.firstSeen, lastSeen: r.lastSeen,
      totals: {
        failovers: { failover: r.totals.failover, graceful: r.totals.graceful, preemption: r.totals.preemption, initial: r.totals.initial },
        splitBrains: r.totals.splitBrains,
        splitBrainSeconds: r.totals.splitBrainClosedSeconds + (r.splitBrain !== null ? r.splitBrain.duration : 0),
        noMasters: r.totals.noMasters,
        noMasterSeconds: r.totals.noMasterClosedSeconds + (r.noMaster !== null ? r.noMaster.duration : 0),
        briefDualMasters: r.totals.briefDualMasters,
      },
    };
  }

  private advView(a: SourceState, r: RouterState, authKeys: Map<string, number>): Advertiser {
    const role: Advertiser['role'] = a.resigned ? 'resigned' : r.silencedMaster === a ? 'contender' : !a.advertising ? 'silent' : r.master === a ? 'master' : 'contender';
    const k = a.authType + ':' + a.authHi + ':' + a.authLo;
    const checksums: Record<string, number> = {};
    const names = ['ok', 'v2-style', 'old-unicast', 'bad', 'unknown'];
    for (let i = 0; i < 5; i++) if (a.checksumCounts[i] > 0) checksums[names[i]] = a.checksumCounts[i];
    return {
      ip: a.ip, mac: a.mac, active: a.advertising, role, priority: a.priority, priorityHistory: a.priorityHistory.map((h) => ({ ...h })),
      version: a.version, advertInterval: a.intervalSeconds, advertIntervalRaw: a.intervalRaw,
      advertIntervalUnit: a.version === 3 ? 'cs' : 's',
      measuredInterval: a.intervalSamples > 0 ? a.intervalMean : null, jitter: a.intervalSamples > 1 ? Math.sqrt(a.intervalM2 / (a.intervalSamples - 1)) : a.intervalSamples === 1 ? 0 : null,
      adverts: a.adverts, firstSeen: a.firstSeen, lastSeen: a.lastSeen, addresses: a.addresses.slice(),
      authType: a.version === 2 ? a.authType : null, authText: a.version === 2 ? a.authText : null,
      authMatches: a.version !== 2 || (authKeys.get(k) ?? 0) === r.sources.filter((x) => x.version === 2).length,
      destination: a.multicastAdverts > 0 && a.unicastAdverts > 0 ? 'mixed' : a.unicastAdverts > 0 ? 'unicast' : 'multicast',
      unicastPeers: a.unicastPeers.slice(), ttlMin: a.ttlMin === 256 ? 0 : a.ttlMin, ttlMax: a.ttlMax < 0 ? 0 : a.ttlMax,
      checksums, vlan: a.vlan >= 0 ? a.vlan : null,
    };
  }
}

