// `vrrpwatch check (-r FILE | -i IFACE)`: the monitoring-plugin verdict and exit code.
import { checkOutcome, type ExitCode } from '../report/check.js';
import type { Snapshot } from '../analyze/model.js';
import { VrrpwatchError } from '../errors.js';
import { analyzeFile, type CommonOptions } from './offline.js';

export interface CheckOptions extends CommonOptions {
  timeout: number;
  quiet: boolean;
  verbose: number;
}

/** Print the outcome as monitoring plugins do: status line, long output with -v, nothing on OK with -q. */
export function printCheck(s: Snapshot, o: CheckOptions, readProblem: { kind: string; message: string } | null,
                           noVrrpIs: ExitCode = o.expectVrid.length > 0 ? 2 : 3): ExitCode {
  const out = checkOutcome(s, { readProblem, noVrrpIs });
  if (o.quiet && out.code === 0) return 0;
  let text = out.line + '\n';
  if (o.verbose > 0) text += out.long.join('\n') + (out.long.length ? '\n' : '');
  process.stdout.write(text);
  return out.code;
}

export async function runCheck(o: CheckOptions): Promise<number> {
  if (o.read !== undefined && o.interface !== undefined) throw new VrrpwatchError('usage', 'use either -r FILE or -i IFACE, not both');
  if (o.read !== undefined) {
    if (o.filter !== undefined) throw new VrrpwatchError('usage', 'filters apply to live capture only');
    const { analyzer, read } = analyzeFile(o.read, o, null, null);
    return printCheck(analyzer.snapshot(), o, read && read.problem ? read.problem : null);
  }
  if (o.interface !== undefined) {
    const { runLiveCheck } = await import('./live.js');
    return runLiveCheck(o);
  }
  throw new VrrpwatchError('usage', 'check needs -r FILE or -i IFACE');
}
