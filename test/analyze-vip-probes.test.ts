// The active probe of the virtual addresses (vip-probes.ts) and which frames claim an address or answer a
// probe (vip-ownership.ts), on the paths no shipped capture takes: the probe's window and clock slack to the
// boundary, its bounds (MACs per round, rounds kept, conflicts kept), which answerer a probe names, a round
// still counting at the end; ARP and neighbour advertisement claims. Written from the rules of
// docs/analysis.md §13 and the comments of those files (the mutation part `vip-judge`), each test checked
// against a hand-made mutant. The judgement itself: test/analyze-vip-judge.test.ts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { PacketRecord } from '../src/decode/packet.js';
import { MAX_MACS_PER_VIP, MAX_PROBE_ROUNDS, MAX_SPELLS } from '../src/analyze/limits.js';
import { PROBE_ANSWER_WINDOW, PROBE_CLOCK_SLACK, ProbeLog } from '../src/analyze/vip-probes.js';
import { arp, build, garp, na, ns, series, v4, v6 } from './support/records.js';
import { A, A_TEXT, Feed, MAC_A, MAC_B, MAC_X, MAC_Y, VIP, VMAC, X_TEXT, finding } from './support/vip-feed.js';

// ------------------------------------------------------------------ the active probe's rounds (vip-probes.ts)

test('probe round: an answer counts up to exactly PROBE_ANSWER_WINDOW after the probe and down to PROBE_CLOCK_SLACK before it', () => {
  const log = new ProbeLog();
  assert.equal(log.answer(1, 1, 2), false, 'no round open: nothing counts');
  assert.equal(log.sentAt(2), null, 'the first probe closes no round');
  assert.deepEqual(log.open, { t: 2, macs: [], answers: 0 });
  assert.equal(log.answer(1, 1, 2 + PROBE_ANSWER_WINDOW), true, 'at the end of the window');
  assert.equal(log.answer(1, 2, 2 + PROBE_ANSWER_WINDOW + 0.001), false, 'after it');
  assert.equal(log.answer(1, 3, 2 - PROBE_CLOCK_SLACK), true, 'stamped the slack before the probe');
  assert.equal(log.answer(1, 4, 2 - PROBE_CLOCK_SLACK - 0.001), false, 'stamped earlier still');
  assert.deepEqual(log.open, { t: 2, macs: [[1, 1], [1, 3]], answers: 2 });
  assert.equal(log.answers, 2);
  assert.equal(log.sent, 1);
});

test('probe round: a MAC answering twice is one MAC, two answers; past MAX_MACS_PER_VIP MACs only the answers count', () => {
  const log = new ProbeLog();
  log.sentAt(10);
  assert.equal(log.answer(7, 1, 10.1), true);
  assert.equal(log.answer(7, 1, 10.2), true);
  assert.deepEqual(log.open!.macs, [[7, 1]]);
  for (let i = 2; i <= MAX_MACS_PER_VIP + 2; i++) assert.equal(log.answer(7, i, 10.3), true);
  assert.equal(log.open!.macs.length, MAX_MACS_PER_VIP);
  assert.deepEqual(log.open!.macs[MAX_MACS_PER_VIP - 1], [7, MAX_MACS_PER_VIP]);
  assert.equal(log.open!.answers, MAX_MACS_PER_VIP + 3);
  assert.equal(log.answers, MAX_MACS_PER_VIP + 3);
});

test('probe round: closed only once its window has passed; a round of two MACs counted, of one not', () => {
  const log = new ProbeLog();
  log.sentAt(4);
  log.answer(1, 1, 4.5);
  assert.equal(log.close(4 + PROBE_ANSWER_WINDOW), null, 'at the end of the window it still counts');
  assert.notEqual(log.open, null);
  const one = log.close(4 + PROBE_ANSWER_WINDOW + 0.001);
  assert.deepEqual(one, { t: 4, macs: [[1, 1]], answers: 1 });
  assert.equal(log.open, null);
  assert.equal(log.close(), null, 'nothing open: nothing to close');
  assert.equal(log.roundsWithTwoOrMore, 0);
  log.sentAt(8);
  log.answer(1, 1, 8.1);
  log.answer(1, 2, 8.2);
  // the next probe closes the round before it, whatever the time
  const two = log.sentAt(8.5);
  assert.deepEqual(two, { t: 8, macs: [[1, 1], [1, 2]], answers: 2 });
  assert.equal(log.roundsWithTwoOrMore, 1);
  assert.deepEqual(log.rounds.map((r) => r.t), [4, 8]);
  assert.deepEqual([log.sent, log.answers], [3, 3], "three probes (the third still counting), three answers");
});

