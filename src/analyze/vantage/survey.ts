// The first pass over each capture of a vantage-point reading (docs/analysis.md §14): what it holds —
// its time span, its frames and adverts, the virtual routers and sources it saw — and, per source, a
// bounded sample of adverts from which the clocks' offset between captures is measured (clock-offset.ts).
// Pure: it is handed decoded records (src/vantage/survey-sink.ts reads and decodes).
//
// The sample keeps the adverts whose IP ID is a multiple of a stride (a power of two, doubled whenever the
// sample is full), so two captures of the same adverts keep the same ones whatever their length or start.
// Sources without a usable IP ID (IPv6; an implementation that sends a constant one) keep their first
// OFFSET_SAMPLES adverts instead and are matched by time and checksum alone.
import type { PacketRecord } from '../../decode/packet.js';
import { MAX_SURVEY_ROUTERS, MAX_SURVEY_SOURCES, OFFSET_SAMPLES } from './limits.js';

export interface SourceSample {
  /** Address text, family, and the source MAC (macHi -1: the link has none). */
  src: string;
  family: number;
  macHi: number;
  macLo: number;
  /** Address words, for comparing without text. */
  w0: number; w1: number; w2: number; w3: number;
  adverts: number;
  /** Its advertised interval (s), the last seen: IP IDs repeat after 65536 of them. */
  interval: number;
  /** Router keys (family + VRID, no VLAN) it advertised for. */
  routers: string[];
  /** Sampled adverts: IP ID (-1 without), checksum, time (the capture's own clock). */
  ids: number[];
  sums: number[];
  times: number[];
  /** IP IDs sampled when ipId % stride === 0; 0 = no usable IP ID (first adverts kept). */
  stride: number;
}

/** A number that tells sources apart (address words and MAC); equal keys are compared field by field. A small
 *  integer (30 bits), so that a Map lookup with it allocates nothing. */
export function sourceHash(family: number, w0: number, w1: number, w2: number, w3: number, macHi: number, macLo: number): number {
  let h = 0x811c9dc5 ^ family;
  h = Math.imul(h ^ w0, 0x01000193); h = Math.imul(h ^ w1, 0x01000193);
  h = Math.imul(h ^ w2, 0x01000193); h = Math.imul(h ^ w3, 0x01000193);
  h = Math.imul(h ^ macLo, 0x01000193); h = Math.imul(h ^ macHi, 0x01000193);
  return h & 0x3fffffff;
}

export function routerText(family: number, vrid: number): string {
  return `v${family}/${vrid}`;
}

export class Survey {
  frames = 0;
  adverts = 0;
  /** First and last frame time (any frame), the capture's own clock. */
  first: number | null = null;
  last: number | null = null;
  readonly sources = new Map<number, SourceSample>();
  sourcesLeftOut = 0;
  readonly routers = new Set<string>();
  routersLeftOut = 0;

  /** Every frame: the span. */
  frame(t: number): void {
    this.frames++;
    if (this.first === null || t < this.first) this.first = t;
    if (this.last === null || t > this.last) this.last = t;
  }

  /** A decoded advert (after frame()). */
  advert(p: PacketRecord, t: number): void {
    this.adverts++;
    const key = sourceHash(p.family, p.src0, p.src1, p.src2, p.src3, p.macHi, p.macLo);
    let s = this.sources.get(key);
    if (s !== undefined && (s.w0 !== p.src0 || s.w1 !== p.src1 || s.w2 !== p.src2 || s.w3 !== p.src3 || s.macHi !== p.macHi || s.macLo !== p.macLo)) {
      this.sourcesLeftOut++;
      return;
    }
    if (s === undefined) {
      if (this.sources.size >= MAX_SURVEY_SOURCES) { this.sourcesLeftOut++; return; }
      s = {
        src: p.srcText(), family: p.family, macHi: p.macHi, macLo: p.macLo, w0: p.src0, w1: p.src1, w2: p.src2, w3: p.src3,
        adverts: 0, interval: 1, routers: [], ids: [], sums: [], times: [], stride: p.family === 6 || p.ipId < 0 ? 0 : 1,
      };
      this.sources.set(key, s);
    }
    s.adverts++;
    if (p.intervalCs > 0) s.interval = p.intervalCs / 100;
    const rt = routerText(p.family, p.vrid);
    if (s.routers.length < 8 && !s.routers.includes(rt)) s.routers.push(rt);
    if (!this.routers.has(rt)) {
      if (this.routers.size < MAX_SURVEY_ROUTERS) this.routers.add(rt);
      else this.routersLeftOut++;
    }
    sample(s, p.ipId, p.checksum, t);
  }
}

function sample(s: SourceSample, ipId: number, sum: number, t: number): void {
  if (s.stride === 0) {
    if (s.times.length < OFFSET_SAMPLES) { s.ids.push(-1); s.sums.push(sum); s.times.push(t); }
    return;
  }
  if ((ipId & (s.stride - 1)) !== 0) return;
  s.ids.push(ipId); s.sums.push(sum); s.times.push(t);
  if (s.ids.length < OFFSET_SAMPLES) return;
  // full: keep every other IP ID class
  const stride = s.stride * 2;
  let n = 0;
  for (let i = 0; i < s.ids.length; i++) {
    if ((s.ids[i] & (stride - 1)) !== 0) continue;
    s.ids[n] = s.ids[i]; s.sums[n] = s.sums[i]; s.times[n] = s.times[i]; n++;
  }
  if (n > (OFFSET_SAMPLES * 3) / 4 || stride > 65536) {
    // the IP IDs do not vary (a constant ID): keep the first adverts, matched by time alone
    s.ids.fill(-1); s.stride = 0;
    return;
  }
  s.ids.length = n; s.sums.length = n; s.times.length = n;
  s.stride = stride;
}
