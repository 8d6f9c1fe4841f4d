// Why a split brain happened, as far as one capture proves it (VRRP-NOTES 5.1; docs/analysis.md §4):
// the story of its periods and silenced masters, then the first cause rule that matches, in the order
// of the table in docs/analysis.md — ICMP refusal, version, auth, interval, TTL, checksum flavour,
// length, unicast/multicast mix, address list, unicast peers, the echo (firewall drop), unknown — and
// the fix context for it; then who claimed the virtual addresses and who the neighbours were last told
// (vip-evidence.ts). Facts that repeat (a silenced master's quiet spells) are one line with count and range.
//
// Invariants: a cause is named only on evidence (no firewall fix without firewall evidence; 'unknown'
// says what one vantage point cannot tell apart); rebuilt from scratch on every call (idempotent).
import type { Cause, Finding } from './model.js';
import type { FindingRecord, RouterState } from './router-state.js';
import { firstPair, type SourceState } from './source-state.js';
import { utcClock, fmt, ms, trailerText, vrrpGroup, notKeptText } from './evidence-text.js';
import { icmpText, refusal, type IcmpNote, type IcmpRefusals } from './icmp-refusals.js';
import type { VipOwnership } from './vip-ownership.js';
import { splitBrainVipLines } from './vip-evidence.js';
import { FLAVOUR_VALUES, authValue, destinationValue } from './config-evidence.js';
import type { WireEvidence } from './vantage/wire-cause.js';
import { MAX_SPELLS } from './limits.js';

/** Set the split-brain finding's evidence, cause and fix context; `dated`: times with their date; `wires`: where
 *  the adverts arrived when several captures are read together. */
export function explainSplitBrain(fi: FindingRecord, refusals: IcmpRefusals, vips: VipOwnership, dated = false,
  wires: WireEvidence | null = null): void {
  const r = fi.router;
  if (r === null) return;
  const f = fi.finding;
  const advs = r.splitBrainSources.length > 0 ? r.splitBrainSources : r.sources;
  const ev = story(r, advs, dated);
  const ctx = f.fixContext;
  ctx.family = r.family;
  ctx.multicast = advs.some((a) => a.multicastAdverts > 0) ? vrrpGroup(r.family) : null;
  ctx.deafHost = null;
  ctx.peers = [];
  delete ctx.configKey;
  delete ctx.values;
  const cause = nameCause(r, advs, refusals.forRouter(r).filter((n) => explainsSplit(n, advs)), ev, ctx, wires);
  ev.push(...splitBrainVipLines(r, vips, dated));
  f.cause = cause;
  f.evidence = ev;
}

const SILENCED_WHY = ' without resigning (no priority 0), while it rejects the other master\'s adverts: it cannot have gone back to backup, ' +
  'so it was still master, silenced on the wire (a keepalived 2.2 master restarts its advert timer on every advert it rejects)';

/** What happened: each split-brain period, each silenced master's quiet spells (one line per source when it
 *  went quiet more than twice), each master's figures. */
