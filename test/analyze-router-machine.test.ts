// The state machine of one virtual router (src/analyze/router-machine.ts) along the paths no shipped capture
// takes: sources told apart by every word of an IPv6 address, a resignation and the return from it (no
// priority change, no interval), gaps of zero or less (no interval), a source that resigns while it is not
// advertising (a third master, a master gone quiet, the silenced master), when a source counts as
// advertising after a resignation or after being admitted during a flood, a one-advert source removed to
// make room, a slow VRRPv3 source that still advertises while the master is long silent, and the work
// counter. Expected values come from docs/analysis.md (§1, §2, §3, §5, §9a, §12) and RFC 5798.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Analyzer } from '../src/analyze/analyzer.js';
import type { AnalysisEvent, Snapshot } from '../src/analyze/model.js';
import type { PacketRecord } from '../src/decode/packet.js';
import { advert, build, series, type AdvertSpec } from './support/records.js';
import { analyse } from './support/analyze-run.js';

const A = '10.0.0.1', B = '10.0.0.2', C = '10.0.0.3', D = '10.0.0.4', X = '10.0.0.9';

const ofType = (events: AnalysisEvent[], type: string): string[] => events.filter((e) => e.type === type).map((e) => `${e.t} ${e.message}`);
const periods = (s: Snapshot) => s.routers[0]!.splitBrains.map((p) => [p.start, p.end, p.advertisers]);

function close(actual: number | null | undefined, expected: number, what = ''): void {
  assert.ok(actual !== null && actual !== undefined && Math.abs(actual - expected) < 1e-6, `${what}: ${actual} is not ${expected}`);
}

// ------------------------------------------------------------------ sources

test('IPv6: two nodes whose addresses differ only in the second or the third 32-bit word are two sources', () => {
  // link-local EUI-64 addresses from MACs that differ only in their first three bytes (52:54:00 / 02:42:00:12:34:56):
  // the interface identifiers differ in their first half only; and unicast sources in two /64s (2001:db8:0:1:: and
  // 2001:db8:0:2::) differ in the second word only. A is master until 5 s, B takes over after its master-down interval.
  for (const [a, b] of [['fe80::5054:ff:fe12:3456', 'fe80::42:ff:fe12:3456'], ['2001:db8:0:1::2', '2001:db8:0:2::2']]) {
    const { snap } = analyse([
      ...series(a, 0, 5, 1, { version: 3, mac: [0x5254, 0x00123456] }),
      ...series(b, 8, 12, 1, { version: 3, prio: 80, mac: [0x0242, 0x00123456] }),
    ]);
    const r = snap.routers[0]!;
    assert.deepEqual(r.advertisers.map((x) => [x.ip, x.adverts, x.priority]), [[a, 5, 100], [b, 4, 80]], a);
    assert.deepEqual(r.failovers.map((f) => [f.kind, f.from, f.to]), [['initial', null, a], ['failover', a, b]], a);
  }
});

// ------------------------------------------------------------------ a resignation and the return from it

test('a master that resigns and comes back: no priority change either way, and no measured interval across the resignation', () => {
  // A advertises every second, resigns (priority 0) at 5.5 and is back at 6 with its priority 100
  const { events, snap } = analyse([...series(A, 0, 6, 1), { t: 5.5, src: A, prio: 0, ipId: 50 }, ...series(A, 6, 11, 1, {}, 60)]);
  // a resignation and a return are master changes, not a tracked check's weight step (docs/notify.md)
  assert.deepEqual(ofType(events, 'priority-change'), []);
  const a = snap.routers[0]!.advertisers[0]!;
  assert.deepEqual(a.priorityHistory.map((h) => [h.t, h.priority]), [[0, 100], [5.5, 0], [6, 100]]);
  // §1: intervals only between two adverts of priority > 0: 0..5 and 6..10, every one 1 s
  assert.equal(a.measuredInterval, 1);
  assert.equal(a.jitter, 0);
});

