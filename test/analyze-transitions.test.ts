// Transitions that are not split brains, and the one that is: two nodes started at once (the start-up race),
// a backup that advertises as master for a moment while the master is up (brief dual master, analysis §9a).
// Through the analyzer, on synthetic adverts with real-like timings.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Analyzer } from '../src/analyze/analyzer.js';
import type { AnalysisEvent } from '../src/analyze/model.js';
import { advert, build, series, type AdvertSpec } from './support/records.js';
import { analyse, types, close, finding } from './support/analyze-run.js';

const A = '10.0.0.1';
const B = '10.0.0.2';

// Both nodes started at the same moment (hooks helper: about one run in four). Real-like timings:
// keepalived starts in BACKUP, A (100) times out after 3.609 s, B (80) after 3.6875 s, the starts a few
// tens of ms apart. The loser's first adverts cross the winner's; it drops one while it becomes master,
// sends one more advert about an interval later, hears the winner (whose echo answers that advert at
// once) and yields. The overlap lasts about one interval: a transition, not a split brain.
function startupRace(bFirst: number, aFirst: number, bAdverts: number) {
  const specs: AdvertSpec[] = [];
  for (let i = 0; i < bAdverts; i++) specs.push({ t: bFirst + i, src: B, prio: 80 });
  // A's regular adverts; it answers each of B's adverts that reaches it as master 0.3 ms later
  const bLast = bFirst + bAdverts - 1;
  let t = aFirst;
  for (; t < bLast; t += 1) specs.push({ t, src: A });
  if (bLast > aFirst) { specs.push({ t: bLast + 0.0003, src: A }); t = bLast + 1.0003; }
  for (; t < 15; t += 1) specs.push({ t, src: A });
  return specs.sort((x, y) => x.t - y.t);
}

test('start-up race: B first, A 19 ms later, B sends once more then yields: a transition', () => {
  const an = new Analyzer();
  const events: AnalysisEvent[] = [];
  an.onEvent = (e) => events.push(e);
  const states = new Set<string>();
  const recs = build(startupRace(3.590, 3.609, 2));
  let next = 36; // ticks every 0.1 s from the first advert on
  for (const r of recs) {
    const t = r.tsSec + r.tsNsec / 1e9;
    for (; next / 10 < t; next++) { an.tick(next / 10); states.add(an.snapshot().routers[0].state); }
    an.packet(r);
    states.add(an.snapshot().routers[0].state);
  }
  an.finish();
  const s = an.snapshot();
  const r = s.routers[0];
  assert.deepEqual(r.splitBrains, []);
  assert.ok(!events.some((e) => e.type.startsWith('split-brain')), types(events).join(' '));
  assert.ok(!states.has('split-brain'), [...states].join(' '));
  assert.ok(states.has('transition'));
  assert.equal(r.master, A);
  assert.equal(r.state, 'ok');
  assert.equal(s.verdict, 'ok');
});

test('start-up race: A first, B 41 ms later (had not heard it), one more advert, then yields: a transition', () => {
  const { snap } = analyse(startupRace(3.650, 3.609, 2));
  assert.deepEqual(snap.routers[0].splitBrains, []);
  assert.equal(snap.routers[0].master, A);
  assert.equal(snap.verdict, 'ok');
});

test('start-up race that does not end: B goes on advertising, a split brain from A\'s first advert', () => {
  const { snap, events } = analyse(startupRace(3.590, 3.609, 4));
  const r = snap.routers[0];
  assert.equal(r.splitBrains.length, 1);
  close(r.splitBrains[0].start, 3.609);
  assert.deepEqual(r.splitBrains[0].advertisers, [A, B]);
  // B's third advert (5.590) is past 1.5 intervals after the start: reported at A's next advert
  close(events.find((e) => e.type === 'split-brain-start')!.t, 5.609);
});

// ---- a backup that starts advertising while the master is up (analysis §9a) ----
function briefTakeover(opts: { unicast: boolean; at: number[] }): AdvertSpec[] {
  // A (100) advertises every second throughout; B (80) sends one advert at each time in `at`
  // (it missed A's adverts for longer than its master-down interval), A answers 0.3 ms later.
  const specs: AdvertSpec[] = [];
  const toB = opts.unicast ? { dst: B } : {};
  const toA = opts.unicast ? { dst: A } : {};
  for (const s of series(A, 0, 40, 1)) specs.push({ ...s, ...toB });
  for (const t of opts.at) {
    specs.push({ t, src: B, prio: 80, ...toA });
    specs.push({ t: t + 0.0003, src: A, ...toB });
  }
  return specs.sort((x, y) => x.t - y.t);
}

test('brief dual master over unicast: dual-master event, brief-dual-master finding, cause firewall-stateful', () => {
  const { snap, events } = analyse(briefTakeover({ unicast: true, at: [10.5] }));
  const dual = events.filter((e) => e.type === 'dual-master');
  assert.equal(dual.length, 1);
  close(dual[0].t, 10.5);
  assert.deepEqual([...dual[0].advertisers].sort(), [A, B]);
  close(dual[0].expected, 3.6875);
  const r = snap.routers[0];
  assert.equal(r.splitBrains.length, 0, 'one advert is no split brain');
  assert.equal(r.master, A);
  const f = finding(snap, 'brief-dual-master')!;
  assert.ok(f, snap.findings.map((x) => x.code).join(', '));
  assert.equal(f.severity, 'warning');
  assert.equal(f.cause, 'firewall-stateful');
  assert.equal(f.count, 1);
  assert.equal(f.fixContext.deafHost, B);
  assert.deepEqual(f.fixContext.peers, [A]);
  assert.equal(f.fixContext.multicast, null);
  assert.equal(snap.verdict, 'warning');
});

test('brief dual master over multicast: cause unknown, counted each time, fixed by accepting the group', () => {
  const { snap, events } = analyse(briefTakeover({ unicast: false, at: [10.5, 25.5] }));
  assert.equal(events.filter((e) => e.type === 'dual-master').length, 2);
  const f = finding(snap, 'brief-dual-master')!;
  assert.equal(f.cause, 'unknown');
  assert.equal(f.count, 2);
  assert.equal(f.evidence.filter((l) => l.includes('advertised as master from')).length, 2);
  assert.equal(f.fixContext.multicast, '224.0.0.18');
  assert.equal(snap.routers[0].splitBrains.length, 0);
});

test('no dual-master for a start-up race or a preemption', () => {
  // B starts 1 s after A: A had not been master for B's master-down interval yet
  const race = analyse([...series(A, 0, 20, 1), { t: 1.0, src: B, prio: 80 }]);
  assert.ok(!race.events.some((e) => e.type === 'dual-master'), types(race.events).join(', '));
  assert.equal(finding(race.snap, 'brief-dual-master'), undefined);
  // preemption: the newcomer is the better one
  const pre = analyse([...series(B, 0, 10.5, 1, { prio: 80 }), { t: 10.01, src: B, prio: 80 }, ...series(A, 10.005, 30, 1)]);
  assert.ok(!pre.events.some((e) => e.type === 'dual-master'), types(pre.events).join(', '));
});
