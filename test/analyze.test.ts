// The analyzer end to end on synthetic adverts: a healthy pair, failovers, preemption, the split brain by a
// firewall (after the fact and live), flapping, weights, IPv6, VLANs and QinQ, expected VRIDs, rejects and
// duplicates, the dashboard's `c`. The causes of a split brain are in analyze-causes.test.ts, start-up races
// and brief dual masters in analyze-transitions.test.ts, outages in analyze-no-master.test.ts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Analyzer } from '../src/analyze/analyzer.js';
import type { AnalysisEvent } from '../src/analyze/model.js';
import type { PacketRecord } from '../src/decode/packet.js';
import { Checksum, Reject } from '../src/decode/packet.js';
import { advert, build, garp, other, rejectRec, series, type AdvertSpec } from './support/records.js';
import { analyse, types, close, finding } from './support/analyze-run.js';

const A = '10.0.0.1';
const B = '10.0.0.2';

test('healthy pair: one master, measured interval, no findings', () => {
  const recs: PacketRecord[] = [];
  for (const s of build(series(A, 0, 30, 1))) {
    recs.push(s);
    recs.push(other(s.tsSec + 0.1, 200));
  }
  const { snap, events } = analyse(recs);
  assert.equal(snap.routers.length, 1);
  const r = snap.routers[0];
  assert.equal(r.key, 'v4/99');
  assert.equal(r.state, 'ok');
  assert.equal(r.worst, 'ok');
  assert.equal(r.master, A);
  assert.equal(r.masterPriority, 100);
  assert.deepEqual(r.virtualAddresses, ['10.0.0.100']);
  assert.equal(r.adverts, 30);
  assert.equal(r.failovers.length, 1);
  assert.equal(r.failovers[0].kind, 'initial');
  assert.equal(r.splitBrains.length, 0);
  assert.equal(r.noMasters.length, 0);
  const a = r.advertisers[0];
  assert.equal(a.role, 'master');
  close(a.measuredInterval, 1);
  close(a.jitter, 0);
  assert.equal(a.advertInterval, 1);
  assert.equal(a.advertIntervalUnit, 's');
  assert.equal(a.authType, 1);
  assert.equal(a.authText, 'secret');
  assert.equal(a.destination, 'multicast');
  assert.deepEqual(a.checksums, { ok: 30 });
  assert.equal(snap.findings.length, 0);
  assert.equal(snap.verdict, 'ok');
  assert.equal(snap.stats.frames, 60);
  assert.equal(snap.stats.bytes, 30 * 60 + 30 * 200);
  assert.equal(snap.stats.vrrpAdverts, 30);
  assert.deepEqual(types(events), ['new-master']);
});

test('failover by crash: duration 3.69 s against expected 3.6875 s for backup 80 @1 s', () => {
  const { snap, events } = analyse([...series(A, 0, 10, 1), ...series(B, 12.69, 20, 1, { prio: 80 })]);
  const r = snap.routers[0];
  assert.equal(r.failovers.length, 2);
  const f = r.failovers[1];
  assert.equal(f.kind, 'failover');
  assert.equal(f.from, A);
  assert.equal(f.to, B);
  close(f.duration, 3.69);
  close(f.expected, 3.6875);
  assert.equal(r.master, B);
  assert.equal(r.state, 'ok');
  assert.equal(r.noMasters.length, 0);
  assert.equal(r.splitBrains.length, 0);
  assert.deepEqual(types(events), ['new-master', 'failover']);
  const e = events[1];
  assert.equal(e.previousMaster, A);
  assert.equal(e.master, B);
  close(e.duration, 3.69);
  assert.equal(snap.verdict, 'ok');
  const adv = r.advertisers.find((x) => x.ip === A)!;
  assert.equal(adv.role, 'silent');
});

test('graceful stop: priority 0 then the backup after 0.6875 s', () => {
  const { snap, events, notes } = analyse([...series(A, 0, 10, 1), { t: 9.5, src: A, prio: 0 }, ...series(B, 10.1875, 15, 1, { prio: 80 })]);
  const r = snap.routers[0];
  const f = r.failovers[1];
  assert.equal(f.kind, 'graceful');
  close(f.duration, 0.6875);
  close(f.expected, 0.6875);
  assert.deepEqual(types(events), ['new-master', 'graceful-handover']);
  assert.equal(r.advertisers[0].role, 'resigned');
  assert.equal(r.noMasters.length, 0);
  assert.deepEqual(notes.slice(8, 12), ['master', 'master', 'resign', 'new-master']);
  assert.equal(snap.verdict, 'ok');
});

