// The judgement of the ownership room (docs/analysis.md §13): when two MACs' claims of one virtual address
// contest each other and when that is a conflict (vip-conflict), when the last claim every neighbour heard
// is not the master's (stale-neighbours), and what a closed round of the active probe proves. Called by
// vip-ownership.ts for each claim (contestFor) and when time passes (judgeVip: once per capture second and
// per live tick, and at the end); it opens the findings, whose text vip-evidence.ts makes.
//
// Invariants: a contest is confirmed only on evidence that the other claimer still held the address (a MAC
// that sent no advert; a split brain, a silenced master's included; a claim again later; two answers to one
// probe), else it is dropped once VIP_CONFLICT_WINDOW has passed (a backup that took over for a moment and
// went back) or once the claimer is the master (a master change); one contest at a time per address, a third
// MAC's claim replacing it; staleness is not judged while two masters advertise (both hold the address then).
import type { FindingsBook } from './findings-book.js';
import type { RouterState } from './router-state.js';
import { MAX_SPELLS } from './limits.js';
import { STALE_GRACE, VIP_CONFLICT_WINDOW } from './timing.js';
import type { Round } from './vip-probes.js';
import { isMastersMac, isVirtualMac, ownerOf, sourceOfMac, type Contest, type MacClaim, type StaleEnd, type StaleSpell, type VipState } from './vip-state.js';

/** A claim by `c` of `v` at `t`: does it contest another MAC's recent claim? */
export function contestFor(v: VipState, c: MacClaim, t: number): void {
  let y: MacClaim | null = null;
  for (const x of v.macs) if (x !== c && t - x.last <= VIP_CONFLICT_WINDOW && (y === null || x.last > y.last)) y = x;
  if (y === null || (c.byMaster && y.byMaster)) return;   // a master change (each claimed as master): no conflict
  const intruder = !c.byMaster ? c : y;
  // within its window, a claim with the ongoing contest's intruder (its own, or one against it) or by its
  // other goes on with it; a third MAC's claim begins a contest of its own
  const k = v.contest;
  if (k !== null && t - k.last <= VIP_CONFLICT_WINDOW && (intruder === k.intruder || c === k.other)) {
    k.last = t;
    return;
  }
  v.contest = { intruder, other: intruder === c ? y : c, first: y.last, last: t, burstsAtStart: intruder.bursts, confirmed: '' };
}

/** Judge `v` at `t`: its open probe round, its contest, its staleness; `judged`: the capture shows claims of
 *  its family at all. */
export function judgeVip(v: VipState, t: number, book: FindingsBook, judged: boolean): void {
  if (v.probe !== null && v.probe.open !== null) {
    const closed = v.probe.close(t);
    if (closed !== null) judgeRound(v, closed, t, book);
  }
  const r = v.router;
  if (r === null) return;
  if (v.contest !== null) judgeContest(v, r, t, book);
  if (judged) judgeStale(v, r, t, book);
}

function judgeContest(v: VipState, r: RouterState, t: number, book: FindingsBook): void {
  const k = v.contest!;
  if (k.confirmed === '') {
    const who = sourceOfMac(r, k.intruder.macHi, k.intruder.macLo);
    let why = '';
    // a MAC that sent no advert (nor the virtual MAC) is no node of a split brain seen here, even just after one
    if (who === null && !isVirtualMac(r, k.intruder.macHi, k.intruder.macLo)) why = 'unknown-mac';
    // a split brain (the open one is the list's last) within the window of the claims; a silenced master is
    // one's (split-brain.ts opens one with it)
    else if (r.splitBrains.some((p) => p.start <= k.last + VIP_CONFLICT_WINDOW && (p.end === null || p.end >= k.first - VIP_CONFLICT_WINDOW))) why = 'split-brain';
    else if (who !== null && r.master === who) {
      // the claimer is the master now: a master change, not a conflict (a master whose adverts were lost on
      // the way claimed before its next advert made it master again here: a preemption)
      v.contest = null;
      return;
    } else if (k.intruder.bursts > k.burstsAtStart) why = 'claimed-again';
    if (why !== '') {
      k.confirmed = why;
      if (v.conflicts.length < MAX_SPELLS) v.conflicts.push(k);
      const other = sourceOfMac(r, k.other.macHi, k.other.macLo);
      book.routerFinding(r, 'vip-conflict', 'critical', t, who, other, `${v.text} is claimed by two hosts (VRID ${r.vrid})`);
      return;
    }
  } else if (!r.findings.has('vip-conflict')) {
    // cleared by the dashboard's `c` while it goes on: open again
    book.routerFinding(r, 'vip-conflict', 'critical', t, null, null, `${v.text} is claimed by two hosts (VRID ${r.vrid})`);
  }
  // over: a claimer that went back to backup at once (a brief takeover) is no conflict
  if (t - k.last > VIP_CONFLICT_WINDOW) v.contest = null;
}

