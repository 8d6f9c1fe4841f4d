// The exporter's series: every metric's name, help text and label names (docs/metrics.md lists
// them), registered once on the exporter's registry. Knows nothing of snapshots: index.ts sets the
// values, cardinality.ts decides which label values get a series of their own.
// Invariants: every series is in `resettable`, and update() resets all of them but
// vrrpwatch_metrics_updates_total before setting them again, so that the series of routers that are
// gone disappear; label names are fixed here, label values come only from routerLabels() and the
// bounded folding.
import { Counter, Gauge, type Registry } from 'prom-client';
import type { Router } from '../analyze/model.js';

/** The labels of a virtual router's series. */
export type RouterLabels = { family: string; vrid: string; vlan: string };

const ROUTER_LABELS = ['family', 'vrid', 'vlan'] as const;
const ADVERTISER_LABELS = ['family', 'vrid', 'vlan', 'advertiser'] as const;

/** A virtual router's labels. */
export function routerLabels(rt: Router): RouterLabels {
  // QinQ: outer.inner, so two customers' routers with the same C-VLAN stay two series
  const vlan = rt.vlan === null ? '' : rt.vlanOuter !== undefined ? `${rt.vlanOuter}.${rt.vlan}` : String(rt.vlan);
  return { family: rt.family === 6 ? 'ipv6' : 'ipv4', vrid: String(rt.vrid), vlan };
}

export interface MetricSeries {
  /** Every series (update() resets them all but updatesTotal). */
  readonly resettable: ReadonlyArray<Gauge | Counter>;
  // per router
  readonly routers: Gauge;
  readonly advertisers: Gauge;
  readonly state: Gauge;
  readonly masterPriority: Gauge;
  readonly masterInfo: Gauge;
  readonly splitBrain: Gauge;
  readonly splitBrainSeconds: Counter;
  readonly splitBrainCurrent: Gauge;
  readonly noMasterCurrent: Gauge;
  readonly noMasterSeconds: Counter;
  readonly failovers: Counter;
  readonly splitBrains: Counter;
  readonly noMasters: Counter;
  readonly briefDualMasters: Counter;
  readonly lastFailoverDuration: Gauge;
  readonly lastFailoverExpected: Gauge;
  readonly lastFailoverTime: Gauge;
  readonly lastAdvertAge: Gauge;
  readonly lastAdvertTime: Gauge;
  readonly routerAdverts: Counter;
  readonly masterDown: Gauge;
  // per advertiser
  readonly advertiserPriority: Gauge;
  readonly advertiserAdverts: Counter;
  readonly advertiserActive: Gauge;
  readonly advertiserInterval: Gauge;
  // capture-wide
  readonly frames: Counter;
  readonly bytes: Counter;
  readonly vrrpAdverts: Counter;
  readonly rejects: Counter;
  readonly unsupported: Counter;
  readonly icmpErrors: Counter;
  readonly carp: Counter;
  readonly pcapReceived: Counter;
  readonly pcapDropped: Counter;
  readonly pcapIfDropped: Counter;
  readonly findings: Gauge;
  readonly verdict: Gauge;
  readonly snapshotTime: Gauge;
  readonly folded: Gauge;
  readonly updatesTotal: Counter;
  // the limits and what went beyond them (a flood)
  readonly untrackedAdverts: Counter;
  readonly untracked: Gauge;
  readonly floodActive: Gauge;
  readonly limit: Gauge;
  readonly tracked: Gauge;
  // hooks
  readonly hookEvents: Counter;
  readonly hookRuns: Counter;
  readonly hookCoalesced: Counter;
  readonly hookSummaries: Counter;
  readonly hookDropped: Counter;
  readonly hookFiltered: Counter;
  readonly hookRunning: Gauge;
  readonly hookQueued: Gauge;
  readonly hookPending: Gauge;

}

