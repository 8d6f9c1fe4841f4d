// ICMP errors that quote a VRRP advert: a host that refuses the adverts (a firewall's REJECT, or no
// listener for protocol 112) says so on the wire. Each distinct error (family, VRID, VLAN tag path, type,
// code, sender) is kept as a note with its count and times; the first one a router's adverts get opens the
// 'vrrp-refused' finding (warning), split brain or not: the refused node may still be a backup that
// cannot be heard yet. The diagnosis reads the notes (evidence.ts, split-brain-cause.ts).
//
// Invariants: at most MAX_ICMP_NOTES notes (later distinct errors are counted in the capture stats
// only); text is made only for an ICMP error quoting VRRP.
import type { PacketRecord } from '../decode/packet.js';
import type { Family } from './model.js';
import { MAX_ICMP_NOTES } from './limits.js';
import type { FindingsBook } from './findings-book.js';
import { tagOf, type RouterState } from './router-state.js';

export interface IcmpNote {
  family: Family; vrid: number;
  /** tagOf() of the ICMP frame: its VLAN tag path, -1 untagged. */
  tag: number;
  /** The ICMP sender, and the source and destination of the VRRP packet it quotes. */
  sender: string; quotedSrc: string; quotedDst: string;
  type: number; code: number;
  /** How many such errors, the first and the last one's time. */
  count: number; first: number; last: number;
}

/** What an ICMP error quoting a VRRP advert says about its sender: 'firewall' — it refuses VRRP
 *  (administratively prohibited, or port unreachable, which is iptables' default REJECT); 'no-listener' —
 *  protocol unreachable, nothing on that host takes protocol 112 (keepalived not running there, or not a
 *  node of this VRID); null — anything else (e.g. host unreachable on the way). */
export function refusal(n: IcmpNote): 'firewall' | 'no-listener' | null {
  if (n.family === 4 && n.type === 3) {
    if (n.code === 3 || n.code === 9 || n.code === 10 || n.code === 13) return 'firewall';
    if (n.code === 2) return 'no-listener';
    return null;
  }
  if (n.family === 6 && n.type === 1 && (n.code === 1 || n.code === 4 || n.code === 6)) return 'firewall';
  return null;
}

const ICMP_TEXT: Record<string, string> = {
  '4/3/2': 'protocol unreachable', '4/3/3': 'port unreachable', '4/3/9': 'network administratively prohibited',
  '4/3/10': 'host administratively prohibited', '4/3/13': 'communication administratively prohibited',
  '6/1/1': 'administratively prohibited', '6/1/4': 'port unreachable', '6/1/6': 'reject route',
};

/** A new ICMP note quoting router `r`'s adverts at `t`: a host refusing the adverts is worth a finding of
 *  its own, split brain or not (the refused node may still be a backup that simply cannot be heard yet). */
export function openRefusedFinding(book: FindingsBook, r: RouterState, note: IcmpNote, t: number): void {
  const why = refusal(note);
  if (why === null) return;
  book.routerFinding(r, 'vrrp-refused', 'warning', t, null, null, why === 'firewall'
    ? `${note.sender} refuses VRRP from ${note.quotedSrc} on VRID ${r.vrid} (${icmpText(note)} came back)`
    : `${note.sender} has no VRRP listener for ${note.quotedSrc}'s adverts on VRID ${r.vrid} (${icmpText(note)})`);
}

/** "ICMP type 3 code 13 (communication administratively prohibited)". */
export function icmpText(n: IcmpNote): string {
  return `ICMP${n.family === 6 ? 'v6' : ''} type ${n.type} code ${n.code} (${ICMP_TEXT[`${n.family}/${n.type}/${n.code}`] ?? 'unreachable'})`;
}

export class IcmpRefusals {
  private readonly notes: IcmpNote[] = [];

  /** An ICMP error frame at `t` (counted by the caller). Returns its note when it is the first of its
   *  kind (the caller then opens the finding: openRefusedFinding), null otherwise. */
  record(p: PacketRecord, t: number): IcmpNote | null {
    if (p.qvrid < 0) return null;
    const fam: Family = p.family === 6 ? 6 : 4;
    const tag = tagOf(p.vlan, p.vlanOuter);
    for (const n of this.notes) {
      // the same refusal on another VLAN is another router's: a note of its own (and that router's finding)
      if (n.family === fam && n.vrid === p.qvrid && n.tag === tag && n.type === p.icmpType && n.code === p.icmpCode) {
        const s = p.srcText();
        if (s === n.sender) { n.count++; n.last = t; return null; }
      }
    }
    if (this.notes.length >= MAX_ICMP_NOTES) return null;
    const note: IcmpNote = {
      family: fam, vrid: p.qvrid, tag, sender: p.srcText(),
      quotedSrc: p.qsrcText(), quotedDst: p.qdstText(),
      type: p.icmpType, code: p.icmpCode, count: 1, first: t, last: t,
    };
    this.notes.push(note);
    return note;
  }

  /** The refusals quoting this router's adverts, firewall ones first. */
  forRouter(r: RouterState): IcmpNote[] {
    const tag = tagOf(r.vlan, r.vlanOuter);
    const out = this.notes.filter((n) => n.family === r.family && n.vrid === r.vrid && n.tag === tag && refusal(n) !== null);
    return out.sort((x, y) => (refusal(x) === 'firewall' ? 0 : 1) - (refusal(y) === 'firewall' ? 0 : 1));
  }
}
