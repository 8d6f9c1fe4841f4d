// What the lab knows happened in each vantage-point capture of pcaps/lab (MANIFEST.md), read alone, asserted
// through the CLI as a user runs it: `vrrpwatch -r FILE --json` and `vrrpwatch check -r FILE`.
// lab-verdicts.test.ts says how (reference times read from the packets by an independent pcap reader, the
// lab's own numbers literals); test/support/lab-captures.ts lists which verdict file tests which capture.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { DIR, A, B } from './support/lab-captures.js';
import { adverts, last, garps, macOf } from './support/lab-capture-reader.js';
import {
  env, report, checkExit, router, finding,
  noFinding, changes, type Report, verdictTests,
} from './support/lab-cli.js';

const { labCheck, testsItsCaptures } = verdictTests(import.meta.url);

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

// ---- the captures tested here are those listed --------------------------------------------------

testsItsCaptures();
