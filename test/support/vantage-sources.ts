// The sources of router v4/99 whose split brain the vantage unit tests explain (test/vantage-wire-cause.test.ts,
// test/vantage-view.test.ts): H (10.0.0.1, priority 100) and L (10.0.0.2, priority 80).
import { SourceState } from '../../src/analyze/source-state.js';
import { RouterState } from '../../src/analyze/router-state.js';
import { v4 } from './records.js';

export function source(ip: string, priority: number, multicast = 1): SourceState {
  const s = new SourceState(v4(ip), 0, 0, 0, ip, null, 0, -1);
  s.priority = priority;
  s.multicastAdverts = multicast;
  return s;
}

export const R99 = new RouterState(1, 'v4/99', 4, 99, -1, 0);
export const H = source('10.0.0.1', 100);
export const L = source('10.0.0.2', 80);
