// What the ownership findings say (docs/findings.md: vip-conflict, stale-neighbours) and the lines the
// split-brain finding takes from the ownership room (one story per split brain: who claimed each virtual
// address during it, and which MAC the neighbours were last told). Text only, rebuilt from the claims kept by
// vip-ownership.ts whenever the view is built (the diagnosis, evidence.ts, calls in here); never per frame.
//
// Invariant: idempotent (rebuilds the evidence from scratch); never names a cause the claims do not show —
// a conflict joined to a split brain takes that split brain's cause, one with a MAC that sent no advert has none.
import type { Finding } from './model.js';
import type { FindingRecord, RouterState } from './router-state.js';
import { macText } from '../decode/text.js';
import { utcClock, fmt, rangeText } from './evidence-text.js';
import { CLAIM_KIND_NAMES, isVirtualMac, sourceOfMac, type MacClaim, type StaleSpell, type VipOwnership, type VipState } from './vip-ownership.js';
import { isMastersMac, ownerOf } from './vip-state.js';

/** How each claim kind reads, singular and plural. */
const KIND_TEXT: readonly [string, string][] = [
  ['gratuitous ARP request', 'gratuitous ARP requests'], ['gratuitous ARP reply', 'gratuitous ARP replies'],
  ['ARP reply', 'ARP replies'], ['unsolicited neighbour advertisement', 'unsolicited neighbour advertisements'],
  ['solicited neighbour advertisement', 'solicited neighbour advertisements'],
];

/** "10.99.0.1 (46:d5:…)", the virtual MAC, or a MAC that sent no advert. */
export function claimerText(r: RouterState, c: { macHi: number; macLo: number }): string {
  const mac = macText(c.macHi, c.macLo);
  if (isVirtualMac(r, c.macHi, c.macLo)) return `${mac} (the virtual MAC of VRID ${r.vrid}: use_vmac)`;
  const s = sourceOfMac(r, c.macHi, c.macLo);
  return s !== null ? `${s.ip} (${mac})` : `${mac} (no advert for VRID ${r.vrid} came from it)`;
}

/** "5 gratuitous ARP requests and 1 ARP reply". */
export function kindsText(c: MacClaim): string {
  const parts: string[] = [];
  for (let k = 0; k < CLAIM_KIND_NAMES.length; k++) if (c.counts[k] > 0) parts.push(`${c.counts[k]} ${KIND_TEXT[k][c.counts[k] === 1 ? 0 : 1]}`);
  return parts.join(' and ');
}

/** One MAC's claims of an address: who, how, when. */
function claimLine(r: RouterState, c: MacClaim, dated: boolean): string {
  return `${claimerText(r, c)}: ${kindsText(c)} ${rangeText(c.first, c.last, dated)}`;
}

/** Who the neighbours were last told holds `v`, and whether that is the master. */
function toldLine(r: RouterState, v: VipState, dated: boolean): string | null {
  const c = v.told;
  if (c === null) return null;
  const m = ownerOf(r, v);
  return `neighbours were last told ${v.text} is at ${claimerText(r, c)} by ${KIND_TEXT[v.toldKind][0]} at ${utcClock(v.toldAt, dated)}` +
    (m === null ? '' : toldIsMaster(r, v) ? `: the master ${m.ip}` : `: not the master ${m.ip}`);
}

/** The last claim every neighbour heard of `v` is the master's (its own MAC, or the virtual MAC). */
function toldIsMaster(r: RouterState, v: VipState): boolean {
  const c = v.told, m = ownerOf(r, v);
  return c !== null && m !== null && isMastersMac(r, m, c.macHi, c.macLo);
}

/** Why a capture cannot say who holds the addresses of `r`. */
export function notJudgedText(family: number): string {
  return family === 6
    ? 'the capture holds no IPv6 neighbour discovery (a capture filter without icmp6?)'
    : 'the capture holds no ARP (a capture filter without arp?)';
}

