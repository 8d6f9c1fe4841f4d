// Configuration mismatches at their edges (src/analyze/config-compare.ts, config-evidence.ts): three nodes
// where only two differ (the finding names those two), nodes of both VRRP versions, checksums whose flavour
// cannot be known, passwords that differ in their first four characters only, evidence lines that list only
// the nodes concerned, and the work the comparison costs. Each advert's note says whether a peer configured
// like another node would drop it ('anomaly:CODE'). Expected values follow from the scenario and the rules
// of docs/analysis.md §4.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compareConfigurations } from '../src/analyze/config-compare.js';
import { FindingsBook } from '../src/analyze/findings-book.js';
import { WorkMeter } from '../src/analyze/limits.js';
import { RouterState } from '../src/analyze/router-state.js';
import { Checksum, type PacketRecord } from '../src/decode/packet.js';
import { analyse, type AnalysisRun } from './support/analyze-run.js';
import { build, series, type AdvertSpec } from './support/records.js';
import { A, B, C, finding } from './support/admission-inputs.js';
import { rec, source } from './support/router-sources.js';
import { fixesFor } from '../src/remedy/index.js';

/** A (100) every second from 0, B (80) from 0.5, C (50) from 0.7, all to 4 s, each with its own settings. */
function threeNodes(a: Partial<AdvertSpec>, b: Partial<AdvertSpec>, c: Partial<AdvertSpec>): { records: PacketRecord[]; run: AnalysisRun } {
  const records = build([...series(A, 0, 4, 1, a), ...series(B, 0.5, 4, 1, { prio: 80, ...b }), ...series(C, 0.7, 4, 1, { prio: 50, ...c })]);
  return { records, run: analyse(records) };
}

/** The notes of `ip`'s adverts sent at or after `from` s, each anomaly as 'anomaly:CODE', anything else as null. */
function anomaliesOf(records: PacketRecord[], run: AnalysisRun, ip: string, from = 0): (string | null)[] {
  return records.flatMap((r, i) => (r.srcText() === ip && r.tsSec + r.tsNsec / 1e9 >= from ? [run.notes[i]] : []))
    .map((n) => (n.startsWith('anomaly:') ? n : null));
}

// ------------------------------------------------------------------ which node's adverts a peer would drop

test('auth: passwords that differ only in their first four characters are a mismatch, and the adverts are noted as such', () => {
  // 'abcd1234' and 'wxyz1234': the second half of the 8-byte auth data is the same
  const records = build([...series(A, 0, 4, 1, { auth: 'abcd1234' }), ...series(B, 0.5, 4, 1, { prio: 80, auth: 'wxyz1234' })]);
  const run = analyse(records);
  assert.deepEqual(anomaliesOf(records, run, B), Array(4).fill('anomaly:auth-mismatch'));
  assert.deepEqual(anomaliesOf(records, run, A, 1), Array(3).fill('anomaly:auth-mismatch'));
  assert.equal(finding(run.snap, 'auth-mismatch').title, `${A} and ${B} use different authentication passwords`);
});

test('auth: a node that one peer would drop is noted so even when a third node shares its password', () => {
  // A and C share 'secret', B uses 'other': a peer configured like B drops A's adverts (and C's)
  const { records, run } = threeNodes({}, { auth: 'other' }, {});
  assert.deepEqual(anomaliesOf(records, run, A, 1), Array(3).fill('anomaly:auth-mismatch'), 'after C appeared at 0.7 s');
  assert.deepEqual(anomaliesOf(records, run, C), Array(4).fill('anomaly:auth-mismatch'));
});

test('checksum flavours: standard against the old keepalived unicast flavour marks the adverts of both nodes', () => {
  const records = build([...series(A, 0, 4, 1, { version: 3 }), ...series(B, 0.5, 4, 1, { version: 3, prio: 80, checksum: Checksum.OldUnicast })]);
  const run = analyse(records);
  assert.deepEqual(anomaliesOf(records, run, A, 1), Array(3).fill('anomaly:checksum-variant'));
  assert.deepEqual(anomaliesOf(records, run, B), Array(4).fill('anomaly:checksum-variant'));
});

