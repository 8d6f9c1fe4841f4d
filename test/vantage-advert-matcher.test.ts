// Matching the copies of a frame across captures (src/analyze/vantage/advert-matcher.ts, with limits.ts: part
// of the mutation part `vantage-matching`, docs/analysis.md §14.2), asserted on AdvertMatcher directly: the
// 0.25 s match window, 0.4 of the interval, 50 ms for ARP, 2 ms duplicates on one capture, a capture's span,
// dual periods and takeovers, the bounds (MAX_FLOWS, MAX_PENDING), the senders' time differences.
// test/vantage.test.ts drives it end to end through the CLI (some 8 s, seen only through the report), so the
// mutation run left these rules unwatched. Times are binary fractions where a boundary is tested.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Kind, Reject, type PacketRecord } from '../src/decode/packet.js';
import { AdvertMatcher, type Flow } from '../src/analyze/vantage/advert-matcher.js';
import { MAX_FLOWS, MAX_PENDING } from '../src/analyze/vantage/limits.js';
import { advert, arp, icmpError, rejectRec, v4, type AdvertSpec } from './support/records.js';
import { SOURCE_IP } from './support/vantage-adverts.js';

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
