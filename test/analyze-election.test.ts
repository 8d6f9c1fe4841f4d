// The election's notes and measurements that no shipped capture shows (src/analyze/election.ts), found
// by the mutation run of src/analyze (docs/testing.md): what a returning master's IP ID says, and when a
// failover's duration is measured (the new master's advert that made it master must be its first, or
// its first after a silence) and when it is not (it had been advertising alongside).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { series, type AdvertSpec } from './support/records.js';
import { analyse } from './support/analyze-run.js';

const A = '10.0.0.1';
const B = '10.0.0.2';

/** A master 0-6 s (IP IDs 1-6), B takes over, A comes back at 15.6 s with IP IDs from `ipId0`. */
function preemptionMessage(ipId0: number): string {
  const { events } = analyse([...series(A, 0, 6, 1), ...series(B, 8.69, 15.5, 1, { prio: 80 }), ...series(A, 15.6, 21, 1, {}, ipId0)]);
  const pre = events.filter((e) => e.type === 'preemption');
  assert.equal(pre.length, 1, events.map((e) => e.message).join('\n'));
  return pre[0]!.message;
}

test('a master back after a silence: its IP ID tells a stall, lost adverts or a restart', () => {
  assert.equal(preemptionMessage(7), `${A} (prio 100) preempted ${B} (prio 80); ${A} was silent 10.6 s and its IP ID went on from 6 to 7: it stalled (sent nothing)`);
  assert.equal(preemptionMessage(16), `${A} (prio 100) preempted ${B} (prio 80); ${A} was silent 10.6 s and its IP ID jumped 6 -> 16: 9 adverts were sent but not seen`);
  assert.equal(preemptionMessage(1), `${A} (prio 100) preempted ${B} (prio 80); ${A} was silent 10.6 s and its IP ID restarted (6 -> 1): keepalived was restarted`);
  assert.equal(preemptionMessage(6), `${A} (prio 100) preempted ${B} (prio 80); ${A} was silent 10.6 s and its IP ID is 6 again, which tells nothing (a sender that keeps one IP ID)`);
  // the IP ID wraps from 65535 to 0: one step, a stall, not a restart
  const { events } = analyse([...series(A, 0, 6, 1, {}, 65530), ...series(B, 8.69, 15.5, 1, { prio: 80 }), ...series(A, 15.6, 21, 1, {}, 0)]);
  assert.match(events.find((e) => e.type === 'preemption')!.message, /its IP ID went on from 65535 to 0: it stalled/);
});

test('failover to a backup that was master before: measured from its first advert after the silence', () => {
  // B master at first, A preempts at 2.5 s, A's last advert at 9.5 s, B back at 12.6875 s
  const { events, snap } = analyse([...series(B, 0, 3, 1, { prio: 80 }), ...series(A, 2.5, 10, 1), ...series(B, 12.6875, 16, 1, { prio: 80 }, 100)]);
  const fo = snap.routers[0]!.failovers;
  assert.deepEqual(fo.map((f) => f.kind), ['initial', 'preemption', 'failover']);
  assert.equal(fo[2]!.duration, 3.1875);
  assert.equal(fo[2]!.expected, 3.6875);
  assert.equal(events.find((e) => e.type === 'failover')!.message, `failover from ${A} to ${B} (prio 80) in 3.188 s, expected 3.688 s`);
});

test('failover to a backup that had been advertising alongside: not measured, said so', () => {
  // B starts advertising at 9.3 s while A (last advert 9 s) is still within its window: B's advert that
  // makes it master (11.3 s) is its third, so the failover's time cannot be read from it
  const { events, snap } = analyse([...series(A, 0, 10, 1), ...series(B, 9.3, 16, 1, { prio: 80 })]);
  const fo = snap.routers[0]!.failovers;
  assert.deepEqual(fo.map((f) => [f.kind, f.to, f.duration, f.expected]), [['initial', A, null, null], ['failover', B, null, null]]);
  assert.equal(events.find((e) => e.type === 'failover')!.message, `${B} (prio 80) is master now that ${A} stopped`);
});

