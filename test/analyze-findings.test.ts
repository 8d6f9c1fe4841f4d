// The evidence of the findings and the view of the routers (src/analyze/evidence.ts, view.ts: part of the
// mutation part `findings`). The golden captures take these files' common paths; the mutation run showed what
// none of them takes: the evidence lines of the rarer findings (flapping, a refusal by several hosts, a brief
// dual master, a tracked check that failed and recovered, two no-master periods), times with their date, and
// the view's fields for unusual states (a silent or resigned master, a dual period, jitter, mixed
// destinations, checksum names, VLAN 0, every link type name) and its copies, the lists no refresh rebuilds
// among them. The text helpers and the findings book:
// test/analyze-evidence-text.test.ts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Analyzer } from '../src/analyze/analyzer.js';
import type { Finding } from '../src/analyze/model.js';
import { Checksum, Kind, Reject, type PacketRecord } from '../src/decode/packet.js';
import { linkTypeName } from '../src/analyze/view.js';
import { build, icmpError, rejectRec, series, type AdvertSpec } from './support/records.js';
import { analyse } from './support/analyze-run.js';
import { A, B, C, D, byTime, finding, timeOf } from './support/findings-inputs.js';

// ------------------------------------------------------------------ evidence.ts

test('flapping: the rule with the count of master changes, then the last four with their times', () => {
  const { snap } = analyse([
    ...series(A, 0, 6, 1), ...series(B, 8.69, 15.5, 1, { prio: 80 }),
    ...series(A, 15.6, 21, 1), ...series(B, 23.69, 30.5, 1, { prio: 80 }),
    ...series(A, 30.6, 38, 1), ...series(B, 40.69, 45, 1, { prio: 80 }),
  ]);
  assert.deepEqual(finding(snap, 'flapping').evidence, [
    '5 master changes in all; rule: 4 or more within 120 s',
    `preemption ${B} -> ${A} at 00:00:15.600 UTC`,
    `failover ${A} -> ${B} at 00:00:23.690 UTC`,
    `preemption ${B} -> ${A} at 00:00:30.600 UTC`,
    `failover ${A} -> ${B} at 00:00:40.690 UTC`,
  ]);
});

test('tracked-check-failed: every priority step, the whole drop as the weight, and the recovery once back to the top', () => {
  const { snap } = analyse([...series(A, 0, 4, 1), ...series(A, 4, 12, 1, { prio: 90 }), ...series(A, 12, 14, 1, { prio: 80 }), ...series(A, 14, 20, 1)]);
  const f = finding(snap, 'tracked-check-failed');
  assert.deepEqual(f.evidence, [
    `${A} advertised priority 100 -> 90 at 00:00:04.000 UTC, then 90 -> 80 at 00:00:12.000 UTC, then 80 -> 100 at 00:00:14.000 UTC, ` +
      'and stayed master: a tracked check (vrrp_script, track_interface, track_file) failed on the master, or its priority was lowered',
    'no backup advertised in this capture, so whether the weight (20) is enough for a failover cannot be told: it is when a backup\'s ' +
      `priority is above 80 (look at the backup's keepalived.conf, or run vrrpwatch doctor --peer-priority N on ${A})`,
    'its priority is back to 100: the check recovered',
  ]);
  assert.deepEqual(f.fixContext, { deafHost: null, peers: [], multicast: null, family: 4, configKey: 'weight' });
  // back only part of the way: no recovery line
  const partial = finding(analyse([...series(A, 0, 4, 1), ...series(A, 4, 12, 1, { prio: 80 }), ...series(A, 12, 20, 1, { prio: 95 })]).snap,
    'tracked-check-failed');
  assert.equal(partial.evidence.length, 2, partial.evidence.join('\n'));
  assert.match(partial.evidence[1]!, /the weight \(20\) .* above 80 /);
  // a resignation and the return from it (priority 0) are no check's steps
  const resigned = finding(analyse([...series(A, 0, 4, 1), ...series(A, 4, 12, 1, { prio: 90 }), { t: 12, src: A, prio: 0, ipId: 20 },
    ...series(A, 13, 20, 1, { prio: 90 }, 30)]).snap, 'tracked-check-failed');
  assert.match(resigned.evidence[0]!, new RegExp(`^${A} advertised priority 100 -> 90 at 00:00:04.000 UTC, and stayed master: `));
  assert.equal(resigned.evidence.length, 2, resigned.evidence.join('\n'));
  // rises before the first drop are steps, not the weight: 50 -> 60 -> 100, then 100 -> 90 is the drop (weight 10)
  const rising = finding(analyse([...series(A, 0, 2, 1, { prio: 50 }), ...series(A, 2, 4, 1, { prio: 60 }), ...series(A, 4, 6, 1),
    ...series(A, 6, 12, 1, { prio: 90 })]).snap, 'tracked-check-failed');
  assert.match(rising.evidence[0]!, new RegExp(`^${A} advertised priority 50 -> 60 at 00:00:02.000 UTC, then 60 -> 100 at 00:00:04.000 UTC, then 100 -> 90 at 00:00:06.000 UTC, `));
  assert.match(rising.evidence[1]!, /the weight \(10\) .* above 90 /);
  assert.equal(rising.evidence.length, 2, 'not back to 100');
});

