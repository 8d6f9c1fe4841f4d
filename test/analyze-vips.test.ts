// Who holds the virtual addresses (src/analyze/vip-ownership.ts, vip-judge.ts, vip-probes.ts): claims per
// address and MAC, vip-conflict (and what is not one: a failover, a backup that took over for a moment),
// stale-neighbours (a failover without gratuitous ARP, an old master claiming again, a split brain healed
// with the loser's claim last), a capture without ARP, IPv6 neighbour advertisements, use_vmac, the active
// probe's rounds, the bounds, and the dashboard's `c`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Analyzer } from '../src/analyze/analyzer.js';
import type { Snapshot } from '../src/analyze/model.js';
import type { PacketRecord } from '../src/decode/packet.js';
import { MAX_MACS_PER_VIP, MAX_PENDING_VIPS, MAX_TRACKED_VIPS } from '../src/analyze/limits.js';
import { advert, arp, build, garp, na, series, v4, v6, type AdvertSpec } from './support/records.js';

const A = '10.0.0.1', B = '10.0.0.2';
const VIP = '10.0.0.100';
const MAC_A: [number, number] = [0x5254, 0x00aa0001];
const MAC_B: [number, number] = [0x5254, 0x00aa0002];
const MAC_X: [number, number] = [0x0266, 0x66666666];

function run(recs: PacketRecord[], finish = true): { an: Analyzer; snap: Snapshot } {
  const an = new Analyzer();
  for (const r of recs.slice().sort((a, b) => a.tsSec + a.tsNsec / 1e9 - (b.tsSec + b.tsNsec / 1e9))) an.packet(r);
  if (finish) an.finish();
  return { an, snap: an.snapshot() };
}
const finding = (s: Snapshot, code: string) => s.findings.find((f) => f.code === code);
const burst = (t: number, mac: [number, number], vip = VIP, n = 5): PacketRecord[] => Array.from({ length: n }, (_, i) => garp(t + i * 0.0001, vip, mac));

test('healthy: one MAC per address, told the master, no finding', () => {
  const { snap } = run([...build(series(A, 0, 20, 1)), ...burst(1.0, MAC_A), ...burst(6.0, MAC_A)]);
  const o = snap.routers[0].ownership;
  assert.equal(o.judged, true);
  assert.equal(o.vips.length, 1);
  const v = o.vips[0];
  assert.equal(v.address, VIP);
  assert.deepEqual(v.claimers.map((c) => [c.mac, c.advertiser, c.claims['garp-request']]), [['52:54:00:aa:00:01', A, 10]]);
  assert.deepEqual([v.lastTold?.advertiser, v.lastTold?.kind, v.stale], [A, 'garp-request', false]);
  assert.equal(snap.findings.length, 0);
  assert.equal(snap.verdict, 'ok');
});

test('a capture without any ARP: ownership not judged, said in the router and in the split brain', () => {
  const specs: AdvertSpec[] = [...series(A, 0, 20, 1), ...series(B, 5, 20, 1, { prio: 80 })];
  const { snap } = run(build(specs));
  const o = snap.routers[0].ownership;
  assert.equal(o.judged, false);
  assert.match(o.note!, /no ARP/);
  assert.ok(finding(snap, 'split-brain')!.evidence.some((l) => l.startsWith('who held 10.0.0.100 during the split brain cannot be told: the capture holds no ARP')));
  assert.equal(finding(snap, 'vip-conflict'), undefined);
});

test('vip-conflict when only one advertiser is on the wire: the other holder sent no advert here', () => {
  // B's adverts are seen, A's were dropped before this capture point; both claim the address
  const { snap } = run([...build(series(B, 0, 20, 1, { prio: 80 })), ...burst(0.5, MAC_B), ...burst(2.0, MAC_X), ...burst(5.5, MAC_B), ...burst(7.0, MAC_X)]);
  const f = finding(snap, 'vip-conflict')!;
  assert.equal(f.severity, 'critical');
  assert.equal(f.cause, null);
  assert.ok(f.evidence[0].startsWith('10.0.0.100 was claimed by 2 hosts: 10.0.0.2 (52:54:00:aa:00:02): 10 gratuitous ARP requests'), f.evidence.join('\n'));
  assert.ok(f.evidence[0].includes('02:66:66:66:66:66 (no advert for VRID 99 came from it): 10 gratuitous ARP requests'));
  assert.ok(f.evidence[1].includes('holds it without a single advert for VRID 99 seen here'), f.evidence[1]);
  assert.equal(snap.verdict, 'critical');
  assert.equal(snap.routers[0].ownership.vips[0].claimers.length, 2);
});

