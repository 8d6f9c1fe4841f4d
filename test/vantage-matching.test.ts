// Matching the adverts of several captures, their clocks' offset and the delivery counts
// (src/analyze/vantage/advert-matcher.ts, clock-offset.ts, delivery-count.ts, limits.ts: the mutation part
// `vantage-matching`, docs/analysis.md §14.1–14.2), asserted on the exported classes and functions directly.
// test/vantage.test.ts drives them end to end through the CLI, but takes some 8 s and sees them only through
// the report, so the mutation run left their rules unwatched: the ±2 ms cluster window and its bounds, the 3
// pairs and "twice as many as any other window", the 12 h / 32768-interval limit on IP ID pairs, samples
// whose IP ID stride doubled, the IPv6 path without IP ID (±0.1 ms, 1 h search, checksums), the spanning tree
// of the captures and its sign, the notes and the refusals; the 0.25 s match window, 0.4 of the interval, 50 ms for ARP, 2 ms duplicates on one
// capture, a capture's span, dual periods and takeovers, the bounds (MAX_FLOWS, MAX_PENDING), the senders'
// time differences; loss spells, their bounds and the rounding of the loss rate. Every case runs in
// milliseconds. Times are binary fractions where a boundary is tested, so that the arithmetic is exact.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Kind, Reject, type PacketRecord } from '../src/decode/packet.js';
import { DeliveryCount } from '../src/analyze/vantage/delivery-count.js';
import { alignClocks, day, densest, measurePair, type Alignment } from '../src/analyze/vantage/clock-offset.js';
import { AdvertMatcher, type Flow } from '../src/analyze/vantage/advert-matcher.js';
import { Survey, sourceHash, type SourceSample } from '../src/analyze/vantage/survey.js';
import { MAX_FLOWS, MAX_PENDING, MAX_SPELLS_KEPT } from '../src/analyze/vantage/limits.js';
import { advert, arp, icmpError, rejectRec, v4, type AdvertSpec } from './support/records.js';

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

// ================================================================ the densest window of differences

test('densest: a window is 2 × half wide, both ends included', () => {
  // 0.004 − 0 is exactly 2 × 0.002: inside
  assert.deepEqual(densest([0, 0.001, 0.004, 0.010], 0.002), { lo: 0, hi: 0.004, count: 3, second: 1 });
});

test('densest: of equally dense windows the first wins; the others count as second', () => {
  assert.deepEqual(densest([0, 1, 2], 0.002), { lo: 0, hi: 0, count: 1, second: 1 });
});

test('densest: only windows clear of the best one by a whole window width count as second', () => {
  // above: a window starting exactly hi + 2 × half is not clear of the best
  assert.deepEqual(densest([0, 0.125, 0.125, 0.625], 0.25), { lo: 0, hi: 0.125, count: 3, second: 0 });
  assert.deepEqual(densest([0, 0.125, 0.125, 0.75], 0.25), { lo: 0, hi: 0.125, count: 3, second: 1 });
  // below: a window ending exactly lo − 2 × half is not clear either
  assert.deepEqual(densest([-0.75, -0.5, 0, 0.125, 0.125], 0.25), { lo: 0, hi: 0.125, count: 3, second: 0 });
  assert.deepEqual(densest([-0.875, -0.625, 0, 0.125, 0.125], 0.25), { lo: 0, hi: 0.125, count: 3, second: 2 });
});

// ================================================================ the offset between two captures

const SOURCE_IP = '10.0.0.1';

/** One source's sample: by default 10.0.0.1 with MAC 02:00:00:00:00:01, IP IDs sampled with stride 1. */
function sample(o: Partial<SourceSample> & { ids: number[]; times: number[] }): SourceSample {
  return {
    src: SOURCE_IP, family: 4, macHi: 0x0200, macLo: 1, w0: v4(SOURCE_IP), w1: 0, w2: 0, w3: 0, adverts: o.ids.length, interval: 1,
    routers: ['v4/99'], sums: o.ids.map(() => 0), stride: 1, ...o,
  };
}

/** A capture's survey holding these samples; its span from their times unless given. */
function surveyOf(samples: SourceSample[], o: { routers?: string[]; first?: number; last?: number; key?: (s: SourceSample) => number } = {}): Survey {
  const s = new Survey();
  for (const x of samples) {
    s.sources.set(o.key ? o.key(x) : sourceHash(x.family, x.w0, x.w1, x.w2, x.w3, x.macHi, x.macLo), x);
    s.adverts += x.adverts;
  }
  const times = samples.flatMap((x) => x.times);
  s.first = o.first ?? (times.length > 0 ? Math.min(...times) : null);
  s.last = o.last ?? (times.length > 0 ? Math.max(...times) : null);
  for (const r of o.routers ?? samples.flatMap((x) => x.routers)) s.routers.add(r);
  return s;
}

/** Captures a and b of one source: IP ID i + 1 at time `at + i` on a, `at + i + diffs[i]` on b. */
function pairOf(diffs: number[], o: { at?: number; interval?: [number, number] } = {}): [Survey, Survey] {
  const at = o.at ?? 0;
  const ids = diffs.map((_, i) => i + 1);
  const a = sample({ ids, times: ids.map((_, i) => at + i), interval: o.interval?.[0] ?? 1 });
  const b = sample({ ids, times: ids.map((_, i) => at + i + diffs[i]!), interval: o.interval?.[1] ?? 1 });
  return [surveyOf([a]), surveyOf([b])];
}

const measured = (offset: number, pairs: number, spread: number) => ({ kind: 'measured', m: { offset, pairs, spread } });

test('offset: three adverts with the same IP ID and checksum give the median and the spread', () => {
  // 2.5 s, 2.5 s + 2^-10, 2.5 s − 2^-11: all within ±2 ms
  const [a, b] = pairOf([2.5, 2.5 + 2 ** -10, 2.5 - 2 ** -11]);
  assert.deepEqual(measurePair(a, b), measured(2.5, 3, 2 ** -10));
  // the other way round: the same offset, negative
  assert.deepEqual(measurePair(b, a), measured(-2.5, 3, 2 ** -10));
});

test('offset: an even number of pairs: the mean of the two middle ones', () => {
  const [a, b] = pairOf([2.5, 2.5, 2.5 + 2 ** -10, 2.5 + 2 ** -9]);
  // median 2.5 + 2^-11; deviations 2^-11 (×3), 3 × 2^-11
  assert.deepEqual(measurePair(a, b), measured(2.5 + 2 ** -11, 4, 3 * 2 ** -11));
});

