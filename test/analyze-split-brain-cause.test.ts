// Why a split brain happened (src/analyze/split-brain-cause.ts): for each configuration difference that
// makes two nodes drop each other's adverts, the cause, its evidence line and the fix's inputs (the
// keepalived key and each node's value); the ICMP "protocol unreachable" of a unicast peer where no
// keepalived listens; where each advertiser sends. The shipped captures show some of these; the mutation
// run of src/analyze showed which lines no test read: these pin them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { build, icmpError, series, type AdvertSpec } from './support/records.js';
import { analyse } from './support/analyze-run.js';
import { Checksum } from '../src/decode/packet.js';
import type { PacketRecord } from '../src/decode/packet.js';

const A = '10.0.0.1';
const B = '10.0.0.2';
const C = '10.0.0.3';
const D = '10.0.0.4';

/** A (100) from 0 s and B (80) from 0.5 s both advertise to 12 s, with `a` and `b` on top of the defaults. */
function pair(a: Partial<AdvertSpec>, b: Partial<AdvertSpec>, [x, y] = [A, B]): AdvertSpec[] {
  return [...series(x, 0, 12, 1, a), ...series(y, 0.5, 12, 1, { prio: 80, ...b })];
}

/** Records in capture order. */
function inOrder(recs: PacketRecord[]): PacketRecord[] {
  return recs.sort((x, y) => x.tsSec - y.tsSec || x.tsNsec - y.tsNsec);
}

/** The split brain's cause, fix inputs, and its evidence after the story lines (periods, advertisers). */
function explained(input: AdvertSpec[] | PacketRecord[]) {
  const f = analyse(input).snap.findings.find((x) => x.code === 'split-brain')!;
  return { cause: f.cause, key: f.fixContext.configKey ?? null, values: f.fixContext.values ?? null, peers: f.fixContext.peers,
    deaf: f.fixContext.deafHost, multicast: f.fixContext.multicast, advertisers: f.evidence.slice(1, 3), why: f.evidence[3], evidence: f.evidence };
}

test('checksum flavours: the names of the three, and v3_checksum_as_v2 per node', () => {
  const v2style = explained(pair({ version: 3 }, { version: 3, checksum: Checksum.V2Style }));
  assert.equal(v2style.cause, 'checksum-variant');
  assert.equal(v2style.why, `${A} computes standard (with IPv4 pseudo-header) checksums, ${B} v2-style (no pseudo-header): each sees the other's checksum as invalid`);
  assert.equal(v2style.key, 'v3_checksum_as_v2');
  assert.deepEqual(v2style.values, { [A]: 'standard', [B]: 'v2-style' });
  const old = explained(pair({ version: 3, dst: B }, { version: 3, dst: A, checksum: Checksum.OldUnicast }));
  assert.equal(old.why, `${A} computes standard (with IPv4 pseudo-header) checksums, ${B} old unicast: each sees the other's checksum as invalid`);
  assert.deepEqual(old.values, { [A]: 'standard', [B]: 'old-unicast' });
});

test('one node to unicast peers, the other to multicast: neither socket receives the other\'s', () => {
  const x = explained(pair({ dst: B }, {}));
  assert.equal(x.cause, 'unicast-multicast-mix');
  assert.deepEqual(x.advertisers, [`${A}: prio 100, VRRPv2, interval 1 s, 12 adverts to ${B}`, `${B}: prio 80, VRRPv2, interval 1 s, 12 adverts to multicast`]);
  assert.equal(x.why, `${A} sends to unicast peers (${B}), ${B} to 224.0.0.18: neither socket receives the other's adverts`);
  assert.equal(x.key, 'unicast_peer');
  assert.deepEqual(x.values, { [A]: `unicast_peer ${B}`, [B]: 'multicast' });
});

