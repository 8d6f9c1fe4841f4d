// The edges of matching copies across captures (src/analyze/vantage/advert-matcher.ts) that
// test/vantage-advert-matcher.test.ts leaves open: copies first seen on a later capture, IPv6 keys, senders
// found by address or not at all, the pending window turning over in a flood, equal frames settled while
// their copies are still due, the advertising window of a source with another interval, a run that began at 0,
// an advert without an interval, and the capture spans in a takeover. Times are binary fractions where a
// difference or a boundary is asserted.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { PacketRecord } from '../src/decode/packet.js';
import { AdvertMatcher, type Flow } from '../src/analyze/vantage/advert-matcher.js';
import { MAX_PENDING } from '../src/analyze/vantage/limits.js';
import { advert, arp, icmpError, type AdvertSpec } from './support/records.js';
import { SOURCE_IP } from './support/vantage-adverts.js';

/** An IPv4 advert of 10.0.0.1 (VRID 99, priority 100, 1 s) unless told. */
const ad = (t: number, o: Partial<AdvertSpec> = {}): PacketRecord => advert({ src: SOURCE_IP, ipId: 1, ...o, t });

/** A matcher of `k` captures all running from 0 to 1000 unless told. */
const matcher = (k: number, first?: number[], last?: number[]) =>
  new AdvertMatcher(k, first ?? new Array<number>(k).fill(0), last ?? new Array<number>(k).fill(1000));

const counted = (f: Flow) => f.counts.map((c) => [c.expected, c.arrived]);

/** The VRRP virtual MAC of VRID 99 (00:00:5e:00:01:63): shared by whoever is master, so it names no host. */
const VIRTUAL_MAC: [number, number] = [0x0000, 0x5e000163];
const D = 2 ** -9;

// ================================================================ copies and their times

test('copies: a frame first seen on the second capture; its duplicates there and the time difference', () => {
  const m = matcher(2);
  for (let i = 0; i < 3; i++) {
    const t = 1 + i;
    // capture 1 saw it first, twice 1 ms apart (-i any), capture 0 saw it 2^-9 s later
    assert.equal(m.observe(ad(t, { ipId: i + 1 }), 1, false), true);
    assert.equal(m.observe(ad(t + 0.001, { ipId: i + 1 }), 1, false), true);
    assert.equal(m.observe(ad(t + D, { ipId: i + 1 }), 0, false), false);
  }
  assert.equal(m.duplicates, 3);
  m.finish();
  assert.deepEqual([m.flows[0]!.sent, ...counted(m.flows[0]!)], [3, [3, 3], [3, 3]]);
  // t(1) - t(0): capture 1 was earlier
  assert.deepEqual(m.senders.list[0]!.samples(0, 1), [-D, -D, -D]);
});

test('copies: with three captures, the pair of the second and third has its own differences', () => {
  const m = matcher(3);
  for (let i = 0; i < 3; i++) {
    const t = 1 + i;
    // all three captures, capture 2 2^-9 s after capture 1, capture 0 2^-8 s after capture 1
    m.observe(ad(t, { ipId: i + 1 }), 1, false);
    m.observe(ad(t + D, { ipId: i + 1 }), 2, false);
    m.observe(ad(t + 2 * D, { ipId: i + 1 }), 0, false);
  }
  m.finish();
  const s = m.senders.list[0]!;
  assert.deepEqual([s.samples(1, 2), s.samples(0, 2), s.samples(0, 1)], [[D, D, D], [-D, -D, -D], [-2 * D, -2 * D, -2 * D]]);
});

test('copies: IPv6 adverts to two unicast peers that differ only past the first 32 bits are two frames', () => {
  const m = matcher(2);
  // one source's adverts to fe80::2 and fe80::3 (unicast peers) at the same moment, with the same checksum
  // field: the whole destination tells them apart
  const to = (t: number, dst: string) => advert({ t, src: 'fe80::1', dst, vrid: 7 });
  assert.equal(m.observe(to(100, 'fe80::2'), 0, false), true);
  assert.equal(m.observe(to(100, 'fe80::3'), 0, false), true);
  assert.equal(m.duplicates, 0);
  assert.equal(m.observe(to(100 + D, 'fe80::2'), 1, false), false);
  assert.equal(m.observe(to(100 + D, 'fe80::3'), 1, false), false);
  m.finish();
  assert.deepEqual(m.flows.map((f) => [f.destination, ...counted(f)]), [['fe80::2', [1, 1], [1, 1]], ['fe80::3', [1, 1], [1, 1]]]);
});

