// Network layer: IPv4 (RFC 791) and IPv6 (RFC 8200) up to protocol 112, ICMP errors, ARP, and IPv6
// neighbour discovery (RFC 4861 solicitations and advertisements).
// Every function reads only inside [p, end) and returns a Kind; nothing throws or allocates.
import { Kind, Reject } from './packet.js';
import { be32, type DecodedPacket } from './record.js';
import { decodeVrrp, fold16, ipReject, sum16 } from './vrrp.js';

const PROTO_ICMP = 1;
const PROTO_AH = 51;
const PROTO_VRRP = 112;
const PROTO_ICMP6 = 58;

/** The two 16-bit halves of a 32-bit word, added (for a checksum's pseudo-header). */
function w16(w: number): number {
  return (w >>> 16) + (w & 0xffff);
}

/** IP header not readable: addresses and TTL unknown (0), family known. */
function clearIp(r: DecodedPacket, family: number): void {
  r.family = family;
  r.src0 = r.src1 = r.src2 = r.src3 = r.dst0 = r.dst1 = r.dst2 = r.dst3 = 0;
  r.ttl = 0;
  r.ipId = -1;
}

//  IPv4 (RFC 791 §3.1)
//  0                   1                   2                   3
//  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// |Version|  IHL  |Type of Service|          Total Length         |
// |         Identification        |Flags|      Fragment Offset    |
// |  Time to Live |    Protocol   |         Header Checksum       |
// |                       Source Address                          |
// |                    Destination Address                        |
// |                    Options (IHL > 5)                          |
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
export function decodeIpv4(r: DecodedPacket, b: Uint8Array, p: number, end: number): number {
  if (end - p < 10) return Kind.Other;
  const b0 = b[p];
  const proto = b[p + 9];
  // fast path: one version check and one protocol byte decide that most frames are of no interest
  if ((b0 >>> 4) !== 4 || (proto !== PROTO_VRRP && proto !== PROTO_ICMP && proto !== PROTO_AH)) return Kind.Other;
  const ihl = (b0 & 15) << 2;
  if (proto === PROTO_AH) {
    // IPv4 AH (RFC 4302), used by VRRPv2 auth type 2: look through it for protocol 112
    if (ihl < 20 || end - p < ihl + 2 || b[p + ihl] !== PROTO_VRRP) return Kind.Other;
  }
  const interesting = proto !== PROTO_ICMP;
  if (end - p < 20) {
    if (!interesting) return Kind.Other;
    clearIp(r, 4); return ipReject(r, Reject.TruncatedIp, 0);
  }
  const total = (b[p + 2] << 8) | b[p + 3];
  if (ihl < 20 || total < ihl) {
    if (!interesting) return Kind.Other;
    clearIp(r, 4); return ipReject(r, Reject.BadIpHeader, 0);
  }
  r.family = 4;
  r.ttl = b[p + 8];
  r.ipId = (b[p + 4] << 8) | b[p + 5];
  r.src0 = be32(b, p + 12);
  r.dst0 = be32(b, p + 16);
  r.src1 = r.src2 = r.src3 = r.dst1 = r.dst2 = r.dst3 = 0;
  if ((((b[p + 6] << 8) | b[p + 7]) & 0x3fff) !== 0) {
    // MF set or a non-zero offset: a fragment
    if (!interesting) { r.family = 0; return Kind.Other; }
    return ipReject(r, Reject.Fragment, total - ihl);
  }
  if (end - p < ihl) {
    if (!interesting) { r.family = 0; return Kind.Other; }
    return ipReject(r, Reject.TruncatedIp, total - ihl);
  }
  const ipEnd = p + total;
  let q = p + ihl;
  if (proto === PROTO_ICMP) return decodeIcmp4(r, b, q, ipEnd < end ? ipEnd : end);
  if (proto === PROTO_AH) {
    // the AH header's first two bytes were checked to be captured on the fast path above
    q += (b[q + 1] + 2) << 2;
    if (q > ipEnd) return ipReject(r, Reject.BadIpHeader, 0);
  }
  return decodeVrrp(r, b, q, ipEnd - q, end);
}

