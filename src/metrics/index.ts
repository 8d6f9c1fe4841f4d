// Prometheus exporter: turns the analyzer's Snapshot (plus hook counters) into metrics on a tick,
// never per packet. Names and the cardinality bound are documented in docs/metrics.md. This file
// sets the values; the series are defined in series.ts, the bound is applied by cardinality.ts,
// the virtual addresses' series are vips.ts, and server.ts serves them over HTTP.
//
// Counters come from totals the analyzer already keeps, so on each update every series is reset
// and set to the snapshot's value (prom-client Counter: reset() then inc(value)); they stay
// monotonic because the totals are: Router.totals (never capped, never cleared by the dashboard's
// `c`), adverts and capture counters — never the bounded, clearable history arrays. Series of
// routers/advertisers that are gone disappear.
import type { Server } from 'node:http';
import { Registry } from 'prom-client';
import type { Snapshot, Router, Advertiser, Severity, RouterStatus, Failover } from '../analyze/model.js';
import type { HookStats } from '../notify/hook-types.js';
import { advertisersWithinBound, FAILOVER_KINDS, openSeconds, OTHER, routersWithinBound, setByLabel, sumOfRouters } from './cardinality.js';
import { defineSeries, routerLabels, type MetricSeries, type RouterLabels } from './series.js';
import { MetricsServer } from './server.js';
import { VipMetrics } from './vips.js';

export { parseListen } from './server.js';

export interface MetricsOptions {
  /** Routers exported with their own series (default 64); the rest are folded into vrid="other". */
  maxRouters?: number;
  /** Advertisers per router with their own series (default 8); the rest folded into advertiser="other". */
  maxAdvertisers?: number;
  /** Distinct values of free-form labels (reject reason, link type) before folding (default 32). */
  maxLabelValues?: number;
  /** Virtual addresses per router with their own series (default 16); the rest counted as folded. */
  maxVips?: number;
  /** Optional: called on each scrape to refresh the metrics first (instead of, or besides, a tick).
   *  Return null to serve the last values. Errors are served as HTTP 500, never thrown. */
  source?: () => { snapshot: Snapshot; hooks?: HookStats } | null;
  /** update() calls closer together than this are skipped (the CLI: 1000, since live mode offers a
   *  snapshot on every 100 ms tick). Default 0: every call updates. */
  minUpdateIntervalMs?: number;
  /** Wall clock in ms for the throttle (tests). Default Date.now. */
  now?: () => number;
}

const STATES: RouterStatus[] = ['ok', 'split-brain', 'no-master', 'resigned', 'transition'];
const SEVERITY_VALUE: Record<Severity, number> = { ok: 0, warning: 1, critical: 2 };

export class MetricsExporter {
  readonly registry = new Registry();
  private readonly maxRouters: number;
  private readonly maxAdvertisers: number;
  private readonly maxLabelValues: number;
  private readonly http = new MetricsServer(() => this.scrape(), () => this.registry.contentType);
  private readonly source: MetricsOptions['source'];
  private readonly minUpdateMs: number;
  private readonly now: () => number;
  private lastUpdate = -Infinity;
  /** The last master change seen per router: the snapshot's list can be emptied by clearHistory(),
   *  and the gauges of the last failover must not vanish with it. Bounded by the routers. */
  private readonly lastFailovers = new Map<string, Failover>();
  private readonly series: MetricSeries;
  private readonly vips: VipMetrics;

  constructor(opts: MetricsOptions = {}) {
    this.maxRouters = Math.max(1, opts.maxRouters ?? 64);
    this.maxAdvertisers = Math.max(1, opts.maxAdvertisers ?? 8);
    this.maxLabelValues = Math.max(1, opts.maxLabelValues ?? 32);
    this.source = opts.source;
    this.minUpdateMs = Math.max(0, opts.minUpdateIntervalMs ?? 0);
    this.now = opts.now ?? Date.now;
    this.series = defineSeries(this.registry);
    this.vips = new VipMetrics(this.registry, Math.max(1, opts.maxVips ?? 16));
  }

  /** Whether update() would take a snapshot now (minUpdateIntervalMs passed): lets a caller skip
   *  building the snapshot at all. */
  due(): boolean {
    return this.now() - this.lastUpdate >= this.minUpdateMs;
  }