test('input spanning more than a day: evidence times carry their date', () => {
  const carp = rejectRec(0, Reject.None);
  carp.kind = Kind.Carp; // the first packet, a day and more before the adverts
  const day = 100000; // 1970-01-02 03:46:40 UTC
  const { snap } = analyse([carp, ...build([...series(A, day, day + 4, 1), ...series(A, day + 4, day + 20, 1, { prio: 90 })])]);
  assert.equal(finding(snap, 'tracked-check-failed').evidence[0],
    `${A} advertised priority 100 -> 90 at 1970-01-02 03:46:44.000 UTC, and stayed master: a tracked check (vrrp_script, track_interface, ` +
    'track_file) failed on the master, or its priority was lowered');
  // less than a day: no date
  const short = analyse([carp, ...build([...series(A, 80000, 80004, 1), ...series(A, 80004, 80020, 1, { prio: 90 })])]).snap;
  assert.match(finding(short, 'tracked-check-failed').evidence[0]!, / at 22:13:24\.000 UTC, and stayed master/);
});

test('vrrp-refused by two hosts: a line per host (one advert, or a count and a range), the firewall first, its host and peers the fix\'s', () => {
  const recs: PacketRecord[] = [icmpError(1.0001, C, D, C, 99, 2)]; // C: protocol unreachable for D's advert, first in time
  for (const r of build(series(A, 0, 10, 1, { dst: B }))) {
    recs.push(r);
    const t = timeOf(r);
    if (t >= 2 && t < 5) recs.push(icmpError(t + 0.0001, B, A, B, 99, 13));
  }
  const f = finding(analyse(byTime(recs)).snap, 'vrrp-refused');
  assert.deepEqual(f.evidence, [
    `${B} answered 3 adverts from ${A} to ${B} with ICMP type 3 code 13 (communication administratively prohibited), 00:00:02.000 UTC to 00:00:04.000 UTC`,
    `${C} answered 1 advert from ${D} to ${C} with ICMP type 3 code 2 (protocol unreachable), 00:00:01.000 UTC`,
    `a firewall on ${B} rejects VRRP from ${A}: ${B} cannot hear it, and takes over as master when its timer runs out`,
  ]);
  assert.equal(f.cause, 'firewall-reject');
  assert.equal(f.count, 4);
  assert.deepEqual(f.fixContext, { deafHost: B, peers: [A], multicast: null, family: 4 });
});

test('vrrp-refused by a host with no VRRP listener: nothing there takes VRRP, cause unicast-peer', () => {
  const recs: PacketRecord[] = [];
  for (const r of build(series(A, 0, 4, 1, { dst: C }))) {
    recs.push(r);
    recs.push(icmpError(timeOf(r) + 0.0001, C, A, C, 99, 2));
  }
  const f = finding(analyse(recs).snap, 'vrrp-refused');
  assert.deepEqual(f.evidence, [
    `${C} answered 4 adverts from ${A} to ${C} with ICMP type 3 code 2 (protocol unreachable), 00:00:00.000 UTC to 00:00:03.000 UTC`,
    `nothing on ${C} takes VRRP (keepalived not running there, or not configured for VRID 99)`,
  ]);
  assert.equal(f.cause, 'unicast-peer');
  assert.deepEqual(f.fixContext, { deafHost: C, peers: [A], multicast: null, family: 4 });
});

