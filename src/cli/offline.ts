// `vrrpwatch -r FILE`: read a capture, analyse it, print the report (text or JSON), or one line per
// advert with --adverts, or replay it through the dashboard with --tui; fire --notify hooks for its
// events. A capture that breaks part-way is still reported (what was read), then exit 1.
import { readCaptureFile } from '../capture/file.js';
import type { CaptureReadResult } from '../capture/types.js';
import { Analyzer } from '../analyze/analyzer.js';
import { Pipeline, StopReading, type AdvertPrinter } from '../pipeline.js';
import { BatchWriter } from '../report/out.js';
import { renderText, type SourceInfo } from '../report/text.js';
import { renderJson } from '../report/json.js';
import { VrrpwatchError } from '../errors.js';
import { VERSION } from './version.js';
import type { Hooks } from './hooks.js';
import { advertPrinter, analyzerOptions, probeUsage, problemLine, useColor, type OfflineOptions } from './common.js';
import { splitRead } from './read-args.js';

/** --adverts into a pipe whose reader has gone (`| head`): stop reading, as tcpdump does. A capture
 *  that never ends (`tcpdump -w - | vrrpwatch -r - --adverts | head`) would otherwise be read for ever. */
function stopWhenClosed(out: BatchWriter, print: AdvertPrinter): AdvertPrinter {
  return (p, note, anomaly) => {
    print(p, note, anomaly);
    if (out.closed) throw new StopReading();
  };
}

export interface OfflineResult {
  analyzer: Analyzer;
  read: CaptureReadResult | null;
  source: SourceInfo;
}

/** Read the whole file through the pipeline. Throws VrrpwatchError('input') for unreadable files. */
export function analyzeFile(path: string, o: { expectVrid: number[]; count?: number; maxRouters?: number; maxSources?: number }, printer: AdvertPrinter | null,
                            hooks: Hooks | null): OfflineResult {
  const analyzer = new Analyzer(analyzerOptions(o));
  if (hooks) analyzer.onEvent = (e) => hooks.event(e, analyzer);
  const pipe = new Pipeline(analyzer, printer, o.count ?? Infinity);
  let read: CaptureReadResult | null = null;
  try {
    read = readCaptureFile(path, pipe);
  } catch (e) {
    if (!(e instanceof StopReading)) throw e;
  }
  analyzer.finish();
  const source: SourceInfo = {
    name: path === '-' ? 'standard input' : path,
    format: read ? read.format : null,
    bytesRead: read ? read.bytesRead : null,
    fileSize: read ? read.fileSize : null,
    problem: read ? read.problem : null,
  };
  return { analyzer, read, source };
}

export async function runOffline(o: OfflineOptions): Promise<number> {
  probeUsage(o);
  if (o.write !== undefined) throw new VrrpwatchError('usage', '-w writes live captures; with -r the file already exists');
  if (o.filter !== undefined) throw new VrrpwatchError('usage', 'filters apply to live capture; filter a file with tcpdump -r FILE -w OUT EXPR first');
  if (o.tui === true) {
    // Not a terminal, or TERM=dumb (blessed would draw garbage there): the report, as without --tui.
    if (process.stdout.isTTY !== true || process.env.TERM === 'dumb') {
      process.stderr.write(`vrrpwatch: --tui needs a terminal${process.stdout.isTTY === true ? ' (TERM=dumb)' : ''}: printing the report instead\n`);
      return runOffline({ ...o, tui: false });
    }
    if (o.read!.length > 1) {
      const { runVantageReplay } = await import('./vantage-replay.js');
      return runVantageReplay(o);
    }
    const { runReplayDashboard } = await import('./replay.js');
    return runReplayDashboard(splitRead(o.read![0]).file, o);
  }
  // several -r: captures taken at several places, read together (vantage points)
  if (o.read!.length > 1) {
    const { runVantageOffline } = await import('./vantage.js');
    return runVantageOffline(o);
  }
  const path = splitRead(o.read![0]).file;
  const out = new BatchWriter(1);
  // the notify hooks are loaded only when asked for (start-up time of every -r)
  const hooks = o.notify.length > 0
    ? await (await import('./hooks.js')).startHooks(o.notify, o.notifyTimeout, (s) => process.stderr.write(s + '\n'), o.json) : null;
  const printer = o.adverts ? stopWhenClosed(out, advertPrinter(out, o, true)) : null;
  const { analyzer, read, source } = analyzeFile(path, o, printer, hooks);
  if (!o.adverts) {
    const snap = analyzer.snapshot();
    const text = o.json
      ? renderJson(snap, source, { showAuth: o.showAuth, version: VERSION })
      : renderText(snap, source, { showAuth: o.showAuth, color: useColor(o, 1) });
    out.line(text.trimEnd());
  }
  out.flush();
  if (hooks) await hooks.close();
  if (read && read.problem) {
    process.stderr.write(problemLine(path, read) + '\n');
    return 1;
  }
  return 0;
}
