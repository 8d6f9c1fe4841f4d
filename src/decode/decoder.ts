// PacketDecoder: link layer dispatch, then ip.ts -> vrrp.ts. One reused record, no allocation,
// no closures, no strings, no try/catch on the per-frame path; every read bounds-checked.
import { Kind, Reject } from './packet.js';
import { be32, DecodedPacket } from './record.js';
import { decodeArp, decodeIpv4, decodeIpv6 } from './ip.js';

const ET_IPV4 = 0x0800;
const ET_ARP = 0x0806;
const ET_IPV6 = 0x86dd;
const ET_8021Q = 0x8100;
const ET_8021AD = 0x88a8;
const ET_QINQ_OLD = 0x9100;
const MAX_TAGS = 8;

/**
 * True when a frame is certainly of no interest, so that `decode` would say Kind.Other: an untagged
 * IPv4 packet of a protocol other than VRRP, ICMP or AH, or an EtherType that the decoder does not
 * look into, on Ethernet (1) or Linux cooked capture v1/v2 (113, 276: what `-i any` records). Lets
 * the pipeline skip the decoder, the record and their calls for the ~99 % of a busy segment's frames
 * (measured: a fifth of the time of `-r` on the mixed bench capture, Ethernet or SLL; docs/performance.md).
 * Conservative: whatever it cannot settle from these two fields (tags, IPv6, ARP, a short frame,
 * another link type) is left to `decode`. test/decode.test.ts holds it to that on every capture and
 * on random frames of each link type.
 */
export function plainOther(b: Uint8Array, off: number, caplen: number, linktype: number): boolean {
  // where the EtherType and the network header are, per link type
  let et: number;
  let ip: number;
  if (linktype === 1) { et = off + 12; ip = off + 14; }
  else if (linktype === 113) { et = off + 14; ip = off + 16; }
  else if (linktype === 276) { et = off; ip = off + 20; }
  else return false;
  // the IPv4 protocol byte must be inside the frame and the buffer
  if (ip + 10 > off + caplen || ip + 10 > b.length) return false;
  const type = (b[et] << 8) | b[et + 1];
  if (type === ET_IPV4) {
    const proto = b[ip + 9];
    return (b[ip] >>> 4) !== 4 || (proto !== 112 && proto !== 1 && proto !== 51);
  }
  return type !== ET_IPV6 && type !== ET_ARP && type !== ET_8021Q && type !== ET_8021AD && type !== ET_QINQ_OLD;
}

export class PacketDecoder {
  readonly rec: DecodedPacket = new DecodedPacket();
  /** Offset of the link-layer source MAC in the current frame, -1 when the link has none. */
  private macOff = -1;
  /** VLAN ids seen by the tag walker for the current frame (copied to the record if it matters). */
  private vlan = -1;
  private vlanOuter = -1;

  decode(buf: Uint8Array, off: number, caplen: number, origlen: number,
         tsSec: number, tsNsec: number, linktype: number): Kind {
    const r = this.rec;
    r.tsSec = tsSec;
    r.tsNsec = tsNsec;
    r.linktype = linktype;
    r.frameLen = origlen;
    r.capLen = caplen;
    this.macOff = -1;
    this.vlan = -1;
    this.vlanOuter = -1;
    let end = off + caplen;
    if (end > buf.length) end = buf.length;
    let k: Kind;
    if (!(off >= 0) || !(end > off)) k = Kind.Other;
    else {
      switch (linktype) {
        case 1: k = this.ethernet(buf, off, end); break;
        case 113: k = this.sll(buf, off, end); break;
        case 276: k = this.sll2(buf, off, end); break;
        case 101: case 12: case 14: case 228: case 229: k = this.rawIp(buf, off, end); break;
        case 0: case 108: k = this.loopback(buf, off, end); break;
        case 107: k = this.frameRelay(buf, off, end); break;
        default: k = Kind.UnsupportedLink;
      }
    }
    r.kind = k;
    // Fast path: for frames of no interest nothing else is written (see README: field validity).
    if (k === Kind.Other || k === Kind.UnsupportedLink) return k;
    r.buf = buf;
    r.vlan = this.vlan;
    r.vlanOuter = this.vlanOuter;
    if (k !== Kind.Reject) r.reject = Reject.None;
    if (k === Kind.Arp) r.family = 0;
    else if (this.macOff >= 0) {
      const m = this.macOff;
      r.macHi = (buf[m] << 8) | buf[m + 1];
      r.macLo = be32(buf, m + 2);
    } else {
      r.macHi = -1;
      r.macLo = 0;
    }
    return k;
  }

  //  Ethernet II (IEEE 802.3) with 802.1Q / 802.1ad tags
  // +-----------------+-----------------+---------+-----------------------+---------+------
  // | Destination (6) | Source (6)      | TPID (2)| PCP|DEI|VLAN id (2)  | ... tags | EtherType (2) | payload
  // +-----------------+-----------------+---------+-----------------------+---------+------
  private ethernet(b: Uint8Array, p: number, end: number): Kind {
    if (end - p < 14) return Kind.Other;
    this.macOff = p + 6;
    return this.ethertype(b, (b[p + 12] << 8) | b[p + 13], p + 14, end);
  }

