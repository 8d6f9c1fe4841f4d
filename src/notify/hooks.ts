// Notification hooks: run user commands for analysis events, the way keepalived's notify scripts
// are run, but from the wire's point of view (docs/notify.md is the user-facing contract).
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
import { spawn, type ChildProcess } from 'node:child_process';
import type { AnalysisEvent, EventType, Finding, Severity } from '../analyze/model.js';

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

export interface HookContext { findings?: Finding[]; fixText?: string }

/** Maps the analyzer's event type to the hook event name (docs/notify.md, "Event names"). */
export function hookEventName(t: EventType): HookEventName {
  switch (t) {
    case 'graceful-handover':
    case 'preemption':
      return 'failover'; // the master changed; VRRPWATCH_KIND tells how
    default:
      return t;
  }
}

const DEFAULT_EVENTS: HookEventName[] = [
  'split-brain-start', 'split-brain-end', 'new-master', 'failover', 'no-master', 'master-back', 'finding',
];

const SEVERITY_RANK: Record<Severity, number> = { ok: 0, warning: 1, critical: 2 };

/** Finding codes whose incidents already have their own hook events (not run again as `finding`). */
const OWN_EVENT_FINDINGS = new Set(['split-brain', 'no-master']);

interface Pending {
  count: number;
  first: number;
  byEvent: Record<string, number>;
  latest: AnalysisEvent;
  severity: Severity;
  timer: NodeJS.Timeout | null;
}

interface Bucket {
  tokens: number;
  updated: number;
  pending: Pending | null;
}

interface Job {
  command: string;
  event: AnalysisEvent;
  name: HookEventName;
  ctx: HookContext | undefined;
  pending: Pending | null;
}

const OTHER_KEY = '*other*';

export class HookRunner {
  private readonly commands: string[];
  private readonly timeoutMs: number;
  private readonly maxConcurrent: number;
  private readonly maxQueue: number;
  private readonly burst: number;
  private readonly refillMs: number;
  private readonly maxRouters: number;
  private readonly killGraceMs: number;
  private readonly maxStderr: number;
  private readonly log: HookLogger;
  private readonly allowed: Set<string>;
  private readonly fixesFor: FixesFor | undefined;
  private readonly findingsFn: (() => Finding[]) | undefined;
  private readonly baseEnv: NodeJS.ProcessEnv;
  private readonly shell: string;
  private readonly now: () => number;

