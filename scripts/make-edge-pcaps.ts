// Regenerates the small deterministic edge captures in pcaps/edge/ (run from the repo root):
//   node --import tsx scripts/make-edge-pcaps.ts
// Every file is tiny and built by the test-only encoder; the decoder tests and the tshark
// comparison read them. Timestamps are fixed (2026-01-02 03:04:05 UTC onwards).
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  advertFrame, arpPacket, concat, icmpError, ipv4Packet, linkFrame, ndPacket, pcapFile, pcapngFile, u16, vrrpIp,
  type Bytes, type PcapFrame,
} from '../test/support/encode.js';

const OUT = path.resolve(process.argv[2] ?? 'pcaps/edge');
const T0 = 1767323045; // 2026-01-02T03:04:05Z

function frames(list: Bytes[], stepNs = 1_000_000_000, startNs = 123456789): PcapFrame[] {
  return list.map((data, i) => {
    const t = BigInt(T0) * 1_000_000_000n + BigInt(startNs) + BigInt(stepNs) * BigInt(i);
    return { sec: Number(t / 1_000_000_000n), nsec: Number(t % 1_000_000_000n), data };
  });
}

/** A UDP datagram (not of interest): exercises the fast path. */
function udpFrame(): Bytes {
  const udp = concat(u16(5353), u16(5353), u16(12), u16(0), [1, 2, 3, 4]);
  return linkFrame(0x0800, ipv4Packet(17, udp, { dst: '224.0.0.251', ttl: 1, tos: 0 }), { dstMac: '01:00:5e:00:00:fb' });
}

const master = { src: '10.0.0.1', id: 1 };
const backup = { src: '10.0.0.2', id: 1 };
const m1 = { srcMac: '52:54:00:00:00:01', pad: true };
const m2 = { srcMac: '52:54:00:00:00:02', pad: true };

function v2(prio: number, ip: { src: string; id: number }, i: number, extra: object = {}): Bytes {
  return advertFrame({ version: 2, vrid: 51, priority: prio, authType: 1, auth: 'secret', interval: 1, addresses: ['10.0.0.100', '10.0.0.101'], ...extra },
    { ...ip, id: ip.id + i }, ip.src === '10.0.0.1' ? m1 : m2);
}

const files: Record<string, Bytes> = {};

// 1. classic pcap, both byte orders, microseconds: a v2 pair with simple auth, plus ARP and UDP
const basic = [
  v2(150, master, 0), udpFrame(), v2(150, master, 1),
  linkFrame(0x0806, arpPacket(2, '52:54:00:00:00:01', '10.0.0.100', 'ff:ff:ff:ff:ff:ff', '10.0.0.100'), { srcMac: '52:54:00:00:00:01', dstMac: 'ff:ff:ff:ff:ff:ff', pad: true }),
  v2(0, master, 2), v2(100, backup, 0),
];
files['v2-le-usec.pcap'] = pcapFile(frames(basic), { le: true });
files['v2-be-usec.pcap'] = pcapFile(frames(basic), { le: false });

// 2. nanosecond pcap, VRRPv3 over IPv4 (100 cs), a v2-auth-none advert, an advert without auth data
const v3a = (i: number, extra: object = {}): Bytes =>
  advertFrame({ version: 3, vrid: 7, priority: 200, interval: 100, addresses: ['192.168.7.1'], ...extra }, { src: '192.168.7.2', id: 10 + i }, m1);
files['v3-ipv4-nsec.pcap'] = pcapFile(frames([v3a(0), v3a(1), v3a(2, { priority: 254, interval: 50 })], 987_654_321, 1), { ns: true });

