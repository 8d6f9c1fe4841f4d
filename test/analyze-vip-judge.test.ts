// The judgement of who holds the virtual addresses, on the paths no shipped capture takes (vip-judge.ts,
// vip-evidence.ts; some of vip-view.ts): when two claims contest each other (the 5 s window to the boundary,
// a contest that goes on, a claim again in a later burst, a split brain that just ended) and the bound on
// conflicts; stale-neighbours to its grace boundary, its four stories word for word, a master from before the
// capture, IPv6, use_vmac, and the bound on stale spells; the dashboard's `c` while a conflict goes on; the
// evidence texts. Written from the rules of docs/analysis.md §13 and the comments of those files, each test
// checked against a hand-made mutant. The active probe and which frames claim: test/analyze-vip-probes.test.ts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Snapshot } from '../src/analyze/model.js';
import type { PacketRecord } from '../src/decode/packet.js';
import { MAX_SPELLS } from '../src/analyze/limits.js';
import { kindsText, notJudgedText } from '../src/analyze/vip-evidence.js';
import { MacClaim } from '../src/analyze/vip-state.js';
import { arp, build, garp, na, series, type AdvertSpec } from './support/records.js';
import { A, A_TEXT, B, B_TEXT, Feed, MAC_A, MAC_B, MAC_X, VIP, VMAC, X_TEXT, finding, run, vipFindingEvents } from './support/vip-feed.js';


// ------------------------------------------------------------------ contests and conflicts (vip-judge.ts)

const UNKNOWN_MAC_WHY = `${X_TEXT} holds it without a single advert for VRID 99 seen here: another node is master too, and its adverts ` +
  'do not reach this capture point (dropped on the way, sent elsewhere by unicast), or a host that is no VRRP node uses the address';

test('vip-conflict: claims exactly VIP_CONFLICT_WINDOW apart contest each other, and a claim at the window\'s end goes on with the same contest', () => {
  // B is the only advertiser; a MAC that sent no advert claims at 2 s and 12 s, B at 7 s
  const base = build(series(B, 0, 20, 1, { prio: 80 }));
  const s = run([...base, garp(2, VIP, MAC_X), garp(7, VIP, MAC_B), garp(12, VIP, MAC_X)]);
  const f = finding(s, 'vip-conflict')!;
  assert.deepEqual(f.evidence, [
    `10.0.0.100 was claimed by 2 hosts: ${X_TEXT}: 2 gratuitous ARP requests from 00:00:02.000 UTC to 00:00:12.000 UTC; ` +
    `${B_TEXT}: 1 gratuitous ARP request at 00:00:07.000 UTC`,
    `${UNKNOWN_MAC_WHY} (claims from 00:00:02.000 UTC to 00:00:12.000 UTC)`,
    `neighbours were last told 10.0.0.100 is at ${X_TEXT} by gratuitous ARP request at 00:00:12.000 UTC: not the master 10.0.0.2`,
  ]);
  assert.deepEqual([f.title, f.count, f.firstSeen, f.cause], ['10.0.0.100 is claimed by two hosts (VRID 99)', 1, 8, null]);
  assert.deepEqual(f.fixContext, { deafHost: null, peers: [], multicast: null, family: 4 });
  // a claim a moment later than the window is no contest
  assert.equal(finding(run([...base, garp(2, VIP, MAC_X), garp(7.001, VIP, MAC_B)]), 'vip-conflict'), undefined);
});

test('vip-conflict: a contest begins at the latest claim of another MAC within the window', () => {
  // the master's own MAC at 2 s and its virtual MAC at 3 s (both the master's: no contest), then a MAC that
  // sent no advert at 4 s: it contests the latest, the virtual MAC's
  const s = run([...build(series(B, 0, 10, 1, { prio: 80 })), garp(2, VIP, MAC_B), garp(3, VIP, VMAC), garp(4, VIP, MAC_X)]);
  assert.equal(finding(s, 'vip-conflict')!.evidence[1], `${UNKNOWN_MAC_WHY} (claims from 00:00:03.000 UTC to 00:00:04.000 UTC)`);
});

