// The dashboard's view of who holds the virtual addresses: the HOLDS cell of each advertiser (the addresses
// its MAC claimed, '*' on the one(s) the neighbours were last told), the MACs that claimed an address without
// advertising (a row each: a second holder the adverts do not show), and the active probe's latest answer
// for the pane title. Pure functions of Router.ownership; no state.
import type { Router } from '../analyze/model.js';

/** The addresses claimed from `mac` ('*' = the neighbours were last told so), '-' when none. */
export function holdsCell(r: Router, mac: string | null): string {
  if (mac === null) return '-';
  const held = r.ownership.vips.filter((v) => v.claimers.some((c) => c.mac === mac)).map((v) => v.address + (v.lastTold?.mac === mac ? '*' : ''));
  return held.length > 0 ? held.join(' ') : '-';
}

/** MACs that claimed one of the router's addresses and sent no advert: [mac, HOLDS cell]. */
export function claimersWithoutAdverts(r: Router): [string, string][] {
  const known = new Set(r.advertisers.map((a) => a.mac));
  const out = new Map<string, string>();
  for (const v of r.ownership.vips) for (const c of v.claimers) if (!known.has(c.mac) && !c.virtualMac) out.set(c.mac, holdsCell(r, c.mac));
  return [...out.entries()];
}

/** "; probe 10.99.0.100: 2 MACs" for the pane title (the latest finished round of each probed address). */
export function probeTitle(r: Router): string {
  const parts: string[] = [];
  for (const v of r.ownership.vips) {
    const p = v.probe;
    const last = p?.rounds[p.rounds.length - 1];
    if (last !== undefined) parts.push(`${v.address}: ${last.macs.length} MAC${last.macs.length === 1 ? '' : 's'}`);
  }
  if (!r.ownership.judged && r.ownership.vips.length > 0) return '; who holds the VIPs: no ARP/ND captured';
  return parts.length > 0 ? `; probe ${parts.join(', ')}` : '';
}
