// Hand-built advert matchers for the vantage unit tests (test/vantage-whose-wire.test.ts,
// test/vantage-view.test.ts): senders, and flows with their delivery counts, put in place without a capture.
import { AdvertMatcher, Flow } from '../../src/analyze/vantage/advert-matcher.js';
import { v4 } from './records.js';

export function matcher(k: number): AdvertMatcher {
  return new AdvertMatcher(k, new Array<number>(k).fill(0), new Array<number>(k).fill(1e9));
}

/** A sender (by MAC) with these source addresses. */
export function sender(m: AdvertMatcher, macLo: number, ...sources: string[]): number {
  const si = m.senders.find(0x0200, macLo, 0, false);
  m.senders.list[si].sources.push(...sources);
  return si;
}

/** A flow of `source` with, per capture, [expected, arrived] (arrived first, then the losses in a row). */
export function flow(m: AdvertMatcher, si: number, source: string, counts: [number, number][], o: { router?: string; destination?: string; sent?: number } = {}): Flow {
  const router = o.router ?? 'v4/99';
  const f = new Flow(router.startsWith('v6/') ? 6 : 4, [v4(source), 0, 0, 0], Number(router.slice(3)), [0, 0, 0, 0], source, router,
    o.destination ?? '224.0.0.18', m.k);
  f.sender = si;
  counts.forEach(([expected, arrived], vp) => { for (let i = 0; i < expected; i++) f.counts[vp].add(i, i < arrived, false); f.counts[vp].close(); });
  f.sent = o.sent ?? Math.max(...counts.map(([e]) => e));
  m.flows.push(f);
  return f;
}
