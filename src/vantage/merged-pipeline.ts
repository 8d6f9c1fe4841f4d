// The second pass of a vantage-point reading: the captures' frames in time order on the common clock
// (src/capture/merge.ts) → decode → the matcher (src/analyze/vantage/advert-matcher.ts), which says whether
// a frame is the first copy of it → the analyzer, which sees every frame once, as from one capture (later
// copies only count as frames), and the per-advert printer (--adverts). Linux cooked captures (what
// tcpdump -i any writes) carry each frame's direction: a frame the capturing host sent tells whose wire
// the capture is.
import type { MergedSink } from '../capture/merge.js';
import { PacketDecoder, plainOther } from '../decode/index.js';
import type { Analyzer } from '../analyze/analyzer.js';
import type { AdvertMatcher } from '../analyze/vantage/advert-matcher.js';
import { StopReading, type AdvertPrinter } from '../pipeline.js';

/** Linux cooked capture packet type "outgoing" (PACKET_OUTGOING): SLL at byte 1 (16 bits), SLL2 at byte 10. */
const PACKET_OUTGOING = 4;

export function sentByCapturingHost(buf: Uint8Array, off: number, caplen: number, linktype: number): boolean {
  if (linktype === 113) return caplen >= 2 && buf[off] === 0 && buf[off + 1] === PACKET_OUTGOING;
  if (linktype === 276) return caplen >= 11 && buf[off + 10] === PACKET_OUTGOING;
  return false;
}

export class MergedPipeline implements MergedSink {
  readonly decoder = new PacketDecoder();
  /** Adverts given to the analyzer (each once), for -c. */
  adverts = 0;

  constructor(private readonly analyzer: Analyzer, private readonly matcher: AdvertMatcher,
              private readonly printer: AdvertPrinter | null = null, private readonly maxAdverts = Infinity) {}

  frame(vp: number, buf: Uint8Array, off: number, caplen: number, origlen: number, tsSec: number, tsNsec: number, linktype: number): void {
    if (plainOther(buf, off, caplen, linktype)) {
      this.analyzer.otherFrame(origlen, tsSec, tsNsec);
      return;
    }
    const kind = this.decoder.decode(buf, off, caplen, origlen, tsSec, tsNsec, linktype) as number;
    const rec = this.decoder.rec;
    if (!this.matcher.observe(rec, vp, sentByCapturingHost(buf, off, caplen, linktype))) {
      // a copy of a frame another capture delivered first: a frame read, not a second advert
      this.analyzer.otherFrame(origlen, tsSec, tsNsec);
      return;
    }
    const note = this.analyzer.packet(rec);
    if (kind === 0) return;
    if (this.printer !== null) this.printer(rec, note, note === 'anomaly' ? this.analyzer.lastAnomaly : null);
    if (kind === 1 && ++this.adverts >= this.maxAdverts) throw new StopReading();
  }
}

/** A frame kept for a replay (the bytes copied, the time on the common clock). */
export interface KeptFrame { bytes: Uint8Array; origlen: number; tsSec: number; tsNsec: number; linktype: number }

/** The second pass for a replay (-r a -r b --tui): the first copy of every frame the decoder finds
 *  interesting is kept, at most `max` of them; the matcher sees every copy, as in MergedPipeline. */
export class MergedKeeper implements MergedSink {
  readonly kept: KeptFrame[] = [];
  private readonly decoder = new PacketDecoder();
  constructor(private readonly matcher: AdvertMatcher, private readonly max: number) {}

  frame(vp: number, buf: Uint8Array, off: number, caplen: number, origlen: number, tsSec: number, tsNsec: number, linktype: number): void {
    if (plainOther(buf, off, caplen, linktype)) return;
    if ((this.decoder.decode(buf, off, caplen, origlen, tsSec, tsNsec, linktype) as number) === 0) return;
    if (!this.matcher.observe(this.decoder.rec, vp, sentByCapturingHost(buf, off, caplen, linktype))) return;
    if (this.kept.length < this.max) this.kept.push({ bytes: buf.slice(off, off + caplen), origlen, tsSec, tsNsec, linktype });
  }
}
