// Capture file reader: classic pcap (both byte orders, µs and ns, the old "modified" format) here, and
// pcapng (sections with their own byte order, several interfaces, if_tsresol power of 10 and of 2,
// if_tsoffset, EPB, SPB, obsolete OPB; other blocks skipped) in pcapng.ts. Detected by magic, not by name.
// Pushed (readCaptureFile: every frame to a sink) or pulled (CaptureReader.read(sink, max): a few frames
// at a time, which is how several captures are merged in time order, src/capture/merge.ts).
//
// Constant memory: fs.readSync into ONE reused 1 MiB buffer (DESIGN.md §4: a synchronous
// reused-buffer loop measured 1.7–1.9× a C walker; streams 11×, per-packet events 26×). The buffer
// grows only for a single record larger than it, up to MAX_CAPLEN; anything bigger is corrupt (input.ts).
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
import type { CaptureReadResult } from './types.js';
import { Input, MAX_CAPLEN, hex8, noteLinktype } from './input.js';
import { PCAPNG_SHB, PcapngBlocks } from './pcapng.js';

export { MAX_CAPLEN } from './input.js';
export { tsConvert } from './pcapng.js';

const BUF_SIZE = 1 << 20;

/** Compressors that rotated captures come out of (tcpdump -z, logrotate), by magic: name and its cat. */
function compressedBy(b: Uint8Array): [string, string] | null {
  if (b[0] === 0x1f && b[1] === 0x8b) return ['gzip', 'zcat'];
  if (b[0] === 0xfd && b[1] === 0x37 && b[2] === 0x7a && b[3] === 0x58) return ['xz', 'xzcat'];
  if (b[0] === 0x28 && b[1] === 0xb5 && b[2] === 0x2f && b[3] === 0xfd) return ['zstd', 'zstdcat'];
  if (b[0] === 0x42 && b[1] === 0x5a && b[2] === 0x68) return ['bzip2', 'bzcat'];
  return null;
}

/**
 * Read a capture file (or stdin for "-") to its end, handing every frame to `sink`. Throws
 * VrrpwatchError('input') when the file cannot be opened or is not a capture at all; a truncated
 * or corrupt record stops the read and is reported in `problem` (everything before was delivered).
 */
export function readCaptureFile(path: string, sink: FrameSink): CaptureReadResult {
  const r = CaptureReader.open(path);
  try {
    r.read(sink, Infinity);
    return r.result;
  } finally {
    r.close();
  }
}

/**
 * The same reader, pulled: `read(sink, max)` delivers at most `max` frames and returns how many it
 * delivered (0 at the end, clean or not: `result.problem` says which). The bytes of the last frame
 * delivered stay valid until the next call on this reader (its buffer moves only while it reads), so
 * several readers can be merged in time order one frame at a time (src/capture/merge.ts).
 * `readCaptureFile` is `read(sink, Infinity)`: one loop, the same code path.
 */
export class CaptureReader {
  readonly result: CaptureReadResult;
  private readonly inp: Input;
  private done = false;
  /** null for classic pcap */
  private readonly pcapng: PcapngBlocks | null;
  // classic pcap: byte order, nanoseconds per timestamp unit, record header length, snaplen limit, link type
  private le = true;
  private nsMul = 1000;
  private hdrLen = 16;
  private limit = MAX_CAPLEN;
  private linktype = 0;

  private constructor(private readonly fd: number, private readonly own: boolean, readonly name: string, fileSize: number | null) {
    this.inp = new Input(fd, BUF_SIZE);
    this.result = { format: 'pcap', frames: 0, bytesRead: 0, fileSize, linktypes: [], problem: null };
    const inp = this.inp;
    if (!inp.fill(4)) {
      if (inp.end === 0) throw new VrrpwatchError('input', `${name}: empty file, not a capture`);
      throw new VrrpwatchError('input', `${name}: too short to be a capture (${inp.end} bytes)`);
    }
    const b = inp.buf;
    const magicLe = inp.dv.getUint32(0, true);
    const magicBe = inp.dv.getUint32(0, false);
    if (magicBe === PCAPNG_SHB) {
      this.pcapng = new PcapngBlocks();
      this.result.format = 'pcapng';
    } else if (magicLe === 0xa1b2c3d4 || magicBe === 0xa1b2c3d4 || magicLe === 0xa1b23c4d ||
               magicBe === 0xa1b23c4d || magicLe === 0xa1b2cd34 || magicBe === 0xa1b2cd34) {
      this.pcapng = null;
      this.pcapHeader();
    } else if (compressedBy(b) !== null) {
      const [what, cat] = compressedBy(b)!;
      throw new VrrpwatchError('input', `${name}: ${what}-compressed; decompress it first (${cat} FILE | vrrpwatch -r -)`);
    } else {
      throw new VrrpwatchError('input', `${name}: not a pcap or pcapng capture (magic ${hex8(magicBe)})`);
    }
  }

