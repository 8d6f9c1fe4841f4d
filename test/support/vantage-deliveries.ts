// Hand-made delivery counts of one source's adverts to another's wire, as the vantage unit tests quote them
// (test/vantage-wire-cause.test.ts, test/vantage-view.test.ts); loss spells are timed from T.
import type { Delivery } from '../../src/analyze/vantage/model.js';

export const T = 36000;   // 10:00:00 UTC

export function delivery(over: Partial<Delivery> = {}): Delivery {
  return {
    to: 'b', toSource: '10.0.0.2', expected: 50, arrived: 50, lost: 0, lossPercent: 0, dualExpected: 0, dualArrived: 0,
    spellCount: 0, spells: [], spellsLeftOut: 0, longest: null, spellLengths: [0, 0, 0, 0], ...over,
  };
}

export function lost(expected: number, arrived: number, over: Partial<Delivery> = {}): Delivery {
  const n = expected - arrived;
  const spell = { from: T + arrived, to: T + expected - 1, adverts: n };
  return delivery({ expected, arrived, lost: n, lossPercent: Math.round((n / expected) * 1000) / 10, spellCount: 1, spells: [spell], longest: spell, ...over });
}
