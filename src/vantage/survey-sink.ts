// The first pass of a vantage-point reading, for one capture: every frame counted for the span, every
// advert decoded and handed to the Survey (src/analyze/vantage/survey.ts), which samples it for the clock
// offset. Frames that are plainly of no interest are only counted, as in the one-capture pipeline.
import type { FrameSink } from '../decode/packet.js';
import { PacketDecoder, plainOther } from '../decode/index.js';
import { Survey } from '../analyze/vantage/survey.js';

export class SurveySink implements FrameSink {
  readonly survey = new Survey();
  private readonly decoder = new PacketDecoder();

  frame(buf: Uint8Array, off: number, caplen: number, origlen: number, tsSec: number, tsNsec: number, linktype: number): void {
    const t = tsSec + tsNsec / 1e9;
    this.survey.frame(t);
    if (plainOther(buf, off, caplen, linktype)) return;
    // 1: Kind.Advert
    if ((this.decoder.decode(buf, off, caplen, origlen, tsSec, tsNsec, linktype) as number) === 1) this.survey.advert(this.decoder.rec, t);
  }
}
