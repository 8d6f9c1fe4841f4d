// Flood captures (classic pcap, Ethernet, µs), as a VRRP attack tool or a broken device makes them on a
// shared segment: VRRPv2 adverts with correct checksums, `spacingUs` apart (10 µs by default), from
// random source addresses and MACs with random priorities and virtual addresses:
// - 'one-vrid': every advert for VRID 99, untagged (the real pair's VRID);
// - 'random': random VRIDs, half of them untagged, the others on a random VLAN (1-4094).
// Optionally the real pair of VRID 99 (untagged, 10.0.0.1 prio 100 and 10.0.0.2 prio 80, auth PASS, 1 s)
// advertises among them: `realShare` makes every n-th flood slot an advert of the master (the issue's
// "1 % from the real master"); `pair` gives the master and the backup their own 1 s timelines, e.g. a
// backup that starts during the flood while the master goes on: a split brain inside the flood.
// Deterministic (a seeded xorshift), written in large chunks. Used by the flood tests, `npm run bench`
// and the live flood test (tcpreplay); `node dist/bench/flood-gen.js --help` for the command line.
import { PcapOut, Rng, csum } from './gen.js';

export interface FloodSpec {
  kind: 'one-vrid' | 'random';
  /** Flood adverts (the real pair's adverts come on top). */
  adverts: number;
  /** Time between two flood adverts, µs (default 10). */
  spacingUs?: number;
  /** Every `realEvery`-th flood slot is an advert of the real master instead (100: the 1 %); 0: none. */
  realEvery?: number;
  /** The real pair's own timelines, seconds relative to the flood's first advert: the master advertises
   *  every second from masterFrom to until, the backup from backupFrom to until. */
  pair?: { masterFrom: number; backupFrom: number; until: number };
  /** Flood adverts with this priority only (default: random 1-255). */
  priority?: number;
  seed?: number;
  /** Time of the flood's first advert, µs since the epoch (default 2025-11-28T12:00:00Z). */
  startUs?: number;
}

export const REAL_MASTER = '10.0.0.1';
export const REAL_BACKUP = '10.0.0.2';
export const REAL_VRID = 99;
const REAL_VIP = ((10 << 24) | 100) >>> 0;
const REAL_SRC = [((10 << 24) | 1) >>> 0, ((10 << 24) | 2) >>> 0];
const REAL_PRIO = [100, 80];
const REAL_MAC_LO = [1, 2];

/** One VRRPv2 advert to 224.0.0.18 with the given fields (auth PASS 'secret12' when `pass`, else none). */
function advert(out: PcapOut, tUs: number, src: number, macHi: number, macLo: number, vlan: number, vrid: number, prio: number,
  vip: number, pass: boolean, ipId: number): void {
  const len = (vlan >= 0 ? 18 : 14) + 20 + 20;
  const f = out.record(tUs, len);
  f[0] = 0x01; f[1] = 0x00; f[2] = 0x5e; f[3] = 0; f[4] = 0; f[5] = 0x12;
  f.writeUInt16BE(macHi & 0xffff, 6); f.writeUInt32BE(macLo >>> 0, 8);
  let o = 12;
  if (vlan >= 0) { f.writeUInt16BE(0x8100, 12); f.writeUInt16BE(vlan, 14); o = 16; }
  f.writeUInt16BE(0x0800, o);
  o += 2;
  f[o] = 0x45; f[o + 1] = 0xc0; f.writeUInt16BE(40, o + 2); f.writeUInt16BE(ipId & 0xffff, o + 4);
  f[o + 8] = 255; f[o + 9] = 112; f.writeUInt32BE(src >>> 0, o + 12); f.writeUInt32BE(0xe0000012, o + 16);
  f.writeUInt16BE(csum(f, o, 20), o + 10);
  o += 20;
  f[o] = 0x21; f[o + 1] = vrid; f[o + 2] = prio; f[o + 3] = 1; f[o + 4] = pass ? 1 : 0; f[o + 5] = 1;
  f.writeUInt32BE(vip >>> 0, o + 8);
  if (pass) f.write('secret12', o + 12, 'latin1');
  f.writeUInt16BE(csum(f, o, 20), o + 6);
}

