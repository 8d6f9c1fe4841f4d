// One line per advert (`--adverts`, and the live line mode): tcpdump-like text or NDJSON.
// Called per advert, so it builds one string and nothing else.
import type { PacketRecord } from '../decode/packet.js';
import { CHECKSUM_NAMES, REJECT_NAMES } from '../decode/packet.js';
import type { AdvertNote } from '../analyze/model.js';
import { localTimestamp } from './format.js';
import { maskSecret, sanitize } from './sanitize.js';

const KIND_ADVERT = 1, KIND_REJECT = 2, KIND_CARP = 3, KIND_ICMP = 4;

const AUTH = ['none', 'simple', 'ah'];

function ts(p: PacketRecord): number {
  return p.tsSec + p.tsNsec / 1e9;
}

/** tcpdump-like time with microseconds (nanoseconds when the capture has them). */
function time(p: PacketRecord, withDate: boolean): string {
  const base = localTimestamp(p.tsSec, withDate).slice(0, -7);
  return `${base}.${p.tsNsec % 1000 === 0 ? String(p.tsNsec / 1000).padStart(6, '0') : String(p.tsNsec).padStart(9, '0')}`;
}

export interface LineOptions { showAuth: boolean; link: boolean; date: boolean }

/** Text line for a record of kind Advert, Reject, Carp or IcmpError; null for kinds not printed. */
export function advertText(p: PacketRecord, note: AdvertNote, anomaly: string | null, o: LineOptions): string | null {
  const k = p.kind as number;
  if (k !== KIND_ADVERT && k !== KIND_REJECT && k !== KIND_CARP && k !== KIND_ICMP) return null;
  let s = time(p, o.date) + ' ';
  if (o.link && p.macHi >= 0) s += p.macText() + ' ';
  if (o.link && p.vlan >= 0) s += `vlan ${p.vlan} `;
  s += `${p.family === 6 ? 'IP6' : 'IP'} ${p.srcText()} > ${p.dstText()}: `;
  if (k === KIND_CARP) return s + 'CARP (not VRRP)';
  if (k === KIND_ICMP) {
    return s + `ICMP${p.family === 6 ? 'v6' : ''} unreachable type ${p.icmpType} code ${p.icmpCode} for VRRP` +
      (p.qvrid >= 0 ? ` vrid ${p.qvrid}` : '');
  }
  if (k === KIND_REJECT) return s + `VRRP rejected: ${REJECT_NAMES[p.reject] ?? p.reject}`;
  s += `VRRPv${p.version}, vrid ${p.vrid}, prio ${p.priority}`;
  if (p.version === 2) {
    s += `, authtype ${AUTH[p.authType] ?? p.authType}, intvl ${p.intervalRaw}s`;
  } else {
    s += `, intvl ${p.intervalRaw}cs`;
  }
  s += `, ttl ${p.ttl}, addrs(${p.count}): ${p.addresses().join(',')}`;
  if (p.version === 2 && p.authType === 1) s += ` auth "${maskSecret(p.authText(), o.showAuth)}"`;
  if (p.checksumStatus !== 0) s += ` [checksum ${CHECKSUM_NAMES[p.checksumStatus]}]`;
  s += ` [${note}${anomaly ? ': ' + anomaly : ''}]`;
  return s;
}

/** NDJSON object for a record (documented in docs/adverts-json.md). One object literal per kind, no
 *  spread: V8 turns a spread copy into a dictionary-mode object that JSON.stringify serialises about 10x
 *  slower, which capped live `--json` line mode near 75,000 adverts/s. */
export function advertJson(p: PacketRecord, note: AdvertNote, anomaly: string | null, o: { showAuth: boolean }): string | null {
  const k = p.kind as number;
  if (k !== KIND_ADVERT && k !== KIND_REJECT && k !== KIND_CARP && k !== KIND_ICMP) return null;
  if (k === KIND_ADVERT) return advertLine(p, advertMiddle(p, o.showAuth), note, anomaly);
  const kind = k === KIND_REJECT ? 'reject' : k === KIND_CARP ? 'carp' : 'icmp-error';
  const srcMac = p.macHi >= 0 ? p.macText() : null;
  const vlan = p.vlan >= 0 ? p.vlan : null;
  if (k === KIND_ICMP) {
    return JSON.stringify({
      ts: ts(p), kind, src: p.srcText(), dst: p.dstText(), srcMac, vlan, ttl: p.ttl,
      icmpType: p.icmpType, icmpCode: p.icmpCode, quotedVrid: p.qvrid >= 0 ? p.qvrid : null,
    });
  }
  return JSON.stringify({
    ts: ts(p), kind, src: p.srcText(), dst: p.dstText(), srcMac, vlan, ttl: p.ttl,
    reject: k === KIND_REJECT ? REJECT_NAMES[p.reject] : 'carp',
  });
}

/**
 * The advert line between the time and the note: `,"kind":"advert",...,"note":"`. Concatenated by
 * hand rather than JSON.stringify'd (`-r` of 741,174 adverts with --adverts --json went from 2.56 s
 * to 1.75 s for the whole process). Only the strings that come from the wire (auth text, anomaly)
 * need escaping; addresses, MAC, note and checksum names are made of [0-9a-z.:-].
 * test/advert-line.test.ts checks the whole line equals JSON.stringify of the documented object for
 * every advert of every capture.
 */