test('preemption: brief overlap is not split brain', () => {
  // B (80) is master; A (100) comes up, B sends one more advert after A's first and stops.
  const { snap, events } = analyse([...series(B, 0, 10.5, 1, { prio: 80 }), { t: 10.01, src: B, prio: 80 }, ...series(A, 10.005, 30, 1)]);
  const r = snap.routers[0];
  assert.equal(r.splitBrains.length, 0);
  assert.equal(r.failovers.length, 2);
  assert.equal(r.failovers[1].kind, 'preemption');
  assert.equal(r.failovers[1].from, B);
  assert.equal(r.failovers[1].to, A);
  assert.equal(r.master, A);
  assert.equal(r.worst, 'ok');
  assert.equal(snap.verdict, 'ok');
  assert.deepEqual(types(events), ['new-master', 'preemption']);
});

function firewallScenario(healAt: number) {
  // A (100) hears B and answers each of B's adverts 0.3 ms later; B (80) is deaf and advertises too.
  // As keepalived does, A restarts its advert timer when it answers, so its adverts stay 1 s apart.
  const specs: AdvertSpec[] = [...series(A, 0, 5.5, 1)];
  let last = 0;
  for (const s of series(B, 5.5, healAt, 1, { prio: 80 })) {
    specs.push(s);
    last = s.t + 0.0003;
    specs.push({ t: last, src: A });
  }
  specs.push(...series(A, last + 1, 30, 1));
  return specs;
}

test('split brain by firewall: echo pattern names the deaf host, then heals', () => {
  const { snap, events, an, notes } = analyse(firewallScenario(21), {}, false);
  assert.equal(notes.filter((n) => n === 'echo').length, 16);
  assert.equal(notes.filter((n) => n === 'contender').length, 16);
  assert.equal(notes.filter((n) => n === 'master').length, 14);
  assert.equal(notes.filter((n) => n === 'new-master').length, 1);
  const starts = events.filter((e) => e.type === 'split-brain-start');
  assert.equal(starts.length, 1);
  assert.ok(starts[0].t <= 5.5 + 3, `reported at ${starts[0].t}`);
  // once both advertised more than 1.5 intervals after the dual period began: A's echo of B's third advert
  close(starts[0].t, 7.5003);
  const ends = events.filter((e) => e.type === 'split-brain-end');
  assert.equal(ends.length, 1);
  close(ends[0].t, 20.5);
  close(ends[0].duration, 15);
  const r = snap.routers[0];
  assert.equal(r.splitBrains.length, 1);
  close(r.splitBrains[0].start, 5.5);
  close(r.splitBrains[0].end, 20.5);
  assert.deepEqual(r.splitBrains[0].advertisers, [A, B]);
  assert.equal(r.state, 'ok');
  assert.equal(r.worst, 'critical');
  assert.equal(r.master, A);
  assert.equal(r.failovers.length, 1, 'the echo must not make the master change');
  const f = finding(snap, 'split-brain')!;
  assert.equal(f.severity, 'critical');
  assert.equal(f.cause, 'firewall-drop');
  assert.equal(f.fixContext.deafHost, B);
  assert.deepEqual(f.fixContext.peers, [A]);
  assert.equal(f.fixContext.multicast, '224.0.0.18');
  assert.ok(f.evidence.some((l) => l.startsWith('10.0.0.1 answered 16 of 16 adverts from 10.0.0.2 within 0.3 ms:')), f.evidence.join('\n'));
  assert.equal(snap.verdict, 'critical');
  // the echoes do not disturb A's measured interval
  close(r.advertisers.find((x) => x.ip === A)!.measuredInterval, 1);
  an.finish();
  assert.equal(an.snapshot().routers[0].splitBrains[0].end !== null, true);
});

test('split brain by firewall, live: reported by tick within 3 intervals, end by tick', () => {
  const an = new Analyzer();
  const events: AnalysisEvent[] = [];
  const seenAt: number[] = [];
  let now = 0;
  an.onEvent = (e) => { events.push(e); seenAt.push(now); };
  const recs = build(firewallScenario(9));
  let next = 0;
  let checked = false;
  for (const r of recs) {
    const t = r.tsSec + r.tsNsec / 1e9;
    for (; next / 10 < t; next++) { now = next / 10; an.tick(now); }
    now = t;
    an.packet(r);
    if (!checked && t > 8.6) {
      // B's last advert was at 8.5: still inside its advertising window
      assert.equal(an.snapshot().routers[0].state, 'split-brain');
      checked = true;
    }
  }
  assert.ok(checked);
  const i = events.findIndex((e) => e.type === 'split-brain-start');
  close(events[i].t, 7.5003);
  assert.ok(seenAt[i] <= 5.5 + 3);
  const j = events.findIndex((e) => e.type === 'split-brain-end');
  close(events[j].t, 8.5);
  close(events[j].duration, 3);
  // reported once B's window (1.5 s) passed: by the first tick after 10.0
  close(seenAt[j], 10.1);
  assert.equal(an.snapshot().routers[0].state, 'ok');
});