test('vip-conflict: an old master that claims again in a later burst still holds the address; claims within CLAIM_BURST_GAP are one burst', () => {
  // A was master, B took over with its gratuitous ARP at 6.2 s; A claims at 9 s and again later
  const specs: AdvertSpec[] = [...series(A, 0, 3.5, 1), ...series(B, 6.2, 20, 1, { prio: 80 })];
  const claims = [...build(specs), garp(1, VIP, MAC_A), garp(6.2, VIP, MAC_B), garp(9, VIP, MAC_A)];
  const again = run([...claims, garp(10.5, VIP, MAC_A)]);
  const f = finding(again, 'vip-conflict')!;
  assert.equal(f.evidence[1], `${A_TEXT} claimed it again later without being master: it still holds the address ` +
    '(claims from 00:00:06.200 UTC to 00:00:10.500 UTC)');
  assert.equal(f.firstSeen, 10.5);
  // the last claim every neighbour heard is the old master's: stale since its first claim after the takeover
  const stale = finding(again, 'stale-neighbours')!;
  assert.deepEqual(stale.evidence, [`${A_TEXT} claimed 10.0.0.100 at 00:00:09.000 UTC while 10.0.0.2 is master: ` +
    'neighbours send 10.0.0.100 there, not to the master — since 00:00:09.000 UTC (10.2 s, to the end)']);
  assert.deepEqual([stale.title, stale.severity, stale.count], ['neighbours may still send 10.0.0.100 to a host that is not the master: 10.0.0.2 is master', 'warning', 1]);
  assert.deepEqual(stale.fixContext, { deafHost: B, peers: [], multicast: null, family: 4, configKey: 'vrrp_garp_master_refresh', values: { [VIP]: B } });
  // exactly CLAIM_BURST_GAP after its claim at 9 s: the same burst, no proof it still holds the address
  assert.equal(finding(run([...claims, garp(10, VIP, MAC_A)]), 'vip-conflict'), undefined);
});

test('vip-conflict: a contest that begins up to VIP_CONFLICT_WINDOW after a split brain ended is that split brain\'s (told in it)', () => {
  // split brain 5.5-11.5 s; A claims, then B (the backup again) claims within the window
  const specs: AdvertSpec[] = [...series(A, 0, 30, 1), ...series(B, 5.5, 12, 1, { prio: 80 })];
  const at = (aClaim: number): { snap: Snapshot; events: string[] } => {
    const feed = new Feed([...build(specs), garp(aClaim, VIP, MAC_A), garp(17, VIP, MAC_B)]).all();
    feed.an.finish();
    return { snap: feed.snap(), events: vipFindingEvents(feed.events) };
  };
  const joined = at(16.5);
  assert.deepEqual(joined.snap.routers[0].splitBrains.map((p) => [p.start, p.end]), [[5.5, 11.5]]);
  assert.deepEqual(joined.events, ['18 10.0.0.100 is claimed by two hosts (VRID 99)']);
  assert.equal(finding(joined.snap, 'vip-conflict'), undefined, 'one story: the split brain tells it');
  // A's claim a moment later: the contest begins more than the window after the split brain: B (a known
  // advertiser, one burst) is no proven holder
  assert.deepEqual(at(16.501).events, []);
});

