// ICMP errors that refuse VRRP (src/analyze/icmp-refusals.ts; docs/findings.md `vrrp-refused`): which ICMP
// types and codes are a firewall or a missing listener, their texts, the notes kept per sender and their bound
// (MAX_ICMP_NOTES), and the finding's title, so that the mutation part `admission` (stryker.config.mjs)
// notices a changed rule. Expected values follow from the rules.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Analyzer } from '../src/analyze/analyzer.js';
import { IcmpRefusals, icmpText, refusal, type IcmpNote } from '../src/analyze/icmp-refusals.js';
import { MAX_ICMP_NOTES } from '../src/analyze/limits.js';
import type { RouterState } from '../src/analyze/router-state.js';
import type { PacketRecord } from '../src/decode/packet.js';
import { build, icmpError, series } from './support/records.js';
import { A, B, C, D, byTime } from './support/admission-inputs.js';

// ------------------------------------------------------------------ ICMP refusals (icmp-refusals.ts)

function note(family: 4 | 6, type: number, code: number): IcmpNote {
  return { family, vrid: 99, tag: -1, sender: B, quotedSrc: A, quotedDst: B, type, code, count: 1, first: 0, last: 0 };
}

test('refusal(): which ICMP errors are a firewall, which say no listener, and which say nothing about the peer', () => {
  const kinds = (family: 4 | 6, type: number): string[] => Array.from({ length: 16 }, (_, code) => `${code}:${refusal(note(family, type, code))}`)
    .filter((x) => !x.endsWith(':null'));
  assert.deepEqual(kinds(4, 3), ['2:no-listener', '3:firewall', '9:firewall', '10:firewall', '13:firewall']);
  assert.deepEqual(kinds(6, 1), ['1:firewall', '4:firewall', '6:firewall']);
  for (const [family, type] of [[4, 1], [4, 11], [4, 12], [6, 3], [6, 4], [6, 2]] as const) assert.deepEqual(kinds(family, type), [], `family ${family} type ${type}`);
});

test('icmpText(): the type, the code and what it means, ICMPv6 named as such', () => {
  const text = (family: 4 | 6, type: number, code: number): string => icmpText(note(family, type, code));
  assert.equal(text(4, 3, 2), 'ICMP type 3 code 2 (protocol unreachable)');
  assert.equal(text(4, 3, 3), 'ICMP type 3 code 3 (port unreachable)');
  assert.equal(text(4, 3, 9), 'ICMP type 3 code 9 (network administratively prohibited)');
  assert.equal(text(4, 3, 10), 'ICMP type 3 code 10 (host administratively prohibited)');
  assert.equal(text(4, 3, 13), 'ICMP type 3 code 13 (communication administratively prohibited)');
  assert.equal(text(4, 3, 1), 'ICMP type 3 code 1 (unreachable)');
  assert.equal(text(6, 1, 1), 'ICMPv6 type 1 code 1 (administratively prohibited)');
  assert.equal(text(6, 1, 4), 'ICMPv6 type 1 code 4 (port unreachable)');
  assert.equal(text(6, 1, 6), 'ICMPv6 type 1 code 6 (reject route)');
  assert.equal(text(6, 1, 3), 'ICMPv6 type 1 code 3 (unreachable)');
  assert.equal(text(6, 3, 2), 'ICMPv6 type 3 code 2 (unreachable)', 'the IPv4 meaning of 3/2 is not taken for ICMPv6');
});

