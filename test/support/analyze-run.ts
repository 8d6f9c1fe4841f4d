// Driving the analyzer with hand-made adverts, as the analyzer's unit tests do: every record through
// packet(), each advert's note kept ('anomaly:CODE' for an anomaly), every event kept, then finish()
// (or not, to look at a router still in its state), and the snapshot; and the small readers those tests share.
import assert from 'node:assert/strict';
import { Analyzer } from '../../src/analyze/analyzer.js';
import type { AnalysisEvent, AnalyzerOptions, Snapshot } from '../../src/analyze/model.js';
import type { PacketRecord } from '../../src/decode/packet.js';
import { build, type AdvertSpec } from './records.js';

export interface AnalysisRun {
  an: Analyzer;
  events: AnalysisEvent[];
  /** packet()'s answer per record, an anomaly as 'anomaly:' + its code. */
  notes: string[];
  snap: Snapshot;
}

/** The note of one record as the tests compare it. */
export function noteOf(an: Analyzer, r: PacketRecord): string {
  const n = an.packet(r);
  return n === 'anomaly' ? `anomaly:${an.lastAnomaly}` : n;
}

/** Analyse `input` (records, or advert specs that records.ts builds) with `opts`; `finish` false leaves the
 *  analysis open (no finish(): periods still open at the end stay open). */
export function analyse(input: PacketRecord[] | AdvertSpec[], opts: AnalyzerOptions = {}, finish = true): AnalysisRun {
  const an = new Analyzer(opts);
  const events: AnalysisEvent[] = [];
  an.onEvent = (e) => events.push(e);
  const records = input.length > 0 && 'kind' in input[0] ? (input as PacketRecord[]) : build(input as AdvertSpec[]);
  const notes = records.map((r) => noteOf(an, r));
  if (finish) an.finish();
  return { an, events, notes, snap: an.snapshot() };
}

/** The types of `events`, in order. */
export function types(events: AnalysisEvent[]): string[] {
  return events.map((e) => e.type);
}

/** `actual` is within `eps` of `expected` (null never is). */
export function close(actual: number | null, expected: number, eps = 1e-6): void {
  assert.ok(actual !== null && Math.abs(actual - expected) <= eps, `expected ${expected}, got ${actual}`);
}

/** The finding of `code` in a snapshot, undefined when there is none. */
export function finding(s: Snapshot, code: string) {
  return s.findings.find((f) => f.code === code);
}
