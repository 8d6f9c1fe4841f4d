// Split brains and brief dual masters (src/analyze/split-brain.ts, split-brain-cause.ts), for what the mutation
// run of src/analyze found untested: the transition allowance on the slowest advertiser's interval, the
// takeover's master-down interval on the master's interval in VRRPv3, a brief dual master of several adverts,
// a split brain's end at the last advert that showed it, a source that resigned in the advert that proves
// the split brain, and how many echoes make the lower-priority host the deaf one.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { series, type AdvertSpec } from './support/records.js';
import { analyse } from './support/analyze-run.js';
import { source } from './support/router-sources.js';
import { SplitBrainWatch } from '../src/analyze/split-brain.js';
import { RouterState } from '../src/analyze/router-state.js';
import { WorkMeter } from '../src/analyze/limits.js';

const A = '10.0.0.1';
const B = '10.0.0.2';

const messages = (events: { t: number; type: string; message: string }[], type: string) =>
  events.filter((e) => e.type === type).map((e) => `${e.t} ${e.message}`);

test('VRRPv3, B deaf with a 3 s interval: its takeover on A\'s 1 s interval; a split brain only once every source advertised 1.5 × 3 s after the start', () => {
  const { events, snap } = analyse([...series(A, 0, 30, 1, { version: 3 }), ...series(B, 5.5, 30, 3, { prio: 80, version: 3, interval: 3 })]);
  // 3 × 1 + (256 − 80) / 256 × 1: the backup runs on the master's interval (RFC 5798), not its own 3 s
  assert.deepEqual(messages(events, 'dual-master'), [`5.5 ${B} (prio 80) advertises as master while ${A} (prio 100) is master: ` +
    `it has not heard ${A} for its master-down interval (3.688 s), though ${A} advertised all along`]);
  // B advertises at 5.5, 8.5, 11.5: its first advert after 5.5 + 4.5 s is the one at 11.5
  assert.deepEqual(messages(events, 'split-brain-start'), [`11.5 split brain: 2 sources advertising VRID 99 at once (${A} prio 100, ${B} prio 80), for 6 s so far, since 00:00:05.500 UTC`]);
  assert.deepEqual(snap.routers[0]!.splitBrains.map((p) => [p.start, p.advertisers]), [[5.5, [A, B]]]);
  // the slow one first among the sources: still its 3 s that counts (B at 0, 3, 6; A from 0.5: declared at 6)
  const slowFirst = analyse([...series(B, 0, 20, 3, { prio: 80, version: 3, interval: 3 }), ...series(A, 0.5, 20, 1, { version: 3 })]);
  assert.deepEqual(messages(slowFirst.events, 'split-brain-start'), [`6 split brain: 2 sources advertising VRID 99 at once (${A} prio 100, ${B} prio 80), for 5.5 s so far, since 00:00:00.500 UTC`]);
});

test('a brief dual master of three adverts: counted in the plural, from its first to its last advert', () => {
  const { snap } = analyse([...series(A, 0, 20, 1), ...series(B, 5.5, 6.6, 0.5, { prio: 80 })]);
  const f = snap.findings.find((x) => x.code === 'brief-dual-master')!;
  assert.equal(f.title, `brief dual master on VRID 99: ${B} (prio 80) took over for 3 adverts while ${A} (prio 100) was master`);
  const r = snap.routers[0]!;
  assert.deepEqual(r.splitBrains, []);
  assert.equal(r.totals.briefDualMasters, 1);
});

test('a split brain ends at the last advert of the source that stopped, not when its window ran out', () => {
  const { events, snap } = analyse([...series(A, 0, 20, 1), ...series(B, 5.5, 11, 1, { prio: 80 })]);
  assert.deepEqual(messages(events, 'split-brain-end'), [`10.5 split brain ended after 5 s (${A}, ${B})`]);
  assert.deepEqual(snap.routers[0]!.splitBrains.map((p) => [p.start, p.end, p.duration]), [[5.5, 10.5, 5]]);
  assert.equal(snap.routers[0]!.totals.splitBrainSeconds, 5);
});

test('B resigns (priority 0) in the advert that proves the split brain: it is one of its masters all the same', () => {
  const { events, snap } = analyse([...series(A, 0, 20, 1), ...series(B, 5.5, 7.5, 1, { prio: 80 }), { t: 7.5, src: B, prio: 0, ipId: 3 }]);
  assert.deepEqual(messages(events, 'split-brain-start'), [`7.5 split brain: 2 sources advertising VRID 99 at once (${A} prio 100, ${B} prio 80), for 2 s so far, since 00:00:05.500 UTC`]);
  assert.deepEqual(messages(events, 'split-brain-end'), [`7.5 split brain ended after 2 s (${A}, ${B})`]);
  assert.deepEqual(snap.routers[0]!.splitBrains.map((p) => [p.start, p.end, p.advertisers]), [[5.5, 7.5, [A, B]]]);
});

