// What the lab knows happened in the captures of pcaps/lab (MANIFEST.md) with a configuration mismatch and
// in those about who holds the VIP (issue 12), asserted through the CLI as a user runs it: `vrrpwatch -r
// FILE --json` and `vrrpwatch check -r FILE`. lab-verdicts.test.ts says how (reference times read from the
// packets by an independent pcap reader, the lab's own numbers literals); test/support/lab-captures.ts
// lists which verdict file tests which capture.
import assert from 'node:assert/strict';
import { A, B, MS5 } from './support/lab-captures.js';
import { readPcap, adverts, first, last, sources, garps, macOf } from './support/lab-capture-reader.js';
import {
  report, checkExit, router, finding, noFinding, near,
  changes, splitToTheEnd, vip, verdictTests,
} from './support/lab-cli.js';

const { lab, labCheck, testsItsCaptures } = verdictTests(import.meta.url);

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

// ---- the captures tested here are those listed --------------------------------------------------

testsItsCaptures();
