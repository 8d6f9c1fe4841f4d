// Who holds the virtual addresses, when a router lists more than one address or MACs look alike: the
// evidence of vip-conflict and stale-neighbours names only the addresses that have one (its fix values too),
// the split brain's lines for a router of no address or of several not judged, which contest a claim joins
// (the latest other claim, the first of two at one time), which answerer of a probe is named when two MACs
// share half their words, and how a spell that a claim ended reads when another MAC claimed within the grace
// since. Written from the rules of docs/analysis.md §13 and the comments of vip-judge.ts, vip-evidence.ts and
// vip-probes.ts, each test checked against a hand-made mutant. The rest: test/analyze-vip-judge.test.ts,
// test/analyze-vip-probes.test.ts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { PacketRecord } from '../src/decode/packet.js';
import type { RouterState } from '../src/analyze/router-state.js';
import type { VipOwnership } from '../src/analyze/vip-ownership.js';
import { kindsText, splitBrainVipLines } from '../src/analyze/vip-evidence.js';
import { ProbeLog } from '../src/analyze/vip-probes.js';
import { MacClaim } from '../src/analyze/vip-state.js';
import { arp, build, garp, series, v4, type AdvertSpec } from './support/records.js';
import { A, A_TEXT, B, B_TEXT, Feed, MAC_A, MAC_B, MAC_X, MAC_Y, VIP, VMAC, X_TEXT, finding, run } from './support/vip-feed.js';

const VIP2 = '10.0.0.101';
const UNKNOWN_MAC_WHY = `${X_TEXT} holds it without a single advert for VRID 99 seen here: another node is master too, and its adverts ` +
  'do not reach this capture point (dropped on the way, sent elsewhere by unicast), or a host that is no VRRP node uses the address';

// ------------------------------------------------------------------ the text of the claims

test('how claim kinds read: more than one solicited neighbour advertisement is plural', () => {
  const c = new MacClaim(0, 0, 0);
  c.counts[4] = 2;
  assert.equal(kindsText(c), '2 solicited neighbour advertisements');
});

test('the split brain\'s address lines: none for a router that lists no address; every address named when ARP is missing', () => {
  const noAddress = { forRouter: () => [], judged: () => true } as unknown as VipOwnership;
  assert.deepEqual(splitBrainVipLines({} as RouterState, noAddress, true), []);
  // two addresses, a capture of adverts only: one line names both
  const specs: AdvertSpec[] = [...series(A, 0, 20, 1, { addrs: [VIP, VIP2] }), ...series(B, 5, 20, 1, { prio: 80, addrs: [VIP, VIP2] })];
  const sb = finding(run(build(specs)), 'split-brain')!;
  assert.equal(sb.evidence.at(-1), 'who held 10.0.0.100, 10.0.0.101 during the split brain cannot be told: the capture holds no ARP (a capture filter without arp?)');
});

// ------------------------------------------------------------------ a router of two addresses

test('vip-conflict of one of two addresses: the evidence tells that address only', () => {
  // B is the only advertiser; a MAC that sent no advert claims 10.0.0.100 at 2 s, B at 7 s; nobody claims 10.0.0.101
  const s = run([...build(series(B, 0, 20, 1, { prio: 80, addrs: [VIP2, VIP] })), garp(2, VIP, MAC_X), garp(7, VIP, MAC_B)]);
  assert.deepEqual(finding(s, 'vip-conflict')!.evidence, [
    `10.0.0.100 was claimed by 2 hosts: ${X_TEXT}: 1 gratuitous ARP request at 00:00:02.000 UTC; ${B_TEXT}: 1 gratuitous ARP request at 00:00:07.000 UTC`,
    `${UNKNOWN_MAC_WHY} (claims from 00:00:02.000 UTC to 00:00:07.000 UTC)`,
    `neighbours were last told 10.0.0.100 is at ${B_TEXT} by gratuitous ARP request at 00:00:07.000 UTC: the master 10.0.0.2`,
  ]);
});

test('stale-neighbours of one of two addresses: its fix names that address only, and the refresh setting unless a split brain came before', () => {
  // B takes over at 6 s and claims 10.0.0.101 at once, not 10.0.0.100 (last told A at 1 s)
  const specs: AdvertSpec[] = [...series(A, 0, 3.5, 1, { addrs: [VIP, VIP2] }), ...series(B, 6, 20, 1, { prio: 80, addrs: [VIP, VIP2] })];
  const f = finding(run([...build(specs), garp(1, VIP, MAC_A), garp(1, VIP2, MAC_A), garp(6.5, VIP2, MAC_B)]), 'stale-neighbours')!;
  assert.equal(f.evidence.length, 1);
  assert.equal(f.title, 'neighbours may still send 10.0.0.100 to a host that is not the master: 10.0.0.2 is master');
  assert.deepEqual(f.fixContext, { deafHost: B, peers: [], multicast: null, family: 4, configKey: 'vrrp_garp_master_refresh', values: { [VIP]: B } });
});

