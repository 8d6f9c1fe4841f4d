// The analyzer's front (analyzer.ts) through its own entry points, the ones the live capture and `check -i`
// use and no shipped capture reaches: frames it does not decode (otherFrame) and the once-a-second sweep they
// drive, the change counter a display renders on, the capture's drop counters, `check -i`'s readiness, an
// expected VRID before the input ends, and the same advert seen twice.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Analyzer, setFastPathForTests } from '../src/analyze/analyzer.js';
import { Checksum, Reject, type PacketRecord } from '../src/decode/packet.js';
import { build, other, rejectRec, series, type AdvertSpec } from './support/records.js';
import { runPath } from './support/fast-path.js';

const A = '10.0.0.1', B = '10.0.0.2', C = '10.0.0.3';

test('frames it does not decode drive the sweep: a master gone silent is seen once a second, before the input ends', () => {
  const an = new Analyzer();
  const events: string[] = [];
  an.onEvent = (e) => events.push(`${e.type}@${e.t}`);
  for (const r of build(series(A, 0, 5, 1))) an.packet(r); // adverts at 0 .. 4
  // then only other traffic, every 0.25 s; A's silence limit, no backup known: 3 + 255/256 + 0.25 + 0.1 = 4.346 s
  for (let t = 4.25; t < 12.25; t += 0.25) an.otherFrame(60, Math.floor(t), Math.round((t % 1) * 1e9));
  // the sweeps run at the first frame of each whole second: 9.0 is the first past 4 + 4.346
  assert.deepEqual(events.filter((e) => e.startsWith('no-master')), ['no-master@9']);
  const s = an.snapshot();
  const nm = s.routers[0].noMasters;
  assert.equal(nm.length, 1);
  assert.deepEqual([nm[0].start, nm[0].end], [4, null]);
  assert.equal(nm[0].duration, 8, 'an open period lasts until the last sweep, at 12 s');
  assert.equal(s.stats.frames, 5 + 32);
  assert.equal(s.stats.vrrpAdverts, 5);
  assert.equal(s.stats.bytes - 60 * 32, build(series(A, 0, 5, 1)).reduce((n, r) => n + r.frameLen, 0));
});

test('a master whose priority fell with no backup known is judged by the sweep, though it speaks every second', () => {
  // B's priority falls with no backup known; the check drop is judged once a backup would have taken over,
  // by the sweep too, although B still advertises every second
  const an = new Analyzer();
  for (const r of build([...series(B, 0, 4, 1), ...series(B, 4, 20, 1, { prio: 90 })])) an.packet(r);
  const before = an.snapshot().findings.map((f) => f.code);
  assert.deepEqual(before, ['tracked-check-failed']);
});

test('the change counter moves with frames, whole seconds, events, findings, the drop counters and the end', () => {
  const an = new Analyzer();
  const c0 = an.changeCount;
  an.otherFrame(60, 0, 100);
  assert.equal(an.changeCount, c0 + 1, 'a frame');
  an.tick(2.5);
  assert.equal(an.changeCount, c0 + 3, 'two whole seconds');
  an.setCaptureCounters(100, 4, 3);
  assert.equal(an.changeCount, c0 + 10, 'dropped 4 and by the interface 3; received is not a change of its own');
  const s = an.snapshot();
  assert.deepEqual([s.stats.pcapReceived, s.stats.pcapDropped, s.stats.pcapIfDropped], [100, 4, 3]);
  const c1 = an.changeCount;
  an.finish();
  assert.equal(an.changeCount, c1 + 1, 'the end');
  // an advert at 2.75 s: a frame, no new second; its router's first master is an event
  const b = new Analyzer();
  b.tick(2.5);
  const c2 = b.changeCount;
  b.packet(build([{ t: 2.75, src: A }])[0]);
  assert.equal(b.changeCount, c2 + 1 + b.snapshot().events.length);
  assert.ok(b.snapshot().events.length >= 1);
});

