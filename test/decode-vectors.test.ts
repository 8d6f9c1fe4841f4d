// More decoder vectors, for the paths test/decode.test.ts reaches only through captures: Frame Relay
// (RFC 2427; each vector also read by `tcpdump -nn -v`, which decodes all six as the same VRRP advert),
// BSD loopback byte orders, Linux cooked headers without a 6-byte address, every truncation of the
// link, IP and VRRP headers, IPv6 extension-header edge cases, ICMP errors that quote too little,
// the fields a short VRRP header keeps, and libpcap's link-type names (pcap_datalink_val_to_name()).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PacketDecoder, plainOther } from '../src/decode/decoder.js';
import { Checksum, Kind, Reject } from '../src/decode/packet.js';
import { linktypeName, ipText6 } from '../src/decode/text.js';
import { sum16, fold16 } from '../src/decode/vrrp.js';
import { advertFrame, concat, hex, icmpError, ipv4Packet, ipv6Packet, linkFrame, vrrpIp, vrrpMessage } from './support/encode.js';

function dec(bytes: Uint8Array, linktype = 1): PacketDecoder {
  const d = new PacketDecoder();
  d.decode(bytes, 0, bytes.length, bytes.length, 5, 6, linktype);
  return d;
}

// The advert every Frame Relay vector carries: VRRPv2, VRID 7, prio 200, one address, 10.7.0.1 -> 224.0.0.18
const V4 = vrrpIp({ version: 2, vrid: 7, priority: 200, addresses: ['10.7.0.100'] }, { src: '10.7.0.1' });
const V6 = vrrpIp({ version: 3, vrid: 8, priority: 90, addresses: ['fe80::8'] }, { family: 6, src: 'fe80::1' });

test('Frame Relay (107): Q.922 address, UI, [pad], NLPID IPv4/IPv6/SNAP, and Cisco EtherType style', () => {
  const frames: [string, Uint8Array, number][] = [
    ['18 41 | 03 UI | cc IPv4', concat(hex`18 41 03 cc`, V4), 4],
    ['18 41 | 03 UI | 00 pad | cc IPv4', concat(hex`18 41 03 00 cc`, V4), 4],
    ['18 41 | 03 UI | 8e IPv6', concat(hex`18 41 03 8e`, V6), 6],
    ['18 41 | 03 UI | 80 SNAP, OUI 00 00 00, EtherType 08 00', concat(hex`18 41 03 80 00 00 00 08 00`, V4), 4],
    ['18 41 | EtherType 08 00 (Cisco)', concat(hex`18 41 08 00`, V4), 4],
    ['18 40 41 (3-byte address) | 03 UI | cc IPv4', concat(hex`18 40 41 03 cc`, V4), 4],
  ];
  for (const [what, f, family] of frames) {
    const r = dec(f, 107).rec;
    assert.equal(r.kind, Kind.Advert, what);
    assert.equal(r.family, family, what);
    assert.equal(r.vrid, family === 4 ? 7 : 8, what);
    assert.equal(r.srcText(), family === 4 ? '10.7.0.1' : 'fe80::1', what);
    assert.equal(r.macHi, -1, what);
    assert.equal(r.checksumStatus, Checksum.Ok, what);
  }
  const other: [string, Uint8Array][] = [
    ['address only', hex`18 41`],
    ['one byte', hex`18`],
    ['address, UI, nothing more', hex`18 41 03`],
    ['address, UI, pad, nothing more', hex`18 41 03 00`],
    ['NLPID 0x81 (ISO CLNP)', concat(hex`18 41 03 81`, V4)],
    ['SNAP cut inside its header', hex`18 41 03 80 00 00 00 08`],
    ['Cisco style, EtherType ARP-less 0x88cc', concat(hex`18 41 88 cc`, V4)],
    ['address without EA bit in 4 bytes, then nothing', hex`18 40 40 40`],
  ];
  for (const [what, f] of other) assert.equal(dec(f, 107).rec.kind, Kind.Other, what);
});

test('BSD loopback: address family in either byte order; AF_INET6 10/24/28/30; others and short headers ignored', () => {
  for (const [hdr, fam] of [['02 00 00 00', 4], ['00 00 00 02', 4], ['18 00 00 00', 6], ['00 00 00 1e', 6], ['0a 00 00 00', 6], ['00 00 00 1c', 6]] as const) {
    for (const lt of [0, 108]) {
      const r = dec(concat(hex(hdr), fam === 4 ? V4 : V6), lt).rec;
      assert.equal(r.kind, Kind.Advert, `${hdr} on ${lt}`);
      assert.equal(r.family, fam, `${hdr} on ${lt}`);
      assert.equal(r.macHi, -1);
    }
  }
  assert.equal(dec(concat(hex`07 00 00 00`, V4), 0).rec.kind, Kind.Other, 'AF 7');
  assert.equal(dec(concat(hex`00 02 00 00`, V4), 0).rec.kind, Kind.Other, 'AF 0x200 (neither order gives 2)');
  assert.equal(dec(concat(hex`02 00 00 00`, V6), 0).rec.kind, Kind.Other, 'AF_INET carrying IPv6');
  assert.equal(dec(hex`02 00 00`, 0).rec.kind, Kind.Other, 'three bytes');
});

test('Linux cooked capture: the source MAC only when the address length is 6', () => {
  const ip = V4;
  // SLL: pkttype 0, ARPHRD 1, addr len 6, address (8), protocol 0x0800
  const sll6 = concat(hex`00 00 00 01 00 06 52 54 00 12 34 56 00 00 08 00`, ip);
  const r6 = dec(sll6, 113).rec;
  assert.equal(r6.kind, Kind.Advert);
  assert.equal(r6.macText(), '52:54:00:12:34:56');
  // ARPHRD_NONE (tun), addr len 0: no MAC
  const sll0 = concat(hex`00 00 ff fe 00 00 00 00 00 00 00 00 00 00 08 00`, ip);
  const r0 = dec(sll0, 113).rec;
  assert.equal(r0.kind, Kind.Advert);
  assert.equal(r0.macHi, -1);
  assert.equal(r0.macText(), '');
  // SLL2: protocol 0x0800, reserved, ifindex 2, ARPHRD 1, pkttype 0, addr len 6, address (8)
  const sll2 = concat(hex`08 00 00 00 00 00 00 02 00 01 00 06 52 54 00 ab cd ef 00 00`, ip);
  assert.equal(dec(sll2, 276).rec.macText(), '52:54:00:ab:cd:ef');
  const sll2none = concat(hex`08 00 00 00 00 00 00 02 ff fe 00 00 00 00 00 00 00 00 00 00`, ip);
  const rn = dec(sll2none, 276).rec;
  assert.equal(rn.kind, Kind.Advert);
  assert.equal(rn.macHi, -1);
  // headers cut short
  assert.equal(dec(sll6.subarray(0, 15), 113).rec.kind, Kind.Other);
  assert.equal(dec(sll2.subarray(0, 19), 276).rec.kind, Kind.Other);
  assert.equal(dec(advertFrame().subarray(0, 13), 1).rec.kind, Kind.Other);
  // the MAC of an Ethernet advert is the source, not the destination
  const eth = dec(advertFrame({}, {}, { srcMac: '02:aa:bb:cc:dd:0e', dstMac: '01:00:5e:00:00:12' })).rec;
  assert.deepEqual([eth.macHi, eth.macLo, eth.macText()], [0x02aa, 0xbbccdd0e, '02:aa:bb:cc:dd:0e']);
});

