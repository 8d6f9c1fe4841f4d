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
// 512 bits, k = 6 bits per key in one block: about the sum over j of Poisson(j; n/b) × (1 − (1 − 1/512)^(6j))^6.
// With 2 MiB (b = 32,768) and n = 400,000 (a flood of 100,000 adverts/s over a 4 s window) that is about
// 6e-6 per generation, 1.2e-5 for the two: 36 in 3,000,000 random keys measured (4 MiB: 2, 1 MiB: 149);
// at the key cap (n = 500,000) about 2e-5. A false repeat admits a flood source, which stays pending until it
// sends again (it never does) and goes when room is needed or it ages out. Two 32-bit hash words: one word
// alone makes two of the 400,000 keys share it about 20 times per window, whatever the size.
import { REPEAT_GENERATION_KEYS, REPEAT_SKETCH_BYTES, REPEAT_WINDOW } from './limits.js';

const C1 = 0xcc9e2d51, C2 = 0x1b873593;

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
 *  (two words) — all six 0 for the router alone — into hashOut[0], hashOut[1]: two independent murmur3
 *  32-bit passes (64 bits: with one word, two keys among the 400,000 a second of a big flood leaves in the
 *  sketch would share it about 20 times per window, each a false repeat), written out: this runs once per
 *  advert beyond the limits. */
export function keyHash(routerKey: number, s0: number, s1: number, s2: number, s3: number, m0: number, m1: number): void {
  const lo = routerKey % 4294967296 | 0, hi = Math.floor(routerKey / 4294967296) | 0;
  let h = 0x9747b28c, g = 0x5bd1e995, w = 0, v = 0;
  w = Math.imul(lo, C1); w = Math.imul((w << 15) | (w >>> 17), C2); h ^= w; h = (Math.imul((h << 13) | (h >>> 19), 5) + 0xe6546b64) | 0;
  v = Math.imul(m1, C1); v = Math.imul((v << 15) | (v >>> 17), C2); g ^= v; g = (Math.imul((g << 13) | (g >>> 19), 5) + 0xe6546b64) | 0;
  w = Math.imul(hi, C1); w = Math.imul((w << 15) | (w >>> 17), C2); h ^= w; h = (Math.imul((h << 13) | (h >>> 19), 5) + 0xe6546b64) | 0;
  v = Math.imul(s3, C1); v = Math.imul((v << 15) | (v >>> 17), C2); g ^= v; g = (Math.imul((g << 13) | (g >>> 19), 5) + 0xe6546b64) | 0;
  w = Math.imul(s0, C1); w = Math.imul((w << 15) | (w >>> 17), C2); h ^= w; h = (Math.imul((h << 13) | (h >>> 19), 5) + 0xe6546b64) | 0;
  v = Math.imul(s2, C1); v = Math.imul((v << 15) | (v >>> 17), C2); g ^= v; g = (Math.imul((g << 13) | (g >>> 19), 5) + 0xe6546b64) | 0;
  w = Math.imul(s1, C1); w = Math.imul((w << 15) | (w >>> 17), C2); h ^= w; h = (Math.imul((h << 13) | (h >>> 19), 5) + 0xe6546b64) | 0;
  v = Math.imul(lo, C1); v = Math.imul((v << 15) | (v >>> 17), C2); g ^= v; g = (Math.imul((g << 13) | (g >>> 19), 5) + 0xe6546b64) | 0;
  w = Math.imul(s2, C1); w = Math.imul((w << 15) | (w >>> 17), C2); h ^= w; h = (Math.imul((h << 13) | (h >>> 19), 5) + 0xe6546b64) | 0;
  v = Math.imul(m0, C1); v = Math.imul((v << 15) | (v >>> 17), C2); g ^= v; g = (Math.imul((g << 13) | (g >>> 19), 5) + 0xe6546b64) | 0;
  w = Math.imul(s3, C1); w = Math.imul((w << 15) | (w >>> 17), C2); h ^= w; h = (Math.imul((h << 13) | (h >>> 19), 5) + 0xe6546b64) | 0;
  v = Math.imul(s1, C1); v = Math.imul((v << 15) | (v >>> 17), C2); g ^= v; g = (Math.imul((g << 13) | (g >>> 19), 5) + 0xe6546b64) | 0;
  w = Math.imul(m0, C1); w = Math.imul((w << 15) | (w >>> 17), C2); h ^= w; h = (Math.imul((h << 13) | (h >>> 19), 5) + 0xe6546b64) | 0;
  v = Math.imul(hi, C1); v = Math.imul((v << 15) | (v >>> 17), C2); g ^= v; g = (Math.imul((g << 13) | (g >>> 19), 5) + 0xe6546b64) | 0;
  w = Math.imul(m1, C1); w = Math.imul((w << 15) | (w >>> 17), C2); h ^= w; h = (Math.imul((h << 13) | (h >>> 19), 5) + 0xe6546b64) | 0;
  v = Math.imul(s0, C1); v = Math.imul((v << 15) | (v >>> 17), C2); g ^= v; g = (Math.imul((g << 13) | (g >>> 19), 5) + 0xe6546b64) | 0;
  hashOut[0] = finish(h ^ 32);
  hashOut[1] = finish(g ^ 32);
}

