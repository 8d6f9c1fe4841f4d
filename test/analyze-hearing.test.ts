// Who hears whom (src/analyze/hearing.ts): an "echo" is a higher-priority source answering a
// lower-priority advert at once. The window is ECHO_WINDOW (25 ms) and at most a tenth of the lower
// source's interval; the mutation run of src/analyze showed that only a 0.3 ms answer was ever tested.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { series, type AdvertSpec } from './support/records.js';
import { analyse } from './support/analyze-run.js';

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
