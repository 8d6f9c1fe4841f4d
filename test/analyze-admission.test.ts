// Admission under the limits, the flood tally and ageing out (src/analyze/admission.ts, tracking.ts,
// flood-evidence.ts; docs/analysis.md §12, docs/findings.md), driven with small hand-made inputs and small
// limits. The flood captures of test/flood.test.ts assert counts and bounds only; these tests pin the exact
// tally (peak per second, priority 255, in-use routers, samples, distinct counts, VRIDs), the FLOOD_HOLD
// boundary, the choice of what makes room (fewest adverts, then longest silent; not advertising first) and
// ageing (AGE_OUT_FLOOR against Master_Down_Interval multiples, ESTABLISHED_ADVERTS), so that the mutation
// part `admission` (stryker.config.mjs) notices a changed rule. Expected values follow from the rules.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Analyzer } from '../src/analyze/analyzer.js';
import { agesOut, established, oneShot, routerAgesOut, routerRemovable, sourceVictim } from '../src/analyze/admission.js';
import { ranges } from '../src/analyze/flood-evidence.js';
import { WorkMeter } from '../src/analyze/limits.js';
import type { Snapshot } from '../src/analyze/model.js';
import type { RouterState } from '../src/analyze/router-state.js';
import type { SourceState } from '../src/analyze/source-state.js';
import type { PacketRecord } from '../src/decode/packet.js';
import { advert, build, other, series, type AdvertSpec } from './support/records.js';
import { A, B, C, D, X, byTime, finding, timeOf } from './support/admission-inputs.js';

const AUTH_LINE = 'VRRP authentication does not stop this: a PASS password travels in clear text and every advert still reaches ' +
  'the nodes; find the sender\'s switch port by its MAC';

/** Feeds records to an analyzer one at a time; `until(t)` feeds those up to time t and returns the snapshot. */
class Feed {
  readonly an: Analyzer;
  readonly notes: string[] = [];
  private next = 0;
  constructor(private readonly records: PacketRecord[], maxRouters: number, maxSources: number) {
    this.an = new Analyzer({ maxRouters, maxSources });
  }
  until(t: number): Snapshot {
    while (this.next < this.records.length && timeOf(this.records[this.next]) <= t) this.notes.push(this.an.packet(this.records[this.next++]));
    return this.an.snapshot();
  }
}

function advertisers(s: Snapshot): string[] {
  return s.routers.map((r) => `${r.key}: ${r.advertisers.map((a) => a.ip).join(' ')}`);
}

// ------------------------------------------------------------------ the flood tally