test('no conflict: a failover (each claimed as master) and a backup that took over for one advert', () => {
  // crash failover: A claims, stops; B takes over 3.69 s later with its GARPs
  const fo = run([...build([...series(A, 0, 3.5, 1), ...series(B, 6.2, 20, 1, { prio: 80 })]), ...burst(1, MAC_A), ...burst(6.2, MAC_B)]).snap;
  assert.equal(finding(fo, 'vip-conflict'), undefined);
  assert.equal(finding(fo, 'stale-neighbours'), undefined);
  assert.equal(fo.routers[0].ownership.vips[0].lastTold?.advertiser, B);
  // brief dual master: B sends one advert and one GARP burst, A answers at once with its own, B goes back
  const specs: AdvertSpec[] = [...series(A, 0, 20, 1), { t: 8.2, src: B, prio: 80 }, { t: 8.2003, src: A }];
  const brief = run([...build(specs), ...burst(8.2001, MAC_B), ...burst(8.2004, MAC_A)]).snap;
  assert.equal(finding(brief, 'vip-conflict'), undefined);
  assert.equal(finding(brief, 'stale-neighbours'), undefined);
});

test('no conflict: the master\'s adverts lost on the way, the backup takes over, the master claims back and preempts', () => {
  // seen from B's wire (pcaps/lab/vantage-loss-30-b): A's adverts 10-13 s never arrive, B takes over at 13.69 s
  // with its GARPs, A answers B's advert with its own GARPs before its next advert arrives (14.69 s: A preempts),
  // then A's second GARP set 4.9 s later. A claimed as the master it still was: no conflict
  const specs: AdvertSpec[] = [...series(A, 0, 10, 1), ...series(A, 14.69, 30, 1, {}, 15), { t: 13.69, src: B, prio: 80 }];
  const { snap } = run([...build(specs), ...burst(0.5, MAC_A), ...burst(13.6901, MAC_B), ...burst(13.6905, MAC_A), ...burst(18.59, MAC_A)]);
  assert.ok(snap.events.some((e) => e.type === 'new-master' || e.message.includes('preempted')), 'the capture makes B master, then A again');
  assert.equal(finding(snap, 'vip-conflict'), undefined, JSON.stringify(finding(snap, 'vip-conflict')?.evidence));
  assert.equal(snap.routers[0].ownership.vips[0].lastTold?.advertiser, A);
});

test('stale-neighbours: a new master that sends no gratuitous ARP within a second', () => {
  const specs: AdvertSpec[] = [...series(A, 0, 3.5, 1), ...series(B, 6.2, 20, 1, { prio: 80 })];
  // A's GARP is the last every neighbour heard; B takes over and claims nothing
  const { snap } = run([...build(specs), ...burst(1, MAC_A)]);
  const f = finding(snap, 'stale-neighbours')!;
  assert.equal(f.severity, 'warning');
  assert.equal(f.evidence[0], '10.0.0.2 became master at 00:00:06.200 UTC and no gratuitous ARP/NA from it for 10.0.0.100 was seen since: ' +
    'the last claim was 10.0.0.1 (52:54:00:aa:00:01) at 00:00:01.000 UTC, so neighbours still send 10.0.0.100 there — since 00:00:06.200 UTC (13 s, to the end)');
  assert.equal(snap.routers[0].ownership.vips[0].stale, true);
  // B's GARP 0.9 s after its first advert: in time, nothing to say
  assert.equal(finding(run([...build(specs), ...burst(1, MAC_A), ...burst(7.1, MAC_B)]).snap, 'stale-neighbours'), undefined);
  // 1.5 s late: a warning that is over
  const late = run([...build(specs), ...burst(1, MAC_A), ...burst(7.7, MAC_B)]).snap;
  const fl = finding(late, 'stale-neighbours')!;
  assert.ok(fl.evidence[0].includes('from 00:00:06.200 UTC to 00:00:07.700 UTC (1.5 s)'), fl.evidence[0]);
  assert.equal(fl.evidence[1], 'the master has claimed the addresses since: neighbours point at it again');
  // no ARP ever seen: the capture cannot tell
  assert.equal(finding(run(build(specs)).snap, 'stale-neighbours'), undefined);
});