// 3. pcapng: two sections (little then big endian), several interfaces with different link types,
//    if_tsresol 10^-9 and 2^-20 and the default 10^-6, if_tsoffset, EPB, SPB, OPB, an unknown block
const rawV3 = vrrpIp({ version: 3, vrid: 9, priority: 120, interval: 200, addresses: ['10.9.0.1'] }, { src: '10.9.0.2' });
files['multi-section.pcapng'] = pcapngFile([
  {
    le: true,
    extraBlocks: [{ type: 0x00000099, body: new Uint8Array([1, 2, 3, 4, 5]) }, { type: 4, body: new Uint8Array([0, 0, 0, 0]) }],
    interfaces: [{ linktype: 1, tsresol: 9 }, { linktype: 101, tsresol: 0x80 | 20, tsoffset: 100 }],
    packets: [
      { iface: 0, ts: BigInt(T0) * 1_000_000_000n + 5n, data: v2(150, master, 0) },
      { iface: 1, ts: (BigInt(T0 - 100) << 20n) | 524288n, data: rawV3 },
      { iface: 0, ts: BigInt(T0 + 1) * 1_000_000_000n + 999_999_999n, data: udpFrame() },
    ],
  },
  {
    le: false,
    interfaces: [{ linktype: 113 }],
    packets: [
      { iface: 0, ts: BigInt(T0 + 2) * 1_000_000n + 250_000n, data: advertFrame({ version: 2, vrid: 52, priority: 90, addresses: ['10.0.1.1'] }, { src: '10.0.1.2' }, { link: 'sll', srcMac: '52:54:00:00:01:02' }) },
      { iface: 0, kind: 'spb', data: advertFrame({ version: 2, vrid: 52, priority: 90, addresses: ['10.0.1.1'] }, { src: '10.0.1.2', id: 2 }, { link: 'sll', srcMac: '52:54:00:00:01:02' }) },
      { iface: 0, kind: 'opb', ts: BigInt(T0 + 3) * 1_000_000n, data: advertFrame({ version: 2, vrid: 52, priority: 90, addresses: ['10.0.1.1'] }, { src: '10.0.1.2', id: 3 }, { link: 'sll', srcMac: '52:54:00:00:01:02' }) },
    ],
  },
]);

// 4. VLANs: 802.1Q, 802.1ad + 802.1Q (QinQ), old 0x9100 + 0x8100
files['vlan-qinq.pcap'] = pcapFile(frames([
  advertFrame({ version: 2, vrid: 10, priority: 110, addresses: ['10.10.0.1'] }, { src: '10.10.0.2' }, { srcMac: '52:54:00:00:10:02', vlans: [[0x8100, 10]] }),
  advertFrame({ version: 3, vrid: 20, priority: 120, interval: 100, addresses: ['10.20.0.1'] }, { src: '10.20.0.2' }, { srcMac: '52:54:00:00:20:02', vlans: [[0x88a8, 300], [0x8100, 20]] }),
  advertFrame({ version: 2, vrid: 30, priority: 130, addresses: ['10.30.0.1'] }, { src: '10.30.0.2' }, { srcMac: '52:54:00:00:30:02', vlans: [[0x9100, 400], [0x8100, 30]] }),
]));

// 5. Linux cooked v1 and v2 (what -i any records), raw IP, BSD loopback in both byte orders
const v3v6 = { version: 3, vrid: 60, priority: 160, interval: 100, addresses: ['fe80::60', '2001:db8::60'] };
const v6ip = { family: 6 as const, src: 'fe80::5054:ff:fe00:6002', dst: 'ff02::12' };
const mixed = (link: 'sll' | 'sll2' | 'raw' | 'null-le' | 'null-be' | 'loop'): Bytes[] => [
  advertFrame({ version: 2, vrid: 61, priority: 161, addresses: ['10.61.0.1'] }, { src: '10.61.0.2' }, { link, srcMac: '52:54:00:00:61:02' }),
  advertFrame(v3v6, v6ip, { link, srcMac: '52:54:00:00:60:02' }),
];
files['sll.pcap'] = pcapFile(frames([...mixed('sll'), linkFrame(0x0806, arpPacket(1, '52:54:00:00:61:02', '10.61.0.2', '00:00:00:00:00:00', '10.61.0.1'), { link: 'sll', srcMac: '52:54:00:00:61:02' })]), { linktype: 113 });
files['sll2.pcap'] = pcapFile(frames(mixed('sll2')), { linktype: 276 });
files['raw.pcap'] = pcapFile(frames(mixed('raw')), { linktype: 101 });
files['null-le.pcap'] = pcapFile(frames(mixed('null-le')), { linktype: 0 });
files['null-be.pcap'] = pcapFile(frames(mixed('null-be')), { linktype: 0, le: false });
files['loop.pcap'] = pcapFile(frames(mixed('loop')), { linktype: 108 });