test('different address lists: both lists whole, and virtual_ipaddress per node', () => {
  const x = explained(pair({ addrs: ['10.0.0.100', '10.0.0.101'] }, { addrs: ['10.0.0.100', '10.0.0.102'] }));
  assert.equal(x.cause, 'vip-mismatch');
  assert.equal(x.why, `${A} advertises 10.0.0.100 10.0.0.101, ${B} advertises 10.0.0.100 10.0.0.102: keepalived up to 2.3.2 drops adverts with another address list`);
  assert.equal(x.key, 'virtual_ipaddress');
  assert.deepEqual(x.values, { [A]: '10.0.0.100 10.0.0.101', [B]: '10.0.0.100 10.0.0.102' });
});

test('unicast adverts addressed to another host: the one left out is the deaf host', () => {
  const x = explained(pair({ dst: '10.0.0.3' }, { dst: A }));
  assert.equal(x.cause, 'unicast-peer');
  assert.equal(x.why, `${A} sends its adverts to 10.0.0.3, not to ${B}`);
  assert.equal(x.deaf, B);
  assert.deepEqual(x.peers, [A]);
  assert.deepEqual(x.values, { [A]: 'unicast_peer 10.0.0.3' });
});

test('passwords that differ in their first or their last four characters; auth types that differ', () => {
  for (const [a, b] of [['abcd1234', 'abcd5678'], ['wxyz1234', 'abcd1234']]) {
    const x = explained(pair({ auth: a }, { auth: b }));
    assert.equal(x.cause, 'auth-mismatch', `${a} / ${b}`);
    assert.equal(x.why, `${A} and ${B} send different auth_pass passwords: each drops the other's adverts ("invalid passwd")`);
    assert.equal(x.key, 'auth_pass');
  }
  const t = explained(pair({ auth: 'secret' }, { auth: null }));
  assert.equal(t.why, `${A} uses auth type 1, ${B} auth type 0: each drops the other's adverts`);
  assert.equal(t.key, 'auth_type');
  assert.deepEqual(t.values, { [A]: 'PASS', [B]: 'none' });
});

test('VRRPv2 intervals that differ: advert_int per node; IPv6 adverts with hop limit 64 are named by it', () => {
  const iv = explained(pair({}, { interval: 2 }));
  assert.equal(iv.cause, 'interval-mismatch');
  assert.equal(iv.why, `${A} advertises every 1 s, ${B} every 2 s: VRRPv2 drops adverts with another interval`);
  assert.deepEqual(iv.values, { [A]: '1', [B]: '2' });
  const hop = explained(pair({}, { ttl: 64 }, ['fe80::1', 'fe80::2']));
  assert.equal(hop.cause, 'ttl');
  assert.equal(hop.why, 'fe80::2\'s multicast adverts arrive with hop limit 64: keepalived drops anything but 255');
});

test('ICMP protocol unreachable from a unicast peer: nothing there takes VRRP; check the unicast_peer list', () => {
  const recs = build(pair({ dst: B }, { dst: A }));
  for (let t = 0; t < 12; t++) recs.push(icmpError(t + 0.001, B, A, B, 99, 2));
  recs.sort((x, y) => x.tsSec - y.tsSec || x.tsNsec - y.tsNsec);
  const x = explained(recs);
  assert.equal(x.cause, 'unicast-peer');
  assert.equal(x.why, `${B} sent 12 ICMP type 3 code 2 (protocol unreachable) quoting VRRP from ${A}: nothing there takes VRRP ` +
    `(keepalived not running on ${B}, or ${B} is not a node of VRID 99: check ${A}'s unicast_peer list)`);
  assert.equal(x.deaf, B);
  assert.deepEqual(x.peers, [A]);
  assert.equal(x.key, 'unicast_peer');
  assert.deepEqual(x.values, { [A]: `unicast_peer ${B}` });
});

test('a node that sent both to multicast and to a unicast peer is told so', () => {
  const x = explained([...series(A, 0, 6, 1), ...series(A, 6, 12, 1, { dst: B }, 7), ...series(B, 0.5, 12, 1, { prio: 80 })]);
  assert.deepEqual(x.advertisers, [`${A}: prio 100, VRRPv2, interval 1 s, 12 adverts to multicast and unicast`, `${B}: prio 80, VRRPv2, interval 1 s, 12 adverts to multicast`]);
});

