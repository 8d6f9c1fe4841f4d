// Prometheus exporter: turns the analyzer's Snapshot (plus hook counters) into metrics on a tick,
// never per packet. Names and the cardinality bound are documented in docs/metrics.md.
//
// Counters come from totals the analyzer already keeps, so on each update every series is reset
// and set to the snapshot's value (prom-client Counter: reset() then inc(value)); they stay
// monotonic because the totals are: Router.totals (never capped, never cleared by the dashboard's
// `c`), adverts and capture counters — never the bounded, clearable history arrays. Series of
// routers/advertisers that are gone disappear.
import { createServer, type Server, type IncomingMessage, type ServerResponse } from 'node:http';
import { Registry, Gauge, Counter } from 'prom-client';
import type { Snapshot, Router, Advertiser, Severity, RouterStatus, Failover } from '../analyze/model.js';
import type { HookStats } from '../notify/hook-types.js';
import { VrrpwatchError } from '../errors.js';
import { VipMetrics } from './vips.js';

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

const OTHER = 'other';
const STATES: RouterStatus[] = ['ok', 'split-brain', 'no-master', 'resigned', 'transition'];
const FAILOVER_KINDS = ['failover', 'graceful', 'preemption', 'initial'] as const;
const SEVERITY_VALUE: Record<Severity, number> = { ok: 0, warning: 1, critical: 2 };
const ROUTER_LABELS = ['family', 'vrid', 'vlan'] as const;
const ADV_LABELS = ['family', 'vrid', 'vlan', 'advertiser'] as const;

type RL = { family: string; vrid: string; vlan: string };

export class MetricsExporter {
  readonly registry = new Registry();
  private readonly maxRouters: number;
  private readonly maxAdvertisers: number;
  private readonly maxLabelValues: number;
  private server: Server | null = null;
  private readonly resettable: Array<Gauge | Counter> = [];
  private readonly source: MetricsOptions['source'];
  private readonly minUpdateMs: number;
  private readonly now: () => number;
  private lastUpdate = -Infinity;
  /** The last master change seen per router: the snapshot's list can be emptied by clearHistory(),
   *  and the gauges of the last failover must not vanish with it. Bounded by the routers. */
  private readonly lastFailovers = new Map<string, Failover>();

  // per router
  private readonly routers: Gauge;
  private readonly advertisers: Gauge;
  private readonly state: Gauge;
  private readonly masterPriority: Gauge;
  private readonly masterInfo: Gauge;
  private readonly splitBrain: Gauge;
  private readonly splitBrainSeconds: Counter;
  private readonly splitBrainCurrent: Gauge;
  private readonly noMasterCurrent: Gauge;
  private readonly noMasterSeconds: Counter;
  private readonly failovers: Counter;
  private readonly splitBrains: Counter;
  private readonly noMasters: Counter;
  private readonly briefDualMasters: Counter;
  private readonly lastFailoverDuration: Gauge;
  private readonly lastFailoverExpected: Gauge;
  private readonly lastFailoverTime: Gauge;
  private readonly lastAdvertAge: Gauge;
  private readonly lastAdvertTime: Gauge;
  private readonly routerAdverts: Counter;
  private readonly masterDown: Gauge;
  // per advertiser
  private readonly advPriority: Gauge;
  private readonly advAdverts: Counter;
  private readonly advActive: Gauge;
  private readonly advInterval: Gauge;
  // capture-wide
  private readonly frames: Counter;
  private readonly bytes: Counter;
  private readonly vrrpAdverts: Counter;
  private readonly rejects: Counter;
  private readonly unsupported: Counter;
  private readonly icmpErrors: Counter;
  private readonly carp: Counter;
  private readonly pcapReceived: Counter;
  private readonly pcapDropped: Counter;
  private readonly pcapIfDropped: Counter;
  private readonly findings: Gauge;
  private readonly verdict: Gauge;
  private readonly snapshotTime: Gauge;
  private readonly folded: Gauge;
  private readonly updatesTotal: Counter;
  // the limits and what went beyond them (a flood)
  private readonly untrackedAdverts: Counter;
  private readonly untracked: Gauge;
  private readonly floodActive: Gauge;
  private readonly limit: Gauge;
  private readonly tracked: Gauge;
  // hooks
  private readonly hookEvents: Counter;
  private readonly hookRuns: Counter;
  private readonly hookCoalesced: Counter;
  private readonly hookSummaries: Counter;
  private readonly hookDropped: Counter;
  private readonly hookFiltered: Counter;
  private readonly hookRunning: Gauge;
  private readonly hookQueued: Gauge;
  private readonly hookPending: Gauge;
  private readonly vips: VipMetrics;

