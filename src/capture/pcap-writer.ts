// `-w FILE`: classic pcap, written as it goes. Frames are copied into one reused buffer and written with
// synchronous writes at the end of every batch (FrameSink.batchEnd, called by the live session once per poll
// wakeup), so whenever the event loop is idle everything captured is already in the kernel: Ctrl-C, SIGTERM or
// SIGHUP between batches cannot lose a frame, and a reader (tcpdump -r, tshark -r) sees whole records.
// Magic 0xa1b23c4d (nanosecond) when the capture has nanosecond timestamps, else 0xa1b2c3d4 (microsecond).
// Written little-endian; every pcap reader accepts both byte orders.
import { closeSync, fsyncSync, openSync, writeSync } from 'node:fs';
import { VrrpwatchError } from '../errors.js';
import type { FrameSink } from '../decode/packet.js';

const MAGIC_US = 0xa1b2c3d4;
const MAGIC_NS = 0xa1b23c4d;
const FILE_HEADER = 24;
const RECORD_HEADER = 16;

export interface PcapWriterOptions {
  linktype: number;
  snaplen: number;
  /** Timestamps given to frame() are ns; write them with ns resolution (else µs, truncated). */
  nano: boolean;
  /** Internal buffer size (default 1 MiB); a frame larger than it is written directly. */
  bufferSize?: number;
}

export class PcapWriter implements FrameSink {
  private readonly fd: number;
  private readonly ownsFd: boolean;
  private readonly buf: Buffer;
  private used = 0;
  private isClosed = false;
  private readonly nano: boolean;
  /** Frames and bytes (including headers) handed to the kernel or waiting in the buffer. */
  packets = 0;
  bytes = FILE_HEADER;

  /** `path` '-' writes to stdout. Throws VrrpwatchError('input') when the file cannot be created. */
  constructor(readonly path: string, opts: PcapWriterOptions) {
    this.nano = opts.nano;
    this.buf = Buffer.alloc(Math.max(64 * 1024, opts.bufferSize ?? 1 << 20));
    if (path === '-') {
      this.fd = 1;
      this.ownsFd = false;
    } else {
      try {
        this.fd = openSync(path, 'w', 0o644);
      } catch (e) {
        throw new VrrpwatchError('input', `cannot write ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
      }
      this.ownsFd = true;
    }
    const b = this.buf;
    b.writeUInt32LE(this.nano ? MAGIC_NS : MAGIC_US, 0);
    b.writeUInt16LE(2, 4);
    b.writeUInt16LE(4, 6);
    b.writeInt32LE(0, 8);          // thiszone
    b.writeUInt32LE(0, 12);        // sigfigs
    b.writeUInt32LE(opts.snaplen >>> 0, 16);
    b.writeUInt32LE(opts.linktype >>> 0, 20);
    this.used = FILE_HEADER;
    this.flush();                  // a valid (empty) capture exists from the start
  }

  /** Copies one frame (FrameSink signature; linktype is the file's). */
  frame(buf: Uint8Array, off: number, caplen: number, origlen: number, tsSec: number, tsNsec: number, _linktype: number): void {
    if (this.isClosed) return;
    const need = RECORD_HEADER + caplen;
    if (this.used + need > this.buf.length) this.flush();
    const b = this.buf;
    let p = this.used;
    b.writeUInt32LE(tsSec >>> 0, p);
    b.writeUInt32LE((this.nano ? tsNsec : Math.floor(tsNsec / 1000)) >>> 0, p + 4);
    b.writeUInt32LE(caplen >>> 0, p + 8);
    b.writeUInt32LE(origlen >>> 0, p + 12);
    p += RECORD_HEADER;
    if (need > b.length) {         // larger than the whole buffer: header now, bytes directly
      this.used = p;
      this.flush();
      this.writeAll(buf, off, caplen);
    } else if (caplen <= 512) {
      // adverts are < 200 bytes: a plain loop copies them without creating a subarray view per frame
      for (let i = 0; i < caplen; i++) b[p + i] = buf[off + i]!;
      this.used = p + caplen;
    } else {
      b.set(buf.subarray(off, off + caplen), p);
      this.used = p + caplen;
    }
    this.packets++;
    this.bytes += need;
  }

  /** End of a live batch: everything goes to the kernel now. */
  batchEnd(): void {
    this.flush();
  }

  /** Writes the buffered records (synchronously). */
  flush(): void {
    if (this.used === 0) return;
    const n = this.used;
    this.used = 0;
    this.writeAll(this.buf, 0, n);
  }

  private writeAll(b: Uint8Array, off: number, len: number): void {
    let done = 0;
    while (done < len) {
      try {
        done += writeSync(this.fd, b, off + done, len - done);
      } catch (e) {
        const c = (e as NodeJS.ErrnoException).code;
        if (c === 'EAGAIN') continue;          // nonblocking stdout pipe: retry until the reader catches up
        throw new VrrpwatchError('input', `cannot write ${this.path}: ${c ?? (e as Error).message}`);
      }
    }
  }

  /** Flushes and closes (optionally fsync for durability beyond a process kill, e.g. power loss). */
  close(sync = false): void {
    if (this.isClosed) return;
    this.flush();
    this.isClosed = true;
    if (this.ownsFd) {
      if (sync) { try { fsyncSync(this.fd); } catch { /* not all files can be synced */ } }
      closeSync(this.fd);
    }
  }
}
