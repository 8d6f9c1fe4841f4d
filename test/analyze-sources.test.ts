// What the analyzer keeps per source and per router, and the repeat sketch of the flood admission
// (src/analyze/source-state.ts, router-state.ts, repeat-sketch.ts: the mutation part `sources`). The shipped
// captures drive these files only along their common paths, so the mutation run left their bounds and
// branches unwatched: the "none yet" starting values, what observe() reports as a change, the unicast peers
// and their bound, TTL range, checksum counts and flavour, the priority history's bound, the Welford mean,
// the election order (priority, then the address unsigned word by word), forgetting history and sources,
// the best known backup, the VLAN tag path of a key (QinQ), the sketch's generations and hashes, and the
// distinct counter's estimate. Each is asserted directly on the exported classes and functions, where an
// Analyzer run would only show it through several layers; one Analyzer run checks QinQ keys end to end.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Checksum, type PacketRecord } from '../src/decode/packet.js';
import { SourceState, beats, firstPair, isMulticast } from '../src/analyze/source-state.js';
import { RouterState, bestKnownBackup, forgetSource, routerKey, tagOf, type FindingRecord } from '../src/analyze/router-state.js';
import { DistinctCounter, RepeatSketch, hashOut, keyHash, routerHash } from '../src/analyze/repeat-sketch.js';
import { MAX_PRIORITY_HISTORY, MAX_UNICAST_PEERS } from '../src/analyze/limits.js';
import type { Finding, NoMasterPeriod, SplitBrainPeriod } from '../src/analyze/model.js';
import { advert, v4, v6, type AdvertSpec } from './support/records.js';
import { analyse } from './support/analyze-run.js';

// ---------------------------------------------------------------- helpers

/** A source of router v4/99 (or v6 when the address has a colon), first seen at `t`. */
function source(ip: string, t = 0): SourceState {
  const w = ip.includes(':') ? v6(ip) : [v4(ip), 0, 0, 0];
  return new SourceState(w[0], w[1], w[2], w[3], ip, null, t, -1);
}

/** A source given by its address words (as the decoder may hand them over: signed or not) and priority. */
function sourceOfWords(words: [number, number, number, number], priority: number): SourceState {
  const s = new SourceState(words[0], words[1], words[2], words[3], words.join('.'), null, 0, -1);
  s.priority = priority;
  return s;
}

/** One advert record, `change` applied to it (fields the builder does not expose). */
function rec(spec: Partial<AdvertSpec> = {}, change: (p: PacketRecord) => void = () => {}): PacketRecord {
  const p = advert({ t: 0, src: '10.0.0.1', ...spec });
  change(p);
  return p;
}

/** observe() of each record in turn on `s`, at t = 1, 2, ...: what it reported each time. */
function changes(s: SourceState, records: PacketRecord[], multicast = true): boolean[] {
  return records.map((p, i) => s.observe(p, i + 1, multicast));
}

function close(actual: number, expected: number, what: string): void {
  assert.ok(Math.abs(actual - expected) < 1e-12, `${what}: ${actual}, expected ${expected}`);
}

// ---------------------------------------------------------------- SourceState

test('a new source starts with the documented "none yet" values', () => {
  const s = new SourceState(0x0a000001, 0, 0, 0, '10.0.0.1', '52:54:00:aa:00:01', 12.5, 10);
  assert.deepEqual({
    ip: s.ip, mac: s.mac, vlan: s.vlan, firstSeen: s.firstSeen, lastSeen: s.lastSeen, macHi: s.macHi, macLo: s.macLo,
    priority: s.priority, lastNonZeroPriority: s.lastNonZeroPriority, priorityHistory: s.priorityHistory, version: s.version,
    intervalCs: s.intervalCs, intervalRaw: s.intervalRaw, intervalSeconds: s.intervalSeconds, adverts: s.adverts,
    intervalSamples: s.intervalSamples, intervalMean: s.intervalMean, intervalM2: s.intervalM2,
    addressHash: s.addressHash, addressCount: s.addressCount, addresses: s.addresses,
    authType: s.authType, authHi: s.authHi, authLo: s.authLo, authText: s.authText,
    multicastAdverts: s.multicastAdverts, unicastAdverts: s.unicastAdverts,
    lastUnicastDst: [s.lastUnicastDst0, s.lastUnicastDst1, s.lastUnicastDst2, s.lastUnicastDst3], unicastPeers: s.unicastPeers,
    ttlMin: s.ttlMin, ttlMax: s.ttlMax, badTtlAdverts: s.badTtlAdverts, lastTtlBad: s.lastTtlBad,
    checksumCounts: s.checksumCounts, ipId: s.ipId, lastChecksum: s.lastChecksum, timerPushedAt: s.timerPushedAt,
    advertising: s.advertising, advertisingSince: s.advertisingSince, resigned: s.resigned, resignedAt: s.resignedAt,
    advertsUnderBetter: s.advertsUnderBetter, advertsEchoed: s.advertsEchoed, longestEcho: s.longestEcho, echoedBy: s.echoedBy,
    configMismatch: s.configMismatch, listedHash: s.listedHash, listedCount: s.listedCount, trailerBytes: s.trailerBytes,
    admittedByRepeat: s.admittedByRepeat,
  }, {
    ip: '10.0.0.1', mac: '52:54:00:aa:00:01', vlan: 10, firstSeen: 12.5, lastSeen: 12.5, macHi: -1, macLo: 0,
    priority: -1, lastNonZeroPriority: 0, priorityHistory: [], version: 0,
    intervalCs: -1, intervalRaw: 0, intervalSeconds: 1, adverts: 0,
    intervalSamples: 0, intervalMean: 0, intervalM2: 0,
    addressHash: -1, addressCount: -1, addresses: [],
    authType: -2, authHi: 0, authLo: 0, authText: null,
    multicastAdverts: 0, unicastAdverts: 0,
    lastUnicastDst: [-1, -1, -1, -1], unicastPeers: [],
    ttlMin: 256, ttlMax: -1, badTtlAdverts: 0, lastTtlBad: false,
    checksumCounts: [0, 0, 0, 0, 0], ipId: -1, lastChecksum: -1, timerPushedAt: -1,
    advertising: false, advertisingSince: -1, resigned: false, resignedAt: -1,
    advertsUnderBetter: 0, advertsEchoed: 0, longestEcho: 0, echoedBy: null,
    configMismatch: null, listedHash: -1, listedCount: -1, trailerBytes: -1,
    admittedByRepeat: false,
  });
  assert.equal(s.claimedOwner(), false, 'no priority seen yet');
  assert.equal(s.checksumFlavour(), 0, 'no checksum seen yet: the standard flavour');
});