  /** Sets every metric from the snapshot (call on a tick, e.g. once a second or per scrape). Returns
   *  false when skipped by minUpdateIntervalMs. */
  update(snap: Snapshot, hookStats?: HookStats): boolean {
    if (!this.due()) return false;
    this.lastUpdate = this.now();
    const series = this.series;
    for (const m of series.resettable) if (m !== series.updatesTotal) m.reset();
    series.updatesTotal.inc(1);

    const t = snap.time;
    series.snapshotTime.set(t);
    series.verdict.set(SEVERITY_VALUE[snap.verdict] ?? 0);
    series.routers.set(snap.routers.length);

    // Routers with their own series: the first seen (stable under a later flood of spoofed VRIDs).
    const { kept, rest } = routersWithinBound(snap.routers, this.maxRouters);
    let foldedAdvertisers = 0;
    for (const rt of kept) foldedAdvertisers += this.router(rt, t);
    series.folded.set({ kind: 'router' }, rest.length);
    if (rest.length > 0) this.otherRouters(rest, t);
    series.folded.set({ kind: 'advertiser' }, foldedAdvertisers);
    series.folded.set({ kind: 'vip' }, this.vips.update(kept, routerLabels));

    const l = snap.limits;
    if (l !== undefined) {
      series.untrackedAdverts.inc(l.untrackedAdverts);
      series.untracked.set({ kind: 'sources' }, l.untrackedSources);
      series.untracked.set({ kind: 'routers' }, l.untrackedRouters);
      series.floodActive.set(l.floodActive ? 1 : 0);
      series.limit.set({ kind: 'routers' }, l.maxRouters);
      series.limit.set({ kind: 'sources' }, l.maxSources);
      series.tracked.set({ kind: 'routers' }, l.routers);
      series.tracked.set({ kind: 'sources' }, l.sources);
    }

    // Capture-wide.
    const s = snap.stats;
    series.frames.inc(s.frames);
    series.bytes.inc(s.bytes);
    series.vrrpAdverts.inc(s.vrrpAdverts);
    series.icmpErrors.inc(s.icmpErrors);
    series.carp.inc(s.carp);
    series.folded.set({ kind: 'reason' }, setByLabel(series.rejects, 'reason', s.rejects, this.maxLabelValues));
    series.folded.set({ kind: 'linktype' }, setByLabel(series.unsupported, 'linktype', s.unsupportedLinks, this.maxLabelValues));
    if (s.pcapReceived !== null) series.pcapReceived.inc(s.pcapReceived);
    if (s.pcapDropped !== null) series.pcapDropped.inc(s.pcapDropped);
    if (s.pcapIfDropped !== null) series.pcapIfDropped.inc(s.pcapIfDropped);

    // Findings by code (codes and severities are closed sets: bounded).
    const counts = new Map<string, { code: string; severity: Severity; n: number }>();
    for (const f of snap.findings) {
      const k = `${f.code}\u0000${f.severity}`;
      const e = counts.get(k);
      if (e) e.n++; else counts.set(k, { code: f.code, severity: f.severity, n: 1 });
    }
    for (const e of counts.values()) series.findings.set({ code: e.code, severity: e.severity }, e.n);

    const h = hookStats;
    if (h) {
      series.hookEvents.inc(h.events);
      series.hookRuns.inc({ result: 'ok' }, h.ok);
      series.hookRuns.inc({ result: 'failed' }, h.failed);
      series.hookRuns.inc({ result: 'timeout' }, h.timedOut);
      series.hookCoalesced.inc(h.coalesced);
      series.hookSummaries.inc(h.summaries);
      series.hookDropped.inc(h.dropped);
      series.hookFiltered.inc(h.filtered);
      series.hookRunning.set(h.running);
      series.hookQueued.set(h.queued);
      series.hookPending.set(h.pending);
    }
    return true;
  }

  /** The exposition text (what GET /metrics returns). */
  metrics(): Promise<string> { return this.registry.metrics(); }

  /** Serves GET/HEAD /metrics on addr:port ('' or '::' = all addresses, port 0 = any). */
  serve(addr: string, port: number): Promise<Server> { return this.http.serve(addr, port); }

  /** Stops the HTTP server (if any), closing idle keep-alive connections. */
  close(): Promise<void> { return this.http.close(); }

  /** What a scrape returns: refreshed from `source` first when there is one (a throw: HTTP 500). */
  private scrape(): Promise<string> {
    if (this.source) {
      const src = this.source();
      if (src) this.update(src.snapshot, src.hooks);
    }
    return this.registry.metrics();
  }