test('time passing alone elects the backup that advertised alongside, at that time (the dashboard does not wait for its next advert)', () => {
  // A's last advert at 9 s: its advertising window (1.5 intervals) ends at 10.5 s; B advertised at 9.3 s
  const { an, events } = analyse([...series(A, 0, 10, 1), ...series(B, 9.3, 10.4, 1, { prio: 80 })], {}, false);
  an.tick(10.4);
  assert.equal(an.snapshot().routers[0]!.master, A);
  an.tick(10.6);
  assert.equal(an.snapshot().routers[0]!.master, B);
  const fo = events.filter((e) => e.type === 'failover');
  assert.equal(fo.length, 1);
  assert.equal(fo[0]!.t, 10.6);
});

test('the capture\'s first moments: a better source right after the first is the initial master, taken from the first', () => {
  const { snap } = analyse([...series(B, 0, 5, 1, { prio: 80 }), ...series(A, 0.5, 5, 1)]);
  assert.deepEqual(snap.routers[0]!.failovers, [{ t: 0.5, from: B, to: A, kind: 'initial', duration: null, expected: null }]);
});

test('weight too small: the evidence says both priorities and the weight needed; a rise or a drop to the backup\'s is not it', () => {
  const before = [...series(B, 0, 3.5, 1, { prio: 80 }), ...series(A, 3.3, 10, 1)];
  const wts = (after: AdvertSpec[]) => analyse([...before, ...after]).snap.findings.filter((f) => f.code === 'weight-too-small');
  const [f, ...more] = wts(series(A, 10, 20, 1, { prio: 90 }));
  assert.equal(more.length, 0);
  assert.deepEqual(f!.evidence, [
    `${A} advertised priority 100, then 90 (a step of 10) at 00:00:10.000 UTC`,
    `${B} advertised priority 80: a failover needs the master below 80, a weight of at least 21`,
  ]);
  assert.equal(f!.fixContext.configKey, 'weight');
  assert.deepEqual(f!.fixContext.values, { [A]: '21' });
  assert.equal(f!.firstSeen, 10);
  // down to the backup's own priority: the election moves (B's address is higher), not a weight problem
  assert.deepEqual(wts(series(A, 10, 20, 1, { prio: 80 })), []);
  // a rise is never one
  assert.deepEqual(analyse([...series(B, 0, 3.5, 1, { prio: 80 }), ...series(A, 3.3, 10, 1, { prio: 90 }), ...series(A, 10, 20, 1)]).snap.findings
    .filter((x) => x.code === 'weight-too-small'), []);
});

test('failover after a no-master period to another source: measured from the silent master\'s last advert', () => {
  // A's last advert at 4 s; B (never heard) first advertises at 10 s, past A's silence limit (4.346 s with
  // no backup known): no master from 4 s, then B's takeover, 6 s after A's last advert, expected 3.688 s
  const { events, snap } = analyse([...series(A, 0, 5, 1), ...series(B, 10, 14, 1, { prio: 80 })]);
  assert.deepEqual(snap.routers[0]!.failovers.map((f) => [f.kind, f.from, f.to, f.duration, f.expected]),
    [['initial', null, A, null, null], ['failover', A, B, 6, 3.6875]]);
  const fo = events.find((e) => e.type === 'failover')!;
  assert.equal(fo.message, `failover from ${A} to ${B} (prio 80) in 6 s, expected 3.688 s`);
  assert.equal(fo.previousMaster, A);
  // VRRPv3: the expected time is on the silent master's interval (2 s), which the backup had adopted:
  // 3 × 2 + (256 − 80) × 2 / 256 = 7.375 s
  const v3 = analyse([...series(A, 0, 9, 2, { version: 3, interval: 2 }), ...series(B, 20, 24, 1, { version: 3, prio: 80 })]);
  assert.deepEqual(v3.snap.routers[0]!.failovers.map((f) => [f.kind, f.duration, f.expected]), [['initial', null, null], ['failover', 12, 7.375]]);
});

