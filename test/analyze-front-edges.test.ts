// The analyzer's front (analyzer.ts), the edges test/analyze-front.test.ts leaves: the steady-state fast path
// against the general one where a single comparison is all that tells them apart (an auth type that changes
// with the same auth data, a silence shorter than the once-a-second sweep), the same advert seen twice told
// from two IPv6 sources one address word apart, an expected VRID among several routers, check -i readiness at
// its bounds, the clock a probe moves, and the sweep's work on the work meter.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Analyzer } from '../src/analyze/analyzer.js';
import { Reject } from '../src/decode/packet.js';
import { build, rejectRec, series, type AdvertSpec } from './support/records.js';
import { runPath } from './support/fast-path.js';

const A = '10.0.0.1', B = '10.0.0.2';

test('fast path: an auth type that changes while the auth data stays the same is a change the general path sees', () => {
  // simple password with an empty text (data all zero), then no authentication (data zero too)
  const specs = [...series(A, 0, 5, 1, { auth: '', authType: 1 }), ...series(A, 5, 10, 1, { auth: null }, 6)];
  const fast = runPath(specs, true);
  assert.deepEqual(fast, runPath(specs, false));
  assert.equal(fast.snap.routers[0]!.advertisers[0]!.authType, 0, 'the master\'s auth type is the last one it sent');
});

test('fast path: a master silent for longer than its advertising window inside one second (0.1 s adverts)', () => {
  // VRRPv3 at 0.1 s: the window is three intervals (0.3 s); a silence of 0.6 s does not cross a whole
  // second, so no sweep judges it before the next advert, and only the advert's own checks can
  const specs = [...series(A, 0.05, 0.35, 0.1, { version: 3, interval: 0.1, auth: null }),
    ...series(A, 0.85, 0.99, 0.1, { version: 3, interval: 0.1, auth: null }, 4)];
  const fast = runPath(specs, true);
  assert.deepEqual(fast, runPath(specs, false));
  const nm = fast.snap.routers[0]!.noMasters;
  assert.equal(nm.length, 1, 'no master between the silence limit and the return');
  assert.equal(nm[0].end, 0.85);
});

test('the same advert seen twice: two IPv6 sources one address word apart, at the same instant, are two adverts', () => {
  // a split brain's two masters can send within the duplicate window; only their addresses differ
  for (const [w, other] of [[1, 'fe80:0:0:1::1'], [2, 'fe80::1:0:0:1']] as const) {
    const an = new Analyzer();
    const notes = build([{ t: 1, src: 'fe80::1' }, { t: 1.0005, src: other }]).map((r) => an.packet(r));
    assert.ok(!notes.includes('duplicate'), `word ${w}: ${notes.join(', ')}`);
    const s = an.snapshot();
    assert.equal(s.stats.duplicates, 0, `word ${w}`);
    assert.equal(s.routers[0]!.advertisers.length, 2, `word ${w}`);
  }
});

test('an expected VRID is missing only when no router has it, whatever other routers are seen', () => {
  const an = new Analyzer({ expectVrids: [99] });
  for (const r of build([...series(A, 0, 3, 1), ...series(B, 0.5, 3, 1, { vrid: 7 })])) an.packet(r);
  assert.deepEqual(an.snapshot().findings.map((f) => f.code), [], 'while the input goes on');
  an.finish();
  assert.deepEqual(an.snapshot().findings.map((f) => f.code), []);
});

test('check -i readiness: during a flood a source with exactly the adverts asked for is ready; the longest interval is the largest', () => {
  // room for two sources: A (every 2 s) and B (every 1 s, after A); the one-advert newcomers make it a flood
  const an = new Analyzer({ maxSources: 2 });
  const specs = [...series(A, 0, 6, 2, { interval: 2 }), ...series(B, 0.5, 3.5, 1, { prio: 80 })];
  for (let i = 0; i < 5; i++) specs.push({ t: 1.1 + i * 0.1, src: `10.0.1.${i + 1}`, prio: 50 });
  for (const r of build(specs)) an.packet(r);
  const s = an.readiness(3, [99]);
  assert.deepEqual([s.flood, s.ready, s.longest], [true, true, 2], 'A and B sent 3 each');
  assert.equal(an.readiness(4, [99]).ready, false);
});

test('a probe sent later than anything seen moves the clock', () => {
  const an = new Analyzer();
  an.packet(build([{ t: 10, src: A }])[0]);
  an.probeSent(4, 0x0a000064, 0, 0, 0, 12.5);
  assert.equal(an.snapshot().time, 12.5);
});

test('the sweep\'s and the tick\'s walks over the routers are on the work meter', () => {
  // 50 routers, then other frames: each whole second's sweep looks at every router once
  const an = new Analyzer();
  const specs: AdvertSpec[] = [];
  for (let v = 1; v <= 50; v++) specs.push({ t: 0.5, src: A, vrid: v });
  for (const r of build(specs)) an.packet(r);
  const w0 = an.work;
  for (let s = 1; s <= 4; s++) an.otherFrame(60, s, 0);
  assert.ok(an.work - w0 >= 4 * 50, `four sweeps of 50 routers: ${an.work - w0} steps`);
  const w1 = an.work;
  an.tick(5.5);
  assert.ok(an.work - w1 >= 50, `a display tick judges every router too: ${an.work - w1} steps`);
});

test('rejected packets: one finding whose count is every reject', () => {
  const an = new Analyzer();
  for (const [i, why] of [Reject.BadVersion, Reject.BadType, Reject.BadVersion].entries()) an.packet(rejectRec(1 + i, why));
  const f = an.snapshot().findings.filter((x) => x.code === 'rejected-packets');
  assert.equal(f.length, 1);
  assert.deepEqual([f[0].count, f[0].lastSeen], [3, 3]);
});