/** Lines for the split-brain finding of `r`: per address, who claimed it and who the neighbours were last told. */
export function splitBrainVipLines(r: RouterState, vips: VipOwnership, dated: boolean): string[] {
  const list = vips.forRouter(r);
  if (list.length === 0) return [];
  if (!vips.judged(r.family)) return [`who held ${list.map((v) => v.text).join(', ')} during the split brain cannot be told: ${notJudgedText(r.family)}`];
  const ev: string[] = [];
  for (const v of list) {
    const macs = v.macs.filter((c) => c.total > 0);
    if (macs.length === 0) { ev.push(`nobody claimed ${v.text} on the wire in this capture (neighbours learned it before)`); continue; }
    ev.push(`${v.text} was claimed by ${macs.length === 1 ? 'one host only' : `${macs.length} hosts`}: ` + macs.map((c) => claimLine(r, c, dated)).join('; '));
    const told = toldLine(r, v, dated);
    if (told !== null) ev.push(told);
  }
  return ev;
}

/** Rebuild the evidence of a vip-conflict or stale-neighbours finding; false for other codes. */
export function refreshVipFinding(fi: FindingRecord, vips: VipOwnership, dated: boolean): boolean {
  const f = fi.finding, r = fi.router;
  if (r === null || (f.code !== 'vip-conflict' && f.code !== 'stale-neighbours')) return false;
  const list = vips.forRouter(r);
  if (f.code === 'vip-conflict') conflictEvidence(f, r, list, dated);
  else staleEvidence(f, r, list, dated);
  return true;
}

const CONFIRMED_TEXT: Record<string, (r: RouterState, who: string) => string> = {
  'split-brain': (r) => `both advertised as master of VRID ${r.vrid} at the time (the split brain)`,
  'unknown-mac': (r, who) => `${who} holds it without a single advert for VRID ${r.vrid} seen here: another node is master too, ` +
    'and its adverts do not reach this capture point (dropped on the way, sent elsewhere by unicast), or a host that is no VRRP node uses the address',
  'claimed-again': (_r, who) => `${who} claimed it again later without being master: it still holds the address`,
  probe: (_r, who) => `${who} answered the active probe for it in the same round as the master: two hosts hold it now`,
};

function conflictEvidence(f: Finding, r: RouterState, list: VipState[], dated: boolean): void {
  const ev: string[] = [];
  let n = 0;
  for (const v of list) {
    if (v.conflicts.length === 0) continue;
    n += v.conflicts.length;
    const macs = v.macs.filter((c) => c.total > 0);
    ev.push(`${v.text} was claimed by ${macs.length} hosts: ` + macs.map((c) => claimLine(r, c, dated)).join('; '));
    const k = v.conflicts[v.conflicts.length - 1];
    ev.push(`${CONFIRMED_TEXT[k.confirmed]?.(r, claimerText(r, k.intruder)) ?? k.confirmed} ` +
      `(claims ${rangeText(k.first, k.last, dated)}${v.conflicts.length > 1 ? `; ${v.conflicts.length} such times` : ''})`);
    const told = toldLine(r, v, dated);
    if (told !== null) ev.push(told);
  }
  if (ev.length === 0) return;
  f.evidence = ev;
  f.count = Math.max(1, n);
  // one story: conflicts that were a split brain's have its cause (and fixes), and it tells them; joined only
  // when the conflict told for each address (its latest) is, so that a later one of another kind (a MAC that
  // sent no advert claims after the split brain ended) is told on its own
  const sb = r.findings.get('split-brain');
  if (sb !== undefined && list.every((v) => v.conflicts.length === 0 || v.conflicts[v.conflicts.length - 1].confirmed === 'split-brain')) {
    f.cause = sb.finding.cause;
    f.fixContext = structuredClone(sb.finding.fixContext);
  } else {
    f.cause = null;
    f.fixContext = { deafHost: null, peers: [], multicast: null, family: r.family };
  }
}