// ================================================================ senders

test('senders: adverts from the virtual MAC are timed by their source address', () => {
  const m = matcher(2);
  for (let i = 0; i < 3; i++) {
    m.observe(ad(1 + i, { ipId: i + 1, mac: VIRTUAL_MAC }), 0, false);
    m.observe(ad(1 + i + D, { ipId: i + 1, mac: VIRTUAL_MAC }), 1, true);
  }
  m.finish();
  assert.equal(m.senders.list.length, 1);
  const s = m.senders.list[0]!;
  assert.deepEqual([s.macHi, s.sources, s.outgoing, s.samples(0, 1)], [-1, [SOURCE_IP], [0, 3], [D, D, D]]);
});

test('senders: ICMP errors from a link without MACs are timed by their sender\'s address', () => {
  const m = matcher(2);
  const err = (t: number, ipId: number) => { const p = icmpError(t, '10.0.0.2', SOURCE_IP, '224.0.0.18', 99); p.macHi = -1; p.ipId = ipId; return p; };
  for (let i = 0; i < 3; i++) {
    m.observe(err(1 + i, i + 1), 0, false);
    assert.equal(m.observe(err(1 + i + D, i + 1), 1, false), false);
  }
  m.finish();
  assert.equal(m.senders.list.length, 1);
  assert.deepEqual([m.senders.list[0]!.macHi, m.senders.list[0]!.samples(0, 1)], [-1, [D, D, D]]);
});

test('senders: gratuitous ARP from the virtual MAC names no sender (its address is the VIP), even marked outgoing', () => {
  const m = matcher(2);
  for (let i = 0; i < 3; i++) {
    const g = (t: number) => arp(t, 1, VIRTUAL_MAC, '10.0.0.100', '10.0.0.100');
    assert.equal(m.observe(g(1 + i), 0, true), true);
    assert.equal(m.observe(g(1 + i + D), 1, false), false);
  }
  m.finish();
  assert.equal(m.senders.list.length, 0);
});

// ================================================================ the pending window and its buckets

test('floods: once the pending window has turned over, the copies of waiting frames keep their times', () => {
  const m = matcher(2);
  // one record reused (as the decoder does): MAX_PENDING + 3 adverts at one instant on capture 0, so the
  // ring of pending frames wraps; then the copies of the 7 newest on capture 1, 2^-9 s later
  const p = ad(100);
  for (let id = 0; id < MAX_PENDING + 3; id++) { p.ipId = id; m.observe(p, 0, false); }
  assert.equal(m.settledEarly, 3);
  const copy = ad(100 + D);
  for (let id = MAX_PENDING - 4; id < MAX_PENDING + 3; id++) { copy.ipId = id; assert.equal(m.observe(copy, 1, false), false, `IP ID ${id}`); }
  m.finish();
  assert.deepEqual(m.senders.list[0]!.samples(0, 1), new Array<number>(7).fill(D));
  assert.deepEqual(counted(m.flows[0]!), [[MAX_PENDING + 3, MAX_PENDING + 3], [MAX_PENDING + 3, 7]]);
});

test('floods: through three turns of the pending window, every copy of a waiting frame is found', () => {
  const m = matcher(2);
  // distinct adverts at one instant on capture 0; the copy of each comes 12000 frames later on capture 1,
  // while it still waits (the window holds MAX_PENDING): the bucket lists must stay right as frames settle
  const n = 3 * MAX_PENDING, lag = 12000;
  const p = ad(100), copy = ad(100 + D);
  let unmatched = 0;
  for (let id = 0; id < n + lag; id++) {
    if (id < n) { p.ipId = id; m.observe(p, 0, false); }
    if (id >= lag) { copy.ipId = id - lag; if (m.observe(copy, 1, false)) unmatched++; }
  }
  assert.equal(unmatched, 0);
  m.finish();
  assert.deepEqual(counted(m.flows[0]!), [[n, n], [n, n]]);
});

