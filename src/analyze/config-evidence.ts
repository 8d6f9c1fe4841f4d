// Evidence, cause and fix context of the findings about what sources advertise and how their adverts
// arrive: TTL, checksums, interval, authentication, version, addresses, destinations, priority 255,
// length (docs/findings.md). Rebuilt from the sources' counters whenever the view is built; config-compare.ts
// and receive-checks.ts decide when these findings open. The keepalived.conf keyword of each fix goes
// in fixContext.configKey, the value each source advertises in fixContext.values.
import type { Finding } from './model.js';
import type { RouterState } from './router-state.js';
import type { SourceState } from './source-state.js';
import { fmt, trailerText, vrrpGroup } from './evidence-text.js';

/** The checksum flavours as fixContext values (index: SourceState.checksumFlavour()). */
export const FLAVOUR_VALUES = ['standard', 'v2-style', 'old-unicast'];

/** The v2 auth types as fixContext values. */
export function authValue(x: SourceState): string {
  return x.authType === 1 ? 'PASS' : x.authType === 2 ? 'AH' : 'none';
}

/** A source's unicast_peer line, or 'multicast'. */
export function destinationValue(x: SourceState): string {
  return x.unicastAdverts > 0 ? 'unicast_peer ' + x.unicastPeers.join(' ') : 'multicast';
}

/** Rebuild a configuration finding; false when `f.code` is not one of them. `a`, `b`: the sources the
 *  finding was opened for (FindingRecord.source / otherSource). */
export function refreshConfigFinding(f: Finding, r: RouterState, a: SourceState | null, b: SourceState | null): boolean {
  const fix = f.fixContext;
  switch (f.code) {
    case 'ttl-not-255':
      f.evidence = r.sources.filter((x) => x.badTtlAdverts > 0).map((x) =>
        `${x.ip}: ${x.badTtlAdverts} of ${x.adverts} multicast adverts with ${r.family === 6 ? 'hop limit' : 'TTL'} ${x.ttlMin === x.ttlMax ? x.ttlMin : x.ttlMin + '-' + x.ttlMax} (must be 255)`);
      f.cause = 'ttl';
      fix.multicast = vrrpGroup(r.family);
      return true;
    case 'bad-checksum':
      f.evidence = r.sources.filter((x) => x.checksumCounts[3] > 0).map((x) => `${x.ip}: ${x.checksumCounts[3]} of ${x.adverts} adverts with a bad checksum`);
      return true;
    case 'checksum-variant': {
      // a node none of whose checksums could be verified (captured short) has no flavour: neither in the
      // evidence nor in the fix values, where it would count as one more "standard" node
      const known = r.sources.filter((x) => x.checksumCounts[1] + x.checksumCounts[2] + x.checksumCounts[0] > 0);
      f.evidence = known.map((x) =>
        `${x.ip}: ${x.checksumCounts[0]} standard, ${x.checksumCounts[1]} v2-style (no pseudo-header), ${x.checksumCounts[2]} old-unicast checksums`);
      // one flavour among the advertisers seen is information: only a mix makes peers drop adverts
      if (f.severity === 'ok') f.evidence.push('every advertiser seen uses the same flavour; a peer that checks it the other way would drop these adverts');
      f.cause = f.severity === 'ok' ? null : 'checksum-variant';
      fix.configKey = 'v3_checksum_as_v2';
      fix.values = Object.fromEntries(known.map((x) => [x.ip, FLAVOUR_VALUES[x.checksumFlavour()]]));
      return true;
    }
    case 'interval-mismatch':
      f.evidence = r.sources.map((x) => `${x.ip} advertises interval ${x.intervalRaw} ${x.version === 3 ? 'cs' : 's'} (${fmt(x.intervalSeconds)} s)` +
        (x.intervalSamples > 0 ? `, measured ${fmt(x.intervalMean)} s` : ''));
      f.cause = 'interval-mismatch';
      fix.configKey = 'advert_int';
      fix.values = Object.fromEntries(r.sources.map((x) => [x.ip, fmt(x.intervalSeconds)]));
      return true;
    case 'auth-mismatch':
      f.evidence = r.sources.filter((x) => x.version === 2).map((x) =>
        `${x.ip}: auth type ${x.authType} (${['none', 'simple text password', 'IP AH'][x.authType] ?? 'invalid'})`);
      if (a !== null && b !== null && a.authType === 1 && b.authType === 1) f.evidence.push('the passwords differ');
      f.cause = 'auth-mismatch';
      fix.configKey = a !== null && b !== null && a.authType !== b.authType ? 'auth_type' : 'auth_pass';
      fix.values = Object.fromEntries(r.sources.filter((x) => x.version === 2).map((x) => [x.ip, authValue(x)]));
      return true;
    case 'version-mismatch':
      f.evidence = r.sources.map((x) => `${x.ip} sends VRRPv${x.version} (${x.adverts} adverts)`);
      f.cause = 'version-mismatch';
      fix.configKey = 'vrrp_version';
      fix.values = Object.fromEntries(r.sources.map((x) => [x.ip, String(x.version)]));
      return true;
    case 'vrid-collision': {
      f.evidence = r.sources.map((x) => `${x.ip}${x.mac !== null ? ' (' + x.mac + ')' : ''}: prio ${x.lastNonZeroPriority}, addresses ${x.addresses.join(' ') || '(none)'}`);
      // different address lists are the cause, with its fix; the same lists (a cluster of three or more, or
      // two clusters alike) prove none, so no fix is offered
      const first = r.sources[0];
      const differ = r.sources.some((x) => x.addressHash !== first.addressHash || x.addressCount !== first.addressCount);
      f.cause = differ ? 'vip-mismatch' : null;
      fix.configKey = differ ? 'virtual_router_id' : undefined;
      fix.values = differ ? Object.fromEntries(r.sources.map((x) => [x.ip, x.addresses.join(' ')])) : undefined;
      return true;
    }
    case 'unicast-multicast-mix':
      f.evidence = r.sources.map((x) => `${x.ip}: ${x.multicastAdverts} adverts to multicast, ${x.unicastAdverts} to unicast` +
        (x.unicastPeers.length > 0 ? ` (${x.unicastPeers.join(', ')})` : ''));
      f.cause = 'unicast-multicast-mix';
      fix.configKey = 'unicast_peer';
      fix.multicast = vrrpGroup(r.family);
      fix.values = Object.fromEntries(r.sources.map((x) => [x.ip, destinationValue(x)]));
      return true;
    case 'priority-255-conflict':
      f.evidence = r.sources.filter((x) => x.claimedOwner()).map((x) => `${x.ip} advertised priority 255`);
      fix.configKey = 'priority';
      return true;
    case 'length-mismatch':
      f.evidence = r.sources.map((x) => `${x.ip}: ${trailerText(x.trailerBytes)}`);
      f.cause = 'length-mismatch';
      fix.configKey = 'auth_hmac';
      fix.values = Object.fromEntries(r.sources.map((x) => [x.ip, trailerText(x.trailerBytes)]));
      return true;
    default:
      return false;
  }
}
