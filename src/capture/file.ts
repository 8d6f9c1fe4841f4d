// Capture file reader: classic pcap (both byte orders, µs and ns, the old "modified" format) and
// pcapng (sections with their own byte order, several interfaces, if_tsresol power of 10 and of 2,
// if_tsoffset, EPB, SPB, obsolete OPB; other blocks skipped). Detected by magic, not by name.
//
// Constant memory: fs.readSync into ONE reused 1 MiB buffer (DESIGN.md §4: a synchronous
// reused-buffer loop measured 1.7–1.9× a C walker; streams 11×, per-packet events 26×). The buffer
// grows only for a single record larger than it, up to MAX_RECORD; anything bigger is corrupt.
// Frames are handed to the sink as (buffer, offset, caplen, ...) views: nothing is copied.
//
// Policies (as libpcap / Wireshark where they have one):
// - caplen > 256 KiB (libpcap's MAXIMUM_SNAPLEN) is corrupt: the read stops there. caplen above
//   the file's snaplen but within 256 KiB is NOT corrupt: like libpcap we deliver the first
//   snaplen bytes and skip the rest (tcpdump's fuzzed VRRP captures rely on it).
// - pcapng: block length < 12 or not a multiple of 4, leading/trailing length mismatch, packet for
//   an undeclared interface, captured length beyond its block -> corrupt. Unknown block types are
//   skipped without being buffered, whatever their size.
// - SPB has no timestamp: it gets the timestamp of the previous packet in the file (0 before any).
// - A file that ends inside a record/block -> problem 'truncated' at the start of that record.
// - Missing, unreadable, empty, compressed (gzip, xz, zstd, bzip2), or unknown magic -> VrrpwatchError('input').
import * as fs from 'node:fs';
import type { FrameSink } from '../decode/packet.js';
import { VrrpwatchError } from '../errors.js';
import type { CaptureFormat, CaptureReadResult } from './types.js';

/** Largest frame accepted (libpcap's MAXIMUM_SNAPLEN, 256 KiB). */
export const MAX_CAPLEN = 262144;
/** Largest non-packet pcapng block kept in memory (SHB/IDB); larger ones are corrupt. */
const MAX_META_BLOCK = 1 << 20;
const BUF_SIZE = 1 << 20;

const PCAPNG_SHB = 0x0a0d0d0a;
const PCAPNG_IDB = 1;
const PCAPNG_OPB = 2;
const PCAPNG_SPB = 3;
const PCAPNG_EPB = 6;
const BOM = 0x1a2b3c4d;

/** Buffered synchronous input over a file descriptor: one buffer, refilled in place. */
class Input {
  buf: Uint8Array;
  dv: DataView;
  /** Valid bytes are buf[pos, end); `base` is the file offset of buf[0]. */
  pos = 0;
  end = 0;
  base = 0;
  eof = false;
  constructor(readonly fd: number, size: number) {
    this.buf = new Uint8Array(size);
    this.dv = new DataView(this.buf.buffer);
  }
  get offset(): number { return this.base + this.pos; }

  /** Make at least n bytes available from pos; false when the input ends first. */
  fill(n: number): boolean {
    while (this.end - this.pos < n) {
      if (this.eof) return false;
      if (this.pos + n > this.buf.length) {
        // compact, growing if one record does not fit
        const have = this.end - this.pos;
        if (n > this.buf.length) {
          const nb = new Uint8Array(Math.max(n, this.buf.length * 2));
          nb.set(this.buf.subarray(this.pos, this.end), 0);
          this.buf = nb;
          this.dv = new DataView(nb.buffer);
        } else {
          this.buf.copyWithin(0, this.pos, this.end);
        }
        this.base += this.pos;
        this.pos = 0;
        this.end = have;
      }
      const got = readSome(this.fd, this.buf, this.end, this.buf.length - this.end);
      if (got === 0) this.eof = true;
      else this.end += got;
    }
    return true;
  }

  /** Skip n bytes (may exceed the buffer); false when the input ends first. */
  skip(n: number): boolean {
    while (n > 0) {
      const have = this.end - this.pos;
      if (have >= n) { this.pos += n; return true; }
      n -= have;
      this.pos = this.end;
      if (!this.fill(Math.min(n, this.buf.length))) { return false; }
    }
    return true;
  }
}