test('stale-neighbours: the old master claims again after a failover', () => {
  const specs: AdvertSpec[] = [...series(A, 0, 3.5, 1), ...series(B, 6.2, 20, 1, { prio: 80 })];
  const { snap } = run([...build(specs), ...burst(1, MAC_A), ...burst(6.2, MAC_B), ...burst(9, MAC_A)]);
  const f = finding(snap, 'stale-neighbours')!;
  assert.equal(f.severity, 'warning');
  assert.ok(f.evidence[0].includes('since 00:00:09.000 UTC'), f.evidence[0]);
  // one burst from the old master is no conflict: it is not master, and it did not claim again
  assert.equal(finding(snap, 'vip-conflict'), undefined);
});

test('a split brain healed with the loser\'s claim last: CRITICAL while it lasts, joined to the split brain', () => {
  const specs: AdvertSpec[] = [...series(A, 0, 30, 1), ...series(B, 5.5, 12, 1, { prio: 80 })];
  const recs = [...build(specs), ...burst(1, MAC_A), ...burst(5.5, MAC_B), ...burst(10.5, MAC_B)];
  const { snap } = run(recs);
  const sb = finding(snap, 'split-brain')!;
  assert.ok(sb.evidence.some((l) => l.startsWith('10.0.0.100 was claimed by 2 hosts: 10.0.0.1 (52:54:00:aa:00:01): 5 gratuitous ARP requests at 00:00:01.000 UTC; 10.0.0.2')), sb.evidence.join('\n'));
  assert.ok(sb.evidence.includes('neighbours were last told 10.0.0.100 is at 10.0.0.2 (52:54:00:aa:00:02) by gratuitous ARP request at 00:00:10.500 UTC: not the master 10.0.0.1'));
  // the conflict is the split brain's: one story, reported once
  assert.equal(finding(snap, 'vip-conflict'), undefined);
  const f = finding(snap, 'stale-neighbours')!;
  assert.equal(f.severity, 'critical');
  assert.ok(f.evidence[0].startsWith('after the split brain, the last claim of 10.0.0.100 was 10.0.0.2 (52:54:00:aa:00:02) at 00:00:10.500 UTC, ' +
    'not the master 10.0.0.1\'s: the node that stayed master sent no new gratuitous ARP/NA, so neighbours send 10.0.0.100 to the other node — since 00:00:11.500 UTC'), f.evidence[0]);
  assert.equal(f.fixContext.configKey, 'vrrp_higher_prio_send_advert');
  // the master claims at 25: over, and a warning
  const fixed = run([...recs, ...burst(25, MAC_A)]).snap;
  assert.equal(finding(fixed, 'stale-neighbours')!.severity, 'warning');
  assert.equal(fixed.routers[0].ownership.vips[0].stale, false);
});

test('IPv6: neighbour advertisements claim the address; solicited ones count, the last told is the unsolicited one', () => {
  const M6A = 'fe80::5054:ff:feaa:1', M6B = 'fe80::5054:ff:feaa:2';
  const specs: AdvertSpec[] = [...series(M6A, 0, 20, 1, { mac: MAC_A }), ...series(M6B, 5.5, 20, 1, { prio: 80, mac: MAC_B })];
  const recs = [...build(specs), na(1, 'fd00::100', MAC_A), na(5.6, 'fd00::100', MAC_B), na(6, 'fd00::100', MAC_A, 0x60, M6A, 'fe80::9')];
  const { snap } = run(recs);
  const v = snap.routers[0].ownership.vips[0];
  assert.equal(v.address, 'fd00::100');
  assert.deepEqual(v.claimers.map((c) => [c.advertiser, c.claims]), [[M6A, { 'na-unsolicited': 1, 'na-solicited': 1 }], [M6B, { 'na-unsolicited': 1 }]]);
  assert.deepEqual([v.lastTold?.advertiser, v.lastTold?.kind], [M6B, 'na-unsolicited']);
  assert.ok(finding(snap, 'split-brain')!.evidence.some((l) => l.includes('1 unsolicited neighbour advertisement and 1 solicited neighbour advertisement')));
  // an IPv4 capture's ARP says nothing about an IPv6 router
  const noNd = run([...build(specs), ...burst(1, MAC_A)]).snap;
  assert.equal(noNd.routers[0].ownership.judged, false);
  assert.match(noNd.routers[0].ownership.note!, /neighbour discovery/);
});

