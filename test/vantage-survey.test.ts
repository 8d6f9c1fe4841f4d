// Unit tests of the first pass's survey of a capture (src/analyze/vantage/survey.ts) and of the senders timed
// across captures (senders.ts): part of the mutation part `vantage-wire`, docs/analysis.md §14.1. Why: only
// test/vantage.test.ts (8 s, through the CLI) reached these files, so a changed threshold, boundary or bound
// went unnoticed or cost the whole run. Every input is built by hand and the expected values follow from the
// rules, not from a run; the whole file takes a fraction of a second.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Survey, routerText, sourceHash, type SourceSample } from '../src/analyze/vantage/survey.js';
import { Sender, Senders } from '../src/analyze/vantage/senders.js';
import { LEAD_SAMPLES, MAX_ORIGINS, MAX_SURVEY_ROUTERS, MAX_SURVEY_SOURCES, OFFSET_SAMPLES } from '../src/analyze/vantage/limits.js';
import { advert, v4 } from './support/records.js';

// ---------------------------------------------------------------------------------------------------
// survey.ts

test('survey: frames count every frame and the span is the earliest and latest time, whatever the order', () => {
  const s = new Survey();
  assert.deepEqual([s.frames, s.first, s.last], [0, null, null]);
  for (const t of [5, 3, 9, 4]) s.frame(t);
  assert.deepEqual([s.frames, s.first, s.last], [4, 3, 9]);
});

test('survey: an IPv4 advert with an IP ID is sampled with stride 1; its interval, routers and fields are kept', () => {
  const s = new Survey();
  const p = advert({ t: 1, src: '10.0.0.1', ipId: 7, interval: 2, vrid: 99 });
  p.checksum = 0xbeef;
  s.advert(p, 1.5);
  const q = advert({ t: 2, src: '10.0.0.1', ipId: 9, vrid: 42 });
  q.intervalCs = 0;   // an interval of 0 keeps the last one seen
  q.checksum = 0x1234;
  s.advert(q, 2.5);
  assert.equal(s.adverts, 2);
  assert.equal(s.sources.size, 1);
  const x = [...s.sources.values()][0];
  assert.deepEqual(
    { src: x.src, family: x.family, macHi: x.macHi, macLo: x.macLo, w0: x.w0, adverts: x.adverts, interval: x.interval, routers: x.routers,
      ids: x.ids, sums: x.sums, times: x.times, stride: x.stride },
    { src: '10.0.0.1', family: 4, macHi: p.macHi, macLo: p.macLo, w0: v4('10.0.0.1'), adverts: 2, interval: 2, routers: ['v4/99', 'v4/42'],
      ids: [7, 9], sums: [0xbeef, 0x1234], times: [1.5, 2.5], stride: 1 });
  assert.deepEqual([...s.routers], ['v4/99', 'v4/42']);
  assert.equal([...s.sources.keys()][0], sourceHash(4, p.src0, p.src1, p.src2, p.src3, p.macHi, p.macLo));
});

test('survey: IPv6 adverts and adverts without IP ID keep their first adverts (stride 0, ID -1), at most OFFSET_SAMPLES', () => {
  const s = new Survey();
  for (let i = 0; i < OFFSET_SAMPLES + 3; i++) s.advert(advert({ t: i, src: 'fd00::1' }), i);
  const six = [...s.sources.values()][0];
  assert.equal(six.stride, 0);
  assert.equal(six.times.length, OFFSET_SAMPLES);
  assert.equal(six.times[OFFSET_SAMPLES - 1], OFFSET_SAMPLES - 1);
  assert.ok(six.ids.every((id) => id === -1));
  assert.equal(six.adverts, OFFSET_SAMPLES + 3);
  const t = new Survey();
  const p = advert({ t: 0, src: '10.0.0.1' });
  p.ipId = -1;
  t.advert(p, 0);
  const none = [...t.sources.values()][0];
  assert.deepEqual([none.stride, none.ids], [0, [-1]]);
});