test('observe: the first advert sets what it advertises and is a change; the same advert again is not', () => {
  const s = source('10.0.0.1');
  const first = rec({ ipId: 7, addrs: ['10.0.0.100', '10.0.0.101'] }, (p) => { p.checksum = 0x1234; });
  assert.equal(s.observe(first, 3.5, true), true);
  assert.deepEqual([s.adverts, s.lastSeen, s.firstSeen, s.ipId, s.lastChecksum], [1, 3.5, 0, 7, 0x1234]);
  assert.deepEqual([s.version, s.intervalCs, s.intervalRaw, s.intervalSeconds], [2, 100, 1, 1]);
  assert.deepEqual([s.authType, s.authText, s.addressCount, s.addresses], [1, 'secret', 2, ['10.0.0.100', '10.0.0.101']]);
  assert.equal(s.addressHash, first.addrHash);
  const again = rec({ ipId: 8, addrs: ['10.0.0.100', '10.0.0.101'] }, (p) => { p.checksum = 0x4321; });
  assert.equal(s.observe(again, 4.5, true), false, 'nothing the advertisers are compared on changed');
  assert.deepEqual([s.adverts, s.lastSeen, s.ipId, s.lastChecksum], [2, 4.5, 8, 0x4321]);
});

test('observe: the interval is kept raw (v3 centiseconds) and in seconds; an advertised 0 counts as 1 s', () => {
  const s = source('fd00::1');
  assert.deepEqual(changes(s, [rec({ src: 'fd00::1', interval: 0.5 }), rec({ src: 'fd00::1', interval: 0 }), rec({ src: 'fd00::1', interval: 0 })]),
    [true, true, false]);
  assert.deepEqual([s.intervalCs, s.intervalRaw, s.intervalSeconds], [0, 0, 1], 'interval 0: 1 s');
  s.observe(rec({ src: 'fd00::1', interval: 0.5 }), 9, true);
  assert.deepEqual([s.intervalCs, s.intervalRaw, s.intervalSeconds], [50, 50, 0.5]);
  // a first advert of 1 cs is taken too (before the first advert the interval is -1, not a real value)
  const fast = source('fd00::2');
  fast.observe(rec({ src: 'fd00::2', interval: 0.01 }), 1, true);
  assert.deepEqual([fast.intervalCs, fast.intervalRaw, fast.intervalSeconds], [1, 1, 0.01]);
});

test('observe: a new version alone is a change', () => {
  const s = source('10.0.0.1');
  const v2 = rec();
  const v3 = rec({}, (p) => { p.version = 3; });
  assert.deepEqual(changes(s, [v2, v3, v3]), [true, true, false]);
  assert.equal(s.version, 3);
});

test('observe: a new auth type or either auth data word alone is a change; the text is kept for simple auth only', () => {
  const s = source('10.0.0.1');
  const base = rec({ auth: 'secret' });
  const otherLo = rec({ auth: 'secret' }, (p) => { p.authLo ^= 1; });
  const otherHi = rec({ auth: 'secret' }, (p) => { p.authHi ^= 1; });
  const ah = rec({ auth: 'secret', authType: 2 });
  assert.deepEqual(changes(s, [base, otherLo, otherLo, otherHi]), [true, true, false, true]);
  assert.deepEqual([s.authHi, s.authLo], [otherHi.authHi, otherHi.authLo]);
  assert.equal(s.authText, 'secret');
  assert.equal(s.observe(ah, 5, true), true);
  assert.deepEqual([s.authType, s.authText], [2, null], 'type 2: the bytes are no password');
  assert.equal(s.observe(base, 6, true), true);
  assert.deepEqual([s.authType, s.authText], [1, 'secret']);
});

test('observe: a new address-list hash or count alone is a change and reloads the addresses', () => {
  const s = source('10.0.0.1');
  const one = rec({ addrs: ['10.0.0.100'] });
  const otherHash = rec({ addrs: ['10.0.0.200'] }, (p) => { p.addrHash = one.addrHash ^ 1; });
  const otherCount = rec({ addrs: ['10.0.0.200', '10.0.0.201'] }, (p) => { p.addrHash = otherHash.addrHash; });
  assert.deepEqual(changes(s, [one, otherHash, otherHash]), [true, true, false]);
  assert.deepEqual([s.addressHash, s.addressCount, s.addresses], [one.addrHash ^ 1, 1, ['10.0.0.200']]);
  assert.equal(s.observe(otherCount, 5, true), true);
  assert.deepEqual([s.addressCount, s.addresses], [2, ['10.0.0.200', '10.0.0.201']]);
});

