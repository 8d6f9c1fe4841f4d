// Which capture was taken on a source's own host — "its wire" (docs/analysis.md §14.3). In order:
//  1. named: the user named the capture after the source's address (-r 10.0.0.2=b.pcap);
//  2. outgoing: the capture marks the source's frames as sent by the capturing host (Linux cooked captures,
//     tcpdump -i any, carry the packet's direction);
//  3. timing: the capture saw every advert of the source, and against each other capture that saw them its
//     frames appear earlier — measured against another sender's frames on the same two captures, so the
//     clocks' offset cancels out: by LEAD_MIN at least (microseconds on one switch), in LEAD_SHARE of the
//     pairs of frames — or the other capture missed adverts this one saw (nothing is lost before the
//     sender's own interface).
// Otherwise it cannot be told, and the note says why (an observer next to a node, or two captures of the
// same node, look alike on the wire). What timing proves is "the capture nearest the source": an observer
// on the source's own switch port would pass for it; naming the captures settles it. Each rule that names
// one capture per source is used; two senders claiming one capture cancel each other's timing claims.
import { fmt } from '../evidence-text.js';
import type { AdvertMatcher, Flow } from './advert-matcher.js';
import { LEAD_MIN, LEAD_SHARE } from './limits.js';
import type { WireHow } from './model.js';
import type { Sender } from './senders.js';

export interface WireDecision {
  vp: number | null;
  how: WireHow | null;
  note: string;
}

interface Sums { expected: number; arrived: number }

function sums(flows: readonly Flow[], vp: number): Sums {
  let expected = 0, arrived = 0;
  for (const f of flows) { expected += f.counts[vp].expected; arrived += f.counts[vp].arrived; }
  return { expected, arrived };
}

/** The decision for every source address, by sender. */
export function whoseWires(m: AdvertMatcher, names: readonly string[]): Map<string, WireDecision> {
  const k = m.k;
  const out = new Map<string, WireDecision>();
  const senders = m.senders.list;
  const decided: (WireDecision & { si: number })[] = [];
  for (let si = 0; si < senders.length; si++) {
    const s = senders[si];
    if (s.sources.length === 0) continue;   // ARP only: not a VRRP source
    const flows = m.flows.filter((f) => f.sender === si);
    decided.push({ si, ...decide(s, si, flows, m, names, k) });
  }
  // a capture is one host: two senders on one capture by timing cancel each other's claim (all rivals are
  // found first: clearing one claim as it is found would leave its rival without one, and keep its claim)
  const contested = decided.filter((d) => d.how === 'timing').map((d) => ({ d, rival: decided.find((x) => x !== d && x.vp === d.vp) }));
  for (const { d, rival } of contested) {
    if (rival === undefined) continue;
    d.note = `cannot be told: its frames and ${senders[rival.si].sources[0]}'s both appear first on ${names[d.vp!]}`;
  }
  for (const { d, rival } of contested) if (rival !== undefined) { d.vp = null; d.how = null; }
  for (const d of decided) for (const src of senders[d.si].sources) out.set(src, { vp: d.vp, how: d.how, note: d.note });
  return out;
}

function decide(s: Sender, si: number, flows: readonly Flow[], m: AdvertMatcher, names: readonly string[], k: number): WireDecision {
  const named = names.map((n, i) => (s.sources.includes(n) ? i : -1)).filter((i) => i >= 0);
  if (named.length === 1) return { vp: named[0], how: 'named', note: `named after it (-r ${s.sources[0]}=FILE)` };
  const out = s.outgoing.map((n, i) => (n > 0 ? i : -1)).filter((i) => i >= 0);
  if (out.length === 1) return { vp: out[0], how: 'outgoing', note: `${names[out[0]]} marks its frames as sent by the capturing host` };
  const per = [...Array(k).keys()].map((vp) => sums(flows, vp));
  const complete = per.map((x, vp) => (x.expected > 0 && x.arrived === x.expected ? vp : -1)).filter((vp) => vp >= 0);
  let why = '';
  for (const x of complete) {
    const reasons: string[] = [];
    let proven = true;
    let compared = 0;
    for (let y = 0; y < k; y++) {
      if (y === x || per[y].expected === 0) continue;
      compared++;
      if (per[y].arrived < per[y].expected) { reasons.push(`${names[y]} missed ${per[y].expected - per[y].arrived} of its adverts`); continue; }
      const lead = leadOver(s, si, x, y, m);
      if (lead !== null && lead.by >= LEAD_MIN) { reasons.push(`its frames reach ${names[x]} ${fmt(lead.by * 1e6, 0)} µs before ${names[y]}, against ${lead.against}'s`); continue; }
      proven = false;
      why = `${names[x]} and ${names[y]} saw every advert of it` + (lead === null ? ', with no other sender\'s frames on both to time it against'
        : ` at the same moment relative to ${lead.against}'s frames`);
      break;
    }
    if (proven && compared > 0) return { vp: x, how: 'timing', note: reasons.join('; ') };
  }
  if (complete.length === 0) why = 'no capture saw every advert of it';
  return { vp: null, how: null, note: `cannot be told (${why || 'nothing to compare'}); name the capture taken there -r ${s.sources[0]}=FILE` };
}

/** How much earlier the sender's frames reach capture x than capture y, relative to another sender's frames
 *  on the same two captures (so the clocks' offset cancels out): the difference of the two medians, and how
 *  consistently — the share of pairs (one frame of each sender) in which s's frame is the later one on y.
 *  The weakest lead that holds (share ≥ LEAD_SHARE), or a contradicting one; null without another sender. */
function leadOver(s: Sender, si: number, x: number, y: number, m: AdvertMatcher): { by: number; against: string } | null {
  const own = s.samples(x, y);
  if (own === null) return null;
  let best: { by: number; against: string } | null = null;
  for (let ri = 0; ri < m.senders.list.length; ri++) {
    if (ri === si) continue;
    const r = m.senders.list[ri];
    const other = r.samples(x, y);
    if (other === null) continue;
    const name = r.sources[0] ?? 'another host';
    // own − other > 0: relative to r, s's frames arrive later on y, i.e. earlier on x
    const by = median(own) - median(other);
    const share = laterShare(own, other);
    // clearly the other way: in LEAD_SHARE of the pairs s's frame is the earlier one on y (1 − share, as a lead
    // is share ≥ LEAD_SHARE: share ≤ 1 − LEAD_SHARE would miss exactly 90 %, 1 − 0.9 being 0.09999999999999998)
    if (by <= -LEAD_MIN && 1 - share >= LEAD_SHARE) return { by, against: name };
    const lead = share >= LEAD_SHARE ? by : 0;
    if (best === null || lead < best.by) best = { by: lead, against: name };
  }
  return best;
}

function median(s: readonly number[]): number {
  const n = s.length;
  return n % 2 === 1 ? s[(n - 1) / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
}

/** Share of pairs (a from `a`, b from `b`, both sorted) with a > b; ties count half. */
function laterShare(a: readonly number[], b: readonly number[]): number {
  let n = 0;
  let lo = 0, hi = 0;
  for (const x of a) {
    while (lo < b.length && b[lo] < x) lo++;
    while (hi < b.length && b[hi] <= x) hi++;
    n += lo + (hi - lo) / 2;
  }
  return n / (a.length * b.length);
}
