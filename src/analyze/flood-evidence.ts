// The diagnosis of a flood ('vrrp-flood', docs/findings.md): what went beyond the limits on routers and
// sources (admission.ts counts it), when and how fast, who sent it (the first sources and their MACs),
// which VRIDs it hit, whether it claimed priority 255 or a VRID in use (then CRITICAL), and the fix
// context: the flooding MACs (to find their switch port) and the real nodes (to accept VRRP from them
// only). Rebuilt from the tally whenever the view is built, like every other finding's evidence.
import type { Finding } from './model.js';
import type { Admission } from './admission.js';
import { utcClock, fmt } from './evidence-text.js';

export const FLOOD_TITLE = 'VRRP flood: more sources or virtual routers advertise than are tracked (an attack tool, a broken device or a test rig on the segment)';

/** "1-3, 7, 99" from sorted numbers. */
export function ranges(xs: readonly number[]): string {
  const out: string[] = [];
  for (let i = 0; i < xs.length; i++) {
    let j = i;
    while (j + 1 < xs.length && xs[j + 1] === xs[j] + 1) j++;
    out.push(j === i ? String(xs[i]) : `${xs[i]}-${xs[j]}`);
    i = j;
  }
  return out.join(', ');
}

/** `n` and the noun, plural unless n is 1. */
function counted(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

/** Set the flood finding's evidence, count, times, severity and fix context from the tally. */
export function refreshFloodFinding(f: Finding, adm: Admission): void {
  const v = adm.view(0, 0);
  if (v.untrackedAdverts === 0 || v.first === null || v.last === null) return;
  const span = v.last - v.first;
  const ev: string[] = [];
  ev.push(`${counted(v.untrackedAdverts, 'advert')} beyond the limits (${counted(v.maxSources, 'source')} per virtual router, ` +
    `${counted(v.maxRouters, 'virtual router')}) ${v.untrackedAdverts === 1 ? 'was' : 'were'} counted, not tracked: ` +
    `about ${counted(v.untrackedSources, 'distinct source')}` +
    (v.untrackedRouters > 0 ? `, about ${counted(v.untrackedRouters, 'virtual router')} not tracked at all` : ''));
  ev.push(`from ${utcClock(v.first)} to ${utcClock(v.last)} (${fmt(span)} s)` +
    (span > 0 ? `: ${Math.round(v.untrackedAdverts / span)} adverts/s on average` : '') + `, ${v.peakPerSecond} in the busiest second`);
  ev.push('first sources: ' + v.samples.map((x) => `${x.ip}${x.mac !== null ? ` (${x.mac})` : ''} VRID ${x.vrid}` +
    `${x.vlan !== null ? ` vlan ${x.vlan}` : ''} prio ${x.priority}`).join(', '));
  ev.push(`VRIDs hit: IPv4 ${v.vrids.v4.length > 0 ? ranges(v.vrids.v4) : 'none'}; IPv6 ${v.vrids.v6.length > 0 ? ranges(v.vrids.v6) : 'none'}`);
  if (v.priority255 > 0) {
    ev.push(`${v.priority255} of them claimed priority 255 (the address owner): a node that accepted one would give up being master at once`);
  }
  if (v.inUse > 0) ev.push(`${v.inUse} of them ${v.inUse === 1 ? 'was' : 'were'} for a virtual router in use: ${v.inUseRouters.join(', ')}`);
  ev.push(`the routers and sources tracked before were analysed as before; newcomers were tracked once they repeated ` +
    `(${counted(v.admitted.sources, 'source')}, ${counted(v.admitted.routers, 'router')}; ` +
    `${v.evicted.sources + v.evicted.routers} removed to make room, ${v.agedOut.sources + v.agedOut.routers} aged out after a long silence)`);
  ev.push('VRRP authentication does not stop this: a PASS password travels in clear text and every advert still reaches the nodes; ' +
    'find the sender\'s switch port by its MAC');
  f.evidence = ev;
  f.count = v.untrackedAdverts;
  f.firstSeen = v.first;
  f.lastSeen = v.last;
  if (v.priority255 > 0 || v.inUse > 0) f.severity = 'critical';
  const values: Record<string, string> = {};
  for (const x of v.samples) if (x.mac !== null) values[x.mac] = `${x.ip} VRID ${x.vrid}${x.vlan !== null ? ` vlan ${x.vlan}` : ''}`;
  f.fixContext.configKey = 'source-mac';
  f.fixContext.values = values;
  f.fixContext.peers = adm.inUsePeers();
  f.fixContext.family = v.samples[0]?.family ?? null;
}