test('check -i readiness: every router has sent enough adverts, the longest interval, the VRIDs seen', () => {
  const none = new Analyzer();
  assert.deepEqual(none.readiness(3, [99]), { routers: 0, ready: true, longest: 0, vridsSeen: false, flood: false });
  assert.deepEqual(none.readiness(3, []), { routers: 0, ready: true, longest: 0, vridsSeen: true, flood: false });

  const an = new Analyzer();
  for (const r of build([...series(A, 0, 3, 1), ...series(B, 0.5, 1, 2, { prio: 80, interval: 2, vrid: 7 })])) an.packet(r);
  // VRID 99: A sent 3; VRID 7: B sent 1 (every 2 s)
  assert.deepEqual(an.readiness(3, [99]), { routers: 2, ready: false, longest: 2, vridsSeen: true, flood: false });
  assert.deepEqual(an.readiness(1, [99, 7]), { routers: 2, ready: true, longest: 2, vridsSeen: true, flood: false });
  assert.deepEqual(an.readiness(1, [99, 8]).vridsSeen, false);
  an.packet(build([{ t: 2.5, src: B, prio: 80, interval: 2, vrid: 7, ipId: 2 }])[0]);
  an.packet(build([{ t: 3, src: B, prio: 80, interval: 2, vrid: 7, ipId: 3 }])[0]);
  assert.equal(an.readiness(3, [99, 7]).ready, true, 'B has sent 3 now');
});

test('check -i readiness during a flood: one-advert sources are left out, the others must each have sent enough', () => {
  // room for two sources: A and B; C, D, E ... send once each and are not tracked (a flood); C on VRID 5
  // before the flood, once
  const an = new Analyzer({ maxSources: 2 });
  const specs = [...series(A, 0, 6, 1), { t: 0.5, src: B, prio: 80 }, { t: 0.7, src: C, vrid: 5 }];
  for (let i = 0; i < 5; i++) specs.push({ t: 1.1 + i * 0.1, src: `10.0.1.${i + 1}`, prio: 50 });
  for (const r of build(specs)) an.packet(r);
  const s = an.readiness(3, [99]);
  assert.equal(s.flood, true);
  assert.equal(s.routers, 1);
  assert.equal(s.ready, true, 'A sent 6; B (one advert) is left out during the flood');
  assert.equal(an.readiness(7, [99]).ready, false);
  // VRID 5, whose only source sent one advert, is not counted during a flood: not a router, and not unready
});

test('an expected VRID never seen: a finding in every snapshot before the end, one after; none once it is seen', () => {
  const an = new Analyzer({ expectVrids: [99, 42] });
  for (const r of build(series(A, 0, 3, 1))) an.packet(r);
  const open = an.snapshot().findings.filter((f) => f.code === 'expected-vrid-missing');
  assert.deepEqual(open.map((f) => f.vrid), [42]);
  assert.equal(open[0].severity, 'critical');
  an.finish();
  const done = an.snapshot().findings.filter((f) => f.code === 'expected-vrid-missing');
  assert.deepEqual(done.map((f) => f.vrid), [42]);
  assert.deepEqual(done[0].evidence, ['no advert for VRID 42 in 3 adverts seen']);
  const seen = new Analyzer({ expectVrids: [99] });
  for (const r of build(series(A, 0, 3, 1))) seen.packet(r);
  assert.equal(seen.snapshot().findings.length, 0);
  seen.finish();
  assert.equal(seen.snapshot().findings.length, 0);
});

test('the same advert twice: within 2 ms and in time order only, same source, IP ID and checksum', () => {
  const notes = (specs: Parameters<typeof build>[0], change?: (r: ReturnType<typeof build>[number]) => void): string[] => {
    const an = new Analyzer();
    const recs = build(specs);
    if (change) change(recs[recs.length - 1]);
    return recs.map((r) => an.packet(r));
  };
  const twice = (dt: number) => [{ t: 1, src: A, ipId: 5 }, { t: 1 + dt, src: A, ipId: 5 }];
  assert.equal(notes(twice(0.0019)).at(-1), 'duplicate');
  assert.equal(notes(twice(0)).at(-1), 'duplicate', 'the same time (two interfaces, one timestamp)');
  assert.notEqual(notes(twice(0.0021)).at(-1), 'duplicate', 'past the window: a second advert');
  assert.notEqual(notes([{ t: 0, src: A, ipId: 5 }, { t: 0.002, src: A, ipId: 5 }]).at(-1), 'duplicate', 'at 2 ms exactly: a second advert');
  assert.notEqual(notes(twice(0.001), (r) => { r.checksum ^= 1; }).at(-1), 'duplicate', 'another checksum');
  assert.notEqual(notes(twice(0.001), (r) => { r.src3 ^= 1; }).at(-1), 'duplicate', 'another source word');
  assert.notEqual(notes(twice(0.001), (r) => { r.src0 ^= 1; }).at(-1), 'duplicate', 'another source');
  // the later copy first (out of order by 1 ms): not a duplicate of one not seen yet
  const an = new Analyzer();
  const [x, y] = build(twice(0.001));
  assert.equal(an.packet(y), 'new-master');
  assert.notEqual(an.packet(x), 'duplicate');
  // the one-entry check is against the router's last sender: another source in between ends it
  assert.notEqual(notes([{ t: 1, src: A, ipId: 5 }, { t: 1.0005, src: B, prio: 80, ipId: 9 }, { t: 1.001, src: A, ipId: 5 }]).at(-1), 'duplicate');
});

