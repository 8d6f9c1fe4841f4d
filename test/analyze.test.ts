import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Analyzer } from '../src/analyze/analyzer.js';
import type { AnalysisEvent, Snapshot } from '../src/analyze/model.js';
import type { PacketRecord } from '../src/decode/packet.js';
import { Checksum, Reject } from '../src/decode/packet.js';
import { advert, build, garp, icmpError, other, rejectRec, series, type AdvertSpec } from './support/records.js';
import { analyse } from './support/analyze-run.js';

const A = '10.0.0.1';
const B = '10.0.0.2';
const C = '10.0.0.3';

function types(events: AnalysisEvent[]): string[] {
  return events.map((e) => e.type);
}
function close(actual: number | null, expected: number, eps = 1e-6): void {
  assert.ok(actual !== null && Math.abs(actual - expected) <= eps, `expected ${expected}, got ${actual}`);
}
function finding(s: Snapshot, code: string) {
  return s.findings.find((f) => f.code === code);
}

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

test('split brain by auth mismatch: each advert is an anomaly, cause auth-mismatch', () => {
  const { snap, notes } = analyse([...series(A, 0, 10, 1), ...series(B, 0.5, 10, 1, { prio: 80, auth: 'other' })]);
  const r = snap.routers[0];
  assert.equal(r.splitBrains.length, 1);
  close(r.splitBrains[0].start, 0.5);
  const f = finding(snap, 'split-brain')!;
  assert.equal(f.cause, 'auth-mismatch');
  assert.equal(f.fixContext.configKey, 'auth_pass');
  assert.ok(finding(snap, 'auth-mismatch'));
  assert.equal(notes.filter((n) => n === 'anomaly:auth-mismatch').length, 19);
  assert.equal(r.advertisers.every((a) => !a.authMatches), true);
});

test('split brain by interval mismatch (v2)', () => {
  const { snap } = analyse([...series(A, 0, 20, 1), ...series(B, 0.5, 20, 3, { prio: 80, interval: 3 })]);
  const f = finding(snap, 'split-brain')!;
  assert.equal(f.cause, 'interval-mismatch');
  assert.deepEqual(f.fixContext.values, { [A]: '1', [B]: '3' });
  const im = finding(snap, 'interval-mismatch')!;
  assert.equal(im.severity, 'warning');
  // dual period judged against the largest interval (3 s): declared after 6 s
  const r = snap.routers[0];
  close(r.splitBrains[0].start, 0.5);
});

test('split brain by version mismatch', () => {
  const { snap, notes } = analyse([...series(A, 0, 10, 1), ...series(B, 0.5, 10, 1, { prio: 80, version: 3 })]);
  const f = finding(snap, 'split-brain')!;
  assert.equal(f.cause, 'version-mismatch');
  assert.equal(f.fixContext.configKey, 'vrrp_version');
  assert.equal(finding(snap, 'version-mismatch')!.severity, 'warning');
  assert.equal(notes.filter((n) => n === 'anomaly:version-mismatch').length, 19);
});

test('TTL 254 on multicast: anomaly ttl-254, finding, split brain cause ttl', () => {
  const { snap, notes } = analyse([...series(A, 0, 10, 1), ...series(B, 0.5, 10, 1, { prio: 80, ttl: 254 })]);
  assert.equal(notes.filter((n) => n === 'anomaly:ttl-254').length, 10);
  const t = finding(snap, 'ttl-not-255')!;
  assert.equal(t.count, 10);
  assert.deepEqual(t.evidence, ['10.0.0.2: 10 of 10 multicast adverts with TTL 254 (must be 255)']);
  assert.equal(finding(snap, 'split-brain')!.cause, 'ttl');
});

test('TTL below 255 on unicast is not an anomaly', () => {
  const { snap, notes } = analyse(series(A, 0, 5, 1, { dst: B, ttl: 64 }));
  assert.equal(notes.filter((n) => n.startsWith('anomaly')).length, 0);
  assert.equal(finding(snap, 'ttl-not-255'), undefined);
  assert.deepEqual(snap.routers[0].advertisers[0].unicastPeers, [B]);
  assert.equal(snap.routers[0].advertisers[0].destination, 'unicast');
});

