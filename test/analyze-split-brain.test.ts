// Split brains and brief dual masters (src/analyze/split-brain.ts, split-brain-cause.ts), for what the mutation
// run of src/analyze found untested: the transition allowance on the slowest advertiser's interval, the
// takeover's master-down interval on the master's interval in VRRPv3, a brief dual master of several adverts,
// a split brain's end at the last advert that showed it, a source that resigned in the advert that proves
// the split brain, and how many echoes make the lower-priority host the deaf one.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { series, type AdvertSpec } from './support/records.js';
import { analyse } from './support/analyze-run.js';

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