// 6. VRRPv3 over IPv6 with extension headers (hop-by-hop, destination options), 33:33 MAC
files['v3-ipv6-ext.pcap'] = pcapFile(frames([
  advertFrame(v3v6, v6ip, { srcMac: '52:54:00:00:60:02', dstMac: '33:33:00:00:00:12' }),
  advertFrame(v3v6, { ...v6ip, ext: [{ type: 0 }] }, { srcMac: '52:54:00:00:60:02', dstMac: '33:33:00:00:00:12' }),
  advertFrame(v3v6, { ...v6ip, ext: [{ type: 0 }, { type: 60, body: new Uint8Array(14) }] }, { srcMac: '52:54:00:00:60:02', dstMac: '33:33:00:00:00:12' }),
]));

// 7. unicast and checksum variants (v3 IPv4: ok, v2-style, old-unicast, bad; v2 bad)
const uni = { src: '10.70.0.1', dst: '10.70.0.2', ttl: 64 };
const v3u = (ck: 'ok' | 'v2-style' | 'old-unicast' | 'bad', i: number): Bytes =>
  advertFrame({ version: 3, vrid: 70, priority: 170, interval: 100, addresses: ['10.70.0.100'], checksum: ck }, { ...uni, id: i }, { srcMac: '52:54:00:00:70:01', dstMac: '52:54:00:00:70:02', pad: true });
files['unicast-checksums.pcap'] = pcapFile(frames([
  v3u('ok', 1), v3u('v2-style', 2), v3u('old-unicast', 3), v3u('bad', 4),
  advertFrame({ version: 3, vrid: 71, priority: 171, interval: 100, addresses: ['10.71.0.100'], checksum: 'v2-style' }, { src: '10.71.0.1' }, m1),
  advertFrame({ version: 2, vrid: 72, priority: 172, addresses: ['10.72.0.100'], checksum: 'bad' }, { src: '10.72.0.1' }, m1),
  advertFrame({ version: 2, vrid: 73, priority: 173, addresses: ['10.73.0.100'] }, uni, { srcMac: '52:54:00:00:70:01', dstMac: '52:54:00:00:70:02', pad: true }),
]));

// 8. rejects and look-alikes: bad version, bad type, count/length mismatch, TTL 254, v2 without
//    auth data, keepalived 2.4 HMAC trailer, fragment, CARP, ICMP admin-prohibited errors
const carp = concat([0x21, 5, 0, 7, 0, 1, 0, 0], new Uint8Array(28));
{
  let s = 0;
  for (let i = 0; i < carp.length; i += 2) s += (carp[i] << 8) | carp[i + 1];
  while (s > 0xffff) s = (s & 0xffff) + (s >>> 16);
  carp[6] = (~s >> 8) & 255; carp[7] = ~s & 255;
}
const quoted = vrrpIp({ version: 2, vrid: 80, priority: 180, addresses: ['10.80.0.100'] }, { src: '10.80.0.1', dst: '10.80.0.2' });
const quoted6 = vrrpIp({ version: 3, vrid: 81, priority: 181, interval: 100, addresses: ['2001:db8::81'] }, { family: 6, src: '2001:db8::1', dst: '2001:db8::2' });
files['rejects.pcap'] = pcapFile(frames([
  advertFrame({ version: 4, vrid: 90 }, { src: '10.90.0.1' }, m1),
  advertFrame({ version: 2, type: 2, vrid: 91 }, { src: '10.91.0.1' }, m1),
  advertFrame({ version: 2, vrid: 92, count: 4, addresses: ['10.92.0.100'] }, { src: '10.92.0.1' }, m1),
  advertFrame({ version: 2, vrid: 93, addresses: ['10.93.0.100'] }, { src: '10.93.0.1', ttl: 254 }, m1),
  advertFrame({ version: 2, vrid: 94, addresses: ['10.94.0.1', '10.94.0.2', '10.94.0.3'], omitAuth: true }, { src: '10.94.0.9' }, m1),
  advertFrame({ version: 3, vrid: 95, interval: 100, addresses: ['10.95.0.100'], trailer: new Uint8Array(28).fill(0xab) }, { src: '10.95.0.1' }, m1),
  linkFrame(0x0800, ipv4Packet(112, concat([0x21, 96, 100, 1, 0, 1, 0, 0], [10, 96, 0, 100]), { src: '10.96.0.1', fragWord: 0x2000 }), m1),
  linkFrame(0x0800, ipv4Packet(112, carp, { src: '10.97.0.1' }), m1),
  linkFrame(0x0800, icmpError(4, 13, quoted, { src: '10.80.0.2', dst: '10.80.0.1' }), { srcMac: '52:54:00:00:80:02', pad: true }),
  linkFrame(0x86dd, icmpError(6, 1, quoted6, { src: '2001:db8::2', dst: '2001:db8::1' }), { srcMac: '52:54:00:00:81:02' }),
]));