function staleLine(r: RouterState, v: VipState, s: StaleSpell, end: number, dated: boolean): string {
  const lasting = s.to < 0 ? `since ${utcClock(s.from, dated)} (${fmt(end - s.from)} s, to the end)` : `from ${utcClock(s.from, dated)} to ${utcClock(s.to, dated)} (${fmt(s.to - s.from)} s)`;
  const m = s.master.ip;
  if (s.told === null) {
    return `${m} became master at ${utcClock(s.from, dated)} and sent no gratuitous ARP/NA for ${v.text} (keepalived sends them at once): ` +
      `neighbours still send ${v.text} to the former master until their entry expires — ${lasting}`;
  }
  const told = `${claimerText(r, s.told)} at ${utcClock(s.toldAt, dated)}`;
  if (s.became >= 0 && s.from === s.became) {
    return `${m} became master at ${utcClock(s.became, dated)} and no gratuitous ARP/NA from it for ${v.text} was seen since: ` +
      `the last claim was ${told}, so neighbours still send ${v.text} there — ${lasting}`;
  }
  if (s.afterSplitBrain) {
    return `after the split brain, the last claim of ${v.text} was ${told}, not the master ${m}'s: the node that stayed master ` +
      `sent no new gratuitous ARP/NA, so neighbours send ${v.text} to the other node — ${lasting}`;
  }
  return `${claimerText(r, s.told)} claimed ${v.text} at ${utcClock(s.toldAt, dated)} while ${m} is master: neighbours send ${v.text} there, ` +
    `not to the master — ${lasting}`;
}

function staleEvidence(f: Finding, r: RouterState, list: VipState[], dated: boolean): void {
  const ev: string[] = [];
  let lasting = false, critical = false, n = 0;
  for (const v of list) {
    for (const s of v.staleSpells) {
      n++;
      ev.push(staleLine(r, v, s, r.lastSeen, dated));
      if (s.to < 0) { lasting = true; if (s.afterSplitBrain) critical = true; }
    }
  }
  if (ev.length === 0) return;
  f.evidence = ev;
  f.count = n;
  // CRITICAL while it lasts after a split brain, WARNING otherwise (and once it is over)
  f.severity = critical ? 'critical' : 'warning';
  const m = list.find((v) => v.stale !== null)?.stale?.master ?? r.master;
  const afterSplit = list.some((v) => v.staleSpells.some((x) => x.afterSplitBrain));
  f.fixContext = {
    deafHost: m?.ip ?? null, peers: [], multicast: null, family: r.family,
    configKey: afterSplit ? 'vrrp_higher_prio_send_advert' : 'vrrp_garp_master_refresh',
    values: Object.fromEntries(list.filter((v) => v.staleSpells.length > 0).map((v) => [v.text, m?.ip ?? ''])),
  };
  if (!lasting) f.evidence.push(...endLines(r, list, dated));
}

/** Why no spell lasts: the master's claim since the last spell of each address ended, else how that spell ended
 *  (never a claim nobody made). */
function endLines(r: RouterState, list: VipState[], dated: boolean): string[] {
  const lines = new Set<string>();                        // (one line for all the addresses the master claimed)
  for (const v of list) {
    const s = v.staleSpells.at(-1);
    if (s === undefined) continue;
    if (toldIsMaster(r, v) && v.toldAt >= s.to) lines.add('the master has claimed the addresses since: neighbours point at it again');
    else if (s.endedBy === 'master-again' && s.told !== null) {
      lines.add(`${claimerText(r, s.told)}, the host neighbours were last told holds ${v.text}, is master again since ` +
        `${utcClock(s.to, dated)}: neighbours point at the master again`);
    } else if (s.endedBy === 'two-masters') {
      lines.add(`the spell ended at ${utcClock(s.to, dated)} when two hosts were master at once (both held ${v.text}); not stale since`);
    } else if (s.endedBy === 'master-change') {
      lines.add(`the spell ended at ${utcClock(s.to, dated)} when ${s.master.ip} was master no longer; not stale since`);
    } else lines.add('the master has claimed the addresses since: neighbours point at it again');
  }
  return [...lines];
}