test('offset: the spread is the deviation 90 % of the pairs stay within', () => {
  // 20 pairs: 18 at 2.5 s, one 2^-10 later, one 2^-9 later: the 19th smallest deviation
  const [a, b] = pairOf([...new Array<number>(18).fill(2.5), 2.5 + 2 ** -10, 2.5 + 2 ** -9]);
  assert.deepEqual(measurePair(a, b), measured(2.5, 20, 2 ** -10));
});

test('offset: fewer than 3 pairs in the densest window is not a measure', () => {
  const [a, b] = pairOf([2.5, 2.5]);
  assert.deepEqual(measurePair(a, b), { kind: 'ambiguous', best: 2, second: 0, byId: true });
});

test('offset: the densest window must hold twice as many pairs as any other (a restarted keepalived scatters)', () => {
  // 4 pairs at 2.5 s, 2 at 7.5 s (IP IDs counted again from 1): 4 ≥ 2 × 2, the 7.5 s pairs left out
  let [a, b] = pairOf([2.5, 2.5, 2.5, 2.5, 7.5, 7.5]);
  assert.deepEqual(measurePair(a, b), measured(2.5, 4, 0));
  [a, b] = pairOf([2.5, 2.5, 2.5, 7.5, 7.5]);
  assert.deepEqual(measurePair(a, b), { kind: 'ambiguous', best: 3, second: 2, byId: true });
});

test('offset: pairs more than 2 ms from the others are another window', () => {
  const [a, b] = pairOf([2.5, 2.5 + 2 ** -8, 2.5 + 2 ** -7]);
  // 2^-8 = 3.9 ms: within the 4 ms window of its neighbours, not of the first; 2^-7 = 7.8 ms apart from it
  assert.deepEqual(measurePair(a, b), { kind: 'ambiguous', best: 2, second: 0, byId: true });
});

test('offset: the same IP ID with another checksum is not the same advert', () => {
  const ids = [1, 2, 3];
  const a = surveyOf([sample({ ids, times: [0, 1, 2] })]);
  const b = surveyOf([sample({ ids, times: [2.5, 3.5, 4.5], sums: [1, 1, 1] })]);
  assert.deepEqual(measurePair(a, b), { kind: 'disjoint' });
  const c = surveyOf([sample({ ids, times: [2.5, 3.5, 4.5], sums: [0, 1, 0] })]);
  assert.deepEqual(measurePair(a, c), { kind: 'ambiguous', best: 2, second: 0, byId: true });
});

test('offset: no source in common is unrelated; a source in common but no advert in common is disjoint', () => {
  const a = surveyOf([sample({ ids: [1, 2, 3], times: [0, 1, 2] })]);
  const other = surveyOf([sample({ ids: [1, 2, 3], times: [0, 1, 2], src: '10.0.0.2', w0: v4('10.0.0.2'), macLo: 2 })]);
  assert.deepEqual(measurePair(a, other), { kind: 'unrelated' });
  const later = surveyOf([sample({ ids: [5001, 5002, 5003], times: [7200, 7201, 7202] })]);
  assert.deepEqual(measurePair(a, later), { kind: 'disjoint' });
});

test('offset: a source is the same only when family, every address word and the MAC agree', () => {
  const base = sample({ ids: [1, 2, 3], times: [0, 1, 2] });
  const a = surveyOf([base], { key: () => 7 });
  assert.deepEqual(measurePair(a, surveyOf([{ ...base, times: [1, 2, 3] }], { key: () => 7 })), measured(1, 3, 0));
  for (const field of ['family', 'w0', 'w1', 'w2', 'w3', 'macHi', 'macLo'] as const) {
    // the same key (a hash collision), one field different
    const b = surveyOf([{ ...base, times: [1, 2, 3], [field]: base[field] + 1 }], { key: () => 7 });
    assert.deepEqual(measurePair(a, b), { kind: 'unrelated' }, field);
  }
});

test('offset: IP IDs repeat after 65536 adverts: pairs 32768 intervals apart or more are not considered', () => {
  // 1 s adverts: ±32768 s is the limit, excluded
  assert.deepEqual(measurePair(...pairOf([32767, 32767, 32767])), measured(32767, 3, 0));
  assert.deepEqual(measurePair(...pairOf([32768, 32768, 32768])), { kind: 'disjoint' });
  assert.deepEqual(measurePair(...pairOf([-32767, -32767, -32767])), measured(-32767, 3, 0));
  assert.deepEqual(measurePair(...pairOf([-32768, -32768, -32768])), { kind: 'disjoint' });
  // the shorter interval of the two captures' sets the limit
  assert.deepEqual(measurePair(...pairOf([40000, 40000, 40000], { interval: [1, 2] })), { kind: 'disjoint' });
  assert.deepEqual(measurePair(...pairOf([40000, 40000, 40000], { interval: [2, 2] })), measured(40000, 3, 0));
});

test('offset: and never more than 12 hours, whatever the interval', () => {
  assert.deepEqual(measurePair(...pairOf([43199, 43199, 43199], { interval: [2, 2] })), measured(43199, 3, 0));
  assert.deepEqual(measurePair(...pairOf([43200, 43200, 43200], { interval: [2, 2] })), { kind: 'disjoint' });
  assert.deepEqual(measurePair(...pairOf([-43200, -43200, -43200], { interval: [2, 2] })), { kind: 'disjoint' });
});

test('offset: a sample whose stride doubled pairs with the other capture\'s on the IP IDs both kept', () => {
  // a kept every IP ID, b (longer) only the even ones
  const a = surveyOf([sample({ ids: [1, 2, 3, 4, 5, 6, 7], times: [0, 1, 2, 3, 4, 5, 6] })]);
  const b = surveyOf([sample({ ids: [2, 4, 6], times: [3, 5, 7], stride: 2 })]);
  assert.deepEqual(measurePair(a, b), measured(2, 3, 0));
  assert.deepEqual(measurePair(b, a), measured(-2, 3, 0));
});

test('offset: a long capture (its stride doubled) and a short one pair on the IP IDs both kept', () => {
  const survey = (from: number, to: number, clock: number): Survey => {
    const s = new Survey();
    for (let id = from; id <= to; id++) {
      const t = T + id + clock;
      s.frame(t);
      s.advert(advert({ t, src: SOURCE_IP, ipId: id }), t);
    }
    return s;
  };
  // 1000 adverts: full at 512, then every other IP ID; 300 adverts: every one
  const a = survey(1, 1000, 0), b = survey(301, 600, 2.5);
  assert.deepEqual([[...a.sources.values()][0]!.stride, [...b.sources.values()][0]!.stride], [2, 1]);
  // the even IP IDs from 302 to 600
  assert.deepEqual(measurePair(a, b), measured(2.5, 150, 0));
});

