// What one source (one sender address of one virtual router) does: the fields of its adverts, its
// measured interval, TTL, checksum flavours, authentication, address list, destinations, IP ID, and the
// evidence of who hears it (echoes). One SourceState per source and router; the router's state machine
// (router-machine.ts) decides whether it is advertising, master or resigned.
//
// Invariants: every field is initialised here (one hidden class, no field starting undefined), numbers
// stay numbers (text only for a new source or when what it advertises changes); the steady-state fast
// path in analyzer.ts updates a few of these fields in place and must keep doing exactly what observe()
// would do for such an advert.
import { Checksum } from '../decode/packet.js';
import type { PacketRecord } from '../decode/packet.js';
import type { PriorityPoint } from './model.js';
import { MAX_PRIORITY_HISTORY, MAX_UNICAST_PEERS } from './limits.js';

export class SourceState {
  ip: string;
  mac: string | null;
  /** Source MAC as two words (macHi -1: none seen, e.g. a raw IP capture). */
  macHi = -1;
  macLo = 0;
  /** Priority of the last advert (-1 before the first). */
  priority = -1;
  /** Priority of the last advert with priority > 0 (0: none yet). */
  lastNonZeroPriority = 0;
  priorityHistory: PriorityPoint[] = [];
  version = 0;
  /** Advertised interval in centiseconds (-1 before the first advert), as on the wire (intervalRaw:
   *  v2 seconds, v3 centiseconds), and in seconds (1 when the advert says 0). */
  intervalCs = -1;
  intervalRaw = 0;
  intervalSeconds = 1;
  adverts = 0;
  firstSeen = 0; // initialised: a field declared without a value starts undefined, then holds boxed doubles
  /** Time of its last advert (any priority). */
  lastSeen = 0;
  /** Welford running mean / variance of the measured interval (s): samples, mean, sum of squared deviations. */
  intervalSamples = 0;
  intervalMean = 0;
  intervalM2 = 0;
  /** Hash and count of the advertised addresses (-1 before the first advert); `addresses` as text. */
  addressHash = -1;
  addressCount = -1;
  addresses: string[] = [];
  /** v2 auth type (-1 in v3 adverts, -2 before the first advert), the 8 auth data bytes as two words,
   *  and the simple-auth text (raw packet text, null unless type 1). */
  authType = -2;
  authHi = 0;
  authLo = 0;
  authText: string | null = null;
  multicastAdverts = 0;
  unicastAdverts = 0;
  /** Destination address words of its last unicast advert (-1: none yet). */
  lastUnicastDst0 = -1; lastUnicastDst1 = -1; lastUnicastDst2 = -1; lastUnicastDst3 = -1;
  /** Unicast destinations seen (keepalived's unicast_peer list), at most MAX_UNICAST_PEERS. */
  unicastPeers: string[] = [];
  /** TTL / hop limit range seen (256 and -1 before the first advert). */
  ttlMin = 256;
  ttlMax = -1;
  /** Multicast adverts with TTL/hop limit != 255. */
  badTtlAdverts = 0;
  /** The last advert was multicast with TTL/hop limit != 255 (a keepalived peer drops it). */
  lastTtlBad = false;
  /** Adverts per checksum status, indexed by Checksum: ok, v2-style, old-unicast, bad, unknown. */
  checksumCounts = [0, 0, 0, 0, 0];
  /** IP ID of the last advert (-1: none, or IPv6). */
  ipId = -1;
  /** Checksum field of the last advert (duplicate detection). */
  lastChecksum = -1;
  /** Time of the first advert from another source after this one's last advert (-1: none). A keepalived
   *  master restarts its advert timer on every advert it receives, so its next advert is due one
   *  interval after that, not after its own last one. */
  timerPushedAt = -1;
  /** Advertising now (docs/analysis.md §2): its last advert had priority > 0 and its window has not passed. */
  advertising = false;
  /** When this source last started advertising (-1: never). */
  advertisingSince = -1;
  /** Its last advert had priority 0, sent at resignedAt (-1: never resigned). */
  resigned = false;
  resignedAt = -1;
  /** Adverts sent while a source that beats it in the election (beats()) was advertising, how many of them
   *  such a source answered at once (echo), the longest such answer (s), and who answered last. */
  advertsUnderBetter = 0;
  advertsEchoed = 0;
  longestEcho = 0;
  echoedBy: SourceState | null = null;
  /** Interned reason a peer would drop this source's adverts (config-compare.ts), null if none. */
  configMismatch: string | null = null;
  /** The address list (hash and count) whose addresses vip-ownership.ts follows for it (-1: none yet). */
  listedHash = -1;
  listedCount = -1;
  /** Bytes after the VRRP message in its IP payload (keepalived 2.4 auth_hmac appends 28); -8 for a v2
   *  advert without its 8 bytes of authentication data; -1 before the first advert. */
  trailerBytes = -1;
  /** Tracked only from a later advert: it arrived while its router's table was full or a flood was going
   *  on, and was admitted because it repeated (admission.ts); its first advert(s) were not tracked. */
  admittedByRepeat = false;
  constructor(
    /** The source address as four words (IPv4: src0 only), compared before any text is made. */
    readonly src0: number, readonly src1: number, readonly src2: number, readonly src3: number,
    ip: string, mac: string | null, t: number, readonly vlan: number,
  ) {
    this.ip = ip;
    this.mac = mac;
    this.firstSeen = t;
    this.lastSeen = t;
  }

