// Builders of PacketRecord objects for analyzer tests (the decoder is written in parallel).
// Plain objects that satisfy the contract in src/decode/packet.ts; text methods format the words.
import { Kind, Checksum, Reject } from '../../src/decode/packet.js';
import type { PacketRecord } from '../../src/decode/packet.js';

export function v4(ip: string): number {
  const p = ip.split('.').map(Number);
  return ((p[0] << 24) | (p[1] << 16) | (p[2] << 8) | p[3]) >>> 0;
}
export function v4Text(w: number): string {
  return `${w >>> 24}.${(w >>> 16) & 255}.${(w >>> 8) & 255}.${w & 255}`;
}
export function v6(ip: string): [number, number, number, number] {
  const [head, tail] = ip.includes('::') ? ip.split('::') : [ip, ''];
  const h = head ? head.split(':') : [];
  const tl = tail ? tail.split(':') : [];
  const groups = [...h, ...new Array(8 - h.length - tl.length).fill('0'), ...tl].map((g) => parseInt(g, 16));
  const w: number[] = [];
  for (let i = 0; i < 4; i++) w.push(((groups[2 * i] << 16) | groups[2 * i + 1]) >>> 0);
  return w as [number, number, number, number];
}
export function v6Text(w: number[]): string {
  const g: string[] = [];
  for (const x of w) g.push(((x >>> 16) & 0xffff).toString(16), (x & 0xffff).toString(16));
  let bs = -1, bl = 0;
  for (let i = 0; i < 8;) {
    if (g[i] !== '0') { i++; continue; }
    let j = i;
    while (j < 8 && g[j] === '0') j++;
    if (j - i > bl && j - i > 1) { bs = i; bl = j - i; }
    i = j;
  }
  if (bs < 0) return g.join(':');
  return g.slice(0, bs).join(':') + '::' + g.slice(bs + bl).join(':');
}
function fnv(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) { h ^= s.charCodeAt(i); h = Math.imul(h, 0x01000193) >>> 0; }
  return h >>> 0;
}
function authWords(text: string): [number, number] {
  const b = Buffer.alloc(8);
  b.write(text.slice(0, 8), 'latin1');
  return [b.readUInt32BE(0), b.readUInt32BE(4)];
}

export interface AdvertSpec {
  t: number;
  src: string;
  dst?: string;
  prio?: number;
  vrid?: number;
  version?: 2 | 3;
  /** seconds (v2) — or for v3 also seconds, converted to centiseconds */
  interval?: number;
  auth?: string | null;
  authType?: number;
  addrs?: string[];
  ttl?: number;
  vlan?: number;
  checksum?: Checksum;
  ipId?: number;
  mac?: [number, number];
}

/** Build one advert record. Defaults: v2, VRID 99, prio 100, 1 s, PASS "secret", VIP 10.0.0.100, TTL 255. */
export function advert(s: AdvertSpec): PacketRecord {
  const fam = s.src.includes(':') ? 6 : 4;
  const version = s.version ?? (fam === 6 ? 3 : 2);
  const interval = s.interval ?? 1;
  const src = fam === 6 ? v6(s.src) : [v4(s.src), 0, 0, 0];
  const dstText = s.dst ?? (fam === 6 ? 'ff02::12' : '224.0.0.18');
  const dst = fam === 6 ? v6(dstText) : [v4(dstText), 0, 0, 0];
  const addrs = s.addrs ?? (fam === 6 ? ['fd00::100'] : ['10.0.0.100']);
  const auth = version === 2 ? (s.auth === undefined ? 'secret' : s.auth) : null;
  const authType = version === 2 ? (s.authType ?? (auth === null ? 0 : 1)) : -1;
  const [ah, al] = auth !== null ? authWords(auth) : [0, 0];
  const sec = Math.floor(s.t);
  const nsec = Math.round((s.t - sec) * 1e9);
  const intervalCs = Math.round(interval * 100);
  const mac = s.mac ?? [0x5254, v4('0.0.0.' + (src[0] & 255)) | 0x00aa0000];
  const rec: PacketRecord = {
    kind: Kind.Advert, reject: Reject.None, tsSec: sec, tsNsec: nsec, linktype: 1, frameLen: 60, capLen: 60,
    macHi: mac[0], macLo: mac[1] >>> 0, vlan: s.vlan ?? -1, vlanOuter: -1, family: fam,
    src0: src[0], src1: src[1], src2: src[2], src3: src[3],
    dst0: dst[0], dst1: dst[1], dst2: dst[2], dst3: dst[3],
    ttl: s.ttl ?? 255, ipId: fam === 6 ? -1 : s.ipId ?? 0,
    version, type: 1, vrid: s.vrid ?? 99, priority: s.prio ?? 100, count: addrs.length,
    authType, authHi: ah, authLo: al,
    intervalRaw: version === 2 ? interval : intervalCs, intervalCs: version === 2 ? interval * 100 : intervalCs,
    checksum: 0, checksumStatus: s.checksum ?? Checksum.Ok,
    vrrpLength: 8 + addrs.length * (fam === 6 ? 16 : 4) + (version === 2 ? 8 : 0), trailingBytes: 0,
    addrHash: fnv(addrs.join(',')),
    icmpType: 0, icmpCode: 0, qsrc0: 0, qsrc1: 0, qsrc2: 0, qsrc3: 0, qdst0: 0, qdst1: 0, qdst2: 0, qdst3: 0, qvrid: -1,
    arpOp: 0, arpSpa: 0, arpTpa: 0, arpThaHi: 0, arpThaLo: 0,
    ndType: 0, ndFlags: 0, ndTarget0: 0, ndTarget1: 0, ndTarget2: 0, ndTarget3: 0, ndLlaHi: -1, ndLlaLo: 0,
    addressWord: (i: number, w: number) => {
      const a = addrs[i];
      if (a === undefined) return 0;
      return fam === 6 ? (v6(a)[w] ?? 0) >>> 0 : w === 0 ? v4(a) >>> 0 : 0;
    },
    srcText: () => (fam === 6 ? v6Text(src) : v4Text(src[0])),
    dstText: () => (fam === 6 ? v6Text(dst) : v4Text(dst[0])),
    macText: () => {
      const h = mac[0], l = mac[1] >>> 0;
      return [h >>> 8, h & 255, l >>> 24, (l >>> 16) & 255, (l >>> 8) & 255, l & 255].map((x) => x.toString(16).padStart(2, '0')).join(':');
    },
    addresses: () => addrs.slice(),
    authText: () => (auth ?? '').replace(/\0+$/, ''),
    // read the fields when called: icmpError() sets them after the record is built
    qsrcText: () => (fam === 6 ? v6Text([rec.qsrc0, rec.qsrc1, rec.qsrc2, rec.qsrc3]) : v4Text(rec.qsrc0)),
    qdstText: () => (fam === 6 ? v6Text([rec.qdst0, rec.qdst1, rec.qdst2, rec.qdst3]) : v4Text(rec.qdst0)),
  };
  return rec;
}

