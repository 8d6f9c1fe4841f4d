// A synthetic feed for the dashboard until the real pipeline is merged (and for tests / docs):
// a scripted story on three virtual routers. v4/51 is healthy (10.0.0.1 master, priority 100), then
// a firewall on 10.0.0.2 starts dropping VRRP and 10.0.0.2 (priority 80) advertises too: split
// brain; then the rule is removed and 10.0.0.2 falls silent again: healed. v4/52 and v6/7 stay OK.
import type { Advertiser, AnalysisEvent, Finding, Router, Snapshot } from '../analyze/model.js';
import type { DashboardFeed, Fix, FixesFn } from './types.js';

export type DemoPhase = 'healthy' | 'split' | 'healed';

/** Packet clock of the demo's first advert (2026-11-28 12:00:00 UTC). */
export const DEMO_T0 = 1795867200;
/** Packet-clock seconds at which the split brain starts and ends. */
export const DEMO_SPLIT_AT = 40;
export const DEMO_HEAL_AT = 100;

function advertiser(p: Partial<Advertiser> & { ip: string; priority: number; firstSeen: number; lastSeen: number }): Advertiser {
  return {
    mac: null, active: true, role: 'master', priorityHistory: [{ t: p.firstSeen, priority: p.priority }], version: 2,
    advertInterval: 1, advertIntervalRaw: 1, advertIntervalUnit: 's', measuredInterval: 1.0004, jitter: 0.0012,
    adverts: Math.max(1, Math.round(p.lastSeen - p.firstSeen)), addresses: [], authType: 0, authText: null, authMatches: true,
    destination: 'multicast', unicastPeers: [], ttlMin: 255, ttlMax: 255, checksums: { ok: Math.max(1, Math.round(p.lastSeen - p.firstSeen)) }, vlan: null,
    ...p,
  };
}

function router(p: Partial<Router> & { key: string; vrid: number; advertisers: Advertiser[] }): Router {
  const master = p.advertisers.find((a) => a.role === 'master') ?? null;
  return {
    family: 4, vlan: null, state: 'ok', worst: 'ok', master: master === null ? null : master.ip,
    masterPriority: master === null ? null : master.priority, virtualAddresses: [], failovers: [], splitBrains: [], noMasters: [],
    masterDownInterval: 3 + (256 - 80) / 256, lastFailover: null, adverts: p.advertisers.reduce((n, a) => n + a.adverts, 0),
    firstSeen: Math.min(...p.advertisers.map((a) => a.firstSeen)), lastSeen: Math.max(...p.advertisers.map((a) => a.lastSeen)),
    totals: { failovers: { failover: 0, graceful: 0, preemption: 0, initial: 1 }, splitBrains: 0, splitBrainSeconds: 0, noMasters: 0, noMasterSeconds: 0, briefDualMasters: 0 },
    ownership: { judged: true, note: null, vips: [] },
    ...p,
  };
}

function event(t: number, type: AnalysisEvent['type'], key: string, vrid: number, severity: AnalysisEvent['severity'], message: string, extra: Partial<AnalysisEvent> = {}): AnalysisEvent {
  return { t, type, routerKey: key, family: key.startsWith('v6') ? 6 : 4, vrid, vlan: null, severity, master: null, previousMaster: null, advertisers: [], duration: null, expected: null, message, ...extra };
}

