// src/report edges found by mutation testing (docs/testing.md): the text report without a master-down
// interval, a timeline of exactly its limit, a VRID column of exactly its width, the cause sentences no
// capture in pcaps/ shows (BatchWriter keeping nothing once its reader went away: report-units.test.ts).
process.env.TZ = 'UTC';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { causeSentence, renderText } from '../src/report/text.js';
import type { AnalysisEvent, Finding } from '../src/analyze/model.js';
import { finding, router, snapshot, SRC, T0 } from './support/snapshots.js';

test('renderText: no master-down line when unknown; a timeline of exactly the limit says no "last"; a 9-character VRID column', () => {
  const r = router({ vrid: 1, key: 'v6/1', family: 6, masterDownInterval: null });
  const events = [
    { t: T0, type: 'new-master', routerKey: 'v6/1', vrid: 1, family: 6, message: 'a' },
    { t: T0 + 1, type: 'new-master', routerKey: 'v6/1', vrid: 1, family: 6, message: 'b' },
  ] as AnalysisEvent[];
  const lines = renderText(snapshot({ routers: [r], events }), SRC, { showAuth: false, color: false, maxEvents: 2 }).split('\n');
  assert.ok(!lines.some((l) => l.includes('master-down')), lines.join('\n'));
  const at = lines.indexOf('Timeline');
  assert.ok(at > 0, lines.join('\n'));
  assert.deepEqual(lines.slice(at + 1, at + 3), ['  23:31:30.000000  VRID 1/v6  a', '  23:31:31.000000  VRID 1/v6  b']);
});

test('causeSentence: the sentences of the causes no capture in pcaps/ shows', () => {
  const s = (cause: Finding['cause']) => causeSentence(finding({ cause }));
  assert.equal(s('network'), 'the network does not deliver the adverts to one node: they never reach its wire (a switch, VLAN, trunk or multicast filter between the nodes)');
  assert.equal(s('checksum-variant'), 'the nodes compute the VRRPv3 checksum differently (pseudo-header or not): the receiver drops the adverts');
  assert.equal(s('length-mismatch'), 'the nodes send adverts of different lengths (keepalived 2.4 auth_hmac on one side, or a short VRRPv2 advert): a node that expects another length drops them');
  assert.equal(s('unicast-peer'), 'unicast peers are misconfigured: adverts go to an address that does not answer');
  assert.equal(s('sender-stall'), 'the master stalled (its adverts paused and resumed with consecutive IP IDs)');
  assert.equal(s('firewall-stateful'), 'a stateful firewall on one node has no rule for VRRP: its peer\'s unicast adverts get in only as replies to its own, so it takes over for a moment each time keepalived starts there');
});