/** Hash a router key alone into hashOut[0] (for counting distinct routers; cheaper than keyHash()). */
export function routerHash(routerKey: number): void {
  hashOut[0] = finish((routerKey % 4294967296 | 0) ^ Math.imul(finish(Math.floor(routerKey / 4294967296) ^ 0x27d4eb2f), 0x9e3779b1));
}

const BLOCK_WORDS = 16; // 512 bits, one cache line

export class RepeatSketch {
  /** Both generations, interleaved: block i of one at words 32i..32i+15, of the other at 32i+16..32i+31,
   *  so that a look-up in both reads two adjacent cache lines (one memory access with the adjacent-line
   *  prefetch), not two far apart. */
  private readonly words: Uint32Array;
  /** Offset (0 or 16) of the current generation within each pair of blocks. */
  private cur = 0;
  private readonly blockMask: number;
  /** Packet time the current generation began, -1 before the first key. */
  private since = -1;
  private keys = 0;
  /** Generations started (tests, docs). */
  rotations = 0;

  /** `clock[0]`: the current packet's time (read, not passed: a double argument to a call that is not inlined
   *  is boxed, a heap number per advert); `bytes`: the size of one generation (two are kept). */
  constructor(private readonly clock: Float64Array, bytes = REPEAT_SKETCH_BYTES, private readonly window = REPEAT_WINDOW,
    private readonly maxKeys = REPEAT_GENERATION_KEYS) {
    const blocks = bytes >>> 6;
    this.words = new Uint32Array(blocks * 2 * BLOCK_WORDS);
    this.blockMask = blocks - 1;
    if (blocks === 0 || (this.blockMask & blocks) !== 0) throw new Error('RepeatSketch: size must be 64 bytes times a power of two');
  }

  /** Was the key of the last keyHash() seen within the window before now? Remembers it either way. */
  seenAndAdd(): boolean {
    const t = this.clock[0];
    if (this.since < 0) this.since = t;
    else if (t - this.since >= this.window || this.keys >= this.maxKeys) {
      // after two windows or more without a key, the older generation is at least a window old too: both go
      // (one rotation would bring it back as the previous one, and a key from long ago would repeat)
      if (t - this.since >= 2 * this.window) this.rotate();
      this.rotate();
    }
    const h1 = hashOut[0], h2 = hashOut[1];
    const f = this.words;
    const pair = (h1 & this.blockMask) * 2 * BLOCK_WORDS;
    const c = pair + this.cur, o = pair + (this.cur ^ BLOCK_WORDS);
    // six bit positions in the block, 9 bits each: three from the second word, three from a third mixed
    // from both (the first word's low bits chose the block: using them again would tie the bits to it)
    const h3 = finish(h2 ^ (h1 >>> 16) ^ 0x27d4eb2f);
    const p0 = h2 & 511, p1 = (h2 >>> 9) & 511, p2 = (h2 >>> 18) & 511;
    const p3 = h3 & 511, p4 = (h3 >>> 9) & 511, p5 = (h3 >>> 18) & 511;
    const w0 = p0 >>> 5, w1 = p1 >>> 5, w2 = p2 >>> 5, w3 = p3 >>> 5, w4 = p4 >>> 5, w5 = p5 >>> 5;
    const b0 = 1 << (p0 & 31), b1 = 1 << (p1 & 31), b2 = 1 << (p2 & 31), b3 = 1 << (p3 & 31), b4 = 1 << (p4 & 31), b5 = 1 << (p5 & 31);
    const seen = ((f[c + w0] & b0) !== 0 && (f[c + w1] & b1) !== 0 && (f[c + w2] & b2) !== 0 && (f[c + w3] & b3) !== 0 &&
      (f[c + w4] & b4) !== 0 && (f[c + w5] & b5) !== 0) ||
      ((f[o + w0] & b0) !== 0 && (f[o + w1] & b1) !== 0 && (f[o + w2] & b2) !== 0 && (f[o + w3] & b3) !== 0 &&
      (f[o + w4] & b4) !== 0 && (f[o + w5] & b5) !== 0);
    f[c + w0] |= b0; f[c + w1] |= b1; f[c + w2] |= b2; f[c + w3] |= b3; f[c + w4] |= b4; f[c + w5] |= b5;
    this.keys++;
    return seen;
  }

  private rotate(): void {
    // the older generation becomes the current one, emptied
    this.cur ^= BLOCK_WORDS;
    const f = this.words;
    for (let i = this.cur; i < f.length; i += 2 * BLOCK_WORDS) f.fill(0, i, i + BLOCK_WORDS);
    this.since = this.clock[0];
    this.keys = 0;
    this.rotations++;
  }
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
