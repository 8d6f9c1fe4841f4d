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
