// `vrrpwatch check (-r FILE [-r FILE...] | -i IFACE)`: the monitoring-plugin verdict and exit code.
import { VrrpwatchError } from '../errors.js';
import { analyzeFile } from './offline.js';
import { printCheck, probeUsage, type CheckOptions } from './common.js';
import { splitRead } from './read-args.js';

export async function runCheck(o: CheckOptions): Promise<number> {
  if (o.read !== undefined && o.interface !== undefined) throw new VrrpwatchError('usage', 'use either -r FILE or -i IFACE, not both');
  probeUsage(o);
  if (o.read !== undefined) {
    if (o.filter !== undefined) throw new VrrpwatchError('usage', 'filters apply to live capture only');
    if (o.read.length > 1) {
      // captures taken at several places, read together (vantage points)
      const { runVantageCheck } = await import('./vantage.js');
      return runVantageCheck(o);
    }
    const { analyzer, read } = analyzeFile(splitRead(o.read[0]).file, o, null, null);
    return printCheck(analyzer.snapshot(), o, read && read.problem ? read.problem : null);
  }
  if (o.interface !== undefined) {
    const { runLiveCheck } = await import('./live.js');
    return runLiveCheck(o);
  }
  throw new VrrpwatchError('usage', 'check needs -r FILE or -i IFACE');
}
