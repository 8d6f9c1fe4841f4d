// source ──frames──▶ decode ──records──▶ analyze (+ optional per-advert printer).
// The one FrameSink every source (file, live, replay) feeds. Per frame: one decode, one analyzer call;
// a frame that is plainly of no interest is only counted (plainOther).
import type { FrameSink } from './decode/packet.js';
import { PacketDecoder, plainOther } from './decode/index.js';
import type { AdvertNote } from './analyze/model.js';
import type { Analyzer } from './analyze/analyzer.js';
import type { PacketRecord } from './decode/packet.js';

export type AdvertPrinter = (p: PacketRecord, note: AdvertNote, anomaly: string | null) => void;

/** Thrown by the sink to end reading early (-c COUNT); the reader lets it through. */
export class StopReading extends Error {
  constructor() { super('stop'); }
}

export class Pipeline implements FrameSink {
  readonly decoder = new PacketDecoder();
  /** Adverts seen (kind Advert), for -c. */
  adverts = 0;

  constructor(
    readonly analyzer: Analyzer,
    private readonly printer: AdvertPrinter | null = null,
    private readonly maxAdverts = Infinity,
    /** Called when maxAdverts is reached; without it the pipeline throws StopReading (file reading). */
    private readonly onLimit: (() => void) | null = null,
  ) {}

  frame(buf: Uint8Array, off: number, caplen: number, origlen: number, tsSec: number, tsNsec: number, linktype: number): void {
    // most frames of a busy segment: counted, never decoded
    if (plainOther(buf, off, caplen, linktype)) {
      this.analyzer.otherFrame(origlen, tsSec, tsNsec);
      return;
    }
    const kind = this.decoder.decode(buf, off, caplen, origlen, tsSec, tsNsec, linktype) as number;
    const note = this.analyzer.packet(this.decoder.rec);
    if (kind === 0) return;
    if (this.printer !== null) this.printer(this.decoder.rec, note, note === 'anomaly' ? this.analyzer.lastAnomaly : null);
    if (kind === 1 && ++this.adverts >= this.maxAdverts) {
      if (this.onLimit === null) throw new StopReading();
      this.onLimit();
    }
  }
}
