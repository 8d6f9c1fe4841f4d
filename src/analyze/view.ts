// The view: the plain-data Snapshot (model.ts) that reports, JSON, check, dashboard, metrics and hooks
// read, built from the analyzer's state on demand (once per UI tick or at the end), never per advert.
// Router state and worst severity, advertiser roles, the findings as reported (a refusal told by its
// split brain is left out), the verdict.
//
// Invariant: everything returned is a copy — a snapshot never changes after it was taken, and nothing a
// caller does to it reaches the analyzer.
import type { Advertiser, Finding, Router, RouterStatus, Severity } from './model.js';
import type { FindingRecord, RouterState } from './router-state.js';
import type { SourceState } from './source-state.js';
import { worse } from './findings-book.js';
import { bestBackupDownInterval } from './timing.js';
import type { VipOwnership } from './vip-ownership.js';
import { ownershipView } from './vip-view.js';

const LINKTYPE_NAMES: Record<number, string> = {
  0: 'null', 1: 'ethernet', 6: 'ieee802', 9: 'ppp', 10: 'fddi', 12: 'raw', 101: 'raw', 104: 'c-hdlc',
  105: 'ieee802.11', 108: 'loop', 113: 'linux-sll', 127: 'ieee802.11-radiotap', 192: 'ppi',
  195: 'ieee802.15.4', 220: 'usb-linux-mmapped', 228: 'ipv4', 229: 'ipv6', 276: 'linux-sll2',
};

/** A link type's name for the capture stats ('linktype-N' when unnamed). */
export function linkTypeName(lt: number): string {
  return LINKTYPE_NAMES[lt] ?? `linktype-${lt}`;
}

/** A refusal whose split brain names the same host and cause, or an address conflict of that split brain:
 *  the split-brain finding tells it (one story; its event was still emitted, often before the split brain
 *  was declared). */
function toldBySplitBrain(fi: FindingRecord): boolean {
  if (fi.router === null) return false;
  const sb = fi.router.findings.get('split-brain');
  if (sb === undefined) return false;
  // a conflict takes its split brain's cause only when the split brain explains it (vip-evidence.ts)
  if (fi.finding.code === 'vip-conflict') return fi.finding.cause !== null && fi.finding.cause === sb.finding.cause;
  return fi.finding.code === 'vrrp-refused' && sb.finding.cause === fi.finding.cause && sb.finding.fixContext.deafHost === fi.finding.fixContext.deafHost;
}

/** The findings as reported (copies, already refreshed by the caller). */
export function reportedFindings(records: Iterable<FindingRecord>): Finding[] {
  const out: Finding[] = [];
  for (const fi of records) if (!toldBySplitBrain(fi)) out.push(copyFinding(fi.finding));
  return out;
}

/** A finding's copy (its arrays and objects too; cheaper than structuredClone, which a thousand routers'
 *  findings made a fifth of a dashboard redraw). */
function copyFinding(f: Finding): Finding {
  const c = f.fixContext;
  const fixContext: Finding['fixContext'] = { deafHost: c.deafHost, peers: c.peers.slice(), multicast: c.multicast, family: c.family };
  if (c.configKey !== undefined) fixContext.configKey = c.configKey;
  if (c.values !== undefined) fixContext.values = { ...c.values };
  return {
    code: f.code, severity: f.severity, routerKey: f.routerKey, vrid: f.vrid, family: f.family, title: f.title,
    evidence: f.evidence.slice(), cause: f.cause, fixContext, firstSeen: f.firstSeen, lastSeen: f.lastSeen, count: f.count,
  };
}

/** An expected VRID not seen (yet): the finding finish() would open, for a snapshot taken before it. */
export function missingVridFinding(vrid: number, adverts: number, time: number): Finding {
  return {
    code: 'expected-vrid-missing', severity: 'critical', routerKey: null, vrid, family: null,
    title: `expected VRID ${vrid} was never seen`, evidence: [`no advert for VRID ${vrid} in ${adverts} adverts seen`],
    cause: null, fixContext: { deafHost: null, peers: [], multicast: null, family: null },
    firstSeen: time, lastSeen: time, count: 1,
  };
}

/** The overall verdict: the worst of every router's worst and every finding's severity. */
export function verdictOf(routers: readonly Router[], findings: readonly Finding[]): Severity {
  let verdict: Severity = 'ok';
  for (const r of routers) verdict = worse(verdict, r.worst);
  for (const f of findings) verdict = worse(verdict, f.severity);
  return verdict;
}

