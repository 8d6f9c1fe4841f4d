// The offset between the clocks of several captures (src/analyze/vantage/clock-offset.ts: part of the mutation
// part `vantage-matching`, docs/analysis.md §14.1), asserted on the exported functions directly.
// test/vantage.test.ts drives them end to end through the CLI, but takes some 8 s and sees them only through
// the report, so the mutation run left their rules unwatched: the ±2 ms cluster window and its bounds, the 3
// pairs and "twice as many as any other window", the 12 h / 32768-interval limit on IP ID pairs, samples
// whose IP ID stride doubled, the IPv6 path without IP ID (±0.1 ms, 1 h search, checksums), the spanning tree
// of the captures and its sign, the notes and the refusals. Every case runs in milliseconds. Times are
// binary fractions where a boundary is tested, so that the arithmetic is exact.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { alignClocks, day, densest, measurePair, type Alignment } from '../src/analyze/vantage/clock-offset.js';
import { Survey, sourceHash, type SourceSample } from '../src/analyze/vantage/survey.js';
import { advert, v4 } from './support/records.js';
import { SOURCE_IP } from './support/vantage-adverts.js';

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