test('stale-neighbours after a split brain on one of two addresses: the fix is the higher-priority advert setting', () => {
  // split brain 5.5-12 s: B claims 10.0.0.100 last (10.5 s); A, the master throughout, claimed both at 1 s
  const specs: AdvertSpec[] = [...series(A, 0, 30, 1, { addrs: [VIP, VIP2] }), ...series(B, 5.5, 12, 1, { prio: 80, addrs: [VIP, VIP2] })];
  const f = finding(run([...build(specs), garp(1, VIP, MAC_A), garp(1, VIP2, MAC_A), garp(5.5, VIP, MAC_B), garp(10.5, VIP, MAC_B)]), 'stale-neighbours')!;
  assert.equal(f.severity, 'critical');
  assert.deepEqual([f.fixContext.configKey, f.fixContext.values], ['vrrp_higher_prio_send_advert', { [VIP]: A }]);
});

// ------------------------------------------------------------------ how a spell ended

test('stale-neighbours: a spell the master\'s claim ended reads so even when another MAC claimed within the grace before the end', () => {
  // A is master throughout: A claims at 0.5 s, a MAC that sent no advert at 1 s, A again at 4 s (the spell's
  // end); the MAC claims again at 11.5 s, half a second before the input ends: no spell yet
  const s = run([...build(series(A, 0, 12, 1)), garp(0.5, VIP, MAC_A), garp(1, VIP, MAC_X), garp(4, VIP, MAC_A), garp(11.5, VIP, MAC_X)]);
  assert.deepEqual(finding(s, 'stale-neighbours')!.evidence, [
    `${X_TEXT} claimed 10.0.0.100 at 00:00:01.000 UTC while 10.0.0.1 is master: neighbours send 10.0.0.100 there, not to the master — ` +
    'from 00:00:01.000 UTC to 00:00:04.000 UTC (3 s)',
    'the master has claimed the addresses since: neighbours point at it again',
  ]);
});

// ------------------------------------------------------------------ which claims a contest joins

test('vip-conflict: a claim contests the latest other claim, not the other MAC added last', () => {
  // B (the master) claims at 2 s, its virtual MAC at 3 s, B again at 3.5 s; a MAC that sent no advert at 4 s
  const s = run([...build(series(B, 0, 10, 1, { prio: 80 })), garp(2, VIP, MAC_B), garp(3, VIP, VMAC), garp(3.5, VIP, MAC_B), garp(4, VIP, MAC_X)]);
  assert.equal(finding(s, 'vip-conflict')!.evidence[1], `${UNKNOWN_MAC_WHY} (claims from 00:00:03.500 UTC to 00:00:04.000 UTC)`);
});

test('vip-conflict: of two other claims at the same time, the first heard is the one contested', () => {
  // a MAC that sent no advert and the virtual MAC claim at 3 s (a contest); the master B claims at 4 s: it
  // contests the MAC heard first at 3 s, so the contest goes on to 4 s
  const s = run([...build(series(B, 0, 10, 1, { prio: 80 })), garp(3, VIP, MAC_X), garp(3, VIP, VMAC), garp(4, VIP, MAC_B)]);
  assert.equal(finding(s, 'vip-conflict')!.evidence[1], `${UNKNOWN_MAC_WHY} (claims from 00:00:03.000 UTC to 00:00:04.000 UTC)`);
});

// ------------------------------------------------------------------ MACs that share a word

test('probe round: two MACs that differ in their first word only are two answerers', () => {
  const log = new ProbeLog();
  log.sentAt(1);
  log.answer(0x0266, 9, 1.1);
  log.answer(0x0277, 9, 1.2);
  assert.deepEqual(log.close(), { t: 1, macs: [[0x0266, 9], [0x0277, 9]], answers: 2 });
});

const probeAnswer = (t: number, mac: [number, number]): PacketRecord => arp(t, 2, mac, VIP, '0.0.0.0', MAC_Y);