test('vip-conflict: a MAC that sent no advert and claimed before the first advert is not taken for the master', () => {
  // X's claim waits in the pending table; when A's first advert lists the address no master is elected yet
  for (const xAt of [0.1, 1.5]) {
    const f = finding(run([...build(series(A, 1, 12, 1)), garp(xAt, VIP, MAC_X), garp(2, VIP, MAC_A)]), 'vip-conflict');
    const x = `00:00:0${xAt.toFixed(3)} UTC`;
    assert.deepEqual(f?.evidence, [
      `10.0.0.100 was claimed by 2 hosts: ${X_TEXT}: 1 gratuitous ARP request at ${x}; ${A_TEXT}: 1 gratuitous ARP request at 00:00:02.000 UTC`,
      `${UNKNOWN_MAC_WHY} (claims from ${x} to 00:00:02.000 UTC)`,
      `neighbours were last told 10.0.0.100 is at ${A_TEXT} by gratuitous ARP request at 00:00:02.000 UTC: the master 10.0.0.1`,
    ], `X claimed at ${xAt} s`);
  }
});

test('conflicts: the first MAX_SPELLS are kept, stale spells the latest MAX_SPELLS', () => {
  // every 12 s: the master A claims, a MAC that sent no advert claims 0.5 s later (a conflict, and the last
  // claim heard for 3 s: a stale spell), A claims again 3 s after that
  const cycles = MAX_SPELLS + 1;
  const recs: PacketRecord[] = build(series(A, 0, 12 * cycles + 8, 1));
  for (let k = 0; k < cycles; k++) recs.push(garp(12 * k + 0.5, VIP, MAC_A), garp(12 * k + 1, VIP, MAC_X), garp(12 * k + 4, VIP, MAC_A));
  const s = run(recs);
  const conflict = finding(s, 'vip-conflict')!;
  assert.equal(conflict.count, MAX_SPELLS);
  assert.deepEqual(conflict.evidence, [
    `10.0.0.100 was claimed by 2 hosts: ${A_TEXT}: ${2 * cycles} gratuitous ARP requests from 00:00:00.500 UTC to 00:12:52.000 UTC; ` +
    `${X_TEXT}: ${cycles} gratuitous ARP requests from 00:00:01.000 UTC to 00:12:49.000 UTC`,
    // the 64th conflict (12 × 63 + 0.5 = 756.5 s), not the 65th
    `${UNKNOWN_MAC_WHY} (claims from 00:12:36.500 UTC to 00:12:40.000 UTC; ${MAX_SPELLS} such times)`,
    `neighbours were last told 10.0.0.100 is at ${A_TEXT} by gratuitous ARP request at 00:12:52.000 UTC: the master 10.0.0.1`,
  ]);
  const stale = finding(s, 'stale-neighbours')!;
  assert.equal(stale.count, MAX_SPELLS);
  assert.equal(stale.evidence.length, MAX_SPELLS + 1);
  const spell = (t: string, to: string): string => `${X_TEXT} claimed 10.0.0.100 at ${t} while 10.0.0.1 is master: ` +
    `neighbours send 10.0.0.100 there, not to the master — from ${t} to ${to} (3 s)`;
  // the first spell (1-4 s) was dropped
  assert.equal(stale.evidence[0], spell('00:00:13.000 UTC', '00:00:16.000 UTC'));
  assert.equal(stale.evidence[MAX_SPELLS - 1], spell('00:12:49.000 UTC', '00:12:52.000 UTC'));
  assert.equal(stale.evidence[MAX_SPELLS], 'the master has claimed the addresses since: neighbours point at it again');
  assert.equal(stale.severity, 'warning');
});

test('the dashboard\'s `c` while a conflict goes on: its finding opens again at the next judgement; once over it stays closed', () => {
  const recs = [...build(series(B, 0, 20, 1, { prio: 80 })), garp(2, VIP, MAC_X), garp(7, VIP, MAC_B)];
  const going = new Feed(recs).until(8.5);
  assert.ok(finding(going.snap(), 'vip-conflict'));
  going.an.clearHistory();
  assert.equal(finding(going.snap(), 'vip-conflict'), undefined);
  going.an.tick(9);
  const f = finding(going.snap(), 'vip-conflict')!;
  assert.deepEqual([f.title, f.firstSeen], ['10.0.0.100 is claimed by two hosts (VRID 99)', 9]);
  assert.equal(f.evidence[1], `${UNKNOWN_MAC_WHY} (claims from 00:00:02.000 UTC to 00:00:07.000 UTC)`, 'the conflict going on is kept');
  // more than the window after the last claim (13 s): over, forgotten by `c`
  const over = new Feed(recs).until(13.5);
  over.an.clearHistory();
  over.an.tick(14);
  assert.equal(finding(over.snap(), 'vip-conflict'), undefined);
});

