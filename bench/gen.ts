// Deterministic benchmark captures (classic pcap, Ethernet, µs):
// - mixed: N frames, about 1% VRRPv2 adverts (a tenth of them VLAN-tagged), the rest TCP/UDP/ARP in
//   the simple IMIX size mix (7:4:1 of 64/594/1518 bytes), like a busy SPAN port;
// - pure: N VRRP adverts from many virtual routers (VRRPv2 and v3, IPv4 and some IPv6).
// Written in large chunks; a seeded PRNG makes every run produce the same bytes.
import { openSync, writeSync, closeSync } from 'node:fs';

export class Rng {
  constructor(private s: number) {}
  next(): number {
    // xorshift32
    let x = this.s;
    x ^= x << 13; x >>>= 0; x ^= x >>> 17; x ^= x << 5; x >>>= 0;
    this.s = x;
    return x;
  }
  below(n: number): number { return this.next() % n; }
}

export function csum(b: Buffer, off: number, len: number, init = 0): number {
  let s = init;
  for (let i = 0; i + 1 < len; i += 2) s += b.readUInt16BE(off + i);
  if (len & 1) s += b[off + len - 1]! << 8;
  while (s > 0xffff) s = (s & 0xffff) + (s >>> 16);
  return ~s & 0xffff;
}

export class PcapOut {
  private buf = Buffer.alloc(1 << 22);
  private pos = 0;
  private fd: number;
  frames = 0;
  bytes = 0;
  constructor(path: string) {
    this.fd = openSync(path, 'w');
    const h = Buffer.alloc(24);
    h.writeUInt32LE(0xa1b2c3d4, 0); h.writeUInt16LE(2, 4); h.writeUInt16LE(4, 6);
    h.writeUInt32LE(65535, 16); h.writeUInt32LE(1, 20);
    writeSync(this.fd, h);
  }
  /** Reserve a record of `len` bytes at time t (µs); returns the offset of the frame bytes. */
  record(tUs: number, len: number): Buffer {
    if (this.pos + 16 + len > this.buf.length) this.flush();
    const b = this.buf;
    b.writeUInt32LE(Math.floor(tUs / 1e6), this.pos);
    b.writeUInt32LE(tUs % 1e6, this.pos + 4);
    b.writeUInt32LE(len, this.pos + 8);
    b.writeUInt32LE(len, this.pos + 12);
    const frame = b.subarray(this.pos + 16, this.pos + 16 + len);
    frame.fill(0);
    this.pos += 16 + len;
    this.frames++;
    this.bytes += 16 + len;
    return frame;
  }
  flush(): void { writeSync(this.fd, this.buf, 0, this.pos); this.pos = 0; }
  close(): void { this.flush(); closeSync(this.fd); }
}

const MAC_BASE = 0x0200_0000;

function eth(f: Buffer, srcLo: number, type: number, vlan: number): number {
  f[0] = 0x01; f[1] = 0x00; f[2] = 0x5e; f[3] = 0; f[4] = 0; f[5] = 0x12;
  f.writeUInt16BE(0x0200, 6); f.writeUInt32BE(MAC_BASE + srcLo, 8);
  if (vlan >= 0) { f.writeUInt16BE(0x8100, 12); f.writeUInt16BE(vlan, 14); f.writeUInt16BE(type, 16); return 18; }
  f.writeUInt16BE(type, 12);
  return 14;
}

function ipv4(f: Buffer, o: number, proto: number, src: number, dst: number, payload: number, ttl: number, id: number): number {
  f[o] = 0x45; f[o + 1] = 0xc0; f.writeUInt16BE(20 + payload, o + 2); f.writeUInt16BE(id & 0xffff, o + 4);
  f[o + 8] = ttl; f[o + 9] = proto; f.writeUInt32BE(src >>> 0, o + 12); f.writeUInt32BE(dst >>> 0, o + 16);
  f.writeUInt16BE(csum(f, o, 20), o + 10);
  return o + 20;
}

/** A VRRPv2 advert (auth PASS) from router `vrid`, source host h (1 or 2). */
function vrrp2(out: PcapOut, tUs: number, vrid: number, h: number, prio: number, vlan: number, id: number): void {
  const len = (vlan >= 0 ? 18 : 14) + 20 + 8 + 4 + 8;
  const f = out.record(tUs, len);
  let o = eth(f, vrid * 4 + h, 0x0800, vlan);
  o = ipv4(f, o, 112, (10 << 24) | (vrid << 8) | h, 0xe0000012, 20, 255, id);
  f[o] = 0x21; f[o + 1] = vrid; f[o + 2] = prio; f[o + 3] = 1; f[o + 4] = 1; f[o + 5] = 1;
  f.writeUInt32BE(((10 << 24) | (vrid << 8) | 100) >>> 0, o + 8);
  f.write('secret12', o + 12, 'latin1');
  f.writeUInt16BE(csum(f, o, 20), o + 6);
}

