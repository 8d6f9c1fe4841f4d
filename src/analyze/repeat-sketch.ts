// Two small fixed-size sketches for what the wire sends beyond the analyzer's limits (admission.ts):
// - RepeatSketch: "was this key seen a little while ago?" — two generations of a cache-line-blocked Bloom
//   filter, rotated every REPEAT_WINDOW seconds of packet time (or when a generation holds
//   REPEAT_GENERATION_KEYS keys); a key is remembered for at least one window and at most two. A
//   newcomer that repeats within that time is periodic (a real node advertises every interval); a
//   flood's random sources practically never repeat.
// - DistinctCounter: about how many distinct keys were seen (HyperLogLog, 4096 one-byte registers,
//   standard error 1.04 / sqrt(4096) = 1.6 %).
// Both take a key already hashed (keyHash: two 32-bit words, murmur3-style mixing); no allocation per
// key. Memory: 2 × REPEAT_SKETCH_BYTES, allocated at the first key (a capture with nothing beyond the
// limits never pays for it), plus 4 KiB per counter.
//
// False positives (a key never seen reported as seen) of one generation holding n keys in b blocks of
// 512 bits, k = 6 bits per key in one block: sum over j of Poisson(j; n/b) × (1 − (1 − 1/512)^(6j))^6.
// With 4 MiB (b = 65,536) and n = 400,000 (a 100,000 adverts/s flood over a 4 s window) that is about
// 4e-7 per generation, under 1e-6 for the two (test/flood.test.ts measures it); at the key cap
// (n = 1,000,000) about 3e-5.
import { REPEAT_GENERATION_KEYS, REPEAT_SKETCH_BYTES, REPEAT_WINDOW } from './limits.js';

const C1 = 0xcc9e2d51, C2 = 0x1b873593;

function mixWord(h: number, w: number): number {
  w = Math.imul(w, C1);
  w = (w << 15) | (w >>> 17);
  w = Math.imul(w, C2);
  h ^= w;
  h = (h << 13) | (h >>> 19);
  return (Math.imul(h, 5) + 0xe6546b64) | 0;
}