const sleepCell = new Int32Array(new SharedArrayBuffer(4));

/** readSync that tolerates EAGAIN on a non-blocking stdin pipe (retried after 1 ms). */
function readSome(fd: number, buf: Uint8Array, off: number, len: number): number {
  for (;;) {
    try {
      return fs.readSync(fd, buf, off, len, null);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'EAGAIN') { Atomics.wait(sleepCell, 0, 0, 1); continue; }
      if (code === 'EOF') return 0;
      throw new VrrpwatchError('input', `cannot read capture: ${(e as Error).message}`);
    }
  }
}

function hex8(n: number): string {
  return '0x' + (n >>> 0).toString(16).padStart(8, '0');
}

/**
 * Read a capture file (or stdin for "-") to its end, handing every frame to `sink`. Throws
 * VrrpwatchError('input') when the file cannot be opened or is not a capture at all; a truncated
 * or corrupt record stops the read and is reported in `problem` (everything before was delivered).
 */
export function readCaptureFile(path: string, sink: FrameSink): CaptureReadResult {
  let fd: number;
  let own = false;
  const name = path === '-' ? 'stdin' : path;
  if (path === '-') fd = 0;
  else {
    try {
      fd = fs.openSync(path, 'r');
      own = true;
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      const why = code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied'
        : code === 'EISDIR' ? 'is a directory' : (e as Error).message;
      throw new VrrpwatchError('input', `cannot open capture ${path}: ${why}`);
    }
  }
  try {
    let fileSize: number | null = null;
    try {
      const st = fs.fstatSync(fd);
      if (st.isDirectory()) throw new VrrpwatchError('input', `cannot read capture ${name}: is a directory`);
      if (st.isFile()) fileSize = st.size;
    } catch (e) {
      if (e instanceof VrrpwatchError) throw e;
    }
    const inp = new Input(fd, BUF_SIZE);
    if (!inp.fill(4)) {
      if (inp.end === 0) throw new VrrpwatchError('input', `${name}: empty file, not a capture`);
      throw new VrrpwatchError('input', `${name}: too short to be a capture (${inp.end} bytes)`);
    }
    const b = inp.buf;
    const magicLe = inp.dv.getUint32(0, true);
    const magicBe = inp.dv.getUint32(0, false);
    const res: CaptureReadResult = {
      format: 'pcap', frames: 0, bytesRead: 0, fileSize, linktypes: [], problem: null,
    };
    if (magicBe === PCAPNG_SHB) {
      res.format = 'pcapng';
      readPcapng(inp, sink, res, name);
    } else if (magicLe === 0xa1b2c3d4 || magicBe === 0xa1b2c3d4 || magicLe === 0xa1b23c4d ||
               magicBe === 0xa1b23c4d || magicLe === 0xa1b2cd34 || magicBe === 0xa1b2cd34) {
      readPcap(inp, sink, res, name);
    } else if (compressedBy(b) !== null) {
      const [what, cat] = compressedBy(b)!;
      throw new VrrpwatchError('input', `${name}: ${what}-compressed; decompress it first (${cat} FILE | vrrpwatch -r -)`);
    } else {
      throw new VrrpwatchError('input', `${name}: not a pcap or pcapng capture (magic ${hex8(magicBe)})`);
    }
    return res;
  } finally {
    if (own) fs.closeSync(fd);
  }
}

/** Compressors that rotated captures come out of (tcpdump -z, logrotate), by magic: name and its cat. */
function compressedBy(b: Uint8Array): [string, string] | null {
  if (b[0] === 0x1f && b[1] === 0x8b) return ['gzip', 'zcat'];
  if (b[0] === 0xfd && b[1] === 0x37 && b[2] === 0x7a && b[3] === 0x58) return ['xz', 'xzcat'];
  if (b[0] === 0x28 && b[1] === 0xb5 && b[2] === 0x2f && b[3] === 0xfd) return ['zstd', 'zstdcat'];
  if (b[0] === 0x42 && b[1] === 0x5a && b[2] === 0x68) return ['bzip2', 'bzcat'];
  return null;
}