test('a lasting takeover is a split brain, not a brief dual master', () => {
  const { snap, events } = analyse(firewallScenario(21));
  assert.deepEqual(types(events).filter((t) => t === 'dual-master' || t === 'split-brain-start'), ['dual-master', 'split-brain-start']);
  assert.equal(finding(snap, 'brief-dual-master'), undefined);
});

test('flapping: 4 master changes within 120 s', () => {
  const specs = [
    ...series(A, 0, 6, 1), ...series(B, 8.69, 15.5, 1, { prio: 80 }),
    ...series(A, 15.6, 21, 1), ...series(B, 23.69, 30.5, 1, { prio: 80 }),
    ...series(A, 30.6, 35, 1),
  ];
  const { snap } = analyse(specs);
  const r = snap.routers[0];
  assert.deepEqual(r.failovers.map((f) => f.kind), ['initial', 'failover', 'preemption', 'failover', 'preemption']);
  // series() numbers each run's IP IDs from 1: A's return looks like a restart
  const pre = snap.events.filter((e) => e.type === 'preemption');
  assert.ok(pre[0].message.includes('IP ID restarted (6 -> 1)'), pre[0].message);
  const f = finding(snap, 'flapping')!;
  assert.equal(f.severity, 'warning');
  close(f.firstSeen, 30.6);
  assert.equal(r.splitBrains.length, 0);
  // three changes only: no flapping
  const { snap: s3 } = analyse(specs.filter((s) => s.t < 30.55));
  assert.equal(finding(s3, 'flapping'), undefined);
});

test('weight too small: master priority falls 100 -> 90, backup at 80, no failover', () => {
  const { snap, events } = analyse([...series(B, 0, 3.5, 1, { prio: 80 }), ...series(A, 3.3, 10, 1), ...series(A, 10, 20, 1, { prio: 90 })]);
  const pc = events.filter((e) => e.type === 'priority-change');
  assert.equal(pc.length, 1);
  assert.equal(pc[0].fromPriority, 100);
  assert.equal(pc[0].toPriority, 90);
  const f = finding(snap, 'weight-too-small')!;
  assert.equal(f.severity, 'warning');
  assert.ok(f.evidence.some((l) => l.includes('a weight of at least 21')), f.evidence.join('\n'));
  assert.equal(snap.routers[0].master, A);
  assert.deepEqual(snap.routers[0].advertisers.find((a) => a.ip === A)!.priorityHistory.map((p) => p.priority), [100, 90]);
});

test('VRRPv3 over IPv6: failover expected from the master interval (v3 skew scales with it)', () => {
  const specs = [...series('fe80::1', 0, 5, 0.5, { vrid: 7, interval: 0.5 }), ...series('fe80::2', 4.5 + 1.85, 8, 0.5, { vrid: 7, prio: 80, interval: 0.5 })];
  const { snap } = analyse(specs);
  const r = snap.routers[0];
  assert.equal(r.key, 'v6/7');
  assert.equal(r.family, 6);
  const f = r.failovers[1];
  assert.equal(f.kind, 'failover');
  close(f.duration, 1.85);
  close(f.expected, 1.5 + (176 * 0.5) / 256);
  const a = r.advertisers[0];
  assert.equal(a.version, 3);
  assert.equal(a.advertIntervalRaw, 50);
  assert.equal(a.advertIntervalUnit, 'cs');
  assert.equal(a.authType, null);
  assert.equal(a.ip, 'fe80::1');
  assert.deepEqual(a.addresses, ['fd00::100']);
});

test('VLAN-separated routers with the same VRID are distinct', () => {
  const { snap } = analyse([...series(A, 0, 10, 1, { vlan: 10 }), ...series(B, 0.5, 10, 1, { vlan: 20, prio: 80 })]);
  assert.deepEqual(snap.routers.map((r) => r.key).sort(), ['v4/99@vlan10', 'v4/99@vlan20']);
  assert.equal(snap.routers.every((r) => r.splitBrains.length === 0), true);
  assert.equal(snap.findings.length, 0);
  assert.equal(snap.routers.find((r) => r.vlan === 20)!.master, B);
});

