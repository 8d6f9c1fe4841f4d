// What the lab knows happened in each real keepalived capture of pcaps/lab (MANIFEST.md), asserted
// through the CLI as a user runs it: `vrrpwatch -r FILE --json` (docs/json-report.md) and the
// exit code of `vrrpwatch check -r FILE`. Semantic truth, not golden text.
//
// The reference times are NOT literals: they are read from the packets by the small pcap reader
// test/support/lab-capture-reader.ts, which is independent of src/decode (its own parsing of Ethernet,
// IPv4/IPv6, VRRP, ICMP), so a decoder or analyzer mistake cannot make its own expectation. The numbers
// the lab fixes by construction (Master_Down_Interval 3.6875 s and Skew_Time 0.6875 s for priority 80
// at 1 s, the addresses, the priorities, the causes) are literals (test/support/lab-captures.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { DIR, A, B, MDI_80, SKEW_80, MS5, CAPTURES_BY_VERDICT_FILE } from './support/lab-captures.js';
import { readPcap, adverts, first, last, t0, sources, garps, macOf } from './support/lab-capture-reader.js';
import {
  env, report, checkExit, router, adv, finding, noFinding, near, changes, prios,
  oneMasterNoEvent, splitToTheEnd, vip, verdictTests, type Report,
} from './support/lab-cli.js';

const { lab, labCheck, testsItsCaptures } = verdictTests(import.meta.url);

// ---- the captures -----------------------------------------------------------------------------

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

function firewallSplit(n: string, cause: string): void {
  splitToTheEnd(n, first(adverts(n, B)).t);
  const f = finding(n, 'split-brain');
  assert.equal(f.cause, cause);
  assert.equal(f.fixContext.deafHost, B);
  assert.deepEqual(f.fixContext.peers, [A]);
  const cmds = f.fixes.flatMap((x) => x.commands);
  assert.ok(cmds.some((c) => /^iptables .*-p vrrp .*-s 10\.99\.0\.1 .*-j ACCEPT/.test(c)), cmds.join('\n'));
}

lab('splitbrain-firewall-drop', () => {
  const n = 'splitbrain-firewall-drop';
  assert.equal(readPcap(n).filter((p) => p.icmp).length, 0, 'the capture: DROP, no ICMP');
  firewallSplit(n, 'firewall-drop');
  assert.equal(finding(n, 'split-brain').fixContext.multicast, '224.0.0.18');
});

lab('splitbrain-equal-priority-firewall-drop', () => {
  const n = 'splitbrain-equal-priority-firewall-drop';
  // the capture: both at priority 100; B (the higher address) is master, A's firewall drops VRRP from t=2
  assert.deepEqual([...new Set(adverts(n).map((p) => p.vrrp!.prio))], [100], 'both nodes advertise 100');
  const as = adverts(n, A), bs = adverts(n, B);
  assert.ok(first(bs).t < first(as).t, 'B was master before A advertised');
  // keepalived on B answers each equal-priority advert from the lower address at once ("forcing new election")
  const answered = as.filter((a) => bs.some((b) => b.t >= a.t && b.t - a.t <= 0.025));
  assert.ok(answered.length >= 10 && answered.length === as.length, `the capture: B answered ${answered.length} of A's ${as.length} adverts within 25 ms`);
  splitToTheEnd(n, first(as).t);
  const f = finding(n, 'split-brain');
  assert.equal(f.cause, 'firewall-drop', 'an echo at the same priority, not a cause unknown');
  assert.equal(f.fixContext.deafHost, A, 'the lower address is the deaf one: it does not hear the master that beats it');
  assert.deepEqual(f.fixContext.peers, [B]);
  const cmds = f.fixes.flatMap((x) => x.commands);
  assert.ok(cmds.some((c) => /^iptables .*-p vrrp .*-s 10\.99\.0\.2 .*-j ACCEPT/.test(c)), cmds.join('\n'));
});

