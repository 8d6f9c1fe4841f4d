// Who claims an address on the wire: ARP (RFC 826, the gratuitous forms, RFC 5227 probes and
// announcements) and IPv6 neighbour discovery (RFC 4861 solicitations and advertisements). Byte vectors
// taken from real keepalived frames (pcaps/lab/), annotated field by field, then each form and each
// reason a neighbour would ignore the frame, on every link type that carries them, and the bounds.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PacketDecoder, plainOther } from '../src/decode/decoder.js';
import { Kind } from '../src/decode/packet.js';
import { ipText4, ipText6, macText } from '../src/decode/text.js';
import { arpPacket, concat, hex, ipv6Packet, linkFrame, ndPacket, type LinkKind, LINKTYPE } from './support/encode.js';

function dec(bytes: Uint8Array, linktype = 1): PacketDecoder {
  const d = new PacketDecoder();
  d.decode(bytes, 0, bytes.length, bytes.length, 1, 2, linktype);
  return d;
}

const target = (d: PacketDecoder): string => ipText6(d.rec.ndTarget0, d.rec.ndTarget1, d.rec.ndTarget2, d.rec.ndTarget3);

// ---- vector 4: keepalived's gratuitous ARP for its VIP (pcaps/lab/healthy.pcap), request form
const GARP = hex`
  ff ff ff ff ff ff  5a 6a 6d aa ab bc  08 06   # broadcast, from the master's MAC, ARP
  00 01  08 00  06  04                         # Ethernet, IPv4, hlen 6, plen 4
  00 01                                        # operation 1 (request)
  5a 6a 6d aa ab bc                            # sender MAC
  0a 63 00 64                                  # sender 10.99.0.100
  ff ff ff ff ff ff                            # target MAC (keepalived writes broadcast)
  0a 63 00 64                                  # target 10.99.0.100 = sender: gratuitous
`;

// ---- vector 5: keepalived's unsolicited neighbour advertisement (pcaps/lab/v3-ipv6.pcap)
const UNA = hex`
  33 33 00 00 00 01  e2 f9 45 bc bf ca  86 dd   # to all nodes, from the master's MAC, IPv6
  60 00 00 00  00 20 3a ff                     # payload 32, next header 58 (ICMPv6), hop limit 255
  fd 99 00 00 00 00 00 00 00 00 00 00 00 00 01 00   # src fd99::100 (the VIP itself)
  ff 02 00 00 00 00 00 00 00 00 00 00 00 00 00 01   # dst ff02::1
  88 00 70 eb                                  # type 136 (NA), code 0, checksum
  20 00 00 00                                  # flags: O (override); R and S clear
  fd 99 00 00 00 00 00 00 00 00 00 00 00 00 01 00   # target fd99::100
  02 01 e2 f9 45 bc bf ca                      # option 2 (target link-layer address), 1 × 8 bytes
`;

test('vector 4 (keepalived GARP, request form): every field', () => {
  const d = dec(GARP);
  const r = d.rec;
  assert.equal(r.kind, Kind.Arp);
  assert.equal(r.arpOp, 1);
  assert.equal(macText(r.macHi, r.macLo), '5a:6a:6d:aa:ab:bc');
  assert.equal(ipText4(r.arpSpa), '10.99.0.100');
  assert.equal(macText(r.arpThaHi, r.arpThaLo), 'ff:ff:ff:ff:ff:ff');
  assert.equal(ipText4(r.arpTpa), '10.99.0.100');
  assert.equal(r.vlan, -1);
  // the test encoder builds the same bytes
  assert.deepEqual(linkFrame(0x0806, arpPacket(1, '5a:6a:6d:aa:ab:bc', '10.99.0.100', 'ff:ff:ff:ff:ff:ff', '10.99.0.100'),
    { srcMac: '5a:6a:6d:aa:ab:bc', dstMac: 'ff:ff:ff:ff:ff:ff' }), GARP);
});

test('vector 5 (keepalived unsolicited NA): every field, and the encoder agrees', () => {
  const d = dec(UNA);
  const r = d.rec;
  assert.equal(r.kind, Kind.Nd);
  assert.equal(r.family, 6);
  assert.equal(r.ndType, 136);
  assert.equal(r.ndFlags, 0x20);
  assert.equal(target(d), 'fd99::100');
  assert.equal(macText(r.ndLlaHi, r.ndLlaLo), 'e2:f9:45:bc:bf:ca');
  assert.equal(macText(r.macHi, r.macLo), 'e2:f9:45:bc:bf:ca');
  assert.equal(r.srcText(), 'fd99::100');
  assert.equal(r.dstText(), 'ff02::1');
  assert.equal(r.ttl, 255);
  assert.deepEqual(linkFrame(0x86dd, ndPacket(136, 'fd99::100', { flags: 0x20, lla: 'e2:f9:45:bc:bf:ca', src: 'fd99::100', dst: 'ff02::1' }),
    { srcMac: 'e2:f9:45:bc:bf:ca', dstMac: '33:33:00:00:00:01' }), UNA);
});

