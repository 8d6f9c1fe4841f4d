// Unit tests of the vantage-point view (src/analyze/vantage/vantage-view.ts) and the advert-loss finding
// (vantage-findings.ts; docs/findings.md `advert-loss`): part of the mutation part `vantage-wire`,
// docs/analysis.md §14. The view of a hand-built matcher: each point's clock and the sources whose wire it is,
// the flows and their deliveries, the notes, toWireOf() and the cause hook; the loss finding's counts, runs,
// thresholds, and when a split brain already tells it. Why: only test/vantage.test.ts (8 s, through the CLI)
// reached these files; the expected values follow from the rules, not from a run.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { VantageView, type PointInput } from '../src/analyze/vantage/vantage-view.js';
import { addLossFindings } from '../src/analyze/vantage/vantage-findings.js';
import type { Alignment } from '../src/analyze/vantage/clock-offset.js';
import type { Delivery, SourceWires, VantageReport } from '../src/analyze/vantage/model.js';
import type { Finding } from '../src/analyze/model.js';
import { finding, router, snapshot } from './support/snapshots.js';
import { flow, matcher, sender } from './support/vantage-matcher.js';
import { T, delivery, lost } from './support/vantage-deliveries.js';
import { H, L, R99 } from './support/vantage-sources.js';

// ---------------------------------------------------------------------------------------------------
// vantage-view.ts

/** Every one of n adverts on both of two captures. */
function seenByBoth(n: number): [number, number][] {
  return [[n, n], [n, n]];
}

function point(name: string, i: number): PointInput {
  return { name, file: `${name}.pcap`, format: 'pcap', frames: 100 + i, adverts: 50 + i, first: 10 + i, last: 90 + i, problem: null };
}

/** Three captures: 10.0.0.1's (a), 10.0.0.2's and 10.0.0.3's (b: both marked outgoing there), an observer. */
function picture() {
  const m = matcher(3);
  const a = sender(m, 1, '10.0.0.1');
  const c = sender(m, 3, '10.0.0.3');
  const b = sender(m, 2, '10.0.0.2');
  const e = sender(m, 5, '10.0.0.5');    // no flow: its wire cannot be told
  m.senders.list[a].outgoing[0] = 1;
  m.senders.list[b].outgoing[1] = 1;
  m.senders.list[c].outgoing[1] = 1;
  void e;
  const fb = flow(m, b, '10.0.0.2', [[5, 5], [5, 5], [5, 4]]);
  const fa = flow(m, a, '10.0.0.1', [[20, 20], [20, 17], [20, 19]]);
  const fu = flow(m, a, '10.0.0.1', [[8, 8], [8, 8], [8, 8]], { destination: '10.0.0.2' });
  flow(m, a, '10.0.0.1', [[3, 3], [3, 2], [3, 3]], { router: 'v4/7' });
  flow(m, c, '10.0.0.3', [[1, 1], [1, 1], [1, 1]], { router: 'v4/5' });
  const fx = flow(m, -1, '10.0.0.9', [[2, 2], [2, 2], [2, 2]], { router: 'v4/99' });
  // 10.0.0.2 took over while 10.0.0.1 advertised: 10.0.0.1's adverts of the 3 intervals before, per capture
  const hi = m.flows.indexOf(fa);
  fb.takeovers.set(hi, { takeovers: 2, expected: Int32Array.from([6, 6, 6]), arrived: Int32Array.from([6, 1, 5]) });
  const fb2 = flow(m, b, '10.0.0.2', [[1, 1], [1, 1], [1, 1]], { destination: '10.0.0.1' });
  fb2.takeovers.set(hi, { takeovers: 1, expected: Int32Array.from([3, 3, 3]), arrived: Int32Array.from([3, 2, 3]) });
  const other = flow(m, b, '10.0.0.2', [[1, 1], [1, 1], [1, 1]], { router: 'v4/98' });
  other.takeovers.set(hi, { takeovers: 9, expected: Int32Array.from([9, 9, 9]), arrived: Int32Array.from([9, 9, 9]) });
  fb.takeovers.set(m.flows.indexOf(fu), { takeovers: 4, expected: Int32Array.from([4, 4, 4]), arrived: Int32Array.from([4, 4, 4]) });
  void fx;
  const align: Alignment = {
    ok: true, offsets: [0, 0.1 + 0.2, -1.0000000004], how: ['reference', 'measured', 'assumed'], against: [null, 0, null],
    pairs: [0, 12, 0], spread: [null, 0.0000012345678912, null], notes: [],
  };
  return { m, align, points: ['a', 'b', 'obs'].map(point) };
}