function judgeStale(v: VipState, r: RouterState, t: number, book: FindingsBook): void {
  const m = ownerOf(r, v);
  const s = v.stale;
  if (r.splitBrain !== null || r.dualPeriodStart === r.dualPeriodStart || r.silencedMaster !== null) {
    // two masters now: both hold the address (vip-conflict tells it); staleness is judged again after
    if (s !== null) endStale(v, s, t, 'two-masters');
    return;
  }
  if (m === null || !m.advertising) return;
  const told = v.told;
  const fresh = told !== null && isMastersMac(r, m, told.macHi, told.macLo);
  if (fresh) {
    // right again at the later of the claim and the told host's becoming master: a claim the master made, or
    // an old claim that is right again because its host is master again (no new claim)
    if (s !== null) endStale(v, s, Math.max(v.toldAt, m.advertisingSince), v.toldAt >= m.advertisingSince ? 'claim' : 'master-again');
    return;
  }
  if (s !== null && s.master === m) {                    // still stale (its finding cleared by `c`: open again)
    if (!r.findings.has('stale-neighbours')) openStale(v, r, s, t, book);
    return;
  }
  if (s !== null) endStale(v, s, t, 'master-change');   // another master now: judged afresh below
  // since when: the master took over after the capture began (its first advert as master), or another MAC
  // claimed after that: the first claim since the master's last (its MAC's or the virtual MAC's; the first of
  // all when neither claimed), not the latest, which a host claiming again within the grace would keep moving
  const became = m.advertisingSince > r.firstSeen ? m.advertisingSince : -1;
  if (told === null && became < 0) return;                // no claim seen, master from before the capture
  let by = v.firstTold, at = v.firstToldAt;
  for (const c of v.macs) {
    if (c.otherSince > at && isMastersMac(r, m, c.macHi, c.macLo)) { by = c.otherBy; at = c.otherSince; }
  }
  // and not before the last split brain ended (both held it until then)
  const sb = r.splitBrains.length > 0 ? r.splitBrains[r.splitBrains.length - 1].end ?? -1 : -1;
  const from = Math.max(told === null ? became : Math.max(at, became), sb);
  if (t - from <= STALE_GRACE) return;
  const dated = told !== null && from === at;             // dated from that claim: the spell tells it
  // the split brain's story only when the spell is dated from its end (the last claim heard then is its
  // loser's; sb is -1 without one, and a spell never begins at -1); a claim made later is a story of its own
  const spell: StaleSpell = { from, to: -1, endedBy: null, told: dated ? by : told, toldAt: dated ? at : v.toldAt, master: m, became,
    afterSplitBrain: from === sb };
  v.stale = spell;
  if (v.staleSpells.length >= MAX_SPELLS) v.staleSpells.shift();
  v.staleSpells.push(spell);
  openStale(v, r, spell, t, book);
}

function endStale(v: VipState, s: StaleSpell, t: number, how: StaleEnd): void {
  s.to = t;
  s.endedBy = how;
  v.stale = null;
}

function openStale(v: VipState, r: RouterState, s: StaleSpell, t: number, book: FindingsBook): void {
  book.routerFinding(r, 'stale-neighbours', s.afterSplitBrain ? 'critical' : 'warning', t, s.master, null,
    `neighbours may still send ${v.text} to ${s.told === null ? 'the former master' : 'a host that is not the master'}: ${s.master.ip} is master`);
}

/** A closed probe round of `v`: two or more MACs answering proves a conflict. */
export function judgeRound(v: VipState, k: Round, t: number, book: FindingsBook): void {
  if (k.macs.length < 2) return;
  v.provenBy = k;
  const r = v.router;
  const find = (i: number): MacClaim | null => v.macs.find((c) => c.macHi === k.macs[i][0] && c.macLo === k.macs[i][1]) ?? null;
  const a = find(0), b = find(1);
  if (a !== null && b !== null) {
    const m = r !== null ? ownerOf(r, v) : null;
    const intruder = m !== null && a.macHi === m.macHi && a.macLo === m.macLo ? b : a;
    const c: Contest = { intruder, other: intruder === a ? b : a, first: k.t, last: k.t, burstsAtStart: intruder.bursts, confirmed: 'probe' };
    if (v.conflicts.length >= MAX_SPELLS) v.conflicts.shift();
    v.conflicts.push(c);
  }
  const title = `${v.text} is answered by ${k.macs.length} hosts (active probe)`;
  if (r !== null) book.routerFinding(r, 'vip-conflict', 'critical', t, null, null, title);
  else {
    const fi = book.globalFinding('vip-conflict:' + v.text, 'vip-conflict', 'critical', t, null, null, v.family, title);
    fi.finding.lastSeen = t;
  }
}