  /** Checksum variant this source uses most (Ok, V2Style, OldUnicast) ignoring bad/unknown. */
  checksumFlavour(): number {
    const c = this.checksumCounts;
    let best = 0;
    if (c[1] > c[best]) best = 1;
    if (c[2] > c[best]) best = 2;
    return best;
  }

  /** Take one advert sent at `t` (`multicast`: to a multicast group): counts, configuration as advertised,
   *  destination, length, TTL and checksum status. Returns true when something the other advertisers are
   *  compared on changed (config-compare.ts then runs), text is made only then. */
  observe(p: PacketRecord, t: number, multicast: boolean): boolean {
    let changed = false;
    this.adverts++;
    this.lastSeen = t;
    this.ipId = p.ipId;
    this.lastChecksum = p.checksum;
    if (p.intervalCs !== this.intervalCs) {
      this.intervalCs = p.intervalCs;
      this.intervalRaw = p.intervalRaw;
      this.intervalSeconds = p.intervalCs > 0 ? p.intervalCs / 100 : 1;
      changed = true;
    }
    if (p.version !== this.version) { this.version = p.version; changed = true; }
    if (p.authType !== this.authType || p.authHi !== this.authHi || p.authLo !== this.authLo) {
      this.authType = p.authType;
      this.authHi = p.authHi;
      this.authLo = p.authLo;
      this.authText = p.authType === 1 ? p.authText() : null;
      changed = true;
    }
    if (p.addrHash !== this.addressHash || p.count !== this.addressCount) {
      this.addressHash = p.addrHash;
      this.addressCount = p.count;
      this.addresses = p.addresses();
      changed = true;
    }
    if (multicast) {
      if (this.multicastAdverts++ === 0 && this.unicastAdverts > 0) changed = true;
    } else {
      if (this.unicastAdverts++ === 0) changed = true;
      if (p.dst0 !== this.lastUnicastDst0 || p.dst1 !== this.lastUnicastDst1 || p.dst2 !== this.lastUnicastDst2 || p.dst3 !== this.lastUnicastDst3) {
        this.lastUnicastDst0 = p.dst0; this.lastUnicastDst1 = p.dst1; this.lastUnicastDst2 = p.dst2; this.lastUnicastDst3 = p.dst3;
        if (this.unicastPeers.length < MAX_UNICAST_PEERS) {
          const d = p.dstText();
          if (this.unicastPeers.indexOf(d) < 0) this.unicastPeers.push(d);
        }
      }
    }
    // length as keepalived checks it: a node whose adverts are longer (or shorter) than the others' is
    // dropped by them ('vrrp packet too long/short')
    const trailer = p.authDataMissing === true ? -8 : p.trailingBytes;
    if (trailer !== this.trailerBytes) { this.trailerBytes = trailer; changed = true; }
    const ttl = p.ttl;
    if (ttl < this.ttlMin) this.ttlMin = ttl;
    if (ttl > this.ttlMax) this.ttlMax = ttl;
    this.lastTtlBad = multicast && ttl !== 255;
    if (this.lastTtlBad) this.badTtlAdverts++;
    const cs = p.checksumStatus;
    if (cs <= 4) this.checksumCounts[cs]++;
    // a checksum flavour new for this source: the v3 flavour comparison may change
    if ((cs === Checksum.V2Style || cs === Checksum.OldUnicast) && this.checksumCounts[cs] === 1) changed = true;
    return changed;
  }

  /** A priority other than the last one, at `t`: kept in the bounded history. */
  notePriority(priority: number, t: number): void {
    if (this.priorityHistory.length >= MAX_PRIORITY_HISTORY) this.priorityHistory.shift();
    this.priorityHistory.push({ t, priority });
    this.priority = priority;
  }

  /** One measured interval (s) into the running mean and variance (Welford). The fast path in
   *  analyzer.ts has its own copy: a double passed to a call that is not inlined would be boxed. */
  addIntervalSample(dt: number): void {
    const n = ++this.intervalSamples;
    const delta = dt - this.intervalMean;
    this.intervalMean += delta / n;
    this.intervalM2 += delta * (dt - this.intervalMean);
  }

  /** Ever advertised priority 255 (the address owner). */
  claimedOwner(): boolean {
    return this.priority === 255 || this.priorityHistory.some((h) => h.priority === 255);
  }
}

/** True when `a` beats `b` in an election: the higher priority, then the higher IP address. */
export function beats(a: SourceState, b: SourceState): boolean {
  if (a.priority !== b.priority) return a.priority > b.priority;
  if (a.src0 !== b.src0) return a.src0 >>> 0 > b.src0 >>> 0;
  if (a.src1 !== b.src1) return a.src1 >>> 0 > b.src1 >>> 0;
  if (a.src2 !== b.src2) return a.src2 >>> 0 > b.src2 >>> 0;
  return a.src3 >>> 0 > b.src3 >>> 0;
}

/** The first ordered pair of distinct sources for which `pred` holds, null when none. */
export function firstPair(sources: readonly SourceState[], pred: (x: SourceState, y: SourceState) => boolean): [SourceState, SourceState] | null {
  for (const x of sources) for (const y of sources) if (x !== y && pred(x, y)) return [x, y];
  return null;
}

/** A destination address (first word) that is a multicast group. */
export function isMulticast(family: number, dst0: number): boolean {
  return family === 6 ? (dst0 >>> 24) === 0xff : (dst0 >>> 28) === 0xe;
}
