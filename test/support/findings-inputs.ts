// The nodes and look-ups shared by the tests of the mutation part `findings` (test/analyze-evidence-text.test.ts,
// test/analyze-findings.test.ts): the addresses A to D, a finding that must be there, records put in time order.
import assert from 'node:assert/strict';
import type { Finding, Snapshot } from '../../src/analyze/model.js';
import type { PacketRecord } from '../../src/decode/packet.js';

export const A = '10.0.0.1';
export const B = '10.0.0.2';
export const C = '10.0.0.3';
export const D = '10.0.0.4';

export function finding(s: Snapshot, code: string): Finding {
  const f = s.findings.find((x) => x.code === code);
  assert.ok(f, `no ${code} finding among: ${s.findings.map((x) => x.code).join(', ')}`);
  return f;
}
export const timeOf = (r: PacketRecord): number => r.tsSec + r.tsNsec / 1e9;
export const byTime = (records: PacketRecord[]): PacketRecord[] => records.sort((x, y) => timeOf(x) - timeOf(y));
