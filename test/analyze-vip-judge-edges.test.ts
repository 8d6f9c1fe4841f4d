// The judgement of who holds the virtual addresses at its edges (vip-judge.ts): a split brain that begins
// exactly VIP_CONFLICT_WINDOW after a contest's last claim (reachable with sub-second intervals only), a claim
// that comes after a contest's window but before the next judgement, which claimer a contest names as the
// other, a stale spell dated from a claim in the capture's first second or from a takeover (and the claim it
// then names), and a master that claims from two MACs (its own and the virtual MAC).
// Written from the rules of docs/analysis.md §13; each test was seen red against a hand-made mutant of the
// line it names. The common paths: test/analyze-vip-judge.test.ts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { VIP_CONFLICT_WINDOW } from '../src/analyze/timing.js';
import { contestFor } from '../src/analyze/vip-judge.js';
import { MacClaim, VipState } from '../src/analyze/vip-state.js';
import { build, garp, series, type AdvertSpec } from './support/records.js';
import { A, A_TEXT, B, Feed, MAC_A, MAC_B, MAC_X, MAC_Y, VIP, VMAC, X_TEXT, finding, run, vipFindingEvents } from './support/vip-feed.js';


test('vip-conflict: a split brain that begins exactly VIP_CONFLICT_WINDOW after a contest\'s last claim is its reason; a moment later it is not', () => {
  // VRRPv3 at 0.25 s, so that a split brain is declared (1.5 × 0.25 s after it began) before the contest's
  // last judgement (at 8 s, the first capture second more than the window after B's claim at 2 s).
  // B was master alone until A preempted it; A claims at 1 s as master, B (no longer master) at 2 s: a
  // contest with no proof yet; B advertises again from `back` on while A goes on: a split brain.
  const v3 = { version: 3 as const, interval: 0.25 };
  const at = (back: number): string[] => {
    const specs: AdvertSpec[] = [...series(B, 0, 0.5, 0.25, { ...v3, prio: 80 }), ...series(A, 0.75, 12, 0.25, v3),
      ...series(B, back, 12, 0.25, { ...v3, prio: 80 }, 10)];
    const feed = new Feed([...build(specs), garp(1, VIP, MAC_A), garp(2, VIP, MAC_B)]).all();
    feed.an.finish();
    const s = feed.snap();
    assert.equal(s.routers[0].splitBrains[0]?.start, back, 'the split brain begins with B\'s first advert back');
    return vipFindingEvents(feed.events);
  };
  assert.equal(2 + VIP_CONFLICT_WINDOW, 7);
  assert.deepEqual(at(7), ['8 10.0.0.100 is claimed by two hosts (VRID 99)']);
  assert.deepEqual(at(7.25), [], 'a split brain that begins after the window is no proof B held the address at 2 s');
});

/** 10.0.0.100, untagged, whose claims a test makes by hand. */
const newVip = (t: number): VipState => new VipState(-1, 4, 0x0a000064, 0, 0, 0, VIP, 0, t);

/** A claim of `v` by `mac` at `t` (as master or not), kept at the end of its MAC table. */
function claimBy(v: VipState, mac: [number, number], t: number, byMaster = false): MacClaim {
  const c = new MacClaim(mac[0], mac[1], t);
  c.byMaster = byMaster;
  v.macs.push(c);
  return c;
}

/** An address whose contest is judged by hand: A's claim as master at `aAt`, then whatever the test adds. */
function vipWith(aAt: number): { v: VipState; a: MacClaim } {
  const v = newVip(aAt);
  return { v, a: claimBy(v, MAC_A, aAt, true) };
}

test('contestFor: a claim later than the window after a contest\'s last claim begins a new contest, even before a judgement dropped the old one', () => {
  const { v, a } = vipWith(0);
  const x = claimBy(v, MAC_X, 1);
  contestFor(v, x, 1);
  const first = v.contest!;
  assert.deepEqual([first.intruder, first.other, first.first, first.last], [x, a, 0, 1]);
  // within the window of its last claim: the same contest goes on
  a.last = 4;
  contestFor(v, a, 4);
  assert.equal(v.contest, first);
  assert.equal(first.last, 4);
  // A claims again at 9.5 s, X at 10 s (more than the window after 4 s): no judgement ran in between
  a.last = 9.5;
  x.last = 10;
  contestFor(v, x, 10);
  assert.notEqual(v.contest, first, 'a new contest');
  assert.deepEqual([v.contest!.intruder, v.contest!.other, v.contest!.first, v.contest!.last, first.last], [x, a, 9.5, 10, 4]);
});

