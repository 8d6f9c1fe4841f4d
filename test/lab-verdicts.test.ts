// What the lab knows happened in each real keepalived capture of pcaps/lab (MANIFEST.md), asserted
// through the CLI as a user runs it: `vrrpwatch -r FILE --json` (docs/json-report.md) and the
// exit code of `vrrpwatch check -r FILE`. Semantic truth, not golden text.
//
// The reference times are NOT literals: they are read from the packets by the small pcap reader
// test/support/lab-capture-reader.ts, which is independent of src/decode (its own parsing of Ethernet,
// IPv4/IPv6, VRRP, ICMP), so a decoder or analyzer mistake cannot make its own expectation. The numbers
// the lab fixes by construction (Master_Down_Interval 3.6875 s and Skew_Time 0.6875 s for priority 80
// at 1 s, the addresses, the priorities, the causes) are literals (test/support/lab-captures.ts).
//
// The captures are tested in four files, each in one (test/support/lab-captures.ts lists which):
//   lab-verdicts.test.ts              one master at a time: steady state, failovers, preemptions, priority
//                                     steps, VRRPv3, unicast, a cluster of three; and the last test here:
//                                     every capture has its verdict tests in exactly one of the four
//   lab-verdicts-split-brain.test.ts  split brains: firewalls, a heal, TTL, unicast against multicast, IPv6,
//                                     a stateful firewall's one-advert dual master
//   lab-verdicts-ownership.test.ts    configuration mismatches, and who holds the VIP (issue 12)
//   lab-verdicts-vantage.test.ts      the vantage-point captures, each read alone
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { DIR, A, B, MDI_80, SKEW_80, MS5, CAPTURES_BY_VERDICT_FILE } from './support/lab-captures.js';
import { adverts, first, last, sources, garps, macOf } from './support/lab-capture-reader.js';
import {
  report, checkExit, router, adv, finding, noFinding, near,
  changes, prios, oneMasterNoEvent, vip, verdictTests,
} from './support/lab-cli.js';

const { lab, labCheck, testsItsCaptures } = verdictTests(import.meta.url);

// ---- the captures: one master at a time ------------------------------------------------------

lab('healthy', () => {
  assert.deepEqual(sources('healthy'), [A], 'the capture: A is the only advertiser');
  oneMasterNoEvent('healthy', A);
  const r = router('healthy');
  assert.equal(r.key, 'v4/99');
  assert.equal(r.masterPriority, 100);
  assert.deepEqual(r.virtualAddresses, ['10.99.0.100']);
  assert.equal(adv(r, A).adverts, adverts('healthy', A).length);
  assert.ok(!report('healthy').findings.some((f) => f.severity !== 'ok'));
});

lab('failover-crash', () => {
  const n = 'failover-crash';
  const lastA = last(adverts(n, A)), firstB = first(adverts(n, B));
  assert.notEqual(lastA.vrrp!.prio, 0, 'a crash sends no priority-0 advert');
  const measured = firstB.t - lastA.t;
  near(measured, MDI_80, MS5, 'the capture: B took over one Master_Down_Interval after A\'s last advert');
  const r = router(n);
  const ch = changes(r);
  assert.equal(ch.length, 1, JSON.stringify(ch));
  assert.equal(ch[0].from, A);
  assert.equal(ch[0].to, B);
  assert.equal(ch[0].kind, 'failover');
  near(ch[0].duration, measured, MS5, 'failover duration');
  near(ch[0].expected, MDI_80, 1e-9, 'expected failover time');
  near(ch[0].t, firstB.t, MS5, 'failover time');
  assert.equal(r.state, 'ok');
  assert.equal(r.master, B);
  assert.deepEqual(r.splitBrains, []);
  assert.deepEqual(r.noMasters, [], 'a normal failover gap is not a no-master outage');
  assert.equal(checkExit(n), 0);
});