// 9. snaplen-short adverts: addresses cut (reject) and auth data cut (advert, checksum unknown)
{
  const a = v2(150, master, 0);
  files['snaplen-short.pcap'] = pcapFile([
    { sec: T0, nsec: 0, data: a, caplen: 14 + 20 + 8 + 2 },
    { sec: T0 + 1, nsec: 0, data: a, caplen: 14 + 20 + 8 + 8 + 4 },
  ], { snaplen: 54 });
}

// 10. broken files: truncated last record, corrupt record length, corrupt pcapng block, not a capture
{
  const good = pcapFile(frames([v2(150, master, 0), v2(150, master, 1), v2(150, master, 2)]));
  files['truncated-last.pcap'] = good.subarray(0, good.length - 10);
  const bad = good.slice();
  // third record header: 24 + 2 × (16 + frame) ; caplen field at +8
  const flen = v2(150, master, 0).length;
  const rec3 = 24 + 2 * (16 + flen);
  new DataView(bad.buffer).setUint32(rec3 + 8, 0x7fffffff, true);
  files['corrupt-length.pcap'] = bad;
  const ng = pcapngFile([{ interfaces: [{ linktype: 1 }], packets: [0, 1, 2].map((i) => ({ iface: 0, ts: BigInt(T0 + i) * 1_000_000n, data: v2(150, master, i) })) }]);
  const ngBad = ng.slice();
  // block length of the third EPB made not a multiple of 4
  const shbLen = 28, idbLen = 20, epbLen = 32 + ((flen + 3) & ~3);
  const third = shbLen + idbLen + 2 * epbLen;
  new DataView(ngBad.buffer).setUint32(third + 4, epbLen + 2, true);
  files['corrupt-block.pcapng'] = ngBad;
  files['truncated-last.pcapng'] = ng.subarray(0, ng.length - 6);
  files['not-a-capture.pcap'] = new TextEncoder().encode('This is not a capture file, just text.\n');
}