test('vantage view: each point with its clock (to the nanosecond) and the sources whose wire it is', () => {
  const { m, align, points } = picture();
  const v = new VantageView(points, align, m, ['the clocks note']);
  assert.deepEqual(v.report.points[1], {
    name: 'b', file: 'b.pcap', format: 'pcap', frames: 101, adverts: 51, first: 11, last: 91,
    offset: 0.3, offsetHow: 'measured', offsetAgainst: 'a', offsetPairs: 12, offsetSpread: 1.235e-6, owns: ['10.0.0.3', '10.0.0.2'], problem: null,
  });
  assert.deepEqual([v.report.points[0].offset, v.report.points[0].offsetAgainst, v.report.points[0].offsetSpread, v.report.points[0].owns],
    [0, null, null, ['10.0.0.1']]);
  assert.deepEqual([v.report.points[2].offset, v.report.points[2].offsetHow, v.report.points[2].owns], [-1, 'assumed', []]);
  assert.deepEqual(v.report.notes, ['the clocks note']);
  assert.deepEqual([v.report.sourcesLeftOut, v.report.advertsLeftOut, v.report.settledEarly], [0, 0, 0]);
});

test('vantage view: flows by router, then most adverts first; deliveries to every capture but the wire, with its owner', () => {
  const { m, align, points } = picture();
  const v = new VantageView(points, align, m, []);
  assert.deepEqual(v.report.sources.map((s) => `${s.router} ${s.source}>${s.destination} ${s.sent}`), [
    'v4/5 10.0.0.3>224.0.0.18 1', 'v4/7 10.0.0.1>224.0.0.18 3', 'v4/98 10.0.0.2>224.0.0.18 1',
    'v4/99 10.0.0.1>224.0.0.18 20', 'v4/99 10.0.0.1>10.0.0.2 8', 'v4/99 10.0.0.2>224.0.0.18 5', 'v4/99 10.0.0.9>224.0.0.18 2',
    'v4/99 10.0.0.2>10.0.0.1 1']);
  const a99 = v.report.sources[3];
  assert.deepEqual([a99.wire, a99.wireHow, a99.wireNote], ['a', 'outgoing', 'a marks its frames as sent by the capturing host']);
  // capture b: 10.0.0.3's and 10.0.0.2's; 10.0.0.2 advertises for v4/99, 10.0.0.3 does not
  assert.deepEqual(a99.deliveries, [
    { to: 'b', toSource: '10.0.0.2', expected: 20, arrived: 17, lost: 3, lossPercent: 15, dualExpected: 0, dualArrived: 0, spellCount: 1,
      spells: [{ from: 17, to: 19, adverts: 3 }], spellsLeftOut: 0, longest: { from: 17, to: 19, adverts: 3 }, spellLengths: [0, 0, 1, 0] },
    { to: 'obs', toSource: null, expected: 20, arrived: 19, lost: 1, lossPercent: 5, dualExpected: 0, dualArrived: 0, spellCount: 1,
      spells: [{ from: 19, to: 19, adverts: 1 }], spellsLeftOut: 0, longest: { from: 19, to: 19, adverts: 1 }, spellLengths: [1, 0, 0, 0] }]);
  // for v4/7 no owner of b advertises: the first one found
  assert.deepEqual(v.report.sources[1].deliveries.map((d) => [d.to, d.toSource]), [['b', '10.0.0.3'], ['obs', null]]);
  // a flow without a sender: no decision, every capture
  const x = v.report.sources[6];
  assert.deepEqual([x.wire, x.wireHow, x.wireNote, x.deliveries.map((d) => `${d.to}:${d.toSource}`)],
    [null, null, 'cannot be told', ['a:10.0.0.1', 'b:10.0.0.2', 'obs:null']]);
});

test('vantage view: notes say what the matcher left out, settled early, or could not time', () => {
  const { m, align, points } = picture();
  m.flowsLeftOut = 2; m.advertsLeftOut = 7; m.settledEarly = 4; m.senders.leftOut = 3;
  const v = new VantageView(points, align, m, ['first']);
  assert.deepEqual(v.report.notes, ['first',
    `2 further flows (7 adverts) were analysed but not matched across the captures (at most ${m.flows.length} are)`,
    '3 frames came from senders beyond the 4 whose timing is compared',
    '4 frames were settled before their copies could arrive (the matching window was full): delivery counts may be low']);
  assert.deepEqual([v.report.sourcesLeftOut, v.report.advertsLeftOut, v.report.settledEarly], [2, 7, 4]);
  // the flows left out are counted in a fixed map, where two flows can share a bit: exact for a few
  // hundred, said to be approximate from 256 on (n flows share a bit some n² / 2¹⁷ times: half a flow at 256)
  for (const [n, said] of [[255, '255'], [256, 'about 256'], [1000, 'about 1000']] as const) {
    m.flowsLeftOut = n;
    assert.ok(new VantageView(points, align, m, []).report.notes[0].startsWith(`${said} further flows (7 adverts)`), `${n}`);
  }
});

