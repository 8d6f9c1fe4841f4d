// Unit tests of whose wire each capture is (src/analyze/vantage/whose-wire.ts: part of the mutation part
// `vantage-wire`, docs/analysis.md §14.3): named after the source, marked outgoing, the capture that saw every
// advert, the timing lead over the other senders and its bounds, a capture as one host. Why: only
// test/vantage.test.ts (8 s, through the CLI) reached this file, so a changed threshold, boundary or direction
// went unnoticed or cost the whole run. The matchers are built by hand (test/support/vantage-matcher.ts) and
// the expected values follow from the rules, not from a run.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { AdvertMatcher } from '../src/analyze/vantage/advert-matcher.js';
import { whoseWires } from '../src/analyze/vantage/whose-wire.js';
import { flow, matcher, sender } from './support/vantage-matcher.js';

const US = 1e-6;

// ---------------------------------------------------------------------------------------------------
// whose-wire.ts: hand-built matchers (senders, their flows' delivery counts and their timing)

/** Time differences t(j) − t(i) of a sender's adverts on captures i < j (microseconds). */
function timed(m: AdvertMatcher, si: number, i: number, j: number, micros: number[]): void {
  for (const d of micros) m.senders.list[si].addDiff(0, i, j, d * US);
}

const ALL: [number, number][] = [[10, 10], [10, 10]];

/** The decision for 10.0.0.1 of two captures a and b, against one other sender, 10.0.0.2: the time
 *  differences (µs) of each sender's frames between the captures, as timed() stores them. */
function decideAgainstOne(own: number[], other: number[]) {
  const m = matcher(2);
  const a = sender(m, 1, '10.0.0.1');
  const r = sender(m, 2, '10.0.0.2');
  flow(m, a, '10.0.0.1', ALL);
  flow(m, r, '10.0.0.2', ALL);
  timed(m, a, 0, 1, own);
  timed(m, r, 0, 1, other);
  return whoseWires(m, ['a', 'b']).get('10.0.0.1')!;
}

test('whose wire: named after the source, marked outgoing by one capture; ARP-only senders are no source', () => {
  const m = matcher(3);
  const a = sender(m, 1, '10.0.0.1', 'fd00::1');
  const b = sender(m, 2, '10.0.0.2');
  sender(m, 3);   // ARP only
  const c = sender(m, 4, '10.0.0.4');
  m.senders.list[b].outgoing[2] = 1;
  m.senders.list[c].outgoing[0] = 3; m.senders.list[c].outgoing[1] = 1;   // two captures mark it: not told so
  flow(m, a, '10.0.0.1', [[10, 10], [10, 10], [10, 10]]);
  const w = whoseWires(m, ['x', 'fd00::1', 'z']);
  assert.deepEqual([...w.keys()], ['10.0.0.1', 'fd00::1', '10.0.0.2', '10.0.0.4']);
  assert.deepEqual(w.get('10.0.0.1'), { vp: 1, how: 'named', note: 'named after it (-r 10.0.0.1=FILE)' });
  assert.deepEqual(w.get('fd00::1'), w.get('10.0.0.1'));
  assert.deepEqual(w.get('10.0.0.2'), { vp: 2, how: 'outgoing', note: 'z marks its frames as sent by the capturing host' });
  assert.deepEqual(w.get('10.0.0.4'), { vp: null, how: null,
    note: 'cannot be told (no capture saw every advert of it); name the capture taken there -r 10.0.0.4=FILE' });
});

test('whose wire: the capture that saw every advert while another missed some, summed over the sender\'s flows', () => {
  const m = matcher(3);
  const a = sender(m, 1, '10.0.0.1');
  const b = sender(m, 2, '10.0.0.2');
  flow(m, a, '10.0.0.1', [[5, 5], [5, 5], [0, 0]]);
  flow(m, a, '10.0.0.1', [[5, 5], [5, 3], [0, 0]], { router: 'v4/98' });
  flow(m, b, '10.0.0.2', [[6, 5], [6, 6], [0, 0]]);
  // a sender of ARP only, marked outgoing on a: not a VRRP source, so no rival for a
  m.senders.list[sender(m, 3)].outgoing[0] = 1;
  const w = whoseWires(m, ['a', 'b', 'c']);
  assert.equal(w.size, 2);
  assert.deepEqual(w.get('10.0.0.1'), { vp: 0, how: 'timing', note: 'b missed 2 of its adverts' });
  assert.deepEqual(w.get('10.0.0.2'), { vp: 1, how: 'timing', note: 'a missed 1 of its adverts' });
});