// ------------------------------------------------------------------ stale-neighbours (vip-judge.ts, vip-evidence.ts)

/** A plain ARP request: the capture holds ARP (ownership is judged), nothing is claimed. */
const plainRequest = (t: number): PacketRecord => arp(t, 1, MAC_X, '10.0.0.9', '10.0.0.1');

test('stale-neighbours: a new master and no claim at all in the capture reads "the former master"; a master from before the capture is not stale', () => {
  const specs: AdvertSpec[] = [...series(A, 0, 3.5, 1), ...series(B, 6.2, 20, 1, { prio: 80 })];
  const s = run([...build(specs), plainRequest(0.5)]);
  const f = finding(s, 'stale-neighbours')!;
  assert.deepEqual(f.evidence, ['10.0.0.2 became master at 00:00:06.200 UTC and sent no gratuitous ARP/NA for 10.0.0.100 (keepalived sends them ' +
    'at once): neighbours still send 10.0.0.100 to the former master until their entry expires — since 00:00:06.200 UTC (13 s, to the end)']);
  assert.deepEqual([f.title, f.severity, f.firstSeen, f.count],
    ['neighbours may still send 10.0.0.100 to the former master: 10.0.0.2 is master', 'warning', 8.2, 1]);
  assert.deepEqual(f.fixContext, { deafHost: B, peers: [], multicast: null, family: 4, configKey: 'vrrp_garp_master_refresh', values: { [VIP]: B } });
  const v = s.routers[0].ownership.vips[0];
  assert.deepEqual([v.stale, v.lastTold, v.claimers], [true, null, []]);
  // master since the first advert of the capture, nothing claimed: nothing to tell
  assert.deepEqual(run([...build(series(A, 0, 20, 1)), plainRequest(0.5)]).findings, []);
});

test('stale-neighbours: reported only once more than STALE_GRACE has passed since the new master\'s first advert', () => {
  const specs: AdvertSpec[] = [...series(A, 0, 3.5, 1), ...series(B, 6, 20, 1, { prio: 80 })];
  const feed = new Feed([...build(specs), garp(1, VIP, MAC_A)]).until(7);
  // judged at 7 s, exactly the grace after 6 s
  assert.equal(finding(feed.snap(), 'stale-neighbours'), undefined);
  feed.an.tick(7.25);
  const f = finding(feed.snap(), 'stale-neighbours')!;
  assert.equal(f.firstSeen, 7.25);
  // (how long: up to the router's last advert, 7 s, not the tick's time)
  assert.equal(f.evidence[0], `10.0.0.2 became master at 00:00:06.000 UTC and no gratuitous ARP/NA from it for 10.0.0.100 was seen since: ` +
    `the last claim was ${A_TEXT} at 00:00:01.000 UTC, so neighbours still send 10.0.0.100 there — since 00:00:06.000 UTC (1 s, to the end)`);
});