/** An IPv6 source (no IP ID: stride 0) with these advert times and checksums. */
function v6Sample(times: number[], sums?: number[]): SourceSample {
  return sample({ src: 'fe80::1', family: 6, w0: 0xfe800000, w3: 1, ids: times.map(() => -1), times, sums: sums ?? times.map(() => 0), stride: 0, routers: ['v6/7'] });
}

// an advert timer's own irregularity (binary fractions)
const IRREGULAR = [0, 1.0078125, 2.015625, 2.9921875];

test('offset without IP ID: every advert pairs with every other; only the true offset gathers them within ±0.1 ms', () => {
  const a = surveyOf([v6Sample(IRREGULAR)]);
  const b = surveyOf([v6Sample(IRREGULAR.map((t) => t + 5))]);
  // pairs at 5 (×4); of the others only 5 + 1.0078125 twice
  assert.deepEqual(measurePair(a, b), measured(5, 4, 0));
});

test('offset without IP ID: pairs 0.5 ms apart do not gather (the window is ±0.1 ms, not ±2 ms)', () => {
  const a = surveyOf([v6Sample(IRREGULAR)]);
  const b = surveyOf([v6Sample(IRREGULAR.map((t, i) => t + 5 + [0, 2 ** -11, 2 ** -10, 0][i]!))]);
  assert.deepEqual(measurePair(a, b), { kind: 'ambiguous', best: 2, second: 1, byId: false });
});

test('offset without IP ID: a timer regular to the microsecond fits several offsets', () => {
  const a = surveyOf([v6Sample([0, 1, 2, 3])]);
  const b = surveyOf([v6Sample([5, 6, 7, 8])]);
  // differences 5 (×4), 4 and 6 (×3 each) ...: 4 is not twice 3
  assert.deepEqual(measurePair(a, b), { kind: 'ambiguous', best: 4, second: 3, byId: false });
  // the checksums tell the adverts apart: only the true pairs remain
  const c = surveyOf([v6Sample([0, 1, 2, 3], [1, 2, 3, 4])]);
  const d = surveyOf([v6Sample([5, 6, 7, 8], [1, 2, 3, 4])]);
  assert.deepEqual(measurePair(c, d), measured(5, 4, 0));
});

test('offset without IP ID: adverts are searched up to an hour either way', () => {
  // three adverts whose gaps all differ
  const times = [0, 1.0078125, 2.9921875];
  const hour = (sign: number, extra: number) => measurePair(surveyOf([v6Sample(times)]), surveyOf([v6Sample(times.map((t) => t + sign * (3600 + extra)))]));
  assert.deepEqual(hour(1, 0), measured(3600, 3, 0));
  assert.deepEqual(hour(-1, 0), measured(-3600, 3, 0));
  // an hour and a half second: only the pairs of different adverts within the hour are left
  assert.deepEqual(hour(1, 0.5), { kind: 'ambiguous', best: 1, second: 1, byId: false });
});

test('offset: a source sending a constant IP ID (stride 0 on one capture) is matched by time as without IP ID', () => {
  // b's sample never filled, so it still holds the constant IP ID 0 with stride 1
  const a = surveyOf([sample({ ids: [-1, -1, -1, -1], times: IRREGULAR, stride: 0 })]);
  const b = surveyOf([sample({ ids: [0, 0, 0, 0], times: IRREGULAR.map((t) => t + 5), stride: 1 })]);
  assert.deepEqual(measurePair(a, b), measured(5, 4, 0));
  assert.deepEqual(measurePair(b, a), measured(-5, 4, 0));
});

test('offset: pairs with IP IDs outweigh pairs without, whatever their number', () => {
  const a = surveyOf([sample({ ids: [1, 2, 3], times: [0, 1, 2] }), v6Sample(IRREGULAR)]);
  const b = surveyOf([sample({ ids: [1, 2, 3], times: [2.5, 3.5, 4.5] }), v6Sample(IRREGULAR.map((t) => t + 7))]);
  assert.deepEqual(measurePair(a, b), measured(2.5, 3, 0));
});

// ================================================================ tying the captures' clocks

const T = 1_800_000_000; // 2027-01-15 08:00:00 UTC

/** Survey of source `ip` (last byte = MAC) with these IP IDs, IP ID n at time T + n + clock. */
function idsSurvey(ids: number[], clock: number, ip = SOURCE_IP, routers?: string[]): Survey {
  const w0 = v4(ip);
  return surveyOf([sample({ src: ip, w0, macLo: w0 & 255, ids, times: ids.map((n) => T + n + clock) })], { routers });
}

const okAlign = (r: ReturnType<typeof alignClocks>): Alignment => {
  assert.ok(r.ok, r.ok ? '' : r.message);
  return r;
};

test('clocks: the second capture is tied to the first by the measured offset, said when 1 ms or more', () => {
  const r = okAlign(alignClocks(['a', 'b'], [idsSurvey([1, 2, 3], 0), idsSurvey([1, 2, 3], 2.5)]));
  assert.deepEqual(r, {
    ok: true, offsets: [0, -2.5], how: ['reference', 'measured'], against: [null, 0], pairs: [0, 3], spread: [null, 0],
    notes: ["b's clock is 2.5 s ahead of a's"],
  });
  const behind = okAlign(alignClocks(['a', 'b'], [idsSurvey([1, 2, 3], 2.5), idsSurvey([1, 2, 3], 0)]));
  assert.deepEqual([behind.offsets, behind.notes], [[0, 2.5], ["b's clock is 2.5 s behind a's"]]);
});

test('clocks: an offset under 1 ms is not noted; exactly 1 ms is', () => {
  const at = (clock: number) => okAlign(alignClocks(['a', 'b'], [
    surveyOf([sample({ ids: [1, 2, 3], times: [0, 0, 0] })]), surveyOf([sample({ ids: [1, 2, 3], times: [clock, clock, clock] })])]));
  assert.deepEqual(at(2 ** -10).notes, []);
  assert.deepEqual(at(0.001).notes, ["b's clock is 0.001 s ahead of a's"]);
  assert.deepEqual(at(2 ** -9).notes, ["b's clock is 0.001953 s ahead of a's"]);
});

test('clocks: each capture is tied through the pair with the most matched adverts (a spanning tree)', () => {
  // a–b 3 adverts in common, a–c 5, b–c 4: c tied to a, then b to c (the pair the other way round)
  const r = okAlign(alignClocks(['a', 'b', 'c'], [
    idsSurvey([1, 2, 3, 4, 5, 6], 0), idsSurvey([4, 5, 6, 7, 8, 9, 10], 1), idsSurvey([1, 2, 3, 4, 5, 7, 8], 2)]));
  assert.deepEqual([r.offsets, r.how, r.against, r.pairs, r.spread], [[0, -1, -2], ['reference', 'measured', 'measured'], [null, 2, 0], [0, 4, 5], [null, 0, 0]]);
  assert.deepEqual(r.notes, ["b's clock is 1 s ahead of a's", "c's clock is 2 s ahead of a's"]);
});

