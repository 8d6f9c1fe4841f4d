// No master and the master's return (src/analyze/no-master.ts): what the returning master's IP ID says
// about the silence — it stalled (the next IP ID), its adverts were lost (a jump), it restarted, or nothing
// (the same IP ID) — in the master-back
// event, the no-master finding's evidence and its cause; the totals; the bound on the periods kept. The
// mutation run of src/analyze showed no unit test of the IP ID note, of its edges (an IP ID or a time of 0,
// the wrap from 65535) or of the bound.
// Below, through the analyzer: when a silence is an outage (found by a tick, by a gap in a file, by the
// sweep while other traffic goes on), when it is not (a capture that ends, every node resigning, a VRID that
// stops just before the end), and who was master around it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Analyzer } from '../src/analyze/analyzer.js';
import type { AnalysisEvent } from '../src/analyze/model.js';
import { build, series, type AdvertSpec } from './support/records.js';
import { analyse, types, close, finding } from './support/analyze-run.js';
import { MAX_PERIODS } from '../src/analyze/limits.js';
import { ipIdStep } from '../src/analyze/ip-id-step.js';

const A = '10.0.0.1';
const B = '10.0.0.2';
const C = '10.0.0.3';

/** A advertises `before` (IP IDs from `id0`), falls silent, and is back at 12 s with IP ID `idBack`. */
function silence(before: number, id0: number, idBack: number) {
  const { events, snap } = analyse([...series(A, 0, before, 1, {}, id0), ...series(A, 12, 14, 1, {}, idBack)]);
  const back = events.filter((e) => e.type === 'master-back');
  assert.equal(back.length, 1, events.map((e) => e.message).join('\n'));
  const f = snap.findings.find((x) => x.code === 'no-master')!;
  return { back: back[0]!, finding: f, router: snap.routers[0]! };
}

test('the master back with the next IP ID: it stalled (sent nothing), said in the event and the finding', () => {
  const { back, finding, router } = silence(5, 1, 6);
  assert.equal(back.message, `${A} advertises again after 8 s without a master; ${A}'s IP ID went on from 5 to 6: the sender stalled (no adverts were sent)`);
  assert.equal(back.t, 12);
  assert.equal(back.duration, 8);
  assert.equal(finding.cause, 'sender-stall');
  assert.deepEqual(finding.evidence.slice(1), [`${A}'s IP ID went on from 5 to 6: the sender stalled (no adverts were sent)`]);
  assert.deepEqual(router.noMasters.map((p) => [p.start, p.end, p.duration, p.lastMaster]), [[4, 12, 8, A]]);
  assert.equal(router.totals.noMasters, 1);
  assert.equal(router.totals.noMasterSeconds, 8, 'the closed period counts in the totals');
  assert.equal(router.master, A);
});

test('the master back with an IP ID further on: its adverts were sent and lost on the way', () => {
  const { back, finding } = silence(5, 1, 10);
  assert.equal(back.message, `${A} advertises again after 8 s without a master; ${A}'s IP ID jumped from 5 to 10: 4 adverts were sent but not seen (lost on the way)`);
  assert.equal(finding.cause, 'network');
  assert.deepEqual(finding.evidence.slice(1), [`${A}'s IP ID jumped from 5 to 10: 4 adverts were sent but not seen (lost on the way)`]);
});

test('edges: its only advert before at time 0 with IP ID 0; the IP ID wrapping from 65535 to 0', () => {
  const zero = silence(1, 0, 1);
  assert.equal(zero.finding.cause, 'sender-stall', zero.back.message);
  assert.match(zero.back.message, /after 12 s without a master; .*went on from 0 to 1: the sender stalled/);
  const wrap = silence(5, 65531, 0);
  assert.equal(wrap.finding.cause, 'sender-stall', wrap.back.message);
  assert.match(wrap.back.message, /went on from 65535 to 0: the sender stalled/);
});