test('stale-neighbours: a host that claims again and again within STALE_GRACE is dated from its first claim since the master\'s last', () => {
  // A is master throughout and claims at 0.5 s; a MAC that sent no advert claims every 0.3 s from 1 s to 6.1 s
  // (each claim within the grace of the one before); A claims again at 8 s
  const xs = Array.from({ length: 18 }, (_, k) => garp((10 + 3 * k) / 10, VIP, MAC_X));
  const feed = new Feed([...build(series(A, 0, 12, 1)), garp(0.5, VIP, MAC_A), ...xs, garp(8, VIP, MAC_A)]).until(2.1);
  // judged at 2 s, exactly the grace after the first claim
  assert.equal(finding(feed.snap(), 'stale-neighbours'), undefined);
  feed.until(2.2);
  assert.equal(finding(feed.snap(), 'stale-neighbours')?.firstSeen, 2.2, 'the claim at 2.2 s is judged past the grace of the first');
  feed.all();
  feed.an.finish();
  const f = finding(feed.snap(), 'stale-neighbours')!;
  assert.deepEqual(f.evidence, [
    `${X_TEXT} claimed 10.0.0.100 at 00:00:01.000 UTC while 10.0.0.1 is master: neighbours send 10.0.0.100 there, not to the master — ` +
    'from 00:00:01.000 UTC to 00:00:08.000 UTC (7 s)',
    'the master has claimed the addresses since: neighbours point at it again',
  ]);
  assert.deepEqual([f.count, f.severity], [1, 'warning']);
  // IPv6: the same with unsolicited neighbour advertisements, and the master claims no more (to the end)
  const M6A = 'fe80::5054:ff:feaa:1';
  const nas = Array.from({ length: 18 }, (_, k) => na((10 + 3 * k) / 10, 'fd00::100', MAC_X, 0x20, 'fe80::66'));
  const six = finding(run([...build(series(M6A, 0, 12, 1, { mac: MAC_A })), na(0.5, 'fd00::100', MAC_A, 0x20, M6A), ...nas]), 'stale-neighbours')!;
  assert.deepEqual(six.evidence, [`${X_TEXT} claimed fd00::100 at 00:00:01.000 UTC while ${M6A} is master: neighbours send fd00::100 there, ` +
    'not to the master — since 00:00:01.000 UTC (10 s, to the end)']);
  assert.equal(six.firstSeen, 2.2);
});

test('stale-neighbours: not judged while the old master still advertises after a preemption (both hold the address then)', () => {
  // B preempts A at 6.2 s; A's last advert at 6 s keeps it advertising until 7.5 s: a dual period
  const specs: AdvertSpec[] = [...series(A, 0, 6.1, 1), ...series(B, 6.2, 20, 1, { prio: 150 })];
  const feed = new Feed([...build(specs), garp(1, VIP, MAC_A)]).until(7.2);
  feed.an.tick(7.3);
  assert.equal(finding(feed.snap(), 'stale-neighbours'), undefined);
  feed.all();
  feed.an.finish();
  // judged once the dual period is over, the spell still counted from the takeover
  assert.match(finding(feed.snap(), 'stale-neighbours')!.evidence[0], /^10\.0\.0\.2 became master at 00:00:06\.200 UTC .* since 00:00:06\.200 UTC \(13 s, to the end\)$/);
});

/** B takes over at 6.2 s without a claim; A comes back at 16 s while B goes on: a split brain, both hold the address. */
const SILENT_TAKEOVER_THEN_SPLIT: AdvertSpec[] = [...series(A, 0, 3.5, 1), ...series(B, 6.2, 20, 1, { prio: 80 }), ...series(A, 16, 30, 1, {}, 10)];

test('stale-neighbours: a spell ends when two masters advertise again (judged at the next capture second)', () => {
  const f = finding(run([...build(SILENT_TAKEOVER_THEN_SPLIT), garp(1, VIP, MAC_A)]), 'stale-neighbours')!;
  // nobody claimed after 1 s: the spell's end is not told as a claim
  assert.deepEqual(f.evidence, [
    `10.0.0.2 became master at 00:00:06.200 UTC and no gratuitous ARP/NA from it for 10.0.0.100 was seen since: ` +
    `the last claim was ${A_TEXT} at 00:00:01.000 UTC, so neighbours still send 10.0.0.100 there — from 00:00:06.200 UTC to 00:00:17.000 UTC (10.8 s)`,
    'the spell ended at 00:00:17.000 UTC when two hosts were master at once (both held 10.0.0.100); not stale since',
  ]);
  assert.deepEqual([f.severity, f.fixContext.configKey], ['warning', 'vrrp_garp_master_refresh'], 'it began before the split brain');
});

