// The lab verdict tests' own pcap reader (test/lab-verdicts*.test.ts): their reference times are read
// from the packets with it, they are NOT literals. It is independent of src/decode (its own parsing of
// Ethernet, IPv4/IPv6, VRRP, ICMP), so a decoder or analyzer mistake cannot make its own expectation:
// keep it so, it imports nothing from src/.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { DIR } from './lab-captures.js';

export interface Pkt {
  t: number;
  /** Ethernet source */
  mac: string;
  /** 4 or 6 for IP packets, 0 for ARP / other */
  ip: 0 | 4 | 6;
  src: string;
  dst: string;
  ttl: number;
  proto: number;
  /** VRRP fields when proto 112 */
  vrrp: { version: number; type: number; vrid: number; prio: number } | null;
  /** ICMP / ICMPv6 type and code */
  icmp: { type: number; code: number } | null;
  arp: boolean;
}

function ip6(b: Buffer, o: number): string {
  const g: number[] = [];
  for (let i = 0; i < 8; i++) g.push(b.readUInt16BE(o + 2 * i));
  // RFC 5952: compress the longest run (>= 2) of zero groups, the first one on a tie
  let bestS = -1, bestL = 1;
  for (let i = 0; i < 8; ) {
    if (g[i] !== 0) { i++; continue; }
    let j = i;
    while (j < 8 && g[j] === 0) j++;
    if (j - i > bestL) { bestS = i; bestL = j - i; }
    i = j;
  }
  const h = g.map((x) => x.toString(16));
  if (bestS < 0) return h.join(':');
  return `${h.slice(0, bestS).join(':')}::${h.slice(bestS + bestL).join(':')}`;
}

const pcapCache = new Map<string, Pkt[]>();
export function readPcap(name: string): Pkt[] {
  const hit = pcapCache.get(name);
  if (hit) return hit;
  const b = readFileSync(`${DIR}/${name}.pcap`);
  const magicLE = b.readUInt32LE(0);
  let le: boolean, nano: boolean;
  if (magicLE === 0xa1b2c3d4 || magicLE === 0xa1b23c4d) { le = true; nano = magicLE === 0xa1b23c4d; }
  else { le = false; nano = b.readUInt32BE(0) === 0xa1b23c4d; }
  const u32 = (o: number) => (le ? b.readUInt32LE(o) : b.readUInt32BE(o));
  assert.equal(u32(20) & 0xffff, 1, `${name}: lab captures are Ethernet`);
  const out: Pkt[] = [];
  for (let o = 24; o + 16 <= b.length; ) {
    const t = u32(o) + u32(o + 4) / (nano ? 1e9 : 1e6);
    const incl = u32(o + 8);
    const f = b.subarray(o + 16, o + 16 + incl);
    o += 16 + incl;
    let et = f.readUInt16BE(12), l3 = 14;
    while (et === 0x8100 || et === 0x88a8) { et = f.readUInt16BE(l3 + 2); l3 += 4; }
    const mac = [...f.subarray(6, 12)].map((x) => x.toString(16).padStart(2, '0')).join(':');
    const p: Pkt = { t, mac, ip: 0, src: '', dst: '', ttl: 0, proto: -1, vrrp: null, icmp: null, arp: et === 0x0806 };
    let l4 = -1;
    if (et === 0x0800) {
      p.ip = 4;
      p.ttl = f[l3 + 8];
      p.proto = f[l3 + 9];
      p.src = [...f.subarray(l3 + 12, l3 + 16)].join('.');
      p.dst = [...f.subarray(l3 + 16, l3 + 20)].join('.');
      l4 = l3 + (f[l3] & 0x0f) * 4;
    } else if (et === 0x86dd) {
      p.ip = 6;
      p.proto = f[l3 + 6];
      p.ttl = f[l3 + 7];
      p.src = ip6(f, l3 + 8);
      p.dst = ip6(f, l3 + 24);
      l4 = l3 + 40;
    }
    if (p.proto === 112) p.vrrp = { version: f[l4] >> 4, type: f[l4] & 0x0f, vrid: f[l4 + 1], prio: f[l4 + 2] };
    if ((p.ip === 4 && p.proto === 1) || (p.ip === 6 && p.proto === 58)) p.icmp = { type: f[l4], code: f[l4 + 1] };
    out.push(p);
  }
  pcapCache.set(name, out);
  return out;
}

/** VRRP adverts of one source (all sources when src is omitted), in capture order. */
export const adverts = (name: string, src?: string) => readPcap(name).filter((p) => p.vrrp && (src === undefined || p.src === src));
export const first = <T>(xs: T[]): T => { assert.ok(xs.length > 0, 'no such packet in the capture'); return xs[0]; };
export const last = <T>(xs: T[]): T => { assert.ok(xs.length > 0, 'no such packet in the capture'); return xs[xs.length - 1]; };
export const t0 = (name: string) => first(readPcap(name)).t;
export const tEnd = (name: string) => last(readPcap(name)).t;
export const sources = (name: string) => [...new Set(adverts(name).map((p) => p.src))].sort();

/** Gratuitous ARP frames of a capture by Ethernet source: keepalived's claims of the VIP. */
export const garps = (name: string, mac?: string) => readPcap(name).filter((p) => p.arp && (mac === undefined || p.mac === mac));
export const macOf = (name: string, ip: string) => first(readPcap(name).filter((p) => p.vrrp && p.src === ip)).mac;
