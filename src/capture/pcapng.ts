// pcapng blocks (draft-ietf-opsawg-pcapng): sections with their own byte order, several interfaces,
// if_tsresol power of 10 and of 2, if_tsoffset, EPB, SPB, obsolete OPB; other blocks skipped without
// being buffered. The reading state between calls (byte order, interfaces, the last timestamp for SPB)
// lives in PcapngBlocks, so CaptureReader (file.ts) can deliver frames a few at a time.
//
// Policies: block length < 12 or not a multiple of 4, leading/trailing length mismatch, packet for an
// undeclared interface, captured length beyond its block -> corrupt. SPB has no timestamp: it gets the
// timestamp of the previous packet in the file (0 before any).
import type { FrameSink } from '../decode/packet.js';
import { VrrpwatchError } from '../errors.js';
import type { CaptureReadResult } from './types.js';
import { MAX_CAPLEN, hex8, noteLinktype, type Input } from './input.js';

/** Largest non-packet pcapng block kept in memory (SHB/IDB); larger ones are corrupt. */
const MAX_META_BLOCK = 1 << 20;

export const PCAPNG_SHB = 0x0a0d0d0a;
const PCAPNG_IDB = 1;
const PCAPNG_OPB = 2;
const PCAPNG_SPB = 3;
const PCAPNG_EPB = 6;
const BOM = 0x1a2b3c4d;

export interface Iface {
  linktype: number;
  snaplen: number;
  /** Timestamp units per second as a divisor: power of 10 (pow10 digits) or power of 2 (pow2 bits). */
  pow10: number;
  pow2: number;
  offsetSec: number;
}

export class PcapngBlocks {
  done = false;
  private le = true;
  // the current section's interfaces, sections seen, the last timestamp (for SPB)
  private ifaces: Iface[] = [];
  private sections = 0;
  private lastSec = 0;
  private lastNsec = 0;
  private readonly out = { sec: 0, nsec: 0 };