test('adverts of one source stamped with the same time, or an earlier time than its last one, measure no interval', () => {
  // B advertises at x.5 beside A (a split brain: B's adverts take the general path, not the master's fast path)
  const base = build([...series(A, 0, 12, 1), ...series(B, 0.5, 11, 1, { prio: 80 })]);
  const same = [...base, advert({ t: 10.5, src: B, prio: 80, ipId: 99 })];
  const earlier = [...base, advert({ t: 10.4, src: B, prio: 80, ipId: 99 })];
  for (const [what, recs] of [['same time', same], ['earlier', earlier]] as [string, PacketRecord[]][]) {
    const b = analyse(recs).snap.routers[0]!.advertisers.find((x) => x.ip === B)!;
    assert.equal(b.adverts, 12, what);
    assert.equal(b.measuredInterval, 1, what);
    assert.equal(b.jitter, 0, what);
  }
});

// ------------------------------------------------------------------ resigning while not advertising

test('three masters: the one that went quiet and then sends priority 0 does not end the split brain of the other two', () => {
  const { events, snap } = analyse([
    ...series(A, 0, 20, 1), ...series(B, 0.3, 20, 1, { prio: 80 }), ...series(C, 0.6, 10, 1, { prio: 60 }),
    { t: 12.6, src: C, prio: 0, ipId: 50 },
  ]);
  assert.deepEqual(periods(snap), [[0.3, 19.3, [A, B, C]]]);
  assert.deepEqual(ofType(events, 'split-brain-end'), [`19.3 split brain still going on when the capture ended after 19 s (${A}, ${B}, ${C})`]);
  assert.equal(snap.routers[0]!.state, 'split-brain');
  assert.deepEqual(snap.routers[0]!.advertisers.map((x) => x.role), ['master', 'contender', 'resigned']);
});

test('a master that went quiet and is then stopped (priority 0): the next master\'s own silence is still an outage', () => {
  // A stalls after 3 s, its keepalived is stopped at 4.6 (priority 0); B takes over from 5 to 10 and falls silent
  const an = new Analyzer();
  const events: AnalysisEvent[] = [];
  an.onEvent = (e) => events.push(e);
  for (const r of build([...series(A, 0, 4, 1), { t: 4.6, src: A, prio: 0, ipId: 50 }, ...series(B, 5, 11, 1, { prio: 80 })])) an.packet(r);
  an.tick(20);
  an.finish();
  const r = an.snapshot().routers[0]!;
  assert.deepEqual(r.failovers.map((f) => [f.t, f.kind, f.from, f.to]), [[0, 'initial', null, A], [5, 'graceful', A, B]]);
  // B's silence limit: A's master-down interval at priority 100, 3 + 156/256, + 0.25 + 0.1 = 3.96 s; judged at the tick
  assert.deepEqual(r.noMasters.map((p) => [p.start, p.end, p.lastMaster]), [[10, 20, B]]);
  assert.deepEqual(ofType(events, 'no-master').map((e) => e.split(' ')[0]), ['20']);
  assert.equal(r.state, 'no-master');
});

test('the silenced master resigns: the split brain ends there, and so does its quiet spell', () => {
  // B rejects A's adverts (another password), advertises once at 3.5 and stays master on the quiet (§3.1); its
  // keepalived is stopped at 8 (priority 0): one master left
  const { events, snap } = analyse([...series(A, 0, 20, 1), { t: 3.5, src: B, prio: 80, auth: 'other' }, { t: 8, src: B, prio: 0, auth: 'other', ipId: 2 }]);
  assert.deepEqual(periods(snap), [[3.5, 8, [A, B]]]);
  assert.deepEqual(ofType(events, 'split-brain-end'), [`8 split brain ended after 4.5 s (${A}, ${B})`]);
  const r = snap.routers[0]!;
  assert.equal(r.state, 'ok');
  assert.deepEqual(r.advertisers.map((x) => x.role), ['master', 'resigned']);
  const quiet = snap.findings.find((f) => f.code === 'split-brain')!.evidence.find((l) => l.startsWith(`${B} advertised as master`));
  assert.match(quiet ?? '', /sent nothing from 00:00:03\.500 UTC to 00:00:08\.000 UTC \(4\.5 s\)/);
});