/** The demo's snapshot at `sec` seconds of packet clock after DEMO_T0. Pure. */
export function demoSnapshot(sec: number): Snapshot {
  const T0 = DEMO_T0;
  const now = T0 + sec;
  const phase: DemoPhase = sec < DEMO_SPLIT_AT ? 'healthy' : sec < DEMO_HEAL_AT ? 'split' : 'healed';
  const sb = T0 + DEMO_SPLIT_AT;
  const heal = T0 + DEMO_HEAL_AT;

  // v4/51: the pair that splits.
  const a1 = advertiser({ ip: '10.0.0.1', mac: '52:54:00:00:00:01', priority: 100, firstSeen: T0, lastSeen: now, addresses: ['10.0.0.100'], authType: 1, authText: 'secret1' });
  const adv51: Advertiser[] = [a1];
  const fo51: Router['failovers'] = [{ t: T0, from: null, to: '10.0.0.1', kind: 'initial', duration: null, expected: null }];
  const sbs: Router['splitBrains'] = [];
  const events: AnalysisEvent[] = [
    event(T0, 'new-master', 'v4/51', 51, 'ok', '10.0.0.1 is master (priority 100)'),
    event(T0 + 0.3, 'new-master', 'v4/52', 52, 'ok', '10.0.0.2 is master (priority 150)'),
    event(T0 + 0.5, 'new-master', 'v6/7', 7, 'ok', 'fe80::1 is master (priority 200)'),
  ];
  const findings: Finding[] = [];
  let state: Router['state'] = 'ok';
  if (phase !== 'healthy') {
    const end = phase === 'split' ? now : heal;
    adv51.push(advertiser({
      ip: '10.0.0.2', mac: '52:54:00:00:00:02', priority: 80, firstSeen: sb + 3.69, lastSeen: end, addresses: ['10.0.0.100'],
      authType: 1, authText: 'secret1', role: phase === 'split' ? 'contender' : 'silent', active: phase === 'split', measuredInterval: 1.0011, jitter: 0.0021,
    }));
    fo51.push({ t: sb + 3.69, from: '10.0.0.1', to: '10.0.0.2', kind: 'failover', duration: 3.71, expected: 3 + (256 - 80) / 256 });
    sbs.push({ start: sb + 3.69, end: phase === 'split' ? null : heal, duration: end - (sb + 3.69), advertisers: ['10.0.0.1', '10.0.0.2'] });
    events.push(event(sb + 3.69, 'split-brain-start', 'v4/51', 51, 'critical', 'split brain: 10.0.0.1 (priority 100) and 10.0.0.2 (priority 80) both advertise as master', { advertisers: ['10.0.0.1', '10.0.0.2'] }));
    findings.push({
      code: 'split-brain', severity: 'critical', routerKey: 'v4/51', vrid: 51, family: 4,
      title: 'two masters for VRID 51: 10.0.0.1 (priority 100) and 10.0.0.2 (priority 80)',
      evidence: ['10.0.0.2 keeps advertising although 10.0.0.1 (higher priority) advertises every 1s', '10.0.0.1 answers 10.0.0.2\'s adverts ("forcing new election"): it hears 10.0.0.2, 10.0.0.2 does not hear it'],
      cause: 'firewall-drop', fixContext: { deafHost: '10.0.0.2', peers: ['10.0.0.1'], multicast: '224.0.0.18', family: 4 },
      firstSeen: sb + 3.69, lastSeen: end, count: 1,
    });
    state = phase === 'split' ? 'split-brain' : 'ok';
    if (phase === 'healed') events.push(event(heal, 'split-brain-end', 'v4/51', 51, 'ok', `split brain over after ${(heal - sb - 3.69).toFixed(1)}s: 10.0.0.2 went back to backup`, { duration: heal - sb - 3.69 }));
  }
  // v4/52: healthy, with a vrrp_script weight step on its master (150 -> 130 -> 150).
  const a52 = advertiser({ ip: '10.0.0.2', mac: '52:54:00:00:00:02', priority: 150, firstSeen: T0 + 0.3, lastSeen: now, addresses: ['10.0.0.200'], version: 3, advertIntervalRaw: 100, advertIntervalUnit: 'cs', authType: null });
  if (sec > 20) {
    a52.priorityHistory.push({ t: T0 + 20, priority: 130 });
    a52.priority = 130;
    events.push(event(T0 + 20, 'priority-change', 'v4/52', 52, 'ok', '10.0.0.2 priority 150 -> 130 (vrrp_script)', { ip: '10.0.0.2', fromPriority: 150, toPriority: 130 }));
  }
  if (sec > 70) {
    a52.priorityHistory.push({ t: T0 + 70, priority: 150 });
    a52.priority = 150;
    events.push(event(T0 + 70, 'priority-change', 'v4/52', 52, 'ok', '10.0.0.2 priority 130 -> 150 (vrrp_script)', { ip: '10.0.0.2', fromPriority: 130, toPriority: 150 }));
  }
  const a7 = advertiser({ ip: 'fe80::1', mac: '52:54:00:00:00:01', priority: 200, firstSeen: T0 + 0.5, lastSeen: now, addresses: ['2001:db8::7'], version: 3, advertIntervalRaw: 100, advertIntervalUnit: 'cs', authType: null, ttlMin: 255, ttlMax: 255 });
  events.sort((x, y) => x.t - y.t);

  const routers: Router[] = [
    router({ key: 'v4/51', vrid: 51, advertisers: adv51, state, worst: phase === 'healthy' ? 'ok' : 'critical', virtualAddresses: ['10.0.0.100'], failovers: fo51, splitBrains: sbs, lastFailover: fo51.length > 1 ? fo51[fo51.length - 1]!.t : null, master: '10.0.0.1', masterPriority: 100 }),
    router({ key: 'v4/52', vrid: 52, advertisers: [a52], virtualAddresses: ['10.0.0.200'], failovers: [{ t: T0 + 0.3, from: null, to: '10.0.0.2', kind: 'initial', duration: null, expected: null }] }),
    router({ key: 'v6/7', family: 6, vrid: 7, advertisers: [a7], virtualAddresses: ['2001:db8::7'], failovers: [{ t: T0 + 0.5, from: null, to: 'fe80::1', kind: 'initial', duration: null, expected: null }] }),
  ];
  const adverts = routers.reduce((n, r) => n + r.adverts, 0);
  return {
    time: now, firstTime: T0,
    stats: { frames: adverts + 12, bytes: adverts * 60, vrrpAdverts: adverts, rejects: {}, carp: 0, icmpErrors: 0, arp: 12, unsupportedLinks: {}, pcapReceived: adverts + 12, pcapDropped: 0, pcapIfDropped: 0 },
    routers, findings, events, verdict: phase === 'healthy' ? 'ok' : 'critical',
  };
}

