// What the active probe found (--probe-vip, docs/analysis.md §13.3): the CLI sends an RFC 5227 ARP probe
// (sender 0.0.0.0, so no neighbour cache changes) or a neighbour solicitation for a virtual address and
// tells the analyzer (Analyzer.probeSent); every answer — an ARP reply to a probe (target 0.0.0.0), a
// solicited neighbour advertisement — until the next probe of that address or PROBE_ANSWER_WINDOW later
// belongs to that round (one still counting when the input ends is closed then). A round in which two or
// more distinct MACs answered proves that two hosts hold the address now, whatever the adverts say:
// vip-conflict is confirmed at once (vip-ownership.ts opens it).
//
// Bounded: at most MAX_PROBE_ROUNDS rounds kept per address (totals count them all), at most
// MAX_MACS_PER_VIP distinct MACs counted per round.
import { MAX_MACS_PER_VIP, MAX_PROBE_ROUNDS } from './limits.js';

/** How long after a probe its answers are counted (a host answers an ARP probe in well under a second). */
export const PROBE_ANSWER_WINDOW = 1;
/** How much earlier than the probe's own time an answer may be stamped (the CLI reads the wall clock, the kernel
 *  stamps the answer: two clocks read microseconds apart). */
export const PROBE_CLOCK_SLACK = 0.01;

/** One round: when the probe went out, the distinct MACs that answered (as [hi, lo] words), how many answers. */
export interface Round {
  t: number;
  macs: [number, number][];
  answers: number;
}

export class ProbeLog {
  sent = 0;
  answers = 0;
  roundsWithTwoOrMore = 0;
  /** Closed rounds, oldest first (at most MAX_PROBE_ROUNDS). */
  rounds: Round[] = [];
  /** The round still counting answers, null when none. */
  open: Round | null = null;

  /** A probe went out at `t`: the round before it is closed (returned when it is), a new one opens. */
  sentAt(t: number): Round | null {
    const closed = this.close();
    this.sent++;
    this.open = { t, macs: [], answers: 0 };
    return closed;
  }

  /** An answer from a MAC at `t`; false when no round is counting answers. */
  answer(macHi: number, macLo: number, t: number): boolean {
    const o = this.open;
    // (the kernel may stamp an answer a little before the clock read that stamped the probe: PROBE_CLOCK_SLACK)
    if (o === null || t - o.t > PROBE_ANSWER_WINDOW || t < o.t - PROBE_CLOCK_SLACK) return false;
    this.answers++;
    o.answers++;
    for (const m of o.macs) if (m[0] === macHi && m[1] === macLo) return true;
    if (o.macs.length < MAX_MACS_PER_VIP) o.macs.push([macHi, macLo]);
    return true;
  }

  /** Close the open round when its window has passed at `t` (or at once when t is omitted); returns it. */
  close(t = Infinity): Round | null {
    const o = this.open;
    if (o === null || t - o.t <= PROBE_ANSWER_WINDOW) return null;
    this.open = null;
    if (o.macs.length >= 2) this.roundsWithTwoOrMore++;
    if (this.rounds.length >= MAX_PROBE_ROUNDS) this.rounds.shift();
    this.rounds.push(o);
    return o;
  }
}
