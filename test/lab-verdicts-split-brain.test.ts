// What the lab knows happened in the split-brain captures of pcaps/lab (MANIFEST.md), asserted through the
// CLI as a user runs it: `vrrpwatch -r FILE --json` and `vrrpwatch check -r FILE`. lab-verdicts.test.ts says
// how (reference times read from the packets by an independent pcap reader, the lab's own numbers
// literals); test/support/lab-captures.ts lists which verdict file tests which capture.
import assert from 'node:assert/strict';
import { A, B, MDI_80, MS5 } from './support/lab-captures.js';
import { readPcap, adverts, first, last, t0, sources, garps, macOf } from './support/lab-capture-reader.js';
import {
  report, checkExit, router, adv, finding, noFinding,
  near, changes, splitToTheEnd, vip, verdictTests,
} from './support/lab-cli.js';

const { lab, labCheck, testsItsCaptures } = verdictTests(import.meta.url);

// ---- the split brains ---------------------------------------------------------------------------

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

// ---- who holds the VIP (ARP in the captures, read by test/support/lab-capture-reader.ts; issue 12) -----

labCheck('splitbrain-heals', 'healed with keepalived\'s defaults: the master claimed last (it answers each of B\'s adverts with GARPs), not stale', () => {
  const n = 'splitbrain-heals';
  assert.equal(last(garps(n)).mac, macOf(n, A), 'the capture: the last GARP is A\'s');
  assert.deepEqual([vip(n).lastTold?.advertiser, vip(n).stale], [A, false]);
  noFinding(n, 'stale-neighbours');
  assert.ok(finding(n, 'split-brain').evidence.some((l) => l.startsWith('neighbours were last told 10.99.0.100 is at 10.99.0.1 ') && l.endsWith(': the master 10.99.0.1')));
});

// ---- the captures tested here are those listed --------------------------------------------------

testsItsCaptures();