function finish(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** The two hash words of the last keyHash() call (no allocation per key). */
export const hashOut = new Uint32Array(2);

/** Hash a router key (a non-negative integer below 2^53), a source address (four words) and a source MAC
 *  (two words) — all six 0 for the router alone — into hashOut[0], hashOut[1]. */
export function keyHash(routerKey: number, s0: number, s1: number, s2: number, s3: number, m0: number, m1: number): void {
  const lo = routerKey % 4294967296 | 0, hi = Math.floor(routerKey / 4294967296) | 0;
  let a = mixWord(mixWord(mixWord(mixWord(mixWord(mixWord(mixWord(mixWord(0x9747b28c, lo), hi), s0), s1), s2), s3), m0), m1);
  let b = mixWord(mixWord(mixWord(mixWord(mixWord(mixWord(mixWord(mixWord(0x5bd1e995, m1), s3), s2), lo), m0), s1), hi), s0);
  a = finish(a ^ 32);
  b = finish(b ^ 32);
  hashOut[0] = a;
  hashOut[1] = b;
}

const BLOCK_WORDS = 16; // 512 bits, one cache line

export class RepeatSketch {
  private current: Uint32Array;
  private previous: Uint32Array;
  private readonly blockMask: number;
  /** Packet time the current generation began, -1 before the first key. */
  private since = -1;
  private keys = 0;
  /** Generations started (tests, docs). */
  rotations = 0;

  constructor(bytes = REPEAT_SKETCH_BYTES, private readonly window = REPEAT_WINDOW, private readonly maxKeys = REPEAT_GENERATION_KEYS) {
    const words = bytes >>> 2;
    this.current = new Uint32Array(words);
    this.previous = new Uint32Array(words);
    this.blockMask = words / BLOCK_WORDS - 1;
    if ((this.blockMask & (this.blockMask + 1)) !== 0) throw new Error('RepeatSketch: size must be 64 bytes times a power of two');
  }

  /** Was the key of the last keyHash() seen within the window before `t`? Remembers it either way. */
  seenAndAdd(t: number): boolean {
    if (this.since < 0) this.since = t;
    else if (t - this.since >= this.window || this.keys >= this.maxKeys) this.rotate(t);
    const h1 = hashOut[0], h2 = hashOut[1];
    const base = (h1 & this.blockMask) * BLOCK_WORDS;
    // six bit positions in the block, 9 bits each: three from h2, three from a third word mixed from both
    const p0 = h2 & 511, p1 = (h2 >>> 9) & 511, p2 = (h2 >>> 18) & 511;
    const h3 = finish(h1 ^ h2);
    const p3 = h3 & 511, p4 = (h3 >>> 9) & 511, p5 = (h3 >>> 18) & 511;
    const seen = has(this.current, base, p0, p1, p2, p3, p4, p5) || has(this.previous, base, p0, p1, p2, p3, p4, p5);
    const c = this.current;
    c[base + (p0 >>> 5)] |= 1 << (p0 & 31);
    c[base + (p1 >>> 5)] |= 1 << (p1 & 31);
    c[base + (p2 >>> 5)] |= 1 << (p2 & 31);
    c[base + (p3 >>> 5)] |= 1 << (p3 & 31);
    c[base + (p4 >>> 5)] |= 1 << (p4 & 31);
    c[base + (p5 >>> 5)] |= 1 << (p5 & 31);
    this.keys++;
    return seen;
  }

  private rotate(t: number): void {
    const old = this.previous;
    this.previous = this.current;
    old.fill(0);
    this.current = old;
    this.since = t;
    this.keys = 0;
    this.rotations++;
  }
}

function has(f: Uint32Array, base: number, p0: number, p1: number, p2: number, p3: number, p4: number, p5: number): boolean {
  return (f[base + (p0 >>> 5)] & (1 << (p0 & 31))) !== 0 && (f[base + (p1 >>> 5)] & (1 << (p1 & 31))) !== 0 &&
    (f[base + (p2 >>> 5)] & (1 << (p2 & 31))) !== 0 && (f[base + (p3 >>> 5)] & (1 << (p3 & 31))) !== 0 &&
    (f[base + (p4 >>> 5)] & (1 << (p4 & 31))) !== 0 && (f[base + (p5 >>> 5)] & (1 << (p5 & 31))) !== 0;
}

const HLL_BITS = 12;
const HLL_M = 1 << HLL_BITS;

/** About how many distinct keys were added (HyperLogLog over hashOut[0]). */
export class DistinctCounter {
  private readonly reg = new Uint8Array(HLL_M);

  /** Add the key of the last keyHash(). */
  add(): void {
    const h = hashOut[0];
    const i = h >>> (32 - HLL_BITS);
    const rank = Math.min(Math.clz32((h << HLL_BITS) | (1 << (HLL_BITS - 1))) + 1, 32 - HLL_BITS + 1);
    if (rank > this.reg[i]) this.reg[i] = rank;
  }

  /** The estimate, rounded (0 when nothing was added). */
  estimate(): number {
    let sum = 0, zeros = 0;
    for (let i = 0; i < HLL_M; i++) {
      sum += 2 ** -this.reg[i];
      if (this.reg[i] === 0) zeros++;
    }
    if (zeros === HLL_M) return 0;
    const alpha = 0.7213 / (1 + 1.079 / HLL_M);
    let e = (alpha * HLL_M * HLL_M) / sum;
    if (e <= 2.5 * HLL_M && zeros > 0) e = HLL_M * Math.log(HLL_M / zeros);
    else if (e > 4294967296 / 30) e = -4294967296 * Math.log(1 - e / 4294967296);
    return Math.round(e);
  }
}