test('decode(): bad offsets and empty frames are Other; caplen past the buffer is cut to it; the record keeps frame facts', () => {
  const f = advertFrame({ version: 3, addresses: ['10.0.0.1'] });
  const d = new PacketDecoder();
  assert.equal(d.decode(f, -1, f.length, f.length, 0, 0, 1), Kind.Other);
  assert.equal(d.decode(f, 0, 0, f.length, 0, 0, 1), Kind.Other);
  assert.equal(d.decode(f, f.length, 10, 10, 0, 0, 1), Kind.Other);
  assert.equal(d.decode(f, NaN, f.length, f.length, 0, 0, 1), Kind.Other);
  // caplen larger than the buffer: decoded from what is there
  assert.equal(d.decode(f, 0, f.length + 100, f.length + 100, 9, 10, 1), Kind.Advert);
  assert.deepEqual([d.rec.tsSec, d.rec.tsNsec, d.rec.linktype, d.rec.frameLen, d.rec.capLen], [9, 10, 1, f.length + 100, f.length + 100]);
  assert.equal(d.rec.reject, Reject.None);
  assert.equal(d.rec.buf, f);
  // ... and one byte short of the buffer: a truncated-addresses reject
  assert.equal(d.decode(f.subarray(0, f.length - 1), 0, f.length, f.length, 0, 0, 1), Kind.Reject);
  assert.equal(d.rec.reject, Reject.TruncatedAddresses);
  // an unsupported link type: the kind only
  assert.equal(d.decode(f, 0, f.length, f.length, 0, 0, 105), Kind.UnsupportedLink);
  assert.equal(d.rec.kind, Kind.UnsupportedLink);
  // ARP: family 0 (no IP fields), the sender MAC from the ARP body
  const arp = linkFrame(0x0806, concat(hex`00 01 08 00 06 04 00 01 52 54 00 00 00 07 0a 00 00 07 00 00 00 00 00 00 0a 00 00 64`));
  assert.equal(d.decode(arp, 0, arp.length, arp.length, 0, 0, 1), Kind.Arp);
  assert.deepEqual([d.rec.family, d.rec.arpOp, d.rec.macText(), d.rec.arpSpa, d.rec.arpTpa], [0, 1, '52:54:00:00:00:07', 0x0a000007, 0x0a000064]);
  // ARP that is not Ethernet/IPv4, or cut short: Other
  assert.equal(dec(linkFrame(0x0806, hex`00 06 08 00 06 04 00 01 52 54 00 00 00 07 0a 00 00 07 00 00 00 00 00 00 0a 00 00 64`)).rec.kind, Kind.Other);
  assert.equal(dec(linkFrame(0x0806, hex`00 01 86 dd 06 04 00 01 52 54 00 00 00 07 0a 00 00 07 00 00 00 00 00 00 0a 00 00 64`)).rec.kind, Kind.Other);
  assert.equal(dec(linkFrame(0x0806, hex`00 01 08 00 06 10 00 01 52 54 00 00 00 07 0a 00 00 07 00 00 00 00 00 00 0a 00 00 64`)).rec.kind, Kind.Other);
  assert.equal(dec(linkFrame(0x0806, hex`00 01 08 00 08 04 00 01 52 54 00 00 00 07 0a 00 00 07 00 00 00 00 00 00 0a 00 00 64`)).rec.kind, Kind.Other);
  assert.equal(dec(linkFrame(0x0806, hex`01 01 08 00 06 04 00 01 52 54 00 00 00 07 0a 00 00 07 00 00 00 00 00 00 0a 00 00`)).rec.kind, Kind.Other);
  assert.equal(dec(linkFrame(0x0806, hex`00 01 08 01 06 04 00 01 52 54 00 00 00 07 0a 00 00 07 00 00 00 00 00 00 0a 00 00 64`)).rec.kind, Kind.Other);
});

test('VLAN tags: more than 8 stacked is Other; a tag cut short is Other; the tag id is 12 bits (PCP/DEI masked)', () => {
  const tags: [number, number][] = [];
  for (let i = 0; i < 8; i++) tags.push([0x8100, i + 1]);
  assert.deepEqual([dec(advertFrame({}, {}, { vlans: tags })).rec.kind, dec(advertFrame({}, {}, { vlans: tags })).rec.vlan], [Kind.Advert, 8]);
  assert.equal(dec(advertFrame({}, {}, { vlans: [...tags, [0x8100, 9]] })).rec.kind, Kind.Other);
  // PCP 7, DEI 1, VLAN 0x123: tag control e1 23
  const f = concat(hex`01 00 5e 00 00 12 02 00 00 00 00 0a 81 00 f1 23 08 00`, V4);
  assert.deepEqual([dec(f).rec.vlan, dec(f).rec.vlanOuter], [0x123, -1]);
  // a tag with 3 of its 4 bytes
  assert.equal(dec(hex`01 00 5e 00 00 12 02 00 00 00 00 0a 81 00 00 05 08`).rec.kind, Kind.Other);
  // an untagged frame after a tagged one: no VLAN left over
  const d = new PacketDecoder();
  const t = advertFrame({}, {}, { vlans: [[0x88a8, 100], [0x8100, 10]] });
  d.decode(t, 0, t.length, t.length, 0, 0, 1);
  assert.deepEqual([d.rec.vlan, d.rec.vlanOuter], [10, 100]);
  const u = advertFrame();
  d.decode(u, 0, u.length, u.length, 0, 0, 1);
  assert.deepEqual([d.rec.vlan, d.rec.vlanOuter], [-1, -1]);
});

