// A source of router v4/99 and advert records of it, as the unit tests of what the analyzer keeps per source and
// per router build them (test/analyze-source-state.test.ts, test/analyze-router-state.test.ts).
import type { PacketRecord } from '../../src/decode/packet.js';
import { SourceState } from '../../src/analyze/source-state.js';
import { advert, v4, v6, type AdvertSpec } from './records.js';

/** A source of router v4/99 (or v6 when the address has a colon), first seen at `t`. */
export function source(ip: string, t = 0): SourceState {
  const w = ip.includes(':') ? v6(ip) : [v4(ip), 0, 0, 0];
  return new SourceState(w[0], w[1], w[2], w[3], ip, null, t, -1);
}

/** One advert record, `change` applied to it (fields the builder does not expose). */
export function rec(spec: Partial<AdvertSpec> = {}, change: (p: PacketRecord) => void = () => {}): PacketRecord {
  const p = advert({ t: 0, src: '10.0.0.1', ...spec });
  change(p);
  return p;
}