/** A non-VRRP frame (kind Other). */
export function other(t: number, len = 100): PacketRecord {
  const r = advert({ t, src: '10.9.9.9' });
  r.kind = Kind.Other;
  r.frameLen = len;
  return r;
}

export function rejectRec(t: number, reason: Reject): PacketRecord {
  const r = advert({ t, src: '10.9.9.9' });
  r.kind = Kind.Reject;
  r.reject = reason;
  return r;
}

/** ICMP error from `sender` quoting a VRRP packet src -> dst for `vrid`. */
export function icmpError(t: number, sender: string, qsrc: string, qdst: string, vrid: number, code = 13): PacketRecord {
  const r = advert({ t, src: sender, dst: qsrc });
  r.kind = Kind.IcmpError;
  r.icmpType = 3;
  r.icmpCode = code;
  r.qsrc0 = v4(qsrc);
  r.qdst0 = v4(qdst);
  r.qvrid = vrid;
  return r;
}

/** Regular adverts from `src` every `every` s in [from, to] (inclusive of from, exclusive of to). */
export function series(src: string, from: number, to: number, every: number, extra: Partial<AdvertSpec> = {}, ipId0 = 1): AdvertSpec[] {
  const out: AdvertSpec[] = [];
  let id = ipId0;
  for (let t = from; t < to - 1e-9; t = Math.round((t + every) * 1e6) / 1e6) out.push({ ...extra, t, src, ipId: id++ });
  return out;
}

/** Sort specs by time and build records. */
export function build(specs: AdvertSpec[]): PacketRecord[] {
  return specs.slice().sort((a, b) => a.t - b.t).map(advert);
}

/** An ARP frame: operation, sender MAC [hi16, lo32], sender and target IPv4, target MAC (default zero). */
export function arp(t: number, op: number, mac: [number, number], spa: string, tpa: string, tha: [number, number] = [0, 0], vlan = -1): PacketRecord {
  const r = advert({ t, src: spa === '0.0.0.0' ? '10.9.9.9' : spa, vlan });
  r.kind = Kind.Arp;
  r.arpOp = op;
  r.arpSpa = v4(spa) >>> 0;
  r.arpTpa = v4(tpa) >>> 0;
  r.arpThaHi = tha[0];
  r.arpThaLo = tha[1] >>> 0;
  r.macHi = mac[0];
  r.macLo = mac[1] >>> 0;
  return r;
}

/** A neighbour advertisement for `target` (flags: 0x40 solicited, 0x20 override) with the target
 *  link-layer option `mac`, sent from `src` to `dst`. */
export function na(t: number, target: string, mac: [number, number], flags = 0x20, src = target, dst = 'ff02::1'): PacketRecord {
  const r = advert({ t, src, dst, mac });
  r.kind = Kind.Nd;
  r.ndType = 136;
  r.ndFlags = flags;
  const w = v6(target);
  r.ndTarget0 = w[0]! >>> 0; r.ndTarget1 = w[1]! >>> 0; r.ndTarget2 = w[2]! >>> 0; r.ndTarget3 = w[3]! >>> 0;
  r.ndLlaHi = mac[0];
  r.ndLlaLo = mac[1] >>> 0;
  return r;
}

/** A neighbour solicitation for `target` from `src` with the source link-layer option `mac`. */
export function ns(t: number, target: string, mac: [number, number], src = 'fe80::9'): PacketRecord {
  const r = na(t, target, mac, 0, src, 'ff02::1:ff00:0');
  r.ndType = 135;
  return r;
}

/** Gratuitous ARP for `vip` from a MAC given as [hi16, lo32]. */
export function garp(t: number, vip: string, mac: [number, number]): PacketRecord {
  const r = advert({ t, src: vip });
  r.kind = Kind.Arp;
  r.arpOp = 1;
  r.arpSpa = v4(vip);
  r.arpTpa = v4(vip);
  r.macHi = mac[0];
  r.macLo = mac[1] >>> 0;
  return r;
}
