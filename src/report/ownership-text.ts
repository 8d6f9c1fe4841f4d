// The text report's lines on who holds each virtual address (Router.ownership): per address the MACs
// that claimed it (the advertiser sending from each, how often and how, first and last time), the MAC the
// neighbours were last told, the active probe's last round; or why the capture cannot tell.
import type { Router, VipClaimer, VipView } from '../analyze/model.js';
import { localTimestamp } from './format.js';

function who(c: { mac: string; advertiser: string | null }, virtualMac = false): string {
  if (virtualMac) return `virtual MAC ${c.mac}`;
  return c.advertiser !== null ? `${c.advertiser} (${c.mac})` : `${c.mac} (sent no advert)`;
}

function kinds(c: VipClaimer): string {
  return Object.entries(c.claims).map(([k, n]) => `${n} ${k}`).join(', ');
}

function when(first: number, last: number, dated: boolean): string {
  return last - first < 0.0005 ? localTimestamp(first, dated) : `${localTimestamp(first, dated)} → ${localTimestamp(last, dated)}`;
}

function pad(s: string, n: number): string {
  return s.length >= n ? s + ' ' : s + ' '.repeat(n - s.length);
}

function vipLines(r: Router, v: VipView, dated: boolean): string[] {
  const out: string[] = [];
  if (v.claimers.length === 0) out.push(`  ${v.address}: no claim seen (neighbours learned it before the capture)`);
  else {
    const rows = v.claimers.map((c) => [who(c, c.virtualMac), kinds(c), when(c.first, c.last, dated)]);
    const w0 = Math.max(...rows.map((x) => x[0].length)), w1 = Math.max(...rows.map((x) => x[1].length));
    rows.forEach((x, i) => out.push(`  ${i === 0 ? `${v.address} claimed by` : ' '.repeat(v.address.length + 11)} ${pad(x[0], w0 + 1)}${pad(x[1], w1 + 1)}${x[2]}`));
    if (v.claimersLeftOut > 0) out.push(`  ${' '.repeat(v.address.length + 11)} and ${v.claimersLeftOut} more MAC${v.claimersLeftOut === 1 ? '' : 's'} not kept`);
  }
  const t = v.lastTold;
  if (t !== null) {
    const master = r.master;
    const note = v.stale ? ' — not the master: stale' : master !== null && t.advertiser === master ? ' — the master' : '';
    out.push(`  neighbours last told ${v.address} is at ${who(t)}, ${localTimestamp(t.t, dated)}${note}`);
  }
  const p = v.probe;
  if (p !== null) {
    const last = p.rounds[p.rounds.length - 1];
    out.push(`  probe ${v.address}: ${p.sent} sent, ${p.answers} answers` + (p.roundsWithTwoOrMore > 0 ? `, ${p.roundsWithTwoOrMore} round${p.roundsWithTwoOrMore === 1 ? '' : 's'} answered by two or more MACs` : '') +
      (last !== undefined ? `; last ${localTimestamp(last.t, dated)}: ${last.macs.length === 0 ? 'no answer' : last.macs.join(', ')}` : ''));
  }
  return out;
}

/** The ownership lines of router `r` (none when it lists no address). */
export function ownershipLines(r: Router, dated: boolean): string[] {
  const o = r.ownership;
  if (o.vips.length === 0) return [];
  if (!o.judged) return [`  who holds ${o.vips.map((v) => v.address).join(', ')} cannot be told: ${o.note ?? 'no ARP / neighbour discovery in the capture'}`];
  return o.vips.flatMap((v) => vipLines(r, v, dated));
}

/** Lines for --vip addresses no advert lists (Snapshot.unlistedVips). */
export function unlistedLines(vips: readonly VipView[], dated: boolean): string[] {
  const out: string[] = [];
  for (const v of vips) {
    const r = { master: null } as unknown as Router;
    out.push(...vipLines(r, v, dated));
  }
  return out;
}
