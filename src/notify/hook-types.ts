// The notification hooks' contracts: the options and limits a HookRunner takes, the counters it
// reports (exported as metrics), the logger it is given, and what a hook receives on stdin (the
// payload, version 1). Types only, so that the runner's parts and the metrics can share them
// without importing the runner (docs/notify.md is the user-facing contract).
import type { AnalysisEvent, Finding, Severity } from '../analyze/model.js';

/** Event names as seen by hook commands in VRRPWATCH_EVENT (docs/notify.md). */
export type HookEventName =
  | 'split-brain-start' | 'split-brain-end' | 'new-master' | 'failover' | 'no-master'
  | 'master-back' | 'finding' | 'priority-change' | 'dual-master' | 'coalesced';

/** Same shape as src/remedy's Fix (kept structural so notify does not import remedy). */
export interface FixLike { tool: string; host: string | null; title: string; commands: string[] }
/** A remedy function such as src/remedy `(f) => fixesFor(f, { iface })`. */
export type FixesFor = (f: Finding) => FixLike[];

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
/** Injected logger. `fields` are flat values, suitable for NDJSON logging under journald. */
export type HookLogger = (level: LogLevel, message: string, fields?: Record<string, string | number | null>) => void;

export interface HookLimits {
  /** Max hook processes running at once (all commands, all routers). Default 4. */
  maxConcurrent?: number;
  /** Max runs waiting for a free slot; beyond that events are coalesced per router as over the rate
   *  limit (a summary waits for room). Default 64. */
  maxQueue?: number;
  /** Token bucket per virtual router: events that may run back to back. Default 5. */
  burst?: number;
  /** Token bucket refill: one more event allowed every `refillMs` per router. Default 10000. */
  refillMs?: number;
  /** Routers tracked with their own bucket; further routers share one bucket ("other"). Default 256. */
  maxRouters?: number;
  /** Grace between SIGTERM and SIGKILL when a hook times out. Default 2000. */
  killGraceMs?: number;
  /** Bytes of a hook's stderr kept for the log line. Default 1024. */
  maxStderr?: number;
}

export interface HookRunnerOptions {
  /** Commands, each run as `/bin/sh -c CMD` for every event (repeatable --notify). */
  commands: string[];
  /** Per-run timeout (--notify-timeout), ms. Default 10000. */
  timeoutMs?: number;
  limits?: HookLimits;
  logger?: HookLogger;
  /** Which hook events run (default: all but 'priority-change', which keepalived track scripts make noisy). */
  events?: HookEventName[];
  /** Remedies (src/remedy fixesFor), used to fill VRRPWATCH_FIX for findings and split brains. */
  fixesFor?: FixesFor;
  /** Current findings, read at spawn time (outside the capture path) when handle() got none. */
  findings?: () => Finding[];
  /** Base environment of hook processes (default process.env). */
  env?: NodeJS.ProcessEnv;
  /** Shell (default /bin/sh). */
  shell?: string;
  /** Wall clock for the rate limiter, ms (tests). Default Date.now. */
  now?: () => number;
}

export interface HookStats {
  /** Events passed to handle() that matched the event filter. */
  events: number;
  /** Events not run because of the event filter (e.g. priority-change). */
  filtered: number;
  /** Events folded into a summary run by the rate limiter. */
  coalesced: number;
  /** Summary runs scheduled for coalesced events (one per router per refill period at most). */
  summaries: number;
  /** Runs started (one per command per event or summary). */
  started: number;
  /** Runs that exited 0. */
  ok: number;
  /** Runs that exited non-zero, died of a signal, or could not be spawned. */
  failed: number;
  /** Runs killed at the timeout (not counted in failed). */
  timedOut: number;
  /** Runs never started: still queued when drain() gave up, or events after drain(). */
  dropped: number;
  /** Now: processes running, runs queued, events waiting in a coalesced summary. */
  running: number;
  queued: number;
  pending: number;
}

/** What a hook receives on stdin (JSON, one object, then EOF). Version 1. */
export interface HookPayload extends AnalysisEvent {
  version: 1;
  event: HookEventName;
  /** ISO 8601 of `t` (packet clock, UTC). */
  time: string;
  fix: string | null;
  finding: Finding | null;
  /** Present on 'coalesced' runs: the events this summary stands for (the fields above are the latest's). */
  coalesced?: { count: number; byEvent: Record<string, number>; first: number; last: number; lastEvent: HookEventName };
}

/** What a caller may hand over with an event: the findings of the moment, a fix text already made. */
export interface HookContext { findings?: Finding[]; fixText?: string }

/** The events one summary run stands for ('coalesced'): counts and the latest event only (bounded). */
export interface CoalescedEvents {
  count: number;
  /** Packet-clock time of the first event folded in. */
  first: number;
  byEvent: Record<string, number>;
  latest: AnalysisEvent;
  /** The highest severity folded in. */
  severity: Severity;
}
