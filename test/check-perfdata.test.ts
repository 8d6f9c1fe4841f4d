// The check line's perfdata against the monitoring-plugins rules (VRRP-NOTES §6): labels quoted, unique
// in their first 19 characters (RRD), values with units, and one label set per virtual router.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Analyzer } from '../src/analyze/analyzer.js';
import { checkOutcome } from '../src/report/check.js';
import { build, series } from './support/records.js';

test('perfdata labels are unique in their first 19 characters, also with IPv6, 3-digit VRIDs and 4-digit VLANs', () => {
  const an = new Analyzer();
  const recs = build([
    ...series('10.0.0.1', 0, 5, 1, { vrid: 255, vlan: 4094 }),
    ...series('10.0.0.2', 0.1, 5, 1, { vrid: 255, vlan: 4093 }),
    ...series('10.0.0.3', 0.2, 5, 1, { vrid: 99 }),
    ...series('fe80::1', 0.3, 5, 1, { vrid: 255, vlan: 4094, version: 3 }),
  ].sort((x, y) => x.t - y.t));
  for (const r of recs) an.packet(r);
  an.finish();
  const line = checkOutcome(an.snapshot()).line;
  const perf = line.slice(line.indexOf(' | ') + 3).split(' ');
  const labels = perf.map((p) => /^'([^'=]+)'=/.exec(p)?.[1]);
  assert.ok(labels.every((l) => l !== undefined), perf.join(' '));
  assert.equal(labels.length, 4 * 5 + 2, 'five per router, plus adverts and rejects');
  const heads = labels.map((l) => l!.slice(0, 19));
  assert.equal(new Set(heads).size, heads.length, `not unique in 19 characters: ${heads.join(' ')}`);
  for (const p of perf) assert.match(p, /^'[^'=]+'=(U|-?[0-9.]+)(s|c)?(;[0-9.:~@]*){0,4}$/, p);
});