test('IPv4 edge cases: short headers, IHL below 5, total below IHL, AH cut or pointing past the packet, ICMP fragments', () => {
  const ip = ipv4Packet(112, vrrpMessage({ version: 2 }));
  const rej = (p: Uint8Array): [number, number] => { const r = dec(linkFrame(0x0800, p)).rec; return [r.kind, r.reject]; };
  // fewer than 10 bytes of IP: not even the protocol byte
  assert.equal(dec(linkFrame(0x0800, ip.subarray(0, 9))).rec.kind, Kind.Other);
  // 10..19 bytes of a protocol-112 header: truncated IP, addresses unknown
  const d = new PacketDecoder();
  const cut = linkFrame(0x0800, ip.subarray(0, 19));
  assert.equal(d.decode(cut, 0, cut.length, cut.length, 0, 0, 1), Kind.Reject);
  assert.deepEqual([d.rec.reject, d.rec.family, d.rec.src0, d.rec.ttl, d.rec.ipId, d.rec.vrrpLength], [Reject.TruncatedIp, 4, 0, 0, -1, 0]);
  // the same for ICMP: not of interest
  assert.equal(dec(linkFrame(0x0800, ipv4Packet(1, new Uint8Array(8)).subarray(0, 19))).rec.kind, Kind.Other);
  // IHL 4 (16 bytes): bad header
  const ihl4 = Uint8Array.from(ip); ihl4[0] = 0x44;
  assert.deepEqual(rej(ihl4), [Kind.Reject, Reject.BadIpHeader]);
  const icmpIhl4 = Uint8Array.from(ipv4Packet(1, new Uint8Array(30))); icmpIhl4[0] = 0x44;
  assert.equal(dec(linkFrame(0x0800, icmpIhl4)).rec.kind, Kind.Other);
  // total length 19 < IHL 20
  assert.deepEqual(rej(ipv4Packet(112, vrrpMessage({}), { lengthField: 19 })), [Kind.Reject, Reject.BadIpHeader]);
  // total length exactly the header: no VRRP bytes
  assert.deepEqual(rej(ipv4Packet(112, vrrpMessage({}), { lengthField: 20 })), [Kind.Reject, Reject.TruncatedVrrp]);
  // IHL 6 (an option) but only 20 bytes captured: truncated IP with the VRRP length known
  const opt = ipv4Packet(112, vrrpMessage({ version: 2 }), { options: new Uint8Array([1, 1, 1, 1]) });
  const o = new PacketDecoder();
  const of = linkFrame(0x0800, opt.subarray(0, 22));
  assert.equal(o.decode(of, 0, of.length, of.length, 0, 0, 1), Kind.Reject);
  assert.deepEqual([o.rec.reject, o.rec.vrrpLength, o.rec.family, o.rec.ttl], [Reject.TruncatedIp, opt.length - 24, 4, 255]);
  // an ICMP fragment, an ICMP with IHL past the capture: Other, family cleared
  const fi = new PacketDecoder();
  const icmpFrag = linkFrame(0x0800, ipv4Packet(1, new Uint8Array(40), { fragWord: 0x2000 }));
  assert.equal(fi.decode(icmpFrag, 0, icmpFrag.length, icmpFrag.length, 0, 0, 1), Kind.Other);
  const icmpOpt = linkFrame(0x0800, ipv4Packet(1, new Uint8Array(40), { options: new Uint8Array(8) }).subarray(0, 24));
  assert.equal(fi.decode(icmpOpt, 0, icmpOpt.length, icmpOpt.length, 0, 0, 1), Kind.Other);
  // fragment of protocol 112: rejected with the fragment's payload length; offset-only (no MF) too
  const fr = new PacketDecoder();
  const fp = linkFrame(0x0800, ipv4Packet(112, vrrpMessage({ version: 2 }), { fragWord: 0x0001 }));
  assert.equal(fr.decode(fp, 0, fp.length, fp.length, 0, 0, 1), Kind.Reject);
  assert.deepEqual([fr.rec.reject, fr.rec.vrrpLength], [Reject.Fragment, 20]);
  // DF alone (0x4000) is not a fragment
  assert.equal(dec(linkFrame(0x0800, ipv4Packet(112, vrrpMessage({ version: 2 }), { fragWord: 0x4000 }))).rec.kind, Kind.Advert);
  // AH: cut right after the IP header, a length pointing past the packet, IHL < 5 before AH
  const msg = vrrpMessage({ version: 2, authType: 2 });
  const ahOk = concat([112, 4, 0, 0], new Uint8Array(20));
  const full = ipv4Packet(51, concat(ahOk, msg));
  assert.equal(dec(linkFrame(0x0800, full)).rec.kind, Kind.Advert);
  assert.equal(dec(linkFrame(0x0800, full.subarray(0, 21))).rec.kind, Kind.Other);
  const ahLong = ipv4Packet(51, concat([112, 40, 0, 0], new Uint8Array(20), msg));
  assert.deepEqual(rej(ahLong), [Kind.Reject, Reject.BadIpHeader]);
  const ahIhl4 = Uint8Array.from(full); ahIhl4[0] = 0x44;
  assert.equal(dec(linkFrame(0x0800, ahIhl4)).rec.kind, Kind.Other);
  // AH's first two bytes captured, nothing after: the VRRP message (24 bytes on) is cut
  const ahCut = new PacketDecoder();
  const ac = linkFrame(0x0800, full.subarray(0, 22));
  ahCut.decode(ac, 0, ac.length, ac.length, 0, 0, 1);
  assert.deepEqual([ahCut.rec.kind, ahCut.rec.reject, ahCut.rec.vrrpLength], [Kind.Reject, Reject.TruncatedVrrp, 20]);
  // not IPv4 at all behind EtherType 0x0800
  const v6in4 = Uint8Array.from(ip); v6in4[0] = 0x65;
  assert.equal(dec(linkFrame(0x0800, v6in4)).rec.kind, Kind.Other);
});