test('whose wire: the capture its frames reach first, against another sender\'s frames on the same two captures', () => {
  const m = matcher(2);
  const a = sender(m, 1, '10.0.0.1');
  const b = sender(m, 2, '10.0.0.2');
  flow(m, a, '10.0.0.1', ALL);
  flow(m, b, '10.0.0.2', ALL);
  // 25 µs from either node to the other's capture, a clock offset of 1 ms between the captures
  timed(m, a, 0, 1, [1025, 1025, 1026]);
  timed(m, b, 0, 1, [975, 975, 976]);
  const w = whoseWires(m, ['a', 'b']);
  assert.deepEqual(w.get('10.0.0.1'), { vp: 0, how: 'timing', note: 'its frames reach a 50 µs before b, against 10.0.0.2\'s' });
  assert.deepEqual(w.get('10.0.0.2'), { vp: 1, how: 'timing', note: 'its frames reach b 50 µs before a, against 10.0.0.1\'s' });
});

test('whose wire: the weakest lead over the other senders is the one told', () => {
  const m = matcher(2);
  const a = sender(m, 1, '10.0.0.1');
  const r1 = sender(m, 2, '10.0.0.2');
  const r2 = sender(m, 3, '10.0.0.3');
  for (const [si, ip] of [[a, '10.0.0.1'], [r1, '10.0.0.2'], [r2, '10.0.0.3']] as const) flow(m, si, ip, ALL);
  timed(m, a, 0, 1, [25, 25, 25]);
  timed(m, r1, 0, 1, [-25, -25, -25]);
  timed(m, r2, 0, 1, [15, 15, 15]);
  const w = whoseWires(m, ['a', 'b']);
  assert.deepEqual(w.get('10.0.0.1'), { vp: 0, how: 'timing', note: 'its frames reach a 10 µs before b, against 10.0.0.3\'s' });
});

test('whose wire: a lead of exactly 2 µs counts, a smaller one is "the same moment"', () => {
  const decide = (lead: number) => decideAgainstOne([lead, lead, lead], [0, 0, 0]);
  assert.deepEqual(decide(2), { vp: 0, how: 'timing', note: 'its frames reach a 2 µs before b, against 10.0.0.2\'s' });
  assert.deepEqual(decide(1.9), { vp: null, how: null,
    note: 'cannot be told (b and a saw every advert of it at the same moment relative to 10.0.0.2\'s frames); name the capture taken there -r 10.0.0.1=FILE' });
});

test('whose wire: the lead must hold in 90 % of the pairs of frames, ties counting half', () => {
  const decide = (own: number[], other: number[]) => decideAgainstOne(own, other).vp;
  const nine = new Array<number>(9).fill(100);
  assert.equal(decide([-100, ...nine], [0, 0, 0]), 0);                        // 27 of 30 pairs: 90 %
  assert.equal(decide([-100, -100, ...nine.slice(1)], [0, 0, 0]), null);      // 24 of 30
  const ten = new Array<number>(10).fill(100);
  assert.equal(decide(ten, [0, 0, 0, 0, 100]), 0);                            // 40 later + 10 ties of 50: 90 %
  assert.equal(decide(ten, [0, 0, 0, 100, 100]), null);                       // 30 later + 20 ties of 50: 80 %
});