  private readonly buckets = new Map<string, Bucket>();
  private readonly queue: Job[] = [];
  private readonly children = new Set<ChildProcess>();
  private readonly killedAtExit = new WeakSet<ChildProcess>();
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
    this.burst = positive(l.burst, 5);
    this.refillMs = positive(l.refillMs, 10_000);
    this.maxRouters = positive(l.maxRouters, 256);
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
  }

  /** Counters and gauges (a copy). */
  stats(): HookStats {
    let pending = 0;
    for (const b of this.buckets.values()) if (b.pending) pending += b.pending.count;
    return { ...this.s, running: this.children.size, queued: this.queue.length, pending };
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
    const b = this.bucketFor(e.routerKey);
    this.refill(b);
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
      p = { count: 0, first: e.t, byEvent: {}, latest: e, severity: e.severity, timer: null };
      b.pending = p;
      const wait = Math.max(1, Math.ceil((1 - b.tokens) * this.refillMs));
      p.timer = setTimeout(() => this.flushPending(b), wait);
      p.timer.unref();
      const why = b.tokens >= 1 ? `hook queue full (${this.maxQueue})` : `rate limit reached for ${e.routerKey || 'global findings'}`;
      this.log('info', `hook: ${why}; coalescing events for ${e.routerKey || 'global findings'} for ${Math.ceil(wait / 1000)} s`, { router: e.routerKey });
    }
    p.count++;
    p.byEvent[name] = (p.byEvent[name] ?? 0) + 1;
    p.latest = e;
    if (SEVERITY_RANK[e.severity] > SEVERITY_RANK[p.severity]) p.severity = e.severity;
  }

  /**
   * For exit: run waiting summaries now (ignoring the rate limit), wait for queued and running hooks
   * up to `timeoutMs`, then kill what still runs (process group) and count what never started as
   * dropped. Further events are dropped (counted). Resolves with the final stats.
   */
  async drain(timeoutMs = this.timeoutMs): Promise<HookStats> {
    this.closed = true;
    for (const b of this.buckets.values()) if (b.pending) this.flushPending(b, true);
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
        for (const c of this.children) { this.killedAtExit.add(c); killGroup(c, 'SIGKILL'); }
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

  private bucketFor(key: string): Bucket {
    let b = this.buckets.get(key);
    if (b) return b;
    if (this.buckets.size >= this.maxRouters) {
      // Forget routers whose bucket is full again and has nothing waiting, before falling back.
      const t = this.now();
      for (const [k, o] of this.buckets) {
        if (k !== OTHER_KEY && o.pending === null) {
          this.refill(o, t);
          if (o.tokens >= this.burst) this.buckets.delete(k);
        }
      }
      if (this.buckets.size >= this.maxRouters) {
        b = this.buckets.get(OTHER_KEY);
        if (!b) { b = { tokens: this.burst, updated: this.now(), pending: null }; this.buckets.set(OTHER_KEY, b); }
        return b;
      }
    }
    b = { tokens: this.burst, updated: this.now(), pending: null };
    this.buckets.set(key, b);
    return b;
  }

  private refill(b: Bucket, t = this.now()): void {
    if (t > b.updated) {
      b.tokens = Math.min(this.burst, b.tokens + (t - b.updated) / this.refillMs);
      b.updated = t;
    }
  }

  private flushPending(b: Bucket, force = false): void {
    const p = b.pending;
    if (!p) return;
    if (p.timer) { clearTimeout(p.timer); p.timer = null; }
    this.refill(b);
    if (!force && (b.tokens < 1 || this.queue.length + this.commands.length > this.maxQueue)) {
      // Timer fired early (clock skew), or the queue is still full: try again later.
      const wait = b.tokens < 1 ? Math.ceil((1 - b.tokens) * this.refillMs) : Math.min(this.refillMs, 1000);
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
    const payload: HookPayload = {
      ...event,
      version: 1,
      event: name,
      time: isoTime(event.t),
      fix,
      finding,
    };
    const env: NodeJS.ProcessEnv = { ...this.baseEnv, ...hookEnv(event, name, fix) };
    if (job.pending) {
      const p = job.pending;
      const lastEvent = hookEventName(p.latest.type);
      payload.coalesced = { count: p.count, byEvent: p.byEvent, first: p.first, last: p.latest.t, lastEvent };
      payload.severity = p.severity;
      const summary = Object.entries(p.byEvent).map(([k, v]) => `${k}=${v}`).join(' ');
      payload.message = `${p.count} events coalesced for ${event.routerKey} (${summary}); latest: ${event.message}`;
      env.VRRPWATCH_SEVERITY = p.severity;
      env.VRRPWATCH_MESSAGE = clean(payload.message);
      env.VRRPWATCH_COALESCED = String(p.count);
      env.VRRPWATCH_COALESCED_EVENTS = summary;
      env.VRRPWATCH_LAST_EVENT = lastEvent;
    }
    this.s.started++;
    let child: ChildProcess;
    try {
      child = spawn(this.shell, ['-c', job.command], {
        env, detached: true, stdio: ['pipe', 'ignore', 'pipe'], windowsHide: true,
      });
    } catch (err) {
      this.s.failed++;
      this.log('error', `hook: cannot start ${JSON.stringify(job.command)}: ${(err as Error).message}`, { command: job.command, event: name });
      return;
    }
    this.children.add(child);
    const started = this.now();
    let stderr = '';
    let timedOut = false;
    let finished = false;
    let killTimer: NodeJS.Timeout | null = null;
    const timer = setTimeout(() => {
      timedOut = true;
      this.log('warn', `hook: ${JSON.stringify(job.command)} still running after ${this.timeoutMs} ms: killing it`, { command: job.command, event: name });
      killGroup(child, 'SIGTERM');
      killTimer = setTimeout(() => killGroup(child, 'SIGKILL'), this.killGraceMs);
    }, this.timeoutMs);
    const finish = (code: number | null, signal: string | null, error: Error | null): void => {
      if (finished) return;
      finished = true;
      clearTimeout(timer);
      if (killTimer) clearTimeout(killTimer);
      // The shell may be gone while its children still hold the group: make sure nothing stays.
      if (this.killedAtExit.has(child)) timedOut = true;
      if (timedOut) killGroup(child, 'SIGKILL');
      this.children.delete(child);
      const ms = this.now() - started;
      const fields = { command: job.command, event: name, router: event.routerKey, code, signal, ms, stderr: stderr.trim() || null };
      if (timedOut) {
        this.s.timedOut++;
        this.log('warn', `hook: ${JSON.stringify(job.command)} killed at its timeout (${this.timeoutMs} ms) for ${name}`, fields);
      } else if (error) {
        this.s.failed++;
        this.log('error', `hook: ${JSON.stringify(job.command)} could not run: ${error.message}`, fields);
      } else if (code === 0) {
        this.s.ok++;
        this.log('debug', `hook: ${JSON.stringify(job.command)} ok for ${name} (${ms} ms)`, fields);
      } else {
        this.s.failed++;
        const how = signal ? `died of ${signal}` : `exited ${code}`;
        this.log('warn', `hook: ${JSON.stringify(job.command)} ${how} for ${name}${fields.stderr ? `: ${firstLine(fields.stderr)}` : ''}`, fields);
      }
      this.pump();
    };
    // 'exit' can come before the last stderr bytes are read: wait for the pipe's end, but not for
    // long, since a background grandchild (`mail &`) may hold it open.
    let stderrEnded = child.stderr === null;
    let exitInfo: [number | null, string | null] | null = null;
    let endTimer: NodeJS.Timeout | null = null;
    const settle = (): void => {
      if (!exitInfo) return;
      if (endTimer) clearTimeout(endTimer);
      child.stderr?.destroy();
      finish(exitInfo[0], exitInfo[1], null);
    };
    child.on('error', (err) => finish(null, null, err));
    child.on('exit', (code, signal) => {
      exitInfo = [code, signal];
      if (stderrEnded) settle();
      else endTimer = setTimeout(settle, 200);
    });
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (d: string) => {
      if (stderr.length < this.maxStderr) stderr += d.slice(0, this.maxStderr - stderr.length);
    });
    child.stderr?.on('end', () => { stderrEnded = true; settle(); });
    child.stderr?.on('error', () => { stderrEnded = true; settle(); });
    // A hook that does not read stdin and exits makes the write fail with EPIPE: harmless.
    child.stdin?.on('error', () => {});
    child.stdin?.end(JSON.stringify(payload) + '\n');
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
      const fixes = this.fixesFor(f);
      if (fixes.length === 0) return null;
      return fixes.map((x) => `# ${x.title}${x.host && !x.title.includes(x.host) ? ` (on ${x.host})` : ''}\n${x.commands.join('\n')}`).join('\n\n');
    } catch (err) {
      this.log('warn', `hook: remedies failed for ${f.code}: ${(err as Error).message}`);
      return null;
    }
  }
}