test('survey: a full sample doubles the stride and keeps only the IP IDs that are multiples of it', () => {
  const s = new Survey();
  for (let id = 0; id < OFFSET_SAMPLES; id++) s.advert(advert({ t: id, src: '10.0.0.1', ipId: id }), id);
  const x = [...s.sources.values()][0];
  assert.equal(x.stride, 2);
  assert.equal(x.ids.length, OFFSET_SAMPLES / 2);
  assert.deepEqual(x.ids.slice(0, 3), [0, 2, 4]);
  assert.equal(x.ids.at(-1), OFFSET_SAMPLES - 2);
  assert.deepEqual([x.times.length, x.sums.length, x.times[1]], [OFFSET_SAMPLES / 2, OFFSET_SAMPLES / 2, 2]);
  s.advert(advert({ t: 600, src: '10.0.0.1', ipId: 513 }), 600);   // odd: not a multiple of the stride
  assert.equal(x.ids.length, OFFSET_SAMPLES / 2);
  s.advert(advert({ t: 601, src: '10.0.0.1', ipId: 514 }), 601);
  assert.deepEqual([x.ids.length, x.ids.at(-1), x.times.at(-1)], [OFFSET_SAMPLES / 2 + 1, 514, 601]);
});

test('survey: three quarters of a full sample surviving the doubling is still a varying IP ID; one more is a constant one', () => {
  const fill = (zeros: number): SourceSample => {
    const s = new Survey();
    for (let i = 0; i < OFFSET_SAMPLES; i++) s.advert(advert({ t: i, src: '10.0.0.1', ipId: i < zeros ? 0 : 1 }), i);
    return [...s.sources.values()][0];
  };
  const varying = fill((OFFSET_SAMPLES * 3) / 4);
  assert.deepEqual([varying.stride, varying.ids.length, varying.ids[0]], [2, (OFFSET_SAMPLES * 3) / 4, 0]);
  const constant = fill((OFFSET_SAMPLES * 3) / 4 + 1);
  assert.equal(constant.stride, 0);
  assert.equal(constant.ids.length, OFFSET_SAMPLES);
  assert.ok(constant.ids.every((id) => id === -1));
});

test('survey: a source keeps at most 8 routers, each once; the capture\'s routers stop at MAX_SURVEY_ROUTERS', () => {
  const s = new Survey();
  for (let vrid = 1; vrid <= 10; vrid++) s.advert(advert({ t: vrid, src: '10.0.0.1', vrid }), vrid);
  s.advert(advert({ t: 11, src: '10.0.0.1', vrid: 1 }), 11);
  const x = [...s.sources.values()][0];
  assert.deepEqual(x.routers, ['v4/1', 'v4/2', 'v4/3', 'v4/4', 'v4/5', 'v4/6', 'v4/7', 'v4/8']);
  assert.equal(s.routers.size, 10);
  const r = new Survey();
  for (let vrid = 0; vrid < MAX_SURVEY_ROUTERS; vrid++) r.advert(advert({ t: vrid, src: '10.0.0.1', vrid }), vrid);
  assert.deepEqual([r.routers.size, r.routersLeftOut], [MAX_SURVEY_ROUTERS, 0]);
  r.advert(advert({ t: 300, src: 'fd00::1', vrid: 1 }), 300);
  assert.deepEqual([r.routers.size, r.routersLeftOut, r.routers.has('v6/1')], [MAX_SURVEY_ROUTERS, 1, false]);
  // a router already noted is not left out when the set is full
  r.advert(advert({ t: 301, src: '10.0.0.2', vrid: 0 }), 301);
  assert.deepEqual([r.routers.size, r.routersLeftOut], [MAX_SURVEY_ROUTERS, 1]);
});

test('survey: sources stop at MAX_SURVEY_SOURCES (counted), the ones kept go on being sampled', () => {
  const s = new Survey();
  for (let i = 0; i < MAX_SURVEY_SOURCES; i++) s.advert(advert({ t: i, src: `10.0.1.${i}`, ipId: 2 }), i);
  assert.deepEqual([s.sources.size, s.sourcesLeftOut], [MAX_SURVEY_SOURCES, 0]);
  s.advert(advert({ t: 100, src: '10.0.2.1', ipId: 2 }), 100);
  assert.deepEqual([s.sources.size, s.sourcesLeftOut, s.adverts], [MAX_SURVEY_SOURCES, 1, MAX_SURVEY_SOURCES + 1]);
  s.advert(advert({ t: 101, src: '10.0.1.0', ipId: 4 }), 101);
  assert.equal(s.sourcesLeftOut, 1);
  assert.deepEqual([...s.sources.values()][0].ids, [2, 4]);
});