test('VRID collision: a third source with other virtual addresses', () => {
  const { snap } = analyse([...series(A, 0, 10, 1), ...series(B, 0.3, 2, 1, { prio: 80 }), ...series(C, 3.2, 10, 1, { prio: 50, addrs: ['192.168.5.1'] })]);
  const f = finding(snap, 'vrid-collision')!;
  assert.equal(f.severity, 'warning');
  assert.equal(f.title, '10.0.0.1 and 10.0.0.3 advertise VRID 99 with different virtual addresses');
  assert.equal(f.evidence.length, 3);
  assert.equal(f.evidence[2], '10.0.0.3 (52:54:00:aa:00:03): prio 50, addresses 192.168.5.1');
  // B's two adverts (0.3, 1.3) overlap A by one interval only: a transition, not a split brain (C's is one)
  assert.equal(snap.routers[0].splitBrains.length, 1);
  assert.deepEqual(snap.routers[0].splitBrains[0].advertisers, [A, C]);
  assert.equal(finding(snap, 'split-brain')!.cause, 'vip-mismatch');
});

test('no master via tick: silence beyond master-down interval + allowance, then master back (sender stall)', () => {
  const an = new Analyzer();
  const events: AnalysisEvent[] = [];
  an.onEvent = (e) => events.push(e);
  for (const r of build(series(A, 0, 10, 1))) an.packet(r);
  // limit = 3 + 255/256 + 0.25 + 0.1 = 4.34609375 s after the last advert at 9
  an.tick(13.3);
  assert.equal(events.filter((e) => e.type === 'no-master').length, 0);
  assert.equal(an.snapshot().routers[0].state, 'transition');
  an.tick(13.4);
  assert.equal(events.filter((e) => e.type === 'no-master').length, 1);
  let s = an.snapshot();
  assert.equal(s.routers[0].state, 'no-master');
  assert.equal(s.routers[0].master, null);
  assert.equal(s.verdict, 'critical');
  for (const r of build(series(A, 25, 27, 1, {}, 11))) an.packet(r);
  s = an.snapshot();
  assert.equal(s.routers[0].state, 'ok');
  assert.equal(s.routers[0].noMasters.length, 1);
  close(s.routers[0].noMasters[0].start, 9);
  close(s.routers[0].noMasters[0].end, 25);
  assert.deepEqual(types(events), ['new-master', 'no-master', 'finding', 'master-back']);
  const f = finding(s, 'no-master')!;
  assert.equal(f.cause, 'sender-stall');
  assert.equal(s.routers[0].worst, 'critical');
});

test('no master via a gap in a file (IP ID jump = adverts lost)', () => {
  const { snap, events } = analyse([...series(A, 0, 10, 1), ...series(A, 20, 25, 1, {}, 30)]);
  const r = snap.routers[0];
  assert.equal(r.noMasters.length, 1);
  close(r.noMasters[0].start, 9);
  close(r.noMasters[0].end, 20);
  close(r.noMasters[0].duration, 11);
  const nm = events.find((e) => e.type === 'no-master')!;
  close(nm.t, 20);
  assert.equal(finding(snap, 'no-master')!.cause, 'network');
  assert.ok(finding(snap, 'no-master')!.evidence.some((l) => l.includes('19 adverts were sent but not seen')));
  assert.equal(snap.verdict, 'critical');
});

test('a capture that simply ends is not an outage', () => {
  const { snap } = analyse(series(A, 0, 10, 1));
  assert.equal(snap.routers[0].noMasters.length, 0);
  assert.equal(snap.routers[0].state, 'ok');
  assert.equal(snap.verdict, 'ok');
});

