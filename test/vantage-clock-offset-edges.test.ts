// The edges of the clock offset between captures (src/analyze/vantage/clock-offset.ts) that
// test/vantage-clock-offset.test.ts leaves open: a capture wholly before the first one, the refusal that names
// the capture the untied one shares its sources with (of three), a router shared with only one of two others,
// the notes only for a measured offset, IPv6 adverts more than an hour the other way, the width of a second
// window, and a date in October on the 10th. The surveys are made as the CLI makes them (a frame, then its
// advert); times are binary fractions from a whole second, so the differences are exact.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { alignClocks, day, densest, measurePair } from '../src/analyze/vantage/clock-offset.js';
import { Survey } from '../src/analyze/vantage/survey.js';
import { advert } from './support/records.js';
import { SOURCE_IP } from './support/vantage-adverts.js';

/** 2026-10-10 09:05:00 UTC: a month and a day of two digits each. */
const T = 1_791_623_100;

interface Sent { src: string; ipId?: number; t: number; vrid?: number }

/** A capture's first pass over these adverts (each one frame), times on the capture's own clock. */
function captured(adverts: Sent[]): Survey {
  const s = new Survey();
  for (const a of adverts) {
    s.frame(a.t);
    s.advert(advert({ src: a.src, ipId: a.ipId, t: a.t, vrid: a.vrid }), a.t);
  }
  return s;
}

/** Adverts of `src` with IP IDs `ids`, IP ID n sent at T + n and stamped `clock` seconds later. */
const sent = (src: string, ids: number[], clock: number, vrid?: number): Sent[] => ids.map((n) => ({ src, ipId: n, t: T + n + clock, vrid }));

const OTHER_IP = '10.0.0.2';
const THIRD_IP = '10.0.0.3';

// ================================================================ captures that cannot be tied

test('clocks: a capture wholly before the first, no source in common: not read on its own clock; both spans dated', () => {
  // a from 09:05:10 to :12, b (another node of VRID 99) from :00 to :02: b ended before a began
  const r = alignClocks(['a', 'b'], [captured(sent(SOURCE_IP, [10, 11, 12], 0)), captured(sent(OTHER_IP, [0, 1, 2], 0))]);
  assert.deepEqual(r, { ok: false, message: 'b and a do not overlap in time (' +
    'a 2026-10-10 09:05:10.000 UTC to 2026-10-10 09:05:12.000 UTC, b 2026-10-10 09:05:00.000 UTC to 2026-10-10 09:05:02.000 UTC, ' +
    'each on its own clock; no advert in common); read them one at a time' });
});

test('clocks: of three, the capture is named that saw the same source at another time, not the unrelated one', () => {
  // a and b both saw 10.0.0.2 (b's clock 0.5 s ahead); c saw 10.0.0.1, as b did, two hours later (IP IDs
  // from 5001): c and a share no source, c and b never the same advert
  const a = captured(sent(OTHER_IP, [1, 2, 3], 0));
  const b = captured([...sent(SOURCE_IP, [1, 2, 3], 0.5), ...sent(OTHER_IP, [1, 2, 3], 0.5)]);
  const c = captured(sent(SOURCE_IP, [5001, 5002, 5003], 2199));
  const r = alignClocks(['a', 'b', 'c'], [a, b, c]);
  assert.deepEqual(r, { ok: false, message: 'c and b do not overlap in time: they saw the same sources but never the same advert ' +
    '(b 2026-10-10 09:05:01.500 UTC to 2026-10-10 09:05:03.500 UTC, c 2026-10-10 11:05:00.000 UTC to 2026-10-10 11:05:02.000 UTC, ' +
    'each on its own clock); read them one at a time' });
});

test('clocks: of three, a router shared with one of the others but at another time is not an unrelated segment', () => {
  // a and b both saw 10.0.0.1 (VRID 99); b also saw 10.0.0.2 of VRID 5, as c saw 10.0.0.3 — a minute later
  const a = captured(sent(SOURCE_IP, [1, 2, 3], 0));
  const b = captured([...sent(SOURCE_IP, [1, 2, 3], 1), ...sent(OTHER_IP, [1, 2, 3], 1, 5)]);
  const c = captured(sent(THIRD_IP, [61, 62, 63], 0, 5));
  const r = alignClocks(['a', 'b', 'c'], [a, b, c]);
  assert.deepEqual(r, { ok: false, message: 'c and b do not overlap in time (' +
    'b 2026-10-10 09:05:02.000 UTC to 2026-10-10 09:05:04.000 UTC, c 2026-10-10 09:06:01.000 UTC to 2026-10-10 09:06:03.000 UTC, ' +
    'each on its own clock; no advert in common); read them one at a time' });
});

// ================================================================ the notes

test('clocks: a capture read on its own clock gets no note of an offset, though it takes a measured one', () => {
  // b measured 1 s ahead of a; c shares VRID 5 with b only, at the same time: tied to b, offset not measured
  const a = captured(sent(SOURCE_IP, [1, 2, 3], 0));
  const b = captured([...sent(SOURCE_IP, [1, 2, 3], 1), ...sent(OTHER_IP, [1, 2, 3], 1, 5)]);
  const c = captured(sent(THIRD_IP, [1, 2, 3], 1, 5));
  const r = alignClocks(['a', 'b', 'c'], [a, b, c]);
  assert.ok(r.ok, r.ok ? '' : r.message);
  assert.deepEqual([r.offsets, r.how], [[0, -1, -1], ['reference', 'measured', 'assumed']]);
  assert.deepEqual(r.notes, [
    'c and b saw no advert in common (each saw other sources of the same virtual router): their clocks cannot be compared, so c is read on its own clock',
    "b's clock is 1 s ahead of a's",
  ]);
});

// ================================================================ adverts without IP ID

test('offset without IP ID: adverts more than an hour earlier on the second capture are not searched', () => {
  // the mirror of the hour later: b's clock an hour and half a second behind a's, three adverts whose gaps differ
  const times = [0, 1.0078125, 2.9921875];
  const a = captured(times.map((t) => ({ src: 'fe80::1', t: T + t })));
  const b = captured(times.map((t) => ({ src: 'fe80::1', t: T + t - 3600.5 })));
  // only pairs of different adverts lie within the hour, each at its own difference
  assert.deepEqual(measurePair(a, b), { kind: 'ambiguous', best: 1, second: 1, byId: false });
});

// ================================================================ the windows of differences

test('densest: a window elsewhere is as wide as the best one, both ends included', () => {
  // 2 and 2.5 are exactly 2 × 0.25 apart: one window of 2, so 3 is not twice as many
  assert.deepEqual(densest([0, 0, 0, 2, 2.5], 0.25), { lo: 0, hi: 0, count: 3, second: 2 });
});

// ================================================================ dates

test('day: a month and a day of two digits are not padded', () => {
  assert.equal(day(T), '2026-10-10');
  assert.equal(day(T - 86400), '2026-10-09');
  assert.equal(day(T - 10 * 86400), '2026-09-30');
  assert.equal(day(T + 52 * 86400), '2026-12-01');
});