test('observe: the first unicast advert and the first multicast after unicast are changes, repeats are not', () => {
  const toPeer = rec({ dst: '10.0.0.2' });
  const multicast = rec();
  const mixedLater = source('10.0.0.1');
  assert.deepEqual([mixedLater.observe(multicast, 1, true), mixedLater.observe(multicast, 2, true)], [true, false]);
  assert.deepEqual([mixedLater.observe(toPeer, 3, false), mixedLater.observe(toPeer, 4, false)], [true, false]);
  assert.equal(mixedLater.observe(multicast, 5, true), false, 'it multicast before: nothing new');
  assert.deepEqual([mixedLater.multicastAdverts, mixedLater.unicastAdverts], [3, 2]);

  const unicastFirst = source('10.0.0.1');
  assert.deepEqual([unicastFirst.observe(toPeer, 1, false), unicastFirst.observe(toPeer, 2, false)], [true, false]);
  assert.deepEqual([unicastFirst.observe(multicast, 3, true), unicastFirst.observe(multicast, 4, true)], [true, false]);
  assert.deepEqual([unicastFirst.multicastAdverts, unicastFirst.unicastAdverts], [2, 2]);
  assert.deepEqual(unicastFirst.unicastPeers, ['10.0.0.2'], 'multicast adverts add no peer');
  assert.deepEqual([unicastFirst.lastUnicastDst0, unicastFirst.lastUnicastDst1], [v4('10.0.0.2'), 0]);
});

test('unicast peers: each destination once, in order of first use; one IPv6 word differing makes another peer', () => {
  const s = source('2001:db8::1');
  const peers = ['2001:db8::2', '2001:db8::3', '2001:db8::2', '2001:db8::1:0:0:2', '2001:db8:0:1::2', '2001:db9::2', '2001:db8::3'];
  for (const [i, dst] of peers.entries()) s.observe(rec({ src: '2001:db8::1', dst }), i + 1, false);
  // ::2 and ::3 differ in word 3 only, ::1:0:0:2 in word 2, 0:1::2 in word 1, db9 in word 0
  assert.deepEqual(s.unicastPeers, ['2001:db8::2', '2001:db8::3', '2001:db8::1:0:0:2', '2001:db8:0:1::2', '2001:db9::2']);
  assert.deepEqual([s.lastUnicastDst0, s.lastUnicastDst1, s.lastUnicastDst2, s.lastUnicastDst3], v6('2001:db8::3'));
  assert.equal(s.unicastAdverts, peers.length);
});

test(`unicast peers: at most MAX_UNICAST_PEERS (${MAX_UNICAST_PEERS}) are kept, the first ones`, () => {
  const s = source('10.0.0.1');
  const all = Array.from({ length: MAX_UNICAST_PEERS + 4 }, (_, i) => `10.0.1.${i + 1}`);
  for (const [i, dst] of all.entries()) s.observe(rec({ dst }), i + 1, false);
  assert.deepEqual(s.unicastPeers, all.slice(0, MAX_UNICAST_PEERS));
  assert.equal(s.lastUnicastDst0, v4(all[all.length - 1]), 'the last destination is still followed');
});

test('observe: bytes after the message, -8 for a v2 advert missing its auth data; a new length is a change', () => {
  const s = source('10.0.0.1');
  const plain = rec();
  const hmac = rec({}, (p) => { p.trailingBytes = 28; });
  const noAuthData = rec({}, (p) => { p.authDataMissing = true; });
  const authDataThere = rec({}, (p) => { p.authDataMissing = false; });
  assert.deepEqual(changes(s, [plain, hmac, hmac]), [true, true, false]);
  assert.equal(s.trailerBytes, 28);
  assert.equal(s.observe(noAuthData, 4, true), true);
  assert.equal(s.trailerBytes, -8);
  assert.equal(s.observe(authDataThere, 5, true), true);
  assert.equal(s.trailerBytes, 0);
});

test('TTL: the range seen; a multicast advert with TTL other than 255 is bad, a unicast one never', () => {
  const s = source('10.0.0.1');
  const seen: [boolean, number][] = [];
  for (const [ttl, multicast] of [[255, true], [64, true], [1, false], [255, true], [254, true]] as const) {
    s.observe(rec({ ttl, dst: multicast ? undefined : '10.0.0.2' }), seen.length + 1, multicast);
    seen.push([s.lastTtlBad, s.badTtlAdverts]);
  }
  assert.deepEqual(seen, [[false, 0], [true, 1], [false, 1], [false, 1], [true, 2]]);
  assert.deepEqual([s.ttlMin, s.ttlMax], [1, 255]);
  const zero = source('10.0.0.3');
  zero.observe(rec({ src: '10.0.0.3', ttl: 0 }), 1, true);
  assert.deepEqual([zero.ttlMin, zero.ttlMax], [0, 0], 'a first advert with TTL 0: the range 0-0');
});

test('checksums: counted per status, unknown included; a first v2-style or old-unicast checksum is a change, ok and bad are not', () => {
  const s = source('10.0.0.1');
  const of = (checksum: Checksum): PacketRecord => rec({ version: 3, checksum });
  const statuses = [Checksum.Ok, Checksum.Ok, Checksum.Bad, Checksum.Unknown, Checksum.V2Style, Checksum.V2Style,
    Checksum.OldUnicast, Checksum.OldUnicast, Checksum.Bad, Checksum.Ok];
  assert.deepEqual(changes(s, statuses.map(of)), [true, false, false, false, true, false, true, false, false, false]);
  assert.deepEqual(s.checksumCounts, [3, 2, 2, 2, 1]);
});