/** A (100) advertises every second; B (80) sends one advert at 10.5 s; `echo`: A answers it 0.3 ms later. */
function briefTakeover(opts: { toA: Partial<AdvertSpec>; toB: Partial<AdvertSpec>; echo: boolean }): AdvertSpec[] {
  const specs: AdvertSpec[] = series(A, 0, 20, 1).map((s) => ({ ...s, ...opts.toB }));
  specs.push({ t: 10.5, src: B, prio: 80, ...opts.toA });
  if (opts.echo) specs.push({ t: 10.5003, src: A, ...opts.toB });
  return specs.sort((x, y) => x.t - y.t);
}
const spell = `${B} (prio 80) advertised as master from 00:00:10.500 UTC to 00:00:10.500 UTC (1 advert) while ${A} (prio 100) had been ` +
  `advertising since 00:00:00.000 UTC: ${B} had not heard ${A} for its master-down interval (3.688 s)`;

test('brief-dual-master over unicast: the spell, the echo, and the stateful firewall that let the master\'s adverts in', () => {
  const f = finding(analyse(briefTakeover({ toA: { dst: A }, toB: { dst: B }, echo: true })).snap, 'brief-dual-master');
  assert.deepEqual(f.evidence, [
    spell,
    `${A} answered 1 of 1 adverts from ${B} within 0.3 ms: ${A} hears ${B}`,
    `${B} went back to backup right after its own advert, without resigning: from then on ${A}'s unicast adverts reached it — ` +
      `as a stateful firewall lets them in once ${B}'s own VRRP packet to ${A} has opened a conntrack entry; ` +
      `each start of keepalived on ${B} (or a conntrack flush) repeats this`,
  ]);
  assert.equal(f.cause, 'firewall-stateful');
  assert.deepEqual(f.fixContext, { deafHost: B, peers: [A], multicast: null, family: 4 });
});

test('brief-dual-master over multicast without an echo: no echo line, the adverts did not reach it for a while, cause unknown', () => {
  const f = finding(analyse(briefTakeover({ toA: {}, toB: {}, echo: false })).snap, 'brief-dual-master');
  assert.deepEqual(f.evidence, [
    spell,
    `${B} then heard ${A} again and went back to backup without resigning: ${A}'s adverts did not reach ${B} for a while`,
  ]);
  assert.equal(f.cause, 'unknown');
  assert.deepEqual(f.fixContext, { deafHost: B, peers: [A], multicast: '224.0.0.18', family: 4 });
  // B unicast, A multicast: not both unicast, so no stateful firewall either
  const mixed = finding(analyse(briefTakeover({ toA: { dst: A }, toB: {}, echo: true })).snap, 'brief-dual-master');
  assert.equal(mixed.cause, 'unknown');
  assert.equal(mixed.fixContext.multicast, '224.0.0.18');
  // and the other way, A unicast, B multicast: no stateful firewall, and no multicast group to accept from A
  const other = finding(analyse(briefTakeover({ toA: {}, toB: { dst: B }, echo: true })).snap, 'brief-dual-master');
  assert.equal(other.cause, 'unknown');
  assert.equal(other.fixContext.multicast, null);
});

test('no-master with a known backup: a line per period with that backup\'s master-down interval, then the IP ID lines', () => {
  const { snap } = analyse([{ t: 0, src: B, prio: 80, ipId: 1 }, ...series(A, 0.5, 5, 1, {}, 1), ...series(A, 12, 15, 1, {}, 6), ...series(A, 25, 27, 1, {}, 20)]);
  const f = finding(snap, 'no-master');
  assert.deepEqual(f.evidence, [
    `no advert from any source for 7.5 s after ${A}'s last advert (master-down interval 3.688 s)`,
    `no advert from any source for 11 s after ${A}'s last advert (master-down interval 3.688 s)`,
    `${A}'s IP ID went on from 5 to 6: the sender stalled (no adverts were sent)`,
    `${A}'s IP ID jumped from 8 to 20: 11 adverts were sent but not seen (lost on the way)`,
  ]);
  assert.equal(f.count, 2);
  // with no backup known: a priority-1 backup's interval, 3 + 255/256 s
  assert.equal(finding(analyse([...series(A, 0, 5, 1), ...series(A, 12, 14, 1, {}, 6)]).snap, 'no-master').evidence[0],
    `no advert from any source for 8 s after ${A}'s last advert (master-down interval 3.996 s)`);
});

