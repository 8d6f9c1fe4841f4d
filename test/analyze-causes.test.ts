// The causes of a split brain told from one capture (VRRP-NOTES §5.1), through the analyzer: what a peer
// rejects (authentication, interval, version, TTL, checksum flavour, advert length), a unicast advert to the
// wrong peer, a VRID collision, and the ICMP refusals a firewall answers with; and what is only information
// (a three-node cluster, a VRRPv3 interval difference, two nodes at priority 255).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { PacketRecord } from '../src/decode/packet.js';
import { advert, build, icmpError, other, series, type AdvertSpec } from './support/records.js';
import { analyse, close, finding } from './support/analyze-run.js';

const A = '10.0.0.1';
const B = '10.0.0.2';
const C = '10.0.0.3';

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
