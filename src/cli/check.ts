// `vrrpwatch check (-r FILE | -i IFACE)`: the monitoring-plugin verdict and exit code.
import { VrrpwatchError } from '../errors.js';
import { analyzeFile } from './offline.js';
import { printCheck, probeUsage, type CheckOptions } from './common.js';

export async function runCheck(o: CheckOptions): Promise<number> {
  if (o.read !== undefined && o.interface !== undefined) throw new VrrpwatchError('usage', 'use either -r FILE or -i IFACE, not both');
  probeUsage(o);
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
