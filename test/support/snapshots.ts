// Hand-built analyzer snapshots for the report tests: every field set, neutral values, overridable.
import type { Advertiser, Finding, Router, Snapshot } from '../../src/analyze/model.js';
import type { SourceInfo } from '../../src/report/text.js';

export const T0 = 1234567890; // 2009-02-13 23:31:30 UTC

export function advertiser(over: Partial<Advertiser> = {}): Advertiser {
  return {
    ip: '10.0.0.1', mac: '52:54:00:00:00:01', active: true, role: 'master', priority: 100,
    priorityHistory: [{ t: T0, priority: 100 }], version: 2, advertInterval: 1, advertIntervalRaw: 1, advertIntervalUnit: 's',
    measuredInterval: 1, jitter: 0.0002, adverts: 10, firstSeen: T0, lastSeen: T0 + 9, addresses: ['10.0.0.100'],
    authType: 0, authText: null, authMatches: true, destination: 'multicast', unicastPeers: [], ttlMin: 255, ttlMax: 255,
    checksums: { ok: 10 }, vlan: null, ...over,
  };
}

export function router(over: Partial<Router> = {}): Router {
  return {
    key: 'v4/51', family: 4, vrid: 51, vlan: null, state: 'ok', worst: 'ok', master: '10.0.0.1', masterPriority: 100,
    virtualAddresses: ['10.0.0.100'], advertisers: [advertiser()], failovers: [], splitBrains: [], noMasters: [],
    masterDownInterval: 3.609, lastFailover: null, adverts: 10, firstSeen: T0, lastSeen: T0 + 9,
    totals: { failovers: { failover: 0, graceful: 0, preemption: 0, initial: 1 }, splitBrains: 0, splitBrainSeconds: 0,
      noMasters: 0, noMasterSeconds: 0, briefDualMasters: 0 },
    ownership: { judged: true, note: null, vips: [] },
    ...over,
  };
}

export function finding(over: Partial<Finding> = {}): Finding {
  return {
    code: 'split-brain', severity: 'critical', routerKey: 'v4/51', vrid: 51, family: 4, title: 'a title', evidence: [],
    cause: null, fixContext: { deafHost: null, peers: [], multicast: null, family: 4 }, firstSeen: T0, lastSeen: T0, count: 1,
    ...over,
  };
}

export function snapshot(over: Partial<Snapshot> = {}): Snapshot {
  return {
    time: T0 + 9, firstTime: T0,
    stats: { frames: 12, bytes: 720, vrrpAdverts: 10, rejects: {}, carp: 0, icmpErrors: 0, arp: 2, unsupportedLinks: {},
      pcapReceived: null, pcapDropped: null, pcapIfDropped: null },
    routers: [router()], findings: [], events: [], verdict: 'ok', ...over,
  };
}

export const SRC: SourceInfo = { name: 'x.pcap', format: 'pcap', bytesRead: 100, fileSize: 100, problem: null };