test('every node resigning is not an outage, even with later ticks', () => {
  const an = new Analyzer();
  for (const r of build([...series(A, 0, 10, 1), { t: 9.5, src: A, prio: 0 }])) an.packet(r);
  an.tick(30);
  an.finish();
  const s = an.snapshot();
  assert.equal(s.routers[0].state, 'resigned');
  assert.equal(s.routers[0].noMasters.length, 0);
  assert.equal(s.verdict, 'ok');
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

test('firewall reject: ICMP admin-prohibited quoting VRRP names the rejecting host', () => {
  const specs: PacketRecord[] = [];
  for (const r of build([...series(A, 0, 10, 1, { dst: B }), ...series(B, 0.5, 10, 1, { prio: 80, dst: A })])) {
    specs.push(r);
    if (r.src0 === 0x0a000001) specs.push(icmpError(r.tsSec + r.tsNsec / 1e9 + 0.0001, B, A, B, 99, 13));
  }
  const { snap } = analyse(specs);
  const f = finding(snap, 'split-brain')!;
  assert.equal(f.cause, 'firewall-reject');
  assert.equal(f.fixContext.deafHost, B);
  assert.deepEqual(f.fixContext.peers, [A]);
  assert.equal(f.fixContext.multicast, null);
  assert.equal(snap.stats.icmpErrors, 10);
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

test('VRRPv3 interval difference is information only', () => {
  const { snap } = analyse([...series(A, 0, 5, 1, { version: 3 }), ...series(B, 4 + 3.7, 12, 2, { version: 3, prio: 80, interval: 2 })]);
  const f = finding(snap, 'interval-mismatch')!;
  assert.equal(f.severity, 'ok');
  assert.equal(snap.verdict, 'ok');
});

test('priority 255 claimed by two nodes', () => {
  const { snap } = analyse([...series(A, 0, 5, 1, { prio: 255 }), ...series(B, 8.1, 12, 1, { prio: 255 })]);
  assert.ok(finding(snap, 'priority-255-conflict'));
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

test('unicast to the wrong peer: cause unicast-peer even though the higher node echoes', () => {
  const specs: AdvertSpec[] = [...series(A, 0, 5.5, 1, { dst: '10.0.0.9' })];
  let last = 0;
  for (const s of series(B, 5.5, 12, 1, { prio: 80, dst: A })) {
    specs.push(s);
    last = s.t + 0.0004;
    specs.push({ t: last, src: A, dst: '10.0.0.9' });
  }
  const { snap } = analyse(specs);
  const f = finding(snap, 'split-brain')!;
  assert.equal(f.cause, 'unicast-peer');
  assert.equal(f.fixContext.deafHost, B);
  assert.deepEqual(f.fixContext.peers, [A]);
  assert.ok(f.evidence.includes('10.0.0.1 sends its adverts to 10.0.0.9, not to 10.0.0.2'), f.evidence.join('\n'));
});

test('a master back after a stall (IP ID continues) is told apart from lost adverts', () => {
  const base = [...series(A, 0, 5, 1), ...series(B, 4 + 3.69, 12.5, 1, { prio: 80 })];
  const stalled = analyse([...base, ...series(A, 12, 15, 1, {}, 6)]).events.find((e) => e.type === 'preemption')!;
  assert.ok(stalled.message.endsWith('10.0.0.1 was silent 8 s and its IP ID went on from 5 to 6: it stalled (sent nothing)'), stalled.message);
  const lost = analyse([...base, ...series(A, 12, 15, 1, {}, 13)]).events.find((e) => e.type === 'preemption')!;
  assert.ok(lost.message.endsWith('its IP ID jumped 5 -> 13: 7 adverts were sent but not seen'), lost.message);
});

test('three sources with the same addresses: information only (a 3-node cluster is legal)', () => {
  const { snap } = analyse([...series(A, 0, 5, 1), ...series(B, 7.69, 12, 1, { prio: 80 }), ...series(C, 11.69 + 3.8, 20, 1, { prio: 50 })]);
  assert.equal(snap.routers[0].noMasters.length, 0);
  const f = finding(snap, 'vrid-collision')!;
  assert.equal(f.severity, 'ok');
  assert.equal(f.title, '3 sources advertise VRID 99 with the same addresses (a cluster of 3, or a collision)');
  assert.equal(snap.verdict, 'ok');
});

test('TTL 254 from the master: the backup that rejects it is a silenced master after one advert', () => {
  // B (80) drops A's TTL-254 adverts, becomes master, sends one advert; A echoes it; every further
  // advert of A restarts B's timer, so B is never seen again (real keepalived 2.2.7 behaviour).
  const { snap, notes } = analyse([...series(A, 0, 12, 1, { ttl: 254 }), { t: 4.2, src: B, prio: 80 }, { t: 4.2004, src: A, ttl: 254 }]);
  const r = snap.routers[0];
  assert.equal(r.splitBrains.length, 1);
  close(r.splitBrains[0].start, 4.2);
  assert.equal(r.state, 'split-brain');
  const f = finding(snap, 'split-brain')!;
  assert.equal(f.cause, 'ttl');
  assert.ok(f.evidence.some((l) => l.startsWith('10.0.0.2 advertised as master')), f.evidence.join('\n'));
  assert.equal(notes.filter((n) => n === 'anomaly:ttl-254').length, 13);
  // the same without the TTL problem: B heard A and went back to backup, no split brain
  const { snap: ok } = analyse([...series(A, 0, 12, 1), { t: 4.2, src: B, prio: 80 }, { t: 4.2004, src: A }]);
  assert.equal(ok.routers[0].splitBrains.length, 0);
});

test('VRRPv3 checksum flavours: a mix splits the brain, one flavour alone is information', () => {
  const { snap, notes } = analyse([...series(A, 0, 10, 1, { version: 3 }), ...series(B, 0.5, 10, 1, { version: 3, prio: 80, checksum: 1 /* V2Style */ })]);
  const f = finding(snap, 'split-brain')!;
  assert.equal(f.cause, 'checksum-variant');
  assert.equal(f.fixContext.configKey, 'v3_checksum_as_v2');
  assert.deepEqual(f.fixContext.values, { [A]: 'standard', [B]: 'v2-style' });
  assert.equal(finding(snap, 'checksum-variant')!.severity, 'warning');
  assert.equal(notes.filter((n) => n === 'anomaly:checksum-variant').length, 19);
  assert.deepEqual(snap.routers[0].advertisers.find((a) => a.ip === B)!.checksums, { 'v2-style': 10 });
  const { snap: alone } = analyse(series(A, 0, 5, 1, { version: 3, checksum: 2 /* OldUnicast */, dst: B }));
  assert.equal(finding(alone, 'checksum-variant')!.severity, 'ok');
  assert.equal(alone.verdict, 'ok');
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

// Both nodes started at the same moment (hooks helper: about one run in four). Real-like timings:
// keepalived starts in BACKUP, A (100) times out after 3.609 s, B (80) after 3.6875 s, the starts a few
// tens of ms apart. The loser's first adverts cross the winner's; it drops one while it becomes master,
// sends one more advert about an interval later, hears the winner (whose echo answers that advert at
// once) and yields. The overlap lasts about one interval: a transition, not a split brain.
function startupRace(bFirst: number, aFirst: number, bAdverts: number) {
  const specs: AdvertSpec[] = [];
  for (let i = 0; i < bAdverts; i++) specs.push({ t: bFirst + i, src: B, prio: 80 });
  // A's regular adverts; it answers each of B's adverts that reaches it as master 0.3 ms later
  const bLast = bFirst + bAdverts - 1;
  let t = aFirst;
  for (; t < bLast; t += 1) specs.push({ t, src: A });
  if (bLast > aFirst) { specs.push({ t: bLast + 0.0003, src: A }); t = bLast + 1.0003; }
  for (; t < 15; t += 1) specs.push({ t, src: A });
  return specs.sort((x, y) => x.t - y.t);
}

test('start-up race: B first, A 19 ms later, B sends once more then yields: a transition', () => {
  const an = new Analyzer();
  const events: AnalysisEvent[] = [];
  an.onEvent = (e) => events.push(e);
  const states = new Set<string>();
  const recs = build(startupRace(3.590, 3.609, 2));
  let next = 36; // ticks every 0.1 s from the first advert on
  for (const r of recs) {
    const t = r.tsSec + r.tsNsec / 1e9;
    for (; next / 10 < t; next++) { an.tick(next / 10); states.add(an.snapshot().routers[0].state); }
    an.packet(r);
    states.add(an.snapshot().routers[0].state);
  }
  an.finish();
  const s = an.snapshot();
  const r = s.routers[0];
  assert.deepEqual(r.splitBrains, []);
  assert.ok(!events.some((e) => e.type.startsWith('split-brain')), types(events).join(' '));
  assert.ok(!states.has('split-brain'), [...states].join(' '));
  assert.ok(states.has('transition'));
  assert.equal(r.master, A);
  assert.equal(r.state, 'ok');
  assert.equal(s.verdict, 'ok');
});

test('start-up race: A first, B 41 ms later (had not heard it), one more advert, then yields: a transition', () => {
  const { snap } = analyse(startupRace(3.650, 3.609, 2));
  assert.deepEqual(snap.routers[0].splitBrains, []);
  assert.equal(snap.routers[0].master, A);
  assert.equal(snap.verdict, 'ok');
});

test('start-up race that does not end: B goes on advertising, a split brain from A\'s first advert', () => {
  const { snap, events } = analyse(startupRace(3.590, 3.609, 4));
  const r = snap.routers[0];
  assert.equal(r.splitBrains.length, 1);
  close(r.splitBrains[0].start, 3.609);
  assert.deepEqual(r.splitBrains[0].advertisers, [A, B]);
  // B's third advert (5.590) is past 1.5 intervals after the start: reported at A's next advert
  close(events.find((e) => e.type === 'split-brain-start')!.t, 5.609);
});

// ---- a backup that starts advertising while the master is up (analysis §9a) ----
function briefTakeover(opts: { unicast: boolean; at: number[] }): AdvertSpec[] {
  // A (100) advertises every second throughout; B (80) sends one advert at each time in `at`
  // (it missed A's adverts for longer than its master-down interval), A answers 0.3 ms later.
  const specs: AdvertSpec[] = [];
  const toB = opts.unicast ? { dst: B } : {};
  const toA = opts.unicast ? { dst: A } : {};
  for (const s of series(A, 0, 40, 1)) specs.push({ ...s, ...toB });
  for (const t of opts.at) {
    specs.push({ t, src: B, prio: 80, ...toA });
    specs.push({ t: t + 0.0003, src: A, ...toB });
  }
  return specs.sort((x, y) => x.t - y.t);
}

test('brief dual master over unicast: dual-master event, brief-dual-master finding, cause firewall-stateful', () => {
  const { snap, events } = analyse(briefTakeover({ unicast: true, at: [10.5] }));
  const dual = events.filter((e) => e.type === 'dual-master');
  assert.equal(dual.length, 1);
  close(dual[0].t, 10.5);
  assert.deepEqual([...dual[0].advertisers].sort(), [A, B]);
  close(dual[0].expected, 3.6875);
  const r = snap.routers[0];
  assert.equal(r.splitBrains.length, 0, 'one advert is no split brain');
  assert.equal(r.master, A);
  const f = finding(snap, 'brief-dual-master')!;
  assert.ok(f, snap.findings.map((x) => x.code).join(', '));
  assert.equal(f.severity, 'warning');
  assert.equal(f.cause, 'firewall-stateful');
  assert.equal(f.count, 1);
  assert.equal(f.fixContext.deafHost, B);
  assert.deepEqual(f.fixContext.peers, [A]);
  assert.equal(f.fixContext.multicast, null);
  assert.equal(snap.verdict, 'warning');
});

test('brief dual master over multicast: cause unknown, counted each time, fixed by accepting the group', () => {
  const { snap, events } = analyse(briefTakeover({ unicast: false, at: [10.5, 25.5] }));
  assert.equal(events.filter((e) => e.type === 'dual-master').length, 2);
  const f = finding(snap, 'brief-dual-master')!;
  assert.equal(f.cause, 'unknown');
  assert.equal(f.count, 2);
  assert.equal(f.evidence.filter((l) => l.includes('advertised as master from')).length, 2);
  assert.equal(f.fixContext.multicast, '224.0.0.18');
  assert.equal(snap.routers[0].splitBrains.length, 0);
});

test('no dual-master for a start-up race or a preemption', () => {
  // B starts 1 s after A: A had not been master for B's master-down interval yet
  const race = analyse([...series(A, 0, 20, 1), { t: 1.0, src: B, prio: 80 }]);
  assert.ok(!race.events.some((e) => e.type === 'dual-master'), types(race.events).join(', '));
  assert.equal(finding(race.snap, 'brief-dual-master'), undefined);
  // preemption: the newcomer is the better one
  const pre = analyse([...series(B, 0, 10.5, 1, { prio: 80 }), { t: 10.01, src: B, prio: 80 }, ...series(A, 10.005, 30, 1)]);
  assert.ok(!pre.events.some((e) => e.type === 'dual-master'), types(pre.events).join(', '));
});

test('a lasting takeover is a split brain, not a brief dual master', () => {
  const { snap, events } = analyse(firewallScenario(21));
  assert.deepEqual(types(events).filter((t) => t === 'dual-master' || t === 'split-brain-start'), ['dual-master', 'split-brain-start']);
  assert.equal(finding(snap, 'brief-dual-master'), undefined);
});

test('no master while other traffic goes on: found at the next sweep, not only when the VRID speaks again', () => {
  // VRID 1's master stops after t=3; VRID 2 advertises on until t=40 (and that is all the capture holds)
  const specs: AdvertSpec[] = [...series(A, 0, 3.5, 1, { vrid: 1 }), ...series(C, 0.5, 40, 1, { vrid: 2 })].sort((x, y) => x.t - y.t);
  const { snap, events } = analyse(specs);
  const nm = events.filter((e) => e.type === 'no-master');
  assert.equal(nm.length, 1);
  assert.equal(nm[0].vrid, 1);
  assert.ok(nm[0].t > 3 + 3.996 && nm[0].t <= 3 + 4.346 + 1.01, `found at ${nm[0].t}: within a second of the limit`);
  const r1 = snap.routers.find((r) => r.vrid === 1)!;
  assert.equal(r1.state, 'no-master');
  assert.equal(r1.noMasters.length, 1);
  close(r1.noMasters[0].start, 3);
  close(r1.noMasters[0].end, 39.5);
  assert.equal(snap.routers.find((r) => r.vrid === 2)!.state, 'ok');
  assert.equal(snap.verdict, 'critical');
});

test('a VRID that stops just before the capture ends is not an outage', () => {
  const specs: AdvertSpec[] = [...series(A, 0, 37.5, 1, { vrid: 1 }), ...series(C, 0.5, 40, 1, { vrid: 2 })].sort((x, y) => x.t - y.t);
  const { snap } = analyse(specs);
  assert.equal(snap.routers.find((r) => r.vrid === 1)!.noMasters.length, 0, '3 s of silence at the end is under the limit');
  assert.equal(snap.verdict, 'ok');
});

test('ICMP refusals: port unreachable (iptables REJECT default) is a firewall too; the split-brain finding tells it once', () => {
  const specs: PacketRecord[] = [];
  for (const r of build([...series(A, 0, 10, 1, { dst: B }), ...series(B, 0.5, 10, 1, { prio: 80, dst: A })])) {
    specs.push(r);
    if (r.src0 === 0x0a000001) specs.push(icmpError(r.tsSec + r.tsNsec / 1e9 + 0.0001, B, A, B, 99, 3));
  }
  const { snap, events } = analyse(specs);
  const f = finding(snap, 'split-brain')!;
  assert.equal(f.cause, 'firewall-reject');
  assert.equal(f.fixContext.deafHost, B);
  assert.ok(f.evidence.some((l) => l.includes('ICMP type 3 code 3 (port unreachable)')), f.evidence.join('\n'));
  assert.equal(finding(snap, 'vrrp-refused'), undefined, 'not repeated next to the split brain');
  assert.ok(events.some((e) => e.type === 'finding' && e.findingCode === 'vrrp-refused'), 'but announced as soon as the first ICMP came');
});

test('ICMP refusals without a split brain: admin prohibited is a warning with firewall fixes; protocol unreachable names no listener', () => {
  const admin: PacketRecord[] = [];
  for (const r of build(series(A, 0, 10, 1, { dst: B }))) {
    admin.push(r);
    admin.push(icmpError(r.tsSec + r.tsNsec / 1e9 + 0.0001, B, A, B, 99, 13));
  }
  const a = analyse(admin).snap;
  const f = finding(a, 'vrrp-refused')!;
  assert.ok(f, a.findings.map((x) => x.code).join(', '));
  assert.equal(f.severity, 'warning');
  assert.equal(f.cause, 'firewall-reject');
  assert.equal(f.count, 10);
  assert.equal(f.fixContext.deafHost, B);
  assert.deepEqual(f.fixContext.peers, [A]);
  assert.equal(a.verdict, 'warning');

  const proto: PacketRecord[] = [];
  for (const r of build(series(A, 0, 10, 1, { dst: B }))) {
    proto.push(r);
    proto.push(icmpError(r.tsSec + r.tsNsec / 1e9 + 0.0001, B, A, B, 99, 2));
  }
  const g = finding(analyse(proto).snap, 'vrrp-refused')!;
  assert.equal(g.cause, 'unicast-peer');
  assert.match(g.title, /has no VRRP listener/);

  // host unreachable on the way says nothing about the peer
  const hostUnreach: PacketRecord[] = [];
  for (const r of build(series(A, 0, 10, 1, { dst: B }))) {
    hostUnreach.push(r);
    hostUnreach.push(icmpError(r.tsSec + r.tsNsec / 1e9 + 0.0001, C, A, B, 99, 1));
  }
  assert.equal(finding(analyse(hostUnreach).snap, 'vrrp-refused'), undefined);
});

test('the same ICMP refusal on two VLANs: each VLAN\'s router gets its own note and its own vrrp-refused finding', () => {
  const recs: PacketRecord[] = [];
  for (const vlan of [10, 20]) {
    for (const r of build(series(A, 0, 5, 1, { dst: B, vlan }))) {
      recs.push(r);
      const e = icmpError(r.tsSec + r.tsNsec / 1e9 + 0.0001, B, A, B, 99, 13);
      e.vlan = vlan;
      recs.push(e);
    }
  }
  const snap = analyse(recs.sort((x, y) => x.tsSec + x.tsNsec / 1e9 - (y.tsSec + y.tsNsec / 1e9))).snap;
  const refused = snap.findings.filter((f) => f.code === 'vrrp-refused');
  assert.deepEqual(refused.map((f) => f.routerKey).sort(), ['v4/99@vlan10', 'v4/99@vlan20']);
  for (const f of refused) assert.equal(f.count, 5, `${f.routerKey}: its own VLAN's refusals only`);
});

test('who was master, around a no-master period: no-master names the silent one, the failover after it goes from it', () => {
  // A master until t=5; 12 s of silence; then B (80) takes over; C keeps another VRID going meanwhile
  const specs: AdvertSpec[] = [...series(A, 0, 5.5, 1), ...series(B, 17, 30, 1, { prio: 80 }), ...series(C, 0.5, 30, 1, { vrid: 2 })]
    .sort((x, y) => x.t - y.t);
  const { events } = analyse(specs);
  const mine = events.filter((e) => e.vrid === 99);
  const nm = mine.find((e) => e.type === 'no-master')!;
  assert.equal(nm.master, null);
  assert.equal(nm.previousMaster, A);
  const fo = mine.find((e) => e.type === 'failover')!;
  assert.ok(fo, types(mine).join(', '));
  assert.equal(fo.master, B);
  assert.equal(fo.previousMaster, A);
  const back = mine.find((e) => e.type === 'master-back');
  if (back !== undefined) assert.equal(back.previousMaster, A);
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

test('adverts of different lengths (keepalived 2.4 auth_hmac trailer on one node): length-mismatch, cause of the split brain', () => {
  const recs = build([...series(A, 0, 10, 1), ...series(B, 0.5, 10, 1, { prio: 80 })]);
  for (const r of recs) if (r.src0 === 0x0a000002) r.trailingBytes = 28;
  const { snap, notes } = analyse(recs);
  const f = finding(snap, 'length-mismatch')!;
  assert.ok(f, snap.findings.map((x) => x.code).join(', '));
  assert.equal(f.severity, 'warning');
  assert.ok(f.evidence.some((l) => l.startsWith('10.0.0.2: 28 bytes after the VRRP message')), f.evidence.join('\n'));
  assert.equal(finding(snap, 'split-brain')!.cause, 'length-mismatch');
  assert.ok(notes.includes('anomaly:length-mismatch'), 'the longer adverts are marked as ones a peer drops');
  // the same trailer on both: nothing to say
  const both = build([...series(A, 0, 10, 1), ...series(B, 0.5, 10, 1, { prio: 80 })]);
  for (const r of both) r.trailingBytes = 28;
  assert.equal(finding(analyse(both).snap, 'length-mismatch'), undefined);
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
