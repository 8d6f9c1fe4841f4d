// Test-only encoder: builds VRRP v2/v3 frames (any field, right or deliberately wrong checksums),
// ICMP errors, ARP, the link layers the decoder reads, and tiny pcap / pcapng writers.
// Independent of src/: it must not share code with the decoder it checks.

export type Bytes = Uint8Array;

export function concat(...parts: (Bytes | number[])[]): Bytes {
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Uint8Array(n);
  let o = 0;
  for (const p of parts) { out.set(p, o); o += p.length; }
  return out;
}

/** Hex string (whitespace, newlines and `#...` comments allowed) to bytes. */
export function hex(s: string | TemplateStringsArray): Bytes {
  const text = (typeof s === 'string' ? s : s.join('')).replace(/#[^\n]*/g, '').replace(/[^0-9a-fA-F]/g, '');
  if (text.length % 2) throw new Error('odd hex length');
  const out = new Uint8Array(text.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(text.substr(i * 2, 2), 16);
  return out;
}

export function toHex(b: Bytes): string {
  return Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
}

export function u16(n: number): number[] { return [(n >>> 8) & 255, n & 255]; }
export function u32(n: number): number[] { return [(n >>> 24) & 255, (n >>> 16) & 255, (n >>> 8) & 255, n & 255]; }

export function ip4(s: string): Bytes {
  const p = s.split('.').map(Number);
  if (p.length !== 4 || p.some((x) => !(x >= 0 && x <= 255))) throw new Error('bad IPv4 ' + s);
  return new Uint8Array(p);
}

export function ip6(s: string): Bytes {
  const out = new Uint8Array(16);
  let tail4: Bytes | null = null;
  let str = s;
  const m = /^(.*:)(\d+\.\d+\.\d+\.\d+)$/.exec(s);
  if (m) { tail4 = ip4(m[2]); str = m[1] + '0:0'; }
  const [head, rest] = str.includes('::') ? str.split('::') : [str, null];
  const hg = head ? head.split(':') : [];
  const tg = rest !== null && rest !== undefined && rest !== '' ? rest.split(':') : [];
  const groups = rest === null ? hg : [...hg, ...Array(8 - hg.length - tg.length).fill('0'), ...tg];
  if (groups.length !== 8) throw new Error('bad IPv6 ' + s);
  groups.forEach((g, i) => { const v = parseInt(g, 16); out[2 * i] = v >> 8; out[2 * i + 1] = v & 255; });
  if (tail4) out.set(tail4, 12);
  return out;
}

export function mac(s: string): Bytes {
  return new Uint8Array(s.split(':').map((x) => parseInt(x, 16)));
}

/** RFC 1071 Internet checksum of the concatenated parts (returns the value to store). */
export function inetChecksum(...parts: Bytes[]): number {
  let s = 0;
  const all = concat(...parts);
  for (let i = 0; i < all.length; i += 2) s += (all[i] << 8) | (i + 1 < all.length ? all[i + 1] : 0);
  while (s > 0xffff) s = (s & 0xffff) + Math.floor(s / 65536);
  return (~s) & 0xffff;
}

// ---------------------------------------------------------------- VRRP

export type ChecksumMode = 'ok' | 'v2-style' | 'old-unicast' | 'bad' | number;

export interface VrrpSpec {
  version?: number;          // 2 or 3 (anything for reject tests)
  type?: number;             // 1
  vrid?: number;
  priority?: number;
  /** Address count as written; defaults to addresses.length. */
  count?: number;
  addresses?: string[];
  /** v2 only */
  authType?: number;
  /** v2 auth data, up to 8 bytes (text is NUL-padded) */
  auth?: string | Bytes;
  /** v2: omit the 8-byte auth data field (PcapPlusPlus VRRP-V2.dat) */
  omitAuth?: boolean;
  /** seconds (v2) or centiseconds (v3) */
  interval?: number;
  /** v3 reserved nibble */
  rsvd?: number;
  checksum?: ChecksumMode;
  /** bytes appended after the PDU (e.g. keepalived 2.4 HMAC trailer); included in the checksum */
  trailer?: Bytes;
}

export interface IpSpec {
  family?: 4 | 6;
  src?: string;
  dst?: string;
  ttl?: number;
  id?: number;
  tos?: number;
  /** IPv4: flags+offset word (e.g. 0x2000 = MF) */
  fragWord?: number;
  /** IPv4 options bytes (padded to 4) */
  options?: Bytes;
  /** override the total/payload length field */
  lengthField?: number;
  /** IPv6 extension headers before the upper layer: {type, body} with body padded to 8 */
  ext?: { type: number; body?: Bytes }[];
}

export function vrrpMessage(v: VrrpSpec, ip: IpSpec = {}): Bytes {
  const family = ip.family ?? 4;
  const version = v.version ?? 2;
  const addrs = (v.addresses ?? (family === 4 ? ['192.0.2.1'] : ['fe80::1'])).map((a) => (family === 4 ? ip4(a) : ip6(a)));
  const count = v.count ?? addrs.length;
  const hdr = new Uint8Array(8);
  hdr[0] = ((version & 15) << 4) | ((v.type ?? 1) & 15);
  hdr[1] = v.vrid ?? 1;
  hdr[2] = v.priority ?? 100;
  hdr[3] = count;
  if (version === 3) {
    const iv = v.interval ?? 100;
    hdr[4] = ((v.rsvd ?? 0) << 4) | ((iv >> 8) & 15);
    hdr[5] = iv & 255;
  } else {
    hdr[4] = v.authType ?? 0;
    hdr[5] = v.interval ?? 1;
  }
  const parts: Bytes[] = [hdr, ...addrs];
  if (version !== 3 && !v.omitAuth) {
    const a = new Uint8Array(8);
    if (typeof v.auth === 'string') for (let i = 0; i < Math.min(8, v.auth.length); i++) a[i] = v.auth.charCodeAt(i);
    else if (v.auth) a.set(v.auth.subarray(0, 8));
    parts.push(a);
  }
  if (v.trailer) parts.push(v.trailer);
  const msg = concat(...parts);
  const mode = v.checksum ?? 'ok';
  let ck: number;
  if (typeof mode === 'number') ck = mode;
  else {
    const src = family === 4 ? ip4(ip.src ?? '192.0.2.10') : ip6(ip.src ?? 'fe80::10');
    const dst = family === 4 ? ip4(ip.dst ?? '224.0.0.18') : ip6(ip.dst ?? 'ff02::12');
    const pseudo = (d: Bytes): Bytes => family === 4
      ? concat(src, d, [0, 112], u16(msg.length))
      : concat(src, d, u32(msg.length), [0, 0, 0, 112]);
    if (version !== 3 || mode === 'v2-style') ck = inetChecksum(msg);
    else if (mode === 'old-unicast') ck = inetChecksum(pseudo(ip4('224.0.0.18')), msg);
    else ck = inetChecksum(pseudo(dst), msg);
    if (mode === 'bad') ck = (ck ^ 0x5a5a) & 0xffff;
  }
  msg[6] = ck >> 8;
  msg[7] = ck & 255;
  return msg;
}

// ---------------------------------------------------------------- IP

export function ipv4Packet(proto: number, payload: Bytes, o: IpSpec = {}): Bytes {
  const opts = o.options ?? new Uint8Array(0);
  const optLen = (opts.length + 3) & ~3;
  const ihl = 20 + optLen;
  const h = new Uint8Array(ihl);
  h[0] = 0x40 | (ihl >> 2);
  h[1] = o.tos ?? 0xc0;
  h.set(u16(o.lengthField ?? ihl + payload.length), 2);
  h.set(u16(o.id ?? 1), 4);
  h.set(u16(o.fragWord ?? 0), 6);
  h[8] = o.ttl ?? 255;
  h[9] = proto;
  h.set(ip4(o.src ?? '192.0.2.10'), 12);
  h.set(ip4(o.dst ?? '224.0.0.18'), 16);
  h.set(opts, 20);
  h.set(u16(inetChecksum(h)), 10);
  return concat(h, payload);
}

export function ipv6Packet(nh: number, payload: Bytes, o: IpSpec = {}): Bytes {
  const ext: Bytes[] = [];
  const exts = o.ext ?? [];
  let first = nh;
  for (let i = exts.length - 1; i >= 0; i--) {
    const e = exts[i];
    let h: Bytes;
    if (e.type === 44) h = concat([first, 0], e.body ?? [0, 0, 0, 0, 0, 0]);
    else if (e.type === 51) {
      const body = e.body ?? new Uint8Array(10);
      const len = 2 + body.length;
      h = concat([first, (len >> 2) - 2], body);
    } else {
      const body = e.body ?? new Uint8Array(6);
      const len = 2 + body.length;
      h = concat([first, (len >> 3) - 1], body);
    }
    ext.unshift(h);
    first = e.type;
  }
  const rest = concat(...ext, payload);
  const h = new Uint8Array(40);
  h[0] = 0x60 | ((o.tos ?? 0xc0) >> 4);
  h[1] = ((o.tos ?? 0xc0) & 15) << 4;
  h.set(u16(o.lengthField ?? rest.length), 4);
  h[6] = first;
  h[7] = o.ttl ?? 255;
  h.set(ip6(o.src ?? 'fe80::10'), 8);
  h.set(ip6(o.dst ?? 'ff02::12'), 24);
  return concat(h, rest);
}

/** A VRRP IP packet (v4 or v6) with the message built from the spec. */
export function vrrpIp(v: VrrpSpec, ip: IpSpec = {}): Bytes {
  const msg = vrrpMessage(v, ip);
  return (ip.family ?? 4) === 4 ? ipv4Packet(112, msg, ip) : ipv6Packet(112, msg, ip);
}

/** ICMP dest-unreachable (v4 type 3 / v6 type 1) quoting `quoted` (an IP packet). */
export function icmpError(family: 4 | 6, code: number, quoted: Bytes, ip: IpSpec): Bytes {
  const q = family === 4 ? quoted.subarray(0, Math.min(quoted.length, ((quoted[0] & 15) << 2) + 8)) : quoted;
  const body = concat([family === 4 ? 3 : 1, code, 0, 0, 0, 0, 0, 0], q);
  if (family === 4) {
    body.set(u16(inetChecksum(body)), 2);
    return ipv4Packet(1, body, { ttl: 64, tos: 0, ...ip, family: 4 });
  }
  const src = ip6(ip.src ?? 'fe80::1');
  const dst = ip6(ip.dst ?? 'fe80::10');
  body.set(u16(inetChecksum(src, dst, new Uint8Array(u32(body.length)), new Uint8Array([0, 0, 0, 58]), body)), 2);
  return ipv6Packet(58, body, { ttl: 64, tos: 0, ...ip, family: 6 });
}

export function arpPacket(op: number, sha: string, spa: string, tha: string, tpa: string): Bytes {
  return concat([0, 1, 8, 0, 6, 4], u16(op), mac(sha), ip4(spa), mac(tha), ip4(tpa));
}

/** An IPv6 neighbour solicitation (135) or advertisement (136) packet (RFC 4861), checksummed unless
 *  `badChecksum`. `flags`: NA byte 4 (0x80 R, 0x40 S, 0x20 O). `lla`: the source (NS) / target (NA)
 *  link-layer address option; `extraOptions`: raw option bytes appended (e.g. a zero-length option). */
export function ndPacket(type: 135 | 136, target: string, o: { flags?: number; lla?: string; extraOptions?: number[];
  badChecksum?: boolean; code?: number } & IpSpec = {}): Bytes {
  const opts: number[] = [];
  if (o.lla !== undefined) opts.push(type === 135 ? 1 : 2, 1, ...mac(o.lla));
  if (o.extraOptions) opts.push(...o.extraOptions);
  const body = concat([type, o.code ?? 0, 0, 0, type === 136 ? (o.flags ?? 0) : 0, 0, 0, 0], ip6(target), opts);
  const src = ip6(o.src ?? 'fe80::1');
  const dst = ip6(o.dst ?? 'ff02::1');
  let ck = inetChecksum(src, dst, new Uint8Array(u32(body.length)), new Uint8Array([0, 0, 0, 58]), body);
  if (o.badChecksum) ck ^= 0x1234;
  body.set(u16(ck), 2);
  return ipv6Packet(58, body, { tos: 0, ...o, ttl: o.ttl ?? 255, src: o.src ?? 'fe80::1', dst: o.dst ?? 'ff02::1', family: 6 });
}

// ---------------------------------------------------------------- link layers

export type LinkKind = 'ether' | 'sll' | 'sll2' | 'raw' | 'null-le' | 'null-be' | 'loop';

export const LINKTYPE: Record<LinkKind, number> = {
  ether: 1, sll: 113, sll2: 276, raw: 101, 'null-le': 0, 'null-be': 0, loop: 108,
};

export interface LinkSpec {
  link?: LinkKind;
  srcMac?: string;
  dstMac?: string;
  /** tags outer first: [tpid, vlan id] */
  vlans?: [number, number][];
  /** pad Ethernet frames to 60 bytes as a NIC does */
  pad?: boolean;
  /** BSD AF_INET6 value for NULL/LOOP (default 24) */
  af6?: number;
}

/** Wrap an IP packet or ARP payload with the given ethertype into a link-layer frame. */
export function linkFrame(ethertype: number, payload: Bytes, l: LinkSpec = {}): Bytes {
  const link = l.link ?? 'ether';
  const src = mac(l.srcMac ?? '02:00:00:00:00:0a');
  const tags: number[] = [];
  for (const [tpid, id] of l.vlans ?? []) tags.push(...u16(tpid), ...u16(id & 0xfff));
  if (link === 'ether') {
    const f = concat(mac(l.dstMac ?? '01:00:5e:00:00:12'), src, tags, u16(ethertype), payload);
    if (l.pad && f.length < 60) return concat(f, new Uint8Array(60 - f.length));
    return f;
  }
  if (link === 'sll') {
    const first = tags.length ? (tags[0] << 8) | tags[1] : ethertype;
    const rest = tags.length ? concat(tags.slice(2), u16(ethertype)) : new Uint8Array(0);
    return concat(u16(0), u16(1), u16(6), src, [0, 0], u16(first), rest, payload);
  }
  if (link === 'sll2') {
    const first = tags.length ? (tags[0] << 8) | tags[1] : ethertype;
    const rest = tags.length ? concat(tags.slice(2), u16(ethertype)) : new Uint8Array(0);
    return concat(u16(first), [0, 0], u32(2), u16(1), [0, 6], src, [0, 0], rest, payload);
  }
  if (link === 'raw') return payload;
  const af = ethertype === 0x86dd ? (l.af6 ?? 24) : 2;
  if (link === 'null-le') return concat([af & 255, (af >> 8) & 255, 0, 0], payload);
  return concat(u32(af), payload); // null-be and loop
}

/** A whole VRRP advert frame. */
export function advertFrame(v: VrrpSpec = {}, ip: IpSpec = {}, l: LinkSpec = {}): Bytes {
  return linkFrame((ip.family ?? 4) === 4 ? 0x0800 : 0x86dd, vrrpIp(v, ip), l);
}

// ---------------------------------------------------------------- capture writers

export interface PcapFrame { sec: number; nsec: number; data: Bytes; origlen?: number; caplen?: number }

/** Classic pcap: little or big endian, microsecond or nanosecond magic. */
export function pcapFile(frames: PcapFrame[], o: { le?: boolean; ns?: boolean; linktype?: number; snaplen?: number } = {}): Bytes {
  const le = o.le ?? true;
  const w32 = (n: number): number[] => (le ? u32(n).reverse() : u32(n));
  const w16 = (n: number): number[] => (le ? u16(n).reverse() : u16(n));
  const parts: (Bytes | number[])[] = [
    w32(o.ns ? 0xa1b23c4d : 0xa1b2c3d4), w16(2), w16(4), w32(0), w32(0), w32(o.snaplen ?? 262144), w32(o.linktype ?? 1),
  ];
  for (const f of frames) {
    const cap = f.caplen ?? f.data.length;
    parts.push(w32(f.sec), w32(o.ns ? f.nsec : Math.floor(f.nsec / 1000)), w32(cap), w32(f.origlen ?? f.data.length), f.data.subarray(0, cap));
  }
  return concat(...parts);
}

export interface NgInterface { linktype: number; snaplen?: number; tsresol?: number; tsoffset?: number }
export interface NgPacket {
  iface: number;
  /** timestamp in interface units as a bigint (EPB/OPB) */
  ts?: bigint;
  data: Bytes;
  origlen?: number;
  kind?: 'epb' | 'spb' | 'opb';
}
export interface NgSection { le?: boolean; interfaces: NgInterface[]; packets: NgPacket[]; extraBlocks?: { type: number; body: Bytes }[] }

function pad4(b: Bytes | number[]): Bytes {
  const n = (b.length + 3) & ~3;
  const out = new Uint8Array(n);
  out.set(b);
  return out;
}

/** pcapng writer: sections (own byte order), IDBs with if_tsresol/if_tsoffset, EPB/SPB/OPB. */
export function pcapngFile(sections: NgSection[]): Bytes {
  const out: Bytes[] = [];
  for (const s of sections) {
    const le = s.le ?? true;
    const w32 = (n: number): number[] => (le ? u32(n).reverse() : u32(n));
    const w16 = (n: number): number[] => (le ? u16(n).reverse() : u16(n));
    const block = (type: number, body: Bytes): Bytes => {
      const len = 12 + body.length;
      return concat(w32(type), w32(len), body, w32(len));
    };
    out.push(block(0x0a0d0d0a, concat(w32(0x1a2b3c4d), w16(1), w16(0), [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff])));
    for (const b of s.extraBlocks ?? []) out.push(block(b.type, pad4(b.body)));
    for (const i of s.interfaces) {
      const opts: (Bytes | number[])[] = [];
      if (i.tsresol !== undefined) opts.push(w16(9), w16(1), pad4([i.tsresol]));
      if (i.tsoffset !== undefined) {
        const off = BigInt.asUintN(64, BigInt(i.tsoffset));
        const hi = Number(off >> 32n), lo = Number(off & 0xffffffffn);
        opts.push(w16(14), w16(8), le ? [...w32(lo), ...w32(hi)] : [...w32(hi), ...w32(lo)]);
      }
      if (opts.length) opts.push(w16(0), w16(0));
      out.push(block(1, concat(w16(i.linktype), w16(0), w32(i.snaplen ?? 262144), ...opts)));
    }
    for (const p of s.packets) {
      const kind = p.kind ?? 'epb';
      if (kind === 'spb') { out.push(block(3, concat(w32(p.origlen ?? p.data.length), pad4(p.data)))); continue; }
      const ts = p.ts ?? 0n;
      const hi = Number(ts >> 32n), lo = Number(ts & 0xffffffffn);
      const idf = kind === 'epb' ? w32(p.iface) : [...w16(p.iface), ...w16(0)];
      out.push(block(kind === 'epb' ? 6 : 2, concat(idf, w32(hi), w32(lo), w32(p.data.length), w32(p.origlen ?? p.data.length), pad4(p.data))));
    }
  }
  return concat(...out);
}