test('the deaf host: the better source answered at least half of its adverts (5 of 10), not fewer (4 of 10)', () => {
  const cause = (answered: number) => {
    const specs: AdvertSpec[] = [...series(A, 0, 20, 1)];
    series(B, 5.5, 15.5, 1, { prio: 80 }).forEach((b, i) => {
      specs.push(b);
      if (i < answered) specs.push({ t: b.t + 0.0003, src: A });
    });
    const f = analyse(specs).snap.findings.find((x) => x.code === 'split-brain')!;
    return [f.cause, f.fixContext.deafHost, f.evidence.find((e) => e.startsWith(`${A} answered `)) ?? null];
  };
  assert.deepEqual(cause(5), ['firewall-drop', B, `${A} answered 5 of 10 adverts from ${B} within 0.3 ms: ${A} hears ${B}, ${B} does not hear ${A}`]);
  assert.deepEqual(cause(4), ['unknown', null, null]);
});

test('a split brain still going on lasts until now: its duration, the totals and its evidence grow with each advert and tick', () => {
  const { an, snap } = analyse([...series(A, 0, 12, 1), ...series(B, 0.5, 12, 1, { prio: 80 })], {}, false);
  // declared at 2.5 s (2 s after it began); the last advert was B's at 11.5 s
  const r = snap.routers[0]!;
  assert.deepEqual(r.splitBrains.map((p) => [p.start, p.end, p.duration]), [[0.5, null, 11]]);
  assert.equal(r.totals.splitBrainSeconds, 11);
  const f = snap.findings.find((x) => x.code === 'split-brain')!;
  assert.equal(f.evidence[0], `${A} and ${B} advertised at once for 11 s (still going on)`);
  an.tick(11.9);
  const later = an.snapshot();
  assert.equal(later.routers[0]!.splitBrains[0]!.duration, 11.4);
  assert.equal(later.findings.find((x) => x.code === 'split-brain')!.evidence[0], `${A} and ${B} advertised at once for 11.4 s (still going on)`);
  // the input ends at the last time it reached (11.9 s): closed there
  an.finish();
  assert.equal(an.snapshot().findings.find((x) => x.code === 'split-brain')!.evidence[0], `${A} and ${B} advertised at once for 11.4 s`);
});

test('three masters, one of them stops: the split brain of the other two goes on, one period to the end', () => {
  const C = '10.0.0.3';
  const { events, snap } = analyse([...series(A, 0, 20, 1), ...series(B, 0.3, 20, 1, { prio: 80 }), ...series(C, 0.6, 10, 1, { prio: 60 })]);
  assert.deepEqual(messages(events, 'split-brain-end'), [`19.3 split brain still going on when the capture ended after 19 s (${A}, ${B}, ${C})`]);
  assert.deepEqual(snap.routers[0]!.splitBrains.map((p) => [p.start, p.end, p.advertisers]), [[0.3, 19.3, [A, B, C]]]);
});

test('the master that silenced the other stops: the split brain ends at its last advert, the silenced one\'s quiet spell when its window ran out; no takeover measured', () => {
  // B rejects A's adverts (another password) and speaks once every 6 s; A stops at 19 s; B goes on alone
  const specs: AdvertSpec[] = [...series(A, 0, 20, 1)];
  for (const t of [3.5, 9.5, 15.5]) specs.push({ t, src: B, prio: 80, auth: 'other' });
  specs.push(...series(B, 21, 30, 1, { prio: 80, auth: 'other' }, 10));
  const { events, snap } = analyse(specs);
  assert.deepEqual(messages(events, 'split-brain-end'), [`19 split brain ended after 15.5 s (${A}, ${B})`]);
  // B was master all along (silenced): alone now, but no takeover, so none is measured against an expected time
  const fo = events.filter((e) => e.type === 'failover');
  assert.deepEqual(fo.map((e) => [e.t, e.message, e.duration, e.expected]), [[21, `${B} (prio 80) is master now that ${A} stopped`, null, null]]);
  const quiet = snap.findings.find((x) => x.code === 'split-brain')!.evidence.find((l) => l.startsWith(`${B} advertised as master`))!;
  assert.match(quiet, /^10\.0\.0\.2 advertised as master, then went quiet 3 times from 00:00:03\.500 UTC to 00:00:20\.500 UTC \(5-6 s each, 17 s in all\)/);
});