test('IPv6 edge cases: short header, zero payload length, extension chains (too long, unknown, cut), fragments of ICMPv6', () => {
  // fewer than 7 bytes: Other; 7..39 bytes with next header 112: truncated IP; with 58: Other
  const p = ipv6Packet(112, vrrpMessage({ version: 3 }, { family: 6 }));
  assert.equal(dec(p.subarray(0, 6), 101).rec.kind, Kind.Other);
  const t = new PacketDecoder();
  t.decode(p, 0, 39, p.length, 0, 0, 101);
  assert.deepEqual([t.rec.kind, t.rec.reject, t.rec.family, t.rec.src0, t.rec.ttl], [Kind.Reject, Reject.TruncatedIp, 6, 0, 0]);
  assert.equal(dec(ipv6Packet(58, new Uint8Array(48)).subarray(0, 39), 101).rec.kind, Kind.Other);
  assert.equal(dec(ipv6Packet(0, new Uint8Array(48)).subarray(0, 39), 101).rec.kind, Kind.Other);
  // next header TCP: Other; version 4 in the first nibble: Other
  assert.equal(dec(ipv6Packet(6, new Uint8Array(20)), 101).rec.kind, Kind.Other);
  const v = Uint8Array.from(p); v[0] = 0x4c;
  assert.equal(dec(linkFrame(0x86dd, v)).rec.kind, Kind.Other);
  // payload length 0 with a whole advert behind: bad header
  const z = new PacketDecoder();
  const zp = ipv6Packet(112, vrrpMessage({ version: 3 }, { family: 6 }), { lengthField: 0 });
  assert.equal(z.decode(zp, 0, zp.length, zp.length, 0, 0, 101), Kind.Reject);
  assert.deepEqual([z.rec.reject, z.rec.srcText(), z.rec.dstText(), z.rec.ttl], [Reject.BadIpHeader, 'fe80::10', 'ff02::12', 255]);
  // extension headers longer than the payload length says: bad header
  const longExt = ipv6Packet(112, vrrpMessage({ version: 3 }, { family: 6 }), { ext: [{ type: 60, body: new Uint8Array(30) }], lengthField: 16 });
  assert.deepEqual([dec(longExt, 101).rec.kind, dec(longExt, 101).rec.reject], [Kind.Reject, Reject.BadIpHeader]);
  // eight extension headers are walked, a ninth is not
  const eight = Array.from({ length: 8 }, () => ({ type: 60 }));
  assert.equal(dec(advertFrame({ version: 3 }, { family: 6, ext: eight }), 1).rec.kind, Kind.Advert);
  assert.equal(dec(advertFrame({ version: 3 }, { family: 6, ext: [...eight, { type: 60 }] }), 1).rec.kind, Kind.Other);
  // an extension header cut short, one of an unknown type inside the chain
  const cutExt = advertFrame({ version: 3 }, { family: 6, ext: [{ type: 0 }] });
  assert.equal(dec(cutExt.subarray(0, 14 + 40 + 7)).rec.kind, Kind.Other);
  const unknown = ipv6Packet(0, concat([135, 0, 0, 0, 0, 0, 0, 0], vrrpMessage({ version: 3 }, { family: 6 })));
  assert.equal(dec(unknown, 101).rec.kind, Kind.Other);
  // AH length (len + 2) * 4: a 16-byte AH (len 2)
  assert.equal(dec(advertFrame({ version: 3 }, { family: 6, ext: [{ type: 51, body: new Uint8Array(14) }] })).rec.kind, Kind.Advert);
  // routing header of 16 bytes (len 1)
  assert.equal(dec(advertFrame({ version: 3, vrid: 3 }, { family: 6, ext: [{ type: 43, body: new Uint8Array(14) }] })).rec.vrid, 3);
  // a fragment header with M set, and one with only an offset: fragments; ICMPv6 behind a fragment: Other
  for (const body of [[0, 1, 0, 0, 0, 1], [0, 8, 0, 0, 0, 1]]) {
    const fr = dec(advertFrame({ version: 3 }, { family: 6, ext: [{ type: 44, body: new Uint8Array(body) }] })).rec;
    assert.deepEqual([fr.kind, fr.reject], [Kind.Reject, Reject.Fragment], String(body));
    assert.equal(fr.vrrpLength, 24); // the VRRP message after the 8-byte fragment header: 8 + one IPv6 address
  }
  // reserved bits (0x0006) in the fragment word are not a fragment
  assert.equal(dec(advertFrame({ version: 3 }, { family: 6, ext: [{ type: 44, body: new Uint8Array([0, 6, 0, 0, 0, 1]) }] })).rec.kind, Kind.Advert);
  const q6 = vrrpIp({ version: 3 }, { family: 6, src: '2001:db8::1', dst: '2001:db8::2' });
  const icmpFrag = ipv6Packet(58, concat([1, 1, 0, 0, 0, 0, 0, 0], q6), { ext: [{ type: 44, body: new Uint8Array([0, 1, 0, 0, 0, 1]) }] });
  assert.equal(dec(icmpFrag, 101).rec.kind, Kind.Other);
});