test('survey: another source under the same key (a hash collision) is counted as left out, not merged', () => {
  const p = advert({ t: 0, src: '10.0.0.1', ipId: 4 });
  const key = sourceHash(4, p.src0, p.src1, p.src2, p.src3, p.macHi, p.macLo);
  const differing: (keyof SourceSample)[] = ['w0', 'w1', 'w2', 'w3', 'macHi', 'macLo'];
  for (const field of differing) {
    const s = new Survey();
    s.advert(p, 0);
    const kept = s.sources.get(key)!;
    const other: SourceSample = { ...kept, ids: [], sums: [], times: [], routers: [], [field]: (kept[field] as number) + 1 };
    s.sources.set(key, other);
    s.advert(p, 1);
    assert.equal(s.sourcesLeftOut, 1, field);
    assert.equal(other.adverts, 1, field);
    assert.deepEqual(other.ids, [], field);
  }
});

test('sourceHash is a 30-bit number that tells addresses and MACs apart; routerText names family and VRID', () => {
  const h = sourceHash(4, v4('10.0.0.1'), 0, 0, 0, 0x5254, 0xaa000001);
  assert.ok(h >= 0 && h < 2 ** 30);
  assert.equal(h, sourceHash(4, v4('10.0.0.1'), 0, 0, 0, 0x5254, 0xaa000001));
  assert.notEqual(h, sourceHash(4, v4('10.0.0.1'), 0, 0, 0, 0x5254, 0xaa000002));
  assert.notEqual(h, sourceHash(6, v4('10.0.0.1'), 0, 0, 0, 0x5254, 0xaa000001));
  assert.equal(routerText(4, 99), 'v4/99');
  assert.equal(routerText(6, 7), 'v6/7');
});

// ---------------------------------------------------------------------------------------------------
// senders.ts

test('sender: each pair of captures keeps its own differences; the other direction is negated; sorted', () => {
  const s = new Sender(0x0200, 1, -1, 4);
  assert.deepEqual(s.outgoing, [0, 0, 0, 0]);
  const pairs: [number, number][] = [[0, 1], [0, 2], [0, 3], [1, 2], [1, 3], [2, 3]];
  pairs.forEach(([i, j], n) => { for (const d of [3, 1, 2]) s.addDiff(0, i, j, 10 * (n + 1) + d); });
  pairs.forEach(([i, j], n) => {
    const base = 10 * (n + 1);
    assert.deepEqual(s.samples(i, j), [base + 1, base + 2, base + 3], `${i},${j}`);
    assert.deepEqual(s.samples(j, i), [-base - 3, -base - 2, -base - 1], `${j},${i}`);
  });
  assert.equal(s.samples(2, 2), null);
  // the adverts' pair (2,3) and the other frames' pair (0,2) are kept apart
  const kinds = new Sender(0x0200, 2, -1, 4);
  for (const d of [1, 2, 3]) kinds.addDiff(0, 2, 3, d);
  for (const d of [7, 8, 9]) kinds.addDiff(1, 0, 2, d);
  assert.deepEqual([kinds.samples(2, 3), kinds.samples(0, 2), kinds.samples(0, 1)], [[1, 2, 3], [7, 8, 9], null]);
});

test('sender: fewer than 3 differences are no sample; adverts first, else the other frames; the first LEAD_SAMPLES kept', () => {
  const s = new Sender(-1, 0, 7, 2);
  s.addDiff(0, 0, 1, 5); s.addDiff(0, 0, 1, 6);
  assert.equal(s.samples(0, 1), null);
  s.addDiff(1, 0, 1, 9); s.addDiff(1, 0, 1, 8); s.addDiff(1, 0, 1, 7);
  assert.deepEqual(s.samples(0, 1), [7, 8, 9]);        // two adverts only: the ARP frames
  s.addDiff(0, 0, 1, 4);
  assert.deepEqual(s.samples(0, 1), [4, 5, 6]);        // three adverts: those
  const many = new Sender(0x0200, 2, -1, 2);
  for (let i = 0; i < LEAD_SAMPLES + 5; i++) many.addDiff(0, 0, 1, LEAD_SAMPLES + 5 - i);
  const kept = many.samples(0, 1)!;
  assert.equal(kept.length, LEAD_SAMPLES);
  assert.deepEqual([kept[0], kept.at(-1)], [6, LEAD_SAMPLES + 5]);
});