  constructor(opts: MetricsOptions = {}) {
    this.maxRouters = Math.max(1, opts.maxRouters ?? 64);
    this.maxAdvertisers = Math.max(1, opts.maxAdvertisers ?? 8);
    this.maxLabelValues = Math.max(1, opts.maxLabelValues ?? 32);
    this.source = opts.source;
    this.minUpdateMs = Math.max(0, opts.minUpdateIntervalMs ?? 0);
    this.now = opts.now ?? Date.now;
    const r = [this.registry];
    const g = (name: string, help: string, labelNames: readonly string[] = []): Gauge => {
      const m = new Gauge({ name, help, labelNames: [...labelNames], registers: r });
      this.resettable.push(m);
      return m;
    };
    const c = (name: string, help: string, labelNames: readonly string[] = []): Counter => {
      const m = new Counter({ name, help, labelNames: [...labelNames], registers: r });
      this.resettable.push(m);
      return m;
    };

    this.routers = g('vrrpwatch_routers', 'Virtual routers seen, including those folded into vrid="other".');
    this.advertisers = g('vrrpwatch_router_advertisers', 'Sources advertising for the virtual router now (2 or more outside a transition = split brain).', ROUTER_LABELS);
    this.state = g('vrrpwatch_router_state', 'Virtual router state: 1 for the current state, 0 for the others.', [...ROUTER_LABELS, 'state']);
    this.masterPriority = g('vrrpwatch_router_master_priority', 'Advertised priority of the current master (absent when there is none).', ROUTER_LABELS);
    this.masterInfo = g('vrrpwatch_router_master_info', 'Current master address as a label, value 1 (absent when there is none).', [...ROUTER_LABELS, 'master']);
    this.splitBrain = g('vrrpwatch_router_split_brain', '1 while two or more sources advertise as master beyond a normal transition, else 0.', ROUTER_LABELS);
    this.splitBrainSeconds = c('vrrpwatch_router_split_brain_seconds_total', 'Seconds spent in split brain (packet clock), including the ongoing period.', ROUTER_LABELS);
    this.splitBrainCurrent = g('vrrpwatch_router_split_brain_duration_seconds', 'How long the ongoing split brain has lasted (0 when there is none).', ROUTER_LABELS);
    this.noMasterCurrent = g('vrrpwatch_router_no_master_duration_seconds', 'How long the virtual router has been without a master (0 when it has one).', ROUTER_LABELS);
    this.noMasterSeconds = c('vrrpwatch_router_no_master_seconds_total', 'Seconds with no master advertising (packet clock), including the ongoing period.', ROUTER_LABELS);
    this.failovers = c('vrrpwatch_router_failovers_total', 'Master changes by kind (failover, graceful, preemption, initial).', [...ROUTER_LABELS, 'kind']);
    this.splitBrains = c('vrrpwatch_router_split_brains_total', 'Split-brain periods begun.', ROUTER_LABELS);
    this.noMasters = c('vrrpwatch_router_no_masters_total', 'Periods without a master begun.', ROUTER_LABELS);
    this.briefDualMasters = c('vrrpwatch_router_brief_dual_masters_total', 'Brief dual-master periods (a node advertised as master, then went back to backup).', ROUTER_LABELS);
    this.lastFailoverDuration = g('vrrpwatch_router_last_failover_duration_seconds', 'Measured duration of the last master change (first advert of the new master minus last advert of the old).', ROUTER_LABELS);
    this.lastFailoverExpected = g('vrrpwatch_router_last_failover_expected_seconds', 'Expected duration of the last master change (Master_Down_Interval or Skew_Time).', ROUTER_LABELS);
    this.lastFailoverTime = g('vrrpwatch_router_last_failover_timestamp_seconds', 'Unix time (packet clock) of the last master change.', ROUTER_LABELS);
    this.lastAdvertAge = g('vrrpwatch_router_last_advert_age_seconds', 'Seconds since the last advert for this virtual router, at the snapshot time.', ROUTER_LABELS);
    this.lastAdvertTime = g('vrrpwatch_router_last_advert_timestamp_seconds', 'Unix time (packet clock) of the last advert for this virtual router.', ROUTER_LABELS);
    this.routerAdverts = c('vrrpwatch_router_adverts_total', 'VRRP adverts received for this virtual router.', ROUTER_LABELS);
    this.masterDown = g('vrrpwatch_router_master_down_interval_seconds', 'Master_Down_Interval of the current backup (how long a silent master goes unnoticed).', ROUTER_LABELS);

    this.advPriority = g('vrrpwatch_advertiser_priority', 'Last advertised priority of this source.', ADV_LABELS);
    this.advAdverts = c('vrrpwatch_advertiser_adverts_total', 'Adverts received from this source.', ADV_LABELS);
    this.advActive = g('vrrpwatch_advertiser_active', '1 while this source advertises (seen within its master-down interval).', ADV_LABELS);
    this.advInterval = g('vrrpwatch_advertiser_advert_interval_seconds', 'Advertisement interval this source announces.', ADV_LABELS);

    this.frames = c('vrrpwatch_frames_total', 'Frames read from the capture.');
    this.bytes = c('vrrpwatch_frame_bytes_total', 'Bytes of the frames read (original length).');
    this.vrrpAdverts = c('vrrpwatch_vrrp_adverts_total', 'VRRP adverts decoded.');
    this.rejects = c('vrrpwatch_rejected_packets_total', 'Protocol-112 packets that did not decode, by reason.', ['reason']);
    this.unsupported = c('vrrpwatch_unsupported_link_frames_total', 'Frames of link types that cannot be decoded, by link type.', ['linktype']);
    this.icmpErrors = c('vrrpwatch_icmp_errors_total', 'ICMP errors quoting VRRP (e.g. a firewall rejecting adverts).');
    this.carp = c('vrrpwatch_carp_packets_total', 'CARP packets (protocol 112 from OpenBSD/FreeBSD CARP).');
    this.pcapReceived = c('vrrpwatch_pcap_received_packets_total', 'Packets received by the libpcap filter (live capture only).');
    this.pcapDropped = c('vrrpwatch_pcap_dropped_packets_total', 'Packets dropped by the kernel because the capture buffer was full (live capture only).');
    this.pcapIfDropped = c('vrrpwatch_pcap_interface_dropped_packets_total', 'Packets dropped by the interface or its driver (live capture only, when reported).');
    this.findings = g('vrrpwatch_findings', 'Current findings by code and severity.', ['code', 'severity']);
    this.verdict = g('vrrpwatch_verdict', 'Overall verdict: 0 ok, 1 warning, 2 critical.');
    this.snapshotTime = g('vrrpwatch_snapshot_timestamp_seconds', 'Packet-clock Unix time of the snapshot these metrics come from.');
    this.folded = g('vrrpwatch_folded_series', 'Routers or advertisers (or label values) folded into an "other" series by the cardinality bound.', ['kind']);
    this.updatesTotal = c('vrrpwatch_metrics_updates_total', 'Snapshots turned into metrics.');
    this.untrackedAdverts = c('vrrpwatch_untracked_adverts_total', 'Adverts of routers or sources beyond the limits (a flood): counted, not tracked.');
    this.untracked = g('vrrpwatch_untracked', 'About how many distinct sources and routers were beyond the limits, by kind (sources, routers).', ['kind']);
    this.floodActive = g('vrrpwatch_flood_active', '1 while a flood is going on (something went beyond the limits within the last 60 s), else 0.');
    this.limit = g('vrrpwatch_limit', 'The limits on what is tracked, by kind (routers; sources per router).', ['kind']);
    this.tracked = g('vrrpwatch_tracked', 'Routers and sources tracked now, by kind.', ['kind']);

    this.hookEvents = c('vrrpwatch_hook_events_total', 'Events handed to the notification hooks (after the event filter).');
    this.hookRuns = c('vrrpwatch_hook_runs_total', 'Hook runs finished, by result (ok, failed, timeout).', ['result']);
    this.hookCoalesced = c('vrrpwatch_hook_coalesced_events_total', 'Events folded into a summary run (per-router rate limit, or queue full).');
    this.hookSummaries = c('vrrpwatch_hook_coalesced_runs_total', 'Summary runs scheduled for coalesced events.');
    this.hookDropped = c('vrrpwatch_hook_dropped_runs_total', 'Hook runs never started (still queued when the drain at exit gave up).');
    this.hookFiltered = c('vrrpwatch_hook_filtered_events_total', 'Events not sent to hooks because of the event filter.');
    this.hookRunning = g('vrrpwatch_hook_running', 'Hook processes running now.');
    this.hookQueued = g('vrrpwatch_hook_queued', 'Hook runs waiting for a free slot.');
    this.hookPending = g('vrrpwatch_hook_pending_events', 'Events waiting in a coalesced summary.');
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
    for (const m of this.resettable) if (m !== this.updatesTotal) m.reset();
    this.updatesTotal.inc(1);

    const t = snap.time;
    this.snapshotTime.set(t);
    this.verdict.set(SEVERITY_VALUE[snap.verdict] ?? 0);
    this.routers.set(snap.routers.length);

    // Routers with their own series: the first seen (stable under a later flood of spoofed VRIDs).
    const ordered = snap.routers.slice().sort((a, b) => a.firstSeen - b.firstSeen || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    const kept = ordered.slice(0, this.maxRouters);
    const rest = ordered.slice(this.maxRouters);
    let foldedAdv = 0;
    for (const rt of kept) foldedAdv += this.router(rt, t);
    this.folded.set({ kind: 'router' }, rest.length);
    if (rest.length > 0) this.otherRouters(rest, t);
    this.folded.set({ kind: 'advertiser' }, foldedAdv);
    this.folded.set({ kind: 'vip' }, this.vips.update(kept, routerLabels));

    const l = snap.limits;
    if (l !== undefined) {
      this.untrackedAdverts.inc(l.untrackedAdverts);
      this.untracked.set({ kind: 'sources' }, l.untrackedSources);
      this.untracked.set({ kind: 'routers' }, l.untrackedRouters);
      this.floodActive.set(l.floodActive ? 1 : 0);
      this.limit.set({ kind: 'routers' }, l.maxRouters);
      this.limit.set({ kind: 'sources' }, l.maxSources);
      this.tracked.set({ kind: 'routers' }, l.routers);
      this.tracked.set({ kind: 'sources' }, l.sources);
    }

    // Capture-wide.
    const s = snap.stats;
    this.frames.inc(s.frames);
    this.bytes.inc(s.bytes);
    this.vrrpAdverts.inc(s.vrrpAdverts);
    this.icmpErrors.inc(s.icmpErrors);
    this.carp.inc(s.carp);
    this.folded.set({ kind: 'reason' }, this.byLabel(this.rejects, 'reason', s.rejects));
    this.folded.set({ kind: 'linktype' }, this.byLabel(this.unsupported, 'linktype', s.unsupportedLinks));
    if (s.pcapReceived !== null) this.pcapReceived.inc(s.pcapReceived);
    if (s.pcapDropped !== null) this.pcapDropped.inc(s.pcapDropped);
    if (s.pcapIfDropped !== null) this.pcapIfDropped.inc(s.pcapIfDropped);

    // Findings by code (codes and severities are closed sets: bounded).
    const counts = new Map<string, { code: string; severity: Severity; n: number }>();
    for (const f of snap.findings) {
      const k = `${f.code}\u0000${f.severity}`;
      const e = counts.get(k);
      if (e) e.n++; else counts.set(k, { code: f.code, severity: f.severity, n: 1 });
    }
    for (const e of counts.values()) this.findings.set({ code: e.code, severity: e.severity }, e.n);

    const h = hookStats;
    if (h) {
      this.hookEvents.inc(h.events);
      this.hookRuns.inc({ result: 'ok' }, h.ok);
      this.hookRuns.inc({ result: 'failed' }, h.failed);
      this.hookRuns.inc({ result: 'timeout' }, h.timedOut);
      this.hookCoalesced.inc(h.coalesced);
      this.hookSummaries.inc(h.summaries);
      this.hookDropped.inc(h.dropped);
      this.hookFiltered.inc(h.filtered);
      this.hookRunning.set(h.running);
      this.hookQueued.set(h.queued);
      this.hookPending.set(h.pending);
    }
    return true;
  }

  /** The exposition text (what GET /metrics returns). */
  metrics(): Promise<string> { return this.registry.metrics(); }

  /** Serves GET/HEAD /metrics on addr:port ('' or '::' = all addresses, port 0 = any). */
  serve(addr: string, port: number): Promise<Server> {
    if (this.server) return Promise.reject(new VrrpwatchError('internal', 'metrics server already running'));
    const server = createServer((req, res) => { void this.respond(req, res); });
    server.keepAliveTimeout = 5_000;
    server.headersTimeout = 10_000;
    server.requestTimeout = 10_000;
    return new Promise<Server>((resolve, reject) => {
      const onError = (err: NodeJS.ErrnoException): void => {
        const where = `${addr.includes(':') ? `[${addr}]` : addr}:${port}`;
        const why = err.code === 'EADDRINUSE' ? 'address already in use'
          : err.code === 'EACCES' ? 'permission denied (ports below 1024 need privileges)'
          : err.code === 'EADDRNOTAVAIL' ? 'no such local address' : err.message;
        reject(new VrrpwatchError('usage', `cannot serve metrics on ${where}: ${why}`));
      };
      server.once('error', onError);
      server.listen({ host: addr === '' ? undefined : addr, port }, () => {
        server.off('error', onError);
        server.on('error', () => { /* per-connection errors: nothing to do */ });
        this.server = server;
        resolve(server);
      });
    });
  }

  /** Stops the HTTP server (if any), closing idle keep-alive connections. */
  close(): Promise<void> {
    const s = this.server;
    this.server = null;
    if (!s) return Promise.resolve();
    return new Promise<void>((resolve) => {
      s.close(() => resolve());
      s.closeIdleConnections();
    });
  }

  private async respond(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? '/').split('?')[0];
    if (path !== '/metrics') {
      res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' });
      res.end('Not found: metrics are at /metrics\n');
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { Allow: 'GET, HEAD', 'Content-Type': 'text/plain; charset=utf-8' });
      res.end('Method not allowed\n');
      return;
    }
    try {
      if (this.source) {
        const src = this.source();
        if (src) this.update(src.snapshot, src.hooks);
      }
      const body = await this.registry.metrics();
      res.writeHead(200, { 'Content-Type': this.registry.contentType, 'Content-Length': Buffer.byteLength(body) });
      res.end(req.method === 'HEAD' ? undefined : body);
    } catch (err) {
      res.writeHead(500, { 'Content-Type': 'text/plain; charset=utf-8' });
      res.end(`metrics failed: ${(err as Error).message}\n`);
    }
  }

  /** Sets one router's series; returns how many advertisers were folded. */
  private router(rt: Router, t: number): number {
    const l: RL = routerLabels(rt);
    const active = rt.advertisers.reduce((n, a) => n + (a.active ? 1 : 0), 0);
    this.advertisers.set(l, active);
    for (const st of STATES) this.state.set({ ...l, state: st }, rt.state === st ? 1 : 0);
    if (rt.master !== null) {
      this.masterInfo.set({ ...l, master: rt.master }, 1);
      if (rt.masterPriority !== null) this.masterPriority.set(l, rt.masterPriority);
    }
    this.splitBrain.set(l, rt.state === 'split-brain' ? 1 : 0);
    this.splitBrainSeconds.inc(l, rt.totals.splitBrainSeconds);
    this.noMasterSeconds.inc(l, rt.totals.noMasterSeconds);
    this.splitBrains.inc(l, rt.totals.splitBrains);
    this.noMasters.inc(l, rt.totals.noMasters);
    this.briefDualMasters.inc(l, rt.totals.briefDualMasters);
    this.splitBrainCurrent.set(l, rt.state === 'split-brain' ? openSeconds(rt.splitBrains, t) : 0);
    this.noMasterCurrent.set(l, rt.state === 'no-master' || rt.state === 'resigned' ? openSeconds(rt.noMasters, t) : 0);
    const kinds = rt.totals.failovers;
    for (const k of FAILOVER_KINDS) this.failovers.inc({ ...l, kind: k }, kinds[k]);
    const last = this.lastFailover(rt);
    if (last) {
      this.lastFailoverTime.set(l, last.t);
      if (last.duration !== null) this.lastFailoverDuration.set(l, last.duration);
      if (last.expected !== null) this.lastFailoverExpected.set(l, last.expected);
    }
    this.lastAdvertTime.set(l, rt.lastSeen);
    this.lastAdvertAge.set(l, Math.max(0, t - rt.lastSeen));
    this.routerAdverts.inc(l, rt.adverts);
    if (rt.masterDownInterval !== null) this.masterDown.set(l, rt.masterDownInterval);

    // Advertisers: the master always has its own series, then the first seen.
    const advs = rt.advertisers.slice().sort((a, b) =>
      (a.ip === rt.master ? -1 : 0) - (b.ip === rt.master ? -1 : 0) || a.firstSeen - b.firstSeen || (a.ip < b.ip ? -1 : a.ip > b.ip ? 1 : 0));
    const keep = advs.slice(0, this.maxAdvertisers);
    const fold = advs.slice(this.maxAdvertisers);
    for (const a of keep) this.advertiser(l, a);
    if (fold.length > 0) {
      const o = { ...l, advertiser: OTHER };
      this.advAdverts.inc(o, fold.reduce((n, a) => n + a.adverts, 0));
      this.advActive.set(o, fold.reduce((n, a) => n + (a.active ? 1 : 0), 0));
    }
    return fold.length;
  }

  private advertiser(l: RL, a: Advertiser): void {
    const al = { ...l, advertiser: a.ip };
    this.advPriority.set(al, a.priority);
    this.advAdverts.inc(al, a.adverts);
    this.advActive.set(al, a.active ? 1 : 0);
    this.advInterval.set(al, a.advertInterval);
  }

  /** Routers beyond the bound, summed into one family="other",vrid="other",vlan="" series. */
  private otherRouters(rest: Router[], t: number): void {
    const l: RL = { family: OTHER, vrid: OTHER, vlan: '' };
    let adv = 0, sb = 0, sbs = 0, nms = 0, ads = 0, sbNow = 0, nmNow = 0, sbn = 0, nmn = 0, bdm = 0;
    const fo = { failover: 0, graceful: 0, preemption: 0, initial: 0 };
    for (const rt of rest) {
      for (const a of rt.advertisers) if (a.active) adv++;
      if (rt.state === 'split-brain') { sb = 1; sbNow = Math.max(sbNow, openSeconds(rt.splitBrains, t)); }
      if (rt.state === 'no-master' || rt.state === 'resigned') nmNow = Math.max(nmNow, openSeconds(rt.noMasters, t));
      sbs += rt.totals.splitBrainSeconds;
      nms += rt.totals.noMasterSeconds;
      sbn += rt.totals.splitBrains;
      nmn += rt.totals.noMasters;
      bdm += rt.totals.briefDualMasters;
      for (const k of FAILOVER_KINDS) fo[k] += rt.totals.failovers[k];
      ads += rt.adverts;
    }
    this.advertisers.set(l, adv);
    this.splitBrain.set(l, sb);
    this.splitBrainCurrent.set(l, sbNow);
    this.noMasterCurrent.set(l, nmNow);
    this.splitBrainSeconds.inc(l, sbs);
    this.noMasterSeconds.inc(l, nms);
    for (const k of FAILOVER_KINDS) this.failovers.inc({ ...l, kind: k }, fo[k]);
    this.splitBrains.inc(l, sbn);
    this.noMasters.inc(l, nmn);
    this.briefDualMasters.inc(l, bdm);
    this.routerAdverts.inc(l, ads);
  }

  /** The newest master change: from the snapshot when it has one, else the one remembered. */
  private lastFailover(rt: Router): Failover | null {
    const seen = rt.failovers.length > 0 ? rt.failovers[rt.failovers.length - 1]! : null;
    const kept = this.lastFailovers.get(rt.key) ?? null;
    if (seen && (!kept || seen.t >= kept.t)) { this.lastFailovers.set(rt.key, seen); return seen; }
    return kept;
  }

  /** Sets a counter by one free-form label, at most maxLabelValues values; returns values folded. */
  private byLabel(m: Counter, label: string, values: Record<string, number>): number {
    const keys = Object.keys(values).sort();
    let other = 0, folded = 0;
    for (let i = 0; i < keys.length; i++) {
      if (i < this.maxLabelValues - 1 || keys.length <= this.maxLabelValues) m.inc({ [label]: keys[i] }, values[keys[i]]);
      else { other += values[keys[i]]; folded++; }
    }
    if (folded > 0) m.inc({ [label]: OTHER }, other);
    return folded;
  }
}