function noteLinktype(res: CaptureReadResult, lt: number): void {
  if (res.linktypes.indexOf(lt) < 0) res.linktypes.push(lt);
}

//  Classic pcap (pcap(5), draft-ietf-opsawg-pcap)
//  file header, 24 bytes:  magic | major(2) minor(2) | thiszone | sigfigs | snaplen | linktype
//  record header, 16 bytes: ts_sec | ts_usec or ts_nsec | caplen | origlen   (+8 in "modified")
function readPcap(inp: Input, sink: FrameSink, res: CaptureReadResult, name: string): void {
  if (!inp.fill(24)) throw new VrrpwatchError('input', `${name}: truncated pcap file header`);
  const le = inp.dv.getUint32(0, true) >>> 16 === 0xa1b2;
  const magic = inp.dv.getUint32(0, le);
  const nsMul = magic === 0xa1b23c4d ? 1 : 1000;
  const hdrLen = magic === 0xa1b2cd34 ? 24 : 16;
  const snaplen = inp.dv.getUint32(16, le);
  const linktype = inp.dv.getUint32(20, le) & 0xffff;
  const limit = snaplen > 0 && snaplen < MAX_CAPLEN ? snaplen : MAX_CAPLEN;
  noteLinktype(res, linktype);
  inp.pos = 24;
  let frames = 0;
  for (;;) {
    if (inp.end - inp.pos < hdrLen && !inp.fill(hdrLen)) {
      if (inp.end !== inp.pos) {
        res.problem = { kind: 'truncated', offset: inp.offset,
          message: `truncated record header at byte ${inp.offset} (${inp.end - inp.pos} of ${hdrLen} bytes)` };
      }
      break;
    }
    const dv = inp.dv;
    const p = inp.pos;
    const sec = dv.getUint32(p, le);
    const sub = dv.getUint32(p + 4, le);
    const caplen = dv.getUint32(p + 8, le);
    const origlen = dv.getUint32(p + 12, le);
    if (caplen > MAX_CAPLEN) {
      res.problem = { kind: 'corrupt', offset: inp.offset,
        message: `corrupt record at byte ${inp.offset}: captured length ${caplen} exceeds the 256 KiB maximum` };
      break;
    }
    const need = hdrLen + caplen;
    if (inp.end - p < need && !inp.fill(need)) {
      res.problem = { kind: 'truncated', offset: inp.offset,
        message: `truncated last record at byte ${inp.offset}: ${inp.end - inp.pos - hdrLen} of ${caplen} bytes` };
      break;
    }
    // fill() may have moved the data: read the position again
    const q = inp.pos;
    frames++;
    // caplen > snaplen (seen in fuzzed files): deliver snaplen bytes and skip the rest, as libpcap does
    sink.frame(inp.buf, q + hdrLen, caplen > limit ? limit : caplen, origlen, sec, sub * nsMul, linktype);
    inp.pos = q + need;
  }
  res.frames = frames;
  res.bytesRead = inp.offset;
}

interface Iface {
  linktype: number;
  snaplen: number;
  /** Timestamp units per second as a divisor: power of 10 (pow10 digits) or power of 2 (pow2 bits). */
  pow10: number;
  pow2: number;
  offsetSec: number;
}

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
function readPcapng(inp: Input, sink: FrameSink, res: CaptureReadResult, name: string): void {
  let le = true;
  let ifaces: Iface[] = [];
  let frames = 0;
  let sections = 0;
  // SPB carries no timestamp: we use the timestamp of the previous packet in the file (0 before any)
  let lastSec = 0;
  let lastNsec = 0;
  const out = { sec: 0, nsec: 0 };
  const corrupt = (msg: string): void => {
    res.problem = { kind: 'corrupt', offset: inp.offset, message: `corrupt pcapng block at byte ${inp.offset}: ${msg}` };
  };
  for (;;) {
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
  res.frames = frames;
  res.bytesRead = res.problem ? res.problem.offset : inp.offset;
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