// 9. who claims the virtual addresses: ARP in every form (gratuitous request and reply, a reply, an RFC 5227
//    probe and its answer, a plain request, one on another VLAN, one not IPv4-over-Ethernet) and neighbour
//    discovery (unsolicited and solicited NA, NS with a source link-layer address, a DAD probe) from the
//    master's MAC; and NAs a neighbour ignores (bad checksum, hop limit 254, zero-length option, cut short)
//    from another MAC, which must not count as claims.
{
  const bcast = { srcMac: '52:54:00:00:00:01', dstMac: 'ff:ff:ff:ff:ff:ff', pad: true };
  const other = '52:54:00:00:00:66';
  const arp = (op: number, sha: string, spa: string, tha: string, tpa: string, l: object = bcast): Bytes => linkFrame(0x0806, arpPacket(op, sha, spa, tha, tpa), l);
  const nd = (pkt: Bytes, srcMac = '52:54:00:00:00:01', dstMac = '33:33:00:00:00:01'): Bytes => linkFrame(0x86dd, pkt, { srcMac, dstMac });
  const v3six = (i: number): Bytes => advertFrame({ version: 3, vrid: 52, priority: 150, interval: 100, addresses: ['fd00::100'] },
    { family: 6, src: 'fe80::5054:ff:fe00:1', dst: 'ff02::12' }, { srcMac: '52:54:00:00:00:01', dstMac: '33:33:00:00:00:12' });
  const cut = nd(ndPacket(136, 'fd00::100', { flags: 0x20, lla: other, src: 'fd00::100' }), other);
  const claims: Bytes[] = [
    arp(1, '52:54:00:00:00:01', '10.0.0.100', 'ff:ff:ff:ff:ff:ff', '10.0.0.100'),
    arp(2, '52:54:00:00:00:01', '10.0.0.101', 'ff:ff:ff:ff:ff:ff', '10.0.0.101'),
    arp(1, '52:54:00:00:00:09', '0.0.0.0', '00:00:00:00:00:00', '10.0.0.100', { srcMac: '52:54:00:00:00:09', dstMac: 'ff:ff:ff:ff:ff:ff', pad: true }),
    arp(2, '52:54:00:00:00:01', '10.0.0.100', '52:54:00:00:00:09', '0.0.0.0', { srcMac: '52:54:00:00:00:01', dstMac: '52:54:00:00:00:09', pad: true }),
    arp(1, '52:54:00:00:00:09', '10.0.0.9', '00:00:00:00:00:00', '10.0.0.1', { srcMac: '52:54:00:00:00:09', dstMac: 'ff:ff:ff:ff:ff:ff', pad: true }),
    arp(1, '52:54:00:00:00:0a', '10.10.0.100', 'ff:ff:ff:ff:ff:ff', '10.10.0.100', { srcMac: '52:54:00:00:00:0a', dstMac: 'ff:ff:ff:ff:ff:ff', vlans: [[0x8100, 10]], pad: true }),
    linkFrame(0x0806, (() => { const b = arpPacket(1, other, '10.0.0.100', 'ff:ff:ff:ff:ff:ff', '10.0.0.100'); b[1] = 6; return b; })(), { srcMac: other, dstMac: 'ff:ff:ff:ff:ff:ff', pad: true }),
    nd(ndPacket(136, 'fd00::100', { flags: 0x20, lla: '52:54:00:00:00:01', src: 'fd00::100', dst: 'ff02::1' })),
    nd(ndPacket(135, 'fd00::100', { lla: '52:54:00:00:00:09', src: 'fe80::9', dst: 'ff02::1:ff00:100' }), '52:54:00:00:00:09', '33:33:ff:00:01:00'),
    nd(ndPacket(136, 'fd00::100', { flags: 0x60, lla: '52:54:00:00:00:01', src: 'fe80::5054:ff:fe00:1', dst: 'fe80::9' }), '52:54:00:00:00:01', '52:54:00:00:00:09'),
    nd(ndPacket(135, 'fd00::200', { src: '::', dst: 'ff02::1:ff00:200' }), '52:54:00:00:00:09', '33:33:ff:00:02:00'),
    nd(ndPacket(136, 'fd00::100', { flags: 0x20, lla: other, src: 'fd00::100', badChecksum: true }), other),
    nd(ndPacket(136, 'fd00::100', { flags: 0x20, lla: other, src: 'fd00::100', ttl: 254 }), other),
    nd(ndPacket(136, 'fd00::100', { flags: 0x20, lla: other, src: 'fd00::100', extraOptions: [2, 0, 0, 0, 0, 0, 0, 0] }), other),
    cut,
  ];
  // the masters advertise once a second (two adverts, then two claims, 250 ms apart)
  const list: Bytes[] = [];
  for (let i = 0; i < claims.length; i += 2) list.push(v2(150, master, i / 2), v3six(i / 2), ...claims.slice(i, i + 2));
  list.push(v2(150, master, 9), v3six(9));
  const fr = frames(list, 250_000_000);
  const c = fr[list.indexOf(cut)]!;
  fr[list.indexOf(cut)] = { ...c, data: c.data.subarray(0, c.data.length - 4), origlen: c.data.length };
  files['neighbours.pcap'] = pcapFile(fr);
}

fs.mkdirSync(OUT, { recursive: true });
for (const [name, data] of Object.entries(files)) {
  fs.writeFileSync(path.join(OUT, name), data);
}
console.log(`wrote ${Object.keys(files).length} files to ${OUT}`);