test('ICMP errors: type, quoted header checks, quoted VRID only when its bytes are there; the quoted addresses as text', () => {
  const q4 = vrrpIp({ version: 2, vrid: 80 }, { src: '10.80.0.1', dst: '10.80.0.2' });
  const r = dec(linkFrame(0x0800, icmpError(4, 10, q4, { src: '10.80.0.2', dst: '10.80.0.1' }))).rec;
  assert.deepEqual([r.kind, r.icmpType, r.icmpCode, r.qvrid, r.qsrcText(), r.qdstText(), r.family], [Kind.IcmpError, 3, 10, 80, '10.80.0.1', '10.80.0.2', 4]);
  // quoting only the IP header (20 bytes): no VRID
  const hdrOnly = concat([3, 13, 0, 0, 0, 0, 0, 0], q4.subarray(0, 20));
  const h = dec(linkFrame(0x0800, ipv4Packet(1, hdrOnly))).rec;
  assert.deepEqual([h.kind, h.qvrid], [Kind.IcmpError, -1]);
  // quoting 21 bytes: still no VRID (the VRID is the second VRRP byte)
  assert.equal(dec(linkFrame(0x0800, ipv4Packet(1, concat([3, 13, 0, 0, 0, 0, 0, 0], q4.subarray(0, 21))))).rec.qvrid, -1);
  assert.equal(dec(linkFrame(0x0800, ipv4Packet(1, concat([3, 13, 0, 0, 0, 0, 0, 0], q4.subarray(0, 22))))).rec.qvrid, 80);
  // quoting 19 bytes, a time-exceeded (type 11), a quoted IPv6 header, a quoted protocol 17: Other
  assert.equal(dec(linkFrame(0x0800, ipv4Packet(1, concat([3, 13, 0, 0, 0, 0, 0, 0], q4.subarray(0, 19))))).rec.kind, Kind.Other);
  assert.equal(dec(linkFrame(0x0800, ipv4Packet(1, concat([11, 0, 0, 0, 0, 0, 0, 0], q4)))).rec.kind, Kind.Other);
  const q4v6 = Uint8Array.from(q4); q4v6[0] = 0x65;
  assert.equal(dec(linkFrame(0x0800, ipv4Packet(1, concat([3, 13, 0, 0, 0, 0, 0, 0], q4v6)))).rec.kind, Kind.Other);
  const q4udp = Uint8Array.from(q4); q4udp[9] = 17;
  assert.equal(dec(linkFrame(0x0800, ipv4Packet(1, concat([3, 13, 0, 0, 0, 0, 0, 0], q4udp)))).rec.kind, Kind.Other);
  // a quoted header with options: the VRID is found after them
  const qOpt = ipv4Packet(112, vrrpMessage({ version: 2, vrid: 99 }), { options: new Uint8Array([1, 1, 1, 1]) });
  assert.equal(dec(linkFrame(0x0800, ipv4Packet(1, concat([3, 9, 0, 0, 0, 0, 0, 0], qOpt)))).rec.qvrid, 99);

  const q6 = vrrpIp({ version: 3, vrid: 81 }, { family: 6, src: '2001:db8::1', dst: 'ff02::12' });
  const r6 = dec(linkFrame(0x86dd, icmpError(6, 1, q6, { src: '2001:db8::2', dst: '2001:db8::1' }))).rec;
  assert.deepEqual([r6.kind, r6.icmpType, r6.icmpCode, r6.qvrid, r6.qsrcText(), r6.qdstText(), r6.srcText()],
    [Kind.IcmpError, 1, 1, 81, '2001:db8::1', 'ff02::12', '2001:db8::2']);
  const i6 = (quoted: Uint8Array, type = 1): Uint8Array => ipv6Packet(58, concat([type, 1, 0, 0, 0, 0, 0, 0], quoted));
  assert.equal(dec(i6(q6.subarray(0, 40)), 101).rec.qvrid, -1);
  assert.equal(dec(i6(q6.subarray(0, 41)), 101).rec.qvrid, -1);
  assert.equal(dec(i6(q6.subarray(0, 42)), 101).rec.qvrid, 81);
  assert.equal(dec(i6(q6.subarray(0, 39)), 101).rec.kind, Kind.Other);
  assert.equal(dec(i6(q6, 3), 101).rec.kind, Kind.Other, 'time exceeded');
  const q6x = Uint8Array.from(q6); q6x[6] = 17;
  assert.equal(dec(i6(q6x), 101).rec.kind, Kind.Other, 'quoted UDP');
  const q6v = Uint8Array.from(q6); q6v[0] = 0x45;
  assert.equal(dec(i6(q6v), 101).rec.kind, Kind.Other, 'quoted IPv4 header in ICMPv6');
});

test('short VRRP headers keep what was captured; non-2/3 versions drop auth and interval', () => {
  const full = vrrpMessage({ version: 2, vrid: 42, priority: 150, authType: 1, interval: 3, addresses: ['10.0.0.1'] });
  const at = (n: number): PacketDecoder => dec(linkFrame(0x0800, ipv4Packet(112, full.subarray(0, n))));
  const fields = (d: PacketDecoder) => { const r = d.rec; return [r.kind, r.reject, r.version, r.type, r.vrid, r.priority, r.count, r.authType, r.intervalRaw, r.intervalCs, r.checksum]; };
  const ck = (full[6] << 8) | full[7];
  assert.deepEqual(fields(at(1)), [Kind.Reject, Reject.TruncatedVrrp, 2, 1, 0, 0, 0, -1, 0, 0, 0]);
  assert.deepEqual(fields(at(2)), [Kind.Reject, Reject.TruncatedVrrp, 2, 1, 42, 0, 0, -1, 0, 0, 0]);
  assert.deepEqual(fields(at(3)), [Kind.Reject, Reject.TruncatedVrrp, 2, 1, 42, 150, 0, -1, 0, 0, 0]);
  assert.deepEqual(fields(at(4)), [Kind.Reject, Reject.TruncatedVrrp, 2, 1, 42, 150, 1, -1, 0, 0, 0]);
  assert.deepEqual(fields(at(5)), [Kind.Reject, Reject.TruncatedVrrp, 2, 1, 42, 150, 1, -1, 0, 0, 0]);
  assert.deepEqual(fields(at(6)), [Kind.Reject, Reject.TruncatedVrrp, 2, 1, 42, 150, 1, 1, 3, 300, 0]);
  assert.deepEqual(fields(at(7)), [Kind.Reject, Reject.TruncatedVrrp, 2, 1, 42, 150, 1, 1, 3, 300, 0]);
  assert.equal(at(7).rec.vrrpLength, 7);
  // v3, 6 bytes: the 12-bit interval (reserved nibble ignored)
  const v3 = vrrpMessage({ version: 3, vrid: 9, interval: 0x123, rsvd: 0xf, addresses: ['10.0.0.1'] });
  assert.deepEqual(fields(dec(linkFrame(0x0800, ipv4Packet(112, v3.subarray(0, 6))))), [Kind.Reject, Reject.TruncatedVrrp, 3, 1, 9, 100, 1, -1, 0x123, 0x123, 0]);
  // the captured 8-byte header of a message the IP length says is 7 bytes long
  const ipShort = dec(linkFrame(0x0800, ipv4Packet(112, full, { lengthField: 27 }))).rec;
  assert.deepEqual([ipShort.kind, ipShort.reject, ipShort.vrid, ipShort.vrrpLength], [Kind.Reject, Reject.TruncatedVrrp, 42, 7]);
  // eight bytes of a longer message captured: the checksum too
  const eight = new PacketDecoder();
  const f = linkFrame(0x0800, ipv4Packet(112, full));
  eight.decode(f, 0, 14 + 20 + 8, f.length, 0, 0, 1);
  assert.deepEqual([eight.rec.kind, eight.rec.reject, eight.rec.checksum, eight.rec.addrCaptured, eight.rec.vrrpLength], [Kind.Reject, Reject.TruncatedAddresses, ck, 0, 20]);
  // short and of a bad version or type, or v2 over IPv6
  assert.equal(dec(linkFrame(0x0800, ipv4Packet(112, hex`41 01 64`))).rec.reject, Reject.BadVersion);
  assert.equal(dec(linkFrame(0x0800, ipv4Packet(112, hex`11 01 64`))).rec.reject, Reject.BadVersion);
  assert.equal(dec(linkFrame(0x0800, ipv4Packet(112, hex`22 01 64`))).rec.reject, Reject.BadType);
  assert.equal(dec(linkFrame(0x0800, ipv4Packet(112, hex`30 01 64`))).rec.reject, Reject.BadType);
  assert.equal(dec(ipv6Packet(112, hex`21 01 64`), 101).rec.reject, Reject.BadVersion);
  assert.equal(dec(ipv6Packet(112, hex`31 01 64`), 101).rec.reject, Reject.TruncatedVrrp);
  // whole headers of a bad version: auth type and interval not reported
  for (const version of [0, 1, 4, 15]) {
    const r = dec(advertFrame({ version, authType: 1, interval: 5 })).rec;
    assert.deepEqual([r.kind, r.reject, r.version, r.authType, r.intervalRaw, r.intervalCs], [Kind.Reject, Reject.BadVersion, version, -1, 0, 0], `v${version}`);
  }
  // v2 over IPv6 with a whole header: auth type and interval as sent
  const v2v6 = dec(advertFrame({ version: 2, authType: 1, interval: 5 }, { family: 6 })).rec;
  assert.deepEqual([v2v6.reject, v2v6.authType, v2v6.intervalRaw], [Reject.BadVersion, 1, 5]);
});