test('IcmpRefusals: one note per family, VRID, VLAN, type, code and sender, counted with its first and last time; at most 64 notes', () => {
  const refusals = new IcmpRefusals();
  const error = (t: number, sender: string, change: (r: PacketRecord) => void = () => {}): PacketRecord => {
    const r = icmpError(t, sender, A, B, 99, 13);
    change(r);
    return r;
  };
  assert.equal(refusals.record(error(1, B, (r) => { r.qvrid = -1; }), 1), null, 'quoting no VRRP advert');
  const first = refusals.record(error(2, B), 2);
  assert.deepEqual(first, { family: 4, vrid: 99, tag: -1, sender: B, quotedSrc: A, quotedDst: B, type: 3, code: 13, count: 1, first: 2, last: 2 });
  assert.equal(refusals.record(error(3, B), 3), null, 'the same again: counted on the first note');
  assert.equal(refusals.record(error(4.5, B), 4.5), null);
  assert.deepEqual([first!.count, first!.first, first!.last], [3, 2, 4.5]);
  const others: [string, PacketRecord][] = [
    ['another sender', error(5, C)],
    ['another code', error(5, B, (r) => { r.icmpCode = 3; })],
    ['another type', error(5, B, (r) => { r.icmpType = 11; })],
    ['another VRID', error(5, B, (r) => { r.qvrid = 98; })],
    ['another VLAN', error(5, B, (r) => { r.vlan = 10; })],
    ['another family', error(5, B, (r) => { r.family = 6; })],
  ];
  for (const [why, r] of others) assert.notEqual(refusals.record(r, 5), null, why);
  assert.equal(first!.count, 3, 'none of them counted on the first note');
  // fill up to the bound with other senders: the next new one is not kept, a known one still counts
  for (let i = 8; i <= MAX_ICMP_NOTES; i++) assert.notEqual(refusals.record(error(6, `10.0.5.${i}`), 6), null, `note ${i}`);
  assert.equal(refusals.record(error(7, '10.0.6.1'), 7), null, 'beyond the bound');
  assert.equal(refusals.record(error(8, B), 8), null);
  assert.deepEqual([first!.count, first!.last], [4, 8]);
  // this router's refusals: VRID 99, IPv4, untagged; firewall ones first, those saying nothing about the peer left out
  const own = new IcmpRefusals();
  own.record(error(1, C, (r) => { r.icmpCode = 2; }), 1);
  own.record(error(1, D, (r) => { r.icmpCode = 1; }), 1);
  own.record(error(2, B), 2);
  own.record(error(2, B, (r) => { r.vlan = 10; }), 2);
  const r99 = { family: 4, vrid: 99, vlan: -1, vlanOuter: -1 } as unknown as RouterState;
  assert.deepEqual(own.forRouter(r99).map((n) => `${n.sender} ${n.code} ${n.tag}`), [`${B} 13 -1`, `${C} 2 -1`]);
  assert.deepEqual(own.forRouter({ family: 4, vrid: 99, vlan: 10, vlanOuter: -1 } as unknown as RouterState).map((n) => n.tag), [10]);
  assert.deepEqual(own.forRouter({ family: 6, vrid: 99, vlan: -1, vlanOuter: -1 } as unknown as RouterState), []);
  assert.deepEqual(own.forRouter({ family: 4, vrid: 98, vlan: -1, vlanOuter: -1 } as unknown as RouterState), []);
});

test('vrrp-refused: a firewall refusal and a missing listener are titled differently; an error that says nothing about the peer opens none', () => {
  const titleFor = (code: number): string | undefined => {
    const an = new Analyzer();
    for (const r of byTime([...build(series(A, 0, 3, 1, { dst: B })), icmpError(1.0001, B, A, B, 99, code)])) an.packet(r);
    return an.snapshot().findings.find((f) => f.code === 'vrrp-refused')?.title;
  };
  assert.equal(titleFor(13), `${B} refuses VRRP from ${A} on VRID 99 (ICMP type 3 code 13 (communication administratively prohibited) came back)`);
  assert.equal(titleFor(2), `${B} has no VRRP listener for ${A}'s adverts on VRID 99 (ICMP type 3 code 2 (protocol unreachable))`);
  assert.equal(titleFor(1), undefined);
});

test('IcmpRefusals: an error quoting VRID 0 is kept (only -1 means no VRID was quoted)', () => {
  const refusals = new IcmpRefusals();
  const note0 = refusals.record(icmpError(1, B, A, B, 0), 1);
  assert.deepEqual(note0 && [note0.vrid, note0.sender, note0.count], [0, B, 1]);
});

test('IcmpRefusals.forRouter(): firewall refusals first, each kind in the order first seen', () => {
  const refusals = new IcmpRefusals();
  // seen in this order: C refuses (firewall), D has no listener, B refuses (firewall), 10.0.0.9 has no listener
  for (const [t, sender, code] of [[1, C, 13], [2, D, 2], [3, B, 9], [4, '10.0.0.9', 2]] as const) refusals.record(icmpError(t, sender, A, sender, 99, code), t);
  const r99 = { family: 4, vrid: 99, vlan: -1, vlanOuter: -1 } as unknown as RouterState;
  assert.deepEqual(refusals.forRouter(r99).map((n) => `${n.sender} ${refusal(n)}`), [`${C} firewall`, `${B} firewall`, `${D} no-listener`, '10.0.0.9 no-listener']);
});
