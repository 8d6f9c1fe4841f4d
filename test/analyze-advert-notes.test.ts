// What one advert changes (src/analyze/router-machine.ts), for the paths the mutation run of src/analyze
// found untested: a priority moving to 255 re-runs the configuration comparison (two address owners),
// and an advert's note names the receive check a peer fails (TTL) before a configuration difference.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { series } from './support/records.js';
import { analyse } from './support/analyze-run.js';

const A = '10.0.0.1';
const B = '10.0.0.2';

test('a source whose priority becomes 255 while another already claims it: priority-255-conflict from then', () => {
  const { snap } = analyse([...series(A, 0, 10, 1, { prio: 255 }), ...series(B, 0.5, 5, 1, { prio: 100 }), ...series(B, 5.5, 10, 1, { prio: 255 }, 10)]);
  const f = snap.findings.find((x) => x.code === 'priority-255-conflict');
  assert.ok(f, snap.findings.map((x) => x.code).join(', '));
  assert.equal(f.title, `${A} and ${B} both claim priority 255 (address owner)`);
  assert.equal(f.firstSeen, 5.5);
});

test('the note of an advert: a TTL a peer drops comes before the configuration difference', () => {
  // A and B use different passwords; B's adverts also carry TTL 64
  const { notes } = analyse([...series(A, 0, 3, 1, { auth: 'secret1' }), ...series(B, 0.5, 3, 1, { prio: 80, auth: 'other22', ttl: 64 })]);
  assert.deepEqual(notes, ['new-master', 'anomaly:ttl-64', 'anomaly:auth-mismatch', 'anomaly:ttl-64', 'anomaly:auth-mismatch', 'anomaly:ttl-64']);
});
