// The findings as they are told and the view of the routers (src/analyze/evidence.ts, evidence-text.ts,
// findings-book.ts, view.ts: the mutation part `findings`). The golden captures take these files' common
// paths; the mutation run showed what none of them takes: the text helpers' edges (padding, "at" or
// "from … to", ms digits, the trailer wording), the evidence lines of the rarer findings (flapping, a
// refusal by several hosts, a brief dual master, a tracked check that failed and recovered, two no-master
// periods), times with their date, the event history's bound and `c` (clearHistory), a finding's severity
// only rising, and the view's fields for unusual states (a silent or resigned master, a dual period, jitter,
// mixed destinations, checksum names, VLAN 0) and its copies.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Analyzer } from '../src/analyze/analyzer.js';
import type { AnalysisEvent, Finding, Snapshot } from '../src/analyze/model.js';
import { Checksum, Kind, Reject, type PacketRecord } from '../src/decode/packet.js';
import { fmt, ms, rangeText, trailerText, utcClock, vrrpGroup } from '../src/analyze/evidence-text.js';
import { worse } from '../src/analyze/findings-book.js';
import { linkTypeName } from '../src/analyze/view.js';
import { build, icmpError, rejectRec, series, type AdvertSpec } from './support/records.js';
import { analyse } from './support/analyze-run.js';

const A = '10.0.0.1';
const B = '10.0.0.2';
const C = '10.0.0.3';
const D = '10.0.0.4';

function finding(s: Snapshot, code: string): Finding {
  const f = s.findings.find((x) => x.code === code);
  assert.ok(f, `no ${code} finding among: ${s.findings.map((x) => x.code).join(', ')}`);
  return f;
}
const timeOf = (r: PacketRecord): number => r.tsSec + r.tsNsec / 1e9;
const byTime = (records: PacketRecord[]): PacketRecord[] => records.sort((x, y) => timeOf(x) - timeOf(y));

// ------------------------------------------------------------------ evidence-text.ts

test('fmt: at most three decimals (or the digits asked for), trailing zeros dropped', () => {
  assert.equal(fmt(3.6875), '3.688');
  assert.equal(fmt(3.99609375), '3.996');
  assert.equal(fmt(1.5), '1.5');
  assert.equal(fmt(2), '2');
  assert.equal(fmt(0.1234, 2), '0.12');
  assert.equal(fmt(12.25, 1), '12.3');
});

test('utcClock: two digits for hours, minutes and seconds, three for milliseconds, each padded at its edge', () => {
  assert.equal(utcClock(0), '00:00:00.000 UTC');
  assert.equal(utcClock(9 * 3600 + 9 * 60 + 9.009), '09:09:09.009 UTC');
  assert.equal(utcClock(10 * 3600 + 10 * 60 + 10.01), '10:10:10.010 UTC');
  assert.equal(utcClock(59.099), '00:00:59.099 UTC');
  assert.equal(utcClock(59.1), '00:00:59.100 UTC');
  assert.equal(utcClock(23 * 3600 + 59 * 60 + 59.999), '23:59:59.999 UTC');
});

test('utcClock: the time of day wraps every 24 h, also before 1970; dated puts the UTC date first', () => {
  assert.equal(utcClock(86400 + 3661.5), '01:01:01.500 UTC');
  assert.equal(utcClock(-1), '23:59:59.000 UTC');
  assert.equal(utcClock(86400 + 3661.5, true), '1970-01-02 01:01:01.500 UTC');
  assert.equal(utcClock(-1, true), '1969-12-31 23:59:59.000 UTC');
  assert.equal(utcClock(0, false), '00:00:00.000 UTC');
});

test('rangeText: one moment (under half a millisecond apart) is "at", a range "from … to"', () => {
  assert.equal(rangeText(5, 5), 'at 00:00:05.000 UTC');
  assert.equal(rangeText(5, 5.0004), 'at 00:00:05.000 UTC');
  // half a millisecond apart prints two different times: a range
  assert.equal(rangeText(0, 0.0005), 'from 00:00:00.000 UTC to 00:00:00.001 UTC');
  assert.equal(rangeText(5, 7.25), 'from 00:00:05.000 UTC to 00:00:07.250 UTC');
  assert.equal(rangeText(86405, 86405, true), 'at 1970-01-02 00:00:05.000 UTC');
  assert.equal(rangeText(86405, 86406, true), 'from 1970-01-02 00:00:05.000 UTC to 1970-01-02 00:00:06.000 UTC');
});

