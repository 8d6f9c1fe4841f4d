// Configuration differences between the advertisers of one router (docs/analysis.md §4): run only when
// a source appears or something it advertises changes (SourceState.observe() says so), never per advert.
// It sets each source's configMismatch — the reason a peer configured like another advertiser would drop
// its adverts (the advert note 'anomaly', and the silenced-master rule of split-brain.ts) — and opens
// the findings for the differences: version, auth, interval, length, checksum flavour, VRID collision,
// unicast/multicast mix, priority 255 twice. Their evidence is rebuilt by config-evidence.ts.
//
// Invariant: a source's configMismatch depends only on the current configurations (recomputed from
// scratch for every source on each call); findings opened here only ever count up.
import type { FindingsBook } from './findings-book.js';
import type { RouterState } from './router-state.js';
import { firstPair, type SourceState } from './source-state.js';
import { fmt } from './evidence-text.js';
import type { WorkMeter } from './limits.js';

/** The reason a peer configured like `b` would drop `a`'s adverts (interned), null when none. */
function mismatchBetween(r: RouterState, a: SourceState, b: SourceState): string | null {
  if (a.version !== b.version) return 'version-mismatch';
  if (a.version === 2 && (a.authType !== b.authType || a.authHi !== b.authHi || a.authLo !== b.authLo)) return 'auth-mismatch';
  if (a.version === 2 && a.intervalCs !== b.intervalCs) return 'interval-mismatch';
  if (a.version === 3 && r.family === 4 && a.checksumFlavour() !== b.checksumFlavour() && a.checksumCounts[0] + a.checksumCounts[1] + a.checksumCounts[2] > 0 &&
      b.checksumCounts[0] + b.checksumCounts[1] + b.checksumCounts[2] > 0) return 'checksum-variant';
  if (a.trailerBytes !== b.trailerBytes) return 'length-mismatch';
  if (a.addressCount !== b.addressCount) return 'address-count-mismatch';
  if (a.addressHash !== b.addressHash) return 'vip-mismatch';
  return null;
}