test('the master stops right after a backup took over without hearing it: a failover, not a brief dual master of the backup', () => {
  // A master from 0; B (prio 80) starts at 5.5 having not heard A (its master-down interval passed); A's last advert is at 6
  const { events, snap } = analyse([...series(A, 0, 6.5, 1), ...series(B, 5.5, 20, 1, { prio: 80 })]);
  assert.equal(messages(events, 'dual-master').length, 1);
  // B goes on advertising: it never went back to backup, so there is no brief dual master to tell
  assert.equal(snap.findings.find((x) => x.code === 'brief-dual-master'), undefined);
  assert.equal(snap.routers[0]!.totals.briefDualMasters, 0);
  assert.deepEqual(snap.routers[0]!.splitBrains, []);
});

test('VRRPv2: a backup\'s master-down interval is on its own advert interval (2 s), not the master\'s (1 s)', () => {
  // 3 × 2 + (256 − 80) / 256 = 6.6875 s: A has advertised 7 s when B starts
  const { events } = analyse([...series(A, 0, 20, 1), ...series(B, 7, 20, 2, { prio: 80, interval: 2 })]);
  assert.deepEqual(messages(events, 'dual-master'), [`7 ${B} (prio 80) advertises as master while ${A} (prio 100) is master: ` +
    `it has not heard ${A} for its master-down interval (6.688 s), though ${A} advertised all along`]);
});

test('a backup that starts advertising exactly its master-down interval after the master began did not hear it', () => {
  // prio 64 at 1 s: 3 + (256 − 64) / 256 = 3.75 s; A has advertised since 0 ("for at least" that interval, analysis §9a)
  const { events } = analyse([...series(A, 0, 10, 1), { t: 3.75, src: B, prio: 64 }]);
  assert.deepEqual(messages(events, 'dual-master'), [`3.75 ${B} (prio 64) advertises as master while ${A} (prio 100) is master: ` +
    `it has not heard ${A} for its master-down interval (3.75 s), though ${A} advertised all along`]);
});

test('a split brain just declared has lasted from its start to the advert that proved it', () => {
  // B from 0.5: every source advertised after 0.5 + 1.5 × 1 s at B's advert at 2.5; nothing came after it
  const { snap } = analyse([...series(A, 0, 3, 1), ...series(B, 0.5, 3, 1, { prio: 80 })], {}, false);
  assert.deepEqual(snap.routers[0]!.splitBrains.map((p) => [p.start, p.end, p.duration]), [[0.5, null, 2]]);
  assert.equal(snap.routers[0]!.totals.splitBrainSeconds, 2);
});

test('a source whose window still ran when the dual period began is one of the split brain\'s masters, though it sent nothing since', () => {
  // VRRPv3: C (prio 150, 2 s) advertised at 0, so it advertises until 3; A from 1, B from 1.5 (1 s) do not hear each
  // other. The dual period begins at 1 with C and A; with C's 2 s counted it is a split brain once A and B advertised
  // after 1 + 1.5 × 2 = 4: at B's 4.5
  const C = '10.0.0.3';
  const v3 = { version: 3 as const };
  const { events, snap } = analyse([{ t: 0, src: C, prio: 150, interval: 2, version: 3 }, ...series(A, 1, 10, 1, v3), ...series(B, 1.5, 10, 1, { prio: 80, ...v3 })]);
  assert.deepEqual(messages(events, 'split-brain-start'), [`4.5 split brain: 3 sources advertising VRID 99 at once (${C} prio 150, ${A} prio 100, ${B} prio 80), for 3.5 s so far, since 00:00:01.000 UTC`]);
  assert.deepEqual(snap.routers[0]!.splitBrains.map((p) => [p.start, p.advertisers]), [[1, [C, A, B]]]);
});

test('a master that resigned before the dual period began is not one of the split brain\'s masters', () => {
  // C (prio 150) hands over to A at 2.5 (priority 0); B (prio 80) does not hear A and takes over at 8.5
  const C = '10.0.0.3';
  const { events, snap } = analyse([...series(C, 0, 2.5, 1, { prio: 150 }), { t: 2.5, src: C, prio: 0, ipId: 9 },
    ...series(A, 3, 20, 1), ...series(B, 8.5, 20, 1, { prio: 80 })]);
  assert.deepEqual(messages(events, 'split-brain-start'), [`10.5 split brain: 2 sources advertising VRID 99 at once (${A} prio 100, ${B} prio 80), for 2 s so far, since 00:00:08.500 UTC`]);
  assert.deepEqual(snap.routers[0]!.splitBrains.map((p) => [p.start, p.advertisers]), [[8.5, [A, B]]]);
});

test('a source advertising from the first instant of the input resigns in the advert that proves the split brain: one of its masters', () => {
  // B from 0, A from 0.4; the dual period began at 0.4, so every source must advertise after 1.9: A at 2.4, B resigns at 2.5
  const { events, snap } = analyse([...series(A, 0.4, 10, 1), ...series(B, 0, 2, 1, { prio: 80 }), { t: 2.5, src: B, prio: 0, ipId: 3 }]);
  assert.deepEqual(messages(events, 'split-brain-start'), [`2.5 split brain: 2 sources advertising VRID 99 at once (${A} prio 100, ${B} prio 80), for 2.1 s so far, since 00:00:00.400 UTC`]);
  assert.deepEqual(snap.routers[0]!.splitBrains.map((p) => [p.start, p.end, p.advertisers]), [[0.4, 2.5, [A, B]]]);
});