  //  pcapng (draft-ietf-opsawg-pcapng). Every block:
  // +---------------------------------------------------------------+
  // |                          Block Type                           |
  // |                      Block Total Length                       |
  // /                          Block Body                           /
  // |                      Block Total Length                       |
  // +---------------------------------------------------------------+
  // SHB body: byte-order magic 0x1A2B3C4D, major, minor, section length (8), options.
  // IDB body: linktype (2), reserved (2), snaplen (4), options (if_tsresol = 9, if_tsoffset = 14).
  // EPB body: interface id, ts high, ts low, captured len, original len, data (padded), options.
  // SPB body: original len, data (captured len = min(original, snaplen of interface 0, room)).
  // OPB body: interface id (2), drops (2), ts high, ts low, captured len, original len, data.
  /** Deliver up to `max` frames from `inp`; sets `done` when the capture ended (cleanly or with `res.problem`). */
  read(inp: Input, res: CaptureReadResult, name: string, sink: FrameSink, max: number): number {
    let le = this.le;
    let ifaces = this.ifaces;
    let frames = 0;
    let sections = this.sections;
    // SPB carries no timestamp: we use the timestamp of the previous packet in the file (0 before any)
    let lastSec = this.lastSec;
    let lastNsec = this.lastNsec;
    const out = this.out;
    const corrupt = (msg: string): void => {
      res.problem = { kind: 'corrupt', offset: inp.offset, message: `corrupt pcapng block at byte ${inp.offset}: ${msg}` };
    };
    let ended = true;
    for (;;) {
      if (frames >= max) { ended = false; break; }
      if (inp.end - inp.pos < 12 && !inp.fill(12)) {
        if (inp.end !== inp.pos) {
          res.problem = { kind: 'truncated', offset: inp.offset,
            message: `truncated block header at byte ${inp.offset}` };
        }
        break;
      }
      let p = inp.pos;
      let dv = inp.dv;
      let type = dv.getUint32(p, le);
      const blen0 = dv.getUint32(p + 4, le);
      if (type === PCAPNG_EPB && blen0 >= 32 && (blen0 & 3) === 0 && blen0 <= MAX_CAPLEN + 64 &&
          inp.end - p >= blen0 && dv.getUint32(p + blen0 - 4, le) === blen0) {
        // fast path: a whole, well-formed EPB already in the buffer
        const ifId = dv.getUint32(p + 8, le);
        const caplen = dv.getUint32(p + 20, le);
        if (ifId < ifaces.length && caplen <= blen0 - 32) {
          const ifc = ifaces[ifId];
          tsConvert(dv.getUint32(p + 12, le), dv.getUint32(p + 16, le), ifc, out);
          lastSec = out.sec;
          lastNsec = out.nsec;
          frames++;
          sink.frame(inp.buf, p + 28, caplen, dv.getUint32(p + 24, le), lastSec, lastNsec, ifc.linktype);
          inp.pos = p + blen0;
          continue;
        }
        // otherwise the general path below reports what is wrong
      }
      // the SHB type 0x0A0D0D0A reads the same in both byte orders
      if (type === PCAPNG_SHB) {
        // its byte-order magic decides how this section (this block's length included) is read
        const bom = dv.getUint32(p + 8, true);
        if (bom === BOM) le = true;
        else if (bom === 0x4d3c2b1a) le = false;
        else {
          if (sections === 0) throw new VrrpwatchError('input', `${name}: not a pcapng capture (bad byte-order magic)`);
          corrupt('bad byte-order magic in section header'); break;
        }
        type = PCAPNG_SHB;
        sections++;
        ifaces = [];
      }
      const blen = dv.getUint32(p + 4, le);
      if (blen < 12 || (blen & 3) !== 0) { corrupt(`block length ${blen} is ${blen < 12 ? 'too small' : 'not a multiple of 4'}`); break; }
      const isPacket = type === PCAPNG_EPB || type === PCAPNG_SPB || type === PCAPNG_OPB;
      if (!isPacket && type !== PCAPNG_SHB && type !== PCAPNG_IDB) {
        // unknown or uninteresting block: skip without buffering it
        const blockOff = inp.offset;
        if (!inp.skip(blen)) {
          res.problem = { kind: 'truncated', offset: blockOff,
            message: `truncated last block (type ${hex8(type)}) at byte ${blockOff}` };
          break;
        }
        continue;
      }
      if ((isPacket && blen > MAX_CAPLEN + 64) || (!isPacket && blen > MAX_META_BLOCK)) {
        corrupt(`block length ${blen} exceeds the maximum`); break;
      }
      if (inp.end - p < blen && !inp.fill(blen)) {
        res.problem = { kind: 'truncated', offset: inp.offset,
          message: `truncated last block at byte ${inp.offset}: ${inp.end - inp.pos} of ${blen} bytes` };
        break;
      }
      p = inp.pos;
      dv = inp.dv;
      if (dv.getUint32(p + blen - 4, le) !== blen) { corrupt('trailing block length differs from the leading one'); break; }
      if (type === PCAPNG_SHB) {
        if (blen < 28) { corrupt('section header too short'); break; }
      } else if (type === PCAPNG_IDB) {
        if (blen < 20) { corrupt('interface description too short'); break; }
        const ifc: Iface = { linktype: dv.getUint16(p + 8, le), snaplen: dv.getUint32(p + 12, le), pow10: 6, pow2: -1, offsetSec: 0 };
        // options: code (2), length (2), value padded to 4
        let o = p + 16;
        const oe = p + blen - 4;
        while (oe - o >= 4) {
          const code = dv.getUint16(o, le);
          const olen = dv.getUint16(o + 2, le);
          if (code === 0 || o + 4 + olen > oe) break;
          if (code === 9 && olen >= 1) {
            const v = inp.buf[o + 4];
            if ((v & 0x80) !== 0) { ifc.pow2 = v & 0x7f; ifc.pow10 = -1; } else { ifc.pow10 = v; ifc.pow2 = -1; }
          } else if (code === 14 && olen >= 8) {
            const lo = dv.getUint32(o + 4 + (le ? 0 : 4), le);
            const hi = dv.getInt32(o + 4 + (le ? 4 : 0), le);
            ifc.offsetSec = hi * 4294967296 + lo;
          }
          o += 4 + ((olen + 3) & ~3);
        }
        ifaces.push(ifc);
        noteLinktype(res, ifc.linktype);
      } else {
        let ifId: number;
        let caplen: number;
        let origlen: number;
        let data: number;
        let sec = lastSec;
        let nsec = lastNsec;
        if (type === PCAPNG_SPB) {
          if (blen < 16) { corrupt('simple packet block too short'); break; }
          ifId = 0;
          origlen = dv.getUint32(p + 8, le);
          data = p + 12;
          caplen = origlen;
          if (ifaces.length > 0 && ifaces[0].snaplen > 0 && caplen > ifaces[0].snaplen) caplen = ifaces[0].snaplen;
          if (caplen > blen - 16) caplen = blen - 16;
        } else {
          const hdr = 32; // EPB and OPB: 28 bytes before the data + trailing length
          if (blen < hdr) { corrupt('packet block too short'); break; }
          ifId = type === PCAPNG_EPB ? dv.getUint32(p + 8, le) : dv.getUint16(p + 8, le);
          caplen = dv.getUint32(p + 20, le);
          origlen = dv.getUint32(p + 24, le);
          data = p + 28;
          if (caplen > blen - hdr) { corrupt(`captured length ${caplen} exceeds the block`); break; }
        }
        if (ifId >= ifaces.length) { corrupt(`packet for undeclared interface ${ifId}`); break; }
        const ifc = ifaces[ifId];
        if (caplen > MAX_CAPLEN) { corrupt(`captured length ${caplen} exceeds the 256 KiB maximum`); break; }
        if (type !== PCAPNG_SPB) {
          tsConvert(dv.getUint32(p + 12, le), dv.getUint32(p + 16, le), ifc, out);
          sec = out.sec; nsec = out.nsec;
          lastSec = sec; lastNsec = nsec;
        }
        frames++;
        sink.frame(inp.buf, data, caplen, origlen, sec, nsec, ifc.linktype);
      }
      inp.pos = p + blen;
    }
    this.le = le;
    this.ifaces = ifaces;
    this.sections = sections;
    this.lastSec = lastSec;
    this.lastNsec = lastNsec;
    this.done = ended;
    res.bytesRead = res.problem ? res.problem.offset : inp.offset;
    return frames;
  }
}