test('contestFor: a third MAC that claims within an ongoing contest\'s window begins a contest of its own; a claim against its intruder goes on with it', () => {
  const { v, a } = vipWith(0);
  const x = claimBy(v, MAC_X, 1);
  contestFor(v, x, 1);
  const first = v.contest!;
  // the virtual MAC (the master's: claimed as master) at 2 s contests X, the latest other claim: the same contest
  const vmac = claimBy(v, VMAC, 2, true);
  contestFor(v, vmac, 2);
  assert.deepEqual([v.contest, first.last], [first, 2]);
  // Y, a third MAC, at 3 s: its own contest, against the latest other claim (the virtual MAC's)
  const y = claimBy(v, MAC_Y, 3);
  contestFor(v, y, 3);
  assert.notEqual(v.contest, first);
  assert.deepEqual([v.contest!.intruder, v.contest!.other, v.contest!.first, first.last], [y, vmac, 2, 2]);
  assert.equal(a.last, 0);
});

test('contestFor: with no master, a claim by the contest\'s other goes on with it (the two do not swap)', () => {
  const v = newVip(1);
  const x = claimBy(v, MAC_X, 1), y = claimBy(v, MAC_Y, 2);
  contestFor(v, y, 2);
  const k = v.contest!;
  assert.deepEqual([k.intruder, k.other, k.first], [y, x, 1]);
  x.last = 3;
  contestFor(v, x, 3);
  assert.deepEqual([v.contest, k.intruder, k.last], [k, y, 3]);
});

test('contestFor: the other of a contest is the claimer that is not the intruder, whichever claimed first', () => {
  // the master claims after a MAC that is not: the earlier claimer is the intruder, the claim at hand the other
  const v = newVip(1);
  const x = claimBy(v, MAC_X, 1), a = claimBy(v, MAC_A, 3, true);
  contestFor(v, a, 3);
  assert.deepEqual([v.contest!.intruder, v.contest!.other, v.contest!.first], [x, a, 1]);
  // neither as master: the claim at hand is the intruder, the earlier claimer the other
  const w = newVip(1);
  const b = claimBy(w, MAC_A, 1), z = claimBy(w, MAC_X, 2);
  contestFor(w, z, 2);
  assert.deepEqual([w.contest!.intruder, w.contest!.other], [z, b]);
});

test('stale-neighbours: a claim in the capture\'s first second dates the spell from it, not from a later time', () => {
  // A is master from its first advert at 0 s; a MAC that sent no advert claims at 0.5 s
  const f = finding(run([...build(series(A, 0, 6, 1)), garp(0.5, VIP, MAC_X)]), 'stale-neighbours')!;
  assert.deepEqual(f.evidence, [`${X_TEXT} claimed 10.0.0.100 at 00:00:00.500 UTC while 10.0.0.1 is master: neighbours send ` +
    '10.0.0.100 there, not to the master — since 00:00:00.500 UTC (4.5 s, to the end)']);
});

test('stale-neighbours: dated from the first claim since the master\'s latest, by either of its MACs (its own, the virtual MAC)', () => {
  // A is master throughout. Y claims at 0.5 s; A claims from its virtual MAC at 1 s, from its own MAC at 2 s,
  // from the virtual MAC again at 2.5 s; X claims at 3 s: the neighbours are told X since 3 s (A's own MAC's
  // claim at 2 s was followed by the virtual MAC's, the master's too, not by another host)
  const recs = [...build(series(A, 0, 8, 1)), garp(0.5, VIP, MAC_Y), garp(1, VIP, VMAC), garp(2, VIP, MAC_A), garp(2.5, VIP, VMAC),
    garp(3, VIP, MAC_X)];
  const f = finding(run(recs), 'stale-neighbours')!;
  assert.deepEqual(f.evidence, [`${X_TEXT} claimed 10.0.0.100 at 00:00:03.000 UTC while 10.0.0.1 is master: neighbours send ` +
    '10.0.0.100 there, not to the master — since 00:00:03.000 UTC (4 s, to the end)']);
  assert.ok(!f.evidence[0].includes(A_TEXT));
});

test('stale-neighbours: a spell dated from the takeover names the last claim the neighbours heard before it, not the first', () => {
  // A is master until 3.5 s; two MACs that sent no advert claim at 2 s and 4 s; B takes over at 6.2 s and
  // claims nothing: the neighbours were last told Y (4 s), and B's spell begins at its takeover
  const specs: AdvertSpec[] = [...series(A, 0, 3.5, 1), ...series(B, 6.2, 12, 1, { prio: 80 })];
  const f = finding(run([...build(specs), garp(2, VIP, MAC_X), garp(4, VIP, MAC_Y)]), 'stale-neighbours')!;
  assert.equal(f.evidence.at(-1), '10.0.0.2 became master at 00:00:06.200 UTC and no gratuitous ARP/NA from it for 10.0.0.100 was seen since: ' +
    'the last claim was 02:77:77:77:77:77 (no advert for VRID 99 came from it) at 00:00:04.000 UTC, so neighbours still send 10.0.0.100 ' +
    'there — since 00:00:06.200 UTC (5 s, to the end)');
});
