// The split brain's cause when captures of several vantage points show where the adverts went
// (docs/analysis.md §14.4; the hook in split-brain-cause.ts, after the configuration rules and before the
// echo, which one capture has to rely on). For the election winner H and each other master L of the
// split brain (or brief dual master), H's adverts right before L took over — L had heard none of them for
// its master-down interval — else those sent while L advertised too:
//  - (nearly) all reached L's wire → L's host drops them (firewall, rp_filter, wrong interface, socket):
//    cause 'host-drop', deaf host L, fixed on L alone;
//  - otherwise the network between them dropped them; of those sent while L advertised too (else all):
//    (nearly) none arrived → cause 'network', direction H → L; some → 'network-loss', with the loss rate,
//    the runs of losses and the longest one.
// When L's wire cannot be told, or no capture covers L's wire, the evidence says so and the next rules
// (echo, unknown) decide as from one capture.
import type { Cause, Finding } from '../model.js';
import type { RouterState } from '../router-state.js';
import { beats, type SourceState } from '../source-state.js';
import { utcClock, fmt, vrrpGroup } from '../evidence-text.js';
import type { Delivery } from './model.js';
import { ALL_SHARE, NONE_SHARE } from './limits.js';
import { routerText } from './survey.js';

/** How one source's adverts fared on another source's wire. */
export interface WireDelivery {
  d: Delivery;
  /** The capture taken on the receiving source's host. */
  wire: string;
  /** The same adverts on the other captures. */
  others: Delivery[];
  /** Its adverts of the 3 intervals before each time the receiving source took over as master (while this
   *  one still advertised), and how many of them reached its wire; null when it never took over in the captures. */
  before: { takeovers: number; expected: number; arrived: number } | null;
}

/** What the captures of several vantage points tell about one source's adverts. The analyzer imports only
 *  this type: with one capture nothing of the vantage-point analysis is loaded. */
export interface WireEvidence {
  /** How `from`'s adverts for `router` ("v4/99") fared on `to`'s wire; a string when `to`'s wire cannot be
   *  told (why); null when the captures hold no advert of `from` for that router. */
  toWireOf(from: string, to: string, router: string): WireDelivery | string | null;
  /** The cause rule below (wireCause) applied with this evidence. */
  cause(r: RouterState, advs: readonly SourceState[], ev: string[], ctx: Finding['fixContext']): Cause | null;
}

function share(arrived: number, expected: number): string {
  return `${arrived} of ${expected}`;
}

/** The cause rule of the vantage points, or null when they do not decide it (evidence lines are added either way).
 *  Host or network: H's adverts right before L took over (L had heard none for its master-down interval)
 *  were on L's wire or not — else those sent while L advertised too, else all. Network or network loss: of
 *  those sent while L advertised too (when it did for 3 of them), else all, none or some arrived. */
export function wireCause(r: RouterState, advs: readonly SourceState[], wires: WireEvidence, ev: string[], ctx: Finding['fixContext']): Cause | null {
  const router = routerText(r.family, r.vrid);
  let h = advs[0];
  for (const x of advs) if (beats(x, h)) h = x;
  for (const l of advs) {
    if (l === h) continue;
    const x = wires.toWireOf(h.ip, l.ip, router);
    if (x === null) continue;
    if (typeof x === 'string') {
      ev.push(`whether ${h.ip}'s adverts reached ${l.ip}'s wire cannot be told from these captures: which one was taken on ${l.ip} ${x}`);
      continue;
    }
    const d = x.d;
    if (d.expected === 0) continue;
    const b = x.before !== null && x.before.expected > 0 ? x.before : null;
    const facts: string[] = [];
    if (b !== null) facts.push(`${share(b.arrived, b.expected)} in the 3 intervals before ${l.ip} took over (${b.takeovers} time${b.takeovers === 1 ? '' : 's'})`);
    if (d.dualExpected > 0) facts.push(`${share(d.dualArrived, d.dualExpected)} while ${l.ip} advertised too`);
    facts.push(`${share(d.arrived, d.expected)} while both captures ran` + (d.lost > 0 && d.longest !== null
      ? ` (${fmt(d.lossPercent ?? 0, 1)} % lost, ${d.spellCount} run${d.spellCount === 1 ? '' : 's'}, the longest ${d.longest.adverts} in a row from ${utcClock(d.longest.from)} to ${utcClock(d.longest.to)})` : ''));
    const elsewhere = x.others.filter((o) => o.expected > 0).map((o) => `${o.to}: ${share(o.arrived, o.expected)}`).join(', ');
    const back = wires.toWireOf(l.ip, h.ip, router);
    const backText = back !== null && typeof back !== 'string' ? `; ${l.ip}'s adverts reached ${h.ip}'s wire (${back.wire}): ${share(back.d.arrived, back.d.expected)}` : '';
    const decide = b !== null ? b.arrived / b.expected : d.dualExpected > 0 ? d.dualArrived / d.dualExpected : d.arrived / d.expected;
    ctx.peers = [h.ip];
    ctx.deafHost = l.ip;
    ctx.multicast = h.multicastAdverts > 0 ? vrrpGroup(r.family) : null;
    const head = `adverts from ${h.ip} that reached ${l.ip}'s wire (${x.wire}): ${facts.join('; ')}`;
    if (decide >= ALL_SHARE) {
      ev.push(`${head}: they reach ${l.ip}'s wire, yet ${l.ip} took over as master: its host drops them after they arrive ` +
        `(its firewall, rp_filter, the wrong interface or keepalived's socket)${backText}`);
      return 'host-drop';
    }
    const after = d.dualExpected >= 3 ? d.dualArrived / d.dualExpected : d.arrived / d.expected;
    if (after <= NONE_SHARE) {
      ev.push(`${head}${elsewhere !== '' ? ` (on the other captures: ${elsewhere})` : ''}: the network between them drops them, direction ${h.ip} → ${l.ip}${backText}`);
      return 'network';
    }
    ev.push(`${head}${elsewhere !== '' ? ` (on the other captures: ${elsewhere})` : ''}: the network between them loses part of them, direction ${h.ip} → ${l.ip}${backText}`);
    return 'network-loss';
  }
  return null;
}