test('the master back with its IP ID started again: a restart, not lost adverts; the same IP ID: nothing said', () => {
  // from 5 back to 1 (a new counter), or backwards by more than half the range: keepalived or the node restarted
  for (const [id0, idBack] of [[1, 1], [1, 0], [40001, 30000]] as const) {
    const { back, finding } = silence(5, id0, idBack);
    const before = id0 + 4;
    assert.equal(back.message, `${A} advertises again after 8 s without a master; ${A}'s IP ID restarted (${before} -> ${idBack}): ` +
      'keepalived (or the node) was restarted during the silence');
    assert.equal(finding.cause, null, 'neither a stall nor the network');
  }
  // a sender that keeps one IP ID: its return says nothing of the silence (no "-1 adverts lost")
  const same = silence(5, 1, 5);
  assert.equal(same.back.message, `${A} advertises again after 8 s without a master; ${A}'s IP ID is 5 again, which tells nothing of the silence (a sender that keeps one IP ID)`);
  assert.equal(same.finding.cause, null);
});

test('the IP ID step read at its edges: the next one, a jump up to half the range, back to 0 or 1 or further back', () => {
  assert.deepEqual(ipIdStep(7, 7), { kind: 'same', lost: 0 });
  assert.deepEqual(ipIdStep(65535, 0), { kind: 'stall', lost: 0 });
  assert.deepEqual(ipIdStep(0, 1), { kind: 'stall', lost: 0 });
  assert.deepEqual(ipIdStep(65535, 1), { kind: 'restart', lost: 0 }, 'back to 1: a new counter, not one advert lost at the wrap');
  assert.deepEqual(ipIdStep(65534, 2), { kind: 'lost', lost: 3 });
  assert.deepEqual(ipIdStep(100, 32868), { kind: 'lost', lost: 32767 }, 'half the range forward: still forward');
  assert.deepEqual(ipIdStep(100, 32869), { kind: 'restart', lost: 0 }, 'more than half: backwards');
});

test('IPv6 has no IP ID: the master is back, nothing said of the silence\'s cause', () => {
  const { events, snap } = analyse([...series('fe80::1', 0, 5, 1), ...series('fe80::1', 12, 14, 1)]);
  assert.deepEqual(events.filter((e) => e.type === 'master-back').map((e) => e.message), ['fe80::1 advertises again after 8 s without a master']);
  const f = snap.findings.find((x) => x.code === 'no-master')!;
  assert.equal(f.cause, null);
  assert.equal(f.evidence.length, 1, f.evidence.join('\n'));
});

test('bounded: the last MAX_PERIODS no-master periods are kept, every one is counted', () => {
  // one advert every 10 s: each gap is a no-master period (limit 4.346 s), closed by the next advert
  const n = MAX_PERIODS + 2;
  const { snap } = analyse(series(A, 0, n * 10, 10));
  const r = snap.routers[0]!;
  assert.equal(r.totals.noMasters, n - 1);
  assert.equal(r.noMasters.length, MAX_PERIODS);
  assert.equal(r.noMasters[0]!.start, 10, 'the oldest period went');
  assert.equal(r.noMasters[MAX_PERIODS - 1]!.end, (n - 1) * 10);
});

// ---- through the analyzer: when a silence is an outage, and when it is not ----
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

test('a master back after a stall (IP ID continues) is told apart from lost adverts', () => {
  const base = [...series(A, 0, 5, 1), ...series(B, 4 + 3.69, 12.5, 1, { prio: 80 })];
  const stalled = analyse([...base, ...series(A, 12, 15, 1, {}, 6)]).events.find((e) => e.type === 'preemption')!;
  assert.ok(stalled.message.endsWith('10.0.0.1 was silent 8 s and its IP ID went on from 5 to 6: it stalled (sent nothing)'), stalled.message);
  const lost = analyse([...base, ...series(A, 12, 15, 1, {}, 13)]).events.find((e) => e.type === 'preemption')!;
  assert.ok(lost.message.endsWith('its IP ID jumped 5 -> 13: 7 adverts were sent but not seen'), lost.message);
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