// ------------------------------------------------------------------ view.ts

test('linkTypeName: a known link type by name, any other as linktype-N', () => {
  assert.equal(linkTypeName(1), 'ethernet');
  assert.equal(linkTypeName(113), 'linux-sll');
  assert.equal(linkTypeName(0), 'null');
  assert.equal(linkTypeName(147), 'linktype-147');
  // every named one, as the link-layer header type registry (tcpdump.org linktypes) names them
  const registry: [number, string][] = [[6, 'ieee802'], [9, 'ppp'], [10, 'fddi'], [12, 'raw'], [101, 'raw'], [104, 'c-hdlc'],
    [105, 'ieee802.11'], [108, 'loop'], [127, 'ieee802.11-radiotap'], [192, 'ppi'], [195, 'ieee802.15.4'],
    [220, 'usb-linux-mmapped'], [228, 'ipv4'], [229, 'ipv6'], [276, 'linux-sll2']];
  for (const [type, name] of registry) assert.equal(linkTypeName(type), name, `link type ${type}`);
});

test('a silent master: live, a transition with no master shown; once the input ended, the last master with its priority', () => {
  const an = new Analyzer();
  for (const r of build(series(A, 0, 10, 1))) an.packet(r);
  an.tick(12); // 3 s silent: under the 4.346 s limit
  const live = an.snapshot().routers[0]!;
  assert.deepEqual([live.state, live.master, live.masterPriority, live.advertisers[0]!.role], ['transition', null, null, 'silent']);
  assert.equal(live.masterDownInterval, 3 + 255 / 256, 'no backup known: a priority-1 backup');
  assert.deepEqual(live.virtualAddresses, ['10.0.0.100']);
  an.finish();
  const done = an.snapshot().routers[0]!;
  assert.deepEqual([done.state, done.master, done.masterPriority, done.advertisers[0]!.role, done.worst], ['ok', A, 100, 'silent', 'ok']);
});

test('a master that resigned with nobody taking over: resigned, and no master shown even at the end', () => {
  const { snap } = analyse([...series(A, 0, 10, 1), { t: 9.5, src: A, prio: 0 }]);
  const r = snap.routers[0]!;
  assert.deepEqual([r.state, r.master, r.masterPriority, r.advertisers[0]!.role, r.advertisers[0]!.active], ['resigned', null, null, 'resigned', false]);
});

test('a dual period not yet a split brain: a transition, the master and a contender; one advert has no measured interval', () => {
  const { snap } = analyse([...series(A, 0, 10, 1), { t: 9.5, src: B, prio: 80 }], {}, false);
  const r = snap.routers[0]!;
  assert.equal(r.state, 'transition');
  assert.equal(r.master, A);
  assert.equal(r.masterDownInterval, 3 + 176 / 256, 'B (80) is the backup now known');
  assert.deepEqual(r.advertisers.map((a) => [a.ip, a.role, a.active, a.measuredInterval, a.jitter]),
    [[A, 'master', true, 1, 0], [B, 'contender', true, null, null]]);
  assert.equal(r.worst, 'ok');
  // the backup is the one other than the master, whichever advertised first: B (80) before A preempted
  const preempted = analyse([...series(B, 0, 5, 1, { prio: 80 }), ...series(A, 4.5, 10, 1)]).snap.routers[0]!;
  assert.deepEqual([preempted.master, preempted.advertisers.map((a) => a.ip)], [A, [B, A]]);
  assert.equal(preempted.masterDownInterval, 3 + 176 / 256);
});

