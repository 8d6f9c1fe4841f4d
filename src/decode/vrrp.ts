// VRRP layer: v2 (RFC 3768) and v3 (RFC 5798), checksum classification, CARP recognition.
//
// VRRPv2 (RFC 3768 §5.1)                    VRRPv3 (RFC 5798 §5.1)
//  0                   1                   2                   3
//  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// |Version| Type  | Virtual Rtr ID|   Priority    | Count IP Addrs|
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// |   Auth Type   |   Adver Int   |          Checksum             |   v2
// |(rsvd) |     Max Adver Int     |          Checksum             |   v3 (centiseconds)
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// |                  IP Address(es): count × 4 (IPv4) or × 16 (IPv6)
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// |      Authentication Data (1)  |  Authentication Data (2)       |   v2 only, 8 bytes
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//
// Checksum: v2 over the VRRP message only. v3 over the message plus the IP pseudo-header
// (IPv4: src, dst, zero, protocol 112, VRRP length; IPv6 RFC 8200 §8.1). Variants recognised:
// v3/IPv4 computed without the pseudo-header (Cisco/Juniper, keepalived v3_checksum_as_v2) and
// keepalived <= 1.3.6 unicast (pseudo-header destination 224.0.0.18 instead of the peer).
//
// OpenBSD CARP (ip_carp.h) also uses protocol 112 with version 2 and type 1; its header is always
// 36 bytes: vhid, advskew, authlen (= 7, the HMAC+counter length in 32-bit words), demote,
// advbase, checksum, an 8-byte counter and a 20-byte SHA-1 HMAC. Read as VRRPv2 that is
// "count 7" — which as VRRPv2 would need 8 + 28 + 8 = 44 bytes. Rule used here: version 2,
// type 1, IP payload length exactly 36, byte 3 = 7 -> CARP. No valid VRRPv2 advert matches it (a
// 36-byte v2 advert carries count 5), so the rule never hides VRRP. (Wireshark's CARP heuristic is
// off by default, so tshark shows such packets as VRRP.)
import { Checksum, Kind, Reject } from './packet.js';
import { be32, type DecodedPacket } from './record.js';

/** Clear the VRRP fields (also used by the IP layer before rejecting a protocol-112 packet). */
export function resetVrrp(r: DecodedPacket, vlen: number): void {
  r.version = 0; r.type = 0; r.vrid = 0; r.priority = 0; r.count = 0;
  r.authType = -1; r.authHi = 0; r.authLo = 0; r.intervalRaw = 0; r.intervalCs = 0;
  r.checksum = 0; r.checksumStatus = Checksum.Unknown; r.trailingBytes = 0; r.addrHash = 0;
  r.authDataMissing = false; r.addrOff = 0; r.addrCaptured = 0;
  r.vrrpLength = vlen;
}

/** Reject a protocol-112 packet before its VRRP header was reached. */
export function ipReject(r: DecodedPacket, why: Reject, vlen: number): number {
  resetVrrp(r, vlen);
  r.reject = why;
  return Kind.Reject;
}

/** One's-complement sum of 16-bit big-endian words over [p, p+n); not folded. n < 64 KiB. */
export function sum16(b: Uint8Array, p: number, n: number): number {
  let s = 0;
  const e = p + (n & ~1);
  let i = p;
  for (; i < e; i += 2) s += (b[i] << 8) | b[i + 1];
  if ((n & 1) !== 0) s += b[e] << 8;
  return s;
}

/** Fold a 32-bit sum to 16 bits (end-around carry). */
export function fold16(s: number): number {
  s = (s & 0xffff) + (s >>> 16);
  s = (s & 0xffff) + (s >>> 16);
  return s;
}

function words(w: number): number {
  return (w >>> 16) + (w & 0xffff);
}

/** Slow path: fewer than 8 bytes of VRRP captured, or an IP length under 8. */
function shortVrrp(r: DecodedPacket, b: Uint8Array, v: number, vlen: number, avail: number): number {
  resetVrrp(r, vlen);
  r.addrOff = v + 8;
  if (avail < 1) { r.reject = Reject.TruncatedVrrp; return Kind.Reject; }
  const b0 = b[v];
  const version = b0 >>> 4;
  r.version = version;
  r.type = b0 & 15;
  if (avail >= 2) r.vrid = b[v + 1];
  if (avail >= 3) r.priority = b[v + 2];
  if (avail >= 4) r.count = b[v + 3];
  if ((version !== 2 && version !== 3) || (version === 2 && r.family === 6)) {
    r.reject = Reject.BadVersion; return Kind.Reject;
  }
  if (r.type !== 1) { r.reject = Reject.BadType; return Kind.Reject; }
  if (avail >= 6) {
    if (version === 2) { r.authType = b[v + 4]; r.intervalRaw = b[v + 5]; r.intervalCs = r.intervalRaw * 100; }
    else { r.intervalRaw = ((b[v + 4] & 15) << 8) | b[v + 5]; r.intervalCs = r.intervalRaw; }
  }
  if (avail >= 8) r.checksum = (b[v + 6] << 8) | b[v + 7];
  r.reject = Reject.TruncatedVrrp;
  return Kind.Reject;
}

