// Who hears whom, from the timing of adverts (docs/analysis.md §3, §4): an echo — a source answering at
// once an advert of one it beats in the election, a lower priority or the same priority and a lower address
// ("forcing new election": it hears that source) —, the adverts a source sends while a better one advertises
// (what the echoes are counted against), and the advert timers restarted by rejected adverts (a master that
// rejects another's adverts restarts its own timer on each, analysis §3.1: its advertising window then runs
// from that advert).
// The evidence of the firewall-drop and brief-dual-master causes (split-brain-cause.ts, evidence.ts).
import type { RouterState } from './router-state.js';
import { beats, type SourceState } from './source-state.js';
import type { WorkMeter } from './limits.js';
import { ECHO_WINDOW, ECHO_WINDOW_FRACTION } from './timing.js';

/** Source `a` sent an advert with priority `prio` at `t` (already observed: `a.priority` is `prio`). Returns
 *  true when it is an echo. A master that beats the sender answers (keepalived: a lower priority, or the same
 *  priority from a lower address), whatever the reason it beats it. */
export function hearAdvert(r: RouterState, a: SourceState, prio: number, t: number, meter: WorkMeter): boolean {
  let echo = false;
  const la = r.lastSender;
  if (prio > 0 && la !== null && la !== a && la.priority > 0 && la.advertising && beats(a, la)) {
    const d = t - la.lastSeen;
    if (d >= 0 && d <= ECHO_WINDOW && d <= ECHO_WINDOW_FRACTION * la.intervalSeconds) {
      echo = true;
      la.advertsEchoed++;
      if (d > la.longestEcho) la.longestEcho = d;
      la.echoedBy = a;
    }
  }
  r.lastSender = a;
  // the other advertising sources that reject this advert (configuration mismatch, TTL) stay master
  // and restart their advert timer on it (analysis §3.1); one that accepts it answers (echo) or yields
  const advs = r.sources;
  meter.steps += 2 * advs.length;
  for (let i = 0; i < advs.length; i++) {
    const x = advs[i];
    if (x !== a && x.advertising && x.timerPushedAt <= x.lastSeen && t > x.lastSeen && (x.configMismatch !== null || a.lastTtlBad)) x.timerPushedAt = t;
  }
  if (prio > 0) {
    for (let i = 0; i < advs.length; i++) {
      const x = advs[i];
      if (x !== a && x.advertising && beats(x, a)) { a.advertsUnderBetter++; break; }
    }
  }
  return echo;
}