test('ARP forms: gratuitous reply, plain reply, RFC 5227 probe and announcement', () => {
  const cases: [number, string, string, string, string][] = [
    [2, '02:00:00:00:00:01', '10.0.0.100', 'ff:ff:ff:ff:ff:ff', '10.0.0.100'], // gratuitous reply
    [2, '02:00:00:00:00:02', '10.0.0.100', '02:00:00:00:00:09', '10.0.0.9'],   // reply to 10.0.0.9
    [1, '02:00:00:00:00:09', '0.0.0.0', '00:00:00:00:00:00', '10.0.0.100'],     // probe (sender 0.0.0.0)
    [1, '02:00:00:00:00:03', '10.0.0.100', '00:00:00:00:00:00', '10.0.0.100'], // announcement
  ];
  for (const [op, sha, spa, tha, tpa] of cases) {
    const r = dec(linkFrame(0x0806, arpPacket(op, sha, spa, tha, tpa))).rec;
    assert.equal(r.kind, Kind.Arp);
    assert.deepEqual([r.arpOp, r.macText(), ipText4(r.arpSpa), macText(r.arpThaHi, r.arpThaLo), ipText4(r.arpTpa)], [op, sha, spa, tha, tpa]);
  }
  // not IPv4-over-Ethernet ARP: other hardware/protocol types or sizes are of no interest
  const odd = arpPacket(1, '02:00:00:00:00:01', '10.0.0.1', '00:00:00:00:00:00', '10.0.0.2');
  for (const [i, v] of [[1, 6], [3, 0xdd], [4, 8], [5, 16]] as const) {
    const b = odd.slice();
    b[i] = v;
    assert.equal(dec(linkFrame(0x0806, b)).rec.kind, Kind.Other, `byte ${i} = ${v}`);
  }
});

test('ND forms: solicitation with source link-layer address, DAD probe, solicited and unsolicited advertisement', () => {
  const ns = dec(linkFrame(0x86dd, ndPacket(135, 'fd99::100', { lla: '02:00:00:00:00:09', src: 'fe80::9', dst: 'ff02::1:ff00:100' })));
  assert.equal(ns.rec.kind, Kind.Nd);
  assert.deepEqual([ns.rec.ndType, ns.rec.ndFlags, target(ns), macText(ns.rec.ndLlaHi, ns.rec.ndLlaLo)], [135, 0, 'fd99::100', '02:00:00:00:00:09']);
  const dad = dec(linkFrame(0x86dd, ndPacket(135, 'fd99::100', { src: '::', dst: 'ff02::1:ff00:100' })));
  assert.equal(dad.rec.kind, Kind.Nd);
  assert.equal(dad.rec.ndLlaHi, -1);
  const sol = dec(linkFrame(0x86dd, ndPacket(136, 'fd99::100', { flags: 0x60, lla: '02:00:00:00:00:01', src: 'fd99::100', dst: 'fe80::9' })));
  assert.deepEqual([sol.rec.kind, sol.rec.ndType, sol.rec.ndFlags], [Kind.Nd, 136, 0x60]);
  // R flag and reserved bits: only R, S, O are kept
  const r = dec(linkFrame(0x86dd, ndPacket(136, 'fd99::100', { flags: 0xbf, src: 'fe80::1', dst: 'fe80::9' })));
  assert.equal(r.rec.ndFlags, 0xa0);
  // an NA without the target link-layer option still names its target; the link source is its MAC
  const bare = dec(linkFrame(0x86dd, ndPacket(136, '2001:db8::5', { src: 'fe80::1', dst: 'ff02::1' }), { srcMac: '02:00:00:00:00:07' }));
  assert.deepEqual([bare.rec.kind, bare.rec.ndLlaHi, bare.rec.macText(), target(bare)], [Kind.Nd, -1, '02:00:00:00:00:07', '2001:db8::5']);
  // other options before the link-layer one are skipped (prefix information, 4 × 8 bytes)
  const withPi = dec(linkFrame(0x86dd, ndPacket(136, 'fd99::100', { extraOptions: [3, 4, ...new Array(30).fill(0), 2, 1, 2, 0, 0, 0, 0, 5],
    src: 'fe80::1', dst: 'ff02::1' })));
  assert.deepEqual([withPi.rec.kind, macText(withPi.rec.ndLlaHi, withPi.rec.ndLlaLo)], [Kind.Nd, '02:00:00:00:00:05']);
});