test('a router removed to make room and heard again later is tracked afresh: no look-up keeps the removed one', () => {
  // room for one router: VRID 99 (A, one advert) makes room for VRID 5 (X repeats during the flood), then
  // VRID 99 repeats and makes room in turn; then VRID 5 once more
  const X = '10.0.5.1';
  const an = new Analyzer({ maxRouters: 1 });
  const seen = (): string[] => an.snapshot().routers.map((r) => `${r.key} ${r.advertisers.map((a) => `${a.ip}:${a.adverts}`).join(' ')}`);
  const send = (t: number, src: string, vrid: number, ipId: number): string => an.packet(build([{ t, src, vrid, ipId }])[0]);
  send(0, A, 99, 1);
  assert.deepEqual([send(0.5, X, 5, 1), send(1, X, 5, 2)], ['untracked', 'contender'], 'tracked from its repeat');
  assert.deepEqual(seen(), [`v4/5 ${X}:1`]);
  assert.deepEqual([send(2, A, 99, 2), send(2.5, A, 99, 3)], ['untracked', 'contender']);
  assert.deepEqual(seen(), [`v4/99 ${A}:1`], 'VRID 99 afresh, its advert before the eviction not counted');
  // X was seen 2 s ago (within the repeat window): tracked at once, master at its next advert
  assert.deepEqual([send(3, X, 5, 3), send(3.5, X, 5, 4)], ['contender', 'new-master']);
  assert.deepEqual(seen(), [`v4/5 ${X}:2`]);
  assert.deepEqual(an.snapshot().limits!.evicted, { routers: 3, sources: 0 });
});

test('routers of one VRID on VLANs, QinQ and both families are kept apart, and found again advert after advert', () => {
  const an = new Analyzer();
  const recs = build([
    ...series(A, 0, 3, 1), ...series(A, 0.1, 3, 1, { vlan: 10 }), ...series('fe80::1', 0.2, 3, 1, { vrid: 99 }),
    ...series(B, 0.3, 3, 1, { vlan: 10, prio: 80, vrid: 98 }),
  ]);
  for (const r of recs) an.packet(r);
  // stacked tags (outer.inner): 20.10, and the edges 20.0 (a priority tag inside) and 0.10
  for (const [outer, inner, dt] of [[20, 10, 0.4], [20, 0, 0.5], [0, 10, 0.6]]) {
    for (let i = 0; i < 3; i++) {
      const q = build([{ t: dt + i, src: C, vlan: inner, ipId: i + 1 }])[0];
      q.vlanOuter = outer;
      an.packet(q);
    }
  }
  assert.deepEqual(an.snapshot().routers.map((r) => [r.key, r.advertisers.map((a) => `${a.ip}:${a.adverts}`).join(' ')]), [
    ['v4/99', `${A}:3`], ['v4/99@vlan10', `${A}:3`], ['v6/99', 'fe80::1:3'], ['v4/98@vlan10', `${B}:3`], ['v4/99@vlan20.10', `${C}:3`],
    ['v4/99@vlan20.0', `${C}:3`], ['v4/99@vlan0.10', `${C}:3`],
  ]);
});

test('making room among more routers than one look takes: the fewest adverts, then the longest silent, from a rotating start', () => {
  // 40 routers, each one source that advertised and resigned (nothing going on: all may go), VRID 36's source
  // with a single advert; two newcomers repeat during the flood, each taking the room of one router. The first
  // look (32 routers from the start) does not reach VRID 36: it takes VRID 1 (as few adverts as any, silent
  // longest); the second look starts where the first ended and finds VRID 36 (one advert)
  const an = new Analyzer({ maxRouters: 40 });
  const specs: Parameters<typeof build>[0] = [];
  for (let i = 1; i <= 40; i++) {
    const src = `10.1.${i}.1`;
    if (i !== 36) specs.push({ t: 0.01 * i, src, vrid: i, ipId: 1 });
    specs.push({ t: 1 + 0.01 * i, src, vrid: i, prio: 0, ipId: 2 });
  }
  for (const [t, src] of [[3, '10.2.0.1'], [3.5, '10.2.0.1'], [4, '10.2.0.2'], [4.5, '10.2.0.2']] as const) specs.push({ t, src, vrid: 200 + (t < 4 ? 1 : 2) });
  for (const r of build(specs)) an.packet(r);
  const vrids = an.snapshot().routers.map((r) => r.vrid);
  assert.equal(vrids.length, 40);
  const gone = Array.from({ length: 40 }, (_, i) => i + 1).filter((v) => !vrids.includes(v));
  assert.deepEqual(gone, [1, 36]);
  assert.ok(vrids.includes(201) && vrids.includes(202));
});