test('expected VRID missing is critical', () => {
  const { snap, events } = analyse(series(A, 0, 5, 1), { expectVrids: [99, 51] });
  const f = snap.findings.filter((x) => x.code === 'expected-vrid-missing');
  assert.equal(f.length, 1);
  assert.equal(f[0].vrid, 51);
  assert.equal(f[0].severity, 'critical');
  assert.equal(snap.verdict, 'critical');
  assert.equal(events.filter((e) => e.findingCode === 'expected-vrid-missing').length, 1);
  // before finish (live), the snapshot already says so
  const { snap: live } = analyse(series(A, 0, 5, 1), { expectVrids: [51] }, false);
  assert.equal(live.verdict, 'critical');
});

test('unicast / multicast mix', () => {
  const { snap } = analyse([...series(A, 0, 10, 1, { dst: B }), ...series(B, 0.5, 10, 1, { prio: 80 })]);
  assert.ok(finding(snap, 'unicast-multicast-mix'));
  assert.equal(finding(snap, 'split-brain')!.cause, 'unicast-multicast-mix');
});

test('rejected packets and bad checksums are counted', () => {
  const recs = [...build(series(A, 0, 3, 1, { checksum: 3 /* Bad */ })), rejectRec(3.5, Reject.TruncatedVrrp), rejectRec(3.6, Reject.TruncatedVrrp)];
  const { snap, notes } = analyse(recs);
  assert.deepEqual(snap.stats.rejects, { 'truncated-vrrp': 2 });
  const rp = finding(snap, 'rejected-packets')!;
  assert.equal(rp.count, 2);
  assert.deepEqual(rp.evidence, ['2 truncated-vrrp']);
  assert.equal(finding(snap, 'bad-checksum')!.count, 3);
  assert.equal(notes.filter((n) => n === 'anomaly:bad-checksum').length, 3);
});

test('rejected packets: frames cut by the snapshot length are in the capture stats, not in the finding\'s count or evidence', () => {
  const cut = (t: number): PacketRecord => {
    const r = rejectRec(t, Reject.TruncatedVrrp);
    r.capLen = 40; // the capture kept 40 of the frame's 60 bytes
    return r;
  };
  const recs = [...build(series(A, 0, 3, 1)), cut(3.1), cut(3.2), cut(3.3), rejectRec(3.5, Reject.TruncatedVrrp), rejectRec(3.6, Reject.BadVersion)];
  const { snap } = analyse(recs);
  assert.deepEqual(snap.stats.rejects, { 'truncated-vrrp': 4, 'bad-version': 1 });
  assert.equal(snap.stats.cutByCapture, 3);
  const rp = finding(snap, 'rejected-packets')!;
  assert.equal(rp.count, 2, 'the two rejected on the wire');
  assert.deepEqual(rp.evidence, ['1 truncated-vrrp', '1 bad-version']);
});

test('the advert path keeps text calls to new advertisers / changes', () => {
  let calls = 0;
  const an = new Analyzer();
  for (const r of build(series(A, 0, 100, 1))) {
    const at = r.authText, ad = r.addresses, st = r.srcText;
    r.authText = () => { calls++; return at(); };
    r.addresses = () => { calls++; return ad(); };
    r.srcText = () => { calls++; return st(); };
    an.packet(r);
  }
  assert.equal(calls, 3);
});

test('unsupported link types and other kinds are counted', () => {
  const r = advert({ t: 1, src: A });
  r.kind = 6;
  r.linktype = 147;
  const q = advert({ t: 2, src: A });
  q.kind = 3;
  const { snap } = analyse([r, q]);
  assert.deepEqual(snap.stats.unsupportedLinks, { 'linktype-147': 1 });
  assert.equal(snap.stats.carp, 1);
  assert.equal(snap.routers.length, 0);
});

