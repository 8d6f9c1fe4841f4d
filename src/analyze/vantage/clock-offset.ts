// How far apart the captures' clocks are (docs/analysis.md §14.1): from the adverts two captures both saw
// — the same source and MAC, IP ID and checksum — the time differences of the matched pairs cluster at
// the clocks' offset (plus the network's delay, microseconds on one segment). Without IP IDs (IPv6) every
// advert of a source pairs with every other, and only the true offset gathers the pairs within
// ±NOID_CLUSTER: an advert timer regular to the microsecond cannot be aligned, and is said so. The densest cluster wins if
// it holds OFFSET_MIN_PAIRS pairs and twice as many as any other (a restarted keepalived counts from 1
// again: such pairs scatter; an IP ID repeats after 65536 adverts, so pairs further apart than half that
// time are not considered); its median is the offset, and 90 % of its
// differences within ±spread of it (inside the cluster, so never above its width: drifting clocks are not
// detected, their pairs only leave the cluster). Each capture is then tied to the first through the pairs with the
// most matched adverts. Captures that cannot be tied are either taken at another time (they saw the same
// sources but never the same advert), or on an unrelated segment (no virtual router in common), or hold
// no VRRP at all: the reading stops with one line saying which. A capture with a router in common whose
// sources never reached the others' wires (each node hears only itself) is read on its own clock, said so.
// Pure: plain numbers in, plain numbers and text out.
import { utcClock, fmt } from '../evidence-text.js';
import { NOID_CLUSTER, OFFSET_CLUSTER, OFFSET_MIN_PAIRS } from './limits.js';
import type { SourceSample, Survey } from './survey.js';

export interface PairMeasure {
  /** Time differences t(b) − t(a) of the matched adverts of the densest cluster: median, count, spread. */
  offset: number;
  pairs: number;
  spread: number;
}

export type PairResult =
  | { kind: 'measured'; m: PairMeasure }
  /** Pairs found, but no cluster stands out: too few pairs, or several offsets fit (IPv6 adverts matched by
   *  time alone, too regular to tell; IP IDs counted again after a restart). `byId`: the pairs had IP IDs. */
  | { kind: 'ambiguous'; best: number; second: number; byId: boolean }
  /** A source in common but no advert seen by both. */
  | { kind: 'disjoint' }
  /** No source in common. */
  | { kind: 'unrelated' };

type Ambiguous = Extract<PairResult, { kind: 'ambiguous' }>;

export interface Alignment {
  ok: true;
  /** Seconds to add to each capture's times (0 for the first). */
  offsets: number[];
  how: ('reference' | 'measured' | 'assumed')[];
  against: (number | null)[];
  pairs: number[];
  spread: (number | null)[];
  notes: string[];
}

export type AlignResult = Alignment | { ok: false; message: string };

/** Longest search for a pair without IP ID (seconds either way). */
const NOID_SEARCH = 3600;
/** Largest clock offset considered between adverts with the same IP ID: half the time its IP IDs take to
 *  repeat (65536 adverts), at most 12 h — so a long capture's wrapped IP IDs never pair across the wrap. */
const MAX_ID_OFFSET = 43200;

function sameSource(a: SourceSample, b: SourceSample): boolean {
  return a.family === b.family && a.w0 === b.w0 && a.w1 === b.w1 && a.w2 === b.w2 && a.w3 === b.w3 && a.macHi === b.macHi && a.macLo === b.macLo;
}

/** Time differences of the adverts of one source both samples hold. */
function pairDiffs(a: SourceSample, b: SourceSample, withIds: number[], withoutIds: number[]): void {
  if (a.stride > 0 && b.stride > 0) {
    const stride = Math.max(a.stride, b.stride);
    const lim = Math.min(MAX_ID_OFFSET, 32768 * Math.min(a.interval, b.interval));
    const byId = new Map<number, number[]>();
    for (let j = 0; j < b.ids.length; j++) {
      if ((b.ids[j] & (stride - 1)) !== 0) continue;
      const l = byId.get(b.ids[j]);
      if (l === undefined) byId.set(b.ids[j], [j]); else l.push(j);
    }
    for (let i = 0; i < a.ids.length; i++) {
      if ((a.ids[i] & (stride - 1)) !== 0) continue;
      const l = byId.get(a.ids[i]);
      if (l === undefined) continue;
      for (const j of l) {
        const d = b.times[j] - a.times[i];
        if (b.sums[j] === a.sums[i] && d < lim && d > -lim) withIds.push(d);
      }
    }
    return;
  }
  for (let i = 0; i < a.times.length; i++) {
    for (let j = 0; j < b.times.length; j++) {
      const d = b.times[j] - a.times[i];
      if (b.sums[j] === a.sums[i] && d <= NOID_SEARCH && d >= -NOID_SEARCH) withoutIds.push(d);
    }
  }
}