test('whose wire: a sender whose frames reach the other capture first, against one sender, is told against that one', () => {
  const m = matcher(2);
  const a = sender(m, 1, '10.0.0.1');
  const r1 = sender(m, 2, '10.0.0.2');
  const r2 = sender(m, 3, '10.0.0.3');
  for (const [si, ip] of [[a, '10.0.0.1'], [r1, '10.0.0.2'], [r2, '10.0.0.3']] as const) flow(m, si, ip, ALL);
  timed(m, a, 0, 1, [10, 10, 10]);
  timed(m, r1, 0, 1, [10, 10, 10]);    // the same moment as 10.0.0.1
  timed(m, r2, 0, 1, [0, 0, 0]);       // relative to it, 10.0.0.1's frames reach a first: b is not its wire
  assert.deepEqual(whoseWires(m, ['a', 'b']).get('10.0.0.1'), { vp: null, how: null,
    note: 'cannot be told (b and a saw every advert of it at the same moment relative to 10.0.0.3\'s frames); name the capture taken there -r 10.0.0.1=FILE' });
});

test('whose wire: cannot be told without another sender to time against, or with nothing to compare', () => {
  const m = matcher(3);
  const a = sender(m, 1, '10.0.0.1');
  const b = sender(m, 2, '10.0.0.2');
  flow(m, a, '10.0.0.1', [[10, 10], [10, 10], [0, 0]]);
  flow(m, b, '10.0.0.2', [[0, 0], [0, 0], [4, 4]]);
  timed(m, a, 0, 1, [5, 5]);              // two differences: too few to time
  timed(m, b, 0, 1, [0, 0, 0]);
  const w = whoseWires(m, ['a', 'b', 'c']);
  assert.deepEqual(w.get('10.0.0.1'), { vp: null, how: null,
    note: 'cannot be told (b and a saw every advert of it, with no other sender\'s frames on both to time it against); name the capture taken there -r 10.0.0.1=FILE' });
  assert.deepEqual(w.get('10.0.0.2'), { vp: null, how: null,
    note: 'cannot be told (nothing to compare); name the capture taken there -r 10.0.0.2=FILE' });
});

test('whose wire: a capture is one host: a timing claim on a capture another source holds is withdrawn', () => {
  const m = matcher(2);
  const a = sender(m, 1, '10.0.0.1');
  const b = sender(m, 2, '10.0.0.2');
  flow(m, a, '10.0.0.1', [[10, 10], [10, 8]]);
  flow(m, b, '10.0.0.2', [[10, 10], [10, 9]]);
  // named: 10.0.0.1 keeps its capture, 10.0.0.2's timing claim on it is withdrawn
  let w = whoseWires(m, ['10.0.0.1', 'b']);
  assert.deepEqual(w.get('10.0.0.1'), { vp: 0, how: 'named', note: 'named after it (-r 10.0.0.1=FILE)' });
  assert.deepEqual(w.get('10.0.0.2'), { vp: null, how: null, note: 'cannot be told: its frames and 10.0.0.1\'s both appear first on 10.0.0.1' });
  // both by timing: both claims cancel (docs/analysis.md §14.3), each naming the other
  w = whoseWires(m, ['a', 'b']);
  assert.deepEqual(w.get('10.0.0.1'), { vp: null, how: null, note: 'cannot be told: its frames and 10.0.0.2\'s both appear first on a' });
  assert.deepEqual(w.get('10.0.0.2'), { vp: null, how: null, note: 'cannot be told: its frames and 10.0.0.1\'s both appear first on a' });
});

test('whose wire: a capture that missed adverts is never its wire, even when every capture missed some', () => {
  // the adverts were lost before any capture saw them (on the source's own host, or both captures are remote)
  const m = matcher(2);
  const a = sender(m, 1, '10.0.0.1');
  flow(m, a, '10.0.0.1', [[10, 9], [10, 8]]);
  assert.deepEqual(whoseWires(m, ['a', 'b']).get('10.0.0.1'), { vp: null, how: null,
    note: 'cannot be told (no capture saw every advert of it); name the capture taken there -r 10.0.0.1=FILE' });
});

test('whose wire: the note names every other capture that missed some of its adverts', () => {
  const m = matcher(3);
  const a = sender(m, 1, '10.0.0.1');
  flow(m, a, '10.0.0.1', [[10, 10], [10, 8], [10, 9]]);
  assert.deepEqual(whoseWires(m, ['a', 'b', 'c']).get('10.0.0.1'),
    { vp: 0, how: 'timing', note: 'b missed 2 of its adverts; c missed 1 of its adverts' });
});

