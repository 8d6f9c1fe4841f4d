// The checks a keepalived peer makes on one advert (src/analyze/receive-checks.ts), for what the mutation
// run of src/analyze found untested: the IPv6 wording, which note wins when an advert fails two checks,
// a checksum-flavour mix that is still a warning when the dashboard's `c` reopens its finding (also beside a
// third advertiser that differs in something else), the old unicast flavour's wording, and a flavour counted
// once per source (a configuration, not an event of each advert).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Analyzer } from '../src/analyze/analyzer.js';
import { Checksum } from '../src/decode/packet.js';
import { build, series } from './support/records.js';
import { noteOf } from './support/analyze-run.js';

const notesOf = (an: Analyzer, recs: ReturnType<typeof build>): string[] => recs.map((r) => noteOf(an, r));

test('IPv6: a multicast advert with hop limit 64 is named by its hop limit', () => {
  const an = new Analyzer({});
  notesOf(an, build(series('fe80::1', 0, 3, 1, { version: 3, ttl: 64 })));
  an.finish();
  const f = an.snapshot().findings.find((x) => x.code === 'ttl-not-255')!;
  assert.equal(f.title, 'fe80::1 sends multicast adverts with hop limit 64: keepalived drops them');
});

test('an advert with a bad TTL and a bad checksum: the TTL is its note, both findings open', () => {
  const an = new Analyzer({});
  const notes = notesOf(an, build(series('10.0.0.1', 0, 3, 1, { ttl: 64, checksum: Checksum.Bad })));
  an.finish();
  assert.deepEqual(notes, ['anomaly:ttl-64', 'anomaly:ttl-64', 'anomaly:ttl-64']);
  assert.deepEqual(an.snapshot().findings.map((f) => f.code).sort(), ['bad-checksum', 'ttl-not-255']);
  // a bad checksum alone is the note
  const alone = new Analyzer({});
  assert.deepEqual(notesOf(alone, build(series('10.0.0.2', 0, 2, 1, { checksum: Checksum.Bad }))), ['anomaly:bad-checksum', 'anomaly:bad-checksum']);
});

test('two checksum flavours among the advertisers: still a warning when `c` cleared it and it opens again', () => {
  const an = new Analyzer({});
  const v3 = { version: 3 as const };
  const recs = build([...series('10.0.0.1', 0, 6, 1, v3), ...series('10.0.0.2', 0.5, 6, 1, { ...v3, prio: 80, checksum: Checksum.V2Style })]);
  notesOf(an, recs.filter((r) => r.tsSec < 2));
  assert.equal(an.snapshot().findings.find((f) => f.code === 'checksum-variant')?.severity, 'warning');
  an.clearHistory();
  notesOf(an, recs.filter((r) => r.tsSec >= 2));
  an.finish();
  const f = an.snapshot().findings.find((x) => x.code === 'checksum-variant')!;
  assert.equal(f.severity, 'warning');
  assert.equal(f.title, '10.0.0.2 computes its checksum the VRRPv2 way (no IPv4 pseudo-header)');
});

test('keepalived\'s old unicast checksum is named as such', () => {
  const an = new Analyzer({});
  notesOf(an, build(series('10.0.0.1', 0, 3, 1, { version: 3, dst: '10.0.0.2', checksum: Checksum.OldUnicast })));
  an.finish();
  const f = an.snapshot().findings.find((x) => x.code === 'checksum-variant')!;
  assert.equal(f.title, '10.0.0.1 computes its checksum the old keepalived unicast way');
});

test('a checksum flavour is the sender\'s configuration: counted once per source and flavour, not per advert', () => {
  const an = new Analyzer({});
  const v3 = { version: 3 as const };
  notesOf(an, build([...series('10.0.0.1', 0, 5, 1, { ...v3, checksum: Checksum.V2Style }), ...series('10.0.0.1', 5, 8, 1, { ...v3, checksum: Checksum.OldUnicast })]));
  an.finish();
  const f = an.snapshot().findings.find((x) => x.code === 'checksum-variant')!;
  assert.equal(f.count, 2);
  assert.equal(f.firstSeen, 0);
  assert.equal(f.lastSeen, 5);
});

test('a flavour mix reopened after `c` is a warning even when a third advertiser differs in something else', () => {
  // A standard, B v2-style (the mix), C standard but with another address list: C's mismatch is its addresses
  const an = new Analyzer({});
  const v3 = { version: 3 as const };
  const recs = build([...series('10.0.0.1', 0, 6, 1, v3), ...series('10.0.0.2', 0.3, 6, 1, { ...v3, prio: 80, checksum: Checksum.V2Style }),
    ...series('10.0.0.3', 0.6, 6, 1, { ...v3, prio: 50, addrs: ['10.0.0.200'] })]);
  notesOf(an, recs.filter((r) => r.tsSec < 2));
  an.clearHistory();
  notesOf(an, recs.filter((r) => r.tsSec >= 2));
  an.finish();
  const f = an.snapshot().findings.find((x) => x.code === 'checksum-variant')!;
  assert.equal(f.severity, 'warning');
  assert.equal(f.cause, 'checksum-variant');
});
