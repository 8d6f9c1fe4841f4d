// --metrics [ADDR:]PORT: the Prometheus exporter, logging where it listens on stderr.
import { startMetrics as start } from '../metrics/cli.js';
import type { MetricsExporter } from '../metrics/index.js';

export function startMetrics(spec: string): Promise<MetricsExporter> {
  return start(spec, (line) => process.stderr.write(line + '\n'));
}