/** A VRRPv3 advert over IPv4 (checksum with the pseudo-header, keepalived's default). */
function vrrp3(out: PcapOut, tUs: number, vrid: number, h: number, prio: number, id: number): void {
  const f = out.record(tUs, 14 + 20 + 12);
  let o = eth(f, vrid * 4 + h, 0x0800, -1);
  const src = ((10 << 24) | (vrid << 8) | h) >>> 0;
  o = ipv4(f, o, 112, src, 0xe0000012, 12, 255, id);
  f[o] = 0x31; f[o + 1] = vrid; f[o + 2] = prio; f[o + 3] = 1; f.writeUInt16BE(100, o + 4);
  f.writeUInt32BE(((10 << 24) | (vrid << 8) | 100) >>> 0, o + 8);
  let pseudo = (src >>> 16) + (src & 0xffff) + 0xe000 + 0x0012 + 112 + 12;
  f.writeUInt16BE(csum(f, o, 12, pseudo), o + 6);
  pseudo = 0;
}

function other(out: PcapOut, rng: Rng, tUs: number): void {
  const r = rng.below(100);
  if (r < 3) { // ARP
    const f = out.record(tUs, 60);
    eth(f, rng.below(1000), 0x0806, -1);
    return;
  }
  // Simple IMIX (7:4:1 of 64/594/1518-byte frames), the usual stand-in for mixed traffic.
  const m = rng.below(12);
  const size = m < 7 ? 64 : m < 11 ? 594 : 1518;
  const vlan = r % 10 === 0 ? 100 + (r % 7) : -1;
  const f = out.record(tUs, size);
  const o = eth(f, rng.below(1000), 0x0800, vlan);
  ipv4(f, o, r < 70 ? 6 : 17, 0x0a000000 + rng.below(1 << 16), 0x0a010000 + rng.below(1 << 16), size - o - 20, 64, r);
}

export function generateMixed(path: string, frames: number): { frames: number; bytes: number; vrrp: number } {
  const rng = new Rng(12345);
  const out = new PcapOut(path);
  let t = 1_764_331_200_000_000; // 2025-11-28T12:00:00Z in µs
  let vrrp = 0;
  for (let i = 0; i < frames; i++) {
    t += 1 + rng.below(20);
    if (i % 100 === 0) {
      const vrid = 1 + (vrrp % 20);
      vrrp2(out, t, vrid, 1, 100, vrid > 18 ? 10 : -1, vrrp);
      vrrp++;
    } else {
      other(out, rng, t);
    }
  }
  out.close();
  return { frames: out.frames, bytes: out.bytes, vrrp };
}

/** Pure VRRP: 200 routers (v2 and v3), each master advertising once a second, in order. */
export function generatePure(path: string, adverts: number): { frames: number; bytes: number } {
  const out = new PcapOut(path);
  const routers = 200;
  let t = 1_764_331_200_000_000;
  for (let i = 0; i < adverts; i++) {
    const vrid = 1 + (i % routers);
    if (vrid === 1) t += 1_000_000 - routers * 10;
    t += 10;
    if (vrid <= 150) vrrp2(out, t, vrid, 1, 100, -1, i >>> 8);
    else vrrp3(out, t, vrid, 1, 100, i >>> 8);
  }
  out.close();
  return { frames: out.frames, bytes: out.bytes };
}

/** Two captures of one healthy pair for `seconds` (A master, one VRRPv2 advert a second, IP IDs wrapping at
 *  65536), as taken on A and on B: B's clock 3.5 s ahead, each frame 40 µs later there, 1 % of them lost on
 *  the way (the vantage-point benchmark: 48 h = 172,800 adverts per file). */
export function generateVantagePair(pathA: string, pathB: string, seconds: number): { adverts: number; lost: number } {
  const rng = new Rng(777);
  const a = new PcapOut(pathA);
  const b = new PcapOut(pathB);
  let t = 1_764_331_200_000_000;
  let lost = 0;
  for (let i = 0; i < seconds; i++) {
    t += 1_000_000 + rng.below(500);
    vrrp2(a, t, 99, 1, 100, -1, i + 1);
    if (rng.below(100) === 0) { lost++; continue; }
    vrrp2(b, t + 3_500_040, 99, 1, 100, -1, i + 1);
  }
  a.close();
  b.close();
  return { adverts: seconds, lost };
}