test('a router that aged out right after its advert was the last looked up is tracked afresh when it speaks again', () => {
  // VRID 7 (L, one advert at 1 s, the last advert tracked); VRID 5's advert at 3 s is beyond the one-router
  // limit (a flood): from then on what never became established ages out: VRID 7 goes after 60 s of
  // silence; L speaks again at 70 s, after the flood: a new router
  const L = '10.0.0.7';
  const an = new Analyzer({ maxRouters: 1 });
  an.packet(build([{ t: 1, src: L, vrid: 7 }])[0]);
  assert.equal(an.packet(build([{ t: 3, src: '10.0.5.1', vrid: 5 }])[0]), 'untracked');
  for (let t = 4; t <= 69; t++) an.otherFrame(60, t, 0);
  assert.deepEqual(an.snapshot().routers, []);
  assert.deepEqual(an.snapshot().limits!.agedOut, { routers: 1, sources: 1 });
  assert.equal(an.packet(build([{ t: 70, src: L, vrid: 7, ipId: 2 }])[0]), 'new-master');
  assert.deepEqual(an.snapshot().routers.map((r) => [r.key, r.adverts]), [['v4/7', 1]]);
});

test('the steady-state fast path is left whenever the master\'s advert changes in any way it compares', () => {
  // a master alone, then one thing changes in its adverts: the fast path must give what the general path
  // gives (each comparison the fast path makes, turned always-true, would swallow one of these)
  const base4: Partial<AdvertSpec> = {};
  const v6u: Partial<AdvertSpec> = { dst: 'fe80::2' };
  /** Variant index -> a source that sends once, at 7.5 s, while the master is alone. */
  const others = new Map<number, string>();
  const variants: [string, string, Partial<AdvertSpec>, Partial<AdvertSpec>][] = [
    ['interval', A, base4, { interval: 2 }], ['version', A, base4, { version: 3 }],
    ['address list', A, base4, { addrs: ['10.0.0.101'] }], ['address count', A, base4, { addrs: ['10.0.0.100', '10.0.0.101'] }],
    ['auth type', A, base4, { auth: null }], ['password, first half', A, base4, { auth: 'xecret' }], ['password, second half', A, base4, { auth: 'secrex' }],
    ['checksum', A, base4, { checksum: Checksum.Bad }], ['TTL', A, base4, { ttl: 254 }], ['TTL back to 255', A, { ttl: 254 }, base4],
    ['unicast TTL', A, { dst: B, ttl: 64 }, { dst: B, ttl: 63 }], ['unicast TTL up', A, { dst: B, ttl: 63 }, { dst: B, ttl: 64 }],
    ['multicast to unicast', A, base4, { dst: B }], ['unicast to multicast', A, { dst: B }, {}], ['unicast peer', A, { dst: B }, { dst: C }],
    ['IPv6 multicast to unicast', 'fe80::1', {}, v6u], ['IPv6 unicast to multicast', 'fe80::1', v6u, {}],
    ['IPv6 peer, word 0', 'fe80::1', v6u, { dst: 'fe81::2' }], ['IPv6 peer, word 1', 'fe80::1', v6u, { dst: 'fe80:0:0:1::2' }],
    ['IPv6 peer, word 2', 'fe80::1', v6u, { dst: 'fe80::1:0:0:2' }], ['IPv6 peer, word 3', 'fe80::1', v6u, { dst: 'fe80::3' }],
  ];
  // another source whose address differs from the master's in one word only
  for (const [word, other] of [[0, 'fe81::1'], [1, 'fe80:0:0:1::1'], [2, 'fe80::1:0:0:1'], [3, 'fe80::2']] as const) {
    variants.push([`another IPv6 source, word ${word}`, 'fe80::1', {}, {}]);
    others.set(variants.length - 1, other);
  }
  const run = (specs: AdvertSpec[], fast: boolean) => {
    setFastPathForTests(fast);
    try {
      const an = new Analyzer();
      const notes = build(specs).map((r) => `${an.packet(r)}:${an.lastAnomaly}`);
      an.finish();
      return { notes, snap: an.snapshot() };
    } finally {
      setFastPathForTests(true);
    }
  };
  variants.forEach(([what, src, before, after], i) => {
    const specs = [...series(src, 0, 5, 1, before), ...series(src, 5, 10, 1, after, 6)];
    const other = others.get(i);
    if (other !== undefined) specs.push({ t: 7.5, src: other });   // as the master's adverts but for the address
    assert.deepEqual(run(specs, true), run(specs, false), what);
  });
  // a configuration mismatch with a source heard once before: each of the master's adverts says so
  const mismatch = [...series(A, 0, 10, 1), { t: 0.5, src: B, prio: 80, auth: 'other' }];
  assert.deepEqual(run(mismatch, true), run(mismatch, false), 'a mismatch with a source heard before');
  assert.equal(run(mismatch, true).notes.at(-1), 'anomaly:auth-mismatch');
  // time: an advert out of order, and one after a silence past the window
  for (const [what, specs] of [
    ['out of order', [...series(A, 0, 6, 1), { t: 4.5, src: A, ipId: 9 }, ...series(A, 6, 8, 1, {}, 10)]],
    ['after a silence', [...series(A, 0, 5, 1), ...series(A, 12, 15, 1, {}, 6)]],
  ] as [string, AdvertSpec[]][]) {
    // in the order given, not sorted: the out-of-order advert comes late
    assert.deepEqual(runPath(specs, true), runPath(specs, false), what);
  }
});

