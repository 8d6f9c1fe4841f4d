// Configuration mismatches between the nodes of one virtual router (src/analyze/config-compare.ts,
// config-evidence.ts; docs/analysis.md §4, docs/findings.md), driven with two or three small hand-made nodes:
// each mismatch's finding, its severity, title, evidence and cause, the keepalived.conf keyword with each
// node's value, and the anomaly the other node's adverts are noted with, so that the mutation part
// `admission` (stryker.config.mjs) notices a changed rule. Expected values follow from the rules.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Analyzer } from '../src/analyze/analyzer.js';
import type { Finding } from '../src/analyze/model.js';
import { Checksum, type PacketRecord } from '../src/decode/packet.js';
import { build, series, type AdvertSpec } from './support/records.js';
import { A, B, C, finding } from './support/admission-inputs.js';

// ------------------------------------------------------------------ configuration mismatches (config-compare.ts, config-evidence.ts)

interface ConfigCase {
  name: string;
  /** A (100) every second from 0, B (80) every `bEvery` s from 0.5, both to 4 s; C as given. */
  a?: Partial<AdvertSpec>; b?: Partial<AdvertSpec>; bEvery?: number; c?: AdvertSpec[];
  tweak?: (r: PacketRecord) => void;
  code: string;
  /** The finding as reported (title null: opened elsewhere first). */
  severity: string; title: string | null; evidence: string[]; cause: string | null; fixContext: Finding['fixContext'];
  /** The anomaly each of B's adverts after its first is noted with (a peer configured like A drops them: their
   *  configMismatch), null for none. */
  bNote: string | null;
}

const fix = (extra: Partial<Finding['fixContext']>): Finding['fixContext'] => ({ deafHost: null, peers: [], multicast: null, family: 4, ...extra });
const HMAC = '28 bytes after the VRRP message (the keepalived >= 2.4 auth_hmac trailer)';