function story(r: RouterState, advs: readonly SourceState[], dated: boolean): string[] {
  const ev: string[] = [];
  for (const sb of r.splitBrains) {
    ev.push(`${sb.advertisers.join(' and ')} advertised at once for ${fmt(sb.duration)} s` + (sb.end === null ? ' (still going on)' : ''));
  }
  const bySource = new Map<SourceState, typeof r.silencedSpells>();
  for (const s of r.silencedSpells) bySource.set(s.source, [...(bySource.get(s.source) ?? []), s]);
  for (const [h, spells] of bySource) {
    const len = (s: (typeof spells)[number]): number => (s.to >= 0 ? s.to : r.lastSeen) - s.from;
    if (spells.length <= 2) {
      for (const s of spells) {
        ev.push(`${h.ip} advertised as master, then sent nothing from ${utcClock(s.from, dated)} ` +
          (s.to >= 0 ? `to ${utcClock(s.to, dated)} (${fmt(len(s))} s)` : `to the end (${fmt(len(s))} s)`) + SILENCED_WHY);
      }
      continue;
    }
    const last = spells[spells.length - 1];
    const lens = spells.map(len);
    const shortest = fmt(Math.min(...lens)), longest = fmt(Math.max(...lens));
    ev.push(`${h.ip} advertised as master, then went quiet ${spells.length} times from ${utcClock(spells[0].from, dated)} ` +
      `to ${last.to >= 0 ? utcClock(last.to, dated) : 'the end'} (${shortest === longest ? shortest : `${shortest}-${longest}`} s each, ` +
      `${fmt(lens.reduce((a, b) => a + b, 0))} s in all)` + SILENCED_WHY);
  }
  if (r.silencedSpellsNotKept > 0) {
    ev.push(notKeptText(r.silencedSpellsNotKept, 'quiet spell', MAX_SPELLS));
  }
  for (const a of advs) {
    ev.push(`${a.ip}: prio ${a.lastNonZeroPriority}, VRRPv${a.version}, interval ${fmt(a.intervalSeconds)} s, ${a.adverts} adverts` +
      (a.multicastAdverts > 0 && a.unicastAdverts === 0 ? ' to multicast' : a.unicastAdverts > 0 && a.multicastAdverts === 0 ? ` to ${a.unicastPeers.join(', ')}` : ' to multicast and unicast'));
  }
  for (const a of advs) {
    if (!a.admittedByRepeat) continue;
    ev.push(`${a.ip} was tracked from ${utcClock(a.firstSeen)} on, during a flood: it had advertised before (seen, not tracked), ` +
      `so the split brain may have begun up to one advert interval (${fmt(a.intervalSeconds)} s) earlier than shown`);
  }
  return ev;
}

/** Whether ICMP refusal `n` can explain a split brain of `advs`: one of its masters sent it (it cannot take the
 *  quoted adverts), or it answers unicast adverts of one of them that leave out another of them (a wrong
 *  unicast_peer: the other never gets them). A third host refusing adverts that also reach every other
 *  master explains nothing of the split brain (it is told as vrrp-refused all the same). */
function explainsSplit(n: IcmpNote, advs: readonly SourceState[]): boolean {
  if (advs.some((x) => x.ip === n.sender)) return true;
  const s = advs.find((x) => x.ip === n.quotedSrc);
  return s !== undefined && s.unicastAdverts > 0 && advs.some((y) => y !== s && !s.unicastPeers.includes(y.ip));
}

