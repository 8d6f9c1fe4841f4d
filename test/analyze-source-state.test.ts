// What the analyzer keeps per source (src/analyze/source-state.ts: part of the mutation part `sources`). The
// shipped captures drive this file only along its common paths, so the mutation run left its bounds and
// branches unwatched: the "none yet" starting values, what observe() reports as a change, the unicast peers
// and their bound, TTL range, checksum counts and flavour, the priority history's bound, the Welford mean,
// the election order (priority, then the address unsigned word by word) and the multicast groups. Each is
// asserted directly on SourceState and the exported functions, where an Analyzer run would only show it
// through several layers.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Checksum, type PacketRecord } from '../src/decode/packet.js';
import { SourceState, beats, firstPair, isMulticast } from '../src/analyze/source-state.js';
import { MAX_PRIORITY_HISTORY, MAX_UNICAST_PEERS } from '../src/analyze/limits.js';
import { v4, v6 } from './support/records.js';
import { analyse } from './support/analyze-run.js';
import { rec, source } from './support/router-sources.js';

// ---------------------------------------------------------------- helpers

/** A source given by its address words (as the decoder may hand them over: signed or not) and priority. */
function sourceOfWords(words: [number, number, number, number], priority: number): SourceState {
  const s = new SourceState(words[0], words[1], words[2], words[3], words.join('.'), null, 0, -1);
  s.priority = priority;
  return s;
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
  // base → otherLo differs in the second word only, base → otherHi in the first only
  assert.deepEqual(changes(s, [base, otherLo, otherLo, base, otherHi]), [true, true, false, true, true]);
  assert.deepEqual([s.authHi, s.authLo], [otherHi.authHi, otherHi.authLo]);
  assert.equal(s.authText, 'secret');
  assert.equal(s.observe(ah, 6, true), true);
  assert.deepEqual([s.authType, s.authText], [2, null], 'type 2: the bytes are no password');
  assert.equal(s.observe(base, 7, true), true);
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
  // each step from ::2 differs in one word: ::3 in word 3, 0:1::2 in word 1, ::1:0:0:2 in word 2, db9 in word 0
  const peers = ['2001:db8::2', '2001:db8::3', '2001:db8::2', '2001:db8:0:1::2', '2001:db8::2', '2001:db8::1:0:0:2', '2001:db8::2',
    '2001:db9::2', '2001:db8::3'];
  for (const [i, dst] of peers.entries()) s.observe(rec({ src: '2001:db8::1', dst }), i + 1, false);
  assert.deepEqual(s.unicastPeers, ['2001:db8::2', '2001:db8::3', '2001:db8:0:1::2', '2001:db8::1:0:0:2', '2001:db9::2']);
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