//  IPv6 (RFC 8200 §3)
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// |Version| Traffic Class |           Flow Label                  |
// |         Payload Length        |  Next Header  |   Hop Limit   |
// |                Source Address (128 bits)                      |
// |             Destination Address (128 bits)                    |
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// Extension headers walked to reach protocol 112: hop-by-hop (0), routing (43), destination
// options (60): (len + 1) × 8 bytes; fragment (44): 8 bytes; AH (51): (len + 2) × 4 bytes.
export function decodeIpv6(r: DecodedPacket, b: Uint8Array, p: number, end: number): number {
  if (end - p < 7) return Kind.Other;
  let nh = b[p + 6];
  if ((b[p] >>> 4) !== 6 || (nh !== PROTO_VRRP && nh !== PROTO_ICMP6 && nh !== 0 && nh !== 43 &&
      nh !== 60 && nh !== 44 && nh !== PROTO_AH)) return Kind.Other;
  if (end - p < 40) {
    if (nh !== PROTO_VRRP) return Kind.Other;
    clearIp(r, 6); return ipReject(r, Reject.TruncatedIp, 0);
  }
  const plen = (b[p + 4] << 8) | b[p + 5];
  const ipEnd = p + 40 + plen;
  let q = p + 40;
  let frag = false;
  for (let i = 0; i < 8 && nh !== PROTO_VRRP && nh !== PROTO_ICMP6; i++) {
    if (end - q < 8) return Kind.Other;
    let len: number;
    if (nh === 0 || nh === 43 || nh === 60) len = (b[q + 1] + 1) << 3;
    else if (nh === 44) {
      len = 8;
      if ((((b[q + 2] << 8) | b[q + 3]) & 0xfff9) !== 0) frag = true; // offset != 0 or M set
    } else if (nh === PROTO_AH) len = (b[q + 1] + 2) << 2;
    else return Kind.Other;
    nh = b[q];
    q += len;
    if (frag) break;
  }
  if (nh !== PROTO_VRRP && nh !== PROTO_ICMP6) return Kind.Other;
  if (frag && nh !== PROTO_VRRP) return Kind.Other;
  r.family = 6;
  r.ttl = b[p + 7];
  r.ipId = -1;
  r.src0 = be32(b, p + 8); r.src1 = be32(b, p + 12); r.src2 = be32(b, p + 16); r.src3 = be32(b, p + 20);
  r.dst0 = be32(b, p + 24); r.dst1 = be32(b, p + 28); r.dst2 = be32(b, p + 32); r.dst3 = be32(b, p + 36);
  if (nh === PROTO_ICMP6) return decodeIcmp6(r, b, q, ipEnd, end);
  if (frag) return ipReject(r, Reject.Fragment, ipEnd - q);
  if (plen === 0 || q > ipEnd) return ipReject(r, Reject.BadIpHeader, 0);
  return decodeVrrp(r, b, q, ipEnd - q, end);
}

//  ICMP destination unreachable (RFC 792; codes 9, 10, 13 = administratively prohibited)
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// |   Type = 3    |     Code      |          Checksum             |
// |                             unused                            |
// |      Internet Header + 64 bits of Original Data Datagram      |
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
function decodeIcmp4(r: DecodedPacket, b: Uint8Array, q: number, end: number): number {
  const o = q + 8;
  if (end - o < 20 || b[q] !== 3 || (b[o] >>> 4) !== 4 || b[o + 9] !== PROTO_VRRP) {
    r.family = 0; return Kind.Other;
  }
  r.icmpType = 3;
  r.icmpCode = b[q + 1];
  r.qsrc0 = be32(b, o + 12);
  r.qdst0 = be32(b, o + 16);
  r.qsrc1 = r.qsrc2 = r.qsrc3 = r.qdst1 = r.qdst2 = r.qdst3 = 0;
  const v = o + ((b[o] & 15) << 2);
  r.qvrid = end - v >= 2 ? b[v + 1] : -1;
  return Kind.IcmpError;
}

//  ICMPv6 destination unreachable (RFC 4443 §3.1; code 1 = administratively prohibited)
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// |   Type = 1    |     Code      |          Checksum             |
// |                             Unused                            |
// |   As much of invoking packet as possible                      |
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// `ipEnd`: where the IPv6 payload ends by its length field; `end`: where the captured bytes end.
function decodeIcmp6(r: DecodedPacket, b: Uint8Array, q: number, ipEnd: number, end: number): number {
  if (end - q >= 1 && (b[q] === 135 || b[q] === 136)) return decodeNd(r, b, q, ipEnd, end);
  if (ipEnd < end) end = ipEnd;
  const o = q + 8;
  if (end - o < 40 || b[q] !== 1 || (b[o] >>> 4) !== 6 || b[o + 6] !== PROTO_VRRP) {
    r.family = 0; return Kind.Other;
  }
  r.icmpType = 1;
  r.icmpCode = b[q + 1];
  r.qsrc0 = be32(b, o + 8); r.qsrc1 = be32(b, o + 12); r.qsrc2 = be32(b, o + 16); r.qsrc3 = be32(b, o + 20);
  r.qdst0 = be32(b, o + 24); r.qdst1 = be32(b, o + 28); r.qdst2 = be32(b, o + 32); r.qdst3 = be32(b, o + 36);
  r.qvrid = end - (o + 40) >= 2 ? b[o + 41] : -1;
  return Kind.IcmpError;
}