lab('failover-graceful', () => {
  const n = 'failover-graceful';
  const resign = first(adverts(n, A).filter((p) => p.vrrp!.prio === 0));
  const firstB = first(adverts(n, B));
  const measured = firstB.t - resign.t;
  near(measured, SKEW_80, MS5, 'the capture: B took over one Skew_Time after A\'s priority-0 advert');
  const r = router(n);
  const ch = changes(r);
  assert.equal(ch.length, 1, JSON.stringify(ch));
  assert.equal(ch[0].from, A);
  assert.equal(ch[0].to, B);
  assert.equal(ch[0].kind, 'graceful');
  near(ch[0].duration, measured, MS5, 'hand-over duration');
  near(ch[0].expected, SKEW_80, 1e-9, 'expected hand-over time');
  assert.deepEqual(prios(adv(r, A)), [100, 0]);
  assert.equal(adv(r, A).role, 'resigned');
  assert.equal(r.master, B);
  assert.equal(r.state, 'ok');
  assert.deepEqual(r.splitBrains, []);
  assert.deepEqual(r.noMasters, []);
  assert.equal(checkExit(n), 0);
});

lab('unicast-healthy', () => {
  const n = 'unicast-healthy';
  assert.deepEqual(sources(n), [A]);
  assert.ok(adverts(n, A).every((p) => p.dst === B), 'the capture: unicast to B');
  oneMasterNoEvent(n, A);
  const a = adv(router(n), A);
  assert.equal(a.destination, 'unicast');
  assert.deepEqual(a.unicastPeers, [B]);
});

lab('v3-ipv6', () => {
  const n = 'v3-ipv6';
  const [src] = sources(n);
  assert.equal(sources(n).length, 1);
  assert.match(src, /^fe80::/, 'the capture: adverts from A\'s link-local address');
  assert.ok(adverts(n).every((p) => p.ip === 6 && p.vrrp!.version === 3 && p.dst === 'ff02::12'));
  oneMasterNoEvent(n, src);
  const r = router(n);
  assert.equal(r.family, 6);
  assert.equal(r.key, 'v6/99');
  assert.equal(adv(r, src).version, 3);
  assert.equal(adv(r, src).priority, 100);
  assert.deepEqual(r.virtualAddresses, ['fd99::100']);
});

lab('v3-ipv4', () => {
  const n = 'v3-ipv4';
  assert.ok(adverts(n).every((p) => p.ip === 4 && p.vrrp!.version === 3));
  oneMasterNoEvent(n, A);
  const r = router(n);
  assert.equal(r.family, 4);
  const a = adv(r, A);
  assert.equal(a.version, 3);
  assert.equal(a.advertIntervalRaw, 100);
  assert.equal(a.advertIntervalUnit, 'cs');
  assert.equal(a.advertInterval, 1);
});

lab('weight-too-small', () => {
  const n = 'weight-too-small';
  assert.deepEqual(sources(n), [A], 'the capture: B never advertises');
  const drop = first(adverts(n, A).filter((p) => p.vrrp!.prio === 90));
  const r = router(n);
  const a = adv(r, A);
  assert.deepEqual(prios(a), [100, 90]);
  near(a.priorityHistory[1].t, drop.t, 1e-6, 'priority step time');
  assert.equal(r.master, A);
  assert.equal(r.state, 'ok');
  assert.deepEqual(changes(r), []);
  assert.deepEqual(r.splitBrains, []);
  assert.notEqual(report(n).verdict.severity, 'critical');
  assert.notEqual(checkExit(n), 2);
});

lab('weight-failover', () => {
  const n = 'weight-failover';
  const as = adverts(n, A);
  const last100 = last(as.filter((p) => p.vrrp!.prio === 100));
  const first70 = first(as.filter((p) => p.vrrp!.prio === 70));
  const firstB = first(adverts(n, B));
  near(firstB.t - last100.t, MDI_80, MS5, 'the capture: B took over one Master_Down_Interval after A\'s last prio-100 advert');
  const r = router(n);
  assert.deepEqual(prios(adv(r, A)), [100, 70]);
  near(adv(r, A).priorityHistory[1].t, first70.t, 1e-6, 'priority step time');
  const ch = changes(r);
  assert.equal(ch.length, 1, JSON.stringify(ch));
  assert.equal(ch[0].from, A);
  assert.equal(ch[0].to, B);
  assert.equal(ch[0].kind, 'preemption', 'B (80) took over from A (70): a preemption by priority, not a crash');
  near(ch[0].t, firstB.t, MS5, 'take-over time');
  assert.equal(r.master, B);
  assert.deepEqual(r.splitBrains, [], 'A stops as soon as it hears B');
  assert.equal(checkExit(n), 0);
});

