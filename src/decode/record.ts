// The concrete reused record behind the PacketRecord contract. One instance per PacketDecoder.
// Numeric fields only; the text methods read the frame's bytes (kept by reference in `buf`), so
// they are valid only during the call that delivered the record.
import { Checksum, Kind, Reject, type PacketRecord } from './packet.js';
import { ipText4, ipText6, macText } from './text.js';

const EMPTY = new Uint8Array(0);

export class DecodedPacket implements PacketRecord {
  kind: Kind = Kind.Other;
  reject: Reject = Reject.None;
  tsSec = 0;
  tsNsec = 0;
  linktype = 0;
  frameLen = 0;
  capLen = 0;
  macHi = -1;
  macLo = 0;
  vlan = -1;
  vlanOuter = -1;
  family = 0;
  src0 = 0; src1 = 0; src2 = 0; src3 = 0;
  dst0 = 0; dst1 = 0; dst2 = 0; dst3 = 0;
  ttl = 0;
  ipId = -1;
  version = 0;
  type = 0;
  vrid = 0;
  priority = 0;
  count = 0;
  authType = -1;
  authHi = 0;
  authLo = 0;
  intervalRaw = 0;
  intervalCs = 0;
  checksum = 0;
  checksumStatus: Checksum = Checksum.Unknown;
  vrrpLength = 0;
  trailingBytes = 0;
  addrHash = 0;
  /** Optional contract field: a v2 advert whose IP length holds the addresses but no 8-byte
   *  authentication data (PcapPlusPlus VRRP-V2.dat; keepalived rejects it as "too short"). */
  authDataMissing = false;
  icmpType = -1;
  icmpCode = -1;
  qsrc0 = 0; qsrc1 = 0; qsrc2 = 0; qsrc3 = 0;
  qdst0 = 0; qdst1 = 0; qdst2 = 0; qdst3 = 0;
  qvrid = -1;
  arpOp = 0;
  arpSpa = 0;
  arpTpa = 0;
  arpThaHi = 0;
  arpThaLo = 0;
  ndType = 0;
  ndFlags = 0;
  ndTarget0 = 0; ndTarget1 = 0; ndTarget2 = 0; ndTarget3 = 0;
  ndLlaHi = -1;
  ndLlaLo = 0;

  // --- internal: where the text lives in the current frame ---
  /** The current frame's buffer (reference only, valid during the callback). */
  buf: Uint8Array = EMPTY;
  /** Offset of the first virtual address, and how many were captured. */
  addrOff = 0;
  addrCaptured = 0;

  srcText(): string { return addrText(this.family, this.src0, this.src1, this.src2, this.src3); }
  dstText(): string { return addrText(this.family, this.dst0, this.dst1, this.dst2, this.dst3); }
  /** Quoted (original) source/destination of an ICMP error, as text. */
  qsrcText(): string { return addrText(this.family, this.qsrc0, this.qsrc1, this.qsrc2, this.qsrc3); }
  qdstText(): string { return addrText(this.family, this.qdst0, this.qdst1, this.qdst2, this.qdst3); }

  macText(): string {
    return macText(this.macHi, this.macLo);
  }

  addresses(): string[] {
    const out: string[] = [];
    const b = this.buf;
    let p = this.addrOff;
    if (this.family === 4) {
      for (let i = 0; i < this.addrCaptured; i++, p += 4) out.push(ipText4(be32(b, p)));
    } else if (this.family === 6) {
      for (let i = 0; i < this.addrCaptured; i++, p += 16) {
        out.push(ipText6(be32(b, p), be32(b, p + 4), be32(b, p + 8), be32(b, p + 12)));
      }
    }
    return out;
  }

  addressWord(i: number, w: number): number {
    if (i < 0 || i >= this.addrCaptured) return 0;
    if (this.family === 4) return w === 0 ? be32(this.buf, this.addrOff + 4 * i) : 0;
    return w >= 0 && w < 4 ? be32(this.buf, this.addrOff + 16 * i + 4 * w) : 0;
  }

  authText(): string {
    let s = '';
    for (let i = 0; i < 8; i++) {
      const c = i < 4 ? (this.authHi >>> (24 - 8 * i)) & 255 : (this.authLo >>> (56 - 8 * i)) & 255;
      if (c === 0) break;
      s += String.fromCharCode(c);
    }
    return s;
  }
}

/** An address of the record's family from its words ('' when the family is unknown). */
function addrText(family: number, w0: number, w1: number, w2: number, w3: number): string {
  if (family === 4) return ipText4(w0);
  if (family === 6) return ipText6(w0, w1, w2, w3);
  return '';
}

/** Big-endian unsigned 32-bit read; the caller has checked bounds. */
export function be32(b: Uint8Array, p: number): number {
  return ((b[p] << 24) | (b[p + 1] << 16) | (b[p + 2] << 8) | b[p + 3]) >>> 0;
}