/** A (master, claimed at 1 s) and `other` answer one probe at 2.5 s, `other` first: the probe's line. */
function probeLine(other: [number, number]): string {
  const feed = new Feed([...build(series(A, 0, 10, 1)), garp(1, VIP, MAC_A), probeAnswer(2.5004, other), probeAnswer(2.5006, MAC_A)]).until(2.4);
  feed.an.probeSent(4, v4(VIP), 0, 0, 0, 2.5);
  feed.all();
  feed.an.finish();
  return finding(feed.snap(), 'vip-conflict')!.evidence[1];
}

test('probe of a listed address: the answerer that is not the master is named even when its MAC shares a word with the master\'s', () => {
  const why = ' answered the active probe for it in the same round as the master: two hosts hold it now (claims at 00:00:02.500 UTC; 2 such times)';
  // the same first word as A's MAC (52:54), another second
  assert.equal(probeLine(MAC_B), '52:54:00:aa:00:02 (no advert for VRID 99 came from it)' + why);
  // another first word, the same second as A's
  assert.equal(probeLine([0x0266, MAC_A[1]]), '02:66:00:aa:00:01 (no advert for VRID 99 came from it)' + why);
  assert.ok(!probeLine(MAC_X).startsWith(A_TEXT));
});

// ------------------------------------------------------------------ a contest while no one or another is master

test('vip-conflict while there is no master: a MAC that sent no advert is no master change; the told line names no master', () => {
  // A, the only advertiser, stops at 3 s (no master from about 6.6 s); a MAC that sent no advert claims at 7.5 s,
  // within the window of A's claim at 2.5 s
  const f = finding(run([...build(series(A, 0, 3, 1)), garp(2.5, VIP, MAC_A), garp(7.5, VIP, MAC_X)]), 'vip-conflict')!;
  assert.deepEqual(f.evidence.slice(1), [
    `${UNKNOWN_MAC_WHY} (claims from 00:00:02.500 UTC to 00:00:07.500 UTC)`,
    `neighbours were last told 10.0.0.100 is at ${X_TEXT} by gratuitous ARP request at 00:00:07.500 UTC`,
  ]);
});

test('vip-conflict: after the claimer of a contest became master (a preemption, no conflict), the old master that claims in two bursts is one', () => {
  // A's adverts 10-13 s never arrive, B takes over at 13.69 s with its claim, A claims back and preempts at
  // 14.69 s (no conflict); B, a backup now, claims at 15.5 s and again at 17 s: it still holds the address
  const specs: AdvertSpec[] = [...series(A, 0, 10, 1), ...series(A, 14.69, 30, 1, {}, 15), { t: 13.69, src: B, prio: 80 }];
  const f = finding(run([...build(specs), garp(0.5, VIP, MAC_A), garp(13.6901, VIP, MAC_B), garp(13.6905, VIP, MAC_A),
    garp(15.5, VIP, MAC_B), garp(17, VIP, MAC_B)]), 'vip-conflict')!;
  assert.equal(f.evidence[1], `${B_TEXT} claimed it again later without being master: it still holds the address ` +
    '(claims from 00:00:13.691 UTC to 00:00:17.000 UTC)');
});

test('stale-neighbours: its fix names the master of the spell that goes on, also in the moment after another took over', () => {
  // B takes over at 6 s and claims 10.0.0.101 at once, not 10.0.0.100 (last told A at 1 s: a spell from 6 s);
  // A comes back with a higher priority at 10.5 s: until the next judgement the spell is still B's
  const specs: AdvertSpec[] = [...series(A, 0, 3.5, 1, { addrs: [VIP2, VIP] }), ...series(B, 6, 20, 1, { prio: 80, addrs: [VIP2, VIP] }),
    ...series(A, 10.5, 20, 1, { addrs: [VIP2, VIP] }, 10)];
  const feed = new Feed([...build(specs), garp(1, VIP, MAC_A), garp(1, VIP2, MAC_A), garp(6.5, VIP2, MAC_B)]).until(10.6);
  const s = feed.snap();
  assert.equal(s.routers[0].master, A);
  const f = finding(s, 'stale-neighbours')!;
  assert.equal(f.title, 'neighbours may still send 10.0.0.100 to a host that is not the master: 10.0.0.2 is master');
  assert.deepEqual([f.fixContext.deafHost, f.fixContext.values], [B, { [VIP]: B }]);
});

// ------------------------------------------------------------------ a conflict after or beside a split brain

/** Split brain 5.5-11.5 s (A master throughout, B deaf): both claim 10.0.0.100 during it. */
const SPLIT_THEN_A: AdvertSpec[] = [...series(A, 0, 30, 1), ...series(B, 5.5, 12, 1, { prio: 80 })];

