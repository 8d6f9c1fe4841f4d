// Notification hooks: run user commands for analysis events, the way keepalived's notify scripts
// are run, but from the wire's point of view (docs/notify.md is the user-facing contract). This file
// is the runner: the event filter, the queue, the concurrency cap, the counters, the log lines and
// drain() at exit. Its parts: hook-rate-limit.ts (token buckets, coalesced summaries),
// hook-payload.ts (stdin payload and VRRPWATCH_* environment), hook-process.ts (one process, its
// timeout and its kill); the types are in hook-types.ts.
//
// Guarantees, in order of importance:
//  1. handle() never blocks the capture path: it classifies the event, applies the per-router rate
//     limit (a few integer operations) and queues a job; processes are spawned later from
//     setImmediate, never inside the analyzer's onEvent call.
//  2. A flapping (or spoofed) network cannot fork-bomb the host: a token bucket per virtual router
//     (events over the limit are coalesced into ONE summary run, "N events coalesced"), a global
//     concurrency cap, a bounded queue (when full, events are coalesced too), and a bounded table
//     of routers.
//  3. Nothing is silently lost: every event is either run, coalesced or dropped, and each of those
//     is counted (stats(), exported as metrics) and logged.
import type { AnalysisEvent, Finding } from '../analyze/model.js';
import { fixesAsText, hookEventName, hookInput } from './hook-payload.js';
import { HookProcess, type HookExit } from './hook-process.js';
import { foldIntoSummary, newSummary, RouterBuckets, type Bucket, type Pending } from './hook-rate-limit.js';
import type { FixesFor, HookContext, HookEventName, HookLogger, HookRunnerOptions, HookStats } from './hook-types.js';

export type {
  FixesFor, FixLike, HookContext, HookEventName, HookLimits, HookLogger, HookPayload, HookRunnerOptions, HookStats, LogLevel,
} from './hook-types.js';
export { hookEnv, hookEventName } from './hook-payload.js';

const DEFAULT_EVENTS: HookEventName[] = [
  'split-brain-start', 'split-brain-end', 'new-master', 'failover', 'no-master', 'master-back', 'finding',
];

/** Finding codes whose incidents already have their own hook events (not run again as `finding`). */
const OWN_EVENT_FINDINGS = new Set(['split-brain', 'no-master']);

interface Job {
  command: string;
  event: AnalysisEvent;
  name: HookEventName;
  ctx: HookContext | undefined;
  pending: Pending | null;
}

export class HookRunner {
  private readonly commands: string[];
  private readonly timeoutMs: number;
  private readonly maxConcurrent: number;
  private readonly maxQueue: number;
  private readonly killGraceMs: number;
  private readonly maxStderr: number;
  private readonly log: HookLogger;
  private readonly allowed: Set<string>;
  private readonly fixesFor: FixesFor | undefined;
  private readonly findingsFn: (() => Finding[]) | undefined;
  private readonly baseEnv: NodeJS.ProcessEnv;
  private readonly shell: string;
  private readonly now: () => number;

  private readonly buckets: RouterBuckets;
  private readonly queue: Job[] = [];
  private readonly children = new Set<HookProcess>();
  private pumpScheduled = false;
  private findingsCache: Finding[] | null = null;
  private closed = false;
  private idleWaiters: Array<() => void> = [];
  private readonly s: HookStats = {
    events: 0, filtered: 0, coalesced: 0, summaries: 0, started: 0, ok: 0, failed: 0, timedOut: 0,
    dropped: 0, running: 0, queued: 0, pending: 0,
  };

  constructor(opts: HookRunnerOptions) {
    const l = opts.limits ?? {};
    this.commands = opts.commands.filter((c) => c.trim() !== '');
    this.timeoutMs = positive(opts.timeoutMs, 10_000);
    this.maxConcurrent = positive(l.maxConcurrent, 4);
    this.maxQueue = positive(l.maxQueue, 64);
    this.killGraceMs = positive(l.killGraceMs, 2_000);
    this.maxStderr = positive(l.maxStderr, 1024);
    this.log = opts.logger ?? defaultLogger;
    this.allowed = new Set(opts.events ?? DEFAULT_EVENTS);
    this.allowed.add('coalesced');
    this.fixesFor = opts.fixesFor;
    this.findingsFn = opts.findings;
    this.baseEnv = opts.env ?? process.env;
    this.shell = opts.shell ?? '/bin/sh';
    this.now = opts.now ?? Date.now;
    this.buckets = new RouterBuckets(positive(l.burst, 5), positive(l.refillMs, 10_000), positive(l.maxRouters, 256), this.now);
  }

  /** Counters and gauges (a copy). */
  stats(): HookStats {
    return { ...this.s, running: this.children.size, queued: this.queue.length, pending: this.buckets.pendingEvents() };
  }

