// What the analyzer keeps per router (src/analyze/router-state.ts: part of the mutation part `sources`): a new
// router's "none yet" values, forgetting history and sources, the best known backup, the VLAN tag path of a
// key (QinQ). The shipped captures drive this file only along its common paths, so the mutation run left
// these branches unwatched; each is asserted directly on RouterState and the exported functions, and one
// Analyzer run checks QinQ keys end to end.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { PacketRecord } from '../src/decode/packet.js';
import { RouterState, bestKnownBackup, forgetSource, routerKey, tagOf, type FindingRecord } from '../src/analyze/router-state.js';
import type { Finding, NoMasterPeriod, SplitBrainPeriod } from '../src/analyze/model.js';
import { analyse } from './support/analyze-run.js';
import { rec, source } from './support/router-sources.js';

// ---------------------------------------------------------------- RouterState

function router(): RouterState {
  return new RouterState(99, 'v4/99', 4, 99, -1, 0);
}

function period(end: number | null): SplitBrainPeriod & NoMasterPeriod {
  return { start: 1, end, duration: 1, advertisers: [], lastMaster: null };
}

function withFindings(r: RouterState, codes: string[]): void {
  for (const code of codes) r.findings.set(code, { finding: { code } as unknown as Finding, router: r, source: null, otherSource: null } satisfies FindingRecord);
}

test('a new router: no source, no master, no period, nothing counted yet', () => {
  const r = new RouterState(5731, 'v4/99@vlan10', 4, 99, 10, 7.5);
  assert.deepEqual({
    numericKey: r.numericKey, key: r.key, family: r.family, vrid: r.vrid, vlan: r.vlan, firstSeen: r.firstSeen, lastSeen: r.lastSeen,
    sources: r.sources, advertisingCount: r.advertisingCount, master: r.master, lastSender: r.lastSender,
    dualPeriodMaxInterval: r.dualPeriodMaxInterval, splitBrain: r.splitBrain, splitBrainSources: r.splitBrainSources,
    noMaster: r.noMaster, failovers: r.failovers, splitBrains: r.splitBrains, noMasters: r.noMasters,
    masterChangeTimes: r.masterChangeTimes, findings: r.findings.size, adverts: r.adverts, lastFailover: r.lastFailover,
    lastMaster: r.lastMaster, silencedMaster: r.silencedMaster, silencedSpells: r.silencedSpells,
    silencedSpellsNotKept: r.silencedSpellsNotKept, splitBrainAtEnd: r.splitBrainAtEnd, noMasterAtEnd: r.noMasterAtEnd,
    vlanOuter: r.vlanOuter, pendingTakeover: r.pendingTakeover, briefDualMasters: r.briefDualMasters,
    admittedByRepeat: r.admittedByRepeat, checkDrop: r.checkDrop, totals: r.totals,
  }, {
    numericKey: 5731, key: 'v4/99@vlan10', family: 4, vrid: 99, vlan: 10, firstSeen: 7.5, lastSeen: 0,
    sources: [], advertisingCount: 0, master: null, lastSender: null,
    dualPeriodMaxInterval: 0, splitBrain: null, splitBrainSources: [],
    noMaster: null, failovers: [], splitBrains: [], noMasters: [],
    masterChangeTimes: [], findings: 0, adverts: 0, lastFailover: null,
    lastMaster: null, silencedMaster: null, silencedSpells: [],
    silencedSpellsNotKept: 0, splitBrainAtEnd: false, noMasterAtEnd: false,
    vlanOuter: -1, pendingTakeover: null, briefDualMasters: [],
    admittedByRepeat: false, checkDrop: null,
    totals: { failover: 0, graceful: 0, preemption: 0, initial: 0, splitBrains: 0, splitBrainClosedSeconds: 0, noMasters: 0, noMasterClosedSeconds: 0, briefDualMasters: 0 },
  });
  assert.ok(Number.isNaN(r.dualPeriodStart), 'no dual period: NaN');
});

test('forgetHistory: master changes and closed periods go; an open split brain keeps its period and finding only', () => {
  const r = router();
  r.failovers = [{ t: 1, from: null, to: '10.0.0.1', kind: 'initial', duration: null, expected: null }];
  r.masterChangeTimes = [1, 2];
  const open = period(null), closed = period(5);
  r.splitBrains = [closed, open];
  r.splitBrain = open;
  r.noMasters = [period(3)];
  withFindings(r, ['vrid-collision', 'split-brain', 'no-master', 'ttl-not-255']);
  r.totals.splitBrains = 2;
  r.forgetHistory();
  assert.deepEqual([r.failovers, r.masterChangeTimes, r.noMasters], [[], [], []]);
  assert.equal(r.splitBrains.length, 1);
  assert.equal(r.splitBrains[0], open);
  assert.deepEqual([...r.findings.keys()], ['split-brain']);
  assert.equal(r.totals.splitBrains, 2, 'the totals stay');
});

