// Test/bench helper: builds Ethernet frames (VRRP v2/v3, optionally VLAN-tagged, and non-VRRP neighbours)
// and small classic pcap files. Not a test file itself (no .test.ts).
import { writeFileSync } from 'node:fs';

function sum16(b: Uint8Array, off: number, len: number, acc = 0): number {
  for (let i = 0; i + 1 < len; i += 2) acc += (b[off + i]! << 8) | b[off + i + 1]!;
  if (len & 1) acc += b[off + len - 1]! << 8;
  return acc;
}
function fold(acc: number): number {
  while (acc > 0xffff) acc = (acc & 0xffff) + (acc >>> 16);
  return (~acc) & 0xffff;
}
function ip4(s: string): number[] { return s.split('.').map(Number); }
function mac(s: string): number[] { return s.split(':').map((x) => parseInt(x, 16)); }

export interface EthOpts { src?: string; dst?: string; vlans?: Array<{ tpid: number; vid: number }> }

function ether(ethertype: number, payload: number[], o: EthOpts = {}): Uint8Array {
  const h: number[] = [...mac(o.dst ?? '01:00:5e:00:00:12'), ...mac(o.src ?? '00:00:5e:00:01:01')];
  for (const v of o.vlans ?? []) h.push(v.tpid >> 8, v.tpid & 0xff, (v.vid >> 8) & 0x0f, v.vid & 0xff);
  h.push(ethertype >> 8, ethertype & 0xff, ...payload);
  while (h.length < 60) h.push(0);
  return Uint8Array.from(h);
}

function ipv4(proto: number, src: string, dst: string, payload: number[], ttl = 255, id = 0): number[] {
  const len = 20 + payload.length;
  const h = [0x45, 0, len >> 8, len & 0xff, id >> 8, id & 0xff, 0, 0, ttl, proto, 0, 0, ...ip4(src), ...ip4(dst)];
  const c = fold(sum16(Uint8Array.from(h), 0, 20));
  h[10] = c >> 8; h[11] = c & 0xff;
  return [...h, ...payload];
}

/** VRRPv2 advert over IPv4 (auth none). */
export function vrrp2(o: EthOpts & { vrid?: number; prio?: number; src?: string; ipSrc?: string; ipDst?: string; vips?: string[]; id?: number } = {}): Uint8Array {
  const vips = o.vips ?? ['10.0.0.100'];
  const v = [0x21, o.vrid ?? 1, o.prio ?? 100, vips.length, 0, 1, 0, 0];
  for (const a of vips) v.push(...ip4(a));
  v.push(0, 0, 0, 0, 0, 0, 0, 0);
  const c = fold(sum16(Uint8Array.from(v), 0, v.length));
  v[6] = c >> 8; v[7] = c & 0xff;
  return ether(0x0800, ipv4(112, o.ipSrc ?? '10.0.0.1', o.ipDst ?? '224.0.0.18', v, 255, o.id ?? 0),
    { ...o, src: o.src ?? `00:00:5e:00:01:${(o.vrid ?? 1).toString(16).padStart(2, '0')}` });
}

/** VRRPv3 advert over IPv6 to ff02::12 (fe80::1 source), one v6 virtual address. */
export function vrrp3v6(o: EthOpts & { vrid?: number; prio?: number } = {}): Uint8Array {
  const src = [0xfe, 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1];
  const dst = [0xff, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x12];
  const vip = [0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x64];
  const v = [0x31, o.vrid ?? 1, o.prio ?? 100, 1, 0, 100, 0, 0, ...vip];
  const pseudo = [...src, ...dst, 0, 0, 0, v.length, 0, 0, 0, 112];
  const c = fold(sum16(Uint8Array.from(v), 0, v.length, sum16(Uint8Array.from(pseudo), 0, pseudo.length)));
  v[6] = c >> 8; v[7] = c & 0xff;
  const ip6 = [0x60, 0, 0, 0, 0, v.length, 112, 255, ...src, ...dst];
  return ether(0x86dd, [...ip6, ...v], { dst: '33:33:00:00:00:12', src: '00:00:5e:00:02:01', ...o });
}

/** An ICMPv6 message of `type` from fe80::1 to ff02::1, right after the IPv6 header: a neighbour advertisement
 *  (136) must pass the default filter (who holds an address), a router solicitation (133) must not. */