test('clocks: of two pairs with as many matched adverts the first found is taken', () => {
  // a–b 4, a–c 4, b–c 6: b tied to a first, then c to b
  const r = okAlign(alignClocks(['a', 'b', 'c'], [
    idsSurvey([1, 2, 3, 4, 5, 6, 7, 8], 0), idsSurvey([1, 2, 3, 4, 11, 12, 13, 14, 15, 16], 1), idsSurvey([5, 6, 7, 8, 11, 12, 13, 14, 15, 16], 3)]));
  assert.deepEqual([r.offsets, r.against, r.pairs], [[0, -1, -3], [null, 0, 1], [0, 4, 6]]);
});

test('clocks: a router in common but no source (each node hears only itself) is read on its own clock, said so', () => {
  // spans touch: b starts the second a ends
  const r = okAlign(alignClocks(['a', 'b'], [idsSurvey([0, 1, 2], 0), idsSurvey([2, 3, 4], 0, '10.0.0.2')]));
  assert.deepEqual(r, {
    ok: true, offsets: [0, 0], how: ['reference', 'assumed'], against: [null, 0], pairs: [0, 0], spread: [null, null],
    notes: ['b and a saw no advert in common (each saw other sources of the same virtual router): their clocks cannot be compared, so b is read on its own clock'],
  });
  // b ends the second a starts
  const before = okAlign(alignClocks(['a', 'b'], [idsSurvey([2, 3, 4], 0), idsSurvey([0, 1, 2], 0, '10.0.0.2')]));
  assert.deepEqual(before.how, ['reference', 'assumed']);
});

test('clocks: a capture read on its own clock can tie another one in turn', () => {
  // b overlaps only c, c only a: c is tied first, then b through c
  const r = okAlign(alignClocks(['a', 'b', 'c'], [
    idsSurvey([0, 10], 0), idsSurvey([15, 30], 0, '10.0.0.2'), idsSurvey([5, 20], 0, '10.0.0.3')]));
  assert.deepEqual([r.how, r.against], [['reference', 'assumed', 'assumed'], [null, 2, 0]]);
  assert.deepEqual(r.notes.map((n) => n.slice(0, 7)), ['c and a', 'b and c']);
});

test('clocks: a capture read on its own clock takes the offset of the one it is tied to', () => {
  // b measured 1 s ahead of a; c shares the router with b only, overlapping it
  const r = okAlign(alignClocks(['a', 'b', 'c'], [
    idsSurvey([1, 2, 3], 0, SOURCE_IP, ['v4/99']), idsSurvey([1, 2, 3], 1, SOURCE_IP, ['v4/99', 'v4/5']), idsSurvey([1, 2, 3], 1, '10.0.0.3', ['v4/5'])]));
  assert.deepEqual([r.offsets, r.how, r.against], [[0, -1, -1], ['reference', 'measured', 'assumed'], [null, 0, 1]]);
});

const span = (from: number, to: number) => `2027-01-15 08:00:${String(from).padStart(2, '0')}.000 UTC to 2027-01-15 08:00:${String(to).padStart(2, '0')}.000 UTC`;

test('clocks: no overlap in time and no source in common: one line with both spans', () => {
  const r = alignClocks(['a', 'b'], [idsSurvey([0, 1, 2], 0), idsSurvey([10, 11, 12], 0, '10.0.0.2')]);
  assert.deepEqual(r, { ok: false, message: `b and a do not overlap in time (a ${span(0, 2)}, b ${span(10, 12)}, each on its own clock; no advert in common); read them one at a time` });
});

test('clocks: the same source but never the same advert is not read on its own clock, even when the spans overlap', () => {
  // a restarted keepalived (IP IDs from 5001) or clocks hours apart: the spans on the captures' own clocks overlap
  const r = alignClocks(['a', 'b'], [idsSurvey([0, 1, 2], 0), idsSurvey([5000, 5001, 5002], -4999)]);
  assert.equal(r.ok, false);
  assert.match(r.ok ? '' : r.message, /^b and a do not overlap in time: they saw the same sources but never the same advert/);
});

test('clocks: the same sources but never the same advert: taken at different times', () => {
  const r = alignClocks(['a', 'b'], [idsSurvey([0, 1, 2], 0), idsSurvey([5000, 5001, 5002], 2200)]);
  assert.deepEqual(r, { ok: false, message: 'b and a do not overlap in time: they saw the same sources but never the same advert ' +
    '(a 2027-01-15 08:00:00.000 UTC to 2027-01-15 08:00:02.000 UTC, b 2027-01-15 10:00:00.000 UTC to 2027-01-15 10:00:02.000 UTC, each on its own clock); ' +
    'read them one at a time' });
});

test('clocks: no virtual router in common: unrelated segments, their routers named', () => {
  let r = alignClocks(['a', 'b'], [idsSurvey([0, 1, 2], 0), idsSurvey([0, 1, 2], 0, '10.0.0.2', ['v4/51'])]);
  assert.deepEqual(r, { ok: false, message: 'b has no virtual router in common with the other captures (VRID 51 against VRID 99): captures of unrelated segments are not read together' });
  r = alignClocks(['a', 'b', 'c'], [idsSurvey([1, 2, 3], 0), idsSurvey([1, 2, 3], 1, SOURCE_IP, ['v4/99', 'v6/7']), idsSurvey([1, 2, 3], 0, '10.0.0.3', [])]);
  assert.deepEqual(r, { ok: false, message: 'c has no virtual router in common with the other captures (no router against VRID 99; VRID 99, VRID 7 (IPv6)): captures of unrelated segments are not read together' });
});

test('clocks: adverts without IP ID whose timing fits several offsets cannot be aligned', () => {
  // their spans overlap: still not read on their own clocks
  const r = alignClocks(['a', 'b'], [surveyOf([v6Sample([0, 1, 2, 3])]), surveyOf([v6Sample([2, 3, 4, 5])])]);
  assert.deepEqual(r, { ok: false, message: 'the clocks of b and the other captures cannot be aligned: the adverts both saw carry no IP ID ' +
    'and their timing fits several offsets (4 against 3 matches); read the captures one at a time' });
});

