// The times VRRP implies, and the tunables of the analysis: the RFC 3768 / RFC 5798 formulas as
// keepalived computes them, and from them how long a router may stay silent after its master's last
// advert. Every number here is a documented rule (docs/analysis.md §2-§5 and §8, asserted by
// test/analyze.test.ts): change the page and its tests with it. Pure functions, no state.
import { bestKnownBackup, type RouterState } from './router-state.js';
import type { SourceState } from './source-state.js';

/** A source is "advertising" while its last advert is within this many of its advertised intervals. */
export const ADVERTISING_WINDOW = 1.5;
/** A dual period becomes split brain once each of its sources advertised more than this many of the
 *  largest advertised interval after it began (a node that yields within ~1 interval is a transition). */
export const TRANSITION_INTERVALS = 1.5;
/** An answer this soon after a lower-priority advert counts as an "echo" (forcing new election):
 *  ECHO_WINDOW seconds, at most ECHO_WINDOW_FRACTION of the lower source's interval. keepalived answers
 *  in ~0.2 ms on an idle host; 0.8-5.6 ms were measured on this shared 2-core machine. */
export const ECHO_WINDOW = 0.025;
export const ECHO_WINDOW_FRACTION = 0.1;
/** Flapping: this many master changes (not counting the initial master) within FLAP_WINDOW s. */
export const FLAP_CHANGES = 4;
export const FLAP_WINDOW = 120;
/** No master: silence longer than Master_Down_Interval + this allowance (in advertised intervals) + FLOOR s. */
export const NO_MASTER_ALLOWANCE = 0.25;
export const NO_MASTER_FLOOR = 0.1;
/** The same advert again within this many seconds (same source, IP ID and checksum) is one frame seen
 *  twice — `-i any` on a bridge and its port, a bond and its slaves — not a second advert. */
export const DUPLICATE_WINDOW = 0.002;

/** vip-conflict: two MACs claiming one virtual address within this many seconds of each other (keepalived's
 *  new master claims twice within 5 s: vrrp_garp_master_delay). */
export const VIP_CONFLICT_WINDOW = 5;
/** stale-neighbours: how long a new master may take to claim its addresses (keepalived sends its gratuitous
 *  ARP/NA right after its first advert as master), or to claim them back after another MAC did. */
export const STALE_GRACE = 1;
/** Claims of one MAC further apart than this are separate bursts (keepalived sends 5 at once). */
export const CLAIM_BURST_GAP = 1;

/** Skew_Time (seconds) as RFC 3768 (v2) / RFC 5798 (v3) and keepalived compute it. */
export function skewTime(version: number, priority: number, intervalS: number): number {
  return version === 3 ? ((256 - priority) * intervalS) / 256 : (256 - priority) / 256;
}
/** Master_Down_Interval (seconds): three intervals and the skew time. */
export function masterDownInterval(version: number, priority: number, intervalS: number): number {
  return 3 * intervalS + skewTime(version, priority, intervalS);
}

/** Silence allowed after master `m`'s last advert: the slowest takeover among the known other
 *  sources (the best one may be down too), or a priority-1 backup when none is known. */
export function silenceLimit(r: RouterState, m: SourceState): number {
  let worst = -1;
  for (const x of r.sources) {
    if (x === m || x.lastNonZeroPriority <= 0) continue;
    const d = masterDownInterval(x.version, x.lastNonZeroPriority, x.version === 3 ? m.intervalSeconds : x.intervalSeconds);
    if (d > worst) worst = d;
  }
  if (worst < 0) worst = masterDownInterval(m.version, 1, m.intervalSeconds);
  return worst + NO_MASTER_ALLOWANCE * m.intervalSeconds + NO_MASTER_FLOOR;
}

/** Master_Down_Interval of the best known backup of `m` (priority 1 when no backup is known): how
 *  soon a takeover is expected after `m` fell silent. */
export function bestBackupDownInterval(r: RouterState, m: SourceState): number {
  const b = bestKnownBackup(r, m);
  const p = b === null ? 1 : b.lastNonZeroPriority;
  const ver = b === null ? m.version : b.version;
  const iv = ver === 3 || b === null ? m.intervalSeconds : b.intervalSeconds;
  return masterDownInterval(ver, p, iv);
}