/** Write the flood capture; returns how many frames it holds. */
export function generateFlood(path: string, s: FloodSpec): { frames: number; bytes: number; durationS: number } {
  const rng = new Rng(s.seed ?? 0x5eed);
  const out = new PcapOut(path);
  const spacing = s.spacingUs ?? 10;
  const t0 = s.startUs ?? 1_764_331_200_000_000;
  const realEvery = s.realEvery ?? 0;
  // the pair's next advert times (µs), master and backup; Infinity when done
  const next = [Infinity, Infinity];
  const until = s.pair ? t0 + Math.round(s.pair.until * 1e6) : 0;
  if (s.pair) {
    next[0] = t0 + Math.round(s.pair.masterFrom * 1e6);
    next[1] = t0 + Math.round(s.pair.backupFrom * 1e6);
  }
  const ipIds = [1, 1];
  const pairUpTo = (t: number): void => {
    for (;;) {
      const h = next[0] <= next[1] ? 0 : 1;
      if (next[h] > t || next[h] > until) return;
      advert(out, next[h], REAL_SRC[h], 0x0200, REAL_MAC_LO[h], -1, REAL_VRID, REAL_PRIO[h], REAL_VIP, true, ipIds[h]++);
      next[h] += 1_000_000;
    }
  };
  for (let i = 0; i < s.adverts; i++) {
    const t = t0 + i * spacing;
    pairUpTo(t);
    if (realEvery > 0 && i % realEvery === realEvery - 1) {
      advert(out, t, REAL_SRC[0], 0x0200, REAL_MAC_LO[0], -1, REAL_VRID, REAL_PRIO[0], REAL_VIP, true, ipIds[0]++);
      continue;
    }
    // a public-looking unicast source (1.0.0.0-223.255.255.255), a locally administered unicast MAC
    const src = ((1 + rng.below(223)) * 0x1000000 + (rng.next() & 0xffffff)) >>> 0;
    const macHi = ((rng.next() & 0xfeff) | 0x0200) & 0xffff;
    const macLo = rng.next();
    const vrid = s.kind === 'one-vrid' ? REAL_VRID : 1 + rng.below(255);
    const vlan = s.kind === 'one-vrid' || rng.below(2) === 0 ? -1 : 1 + rng.below(4094);
    const prio = s.priority ?? 1 + rng.below(255);
    advert(out, t, src, macHi, macLo, vlan, vrid, prio, (0xc0000200 | rng.below(256)) >>> 0, false, rng.next());
  }
  pairUpTo(s.pair ? until : 0);
  out.close();
  const last = s.pair ? Math.max(t0 + (s.adverts - 1) * spacing, until) : t0 + (s.adverts - 1) * spacing;
  return { frames: out.frames, bytes: out.bytes, durationS: (last - t0) / 1e6 };
}

// Command line: node dist/bench/flood-gen.js OUT.pcap one-vrid|random ADVERTS [--spacing-us N] [--real-every N]
//   [--pair MASTER_FROM,BACKUP_FROM,UNTIL] [--priority P] [--seed N]
if (process.argv[1] !== undefined && /flood-gen\.[jt]s$/.test(process.argv[1])) {
  const a = process.argv.slice(2);
  if (a.length < 3 || a.includes('--help')) {
    process.stdout.write('usage: flood-gen OUT.pcap one-vrid|random ADVERTS [--spacing-us N] [--real-every N] ' +
      '[--pair MASTER_FROM,BACKUP_FROM,UNTIL] [--priority P] [--seed N]\n');
    process.exit(a.includes('--help') ? 0 : 2);
  }
  const opt = (name: string): string | undefined => {
    const i = a.indexOf(name);
    return i >= 0 ? a[i + 1] : undefined;
  };
  const pair = opt('--pair')?.split(',').map(Number);
  const r = generateFlood(a[0]!, {
    kind: a[1] === 'random' ? 'random' : 'one-vrid', adverts: Number(a[2]),
    spacingUs: opt('--spacing-us') !== undefined ? Number(opt('--spacing-us')) : undefined,
    realEvery: opt('--real-every') !== undefined ? Number(opt('--real-every')) : undefined,
    pair: pair ? { masterFrom: pair[0]!, backupFrom: pair[1]!, until: pair[2]! } : undefined,
    priority: opt('--priority') !== undefined ? Number(opt('--priority')) : undefined,
    seed: opt('--seed') !== undefined ? Number(opt('--seed')) : undefined,
  });
  process.stdout.write(`${a[0]}: ${r.frames} frames, ${r.bytes} bytes, ${r.durationS.toFixed(3)} s\n`);
}
