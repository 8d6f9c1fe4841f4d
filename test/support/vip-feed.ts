// The addresses, MACs and analyzer feed shared by the unit tests of who holds the virtual addresses
// (test/analyze-vip-*.test.ts): an analyzer fed records in time order up to a time, so that a test can look
// in between, a whole run to its end, a finding looked up by its code, the vip-conflict events.
import { Analyzer } from '../../src/analyze/analyzer.js';
import type { AnalysisEvent, Finding, Snapshot } from '../../src/analyze/model.js';
import type { PacketRecord } from '../../src/decode/packet.js';

export const A = '10.0.0.1', B = '10.0.0.2';
export const VIP = '10.0.0.100';
export const MAC_A: [number, number] = [0x5254, 0x00aa0001];
export const MAC_B: [number, number] = [0x5254, 0x00aa0002];
/** A MAC no advert comes from. */
export const MAC_X: [number, number] = [0x0266, 0x66666666];
export const MAC_Y: [number, number] = [0x0277, 0x77777777];
/** The use_vmac MAC of VRID 99 (IPv4). */
export const VMAC: [number, number] = [0x0000, 0x5e000163];
export const X_TEXT = '02:66:66:66:66:66 (no advert for VRID 99 came from it)';
export const A_TEXT = '10.0.0.1 (52:54:00:aa:00:01)';
export const B_TEXT = '10.0.0.2 (52:54:00:aa:00:02)';

export const timeOf = (r: PacketRecord): number => r.tsSec + r.tsNsec / 1e9;
export const byTime = (recs: PacketRecord[]): PacketRecord[] => recs.slice().sort((a, b) => timeOf(a) - timeOf(b));

/** An analyzer that is fed records in time order, up to a time, so the test can look in between. */
export class Feed {
  readonly an = new Analyzer();
  readonly events: AnalysisEvent[] = [];
  private readonly recs: PacketRecord[];
  private i = 0;
  constructor(recs: PacketRecord[]) {
    this.recs = byTime(recs);
    this.an.onEvent = (e) => this.events.push(e);
  }
  /** Every record stamped at or before `t`. */
  until(t: number): this {
    while (this.i < this.recs.length && timeOf(this.recs[this.i]) <= t) this.an.packet(this.recs[this.i++]);
    return this;
  }
  all(): this {
    return this.until(Infinity);
  }
  snap(): Snapshot {
    return this.an.snapshot();
  }
}

export const finding = (s: Snapshot, code: string): Finding | undefined => s.findings.find((f) => f.code === code);

/** Feed every record, finish, and take the snapshot. */
export function run(recs: PacketRecord[]): Snapshot {
  const f = new Feed(recs).all();
  f.an.finish();
  return f.snap();
}

/** The vip-conflict findings' events, as `t message`. */
export const vipFindingEvents = (events: readonly AnalysisEvent[]): string[] =>
  events.filter((e) => e.type === 'finding' && e.findingCode === 'vip-conflict').map((e) => `${e.t} ${e.message}`);
