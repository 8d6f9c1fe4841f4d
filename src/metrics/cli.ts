// The CLI's view of the exporter: `--metrics [ADDR:]PORT` (src/cli/live.ts calls startMetrics(spec),
// then update(snapshot, hookStats) on its tick and close() at exit).
import { MetricsExporter, parseListen, type MetricsOptions } from './index.js';

/** Parses the spec (VrrpwatchError 'usage' when bad), starts serving; rejects with a one-line
 *  VrrpwatchError when the port cannot be bound. `log` gets the listening address. */
export async function startMetrics(spec: string, log?: (line: string) => void, opts: MetricsOptions = {}): Promise<MetricsExporter> {
  const { addr, port } = parseListen(spec);
  const m = new MetricsExporter(opts);
  const server = await m.serve(addr, port);
  if (log) {
    const a = server.address();
    const where = a && typeof a === 'object' ? (a.family === 'IPv6' ? `[${a.address}]:${a.port}` : `${a.address}:${a.port}`) : spec;
    log(`vrrpwatch: serving metrics on http://${where}/metrics`);
  }
  return m;
}