test('flood tally: adverts, distinct sources and routers, priority 255, in use, peak per second, VRIDs by family, the first five sources', () => {
  // room for one router (VRID 99) with one source (A, established from its third advert); the rest is counted
  const specs: AdvertSpec[] = [
    ...series(A, 0, 12, 1),
    { t: 4.1, src: '10.0.0.7', prio: 255 }, // A's router, in use: A sent 5 adverts
    { t: 4.2, src: '10.0.0.8', prio: 90, vlan: 12, mac: [-1, 0] }, // another router (tagged), no MAC
    { t: 4.3, src: X, vrid: 5 }, // a router not tracked ...
    { t: 4.4, src: X, vrid: 5 }, // ... the same source again: repeats, but no router may go
    { t: 5.1, src: 'fe80::9', vrid: 32 },
    { t: 5.2, src: '10.0.0.10', vrid: 31, prio: 255 },
    { t: 5.3, src: '10.0.0.11', vrid: 200 }, // a sixth source: not among the samples
  ];
  const { an, notes } = (() => {
    const a = new Analyzer({ maxRouters: 1, maxSources: 1 });
    return { an: a, notes: build(specs).map((r) => a.packet(r)) };
  })();
  assert.equal(notes.filter((n) => n === 'untracked').length, 7);
  const s = an.snapshot();
  const l = s.limits!;
  assert.deepEqual({ ...l, samples: undefined }, {
    maxRouters: 1, maxSources: 1, routers: 1, sources: 1,
    untrackedAdverts: 7, untrackedSources: 6, untrackedRouters: 5, priority255: 2, inUse: 1,
    first: 4.1, last: 5.3, peakPerSecond: 4, // 4.1 4.2 4.3 4.4 in second 4; 3 in second 5
    vrids: { v4: [5, 31, 99, 200], v6: [32] },
    inUseRouters: [`v4/99 (${A})`],
    samples: undefined,
    admitted: { routers: 0, sources: 0 }, evicted: { routers: 0, sources: 0 }, agedOut: { routers: 0, sources: 0 },
    floodActive: true, eventsDropped: 0,
  });
  assert.deepEqual(l.samples, [
    { ip: '10.0.0.7', mac: '52:54:00:aa:00:07', family: 4, vrid: 99, vlan: null, priority: 255, t: 4.1 },
    { ip: '10.0.0.8', mac: null, family: 4, vrid: 99, vlan: 12, priority: 90, t: 4.2 },
    { ip: X, mac: '52:54:00:aa:00:09', family: 4, vrid: 5, vlan: null, priority: 100, t: 4.3 },
    { ip: 'fe80::9', mac: '52:54:00:aa:00:00', family: 6, vrid: 32, vlan: null, priority: 100, t: 5.1 },
    { ip: '10.0.0.10', mac: '52:54:00:aa:00:0a', family: 4, vrid: 31, vlan: null, priority: 255, t: 5.2 },
  ]);
  const f = finding(s, 'vrrp-flood');
  assert.equal(f.severity, 'critical');
  assert.equal(f.count, 7);
  assert.equal(f.firstSeen, 4.1);
  assert.equal(f.lastSeen, 5.3);
  assert.equal(f.routerKey, null);
  assert.deepEqual(f.evidence, [
    '7 adverts beyond the limits (1 source per virtual router, 1 virtual router) were counted, not tracked: about 6 distinct sources, ' +
      'about 5 virtual routers not tracked at all',
    'from 00:00:04.100 UTC to 00:00:05.300 UTC (1.2 s): 6 adverts/s on average, 4 in the busiest second',
    'first sources: 10.0.0.7 (52:54:00:aa:00:07) VRID 99 prio 255, 10.0.0.8 VRID 99 vlan 12 prio 90, 10.0.0.9 (52:54:00:aa:00:09) VRID 5 prio 100, ' +
      'fe80::9 (52:54:00:aa:00:00) VRID 32 prio 100, 10.0.0.10 (52:54:00:aa:00:0a) VRID 31 prio 255',
    'VRIDs hit: IPv4 5, 31, 99, 200; IPv6 32',
    '2 of them claimed priority 255 (the address owner): a node that accepted one would give up being master at once',
    `1 of them was for a virtual router in use: v4/99 (${A})`,
    'the routers and sources tracked before were analysed as before; newcomers were tracked once they repeated ' +
      '(0 sources, 0 routers; 0 removed to make room, 0 aged out after a long silence)',
    AUTH_LINE,
  ]);
  assert.deepEqual(f.fixContext, {
    deafHost: null, peers: [A], multicast: null, family: 4, configKey: 'source-mac',
    values: {
      '52:54:00:aa:00:07': '10.0.0.7 VRID 99',
      '52:54:00:aa:00:09': '10.0.0.9 VRID 5',
      '52:54:00:aa:00:00': 'fe80::9 VRID 32',
      '52:54:00:aa:00:0a': '10.0.0.10 VRID 31',
    },
  });
});

