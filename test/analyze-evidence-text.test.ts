// The findings as they are told (src/analyze/evidence-text.ts, findings-book.ts: part of the mutation part
// `findings`). The golden captures take these files' common paths; the mutation run showed what none of them
// takes: the text helpers' edges (padding, "at" or "from … to", ms digits, the trailer wording), the event
// history's bound and `c` (clearHistory), a finding seen again, a finding's severity only rising, and the findings
// of a router no longer tracked.
// The evidence of each finding and the view of the routers: test/analyze-findings.test.ts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Analyzer } from '../src/analyze/analyzer.js';
import type { AnalysisEvent } from '../src/analyze/model.js';
import { Checksum, Reject } from '../src/decode/packet.js';
import { fmt, ms, rangeText, trailerText, utcClock, vrrpGroup } from '../src/analyze/evidence-text.js';
import { FindingsBook, worse } from '../src/analyze/findings-book.js';
import type { RouterState } from '../src/analyze/router-state.js';
import { build, rejectRec, series, type AdvertSpec } from './support/records.js';
import { analyse } from './support/analyze-run.js';
import { A, B, C, D, byTime, finding } from './support/findings-inputs.js';

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

test('forgetRouter: a router no longer tracked (admission.ts removed it) takes its findings with it; the others stay', () => {
  const book = new FindingsBook(10, { refresh() {} });
  const router = (key: string) => ({ key, vrid: 1, family: 4, vlan: -1, sources: [], master: null, findings: new Map() }) as unknown as RouterState;
  const gone = router('v4/1'), kept = router('v4/2');
  book.routerFinding(gone, 'vrid-collision', 'ok', 1, null, null, 'gone');
  book.routerFinding(gone, 'priority-255-conflict', 'warning', 1, null, null, 'gone too');
  const stays = book.routerFinding(kept, 'vrid-collision', 'ok', 1, null, null, 'kept');
  book.forgetRouter(gone);
  assert.deepEqual([...book.records], [stays]);
});