test('ms: seconds as milliseconds, two decimals below 10 ms, one from 10 ms on', () => {
  assert.equal(ms(0.0003), '0.3 ms');
  assert.equal(ms(0.001234), '1.23 ms');
  assert.equal(ms(0.00999), '9.99 ms');
  assert.equal(ms(0.01), '10 ms');
  assert.equal(ms(0.01234), '12.3 ms');
  assert.equal(ms(0.25), '250 ms');
});

test('trailerText: what an advert\'s length says, for the missing auth data, the HMAC trailer, other trailers and none', () => {
  assert.equal(trailerText(-8), 'no authentication data (8 bytes short of a VRRPv2 advert)');
  assert.equal(trailerText(28), '28 bytes after the VRRP message (the keepalived >= 2.4 auth_hmac trailer)');
  assert.equal(trailerText(4), '4 bytes after the VRRP message');
  assert.equal(trailerText(1), '1 bytes after the VRRP message');
  assert.equal(trailerText(0), 'the exact VRRP length');
});

test('vrrpGroup: the VRRP multicast group of each family', () => {
  assert.equal(vrrpGroup(4), '224.0.0.18');
  assert.equal(vrrpGroup(6), 'ff02::12');
});

// ------------------------------------------------------------------ findings-book.ts

test('worse: the more severe of two severities, either way round', () => {
  assert.equal(worse('ok', 'warning'), 'warning');
  assert.equal(worse('warning', 'ok'), 'warning');
  assert.equal(worse('warning', 'critical'), 'critical');
  assert.equal(worse('critical', 'warning'), 'critical');
  assert.equal(worse('ok', 'ok'), 'ok');
});

test('the event history keeps the newest maxEvents events, counts those it dropped, and onEvent sees every one', () => {
  // events: new-master (0), rejected-packets (3.5), expected-vrid-missing (at the end)
  const { snap, events } = analyse([...build(series(A, 0, 3, 1)), rejectRec(3.5, Reject.TruncatedVrrp), rejectRec(3.6, Reject.BadVersion)],
    { maxEvents: 2, expectVrids: [7] });
  assert.deepEqual(events.map((e) => e.type), ['new-master', 'finding', 'finding']);
  assert.equal(snap.limits?.eventsDropped, 1);
  // a finding of no router: its event has routerKey '', family 4, VRID 0 (or the VRID it is about), no master
  assert.deepEqual(snap.events, [
    {
      t: 3.5, type: 'finding', routerKey: '', family: 4, vrid: 0, vlan: null, severity: 'warning', master: null, previousMaster: null,
      advertisers: [], duration: null, expected: null, message: 'protocol-112 packets that are not valid VRRP', findingCode: 'rejected-packets',
    },
    {
      t: 3.6, type: 'finding', routerKey: '', family: 4, vrid: 7, vlan: null, severity: 'critical', master: null, previousMaster: null,
      advertisers: [], duration: null, expected: null, message: 'expected VRID 7 was never seen', findingCode: 'expected-vrid-missing',
    },
  ]);
  // the bound is maxEvents itself: three events fit in three
  const three = analyse([...build(series(A, 0, 3, 1)), rejectRec(3.5, Reject.TruncatedVrrp)], { maxEvents: 3, expectVrids: [7] }).snap;
  assert.equal(three.events.length, 3);
  assert.equal(three.limits?.eventsDropped, 0);
});

test('a router\'s event lists only the sources advertising at that moment, its master and its VLAN (0 is a VLAN)', () => {
  const { events } = analyse([...series(A, 0, 10, 1, { vlan: 0 }), ...series(B, 12.69, 20, 1, { prio: 80, vlan: 0 })]);
  const failover = events.find((e) => e.type === 'failover')!;
  assert.equal(failover.routerKey, 'v4/99@vlan0');
  assert.equal(failover.vlan, 0);
  assert.equal(failover.master, B);
  assert.deepEqual(failover.advertisers, [B], 'A had stopped advertising');
  const untagged = analyse(series(A, 0, 3, 1)).events[0]!;
  assert.equal(untagged.vlan, null);
  assert.deepEqual(untagged.advertisers, [A]);
});

