// Unit tests of the vantage-point picture (docs/analysis.md §14.1, §14.3, §14.4; docs/findings.md
// `advert-loss`): the first pass's survey of a capture (survey.ts), the senders timed across captures
// (senders.ts), whose wire each capture is (whose-wire.ts), the split brain's cause from the captures
// (wire-cause.ts), the view built from the matcher (vantage-view.ts) and the advert-loss finding
// (vantage-findings.ts). Why: only test/vantage.test.ts (8 s, through the CLI) reached these files, so a
// changed threshold, boundary, direction or evidence word went unnoticed or cost the whole run. Every
// input is built by hand (records, flows, delivery counts, snapshots) and the expected values follow from
// the rules, not from a run; the whole file takes a fraction of a second.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Survey, routerText, sourceHash, type SourceSample } from '../src/analyze/vantage/survey.js';
import { Sender, Senders } from '../src/analyze/vantage/senders.js';
import { AdvertMatcher, Flow } from '../src/analyze/vantage/advert-matcher.js';
import { whoseWires } from '../src/analyze/vantage/whose-wire.js';
import { wireCause, type WireDelivery, type WireEvidence } from '../src/analyze/vantage/wire-cause.js';
import { VantageView, type PointInput } from '../src/analyze/vantage/vantage-view.js';
import { addLossFindings } from '../src/analyze/vantage/vantage-findings.js';
import type { Alignment } from '../src/analyze/vantage/clock-offset.js';
import type { Delivery, SourceWires, VantageReport } from '../src/analyze/vantage/model.js';
import { LEAD_SAMPLES, MAX_ORIGINS, MAX_SURVEY_ROUTERS, MAX_SURVEY_SOURCES, OFFSET_SAMPLES } from '../src/analyze/vantage/limits.js';
import { SourceState } from '../src/analyze/source-state.js';
import { RouterState } from '../src/analyze/router-state.js';
import type { Finding } from '../src/analyze/model.js';
import { advert, v4 } from './support/records.js';
import { finding, router, snapshot } from './support/snapshots.js';

const US = 1e-6;

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

// ---------------------------------------------------------------------------------------------------
// whose-wire.ts: hand-built matchers (senders, their flows' delivery counts and their timing)

function matcher(k: number): AdvertMatcher {
  return new AdvertMatcher(k, new Array<number>(k).fill(0), new Array<number>(k).fill(1e9));
}

/** A sender (by MAC) with these source addresses. */
function sender(m: AdvertMatcher, macLo: number, ...sources: string[]): number {
  const si = m.senders.find(0x0200, macLo, 0, false);
  m.senders.list[si].sources.push(...sources);
  return si;
}

/** A flow of `source` with, per capture, [expected, arrived] (arrived first, then the losses in a row). */
function flow(m: AdvertMatcher, si: number, source: string, counts: [number, number][], o: { router?: string; destination?: string; sent?: number } = {}): Flow {
  const router = o.router ?? 'v4/99';
  const f = new Flow(4, [v4(source), 0, 0, 0], Number(router.slice(3)), [0, 0, 0, 0], source, router, o.destination ?? '224.0.0.18', m.k);
  f.sender = si;
  counts.forEach(([expected, arrived], vp) => { for (let i = 0; i < expected; i++) f.counts[vp].add(i, i < arrived, false); f.counts[vp].close(); });
  f.sent = o.sent ?? Math.max(...counts.map(([e]) => e));
  m.flows.push(f);
  return f;
}

/** Time differences t(j) − t(i) of a sender's adverts on captures i < j (microseconds). */
function timed(m: AdvertMatcher, si: number, i: number, j: number, micros: number[]): void {
  for (const d of micros) m.senders.list[si].addDiff(0, i, j, d * US);
}