test('floods: a burst of equal ARP frames pairs copy by copy after its first frames are settled', () => {
  const m = matcher(2);
  // 40 equal gratuitous ARPs 2^-6 s apart on capture 0 (0.6 s: the first settle while the burst goes on),
  // each on capture 1 2^-5 + 2^-7 s later (39 ms, within the 50 ms for ARP): the copy comes after the next
  // two, and must pair with its own frame, not with the newest one
  const g = (t: number) => arp(t, 1, [0x5254, 0x00aa0001], '10.0.0.100', '10.0.0.100');
  const lag = 2 ** -5 + 2 ** -7;
  const events: [number, number][] = [];
  for (let i = 0; i < 40; i++) events.push([100 + i * 2 ** -6, 0], [100 + i * 2 ** -6 + lag, 1]);
  events.sort((x, y) => x[0] - y[0]);
  for (const [t, vp] of events) assert.equal(m.observe(g(t), vp, false), vp === 0, `t ${t} capture ${vp}`);
  m.finish();
  assert.deepEqual(m.senders.list[0]!.samples(0, 1), new Array<number>(40).fill(lag));
});

test('floods: equal frames on both sides of the pending window\'s turn stay paired when the first is settled', () => {
  const m = matcher(2);
  const g = (t: number) => arp(t, 1, [0x5254, 0x00bb0001], '10.0.0.100', '10.0.0.100');
  const p = ad(100);
  // MAX_PENDING - 1 adverts at 100, settled by 101: the window's next frame is its last place, the one after
  // it its first again
  for (let id = 0; id < MAX_PENDING - 1; id++) { p.ipId = id; m.observe(p, 0, false); }
  // two equal ARPs there, then adverts filling the window, then a third equal ARP: it settles the first early
  m.observe(g(101), 0, false);
  m.observe(g(101 + 2 ** -10), 0, false);
  const q = ad(101 + 2 ** -9);
  for (let id = 0; id < MAX_PENDING - 2; id++) { q.ipId = MAX_PENDING + id; m.observe(q, 0, false); }
  m.observe(g(101 + 2 ** -8), 0, false);
  assert.equal(m.settledEarly, 1);
  // capture 1's copies of the second and the third, 2^-7 s later: each finds its own frame
  assert.equal(m.observe(g(101 + 2 ** -10 + 2 ** -7), 1, false), false);
  assert.equal(m.observe(g(101 + 2 ** -8 + 2 ** -7), 1, false), false);
});

// ================================================================ runs, takeovers and the advertising window

/** Adverts [time, source, priority, interval], each on the captures `seenOn` allows (all unless told), `change`d if told. */
function story(m: AdvertMatcher, sent: [number, string, number, number][], seenOn: (vp: number, src: string) => boolean = () => true,
               change?: (p: PacketRecord, src: string) => void): AdvertMatcher {
  sent.sort((x, y) => x[0] - y[0]);
  for (const [i, [t, src, prio, interval]] of sent.entries()) {
    const p = advert({ t, src, ipId: i + 1, prio, interval });
    change?.(p, src);
    for (let vp = 0; vp < m.k; vp++) if (seenOn(vp, src)) m.observe(p, vp, false);
  }
  m.finish();
  return m;
}
const B = '10.0.0.2';
const every = (src: string, from: number, to: number, step: number, prio: number): [number, string, number, number][] => {
  const out: [number, string, number, number][] = [];
  for (let t = from; t <= to; t += step) out.push([t, src, prio, step]);
  return out;
};

test('takeover: a source advertising to two unicast peers does not take over from itself', () => {
  const m = matcher(1);
  let id = 1;
  // A's adverts to 10.0.0.2 and to 10.0.0.3 every second: the second flow's first advert finds the first
  // flow advertising, but that is A itself
  for (const t of [0, 1, 2, 3]) for (const dst of ['10.0.0.2', '10.0.0.3']) m.observe(ad(t, { dst, ipId: id++ }), 0, false);
  m.finish();
  assert.deepEqual(m.flows.map((f) => [f.destination, f.takeovers.size]), [['10.0.0.2', 0], ['10.0.0.3', 0]]);
});

