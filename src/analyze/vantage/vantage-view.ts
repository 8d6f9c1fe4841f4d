// The vantage-point picture once the merged captures are read (docs/analysis.md §14): each capture with its
// span and clock offset and the sources whose wire it is, and per flow (source, router, destination) how
// its adverts fared on every other capture. It also answers the split brain's cause hook (WireEvidence):
// how one source's adverts fared on another source's wire. Built once, after the matcher finished.
import { LEFT_OUT_FLOWS_EXACT_BELOW, type AdvertMatcher, type Flow } from './advert-matcher.js';
import type { Alignment } from './clock-offset.js';
import type { Delivery, SourceWires, VantagePoint, VantageReport } from './model.js';
import { wireCause, type WireDelivery, type WireEvidence } from './wire-cause.js';
import type { Cause, Finding } from '../model.js';
import type { RouterState } from '../router-state.js';
import type { SourceState } from '../source-state.js';
import { whoseWires, type WireDecision } from './whose-wire.js';

/** What the cli knows of each capture (spans on the common clock): the point's fields before the clocks
 *  and wires are judged. */
export type PointInput = Pick<VantagePoint, 'name' | 'file' | 'format' | 'frames' | 'adverts' | 'first' | 'last' | 'problem'>;

/** Seconds to whole nanoseconds (what the merge applies; no binary fraction noise in the JSON). */
function ns(x: number): number {
  return Math.round(x * 1e9) / 1e9;
}

export class VantageView implements WireEvidence {
  readonly report: VantageReport;
  private readonly decisions: Map<string, WireDecision>;

  constructor(points: readonly PointInput[], align: Alignment, private readonly m: AdvertMatcher, notes: readonly string[]) {
    const names = points.map((p) => p.name);
    this.decisions = whoseWires(m, names);
    const vps: VantagePoint[] = points.map((p, i) => ({
      name: p.name, file: p.file, format: p.format, frames: p.frames, adverts: p.adverts, first: p.first, last: p.last,
      offset: ns(align.offsets[i]), offsetHow: align.how[i], offsetAgainst: align.against[i] === null ? null : names[align.against[i]!],
      offsetPairs: align.pairs[i], offsetSpread: align.spread[i] === null ? null : ns(align.spread[i]!),
      owns: [...this.decisions].filter(([, d]) => d.vp === i).map(([src]) => src),
      problem: p.problem,
    }));
    // by router as a reader counts them (IPv4 first, then VRID 9 before 10), then most adverts first
    const flows = [...m.flows].sort((a, b) => a.family - b.family || a.vrid - b.vrid || b.sent - a.sent);
    const sources: SourceWires[] = flows.map((f) => {
      const d = this.decisions.get(f.source) ?? { vp: null, how: null, note: 'cannot be told' };
      const deliveries: Delivery[] = [];
      for (let vp = 0; vp < m.k; vp++) if (vp !== d.vp) deliveries.push(f.counts[vp].view(names[vp], this.owner(vp, f)));
      return { source: f.source, router: f.router, destination: f.destination, sent: f.sent,
        wire: d.vp === null ? null : names[d.vp], wireHow: d.how, wireNote: d.note, deliveries };
    });
    const allNotes = [...notes];
    if (m.flowsLeftOut > 0) {
      const flows = m.flowsLeftOut < LEFT_OUT_FLOWS_EXACT_BELOW ? `${m.flowsLeftOut}` : `about ${m.flowsLeftOut}`;
      allNotes.push(`${flows} further flows (${m.advertsLeftOut} adverts) were analysed but not matched across the captures (at most ${m.flows.length} are)`);
    }
    if (m.senders.leftOut > 0) allNotes.push(`${m.senders.leftOut} frames came from senders beyond the ${m.senders.list.length} whose timing is compared`);
    if (m.settledEarly > 0) allNotes.push(`${m.settledEarly} frames were settled before their copies could arrive (the matching window was full): delivery counts may be low`);
    this.report = { points: vps, sources, sourcesLeftOut: m.flowsLeftOut, advertsLeftOut: m.advertsLeftOut, settledEarly: m.settledEarly, notes: allNotes };
  }

  /** The source whose wire capture `vp` is, preferring one of the flow's router. */
  private owner(vp: number, f: Flow): string | null {
    let any: string | null = null;
    for (const [src, d] of this.decisions) {
      if (d.vp !== vp) continue;
      if (this.m.flows.some((g) => g.source === src && g.router === f.router)) return src;
      any ??= src;
    }
    return any;
  }

  cause(r: RouterState, advs: readonly SourceState[], ev: string[], ctx: Finding['fixContext']): Cause | null {
    return wireCause(r, advs, this, ev, ctx);
  }

  toWireOf(from: string, to: string, router: string): WireDelivery | string | null {
    let f: Flow | null = null;
    for (const g of this.m.flows) if (g.source === from && g.router === router && (f === null || g.sent > f.sent)) f = g;
    if (f === null) return null;
    const dt = this.decisions.get(to);
    if (dt === undefined) return `cannot be told (no advert of ${to} was matched)`;
    if (dt.vp === null) return dt.note;
    const names = this.report.points.map((p) => p.name);
    const fromVp = this.decisions.get(from)?.vp ?? null;
    if (fromVp === dt.vp) return `cannot be told (${names[dt.vp]} appears to be the wire of both)`;
    const others: Delivery[] = [];
    for (let vp = 0; vp < this.m.k; vp++) if (vp !== dt.vp && vp !== fromVp) others.push(f.counts[vp].view(names[vp], this.owner(vp, f)));
    // its adverts right before each takeover of `to`
    const hi = this.m.flows.indexOf(f);
    let before: WireDelivery['before'] = null;
    for (const g of this.m.flows) {
      const c = g.source === to && g.router === router ? g.takeovers.get(hi) : undefined;
      if (c === undefined) continue;
      before ??= { takeovers: 0, expected: 0, arrived: 0 };
      before.takeovers += c.takeovers; before.expected += c.expected[dt.vp]; before.arrived += c.arrived[dt.vp];
    }
    return { d: f.counts[dt.vp].view(names[dt.vp], to), wire: names[dt.vp], others, before };
  }
}