test('after a split brain, the last gratuitous ARP from the former contender is reported', () => {
  const specs = firewallScenario(12);
  const recs = build(specs);
  const bMac = [recs.find((r) => r.src0 === 0x0a000002)!.macHi, recs.find((r) => r.src0 === 0x0a000002)!.macLo] as [number, number];
  const aMac = [recs[0].macHi, recs[0].macLo] as [number, number];
  const withArp = [...recs.slice(0, 3), garp(1.1, '10.0.0.100', aMac), ...recs.slice(3)];
  // B becomes master at 5.5 and sends its GARPs; A never resends after the split brain
  const i = withArp.findIndex((r) => r.src0 === 0x0a000002);
  withArp.splice(i + 1, 0, garp(5.51, '10.0.0.100', bMac));
  const { snap } = analyse(withArp);
  const f = finding(snap, 'split-brain')!;
  assert.ok(f.evidence.includes('neighbours were last told 10.0.0.100 is at 10.0.0.2 (52:54:00:aa:00:02) by gratuitous ARP request at 00:00:05.510 UTC: not the master 10.0.0.1'), f.evidence.join('\n'));
  assert.equal(snap.stats.arp, 2);
  // and once the split brain is over, neighbours still point at the former contender (vip-ownership.ts)
  const stale = finding(snap, 'stale-neighbours')!;
  assert.equal(stale.severity, 'critical');
  // A resends after the split brain: neighbours are told the master
  const fixed = [...withArp, garp(25, '10.0.0.100', aMac)];
  const s2 = analyse(fixed).snap;
  assert.ok(finding(s2, 'split-brain')!.evidence.some((l) => l.endsWith(': the master 10.0.0.1') && l.includes('at 00:00:25.000 UTC')));
  assert.equal(finding(s2, 'stale-neighbours')!.severity, 'warning');
});

test('QinQ: two customers with the same inner VLAN and VRID are two routers, not a split brain', () => {
  const recs: PacketRecord[] = [];
  for (const r of build([...series(A, 0, 10, 1, { vrid: 1, vlan: 10 }), ...series(B, 0.5, 10, 1, { vrid: 1, vlan: 10 })])) {
    r.vlanOuter = r.src0 === 0x0a000001 ? 100 : 200;
    recs.push(r);
  }
  const { snap } = analyse(recs);
  assert.equal(snap.routers.length, 2);
  assert.deepEqual(snap.routers.map((r) => r.key).sort(), ['v4/1@vlan100.10', 'v4/1@vlan200.10']);
  assert.deepEqual(snap.routers.map((r) => r.vlanOuter).sort(), [100, 200]);
  assert.equal(snap.routers.every((r) => r.splitBrains.length === 0), true);
  assert.equal(snap.verdict, 'ok');
});

test('the same advert twice within 2 ms (-i any on a bridge and its port) counts once; the interval stays right', () => {
  const recs: PacketRecord[] = [];
  for (const r of build(series(A, 0, 20, 1))) {
    recs.push(r);
    const dup = { ...r } as PacketRecord;   // same bytes, seen 20 µs later on the other interface
    dup.tsNsec += 20_000;
    recs.push(dup);
  }
  const { snap, notes } = analyse(recs);
  assert.equal(snap.stats.vrrpAdverts, 20);
  assert.equal(snap.stats.duplicates, 20);
  assert.equal(notes.filter((n) => n === 'duplicate').length, 20);
  const a = snap.routers[0].advertisers[0];
  assert.equal(a.adverts, 20);
  close(a.measuredInterval, 1);
  close(a.jitter, 0);
  // a real second advert (next IP ID) 1 ms later is not a duplicate
  const two = build([{ t: 0, src: A, ipId: 1 }, { t: 0.001, src: A, ipId: 2 }]);
  assert.equal(analyse(two).snap.stats.duplicates, 0);
});

test('the dashboard\'s `c` while a source keeps sending TTL 254, bad checksums or v2-style checksums: the findings open again', () => {
  const recs: PacketRecord[] = build([
    ...series(A, 0, 30, 1, { ttl: 254, checksum: Checksum.Bad }),
    ...series(B, 0.5, 30, 1, { version: 3, prio: 80, checksum: Checksum.V2Style }),
  ]);
  const an = new Analyzer();
  let i = 0;
  for (; i < recs.length && recs[i].tsSec < 10; i++) an.packet(recs[i]);
  const codes = (): string[] => an.snapshot().findings.map((f) => f.code).filter((c) => c === 'ttl-not-255' || c === 'bad-checksum' || c === 'checksum-variant').sort();
  assert.deepEqual(codes(), ['bad-checksum', 'checksum-variant', 'ttl-not-255']);
  an.clearHistory();
  assert.deepEqual(codes(), []);
  for (; i < recs.length; i++) an.packet(recs[i]);
  assert.deepEqual(codes(), ['bad-checksum', 'checksum-variant', 'ttl-not-255']);
  const ttl = an.snapshot().findings.find((f) => f.code === 'ttl-not-255')!;
  assert.ok(ttl.count >= 19, `counted since the clear: ${ttl.count}`);
});