test('probe rounds: the latest MAX_PROBE_ROUNDS are kept, the totals count them all', () => {
  const log = new ProbeLog();
  for (let i = 0; i <= MAX_PROBE_ROUNDS; i++) {
    log.sentAt(i * 2);
    log.answer(1, 1, i * 2);
    log.answer(1, 2, i * 2);
  }
  log.close();
  assert.equal(log.rounds.length, MAX_PROBE_ROUNDS);
  assert.equal(log.rounds[0].t, 2, 'the first round was dropped');
  assert.equal(log.rounds[MAX_PROBE_ROUNDS - 1].t, MAX_PROBE_ROUNDS * 2);
  assert.deepEqual([log.sent, log.answers, log.roundsWithTwoOrMore], [MAX_PROBE_ROUNDS + 1, 2 * (MAX_PROBE_ROUNDS + 1), MAX_PROBE_ROUNDS + 1]);
});

// ------------------------------------------------------------------ the active probe through the analyzer

/** An ARP reply from `mac` to an RFC 5227 probe for `vip` (target address 0.0.0.0). */
const probeAnswer = (t: number, mac: [number, number], vip = VIP): PacketRecord => arp(t, 2, mac, vip, '0.0.0.0', MAC_Y);

test('probe of addresses no advert lists: one finding per address, titled with the number of answerers, seen again each round', () => {
  const feed = new Feed([
    ...build(series(A, 0, 15, 1)),
    probeAnswer(5.001, MAC_A, '10.0.0.200'), probeAnswer(5.002, MAC_B, '10.0.0.200'), probeAnswer(5.003, MAC_X, '10.0.0.200'),
    probeAnswer(7.001, MAC_X, '10.0.0.201'), probeAnswer(7.002, MAC_Y, '10.0.0.201'),
    probeAnswer(9.001, MAC_A, '10.0.0.200'), probeAnswer(9.002, MAC_B, '10.0.0.200'),
    na(12.1, 'fd00::200', MAC_A, 0x60, 'fe80::1', 'fe80::9'), na(12.2, 'fd00::200', MAC_B, 0x60, 'fe80::2', 'fe80::9'),
  ]);
  const { an } = feed;
  an.probeSent(4, v4('10.0.0.200'), 0, 0, 0, 5);
  feed.until(6);
  // the sweep at 6.0 is exactly the window after the probe: the round still counts
  let v = feed.snap().unlistedVips![0];
  assert.deepEqual(v.probe!.counting, { t: 5, macs: ['52:54:00:aa:00:01', '52:54:00:aa:00:02', '02:66:66:66:66:66'], answers: 3 });
  assert.deepEqual(v.probe!.rounds, []);
  assert.equal(finding(feed.snap(), 'vip-conflict'), undefined);
  an.tick(6.25);
  const first = finding(feed.snap(), 'vip-conflict')!;
  assert.deepEqual([first.title, first.routerKey, first.family, first.firstSeen, first.lastSeen],
    ['10.0.0.200 is answered by 3 hosts (active probe)', null, 4, 6.25, 6.25]);
  an.probeSent(4, v4('10.0.0.201'), 0, 0, 0, 7);
  feed.until(8.5);
  an.probeSent(4, v4('10.0.0.200'), 0, 0, 0, 9);
  feed.until(10);
  // the next probe of the address closes its round at once
  an.probeSent(4, v4('10.0.0.200'), 0, 0, 0, 10.5);
  an.probeSent(6, ...v6('fd00::200'), 12);
  feed.all();
  an.finish();
  const s = feed.snap();
  assert.deepEqual(s.findings.filter((f) => f.code === 'vip-conflict').map((f) => [f.title, f.family, f.firstSeen, f.lastSeen]), [
    ['10.0.0.200 is answered by 3 hosts (active probe)', 4, 6.25, 10.5],
    // (the sweeps at 8 s and 13 s are exactly the window after the probes: closed at the next ones)
    ['10.0.0.201 is answered by 2 hosts (active probe)', 4, 9, 9],
    ['fd00::200 is answered by 2 hosts (active probe)', 6, 14, 14],
  ]);
  v = s.unlistedVips![0];
  assert.deepEqual(v, {
    address: '10.0.0.200',
    // no router: no MAC is an advertiser's, none the virtual MAC; a reply to a probe tells nobody else
    claimers: [
      { mac: '52:54:00:aa:00:01', advertiser: null, virtualMac: false, claims: { 'arp-reply': 2 }, first: 5.001, last: 9.001 },
      { mac: '52:54:00:aa:00:02', advertiser: null, virtualMac: false, claims: { 'arp-reply': 2 }, first: 5.002, last: 9.002 },
      { mac: '02:66:66:66:66:66', advertiser: null, virtualMac: false, claims: { 'arp-reply': 1 }, first: 5.003, last: 5.003 },
    ],
    claimersLeftOut: 0, lastTold: null, stale: false,
    probe: {
      sent: 3, answers: 5, roundsWithTwoOrMore: 2,
      rounds: [{ t: 5, macs: ['52:54:00:aa:00:01', '52:54:00:aa:00:02', '02:66:66:66:66:66'], answers: 3 },
        { t: 9, macs: ['52:54:00:aa:00:01', '52:54:00:aa:00:02'], answers: 2 }, { t: 10.5, macs: [], answers: 0 }],
      counting: null,
    },
  });
  assert.deepEqual(s.unlistedVips!.map((x) => [x.address, x.probe!.roundsWithTwoOrMore, x.claimers.map((c) => Object.keys(c.claims).join())]),
    [['10.0.0.200', 2, ['arp-reply', 'arp-reply', 'arp-reply']], ['10.0.0.201', 1, ['arp-reply', 'arp-reply']], ['fd00::200', 1, ['na-solicited', 'na-solicited']]]);
});

