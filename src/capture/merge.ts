// Several captures read together in time order (a k-way merge): each reader is pulled one frame at a time
// (CaptureReader.read(sink, 1), whose buffer keeps that frame's bytes until its next read), each frame's
// timestamp is moved onto the common clock by its capture's offset (whole nanoseconds, integer maths), and
// the earliest frame of all goes to the sink with its capture's index. Ties go to the lower index. Memory:
// the readers' own buffers; per frame, a comparison over the captures (at most MAX_VANTAGE_POINTS).
import type { FrameSink } from '../decode/packet.js';
import type { CaptureReader } from './file.js';

/** Receives the merged frames: `vp` is the capture's index, the time already on the common clock. */
export interface MergedSink {
  frame(vp: number, buf: Uint8Array, off: number, caplen: number, origlen: number, tsSec: number, tsNsec: number, linktype: number): void;
}

/** One capture's next frame, held while the others catch up. */
class Cursor implements FrameSink {
  has = false;
  buf: Uint8Array = new Uint8Array(0);
  off = 0;
  caplen = 0;
  origlen = 0;
  sec = 0;
  nsec = 0;
  linktype = 0;
  constructor(private readonly reader: CaptureReader, private readonly offSec: number, private readonly offNsec: number) {}

  frame(buf: Uint8Array, off: number, caplen: number, origlen: number, tsSec: number, tsNsec: number, linktype: number): void {
    let s = tsSec + this.offSec, n = tsNsec + this.offNsec;
    if (n >= 1e9) { n -= 1e9; s++; }
    this.buf = buf; this.off = off; this.caplen = caplen; this.origlen = origlen; this.sec = s; this.nsec = n; this.linktype = linktype;
    this.has = true;
  }

  advance(): void {
    this.has = false;
    this.reader.read(this, 1);
  }
}

/** Read every capture to its end, merged. `offsets`: seconds added to each capture's times. */
export function readMerged(readers: readonly CaptureReader[], offsets: readonly number[], sink: MergedSink): void {
  const cursors = readers.map((r, i) => {
    const ns = Math.round(offsets[i] * 1e9);
    const sec = Math.floor(ns / 1e9);
    return new Cursor(r, sec, ns - sec * 1e9);
  });
  for (const c of cursors) c.advance();
  for (;;) {
    let best = -1;
    for (let i = 0; i < cursors.length; i++) {
      const c = cursors[i];
      if (!c.has) continue;
      if (best < 0) { best = i; continue; }
      const b = cursors[best];
      if (c.sec < b.sec || (c.sec === b.sec && c.nsec < b.nsec)) best = i;
    }
    if (best < 0) return;
    const c = cursors[best];
    sink.frame(best, c.buf, c.off, c.caplen, c.origlen, c.sec, c.nsec, c.linktype);
    c.advance();
  }
}
