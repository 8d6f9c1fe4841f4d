// The delivery counts of the matched adverts (src/analyze/vantage/delivery-count.ts: part of the mutation part
// `vantage-matching`, docs/analysis.md §14.2), asserted on DeliveryCount directly: arrived, lost and
// dual-period adverts, loss spells, their bounds (MAX_SPELLS_KEPT) and the rounding of the loss rate.
// test/vantage.test.ts drives it end to end through the CLI, but takes some 8 s and sees it only through the
// report, so the mutation run left these rules unwatched. Every case runs in milliseconds.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DeliveryCount } from '../src/analyze/vantage/delivery-count.js';
import { MAX_SPELLS_KEPT } from '../src/analyze/vantage/limits.js';

// ================================================================ delivery counts

test('delivery: arrived, lost and the adverts of dual periods are counted apart', () => {
  const c = new DeliveryCount();
  c.add(1, true, false);
  c.add(2, false, true);
  c.add(3, true, true);
  c.add(4, false, false);
  c.close();
  const v = c.view('b', '10.0.0.2');
  assert.deepEqual(v, {
    to: 'b', toSource: '10.0.0.2', expected: 4, arrived: 2, lost: 2, lossPercent: 50, dualExpected: 2, dualArrived: 1,
    spellCount: 2, spells: [{ from: 2, to: 2, adverts: 1 }, { from: 4, to: 4, adverts: 1 }], spellsLeftOut: 0,
    longest: { from: 2, to: 2, adverts: 1 }, spellLengths: [2, 0, 0, 0],
  });
});

test('delivery: a loss spell runs from its first to its last lost advert and ends at the next arrived one', () => {
  const c = new DeliveryCount();
  c.add(1, true, false);
  for (const t of [2, 3, 4]) c.add(t, false, false);
  // still going on: not a spell yet
  assert.equal(c.spellCount, 0);
  c.add(5, true, false);
  assert.equal(c.spellCount, 1);
  assert.deepEqual(c.spells, [{ from: 2, to: 4, adverts: 3 }]);
  assert.deepEqual(c.lengths, [0, 0, 1, 0]);
  // five in a row, still going on at the end of the input: close() makes it a spell, the longest
  for (const t of [6, 7, 8, 9, 10]) c.add(t, false, false);
  c.close();
  c.close();
  assert.equal(c.spellCount, 2);
  assert.deepEqual(c.longest, { from: 6, to: 10, adverts: 5 });
  // runs of 4 and more share the last slot
  assert.deepEqual(c.lengths, [0, 0, 1, 1]);
});

test('delivery: runs of one, two, three, four and more adverts are counted by length', () => {
  const c = new DeliveryCount();
  let t = 0;
  for (const run of [1, 2, 3, 4, 2, 6]) {
    for (let i = 0; i < run; i++) c.add(t++, false, false);
    c.add(t++, true, false);
  }
  assert.deepEqual(c.lengths, [1, 2, 1, 2]);
  assert.equal(c.spellCount, 6);
  assert.equal(c.longest!.adverts, 6);
});

test('delivery: of two longest spells of equal length the first is kept', () => {
  const c = new DeliveryCount();
  c.add(1, false, false); c.add(2, false, false); c.add(3, true, false);
  c.add(4, false, false); c.add(5, false, false); c.add(6, true, false);
  assert.deepEqual(c.longest, { from: 1, to: 2, adverts: 2 });
});

test('delivery: the first MAX_SPELLS_KEPT spells are kept, further ones counted, the longest always kept', () => {
  assert.equal(MAX_SPELLS_KEPT, 16);
  const c = new DeliveryCount();
  let t = 0;
  for (let i = 0; i < 17; i++) { c.add(t++, false, false); c.add(t++, true, false); }
  assert.equal(c.spells.length, 16);
  assert.equal(c.spellsLeftOut, 1);
  assert.deepEqual(c.spells[15], { from: 30, to: 30, adverts: 1 });
  // an 18th spell, the longest: beyond the kept ones, yet kept as the longest
  c.add(t++, false, false); c.add(t++, false, false); c.add(t++, true, false);
  assert.equal(c.spellsLeftOut, 2);
  assert.equal(c.spellCount, 18);
  assert.deepEqual(c.longest, { from: 34, to: 35, adverts: 2 });
  assert.ok(!c.spells.some((s) => s.from === 34));
});

test('delivery: the loss rate is rounded to one decimal, none without expected adverts', () => {
  const rate = (lost: number, of: number): number | null => {
    const c = new DeliveryCount();
    for (let i = 0; i < of; i++) c.add(i, i >= lost, false);
    return c.view('b', null).lossPercent;
  };
  assert.equal(rate(1, 3), 33.3);
  assert.equal(rate(2, 3), 66.7);
  assert.equal(rate(1, 6), 16.7);
  assert.equal(rate(1, 8), 12.5);
  assert.equal(rate(0, 5), 0);
  assert.equal(rate(0, 0), null);
  assert.equal(new DeliveryCount().view('b', null).lost, 0);
});

test('delivery: the view is a copy (changing it changes nothing counted)', () => {
  const c = new DeliveryCount();
  c.add(1, false, false); c.add(2, true, false);
  const v = c.view('b', null);
  v.spells[0]!.adverts = 99;
  v.longest!.adverts = 99;
  v.spellLengths[0] = 99;
  assert.deepEqual(c.view('b', null).spells, [{ from: 1, to: 1, adverts: 1 }]);
  assert.deepEqual(c.view('b', null).longest, { from: 1, to: 1, adverts: 1 });
  assert.deepEqual(c.view('b', null).spellLengths, [1, 0, 0, 0]);
});