test('a finding seen again counts up and moves lastSeen; firstSeen stays', () => {
  const { snap } = analyse(series(A, 0, 5, 1, { checksum: Checksum.Bad }));
  const f = finding(snap, 'bad-checksum');
  assert.deepEqual([f.count, f.firstSeen, f.lastSeen], [5, 0, 4]);
  const ttl = finding(analyse(series(A, 2, 6, 1, { ttl: 64 })).snap, 'ttl-not-255');
  assert.deepEqual([ttl.count, ttl.firstSeen, ttl.lastSeen], [4, 2, 5]);
});

test('a finding\'s severity only rises: a cluster of three (information) joined by other addresses is a warning, and stays one', () => {
  const specs: AdvertSpec[] = [
    ...series(A, 0, 10, 1), ...series(B, 0.2, 10, 1, { prio: 90 }), ...series(C, 0.4, 10, 1, { prio: 80 }),
    ...series(D, 3.6, 6, 1, { prio: 70, addrs: ['192.168.5.1'] }), ...series(D, 6.6, 10, 1, { prio: 70 }),
  ];
  const before = analyse(specs.filter((s) => s.t < 3.5)).snap;
  assert.equal(finding(before, 'vrid-collision').severity, 'ok');
  const { snap, events } = analyse(specs);
  const f = finding(snap, 'vrid-collision');
  assert.equal(f.severity, 'warning', 'D\'s return to the common addresses does not lower it');
  assert.equal(f.count, 3, 'opened by C, again by D\'s other addresses, again by its return');
  // one event, when it opened (as information)
  assert.deepEqual(events.filter((e) => e.findingCode === 'vrid-collision').map((e) => [e.t, e.severity]), [[0.4, 'ok']]);
});

test('clearHistory: the events go (counted as dropped), finished findings and those of no router go, an ongoing no-master stays', () => {
  const an = new Analyzer();
  const seen: AnalysisEvent[] = [];
  an.onEvent = (e) => seen.push(e);
  for (const r of byTime([...build(series(A, 0, 10, 1, { checksum: Checksum.Bad })), rejectRec(5.5, Reject.TruncatedVrrp)])) an.packet(r);
  an.tick(15); // 6 s of silence: no master
  const before = an.snapshot();
  assert.deepEqual(before.findings.map((f) => f.code).sort(), ['bad-checksum', 'no-master', 'rejected-packets']);
  const n = before.events.length;
  // the first advert's bad checksum and its master (in either order), the reject, the silence
  assert.deepEqual(before.events.map((e) => e.findingCode ?? e.type).sort(), ['bad-checksum', 'new-master', 'no-master', 'no-master', 'rejected-packets']);
  an.clearHistory();
  const after = an.snapshot();
  assert.deepEqual(after.events, []);
  assert.equal(after.limits?.eventsDropped, n);
  assert.deepEqual(after.findings.map((f) => f.code), ['no-master']);
  assert.equal(after.routers[0]!.state, 'no-master');
  // a reject after `c` opens rejected-packets again, with its event, counting only what came since `c`
  // (the capture's stats keep counting every reject)
  an.packet(rejectRec(16, Reject.BadVersion));
  const again = an.snapshot();
  assert.deepEqual(again.findings.map((f) => f.code), ['no-master', 'rejected-packets']);
  const rp = finding(again, 'rejected-packets');
  assert.deepEqual([rp.firstSeen, rp.lastSeen], [16, 16]);
  assert.equal(rp.count, 1);
  assert.deepEqual(rp.evidence, ['1 bad-version']);
  assert.deepEqual(again.stats.rejects, { 'truncated-vrrp': 1, 'bad-version': 1 });
  assert.deepEqual(again.events.map((e) => [e.t, e.findingCode]), [[16, 'rejected-packets']]);
  assert.equal(seen.length, n + 1);
});

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