test('stale-neighbours: the closing line tells a claim only when the master claimed since the spell ended', () => {
  // as above, but A claims as it comes back: the spell still ends at the two masters, and the master claimed since
  const claimed = finding(run([...build(SILENT_TAKEOVER_THEN_SPLIT), garp(1, VIP, MAC_A), garp(16.0001, VIP, MAC_A)]), 'stale-neighbours')!;
  assert.match(claimed.evidence[0], /— from 00:00:06\.200 UTC to 00:00:16\.000 UTC \(9\.8 s\)$/);
  assert.equal(claimed.evidence[1], 'the master has claimed the addresses since: neighbours point at it again');
  assert.equal(claimed.evidence.length, 2);
  // B stops; 10.0.0.3 takes over at 16 s, and the input ends within its grace: B's spell ended, nobody claimed
  const other: AdvertSpec[] = [...series(A, 0, 3.5, 1), ...series(B, 6.2, 12, 1, { prio: 80 }), ...series('10.0.0.3', 16, 16.5, 1, { prio: 60 })];
  const ended = finding(run([...build(other), garp(1, VIP, MAC_A)]), 'stale-neighbours')!;
  assert.match(ended.evidence[0], /— from 00:00:06\.200 UTC to 00:00:16\.000 UTC \(9\.8 s\)$/);
  assert.deepEqual(ended.evidence.slice(1), ['the spell ended at 00:00:16.000 UTC when 10.0.0.2 was master no longer; not stale since']);
});

test('stale-neighbours: a spell ends when the host neighbours were last told is master again, with no claim (not at that old claim)', () => {
  // A claimed at 1 s; B took over at 6.2 s without a claim and stopped at 12 s; A is master again from 16 s
  // and claims nothing: the neighbours' entry (A) is right again from 16 s
  const specs: AdvertSpec[] = [...series(A, 0, 3.5, 1), ...series(B, 6.2, 12, 1, { prio: 80 }), ...series(A, 16, 30, 1, {}, 10)];
  const f = finding(run([...build(specs), garp(1, VIP, MAC_A)]), 'stale-neighbours')!;
  assert.deepEqual(f.evidence, [
    `10.0.0.2 became master at 00:00:06.200 UTC and no gratuitous ARP/NA from it for 10.0.0.100 was seen since: ` +
    `the last claim was ${A_TEXT} at 00:00:01.000 UTC, so neighbours still send 10.0.0.100 there — from 00:00:06.200 UTC to 00:00:16.000 UTC (9.8 s)`,
    `${A_TEXT}, the host neighbours were last told holds 10.0.0.100, is master again since 00:00:16.000 UTC: neighbours point at the master again`,
  ]);
});

test('stale-neighbours over IPv6: judged from neighbour advertisements; a capture with ARP only cannot tell', () => {
  const M6A = 'fe80::5054:ff:feaa:1', M6B = 'fe80::5054:ff:feaa:2';
  const specs: AdvertSpec[] = [...series(M6A, 0, 3.5, 1, { mac: MAC_A }), ...series(M6B, 6.2, 20, 1, { prio: 80, mac: MAC_B })];
  const s = run([...build(specs), na(1, 'fd00::100', MAC_A, 0x20, M6A)]);
  const f = finding(s, 'stale-neighbours')!;
  assert.deepEqual(f.evidence, [`${M6B} became master at 00:00:06.200 UTC and no gratuitous ARP/NA from it for fd00::100 was seen since: ` +
    `the last claim was ${M6A} (52:54:00:aa:00:01) at 00:00:01.000 UTC, so neighbours still send fd00::100 there — since 00:00:06.200 UTC (13 s, to the end)`]);
  assert.deepEqual([f.title, f.family, f.fixContext.family, f.fixContext.deafHost],
    [`neighbours may still send fd00::100 to a host that is not the master: ${M6B} is master`, 6, 6, M6B]);
  // ARP (of another address) but no neighbour discovery: the IPv6 router is not judged
  const arpOnly = run([...build(specs), garp(1, '10.0.0.100', MAC_A)]);
  assert.equal(finding(arpOnly, 'stale-neighbours'), undefined);
  assert.deepEqual([arpOnly.routers[0].ownership.judged, arpOnly.routers[0].ownership.note],
    [false, 'the capture holds no IPv6 neighbour discovery (a capture filter without icmp6?)']);
});