test('senders: a MAC is a sender; without a MAC, or with a VRRP virtual MAC, the address is', () => {
  const s = new Senders(2);
  const a = s.find(0x0200, 1, 11, true);
  assert.equal(s.find(0x0200, 1, 12, true), a);                      // same MAC, another address
  const b = s.find(0x0200, 2, 11, true);
  assert.notEqual(b, a);
  assert.deepEqual([s.list[a].macHi, s.list[a].macLo, s.list[a].addr], [0x0200, 1, -1]);
  // no MAC: by address, only when the address is the sender's own
  assert.equal(s.find(-1, 0, 21, false), -1);
  const c = s.find(-1, 0, 21, true);
  assert.deepEqual([s.list[c].macHi, s.list[c].macLo, s.list[c].addr], [-1, 0, 21]);
  assert.equal(s.find(-1, 0, 21, true), c);
  assert.notEqual(s.find(-1, 0, 22, true), c);
  // the VRRP virtual MACs move with the master: by address
  for (const lo of [0x5e000163, 0x5e000207]) {
    const x = s.find(0x0000, lo, 31, true);
    assert.equal(s.list[x].macHi, -1);
    assert.equal(s.find(0x0000, lo, 31, true), x);
    assert.notEqual(s.find(0x0000, lo, 32, true), x);
    assert.equal(s.find(0x0000, lo, 33, false), -1);
  }
  // near the virtual ones but not them: a MAC
  const near = s.find(0x0000, 0x5e000363, 41, true);
  assert.deepEqual([s.list[near].macHi, s.list[near].macLo], [0, 0x5e000363]);
  const high = s.find(0x0001, 0x5e000163, 42, true);
  assert.deepEqual([s.list[high].macHi, s.list[high].macLo], [1, 0x5e000163]);
  assert.equal(s.leftOut, 0);
});

test('senders: at most MAX_ORIGINS; a further one is -1 and counted, the known ones still found', () => {
  const s = new Senders(2);
  for (let i = 0; i < MAX_ORIGINS; i++) assert.equal(s.find(0x0200, i, 0, false), i);
  assert.equal(s.find(0x0200, 999, 0, false), -1);
  assert.equal(s.find(-1, 0, 5, true), -1);
  assert.deepEqual([s.list.length, s.leftOut], [MAX_ORIGINS, 2]);
  assert.equal(s.find(0x0200, 3, 0, false), 3);
  assert.equal(s.list[0].outgoing.length, 2);
});

test('senders: two senders whose keys collide are still told apart, and each is found again', () => {
  // the lookup key keeps 30 bits: MACs 02:00:00:00:00:01 and 02:00:40:00:00:01 (the low word differs in bit 30)
  // share one, and so do the addresses 10.0.0.1 and 74.0.0.1 (0x0a000001, 0x4a000001)
  const s = new Senders(2);
  const first = s.find(0x0200, 0x00000001, 0, false);
  const second = s.find(0x0200, 0x40000001, 0, false);
  assert.notEqual(second, first);
  assert.deepEqual([s.find(0x0200, 0x00000001, 0, false), s.find(0x0200, 0x40000001, 0, false)], [first, second]);
  assert.deepEqual([s.list[second].macHi, s.list[second].macLo], [0x0200, 0x40000001]);
  const ten = s.find(-1, 0, v4('10.0.0.1'), true);
  const seventyFour = s.find(-1, 0, v4('74.0.0.1'), true);
  assert.equal(new Set([first, second, ten, seventyFour]).size, 4);
  assert.deepEqual([s.find(-1, 0, v4('10.0.0.1'), true), s.find(-1, 0, v4('74.0.0.1'), true)], [ten, seventyFour]);
  assert.equal(s.list[seventyFour].addr, v4('74.0.0.1'));
  assert.equal(s.list.length, 4);
});