test('clocks: adverts with IP ID that cannot be aligned are not said to carry none', () => {
  // IP IDs 1–5 against 4–7: two adverts in common, three needed
  let r = alignClocks(['a', 'b'], [idsSurvey([1, 2, 3, 4, 5], 0), idsSurvey([4, 5, 6, 7], 0.5)]);
  assert.deepEqual(r, { ok: false, message: 'the clocks of b and the other captures cannot be aligned: the adverts both saw, matched by IP ID, ' +
    'are too few to measure their offset (2 at the likeliest offset, 3 needed); read the captures one at a time' });
  // 3 pairs at 2.5 s, 2 at 7.5 s: not twice as many
  r = alignClocks(['a', 'b'], pairOf([2.5, 2.5, 2.5, 7.5, 7.5]));
  assert.deepEqual(r, { ok: false, message: 'the clocks of b and the other captures cannot be aligned: the adverts both saw, matched by IP ID, ' +
    'fit several offsets (3 against 2 matches: IP IDs counted again after a restart, or wrapped); read the captures one at a time' });
  // without IP ID, too few
  r = alignClocks(['a', 'b'], [surveyOf([v6Sample([0, 1.0078125])]), surveyOf([v6Sample([5, 6.0078125])])]);
  assert.deepEqual(r, { ok: false, message: 'the clocks of b and the other captures cannot be aligned: the adverts both saw carry no IP ID ' +
    'and too few of them line up in time (2 at the likeliest offset, 3 needed); read the captures one at a time' });
});

test('clocks: a capture without adverts stops the reading first', () => {
  const none = surveyOf([]);
  none.frames = 3;
  const r = alignClocks(['a', 'b', 'c'], [idsSurvey([1, 2, 3], 0), idsSurvey([1, 2, 3], 0), none]);
  assert.deepEqual(r, { ok: false, message: 'c holds no VRRP advert: there is nothing to compare with the other captures; read it on its own' });
});

test('day: the UTC date of a packet time, leap days and centuries included', () => {
  assert.equal(day(0), '1970-01-01');
  assert.equal(day(-86400), '1969-12-31');
  assert.equal(day(-1), '1969-12-31');
  assert.equal(day(946684800), '2000-01-01');
  assert.equal(day(951782400), '2000-02-29');
  assert.equal(day(951868800), '2000-03-01');
  assert.equal(day(978220800), '2000-12-31');
  assert.equal(day(T), '2027-01-15');
  assert.equal(day(4102444800), '2100-01-01');
  assert.equal(day(4107542400), '2100-03-01');
});

// ================================================================ matching the copies

/** An IPv4 advert of 10.0.0.1 (VRID 99, 1 s) unless told. */
const ad = (t: number, o: Partial<AdvertSpec> = {}): PacketRecord => advert({ src: SOURCE_IP, ipId: 1, ...o, t });
const A_MAC: [number, number] = [0x5254, 0x00aa0001];

/** A matcher of `k` captures all running from 0 to 1000 unless told. */
const matcher = (k: number, first?: number[], last?: number[]) =>
  new AdvertMatcher(k, first ?? new Array<number>(k).fill(0), last ?? new Array<number>(k).fill(1000));

const counted = (f: Flow) => f.counts.map((c) => [c.expected, c.arrived]);

test('matching: a copy within 0.25 s on another capture is the same advert, arrived on both', () => {
  const m = matcher(2);
  assert.equal(m.observe(ad(100, { ipId: 7 }), 0, false), true);
  assert.equal(m.observe(ad(100.25, { ipId: 7 }), 1, false), false);
  m.finish();
  assert.equal(m.flows.length, 1);
  const f = m.flows[0]!;
  assert.deepEqual([f.source, f.router, f.destination, f.sent], [SOURCE_IP, 'v4/99', '224.0.0.18', 1]);
  assert.deepEqual(counted(f), [[1, 1], [1, 1]]);
});

test('matching: a copy later than 0.25 s is another advert; each counts as lost where it was missing', () => {
  const m = matcher(2);
  assert.equal(m.observe(ad(100, { ipId: 7 }), 0, false), true);
  assert.equal(m.observe(ad(100.250001, { ipId: 7 }), 1, false), true);
  m.finish();
  assert.equal(m.flows[0]!.sent, 2);
  assert.deepEqual(counted(m.flows[0]!), [[2, 1], [2, 1]]);
});

test('matching: another IP ID, checksum, VRID, destination or MAC is another frame', () => {
  const other: ((p: PacketRecord) => void)[] = [
    (p) => { p.ipId = 8; }, (p) => { p.checksum = 5; }, (p) => { p.vrid = 98; }, (p) => { p.dst0 = v4('10.0.0.2'); }, (p) => { p.macLo ^= 0x100; },
  ];
  for (const [i, change] of other.entries()) {
    const m = matcher(2);
    m.observe(ad(100, { ipId: 7 }), 0, false);
    const copy = ad(100.001, { ipId: 7 });
    change(copy);
    assert.equal(m.observe(copy, 1, false), true, `change ${i}`);
  }
});

test('matching: within 0.4 of the advert\'s interval when that is shorter than 0.25 s (IPv6: no IP ID)', () => {
  const m = matcher(2);
  // 0.5 s adverts: 0.2 s
  const v6 = (t: number) => advert({ t, src: 'fe80::1', vrid: 7, interval: 0.5 });
  assert.equal(m.observe(v6(100), 0, false), true);
  assert.equal(m.observe(v6(100.15), 1, false), false);
  assert.equal(m.observe(v6(200), 0, false), true);
  assert.equal(m.observe(v6(200.22), 1, false), true);
  m.finish();
  assert.deepEqual(counted(m.flows[0]!), [[3, 2], [3, 2]]);
  // 1 s adverts: the full 0.25 s
  const n = matcher(2);
  assert.equal(n.observe(advert({ t: 100, src: 'fe80::1', vrid: 7, interval: 1 }), 0, false), true);
  assert.equal(n.observe(advert({ t: 100.24, src: 'fe80::1', vrid: 7, interval: 1 }), 1, false), false);
});

test('matching: an advert without an interval is matched as a 1 s one (0.25 s)', () => {
  const m = matcher(2);
  const noInterval = (t: number) => { const p = ad(t); p.intervalCs = 0; return p; };
  assert.equal(m.observe(noInterval(100), 0, false), true);
  assert.equal(m.observe(noInterval(100.24), 1, false), false);
});