test('the clock: frames of no interest move neither it nor the first time; a frame, tick or probe out of order does not move it back', () => {
  const an = new Analyzer();
  an.packet(other(5));
  assert.deepEqual([an.snapshot().time, an.snapshot().firstTime, an.snapshot().stats.frames], [0, null, 1]);
  an.packet(build([{ t: 10, src: A }])[0]);
  an.packet(build([{ t: 9, src: B, prio: 80 }])[0]);
  assert.deepEqual([an.snapshot().time, an.snapshot().firstTime], [10, 10]);
  an.tick(8);
  an.probeSent(4, 0x0a000064, 0, 0, 0, 7);
  assert.equal(an.snapshot().time, 10);
  assert.equal(an.snapshot().routers[0]!.lastSeen, 10, 'the router\'s last advert time does not go back either');
  an.tick(11);
  assert.equal(an.snapshot().time, 11);
});

test('finish() twice is finish() once', () => {
  const an = new Analyzer({ expectVrids: [42] });
  for (const r of build([...series(A, 0, 5, 1), ...series(B, 0.5, 5, 1, { prio: 80, auth: 'other' })])) an.packet(r);
  an.finish();
  const once = JSON.stringify(an.snapshot());
  an.finish();
  assert.equal(JSON.stringify(an.snapshot()), once);
});

test('adverts counted: the untracked ones beyond the limits too, not the duplicates', () => {
  const an = new Analyzer({ maxRouters: 1 });
  for (const r of build([...series(A, 0, 3, 1), { t: 1.5, src: B, vrid: 5 }, { t: 2.5, src: C, vrid: 6 }])) an.packet(r);
  assert.deepEqual([an.snapshot().stats.vrrpAdverts, an.snapshot().limits!.untrackedAdverts], [5, 2]);
});

test('frames cut by the snapshot length: any of the three truncations is the capture\'s, another reject of a cut frame is the wire\'s', () => {
  const cut = (t: number, why: Reject): PacketRecord => {
    const r = rejectRec(t, why);
    r.capLen = 40;
    return r;
  };
  const an = new Analyzer();
  for (const r of [cut(1, Reject.TruncatedIp), cut(2, Reject.TruncatedVrrp), cut(3, Reject.TruncatedAddresses), cut(4, Reject.BadVersion)]) an.packet(r);
  const s = an.snapshot();
  assert.equal(s.stats.cutByCapture, 3);
  const rp = s.findings.find((f) => f.code === 'rejected-packets')!;
  assert.deepEqual([rp.count, rp.evidence], [1, ['1 bad-version']]);
});

test('a snapshot\'s event advertisers are copies: changing them changes nothing kept', () => {
  const an = new Analyzer();
  for (const r of build(series(A, 0, 3, 1))) an.packet(r);
  const first = an.snapshot();
  first.events[0]!.advertisers.push('tampered');
  assert.deepEqual(an.snapshot().events[0]!.advertisers, [A]);
});