test('use_vmac: the virtual MAC is the master\'s, never a conflict by itself', () => {
  const vmac: [number, number] = [0x0000, 0x5e000163];
  const specs: AdvertSpec[] = series(A, 0, 20, 1, { mac: vmac });
  const { snap } = run([...build(specs), ...burst(1, vmac), ...burst(6, vmac)]);
  const c = snap.routers[0].ownership.vips[0].claimers[0];
  assert.deepEqual([c.mac, c.advertiser, c.virtualMac], ['00:00:5e:00:01:63', A, true]);
  assert.equal(snap.findings.length, 0);
});

test('claims before the first advert wait in the pending table; plain requests and probes claim nothing', () => {
  const recs = [...burst(0.1, MAC_A), arp(0.2, 1, MAC_X, '10.0.0.9', VIP), arp(0.3, 1, MAC_X, '0.0.0.0', VIP), ...build(series(A, 1, 10, 1))];
  const { snap } = run(recs);
  const v = snap.routers[0].ownership.vips[0];
  assert.deepEqual(v.claimers.map((c) => [c.advertiser, c.claims]), [[A, { 'garp-request': 5 }]]);
  assert.equal(snap.stats.arp, 7);
  // an ARP reply to a probe (target 0.0.0.0) and a gratuitous reply count as claims
  const more = run([...recs, arp(3, 2, MAC_A, VIP, '0.0.0.0', MAC_X), arp(4, 2, MAC_A, VIP, VIP)]).snap;
  assert.deepEqual(more.routers[0].ownership.vips[0].claimers[0].claims, { 'garp-request': 5, 'arp-reply': 1, 'garp-reply': 1 });
});

test('active probe: two MACs answering one round prove a conflict; one MAC does not', () => {
  const base = build(series(A, 0, 30, 1));
  const an = new Analyzer();
  const w = v4(VIP);
  let i = 0;
  const feed = (until: number): void => { while (i < base.length && base[i].tsSec + base[i].tsNsec / 1e9 <= until) an.packet(base[i++]); };
  feed(2);
  an.probeSent(4, w, 0, 0, 0, 2.5);
  an.packet(arp(2.5005, 2, MAC_A, VIP, '0.0.0.0', MAC_X));
  feed(5);
  an.probeSent(4, w, 0, 0, 0, 5.5);
  let s = an.snapshot();
  assert.deepEqual(s.routers[0].ownership.vips[0].probe!.rounds.map((r) => [r.macs.length, r.answers]), [[1, 1]]);
  assert.deepEqual(s.routers[0].ownership.vips[0].probe!.counting, { t: 5.5, macs: [], answers: 0 });
  assert.equal(s.findings.length, 0);
  an.packet(arp(5.5004, 2, MAC_A, VIP, '0.0.0.0', MAC_X));
  an.packet(arp(5.5006, 2, MAC_B, VIP, '0.0.0.0', MAC_X));
  feed(8);
  s = an.snapshot();
  const p = s.routers[0].ownership.vips[0].probe!;
  assert.deepEqual([p.sent, p.answers, p.roundsWithTwoOrMore], [2, 3, 1]);
  assert.deepEqual(p.rounds[1].macs, ['52:54:00:aa:00:01', '52:54:00:aa:00:02']);
  const f = finding(s, 'vip-conflict')!;
  assert.equal(f.severity, 'critical');
  assert.ok(f.evidence.some((l) => l.includes('answered the active probe for it in the same round as the master')), f.evidence.join('\n'));
  // an answer after the window does not count
  an.probeSent(4, w, 0, 0, 0, 9);
  an.packet(arp(10.2, 2, MAC_B, VIP, '0.0.0.0', MAC_X));
  assert.equal(an.snapshot().routers[0].ownership.vips[0].probe!.answers, 3);
});