test('checksum flavour: the status used most among ok, v2-style and old-unicast, the earlier of equals; bad and unknown ignored', () => {
  const s = source('10.0.0.1');
  const flavour = (counts: number[]): number => {
    s.checksumCounts = counts;
    return s.checksumFlavour();
  };
  assert.equal(flavour([0, 0, 0, 5, 5]), 0, 'nothing verifiable: standard');
  assert.equal(flavour([0, 0, 1, 0, 0]), 2);
  assert.equal(flavour([1, 2, 0, 9, 0]), 1);
  assert.equal(flavour([1, 0, 2, 0, 0]), 2);
  assert.equal(flavour([0, 1, 2, 0, 0]), 2);
  assert.equal(flavour([1, 3, 2, 0, 0]), 1);
  assert.equal(flavour([3, 1, 2, 0, 0]), 0);
  assert.equal(flavour([2, 2, 0, 0, 0]), 0, 'ok and v2-style equal: ok');
  assert.equal(flavour([2, 0, 2, 0, 0]), 0, 'ok and old-unicast equal: ok');
  assert.equal(flavour([0, 3, 3, 0, 0]), 1, 'v2-style and old-unicast equal: v2-style');
});

test(`priority history: every change kept up to MAX_PRIORITY_HISTORY (${MAX_PRIORITY_HISTORY}) points, then the oldest dropped`, () => {
  const s = source('10.0.0.1');
  for (let i = 1; i <= MAX_PRIORITY_HISTORY; i++) s.notePriority(i % 2 === 0 ? 100 : 90, i);
  assert.equal(s.priorityHistory.length, MAX_PRIORITY_HISTORY);
  assert.deepEqual(s.priorityHistory[0], { t: 1, priority: 90 }, 'full, nothing dropped yet');
  s.notePriority(255, 1000);
  assert.equal(s.priorityHistory.length, MAX_PRIORITY_HISTORY);
  assert.deepEqual(s.priorityHistory[0], { t: 2, priority: 100 }, 'the oldest point dropped');
  assert.deepEqual(s.priorityHistory[MAX_PRIORITY_HISTORY - 1], { t: 1000, priority: 255 });
  assert.equal(s.priority, 255);
});

test('a source\'s first advert is the first point of its priority history, also at priority 1', () => {
  const { snap } = analyse([{ t: 0, src: '10.0.0.1', prio: 1 }, { t: 1, src: '10.0.0.1', prio: 1 }, { t: 2, src: '10.0.0.1', prio: 7 }]);
  assert.deepEqual(snap.routers[0]!.advertisers[0]!.priorityHistory, [{ t: 0, priority: 1 }, { t: 2, priority: 7 }]);
});

test('measured interval: Welford running mean and sum of squared deviations', () => {
  const s = source('10.0.0.1');
  s.addIntervalSample(1.0);
  s.addIntervalSample(1.2);
  assert.equal(s.intervalSamples, 2);
  close(s.intervalMean, 1.1, 'mean of 1.0, 1.2');
  close(s.intervalM2, 0.02, 'squared deviations of 1.0, 1.2');
  s.addIntervalSample(0.8);
  s.addIntervalSample(1.0);
  assert.equal(s.intervalSamples, 4);
  close(s.intervalMean, 1.0, 'mean of 1.0, 1.2, 0.8, 1.0');
  close(s.intervalM2, 0.08, 'squared deviations of 1.0, 1.2, 0.8, 1.0');
  s.addIntervalSample(3.0);
  close(s.intervalMean, 1.4, 'mean with an outlier');
  close(s.intervalM2, 3.28, 'squared deviations with an outlier: 0.4² + 0.2² + 0.6² + 0.4² + 1.6²');
});

test('claimedOwner: priority 255 now, or at any point of its history', () => {
  const s = source('10.0.0.1');
  s.notePriority(100, 1);
  assert.equal(s.claimedOwner(), false);
  s.notePriority(255, 2);
  assert.equal(s.claimedOwner(), true, 'now');
  s.notePriority(200, 3);
  assert.equal(s.claimedOwner(), true, 'earlier, not now');
  const now = source('10.0.0.2');
  now.priority = 255;
  assert.equal(now.claimedOwner(), true, 'now, with no history');
});

// ---------------------------------------------------------------- election order, pairs, multicast

test('beats: the higher priority wins, whatever the addresses', () => {
  const low = sourceOfWords([0xc0000001 | 0, 0, 0, 0], 100);
  const high = sourceOfWords([0x0a000001, 0, 0, 0], 101);
  assert.equal(beats(high, low), true);
  assert.equal(beats(low, high), false);
});

test('beats: equal priorities: the higher address, word by word and unsigned (IPv4 above 128.0.0.0, each IPv6 word)', () => {
  const pairs: [string, [number, number, number, number], [number, number, number, number]][] = [
    ['IPv4, signed word', [0xc8000001 | 0, 0, 0, 0], [0x0a000001, 0, 0, 0]],
    ['IPv4, unsigned word', [0xc8000001, 0, 0, 0], [0x0a000001, 0, 0, 0]],
    ['IPv6 word 0', [0xfe800000 | 0, 0, 0, 1], [0x20010db8, 0, 0, 2]],
    ['IPv6 word 1', [0x20010db8, 0x80000000 | 0, 0, 1], [0x20010db8, 1, 0, 2]],
    ['IPv6 word 2', [0x20010db8, 0, 0x90000000 | 0, 1], [0x20010db8, 0, 7, 2]],
    ['IPv6 word 3', [0x20010db8, 0, 0, 0xa0000000 | 0], [0x20010db8, 0, 0, 2]],
  ];
  for (const [what, higher, lower] of pairs) {
    const a = sourceOfWords(higher, 100), b = sourceOfWords(lower, 100);
    assert.deepEqual([beats(a, b), beats(b, a)], [true, false], what);
  }
  const same = sourceOfWords([0x20010db8, 0, 0, 1], 100);
  assert.equal(beats(same, sourceOfWords([0x20010db8, 0, 0, 1], 100)), false, 'the same address and priority: no winner');
});

