// The per-router rate limit of the notification hooks: a token bucket per virtual router (`burst`
// events back to back, one more every `refillMs`), and the summary that events over the limit are
// folded into ("N events coalesced", run when a token is back). Knows nothing of processes or the
// queue: the runner (hooks.ts) decides when a summary runs.
// Invariants: at most `maxRouters` buckets (routers whose bucket is full again and has nothing
// waiting are forgotten first; beyond that, routers share one bucket); a summary holds counts and
// the latest event only, whatever the number of events folded into it.
import type { AnalysisEvent, Severity } from '../analyze/model.js';
import type { CoalescedEvents, HookEventName } from './hook-types.js';

/** A summary waiting for its run, and the timer that will try to run it. */
export interface Pending extends CoalescedEvents {
  timer: NodeJS.Timeout | null;
}

export interface Bucket {
  tokens: number;
  /** Wall-clock ms of the last refill. */
  updated: number;
  pending: Pending | null;
}

const SEVERITY_RANK: Record<Severity, number> = { ok: 0, warning: 1, critical: 2 };

/** The shared bucket of the routers beyond `maxRouters`. */
const OTHER_KEY = '*other*';

export class RouterBuckets {
  private readonly buckets = new Map<string, Bucket>();

  constructor(readonly burst: number, readonly refillMs: number, private readonly maxRouters: number,
              private readonly now: () => number) {}

  /** The bucket of a router: its own, a new one, or the shared one when the table is full. */
  bucketFor(key: string): Bucket {
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

  refill(b: Bucket, t = this.now()): void {
    if (t > b.updated) {
      b.tokens = Math.min(this.burst, b.tokens + (t - b.updated) / this.refillMs);
      b.updated = t;
    }
  }

  /** Ms until the bucket has a whole token again. */
  waitForToken(b: Bucket): number {
    return Math.ceil((1 - b.tokens) * this.refillMs);
  }

  /** Events waiting in summaries, all routers. */
  pendingEvents(): number {
    let pending = 0;
    for (const b of this.buckets.values()) if (b.pending) pending += b.pending.count;
    return pending;
  }

  /** The buckets with a summary waiting. */
  withPending(): Bucket[] {
    const out: Bucket[] = [];
    for (const b of this.buckets.values()) if (b.pending) out.push(b);
    return out;
  }
}

/** A new, empty summary starting at event `e`. */
export function newSummary(e: AnalysisEvent): Pending {
  return { count: 0, first: e.t, byEvent: {}, latest: e, severity: e.severity, timer: null };
}

/** Folds one more event into a summary (bounded: counts, the latest event, the highest severity). */
export function foldIntoSummary(p: Pending, e: AnalysisEvent, name: HookEventName): void {
  p.count++;
  p.byEvent[name] = (p.byEvent[name] ?? 0) + 1;
  p.latest = e;
  if (SEVERITY_RANK[e.severity] > SEVERITY_RANK[p.severity]) p.severity = e.severity;
}
