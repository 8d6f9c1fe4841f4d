// --metrics [ADDR:]PORT: the Prometheus exporter, logging where it listens on stderr.
import { startMetrics as start } from '../metrics/cli.js';
import type { MetricsExporter } from '../metrics/index.js';

/** Live mode offers a snapshot on every 100 ms tick; the metrics take one a second (docs/metrics.md). */
const UPDATE_INTERVAL_MS = 1000;

export function startMetrics(spec: string): Promise<MetricsExporter> {
  return start(spec, (line) => process.stderr.write(line + '\n'), { minUpdateIntervalMs: UPDATE_INTERVAL_MS });
}
