// The diagnosis: from the counters of a router (and the ICMP refusals, address claims and reject counts) to
// what each finding says — its evidence lines, cause and fix context (the inputs of src/remedy). Run
// when a finding opens and for every finding when the view is built, so text is made there and not per
// advert. Configuration findings are in config-evidence.ts, the split brain's cause in
// split-brain-cause.ts, who holds the virtual addresses in vip-evidence.ts; the rest (no master, flapping,
// refusals, brief dual masters, a tracked check that failed, rejects) here.
//
// Invariant: refresh() is idempotent — it rebuilds from the counters, it never counts (the one
// exception: the no-master finding keeps the IP ID lines the master's return added, no-master.ts).
import { REJECT_NAMES } from '../decode/packet.js';
import type { FindingRecord, RouterState } from './router-state.js';
import type { SourceState } from './source-state.js';
import type { Finding } from './model.js';
import type { EvidenceSource } from './findings-book.js';
import { utcClock, fmt, ms, vrrpGroup, notKeptText } from './evidence-text.js';
import { FLAP_CHANGES, FLAP_WINDOW, bestBackupDownInterval } from './timing.js';
import { MAX_SPELLS } from './limits.js';
import { icmpText, refusal, type IcmpRefusals } from './icmp-refusals.js';
import type { VipOwnership } from './vip-ownership.js';
import { refreshConfigFinding } from './config-evidence.js';
import { explainSplitBrain } from './split-brain-cause.js';
import { refreshVipFinding } from './vip-evidence.js';
import { refreshFloodFinding } from './flood-evidence.js';
import type { Admission } from './admission.js';
import type { WireEvidence } from './vantage/wire-cause.js';

export class Diagnosis implements EvidenceSource {
  /** Times carry their date (the input spans more than a day): set by the analyzer before a refresh. */
  dated = false;
  /** Several vantage points: where each source's adverts arrived (set by Analyzer.wireEvidence). */
  wires: WireEvidence | null = null;

  /** `rejects`: the analyzer's reject counters by Reject reason, `cut`: those of them cut short by the
   *  capture's snapshot length (nothing wrong on the wire); `admission`: the flood tally (all read, never
   *  written here). */
  constructor(private readonly refusals: IcmpRefusals, private readonly vips: VipOwnership, private readonly rejects: readonly number[],
    private readonly cut: readonly number[], private readonly admission: Admission) {}

  /** The reject counters (rejects − cut) at the dashboard's last `c`: the rejected-packets finding counts from there. */
  private rejectsAtClear: number[] | null = null;

  /** The dashboard's `c`: a rejected-packets finding opened again counts only what came since. */
  forgetRejects(): void {
    this.rejectsAtClear = this.rejects.map((x, i) => x - this.cut[i]);
  }

  /** Rebuild a finding's evidence and fix context from the current counters. */
  refresh(fi: FindingRecord): void {
    const f = fi.finding, r = fi.router;
    if (f.code === 'split-brain') {
      this.explain(fi);
      return;
    }
    if (f.code === 'vrrp-flood') {
      refreshFloodFinding(f, this.admission);
      return;
    }
    if (f.code === 'rejected-packets') {
      // frames cut by the snapshot length are counted in the capture stats, not here
      f.evidence = [];
      let n = 0;
      for (let i = 1; i < this.rejects.length; i++) {
        const x = this.rejects[i] - this.cut[i] - (this.rejectsAtClear?.[i] ?? 0);
        if (x > 0) f.evidence.push(`${x} ${REJECT_NAMES[i]}`);
        n += x;
      }
      f.count = n;
      return;
    }
    if (r === null || refreshConfigFinding(f, r, fi.source, fi.otherSource) || refreshVipFinding(fi, this.vips, this.dated)) return;
    switch (f.code) {
      case 'no-master': {
        const a = fi.source;
        const ev = f.evidence.filter((l) => l.includes('IP ID'));
        f.evidence = r.noMasters.map((nm) =>
          `no advert from any source for ${fmt(nm.duration)} s after ${nm.lastMaster ?? 'the master'}'s last advert` +
          (a !== null ? ` (master-down interval ${fmt(bestBackupDownInterval(r, a))} s)` : ''));
        f.evidence.push(...ev);
        f.count = r.noMasters.length;
        return;
      }
      case 'flapping':
        f.evidence = [`${r.failovers.filter((x) => x.kind !== 'initial').length} master changes in all; rule: ${FLAP_CHANGES} or more within ${FLAP_WINDOW} s`,
          ...r.failovers.slice(-FLAP_CHANGES).map((x) => `${x.kind} ${x.from ?? '-'} -> ${x.to} at ${utcClock(x.t, this.dated)}`)];
        return;
      case 'vrrp-refused':
        this.refused(f, r);
        return;
      case 'brief-dual-master':
        briefDualMaster(f, r, this.dated, this.wires);
        return;
      case 'tracked-check-failed':
        if (fi.source !== null) trackedCheckFailed(f, fi.source, this.dated);
        return;
      default:
        return;
    }
  }

  /** Name the cause of a split brain from the evidence (VRRP-NOTES 5.1). */
  explain(fi: FindingRecord): void {
    explainSplitBrain(fi, this.refusals, this.vips, this.dated, this.wires);
  }