  /** Open a capture file (or stdin for "-") and read its header. Throws VrrpwatchError('input'). */
  static open(path: string): CaptureReader {
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
      return new CaptureReader(fd, own, name, fileSize);
    } catch (e) {
      if (own) fs.closeSync(fd);
      throw e;
    }
  }

  /** Deliver up to `max` frames to `sink`; the number delivered, 0 once the capture has ended. */
  read(sink: FrameSink, max: number): number {
    if (this.done) return 0;
    let n: number;
    if (this.pcapng !== null) {
      n = this.pcapng.read(this.inp, this.result, this.name, sink, max);
      this.done = this.pcapng.done;
    } else {
      n = this.readPcap(sink, max);
    }
    this.result.frames += n;
    return n;
  }

  /** Release the file (not stdin). */
  close(): void {
    this.done = true;
    if (this.own) fs.closeSync(this.fd);
  }

  //  Classic pcap (pcap(5), draft-ietf-opsawg-pcap)
  //  file header, 24 bytes:  magic | major(2) minor(2) | thiszone | sigfigs | snaplen | linktype
  //  record header, 16 bytes: ts_sec | ts_usec or ts_nsec | caplen | origlen   (+8 in "modified")
  private pcapHeader(): void {
    const inp = this.inp;
    if (!inp.fill(24)) throw new VrrpwatchError('input', `${this.name}: truncated pcap file header`);
    const le = inp.dv.getUint32(0, true) >>> 16 === 0xa1b2;
    const magic = inp.dv.getUint32(0, le);
    this.le = le;
    this.nsMul = magic === 0xa1b23c4d ? 1 : 1000;
    this.hdrLen = magic === 0xa1b2cd34 ? 24 : 16;
    const snaplen = inp.dv.getUint32(16, le);
    this.linktype = inp.dv.getUint32(20, le) & 0xffff;
    this.limit = snaplen > 0 && snaplen < MAX_CAPLEN ? snaplen : MAX_CAPLEN;
    noteLinktype(this.result, this.linktype);
    inp.pos = 24;
  }

  private readPcap(sink: FrameSink, max: number): number {
    const inp = this.inp;
    const res = this.result;
    const le = this.le, nsMul = this.nsMul, hdrLen = this.hdrLen, limit = this.limit, linktype = this.linktype;
    let frames = 0;
    for (;;) {
      if (frames >= max) break;
      if (inp.end - inp.pos < hdrLen && !inp.fill(hdrLen)) {
        if (inp.end !== inp.pos) {
          res.problem = { kind: 'truncated', offset: inp.offset,
            message: `truncated record header at byte ${inp.offset} (${inp.end - inp.pos} of ${hdrLen} bytes)` };
        }
        this.done = true;
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
        this.done = true;
        break;
      }
      const need = hdrLen + caplen;
      if (inp.end - p < need && !inp.fill(need)) {
        res.problem = { kind: 'truncated', offset: inp.offset,
          message: `truncated last record at byte ${inp.offset}: ${inp.end - inp.pos - hdrLen} of ${caplen} bytes` };
        this.done = true;
        break;
      }
      // fill() may have moved the data: read the position again
      const q = inp.pos;
      frames++;
      // caplen > snaplen (seen in fuzzed files): deliver snaplen bytes and skip the rest, as libpcap does
      sink.frame(inp.buf, q + hdrLen, caplen > limit ? limit : caplen, origlen, sec, sub * nsMul, linktype);
      inp.pos = q + need;
    }
    res.bytesRead = inp.offset;
    return frames;
  }
}