test('whose wire: a host that sent only ARP serves to time against, and is named "another host"', () => {
  const m = matcher(2);
  const a = sender(m, 1, '10.0.0.1');
  const gateway = sender(m, 2);   // ARP only: no advert, so no source address to name it by
  flow(m, a, '10.0.0.1', ALL);
  timed(m, a, 0, 1, [50, 50, 50]);
  for (const d of [0, 0, 0]) m.senders.list[gateway].addDiff(1, 0, 1, d * US);
  assert.deepEqual(whoseWires(m, ['a', 'b']).get('10.0.0.1'),
    { vp: 0, how: 'timing', note: 'its frames reach a 50 µs before b, against another host\'s' });
});

test('whose wire: the lead is the median\'s, whether the count of frames is odd or even: one late frame does not inflate it', () => {
  const lead = (own: number[]) => decideAgainstOne(own, [0, 0, 0]).note;
  // a frame held 1 ms in a queue on its way to b
  assert.equal(lead([25, 1000, 25]), 'its frames reach a 25 µs before b, against 10.0.0.2\'s');
  // even: the mean of the two middle ones, (24 + 26) / 2
  assert.equal(lead([1000, 26, 20, 24]), 'its frames reach a 25 µs before b, against 10.0.0.2\'s');
});

// Against which sender "the same moment" is told when a capture cannot be told its wire. Seen from b, the last
// capture tried (its note is the one kept): the time differences t(a) − t(b) of each sender's frames, stored as
// the pair (a, b) keeps them, t(b) − t(a). When, relative to a sender's frames, 10.0.0.1's reach a earlier by
// 2 µs or more (the medians) and in 90 % of the pairs, b is clearly not its wire and that sender is named;
// otherwise the first sender of the weakest lead (here 10.0.0.2, at the same moment) is.
function namedAgainst(own: number[], ...references: number[][]): string {
  const m = matcher(2);
  const a = sender(m, 1, '10.0.0.1');
  flow(m, a, '10.0.0.1', ALL);
  timed(m, a, 0, 1, own.map((d) => -d));
  references.forEach((other, n) => {
    const ip = `10.0.0.${n + 2}`;
    const r = sender(m, n + 2, ip);
    flow(m, r, ip, ALL);
    timed(m, r, 0, 1, other.map((d) => -d));
  });
  const note = whoseWires(m, ['a', 'b']).get('10.0.0.1')!.note;
  const named = /relative to (\S+)'s frames/.exec(note);
  assert.ok(named !== null, note);
  return named[1];
}

test('whose wire: against which sender "the same moment" is told: the one its frames clearly reach the other capture first against', () => {
  const zeros = new Array<number>(10).fill(0);
  const same = [0, 0, 0];
  // 1 µs, in every pair: consistent, yet under the 2 µs a difference needs
  assert.equal(namedAgainst(zeros, same, [1, 1, 1], [10, 10, 10]), '10.0.0.4');
  // 5 µs by the medians, yet 10.0.0.1's frame is the earlier one on a in only 20 of the 30 pairs
  assert.equal(namedAgainst(zeros, same, [-100, 5, 5], [10, 10, 10]), '10.0.0.4');
  // exactly 2 µs in every pair is a difference
  assert.equal(namedAgainst(zeros, same, [2, 2, 2]), '10.0.0.3');
  // nothing clear: the first of the weakest
  assert.equal(namedAgainst(zeros, same, [1, 1, 1]), '10.0.0.2');
});

test('whose wire: 90 % of the pairs the other way is clear, as 90 % is a lead (1 − 0.9 is not 0.1 in floating point)', () => {
  // one of its ten frames 20 µs late on a: relative to 10.0.0.3's, later on a in 3 of the 30 pairs, earlier in 27
  const ownOneLate = [0, 0, 0, 0, 0, 0, 0, 0, 0, 20];
  assert.equal(namedAgainst(ownOneLate, [0, 0, 0], [10, 10, 10]), '10.0.0.3');
});
