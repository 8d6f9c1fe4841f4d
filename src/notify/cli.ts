// The CLI's view of the hooks (src/cli/live.ts and offline.ts call startHooks / event / stats / close).
// Kept here so that src/cli only re-exports it with the remedies injected:
//   import { fixesFor } from '../remedy/index.js';
//   export const startHooks = (c: string[], t: number, log: (s: string) => void) => start(c, t, log, { fixesFor: (f) => fixesFor(f) });
import type { AnalysisEvent, Finding } from '../analyze/model.js';
import { HookRunner } from './hooks.js';
import type { FixesFor, HookEventName, HookLimits, HookStats, LogLevel } from './hook-types.js';

export interface Hooks {
  /** Hand over one event (from analyzer.onEvent). `source` is read later, at spawn time, for findings. */
  event(e: AnalysisEvent, source?: { snapshot(): { findings: Finding[] } }): void;
  stats(): HookStats;
  /** Drain (see HookRunner.drain), then log one line if anything was dropped, failed or timed out. */
  close(timeoutMs?: number): Promise<HookStats>;
  /** Where log lines go from now on; null: back to the `log` given to startHooks. (The dashboard takes
   *  them while it owns the terminal: written to stderr they would be drawn over the screen.) */
  setLogger(log: ((line: string) => void) | null): void;
}

export interface StartHooksOptions {
  fixesFor?: FixesFor;
  limits?: HookLimits;
  events?: HookEventName[];
  /** Also log successful runs (--debug / -v). */
  verbose?: boolean;
  /** Log NDJSON (`{"kind":"hook","level":…,"message":…,…fields}`) instead of text lines (--json). */
  json?: boolean;
}

/** `--notify CMD...` with `--notify-timeout SECONDS`. `log` gets whole lines (no newline). */
export async function startHooks(commands: string[], timeoutSeconds: number, log: (line: string) => void,
                                 opts: StartHooksOptions = {}): Promise<Hooks> {
  let source: { snapshot(): { findings: Finding[] } } | null = null;
  const original = log;
  const runner = new HookRunner({
    commands,
    timeoutMs: Math.max(1, Math.round(timeoutSeconds * 1000)),
    limits: opts.limits,
    events: opts.events,
    fixesFor: opts.fixesFor,
    findings: () => (source ? source.snapshot().findings : []),
    logger: (level: LogLevel, message: string, fields?: Record<string, string | number | null>) => {
      if (level === 'debug' && !opts.verbose) return;
      log(opts.json ? JSON.stringify({ kind: 'hook', level, message, ...fields }) : `vrrpwatch: ${message}`);
    },
  });
  return {
    setLogger(l) { log = l ?? original; },
    event(e, src) {
      if (src) source = src;
      runner.handle(e);
    },
    stats: () => runner.stats(),
    async close(timeoutMs = Math.max(1000, timeoutSeconds * 1000 + 2000)) {
      const st = await runner.drain(timeoutMs);
      if (st.dropped > 0 || st.failed > 0 || st.timedOut > 0 || st.coalesced > 0) {
        const text = `hooks: ${st.started} run, ${st.ok} ok, ${st.failed} failed, ${st.timedOut} timed out, ` +
          `${st.coalesced} events coalesced into ${st.summaries} summaries, ${st.dropped} dropped`;
        log(opts.json ? JSON.stringify({ kind: 'hook-summary', level: 'info', message: text, ...st }) : `vrrpwatch: ${text}`);
      }
      return st;
    },
  };
}