/** One router as the outputs see it; `finished`: the input has ended (finish()); `vips`: who claimed its addresses. */
export function routerView(r: RouterState, finished: boolean, vips: VipOwnership): Router {
  const m = r.master;
  let state: RouterStatus;
  if (r.splitBrain !== null || r.splitBrainAtEnd) state = 'split-brain';
  else if (r.noMaster !== null || r.noMasterAtEnd) state = 'no-master';
  else if (r.advertisingCount >= 2) state = 'transition';
  else if (m !== null && m.advertising) state = 'ok';
  else if (r.advertisingCount === 1) state = 'ok';
  else if (m !== null && m.resigned) state = 'resigned';
  else if (r.sources.length > 0 && r.sources.every((x) => x.resigned)) state = 'resigned';
  else state = finished ? 'ok' : 'transition';
  let worst: Severity = r.splitBrains.length > 0 || r.noMasters.length > 0 ? 'critical' : 'ok';
  for (const fi of r.findings.values()) worst = worse(worst, fi.finding.severity);
  const authKeys = new Map<string, number>();
  let v2 = 0;
  for (const a of r.sources) if (a.version === 2) {
    const k = a.authType + ':' + a.authHi + ':' + a.authLo;
    authKeys.set(k, (authKeys.get(k) ?? 0) + 1);
    v2++;
  }
  const master = m !== null && (m.advertising || finished && !m.resigned) ? m : null;
  const backup = m !== null ? m : r.sources[0] ?? null;
  return {
    key: r.key, family: r.family, vrid: r.vrid, vlan: r.vlan >= 0 ? r.vlan : null,
    ...(r.vlanOuter >= 0 ? { vlanOuter: r.vlanOuter } : {}), state, worst,
    master: master?.ip ?? null, masterPriority: master?.priority ?? null,
    virtualAddresses: (m ?? r.sources[0])?.addresses.slice() ?? [],
    advertisers: r.sources.map((a) => advertiserView(a, r, authKeys, v2)),
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
    ownership: ownershipView(r, vips),
  };
}

const CHECKSUM_NAMES = ['ok', 'v2-style', 'old-unicast', 'bad', 'unknown'];

/** One source as the outputs see it; `authKeys`: how many v2 sources of the router use each auth, `v2`: how
 *  many v2 sources it has. */
function advertiserView(a: SourceState, r: RouterState, authKeys: Map<string, number>, v2: number): Advertiser {
  const role: Advertiser['role'] = a.resigned ? 'resigned' : r.silencedMaster === a ? 'contender' : !a.advertising ? 'silent' : r.master === a ? 'master' : 'contender';
  const k = a.authType + ':' + a.authHi + ':' + a.authLo;
  const checksums: Record<string, number> = {};
  for (let i = 0; i < 5; i++) if (a.checksumCounts[i] > 0) checksums[CHECKSUM_NAMES[i]] = a.checksumCounts[i];
  return {
    ip: a.ip, mac: a.mac, active: a.advertising, role, priority: a.priority, priorityHistory: a.priorityHistory.map((h) => ({ ...h })),
    version: a.version, advertInterval: a.intervalSeconds, advertIntervalRaw: a.intervalRaw,
    advertIntervalUnit: a.version === 3 ? 'cs' : 's',
    measuredInterval: a.intervalSamples > 0 ? a.intervalMean : null,
    jitter: a.intervalSamples > 1 ? Math.sqrt(a.intervalM2 / (a.intervalSamples - 1)) : a.intervalSamples === 1 ? 0 : null,
    adverts: a.adverts, firstSeen: a.firstSeen, lastSeen: a.lastSeen, addresses: a.addresses.slice(),
    authType: a.version === 2 ? a.authType : null, authText: a.version === 2 ? a.authText : null,
    authMatches: a.version !== 2 || (authKeys.get(k) ?? 0) === v2,
    destination: a.multicastAdverts > 0 && a.unicastAdverts > 0 ? 'mixed' : a.unicastAdverts > 0 ? 'unicast' : 'multicast',
    unicastPeers: a.unicastPeers.slice(), ttlMin: a.ttlMin === 256 ? 0 : a.ttlMin, ttlMax: a.ttlMax < 0 ? 0 : a.ttlMax,
    checksums, vlan: a.vlan >= 0 ? a.vlan : null,
  };
}
