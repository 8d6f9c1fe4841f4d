// The nodes and look-ups shared by the tests of the mutation part `admission` (test/analyze-admission.test.ts,
// test/analyze-config-compare.test.ts, test/analyze-icmp-refusals.test.ts): the addresses A to D and X,
// records put in time order, and a finding that must be there.
import assert from 'node:assert/strict';
import type { Finding, Snapshot } from '../../src/analyze/model.js';
import type { PacketRecord } from '../../src/decode/packet.js';

export const A = '10.0.0.1';
export const B = '10.0.0.2';
export const C = '10.0.0.3';
export const D = '10.0.0.4';
export const X = '10.0.0.9';

export function timeOf(r: PacketRecord): number {
  return r.tsSec + r.tsNsec / 1e9;
}

/** Records in time order (stable: equal times keep their order). */
export function byTime(records: PacketRecord[]): PacketRecord[] {
  return records.slice().sort((x, y) => timeOf(x) - timeOf(y));
}

export function finding(s: Snapshot, code: string): Finding {
  const f = s.findings.find((x) => x.code === code);
  assert.ok(f, `${code} among ${s.findings.map((x) => x.code).join(', ')}`);
  return f;
}