test('flood tally: one advert at time 0 for a router whose source is not established is a WARNING; the flood holds 60 s after it, to the end of that second', () => {
  // A (one advert so far) fills the only source place of VRID 99; B's advert at the same instant is counted
  const records = build([...series(A, 0, 63, 1), { t: 0, src: B, prio: 80 }]);
  const feed = new Feed(records, 2, 1);
  const first = feed.until(0);
  assert.deepEqual(feed.notes, ['new-master', 'untracked']);
  const l = first.limits!;
  assert.equal(l.first, 0, 'a flood that begins at time 0 begins at 0');
  assert.equal(l.last, 0);
  assert.equal(l.inUse, 0, 'A has sent one advert: not established, so VRID 99 is not in use');
  assert.equal(l.untrackedRouters, 0);
  const f = finding(first, 'vrrp-flood');
  assert.equal(f.severity, 'warning');
  assert.deepEqual(f.evidence, [
    '1 advert beyond the limits (1 source per virtual router, 2 virtual routers) was counted, not tracked: about 1 distinct source',
    'from 00:00:00.000 UTC to 00:00:00.000 UTC (0 s), 1 in the busiest second',
    `first sources: ${B} (52:54:00:aa:00:02) VRID 99 prio 80`,
    'VRIDs hit: IPv4 99; IPv6 none',
    'the routers and sources tracked before were analysed as before; newcomers were tracked once they repeated ' +
      '(0 sources, 0 routers; 0 removed to make room, 0 aged out after a long silence)',
    AUTH_LINE,
  ]);
  assert.equal(f.fixContext.family, 4);
  assert.deepEqual(f.fixContext.peers, [], 'no router in use: no real node to name');
  assert.equal(feed.until(59.5).limits!.floodActive, true);
  assert.equal(feed.until(60).limits!.floodActive, true, 'FLOOD_HOLD: still going on 60 s after the last untracked advert');
  assert.equal(feed.until(61).limits!.floodActive, false, 'over after that');
  // the flood is over: a newcomer router is tracked from its first advert again
  const after = new Analyzer({ maxRouters: 2, maxSources: 1 });
  for (const r of records.filter((x) => timeOf(x) <= 61)) after.packet(r);
  assert.equal(after.packet(advert({ t: 61.5, src: C, vrid: 7 })), 'new-master');
  // while it goes on, a newcomer router must repeat first, though there is room for it
  const during = new Analyzer({ maxRouters: 2, maxSources: 1 });
  for (const r of records.filter((x) => timeOf(x) <= 30)) during.packet(r);
  assert.equal(during.packet(advert({ t: 30.5, src: C, vrid: 7 })), 'untracked');
  assert.deepEqual([during.snapshot().limits!.first, during.snapshot().limits!.last], [0, 30.5], 'the flood still began at 0');
  assert.notEqual(during.packet(advert({ t: 31.5, src: C, vrid: 7 })), 'untracked', 'tracked once it repeats');
  assert.deepEqual(advertisers(during.snapshot()), [`v4/99: ${A}`, `v4/7: ${C}`]);
  assert.deepEqual(during.snapshot().limits!.admitted, { routers: 1, sources: 1 });
});

test('flood tally: the routers in use it hit, the first five once each, their established sources only; the real nodes are the fix\'s peers', () => {
  // VRIDs 1-6: one established source each (3 adverts); VRID 1 also has a source with 2 adverts (not established)
  // and is full; VRID 7's only source sent 2 adverts: not in use
  const specs: AdvertSpec[] = [];
  for (let v = 1; v <= 6; v++) for (let i = 0; i < 3; i++) specs.push({ t: i + v / 10, src: `10.0.1.${v}`, vrid: v, ipId: i });
  specs.push({ t: 0.05, src: '10.0.2.1', vrid: 1, prio: 50 }, { t: 1.05, src: '10.0.2.1', vrid: 1, prio: 50, ipId: 1 });
  specs.push({ t: 0.75, src: '10.0.1.7', vrid: 7 }, { t: 1.75, src: '10.0.1.7', vrid: 7, ipId: 1 });
  // the flood: one advert each from new sources, VRID 1 first (its table is full), then the others during the flood
  const hits = [1, 2, 1, 3, 7, 4, 5, 6];
  hits.forEach((v, i) => specs.push({ t: 3 + i / 10, src: `10.0.3.${i + 1}`, vrid: v }));
  const an = new Analyzer({ maxRouters: 7, maxSources: 2 });
  const notes = build(specs).map((r) => an.packet(r));
  assert.equal(notes.filter((n) => n === 'untracked').length, 8);
  const s = an.snapshot();
  assert.equal(s.limits!.inUse, 7, 'every hit but VRID 7\'s');
  assert.deepEqual(s.limits!.inUseRouters, ['v4/1 (10.0.1.1)', 'v4/2 (10.0.1.2)', 'v4/3 (10.0.1.3)', 'v4/4 (10.0.1.4)', 'v4/5 (10.0.1.5)']);
  assert.equal(s.limits!.untrackedRouters, 0);
  const f = finding(s, 'vrrp-flood');
  assert.equal(f.severity, 'critical');
  assert.deepEqual(f.fixContext.peers, ['10.0.1.1', '10.0.1.2', '10.0.1.3', '10.0.1.4', '10.0.1.5']);
  assert.equal(f.evidence[4], '7 of them were for a virtual router in use: v4/1 (10.0.1.1), v4/2 (10.0.1.2), v4/3 (10.0.1.3), v4/4 (10.0.1.4), v4/5 (10.0.1.5)');
});