test('a master of an open split brain goes quiet, silenced by the other\'s rejected adverts: its quiet spell is in the evidence', () => {
  // A and B (another password) both advertise from 5.5: a split brain at 7.5; B's last advert is at 10.5, then it is
  // silenced (A's adverts restart its timer) until the input ends with A's advert at 19
  const { snap } = analyse([...series(A, 0, 20, 1), ...series(B, 5.5, 11, 1, { prio: 80, auth: 'other' })]);
  assert.deepEqual(snap.routers[0]!.splitBrains.map((p) => [p.start, p.end, p.advertisers]), [[5.5, 19, [A, B]]]);
  const f = snap.findings.find((x) => x.code === 'split-brain')!;
  // its silence, from its last advert to the input's end, is what tells it was master all along
  assert.ok(f.evidence.some((l) => l.startsWith(`${B} advertised as master, then sent nothing from 00:00:10.500 UTC to the end (8.5 s) without resigning`)),
    f.evidence.join('\n'));
});

test('a source that joined an open split brain and is then silenced becomes one of its masters, in election order', () => {
  // A (100) and C (60) do not hear each other: a split brain from 0.5. B (80, another password) joins at 5.2 and
  // C stops (last advert 11.5); B's last advert is at 14.2, then it is silenced by A's rejected adverts
  const C = '10.0.0.3';
  const { snap } = analyse([...series(A, 0, 30, 1), ...series(C, 0.5, 12, 1, { prio: 60 }), ...series(B, 5.2, 14.5, 1, { prio: 80, auth: 'other' })]);
  assert.deepEqual(snap.routers[0]!.splitBrains.map((p) => [p.start, p.advertisers]), [[0.5, [A, B, C]]]);
});

test('65 brief dual masters: all counted, the first 64 told one by one, the last said to be left out', () => {
  // B (prio 80) does not hear A: every 5 s from 5.5 it sends one advert as master, then goes back to backup
  const specs: AdvertSpec[] = [...series(A, 0, 330, 1)];
  for (let k = 0; k < 65; k++) specs.push({ t: 5.5 + 5 * k, src: B, prio: 80, ipId: k });
  const { snap } = analyse(specs);
  assert.equal(snap.routers[0]!.totals.briefDualMasters, 65);
  const f = snap.findings.find((x) => x.code === 'brief-dual-master')!;
  assert.equal(f.count, 65);
  const spells = f.evidence.filter((l) => l.startsWith(`${B} (prio 80) advertised as master from `));
  assert.equal(spells.length, 64);
  assert.ok(spells[63]!.startsWith(`${B} (prio 80) advertised as master from 00:05:20.500 UTC to 00:05:20.500 UTC (1 advert)`), spells[63]);
  assert.ok(f.evidence.includes('and 1 more brief dual master after those, not kept (the first 64 are)'), f.evidence.join('\n'));
});

test('the work meter counts the walks over the router\'s sources in a dual period: its largest interval, whether it lasted', () => {
  const r = new RouterState(99, 'v4/99', 4, 99, -1, 0);
  for (const ip of [A, B, '10.0.0.3']) {
    const x = source(ip, 0);
    x.advertising = true;
    r.sources.push(x);
  }
  r.advertisingCount = 3;
  r.dualPeriodStart = 0;
  const meter = new WorkMeter();
  // neither walk needs the findings, the diagnosis or the admission
  const watch = new SplitBrainWatch(null as never, null as never, null as never, meter);
  watch.trackDual(r);
  assert.equal(meter.steps, 3);
  watch.checkDual(r, 0.5);
  assert.equal(r.splitBrain, null, 'nobody advertised after the start yet');
  assert.equal(meter.steps, 6);
});

test('1001 split brains: the last 1000 are kept, all are counted', () => {
  // B (prio 80) does not hear A: every 5 s it advertises three times (a split brain at its third advert), then stops
  const specs: AdvertSpec[] = [...series(A, 0, 5006, 1)];
  for (let k = 0; k < 1001; k++) specs.push(...series(B, 0.5 + 5 * k, 3 + 5 * k, 1, { prio: 80 }, 3 * k));
  const { snap } = analyse(specs);
  const r = snap.routers[0]!;
  assert.equal(r.totals.splitBrains, 1001);
  assert.equal(r.splitBrains.length, 1000);
  assert.deepEqual([r.splitBrains[0]!.start, r.splitBrains[999]!.start], [5.5, 5000.5]);
});