test('VRRP body: address counts per family, captured addresses on a truncation, auth data, v3 interval nibble, trailers', () => {
  // v3 over IPv6 with 3 addresses, cut inside the third: two captured
  const f = advertFrame({ version: 3, addresses: ['fe80::1', 'fe80::2', 'fe80::3'] }, { family: 6 });
  const d = new PacketDecoder();
  d.decode(f, 0, f.length - 1, f.length, 0, 0, 1);
  assert.deepEqual([d.rec.reject, d.rec.addrCaptured, d.rec.addresses()], [Reject.TruncatedAddresses, 2, ['fe80::1', 'fe80::2']]);
  // IPv4, cut inside the second of two: one captured
  const g = advertFrame({ version: 3, addresses: ['10.0.0.1', '10.0.0.2'] });
  d.decode(g, 0, g.length - 1, g.length, 0, 0, 1);
  assert.deepEqual([d.rec.reject, d.rec.addrCaptured, d.rec.addresses()], [Reject.TruncatedAddresses, 1, ['10.0.0.1']]);
  // a v3 message of exactly its addresses has no trailer; one byte more is a trailer
  const ok = dec(advertFrame({ version: 3, addresses: ['10.0.0.1'] })).rec;
  assert.deepEqual([ok.kind, ok.trailingBytes, ok.addrCaptured, ok.vrrpLength], [Kind.Advert, 0, 1, 12]);
  const odd = dec(advertFrame({ version: 3, addresses: ['10.0.0.1'], trailer: new Uint8Array([0xab]) })).rec;
  assert.deepEqual([odd.kind, odd.trailingBytes, odd.checksumStatus], [Kind.Advert, 1, Checksum.Ok]);
  const odd3 = dec(advertFrame({ version: 2, addresses: ['10.0.0.1'], trailer: new Uint8Array([1, 2, 3]) })).rec;
  assert.deepEqual([odd3.kind, odd3.trailingBytes, odd3.checksumStatus], [Kind.Advert, 3, Checksum.Ok]);
  // v2 auth data of 8 characters (no NUL), and with a NUL inside
  assert.equal(dec(advertFrame({ version: 2, authType: 1, auth: 'abcdefgh' })).rec.authText(), 'abcdefgh');
  assert.equal(dec(advertFrame({ version: 2, authType: 1, auth: 'abcde' })).rec.authText(), 'abcde');
  assert.equal(dec(advertFrame({ version: 2, authType: 1, auth: new Uint8Array([0x41, 0x42, 0, 0x43]) })).rec.authText(), 'AB');
  assert.equal(dec(advertFrame({ version: 2, authType: 1, auth: '' })).rec.authText(), '');
  const hi = dec(advertFrame({ version: 2, authType: 1, auth: new Uint8Array([0xff, 0x80, 0x7f, 0x20, 0xc3, 0xa9, 0x01, 0x02]) })).rec;
  assert.deepEqual([hi.authHi, hi.authLo, hi.authText()], [0xff807f20, 0xc3a90102, '\u00ff\u0080\u007f \u00c3\u00a9\u0001\u0002']);
  // v3: auth type -1 and no auth data read even when bytes follow
  const v3 = dec(advertFrame({ version: 3, interval: 0xfff, rsvd: 0xf, addresses: ['10.0.0.1'], trailer: new Uint8Array([0x61, 0x62, 0x63, 0x64, 0x65, 0x66, 0x67, 0x68]) })).rec;
  assert.deepEqual([v3.authType, v3.authHi, v3.authLo, v3.intervalRaw, v3.intervalCs, v3.authText()], [-1, 0, 0, 0xfff, 0xfff, '']);
  // v2 with auth type 1 but no auth data: the count/length rule, not authDataMissing
  const noAuth = dec(advertFrame({ version: 2, authType: 1, omitAuth: true })).rec;
  assert.deepEqual([noAuth.kind, noAuth.reject], [Kind.Reject, Reject.CountLengthMismatch]);
  // CARP needs all three: version 2, 36 bytes and byte 3 = 7
  const carp = (b0: number, count: number, len: number) => dec(linkFrame(0x0800, ipv4Packet(112, concat([b0, 5, 0, count, 0, 1, 0, 0], new Uint8Array(len - 8))))).rec.kind;
  assert.equal(carp(0x21, 7, 36), Kind.Carp);
  assert.notEqual(carp(0x31, 7, 36), Kind.Carp);
  assert.notEqual(carp(0x21, 7, 40), Kind.Carp);
  assert.notEqual(carp(0x21, 6, 36), Kind.Carp);
  // addresses hash the same bytes the same way whatever the rest of the advert
  const h1 = dec(advertFrame({ version: 3, vrid: 1, addresses: ['fe80::1'] }, { family: 6 })).rec.addrHash;
  const h2 = dec(advertFrame({ version: 3, vrid: 2, priority: 1, addresses: ['fe80::1'] }, { family: 6, src: 'fe80::99' })).rec.addrHash;
  const h3 = dec(advertFrame({ version: 3, addresses: ['fe80::2'] }, { family: 6 })).rec.addrHash;
  assert.equal(h1, h2);
  assert.notEqual(h1, h3);
  // FNV-1a 32 of the four bytes 0a 00 00 01 (10.0.0.1), worked by hand from the FNV reference constants
  assert.equal(dec(advertFrame({ version: 3, addresses: ['10.0.0.1'] })).rec.addrHash, fnv1a([10, 0, 0, 1]));
});