test('a third host\'s refusal of adverts that also reach the other master is no cause of the split brain', () => {
  // A sends to B and to C (a stale unicast_peer entry); C has no keepalived and answers protocol unreachable;
  // B has another password: the auth mismatch is the cause, C is no deaf host of this split brain
  const C = '10.0.0.3';
  const recs = build([...series(A, 0, 12, 1, { dst: B }), ...series(A, 0.0005, 12, 1, { dst: C }, 100),
    ...series(B, 0.5, 12, 1, { prio: 80, dst: A, auth: 'other' })]);
  for (let t = 0; t < 12; t++) recs.push(icmpError(t + 0.001, C, A, C, 99, 2));
  recs.sort((x, y) => x.tsSec - y.tsSec || x.tsNsec - y.tsNsec);
  const x = explained(recs);
  assert.equal(x.cause, 'auth-mismatch');
  assert.equal(x.deaf, null);
  // the refusal is still told, as its own finding
  assert.ok(analyse(recs).snap.findings.some((f) => f.code === 'vrrp-refused'));
  // A's adverts reach only C: C's refusal explains why B never hears A
  const only = build([...series(A, 0, 12, 1, { dst: C }), ...series(B, 0.5, 12, 1, { prio: 80, dst: A })]);
  for (let t = 0; t < 12; t++) only.push(icmpError(t + 0.001, C, A, C, 99, 2));
  only.sort((x, y) => x.tsSec - y.tsSec || x.tsNsec - y.tsNsec);
  assert.equal(explained(only).cause, 'unicast-peer');
});

test('a unicast sender with two peers, neither the other master: both named, comma-separated in the figures, space-separated in unicast_peer', () => {
  // keepalived sends each advert once to every unicast_peer: A's list holds C and D, not B
  const x = explained([...series(A, 0, 12, 1, { dst: C }), ...series(A, 0.0005, 12, 1, { dst: D }, 100), ...series(B, 0.5, 12, 1, { prio: 80, dst: A })]);
  assert.equal(x.cause, 'unicast-peer');
  assert.equal(x.advertisers[0], `${A}: prio 100, VRRPv2, interval 1 s, 24 adverts to ${C}, ${D}`);
  assert.equal(x.why, `${A} sends its adverts to ${C}, ${D}, not to ${B}`);
  assert.equal(x.deaf, B);
  assert.equal(x.key, 'unicast_peer');
  assert.deepEqual(x.values, { [A]: `unicast_peer ${C} ${D}` });
});

test('unicast to two peers against multicast: both peers named in the mix', () => {
  const x = explained([...series(A, 0, 12, 1, { dst: B }), ...series(A, 0.0005, 12, 1, { dst: C }, 100), ...series(B, 0.5, 12, 1, { prio: 80 })]);
  assert.equal(x.cause, 'unicast-multicast-mix');
  assert.equal(x.why, `${A} sends to unicast peers (${B}, ${C}), ${B} to 224.0.0.18: neither socket receives the other's adverts`);
  assert.deepEqual(x.values, { [A]: `unicast_peer ${B} ${C}`, [B]: 'multicast' });
});

test('protocol unreachable from a stale peer of the beaten master: its whole unicast_peer list is the value to fix', () => {
  // B (80) sends to C and D, not to A; C runs no keepalived and refuses B's adverts: A never hears B
  const recs = build([...series(A, 0, 12, 1, { dst: B }), ...series(B, 0.5, 12, 1, { prio: 80, dst: C }), ...series(B, 0.5005, 12, 1, { prio: 80, dst: D }, 100)]);
  for (let t = 0; t < 12; t++) recs.push(icmpError(t + 0.501, C, B, C, 99, 2));
  const x = explained(inOrder(recs));
  assert.equal(x.cause, 'unicast-peer');
  assert.equal(x.why, `${C} sent 12 ICMP type 3 code 2 (protocol unreachable) quoting VRRP from ${B}: nothing there takes VRRP ` +
    `(keepalived not running on ${C}, or ${C} is not a node of VRID 99: check ${B}'s unicast_peer list)`);
  assert.equal(x.deaf, C);
  assert.deepEqual(x.peers, [B]);
  assert.deepEqual(x.values, { [B]: `unicast_peer ${C} ${D}` });
});

