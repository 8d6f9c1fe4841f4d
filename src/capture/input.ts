// Buffered synchronous input for the capture readers (file.ts, pcapng.ts): fs.readSync into ONE reused
// buffer, refilled in place, grown only for a single record larger than it. Also the small helpers
// both formats share.
import * as fs from 'node:fs';
import { VrrpwatchError } from '../errors.js';
import type { CaptureReadResult } from './types.js';

/** Largest frame accepted (libpcap's MAXIMUM_SNAPLEN, 256 KiB). */
export const MAX_CAPLEN = 262144;

/** Buffered synchronous input over a file descriptor: one buffer, refilled in place. */
export class Input {
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

export function hex8(n: number): string {
  return '0x' + (n >>> 0).toString(16).padStart(8, '0');
}

export function noteLinktype(res: CaptureReadResult, lt: number): void {
  if (res.linktypes.indexOf(lt) < 0) res.linktypes.push(lt);
}