/** The first cause rule that matches (docs/analysis.md §4); adds its evidence lines to `ev` and its fix context to `ctx`. */
function nameCause(r: RouterState, advs: readonly SourceState[], icmp: IcmpNote[], ev: string[], ctx: Finding['fixContext'],
                   wires: WireEvidence | null): Cause {
  const mcastGroup = vrrpGroup(r.family);
  const pair = (pred: (x: SourceState, y: SourceState) => boolean): [SourceState, SourceState] | null => firstPair(advs, pred);
  let p: [SourceState, SourceState] | null;
  if (icmp.length > 0 && refusal(icmp[0]) === 'firewall') {
    const n = icmp[0];
    ev.push(`${n.sender} sent ${n.count} ${icmpText(n)} quoting VRRP from ${n.quotedSrc} to ${n.quotedDst}: a firewall there rejects VRRP`);
    ctx.deafHost = n.sender;
    ctx.peers = [n.quotedSrc];
    return 'firewall-reject';
  }
  if (icmp.length > 0) {
    // protocol unreachable: nothing on that host listens for VRRP
    const n = icmp[0];
    ev.push(`${n.sender} sent ${n.count} ${icmpText(n)} quoting VRRP from ${n.quotedSrc}: nothing there takes VRRP ` +
      `(keepalived not running on ${n.sender}, or ${n.sender} is not a node of VRID ${r.vrid}: check ${n.quotedSrc}'s unicast_peer list)`);
    ctx.deafHost = n.sender;
    ctx.peers = [n.quotedSrc];
    ctx.configKey = 'unicast_peer';
    const s = advs.find((x) => x.ip === n.quotedSrc);
    ctx.values = { [n.quotedSrc]: 'unicast_peer ' + (s !== undefined ? s.unicastPeers.join(' ') : n.quotedDst) };
    return 'unicast-peer';
  }
  if ((p = pair((x, y) => x.version !== y.version)) !== null) {
    ev.push(`${p[0].ip} sends VRRPv${p[0].version}, ${p[1].ip} VRRPv${p[1].version}: each drops the other's adverts ("wrong version")`);
    ctx.configKey = 'vrrp_version';
    ctx.values = Object.fromEntries(advs.map((x) => [x.ip, String(x.version)]));
    return 'version-mismatch';
  }
  if ((p = pair((x, y) => x.version === 2 && (x.authType !== y.authType || x.authHi !== y.authHi || x.authLo !== y.authLo))) !== null) {
    ev.push(p[0].authType !== p[1].authType
      ? `${p[0].ip} uses auth type ${p[0].authType}, ${p[1].ip} auth type ${p[1].authType}: each drops the other's adverts`
      : `${p[0].ip} and ${p[1].ip} send different auth_pass passwords: each drops the other's adverts ("invalid passwd")`);
    ctx.configKey = p[0].authType !== p[1].authType ? 'auth_type' : 'auth_pass';
    ctx.values = Object.fromEntries(advs.map((x) => [x.ip, authValue(x)]));
    return 'auth-mismatch';
  }
  if ((p = pair((x, y) => x.version === 2 && x.intervalCs !== y.intervalCs)) !== null) {
    ev.push(`${p[0].ip} advertises every ${fmt(p[0].intervalSeconds)} s, ${p[1].ip} every ${fmt(p[1].intervalSeconds)} s: VRRPv2 drops adverts with another interval`);
    ctx.configKey = 'advert_int';
    ctx.values = Object.fromEntries(advs.map((x) => [x.ip, fmt(x.intervalSeconds)]));
    return 'interval-mismatch';
  }
  if (ctx.multicast !== null && advs.some((x) => x.badTtlAdverts > 0)) {
    for (const x of advs) if (x.badTtlAdverts > 0) ev.push(`${x.ip}'s multicast adverts arrive with ${r.family === 6 ? 'hop limit' : 'TTL'} ${x.ttlMin}: keepalived drops anything but 255`);
    return 'ttl';
  }
  if ((p = pair((x, y) => x.version === 3 && y.version === 3 && x.checksumFlavour() !== y.checksumFlavour())) !== null) {
    const names = ['standard (with IPv4 pseudo-header)', 'v2-style (no pseudo-header)', 'old unicast'];
    ev.push(`${p[0].ip} computes ${names[p[0].checksumFlavour()]} checksums, ${p[1].ip} ${names[p[1].checksumFlavour()]}: each sees the other's checksum as invalid`);
    ctx.configKey = 'v3_checksum_as_v2';
    ctx.values = Object.fromEntries(advs.map((x) => [x.ip, FLAVOUR_VALUES[x.checksumFlavour()]]));
    return 'checksum-variant';
  }
  if ((p = pair((x, y) => x.trailerBytes !== y.trailerBytes)) !== null) {
    ev.push(`${p[0].ip}: ${trailerText(p[0].trailerBytes)}; ${p[1].ip}: ${trailerText(p[1].trailerBytes)}: ` +
      `keepalived drops adverts longer or shorter than it expects ("vrrp packet too long/short")`);
    ctx.configKey = 'auth_hmac';
    ctx.values = Object.fromEntries(advs.map((x) => [x.ip, trailerText(x.trailerBytes)]));
    return 'length-mismatch';
  }
  if ((p = pair((x, y) => x.unicastAdverts > 0 && x.multicastAdverts === 0 && y.multicastAdverts > 0 && y.unicastAdverts === 0)) !== null) {
    ev.push(`${p[0].ip} sends to unicast peers (${p[0].unicastPeers.join(', ')}), ${p[1].ip} to ${mcastGroup}: neither socket receives the other's adverts`);
    ctx.configKey = 'unicast_peer';
    ctx.values = Object.fromEntries(advs.map((x) => [x.ip, destinationValue(x)]));
    return 'unicast-multicast-mix';
  }
  if ((p = pair((x, y) => x.addressCount !== y.addressCount || x.addressHash !== y.addressHash)) !== null) {
    ev.push(`${p[0].ip} advertises ${p[0].addresses.join(' ')}, ${p[1].ip} advertises ${p[1].addresses.join(' ')}: keepalived up to 2.3.2 drops adverts with another address list`);
    ctx.configKey = 'virtual_ipaddress';
    ctx.values = Object.fromEntries(advs.map((x) => [x.ip, x.addresses.join(' ')]));
    return 'vip-mismatch';
  }
  if ((p = pair((x, y) => x.unicastAdverts > 0 && x.multicastAdverts === 0 && !x.unicastPeers.includes(y.ip))) !== null) {
    // unicast adverts addressed elsewhere: the other side cannot hear them (checked before the echo,
    // which the other's adverts may still produce)
    ev.push(`${p[0].ip} sends its adverts to ${p[0].unicastPeers.join(', ')}, not to ${p[1].ip}`);
    ctx.deafHost = p[1].ip;
    ctx.peers = [p[0].ip];
    ctx.configKey = 'unicast_peer';
    ctx.values = { [p[0].ip]: 'unicast_peer ' + p[0].unicastPeers.join(' ') };
    return 'unicast-peer';
  }
  // several vantage points (-r a -r b): where the adverts went decides it, before the echo (analysis §14.4)
  const wire = wires !== null ? wires.cause(r, advs, ev, ctx) : null;
  if (wire !== null) return wire;
  const deaf = deafOf(advs);
  if (deaf !== null) {
    // the echo: the election's winner (higher priority, or the same and a higher address) answers each advert at once
    const h = deaf.echoedBy!;
    ev.push(`${h.ip} answered ${deaf.advertsEchoed} of ${deaf.advertsUnderBetter} adverts from ${deaf.ip} within ${ms(deaf.longestEcho)}: ${h.ip} hears ${deaf.ip}, ${deaf.ip} does not hear ${h.ip}`);
    // one capture cannot tell the deaf host's firewall from a path that does not deliver to it (a capture
    // on that host can: several vantage points, analysis §14)
    ev.push(`${deaf.ip}'s firewall drops incoming VRRP, or the network does not deliver ${h.ip}'s adverts to it: ` +
      `one capture cannot tell these apart; a capture on ${deaf.ip} read with this one can (-r this.pcap -r ${deaf.ip}=its.pcap)`);
    ctx.deafHost = deaf.ip;
    ctx.peers = [h.ip];
    ctx.multicast = h.multicastAdverts > 0 ? mcastGroup : null;
    return 'firewall-drop';
  }
  ev.push('no source answered the other\'s adverts and their configurations agree: either both hosts drop VRRP, or the network between them does not deliver it (a capture on each host tells which)');
  ctx.peers = advs.map((x) => x.ip);
  return 'unknown';
}

/** The source, beaten in the election, whose adverts were echoed (at least twice and half of the time). */
function deafOf(advs: readonly SourceState[]): SourceState | null {
  let deaf: SourceState | null = null;
  for (const x of advs) if (x.echoedBy !== null && x.advertsEchoed >= 2 && x.advertsEchoed * 2 >= x.advertsUnderBetter && (deaf === null || x.advertsEchoed > deaf.advertsEchoed)) deaf = x;
  return deaf;
}
