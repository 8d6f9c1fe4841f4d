// The dashboard over a live capture: the feed is the analyzer's snapshot, taken once per render tick.
import { runDashboard } from '../tui/dashboard.js';
import { fixesFor } from '../remedy/index.js';
import type { LiveRun } from './live.js';
import type { OfflineOptions } from './offline.js';
import { useColor } from './offline.js';

export async function runLiveDashboard(run: LiveRun, o: OfflineOptions): Promise<void> {
  // A signal, -c or a capture error ends the capture: the dashboard closes then too, terminal restored.
  const ac = new AbortController();
  void run.done.then(() => ac.abort());
  await runDashboard({
    snapshot: () => run.analyzer.snapshot(),
    version: () => run.analyzer.changeCount,
    header: { source: `interface ${o.interface}`, filter: run.session.filter, mode: 'live' },
    clear: () => run.analyzer.clearHistory(),
  }, { showAuth: o.showAuth, fixes: fixesFor, iface: o.interface, colour: useColor(o, 1), signal: ac.signal });
}
