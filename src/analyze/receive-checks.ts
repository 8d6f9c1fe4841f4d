// The checks a keepalived peer makes on one advert by itself (vrrp_check_packet, VRRP-NOTES 3.1),
// kept apart from the state changes: a multicast advert with TTL/hop limit != 255, a bad checksum, a
// checksum flavour other than the standard one. Each opens its finding at the first such advert of a
// source, or again at the next such advert once the dashboard's `c` cleared it while it goes on, and gives
// the advert's anomaly note. A bad TTL or checksum counts every advert on the finding; a checksum flavour
// counts once per source and flavour (it is how a sender is built, not an event). The per-source counts
// themselves are taken by SourceState.observe() just before.
import { Checksum } from '../decode/packet.js';
import type { PacketRecord } from '../decode/packet.js';
import type { FindingsBook } from './findings-book.js';
import type { RouterState } from './router-state.js';
import type { SourceState } from './source-state.js';

/** Interned anomaly notes 'ttl-0' .. 'ttl-255' (no string built per advert). */
const TTL_ANOMALY: string[] = [];
for (let i = 0; i < 256; i++) TTL_ANOMALY.push('ttl-' + i);

/** Judge advert `p` of source `a` (already observed) at `t`: the interned reason a peer drops it, null when none. */
export function receiveChecks(book: FindingsBook, r: RouterState, a: SourceState, p: PacketRecord, t: number, multicast: boolean): string | null {
  let anomaly: string | null = null;
  const ttl = p.ttl;
  if (multicast && ttl !== 255) {
    if (a.badTtlAdverts === 1 || !r.findings.has('ttl-not-255')) {
      book.routerFinding(r, 'ttl-not-255', 'warning', t, a, null,
        `${a.ip} sends multicast adverts with ${p.family === 6 ? 'hop limit' : 'TTL'} ${ttl}: keepalived drops them`);
    } else book.touch(r, 'ttl-not-255', t);
    anomaly = TTL_ANOMALY[ttl & 255];
  }
  const cs = p.checksumStatus;
  if (cs === Checksum.Bad) {
    if (a.checksumCounts[3] === 1 || !r.findings.has('bad-checksum')) {
      book.routerFinding(r, 'bad-checksum', 'warning', t, a, null, `adverts from ${a.ip} carry bad checksums`);
    } else book.touch(r, 'bad-checksum', t);
    if (anomaly === null) anomaly = 'bad-checksum';
  } else if (cs === Checksum.V2Style || cs === Checksum.OldUnicast) {
    if (a.checksumCounts[cs] === 1 || !r.findings.has('checksum-variant')) {
      // a mix of flavours among the advertisers is a warning (config-compare.ts opened it so before `c`)
      const mixed = r.sources.some((x) => x.configMismatch === 'checksum-variant');
      book.routerFinding(r, 'checksum-variant', mixed ? 'warning' : 'ok', t, a, null,
        `${a.ip} computes its checksum the ${cs === Checksum.V2Style ? 'VRRPv2 way (no IPv4 pseudo-header)' : 'old keepalived unicast way'}`);
    }
  }
  return anomaly;
}