test('forgetHistory: an open no-master period keeps its period and finding only; with nothing open every finding goes', () => {
  const r = router();
  const open = period(null);
  r.noMasters = [period(2), open];
  r.noMaster = open;
  r.splitBrains = [period(4)];
  withFindings(r, ['split-brain', 'no-master', 'flapping']);
  r.forgetHistory();
  assert.deepEqual(r.splitBrains, []);
  assert.equal(r.noMasters.length, 1);
  assert.equal(r.noMasters[0], open);
  assert.deepEqual([...r.findings.keys()], ['no-master']);

  const quiet = router();
  withFindings(quiet, ['split-brain', 'no-master', 'flapping']);
  quiet.forgetHistory();
  assert.equal(quiet.findings.size, 0);
});

test('forgetSource: removes that source (first, last or absent) and forgets it as the last sender', () => {
  const r = router();
  const a = source('10.0.0.1'), b = source('10.0.0.2'), c = source('10.0.0.3'), stranger = source('10.0.0.9');
  r.sources = [a, b, c];
  r.lastSender = a;
  forgetSource(r, stranger);
  assert.deepEqual(r.sources, [a, b, c], 'a source it does not have: nothing removed');
  assert.equal(r.lastSender, a);
  forgetSource(r, a);
  assert.deepEqual(r.sources, [b, c]);
  assert.equal(r.lastSender, null);
  r.lastSender = b;
  forgetSource(r, c);
  assert.deepEqual(r.sources, [b]);
  assert.equal(r.lastSender, b, 'another source sent last: it stays');
});

test('bestKnownBackup: the other source with the highest last non-zero priority, the first of equals, null when none', () => {
  const r = router();
  const master = source('10.0.0.1'), never = source('10.0.0.2'), first = source('10.0.0.3'), second = source('10.0.0.4'), lower = source('10.0.0.5');
  master.lastNonZeroPriority = 250; never.lastNonZeroPriority = 0; first.lastNonZeroPriority = 120;
  second.lastNonZeroPriority = 120; lower.lastNonZeroPriority = 90;
  r.sources = [master, never];
  assert.equal(bestKnownBackup(r, master), null, 'only a source that never advertised a priority above 0');
  r.sources = [master, never, lower, first, second];
  assert.equal(bestKnownBackup(r, master), first);
  r.sources = [never, lower, first, second];
  assert.equal(bestKnownBackup(r, first), second, 'the source asked about is no backup of itself');
  r.sources = [lower, master];
  assert.equal(bestKnownBackup(r, lower), master);
});

test('tagOf and routerKey: the VLAN tag path (QinQ outer and inner apart), family and VRID make one number each', () => {
  assert.equal(tagOf(-1, -1), -1, 'untagged');
  assert.equal(tagOf(10, -1), 10);
  assert.equal(tagOf(10, 0), 4096 + 10, 'outer VLAN 0 is a tag too');
  assert.equal(tagOf(10, 20), 21 * 4096 + 10);
  assert.equal(tagOf(4095, 4095), 4096 * 4096 + 4095);
  assert.equal(routerKey(-1, 4, 99), 99);
  assert.equal(routerKey(-1, 6, 99), 256 + 99);
  assert.equal(routerKey(10, 4, 1), 11 * 512 + 1);
  assert.equal(routerKey(10, 6, 255), 11 * 512 + 256 + 255);
  assert.equal(routerKey(tagOf(10, 20), 4, 99), (21 * 4096 + 11) * 512 + 99);
});

test('QinQ: the same VRID and inner VLAN under two outer VLANs are two routers, apart from the single-tagged one', () => {
  const tagged = (t: number, outer: number): PacketRecord => rec({ t, vlan: 10 }, (p) => { p.vlanOuter = outer; });
  const { snap } = analyse([tagged(0, 20), tagged(0.1, 30), tagged(0.2, -1), tagged(1, 20), tagged(1.1, 30), tagged(1.2, -1)]);
  assert.deepEqual(snap.routers.map((r) => [r.key, r.vlan, r.vlanOuter, r.adverts]),
    [['v4/99@vlan20.10', 10, 20, 2], ['v4/99@vlan30.10', 10, 30, 2], ['v4/99@vlan10', 10, undefined, 2]]);
});