test('jitter is the sample standard deviation of the measured intervals; one interval has jitter 0', () => {
  // intervals 1, 1.2, 1: mean 16/15, squared deviations 2 × (1/15)² + (2/15)² = 6/225, over n − 1 = 2
  const a = analyse([{ t: 0, src: A }, { t: 1, src: A }, { t: 2.2, src: A }, { t: 3.2, src: A }]).snap.routers[0]!.advertisers[0]!;
  assert.ok(Math.abs(a.measuredInterval! - 16 / 15) < 1e-9, String(a.measuredInterval));
  assert.ok(Math.abs(a.jitter! - Math.sqrt(3 / 225)) < 1e-9, String(a.jitter));
  const one = analyse([{ t: 0, src: A }, { t: 1, src: A }]).snap.routers[0]!.advertisers[0]!;
  assert.deepEqual([one.measuredInterval, one.jitter], [1, 0]);
});

test('advertiser fields: mixed destinations with their peers, the TTL range, checksum variants by name, v3 in centiseconds, VLAN 0', () => {
  const { snap } = analyse([
    { t: 0, src: A, dst: B, checksum: Checksum.OldUnicast }, { t: 1, src: A, checksum: Checksum.Unknown }, { t: 2, src: A, ttl: 64, dst: C },
    { t: 3, src: A, checksum: Checksum.V2Style }, { t: 4, src: A, checksum: Checksum.Bad },
    { t: 0.5, src: B, prio: 80, version: 3, dst: A, vlan: 0 },
  ]);
  const untagged = snap.routers.find((r) => r.key === 'v4/99')!;
  assert.equal(untagged.vlan, null);
  assert.equal('vlanOuter' in untagged, false, 'no outer VLAN: no field');
  const a = untagged.advertisers[0]!;
  assert.deepEqual([a.destination, a.unicastPeers, a.ttlMin, a.ttlMax, a.vlan], ['mixed', [B, C], 64, 255, null]);
  assert.deepEqual(a.checksums, { ok: 1, 'v2-style': 1, 'old-unicast': 1, bad: 1, unknown: 1 });
  assert.deepEqual([a.authType, a.authText, a.authMatches, a.advertIntervalUnit], [1, 'secret', true, 's']);
  const tagged = snap.routers.find((r) => r.key === 'v4/99@vlan0')!;
  assert.equal(tagged.vlan, 0);
  const b = tagged.advertisers[0]!;
  assert.deepEqual([b.destination, b.unicastPeers, b.vlan, b.version, b.advertIntervalRaw, b.advertIntervalUnit, b.authType, b.authText, b.authMatches],
    ['unicast', [A], 0, 3, 100, 'cs', null, null, true]);
  assert.deepEqual(b.checksums, { ok: 1 });
});

test('authMatches: false for every v2 source once one of them uses another password; a v3 source has none to match', () => {
  const { snap } = analyse([...series(A, 0, 5, 1), ...series(B, 0.3, 5, 1, { prio: 80 }), ...series(C, 0.6, 5, 1, { prio: 70, auth: 'other' })]);
  assert.deepEqual(snap.routers[0]!.advertisers.map((a) => [a.ip, a.authMatches]), [[A, false], [B, false], [C, false]]);
  const same = analyse([...series(A, 0, 5, 1), ...series(B, 0.3, 5, 1, { prio: 80 })]).snap;
  assert.deepEqual(same.routers[0]!.advertisers.map((a) => a.authMatches), [true, true]);
});

test('the totals count an open no-master period up to now, and the router is critical while it lasts', () => {
  const an = new Analyzer();
  for (const r of build(series(A, 0, 10, 1))) an.packet(r);
  an.tick(15);
  const r = an.snapshot().routers[0]!;
  assert.deepEqual([r.state, r.worst, r.totals.noMasters, r.totals.noMasterSeconds], ['no-master', 'critical', 1, 6]);
  an.tick(16.5);
  assert.equal(an.snapshot().routers[0]!.totals.noMasterSeconds, 7.5);
});