test('a node that also sent to multicast during the split brain is no unicast-only sender: neither the mix nor its peer list is the cause', () => {
  // A sent to multicast for the first half of the split brain, which B did not heed either: then to C only
  const a = explained([...series(A, 0, 6, 1), ...series(A, 6, 12, 1, { dst: C }, 7), ...series(B, 0.5, 12, 1, { prio: 80 })]);
  assert.equal(a.cause, 'unknown');
  assert.equal(a.deaf, null);
  // B sent to multicast and to A, A only to B: both reach the other's socket, no mix
  const b = explained([...series(A, 0, 12, 1, { dst: B }), ...series(B, 0.5, 6, 1, { prio: 80 }), ...series(B, 6.5, 12, 1, { prio: 80, dst: A }, 7)]);
  assert.deepEqual(b.advertisers, [`${A}: prio 100, VRRPv2, interval 1 s, 12 adverts to ${B}`, `${B}: prio 80, VRRPv2, interval 1 s, 12 adverts to multicast and unicast`]);
  assert.equal(b.cause, 'unknown');
  assert.equal(b.key, null);
});

test('unicast peers that list each other, the better one answering each advert: a firewall drop with no multicast group in the fix', () => {
  const specs: AdvertSpec[] = [...series(A, 0, 12, 1, { dst: B })];
  for (const b of series(B, 0.5, 12, 1, { prio: 80, dst: A })) specs.push(b, { t: b.t + 0.0003, src: A, dst: B });
  const x = explained(specs);
  assert.equal(x.cause, 'firewall-drop');
  assert.equal(x.deaf, B);
  assert.deepEqual(x.peers, [A]);
  assert.equal(x.multicast, null, 'the adverts go to the peers\' addresses: a rule for 224.0.0.18 would not let them in');
});

test('PASS and AH with the same eight auth bytes: the auth type alone differs, and it is the cause', () => {
  const x = explained(pair({}, { authType: 2 }));
  assert.equal(x.cause, 'auth-mismatch');
  assert.equal(x.why, `${A} uses auth type 1, ${B} auth type 2: each drops the other's adverts`);
  assert.equal(x.key, 'auth_type');
  assert.deepEqual(x.values, { [A]: 'PASS', [B]: 'AH' });
});

test('VRRPv3 intervals that differ are no cause: a VRRPv3 backup takes the master\'s interval (RFC 5798; VRRP-NOTES)', () => {
  const x = explained(pair({ version: 3 }, { version: 3, interval: 2 }));
  assert.equal(x.cause, 'unknown');
  assert.equal(x.key, null);
});

test('adverts of different lengths (a 28-byte auth_hmac trailer on one node): length-mismatch, auth_hmac per node', () => {
  const recs = build(pair({}, {}));
  for (const r of recs) if (r.srcText() === B) { r.trailingBytes = 28; r.vrrpLength += 28; }
  const x = explained(recs);
  assert.equal(x.cause, 'length-mismatch');
  assert.equal(x.why, `${A}: the exact VRRP length; ${B}: 28 bytes after the VRRP message (the keepalived >= 2.4 auth_hmac trailer): ` +
    'keepalived drops adverts longer or shorter than it expects ("vrrp packet too long/short")');
  assert.equal(x.key, 'auth_hmac');
  assert.deepEqual(x.values, { [A]: 'the exact VRRP length', [B]: '28 bytes after the VRRP message (the keepalived >= 2.4 auth_hmac trailer)' });
});