test('vantage view: toWireOf takes the flow with most adverts, the other captures, and the adverts before each takeover', () => {
  const { m, align, points } = picture();
  const v = new VantageView(points, align, m, []);
  const x = v.toWireOf('10.0.0.1', '10.0.0.2', 'v4/99');
  assert.ok(x !== null && typeof x !== 'string');
  assert.equal(x.wire, 'b');
  assert.deepEqual([x.d.to, x.d.toSource, x.d.expected, x.d.arrived], ['b', '10.0.0.2', 20, 17]);
  assert.deepEqual(x.others.map((o) => [o.to, o.toSource, o.expected, o.arrived]), [['obs', null, 20, 19]]);
  // both of 10.0.0.2's v4/99 flows, counted on b; not its v4/98 flow, nor the takeovers after the unicast flow
  assert.deepEqual(x.before, { takeovers: 3, expected: 9, arrived: 3 });
  const back = v.toWireOf('10.0.0.2', '10.0.0.1', 'v4/99');
  assert.ok(back !== null && typeof back !== 'string');
  assert.deepEqual([back.wire, back.d.expected, back.before], ['a', 5, null]);
  assert.equal(v.toWireOf('10.0.0.1', '10.0.0.2', 'v4/1'), null);
  assert.equal(v.toWireOf('10.0.0.7', '10.0.0.2', 'v4/99'), null);
  assert.equal(v.toWireOf('10.0.0.1', '10.0.0.8', 'v4/99'), 'cannot be told (no advert of 10.0.0.8 was matched)');
  assert.equal(v.toWireOf('10.0.0.1', '10.0.0.5', 'v4/99'),
    'cannot be told (no capture saw every advert of it); name the capture taken there -r 10.0.0.5=FILE');
  assert.equal(v.toWireOf('10.0.0.3', '10.0.0.2', 'v4/5'), 'cannot be told (b appears to be the wire of both)');
  // a source whose own wire is not known: every other capture is quoted
  const fromUnknown = v.toWireOf('10.0.0.9', '10.0.0.2', 'v4/99');
  assert.ok(fromUnknown !== null && typeof fromUnknown !== 'string');
  assert.deepEqual(fromUnknown.others.map((o) => o.to), ['a', 'obs']);
});