  /** Sets one router's series; returns how many advertisers were folded. */
  private router(rt: Router, t: number): number {
    const series = this.series;
    const l = routerLabels(rt);
    const active = rt.advertisers.reduce((n, a) => n + (a.active ? 1 : 0), 0);
    series.advertisers.set(l, active);
    for (const st of STATES) series.state.set({ ...l, state: st }, rt.state === st ? 1 : 0);
    if (rt.master !== null) {
      series.masterInfo.set({ ...l, master: rt.master }, 1);
      if (rt.masterPriority !== null) series.masterPriority.set(l, rt.masterPriority);
    }
    series.splitBrain.set(l, rt.state === 'split-brain' ? 1 : 0);
    series.splitBrainSeconds.inc(l, rt.totals.splitBrainSeconds);
    series.noMasterSeconds.inc(l, rt.totals.noMasterSeconds);
    series.splitBrains.inc(l, rt.totals.splitBrains);
    series.noMasters.inc(l, rt.totals.noMasters);
    series.briefDualMasters.inc(l, rt.totals.briefDualMasters);
    series.splitBrainCurrent.set(l, rt.state === 'split-brain' ? openSeconds(rt.splitBrains, t) : 0);
    series.noMasterCurrent.set(l, rt.state === 'no-master' || rt.state === 'resigned' ? openSeconds(rt.noMasters, t) : 0);
    const kinds = rt.totals.failovers;
    for (const k of FAILOVER_KINDS) series.failovers.inc({ ...l, kind: k }, kinds[k]);
    const last = this.lastFailover(rt);
    if (last) {
      series.lastFailoverTime.set(l, last.t);
      if (last.duration !== null) series.lastFailoverDuration.set(l, last.duration);
      if (last.expected !== null) series.lastFailoverExpected.set(l, last.expected);
    }
    series.lastAdvertTime.set(l, rt.lastSeen);
    series.lastAdvertAge.set(l, Math.max(0, t - rt.lastSeen));
    series.routerAdverts.inc(l, rt.adverts);
    if (rt.masterDownInterval !== null) series.masterDown.set(l, rt.masterDownInterval);

    // Advertisers: the master always has its own series, then the first seen.
    const { kept: keep, rest: fold } = advertisersWithinBound(rt, this.maxAdvertisers);
    for (const a of keep) this.advertiser(l, a);
    if (fold.length > 0) {
      const o = { ...l, advertiser: OTHER };
      series.advertiserAdverts.inc(o, fold.reduce((n, a) => n + a.adverts, 0));
      series.advertiserActive.set(o, fold.reduce((n, a) => n + (a.active ? 1 : 0), 0));
    }
    return fold.length;
  }

  private advertiser(l: RouterLabels, a: Advertiser): void {
    const series = this.series;
    const al = { ...l, advertiser: a.ip };
    series.advertiserPriority.set(al, a.priority);
    series.advertiserAdverts.inc(al, a.adverts);
    series.advertiserActive.set(al, a.active ? 1 : 0);
    series.advertiserInterval.set(al, a.advertInterval);
  }

  /** Routers beyond the bound, summed into one family="other",vrid="other",vlan="" series. */
  private otherRouters(rest: Router[], t: number): void {
    const series = this.series;
    const l: RouterLabels = { family: OTHER, vrid: OTHER, vlan: '' };
    const sum = sumOfRouters(rest, t);
    series.advertisers.set(l, sum.activeAdvertisers);
    series.splitBrain.set(l, sum.splitBrain);
    series.splitBrainCurrent.set(l, sum.splitBrainNow);
    series.noMasterCurrent.set(l, sum.noMasterNow);
    series.splitBrainSeconds.inc(l, sum.splitBrainSeconds);
    series.noMasterSeconds.inc(l, sum.noMasterSeconds);
    for (const k of FAILOVER_KINDS) series.failovers.inc({ ...l, kind: k }, sum.failovers[k]);
    series.splitBrains.inc(l, sum.splitBrains);
    series.noMasters.inc(l, sum.noMasters);
    series.briefDualMasters.inc(l, sum.briefDualMasters);
    series.routerAdverts.inc(l, sum.adverts);
  }

  /** The newest master change: from the snapshot when it has one, else the one remembered. */
  private lastFailover(rt: Router): Failover | null {
    const seen = rt.failovers.length > 0 ? rt.failovers[rt.failovers.length - 1]! : null;
    const kept = this.lastFailovers.get(rt.key) ?? null;
    if (seen && (!kept || seen.t >= kept.t)) { this.lastFailovers.set(rt.key, seen); return seen; }
    return kept;
  }
}