test('ranges(): runs of consecutive numbers as "a-b", single ones alone', () => {
  assert.equal(ranges([]), '');
  assert.equal(ranges([7]), '7');
  assert.equal(ranges([1, 2, 3, 7, 9, 10, 255]), '1-3, 7, 9-10, 255');
});

// ------------------------------------------------------------------ who makes room

test('router admitted by repeating: a router whose only source sent one advert makes room during a flood; an advertising one, or one with a warning, does not', () => {
  // VRID 99: A's single advert at 0, still advertising; X (VRID 5) at 0.5 is counted, at 1.0 it repeats
  const run = (a: AdvertSpec[]): Snapshot => {
    const an = new Analyzer({ maxRouters: 1, maxSources: 4 });
    for (const r of build([...a, { t: 0.5, src: X, vrid: 5 }, { t: 1, src: X, vrid: 5 }])) an.packet(r);
    return an.snapshot();
  };
  const gone = run([{ t: 0, src: A }]);
  assert.deepEqual(advertisers(gone), [`v4/5: ${X}`]);
  assert.deepEqual(gone.limits!.evicted, { routers: 1, sources: 0 });
  assert.deepEqual(gone.limits!.admitted, { routers: 1, sources: 1 });
  assert.equal(gone.limits!.untrackedAdverts, 1);
  assert.equal(finding(gone, 'vrrp-flood').evidence.at(-2), 'the routers and sources tracked before were analysed as before; newcomers were ' +
    'tracked once they repeated (1 source, 1 router; 1 removed to make room, 0 aged out after a long silence)');
  for (const [why, a] of [
    ['two adverts: a node', [{ t: 0, src: A }, { t: 0.4, src: A, ipId: 1 }]],
    ['a TTL warning', [{ t: 0, src: A, ttl: 254 }]],
  ] as [string, AdvertSpec[]][]) {
    const kept = run(a);
    assert.deepEqual(advertisers(kept), [`v4/99: ${A}`], why);
    assert.deepEqual(kept.limits!.evicted, { routers: 0, sources: 0 }, why);
    assert.equal(kept.limits!.untrackedAdverts, 2, why);
  }
});

/** VRID 99 with room for three sources: A (100) advertising all along, then `others`; D (30) arrives at 20
 *  (the table full: counted, the flood begins) and repeats at 21. */
function makeRoom(others: AdvertSpec[]): Snapshot {
  const an = new Analyzer({ maxRouters: 1, maxSources: 3 });
  const notes = build([...series(A, 0, 23, 1), ...others, { t: 20, src: D, prio: 30 }, { t: 21, src: D, prio: 30, ipId: 1 }]).map((r) => an.packet(r));
  assert.equal(notes.filter((n) => n === 'untracked').length, 1, 'only D\'s first advert');
  return an.snapshot();
}

test('source admitted by repeating: the silent source with the fewest adverts makes room', () => {
  const s = makeRoom([{ t: 0.5, src: B, prio: 50 }, { t: 1.5, src: B, prio: 50, ipId: 1 }, { t: 2.6, src: C, prio: 40 }]);
  assert.deepEqual(advertisers(s), [`v4/99: ${A} ${B} ${D}`]);
  assert.deepEqual(s.limits!.evicted, { routers: 0, sources: 1 });
  assert.deepEqual(s.limits!.admitted, { routers: 0, sources: 1 });
});

test('source admitted by repeating: between silent sources with as many adverts, the one silent longest makes room', () => {
  const s = makeRoom([{ t: 0.5, src: B, prio: 50 }, { t: 1.5, src: B, prio: 50, ipId: 1 }, { t: 2.6, src: C, prio: 40 }, { t: 3.6, src: C, prio: 40, ipId: 1 }]);
  assert.deepEqual(advertisers(s), [`v4/99: ${A} ${C} ${D}`]);
  const t = makeRoom([{ t: 0.5, src: C, prio: 40 }, { t: 1.5, src: C, prio: 40, ipId: 1 }, { t: 2.6, src: B, prio: 50 }, { t: 3.6, src: B, prio: 50, ipId: 1 }]);
  assert.deepEqual(advertisers(t), [`v4/99: ${A} ${B} ${D}`], 'whatever the order they came in');
});