/** FNV-1a 32-bit (offset basis 2166136261, prime 16777619), written out from the FNV specification. */
function fnv1a(bytes: number[]): number {
  let h = 2166136261n;
  for (const b of bytes) h = ((h ^ BigInt(b)) * 16777619n) % 4294967296n;
  return Number(h);
}

test('checksums: sum16 over odd lengths pads a zero byte; fold16 carries twice; old-unicast never for the multicast group', () => {
  // RFC 1071 §3 example: 00 01 f2 03 f4 f5 f6 f7 sums to 0x2ddf0, folded 0xddf2
  const ex = hex`00 01 f2 03 f4 f5 f6 f7`;
  assert.equal(sum16(ex, 0, 8), 0x2ddf0);
  assert.equal(fold16(0x2ddf0), 0xddf2);
  assert.equal(sum16(ex, 0, 7), 0x2ddf0 - 0xf7);
  assert.equal(sum16(ex, 1, 3), 0x01f2 + 0x0300);
  assert.equal(sum16(ex, 0, 0), 0);
  // 0x1fffe folds to 0xffff in one step; 0xffff_ffff needs the second carry: ffff + ffff = 1fffe -> ffff
  assert.equal(fold16(0x1fffe), 0xffff);
  assert.equal(fold16(0xffffffff), 0xffff);
  assert.equal(fold16(0x0001ffff), 0x0001);
  // a VRRPv3/IPv4 advert to the group whose checksum is the standard one is Ok (never OldUnicast)
  assert.equal(dec(advertFrame({ version: 3, checksum: 'old-unicast' })).rec.checksumStatus, Checksum.Ok);
  // v3/IPv6 with a wrong checksum and a trailer: bad both ways
  assert.equal(dec(advertFrame({ version: 3, checksum: 'bad', trailer: new Uint8Array(4) }, { family: 6 })).rec.checksumStatus, Checksum.Bad);
  // v3/IPv6 whose checksum covers only the message without its trailer
  const msg = vrrpMessage({ version: 3, addresses: ['fe80::1'] }, { family: 6 });
  const withTrailer = ipv6Packet(112, concat(msg, new Uint8Array([9, 9, 9, 9])));
  assert.equal(dec(withTrailer, 101).rec.checksumStatus, Checksum.Ok);
  // v3/IPv4 v2-style checksum with a trailer left out of it
  const v2s = vrrpMessage({ version: 3, checksum: 'v2-style', addresses: ['10.0.0.1'] });
  assert.equal(dec(linkFrame(0x0800, ipv4Packet(112, concat(v2s, new Uint8Array([7, 7]))))).rec.checksumStatus, Checksum.V2Style);
});

test('plainOther: one vector per branch, each link type, bounds of frame and buffer', () => {
  const eth = (et: string, ip: string) => hex(`01 00 5e 00 00 12 02 00 00 00 00 0a ${et} ${ip}`);
  const ipHdr = (b0: string, proto: string) => `${b0} 00 00 28 00 01 00 00 40 ${proto} 00 00 0a 00 00 01 0a 00 00 02`;
  const po = (b: Uint8Array, lt = 1, caplen = b.length, off = 0) => plainOther(b, off, caplen, lt);
  assert.equal(po(eth('08 00', ipHdr('45', '06'))), true, 'IPv4 TCP');
  assert.equal(po(eth('08 00', ipHdr('45', '11'))), true, 'IPv4 UDP');
  assert.equal(po(eth('08 00', ipHdr('45', '70'))), false, 'IPv4 VRRP');
  assert.equal(po(eth('08 00', ipHdr('45', '01'))), false, 'IPv4 ICMP');
  assert.equal(po(eth('08 00', ipHdr('45', '33'))), false, 'IPv4 AH');
  assert.equal(po(eth('08 00', ipHdr('65', '70'))), true, 'version 6 behind 0x0800: decode says Other');
  for (const et of ['86 dd', '08 06', '81 00', '88 a8', '91 00']) assert.equal(po(eth(et, ipHdr('45', '06'))), false, et);
  for (const et of ['88 cc', '08 35', '88 8e', '00 00']) assert.equal(po(eth(et, ipHdr('45', '06'))), true, et);
  // the protocol byte (IP offset 9) must be inside the frame and the buffer
  const tcp = eth('08 00', ipHdr('45', '06'));
  assert.equal(po(tcp, 1, 14 + 10), true);
  assert.equal(po(tcp, 1, 14 + 9), false);
  assert.equal(po(tcp.subarray(0, 14 + 9), 1, 100), false);
  assert.equal(po(tcp.subarray(0, 14 + 10), 1, 100), true);
  // an offset into a larger buffer
  const padded = concat(new Uint8Array(5), tcp);
  assert.equal(po(padded, 1, tcp.length, 5), true);
  assert.equal(po(concat(new Uint8Array(5), eth('08 00', ipHdr('45', '70'))), 1, tcp.length, 5), false);
  // SLL: EtherType at 14, IP at 16; SLL2: EtherType at 0, IP at 20
  const sll = (et: string, proto: string) => hex(`00 00 00 01 00 06 02 00 00 00 00 0a 00 00 ${et} ${ipHdr('45', proto)}`);
  assert.equal(po(sll('08 00', '06'), 113), true);
  assert.equal(po(sll('08 00', '70'), 113), false);
  assert.equal(po(sll('86 dd', '06'), 113), false);
  assert.equal(po(sll('08 00', '06'), 113, 16 + 9), false);
  const sll2 = (et: string, proto: string) => hex(`${et} 00 00 00 00 00 02 00 01 00 06 02 00 00 00 00 0a 00 00 ${ipHdr('45', proto)}`);
  assert.equal(po(sll2('08 00', '06'), 276), true);
  assert.equal(po(sll2('08 00', '70'), 276), false);
  assert.equal(po(sll2('08 06', '06'), 276), false);
  assert.equal(po(sll2('08 00', '06'), 276, 20 + 9), false);
  // other link types are left to decode
  for (const lt of [0, 12, 101, 105, 107, 108, 228]) assert.equal(po(tcp, lt), false, `linktype ${lt}`);
});