test('probe of a listed address: the answerer that is not the master is named, whichever answered first', () => {
  for (const order of [[MAC_X, MAC_A], [MAC_A, MAC_X]]) {
    const recs = [...build(series(A, 0, 10, 1)), probeAnswer(2.5004, order[0]), probeAnswer(2.5006, order[1])];
    const feed = new Feed(recs).until(2.4);
    feed.an.probeSent(4, v4(VIP), 0, 0, 0, 2.5);
    feed.all();
    feed.an.finish();
    const f = finding(feed.snap(), 'vip-conflict')!;
    // the contest of the two replies is confirmed first (at 3 s: a MAC that sent no advert), the probe's round
    // when it closes (at 4 s): the evidence tells the latest
    assert.equal(f.evidence[1], `${X_TEXT} answered the active probe for it in the same round as the master: two hosts hold it now ` +
      '(claims at 00:00:02.500 UTC; 2 such times)', f.evidence.join('\n'));
    assert.equal(f.evidence.length, 2, 'a reply to a probe tells no neighbour: no line of what they were told');
    assert.deepEqual([f.title, f.count, f.severity, f.cause], ['10.0.0.100 is claimed by two hosts (VRID 99)', 2, 'critical', null]);
  }
});

test('probe: a round still counting answers when the input ends is judged at the end, listed address or not', () => {
  // the master's own MAC and its virtual MAC never contest each other: only the probe proves two holders
  const feed = new Feed([
    ...build(series(A, 0, 10, 1)),
    probeAnswer(9.501, MAC_A), probeAnswer(9.502, VMAC), probeAnswer(9.503, MAC_A, '10.0.0.200'), probeAnswer(9.504, MAC_B, '10.0.0.200'),
  ]).until(9.4);
  feed.an.probeSent(4, v4(VIP), 0, 0, 0, 9.5);
  feed.an.probeSent(4, v4('10.0.0.200'), 0, 0, 0, 9.5);
  feed.all();
  feed.an.finish();
  const s = feed.snap();
  assert.deepEqual(s.findings.filter((f) => f.code === 'vip-conflict').map((f) => [f.title, f.firstSeen, f.routerKey === null]), [
    ['10.0.0.100 is answered by 2 hosts (active probe)', 9.504, false],
    ['10.0.0.200 is answered by 2 hosts (active probe)', 9.504, true],
  ]);
  assert.deepEqual(finding(s, 'vip-conflict')!.evidence, [
    `10.0.0.100 was claimed by 2 hosts: ${A_TEXT}: 1 ARP reply at 00:00:09.501 UTC; ` +
    '00:00:5e:00:01:63 (the virtual MAC of VRID 99: use_vmac): 1 ARP reply at 00:00:09.502 UTC',
    '00:00:5e:00:01:63 (the virtual MAC of VRID 99: use_vmac) answered the active probe for it in the same round as the master: ' +
    'two hosts hold it now (claims at 00:00:09.500 UTC)',
  ]);
  const probe = s.routers[0].ownership.vips[0].probe!;
  assert.deepEqual([probe.counting, probe.rounds, probe.roundsWithTwoOrMore],
    [null, [{ t: 9.5, macs: ['52:54:00:aa:00:01', '00:00:5e:00:01:63'], answers: 2 }], 1]);
});