test('source admitted by repeating: a silent source goes before a one-advert source still advertising, though that one sent fewer', () => {
  // B: two adverts, silent since 1.5; C: one advert at 19.8, still advertising at 21 (flood traffic during a flood)
  const s = makeRoom([{ t: 0.5, src: B, prio: 50 }, { t: 1.5, src: B, prio: 50, ipId: 1 }, { t: 19.8, src: C, prio: 40 }]);
  assert.deepEqual(advertisers(s), [`v4/99: ${A} ${C} ${D}`]);
  // with only advertising sources, the one-advert one goes during a flood ...
  const one = makeRoom([...series(B, 0.5, 23, 1, { prio: 50 }), { t: 19.8, src: C, prio: 40 }]);
  assert.deepEqual(advertisers(one), [`v4/99: ${A} ${B} ${D}`]);
  // ... and an established source that keeps advertising never does: D stays counted
  const an = new Analyzer({ maxRouters: 1, maxSources: 2 });
  const notes = build([...series(A, 0, 23, 1), ...series(B, 0.5, 23, 1, { prio: 50 }), { t: 20, src: D, prio: 30 }, { t: 21, src: D, prio: 30 }])
    .map((r) => an.packet(r));
  assert.equal(notes.filter((n) => n === 'untracked').length, 2);
  assert.deepEqual(an.snapshot().limits!.evicted, { routers: 0, sources: 0 });
  assert.deepEqual(an.snapshot().limits!.admitted, { routers: 0, sources: 0 });
});

// ------------------------------------------------------------------ ageing out

test('ageing out: a source with fewer than 3 adverts goes after more than 60 s of silence, a router whose last source went goes with it; 3 adverts stay', () => {
  // VRID 99: A all along, B (2 adverts, last at 2), C (3 adverts); VRID 7: L (1 advert at 1); the router table
  // full, VRID 5's advert at 3 is counted: from then on, what never became established ages out
  const L = '10.0.0.7';
  const records = build([
    ...series(A, 0, 64, 1),
    { t: 1, src: B, prio: 50 }, { t: 2, src: B, prio: 50, ipId: 1 },
    { t: 1.5, src: C, prio: 40 }, { t: 2.5, src: C, prio: 40, ipId: 1 }, { t: 3.5, src: C, prio: 40, ipId: 2 },
    { t: 1, src: L, vrid: 7 },
    { t: 3, src: X, vrid: 5 },
  ]);
  const feed = new Feed(records, 2, 16);
  const at61 = feed.until(61);
  assert.deepEqual(advertisers(at61), [`v4/99: ${A} ${B} ${C}`, `v4/7: ${L}`], '60 s of silence is not more than 60 s');
  assert.deepEqual(at61.limits!.agedOut, { routers: 0, sources: 0 });
  const at62 = feed.until(62);
  assert.deepEqual(advertisers(at62), [`v4/99: ${A} ${B} ${C}`], 'L (silent since 1) and its router');
  assert.deepEqual(at62.limits!.agedOut, { routers: 1, sources: 1 });
  const at63 = feed.until(63);
  assert.deepEqual(advertisers(at63), [`v4/99: ${A} ${C}`], 'B (silent since 2); C is established');
  assert.deepEqual(at63.limits!.agedOut, { routers: 1, sources: 2 });
  assert.match(finding(at63, 'vrrp-flood').evidence.at(-2)!, /; 0 removed to make room, 3 aged out after a long silence\)$/);
});

test('ageing out: a slow source waits 3 Master_Down_Intervals when that is longer than 60 s (its own priority\'s skew)', () => {
  // A and D advertise every 30 s; D (priority 50) sent two adverts, the last at 31.5: 3 × (90 + 206/256) s is
  // 272.41 s, so D goes at the first second after 303.91 (with priority 1's skew it would be 304.49)
  const frames: PacketRecord[] = [];
  for (let t = 1; t <= 306; t++) frames.push(other(t));
  const records = byTime([
    ...build([...series(A, 0, 331, 30, { interval: 30 }), { t: 1.5, src: D, prio: 50, interval: 30 }, { t: 31.5, src: D, prio: 50, interval: 30, ipId: 1 },
      { t: 3, src: X, vrid: 5 }]),
    ...frames,
  ]);
  const feed = new Feed(records, 1, 16);
  assert.deepEqual(advertisers(feed.until(95)), [`v4/99: ${A} ${D}`], 'more than 60 s, not yet 3 Master_Down_Intervals');
  assert.deepEqual(advertisers(feed.until(303)), [`v4/99: ${A} ${D}`]);
  const s = feed.until(304);
  assert.deepEqual(advertisers(s), [`v4/99: ${A}`]);
  assert.deepEqual(s.limits!.agedOut, { routers: 0, sources: 1 });
});