test('use_vmac: a claim from the virtual MAC is the master\'s even when its adverts come from its own MAC', () => {
  // no stale-neighbours: the neighbours were last told the virtual MAC
  assert.deepEqual(run([...build(series(A, 0, 20, 1)), garp(1, VIP, VMAC)]).findings, []);
  // and the split brain says the neighbours were told the master
  const specs: AdvertSpec[] = [...series(A, 0, 30, 1), ...series(B, 5.5, 12, 1, { prio: 80 })];
  const s = run([...build(specs), garp(1, VIP, VMAC), garp(10.5, VIP, VMAC)]);
  const lines = finding(s, 'split-brain')!.evidence.slice(-2);
  assert.deepEqual(lines, [
    '10.0.0.100 was claimed by one host only: 00:00:5e:00:01:63 (the virtual MAC of VRID 99: use_vmac): 2 gratuitous ARP requests ' +
    'from 00:00:01.000 UTC to 00:00:10.500 UTC',
    'neighbours were last told 10.0.0.100 is at 00:00:5e:00:01:63 (the virtual MAC of VRID 99: use_vmac) by gratuitous ARP request ' +
    'at 00:00:10.500 UTC: the master 10.0.0.1',
  ]);
  assert.equal(finding(s, 'stale-neighbours'), undefined);
  assert.deepEqual(s.routers[0].ownership.vips[0].claimers.map((c) => [c.mac, c.advertiser, c.virtualMac]), [['00:00:5e:00:01:63', null, true]]);
});

// ------------------------------------------------------------------ the text (vip-evidence.ts)

test('the split brain\'s address lines: nobody claimed with ARP in the capture; no line for a router that lists no address', () => {
  const specs: AdvertSpec[] = [...series(A, 0, 20, 1), ...series(B, 5, 20, 1, { prio: 80 })];
  const quiet = finding(run([...build(specs), plainRequest(0.5)]), 'split-brain')!;
  assert.equal(quiet.evidence.at(-1), 'nobody claimed 10.0.0.100 on the wire in this capture (neighbours learned it before)');
  const none: AdvertSpec[] = specs.map((x) => ({ ...x, addrs: [] }));
  const bare = finding(run(build(none)), 'split-brain')!;
  assert.equal(bare.evidence.filter((l) => l.includes('10.0.0.100') || l.startsWith('who held')).length, 0, bare.evidence.join('\n'));
});

test('how claim kinds read: singular and plural, joined with "and"; why a capture cannot be judged, per family', () => {
  const c = new MacClaim(0, 0, 0);
  c.counts[0] = 1; c.counts[2] = 2; c.counts[4] = 1;
  assert.equal(kindsText(c), '1 gratuitous ARP request and 2 ARP replies and 1 solicited neighbour advertisement');
  const d = new MacClaim(0, 0, 0);
  d.counts[1] = 3; d.counts[3] = 1;
  assert.equal(kindsText(d), '3 gratuitous ARP replies and 1 unsolicited neighbour advertisement');
  d.counts[1] = 1; d.counts[3] = 2;
  assert.equal(kindsText(d), '1 gratuitous ARP reply and 2 unsolicited neighbour advertisements');
  assert.equal(notJudgedText(4), 'the capture holds no ARP (a capture filter without arp?)');
  assert.equal(notJudgedText(6), 'the capture holds no IPv6 neighbour discovery (a capture filter without icmp6?)');
});