function advertMiddle(p: PacketRecord, showAuth: boolean): string {
  const srcMac = p.macHi >= 0 ? p.macText() : null;
  const vlan = p.vlan >= 0 ? p.vlan : null;
  const addresses = p.addresses();
  const auth = p.version === 2 && p.authType === 1 ? JSON.stringify(maskSecret(sanitize(p.authText()), showAuth)) : 'null';
  return ',"kind":"advert","src":"' + p.srcText() + '","dst":"' + p.dstText() +
    '","srcMac":' + (srcMac === null ? 'null' : '"' + srcMac + '"') + ',"vlan":' + vlan + ',"ttl":' + p.ttl +
    ',"version":' + p.version + ',"type":' + p.type + ',"vrid":' + p.vrid + ',"priority":' + p.priority +
    ',"count":' + p.count + ',"authType":' + (p.version === 2 ? p.authType : 'null') + ',"authText":' + auth +
    ',"interval":' + p.intervalCs / 100 + ',"intervalRaw":' + p.intervalRaw +
    ',"intervalUnit":"' + (p.version === 2 ? 's' : 'cs') + '","checksum":"' + CHECKSUM_NAMES[p.checksumStatus] +
    '","addresses":' + (addresses.length === 0 ? '[]' : '["' + addresses.join('","') + '"]') + ',"note":"';
}

/** The whole advert line around its middle (advertMiddle): the time first, the note and anomaly last. */
function advertLine(p: PacketRecord, middle: string, note: AdvertNote, anomaly: string | null): string {
  return '{"ts":' + ts(p) + middle + note + '","anomaly":' + (anomaly === null ? 'null' : JSON.stringify(anomaly)) + '}';
}

/** An advert's middle text and every record field it was made from. */
class Middle {
  readonly family: number; readonly s0: number; readonly s1: number; readonly s2: number; readonly s3: number;
  readonly d0: number; readonly d1: number; readonly d2: number; readonly d3: number;
  readonly macHi: number; readonly macLo: number; readonly vlan: number; readonly ttl: number;
  readonly version: number; readonly type: number; readonly vrid: number; readonly priority: number;
  readonly count: number; readonly authType: number; readonly authHi: number; readonly authLo: number;
  readonly intervalCs: number; readonly intervalRaw: number; readonly checksum: number; readonly addrHash: number;
  constructor(p: PacketRecord, readonly text: string) {
    this.family = p.family; this.s0 = p.src0; this.s1 = p.src1; this.s2 = p.src2; this.s3 = p.src3;
    this.d0 = p.dst0; this.d1 = p.dst1; this.d2 = p.dst2; this.d3 = p.dst3;
    this.macHi = p.macHi; this.macLo = p.macLo; this.vlan = p.vlan; this.ttl = p.ttl;
    this.version = p.version; this.type = p.type; this.vrid = p.vrid; this.priority = p.priority;
    this.count = p.count; this.authType = p.authType; this.authHi = p.authHi; this.authLo = p.authLo;
    this.intervalCs = p.intervalCs; this.intervalRaw = p.intervalRaw; this.checksum = p.checksumStatus; this.addrHash = p.addrHash;
  }
  /** Same advert as far as the middle text goes (the addresses by their hash, as the analyzer compares them). */
  matches(p: PacketRecord): boolean {
    return this.s0 === p.src0 && this.vrid === p.vrid && this.priority === p.priority && this.addrHash === p.addrHash &&
      this.family === p.family && this.s1 === p.src1 && this.s2 === p.src2 && this.s3 === p.src3 &&
      this.d0 === p.dst0 && this.d1 === p.dst1 && this.d2 === p.dst2 && this.d3 === p.dst3 &&
      this.macHi === p.macHi && this.macLo === p.macLo && this.vlan === p.vlan && this.ttl === p.ttl &&
      this.version === p.version && this.type === p.type && this.count === p.count && this.authType === p.authType &&
      this.authHi === p.authHi && this.authLo === p.authLo && this.intervalCs === p.intervalCs &&
      this.intervalRaw === p.intervalRaw && this.checksum === p.checksumStatus;
  }
}

const MAX_MIDDLES = 4096;

/**
 * NDJSON lines for a stream of records (the --adverts --json printer, offline and live). A source's
 * adverts are the same advert after advert but for the time (keepalived sends one every second), so
 * the middle of the line is made once per source and reused while every field it shows is unchanged:
 * a line then costs the time's digits and four concatenations. Prints exactly what advertJson() prints.
 */
export class AdvertJsonLines {
  private readonly middles = new Map<number, Middle>();
  /** Lines that reused a middle (for the tests). */
  reused = 0;
  constructor(readonly showAuth: boolean) {}

  line(p: PacketRecord, note: AdvertNote, anomaly: string | null): string | null {
    if ((p.kind as number) !== KIND_ADVERT) return advertJson(p, note, anomaly, this);
    // a bucket per source address and VRID; the fields decide whether its middle still holds
    const key = (p.family === 6 ? p.src3 + 2 ** 33 : p.src0) * 256 + p.vrid;
    let m = this.middles.get(key);
    if (m !== undefined && m.matches(p)) this.reused++;
    else {
      m = new Middle(p, advertMiddle(p, this.showAuth));
      if (this.middles.size >= MAX_MIDDLES) this.middles.clear();
      this.middles.set(key, m);
    }
    return advertLine(p, m.text, note, anomaly);
  }
}