// ------------------------------------------------------------------ the rules one by one (admission.ts)

/** A source as the rules read it. */
function source(ip: string, adverts: number, lastSeen: number, advertising = false, extra: Partial<SourceState> = {}): SourceState {
  return { ip, adverts, lastSeen, advertising, version: 2, lastNonZeroPriority: 100, intervalSeconds: 1, ...extra } as unknown as SourceState;
}

/** A router as the rules read it: nothing going on unless `extra` says so. */
function router(sources: SourceState[], extra: Partial<Record<keyof RouterState, unknown>> = {}): RouterState {
  return {
    sources, master: null, silencedMaster: null, lastMaster: null, splitBrain: null, splitBrainSources: [], pendingTakeover: null,
    noMaster: null, splitBrains: [], noMasters: [], advertisingCount: sources.filter((s) => s.advertising).length, findings: new Map(), ...extra,
  } as unknown as RouterState;
}

test('established(): a source with 3 adverts; oneShot(): a source with at most one', () => {
  assert.equal(established(router([source(A, 2, 0), source(B, 2, 0)])), false);
  assert.equal(established(router([source(A, 2, 0), source(B, 3, 0)])), true);
  assert.equal(oneShot(source(A, 1, 0)), true);
  assert.equal(oneShot(source(A, 0, 0)), true);
  assert.equal(oneShot(source(A, 2, 0)), false);
});

test('sourceVictim(): never a source named by what is going on; an advertising one-advert source only during a flood', () => {
  const meter = new WorkMeter();
  const silent = (): SourceState => source(B, 1, 5);
  for (const [name, fields] of [
    ['the master', 'master'], ['the silenced master', 'silencedMaster'], ['the master a no-master period waits for', 'lastMaster'],
  ] as const) {
    const s = silent();
    assert.equal(sourceVictim(router([s], { [fields]: s }), false, meter), null, name);
  }
  const s = silent();
  assert.equal(sourceVictim(router([s], { splitBrain: {}, splitBrainSources: [s] }), false, meter), null, 'an open split brain\'s master');
  assert.equal(sourceVictim(router([s], { splitBrain: null, splitBrainSources: [s] }), false, meter), s, 'a split brain that is over names nobody');
  assert.equal(sourceVictim(router([s], { pendingTakeover: { source: s, master: null } }), false, meter), null, 'a pending takeover\'s source');
  assert.equal(sourceVictim(router([s], { pendingTakeover: { source: null, master: s } }), false, meter), null, 'a pending takeover\'s master');
  assert.equal(sourceVictim(router([s], { pendingTakeover: { source: null, master: null } }), false, meter), s);
  const fresh = source(C, 1, 5, true);
  assert.equal(sourceVictim(router([fresh]), false, meter), null, 'advertising, no flood');
  assert.equal(sourceVictim(router([fresh]), true, meter), fresh, 'one advert, during a flood');
  assert.equal(sourceVictim(router([source(C, 2, 5, true)]), true, meter), null, 'two adverts, advertising');
  // not advertising first, whichever comes first in the list
  const quiet = source(D, 5, 1);
  assert.equal(sourceVictim(router([fresh, quiet]), true, meter), quiet);
  assert.equal(sourceVictim(router([quiet, fresh]), true, meter), quiet);
  assert.equal(meter.steps, 15, 'each call walks the router\'s sources');
  // then the fewest adverts, then the longest silent, then the first in the list
  const few = source(A, 1, 9), many = source(B, 2, 1), older = source(C, 2, 3), newer = source(D, 2, 7), twin = source(X, 2, 3);
  assert.equal(sourceVictim(router([few, many]), false, meter), few, 'the fewest adverts, though the other is silent longer');
  assert.equal(sourceVictim(router([newer, older]), false, meter), older, 'as many adverts: the longest silent');
  assert.equal(sourceVictim(router([older, newer]), false, meter), older);
  assert.equal(sourceVictim(router([older, twin]), false, meter), older, 'a tie in both: the first');
});