test('firstPair: the first ordered pair of two distinct sources (outer loop first), null when none', () => {
  const a = source('10.0.0.1'), b = source('10.0.0.2'), c = source('10.0.0.3');
  a.priority = 200; b.priority = 100; c.priority = 50;
  assert.deepEqual(firstPair([a, b, c], () => true), [a, b]);
  assert.deepEqual(firstPair([a, b, c], (x, y) => x.priority < y.priority), [b, a]);
  assert.deepEqual(firstPair([a, b, c], (x, y) => y === c && x !== a), [b, c]);
  assert.equal(firstPair([a, b, c], (x, y) => x.priority === y.priority), null, 'a source with itself does not count');
  assert.equal(firstPair([a], () => true), null);
  assert.equal(firstPair([], () => true), null);
});

test('isMulticast: 224.0.0.0/4 for IPv4, ff00::/8 for IPv6, signed words too', () => {
  const cases: [number, string, boolean][] = [
    [4, '224.0.0.18', true], [4, '239.255.255.255', true], [4, '223.255.255.255', false], [4, '240.0.0.1', false],
    [4, '10.0.0.2', false], [6, 'ff02::12', true], [6, 'fe80::2', false], [6, '2001:db8::2', false],
  ];
  for (const [family, dst, expected] of cases) {
    const word = family === 6 ? v6(dst)[0] : v4(dst);
    assert.equal(isMulticast(family, word), expected, dst);
    assert.equal(isMulticast(family, word | 0), expected, `${dst} as a signed word`);
  }
  assert.equal(isMulticast(4, v6('ff02::12')[0]), false, 'an IPv4 destination word 255.2.0.0 is no group');
  assert.equal(isMulticast(6, v4('224.0.0.18')), false, 'an IPv6 destination e000:: is no group');
});

// ---------------------------------------------------------------- RouterState

function router(): RouterState {
  return new RouterState(99, 'v4/99', 4, 99, -1, 0);
}

function period(end: number | null): SplitBrainPeriod & NoMasterPeriod {
  return { start: 1, end, duration: 1, advertisers: [], lastMaster: null };
}

function withFindings(r: RouterState, codes: string[]): void {
  for (const code of codes) r.findings.set(code, { finding: { code } as unknown as Finding, router: r, source: null, otherSource: null } satisfies FindingRecord);
}

test('a new router: no source, no master, no period, nothing counted yet', () => {
  const r = new RouterState(5731, 'v4/99@vlan10', 4, 99, 10, 7.5);
  assert.deepEqual({
    numericKey: r.numericKey, key: r.key, family: r.family, vrid: r.vrid, vlan: r.vlan, firstSeen: r.firstSeen, lastSeen: r.lastSeen,
    sources: r.sources, advertisingCount: r.advertisingCount, master: r.master, lastSender: r.lastSender,
    dualPeriodMaxInterval: r.dualPeriodMaxInterval, splitBrain: r.splitBrain, splitBrainSources: r.splitBrainSources,
    noMaster: r.noMaster, failovers: r.failovers, splitBrains: r.splitBrains, noMasters: r.noMasters,
    masterChangeTimes: r.masterChangeTimes, findings: r.findings.size, adverts: r.adverts, lastFailover: r.lastFailover,
    lastMaster: r.lastMaster, silencedMaster: r.silencedMaster, silencedSpells: r.silencedSpells,
    silencedSpellsNotKept: r.silencedSpellsNotKept, splitBrainAtEnd: r.splitBrainAtEnd, noMasterAtEnd: r.noMasterAtEnd,
    vlanOuter: r.vlanOuter, pendingTakeover: r.pendingTakeover, briefDualMasters: r.briefDualMasters,
    admittedByRepeat: r.admittedByRepeat, checkDrop: r.checkDrop, totals: r.totals,
  }, {
    numericKey: 5731, key: 'v4/99@vlan10', family: 4, vrid: 99, vlan: 10, firstSeen: 7.5, lastSeen: 0,
    sources: [], advertisingCount: 0, master: null, lastSender: null,
    dualPeriodMaxInterval: 0, splitBrain: null, splitBrainSources: [],
    noMaster: null, failovers: [], splitBrains: [], noMasters: [],
    masterChangeTimes: [], findings: 0, adverts: 0, lastFailover: null,
    lastMaster: null, silencedMaster: null, silencedSpells: [],
    silencedSpellsNotKept: 0, splitBrainAtEnd: false, noMasterAtEnd: false,
    vlanOuter: -1, pendingTakeover: null, briefDualMasters: [],
    admittedByRepeat: false, checkDrop: null,
    totals: { failover: 0, graceful: 0, preemption: 0, initial: 0, splitBrains: 0, splitBrainClosedSeconds: 0, noMasters: 0, noMasterClosedSeconds: 0, briefDualMasters: 0 },
  });
  assert.ok(Number.isNaN(r.dualPeriodStart), 'no dual period: NaN');
});

