// The dashboard over a live capture: the feed is the analyzer's snapshot, taken once per render tick.
import { runDashboard } from '../tui/dashboard.js';
import { NoteBuffer } from '../tui/notes.js';
import { fixesFor } from '../remedy/index.js';
import type { Analyzer } from '../analyze/analyzer.js';
import { useColor, type OfflineOptions } from './common.js';
import { setHooksLogger } from './hooks.js';

/** `done` resolves when the capture stopped (signal, -c, capture error). */
export async function runLiveDashboard(analyzer: Analyzer, done: Promise<void>, o: OfflineOptions): Promise<void> {
  // A signal, -c or a capture error ends the capture: the dashboard closes then too, terminal restored.
  const ac = new AbortController();
  void done.then(() => ac.abort());
  // Hook log lines go to the event pane while the screen is up (on stderr they would be drawn over
  // it), then to stderr again, the kept ones first, so that they stay in the scrollback.
  const notes = new NoteBuffer();
  setHooksLogger((line) => notes.add(Date.now() / 1000, line));
  try {
    await runDashboard({
      snapshot: () => analyzer.snapshot(),
      version: () => analyzer.changeCount,
      notes: () => notes,
      // The built-in filter is a screenful of BPF: the header names it; a user's own is shown as given.
      header: { source: `interface ${o.interface}`, filter: o.filter === undefined ? 'default' : o.filter, mode: 'live' },
      clear: () => analyzer.clearHistory(),
    }, { showAuth: o.showAuth, fixes: fixesFor, iface: o.interface, colour: useColor(o, 1), signal: ac.signal });
  } finally {
    setHooksLogger(null);
    for (const line of notes.drain()) process.stderr.write(line + '\n');
  }
}