test('checksum flavours: a node none of whose checksums could be verified (captured short) has no flavour to differ in', () => {
  // B's frames are cut by the snap length: nothing says how it computes the checksum, so neither node is
  // said to compute it differently from the other
  const records = build([...series(A, 0, 4, 1, { version: 3, checksum: Checksum.V2Style }),
    ...series(B, 0.5, 4, 1, { version: 3, prio: 80, checksum: Checksum.Unknown })]);
  const run = analyse(records);
  assert.deepEqual(anomaliesOf(records, run, A), Array(4).fill(null));
  assert.deepEqual(anomaliesOf(records, run, B), Array(4).fill(null));
});

// ------------------------------------------------------------------ the two nodes a finding names

test('version: of three nodes, the title names the VRRPv2 node and the VRRPv3 one, not two VRRPv2 nodes', () => {
  const { run } = threeNodes({}, {}, { version: 3 });
  assert.equal(finding(run.snap, 'version-mismatch').title, `VRID 99 is advertised as VRRPv2 by ${A} and VRRPv3 by ${C}`);
});

test('auth: of three nodes, the title names the two whose passwords differ', () => {
  const { run } = threeNodes({}, {}, { auth: 'other' });
  const f = finding(run.snap, 'auth-mismatch');
  assert.equal(f.title, `${A} and ${C} use different authentication passwords`);
  assert.equal(f.fixContext.configKey, 'auth_pass');
});

test('auth: a VRRPv3 node (no authentication field) is left out of the VRRPv2 nodes\' auth mismatch', () => {
  const { run } = threeNodes({ version: 3 }, {}, { auth: 'other' });
  const f = finding(run.snap, 'auth-mismatch');
  assert.equal(f.title, `${B} and ${C} use different authentication passwords`);
  assert.deepEqual(f.evidence, [`${B}: auth type 1 (simple text password)`, `${C}: auth type 1 (simple text password)`, 'the passwords differ']);
  assert.equal(f.fixContext.configKey, 'auth_pass');
  assert.deepEqual(f.fixContext.values, { [B]: 'PASS', [C]: 'PASS' });
});

test('auth: an auth type keepalived does not know is called invalid in the evidence', () => {
  const run = analyse([...series(A, 0, 4, 1), ...series(B, 0.5, 4, 1, { prio: 80, authType: 3 })]);
  const f = finding(run.snap, 'auth-mismatch');
  assert.deepEqual(f.evidence, [`${A}: auth type 1 (simple text password)`, `${B}: auth type 3 (invalid)`]);
  assert.equal(f.fixContext.configKey, 'auth_type');
});

for (const [order, first, second] of [['VRRPv2 node first', 2, 3], ['VRRPv3 node first', 3, 2]] as const) {
  test(`interval: a VRRPv2 and a VRRPv3 node with different intervals are a warning (the VRRPv2 one adopts nothing), ${order}`, () => {
    const run = analyse([...series(A, 0, 4, 1, { version: first }), ...series(B, 0.5, 4, 2, { prio: 80, version: second, interval: 2 })]);
    const f = finding(run.snap, 'interval-mismatch');
    assert.equal(f.severity, 'warning');
    assert.equal(f.title, `${A} advertises every 1 s, ${B} every 2 s`);
  });
}

test('VRID collision: three nodes with the same addresses, one of them VRRPv3, are a warning, not a cluster of three', () => {
  const { run } = threeNodes({}, {}, { version: 3 });
  const f = finding(run.snap, 'vrid-collision');
  assert.equal(f.severity, 'warning');
  assert.equal(f.title, '3 sources advertise VRID 99 with the same addresses (a cluster of 3, or a collision)');
});

test('priority 255: of three nodes, the title and the evidence name the two that claimed it', () => {
  const { run } = threeNodes({ prio: 255 }, { prio: 100 }, { prio: 255 });
  const f = finding(run.snap, 'priority-255-conflict');
  assert.equal(f.title, `${A} and ${C} both claim priority 255 (address owner)`);
  assert.deepEqual(f.evidence, [`${A} advertised priority 255`, `${C} advertised priority 255`]);
});

// ------------------------------------------------------------------ evidence lines: only the nodes concerned, in the right words