test('vip-conflict after a split brain ended: a later conflict of another kind is told on its own, and the spell it starts is no split brain\'s', () => {
  // X, a MAC that sent no advert, claims 13 s after the split brain ended, within the window of A's claim
  const s = run([...build(SPLIT_THEN_A), garp(10, VIP, MAC_A), garp(11, VIP, MAC_B), garp(24, VIP, MAC_A), garp(25, VIP, MAC_X)]);
  const f = finding(s, 'vip-conflict')!;
  assert.equal(f.evidence[1], `${UNKNOWN_MAC_WHY} (claims from 00:00:24.000 UTC to 00:00:25.000 UTC; 2 such times)`);
  assert.deepEqual([f.cause, f.fixContext], [null, { deafHost: null, peers: [], multicast: null, family: 4 }]);
  const stale = finding(s, 'stale-neighbours')!;
  assert.equal(stale.evidence[1], `${X_TEXT} claimed 10.0.0.100 at 00:00:25.000 UTC while 10.0.0.1 is master: neighbours send ` +
    '10.0.0.100 there, not to the master — since 00:00:25.000 UTC (4 s, to the end)');
  assert.equal(stale.severity, 'warning', 'the spell that lasts is not the split brain\'s');
  // the first spell, dated from the split brain's end, is its story
  assert.match(stale.evidence[0], /^after the split brain, the last claim of 10\.0\.0\.100 was 10\.0\.0\.2 /);
  // without X's claim the conflict is the split brain's, told in it
  assert.equal(finding(run([...build(SPLIT_THEN_A), garp(10, VIP, MAC_A), garp(11, VIP, MAC_B)]), 'vip-conflict'), undefined);
  // X claims 2.5 s after the split brain ended, within the window of B's claim: a MAC that sent no advert is
  // no node of that split brain, so its claim is a contest of its own, not the split brain's
  const soon = finding(run([...build(SPLIT_THEN_A), garp(10, VIP, MAC_A), garp(11, VIP, MAC_B), garp(14, VIP, MAC_X)]), 'vip-conflict')!;
  assert.deepEqual([soon.evidence[1], soon.cause], [`${UNKNOWN_MAC_WHY} (claims from 00:00:11.000 UTC to 00:00:14.000 UTC; 2 such times)`, null]);
});

test('vip-conflict of two addresses: joined to the split brain only when the conflict told for each is the split brain\'s', () => {
  const two: AdvertSpec[] = SPLIT_THEN_A.map((x) => ({ ...x, addrs: [VIP, VIP2] }));
  const during = [garp(10, VIP, MAC_A), garp(11, VIP, MAC_B)];
  // the second address claimed by the master only: no conflict of its own, the split brain tells the first's
  assert.equal(finding(run([...build(two), ...during, garp(10, VIP2, MAC_A)]), 'vip-conflict'), undefined);
  // the second address contested by a MAC that sent no advert, after the split brain: told on its own, both
  const s = run([...build(two), ...during, garp(24, VIP2, MAC_A), garp(25, VIP2, MAC_X)]);
  const f = finding(s, 'vip-conflict')!;
  assert.deepEqual([f.evidence[1], f.evidence[4], f.cause], [
    'both advertised as master of VRID 99 at the time (the split brain) (claims from 00:00:10.000 UTC to 00:00:11.000 UTC)',
    `${UNKNOWN_MAC_WHY} (claims from 00:00:24.000 UTC to 00:00:25.000 UTC)`,
    null,
  ]);
});

test('stale-neighbours: a spell of a master that claimed nothing, over when another took over, ends with how it ended (no claim in the capture)', () => {
  // nobody claims 10.0.0.100 at all (one plain ARP request: the capture holds ARP); B takes over at 6.2 s,
  // stops at 12 s; 10.0.0.3 takes over at 16 s and the input ends within its grace
  const specs: AdvertSpec[] = [...series(A, 0, 3.5, 1), ...series(B, 6.2, 12, 1, { prio: 80 }), ...series('10.0.0.3', 16, 16.5, 1, { prio: 60 })];
  const f = finding(run([...build(specs), arp(0.5, 1, MAC_X, '10.0.0.9', '10.0.0.1')]), 'stale-neighbours')!;
  assert.deepEqual(f.evidence, [
    '10.0.0.2 became master at 00:00:06.200 UTC and sent no gratuitous ARP/NA for 10.0.0.100 (keepalived sends them at once): ' +
    'neighbours still send 10.0.0.100 to the former master until their entry expires — from 00:00:06.200 UTC to 00:00:16.000 UTC (9.8 s)',
    'the spell ended at 00:00:16.000 UTC when 10.0.0.2 was master no longer; not stale since',
  ]);
});