/** Registers every series on `registry`. */
export function defineSeries(registry: Registry): MetricSeries {
  const resettable: Array<Gauge | Counter> = [];
  const r = [registry];
  const g = (name: string, help: string, labelNames: readonly string[] = []): Gauge => {
    const m = new Gauge({ name, help, labelNames: [...labelNames], registers: r });
    resettable.push(m);
    return m;
  };
  const c = (name: string, help: string, labelNames: readonly string[] = []): Counter => {
    const m = new Counter({ name, help, labelNames: [...labelNames], registers: r });
    resettable.push(m);
    return m;
  };
  return {
    resettable,
    routers: g('vrrpwatch_routers', 'Virtual routers seen, including those folded into vrid="other".'),
    advertisers: g('vrrpwatch_router_advertisers', 'Sources advertising for the virtual router now (2 or more outside a transition = split brain).', ROUTER_LABELS),
    state: g('vrrpwatch_router_state', 'Virtual router state: 1 for the current state, 0 for the others.', [...ROUTER_LABELS, 'state']),
    masterPriority: g('vrrpwatch_router_master_priority', 'Advertised priority of the current master (absent when there is none).', ROUTER_LABELS),
    masterInfo: g('vrrpwatch_router_master_info', 'Current master address as a label, value 1 (absent when there is none).', [...ROUTER_LABELS, 'master']),
    splitBrain: g('vrrpwatch_router_split_brain', '1 while two or more sources advertise as master beyond a normal transition, else 0.', ROUTER_LABELS),
    splitBrainSeconds: c('vrrpwatch_router_split_brain_seconds_total', 'Seconds spent in split brain (packet clock), including the ongoing period.', ROUTER_LABELS),
    splitBrainCurrent: g('vrrpwatch_router_split_brain_duration_seconds', 'How long the ongoing split brain has lasted (0 when there is none).', ROUTER_LABELS),
    noMasterCurrent: g('vrrpwatch_router_no_master_duration_seconds', 'How long the virtual router has been without a master (0 when it has one).', ROUTER_LABELS),
    noMasterSeconds: c('vrrpwatch_router_no_master_seconds_total', 'Seconds with no master advertising (packet clock), including the ongoing period.', ROUTER_LABELS),
    failovers: c('vrrpwatch_router_failovers_total', 'Master changes by kind (failover, graceful, preemption, initial).', [...ROUTER_LABELS, 'kind']),
    splitBrains: c('vrrpwatch_router_split_brains_total', 'Split-brain periods begun.', ROUTER_LABELS),
    noMasters: c('vrrpwatch_router_no_masters_total', 'Periods without a master begun.', ROUTER_LABELS),
    briefDualMasters: c('vrrpwatch_router_brief_dual_masters_total', 'Brief dual-master periods (a node advertised as master, then went back to backup).', ROUTER_LABELS),
    lastFailoverDuration: g('vrrpwatch_router_last_failover_duration_seconds', 'Measured duration of the last master change (first advert of the new master minus last advert of the old).', ROUTER_LABELS),
    lastFailoverExpected: g('vrrpwatch_router_last_failover_expected_seconds', 'Expected duration of the last master change (Master_Down_Interval or Skew_Time).', ROUTER_LABELS),
    lastFailoverTime: g('vrrpwatch_router_last_failover_timestamp_seconds', 'Unix time (packet clock) of the last master change.', ROUTER_LABELS),
    lastAdvertAge: g('vrrpwatch_router_last_advert_age_seconds', 'Seconds since the last advert for this virtual router, at the snapshot time.', ROUTER_LABELS),
    lastAdvertTime: g('vrrpwatch_router_last_advert_timestamp_seconds', 'Unix time (packet clock) of the last advert for this virtual router.', ROUTER_LABELS),
    routerAdverts: c('vrrpwatch_router_adverts_total', 'VRRP adverts received for this virtual router.', ROUTER_LABELS),
    masterDown: g('vrrpwatch_router_master_down_interval_seconds', 'Master_Down_Interval of the current backup (how long a silent master goes unnoticed).', ROUTER_LABELS),

    advertiserPriority: g('vrrpwatch_advertiser_priority', 'Last advertised priority of this source.', ADVERTISER_LABELS),
    advertiserAdverts: c('vrrpwatch_advertiser_adverts_total', 'Adverts received from this source.', ADVERTISER_LABELS),
    advertiserActive: g('vrrpwatch_advertiser_active', '1 while this source advertises (seen within its master-down interval).', ADVERTISER_LABELS),
    advertiserInterval: g('vrrpwatch_advertiser_advert_interval_seconds', 'Advertisement interval this source announces.', ADVERTISER_LABELS),

    frames: c('vrrpwatch_frames_total', 'Frames read from the capture.'),
    bytes: c('vrrpwatch_frame_bytes_total', 'Bytes of the frames read (original length).'),
    vrrpAdverts: c('vrrpwatch_vrrp_adverts_total', 'VRRP adverts decoded.'),
    rejects: c('vrrpwatch_rejected_packets_total', 'Protocol-112 packets that did not decode, by reason.', ['reason']),
    unsupported: c('vrrpwatch_unsupported_link_frames_total', 'Frames of link types that cannot be decoded, by link type.', ['linktype']),
    icmpErrors: c('vrrpwatch_icmp_errors_total', 'ICMP errors quoting VRRP (e.g. a firewall rejecting adverts).'),
    carp: c('vrrpwatch_carp_packets_total', 'CARP packets (protocol 112 from OpenBSD/FreeBSD CARP).'),
    pcapReceived: c('vrrpwatch_pcap_received_packets_total', 'Packets received by the libpcap filter (live capture only).'),
    pcapDropped: c('vrrpwatch_pcap_dropped_packets_total', 'Packets dropped by the kernel because the capture buffer was full (live capture only).'),
    pcapIfDropped: c('vrrpwatch_pcap_interface_dropped_packets_total', 'Packets dropped by the interface or its driver (live capture only, when reported).'),
    findings: g('vrrpwatch_findings', 'Current findings by code and severity.', ['code', 'severity']),
    verdict: g('vrrpwatch_verdict', 'Overall verdict: 0 ok, 1 warning, 2 critical.'),
    snapshotTime: g('vrrpwatch_snapshot_timestamp_seconds', 'Packet-clock Unix time of the snapshot these metrics come from.'),
    folded: g('vrrpwatch_folded_series', 'Routers or advertisers (or label values) folded into an "other" series by the cardinality bound.', ['kind']),
    updatesTotal: c('vrrpwatch_metrics_updates_total', 'Snapshots turned into metrics.'),
    untrackedAdverts: c('vrrpwatch_untracked_adverts_total', 'Adverts of routers or sources beyond the limits (a flood): counted, not tracked.'),
    untracked: g('vrrpwatch_untracked', 'About how many distinct sources and routers were beyond the limits, by kind (sources, routers).', ['kind']),
    floodActive: g('vrrpwatch_flood_active', '1 while a flood is going on (something went beyond the limits within the last 60 s), else 0.'),
    limit: g('vrrpwatch_limit', 'The limits on what is tracked, by kind (routers; sources per router).', ['kind']),
    tracked: g('vrrpwatch_tracked', 'Routers and sources tracked now, by kind.', ['kind']),

    hookEvents: c('vrrpwatch_hook_events_total', 'Events handed to the notification hooks (after the event filter).'),
    hookRuns: c('vrrpwatch_hook_runs_total', 'Hook runs finished, by result (ok, failed, timeout).', ['result']),
    hookCoalesced: c('vrrpwatch_hook_coalesced_events_total', 'Events folded into a summary run (per-router rate limit, or queue full).'),
    hookSummaries: c('vrrpwatch_hook_coalesced_runs_total', 'Summary runs scheduled for coalesced events.'),
    hookDropped: c('vrrpwatch_hook_dropped_runs_total', 'Hook runs never started (still queued when the drain at exit gave up).'),
    hookFiltered: c('vrrpwatch_hook_filtered_events_total', 'Events not sent to hooks because of the event filter.'),
    hookRunning: g('vrrpwatch_hook_running', 'Hook processes running now.'),
    hookQueued: g('vrrpwatch_hook_queued', 'Hook runs waiting for a free slot.'),
    hookPending: g('vrrpwatch_hook_pending_events', 'Events waiting in a coalesced summary.'),
  };
}
