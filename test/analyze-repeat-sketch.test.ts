// The repeat sketch and the distinct counter of the flood admission (src/analyze/repeat-sketch.ts: part of the
// mutation part `sources`): the sketch's size, its generations and their rotation, the bits a key sets, the
// hashes (against a reference MurmurHash3 written from the published algorithm) and the distinct counter's
// estimate. The shipped captures drive this file only along its common paths, so the mutation run left these
// rules unwatched; each is asserted directly on the exported classes and functions.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { routerKey, tagOf } from '../src/analyze/router-state.js';
import { DistinctCounter, RepeatSketch, hashOut, keyHash, routerHash } from '../src/analyze/repeat-sketch.js';
import { v4, v6 } from './support/records.js';

// ---------------------------------------------------------------- repeat sketch and distinct counter

/** MurmurHash3 x86_32 of 32-bit words (little-endian blocks), written from the published algorithm. */
function murmur3(words: number[], seed: number): number {
  let h = seed | 0;
  for (const word of words) {
    let k = Math.imul(word | 0, 0xcc9e2d51);
    k = (k << 15) | (k >>> 17);
    k = Math.imul(k, 0x1b873593);
    h ^= k;
    h = (h << 13) | (h >>> 19);
    h = (Math.imul(h, 5) + 0xe6546b64) | 0;
  }
  h ^= words.length * 4;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

test('the reference MurmurHash3 of this file gives the published test vectors', () => {
  assert.equal(murmur3([], 0), 0);
  assert.equal(murmur3([], 1), 0x514e28b7);
  assert.equal(murmur3([], 0xffffffff), 0x81f16f39);
  assert.equal(murmur3([0], 0), 0x2362f9de);
  assert.equal(murmur3([0x61616161], 0x9747b28c), 0x5a97808a, '"aaaa"');
  assert.equal(murmur3([0x64636261], 0x9747b28c), 0xf0478627, '"abcd"');
});

test('keyHash: two MurmurHash3 passes over the router key (two words), the address (four) and the MAC (two)', () => {
  const keys: [number, number, number, number, number, number, number][] = [
    [0, 0, 0, 0, 0, 0, 0],
    [99, v4('10.0.0.1'), 0, 0, 0, 0x5254, 0x00aa0001],
    [routerKey(-1, 6, 7), ...v6('fe80::5054:ff:fe12:3456'), 0x5254, 0x00123456],
    [routerKey(tagOf(4095, 4095), 6, 255), 0xffffffff, 0x80000000 | 0, 1, 2, 0xffff, 0xffffffff],
    [2 ** 53 - 1, 1, 2, 3, 4, 5, 6],
  ];
  for (const [key, s0, s1, s2, s3, m0, m1] of keys) {
    const lo = key % 2 ** 32, hi = Math.floor(key / 2 ** 32);
    keyHash(key, s0, s1, s2, s3, m0, m1);
    assert.deepEqual([...hashOut], [
      murmur3([lo, hi, s0, s1, s2, s3, m0, m1], 0x9747b28c),
      murmur3([m1, s3, s2, lo, m0, s1, hi, s0], 0x5bd1e995),
    ], `key ${key}`);
  }
});

test('routerHash: distinct router keys spread, the part above 32 bits (QinQ keys) included', () => {
  const seen = new Set<number>();
  for (let key = 1; key <= 64; key++) {
    routerHash(key);
    seen.add(hashOut[0]);
  }
  assert.equal(seen.size, 64, 'no two of 64 small keys share a hash');
  const big = routerKey(tagOf(10, 4095), 4, 99);
  assert.ok(big > 2 ** 32);
  routerHash(big);
  const high = hashOut[0];
  routerHash(big % 2 ** 32);
  assert.notEqual(high, hashOut[0], 'keys equal in their low 32 bits');
  routerHash(big);
  assert.equal(hashOut[0], high, 'the same key, the same hash');
});

test('repeat sketch: its size must be 64 bytes times a power of two', () => {
  const clock = new Float64Array(1);
  for (const bytes of [0, 32, 192, 320]) {
    assert.throws(() => new RepeatSketch(clock, bytes), /^Error: RepeatSketch: size must be 64 bytes times a power of two$/, `${bytes} bytes`);
  }
  for (const bytes of [64, 128, 4096]) assert.doesNotThrow(() => new RepeatSketch(clock, bytes), `${bytes} bytes`);
});

/** A sketch of `bytes` per generation, the window and key cap given, and a function asking it for key `n` at `t`. */
function sketch(bytes: number, window: number, maxKeys: number): { sk: RepeatSketch; at: (t: number, n: number) => boolean } {
  const clock = new Float64Array(1);
  const sk = new RepeatSketch(clock, bytes, window, maxKeys);
  return {
    sk,
    at: (t, n) => {
      clock[0] = t;
      keyHash(SKETCH_ROUTER, SKETCH_ADDRESS + n, 0, 0, 0, 0x5254, n);
      return sk.seenAndAdd();
    },
  };
}
/** Key n of these tests: router v4/99, address 10.0.0.0 + n, MAC 52:54:00:00:00:00 + n. */
const SKETCH_ROUTER = routerKey(-1, 4, 99), SKETCH_ADDRESS = v4('10.0.0.0');

test('repeat sketch: a generation lasts one window from its first key; a key is remembered through the next one, then forgotten', () => {
  const { sk, at } = sketch(1024, 4, 1000);
  const A = 1, B = 2, C = 3, D = 4, E = 5;
  assert.equal(at(0, A), false);
  assert.equal(at(3, B), false);
  assert.equal(at(3.99, A), true, 'within the window');
  assert.equal(sk.rotations, 0);
  assert.equal(at(4, C), false);
  assert.equal(sk.rotations, 1, 'rotated one window after the first key (t = 0)');
  assert.equal(at(4.5, B), true, 'in the previous generation');
  assert.equal(at(7.99, D), false);
  assert.equal(sk.rotations, 1);
  assert.equal(at(8, E), false);
  assert.equal(sk.rotations, 2, 'one window after the last rotation');
  assert.equal(at(8.1, A), false, 'A was last seen in the generation now emptied');
  assert.equal(at(8.2, B), true, 'B was seen again at 4.5, in the generation kept');
  assert.equal(at(8.3, D), true);
});

test('repeat sketch: after a silence of two windows or more nothing from before it comes back', () => {
  const { sk, at } = sketch(1024, 4, 1000);
  assert.equal(at(0, 1), false);
  assert.equal(at(100, 1), false, 'seen 100 s ago: forgotten (both generations emptied)');
  assert.equal(sk.rotations, 2);
  assert.equal(at(101, 1), true, 'seen a second ago');
  // a silence of one window to two: the key of the generation before it is still remembered
  const { at: at2 } = sketch(1024, 4, 1000);
  assert.equal(at2(0, 7), false);
  assert.equal(at2(7.9, 7), true);
  assert.equal(at2(100, 7), false);
});

test('repeat sketch: a generation holding maxKeys keys is rotated early', () => {
  const { sk, at } = sketch(1024, 100, 2);
  assert.deepEqual([at(0, 1), at(1, 2)], [false, false]);
  assert.equal(sk.rotations, 0, 'two keys: full, not rotated yet');
  assert.equal(at(2, 3), false);
  assert.equal(sk.rotations, 1, 'the third key starts a generation');
  assert.equal(at(3, 1), true, 'the previous generation is still asked');
  assert.equal(at(4, 4), false);
  assert.equal(sk.rotations, 2);
  assert.equal(at(5, 1), true, 'key 1 was seen again at 3, in the generation kept');
  assert.equal(at(6, 2), false, 'key 2 was only in the generation emptied');
  assert.equal(sk.rotations, 3);
});

test('repeat sketch: with many blocks every key comes back and no new key is taken for a repeat', () => {
  const { sk, at } = sketch(64 * 64, 4, 1000);
  const keys = Array.from({ length: 48 }, (_, i) => 100 + i);
  assert.deepEqual(keys.map((n) => at(0, n)), keys.map(() => false), 'first time');
  assert.deepEqual(keys.map((n) => at(1, n)), keys.map(() => true), 'again');
  assert.deepEqual(keys.map((n) => at(2, n + 1000)), keys.map(() => false), 'others');
  assert.equal(sk.rotations, 0);
});

test('repeat sketch: a key is taken for a repeat only when all six of its bits are set, in either generation', () => {
  // One block of 512 bits, 6 bits set per key: after k keys a share p(k) = 1 - (1 - 1/512)^(6k) of the bits is set.
  // 78 keys (p = 0.60) are added, then keys never added are asked, four per sketch (each asked key is added to
  // the current generation). Such a key is taken for a repeat with probability p^6 when all six bits are looked
  // at, p^5 when only five are (or fewer, or either of two): over 4,000 keys about 190-210 against 310-340.
  // The bound is their geometric mean, some four standard deviations from each.
  const shareSet = (keys: number): number => 1 - (1 - 1 / 512) ** (6 * keys);
  const base = 78, sketches = 1000, asked = 4;
  for (const generation of ['current', 'previous']) {
    let falseRepeats = 0, sixBits = 0, fiveBits = 0;
    for (let block = 0; block < sketches; block++) {
      const { sk, at } = sketch(64, 4, 1000);
      for (let n = 0; n < base; n++) at(0, 1000 * block + n);
      for (let k = 0; k < asked; k++) {
        if (at(generation === 'current' ? 0 : 4, 1000 * block + 500 + k)) falseRepeats++;
        const p = shareSet(generation === 'current' ? base + k : base);
        sixBits += p ** 6;
        fiveBits += p ** 5;
      }
      assert.equal(sk.rotations, generation === 'current' ? 0 : 1);
    }
    const bound = Math.sqrt(sixBits * fiveBits);
    assert.ok(falseRepeats < bound, `${falseRepeats} false repeats in ${sketches * asked} keys never added, ${generation} generation ` +
      `(expected about ${Math.round(sixBits)}, bound ${Math.round(bound)})`);
  }
});

/** Set one register of a distinct counter to `rank` (1..21) through a crafted hash: the top 12 bits choose
 *  the register, the rank is 1 + the leading zeros of the next 20 bits (21 when they are all zero). */
function addRank(dc: DistinctCounter, register: number, rank: number): void {
  hashOut[0] = ((register << 20) | (rank <= 20 ? 1 << (20 - rank) : 0)) >>> 0;
  dc.add();
}

/** HyperLogLog's estimate as published (Flajolet et al. 2007) for m = 4096 registers: the raw estimate,
 *  linear counting for a small one with empty registers, the 32-bit correction for a large one. */
const ALPHA = 0.7213 / (1 + 1.079 / 4096);

test('distinct counter: nothing added is 0; small estimates use linear counting while registers are empty', () => {
  assert.equal(new DistinctCounter().estimate(), 0);
  const half = new DistinctCounter();
  for (let i = 0; i < 4096; i += 2) addRank(half, i, 1);
  assert.equal(half.estimate(), Math.round(4096 * Math.log(4096 / 2048)), 'half the registers empty');
  const one = new DistinctCounter();
  addRank(one, 7, 3);
  assert.equal(one.estimate(), 1);
});

test('distinct counter: the raw estimate once no register is empty, or when it is large; a register keeps its highest rank', () => {
  const all = new DistinctCounter();
  for (let i = 0; i < 4096; i++) addRank(all, i, 2);
  for (let i = 0; i < 4096; i++) addRank(all, i, 1);
  assert.equal(all.estimate(), Math.round(ALPHA * 4096 * 4096 / (4096 / 4)), 'every register at rank 2');
  const ones = new DistinctCounter();
  for (let i = 0; i < 4096; i++) addRank(ones, i, 1);
  assert.equal(ones.estimate(), Math.round(ALPHA * 4096 * 4096 / (4096 / 2)), 'every register at rank 1: small, but none empty');
  const oneEmpty = new DistinctCounter();
  for (let i = 1; i < 4096; i++) addRank(oneEmpty, i, 20);
  assert.equal(oneEmpty.estimate(), Math.round(ALPHA * 4096 * 4096 / (1 + 4095 / 2 ** 20)), 'one register empty, the raw estimate large');
});

test('distinct counter: a raw estimate above 2^32 / 30 gets the large-range correction', () => {
  for (const rank of [17, 20]) {
    const dc = new DistinctCounter();
    for (let i = 0; i < 4096; i++) addRank(dc, i, rank);
    const raw = ALPHA * 4096 * 2 ** rank;
    assert.ok(raw > 2 ** 32 / 30 && raw < 2 ** 32);
    assert.equal(dc.estimate(), Math.round(-(2 ** 32) * Math.log(1 - raw / 2 ** 32)), `every register at rank ${rank}`);
  }
});
