// How one flow's adverts (a source, its router, its destination) fared on one capture: expected while the
// capture ran, arrived, lost; the same during dual periods (another source of the router advertising
// too); and the runs of consecutive losses ("spells"), the first MAX_SPELLS_KEPT of them with their times,
// the longest always, and how many of each length. Constant size whatever the capture's length.
import type { Delivery, LossSpell } from './model.js';
import { MAX_SPELLS_KEPT } from './limits.js';

export class DeliveryCount {
  expected = 0;
  arrived = 0;
  dualExpected = 0;
  dualArrived = 0;
  spellCount = 0;
  readonly spells: LossSpell[] = [];
  spellsLeftOut = 0;
  longest: LossSpell | null = null;
  readonly lengths: [number, number, number, number] = [0, 0, 0, 0];
  /** The spell going on (lost adverts since the last arrived one), null when the last one arrived. */
  private open: LossSpell | null = null;

  /** One advert of the flow, sent while the capture ran: arrived there or not; during a dual period or not. */
  add(t: number, arrived: boolean, dual: boolean): void {
    this.expected++;
    if (dual) this.dualExpected++;
    if (arrived) {
      this.arrived++;
      if (dual) this.dualArrived++;
      this.close();
      return;
    }
    if (this.open === null) this.open = { from: t, to: t, adverts: 1 };
    else { this.open.to = t; this.open.adverts++; }
  }

  /** End of the input: a spell still going on is a spell. */
  close(): void {
    const s = this.open;
    if (s === null) return;
    this.open = null;
    this.spellCount++;
    this.lengths[Math.min(s.adverts, 4) - 1]++;
    if (this.spells.length < MAX_SPELLS_KEPT) this.spells.push(s);
    else this.spellsLeftOut++;
    if (this.longest === null || s.adverts > this.longest.adverts) this.longest = s;
  }

  view(to: string, toSource: string | null): Delivery {
    const lost = this.expected - this.arrived;
    return {
      to, toSource, expected: this.expected, arrived: this.arrived, lost,
      lossPercent: this.expected > 0 ? Math.round((lost / this.expected) * 1000) / 10 : null,
      dualExpected: this.dualExpected, dualArrived: this.dualArrived,
      spellCount: this.spellCount, spells: this.spells.map((s) => ({ ...s })), spellsLeftOut: this.spellsLeftOut,
      longest: this.longest === null ? null : { ...this.longest }, spellLengths: [...this.lengths],
    };
  }
}