test('the echo needs two answers at least: one answer of two adverts is no proof, two of two are', () => {
  // B (80) master alone from 0.5; A (100) comes up at 5.9 and B never hears it: B sends 6.5 and 7.5 under A, then stops
  const run = (answered: number[]) => {
    const specs: AdvertSpec[] = [...series(A, 5.9, 12, 1)];
    for (const b of series(B, 0.5, 8, 1, { prio: 80 })) specs.push(b, ...(answered.includes(b.t) ? [{ t: b.t + 0.0003, src: A }] : []));
    return explained(specs);
  };
  const one = run([7.5]);
  assert.equal(one.cause, 'unknown');
  assert.equal(one.deaf, null);
  const two = run([6.5, 7.5]);
  assert.equal(two.cause, 'firewall-drop');
  assert.equal(two.deaf, B);
  assert.ok(two.evidence.includes(`${A} answered 2 of 2 adverts from ${B} within 0.3 ms: ${A} hears ${B}, ${B} does not hear ${A}`), two.evidence.join('\n'));
});

test('three masters, two of them answered by the best: the deaf host is the one answered most, whichever order they rank in', () => {
  // A (100) hears B (80) and C (60) and answers them; neither hears A
  const run = (nb: number, nc: number) => {
    const specs: AdvertSpec[] = [...series(A, 0, 14, 1)];
    series(B, 2.3, 12.3, 1, { prio: 80 }).forEach((b, i) => specs.push(b, ...(i < nb ? [{ t: b.t + 0.0003, src: A }] : [])));
    series(C, 2.6, 12.6, 1, { prio: 60 }).forEach((c, i) => specs.push(c, ...(i < nc ? [{ t: c.t + 0.0003, src: A }] : [])));
    return explained(specs);
  };
  const c = run(5, 10);
  assert.deepEqual([c.cause, c.deaf, c.peers], ['firewall-drop', C, [A]]);
  assert.ok(c.evidence.includes(`${A} answered 10 of 10 adverts from ${C} within 0.3 ms: ${A} hears ${C}, ${C} does not hear ${A}`), c.evidence.join('\n'));
  const b = run(10, 5);
  assert.deepEqual([b.cause, b.deaf, b.peers], ['firewall-drop', B, [A]]);
});

test('a source that was master long before the split brain, and resigned, is none of its masters: not in the figures, not in the cause', () => {
  const x = explained([...series(C, 0, 3, 1, { prio: 50 }), { t: 3, src: C, prio: 0, ipId: 9 }, ...series(A, 10, 22, 1), ...series(B, 10.5, 22, 1, { prio: 80 })]);
  assert.deepEqual(x.advertisers, [`${A}: prio 100, VRRPv2, interval 1 s, 12 adverts to multicast`, `${B}: prio 80, VRRPv2, interval 1 s, 12 adverts to multicast`]);
  assert.ok(!x.evidence.some((e) => e.includes(C)), x.evidence.join('\n'));
  assert.deepEqual(x.peers, [A, B]);
});

test('a master tracked only from its second advert, during a flood: the split brain may have begun one interval earlier, and the evidence says so', () => {
  // room for two sources: B (50) was master until A (100) preempted it; D (30) at 20 s finds the table full (the
  // flood begins: counted, not tracked) and is tracked from its repeat at 21 s, in B's place
  const specs = [...series(B, 0, 3, 1, { prio: 50 }), ...series(A, 1.5, 30, 1), ...series(D, 20, 30, 1, { prio: 30 })];
  const f = analyse(specs, { maxRouters: 1, maxSources: 2 }).snap.findings.find((y) => y.code === 'split-brain')!;
  assert.ok(f.evidence.includes(`${D} was tracked from 00:00:21.000 UTC on, during a flood: it had advertised before (seen, not tracked), ` +
    'so the split brain may have begun up to one advert interval (1 s) earlier than shown'), f.evidence.join('\n'));
});