test('active probe of an address no advert lists (--vip): its own entry and a finding of no router', () => {
  const an = new Analyzer();
  for (const r of build(series(A, 0, 5, 1))) an.packet(r);
  const w = v4('10.0.0.200');
  an.probeSent(4, w, 0, 0, 0, 5);
  an.packet(arp(5.001, 2, MAC_A, '10.0.0.200', '0.0.0.0', MAC_X));
  an.packet(arp(5.002, 2, MAC_B, '10.0.0.200', '0.0.0.0', MAC_X));
  an.tick(6.5);
  const s = an.snapshot();
  assert.deepEqual(s.unlistedVips?.map((v) => [v.address, v.probe?.roundsWithTwoOrMore]), [['10.0.0.200', 1]]);
  const f = finding(s, 'vip-conflict')!;
  assert.deepEqual([f.routerKey, f.severity], [null, 'critical']);
  assert.equal(an.virtualAddresses().map((v) => v.address).join(' '), '10.0.0.100 10.0.0.200');
});

test('bounded: a flood of gratuitous ARP for other addresses, of MACs for one address, of listed addresses', () => {
  const recs: PacketRecord[] = build(series(A, 0, 3, 1));
  for (let i = 0; i < 5000; i++) recs.push(garp(1 + i * 1e-5, `10.1.${i >> 8}.${i & 255}`, MAC_X));
  for (let i = 0; i < 1000; i++) recs.push(garp(1.5 + i * 1e-5, VIP, [0x0200, i]));
  recs.push(...burst(1.6, MAC_A));
  const { snap } = run(recs);
  const o = snap.stats.ownership!;
  assert.equal(o.pending, MAX_PENDING_VIPS);
  assert.equal(o.pendingReplaced, 5000 - MAX_PENDING_VIPS);
  const v = snap.routers[0].ownership.vips[0];
  assert.equal(v.claimers.length, MAX_MACS_PER_VIP);
  assert.ok(v.claimers.some((c) => c.advertiser === A), 'the master\'s MAC is never the one replaced');
  assert.equal(o.claimersReplaced, 1001 - MAX_MACS_PER_VIP);
  // routers listing more addresses than are followed: the rest is counted
  const many: PacketRecord[] = [];
  for (let vrid = 1; vrid <= 17; vrid++) {
    const addrs = Array.from({ length: 255 }, (_, j) => `10.${vrid}.${j}.1`);
    many.push(advert({ t: vrid * 0.01, src: `10.${vrid}.0.2`, vrid, addrs }));
  }
  const m = run(many).snap.stats.ownership!;
  assert.equal(m.followed, MAX_TRACKED_VIPS);
  assert.equal(m.vipsLeftOut, 17 * 255 - MAX_TRACKED_VIPS);
});

test('the dashboard\'s `c` keeps a stale-neighbours spell that goes on: its finding opens again', () => {
  const specs: AdvertSpec[] = [...series(A, 0, 3.5, 1), ...series(B, 6.2, 30, 1, { prio: 80 })];
  const recs = [...build(specs), ...burst(1, MAC_A)].sort((a, b) => a.tsSec + a.tsNsec / 1e9 - (b.tsSec + b.tsNsec / 1e9));
  const an = new Analyzer();
  let i = 0;
  for (; i < recs.length && recs[i].tsSec < 10; i++) an.packet(recs[i]);
  assert.ok(finding(an.snapshot(), 'stale-neighbours'));
  an.clearHistory();
  assert.equal(finding(an.snapshot(), 'stale-neighbours'), undefined);
  for (; i < recs.length; i++) an.packet(recs[i]);
  const f = finding(an.snapshot(), 'stale-neighbours')!;
  assert.ok(f, 'still stale: open again');
  assert.equal(f.evidence.length, 1);
  void v6;
});