test('takeover: a source with 2 s adverts still advertises 2.5 s after its last one (1.5 of its own interval)', () => {
  // A every 2 s up to 4; B (1 s) takes over at 6.5: A's advert at 4 lies in B's 3 intervals
  const m = story(matcher(1), [...every(SOURCE_IP, 0, 4, 2, 100), [6.5, B, 110, 1]]);
  const c = m.flows[1]!.takeovers.get(0);
  assert.deepEqual([c?.takeovers, [...(c?.expected ?? [])]], [1, [1]]);
  // at 7.125 (3.125 s after it) A no longer advertises
  assert.equal(story(matcher(1), [...every(SOURCE_IP, 0, 4, 2, 100), [7.125, B, 110, 1]]).flows[1]!.takeovers.size, 0);
});

test('takeover: a source with 2 s adverts keeps its run across a 2.5 s silence, not across 3.125 s', () => {
  const takeovers = (bAt: number[]) =>
    story(matcher(1), [...every(SOURCE_IP, 0, 12, 1, 100), ...bAt.map((t): [number, string, number, number] => [t, B, 110, 2])]).flows[1]!.takeovers.get(0)!.takeovers;
  assert.equal(takeovers([6, 8, 10.5]), 1);
  assert.equal(takeovers([6, 8, 11.125]), 2);
});

test('takeover: a run that began at 0 on the clock is a run (the first source does not take over at its second advert)', () => {
  // A from 0, B (higher priority) from 0.5: both keep advertising every second up to 4
  const m = story(matcher(1), [...every(SOURCE_IP, 0, 4, 1, 100), ...every(B, 0.5, 4, 1, 110)]);
  const [a, b] = m.flows as [Flow, Flow];
  assert.equal(a.takeovers.size, 0);
  assert.deepEqual([...b.takeovers.keys()], [0]);
  assert.equal(b.takeovers.get(0)!.takeovers, 1);
});

test('takeover: an advert without an interval is taken as a 1 s one for the advertising window', () => {
  // A's adverts carry interval 0 (every second from 0 to 3); B takes over at 3.5: A still advertises and its
  // adverts at 1, 2 and 3 lie in B's 3 intervals
  const m = story(matcher(1), [...every(SOURCE_IP, 0, 3, 1, 100), [3.5, B, 110, 1]], () => true,
    (p, src) => { if (src === SOURCE_IP) p.intervalCs = 0; });
  const c = m.flows[1]!.takeovers.get(0);
  assert.deepEqual([c?.takeovers, [...(c?.expected ?? [])]], [1, [3]]);
});

test('takeover: the other source\'s adverts are expected on a capture from its first to its last moment, both included', () => {
  // capture 1 ran from 3 to 4 and heard none of A's adverts (every second to 5); B takes over at 6: of A's
  // adverts at 3, 4 and 5, capture 1 should have had those at 3 and 4
  const m = story(matcher(2, [0, 3], [1000, 4]), [...every(SOURCE_IP, 0, 5, 1, 100), [6, B, 110, 1]], (vp, src) => vp === 0 || src === B);
  const c = m.flows[1]!.takeovers.get(0)!;
  assert.deepEqual([[...c.expected], [...c.arrived]], [[3, 2], [3, 0]]);
});

// ================================================================ flows left out

test('bounds: IPv6 flows left out that differ only past the first 32 bits of the source count as two', () => {
  const m = matcher(1);
  for (let i = 0; i < 64; i++) m.observe(ad(0, { src: `10.0.1.${i}` }), 0, false);
  m.observe(advert({ t: 1, src: 'fe80::1', vrid: 7 }), 0, false);
  m.observe(advert({ t: 1, src: 'fe80::2', vrid: 7 }), 0, false);
  assert.deepEqual([m.flowsLeftOut, m.advertsLeftOut], [2, 2]);
});
