// Who hears whom (src/analyze/hearing.ts): an "echo" is a higher-priority source answering a
// lower-priority advert at once. The window is ECHO_WINDOW (25 ms) and at most a tenth of the lower
// source's interval; the mutation run of src/analyze showed that only a 0.3 ms answer was ever tested, and
// not the window's bounds, an answer stamped before the advert, what counts as an advert under a better
// source, the timer restart at the same instant, or the work meter (the last ones on hearAdvert() directly).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { advert, series, type AdvertSpec } from './support/records.js';
import { analyse } from './support/analyze-run.js';
import { hearAdvert } from '../src/analyze/hearing.js';
import { WorkMeter } from '../src/analyze/limits.js';
import { RouterState } from '../src/analyze/router-state.js';
import type { SourceState } from '../src/analyze/source-state.js';
import { source } from './support/router-sources.js';

const A = '10.0.0.1';
const B = '10.0.0.2';

/** A (100) advertises; from 5.5 intervals on, B (80, deaf) advertises too and A answers each of B's
 *  16 adverts `delay` s later. Returns how many adverts the analyzer called echoes. */
function echoes(delay: number, interval: number, version: 2 | 3): number {
  const every = { version, interval } as Partial<AdvertSpec>;
  const specs: AdvertSpec[] = [...series(A, 0, 5.5 * interval, interval, every)];
  for (const s of series(B, 5.5 * interval, 21 * interval, interval, { ...every, prio: 80 })) {
    specs.push(s, { ...every, t: Math.round((s.t + delay) * 1e6) / 1e6, src: A });
  }
  return analyse(specs).notes.filter((n) => n === 'echo').length;
}

test('an answer within 25 ms of a lower-priority advert is an echo; a later one is not (1 s interval)', () => {
  assert.equal(echoes(0.0003, 1, 2), 16);
  assert.equal(echoes(0.024, 1, 2), 16);
  assert.equal(echoes(0.026, 1, 2), 0);
});

test('with a short interval the window is a tenth of it (100 ms interval: 10 ms)', () => {
  assert.equal(echoes(0.009, 0.1, 3), 16);
  assert.equal(echoes(0.011, 0.1, 3), 0);
  assert.equal(echoes(0.02, 0.1, 3), 0);
});

/** The notes of `specs`, kept in the order given (not sorted by time: a capture can be out of order). */
function notesInOrder(specs: AdvertSpec[]): string[] {
  return analyse(specs.map(advert)).notes;
}

test('the window\'s bounds are part of it: an answer exactly 25 ms, or exactly a tenth of a 100 ms interval, later is an echo', () => {
  assert.deepEqual(notesInOrder([{ t: 0, src: A }, { t: 0.003, src: B, prio: 80 }, { t: 0.028, src: A }]), ['new-master', 'contender', 'echo']);
  const v3 = { version: 3 as const, interval: 0.1 };
  assert.deepEqual(notesInOrder([{ t: 0, src: A, ...v3 }, { t: 0.025, src: B, prio: 80, ...v3 }, { t: 0.035, src: A, ...v3 }]), ['new-master', 'contender', 'echo']);
});

test('an answer stamped at the same instant as the advert it answers is an echo; one stamped before it is not', () => {
  assert.deepEqual(notesInOrder([{ t: 0, src: A }, { t: 0.5, src: B, prio: 80 }, { t: 0.5, src: A }]), ['new-master', 'contender', 'echo']);
  // out of order in the capture (-i any): A's advert was sent before B's, it cannot answer it
  assert.deepEqual(notesInOrder([{ t: 0, src: A }, { t: 0.5, src: B, prio: 80 }, { t: 0.4999, src: A }]), ['new-master', 'contender', 'master']);
});

// ---------------------------------------------------------------- hearAdvert() on hand-made state

/** Router v4/99 with advertising sources of these priorities (10.0.0.1, .2, ...), each last seen at 1 s. */
function routerOf(...prios: number[]): { r: RouterState; s: SourceState[] } {
  const r = new RouterState(99, 'v4/99', 4, 99, -1, 0);
  const s = prios.map((p, i) => {
    const x = source(`10.0.0.${i + 1}`, 1);
    x.priority = p;
    x.lastNonZeroPriority = p;
    x.advertising = p > 0;
    return x;
  });
  r.sources.push(...s);
  return { r, s };
}

test('adverts sent under a better source: counted while a higher-priority one advertises, not a lower one, not a resignation', () => {
  const { r, s: [hi, mid, lo] } = routerOf(100, 80, 50);
  const meter = new WorkMeter();
  hearAdvert(r, mid!, 80, 2, meter);
  assert.equal(mid!.advertsUnderBetter, 1, 'the 100 advertises');
  hearAdvert(r, hi!, 100, 2.5, meter);
  assert.equal(hi!.advertsUnderBetter, 0, 'only lower ones advertise');
  lo!.priority = 0;
  hearAdvert(r, lo!, 0, 3, meter);
  assert.equal(lo!.advertsUnderBetter, 0, 'its priority-0 advert resigns: nobody answers it as a lower priority');
  // the work meter counts both walks over the router's three sources, for each advert
  assert.equal(meter.steps, 3 * 2 * 3);
});

test('a source that rejects the adverts restarts its timer on the first one after its own last advert, also one at the same instant', () => {
  const { r, s: [x, a] } = routerOf(100, 80);
  x!.configMismatch = 'auth-mismatch';
  x!.lastSeen = 5;
  // it was pushed at 5 s by another advert, then sent its own advert stamped 5 s too (after it in the capture)
  x!.timerPushedAt = 5;
  hearAdvert(r, a!, 80, 6, new WorkMeter());
  assert.equal(x!.timerPushedAt, 6);
  // a later one does not push it again: its window runs from the first
  hearAdvert(r, a!, 80, 7, new WorkMeter());
  assert.equal(x!.timerPushedAt, 6);
});

test('equal priorities: the higher address answers the lower one\'s adverts at once (keepalived), so it hears it', () => {
  // B (10.0.0.2) and A (10.0.0.1) both at priority 100; A's firewall drops B's adverts, so A advertises as master
  // too, and B — which wins on its address — answers each of A's adverts ("forcing new election")
  const specs: AdvertSpec[] = [...series(B, 0, 20, 1)];
  for (const a of series(A, 5.5, 15.5, 1)) specs.push(a, { t: a.t + 0.0003, src: B });
  const { notes, snap } = analyse(specs);
  assert.equal(notes.filter((n) => n === 'echo').length, 10);
  const f = snap.findings.find((x) => x.code === 'split-brain')!;
  assert.equal(f.cause, 'firewall-drop');
  assert.equal(f.fixContext.deafHost, A);
  assert.ok(f.evidence.includes(`${B} answered 10 of 10 adverts from ${A} within 0.3 ms: ${B} hears ${A}, ${A} does not hear ${B}`), f.evidence.join('\n'));
  // the other way round an advert of the lower address right after the higher one's is no answer: it would yield
  const { r, s: [lo, hi] } = routerOf(100, 100);
  r.lastSender = hi!;
  hearAdvert(r, lo!, 100, 1.0003, new WorkMeter());
  assert.deepEqual([hi!.advertsEchoed, lo!.advertsUnderBetter], [0, 1]);
  // and the higher address's own adverts are not sent under a better source
  hearAdvert(r, hi!, 100, 2, new WorkMeter());
  assert.equal(hi!.advertsUnderBetter, 0);
});