test('forgetHistory: master changes and closed periods go; an open split brain keeps its period and finding only', () => {
  const r = router();
  r.failovers = [{ t: 1, from: null, to: '10.0.0.1', kind: 'initial', duration: null, expected: null }];
  r.masterChangeTimes = [1, 2];
  const open = period(null), closed = period(5);
  r.splitBrains = [closed, open];
  r.splitBrain = open;
  r.noMasters = [period(3)];
  withFindings(r, ['vrid-collision', 'split-brain', 'no-master', 'ttl-not-255']);
  r.totals.splitBrains = 2;
  r.forgetHistory();
  assert.deepEqual([r.failovers, r.masterChangeTimes, r.noMasters], [[], [], []]);
  assert.equal(r.splitBrains.length, 1);
  assert.equal(r.splitBrains[0], open);
  assert.deepEqual([...r.findings.keys()], ['split-brain']);
  assert.equal(r.totals.splitBrains, 2, 'the totals stay');
});

test('forgetHistory: an open no-master period keeps its period and finding only; with nothing open every finding goes', () => {
  const r = router();
  const open = period(null);
  r.noMasters = [period(2), open];
  r.noMaster = open;
  r.splitBrains = [period(4)];
  withFindings(r, ['split-brain', 'no-master', 'flapping']);
  r.forgetHistory();
  assert.deepEqual(r.splitBrains, []);
  assert.equal(r.noMasters.length, 1);
  assert.equal(r.noMasters[0], open);
  assert.deepEqual([...r.findings.keys()], ['no-master']);

  const quiet = router();
  withFindings(quiet, ['split-brain', 'no-master', 'flapping']);
  quiet.forgetHistory();
  assert.equal(quiet.findings.size, 0);
});

test('forgetSource: removes that source (first, last or absent) and forgets it as the last sender', () => {
  const r = router();
  const a = source('10.0.0.1'), b = source('10.0.0.2'), c = source('10.0.0.3'), stranger = source('10.0.0.9');
  r.sources = [a, b, c];
  r.lastSender = a;
  forgetSource(r, stranger);
  assert.deepEqual(r.sources, [a, b, c], 'a source it does not have: nothing removed');
  assert.equal(r.lastSender, a);
  forgetSource(r, a);
  assert.deepEqual(r.sources, [b, c]);
  assert.equal(r.lastSender, null);
  r.lastSender = b;
  forgetSource(r, c);
  assert.deepEqual(r.sources, [b]);
  assert.equal(r.lastSender, b, 'another source sent last: it stays');
});

test('bestKnownBackup: the other source with the highest last non-zero priority, the first of equals, null when none', () => {
  const r = router();
  const master = source('10.0.0.1'), never = source('10.0.0.2'), first = source('10.0.0.3'), second = source('10.0.0.4'), lower = source('10.0.0.5');
  master.lastNonZeroPriority = 250; never.lastNonZeroPriority = 0; first.lastNonZeroPriority = 120;
  second.lastNonZeroPriority = 120; lower.lastNonZeroPriority = 90;
  r.sources = [master, never];
  assert.equal(bestKnownBackup(r, master), null, 'only a source that never advertised a priority above 0');
  r.sources = [master, never, lower, first, second];
  assert.equal(bestKnownBackup(r, master), first);
  r.sources = [never, lower, first, second];
  assert.equal(bestKnownBackup(r, first), second, 'the source asked about is no backup of itself');
  r.sources = [lower, master];
  assert.equal(bestKnownBackup(r, lower), master);
});

test('tagOf and routerKey: the VLAN tag path (QinQ outer and inner apart), family and VRID make one number each', () => {
  assert.equal(tagOf(-1, -1), -1, 'untagged');
  assert.equal(tagOf(10, -1), 10);
  assert.equal(tagOf(10, 0), 4096 + 10, 'outer VLAN 0 is a tag too');
  assert.equal(tagOf(10, 20), 21 * 4096 + 10);
  assert.equal(tagOf(4095, 4095), 4096 * 4096 + 4095);
  assert.equal(routerKey(-1, 4, 99), 99);
  assert.equal(routerKey(-1, 6, 99), 256 + 99);
  assert.equal(routerKey(10, 4, 1), 11 * 512 + 1);
  assert.equal(routerKey(10, 6, 255), 11 * 512 + 256 + 255);
  assert.equal(routerKey(tagOf(10, 20), 4, 99), (21 * 4096 + 11) * 512 + 99);
});

test('QinQ: the same VRID and inner VLAN under two outer VLANs are two routers, apart from the single-tagged one', () => {
  const tagged = (t: number, outer: number): PacketRecord => rec({ t, vlan: 10 }, (p) => { p.vlanOuter = outer; });
  const { snap } = analyse([tagged(0, 20), tagged(0.1, 30), tagged(0.2, -1), tagged(1, 20), tagged(1.1, 30), tagged(1.2, -1)]);
  assert.deepEqual(snap.routers.map((r) => [r.key, r.vlan, r.vlanOuter, r.adverts]),
    [['v4/99@vlan20.10', 10, 20, 2], ['v4/99@vlan30.10', 10, 30, 2], ['v4/99@vlan10', 10, undefined, 2]]);
});

// ---------------------------------------------------------------- repeat sketch and distinct counter