const ALL: [number, number][] = [[10, 10], [10, 10]];

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
  const decide = (lead: number) => {
    const m = matcher(2);
    const a = sender(m, 1, '10.0.0.1');
    const r = sender(m, 2, '10.0.0.2');
    flow(m, a, '10.0.0.1', ALL);
    flow(m, r, '10.0.0.2', ALL);
    timed(m, a, 0, 1, [lead, lead, lead]);
    timed(m, r, 0, 1, [0, 0, 0]);
    return whoseWires(m, ['a', 'b']).get('10.0.0.1');
  };
  assert.deepEqual(decide(2), { vp: 0, how: 'timing', note: 'its frames reach a 2 µs before b, against 10.0.0.2\'s' });
  assert.deepEqual(decide(1.9), { vp: null, how: null,
    note: 'cannot be told (b and a saw every advert of it at the same moment relative to 10.0.0.2\'s frames); name the capture taken there -r 10.0.0.1=FILE' });
});

test('whose wire: the lead must hold in 90 % of the pairs of frames, ties counting half', () => {
  const decide = (own: number[], other: number[]) => {
    const m = matcher(2);
    const a = sender(m, 1, '10.0.0.1');
    const r = sender(m, 2, '10.0.0.2');
    flow(m, a, '10.0.0.1', ALL);
    flow(m, r, '10.0.0.2', ALL);
    timed(m, a, 0, 1, own);
    timed(m, r, 0, 1, other);
    const d = whoseWires(m, ['a', 'b']).get('10.0.0.1')!;
    return d.vp;
  };
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

// ---------------------------------------------------------------------------------------------------
// wire-cause.ts: a hand-made WireEvidence answers toWireOf()

const T = 36000;   // 10:00:00 UTC

function delivery(over: Partial<Delivery> = {}): Delivery {
  return {
    to: 'b', toSource: '10.0.0.2', expected: 50, arrived: 50, lost: 0, lossPercent: 0, dualExpected: 0, dualArrived: 0,
    spellCount: 0, spells: [], spellsLeftOut: 0, longest: null, spellLengths: [0, 0, 0, 0], ...over,
  };
}

function lost(expected: number, arrived: number, over: Partial<Delivery> = {}): Delivery {
  const n = expected - arrived;
  const spell = { from: T + arrived, to: T + expected - 1, adverts: n };
  return delivery({ expected, arrived, lost: n, lossPercent: Math.round((n / expected) * 1000) / 10, spellCount: 1, spells: [spell], longest: spell, ...over });
}

function wires(answers: Record<string, WireDelivery | string>): WireEvidence & { asked: string[] } {
  const asked: string[] = [];
  return {
    asked,
    toWireOf(from: string, to: string, router: string) { asked.push(`${from}>${to}@${router}`); return answers[`${from}>${to}@${router}`] ?? null; },
    cause: () => null,
  };
}

function source(ip: string, priority: number, multicast = 1): SourceState {
  const s = new SourceState(v4(ip), 0, 0, 0, ip, null, 0, -1);
  s.priority = priority;
  s.multicastAdverts = multicast;
  return s;
}

const R99 = new RouterState(1, 'v4/99', 4, 99, -1, 0);
const H = source('10.0.0.1', 100);
const L = source('10.0.0.2', 80);

function run(answers: Record<string, WireDelivery | string>, advs: SourceState[] = [L, H], r = R99) {
  const ev: string[] = [];
  const ctx: Finding['fixContext'] = { deafHost: null, peers: [], multicast: null, family: 4 };
  const w = wires(answers);
  const cause = wireCause(r, advs, w, ev, ctx);
  return { cause, ev, ctx, asked: w.asked };
}

const HEAD = 'adverts from 10.0.0.1 that reached 10.0.0.2\'s wire (b): ';

test('wire cause: the winner\'s adverts right before the other took over all reached its wire: host-drop on it', () => {
  const r = run({
    '10.0.0.1>10.0.0.2@v4/99': { d: lost(50, 10), wire: 'b', others: [], before: { takeovers: 2, expected: 6, arrived: 6 } },
    '10.0.0.2>10.0.0.1@v4/99': { d: delivery({ to: 'a', toSource: '10.0.0.1', expected: 30, arrived: 29 }), wire: 'a', others: [], before: null },
  });
  assert.equal(r.cause, 'host-drop');
  assert.deepEqual(r.ev, [HEAD + '6 of 6 in the 3 intervals before 10.0.0.2 took over (2 times); 10 of 50 while both captures ran ' +
    '(80 % lost, 1 run, the longest 40 in a row from 10:00:10.000 UTC to 10:00:49.000 UTC): they reach 10.0.0.2\'s wire, yet 10.0.0.2 took ' +
    'over as master: its host drops them after they arrive (its firewall, rp_filter, the wrong interface or keepalived\'s socket); ' +
    '10.0.0.2\'s adverts reached 10.0.0.1\'s wire (a): 29 of 30']);
  assert.deepEqual(r.ctx, { deafHost: '10.0.0.2', peers: ['10.0.0.1'], multicast: '224.0.0.18', family: 4 });
  assert.deepEqual(r.asked, ['10.0.0.1>10.0.0.2@v4/99', '10.0.0.2>10.0.0.1@v4/99']);
});

test('wire cause: without adverts before a takeover, those sent while both advertised decide: 98 % is all of them', () => {
  const at = (dualArrived: number) => run({
    '10.0.0.1>10.0.0.2@v4/99': { d: delivery({ expected: 60, arrived: 60, dualExpected: 50, dualArrived }), wire: 'b', others: [],
      before: { takeovers: 1, expected: 0, arrived: 0 } },
  }, [L, source('10.0.0.1', 100, 0)]);
  const all = at(49);
  assert.equal(all.cause, 'host-drop');
  assert.deepEqual(all.ev, [HEAD + '49 of 50 while 10.0.0.2 advertised too; 60 of 60 while both captures ran: they reach 10.0.0.2\'s wire, ' +
    'yet 10.0.0.2 took over as master: its host drops them after they arrive (its firewall, rp_filter, the wrong interface or keepalived\'s socket)']);
  assert.equal(all.ctx.multicast, null);
  const most = at(48);
  assert.equal(most.cause, 'network-loss');
  assert.deepEqual(most.ev, [HEAD + '48 of 50 while 10.0.0.2 advertised too; 60 of 60 while both captures ran: the network between them ' +
    'loses part of them, direction 10.0.0.1 → 10.0.0.2']);
});

test('wire cause: without dual adverts, all of them decide; 2 % arrived is none (network), more is network-loss', () => {
  const at = (arrived: number) => run({
    '10.0.0.1>10.0.0.2@v4/99': { d: lost(50, arrived), wire: 'b', others: [
      delivery({ to: 'obs', toSource: null, expected: 50, arrived: 50 }), delivery({ to: 'c', toSource: '10.0.0.3', expected: 0, arrived: 0 }),
      delivery({ to: 'd', toSource: '10.0.0.4', expected: 40, arrived: 39 })], before: null },
    '10.0.0.2>10.0.0.1@v4/99': 'cannot be told (whatever)',
  });
  const none = at(1);
  assert.equal(none.cause, 'network');
  assert.deepEqual(none.ev, [HEAD + '1 of 50 while both captures ran (98 % lost, 1 run, the longest 49 in a row from 10:00:01.000 UTC to ' +
    '10:00:49.000 UTC) (on the other captures: obs: 50 of 50, d: 39 of 40): the network between them drops them, direction 10.0.0.1 → 10.0.0.2']);
  assert.deepEqual(none.ctx, { deafHost: '10.0.0.2', peers: ['10.0.0.1'], multicast: '224.0.0.18', family: 4 });
  const some = at(2);
  assert.equal(some.cause, 'network-loss');
  assert.deepEqual(some.ev, [HEAD + '2 of 50 while both captures ran (96 % lost, 1 run, the longest 48 in a row from 10:00:02.000 UTC to ' +
    '10:00:49.000 UTC) (on the other captures: obs: 50 of 50, d: 39 of 40): the network between them loses part of them, direction 10.0.0.1 → 10.0.0.2']);
});

test('wire cause: network or loss counts the dual adverts only when there were 3 of them', () => {
  const at = (dualExpected: number) => run({
    '10.0.0.1>10.0.0.2@v4/99': { d: lost(50, 25, { dualExpected, dualArrived: 0, spellCount: 3 }), wire: 'b', others: [],
      before: { takeovers: 1, expected: 3, arrived: 0 } },
  });
  const three = at(3);
  assert.equal(three.cause, 'network');
  assert.deepEqual(three.ev, [HEAD + '0 of 3 in the 3 intervals before 10.0.0.2 took over (1 time); 0 of 3 while 10.0.0.2 advertised too; ' +
    '25 of 50 while both captures ran (50 % lost, 3 runs, the longest 25 in a row from 10:00:25.000 UTC to 10:00:49.000 UTC): ' +
    'the network between them drops them, direction 10.0.0.1 → 10.0.0.2']);
  assert.equal(at(2).cause, 'network-loss');
});

test('wire cause: the winner is the election\'s; a loss without a known run adds no parenthesis', () => {
  const r = run({
    '10.0.0.3>10.0.0.2@v4/99': { d: delivery({ arrived: 40, lost: 10, lossPercent: 20 }), wire: 'b', others: [], before: null },
  }, [source('10.0.0.1', 90), L, source('10.0.0.3', 90)]);
  // 10.0.0.3 wins the tie on priority by its higher address; 10.0.0.1 gets no answer, 10.0.0.2 does
  assert.equal(r.cause, 'network-loss');
  assert.deepEqual(r.ev, ['adverts from 10.0.0.3 that reached 10.0.0.2\'s wire (b): 40 of 50 while both captures ran: the network between ' +
    'them loses part of them, direction 10.0.0.3 → 10.0.0.2']);
  assert.deepEqual(r.asked, ['10.0.0.3>10.0.0.1@v4/99', '10.0.0.3>10.0.0.2@v4/99', '10.0.0.2>10.0.0.3@v4/99']);
});

test('wire cause: an unknown wire is said and the next master is tried; nothing expected is skipped; none decided is null', () => {
  const L2 = source('10.0.0.5', 50);
  const told = run({
    '10.0.0.1>10.0.0.2@v4/99': 'cannot be told (no advert of 10.0.0.2 was matched)',
    '10.0.0.1>10.0.0.5@v4/99': { d: lost(50, 0, { to: 'e', toSource: '10.0.0.5' }), wire: 'e', others: [], before: null },
  }, [H, L, L2]);
  assert.equal(told.cause, 'network');
  assert.equal(told.ev[0], 'whether 10.0.0.1\'s adverts reached 10.0.0.2\'s wire cannot be told from these captures: which one was taken on ' +
    '10.0.0.2 cannot be told (no advert of 10.0.0.2 was matched)');
  assert.match(told.ev[1], /^adverts from 10\.0\.0\.1 that reached 10\.0\.0\.5's wire \(e\): 0 of 50 while both captures ran \(100 % lost, 1 run,/);
  assert.equal(told.ctx.deafHost, '10.0.0.5');
  const ctx0 = { deafHost: null, peers: [], multicast: null, family: 4 };
  const none = run({
    '10.0.0.1>10.0.0.2@v4/99': { d: delivery({ expected: 0, arrived: 0 }), wire: 'b', others: [], before: null },
    '10.0.0.1>10.0.0.5@v4/99': 'cannot be told (why)',
  }, [H, L, L2]);
  assert.deepEqual([none.cause, none.ev.length, none.ctx], [null, 1, ctx0]);
  assert.equal(run({}, [H, L]).cause, null);
});

test('wire cause: IPv6 routers quote the IPv6 group', () => {
  const r6 = new RouterState(2, 'v6/7', 6, 7, -1, 0);
  const r = run({ '10.0.0.1>10.0.0.2@v6/7': { d: lost(50, 0), wire: 'b', others: [], before: null } }, [H, L], r6);
  assert.deepEqual([r.cause, r.ctx.multicast], ['network', 'ff02::12']);
});

// ---------------------------------------------------------------------------------------------------
// vantage-view.ts

function point(name: string, i: number): PointInput {
  return { name, file: `${name}.pcap`, format: 'pcap', frames: 100 + i, adverts: 50 + i, first: 10 + i, last: 90 + i, problem: null };
}

/** Three captures: 10.0.0.1's (a), 10.0.0.2's and 10.0.0.3's (b: both marked outgoing there), an observer. */
function picture() {
  const m = matcher(3);
  const a = sender(m, 1, '10.0.0.1');
  const c = sender(m, 3, '10.0.0.3');
  const b = sender(m, 2, '10.0.0.2');
  const e = sender(m, 5, '10.0.0.5');    // no flow: its wire cannot be told
  m.senders.list[a].outgoing[0] = 1;
  m.senders.list[b].outgoing[1] = 1;
  m.senders.list[c].outgoing[1] = 1;
  void e;
  const fb = flow(m, b, '10.0.0.2', [[5, 5], [5, 5], [5, 4]]);
  const fa = flow(m, a, '10.0.0.1', [[20, 20], [20, 17], [20, 19]]);
  const fu = flow(m, a, '10.0.0.1', [[8, 8], [8, 8], [8, 8]], { destination: '10.0.0.2' });
  flow(m, a, '10.0.0.1', [[3, 3], [3, 2], [3, 3]], { router: 'v4/7' });
  flow(m, c, '10.0.0.3', [[1, 1], [1, 1], [1, 1]], { router: 'v4/5' });
  const fx = flow(m, -1, '10.0.0.9', [[2, 2], [2, 2], [2, 2]], { router: 'v4/99' });
  // 10.0.0.2 took over while 10.0.0.1 advertised: 10.0.0.1's adverts of the 3 intervals before, per capture
  const hi = m.flows.indexOf(fa);
  fb.takeovers.set(hi, { takeovers: 2, expected: Int32Array.from([6, 6, 6]), arrived: Int32Array.from([6, 1, 5]) });
  const fb2 = flow(m, b, '10.0.0.2', [[1, 1], [1, 1], [1, 1]], { destination: '10.0.0.1' });
  fb2.takeovers.set(hi, { takeovers: 1, expected: Int32Array.from([3, 3, 3]), arrived: Int32Array.from([3, 2, 3]) });
  const other = flow(m, b, '10.0.0.2', [[1, 1], [1, 1], [1, 1]], { router: 'v4/98' });
  other.takeovers.set(hi, { takeovers: 9, expected: Int32Array.from([9, 9, 9]), arrived: Int32Array.from([9, 9, 9]) });
  fb.takeovers.set(m.flows.indexOf(fu), { takeovers: 4, expected: Int32Array.from([4, 4, 4]), arrived: Int32Array.from([4, 4, 4]) });
  void fx;
  const align: Alignment = {
    ok: true, offsets: [0, 0.1 + 0.2, -1.0000000004], how: ['reference', 'measured', 'assumed'], against: [null, 0, null],
    pairs: [0, 12, 0], spread: [null, 0.0000012345678912, null], notes: [],
  };
  return { m, align, points: ['a', 'b', 'obs'].map(point) };
}

test('vantage view: each point with its clock (to the nanosecond) and the sources whose wire it is', () => {
  const { m, align, points } = picture();
  const v = new VantageView(points, align, m, ['the clocks note']);
  assert.deepEqual(v.report.points[1], {
    name: 'b', file: 'b.pcap', format: 'pcap', frames: 101, adverts: 51, first: 11, last: 91,
    offset: 0.3, offsetHow: 'measured', offsetAgainst: 'a', offsetPairs: 12, offsetSpread: 1.235e-6, owns: ['10.0.0.3', '10.0.0.2'], problem: null,
  });
  assert.deepEqual([v.report.points[0].offset, v.report.points[0].offsetAgainst, v.report.points[0].offsetSpread, v.report.points[0].owns],
    [0, null, null, ['10.0.0.1']]);
  assert.deepEqual([v.report.points[2].offset, v.report.points[2].offsetHow, v.report.points[2].owns], [-1, 'assumed', []]);
  assert.deepEqual(v.report.notes, ['the clocks note']);
  assert.deepEqual([v.report.sourcesLeftOut, v.report.advertsLeftOut, v.report.settledEarly], [0, 0, 0]);
});

test('vantage view: flows by router, then most adverts first; deliveries to every capture but the wire, with its owner', () => {
  const { m, align, points } = picture();
  const v = new VantageView(points, align, m, []);
  assert.deepEqual(v.report.sources.map((s) => `${s.router} ${s.source}>${s.destination} ${s.sent}`), [
    'v4/5 10.0.0.3>224.0.0.18 1', 'v4/7 10.0.0.1>224.0.0.18 3', 'v4/98 10.0.0.2>224.0.0.18 1',
    'v4/99 10.0.0.1>224.0.0.18 20', 'v4/99 10.0.0.1>10.0.0.2 8', 'v4/99 10.0.0.2>224.0.0.18 5', 'v4/99 10.0.0.9>224.0.0.18 2',
    'v4/99 10.0.0.2>10.0.0.1 1']);
  const a99 = v.report.sources[3];
  assert.deepEqual([a99.wire, a99.wireHow, a99.wireNote], ['a', 'outgoing', 'a marks its frames as sent by the capturing host']);
  // capture b: 10.0.0.3's and 10.0.0.2's; 10.0.0.2 advertises for v4/99, 10.0.0.3 does not
  assert.deepEqual(a99.deliveries, [
    { to: 'b', toSource: '10.0.0.2', expected: 20, arrived: 17, lost: 3, lossPercent: 15, dualExpected: 0, dualArrived: 0, spellCount: 1,
      spells: [{ from: 17, to: 19, adverts: 3 }], spellsLeftOut: 0, longest: { from: 17, to: 19, adverts: 3 }, spellLengths: [0, 0, 1, 0] },
    { to: 'obs', toSource: null, expected: 20, arrived: 19, lost: 1, lossPercent: 5, dualExpected: 0, dualArrived: 0, spellCount: 1,
      spells: [{ from: 19, to: 19, adverts: 1 }], spellsLeftOut: 0, longest: { from: 19, to: 19, adverts: 1 }, spellLengths: [1, 0, 0, 0] }]);
  // for v4/7 no owner of b advertises: the first one found
  assert.deepEqual(v.report.sources[1].deliveries.map((d) => [d.to, d.toSource]), [['b', '10.0.0.3'], ['obs', null]]);
  // a flow without a sender: no decision, every capture
  const x = v.report.sources[6];
  assert.deepEqual([x.wire, x.wireHow, x.wireNote, x.deliveries.map((d) => `${d.to}:${d.toSource}`)],
    [null, null, 'cannot be told', ['a:10.0.0.1', 'b:10.0.0.2', 'obs:null']]);
});

test('vantage view: notes say what the matcher left out, settled early, or could not time', () => {
  const { m, align, points } = picture();
  m.flowsLeftOut = 2; m.advertsLeftOut = 7; m.settledEarly = 4; m.senders.leftOut = 3;
  const v = new VantageView(points, align, m, ['first']);
  assert.deepEqual(v.report.notes, ['first',
    `2 further flows (7 adverts) were analysed but not matched across the captures (at most ${m.flows.length} are)`,
    '3 frames came from senders beyond the 4 whose timing is compared',
    '4 frames were settled before their copies could arrive (the matching window was full): delivery counts may be low']);
  assert.deepEqual([v.report.sourcesLeftOut, v.report.advertsLeftOut, v.report.settledEarly], [2, 7, 4]);
});

test('vantage view: toWireOf takes the flow with most adverts, the other captures, and the adverts before each takeover', () => {
  const { m, align, points } = picture();
  const v = new VantageView(points, align, m, []);
  const x = v.toWireOf('10.0.0.1', '10.0.0.2', 'v4/99');
  assert.ok(x !== null && typeof x !== 'string');
  assert.equal(x.wire, 'b');
  assert.deepEqual([x.d.to, x.d.toSource, x.d.expected, x.d.arrived], ['b', '10.0.0.2', 20, 17]);
  assert.deepEqual(x.others.map((o) => [o.to, o.toSource, o.expected, o.arrived]), [['obs', null, 20, 19]]);
  // both of 10.0.0.2's v4/99 flows, counted on b; not its v4/98 flow, nor the takeovers after the unicast flow
  assert.deepEqual(x.before, { takeovers: 3, expected: 9, arrived: 3 });
  const back = v.toWireOf('10.0.0.2', '10.0.0.1', 'v4/99');
  assert.ok(back !== null && typeof back !== 'string');
  assert.deepEqual([back.wire, back.d.expected, back.before], ['a', 5, null]);
  assert.equal(v.toWireOf('10.0.0.1', '10.0.0.2', 'v4/1'), null);
  assert.equal(v.toWireOf('10.0.0.7', '10.0.0.2', 'v4/99'), null);
  assert.equal(v.toWireOf('10.0.0.1', '10.0.0.8', 'v4/99'), 'cannot be told (no advert of 10.0.0.8 was matched)');
  assert.equal(v.toWireOf('10.0.0.1', '10.0.0.5', 'v4/99'),
    'cannot be told (no capture saw every advert of it); name the capture taken there -r 10.0.0.5=FILE');
  assert.equal(v.toWireOf('10.0.0.3', '10.0.0.2', 'v4/5'), 'cannot be told (b appears to be the wire of both)');
  // a source whose own wire is not known: every other capture is quoted
  const fromUnknown = v.toWireOf('10.0.0.9', '10.0.0.2', 'v4/99');
  assert.ok(fromUnknown !== null && typeof fromUnknown !== 'string');
  assert.deepEqual(fromUnknown.others.map((o) => o.to), ['a', 'obs']);
});

test('vantage view: the cause hook applies the wire rule with the view\'s own deliveries', () => {
  const { m, align, points } = picture();
  const v = new VantageView(points, align, m, []);
  const ev: string[] = [];
  const ctx: Finding['fixContext'] = { deafHost: null, peers: [], multicast: null, family: 4 };
  // 3 of 9 in the intervals before 10.0.0.2 took over: neither all nor none of the 17 of 20 after
  assert.equal(v.cause(R99, [L, H], ev, ctx), 'network-loss');
  assert.equal(ev.length, 1);
  assert.match(ev[0], /^adverts from 10\.0\.0\.1 that reached 10\.0\.0\.2's wire \(b\): 3 of 9 in the 3 intervals before 10\.0\.0\.2 took over \(3 times\); 17 of 20/);
  assert.match(ev[0], /\(on the other captures: obs: 19 of 20\)/);
  assert.match(ev[0], /; 10\.0\.0\.2's adverts reached 10\.0\.0\.1's wire \(a\): 5 of 5$/);
});

// ---------------------------------------------------------------------------------------------------
// vantage-findings.ts

function wiresOf(over: Partial<SourceWires> & { deliveries: Delivery[] }): VantageReport {
  const src: SourceWires = { source: '10.0.0.1', router: 'v4/99', destination: '224.0.0.18', sent: 60, wire: 'a', wireHow: 'timing', wireNote: '', ...over };
  return { points: [], sources: [src], sourcesLeftOut: 0, advertsLeftOut: 0, settledEarly: 0, notes: [] };
}

const LOSS = lost(60, 40, {
  spellCount: 3, spells: [{ from: T + 5, to: T + 9, adverts: 5 }, { from: T + 20, to: T + 20, adverts: 1 }],
  longest: { from: T + 5, to: T + 9, adverts: 5 }, spellLengths: [1, 0, 1, 1], dualExpected: 10, dualArrived: 7,
});

test('advert loss: the finding with its counts, runs, router and fix context; the verdict rises to warning', () => {
  const s = addLossFindings(snapshot({ routers: [router({ key: 'v6/99', family: 6, vrid: 99 }), router({ key: 'v4/99@vlan5', family: 4, vrid: 99 })] }),
    wiresOf({ deliveries: [LOSS] }));
  assert.equal(s.verdict, 'warning');
  assert.deepEqual(s.findings, [{
    code: 'advert-loss', severity: 'warning', routerKey: 'v4/99@vlan5', vrid: 99, family: 4,
    title: '33.3 % of 10.0.0.1\'s adverts are lost on the way to 10.0.0.2',
    evidence: [
      '40 of 60 adverts 10.0.0.1 sent while b ran reached 10.0.0.2\'s wire (b): 33.3 % lost (all 60 were seen on 10.0.0.1\'s own wire, a)',
      '3 runs of lost adverts; the longest: 5 in a row from 10:00:05.000 UTC to 10:00:09.000 UTC',
      'runs of 1, 2, 3 and 4 or more adverts: 1, 0, 1, 1 (a backup takes over after about 3 intervals without an advert)',
      'while another source advertised too: 7 of 10 arrived',
    ],
    cause: 'network-loss', fixContext: { deafHost: '10.0.0.2', peers: ['10.0.0.1'], multicast: '224.0.0.18', family: 4 },
    firstSeen: T + 5, lastSeen: T + 9, count: 3,
  }]);
});

test('advert loss: to an observer\'s capture, from a source of unknown wire, unicast, IPv6, no run known', () => {
  const d = delivery({ to: 'obs', toSource: null, expected: 200, arrived: 196, lost: 4, lossPercent: 2, spellCount: 0 });
  const s = addLossFindings(snapshot({ verdict: 'critical' }),
    wiresOf({ source: 'fd00::1', router: 'v6/7', destination: 'fd00::2', sent: 200, wire: null, deliveries: [d] }));
  assert.equal(s.verdict, 'critical');
  assert.deepEqual(s.findings, [{
    code: 'advert-loss', severity: 'warning', routerKey: null, vrid: 7, family: 6,
    title: '2 % of fd00::1\'s adverts are lost on the way to the capture obs',
    evidence: ['196 of 200 adverts fd00::1 sent while obs ran reached obs: 2 % lost',
      'runs of 1, 2, 3 and 4 or more adverts: 0, 0, 0, 0 (a backup takes over after about 3 intervals without an advert)'],
    cause: 'network-loss', fixContext: { deafHost: null, peers: ['fd00::1'], multicast: null, family: 6 },
    firstSeen: 0, lastSeen: 0, count: 0,
  }]);
  const one = addLossFindings(snapshot(), wiresOf({ router: 'v6/7', destination: 'ff02::12', deliveries: [lost(60, 59)] }));
  assert.equal(one.findings[0].fixContext.multicast, 'ff02::12');
  assert.equal(one.findings[0].evidence[1], '1 run of lost adverts; the longest: 1 in a row from 10:00:59.000 UTC to 10:00:59.000 UTC');
});

test('advert loss: under 1 % in runs of one advert is no finding; 1 %, or two in a row, is', () => {
  const count = (d: Delivery) => addLossFindings(snapshot(), wiresOf({ deliveries: [d] })).findings.length;
  const spell = (n: number) => ({ from: T, to: T + n - 1, adverts: n });
  assert.equal(count(delivery({ expected: 1000, arrived: 991, lost: 9, lossPercent: 0.9, spellCount: 9, longest: spell(1) })), 0);
  assert.equal(count(delivery({ expected: 1000, arrived: 991, lost: 9, lossPercent: 0.9, spellCount: 8, longest: spell(2) })), 1);
  assert.equal(count(delivery({ expected: 1000, arrived: 990, lost: 10, lossPercent: 1, spellCount: 10, longest: spell(1) })), 1);
  assert.equal(count(delivery({ expected: 1000, arrived: 995, lost: 5, lossPercent: 0.5 })), 0);
  assert.equal(count(delivery({ expected: 1000, arrived: 1000, lost: 0, lossPercent: 0 })), 0);
  assert.equal(count(delivery({ expected: 0, arrived: 0, lost: 3, lossPercent: null, longest: spell(3) })), 0);
  const s = snapshot();
  addLossFindings(s, wiresOf({ deliveries: [delivery()] }));
  assert.equal(s.verdict, 'ok');
});

test('advert loss: not added when a split brain or brief dual master of the router already names that direction', () => {
  const told = (over: Partial<Finding>, fix: Partial<Finding['fixContext']> = {}) => {
    const existing = finding({ code: 'split-brain', vrid: 99, family: 4, cause: 'network',
      fixContext: { deafHost: '10.0.0.2', peers: ['10.0.0.9', '10.0.0.1'], multicast: null, family: 4, ...fix }, ...over });
    const s = addLossFindings(snapshot({ findings: [existing] }), wiresOf({ deliveries: [LOSS] }));
    return s.findings.filter((f) => f.code === 'advert-loss').length;
  };
  assert.equal(told({}), 0);
  assert.equal(told({ code: 'brief-dual-master', cause: 'host-drop' }), 0);
  assert.equal(told({ cause: 'network-loss' }), 0);
  assert.equal(told({ code: 'no-master' }), 1);
  assert.equal(told({ cause: 'firewall-drop' }), 1);
  assert.equal(told({ vrid: 98 }), 1);
  assert.equal(told({ family: 6 }), 1);
  assert.equal(told({}, { deafHost: '10.0.0.3' }), 1);
  assert.equal(told({}, { peers: ['10.0.0.9'] }), 1);
});