test('graceful hand-over: expected on the resigning master\'s interval in VRRPv3; long after the resignation it is a new master', () => {
  // A (VRRPv3, every 2 s) resigns at 6 s; B (every 1 s) is master 0.4 s later: expected skew time
  // (256 − 80) × 2 / 256 = 1.375 s
  const v3 = analyse([...series(A, 0, 6, 2, { version: 3, interval: 2 }), { t: 6, src: A, prio: 0, version: 3, interval: 2, ipId: 4 },
    ...series(B, 6.4, 10, 1, { version: 3, prio: 80 })]);
  const rounded = (x: number | null) => (x === null ? null : Math.round(x * 1e9) / 1e9);
  assert.deepEqual(v3.snap.routers[0]!.failovers.map((f) => [f.kind, rounded(f.duration), f.expected]), [['initial', null, null], ['graceful', 0.4, 1.375]]);
  // B first advertises 10 s after A resigned, past A's silence limit: not a hand-over; a new master, named
  // with the one before it (there is no outage either: every node had resigned)
  const late = analyse([...series(A, 0, 5, 1), { t: 5, src: A, prio: 0, ipId: 6 }, ...series(B, 15, 18, 1, { prio: 80 })]);
  assert.deepEqual(late.snap.routers[0]!.failovers, [{ t: 15, from: A, to: B, kind: 'initial', duration: null, expected: null }]);
  assert.deepEqual(late.events.filter((e) => e.type !== 'finding').map((e) => e.type), ['new-master', 'new-master']);
  assert.equal(late.events.filter((e) => e.type === 'new-master')[1]!.previousMaster, A);
});

test('the capture\'s first moments last 1.5 of the longer interval: then a better source preempts', () => {
  // every 2 s: a better source 2.9 s after the first is still in the capture's first moments (3 s); from 3 s on it preempts
  const at = (t: number) => analyse([...series(B, 0, 8, 2, { prio: 80, interval: 2 }), ...series(A, t, 10, 2, { interval: 2 })]).snap.routers[0]!.failovers;
  assert.deepEqual(at(2.9).map((f) => f.kind), ['initial']);
  assert.deepEqual(at(3).map((f) => f.kind), ['initial', 'preemption'], 'at 3 s exactly the first moments are over');
  assert.deepEqual(at(3.1).map((f) => f.kind), ['initial', 'preemption']);
});

/** A and B take turns as master: per cycle of `period` s from k × period, A master for 6 s (last advert at
 *  5 s), B takes over 3.69 s after it (failover, at 8.69 s), A comes back at the next cycle's start and
 *  preempts B (whose last advert was 0.5 s before). */
function takingTurns(cycles: number, period: number): AdvertSpec[] {
  const specs: AdvertSpec[] = [];
  for (let k = 0; k < cycles; k++) {
    const t0 = k * period;
    specs.push(...series(A, t0, t0 + 6, 1, {}, 1 + 7 * k), ...series(B, t0 + 8.69, t0 + period - 0.5, 1, { prio: 80 }, 1 + 100 * k));
  }
  return specs;
}

test('flapping: a fifth change within the window counts again; changes further apart than the window never flap', () => {
  // changes at 8.69, 15, 23.69, 30 (the fourth: flapping, count 1), 38.69 (count 2)
  const { snap } = analyse(takingTurns(3, 15).filter((s) => s.t < 39));
  const f = snap.findings.find((x) => x.code === 'flapping')!;
  assert.deepEqual([f.count, f.firstSeen, f.lastSeen], [2, 30, 38.69]);
  // a cycle of 115 s: changes at 8.69, 115, 123.69, 230, 238.69, ...: at most three within any 120 s
  const slow = analyse(takingTurns(4, 115));
  assert.equal(slow.snap.routers[0]!.failovers.length, 8);
  assert.equal(slow.snap.findings.find((x) => x.code === 'flapping'), undefined);
});

test('at most 1,000 master changes are kept, the last ones; the totals count every one', () => {
  const { snap } = analyse(takingTurns(501, 15));
  const r = snap.routers[0]!;
  assert.equal(r.failovers.length, 1000);
  assert.deepEqual(r.totals.failovers, { failover: 501, graceful: 0, preemption: 500, initial: 1 });
  // 1,002 in all: the initial one and the first takeover (8.69 s) are gone; the first kept is A's first
  // preemption (15 s), the last B's takeover in the last cycle
  assert.deepEqual([r.failovers[0]!.kind, r.failovers[0]!.t], ['preemption', 15]);
  assert.deepEqual([r.failovers[999]!.kind, r.failovers[999]!.t], ['failover', 500 * 15 + 8.69]);
});