const POW10 = [1, 10, 100, 1000, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9];

/** 64-bit timestamp (hi, lo) in the interface's units -> seconds + nanoseconds, integer maths. */
export function tsConvert(hi: number, lo: number, ifc: Iface, out: { sec: number; nsec: number }): void {
  if (ifc.pow10 >= 0 && ifc.pow10 <= 9) {
    const d = POW10[ifc.pow10];
    if (hi < 0x200000) {
      // below 2^53 the value is exact as a double (µs timestamps until year 2255): one division,
      // then an exact integer correction of the quotient
      const t = hi * 4294967296 + lo;
      let q = Math.floor(t / d);
      let rm = t - q * d;
      if (rm < 0) { q--; rm += d; } else if (rm >= d) { q++; rm -= d; }
      out.sec = q + ifc.offsetSec;
      out.nsec = rm * POW10[9 - ifc.pow10];
      return;
    }
    // long division of hi·2^32 + lo by d in 16-bit steps (every intermediate < 2^53)
    const qh = Math.floor(hi / d);
    const rh = hi - qh * d;
    const x = rh * 65536 + (lo >>> 16);
    const q1 = Math.floor(x / d);
    const r1 = x - q1 * d;
    const y = r1 * 65536 + (lo & 0xffff);
    const q2 = Math.floor(y / d);
    const r2 = y - q2 * d;
    out.sec = qh * 4294967296 + q1 * 65536 + q2 + ifc.offsetSec;
    out.nsec = r2 * POW10[9 - ifc.pow10];
    return;
  }
  if (ifc.pow2 >= 0 && ifc.pow2 <= 32) {
    const n = ifc.pow2;
    if (n === 0) { out.sec = hi * 4294967296 + lo + ifc.offsetSec; out.nsec = 0; return; }
    const secs = n === 32 ? hi : hi * 2 ** (32 - n) + Math.floor(lo / 2 ** n);
    const frac = n === 32 ? lo : lo % 2 ** n;
    out.sec = secs + ifc.offsetSec;
    out.nsec = Math.floor((frac * 1e9) / 2 ** n);
    return;
  }
  // rare resolutions finer than 1 ns (10^-10.., 2^-33..): exact with BigInt
  const ts = (BigInt(hi) << 32n) | BigInt(lo);
  const div = ifc.pow10 >= 0 ? 10n ** BigInt(ifc.pow10) : 1n << BigInt(ifc.pow2);
  out.sec = Number(ts / div) + ifc.offsetSec;
  out.nsec = Number(((ts % div) * 1000000000n) / div);
}