// ------------------------------------------------------------------ when advertising begins

test('a source whose first advert is a resignation advertises from its next advert, not from the priority 0 one', () => {
  // B (behind a firewall dropping A's adverts) sends priority 0 at 10, then advertises beside A from 11 on
  const { snap } = analyse([...series(A, 0, 30, 1), { t: 10, src: B, prio: 0 }, ...series(B, 11, 30, 1, { prio: 50 }, 2)]);
  assert.deepEqual(periods(snap), [[11, 29, [A, B]]]);
});

/** VRID 99: A (100) advertises every `every` s from 0 to 40; the router table is full (one router) and VRID 5's
 *  advert at 10 is counted, not tracked: a flood is going on until 70 s. D (50) is new during it: its advert at
 *  20.5 is counted, the one at 21.5 repeats and is tracked; then `d` (D's further adverts, all beside A's). */
function admittedD(every: number, d: AdvertSpec[]): Snapshot {
  const extra = every === 1 ? {} : { interval: every };
  const specs: AdvertSpec[] = [...series(A, 0, 40, every, extra), { t: 10, src: X, vrid: 5 },
    { t: 20.5, src: D, prio: 50, ...extra }, { t: 21.5, src: D, prio: 50, ...extra, ipId: 1 }, ...d.map((x) => ({ ...extra, ...x }))];
  const { snap, notes } = analyse(specs, { maxRouters: 1 });
  assert.equal(notes.filter((n) => n === 'untracked').length, 2, 'X and D\'s first advert');
  assert.deepEqual(snap.limits!.admitted, { routers: 0, sources: 1 });
  return snap;
}

test('admitted during a flood: its second tracked advert within 1.5 intervals proves the first one, it advertised from there (§12)', () => {
  // D's second tracked advert 1 s after the first: advertising (and the split brain) from 21.5
  assert.deepEqual(periods(admittedD(1, series(D, 22.5, 40, 1, { prio: 50 }, 2))), [[21.5, 39.5, [A, D]]]);
  // exactly 1.5 intervals after: still within its window
  assert.deepEqual(periods(admittedD(1, series(D, 23, 40, 1, { prio: 50 }, 2))), [[21.5, 39, [A, D]]]);
  // 2 s after with 2 s intervals (the window is 3 s): the same
  assert.deepEqual(periods(admittedD(2, series(D, 23.5, 40, 2, { prio: 50 }, 2))), [[21.5, 39.5, [A, D]]]);
  // 4 s after at 1 s: a gap, the first tracked advert proves nothing; it advertises from the second
  assert.deepEqual(periods(admittedD(1, series(D, 25.5, 40, 1, { prio: 50 }, 2))), [[25.5, 39.5, [A, D]]]);
});

test('admitted during a flood, advertising, resigned and back at once: it advertises again from its return', () => {
  const d = [...series(D, 22.5, 27, 1, { prio: 50 }, 2), { t: 27, src: D, prio: 0, ipId: 20 }, ...series(D, 27.5, 40, 1, { prio: 50 }, 30)];
  assert.deepEqual(periods(admittedD(1, d)), [[21.5, 27, [A, D]], [27.5, 39.5, [A, D]]]);
});

test('a one-advert source removed to make room during a flood stops advertising: one master left, no split brain', () => {
  // room for two sources: A (100) from 17 s; C (40) sends one advert at 19.8, still advertising at 21; D's advert
  // at 20 is counted (the table is full: the flood begins), at 21 it repeats and C, flood traffic, makes room
  const { snap } = analyse([...series(A, 17, 30, 1), { t: 19.8, src: C, prio: 40 }, { t: 20, src: D, prio: 30 }, { t: 21, src: D, prio: 30, ipId: 1 }],
    { maxSources: 2 });
  assert.deepEqual(snap.limits!.evicted, { routers: 0, sources: 1 });
  const r = snap.routers[0]!;
  assert.deepEqual(r.advertisers.map((x) => [x.ip, x.role]), [[A, 'master'], [D, 'silent']]);
  assert.deepEqual(r.splitBrains, []);
  assert.equal(r.state, 'ok');
});