test('vantage view: the cause hook applies the wire rule with the view\'s own deliveries', () => {
  const { m, align, points } = picture();
  const v = new VantageView(points, align, m, []);
  const ev: string[] = [];
  const ctx: Finding['fixContext'] = { deafHost: null, peers: [], multicast: null, family: 4 };
  // 3 of 9 in the intervals before 10.0.0.2 took over: neither all nor none of the 17 of 20 after
  assert.equal(v.cause(R99, [L, H], ev, ctx), 'network-loss');
  assert.equal(ev.length, 1);
  assert.match(ev[0], /^adverts from 10\.0\.0\.1 that reached 10\.0\.0\.2's wire \(b\): 3 of 9 in the 3 intervals before 10\.0\.0\.2 took over \(3 times\); 17 of 20/);
  assert.match(ev[0], /\(on the other captures: obs: 19 of 20\)/);
  assert.match(ev[0], /; 10\.0\.0\.2's adverts reached 10\.0\.0\.1's wire \(a\): 5 of 5$/);
  // the winner listed first: it is not asked about its own wire (the view would say "a appears to be the wire of both")
  const first: string[] = [];
  assert.equal(v.cause(R99, [H, L], first, { deafHost: null, peers: [], multicast: null, family: 4 }), 'network-loss');
  assert.deepEqual(first, ev);
});

/** Two captures, 10.0.0.1's (a) and 10.0.0.2's (b); 10.0.0.1's unicast flow to 10.0.0.2 listed before its
 *  bigger multicast one. */
function twoWires() {
  const m = matcher(2);
  const a = sender(m, 1, '10.0.0.1');
  const b = sender(m, 2, '10.0.0.2');
  const c = sender(m, 3, '10.0.0.3');
  m.senders.list[a].outgoing[0] = 1;
  m.senders.list[b].outgoing[1] = 1;
  const align: Alignment = { ok: true, offsets: [0, 0], how: ['reference', 'measured'], against: [null, 0], pairs: [0, 5], spread: [null, 0], notes: [] };
  return { m, a, b, c, align, points: ['a', 'b'].map(point) };
}

test('vantage view: a lower router\'s flows come first, even when a later router\'s flow has more adverts', () => {
  const { m, a, align, points } = twoWires();
  flow(m, a, '10.0.0.1', seenByBoth(1), { router: 'v4/5' });
  flow(m, a, '10.0.0.1', seenByBoth(2), { router: 'v6/1' });
  flow(m, a, '10.0.0.1', seenByBoth(10), { router: 'v4/9' });
  flow(m, a, '10.0.0.1', seenByBoth(3), { router: 'v4/10' });
  flow(m, a, '10.0.0.1', seenByBoth(4), { router: 'v4/7' });
  const v = new VantageView(points, align, m, []);
  // in numbers, not as text ("v4/10" < "v4/9"); IPv4's routers before IPv6's
  assert.deepEqual(v.report.sources.map((s) => `${s.router} ${s.sent}`), ['v4/5 1', 'v4/7 4', 'v4/9 10', 'v4/10 3', 'v6/1 2']);
});

test('vantage view: toWireOf quotes the source\'s biggest flow wherever it is listed, and only the receiver\'s takeovers', () => {
  const { m, a, b, c, align, points } = twoWires();
  flow(m, a, '10.0.0.1', seenByBoth(3), { destination: '10.0.0.2' });
  const big = flow(m, a, '10.0.0.1', [[20, 20], [20, 15]]);
  const hi = m.flows.indexOf(big);
  flow(m, b, '10.0.0.2', seenByBoth(5)).takeovers.set(hi, { takeovers: 1, expected: Int32Array.from([3, 3]), arrived: Int32Array.from([3, 0]) });
  // a third master of the router (a three-way split brain) took over 5 times: not 10.0.0.2's takeovers
  flow(m, c, '10.0.0.3', seenByBoth(5)).takeovers.set(hi, { takeovers: 5, expected: Int32Array.from([9, 9]), arrived: Int32Array.from([9, 9]) });
  const x = new VantageView(points, align, m, []).toWireOf('10.0.0.1', '10.0.0.2', 'v4/99');
  assert.ok(x !== null && typeof x !== 'string');
  assert.deepEqual([x.wire, x.d.expected, x.d.arrived, x.before], ['b', 20, 15, { takeovers: 1, expected: 3, arrived: 0 }]);
});

// ---------------------------------------------------------------------------------------------------
// vantage-findings.ts

function wiresOf(over: Partial<SourceWires> & { deliveries: Delivery[] }): VantageReport {
  const src: SourceWires = { source: '10.0.0.1', router: 'v4/99', destination: '224.0.0.18', sent: 60, wire: 'a', wireHow: 'timing', wireNote: '', ...over };
  return { points: [], sources: [src], sourcesLeftOut: 0, advertsLeftOut: 0, settledEarly: 0, notes: [] };
}

const LOSS = lost(60, 40, {
  spellCount: 3, spells: [{ from: T + 5, to: T + 9, adverts: 5 }, { from: T + 20, to: T + 20, adverts: 1 }],
  longest: { from: T + 5, to: T + 9, adverts: 5 }, spellLengths: [1, 0, 1, 1], dualExpected: 10, dualArrived: 7,
});

test('advert loss: the finding with its counts, runs, router and fix context; the verdict rises to warning', () => {
  // the router of that family and VRID: not another IPv4 router, nor VRID 99 of IPv6
  const routers = [router({ key: 'v4/51', family: 4, vrid: 51 }), router({ key: 'v6/99', family: 6, vrid: 99 }), router({ key: 'v4/99@vlan5', family: 4, vrid: 99 })];
  const s = addLossFindings(snapshot({ routers }),
    wiresOf({ deliveries: [LOSS] }));
  assert.equal(s.verdict, 'warning');
  assert.deepEqual(s.findings, [{
    code: 'advert-loss', severity: 'warning', routerKey: 'v4/99@vlan5', vrid: 99, family: 4,
    title: '33.3 % of 10.0.0.1\'s adverts are lost on the way to 10.0.0.2',
    evidence: [
      '40 of 60 adverts 10.0.0.1 sent while b ran reached 10.0.0.2\'s wire (b): 33.3 % lost (all 60 were seen on 10.0.0.1\'s own wire, a)',
      '3 runs of lost adverts; the longest: 5 in a row from 10:00:05.000 UTC to 10:00:09.000 UTC',
      'runs of 1, 2, 3 and 4 or more adverts: 1, 0, 1, 1 (a backup takes over after about 3 intervals without an advert)',
      'while another source advertised too: 7 of 10 arrived',
    ],
    cause: 'network-loss', fixContext: { deafHost: '10.0.0.2', peers: ['10.0.0.1'], multicast: '224.0.0.18', family: 4 },
    firstSeen: T + 5, lastSeen: T + 9, count: 3,
  }]);
});

test('advert loss: to an observer\'s capture, from a source of unknown wire, unicast, IPv6, no run known', () => {
  const d = delivery({ to: 'obs', toSource: null, expected: 200, arrived: 196, lost: 4, lossPercent: 2, spellCount: 0 });
  const s = addLossFindings(snapshot({ verdict: 'critical' }),
    wiresOf({ source: 'fd00::1', router: 'v6/7', destination: 'fd00::2', sent: 200, wire: null, deliveries: [d] }));
  assert.equal(s.verdict, 'critical');
  assert.deepEqual(s.findings, [{
    code: 'advert-loss', severity: 'warning', routerKey: null, vrid: 7, family: 6,
    title: '2 % of fd00::1\'s adverts are lost on the way to the capture obs',
    evidence: ['196 of 200 adverts fd00::1 sent while obs ran reached obs: 2 % lost',
      'runs of 1, 2, 3 and 4 or more adverts: 0, 0, 0, 0 (a backup takes over after about 3 intervals without an advert)'],
    cause: 'network-loss', fixContext: { deafHost: null, peers: ['fd00::1'], multicast: null, family: 6 },
    firstSeen: 0, lastSeen: 0, count: 0,
  }]);
  const one = addLossFindings(snapshot(), wiresOf({ router: 'v6/7', destination: 'ff02::12', deliveries: [lost(60, 59)] }));
  assert.equal(one.findings[0].fixContext.multicast, 'ff02::12');
  assert.equal(one.findings[0].evidence[1], '1 run of lost adverts; the longest: 1 in a row from 10:00:59.000 UTC to 10:00:59.000 UTC');
});

test('advert loss: under 1 % in runs of one advert is no finding; 1 %, or two in a row, is', () => {
  const count = (d: Delivery) => addLossFindings(snapshot(), wiresOf({ deliveries: [d] })).findings.length;
  const spell = (n: number) => ({ from: T, to: T + n - 1, adverts: n });
  assert.equal(count(delivery({ expected: 1000, arrived: 991, lost: 9, lossPercent: 0.9, spellCount: 9, longest: spell(1) })), 0);
  assert.equal(count(delivery({ expected: 1000, arrived: 991, lost: 9, lossPercent: 0.9, spellCount: 8, longest: spell(2) })), 1);
  assert.equal(count(delivery({ expected: 1000, arrived: 990, lost: 10, lossPercent: 1, spellCount: 10, longest: spell(1) })), 1);
  assert.equal(count(delivery({ expected: 1000, arrived: 995, lost: 5, lossPercent: 0.5 })), 0);
  assert.equal(count(delivery({ expected: 1000, arrived: 1000, lost: 0, lossPercent: 0 })), 0);
  assert.equal(count(delivery({ expected: 0, arrived: 0, lost: 3, lossPercent: null, longest: spell(3) })), 0);
  const s = snapshot();
  addLossFindings(s, wiresOf({ deliveries: [delivery()] }));
  assert.equal(s.verdict, 'ok');
});

test('advert loss: not added when a split brain or brief dual master of the router already names that direction', () => {
  const told = (over: Partial<Finding>, fix: Partial<Finding['fixContext']> = {}) => {
    const existing = finding({ code: 'split-brain', vrid: 99, family: 4, cause: 'network',
      fixContext: { deafHost: '10.0.0.2', peers: ['10.0.0.9', '10.0.0.1'], multicast: null, family: 4, ...fix }, ...over });
    const s = addLossFindings(snapshot({ findings: [existing] }), wiresOf({ deliveries: [LOSS] }));
    return s.findings.filter((f) => f.code === 'advert-loss').length;
  };
  assert.equal(told({}), 0);
  assert.equal(told({ code: 'brief-dual-master', cause: 'host-drop' }), 0);
  assert.equal(told({ cause: 'network-loss' }), 0);
  assert.equal(told({ code: 'no-master' }), 1);
  assert.equal(told({ cause: 'firewall-drop' }), 1);
  assert.equal(told({ vrid: 98 }), 1);
  assert.equal(told({ family: 6 }), 1);
  assert.equal(told({}, { deafHost: '10.0.0.3' }), 1);
  assert.equal(told({}, { peers: ['10.0.0.9'] }), 1);
});