  /** Take one event. Returns at once; never spawns or waits here. */
  handle(e: AnalysisEvent, ctx?: HookContext): void {
    if (this.commands.length === 0) return;
    const name = hookEventName(e.type);
    if (!this.allowed.has(name)) { this.s.filtered++; return; }
    // A split brain or a no-master period has its own events (split-brain-start, no-master, with the
    // finding and the fix attached): its `finding` event would notify the same incident twice.
    if (e.type === 'finding' && e.findingCode !== undefined && OWN_EVENT_FINDINGS.has(e.findingCode)) { this.s.filtered++; return; }
    this.s.events++;
    if (this.closed) {
      this.s.dropped += this.commands.length;
      this.log('warn', `hook: event ${name} for ${e.routerKey} dropped: notifications are shut down`, { event: name, router: e.routerKey });
      return;
    }
    const b = this.buckets.bucketFor(e.routerKey);
    this.buckets.refill(b);
    if (b.pending === null && b.tokens >= 1 && this.queue.length + this.commands.length <= this.maxQueue) {
      b.tokens -= 1;
      this.enqueue(e, name, ctx, null);
      return;
    }
    // Over the rate limit, a summary already waiting, or the queue full: fold into this router's
    // summary (bounded: counts and the latest event only).
    this.s.coalesced++;
    let p = b.pending;
    if (p === null) {
      p = newSummary(e);
      b.pending = p;
      const wait = Math.max(1, this.buckets.waitForToken(b));
      p.timer = setTimeout(() => this.flushPending(b), wait);
      p.timer.unref();
      const why = b.tokens >= 1 ? `hook queue full (${this.maxQueue})` : `rate limit reached for ${e.routerKey || 'global findings'}`;
      this.log('info', `hook: ${why}; coalescing events for ${e.routerKey || 'global findings'} for ${Math.ceil(wait / 1000)} s`, { router: e.routerKey });
    }
    foldIntoSummary(p, e, name);
  }

  /**
   * For exit: run waiting summaries now (ignoring the rate limit), wait for queued and running hooks
   * up to `timeoutMs`, then kill what still runs (process group) and count what never started as
   * dropped. Further events are dropped (counted). Resolves with the final stats.
   */
  async drain(timeoutMs = this.timeoutMs): Promise<HookStats> {
    this.closed = true;
    for (const b of this.buckets.withPending()) this.flushPending(b, true);
    this.pump();
    if (this.children.size > 0 || this.queue.length > 0) {
      let timer: NodeJS.Timeout | null = null;
      const idle = new Promise<boolean>((resolve) => { this.idleWaiters.push(() => resolve(true)); });
      const late = new Promise<boolean>((resolve) => { timer = setTimeout(() => resolve(false), Math.max(0, timeoutMs)); });
      const done = await Promise.race([idle, late]);
      if (timer) clearTimeout(timer);
      if (!done) {
        const left = this.queue.length;
        if (left > 0) {
          this.s.dropped += left;
          this.queue.length = 0;
          this.log('warn', `hook: ${left} notification(s) dropped at exit (drain timeout)`, { dropped: left });
        }
        for (const c of this.children) c.killAtExit();
        // Let the exits be counted (a SIGKILLed process is reaped at once).
        if (this.children.size > 0) {
          await new Promise<void>((resolve) => {
            const t = setTimeout(resolve, 500);
            this.idleWaiters.push(() => { clearTimeout(t); resolve(); });
          });
        }
      }
    }
    return this.stats();
  }

  // ---- internals -------------------------------------------------------------------------------

  private flushPending(b: Bucket, force = false): void {
    const p = b.pending;
    if (!p) return;
    if (p.timer) { clearTimeout(p.timer); p.timer = null; }
    this.buckets.refill(b);
    if (!force && (b.tokens < 1 || this.queue.length + this.commands.length > this.maxQueue)) {
      // Timer fired early (clock skew), or the queue is still full: try again later.
      const wait = b.tokens < 1 ? this.buckets.waitForToken(b) : Math.min(this.buckets.refillMs, 1000);
      p.timer = setTimeout(() => this.flushPending(b), Math.max(1, wait));
      p.timer.unref();
      return;
    }
    if (b.tokens >= 1) b.tokens -= 1;
    b.pending = null;
    this.s.summaries++;
    this.log('info', `hook: ${p.count} event(s) coalesced for ${p.latest.routerKey}`, { router: p.latest.routerKey, coalesced: p.count });
    this.enqueue(p.latest, 'coalesced', undefined, p, force);
  }