  /** Dispatch on an EtherType at q, walking stacked VLAN tags (0x8100, 0x88a8, 0x9100). */
  private ethertype(b: Uint8Array, et: number, q: number, end: number): Kind {
    if (et === ET_8021Q || et === ET_8021AD || et === ET_QINQ_OLD) {
      let n = 0;
      let outer = -1;
      let inner = -1;
      while (et === ET_8021Q || et === ET_8021AD || et === ET_QINQ_OLD) {
        if (end - q < 4 || n === MAX_TAGS) return Kind.Other;
        inner = ((b[q] << 8) | b[q + 1]) & 0xfff;
        if (n === 0) outer = inner;
        n++;
        et = (b[q + 2] << 8) | b[q + 3];
        q += 4;
      }
      this.vlan = inner;
      this.vlanOuter = n > 1 ? outer : -1;
    }
    if (et === ET_IPV4) return decodeIpv4(this.rec, b, q, end);
    if (et === ET_IPV6) return decodeIpv6(this.rec, b, q, end);
    if (et === ET_ARP) return decodeArp(this.rec, b, q, end);
    return Kind.Other;
  }

  //  Linux cooked capture v1 (LINKTYPE_LINUX_SLL, 113), 16 bytes
  // +---------------+---------------+---------------+-------------------------------+---------------+
  // | pkttype (2)   | ARPHRD (2)    | addr len (2)  | link-layer address (8)        | protocol (2)  |
  // +---------------+---------------+---------------+-------------------------------+---------------+
  private sll(b: Uint8Array, p: number, end: number): Kind {
    if (end - p < 16) return Kind.Other;
    if (((b[p + 4] << 8) | b[p + 5]) === 6) this.macOff = p + 6;
    return this.ethertype(b, (b[p + 14] << 8) | b[p + 15], p + 16, end);
  }

  //  Linux cooked capture v2 (LINKTYPE_LINUX_SLL2, 276), 20 bytes
  // +---------------+---------------+-------------------------------+---------------+--------+--------+------------------+
  // | protocol (2)  | reserved (2)  | interface index (4)           | ARPHRD (2)    |pkttype | addrlen| link address (8) |
  // +---------------+---------------+-------------------------------+---------------+--------+--------+------------------+
  private sll2(b: Uint8Array, p: number, end: number): Kind {
    if (end - p < 20) return Kind.Other;
    if (b[p + 11] === 6) this.macOff = p + 12;
    return this.ethertype(b, (b[p] << 8) | b[p + 1], p + 20, end);
  }

  /** Raw IP (LINKTYPE_RAW 101, DLT_RAW 12/14, IPV4 228, IPV6 229): version nibble decides. */
  private rawIp(b: Uint8Array, p: number, end: number): Kind {
    const v = b[p] >>> 4;
    if (v === 4) return decodeIpv4(this.rec, b, p, end);
    if (v === 6) return decodeIpv6(this.rec, b, p, end);
    return Kind.Other;
  }

  //  BSD loopback: NULL (0) has the address family in the writer's byte order, LOOP (108) in
  //  network order; both orders accepted for both. AF_INET = 2; AF_INET6 = 10 (Linux), 24
  //  (NetBSD/OpenBSD/BSD/OS), 28 (FreeBSD/DragonFly), 30 (macOS).
  // +-------------------------------+------
  // | address family (4)            | IP packet
  // +-------------------------------+------
  private loopback(b: Uint8Array, p: number, end: number): Kind {
    if (end - p < 4) return Kind.Other;
    let af = b[p] | (b[p + 1] << 8) | (b[p + 2] << 16) | (b[p + 3] << 24);
    if ((af & 0xffff0000) !== 0) af = be32(b, p);
    if (af === 2) return decodeIpv4(this.rec, b, p + 4, end);
    if (af === 10 || af === 24 || af === 28 || af === 30) return decodeIpv6(this.rec, b, p + 4, end);
    return Kind.Other;
  }

  //  Frame Relay (LINKTYPE_FRELAY, 107; RFC 2427). Only what tcpdump's fuzzed VRRP captures use.
  // +-----------------------------+---------+-----------+--------+------
  // | Q.922 address (2-4, EA bit) | 0x03 UI | [pad 0x00]| NLPID  | IP   (0xcc IPv4, 0x8e IPv6,
  // +-----------------------------+---------+-----------+--------+------  0x80 SNAP + ethertype)
  //   or, Cisco style: Q.922 address followed directly by an EtherType.
  private frameRelay(b: Uint8Array, p: number, end: number): Kind {
    let q = p;
    while (q < end && q - p < 4 && (b[q] & 1) === 0) q++;
    q++;
    if (q - p < 2 || end - q < 2) return Kind.Other;
    if (b[q] !== 0x03) return this.ethertype(b, (b[q] << 8) | b[q + 1], q + 2, end);
    q++;
    if (b[q] === 0x00) q++;
    if (q >= end) return Kind.Other;
    const nlpid = b[q];
    if (nlpid === 0xcc) return decodeIpv4(this.rec, b, q + 1, end);
    if (nlpid === 0x8e) return decodeIpv6(this.rec, b, q + 1, end);
    if (nlpid === 0x80 && end - q >= 6) return this.ethertype(b, (b[q + 4] << 8) | b[q + 5], q + 6, end);
    return Kind.Other;
  }
}
