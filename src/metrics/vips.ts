// The metrics of who holds the virtual addresses (docs/metrics.md): per address the MACs that claimed it,
// whether the neighbours were last told the master, whether that is stale, and the active probe's counts
// (--probe-vip). Set from Router.ownership on each update, like the rest of the exporter (index.ts); at most
// maxVips addresses per router get their own series, the rest are counted in vrrpwatch_folded_series{kind="vip"}.
import { Counter, Gauge, type Registry } from 'prom-client';
import type { Router } from '../analyze/model.js';
import type { RouterLabels } from './series.js';

const VIP_LABELS = ['family', 'vrid', 'vlan', 'vip'] as const;

export class VipMetrics {
  private readonly all: Array<Gauge | Counter> = [];
  private readonly judged: Gauge;
  private readonly claimers: Gauge;
  private readonly toldMaster: Gauge;
  private readonly stale: Gauge;
  private readonly probeSent: Counter;
  private readonly probeAnswers: Counter;
  private readonly probeSplit: Counter;
  private readonly probeMacs: Gauge;

  constructor(registry: Registry, private readonly maxVips: number) {
    const r = [registry];
    const g = (name: string, help: string, labels: readonly string[]): Gauge => {
      const m = new Gauge({ name, help, labelNames: [...labels], registers: r });
      this.all.push(m);
      return m;
    };
    const c = (name: string, help: string): Counter => {
      const m = new Counter({ name, help, labelNames: [...VIP_LABELS], registers: r });
      this.all.push(m);
      return m;
    };
    this.judged = g('vrrpwatch_router_ownership_judged', '1 when the capture holds ARP (IPv4) / neighbour discovery (IPv6), so who holds the virtual addresses can be told; 0 when not.', ['family', 'vrid', 'vlan']);
    this.claimers = g('vrrpwatch_vip_claimers', 'Distinct MACs that claimed the virtual address (gratuitous ARP, ARP reply, neighbour advertisement); 2 or more while adverts show one master: a conflict.', VIP_LABELS);
    this.toldMaster = g('vrrpwatch_vip_last_told_master', '1 when the last claim every neighbour heard came from the master, 0 when from another MAC (absent before any claim).', VIP_LABELS);
    this.stale = g('vrrpwatch_vip_stale_neighbours', '1 while the last claim every neighbour heard is not the master\'s (stale-neighbours), else 0.', VIP_LABELS);
    this.probeSent = c('vrrpwatch_vip_probes_total', 'Active probes sent for the virtual address (--probe-vip).');
    this.probeAnswers = c('vrrpwatch_vip_probe_answers_total', 'Answers to the active probe for the virtual address.');
    this.probeSplit = c('vrrpwatch_vip_probe_split_rounds_total', 'Probe rounds the virtual address was answered by two or more MACs (proof of a split brain).');
    this.probeMacs = g('vrrpwatch_vip_probe_answering_macs', 'Distinct MACs that answered the latest finished probe round.', VIP_LABELS);
  }

  /** Set the series of the routers given; returns how many addresses were folded. */
  update(routers: readonly Router[], labels: (r: Router) => RouterLabels): number {
    for (const m of this.all) m.reset();
    let folded = 0;
    for (const r of routers) {
      const l = labels(r);
      const o = r.ownership;
      if (o.vips.length === 0) continue;
      this.judged.set(l, o.judged ? 1 : 0);
      o.vips.forEach((v, i) => {
        if (i >= this.maxVips) { folded++; return; }
        const vl = { ...l, vip: v.address };
        this.claimers.set(vl, v.claimers.length + v.claimersLeftOut);
        if (v.lastTold !== null) this.toldMaster.set(vl, v.lastTold.advertiser !== null && v.lastTold.advertiser === r.master ? 1 : 0);
        this.stale.set(vl, v.stale ? 1 : 0);
        const p = v.probe;
        if (p !== null) {
          this.probeSent.inc(vl, p.sent);
          this.probeAnswers.inc(vl, p.answers);
          this.probeSplit.inc(vl, p.roundsWithTwoOrMore);
          const done = p.rounds[p.rounds.length - 1];
          if (done !== undefined) this.probeMacs.set(vl, done.macs.length);
        }
      });
    }
    return folded;
  }
}