  /** 'vrrp-refused': the ICMP errors quoting this router's adverts. */
  private refused(f: Finding, r: RouterState): void {
    const ns = this.refusals.forRouter(r);
    if (ns.length === 0) return;
    f.evidence = ns.map((n) => `${n.sender} answered ${n.count} advert${n.count === 1 ? '' : 's'} from ${n.quotedSrc} to ${n.quotedDst} with ${icmpText(n)}, ` +
      `${utcClock(n.first, this.dated)}${n.last > n.first ? ' to ' + utcClock(n.last, this.dated) : ''}`);
    const n = ns[0];
    const fw = refusal(n) === 'firewall';
    f.evidence.push(fw
      ? `a firewall on ${n.sender} rejects VRRP from ${n.quotedSrc}: ${n.sender} cannot hear it, and takes over as master when its timer runs out`
      : `nothing on ${n.sender} takes VRRP (keepalived not running there, or not configured for VRID ${r.vrid})`);
    f.cause = fw ? 'firewall-reject' : 'unicast-peer';
    f.count = ns.reduce((s, x) => s + x.count, 0);
    f.fixContext.deafHost = n.sender;
    f.fixContext.peers = [...new Set(ns.filter((x) => x.sender === n.sender).map((x) => x.quotedSrc))];
    f.fixContext.multicast = null;
  }
}

/** 'tracked-check-failed': the master's priority steps, and what cannot be told without a backup. */
function trackedCheckFailed(f: Finding, a: SourceState, dated: boolean): void {
  const h = a.priorityHistory;
  const steps: string[] = [];
  let firstDrop = -1, top = 0, low = 256;
  for (let i = 1; i < h.length; i++) {
    if (h[i].priority === 0 || h[i - 1].priority === 0) continue;
    steps.push(`${h[i - 1].priority} -> ${h[i].priority} at ${utcClock(h[i].t, dated)}`);
    if (h[i].priority < h[i - 1].priority && firstDrop < 0) { firstDrop = i; top = h[i - 1].priority; }
    if (firstDrop >= 0 && h[i].priority < low) low = h[i].priority;
  }
  if (firstDrop < 0) return;
  f.evidence = [
    `${a.ip} advertised priority ${steps.join(', then ')}, and stayed master: a tracked check (vrrp_script, track_interface, ` +
      'track_file) failed on the master, or its priority was lowered',
    `no backup advertised in this capture, so whether the weight (${top - low}) is enough for a failover cannot be told: it is when ` +
      `a backup's priority is above ${low} (look at the backup's keepalived.conf, or run vrrpwatch doctor --peer-priority N on ${a.ip})`,
  ];
  if (a.priority >= top) f.evidence.push(`its priority is back to ${a.priority}: the check recovered`);
  f.fixContext.configKey = 'weight';
}

/** 'brief-dual-master': each spell, whether the master heard the source, and the cause. */
function briefDualMaster(f: Finding, r: RouterState, dated: boolean, wires: WireEvidence | null): void {
  if (r.briefDualMasters.length === 0) return;
  const d = r.briefDualMasters[r.briefDualMasters.length - 1];
  const lo = d.source, hi = d.master;
  f.evidence = r.briefDualMasters.map((x) =>
    `${x.source.ip} (prio ${x.source.lastNonZeroPriority}) advertised as master from ${utcClock(x.from, dated)} to ${utcClock(x.to, dated)} (${x.adverts} advert${x.adverts === 1 ? '' : 's'}) ` +
    `while ${x.master.ip} (prio ${x.master.lastNonZeroPriority}) had been advertising since ${utcClock(x.masterSince, dated)}: ${x.source.ip} had not heard ${x.master.ip} for its master-down interval (${fmt(x.masterDown)} s)`);
  const notKept = r.totals.briefDualMasters - r.briefDualMasters.length;
  if (notKept > 0) f.evidence.push(notKeptText(notKept, 'brief dual master', MAX_SPELLS));
  if (lo.echoedBy === hi && lo.advertsEchoed > 0) {
    f.evidence.push(`${hi.ip} answered ${lo.advertsEchoed} of ${lo.advertsUnderBetter} adverts from ${lo.ip} within ${ms(lo.longestEcho)}: ${hi.ip} hears ${lo.ip}`);
  }
  const unicast = lo.unicastAdverts > 0 && lo.multicastAdverts === 0 && hi.unicastAdverts > 0 && hi.multicastAdverts === 0;
  if (unicast) {
    f.evidence.push(`${lo.ip} went back to backup right after its own advert, without resigning: from then on ${hi.ip}'s unicast adverts reached it — ` +
      `as a stateful firewall lets them in once ${lo.ip}'s own VRRP packet to ${hi.ip} has opened a conntrack entry; ` +
      `each start of keepalived on ${lo.ip} (or a conntrack flush) repeats this`);
    f.cause = 'firewall-stateful';
  } else {
    f.evidence.push(`${lo.ip} then heard ${hi.ip} again and went back to backup without resigning: ${hi.ip}'s adverts did not reach ${lo.ip} for a while`);
    // several vantage points: whether they reached its wire (analysis §14.4)
    f.cause = (wires !== null ? wires.cause(r, [hi, lo], f.evidence, f.fixContext) : null) ?? 'unknown';
  }
  f.count = r.totals.briefDualMasters;
  f.fixContext.deafHost = lo.ip;
  f.fixContext.peers = [hi.ip];
  f.fixContext.multicast = hi.multicastAdverts > 0 ? vrrpGroup(r.family) : null;
}