// Expected texts: glibc's inet_ntop (python3 socket.inet_ntop), which tcpdump's addrtostr6 follows.
test('IPv6 text: zero runs at the start, the end and alone; IPv4-mapped and compatible forms only where inet_ntop uses them', () => {
  const w = (g: number[]): [number, number, number, number] =>
    [((g[0] << 16) | g[1]) >>> 0, ((g[2] << 16) | g[3]) >>> 0, ((g[4] << 16) | g[5]) >>> 0, ((g[6] << 16) | g[7]) >>> 0];
  const t = (g: number[]) => ipText6(...w(g));
  assert.equal(t([0, 0, 0, 0, 0, 0, 0, 0]), '::');
  assert.equal(t([1, 0, 0, 0, 0, 0, 0, 0]), '1::');
  assert.equal(t([0, 0, 1, 0, 0, 0, 0, 1]), '0:0:1::1');
  assert.equal(t([1, 0, 0, 2, 0, 0, 0, 3]), '1:0:0:2::3');
  assert.equal(t([1, 2, 3, 4, 5, 6, 7, 0]), '1:2:3:4:5:6:7:0');
  assert.equal(t([0, 2, 3, 4, 5, 6, 7, 8]), '0:2:3:4:5:6:7:8');
  assert.equal(t([1, 2, 0, 0, 5, 6, 0, 0]), '1:2::5:6:0:0');
  assert.equal(t([0xffff, 0xffff, 0xffff, 0xffff, 0xffff, 0xffff, 0xffff, 0xffff]), 'ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff');
  // ::ffff:a.b.c.d and ::a.b.c.d in dotted form (glibc inet_ntop), but not ::1:a.b.c.d nor 0:0:0:0:0:fffe::
  assert.equal(t([0, 0, 0, 0, 0, 0xffff, 0x0a01, 0x0203]), '::ffff:10.1.2.3');
  assert.equal(t([0, 0, 0, 0, 0, 0, 0xc000, 0x0201]), '::192.0.2.1');
  assert.equal(t([0, 0, 0, 0, 0, 1, 0x0a01, 0x0203]), '::1:a01:203');
  assert.equal(t([0, 0, 0, 0, 0, 0xfffe, 0x0a01, 0x0203]), '::fffe:a01:203');
  assert.equal(t([0, 0, 0, 0, 0, 0, 0, 2]), '::2');
  assert.equal(t([0, 0, 0, 0, 0, 0, 1, 2]), '::0.1.0.2'); // glibc inet_ntop: six zero groups = IPv4-compatible
  assert.equal(t([1, 0, 0, 0, 0, 0xffff, 0x0a01, 0x0203]), '1::ffff:a01:203');
});

test('link-type names as libpcap gives them (pcap_datalink_val_to_name), LINKTYPE_ names where the DLT differs', () => {
  const libpcap: [number, string][] = [
    [0, 'NULL'], [1, 'EN10MB'], [6, 'IEEE802'], [8, 'SLIP'], [9, 'PPP'], [10, 'FDDI'], [12, 'RAW'], [51, 'PPP_ETHER'],
    [104, 'C_HDLC'], [105, 'IEEE802_11'], [107, 'FRELAY'], [108, 'LOOP'], [113, 'LINUX_SLL'], [119, 'PRISM_HEADER'],
    [127, 'IEEE802_11_RADIO'], [138, 'APPLE_IP_OVER_IEEE1394'], [139, 'MTP2_WITH_PHDR'], [143, 'DOCSIS'],
    [163, 'IEEE802_11_RADIO_AVS'], [187, 'BLUETOOTH_HCI_H4'], [189, 'USB_LINUX'], [192, 'PPI'],
    [201, 'BLUETOOTH_HCI_H4_WITH_PHDR'], [215, 'IEEE802_15_4_NONASK_PHY'], [220, 'USB_LINUX_MMAPPED'], [228, 'IPV4'],
    [229, 'IPV6'], [239, 'NFLOG'], [249, 'USBPCAP'], [253, 'NETLINK'], [274, 'ETHERNET_MPACKET'], [276, 'LINUX_SLL2'],
  ];
  for (const [lt, name] of libpcap) assert.equal(linktypeName(lt), name, `link type ${lt}`);
  // pcap-linktype(7): LINKTYPE_RAW is 101 (DLT_RAW 14 on OpenBSD), LINKTYPE_PPP_HDLC 50, LINKTYPE_IEEE802_15_4_WITHFCS 195
  assert.equal(linktypeName(101), 'RAW');
  assert.equal(linktypeName(14), 'RAW');
  assert.equal(linktypeName(50), 'PPP_HDLC');
  assert.equal(linktypeName(195), 'IEEE802_15_4_WITHFCS');
  for (const lt of [2, 147, 4242, 65535]) assert.equal(linktypeName(lt), `LINKTYPE_${lt}`);
});

test('Ethernet frames of no interest write nothing past the kind (fast path), interesting ones clear the reject', () => {
  const d = new PacketDecoder();
  const rej = linkFrame(0x0800, ipv4Packet(112, vrrpMessage({}), { fragWord: 0x2000 }));
  d.decode(rej, 0, rej.length, rej.length, 0, 0, 1);
  assert.equal(d.rec.reject, Reject.Fragment);
  const tcp = linkFrame(0x0800, ipv4Packet(6, new Uint8Array(20)));
  assert.equal(d.decode(tcp, 0, tcp.length, tcp.length, 0, 0, 1), Kind.Other);
  assert.equal(d.rec.reject, Reject.Fragment, 'Other leaves the previous fields alone');
  const ad = advertFrame();
  d.decode(ad, 0, ad.length, ad.length, 0, 0, 1);
  assert.equal(d.rec.reject, Reject.None);
  // an IcmpError's record has the Ethernet source MAC of the ICMP sender
  const ic = linkFrame(0x0800, icmpError(4, 13, vrrpIp({}), {}), { srcMac: '52:54:00:0c:0c:0c' });
  assert.equal(d.decode(ic, 0, ic.length, ic.length, 0, 0, 1), Kind.IcmpError);
  assert.equal(d.rec.macText(), '52:54:00:0c:0c:0c');
  assert.equal(d.rec.reject, Reject.None);
});