test('matching: ARP within 50 ms; an equal burst on one capture pairs with the other\'s copies in order', () => {
  const m = matcher(2);
  const g = (t: number) => arp(t, 1, A_MAC, '10.0.0.100', '10.0.0.100');
  assert.equal(m.observe(g(100), 0, false), true);
  assert.equal(m.observe(g(100.04), 1, false), false);
  assert.equal(m.observe(g(200), 0, false), true);
  assert.equal(m.observe(g(200.06), 1, false), true);
  // a burst of three equal frames 1.95 ms (2^-9 s) apart (not duplicates: only adverts are), each 2^-9 s later
  // on the other capture
  const n = matcher(2);
  const burst = [0, 2 ** -9, 2 ** -8].map((d) => 300 + d);
  for (const t of burst) assert.equal(n.observe(g(t), 0, false), true);
  for (const t of burst) assert.equal(n.observe(g(t + 2 ** -9), 1, false), false);
  n.finish();
  assert.deepEqual(n.senders.list[0]!.samples(0, 1), [2 ** -9, 2 ** -9, 2 ** -9]);
  assert.equal(n.flows.length, 0);
});

test('matching: ICMP errors and rejected frames are matched too (50 ms); other frames never', () => {
  const m = matcher(2);
  assert.equal(m.observe(icmpError(100, '10.0.0.2', SOURCE_IP, '224.0.0.18', 99), 0, false), true);
  assert.equal(m.observe(icmpError(100.04, '10.0.0.2', SOURCE_IP, '224.0.0.18', 99), 1, false), false);
  assert.equal(m.observe(icmpError(100.05, '10.0.0.2', SOURCE_IP, '224.0.0.18', 99, 10), 1, false), true);
  assert.equal(m.observe(rejectRec(101, Reject.BadVersion), 0, false), true);
  assert.equal(m.observe(rejectRec(101.01, Reject.BadVersion), 1, false), false);
  assert.equal(m.observe(rejectRec(101.02, Reject.BadType), 1, false), true);
  const other = (t: number) => { const p = ad(t); p.kind = Kind.Other; return p; };
  assert.equal(m.observe(other(102), 0, false), true);
  assert.equal(m.observe(other(102), 1, false), true);
  m.finish();
  assert.equal(m.flows.length, 0);
});

test('matching: the same IPv4 advert twice on one capture within 2 ms is one frame (-i any)', () => {
  const m = matcher(2);
  assert.equal(m.observe(ad(0), 0, false), true);
  // exactly 2 ms later: still the same frame; the analyzer gets it (it counts duplicates itself)
  assert.equal(m.observe(ad(0.002), 0, false), true);
  assert.equal(m.duplicates, 1);
  // 2.5 ms after the first: another advert
  assert.equal(m.observe(ad(0.0025), 0, false), true);
  assert.equal(m.duplicates, 1);
  m.finish();
  assert.equal(m.flows[0]!.sent, 2);
  assert.deepEqual(counted(m.flows[0]!), [[2, 2], [2, 0]]);
});

test('matching: the same IPv6 advert twice on one capture within 2 ms is one frame; the next one never is', () => {
  const m = matcher(2);
  // 10 ms adverts (1 cs, the shortest interval; no IP ID): each seen twice on capture 0, 0.4 ms apart (-i any),
  // and once on capture 1
  const v6 = (t: number) => advert({ t, src: 'fe80::1', vrid: 7, interval: 0.01 });
  for (const t of [100, 100.01, 100.02]) {
    assert.equal(m.observe(v6(t), 0, false), true);
    // the analyzer gets it (it counts duplicates itself)
    assert.equal(m.observe(v6(t + 0.0004), 0, false), true);
    assert.equal(m.observe(v6(t + 0.00004), 1, false), false);
  }
  assert.equal(m.duplicates, 3);
  // 2.5 ms after the last first copy: another advert
  assert.equal(m.observe(v6(100.0225), 0, false), true);
  assert.equal(m.duplicates, 3);
  m.finish();
  assert.equal(m.flows[0]!.sent, 4);
  assert.deepEqual(counted(m.flows[0]!), [[4, 4], [4, 3]]);
});

test('matching: an advert is expected only on the captures running then, both ends of their span included', () => {
  const m = matcher(2, [0, 150], [1000, 300]);
  for (const [i, t] of [100, 150, 300, 300.5].entries()) m.observe(ad(t, { ipId: i + 1 }), 0, false);
  m.finish();
  const f = m.flows[0]!;
  assert.deepEqual(counted(f), [[4, 4], [2, 0]]);
  assert.deepEqual(f.counts[1]!.spells, [{ from: 150, to: 300, adverts: 2 }]);
});

test('matching: adverts sent while another source of the router advertised are counted apart (dual periods)', () => {
  const m = matcher(2);
  // A (2 s interval) advertises from 0 to 5, B (1 s) from 3.5; capture 1 misses A's advert at 5
  const sent: [number, string, number][] = [];
  for (let t = 0; t <= 5; t++) sent.push([t, SOURCE_IP, 2]);
  for (const t of [3.5, 4.5, 5.5, 6.5, 7.5, 8, 8.5]) sent.push([t, '10.0.0.2', 1]);
  sent.sort((x, y) => x[0] - y[0]);
  for (const [i, [t, src, interval]] of sent.entries()) {
    const p = advert({ t, src, ipId: i + 1, interval, prio: src === SOURCE_IP ? 100 : 80 });
    m.observe(p, 0, false);
    if (!(src === SOURCE_IP && t === 5)) m.observe(p, 1, false);
  }
  m.finish();
  const [a, b] = m.flows as [Flow, Flow];
  // A's adverts at 4 and 5, while B advertised
  assert.deepEqual(a.counts.map((c) => [c.expected, c.arrived, c.dualExpected, c.dualArrived]), [[6, 6, 2, 2], [6, 5, 2, 1]]);
  // B's up to 8 s, A's last advert (5 s) within 1.5 of its 2 s intervals
  assert.deepEqual(b.counts.map((c) => [c.expected, c.dualExpected, c.dualArrived]), [[7, 6, 6], [7, 6, 6]]);
});

test('dual periods: a source that sent priority 0 no longer advertises; its other flows are not another source', () => {
  const m = matcher(1);
  let id = 1;
  // A unicast to two peers: two flows of one source
  for (const t of [0, 1, 2]) for (const dst of ['10.0.0.2', '10.0.0.3']) m.observe(ad(t, { dst, ipId: id++ }), 0, false);
  // A resigns at 3 (priority 0, to both), B starts at 3.5
  for (const dst of ['10.0.0.2', '10.0.0.3']) m.observe(ad(3, { dst, ipId: id++, prio: 0 }), 0, false);
  for (const t of [3.5, 4.5]) m.observe(ad(t, { src: '10.0.0.4', ipId: id++, prio: 80 }), 0, false);
  m.finish();
  assert.deepEqual(m.flows.map((f) => [f.destination, f.counts[0]!.expected, f.counts[0]!.dualExpected]),
    [['10.0.0.2', 4, 0], ['10.0.0.3', 4, 0], ['224.0.0.18', 2, 0]]);
  assert.equal(m.flows[2]!.takeovers.size, 0);
});