export function icmp6(type: number, o: EthOpts = {}): Uint8Array {
  const src = [0xfe, 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1];
  const dst = [0xff, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1];
  const target = [0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x64];
  const m = type === 136 ? [136, 0, 0, 0, 0x20, 0, 0, 0, ...target] : [type, 0, 0, 0, 0, 0, 0, 0];
  const pseudo = [...src, ...dst, 0, 0, 0, m.length, 0, 0, 0, 58];
  const c = fold(sum16(Uint8Array.from(m), 0, m.length, sum16(Uint8Array.from(pseudo), 0, pseudo.length)));
  m[2] = c >> 8; m[3] = c & 0xff;
  const ip6 = [0x60, 0, 0, 0, 0, m.length, 58, 255, ...src, ...dst];
  return ether(0x86dd, [...ip6, ...m], { dst: '33:33:00:00:00:01', src: '02:00:00:00:00:01', ...o });
}

/** ICMP echo request (must NOT pass the default filter). */
export function icmpEcho(o: EthOpts = {}): Uint8Array {
  const icmp = [8, 0, 0, 0, 0, 1, 0, 1, 1, 2, 3, 4];
  const c = fold(sum16(Uint8Array.from(icmp), 0, icmp.length));
  icmp[2] = c >> 8; icmp[3] = c & 0xff;
  return ether(0x0800, ipv4(1, '10.0.0.1', '10.0.0.2', icmp, 64), { dst: '02:00:00:00:00:02', src: '02:00:00:00:00:01', ...o });
}

/** ICMP admin-prohibited quoting a VRRP packet (must pass). */
export function icmpUnreachVrrp(o: EthOpts = {}): Uint8Array {
  const quoted = ipv4(112, '10.0.0.1', '224.0.0.18', [0x21, 1, 100, 1, 0, 1, 0, 0]).slice(0, 28);
  const icmp = [3, 13, 0, 0, 0, 0, 0, 0, ...quoted];
  const c = fold(sum16(Uint8Array.from(icmp), 0, icmp.length));
  icmp[2] = c >> 8; icmp[3] = c & 0xff;
  return ether(0x0800, ipv4(1, '10.0.0.2', '10.0.0.1', icmp, 64), { dst: '02:00:00:00:00:01', src: '02:00:00:00:00:02', ...o });
}

/** ICMP port unreachable quoting UDP (must NOT pass). */
export function icmpUnreachUdp(o: EthOpts = {}): Uint8Array {
  const quoted = ipv4(17, '10.0.0.1', '10.0.0.2', [0, 53, 0, 53, 0, 8, 0, 0]).slice(0, 28);
  const icmp = [3, 3, 0, 0, 0, 0, 0, 0, ...quoted];
  const c = fold(sum16(Uint8Array.from(icmp), 0, icmp.length));
  icmp[2] = c >> 8; icmp[3] = c & 0xff;
  return ether(0x0800, ipv4(1, '10.0.0.2', '10.0.0.1', icmp, 64), { dst: '02:00:00:00:00:01', src: '02:00:00:00:00:02', ...o });
}

/** Gratuitous ARP for a virtual address (must pass). */
export function garp(o: EthOpts = {}): Uint8Array {
  const m = mac('00:00:5e:00:01:01');
  const a = [0, 1, 8, 0, 6, 4, 0, 1, ...m, ...ip4('10.0.0.100'), 0, 0, 0, 0, 0, 0, ...ip4('10.0.0.100')];
  return ether(0x0806, a, { dst: 'ff:ff:ff:ff:ff:ff', src: '00:00:5e:00:01:01', ...o });
}

/** UDP datagram (must NOT pass). */
export function udp(o: EthOpts = {}): Uint8Array {
  return ether(0x0800, ipv4(17, '10.0.0.1', '10.0.0.2', [0x30, 0x39, 0x00, 0x35, 0, 12, 0, 0, 1, 2, 3, 4], 64),
    { dst: '02:00:00:00:00:02', src: '02:00:00:00:00:01', ...o });
}

/** Writes a classic µs pcap (Ethernet) of the given frames, timestamps t0 + i * stepUs. */
export function writePcap(path: string, frames: Uint8Array[], t0 = 1_700_000_000, stepUs = 10): void {
  let size = 24;
  for (const f of frames) size += 16 + f.length;
  const b = Buffer.alloc(size);
  b.writeUInt32LE(0xa1b2c3d4, 0); b.writeUInt16LE(2, 4); b.writeUInt16LE(4, 6);
  b.writeUInt32LE(262144, 16); b.writeUInt32LE(1, 20);
  let p = 24;
  frames.forEach((f, i) => {
    const us = i * stepUs;
    b.writeUInt32LE(t0 + Math.floor(us / 1e6), p); b.writeUInt32LE(us % 1e6, p + 4);
    b.writeUInt32LE(f.length, p + 8); b.writeUInt32LE(f.length, p + 12);
    b.set(f, p + 16);
    p += 16 + f.length;
  });
  writeFileSync(path, b);
}