/** MurmurHash3 x86_32 of 32-bit words (little-endian blocks), written from the published algorithm. */
function murmur3(words: number[], seed: number): number {
  let h = seed | 0;
  for (const word of words) {
    let k = Math.imul(word | 0, 0xcc9e2d51);
    k = (k << 15) | (k >>> 17);
    k = Math.imul(k, 0x1b873593);
    h ^= k;
    h = (h << 13) | (h >>> 19);
    h = (Math.imul(h, 5) + 0xe6546b64) | 0;
  }
  h ^= words.length * 4;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

test('the reference MurmurHash3 of this file gives the published test vectors', () => {
  assert.equal(murmur3([], 0), 0);
  assert.equal(murmur3([], 1), 0x514e28b7);
  assert.equal(murmur3([], 0xffffffff), 0x81f16f39);
  assert.equal(murmur3([0], 0), 0x2362f9de);
  assert.equal(murmur3([0x61616161], 0x9747b28c), 0x5a97808a, '"aaaa"');
  assert.equal(murmur3([0x64636261], 0x9747b28c), 0xf0478627, '"abcd"');
});

test('keyHash: two MurmurHash3 passes over the router key (two words), the address (four) and the MAC (two)', () => {
  const keys: [number, number, number, number, number, number, number][] = [
    [0, 0, 0, 0, 0, 0, 0],
    [99, v4('10.0.0.1'), 0, 0, 0, 0x5254, 0x00aa0001],
    [routerKey(-1, 6, 7), ...v6('fe80::5054:ff:fe12:3456'), 0x5254, 0x00123456],
    [routerKey(tagOf(4095, 4095), 6, 255), 0xffffffff, 0x80000000 | 0, 1, 2, 0xffff, 0xffffffff],
    [2 ** 53 - 1, 1, 2, 3, 4, 5, 6],
  ];
  for (const [key, s0, s1, s2, s3, m0, m1] of keys) {
    const lo = key % 2 ** 32, hi = Math.floor(key / 2 ** 32);
    keyHash(key, s0, s1, s2, s3, m0, m1);
    assert.deepEqual([...hashOut], [
      murmur3([lo, hi, s0, s1, s2, s3, m0, m1], 0x9747b28c),
      murmur3([m1, s3, s2, lo, m0, s1, hi, s0], 0x5bd1e995),
    ], `key ${key}`);
  }
});

test('routerHash: distinct router keys spread, the part above 32 bits (QinQ keys) included', () => {
  const seen = new Set<number>();
  for (let key = 1; key <= 64; key++) {
    routerHash(key);
    seen.add(hashOut[0]);
  }
  assert.equal(seen.size, 64, 'no two of 64 small keys share a hash');
  const big = routerKey(tagOf(10, 4095), 4, 99);
  assert.ok(big > 2 ** 32);
  routerHash(big);
  const high = hashOut[0];
  routerHash(big % 2 ** 32);
  assert.notEqual(high, hashOut[0], 'keys equal in their low 32 bits');
  routerHash(big);
  assert.equal(hashOut[0], high, 'the same key, the same hash');
});

test('repeat sketch: its size must be 64 bytes times a power of two', () => {
  const clock = new Float64Array(1);
  for (const bytes of [0, 32, 192, 320]) {
    assert.throws(() => new RepeatSketch(clock, bytes), /^Error: RepeatSketch: size must be 64 bytes times a power of two$/, `${bytes} bytes`);
  }
  for (const bytes of [64, 128, 4096]) assert.doesNotThrow(() => new RepeatSketch(clock, bytes), `${bytes} bytes`);
});

/** A sketch of `bytes` per generation, the window and key cap given, and a function asking it for key `n` at `t`. */
function sketch(bytes: number, window: number, maxKeys: number): { sk: RepeatSketch; at: (t: number, n: number) => boolean } {
  const clock = new Float64Array(1);
  const sk = new RepeatSketch(clock, bytes, window, maxKeys);
  return {
    sk,
    at: (t, n) => {
      clock[0] = t;
      keyHash(SKETCH_ROUTER, SKETCH_ADDRESS + n, 0, 0, 0, 0x5254, n);
      return sk.seenAndAdd();
    },
  };
}
/** Key n of these tests: router v4/99, address 10.0.0.0 + n, MAC 52:54:00:00:00:00 + n. */
const SKETCH_ROUTER = routerKey(-1, 4, 99), SKETCH_ADDRESS = v4('10.0.0.0');

test('repeat sketch: a generation lasts one window from its first key; a key is remembered through the next one, then forgotten', () => {
  const { sk, at } = sketch(1024, 4, 1000);
  const A = 1, B = 2, C = 3, D = 4, E = 5;
  assert.equal(at(0, A), false);
  assert.equal(at(3, B), false);
  assert.equal(at(3.99, A), true, 'within the window');
  assert.equal(sk.rotations, 0);
  assert.equal(at(4, C), false);
  assert.equal(sk.rotations, 1, 'rotated one window after the first key (t = 0)');
  assert.equal(at(4.5, B), true, 'in the previous generation');
  assert.equal(at(7.99, D), false);
  assert.equal(sk.rotations, 1);
  assert.equal(at(8, E), false);
  assert.equal(sk.rotations, 2, 'one window after the last rotation');
  assert.equal(at(8.1, A), false, 'A was last seen in the generation now emptied');
  assert.equal(at(8.2, B), true, 'B was seen again at 4.5, in the generation kept');
  assert.equal(at(8.3, D), true);
});

test('repeat sketch: after a silence of two windows or more nothing from before it comes back', () => {
  const { sk, at } = sketch(1024, 4, 1000);
  assert.equal(at(0, 1), false);
  assert.equal(at(100, 1), false, 'seen 100 s ago: forgotten (both generations emptied)');
  assert.equal(sk.rotations, 2);
  assert.equal(at(101, 1), true, 'seen a second ago');
  // a silence of one window to two: the key of the generation before it is still remembered
  const { at: at2 } = sketch(1024, 4, 1000);
  assert.equal(at2(0, 7), false);
  assert.equal(at2(7.9, 7), true);
  assert.equal(at2(100, 7), false);
});

test('repeat sketch: a generation holding maxKeys keys is rotated early', () => {
  const { sk, at } = sketch(1024, 100, 2);
  assert.deepEqual([at(0, 1), at(1, 2)], [false, false]);
  assert.equal(sk.rotations, 0, 'two keys: full, not rotated yet');
  assert.equal(at(2, 3), false);
  assert.equal(sk.rotations, 1, 'the third key starts a generation');
  assert.equal(at(3, 1), true, 'the previous generation is still asked');
  assert.equal(at(4, 4), false);
  assert.equal(sk.rotations, 2);
  assert.equal(at(5, 1), true, 'key 1 was seen again at 3, in the generation kept');
  assert.equal(at(6, 2), false, 'key 2 was only in the generation emptied');
  assert.equal(sk.rotations, 3);
});

test('repeat sketch: with many blocks every key comes back and no new key is taken for a repeat', () => {
  const { sk, at } = sketch(64 * 64, 4, 1000);
  const keys = Array.from({ length: 48 }, (_, i) => 100 + i);
  assert.deepEqual(keys.map((n) => at(0, n)), keys.map(() => false), 'first time');
  assert.deepEqual(keys.map((n) => at(1, n)), keys.map(() => true), 'again');
  assert.deepEqual(keys.map((n) => at(2, n + 1000)), keys.map(() => false), 'others');
  assert.equal(sk.rotations, 0);
});

test('repeat sketch: a key is taken for a repeat only when all six of its bits are set, in either generation', () => {
  // One block of 512 bits, 6 bits set per key: after k keys a share p(k) = 1 - (1 - 1/512)^(6k) of the bits is set.
  // 78 keys (p = 0.60) are added, then keys never added are asked, four per sketch (each asked key is added to
  // the current generation). Such a key is taken for a repeat with probability p^6 when all six bits are looked
  // at, p^5 when only five are (or fewer, or either of two): over 4,000 keys about 190-210 against 310-340.
  // The bound is their geometric mean, some four standard deviations from each.
  const shareSet = (keys: number): number => 1 - (1 - 1 / 512) ** (6 * keys);
  const base = 78, sketches = 1000, asked = 4;
  for (const generation of ['current', 'previous']) {
    let falseRepeats = 0, sixBits = 0, fiveBits = 0;
    for (let block = 0; block < sketches; block++) {
      const { sk, at } = sketch(64, 4, 1000);
      for (let n = 0; n < base; n++) at(0, 1000 * block + n);
      for (let k = 0; k < asked; k++) {
        if (at(generation === 'current' ? 0 : 4, 1000 * block + 500 + k)) falseRepeats++;
        const p = shareSet(generation === 'current' ? base + k : base);
        sixBits += p ** 6;
        fiveBits += p ** 5;
      }
      assert.equal(sk.rotations, generation === 'current' ? 0 : 1);
    }
    const bound = Math.sqrt(sixBits * fiveBits);
    assert.ok(falseRepeats < bound, `${falseRepeats} false repeats in ${sketches * asked} keys never added, ${generation} generation ` +
      `(expected about ${Math.round(sixBits)}, bound ${Math.round(bound)})`);
  }
});

/** Set one register of a distinct counter to `rank` (1..21) through a crafted hash: the top 12 bits choose
 *  the register, the rank is 1 + the leading zeros of the next 20 bits (21 when they are all zero). */
function addRank(dc: DistinctCounter, register: number, rank: number): void {
  hashOut[0] = ((register << 20) | (rank <= 20 ? 1 << (20 - rank) : 0)) >>> 0;
  dc.add();
}

/** HyperLogLog's estimate as published (Flajolet et al. 2007) for m = 4096 registers: the raw estimate,
 *  linear counting for a small one with empty registers, the 32-bit correction for a large one. */
const ALPHA = 0.7213 / (1 + 1.079 / 4096);

test('distinct counter: nothing added is 0; small estimates use linear counting while registers are empty', () => {
  assert.equal(new DistinctCounter().estimate(), 0);
  const half = new DistinctCounter();
  for (let i = 0; i < 4096; i += 2) addRank(half, i, 1);
  assert.equal(half.estimate(), Math.round(4096 * Math.log(4096 / 2048)), 'half the registers empty');
  const one = new DistinctCounter();
  addRank(one, 7, 3);
  assert.equal(one.estimate(), 1);
});

test('distinct counter: the raw estimate once no register is empty, or when it is large; a register keeps its highest rank', () => {
  const all = new DistinctCounter();
  for (let i = 0; i < 4096; i++) addRank(all, i, 2);
  for (let i = 0; i < 4096; i++) addRank(all, i, 1);
  assert.equal(all.estimate(), Math.round(ALPHA * 4096 * 4096 / (4096 / 4)), 'every register at rank 2');
  const ones = new DistinctCounter();
  for (let i = 0; i < 4096; i++) addRank(ones, i, 1);
  assert.equal(ones.estimate(), Math.round(ALPHA * 4096 * 4096 / (4096 / 2)), 'every register at rank 1: small, but none empty');
  const oneEmpty = new DistinctCounter();
  for (let i = 1; i < 4096; i++) addRank(oneEmpty, i, 20);
  assert.equal(oneEmpty.estimate(), Math.round(ALPHA * 4096 * 4096 / (1 + 4095 / 2 ** 20)), 'one register empty, the raw estimate large');
});

test('distinct counter: a raw estimate above 2^32 / 30 gets the large-range correction', () => {
  for (const rank of [17, 20]) {
    const dc = new DistinctCounter();
    for (let i = 0; i < 4096; i++) addRank(dc, i, rank);
    const raw = ALPHA * 4096 * 2 ** rank;
    assert.ok(raw > 2 ** 32 / 30 && raw < 2 ** 32);
    assert.equal(dc.estimate(), Math.round(-(2 ** 32) * Math.log(1 - raw / 2 ** 32)), `every register at rank ${rank}`);
  }
});
