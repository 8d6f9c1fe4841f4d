// Driving the analyzer with hand-made adverts, as the analyzer's unit tests do: every record through
// packet(), each advert's note kept ('anomaly:CODE' for an anomaly), every event kept, then finish()
// (or not, to look at a router still in its state), and the snapshot.
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