test('agesOut(): after more than max(60 s, 3 Master_Down_Intervals) of silence, only what is not established, advertising or named', () => {
  const s = source(B, 2, 100);
  assert.equal(agesOut(router([s]), s, 160), false);
  assert.equal(agesOut(router([s]), s, 160.001), true);
  assert.equal(agesOut(router([source(B, 3, 100)]), source(B, 3, 100), 1000), false, 'established');
  assert.equal(agesOut(router([source(B, 2, 100, true)]), source(B, 2, 100, true), 1000), false, 'advertising');
  // v3, 30 s: Master_Down_Interval 90 + 30 × (256 - 56) / 256 = 113.4375 s, three of them 340.3125 s
  const slow = source(B, 1, 0, false, { version: 3, intervalSeconds: 30, lastNonZeroPriority: 56 });
  assert.equal(agesOut(router([slow]), slow, 340.3125), false);
  assert.equal(agesOut(router([slow]), slow, 340.32), true);
  // priority 0 only: taken as priority 1 (90 + 30 × 255 / 256 = 119.8828125 s, three of them 359.6484375 s)
  const resigned = source(B, 1, 0, false, { version: 3, intervalSeconds: 30, lastNonZeroPriority: 0 });
  assert.equal(agesOut(router([resigned]), resigned, 359.64), false);
  assert.equal(agesOut(router([resigned]), resigned, 359.65), true);
  // the master: only when it is its router's last source and no no-master period is open
  const m = source(A, 1, 0);
  assert.equal(agesOut(router([m], { master: m }), m, 100), true);
  assert.equal(agesOut(router([m, source(B, 5, 0)], { master: m }), m, 100), false);
  assert.equal(agesOut(router([m], { master: m, noMaster: {} }), m, 100), false);
  assert.equal(agesOut(router([m], { silencedMaster: m }), m, 100), false, 'named otherwise');
});

test('routerRemovable(): nothing advertising (during a flood: one-advert sources only), no period ever, no finding worse than information', () => {
  const quiet = source(A, 5, 0);
  const once = source(B, 1, 0, true);
  assert.equal(routerRemovable(router([quiet]), false), true);
  assert.equal(routerRemovable(router([quiet, once]), false), false, 'advertising, no flood');
  assert.equal(routerRemovable(router([quiet, once]), true), true, 'one advert, during a flood');
  assert.equal(routerRemovable(router([quiet, source(C, 2, 0, true)]), true), false, 'two adverts, advertising');
  for (const field of ['splitBrain', 'noMaster'] as const) assert.equal(routerRemovable(router([quiet], { [field]: {} }), false), false, field);
  for (const field of ['splitBrains', 'noMasters'] as const) assert.equal(routerRemovable(router([quiet], { [field]: [{}] }), false), false, field);
  const findings = (severity: string): Map<string, unknown> => new Map([['x', { finding: { severity: 'ok' } }], ['y', { finding: { severity } }]]);
  assert.equal(routerRemovable(router([quiet], { findings: findings('ok') }), false), true);
  assert.equal(routerRemovable(router([quiet], { findings: findings('warning') }), false), false);
});

test('routerAgesOut(): no source left and no split-brain or no-master period, open or past', () => {
  assert.equal(routerAgesOut(router([])), true);
  assert.equal(routerAgesOut(router([source(A, 1, 0)])), false);
  for (const field of ['splitBrain', 'noMaster'] as const) assert.equal(routerAgesOut(router([], { [field]: {} })), false, field);
  for (const field of ['splitBrains', 'noMasters'] as const) assert.equal(routerAgesOut(router([], { [field]: [{}] })), false, field);
});

test('flood evidence: an IPv6-only flood hits no IPv4 VRID; a tagged sample with a MAC keeps its VLAN in the fix values', () => {
  const an = new Analyzer({ maxRouters: 1, maxSources: 1 });
  for (const r of build([...series(A, 0, 4, 1), { t: 2.5, src: 'fe80::9', vrid: 32, vlan: 30 }])) an.packet(r);
  const f = finding(an.snapshot(), 'vrrp-flood');
  assert.ok(f.evidence.includes('VRIDs hit: IPv4 none; IPv6 32'), f.evidence.join('\n'));
  assert.deepEqual(Object.values(f.fixContext.values ?? {}), ['fe80::9 VRID 32 vlan 30']);
  assert.equal(f.fixContext.family, 6);
});