/**
 * Decode the VRRP message at v, whose length per the IP header is vlen; bytes are captured up to
 * `end`. r.family and addresses are already set by the IP layer. Never reads outside [v, end).
 */
export function decodeVrrp(r: DecodedPacket, b: Uint8Array, v: number, vlen: number, end: number): number {
  const lim = v + vlen < end ? v + vlen : end;
  const avail = lim - v;
  if (avail < 8 || vlen < 8) return shortVrrp(r, b, v, vlen, avail);
  // common case: the whole 8-byte header is there; every field written once
  const b0 = b[v];
  const version = b0 >>> 4;
  r.vrrpLength = vlen;
  r.version = version;
  r.type = b0 & 15;
  r.vrid = b[v + 1];
  r.priority = b[v + 2];
  r.count = b[v + 3];
  r.checksum = (b[v + 6] << 8) | b[v + 7];
  r.checksumStatus = Checksum.Unknown;
  r.authHi = 0;
  r.authLo = 0;
  r.trailingBytes = 0;
  r.addrHash = 0;
  r.authDataMissing = false;
  r.addrOff = v + 8;
  r.addrCaptured = 0;
  if (version === 2) {
    r.authType = b[v + 4];
    r.intervalRaw = b[v + 5];
    r.intervalCs = r.intervalRaw * 100;
  } else {
    r.authType = -1;
    r.intervalRaw = ((b[v + 4] & 15) << 8) | b[v + 5];
    r.intervalCs = r.intervalRaw;
  }
  if ((version !== 2 && version !== 3) || (version === 2 && r.family === 6)) {
    if (version !== 2 && version !== 3) { r.authType = -1; r.intervalRaw = 0; r.intervalCs = 0; }
    r.reject = Reject.BadVersion; return Kind.Reject;
  }
  if (r.type !== 1) { r.reject = Reject.BadType; return Kind.Reject; }
  const count = r.count;
  if (version === 2 && vlen === 36 && count === 7) return Kind.Carp;
  const addrBytes = r.family === 4 ? count << 2 : count << 4;
  let pdu = 8 + addrBytes;
  if (version === 2) {
    // PcapPlusPlus VRRP-V2.dat: no auth data at all. Accepted only with auth type 0, where the
    // missing 8 bytes carry nothing; flagged so the analyzer can say keepalived rejects it.
    if (vlen === pdu && r.authType === 0) r.authDataMissing = true;
    else pdu += 8;
  }
  if (vlen < pdu) { r.reject = Reject.CountLengthMismatch; return Kind.Reject; }
  r.trailingBytes = vlen - pdu;
  if (avail < 8 + addrBytes) {
    r.addrCaptured = r.family === 4 ? (avail - 8) >>> 2 : (avail - 8) >>> 4;
    r.reject = Reject.TruncatedAddresses; return Kind.Reject;
  }
  r.addrCaptured = count;
  // FNV-1a over the address bytes
  let h = 0x811c9dc5;
  const ae = v + 8 + addrBytes;
  for (let i = v + 8; i < ae; i++) h = Math.imul(h ^ b[i], 0x01000193);
  r.addrHash = h >>> 0;
  if (version === 2 && !r.authDataMissing && avail >= pdu) {
    r.authHi = be32(b, ae);
    r.authLo = be32(b, ae + 4);
  }
  if (avail < vlen) { r.checksumStatus = Checksum.Unknown; return Kind.Advert; }
  // the sum covers the whole IP payload; with a trailer (keepalived 2.4 HMAC) the PDU alone is
  // tried too, since a sender may checksum only the VRRP message
  const pduSum = sum16(b, v, pdu);
  const trail = vlen - pdu;
  let st = classify(r, version, trail === 0 ? pduSum : pduSum + sum16(b, v + pdu, trail), vlen);
  if (st === Checksum.Bad && trail !== 0) st = classify(r, version, pduSum, pdu);
  r.checksumStatus = st;
  return Kind.Advert;
}

/** Checksum class of a VRRP message whose 16-bit word sum is msg and length len. */
function classify(r: DecodedPacket, version: number, msg: number, len: number): Checksum {
  if (version === 2) return fold16(msg) === 0xffff ? Checksum.Ok : Checksum.Bad;
  if (r.family === 4) {
    const base = msg + 112 + len + words(r.src0);
    if (fold16(base + words(r.dst0)) === 0xffff) return Checksum.Ok;
    if (fold16(msg) === 0xffff) return Checksum.V2Style;
    if (r.dst0 !== 0xe0000012 && fold16(base + 0xe000 + 0x0012) === 0xffff) return Checksum.OldUnicast;
    return Checksum.Bad;
  }
  const ph = msg + 112 + len + words(r.src0) + words(r.src1) + words(r.src2) + words(r.src3) +
    words(r.dst0) + words(r.dst1) + words(r.dst2) + words(r.dst3);
  return fold16(ph) === 0xffff ? Checksum.Ok : Checksum.Bad;
}