lab('splitbrain-firewall-reject-multicast', () => {
  const n = 'splitbrain-firewall-reject-multicast';
  // REJECT of a multicast advert sends no ICMP error: on the wire it is a DROP
  assert.equal(readPcap(n).filter((p) => p.icmp).length, 0, 'the capture: no ICMP error for multicast');
  firewallSplit(n, 'firewall-drop');
});

lab('splitbrain-firewall-reject-unicast', () => {
  const n = 'splitbrain-firewall-reject-unicast';
  const icmp = readPcap(n).filter((p) => p.icmp && p.icmp.type === 3 && p.icmp.code === 13 && p.src === B && p.dst === A);
  assert.ok(icmp.length >= 10, `the capture: ${icmp.length} admin-prohibited errors from B to A`);
  firewallSplit(n, 'firewall-reject');
  assert.equal(report(n).stats.icmpErrors, icmp.length);
  const r = router(n);
  assert.equal(adv(r, A).destination, 'unicast');
  assert.equal(adv(r, B).destination, 'unicast');
  assert.deepEqual(adv(r, A).unicastPeers, [B]);
});

lab('splitbrain-heals', () => {
  const n = 'splitbrain-heals';
  const bs = adverts(n, B);
  const r = router(n);
  assert.equal(r.state, 'ok', 'healed: one master at the end');
  assert.equal(r.master, A);
  assert.equal(r.splitBrains.length, 1, JSON.stringify(r.splitBrains));
  const sb = r.splitBrains[0];
  near(sb.start, first(bs).t, MS5, 'split brain start = B becomes master');
  near(sb.end, last(bs).t, MS5, 'split brain end = B\'s last advert (B hears A again and resigns)');
  // The rule was flushed at script t=13.7 s; the script's t=0 (capture start) is at most one
  // advert interval before the first packet, so the removal is 12.7..13.7 s into the capture, and B
  // gives up at the first advert of A it can hear again, within one interval after it.
  const endRel = sb.end! - t0(n);
  assert.ok(endRel >= 12.7 && endRel <= 13.7 + 1 + MS5, `split brain ended ${endRel.toFixed(3)} s into the capture`);
  assert.ok(adverts(n, A).some((p) => p.t > sb.end! + 1), 'A alone after the heal');
  const f = finding(n, 'split-brain');
  assert.equal(f.severity, 'critical');
  assert.equal(f.cause, 'firewall-drop');
  assert.equal(f.fixContext.deafHost, B);
  assert.equal(report(n).verdict.severity, 'critical', 'a healed split brain still makes the capture CRITICAL');
  assert.equal(checkExit(n), 2);
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

lab('splitbrain-ttl-254', () => {
  const n = 'splitbrain-ttl-254';
  const ttl254 = adverts(n, A).filter((p) => p.ttl === 254);
  assert.ok(ttl254.length >= 10, 'the capture: A\'s adverts with TTL 254');
  const r = splitToTheEnd(n, first(adverts(n, B)).t);
  // B becomes master one Master_Down_Interval after A's last TTL-255 advert
  near(first(adverts(n, B)).t - last(adverts(n, A).filter((p) => p.ttl === 255)).t, MDI_80, MS5, 'the capture: B\'s take-over');
  assert.equal(adv(r, A).ttlMin, 254);
  assert.equal(finding(n, 'split-brain').cause, 'ttl');
  const t = finding(n, 'ttl-not-255');
  assert.ok(t.evidence.some((l) => l.includes(A) && l.includes('254')), t.evidence.join('\n'));
});

lab('splitbrain-unicast-vs-multicast', () => {
  const n = 'splitbrain-unicast-vs-multicast';
  assert.ok(adverts(n, A).every((p) => p.dst === B) && adverts(n, B).every((p) => p.dst === '224.0.0.18'));
  const r = splitToTheEnd(n, first(adverts(n, B)).t);
  assert.equal(adv(r, A).destination, 'unicast');
  assert.equal(adv(r, B).destination, 'multicast');
  assert.equal(finding(n, 'split-brain').cause, 'unicast-multicast-mix');
  finding(n, 'unicast-multicast-mix');
});

lab('splitbrain-v3-ipv6-firewall', () => {
  const n = 'splitbrain-v3-ipv6-firewall';
  // the capture: VRRPv3 over IPv6 from link-local sources; A prio 100, B prio 80 (after the ip6tables DROP)
  const a6 = first(adverts(n).filter((p) => p.vrrp!.prio === 100)).src;
  const b6 = first(adverts(n).filter((p) => p.vrrp!.prio === 80)).src;
  assert.ok(adverts(n).every((p) => p.ip === 6 && p.vrrp!.version === 3 && p.dst === 'ff02::12' && p.ttl === 255));
  assert.match(a6, /^fe80::/);
  assert.match(b6, /^fe80::/);
  assert.deepEqual(sources(n), [a6, b6].sort());
  const bFirst = first(adverts(n, b6)).t;
  // B became master one Master_Down_Interval after the last advert of A it accepted (before the rule)
  assert.ok(adverts(n, a6).some((p) => Math.abs(bFirst - p.t - MDI_80) <= MS5), 'the capture: B\'s take-over after MDI');
  assert.ok(readPcap(n).every((p) => !p.icmp || p.icmp.type === 136), 'the capture: no ICMPv6 error, only neighbour advertisements');
  const r = router(n);
  assert.equal(r.family, 6);
  assert.equal(r.key, 'v6/99');
  assert.equal(r.state, 'split-brain');
  assert.equal(r.splitBrains.length, 1, JSON.stringify(r.splitBrains));
  const sb = r.splitBrains[0];
  near(sb.start, bFirst, MS5, 'split brain start');
  if (sb.end !== null) near(sb.end, last(adverts(n)).t, MS5, 'split brain still on at the end of the capture');
  assert.deepEqual([...sb.advertisers].sort(), [a6, b6].sort());
  for (const ip of [a6, b6]) assert.equal(adv(r, ip).version, 3);
  const f = finding(n, 'split-brain');
  assert.equal(f.severity, 'critical');
  assert.equal(f.cause, 'firewall-drop');
  assert.equal(f.fixContext.deafHost, b6);
  assert.deepEqual(f.fixContext.peers, [a6]);
  assert.equal(f.fixContext.family, 6);
  assert.equal(f.fixContext.multicast, 'ff02::12');
  const cmds = f.fixes.flatMap((x) => x.commands);
  assert.ok(cmds.some((c) => c.startsWith('ip6tables ') && c.includes(`-s ${a6} `) && c.endsWith('-j ACCEPT')), cmds.join('\n'));
  assert.ok(!cmds.some((c) => c.startsWith('iptables ')), 'IPv6: no IPv4 iptables fix');
  assert.equal(checkExit(n), 2);
});

// VRRP-NOTES 5.2. B's stateful firewall has no VRRP rule. A's unicast adverts to B are NEW and dropped
// until B, timed out, sends its own advert to A: that creates the conntrack entry, A's answer (0.3 ms
// later) is ESTABLISHED, B hears priority 100 and returns to BACKUP. A dual master for one advert.
const STATEFUL = 'unicast-stateful-fw-no-vrrp-rule';
function statefulStory() {
  const n = STATEFUL;
  const bs = adverts(n, B), as = adverts(n, A);
  assert.equal(bs.length, 1, 'the capture: B advertises exactly once');
  const b = bs[0];
  const echo = first(as.filter((p) => p.t > b.t));
  assert.ok(echo.t - b.t < 0.001, `the capture: A answers B's advert within 1 ms (${((echo.t - b.t) * 1e3).toFixed(3)} ms)`);
  assert.ok(as.some((p) => p.t < b.t) && as.every((p) => p.dst === B) && b.dst === A, 'the capture: unicast both ways');
  return { b, echo };
}
lab(STATEFUL, () => {
  const n = STATEFUL;
  const { b } = statefulStory();
  // B sent no second GARP set vrrp_garp_master_delay (5 s) after its first: it really went back to BACKUP
  const macA = first(adverts(n, A)).mac;
  assert.ok(readPcap(n).some((p) => p.arp && p.mac === b.mac && Math.abs(p.t - b.t) < 0.01), 'the capture: B\'s GARPs as master');
  const later = readPcap(n).filter((p) => p.arp && p.t > b.t + 4.9 && p.t < b.t + 5.1);
  assert.ok(later.length > 0 && later.every((p) => p.mac === macA), 'the capture: 5 s later only A\'s second GARP set, none from B');
  const r = router(n);
  assert.equal(r.master, A);
  assert.equal(r.state, 'ok');
  assert.equal(adv(r, B).adverts, 1);
  assert.equal(adv(r, A).destination, 'unicast');
  assert.equal(adv(r, B).destination, 'unicast');
  assert.deepEqual(adv(r, B).unicastPeers, [A]);
  assert.deepEqual(r.noMasters, []);
  assert.ok(r.splitBrains.every((x) => x.duration < 1), `no lasting split brain: ${JSON.stringify(r.splitBrains)}`);
  assert.ok(!changes(r).some((f) => f.to === B && f.t > b.t + 1), 'B never holds on as master');
});
labCheck(STATEFUL, 'the one-advert dual master at backup start is reported with its cause (stateful firewall without a VRRP rule)',
  () => {
    const n = STATEFUL;
    const { b } = statefulStory();
    const j = report(n);
    const ev = j.events as unknown as { t: number; type: string; advertisers: string[] }[];
    assert.ok(ev.some((e) => Math.abs(e.t - b.t) <= 1 + MS5 && e.type === 'dual-master' && e.advertisers.includes(B)),
      `an event for B's take-over at ${(b.t - t0(n)).toFixed(3)} s: ${JSON.stringify(ev.map((e) => e.type))}`);
    const f = j.findings.find((x) => x.fixContext.deafHost === B);
    assert.ok(f, `a finding names 10.99.0.2 as the host that did not hear 10.99.0.1: ${j.findings.map((x) => x.code)}`);
    assert.equal(f.code, 'brief-dual-master');
    assert.equal(f.severity, 'warning');
    assert.equal(f.cause, 'firewall-stateful');
    assert.ok(f.fixes.flatMap((x) => x.commands).some((c) => /^iptables .*-s 10\.99\.0\.1 .*-j ACCEPT/.test(c)));
    assert.equal(j.verdict.severity, 'warning');
    assert.equal(checkExit(n), 1);
  });

// ---- configuration mismatches: the second master (B) barely advertises (MANIFEST, "keepalived
// behaviour"): A's adverts keep restarting B's timer, B's GARPs show it still holds the VIP.

interface Mismatch { name: string; cause: string; code: string; values?: Record<string, string> }
const MISMATCHES: Mismatch[] = [
  { name: 'splitbrain-auth-mismatch', cause: 'auth-mismatch', code: 'auth-mismatch' },
  { name: 'splitbrain-interval-mismatch', cause: 'interval-mismatch', code: 'interval-mismatch', values: { [A]: '1', [B]: '2' } },
  { name: 'splitbrain-version-mismatch', cause: 'version-mismatch', code: 'version-mismatch', values: { [A]: '2', [B]: '3' } },
  { name: 'splitbrain-vip-mismatch', cause: 'vip-mismatch', code: 'vrid-collision', values: { [A]: '10.99.0.100', [B]: '10.99.0.101' } },
];

for (const m of MISMATCHES) {
  lab(m.name, () => {
    const n = m.name;
    // the capture: both advertise, B from its start-up (or its single advert) to the end, B's GARPs
    const bFirst = first(adverts(n, B)).t;
    assert.ok(readPcap(n).some((p) => p.arp && p.t >= bFirst - MS5), 'the capture: B sends GARPs as master');
    assert.ok(last(adverts(n, A)).t > bFirst + 5, 'the capture: A keeps advertising');
    splitToTheEnd(n, bFirst, false); // both masters: checked in the test below
    const f = finding(n, m.code);
    assert.equal(f.cause, m.cause);
    if (m.values) assert.deepEqual(f.fixContext.values, m.values);
  });
  labCheck(m.name, `split brain of A and B, cause ${m.cause}, fixed in the config`, () => {
    const f = finding(m.name, 'split-brain');
    assert.equal(f.cause, m.cause);
    assert.deepEqual([...router(m.name).splitBrains[0].advertisers].sort(), [A, B], 'both nodes are masters');
    assert.ok(!f.evidence.some((l) => l.includes('configurations agree')), 'the configurations differ');
    assert.ok(!f.fixes.some((x) => x.commands.some((c) => /^(iptables|ip6tables|nft|firewall-cmd|ufw) /.test(c))),
      `a config mismatch is not fixed in the firewall: ${f.fixes.map((x) => x.tool).join(', ')}`);
  });
}

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

labCheck('splitbrain-heals', 'healed with keepalived\'s defaults: the master claimed last (it answers each of B\'s adverts with GARPs), not stale', () => {
  const n = 'splitbrain-heals';
  assert.equal(last(garps(n)).mac, macOf(n, A), 'the capture: the last GARP is A\'s');
  assert.deepEqual([vip(n).lastTold?.advertiser, vip(n).stale], [A, false]);
  noFinding(n, 'stale-neighbours');
  assert.ok(finding(n, 'split-brain').evidence.some((l) => l.startsWith('neighbours were last told 10.99.0.100 is at 10.99.0.1 ') && l.endsWith(': the master 10.99.0.1')));
});

for (const n of ['splitbrain-auth-mismatch', 'splitbrain-interval-mismatch']) {
  labCheck(n, 'both nodes hold the VIP: both MACs claimed it, told in the split-brain finding', () => {
    const macs = vip(n).claimers.map((c) => c.mac).sort();
    assert.deepEqual(macs, [macOf(n, A), macOf(n, B)].sort());
    const sb = finding(n, 'split-brain');
    assert.ok(sb.evidence.some((l) => l.startsWith('10.99.0.100 was claimed by 2 hosts: ')), sb.evidence.join('\n'));
    assert.ok(sb.evidence.some((l) => l.startsWith('neighbours were last told 10.99.0.100 is at ')));
    noFinding(n, 'vip-conflict');   // one story: the split-brain finding tells it
  });
}

lab('vipconflict-adverts-dropped', () => {
  const n = 'vipconflict-adverts-dropped';
  // the capture: only B's adverts reach C, but two MACs claim the VIP (A's adverts are dropped by the switch)
  assert.deepEqual(sources(n), [B]);
  const macs = [...new Set(garps(n).map((p) => p.mac))];
  assert.equal(macs.length, 2);
  const r = router(n);
  assert.deepEqual(r.splitBrains, [], 'the adverts alone show one master');
  const f = finding(n, 'vip-conflict');
  assert.equal(f.severity, 'critical');
  assert.equal(f.cause, null);
  assert.ok(f.evidence[0].includes('(no advert for VRID 99 came from it)'), f.evidence[0]);
  assert.deepEqual(vip(n).claimers.map((c) => c.mac).sort(), macs.sort());
  assert.ok(!f.fixes.some((x) => /^(iptables|nft|firewall-cmd|ufw) /.test(x.commands[0] ?? '')), 'no firewall fix without firewall evidence');
  assert.equal(report(n).verdict.label, 'SPLIT BRAIN');
  assert.equal(checkExit(n), 2);
});

lab('vipconflict-after-splitbrain', () => {
  const n = 'vipconflict-after-splitbrain';
  // the capture: A and B advertise at once (B's firewall drops VRRP), then B alone stops; after the heal a
  // third MAC, C's (no keepalived: it took the VIP as a static address), claims the VIP three times
  assert.deepEqual(sources(n), [A, B]);
  const r = router(n);
  assert.equal(r.splitBrains.length, 1);
  const healed = r.splitBrains[0].end!;
  const third = [...new Set(garps(n).map((p) => p.mac))].filter((m) => m !== macOf(n, A) && m !== macOf(n, B));
  assert.equal(third.length, 1);
  const claims = garps(n, third[0]);
  assert.equal(claims.length, 3);
  assert.ok(claims[0].t > healed && claims[0].t - healed < 5, 'C claims within the window after the heal');
  // that third MAC is no node of the split brain: its conflict is told on its own, with no cause
  const f = finding(n, 'vip-conflict');
  assert.deepEqual([f.severity, f.cause], ['critical', null]);
  assert.ok(f.evidence[1].startsWith(`${third[0]} (no advert for VRID 99 came from it) holds it without a single advert`), f.evidence[1]);
  assert.ok(!f.fixes.some((x) => /^(iptables|nft|firewall-cmd|ufw) /.test(x.commands[0] ?? '')), 'no firewall fix for the conflict');
  assert.equal(finding(n, 'split-brain').cause, 'firewall-drop');
  assert.equal(checkExit(n), 2);
});

lab('failover-garp-lost', () => {
  const n = 'failover-garp-lost';
  const firstB = first(adverts(n, B)).t;
  // the capture: no GARP from B reaches C after its takeover (dropped by the switch; its second set 30 s later)
  assert.deepEqual(garps(n, macOf(n, B)), []);
  assert.ok(garps(n, macOf(n, A)).length > 0, 'A claimed the VIP before');
  const f = finding(n, 'stale-neighbours');
  assert.equal(f.severity, 'warning');
  assert.ok(f.evidence[0].startsWith('10.99.0.2 became master at '), f.evidence[0]);
  assert.ok(f.evidence[0].includes(`the last claim was 10.99.0.1 (${macOf(n, A)})`), f.evidence[0]);
  assert.ok(vip(n).stale);
  near(changes(router(n))[0].t, firstB, MS5, 'failover time');
  assert.ok(f.fixes.some((x) => x.tool === 'arping' && x.host === B && x.commands[0] === 'arping -U -c 3 -I <iface> 10.99.0.100'));
  assert.equal(checkExit(n), 1);
});

lab('splitbrain-heals-loser-last', () => {
  const n = 'splitbrain-heals-loser-last';
  const r = router(n);
  assert.equal(r.splitBrains.length, 1);
  assert.equal(r.master, A);
  // the capture: the last GARP is B's (its second set), after which A sends none
  assert.equal(last(garps(n)).mac, macOf(n, B));
  assert.ok(last(garps(n)).t < last(adverts(n, B)).t, 'B claimed during the split brain');
  const f = finding(n, 'stale-neighbours');
  assert.equal(f.severity, 'critical', 'CRITICAL while it lasts after a split brain');
  assert.ok(f.evidence[0].startsWith('after the split brain, the last claim of 10.99.0.100 was 10.99.0.2 '), f.evidence[0]);
  assert.ok(f.fixes.some((x) => x.commands.includes('vrrp_higher_prio_send_advert')));
  assert.equal(vip(n).lastTold?.advertiser, B);
});

lab('splitbrain-interval-resign', () => {
  const n = 'splitbrain-interval-resign';
  // the capture: B advertised as master, then resigned (priority 0) soon after
  const bPrios = adverts(n, B).map((p) => p.vrrp!.prio);
  assert.deepEqual([bPrios[0], last(bPrios)], [80, 0]);
  const r = router(n);
  assert.equal(r.splitBrains.length, 1);
  assert.deepEqual([...r.splitBrains[0].advertisers].sort(), [A, B], 'both sources named');
  const f = finding(n, 'split-brain');
  assert.equal(f.cause, 'interval-mismatch');
  assert.ok(f.fixes.length > 0 && f.fixes.every((x) => x.tool === 'keepalived'), `no firewall fix: ${f.fixes.map((x) => x.tool).join(', ')}`);
  assert.equal(r.master, A);
});

// ---- the vantage-point captures, each read alone (read together: test/vantage-lab.test.ts) -------------
// One capture of a fault between the nodes tells what it saw and no more (MANIFEST: each file alone misleads).

for (const n of ['vantage-network-drop-a', 'vantage-network-drop-c', 'vantage-host-drop-a', 'vantage-host-drop-b']) {
  labCheck(n, 'alone: a split brain where B does not hear A; firewall or path cannot be told apart from here', () => {
    const r = router(n);
    assert.equal(r.state, 'split-brain');
    assert.deepEqual([...r.splitBrains[0].advertisers].sort(), [A, B]);
    const f = finding(n, 'split-brain');
    assert.equal(f.cause, 'firewall-drop');
    assert.equal(f.fixContext.deafHost, B);
    // the network-drop captures are the proof that one capture cannot know it is B's firewall
    assert.ok(f.evidence.some((l) => l.includes('one capture cannot tell these apart') && l.includes(`-r ${B}=its.pcap`)), f.evidence.join('\n'));
    assert.ok(!f.evidence.some((l) => /although the adverts reach/.test(l)));
    assert.equal(checkExit(n), 2);
  });
}

labCheck('vantage-network-drop-b', 'alone, on B\'s wire: A\'s adverts stop, B takes over; A\'s gratuitous ARPs go on: the VIP held by two hosts', () => {
  const n = 'vantage-network-drop-b';
  const r = router(n);
  assert.deepEqual(r.splitBrains, [], 'the adverts alone show a failover to B, not a split brain');
  assert.equal(r.master, B);
  assert.equal(changes(r)[0].kind, 'failover');
  // the capture: A's GARPs reach B's wire after A's last advert there (the switch drops A's multicast, not its ARP)
  assert.ok(last(garps(n, macOf(n, A))).t > last(adverts(n, A)).t);
  const f = finding(n, 'vip-conflict');
  assert.equal(f.severity, 'critical');
  assert.equal(f.cause, null, 'one vantage point: no cause');
  assert.ok(!f.fixes.some((x) => /^(iptables|nft|firewall-cmd|ufw) /.test(x.commands[0] ?? '')), 'no firewall fix without firewall evidence');
  assert.equal(report(n).verdict.label, 'SPLIT BRAIN');
  assert.equal(checkExit(n), 2);
});

for (const n of ['vantage-loss-30-a', 'vantage-loss-30-c']) {
  labCheck(n, 'alone: B advertised as master for a moment while A went on (brief dual master); the cause cannot be told', () => {
    const r = router(n);
    assert.deepEqual(r.splitBrains, []);
    assert.equal(r.master, A);
    const f = finding(n, 'brief-dual-master');
    assert.equal(f.severity, 'warning');
    assert.equal(f.cause, 'unknown');
    assert.equal(checkExit(n), 1);
    // no firewall rule without firewall evidence: the steps that tell, and the second one, run on the
    // captures of both nodes (HOST1 = A's, HOST2 = B's), names the network's partial loss
    assert.deepEqual(f.fixes.map((x) => x.tool), ['vrrpwatch', 'vrrpwatch']);
    const read = f.fixes[1].commands[1].split(' ').slice(1)
      .map((w) => w.replace('vrrp-HOST1.pcap', `${DIR}/vantage-loss-30-a.pcap`).replace('vrrp-HOST2.pcap', `${DIR}/vantage-loss-30-b.pcap`));
    assert.deepEqual(read, ['-r', `${A}=${DIR}/vantage-loss-30-a.pcap`, '-r', `${B}=${DIR}/vantage-loss-30-b.pcap`]);
    const together = spawnSync('bin/vrrpwatch', [...read, '--json'], { env, encoding: 'utf8' });
    const doc = JSON.parse(together.stdout) as Report;
    assert.equal(doc.findings.find((x) => x.code === 'brief-dual-master')?.cause, 'network-loss', together.stderr);
  });
}

labCheck('vantage-loss-30-b', 'alone, on B\'s wire: A\'s adverts missing by runs, B takes over twice and A preempts: flapping, no vip-conflict', () => {
  const n = 'vantage-loss-30-b';
  const r = router(n);
  assert.equal(r.master, A);
  assert.deepEqual(changes(r).map((c) => c.kind), ['failover', 'preemption', 'failover', 'preemption']);
  finding(n, 'flapping');
  // A's gratuitous ARPs answer B's adverts before A's next advert arrives here: A claimed as the master it was
  noFinding(n, 'vip-conflict');
  assert.equal(checkExit(n), 1);
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