export interface DemoFeedOptions {
  /** Stay at this phase (its middle) instead of playing the story. */
  hold?: DemoPhase;
  /** Packet-clock seconds per wall-clock second when playing (default 4: the story takes ~35 s). */
  speed?: number;
  /** Wall clock in ms (tests). */
  now?: () => number;
}

/** The demo as a DashboardFeed (live mode, fake interface "demo0"). */
export function demoFeed(o: DemoFeedOptions = {}): DashboardFeed & { paused: boolean; cleared: number } {
  const now = o.now ?? Date.now;
  const speed = o.speed ?? 4;
  const start = now();
  const holdAt = o.hold === 'healthy' ? 30 : o.hold === 'split' ? 70 : o.hold === 'healed' ? 130 : null;
  const sec = (): number => holdAt ?? Math.min(140, ((now() - start) / 1000) * speed);
  const feed = {
    paused: false,
    cleared: 0,
    header: { source: 'demo0', filter: 'default', mode: 'live' as const },
    version: (): number => Math.floor(sec() * 4) * 1000 + feed.cleared,
    snapshot: (): Snapshot => {
      const s = demoSnapshot(sec());
      if (feed.cleared > 0) { s.events = []; }
      return s;
    },
    pause: (): void => { feed.paused = true; },
    resume: (): void => { feed.paused = false; },
    clear: (): void => { feed.cleared++; },
  };
  return feed;
}

/** Stand-in for src/remedy fixesFor() in the demo: allow VRRP from the peers on the deaf host. */
export const demoFixes: FixesFn = (f, opts) => {
  const c = f.fixContext;
  if ((f.cause !== 'firewall-drop' && f.cause !== 'firewall-reject') || c.deafHost === null) return [];
  const fam = c.family === 6 ? 'ipv6' : 'ipv4';
  const ipt = c.family === 6 ? 'ip6tables' : 'iptables';
  const out: Fix[] = [];
  const dev = opts?.iface === undefined ? '' : ` -i ${opts.iface}`;
  for (const peer of c.peers) {
    out.push({ tool: 'firewalld', host: c.deafHost, title: `allow VRRP from ${peer}`, commands: [
      `firewall-cmd --permanent --add-rich-rule='rule family="${fam}" source address="${peer}" protocol value="vrrp" accept'`,
      'firewall-cmd --reload',
    ] });
    out.push({ tool: 'iptables', host: c.deafHost, title: `allow VRRP from ${peer}`, commands: [`${ipt} -I INPUT${dev} -p vrrp -s ${peer} -j ACCEPT`] });
  }
  return out;
};