//  Neighbour solicitation (type 135) and advertisement (type 136), RFC 4861 §4.3, §4.4
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// |  Type = 135/136 |   Code = 0  |          Checksum             |
// |R|S|O|                     Reserved (NA; all reserved in NS)   |
// |                  Target Address (128 bits)                    |
// |   Options: type (1), length in units of 8 bytes (1), ...      |
// |   1 = source link-layer address (NS), 2 = target link-layer   |
// |   address (NA): 6 bytes of MAC on Ethernet                    |
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// Kept only when a neighbour would accept it (RFC 4861 §7.1.1, §7.1.2): hop limit 255, code 0, at least
// 24 bytes, the whole message captured, a valid checksum, no option of length 0 or past the end, a target
// that is not multicast; an NS from the unspecified address goes to a solicited-node group and carries no
// source link-layer address; an NA to a multicast group has S clear. Anything else is Kind.Other.
function decodeNd(r: DecodedPacket, b: Uint8Array, q: number, ipEnd: number, end: number): number {
  const len = ipEnd - q;
  if (ipEnd > end || len < 24 || r.ttl !== 255 || b[q + 1] !== 0) { r.family = 0; return Kind.Other; }
  // checksum over the pseudo-header (RFC 8200 §8.1): source, destination, upper-layer length, next header 58
  const ph = w16(r.src0) + w16(r.src1) + w16(r.src2) + w16(r.src3) + w16(r.dst0) + w16(r.dst1) + w16(r.dst2) + w16(r.dst3) +
    (len >>> 16) + (len & 0xffff) + 58;
  if (fold16(ph + sum16(b, q, len)) !== 0xffff) { r.family = 0; return Kind.Other; }
  const type = b[q];
  if (b[q + 8] === 0xff) { r.family = 0; return Kind.Other; }        // a multicast target
  let llaHi = -1, llaLo = 0;
  const want = type === 135 ? 1 : 2;
  for (let o = q + 24; o < ipEnd;) {
    if (ipEnd - o < 2) { r.family = 0; return Kind.Other; }
    const olen = b[o + 1] << 3;
    if (olen === 0 || olen > ipEnd - o) { r.family = 0; return Kind.Other; }
    if (b[o] === want && olen >= 8 && llaHi < 0) {
      llaHi = (b[o + 2] << 8) | b[o + 3];
      llaLo = be32(b, o + 4);
    }
    o += olen;
  }
  const dstMcast = (r.dst0 >>> 24) === 0xff;
  const flags = type === 136 ? b[q + 4] & 0xe0 : 0;
  if (type === 135 && (r.src0 | r.src1 | r.src2 | r.src3) === 0) {
    // duplicate address detection: to the solicited-node group ff02::1:ffXX:XXXX, no source link-layer address
    if (r.dst0 !== 0xff020000 || r.dst1 !== 0 || r.dst2 !== 1 || (r.dst3 >>> 24) !== 0xff || llaHi >= 0) { r.family = 0; return Kind.Other; }
  }
  if (type === 136 && dstMcast && (flags & 0x40) !== 0) { r.family = 0; return Kind.Other; }
  r.ndType = type;
  r.ndFlags = flags;
  r.ndTarget0 = be32(b, q + 8); r.ndTarget1 = be32(b, q + 12); r.ndTarget2 = be32(b, q + 16); r.ndTarget3 = be32(b, q + 20);
  r.ndLlaHi = llaHi;
  r.ndLlaLo = llaLo;
  return Kind.Nd;
}

//  ARP for IPv4 over Ethernet (RFC 826)
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// |   HTYPE = 1                   |   PTYPE = 0x0800              |
// | HLEN = 6      | PLEN = 4      |   Operation                   |
// |   Sender hardware address (6) | Sender protocol address (4)   |
// |   Target hardware address (6) | Target protocol address (4)   |
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// Gratuitous: sender address = target address (request or reply form; RFC 5227 calls the request form an
// announcement). RFC 5227 probe: a request with sender address 0.0.0.0. The analyzer reads these forms from
// the fields (src/analyze/vip-ownership.ts).
export function decodeArp(r: DecodedPacket, b: Uint8Array, p: number, end: number): number {
  if (end - p < 28 || b[p] !== 0 || b[p + 1] !== 1 || b[p + 2] !== 8 || b[p + 3] !== 0 ||
      b[p + 4] !== 6 || b[p + 5] !== 4) return Kind.Other;
  r.arpOp = (b[p + 6] << 8) | b[p + 7];
  r.macHi = (b[p + 8] << 8) | b[p + 9];
  r.macLo = be32(b, p + 10);
  r.arpSpa = be32(b, p + 14);
  r.arpThaHi = (b[p + 18] << 8) | b[p + 19];
  r.arpThaLo = be32(b, p + 20);
  r.arpTpa = be32(b, p + 24);
  return Kind.Arp;
}