test('dual periods: only once the other source\'s run has begun, the moment it begins included', () => {
  const run = (aStarts: number) => {
    const m = matcher(1);
    m.observe(ad(0, { src: '10.0.0.2', ipId: 1, prio: 80 }), 0, false);
    m.observe(ad(aStarts, { ipId: 1 }), 0, false);
    m.observe(ad(1, { src: '10.0.0.2', ipId: 2, prio: 80 }), 0, false);
    m.finish();
    return m.flows.map((f) => [f.source, f.counts[0]!.expected, f.counts[0]!.dualExpected]);
  };
  // B's advert at 0 came before A began; B's at 1 is at the very moment A began
  assert.deepEqual(run(1), [['10.0.0.2', 2, 1], [SOURCE_IP, 1, 1]]);
  // A began at 0.125, B's advert at 0 settled after that: still not dual
  assert.deepEqual(run(0.125), [['10.0.0.2', 2, 1], [SOURCE_IP, 1, 1]]);
});

/** A (priority 100) every `every` s (its advertised interval) from 0 to `until`; adverts of B at the given times
 *  [time, priority (110), interval (1 s)]. */
function takeoverStory(until: number, more: [number, number?, number?][], k = 1, seen?: (vp: number, t: number) => boolean, first?: number[],
                       every = 1): AdvertMatcher {
  const m = matcher(k, first);
  const sent: [number, string, number, number][] = [];
  for (let t = 0; t <= until; t += every) sent.push([t, SOURCE_IP, 100, every]);
  for (const [t, prio, interval] of more) sent.push([t, '10.0.0.2', prio ?? 110, interval ?? 1]);
  sent.sort((x, y) => x[0] - y[0]);
  for (const [i, [t, src, prio, interval]] of sent.entries()) {
    const p = advert({ t, src, ipId: i + 1, prio, interval });
    for (let vp = 0; vp < k; vp++) if (src !== SOURCE_IP || (seen?.(vp, t) ?? true)) m.observe(p, vp, false);
  }
  m.finish();
  return m;
}

test('takeover: the other source\'s adverts of the 3 intervals before, per capture expected and arrived', () => {
  // capture 1 starts at 3.5 and misses A's advert at 4; B takes over at 6: A's adverts at 3, 4, 5
  const m = takeoverStory(5, [[6]], 2, (vp, t) => vp === 0 || (t >= 3.5 && t !== 4), [0, 3.5]);
  const b = m.flows[1]!;
  assert.equal(b.source, '10.0.0.2');
  assert.deepEqual([...b.takeovers.keys()], [0]);
  const c = b.takeovers.get(0)!;
  assert.deepEqual([c.takeovers, [...c.expected], [...c.arrived]], [1, [3, 2], [3, 1]]);
  assert.equal(m.flows[0]!.takeovers.size, 0);
});

test('takeover: only while the other source still advertises (1.5 of its intervals)', () => {
  assert.deepEqual([...takeoverStory(5, [[6.5]]).flows[1]!.takeovers.get(0)!.expected], [2]);
  assert.equal(takeoverStory(5, [[6.625]]).flows[1]!.takeovers.size, 0);
  // a source starting with priority 0 takes nothing over
  assert.equal(takeoverStory(5, [[6, 0]]).flows[1]!.takeovers.size, 0);
});

test('takeover: the 3 intervals are those of the source taking over (its master-down interval)', () => {
  // B advertises every 2 s: A's adverts from 0.5 s to 6.5 s
  assert.deepEqual([...takeoverStory(5, [[6.5, 110, 2]]).flows[1]!.takeovers.get(0)!.expected], [5]);
});

test('takeover: only the last 16 settled adverts of the other source are remembered', () => {
  // A every 0.25 s from 0 to 5 (21 adverts, all settled by 5.375); B's (2 s) 6 s window would hold them all
  assert.deepEqual([...takeoverStory(5, [[5.375, 110, 2]], 1, undefined, undefined, 0.25).flows[1]!.takeovers.get(0)!.expected], [16]);
  // with 1 s adverts B's window holds 3 s of A's: from 2.5 s to 5 s, 11 adverts
  assert.deepEqual([...takeoverStory(5, [[5.375]], 1, undefined, undefined, 0.25).flows[1]!.takeovers.get(0)!.expected], [11]);
});

test('takeover: a new run begins after a silence of more than 1.5 intervals, or after priority 0', () => {
  const count = (more: [number, number?][]) => takeoverStory(12, more).flows[1]!.takeovers.get(0)!.takeovers;
  assert.equal(count([[6], [7], [8.5]]), 1);
  assert.equal(count([[6], [7], [8.625]]), 2);
  assert.equal(count([[6], [7, 0], [8]]), 2);
});

test('matching: a flow keeps the sender of its first advert', () => {
  const m = matcher(1);
  m.observe(ad(0, { ipId: 1 }), 0, false);
  // the same address from another MAC
  m.observe(ad(1, { ipId: 2, mac: [0x5254, 0x00bb0001] }), 0, false);
  m.finish();
  assert.equal(m.flows.length, 1);
  assert.equal(m.senders.list.length, 2);
  assert.equal(m.flows[0]!.sender, 0);
});

test('matching: a sender keeps the first 4 source addresses of its adverts, each once', () => {
  const m = matcher(1);
  for (const [i, src] of ['10.0.0.1', '10.0.0.1', '10.0.0.2', '10.0.0.3', '10.0.0.4', '10.0.0.5'].entries()) {
    // one MAC; 10.0.0.1 to two destinations (two flows)
    m.observe(ad(i, { src, ipId: i, mac: A_MAC, dst: i === 1 ? '10.0.0.9' : '224.0.0.18' }), 0, false);
  }
  assert.deepEqual(m.senders.list.map((x) => x.sources), [['10.0.0.1', '10.0.0.2', '10.0.0.3', '10.0.0.4']]);
});