function routerLabels(rt: Router): RL {
  // QinQ: outer.inner, so two customers' routers with the same C-VLAN stay two series
  const vlan = rt.vlan === null ? '' : rt.vlanOuter !== undefined ? `${rt.vlanOuter}.${rt.vlan}` : String(rt.vlan);
  return { family: rt.family === 6 ? 'ipv6' : 'ipv4', vrid: String(rt.vrid), vlan };
}

/** Duration of the open (last, end === null) period up to `t`, 0 when none is open. */
function openSeconds(ps: Array<{ start: number; end: number | null; duration: number }>, t: number): number {
  const p = ps.length > 0 ? ps[ps.length - 1] : null;
  return p && p.end === null ? Math.max(0, p.duration, t - p.start) : 0;
}

/** Parses `--metrics [ADDR:]PORT` (`:9810`, `9810`, `127.0.0.1:9810`, `[::1]:9810`). */
export function parseListen(spec: string): { addr: string; port: number } {
  const bad = (): never => { throw new VrrpwatchError('usage', `bad --metrics value ${JSON.stringify(spec)}: expected [ADDR:]PORT, e.g. :9810 or 127.0.0.1:9810`); };
  let addr = '';
  let portText = spec.trim();
  const m = /^\[([^\]]+)\]:(\d+)$/.exec(portText);
  if (m) { addr = m[1]; portText = m[2]; }
  else {
    const i = portText.lastIndexOf(':');
    if (i >= 0) {
      addr = portText.slice(0, i);
      portText = portText.slice(i + 1);
      if (addr.includes(':')) bad(); // bare IPv6 needs brackets
    }
  }
  if (!/^\d{1,5}$/.test(portText)) bad();
  const port = Number(portText);
  if (port > 65535) bad();
  return { addr, port };
}
