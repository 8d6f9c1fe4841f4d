// What the cli commands share: their option types and the small helpers more than one mode uses
// (colour, analyzer options, the per-advert printer, the read-problem line, the check verdict).
// It imports nothing from src/cli/ (so no command imports another one just for a helper).
import type { CaptureReadResult } from '../capture/types.js';
import type { AnalyzerOptions, Snapshot } from '../analyze/model.js';
import type { AdvertPrinter } from '../pipeline.js';
import { AdvertJsonLines, advertText } from '../report/advert-line.js';
import type { BatchWriter } from '../report/out.js';
import { checkOutcome, type ExitCode } from '../report/check.js';
import { VrrpwatchError } from '../errors.js';

/** The options the main command and `check` share (sharedOptions() in main.ts). */
export interface CommonOptions {
  /** -r, repeatable: one capture, or several read together (src/cli/vantage.ts). */
  read?: string[];
  interface?: string;
  filter?: string;
  promiscuousMode: boolean;
  snapshotLength: number;
  bufferSize: number;
  expectVrid: number[];
  maxRouters: number;
  maxSources: number;
  showAuth: boolean;
  debug: boolean;
  /** --probe-vip: the interval in seconds, true for the default; undefined when not asked (nothing is sent). */
  probeVip?: number | true;
  /** --vip: addresses to probe besides the ones adverts list. */
  vip: string[];
}

/** --probe-vip's interval when given without SECONDS. */
export const DEFAULT_PROBE_INTERVAL = 5;

/** --probe-vip and --vip make sense only live: say why not otherwise (a usage error), else nothing. */
export function probeUsage(o: CommonOptions): void {
  if (o.vip.length > 0 && o.probeVip === undefined) throw new VrrpwatchError('usage', '--vip names addresses for the active probe: give --probe-vip too');
  if (o.probeVip !== undefined && o.read !== undefined) {
    throw new VrrpwatchError('usage', '--probe-vip sends probes on a live interface (-i IFACE): a capture file cannot be probed');
  }
}

/** The main command's options (named OfflineOptions for history: -i uses them too). */
export interface OfflineOptions extends CommonOptions {
  write?: string;
  count?: number;
  listInterfaces?: boolean;
  relinquishPrivileges?: string;
  e?: boolean;
  adverts: boolean;
  /** Live line mode without the per-advert lines (service mode: journald gets events only). */
  eventsOnly: boolean;
  json: boolean;
  tui?: boolean;
  speed?: number;
  notify: string[];
  notifyTimeout: number;
  metrics?: string;
  color: boolean;
}

/** `vrrpwatch check`'s options. */
export interface CheckOptions extends CommonOptions {
  timeout: number;
  quiet: boolean;
  verbose: number;
}

export function useColor(o: { color: boolean }, fd: number): boolean {
  return o.color && !process.env.NO_COLOR && process.env.TERM !== 'dumb' && (fd === 1 ? process.stdout.isTTY : process.stderr.isTTY) === true;
}

export function analyzerOptions(o: { expectVrid: number[]; maxRouters?: number; maxSources?: number }): AnalyzerOptions {
  const a: AnalyzerOptions = o.expectVrid.length > 0 ? { expectVrids: o.expectVrid } : {};
  if (o.maxRouters !== undefined) a.maxRouters = o.maxRouters;
  if (o.maxSources !== undefined) a.maxSources = o.maxSources;
  return a;
}

/** The per-advert printer for --adverts (text or NDJSON), writing in batches. */
export function advertPrinter(out: BatchWriter, o: { json: boolean; showAuth: boolean; e?: boolean }, withDate: boolean): AdvertPrinter {
  if (o.json) {
    const lines = new AdvertJsonLines(o.showAuth);
    return (p, note, anomaly) => {
      const s = lines.line(p, note, anomaly);
      if (s !== null) out.line(s);
    };
  }
  const lo = { showAuth: o.showAuth, link: o.e === true, date: withDate };
  return (p, note, anomaly) => {
    const s = advertText(p, note, anomaly, lo);
    if (s !== null) out.line(s);
  };
}

/** The line that says a capture file broke part-way, and how much of it was analysed. */
export function problemLine(path: string, r: CaptureReadResult): string {
  const p = r.problem!;
  const size = r.fileSize !== null ? ` (the file has ${r.fileSize} bytes)` : '';
  return `vrrpwatch: ${path}: ${p.message}${size}; analysed the ${r.frames} frames before it`;
}

/** Print the outcome as monitoring plugins do: status line, long output with -v, nothing on OK with -q. */
export function printCheck(s: Snapshot, o: CheckOptions, readProblem: { kind: string; message: string } | null,
                           noVrrpIs: ExitCode = o.expectVrid.length > 0 ? 2 : 3, extra: { note?: string | null; perfdata?: string[] } = {}): ExitCode {
  const out = checkOutcome(s, { readProblem, noVrrpIs, ...extra });
  if (o.quiet && out.code === 0) return 0;
  let text = out.line + '\n';
  if (o.verbose > 0) text += out.long.join('\n') + (out.long.length ? '\n' : '');
  process.stdout.write(text);
  return out.code;
}