test('a master whose priority fell, no backup known: tracked-check-failed once the silence limit has passed, not at it', () => {
  // A falls to 90 at 4 s; the slowest takeover (priority 1, no backup heard): 3 + 255/256 + 0.25 + 0.1 s
  const limit = 3 + 255 / 256 + 0.25 + 0.1;
  const { an } = analyse([...series(A, 0, 4, 1), ...series(A, 4, 8.5, 1, { prio: 90 })], {}, false);
  an.tick(4 + limit);
  assert.deepEqual(an.snapshot().findings.map((f) => f.code), []);
  an.tick(4 + limit + 0.001);
  assert.deepEqual(an.snapshot().findings.map((f) => [f.code, f.firstSeen]), [['tracked-check-failed', 4 + limit + 0.001]]);
});

test('an advert that makes another source master: the note of the advert is its sender\'s, not new-master', () => {
  // A master; B (90) starts advertising at 5.5 s (before it hears A); A's advert at 6 s falls to 85: B wins
  // that election, on A's advert
  const { notes, snap } = analyse([...series(A, 0, 6, 1), { t: 6, src: A, prio: 85, ipId: 7 }, ...series(B, 5.5, 6.6, 1, { prio: 90 })], {}, false);
  assert.equal(snap.routers[0]!.master, B);
  // in time order: B at 5.5 s, A at 6 s (B is master now: A's advert is a contender's), B at 6.5 s
  assert.deepEqual(notes.slice(-3), ['contender', 'contender', 'master']);
});

test('a master whose priority falls twice, no backup known: judged from the second drop, titled with both', () => {
  const limit = 3 + 255 / 256 + 0.25 + 0.1;
  const { an } = analyse([...series(A, 0, 4, 1), ...series(A, 4, 6, 1, { prio: 90 }), ...series(A, 6, 10.3, 1, { prio: 80 })], {}, false);
  an.tick(6 + limit);
  assert.deepEqual(an.snapshot().findings.map((f) => f.code), [], 'a backup above 80 would take over only by 6 s + the limit');
  an.tick(6 + limit + 0.001);
  const f = an.snapshot().findings.find((x) => x.code === 'tracked-check-failed')!;
  assert.equal(f.title, `${A}'s priority fell 100 -> 80 and it stays master: a tracked check failed on the master`);
});

test('a source that resigned and advertises again within its window is not a measured takeover', () => {
  // A's last advert at 5 s; B sends priority 0 at 7 s (its keepalived stopping), then advertises at 7.5 s:
  // B became master 0.5 s after its own restart, so the time since A's last advert is no takeover time
  const { events, snap } = analyse([...series(A, 0, 6, 1), { t: 7, src: B, prio: 0 }, ...series(B, 7.5, 12, 1, { prio: 80 }, 2)]);
  assert.deepEqual(snap.routers[0]!.failovers.map((f) => [f.kind, f.to, f.duration]), [['initial', A, null], ['failover', B, null]]);
  assert.equal(events.find((e) => e.type === 'failover')!.message, `${B} (prio 80) is master now that ${A} stopped`);
});

test('a split brain long over does not hide a later takeover\'s time', () => {
  // A and B both master 0.5-9.5 s (B stops: the split brain ends at its last advert); A alone until 29 s;
  // B takes over 3.69 s after A's last advert: measured, as any takeover
  const { snap } = analyse([...series(A, 0, 30, 1), ...series(B, 0.5, 10, 1, { prio: 80 }), ...series(B, 32.6875, 36, 1, { prio: 80 }, 20)]);
  const r = snap.routers[0]!;
  assert.equal(r.splitBrains.length, 1);
  assert.equal(r.splitBrains[0]!.end, 9.5);
  const fo = r.failovers.filter((f) => f.to === B && f.kind === 'failover');
  assert.deepEqual(fo.map((f) => [f.duration, f.expected]), [[3.6875, 3.6875]]);
});

test('weight too small is not said while the backup advertises too (it is master already: a split brain)', () => {
  const { snap } = analyse([...series(A, 0, 20, 1), ...series(B, 0.5, 20, 1, { prio: 80 }).map((s) => ({ ...s, auth: 'other' })),
    ...series(A, 20, 30, 1, { prio: 90 }, 21), ...series(B, 20.5, 30, 1, { prio: 80, auth: 'other' }, 21)]);
  assert.ok(snap.findings.some((f) => f.code === 'split-brain'));
  assert.equal(snap.findings.find((f) => f.code === 'weight-too-small'), undefined);
});