test('matching: one flow per source, router and destination', () => {
  const m = matcher(1);
  m.observe(ad(0, { ipId: 1 }), 0, false);
  m.observe(ad(0, { ipId: 2, vrid: 98 }), 0, false);
  m.observe(ad(0, { ipId: 3, dst: '10.0.0.2' }), 0, false);
  m.observe(ad(1, { ipId: 4 }), 0, false);
  m.observe(advert({ t: 1, src: 'fe80::1', vrid: 99 }), 0, false);
  m.observe(advert({ t: 1, src: 'fe80::2', vrid: 99 }), 0, false);
  m.observe(advert({ t: 2, src: 'fe80::1', vrid: 99 }), 0, false);
  m.finish();
  assert.deepEqual(m.flows.map((f) => [f.source, f.router, f.destination, f.sent]), [
    [SOURCE_IP, 'v4/99', '224.0.0.18', 2], [SOURCE_IP, 'v4/98', '224.0.0.18', 1], [SOURCE_IP, 'v4/99', '10.0.0.2', 1],
    ['fe80::1', 'v6/99', 'ff02::12', 2], ['fe80::2', 'v6/99', 'ff02::12', 1],
  ]);
});

test('bounds: flows beyond MAX_FLOWS are analysed, not counted; their copies still matched', () => {
  assert.equal(MAX_FLOWS, 64);
  const m = matcher(2);
  for (let i = 0; i < 64; i++) m.observe(ad(0, { src: `10.0.1.${i}` }), 0, false);
  assert.equal(m.flows.length, 64);
  assert.equal(m.observe(ad(0, { src: '10.0.2.1' }), 0, false), true);
  assert.deepEqual([m.flows.length, m.flowsLeftOut, m.advertsLeftOut], [64, 1, 1]);
  assert.equal(m.observe(ad(0.001, { src: '10.0.2.1' }), 1, false), false);
  m.finish();
  assert.equal(m.flows.reduce((n, f) => n + f.sent, 0), 64);
});

test('bounds: a flow left out is counted once, however many adverts it sends', () => {
  const m = matcher(1);
  for (let i = 0; i < 64; i++) m.observe(ad(0, { src: `10.0.1.${i}` }), 0, false);
  for (const t of [1, 2, 3]) m.observe(ad(t, { src: '10.0.2.1', ipId: t }), 0, false);
  assert.deepEqual([m.flowsLeftOut, m.advertsLeftOut], [1, 3]);
  // another source, and the same source to another router: two more flows
  m.observe(ad(4, { src: '10.0.2.2' }), 0, false);
  m.observe(ad(5, { src: '10.0.2.1', vrid: 98 }), 0, false);
  m.observe(ad(6, { src: '10.0.2.2', ipId: 2 }), 0, false);
  assert.deepEqual([m.flowsLeftOut, m.advertsLeftOut], [3, 6]);
});

test('bounds: a flood that fills the MAX_PENDING window settles the oldest frame early, counted', () => {
  assert.equal(MAX_PENDING, 16384);
  const m = matcher(2);
  // one record reused (as the decoder does), its IP ID changed
  const p = ad(100);
  for (let id = 0; id < MAX_PENDING; id++) { p.ipId = id; m.observe(p, 0, false); }
  assert.equal(m.settledEarly, 0);
  p.ipId = MAX_PENDING;
  m.observe(p, 0, false);
  assert.equal(m.settledEarly, 1);
  m.finish();
  // every advert counted once: the one settled early too
  assert.deepEqual([m.flows[0]!.sent, ...counted(m.flows[0]!)], [MAX_PENDING + 1, [MAX_PENDING + 1, MAX_PENDING + 1], [MAX_PENDING + 1, 0]]);
});

test('bounds: with the window full, a copy of a waiting frame is matched; only a new frame settles the oldest early', () => {
  const m = matcher(2);
  const p = ad(100);
  for (let id = 0; id < MAX_PENDING; id++) { p.ipId = id; m.observe(p, 0, false); }
  // the copy of the oldest frame: matched, nothing settled early
  p.ipId = 0;
  assert.equal(m.observe(p, 1, false), false);
  assert.equal(m.settledEarly, 0);
  p.ipId = MAX_PENDING;
  assert.equal(m.observe(p, 0, false), true);
  assert.equal(m.settledEarly, 1);
  m.finish();
  assert.deepEqual([m.flows[0]!.sent, ...counted(m.flows[0]!)], [MAX_PENDING + 1, [MAX_PENDING + 1, MAX_PENDING + 1], [MAX_PENDING + 1, 1]]);
});

test('matching: a reading cut short drops the frames still waiting (counted nowhere)', () => {
  const m = matcher(2);
  m.observe(ad(100, { ipId: 1 }), 0, false);
  m.observe(ad(101, { ipId: 2 }), 0, false);
  m.cut();
  m.finish();
  assert.deepEqual([m.flows[0]!.sent, ...counted(m.flows[0]!)], [1, [1, 1], [1, 0]]);
});

test('senders: the time differences of frames two captures saw, adverts apart from other frames', () => {
  const run = (adverts: number): AdvertMatcher => {
    const m = matcher(2);
    for (let i = 0; i < 3; i++) {
      const t = 1 + i;
      if (i < adverts) { m.observe(ad(t, { ipId: i + 1 }), 0, false); m.observe(ad(t + 2 ** -9, { ipId: i + 1 }), 1, true); }
      const g = arp(t + 0.5, 1, A_MAC, '10.0.0.100', '10.0.0.100');
      m.observe(g, 0, false);
      m.observe(arp(t + 0.5 + 2 ** -8, 1, A_MAC, '10.0.0.100', '10.0.0.100'), 1, false);
    }
    // seen on one capture only: no difference
    m.observe(ad(10, { ipId: 10 }), 0, false);
    m.finish();
    return m;
  };
  let m = run(3);
  assert.equal(m.senders.list.length, 1);
  const s = m.senders.list[0]!;
  assert.deepEqual(s.samples(0, 1), [2 ** -9, 2 ** -9, 2 ** -9]);
  assert.deepEqual(s.samples(1, 0), [-(2 ** -9), -(2 ** -9), -(2 ** -9)]);
  assert.deepEqual(s.outgoing, [0, 3]);
  // two adverts are too few: the other frames tell
  m = run(2);
  assert.deepEqual(m.senders.list[0]!.samples(0, 1), [2 ** -8, 2 ** -8, 2 ** -8]);
});

test('senders: with three captures each pair that saw a frame has its own differences', () => {
  const m = matcher(3);
  for (let i = 0; i < 3; i++) {
    m.observe(ad(1 + i, { ipId: i + 1 }), 0, false);
    m.observe(ad(1 + i + 2 ** -9, { ipId: i + 1 }), 2, false);
  }
  m.finish();
  const s = m.senders.list[0]!;
  assert.deepEqual([s.samples(0, 2), s.samples(0, 1), s.samples(1, 2)], [[2 ** -9, 2 ** -9, 2 ** -9], null, null]);
  assert.deepEqual(counted(m.flows[0]!), [[3, 3], [3, 0], [3, 3]]);
});