// ------------------------------------------------------------------ silence

test('VRRPv3: a slow source still within its window is advertising: the master\'s long silence is a failover, not an outage', () => {
  // A (100) every 1 s until 9; B (80) every 10 s from 5.5 (advert_int 10). B's window runs 15 s after each advert;
  // A's silence limit on its 1 s interval is 3 + 176/256 + 0.25 + 0.1 = 4.04 s, passed long before B's next advert
  const { snap, events } = analyse([...series(A, 0, 10, 1, { version: 3 }), ...series(B, 5.5, 30, 10, { version: 3, interval: 10, prio: 80 })]);
  const r = snap.routers[0]!;
  assert.deepEqual(r.noMasters, []);
  assert.deepEqual(ofType(events, 'no-master'), []);
  assert.deepEqual(r.failovers.map((f) => [f.t, f.kind, f.to]), [[0, 'initial', A], [15.5, 'failover', B]]);
});

test('a silence that passes the limit between the last sweep and the end of the input is judged at the end', () => {
  // VRID 1: A every 1 s until 4 (silence limit, no backup known: 3 + 255/256 + 0.25 + 0.1 = 4.346 s, passed at 8.346);
  // VRID 2: C every 0.4 s until 8.6. The sweep runs at 8.2 (4.2 s of silence), the input ends at 8.6 (4.6 s)
  const { snap } = analyse([...series(A, 0, 4.5, 1, { vrid: 1 }), ...series(C, 0.2, 8.7, 0.4, { vrid: 2, version: 3, interval: 0.4 })]);
  const r1 = snap.routers.find((r) => r.vrid === 1)!;
  assert.equal(r1.noMasters.length, 1);
  close(r1.noMasters[0]!.start, 4, 'start');
  close(r1.noMasters[0]!.end, 8.6, 'end');
  assert.equal(r1.state, 'no-master');
});

// ------------------------------------------------------------------ the work counter

test('the work counter only grows: a tick walks the sources of a router whose master advertises', () => {
  // A advertises; B and C sent one advert each long ago (three sources walked when their windows are checked)
  const an = new Analyzer();
  for (const r of build([{ t: 0, src: B, prio: 80 }, { t: 0.5, src: C, prio: 60 }, ...series(A, 10, 20, 1)])) an.packet(r);
  let before = an.work;
  for (const t of [19.2, 19.4, 19.6]) {
    an.tick(t);
    assert.ok(an.work > before, `at ${t}: ${an.work} after ${before}`);
    before = an.work;
  }
});

test('a priority drop with no backup known is judged at the end of the input too, whatever other traffic ran the last sweep', () => {
  // B's priority falls 100 -> 90 at 4.9 with no backup known; the slowest backup's takeover time (3 + 255/256 +
  // 0.25 + 0.1 = 4.346 s) has passed at 9.246, and B is still master at its last advert, 9.9: a tracked check failed.
  // An unrelated frame at 9.0 runs that second's sweep instead of B's advert: the end of the input judges it.
  for (const other of [false, true]) {
    const an = new Analyzer();
    for (const r of build([...series(B, 0.9, 4.5, 1), ...series(B, 4.9, 10, 1, { prio: 90 }, 10)])) {
      if (other && r.tsSec === 9) an.otherFrame(60, 9, 0);
      an.packet(r);
    }
    an.finish();
    const f = an.snapshot().findings.find((x) => x.code === 'tracked-check-failed');
    assert.ok(f, `other traffic at 9 s: ${other}`);
    close(f.firstSeen, 9.9, 'judged at the last advert');
  }
});