test('TTL evidence: IPv6 adverts are counted by their hop limit', () => {
  const run = analyse(series('fd00::1', 0, 4, 1, { ttl: 254 }));
  assert.deepEqual(finding(run.snap, 'ttl-not-255').evidence, ['fd00::1: 4 of 4 multicast adverts with hop limit 254 (must be 255)']);
});

test('bad-checksum evidence: only the node whose adverts carry bad checksums, with how many of its adverts', () => {
  const records = build([...series(A, 0, 4, 1), ...series(B, 0.5, 4, 1, { prio: 80 })]);
  // B's first two adverts are corrupted on the way
  records.filter((r) => r.srcText() === B).slice(0, 2).forEach((r) => { r.checksumStatus = Checksum.Bad; });
  const run = analyse(records);
  assert.deepEqual(finding(run.snap, 'bad-checksum').evidence, [`${B}: 2 of 4 adverts with a bad checksum`]);
});

test('checksum-variant evidence: the nodes whose flavour is known, the old-unicast one included, not one captured short', () => {
  const { run } = threeNodes({ version: 3 }, { version: 3, checksum: Checksum.OldUnicast }, { version: 3, checksum: Checksum.Unknown });
  const f = finding(run.snap, 'checksum-variant');
  assert.equal(f.severity, 'warning');
  assert.deepEqual(f.evidence, [`${A}: 4 standard, 0 v2-style (no pseudo-header), 0 old-unicast checksums`,
    `${B}: 0 standard, 0 v2-style (no pseudo-header), 4 old-unicast checksums`]);
});

test('checksum-variant fix: only the nodes whose flavour is known are named, so the one standard node is the fix\'s host', () => {
  // A standard, B v2-style, C's frames all captured short: C's flavour is unknown, not "standard"
  const { run } = threeNodes({ version: 3 }, { version: 3, checksum: Checksum.V2Style }, { version: 3, checksum: Checksum.Unknown });
  const f = finding(run.snap, 'checksum-variant');
  assert.deepEqual(f.fixContext.values, { [A]: 'standard', [B]: 'v2-style' });
  // with C counted as standard the remedy could not tell which node to change, and would name none
  assert.deepEqual(fixesFor(f).map((x) => x.host), [A]);
});

test('VRID collision evidence on a link without MAC addresses: no MAC is printed, not "(null)"', () => {
  const noMac: [number, number] = [-1, 0];
  const run = analyse([...series(A, 0, 4, 1, { mac: noMac }), ...series(B, 0.5, 4, 1, { prio: 80, mac: noMac, addrs: ['10.0.0.101'] })]);
  assert.deepEqual(finding(run.snap, 'vrid-collision').evidence, [`${A}: prio 100, addresses 10.0.0.100`, `${B}: prio 80, addresses 10.0.0.101`]);
});

test('unicast/multicast evidence: a node with two unicast peers lists both, separated', () => {
  // B alternates between its two unicast peers, A and 10.0.0.9
  const run = analyse([...series(A, 0, 4, 1), ...series(B, 0.5, 4, 1, { prio: 80 }).map((s, i) => ({ ...s, dst: i % 2 === 0 ? A : '10.0.0.9' }))]);
  const f = finding(run.snap, 'unicast-multicast-mix');
  assert.deepEqual(f.evidence, [`${A}: 4 adverts to multicast, 0 to unicast`, `${B}: 0 adverts to multicast, 4 to unicast (${A}, 10.0.0.9)`]);
  assert.deepEqual(f.fixContext.values, { [A]: 'multicast', [B]: `unicast_peer ${A} 10.0.0.9` });
});

// ------------------------------------------------------------------ the work it costs

test('compareConfigurations(): comparing three advertisers counts every ordered pair, 9 steps, on the work meter', () => {
  // the meter bounds the analyzer's work per input: a comparison must add to it, never take from it
  const r = new RouterState(99, 'v4/99', 4, 99, -1, 0);
  for (const [i, ip] of [A, B, C].entries()) {
    const s = source(ip, i);
    s.observe(rec({ src: ip, t: i }), i, true);
    r.sources.push(s);
  }
  const meter = new WorkMeter();
  meter.steps = 5;
  compareConfigurations(new FindingsBook(10, { refresh() {} }), r, 3, meter);
  assert.equal(meter.steps, 5 + 3 * 3);
});