test('ND a neighbour would ignore is of no interest (RFC 4861 §7.1)', () => {
  const bad: [string, Uint8Array][] = [
    ['hop limit 254', ndPacket(136, 'fd99::100', { ttl: 254 })],
    ['code 1', ndPacket(136, 'fd99::100', { code: 1 })],
    ['bad checksum', ndPacket(136, 'fd99::100', { badChecksum: true })],
    ['multicast target', ndPacket(136, 'ff02::1', {})],
    ['option of length 0', ndPacket(136, 'fd99::100', { extraOptions: [2, 0, 0, 0, 0, 0, 0, 0] })],
    ['option past the end', ndPacket(136, 'fd99::100', { extraOptions: [2, 2, 0, 0, 0, 0, 0, 0] })],
    ['solicited NA to a multicast group', ndPacket(136, 'fd99::100', { flags: 0x40, dst: 'ff02::1' })],
    ['DAD probe to all nodes', ndPacket(135, 'fd99::100', { src: '::', dst: 'ff02::1' })],
    ['DAD probe with a source link-layer address', ndPacket(135, 'fd99::100', { src: '::', dst: 'ff02::1:ff00:100', lla: '02:00:00:00:00:01' })],
    ['router advertisement', ipv6Packet(58, concat([134, 0, 0, 0], new Uint8Array(12)), { ttl: 255 })],
  ];
  for (const [why, pkt] of bad) assert.equal(dec(linkFrame(0x86dd, pkt)).rec.kind, Kind.Other, why);
  // cut by the snapshot length: not all of it was seen, nothing to judge
  const f = linkFrame(0x86dd, ndPacket(136, 'fd99::100', { lla: '02:00:00:00:00:01' }));
  const d = new PacketDecoder();
  assert.equal(d.decode(f, 0, f.length - 1, f.length, 0, 0, 1), Kind.Other);
  assert.equal(d.decode(f, 0, f.length, f.length, 0, 0, 1), Kind.Nd);
});

test('ARP and ND on every link type that carries them, and behind VLAN tags', () => {
  const arp = arpPacket(1, '02:00:00:00:00:01', '10.0.0.100', 'ff:ff:ff:ff:ff:ff', '10.0.0.100');
  const na = ndPacket(136, 'fd99::100', { flags: 0x20, lla: '02:00:00:00:00:01', src: 'fe80::1' });
  for (const link of ['ether', 'sll', 'sll2'] as LinkKind[]) {
    for (const vlans of [[], [[0x8100, 10]], [[0x88a8, 20], [0x8100, 10]]] as [number, number][][]) {
      const a = dec(linkFrame(0x0806, arp, { link, vlans }), LINKTYPE[link]).rec;
      assert.deepEqual([a.kind, a.vlan, ipText4(a.arpSpa)], [Kind.Arp, vlans.length ? 10 : -1, '10.0.0.100'], `${link} ${vlans.length} tags`);
      const n = dec(linkFrame(0x86dd, na, { link, vlans, srcMac: '02:00:00:00:00:01' }), LINKTYPE[link]).rec;
      assert.deepEqual([n.kind, n.vlan, n.macText()], [Kind.Nd, vlans.length ? 10 : -1, '02:00:00:00:00:01'], `${link} ${vlans.length} tags`);
    }
  }
  // IPv6 without a link layer: the link-layer option is the only MAC
  for (const link of ['raw', 'null-le', 'null-be', 'loop'] as LinkKind[]) {
    const n = dec(linkFrame(0x86dd, na, { link }), LINKTYPE[link]).rec;
    assert.deepEqual([n.kind, n.macHi, macText(n.ndLlaHi, n.ndLlaLo)], [Kind.Nd, -1, '02:00:00:00:00:01'], link);
  }
  // neither is skipped by the pipeline's prefilter
  assert.equal(plainOther(linkFrame(0x0806, arp), 0, 42, 1), false);
  assert.equal(plainOther(linkFrame(0x86dd, na), 0, 86, 1), false);
});

test('every prefix of an ARP or ND frame, inside a larger buffer, decodes without reading past the frame', () => {
  for (const f of [GARP, UNA, linkFrame(0x86dd, ndPacket(135, 'fd99::100', { lla: '02:00:00:00:00:09', src: 'fe80::9', dst: 'ff02::1:ff00:100' }))]) {
    // bytes after the frame that would make a truncated frame look whole if they were read
    const big = concat(new Uint8Array(3).fill(0xee), f, f);
    const d = new PacketDecoder();
    for (let n = 0; n <= f.length; n++) {
      const k = d.decode(big, 3, n, f.length, 0, 0, 1);
      if (n < f.length) assert.equal(k, Kind.Other, `${n} of ${f.length} bytes`);
      else assert.notEqual(k, Kind.Other);
    }
  }
});