/** The VRRPWATCH_* variables for one event (docs/notify.md, "Environment"). */
export function hookEnv(e: AnalysisEvent, name: HookEventName, fix: string | null): Record<string, string> {
  const env: Record<string, string> = {
    VRRPWATCH_EVENT: name,
    VRRPWATCH_KIND: e.type,
    VRRPWATCH_ROUTER: clean(e.routerKey),
    VRRPWATCH_VRID: String(e.vrid),
    VRRPWATCH_FAMILY: e.family === 6 ? 'ipv6' : 'ipv4',
    VRRPWATCH_VLAN: e.vlan === null ? '' : String(e.vlan),
    VRRPWATCH_MASTER: clean(e.master ?? ''),
    VRRPWATCH_PREVIOUS_MASTER: clean(e.previousMaster ?? ''),
    VRRPWATCH_ADVERTISERS: clean(e.advertisers.join(' ')),
    VRRPWATCH_DURATION: e.duration === null ? '' : e.duration.toFixed(3),
    VRRPWATCH_EXPECTED: e.expected === null ? '' : e.expected.toFixed(3),
    VRRPWATCH_SEVERITY: e.severity,
    VRRPWATCH_MESSAGE: clean(e.message),
    VRRPWATCH_FIX: fix === null ? '' : cleanMultiline(fix),
    VRRPWATCH_TIME: isoTime(e.t),
    VRRPWATCH_TIMESTAMP: e.t.toFixed(6),
    VRRPWATCH_FINDING: e.findingCode ?? '',
  };
  if (e.type === 'priority-change') {
    env.VRRPWATCH_IP = clean(e.ip ?? '');
    env.VRRPWATCH_FROM_PRIORITY = e.fromPriority === undefined ? '' : String(e.fromPriority);
    env.VRRPWATCH_TO_PRIORITY = e.toPriority === undefined ? '' : String(e.toPriority);
  }
  return env;
}

function isoTime(t: number): string {
  const d = new Date(t * 1000);
  return Number.isFinite(d.getTime()) ? d.toISOString() : '';
}

// Environment strings may not hold NUL, and a terminal/mail body should not get control characters.
// eslint-disable-next-line no-control-regex
const CTRL = /[\x00-\x1f\x7f]/g;
// eslint-disable-next-line no-control-regex
const CTRL_KEEP_NL = /[\x00-\x09\x0b-\x1f\x7f]/g;
function clean(s: string): string { return s.replace(CTRL, ' '); }
function cleanMultiline(s: string): string { return s.replace(CTRL_KEEP_NL, ' '); }
function firstLine(s: string): string { const i = s.indexOf('\n'); return i < 0 ? s : s.slice(0, i); }

function positive(v: number | undefined, d: number): number {
  return v !== undefined && Number.isFinite(v) && v > 0 ? v : d;
}

function killGroup(c: ChildProcess, sig: NodeJS.Signals): void {
  if (c.pid === undefined) return;
  try { process.kill(-c.pid, sig); } catch { /* group already gone */ }
}

const defaultLogger: HookLogger = (level, message) => {
  if (level === 'debug') return;
  process.stderr.write(`vrrpwatch: ${message}\n`);
};
