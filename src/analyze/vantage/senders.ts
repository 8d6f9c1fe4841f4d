// The senders whose frames are timed across captures (docs/analysis.md §14.3): a sender is a host's MAC
// (adverts and ARP from it), or its address when the link has no MAC or the MAC is a VRRP virtual MAC
// (shared by whoever is master). Per sender: the source addresses its adverts carried, how often each
// capture marked its frames as sent by the capturing host, and — per pair of captures and per kind of frame
// (adverts, the rest: a host's raw-socket adverts and packet-socket ARP leave through different paths, tens
// of microseconds apart) — the time differences of its frames both saw (the first LEAD_SAMPLES). Bounded:
// MAX_ORIGINS senders.
import { LEAD_MIN_SAMPLES, LEAD_SAMPLES, MAX_ORIGINS } from './limits.js';

export class Sender {
  /** Source addresses of its adverts (a host with IPv4 and IPv6 instances has two). */
  readonly sources: string[] = [];
  /** Frames marked outgoing per capture. */
  readonly outgoing: number[];
  /** Per kind (0 adverts, 1 other frames) and pair index (i < j): t(j) − t(i) of its frames both saw. */
  private readonly diffs: Float64Array[];
  private readonly counts: Int32Array;
  private readonly pairs: number;

  constructor(readonly macHi: number, readonly macLo: number, readonly addr: number, private readonly k: number) {
    this.outgoing = new Array<number>(k).fill(0);
    this.pairs = (k * (k - 1)) / 2;
    this.diffs = [];
    for (let p = 0; p < 2 * this.pairs; p++) this.diffs.push(new Float64Array(LEAD_SAMPLES));
    this.counts = new Int32Array(2 * this.pairs);
  }

  private pairIndex(i: number, j: number): number {
    // i < j: row i starts after the pairs of the rows before it
    return i * this.k - (i * (i + 1)) / 2 + (j - i - 1);
  }

  addDiff(kind: 0 | 1, i: number, j: number, d: number): void {
    const p = kind * this.pairs + this.pairIndex(i, j);
    const n = this.counts[p];
    if (n < LEAD_SAMPLES) this.diffs[p][n] = d;
    this.counts[p] = n + 1;
  }

  /** t(y) − t(x) of its frames both captures saw — its adverts, else its other frames — sorted; null with
   *  fewer than LEAD_MIN_SAMPLES. */
  samples(x: number, y: number): number[] | null {
    return this.kindSamples(0, x, y) ?? this.kindSamples(1, x, y);
  }

  private kindSamples(kind: 0 | 1, x: number, y: number): number[] | null {
    if (x === y) return null;
    const i = Math.min(x, y), j = Math.max(x, y);
    const p = kind * this.pairs + this.pairIndex(i, j);
    const n = Math.min(this.counts[p], LEAD_SAMPLES);
    if (n < LEAD_MIN_SAMPLES) return null;
    const s = Array.from(this.diffs[p].subarray(0, n), (d) => (x < y ? d : -d));
    return s.sort((a, b) => a - b);
  }
}

/** VRRP virtual MACs (00:00:5e:00:01:xx IPv4, 00:00:5e:00:02:xx IPv6): they move with the master role. */
function virtualMac(hi: number, lo: number): boolean {
  return hi === 0x0000 && (lo >>> 8 === 0x5e0001 || lo >>> 8 === 0x5e0002);
}

export class Senders {
  readonly list: Sender[] = [];
  leftOut = 0;
  private readonly byKey = new Map<number, number[]>();

  constructor(private readonly k: number) {}

  /** The sender of a frame with this MAC (macHi -1: none) and address key; -1 when it cannot be told or
   *  the table is full. `byAddressOnly`: frames (ARP) whose address is not the sender's own. */
  find(macHi: number, macLo: number, addr: number, addressUsable: boolean): number {
    const useMac = macHi >= 0 && !virtualMac(macHi, macLo);
    if (!useMac && !addressUsable) return -1;
    // a small integer key (no allocation in the lookup); candidates are compared field by field
    const key = useMac ? (Math.imul(macLo ^ 0x5bd1e995, 0x01000193) ^ macHi) & 0x3fffffff : (addr & 0x3fffffff) ^ 0x20000000;
    const list = this.byKey.get(key);
    if (list !== undefined) {
      for (const i of list) {
        const s = this.list[i];
        if (useMac ? s.macHi === macHi && s.macLo === macLo : s.macHi < 0 && s.addr === addr) return i;
      }
    }
    if (this.list.length >= MAX_ORIGINS) { this.leftOut++; return -1; }
    this.list.push(new Sender(useMac ? macHi : -1, useMac ? macLo : 0, useMac ? -1 : addr, this.k));
    if (list === undefined) this.byKey.set(key, [this.list.length - 1]); else list.push(this.list.length - 1);
    return this.list.length - 1;
  }
}
