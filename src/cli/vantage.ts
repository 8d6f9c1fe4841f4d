// `vrrpwatch -r a.pcap -r b.pcap [-r c.pcap …]` (also `check`, `--json`, `--adverts`, `--tui`): captures
// of one segment taken at several places — each one a vantage point, named after its file or `-r NAME=FILE`
// — read together (docs/analysis.md §14). Two passes over the files: the first surveys each capture and
// aligns the clocks (src/analyze/vantage/clock-offset.ts), or stops with one line when the captures cannot
// be read together (no overlap in time, unrelated segments, no VRRP); the second merges them in time order
// (src/capture/merge.ts) through the matcher into one analyzer, so the analysis is the one capture's plus
// where each source's adverts arrived. Standard input cannot be read twice: every capture is a file.
import { CaptureReader } from '../capture/file.js';
import { readMerged } from '../capture/merge.js';
import type { CaptureReadResult } from '../capture/types.js';
import { Analyzer } from '../analyze/analyzer.js';
import type { Snapshot } from '../analyze/model.js';
import { AdvertMatcher } from '../analyze/vantage/advert-matcher.js';
import { alignClocks } from '../analyze/vantage/clock-offset.js';
import { addLossFindings } from '../analyze/vantage/vantage-findings.js';
import { VantageView, type PointInput } from '../analyze/vantage/vantage-view.js';
import { StopReading, type AdvertPrinter } from '../pipeline.js';
import { MergedKeeper, MergedPipeline, type KeptFrame } from '../vantage/merged-pipeline.js';
import type { MergedSink } from '../capture/merge.js';
import type { Survey } from '../analyze/vantage/survey.js';
import type { Alignment } from '../analyze/vantage/clock-offset.js';
import { SurveySink } from '../vantage/survey-sink.js';
import type { SourceInfo } from '../report/text.js';
import { VrrpwatchError } from '../errors.js';
import { advertPrinter, analyzerOptions, printCheck, problemLine, useColor, type CheckOptions, type OfflineOptions } from './common.js';
import { startHooks, type Hooks } from './hooks.js';
import { vantageInputs, type VantageInput } from './read-args.js';
import { BatchWriter } from '../report/out.js';
import { renderText } from '../report/text.js';
import { vantageSection } from '../report/vantage-text.js';
import { renderJson } from '../report/json.js';
import { vantageNote, vantagePerfdata } from '../report/vantage-check.js';
import type { ExitCode } from '../report/check.js';
import { VERSION } from './version.js';

export interface VantageRun {
  analyzer: Analyzer;
  view: VantageView;
  source: SourceInfo;
  /** The captures whose file broke off part-way (what was read before is analysed). */
  problems: { input: VantageInput; read: CaptureReadResult }[];
}

interface Surveyed {
  names: string[];
  results: CaptureReadResult[];
  surveys: Survey[];
  align: Alignment;
  first: number[];
  last: number[];
}

/** The first pass: survey every capture and align the clocks. Throws VrrpwatchError('input') with one line
 *  when the captures cannot be read together. */
function surveyCaptures(inputs: readonly VantageInput[]): Surveyed {
  const names = inputs.map((i) => i.name);
  const results: CaptureReadResult[] = [];
  const surveys: Survey[] = [];
  for (const i of inputs) {
    const r = CaptureReader.open(i.file);
    const sink = new SurveySink();
    try { r.read(sink, Infinity); } finally { r.close(); }
    results.push(r.result);
    surveys.push(sink.survey);
  }
  const align = alignClocks(names, surveys);
  if (!align.ok) throw new VrrpwatchError('input', align.message);
  const first = surveys.map((s, i) => (s.first === null ? Infinity : s.first + align.offsets[i]));
  const last = surveys.map((s, i) => (s.last === null ? -Infinity : s.last + align.offsets[i]));
  return { names, results, surveys, align, first, last };
}