const CONFIG_CASES: ConfigCase[] = [
  {
    name: 'VRRPv2 and VRRPv3', b: { version: 3 }, code: 'version-mismatch', severity: 'warning',
    title: `VRID 99 is advertised as VRRPv2 by ${A} and VRRPv3 by ${B}`,
    evidence: [`${A} sends VRRPv2 (4 adverts)`, `${B} sends VRRPv3 (4 adverts)`], cause: 'version-mismatch',
    fixContext: fix({ configKey: 'vrrp_version', values: { [A]: '2', [B]: '3' } }), bNote: 'anomaly:version-mismatch',
  },
  {
    name: 'PASS and AH', b: { authType: 2 }, code: 'auth-mismatch', severity: 'warning',
    title: `${A} and ${B} use different authentication types`,
    evidence: [`${A}: auth type 1 (simple text password)`, `${B}: auth type 2 (IP AH)`], cause: 'auth-mismatch',
    fixContext: fix({ configKey: 'auth_type', values: { [A]: 'PASS', [B]: 'AH' } }), bNote: 'anomaly:auth-mismatch',
  },
  {
    name: 'no authentication and PASS', a: { auth: null }, code: 'auth-mismatch', severity: 'warning',
    title: `${A} and ${B} use different authentication types`,
    evidence: [`${A}: auth type 0 (none)`, `${B}: auth type 1 (simple text password)`], cause: 'auth-mismatch',
    fixContext: fix({ configKey: 'auth_type', values: { [A]: 'none', [B]: 'PASS' } }), bNote: 'anomaly:auth-mismatch',
  },
  {
    name: 'two PASS passwords', b: { auth: 'other' }, code: 'auth-mismatch', severity: 'warning',
    title: `${A} and ${B} use different authentication passwords`,
    evidence: [`${A}: auth type 1 (simple text password)`, `${B}: auth type 1 (simple text password)`, 'the passwords differ'], cause: 'auth-mismatch',
    fixContext: fix({ configKey: 'auth_pass', values: { [A]: 'PASS', [B]: 'PASS' } }), bNote: 'anomaly:auth-mismatch',
  },
  {
    name: 'VRRPv2 intervals of 1 s and 2 s', b: { interval: 2 }, bEvery: 2, code: 'interval-mismatch', severity: 'warning',
    title: `${A} advertises every 1 s, ${B} every 2 s`,
    evidence: [`${A} advertises interval 1 s (1 s), measured 1 s`, `${B} advertises interval 2 s (2 s), measured 2 s`], cause: 'interval-mismatch',
    fixContext: fix({ configKey: 'advert_int', values: { [A]: '1', [B]: '2' } }), bNote: 'anomaly:interval-mismatch',
  },
  {
    name: 'VRRPv3 intervals of 1 s and 2 s (information: a backup adopts the master\'s)', a: { version: 3 }, b: { version: 3, interval: 2 }, bEvery: 2,
    code: 'interval-mismatch', severity: 'ok',
    title: `${A} advertises every 1 s, ${B} every 2 s (VRRPv3: a backup adopts the master's interval)`,
    evidence: [`${A} advertises interval 100 cs (1 s), measured 1 s`, `${B} advertises interval 200 cs (2 s), measured 2 s`], cause: 'interval-mismatch',
    fixContext: fix({ configKey: 'advert_int', values: { [A]: '1', [B]: '2' } }), bNote: null,
  },
  {
    name: 'an auth_hmac trailer on one node', tweak: (r) => { if (r.src0 === 0x0a000002) r.trailingBytes = 28; }, code: 'length-mismatch', severity: 'warning',
    title: `${A} and ${B} send adverts of different lengths for the same contents: keepalived drops the ones it does not expect`,
    evidence: [`${A}: the exact VRRP length`, `${B}: ${HMAC}`], cause: 'length-mismatch',
    fixContext: fix({ configKey: 'auth_hmac', values: { [A]: 'the exact VRRP length', [B]: HMAC } }), bNote: 'anomaly:length-mismatch',
  },
  {
    name: 'VRRPv3 checksums with and without the pseudo-header', a: { version: 3 }, b: { version: 3, checksum: Checksum.V2Style },
    code: 'checksum-variant', severity: 'warning', title: null,
    evidence: [`${A}: 4 standard, 0 v2-style (no pseudo-header), 0 old-unicast checksums`, `${B}: 0 standard, 4 v2-style (no pseudo-header), 0 old-unicast checksums`],
    cause: 'checksum-variant', fixContext: fix({ configKey: 'v3_checksum_as_v2', values: { [A]: 'standard', [B]: 'v2-style' } }), bNote: 'anomaly:checksum-variant',
  },
  {
    name: 'one more virtual address', b: { addrs: ['10.0.0.100', '10.0.0.101'] }, code: 'vrid-collision', severity: 'warning',
    title: `${A} and ${B} advertise VRID 99 with different virtual addresses`,
    evidence: [`${A} (52:54:00:aa:00:01): prio 100, addresses 10.0.0.100`, `${B} (52:54:00:aa:00:02): prio 80, addresses 10.0.0.100 10.0.0.101`],
    cause: 'vip-mismatch', fixContext: fix({ configKey: 'virtual_router_id', values: { [A]: '10.0.0.100', [B]: '10.0.0.100 10.0.0.101' } }),
    bNote: 'anomaly:address-count-mismatch',
  },
  {
    name: 'another virtual address, and none', b: { addrs: ['10.0.0.101'] }, c: [{ t: 3.7, src: C, prio: 50, addrs: [] }], code: 'vrid-collision', severity: 'warning',
    title: `${A} and ${B} advertise VRID 99 with different virtual addresses`,
    evidence: [`${A} (52:54:00:aa:00:01): prio 100, addresses 10.0.0.100`, `${B} (52:54:00:aa:00:02): prio 80, addresses 10.0.0.101`,
      `${C} (52:54:00:aa:00:03): prio 50, addresses (none)`],
    cause: 'vip-mismatch', fixContext: fix({ configKey: 'virtual_router_id', values: { [A]: '10.0.0.100', [B]: '10.0.0.101', [C]: '' } }),
    bNote: 'anomaly:vip-mismatch',
  },
  {
    // the lists agree: no cause is proven (nor a fix to align them)
    name: 'three sources with the same addresses (information: a cluster of three, or a collision)', c: series(C, 0.7, 4, 1, { prio: 50 }),
    code: 'vrid-collision', severity: 'ok', title: '3 sources advertise VRID 99 with the same addresses (a cluster of 3, or a collision)',
    evidence: [`${A} (52:54:00:aa:00:01): prio 100, addresses 10.0.0.100`, `${B} (52:54:00:aa:00:02): prio 80, addresses 10.0.0.100`,
      `${C} (52:54:00:aa:00:03): prio 50, addresses 10.0.0.100`],
    cause: null, fixContext: fix({}),
    bNote: null,
  },
  {
    name: 'one node to multicast, the other to unicast', b: { dst: A }, code: 'unicast-multicast-mix', severity: 'warning',
    title: 'VRID 99 is advertised both to multicast and to unicast peers',
    evidence: [`${A}: 4 adverts to multicast, 0 to unicast`, `${B}: 0 adverts to multicast, 4 to unicast (${A})`], cause: 'unicast-multicast-mix',
    fixContext: fix({ configKey: 'unicast_peer', multicast: '224.0.0.18', values: { [A]: 'multicast', [B]: `unicast_peer ${A}` } }), bNote: null,
  },
  {
    name: 'priority 255 twice', a: { prio: 255 }, b: { prio: 255 }, code: 'priority-255-conflict', severity: 'warning',
    title: `${A} and ${B} both claim priority 255 (address owner)`,
    evidence: [`${A} advertised priority 255`, `${B} advertised priority 255`], cause: null, fixContext: fix({ configKey: 'priority' }), bNote: null,
  },
];