  private enqueue(event: AnalysisEvent, name: HookEventName, ctx: HookContext | undefined, pending: Pending | null,
                  force = false): void {
    for (const command of this.commands) {
      // Callers check for room first; only drain()'s summaries (one per router, bounded) pass `force`.
      if (!force && this.queue.length >= this.maxQueue) {
        this.s.dropped++;
        this.log('warn', `hook: queue full (${this.maxQueue}); ${name} for ${event.routerKey} dropped`, { event: name, router: event.routerKey });
        continue;
      }
      this.queue.push({ command, event, name, ctx, pending });
    }
    if (!this.pumpScheduled) {
      this.pumpScheduled = true;
      setImmediate(() => { this.pumpScheduled = false; this.pump(); });
    }
  }

  private pump(): void {
    this.findingsCache = null; // one findings() call per pump, however many runs it starts
    while (this.children.size < this.maxConcurrent && this.queue.length > 0) {
      this.start(this.queue.shift() as Job);
    }
    this.findingsCache = null;
    if (this.children.size === 0 && this.queue.length === 0 && this.idleWaiters.length > 0) {
      const w = this.idleWaiters;
      this.idleWaiters = [];
      for (const f of w) f();
    }
  }

  private start(job: Job): void {
    const { event, name } = job;
    const finding = this.findingFor(event, job.ctx);
    const fix = job.ctx?.fixText ?? this.fixText(finding);
    const { payload, env } = hookInput(event, name, finding, fix, this.baseEnv, job.pending);
    this.s.started++;
    let run: HookProcess;
    try {
      run = new HookProcess(job.command, env, JSON.stringify(payload) + '\n', {
        shell: this.shell, timeoutMs: this.timeoutMs, killGraceMs: this.killGraceMs, maxStderr: this.maxStderr, now: this.now,
        onTimeout: () => this.log('warn', `hook: ${JSON.stringify(job.command)} still running after ${this.timeoutMs} ms: killing it`, { command: job.command, event: name }),
        onExit: (exit, ended) => this.finished(job, ended, exit),
      });
    } catch (err) {
      this.s.failed++;
      this.log('error', `hook: cannot start ${JSON.stringify(job.command)}: ${(err as Error).message}`, { command: job.command, event: name });
      return;
    }
    this.children.add(run);
  }

  /** One run ended: count it, log it, start the next. */
  private finished(job: Job, run: HookProcess, exit: HookExit): void {
    const { event, name } = job;
    this.children.delete(run);
    const { code, signal, ms } = exit;
    const fields = { command: job.command, event: name, router: event.routerKey, code, signal, ms, stderr: exit.stderr };
    if (exit.timedOut) {
      this.s.timedOut++;
      this.log('warn', `hook: ${JSON.stringify(job.command)} killed at its timeout (${this.timeoutMs} ms) for ${name}`, fields);
    } else if (exit.error) {
      this.s.failed++;
      this.log('error', `hook: ${JSON.stringify(job.command)} could not run: ${exit.error.message}`, fields);
    } else if (code === 0) {
      this.s.ok++;
      this.log('debug', `hook: ${JSON.stringify(job.command)} ok for ${name} (${ms} ms)`, fields);
    } else {
      this.s.failed++;
      const how = signal ? `died of ${signal}` : `exited ${code}`;
      this.log('warn', `hook: ${JSON.stringify(job.command)} ${how} for ${name}${fields.stderr ? `: ${firstLine(fields.stderr)}` : ''}`, fields);
    }
    this.pump();
  }

  private findingFor(e: AnalysisEvent, ctx: HookContext | undefined): Finding | null {
    const code = e.type === 'finding' ? e.findingCode
      : e.type === 'split-brain-start' ? 'split-brain'
      : e.type === 'no-master' ? 'no-master' : undefined;
    if (!code) return null;
    let list = ctx?.findings;
    if (!list && this.findingsFn) {
      if (this.findingsCache === null) {
        try { this.findingsCache = this.findingsFn(); } catch (err) {
          this.findingsCache = [];
          this.log('warn', `hook: cannot read findings: ${(err as Error).message}`);
        }
      }
      list = this.findingsCache;
    }
    if (!list) return null;
    for (const f of list) if (f.code === code && (f.routerKey === e.routerKey || f.routerKey === null)) return f;
    return null;
  }

  private fixText(f: Finding | null): string | null {
    if (!f || !this.fixesFor) return null;
    try {
      return fixesAsText(this.fixesFor(f));
    } catch (err) {
      this.log('warn', `hook: remedies failed for ${f.code}: ${(err as Error).message}`);
      return null;
    }
  }
}

function firstLine(s: string): string { const i = s.indexOf('\n'); return i < 0 ? s : s.slice(0, i); }

function positive(v: number | undefined, d: number): number {
  return v !== undefined && Number.isFinite(v) && v > 0 ? v : d;
}

const defaultLogger: HookLogger = (level, message) => {
  if (level === 'debug') return;
  process.stderr.write(`vrrpwatch: ${message}\n`);
};