/** The second pass: the captures merged in time order into `sink` (which feeds the matcher), then the picture. */
function mergeCaptures(inputs: readonly VantageInput[], sv: Surveyed, sink: (m: AdvertMatcher) => MergedSink):
    { view: VantageView; source: SourceInfo; problems: VantageRun['problems'] } {
  const matcher = new AdvertMatcher(inputs.length, sv.first, sv.last);
  const readers: CaptureReader[] = [];
  try {
    for (const i of inputs) readers.push(CaptureReader.open(i.file));
    readMerged(readers, sv.align.offsets, sink(matcher));
  } catch (e) {
    if (!(e instanceof StopReading)) throw e;
    matcher.cut();
  } finally {
    for (const r of readers) r.close();
  }
  matcher.finish();
  const points: PointInput[] = inputs.map((inp, i) => ({
    name: inp.name, file: inp.file, format: sv.results[i].format, frames: sv.surveys[i].frames, adverts: sv.surveys[i].adverts,
    first: Number.isFinite(sv.first[i]) ? sv.first[i] : null, last: Number.isFinite(sv.last[i]) ? sv.last[i] : null, problem: sv.results[i].problem,
  }));
  const view = new VantageView(points, sv.align, matcher, sv.align.notes);
  const problems = inputs.map((input, i) => ({ input, read: sv.results[i] })).filter((x) => x.read.problem !== null);
  const p0 = problems[0];
  const source: SourceInfo = {
    name: `${inputs.length} captures (${sv.names.join(', ')})`, format: null, bytesRead: null, fileSize: null,
    problem: p0 === undefined ? null : { ...p0.read.problem!, message: `${p0.input.name}: ${p0.read.problem!.message}` },
  };
  return { view, source, problems };
}

/** The two passes into one analyzer (each frame once) and the matcher (every copy). */
export function analyzeVantage(inputs: readonly VantageInput[], o: { expectVrid: number[]; count?: number }, printer: AdvertPrinter | null,
                               hooks: Hooks | null): VantageRun {
  const sv = surveyCaptures(inputs);
  const analyzer = new Analyzer(analyzerOptions(o));
  if (hooks) analyzer.onEvent = (e) => hooks.event(e, analyzer);
  const { view, source, problems } = mergeCaptures(inputs, sv, (m) => new MergedPipeline(analyzer, m, printer, o.count ?? Infinity));
  analyzer.wireEvidence = view;
  analyzer.finish();
  return { analyzer, view, source, problems };
}

/** The two passes for a replay: the merged frames kept (first copies), the picture for the summary. */
export function keepVantage(inputs: readonly VantageInput[], max: number): { kept: KeptFrame[]; view: VantageView; source: SourceInfo; problems: VantageRun['problems'] } {
  const sv = surveyCaptures(inputs);
  let keeper: MergedKeeper | null = null;
  const r = mergeCaptures(inputs, sv, (m) => (keeper = new MergedKeeper(m, max)));
  return { kept: keeper!.kept, ...r };
}

/** The snapshot of a vantage run: the analyzer's, with the advert-loss findings. */
export function vantageSnapshot(run: VantageRun): Snapshot {
  return addLossFindings(run.analyzer.snapshot(), run.view.report);
}

/** The lines saying which captures broke off part-way (stderr), as for one capture. */
export function vantageProblemLines(run: Pick<VantageRun, 'problems'>): string[] {
  return run.problems.map((p) => problemLine(p.input.file, p.read));
}

/** `vrrpwatch -r a -r b [...]`: the report (text or JSON) or the per-advert lines of the merged captures. */
export async function runVantageOffline(o: OfflineOptions): Promise<number> {
  const inputs = vantageInputs(o.read!);
  const out = new BatchWriter(1);
  const hooks = o.notify.length > 0 ? await startHooks(o.notify, o.notifyTimeout, (s) => process.stderr.write(s + '\n'), o.json) : null;
  const printer = o.adverts ? advertPrinter(out, o, true) : null;
  const run = analyzeVantage(inputs, o, printer, hooks);
  if (!o.adverts) {
    const snap = vantageSnapshot(run);
    const vantage = run.view.report;
    out.line((o.json
      ? renderJson(snap, run.source, { showAuth: o.showAuth, version: VERSION, vantage })
      : renderText(snap, run.source, { showAuth: o.showAuth, color: useColor(o, 1), vantageSection: vantageSection(vantage, useColor(o, 1)) })).trimEnd());
  }
  out.flush();
  if (hooks) await hooks.close();
  for (const l of vantageProblemLines(run)) process.stderr.write(l + '\n');
  return run.problems.length > 0 ? 1 : 0;
}

/** `vrrpwatch check -r a -r b [...]`: one line, perfdata per direction, the exit code of the merged verdict. */
export function runVantageCheck(o: CheckOptions): ExitCode {
  const run = analyzeVantage(vantageInputs(o.read!), o, null, null);
  const v = run.view.report;
  return printCheck(vantageSnapshot(run), o, run.source.problem, undefined, { note: vantageNote(v), perfdata: vantagePerfdata(v) });
}