test('a snapshot is a copy: changing a finding, its fix context or an advertiser reaches neither the analyzer nor the next snapshot', () => {
  const an = new Analyzer();
  for (const r of build([...series(A, 0, 5, 1), ...series(B, 0.5, 5, 1, { prio: 80, auth: 'other' })])) an.packet(r);
  const first = an.snapshot();
  const auth = finding(first, 'auth-mismatch');
  assert.deepEqual(auth.fixContext, { deafHost: null, peers: [], multicast: null, family: 4, configKey: 'auth_pass', values: { [A]: 'PASS', [B]: 'PASS' } });
  auth.evidence.push('changed');
  auth.fixContext.peers.push('changed');
  auth.fixContext.values![A] = 'changed';
  first.routers[0]!.advertisers[0]!.addresses.push('changed');
  first.routers[0]!.advertisers[0]!.priorityHistory[0]!.priority = 1;
  first.routers[0]!.failovers[0]!.to = 'changed';
  first.events[0]!.advertisers.push('changed');
  const second = an.snapshot();
  const again = finding(second, 'auth-mismatch');
  assert.ok(!again.evidence.includes('changed'));
  assert.deepEqual(again.fixContext, { deafHost: null, peers: [], multicast: null, family: 4, configKey: 'auth_pass', values: { [A]: 'PASS', [B]: 'PASS' } });
  assert.deepEqual(second.routers[0]!.advertisers[0]!.addresses, ['10.0.0.100']);
  assert.equal(second.routers[0]!.advertisers[0]!.priorityHistory[0]!.priority, 100);
  assert.equal(second.routers[0]!.failovers[0]!.to, A);
  assert.ok(!second.events[0]!.advertisers.includes('changed'));
  // the lists a refresh does not rebuild: a split brain's advertisers, unicast peers, the virtual addresses, and
  // a no-master finding's IP ID lines (kept from one refresh to the next)
  const uni = new Analyzer();
  for (const r of build([...series(A, 0, 8, 1, { dst: B }), ...series(B, 0.5, 8, 1, { prio: 80, dst: A }), ...series(A, 20, 22, 1, { dst: B }, 9)])) uni.packet(r);
  const u1 = uni.snapshot();
  u1.routers[0]!.splitBrains[0]!.advertisers.push('changed');
  u1.routers[0]!.advertisers[0]!.unicastPeers.push('changed');
  u1.routers[0]!.virtualAddresses.push('changed');
  finding(u1, 'no-master').evidence.push('changed IP ID');
  const u2 = uni.snapshot();
  assert.deepEqual(u2.routers[0]!.splitBrains[0]!.advertisers, [A, B]);
  assert.deepEqual(u2.routers[0]!.advertisers[0]!.unicastPeers, [B]);
  assert.deepEqual(u2.routers[0]!.virtualAddresses, ['10.0.0.100']);
  assert.ok(!finding(u2, 'no-master').evidence.includes('changed IP ID'));
});

test('an expected VRID not seen yet, live: the finding finish() would open, at the current time; after finish() the same', () => {
  const expected = (time: number): Finding => ({
    code: 'expected-vrid-missing', severity: 'critical', routerKey: null, vrid: 51, family: null,
    title: 'expected VRID 51 was never seen', evidence: ['no advert for VRID 51 in 5 adverts seen'],
    cause: null, fixContext: { deafHost: null, peers: [], multicast: null, family: null }, firstSeen: time, lastSeen: time, count: 1,
  });
  const live = analyse(series(A, 0, 5, 1), { expectVrids: [51, 99] }, false).snap;
  assert.deepEqual(live.findings, [expected(4)]);
  assert.equal(live.verdict, 'critical');
  const done = analyse(series(A, 0, 5, 1), { expectVrids: [51, 99] }).snap;
  assert.deepEqual(done.findings, [expected(4)]);
});

test('the verdict: the worst of the routers and the findings — a warning of no router makes a healthy capture a warning', () => {
  const { snap } = analyse([...build(series(A, 0, 5, 1)), rejectRec(5.5, Reject.TruncatedVrrp)]);
  assert.equal(snap.routers[0]!.worst, 'ok');
  assert.equal(snap.verdict, 'warning');
  const info = analyse([...series(A, 0, 5, 1, { version: 3 }), ...series(B, 4 + 3.7, 12, 2, { version: 3, prio: 80, interval: 2 })]).snap;
  assert.equal(finding(info, 'interval-mismatch').severity, 'ok');
  assert.equal(info.verdict, 'ok', 'information only');
});
