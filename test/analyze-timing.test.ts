// How long a router may stay silent before "no master" (src/analyze/timing.ts silenceLimit, docs/analysis.md
// §5): the slowest takeover among the known backups — Master_Down_Interval at each one's priority, on the
// master's interval for VRRPv3 — or a priority-1 backup's when none is known, plus a quarter interval and
// 0.1 s. The no-master event prints the limit; the mutation run of src/analyze showed no test pinned it,
// nor that a source that only resigned is no backup, that a VRRPv2 backup times out on its own interval,
// or which interval the best backup's master-down interval (router, no-master event) is on.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { series, type AdvertSpec } from './support/records.js';
import { analyse } from './support/analyze-run.js';

const A = '10.0.0.1';
const B = '10.0.0.2';
const C = '10.0.0.3';

/** The limit printed by the no-master event once everything fell silent (time passes to 30 s). */
function limit(specs: AdvertSpec[]): string {
  const { an, events } = analyse(specs, {}, false);
  an.tick(30);
  const nm = events.filter((e) => e.type === 'no-master');
  assert.equal(nm.length, 1, events.map((e) => e.message).join('\n'));
  return /\(limit ([\d.]+) s\)$/.exec(nm[0]!.message)?.[1] ?? nm[0]!.message;
}

test('no backup known: a priority-1 backup\'s takeover, 3 + 255/256 + 0.25 + 0.1 s', () => {
  assert.equal(limit(series(A, 0, 10, 1)), '4.346');
});

test('one backup known (priority 80): its takeover, 3.6875 + 0.25 + 0.1 s', () => {
  assert.equal(limit([...series(B, 0, 3, 1, { prio: 80 }), ...series(A, 2.5, 10, 1)]), '4.037');
});

test('two backups known (80 and 50): the slower one, priority 50: 3 + 206/256 + 0.35 s', () => {
  assert.equal(limit([...series(C, 0, 2, 1, { prio: 50 }), ...series(B, 1.5, 3, 1, { prio: 80 }), ...series(A, 2.5, 10, 1)]), '4.155');
});

test('VRRPv3: the backup\'s takeover runs on the master\'s interval (0.5 s), not its own (1 s)', () => {
  // 3 × 0.5 + (256 − 80) × 0.5 / 256 + 0.25 × 0.5 + 0.1
  assert.equal(limit([...series(B, 0, 3, 1, { prio: 80, version: 3, interval: 1 }), ...series(A, 2.5, 10, 0.5, { version: 3, interval: 0.5 })]), '2.069');
});

test('a source that only ever resigned (priority 0) is no known backup: a priority-1 backup\'s takeover still', () => {
  // B was master when the capture began and resigned; A took over. B never advertised a priority of its own.
  assert.equal(limit([{ t: 0, src: B, prio: 0 }, ...series(A, 0.7, 10, 1)]), '4.346');
});

test('VRRPv2: the backup\'s takeover runs on its own interval (2 s), not the master\'s (1 s): 3 × 2 + 128/256 + 0.35 s', () => {
  // B (priority 128, advert_int 2) was master and went silent; A (advert_int 1) took over, then fell silent too
  assert.equal(limit([...series(B, 0, 3, 2, { prio: 128, interval: 2 }), ...series(A, 6, 10, 1)]), '6.85');
});

test('VRRPv3: the best backup\'s master-down interval (router and no-master event) is on the master\'s interval', () => {
  const specs = [...series(B, 0, 3, 1, { prio: 80, version: 3, interval: 1 }), ...series(A, 2.5, 10, 0.5, { version: 3, interval: 0.5 })];
  // 3 × 0.5 + (256 − 80) × 0.5 / 256, not 3 × 1 + (256 − 80) / 256 on B's own interval
  const { an, events, snap } = analyse(specs, {}, false);
  assert.equal(snap.routers[0]!.master, A);
  assert.equal(snap.routers[0]!.masterDownInterval, 1.84375);
  an.tick(30);
  assert.deepEqual(events.filter((e) => e.type === 'no-master').map((e) => e.expected), [1.84375]);
});