for (const c of CONFIG_CASES) {
  test(`configuration mismatch, ${c.name}: ${c.code}, its evidence, cause and the keepalived.conf keyword with each node's value`, () => {
    const records = build([...series(A, 0, 4, 1, c.a), ...series(B, 0.5, 4, c.bEvery ?? 1, { prio: 80, ...c.b }), ...(c.c ?? [])]);
    if (c.tweak) records.forEach(c.tweak);
    const an = new Analyzer();
    const notes = records.map((r) => {
      const n = an.packet(r);
      return n === 'anomaly' ? `anomaly:${an.lastAnomaly}` : n;
    });
    const f = finding(an.snapshot(), c.code);
    assert.equal(f.severity, c.severity);
    if (c.title !== null) assert.equal(f.title, c.title);
    assert.deepEqual(f.evidence, c.evidence);
    assert.equal(f.cause, c.cause);
    assert.deepEqual(f.fixContext, c.fixContext);
    const bNotes = records.map((r, i) => [r.srcText(), notes[i]] as const).filter(([ip]) => ip === B).map(([, n]) => n);
    const anomalies = bNotes.slice(1).map((n) => (n.startsWith('anomaly:') ? n : null));
    assert.deepEqual([...new Set(anomalies)], [c.bNote], bNotes.join(' '));
  });
}

test('configuration: a third source that only ever sent priority 0 is no VRID collision', () => {
  const an = new Analyzer();
  for (const r of build([...series(A, 0, 4, 1), ...series(B, 0.5, 4, 1, { prio: 80 }), ...series(C, 0.7, 4, 1, { prio: 0 })])) an.packet(r);
  assert.deepEqual(an.snapshot().findings.filter((f) => f.code === 'vrid-collision'), []);
});

test('configuration: a third source first seen resigning (priority 0), then advertising, makes three advertisers of the VRID', () => {
  // the capture starts as C shuts down; C comes back and advertises while A and B still do: the same three
  // sources as when C is first seen advertising, so the same finding
  const an = new Analyzer();
  for (const r of build([...series(A, 0, 4, 1), ...series(B, 0.5, 4, 1, { prio: 80 }), { t: 0.7, src: C, prio: 0 }, ...series(C, 1.7, 4, 1, { prio: 50 })])) an.packet(r);
  const f = finding(an.snapshot(), 'vrid-collision');
  assert.equal(f.title, '3 sources advertise VRID 99 with the same addresses (a cluster of 3, or a collision)');
  assert.equal(f.firstSeen, 1.7, 'from its first advert with a priority');
});

test('configuration: three sources with the same addresses but another password are a VRID collision worth a warning, not a cluster', () => {
  const an = new Analyzer();
  for (const r of build([...series(A, 0, 4, 1), ...series(B, 0.5, 4, 1, { prio: 80 }), ...series(C, 0.7, 4, 1, { prio: 50, auth: 'other' })])) an.packet(r);
  const f = finding(an.snapshot(), 'vrid-collision');
  assert.equal(f.severity, 'warning');
  assert.equal(f.title, '3 sources advertise VRID 99 with the same addresses (a cluster of 3, or a collision)');
});