test('probe conflicts: the latest MAX_SPELLS rounds of two answerers are kept', () => {
  // the master's own MAC and the virtual MAC both count as the master's: their replies never contest each
  // other, only the probe proves two holders
  const recs: PacketRecord[] = build(series(A, 0, 2 * MAX_SPELLS + 4, 1));
  for (let k = 0; k <= MAX_SPELLS; k++) recs.push(probeAnswer(2 * k + 1.001, MAC_A), probeAnswer(2 * k + 1.002, VMAC));
  const feed = new Feed(recs);
  for (let k = 0; k <= MAX_SPELLS; k++) {
    feed.until(2 * k + 1);
    feed.an.probeSent(4, v4(VIP), 0, 0, 0, 2 * k + 1);
  }
  feed.all();
  feed.an.finish();
  const s = feed.snap();
  const f = finding(s, 'vip-conflict')!;
  assert.equal(f.title, '10.0.0.100 is answered by 2 hosts (active probe)');
  assert.equal(f.count, MAX_SPELLS);
  // the last round's probe went out at 2 × 64 + 1 = 129 s (00:02:09)
  assert.deepEqual(f.evidence, [
    `10.0.0.100 was claimed by 2 hosts: ${A_TEXT}: ${MAX_SPELLS + 1} ARP replies from 00:00:01.001 UTC to 00:02:09.001 UTC; ` +
    `00:00:5e:00:01:63 (the virtual MAC of VRID 99: use_vmac): ${MAX_SPELLS + 1} ARP replies from 00:00:01.002 UTC to 00:02:09.002 UTC`,
    `00:00:5e:00:01:63 (the virtual MAC of VRID 99: use_vmac) answered the active probe for it in the same round as the master: ` +
    `two hosts hold it now (claims at 00:02:09.000 UTC; ${MAX_SPELLS} such times)`,
  ]);
  assert.equal(s.routers[0].ownership.vips[0].probe!.roundsWithTwoOrMore, MAX_SPELLS + 1);
});

// ------------------------------------------------------------------ which frames claim, and which answer a probe (vip-ownership.ts)

test('ARP claims: an unknown operation claims nothing, a reply to an asker is a claim heard by the asker only and no probe answer', () => {
  const feed = new Feed([
    ...build(series(A, 1, 12, 1)),
    arp(0.2, 2, MAC_B, VIP, '10.0.0.9'),                 // a reply before any advert lists the address: not kept
    arp(2, 3, MAC_X, VIP, VIP),                          // operation 3 (RARP request): no claim
    garp(3, VIP, MAC_A),
    arp(5.1, 2, MAC_B, VIP, '10.0.0.9', MAC_Y),          // during the probe round, to an asker
    probeAnswer(5.2, MAC_A),
    garp(5.3, VIP, MAC_A),
  ]).until(5);
  feed.an.probeSent(4, v4(VIP), 0, 0, 0, 5);
  feed.until(5.5);
  const v = feed.snap().routers[0].ownership.vips[0];
  assert.deepEqual(v.claimers.map((c) => [c.mac, c.advertiser, c.claims, c.first, c.last]), [
    ['52:54:00:aa:00:01', A, { 'garp-request': 2, 'arp-reply': 1 }, 3, 5.3],
    ['52:54:00:aa:00:02', null, { 'arp-reply': 1 }, 5.1, 5.1],
  ]);
  assert.deepEqual(v.lastTold, { mac: '52:54:00:aa:00:01', advertiser: A, t: 5.3, kind: 'garp-request' });
  assert.deepEqual(v.probe!.counting, { t: 5, macs: ['52:54:00:aa:00:01'], answers: 1 });
});

test('neighbour advertisements: the target link-layer option names the claimer, else the frame\'s source; only a solicited one answers a probe', () => {
  const M6A = 'fe80::5054:ff:feaa:1';
  const fromFrame = na(6.3, 'fd00::100', MAC_B);
  fromFrame.ndLlaHi = -1;                                // no target link-layer option: the link source claims
  const optionWins = na(6.4, 'fd00::100', MAC_X);
  optionWins.macHi = MAC_Y[0];
  optionWins.macLo = MAC_Y[1] >>> 0;
  const feed = new Feed([
    ...build(series(M6A, 0, 12, 1, { mac: MAC_A })),
    ns(6.05, 'fd00::100', MAC_Y),                        // a solicitation claims nothing
    na(6.1, 'fd00::100', MAC_B, 0x20),                   // unsolicited: told every node, no probe answer
    na(6.2, 'fd00::100', MAC_A, 0x60, M6A, 'fe80::9'),   // solicited: the probe's answer
    fromFrame, optionWins,
  ]).until(6);
  feed.an.probeSent(6, ...v6('fd00::100'), 6);
  feed.until(6.5);
  const v = feed.snap().routers[0].ownership.vips[0];
  assert.deepEqual(v.claimers.map((c) => [c.mac, c.claims]), [
    ['52:54:00:aa:00:02', { 'na-unsolicited': 2 }], ['52:54:00:aa:00:01', { 'na-solicited': 1 }], ['02:66:66:66:66:66', { 'na-unsolicited': 1 }],
  ]);
  assert.deepEqual([v.lastTold?.mac, v.lastTold?.kind, v.lastTold?.t], ['02:66:66:66:66:66', 'na-unsolicited', 6.4]);
  assert.deepEqual(v.probe!.counting, { t: 6, macs: ['52:54:00:aa:00:01'], answers: 1 });
});