/** Compare the advertisers' configurations of router `r` at `t` and open the matching findings. */
export function compareConfigurations(book: FindingsBook, r: RouterState, t: number, meter: WorkMeter): void {
  const advs = r.sources;
  // every pair, at most maxSources² (run only when a source appears or what it advertises changes)
  meter.steps += advs.length * advs.length;
  for (const a of advs) a.configMismatch = null;
  const n = advs.length;
  const vers = new Set<number>(), auth = new Set<string>(), addr = new Set<number>();
  let mcast = false, ucast = false, p255 = 0;
  const flav = new Set<number>();
  for (const a of advs) {
    vers.add(a.version);
    if (a.version === 2) { auth.add(a.authType + ':' + a.authHi + ':' + a.authLo); }
    addr.add(a.addressHash ^ (a.addressCount << 24));
    if (a.multicastAdverts > 0) mcast = true;
    if (a.unicastAdverts > 0) ucast = true;
    if (a.claimedOwner()) p255++;
    if (a.version === 3 && a.checksumCounts[0] + a.checksumCounts[1] + a.checksumCounts[2] > 0) flav.add(a.checksumFlavour());
  }
  if (n < 2) return;
  // per-source mismatch against any other source (a peer configured like that other would drop it)
  for (const a of advs) {
    for (const b of advs) {
      if (a === b) continue;
      a.configMismatch = mismatchBetween(r, a, b);
      if (a.configMismatch !== null) break;
    }
  }
  const pair = (pred: (x: SourceState, y: SourceState) => boolean): [SourceState, SourceState] | null => firstPair(advs, pred);
  if (vers.size > 1) {
    const p = pair((x, y) => x.version !== y.version)!;
    book.routerFinding(r, 'version-mismatch', 'warning', t, p[0], p[1],
      `VRID ${r.vrid} is advertised as VRRPv${p[0].version} by ${p[0].ip} and VRRPv${p[1].version} by ${p[1].ip}`);
  }
  if (auth.size > 1) {
    const p = pair((x, y) => x.version === 2 && y.version === 2 && (x.authType !== y.authType || x.authHi !== y.authHi || x.authLo !== y.authLo))!;
    book.routerFinding(r, 'auth-mismatch', 'warning', t, p[0], p[1],
      p[0].authType !== p[1].authType ? `${p[0].ip} and ${p[1].ip} use different authentication types`
        : `${p[0].ip} and ${p[1].ip} use different authentication passwords`);
  }
  const iv = pair((x, y) => x.intervalCs !== y.intervalCs);
  if (iv !== null) {
    const v3 = iv[0].version === 3 && iv[1].version === 3;
    book.routerFinding(r, 'interval-mismatch', v3 ? 'ok' : 'warning', t, iv[0], iv[1],
      `${iv[0].ip} advertises every ${fmt(iv[0].intervalSeconds)} s, ${iv[1].ip} every ${fmt(iv[1].intervalSeconds)} s` +
      (v3 ? ' (VRRPv3: a backup adopts the master\'s interval)' : ''));
  }
  const lp = pair((x, y) => x.trailerBytes !== y.trailerBytes);
  if (lp !== null) {
    const fi = book.routerFinding(r, 'length-mismatch', 'warning', t, lp[0], lp[1],
      `${lp[0].ip} and ${lp[1].ip} send adverts of different lengths for the same contents: keepalived drops the ones it does not expect`);
    fi.otherSource = lp[1];
  }
  if (flav.size > 1) {
    const p = pair((x, y) => x.version === 3 && y.version === 3 && x.checksumFlavour() !== y.checksumFlavour())!;
    const fi = book.routerFinding(r, 'checksum-variant', 'warning', t, p[0], p[1],
      `${p[0].ip} and ${p[1].ip} compute the VRRPv3 checksum differently`);
    fi.finding.severity = 'warning';
    fi.otherSource = p[1];
  }
  const others = advs.filter((x) => x.lastNonZeroPriority > 0 || x.priority > 0);
  if (addr.size > 1 || others.length > 2) {
    // different address sets: another cluster (warning); a third source with the same addresses and
    // auth may be a legitimate cluster of three or more nodes: information only
    const p = pair((x, y) => x.addressHash !== y.addressHash || x.addressCount !== y.addressCount);
    const same = addr.size === 1 && auth.size <= 1 && vers.size === 1;
    book.routerFinding(r, 'vrid-collision', same ? 'ok' : 'warning', t, p?.[0] ?? null, p?.[1] ?? null,
      p === null ? `${others.length} sources advertise VRID ${r.vrid} with the same addresses (a cluster of ${others.length}, or a collision)`
        : `${p[0].ip} and ${p[1].ip} advertise VRID ${r.vrid} with different virtual addresses`);
  }
  if (mcast && ucast) {
    // two sources, one to each; else one source that sent both ways, with another source if there is one
    // (never the same source twice)
    const both = (): [SourceState, SourceState | null] => {
      const a = advs.find((x) => x.multicastAdverts > 0 && x.unicastAdverts > 0)!;
      return [a, advs.find((x) => x !== a) ?? null];
    };
    const p = pair((x, y) => x.multicastAdverts > 0 && y.unicastAdverts > 0) ?? both();
    book.routerFinding(r, 'unicast-multicast-mix', 'warning', t, p[0], p[1],
      `VRID ${r.vrid} is advertised both to multicast and to unicast peers`);
  }
  if (p255 > 1) {
    const p = pair((x, y) => x.claimedOwner() && y.claimedOwner())!;
    book.routerFinding(r, 'priority-255-conflict', 'warning', t, p[0], p[1],
      `${p[0].ip} and ${p[1].ip} both claim priority 255 (address owner)`);
  }
}