lab('preemption', () => {
  const n = 'preemption';
  const lastB = last(adverts(n, B)), firstA = first(adverts(n, A));
  assert.ok(lastB.t < firstA.t + 0.1, 'the capture: B stops at once when A starts');
  const r = router(n);
  const ch = changes(r);
  assert.equal(ch.length, 1, JSON.stringify(ch));
  assert.equal(ch[0].from, B);
  assert.equal(ch[0].to, A);
  assert.equal(ch[0].kind, 'preemption');
  near(ch[0].t, firstA.t, MS5, 'preemption time');
  assert.deepEqual(r.splitBrains, [], 'a preemption is not a split brain');
  noFinding(n, 'split-brain');
  assert.equal(r.master, A);
  assert.equal(r.state, 'ok');
  assert.equal(checkExit(n), 0);
});

lab('cluster-of-three', () => {
  // three nodes of one cluster (100, 80, 60, the same address): A crashes, then B; C is master at the end
  const n = 'cluster-of-three', C = '10.99.0.3';
  assert.deepEqual(sources(n), [A, B, C]);
  const r = router(n);
  const ch = changes(r);
  assert.deepEqual(ch.map((c) => [c.from, c.to, c.kind]), [[A, B, 'failover'], [B, C, 'failover']]);
  near(ch[0].t, first(adverts(n, B)).t, MS5, 'B takes over');
  near(ch[1].t, first(adverts(n, C)).t, MS5, 'C takes over');
  // C's Master_Down_Interval: 3 × 1 s + (256 - 60) / 256, from B's last advert
  near(first(adverts(n, C)).t - last(adverts(n, B)).t, 3 + 196 / 256, 0.01, 'C waited its master-down interval');
  assert.deepEqual(r.splitBrains, []);
  assert.equal(r.master, C);
  // a cluster of three is legal: information only, and with the same address list everywhere no cause
  // (nor a fix to align the lists): only another VRID, should a second cluster use this one
  const f = finding(n, 'vrid-collision');
  assert.equal(f.severity, 'ok');
  assert.equal(f.cause, null);
  assert.deepEqual([f.fixContext.configKey, f.fixContext.values], [undefined, undefined]);
  assert.equal(report(n).verdict.severity, 'ok');
  assert.equal(checkExit(n), 0);
});

// ---- who holds the VIP (ARP in the captures, read by test/support/lab-capture-reader.ts; issue 12) -----

labCheck('healthy', 'one MAC claims the VIP, the master\'s; neighbours were told the master', () => {
  const v = vip('healthy');
  assert.deepEqual(v.claimers.map((c) => [c.mac, c.advertiser]), [[macOf('healthy', A), A]]);
  assert.equal(v.claimers[0].claims['garp-request'], garps('healthy').length);
  assert.deepEqual([v.lastTold?.advertiser, v.stale], [A, false]);
});

labCheck('failover-crash', 'the new master\'s gratuitous ARP within a second of its first advert: no stale warning', () => {
  const n = 'failover-crash';
  const firstB = first(adverts(n, B)).t;
  const firstGarp = first(garps(n, macOf(n, B))).t;
  assert.ok(firstGarp - firstB >= 0 && firstGarp - firstB < 1, `the capture: B's first GARP ${(firstGarp - firstB).toFixed(4)} s after its first advert`);
  assert.deepEqual([vip(n).lastTold?.advertiser, vip(n).stale], [B, false]);
  noFinding(n, 'stale-neighbours');
  noFinding(n, 'vip-conflict');
});

// ---- every capture is covered -----------------------------------------------------------------

testsItsCaptures();

test('every capture in pcaps/lab has its verdict tests in exactly one lab-verdicts*.test.ts file', () => {
  const files = readdirSync(DIR).filter((f) => f.endsWith('.pcap')).map((f) => f.slice(0, -5)).sort();
  const verdictFiles = readdirSync('test').filter((f) => /^lab-verdicts.*\.test\.ts$/.test(f)).sort();
  assert.deepEqual(Object.keys(CAPTURES_BY_VERDICT_FILE).sort(), verdictFiles, 'test/support/lab-captures.ts: a list per verdict file');
  const listed = Object.values(CAPTURES_BY_VERDICT_FILE).flat();
  assert.deepEqual(files.filter((f) => !listed.includes(f)), [], 'captures in no list');
  assert.deepEqual(listed.filter((f) => !files.includes(f)), [], 'listed, but no such capture');
  assert.deepEqual(listed.filter((f, i) => listed.indexOf(f) !== i), [], 'captures in more than one list');
});
