// The analyzer's steady-state fast path against its general path: the same adverts through each.
import { Analyzer, setFastPathForTests } from '../../src/analyze/analyzer.js';
import { build, type AdvertSpec } from './records.js';

/** The note of each advert and the final snapshot of `specs`, fed in the order given (not sorted: an advert
 *  out of order comes late), through the fast path or only the general one. */
export function runPath(specs: AdvertSpec[], fast: boolean) {
  setFastPathForTests(fast);
  try {
    const an = new Analyzer();
    const notes = specs.map((s) => build([s])[0]).map((r) => `${an.packet(r)}:${an.lastAnomaly}`);
    an.finish();
    return { notes, snap: an.snapshot() };
  } finally {
    setFastPathForTests(true);
  }
}