/** The densest cluster of sorted differences (window 2 × OFFSET_CLUSTER) and the best count elsewhere. */
export function densest(d: number[], half: number): { lo: number; hi: number; count: number; second: number } {
  let best = 0, bi = 0, bj = 0;
  for (let i = 0, j = 0; i < d.length; i++) {
    while (j < d.length && d[j] - d[i] <= 2 * half) j++;
    if (j - i > best) { best = j - i; bi = i; bj = j; }
  }
  const lo = d[bi], hi = d[bj - 1];
  let second = 0;
  for (let i = 0, j = 0; i < d.length; i++) {
    while (j < d.length && d[j] - d[i] <= 2 * half) j++;
    // windows clear of the best one
    if (d[i] > hi + 2 * half || d[j - 1] < lo - 2 * half) second = Math.max(second, j - i);
  }
  return { lo, hi, count: best, second };
}

function median(sorted: number[]): number {
  const n = sorted.length;
  return n % 2 === 1 ? sorted[(n - 1) / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
}

/** The clocks' offset between two captures: t(b) ≈ t(a) + offset. */
export function measurePair(a: Survey, b: Survey): PairResult {
  const withIds: number[] = [];
  const withoutIds: number[] = [];
  let common = false;
  for (const [k, s] of a.sources) {
    const t = b.sources.get(k);
    if (t === undefined || !sameSource(s, t)) continue;
    common = true;
    pairDiffs(s, t, withIds, withoutIds);
  }
  if (!common) return { kind: 'unrelated' };
  const d = withIds.length > 0 ? withIds : withoutIds;
  if (d.length === 0) return { kind: 'disjoint' };
  d.sort((x, y) => x - y);
  // without IP IDs every advert pairs with every other: only the true offset gathers them within microseconds
  const c = densest(d, withIds.length > 0 ? OFFSET_CLUSTER : NOID_CLUSTER);
  if (c.count < OFFSET_MIN_PAIRS || c.count < 2 * c.second) return { kind: 'ambiguous', best: c.count, second: c.second, byId: withIds.length > 0 };
  const inside = d.filter((x) => x >= c.lo && x <= c.hi);
  const med = median(inside);
  const dev = inside.map((x) => Math.abs(x - med)).sort((x, y) => x - y);
  return { kind: 'measured', m: { offset: med, pairs: inside.length, spread: dev[Math.min(dev.length - 1, Math.floor(dev.length * 0.9))] } };
}

/** Tie every capture to the first (offsets), or say in one line why they cannot be read together. */
export function alignClocks(names: readonly string[], surveys: readonly Survey[]): AlignResult {
  const k = surveys.length;
  for (let i = 0; i < k; i++) {
    if (surveys[i].adverts === 0) return { ok: false, message: `${names[i]} holds no VRRP advert: there is nothing to compare with the other captures; read it on its own` };
  }
  const res: PairResult[][] = [];
  for (let i = 0; i < k; i++) {
    res.push([]);
    for (let j = 0; j < k; j++) res[i].push(j > i ? measurePair(surveys[i], surveys[j]) : { kind: 'unrelated' });
  }
  const pair = (i: number, j: number): PairResult => (i < j ? res[i][j] : res[j][i]);
  const offsets = new Array<number>(k).fill(0);
  const how: Alignment['how'] = new Array(k).fill('reference');
  const against = new Array<number | null>(k).fill(null);
  const pairs = new Array<number>(k).fill(0);
  const spread = new Array<number | null>(k).fill(null);
  const notes: string[] = [];
  const tied = new Array<boolean>(k).fill(false);
  tied[0] = true;
  // Prim: always the measured pair with the most matched adverts between a tied and an untied capture
  for (;;) {
    let bi = -1, bj = -1, bn = 0;
    for (let i = 0; i < k; i++) {
      if (!tied[i]) continue;
      for (let j = 0; j < k; j++) {
        if (tied[j] || i === j) continue;
        const r = pair(i, j);
        if (r.kind === 'measured' && r.m.pairs > bn) { bi = i; bj = j; bn = r.m.pairs; }
      }
    }
    if (bj < 0) break;
    const r = pair(bi, bj) as { kind: 'measured'; m: PairMeasure };
    // t(j) ≈ t(i) + d when i < j (else − d); j's times + offset(j) are on i's corrected clock
    const d = bi < bj ? r.m.offset : -r.m.offset;
    offsets[bj] = offsets[bi] - d;
    how[bj] = 'measured'; against[bj] = bi; pairs[bj] = r.m.pairs; spread[bj] = r.m.spread;
    tied[bj] = true;
  }
  const routerShared = (i: number, j: number): boolean => [...surveys[i].routers].some((x) => surveys[j].routers.has(x));
  const overlapRaw = (i: number, j: number): boolean =>
    surveys[i].first !== null && surveys[j].first !== null && surveys[i].first! <= surveys[j].last! && surveys[j].first! <= surveys[i].last!;
  // a router in common but no source in common (each node hears only itself): read on its own clock
  for (let progress = true; progress;) {
    progress = false;
    for (let j = 0; j < k; j++) {
      if (tied[j]) continue;
      for (let i = 0; i < k; i++) {
        if (!tied[i] || pair(i, j).kind !== 'unrelated' || !routerShared(i, j) || !overlapRaw(i, j)) continue;
        offsets[j] = offsets[i]; how[j] = 'assumed'; against[j] = i; tied[j] = true; progress = true;
        notes.push(`${names[j]} and ${names[i]} saw no advert in common (each saw other sources of the same virtual router): ` +
          `their clocks cannot be compared, so ${names[j]} is read on its own clock`);
        break;
      }
    }
  }
  for (let j = 0; j < k; j++) {
    if (tied[j]) continue;
    const others = [...Array(k).keys()].filter((i) => i !== j);
    const amb = others.map((i) => pair(i, j)).find((r): r is Ambiguous => r.kind === 'ambiguous');
    if (amb !== undefined) {
      return { ok: false, message: `the clocks of ${names[j]} and the other captures cannot be aligned: ${ambiguity(amb)}; read the captures one at a time` };
    }
    if (others.some((i) => pair(i, j).kind === 'disjoint')) {
      const i = others.find((x) => pair(x, j).kind === 'disjoint')!;
      return { ok: false, message: `${names[j]} and ${names[i]} do not overlap in time: they saw the same sources but never the same advert ` +
        `(${names[i]} ${span(surveys[i])}, ${names[j]} ${span(surveys[j])}, each on its own clock); read them one at a time` };
    }
    if (others.some((i) => routerShared(i, j))) {
      const i = others.find((x) => routerShared(x, j))!;
      return { ok: false, message: `${names[j]} and ${names[i]} do not overlap in time (${names[i]} ${span(surveys[i])}, ${names[j]} ${span(surveys[j])}, ` +
        'each on its own clock; no advert in common); read them one at a time' };
    }
    return { ok: false, message: `${names[j]} has no virtual router in common with the other captures (${routersText(surveys[j])} against ` +
      `${others.map((i) => routersText(surveys[i])).join('; ')}): captures of unrelated segments are not read together` };
  }
  for (let j = 1; j < k; j++) {
    if (how[j] === 'measured' && Math.abs(offsets[j]) >= 1e-3) {
      notes.push(`${names[j]}'s clock is ${fmt(Math.abs(offsets[j]), 6)} s ${offsets[j] < 0 ? 'ahead of' : 'behind'} ${names[0]}'s`);
    }
  }
  return { ok: true, offsets, how, against, pairs, spread, notes };
}

/** Why the adverts two captures both saw fix no offset, from what they carry and how the pairs fell. */
function ambiguity(amb: Ambiguous): string {
  const fewer = amb.best < OFFSET_MIN_PAIRS;
  const counts = fewer ? `${amb.best} at the likeliest offset, ${OFFSET_MIN_PAIRS} needed` : `${amb.best} against ${amb.second} matches`;
  if (amb.byId) {
    return 'the adverts both saw, matched by IP ID, ' +
      (fewer ? `are too few to measure their offset (${counts})` : `fit several offsets (${counts}: IP IDs counted again after a restart, or wrapped)`);
  }
  return 'the adverts both saw carry no IP ID and ' + (fewer ? `too few of them line up in time (${counts})` : `their timing fits several offsets (${counts})`);
}

function span(s: Survey): string {
  return s.first === null ? 'empty' : `${day(s.first)} ${utcClock(s.first)} to ${day(s.last!)} ${utcClock(s.last!)}`;
}

function routersText(s: Survey): string {
  return [...s.routers].map((r) => `VRID ${r.slice(r.indexOf('/') + 1)}${r.startsWith('v6') ? ' (IPv6)' : ''}`).join(', ') || 'no router';
}

/** The UTC date of a packet time, YYYY-MM-DD, without Date (civil-from-days, H. Hinnant). */
export function day(t: number): string {
  const z = Math.floor(t / 86400) + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  const y = yoe + era * 400 + (m <= 2 ? 1 : 0);
  return `${y}-${m < 10 ? '0' : ''}${m}-${d < 10 ? '0' : ''}${d}`;
}
