// Decoder vectors (mqtt-packet style): byte arrays annotated field by field, each tested as parse
// (decode -> fields), encode (test encoder -> the same bytes) and round trip (decoded fields fed
// back to the encoder give the same bytes). Then every layer and reject path, one test each.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { readCaptureFile } from '../src/capture/file.js';
import { captureFiles, sharedCaptures, sharedSkip } from './support/captures.js';
import { VrrpwatchError } from '../src/errors.js';
import { PacketDecoder, plainOther } from '../src/decode/decoder.js';
import { Checksum, Kind, Reject } from '../src/decode/packet.js';
import { ipText4, ipText6, linktypeName, macText } from '../src/decode/text.js';
import {
  advertFrame, arpPacket, concat, hex, icmpError, ip6, ipv4Packet, ipv6Packet, linkFrame, LINKTYPE,
  vrrpIp, vrrpMessage, type LinkKind, type VrrpSpec, type IpSpec,
} from './support/encode.js';

function dec(bytes: Uint8Array, linktype = 1): PacketDecoder {
  const d = new PacketDecoder();
  d.decode(bytes, 0, bytes.length, bytes.length, 1, 2, linktype);
  return d;
}

// ---- vector 1: Ethernet / IPv4 / VRRPv2, simple auth "secret", two addresses
const V1 = hex`
  01 00 5e 00 00 12            # eth dst 01:00:5e:00:00:12 (VRRP multicast MAC)
  52 54 00 00 00 01            # eth src 52:54:00:00:00:01
  08 00                        # ethertype IPv4
  45 c0 00 2c                  # IPv4, IHL 5, TOS 0xc0, total length 44
  00 07 00 00                  # id 7, no fragment
  ff 70 d0 87                  # TTL 255, protocol 112, header checksum
  0a 00 00 01                  # src 10.0.0.1
  e0 00 00 12                  # dst 224.0.0.18
  21                           # VRRP version 2, type 1 (advertisement)
  33                           # VRID 51
  96                           # priority 150
  02                           # count 2
  01                           # auth type 1 (simple text)
  01                           # advert interval 1 s
  f6 b3                        # checksum (over the VRRP message)
  0a 00 00 64                  # 10.0.0.100
  0a 00 00 65                  # 10.0.0.101
  73 65 63 72 65 74 00 00      # auth data "secret\\0\\0"
`;
const V1_SPEC: [VrrpSpec, IpSpec, { srcMac: string }] = [
  { version: 2, vrid: 51, priority: 150, authType: 1, auth: 'secret', interval: 1, addresses: ['10.0.0.100', '10.0.0.101'] },
  { src: '10.0.0.1', id: 7 }, { srcMac: '52:54:00:00:00:01' },
];

// ---- vector 2: Ethernet / 802.1Q VLAN 70 / IPv4 unicast / VRRPv3, keepalived <= 1.3.6 checksum
const V2 = hex`
  52 54 00 00 70 02  52 54 00 00 70 01   # dst, src MAC
  81 00 00 46                  # 802.1Q, PCP 0, VLAN 70
  08 00                        # ethertype IPv4
  45 c0 00 20  00 03 00 00  40 70 65 1d  # IPv4, length 32, id 3, TTL 64, proto 112
  0a 46 00 01                  # src 10.70.0.1
  0a 46 00 02                  # dst 10.70.0.2 (unicast peer)
  31                           # version 3, type 1
  46                           # VRID 70
  aa                           # priority 170
  01                           # count 1
  00 64                        # rsvd 0, max advert interval 100 cs
  2e d4                        # checksum with pseudo-header dst 224.0.0.18 (old unicast)
  0a 46 00 64                  # 10.70.0.100
`;
const V2_SPEC: [VrrpSpec, IpSpec, object] = [
  { version: 3, vrid: 70, priority: 170, interval: 100, addresses: ['10.70.0.100'], checksum: 'old-unicast' },
  { src: '10.70.0.1', dst: '10.70.0.2', ttl: 64, id: 3 },
  { srcMac: '52:54:00:00:70:01', dstMac: '52:54:00:00:70:02', vlans: [[0x8100, 70]] },
];

// ---- vector 3: raw IPv6 / VRRPv3, two IPv6 addresses
const V3 = hex`
  6c 00 00 00                  # IPv6, traffic class 0xc0
  00 28 70 ff                  # payload length 40, next header 112, hop limit 255
  fe 80 00 00 00 00 00 00 50 54 00 ff fe 00 60 02   # src fe80::5054:ff:fe00:6002
  ff 02 00 00 00 00 00 00 00 00 00 00 00 00 00 12   # dst ff02::12
  31 3c a0 02                  # v3 type 1, VRID 60, priority 160, count 2
  00 64 53 de                  # interval 100 cs, checksum (IPv6 pseudo-header)
  fe 80 00 00 00 00 00 00 00 00 00 00 00 00 00 60   # fe80::60
  20 01 0d b8 00 00 00 00 00 00 00 00 00 00 00 60   # 2001:db8::60
`;

test('vector 1 (v2, simple auth): parse', () => {
  const r = dec(V1).rec;
  assert.equal(r.kind, Kind.Advert);
  assert.equal(r.macText(), '52:54:00:00:00:01');
  assert.equal(r.vlan, -1);
  assert.equal(r.family, 4);
  assert.equal(r.srcText(), '10.0.0.1');
  assert.equal(r.dstText(), '224.0.0.18');
  assert.equal(r.ttl, 255);
  assert.equal(r.ipId, 7);
  assert.equal(r.version, 2);
  assert.equal(r.type, 1);
  assert.equal(r.vrid, 51);
  assert.equal(r.priority, 150);
  assert.equal(r.count, 2);
  assert.equal(r.authType, 1);
  assert.equal(r.intervalRaw, 1);
  assert.equal(r.intervalCs, 100);
  assert.equal(r.checksum, 0xf6b3);
  assert.equal(r.checksumStatus, Checksum.Ok);
  assert.equal(r.vrrpLength, 24);
  assert.equal(r.trailingBytes, 0);
  assert.deepEqual(r.addresses(), ['10.0.0.100', '10.0.0.101']);
  assert.equal(r.authText(), 'secret');
  assert.equal(r.authHi, 0x73656372);
  assert.equal(r.authLo, 0x65740000);
  assert.equal(r.tsSec, 1);
  assert.equal(r.tsNsec, 2);
  assert.equal(r.frameLen, V1.length);
});

test('vector 1: encode and round trip', () => {
  assert.deepEqual(advertFrame(...V1_SPEC), V1);
  const r = dec(V1).rec;
  const auth = new Uint8Array([r.authHi >>> 24, (r.authHi >>> 16) & 255, (r.authHi >>> 8) & 255, r.authHi & 255,
    r.authLo >>> 24, (r.authLo >>> 16) & 255, (r.authLo >>> 8) & 255, r.authLo & 255]);
  const again = advertFrame(
    { version: r.version, type: r.type, vrid: r.vrid, priority: r.priority, authType: r.authType, auth, interval: r.intervalRaw, addresses: r.addresses(), checksum: r.checksum },
    { src: r.srcText(), dst: r.dstText(), ttl: r.ttl, id: r.ipId }, { srcMac: r.macText() });
  assert.deepEqual(again, V1);
});

test('vector 2 (v3 unicast, VLAN, old unicast checksum): parse, encode, round trip', () => {
  const r = dec(V2).rec;
  assert.equal(r.kind, Kind.Advert);
  assert.equal(r.vlan, 70);
  assert.equal(r.vlanOuter, -1);
  assert.equal(r.macText(), '52:54:00:00:70:01');
  assert.equal(r.dstText(), '10.70.0.2');
  assert.equal(r.ttl, 64);
  assert.equal(r.version, 3);
  assert.equal(r.authType, -1);
  assert.equal(r.intervalRaw, 100);
  assert.equal(r.intervalCs, 100);
  assert.equal(r.checksum, 0x2ed4);
  assert.equal(r.checksumStatus, Checksum.OldUnicast);
  assert.deepEqual(r.addresses(), ['10.70.0.100']);
  assert.deepEqual(advertFrame(...V2_SPEC), V2);
  const again = advertFrame({ version: 3, vrid: r.vrid, priority: r.priority, interval: r.intervalRaw, addresses: r.addresses(), checksum: r.checksum },
    { src: r.srcText(), dst: r.dstText(), ttl: r.ttl, id: r.ipId }, { srcMac: r.macText(), dstMac: '52:54:00:00:70:02', vlans: [[0x8100, r.vlan]] });
  assert.deepEqual(again, V2);
});

test('vector 3 (raw IPv6, v3): parse, encode, round trip', () => {
  const r = dec(V3, 101).rec;
  assert.equal(r.kind, Kind.Advert);
  assert.equal(r.family, 6);
  assert.equal(r.macHi, -1);
  assert.equal(r.macText(), '');
  assert.equal(r.ipId, -1);
  assert.equal(r.srcText(), 'fe80::5054:ff:fe00:6002');
  assert.equal(r.dstText(), 'ff02::12');
  assert.equal(r.ttl, 255);
  assert.equal(r.vrid, 60);
  assert.equal(r.priority, 160);
  assert.equal(r.count, 2);
  assert.equal(r.vrrpLength, 40);
  assert.equal(r.checksumStatus, Checksum.Ok);
  assert.deepEqual(r.addresses(), ['fe80::60', '2001:db8::60']);
  const spec: VrrpSpec = { version: 3, vrid: 60, priority: 160, interval: 100, addresses: ['fe80::60', '2001:db8::60'] };
  assert.deepEqual(advertFrame(spec, { family: 6, src: 'fe80::5054:ff:fe00:6002' }, { link: 'raw' }), V3);
  const again = advertFrame({ version: 3, vrid: r.vrid, priority: r.priority, interval: r.intervalRaw, addresses: r.addresses(), checksum: r.checksum },
    { family: 6, src: r.srcText(), dst: r.dstText(), ttl: r.ttl }, { link: 'raw' });
  assert.deepEqual(again, V3);
});

test('every link type carries v2/IPv4 and v3/IPv6', () => {
  const links: LinkKind[] = ['ether', 'sll', 'sll2', 'raw', 'null-le', 'null-be', 'loop'];
  for (const link of links) {
    for (const af6 of [10, 24, 28, 30]) {
      const f4 = advertFrame({ version: 2, vrid: 5, priority: 99, addresses: ['10.5.0.1'] }, { src: '10.5.0.2' }, { link, af6, srcMac: '02:11:22:33:44:55' });
      const r4 = dec(f4, LINKTYPE[link]).rec;
      assert.equal(r4.kind, Kind.Advert, `${link} v4`);
      assert.equal(r4.vrid, 5);
      assert.equal(r4.srcText(), '10.5.0.2');
      const hasMac = link === 'ether' || link === 'sll' || link === 'sll2';
      assert.equal(r4.macText(), hasMac ? '02:11:22:33:44:55' : '', `${link} mac`);
      const f6 = advertFrame({ version: 3, vrid: 6, priority: 98, addresses: ['fe80::6'] }, { family: 6, src: 'fe80::2' }, { link, af6 });
      const r6 = dec(f6, LINKTYPE[link]).rec;
      assert.equal(r6.kind, Kind.Advert, `${link} v6 af ${af6}`);
      assert.equal(r6.family, 6);
      assert.equal(r6.vrid, 6);
      assert.equal(r6.checksumStatus, Checksum.Ok);
    }
  }
  // DLT_RAW 12 / 14 and LINKTYPE_IPV4/IPV6 228/229 mean raw IP too
  const raw = advertFrame({ version: 2 }, {}, { link: 'raw' });
  for (const lt of [12, 14, 228]) assert.equal(dec(raw, lt).rec.kind, Kind.Advert, `linktype ${lt}`);
});

test('stacked VLAN tags: 802.1Q, 802.1ad + 802.1Q, 0x9100, three deep; on SLL too', () => {
  const one = dec(advertFrame({}, {}, { vlans: [[0x8100, 10]] })).rec;
  assert.equal(one.kind, Kind.Advert);
  assert.deepEqual([one.vlan, one.vlanOuter], [10, -1]);
  const qinq = dec(advertFrame({}, {}, { vlans: [[0x88a8, 300], [0x8100, 20]] })).rec;
  assert.deepEqual([qinq.kind, qinq.vlan, qinq.vlanOuter], [Kind.Advert, 20, 300]);
  const old = dec(advertFrame({}, {}, { vlans: [[0x9100, 400], [0x8100, 30]] })).rec;
  assert.deepEqual([old.kind, old.vlan, old.vlanOuter], [Kind.Advert, 30, 400]);
  const three = dec(advertFrame({}, {}, { vlans: [[0x88a8, 1], [0x8100, 2], [0x8100, 3]] })).rec;
  assert.deepEqual([three.kind, three.vlan, three.vlanOuter], [Kind.Advert, 3, 1]);
  const sll = dec(advertFrame({}, {}, { link: 'sll', vlans: [[0x8100, 44]] }), 113).rec;
  assert.deepEqual([sll.kind, sll.vlan], [Kind.Advert, 44]);
  // a tag cut short is not an exception
  const cut = advertFrame({}, {}, { vlans: [[0x8100, 10]] }).subarray(0, 16);
  assert.equal(dec(cut).rec.kind, Kind.Other);
});

test('checksum classes: v3/IPv4 ok, v2-style, old-unicast, bad; v2 ok/bad; v6 ok/bad; unknown when short', () => {
  const uni = { src: '10.1.1.1', dst: '10.1.1.2' };
  const cls = (v: VrrpSpec, ip: IpSpec = {}): number => dec(advertFrame(v, ip)).rec.checksumStatus;
  assert.equal(cls({ version: 3, checksum: 'ok' }), Checksum.Ok);
  assert.equal(cls({ version: 3, checksum: 'v2-style' }), Checksum.V2Style);
  assert.equal(cls({ version: 3, checksum: 'ok' }, uni), Checksum.Ok);
  assert.equal(cls({ version: 3, checksum: 'v2-style' }, uni), Checksum.V2Style);
  assert.equal(cls({ version: 3, checksum: 'old-unicast' }, uni), Checksum.OldUnicast);
  assert.equal(cls({ version: 3, checksum: 'bad' }, uni), Checksum.Bad);
  assert.equal(cls({ version: 3, checksum: 'bad' }), Checksum.Bad);
  assert.equal(cls({ version: 2, checksum: 'ok' }), Checksum.Ok);
  assert.equal(cls({ version: 2, checksum: 'bad' }), Checksum.Bad);
  assert.equal(cls({ version: 3, checksum: 'ok' }, { family: 6 }), Checksum.Ok);
  assert.equal(cls({ version: 3, checksum: 'bad' }, { family: 6 }), Checksum.Bad);
  assert.equal(cls({ version: 3, checksum: 'ok', addresses: ['2001:db8::1', '2001:db8::2', '2001:db8::3'] }, { family: 6, src: '2001:db8::9', dst: '2001:db8::8' }), Checksum.Ok);
  // v2 auth data cut by the snaplen: still an advert, checksum not verifiable
  const f = advertFrame({ version: 2, authType: 1, auth: 'pw' });
  const d = new PacketDecoder();
  assert.equal(d.decode(f, 0, f.length - 4, f.length, 0, 0, 1), Kind.Advert);
  assert.equal(d.rec.checksumStatus, Checksum.Unknown);
  assert.equal(d.rec.authHi, 0);
});

test('Ethernet padding is not VRRP data: the IP length decides', () => {
  const f = advertFrame({ version: 3, addresses: ['10.0.0.1'] }, {}, { pad: true });
  assert.equal(f.length, 60);
  const r = dec(f).rec;
  assert.equal(r.kind, Kind.Advert);
  assert.equal(r.vrrpLength, 12);
  assert.equal(r.trailingBytes, 0);
  assert.equal(r.checksumStatus, Checksum.Ok);
});

test('IPv4 options skipped by IHL; IPv4 AH (auth type 2) looked through', () => {
  const opt = dec(linkFrame(0x0800, ipv4Packet(112, vrrpMessage({ version: 2, vrid: 9 }), { options: new Uint8Array([0x94, 4, 0, 0]) }))).rec;
  assert.equal(opt.kind, Kind.Advert);
  assert.equal(opt.vrid, 9);
  const ah = concat([112, 4, 0, 0], new Uint8Array(20)); // next header 112, length (4+2)*4 = 24
  const msg = vrrpMessage({ version: 2, vrid: 8, authType: 2 });
  const r = dec(linkFrame(0x0800, ipv4Packet(51, concat(ah, msg)))).rec;
  assert.equal(r.kind, Kind.Advert);
  assert.equal(r.vrid, 8);
  assert.equal(r.authType, 2);
  // AH carrying something else is not of interest
  const other = concat([6, 4, 0, 0], new Uint8Array(20));
  assert.equal(dec(linkFrame(0x0800, ipv4Packet(51, concat(other, msg)))).rec.kind, Kind.Other);
});

test('IPv6 extension headers (hop-by-hop, routing, destination options, AH) reach protocol 112', () => {
  for (const ext of [[{ type: 0 }], [{ type: 43 }], [{ type: 60 }], [{ type: 51 }], [{ type: 0 }, { type: 60, body: new Uint8Array(14) }, { type: 51 }]]) {
    const r = dec(advertFrame({ version: 3, vrid: 77 }, { family: 6, ext })).rec;
    assert.equal(r.kind, Kind.Advert, JSON.stringify(ext));
    assert.equal(r.vrid, 77);
    assert.equal(r.checksumStatus, Checksum.Ok);
  }
  // an atomic fragment header (offset 0, M 0) is not a fragment
  assert.equal(dec(advertFrame({ version: 3 }, { family: 6, ext: [{ type: 44 }] })).rec.kind, Kind.Advert);
  // a real fragment is rejected
  const fr = dec(advertFrame({ version: 3 }, { family: 6, ext: [{ type: 44, body: new Uint8Array([0, 1, 0, 0, 0, 9]) }] })).rec;
  assert.deepEqual([fr.kind, fr.reject], [Kind.Reject, Reject.Fragment]);
});

test('rejects: version, type, v2 over IPv6, count/length, truncations, fragments, bad IP header', () => {
  const rej = (f: Uint8Array, lt = 1): [number, number] => { const r = dec(f, lt).rec; return [r.kind, r.reject]; };
  assert.deepEqual(rej(advertFrame({ version: 4 })), [Kind.Reject, Reject.BadVersion]);
  assert.deepEqual(rej(advertFrame({ version: 1 })), [Kind.Reject, Reject.BadVersion]);
  assert.deepEqual(rej(advertFrame({ version: 2 }, { family: 6 })), [Kind.Reject, Reject.BadVersion]);
  assert.deepEqual(rej(advertFrame({ version: 3, type: 2 })), [Kind.Reject, Reject.BadType]);
  assert.deepEqual(rej(advertFrame({ version: 3, count: 2, addresses: ['10.0.0.1'] })), [Kind.Reject, Reject.CountLengthMismatch]);
  assert.deepEqual(rej(advertFrame({ version: 2, authType: 1, count: 2, addresses: ['10.0.0.1'] })), [Kind.Reject, Reject.CountLengthMismatch]);
  assert.deepEqual(rej(linkFrame(0x0800, ipv4Packet(112, new Uint8Array([0x21, 1, 100, 0, 0, 1])))), [Kind.Reject, Reject.TruncatedVrrp]);
  assert.deepEqual(rej(linkFrame(0x0800, ipv4Packet(112, new Uint8Array(0)))), [Kind.Reject, Reject.TruncatedVrrp]);
  const full = advertFrame({ version: 3, addresses: ['10.0.0.1', '10.0.0.2'] });
  const d = new PacketDecoder();
  assert.equal(d.decode(full, 0, full.length - 2, full.length, 0, 0, 1), Kind.Reject);
  assert.equal(d.rec.reject, Reject.TruncatedAddresses);
  assert.equal(d.rec.vrid, 1, 'header fields kept on a truncated-addresses reject');
  assert.equal(d.decode(full, 0, 14 + 12, full.length, 0, 0, 1), Kind.Reject);
  assert.equal(d.rec.reject, Reject.TruncatedIp);
  assert.deepEqual(rej(linkFrame(0x0800, ipv4Packet(112, vrrpMessage({}), { fragWord: 0x2000 }))), [Kind.Reject, Reject.Fragment]);
  assert.deepEqual(rej(linkFrame(0x0800, ipv4Packet(112, vrrpMessage({}), { fragWord: 0x0010 }))), [Kind.Reject, Reject.Fragment]);
  assert.deepEqual(rej(linkFrame(0x0800, ipv4Packet(112, vrrpMessage({}), { lengthField: 10 }))), [Kind.Reject, Reject.BadIpHeader]);
  // the same frames with another protocol number are simply not of interest
  assert.equal(dec(linkFrame(0x0800, ipv4Packet(17, vrrpMessage({}), { fragWord: 0x2000 }))).rec.kind, Kind.Other);
  assert.equal(dec(linkFrame(0x0800, ipv4Packet(6, new Uint8Array(0)))).rec.kind, Kind.Other);
});

test('v2 without auth data (auth type 0) decodes with authDataMissing; trailer bytes counted', () => {
  const r = dec(advertFrame({ version: 2, authType: 0, omitAuth: true, addresses: ['10.0.0.1', '10.0.0.2'] })).rec;
  assert.equal(r.kind, Kind.Advert);
  assert.equal(r.authDataMissing, true);
  assert.equal(r.checksumStatus, Checksum.Ok);
  assert.deepEqual(r.addresses(), ['10.0.0.1', '10.0.0.2']);
  const full = dec(advertFrame({ version: 2 })).rec;
  assert.equal(full.authDataMissing, false);
  const t = dec(advertFrame({ version: 3, trailer: new Uint8Array(28).fill(7) })).rec;
  assert.equal(t.kind, Kind.Advert);
  assert.equal(t.trailingBytes, 28);
  assert.equal(t.checksumStatus, Checksum.Ok);
  // a trailer left out of the checksum (only the VRRP message summed) is accepted too
  for (const version of [2, 3]) {
    const msg = vrrpMessage({ version, addresses: ['10.0.0.1'] });
    const p = dec(linkFrame(0x0800, ipv4Packet(112, concat(msg, new Uint8Array(28).fill(9))))).rec;
    assert.deepEqual([p.kind, p.trailingBytes, p.checksumStatus], [Kind.Advert, 28, Checksum.Ok], `v${version}`);
    const bad = vrrpMessage({ version, addresses: ['10.0.0.1'], checksum: 'bad' });
    const q = dec(linkFrame(0x0800, ipv4Packet(112, concat(bad, new Uint8Array(28).fill(9))))).rec;
    assert.equal(q.checksumStatus, Checksum.Bad, `v${version} bad`);
  }
});

test('CARP (version 2, 36 bytes, authlen 7) is recognised as CARP, not VRRP', () => {
  const carp = concat([0x21, 5, 0, 7, 0, 1, 0, 0], new Uint8Array(28));
  const r = dec(linkFrame(0x0800, ipv4Packet(112, carp))).rec;
  assert.equal(r.kind, Kind.Carp);
  assert.equal(r.vrid, 5);
  // a genuine 36-byte VRRPv2 advert (count 5) stays VRRP
  const v = dec(advertFrame({ version: 2, addresses: ['10.0.0.1', '10.0.0.2', '10.0.0.3', '10.0.0.4', '10.0.0.5'] })).rec;
  assert.equal(v.vrrpLength, 36);
  assert.equal(v.kind, Kind.Advert);
});

test('ICMP and ICMPv6 destination unreachable quoting VRRP -> IcmpError', () => {
  const q4 = vrrpIp({ version: 2, vrid: 80 }, { src: '10.80.0.1', dst: '10.80.0.2' });
  const r = dec(linkFrame(0x0800, icmpError(4, 13, q4, { src: '10.80.0.2', dst: '10.80.0.1' }))).rec;
  assert.equal(r.kind, Kind.IcmpError);
  assert.deepEqual([r.icmpType, r.icmpCode, r.qvrid], [3, 13, 80]);
  assert.equal(r.srcText(), '10.80.0.2');
  assert.equal(ipText4(r.qsrc0), '10.80.0.1');
  assert.equal(ipText4(r.qdst0), '10.80.0.2');
  const q6 = vrrpIp({ version: 3, vrid: 81 }, { family: 6, src: '2001:db8::1', dst: '2001:db8::2' });
  const r6 = dec(linkFrame(0x86dd, icmpError(6, 1, q6, { src: '2001:db8::2', dst: '2001:db8::1' }))).rec;
  assert.equal(r6.kind, Kind.IcmpError);
  assert.deepEqual([r6.icmpType, r6.icmpCode, r6.qvrid], [1, 1, 81]);
  assert.equal(ipText6(r6.qsrc0, r6.qsrc1, r6.qsrc2, r6.qsrc3), '2001:db8::1');
  // ICMP quoting UDP, and ICMP echo, are not of interest
  const udp = ipv4Packet(17, new Uint8Array(8), { src: '10.0.0.1', dst: '10.0.0.2' });
  assert.equal(dec(linkFrame(0x0800, icmpError(4, 3, udp, {}))).rec.kind, Kind.Other);
  assert.equal(dec(linkFrame(0x0800, ipv4Packet(1, new Uint8Array([8, 0, 0, 0, 0, 0, 0, 0])))).rec.kind, Kind.Other);
});

test('ARP: operation, sender MAC and addresses', () => {
  const f = linkFrame(0x0806, arpPacket(2, '52:54:00:aa:bb:cc', '10.0.0.100', 'ff:ff:ff:ff:ff:ff', '10.0.0.100'), { srcMac: '52:54:00:00:00:01' });
  const r = dec(f).rec;
  assert.equal(r.kind, Kind.Arp);
  assert.equal(r.arpOp, 2);
  assert.equal(r.macText(), '52:54:00:aa:bb:cc');
  assert.equal(ipText4(r.arpSpa), '10.0.0.100');
  assert.equal(ipText4(r.arpTpa), '10.0.0.100');
});

test('unsupported link types are named, not decoded', () => {
  assert.equal(dec(advertFrame(), 105).rec.kind, Kind.UnsupportedLink);
  assert.equal(linktypeName(1), 'EN10MB');
  assert.equal(linktypeName(113), 'LINUX_SLL');
  assert.equal(linktypeName(276), 'LINUX_SLL2');
  assert.equal(linktypeName(105), 'IEEE802_11');
  assert.equal(linktypeName(4242), 'LINKTYPE_4242');
});

test('the record is reset between frames (no stale VRRP fields on a later reject)', () => {
  const d = new PacketDecoder();
  const a = advertFrame({ version: 2, vrid: 42, priority: 200 }, {}, { vlans: [[0x8100, 5]] });
  d.decode(a, 0, a.length, a.length, 0, 0, 1);
  assert.equal(d.rec.vlan, 5);
  const b = linkFrame(0x0800, ipv4Packet(112, vrrpMessage({}), { fragWord: 0x2000 }));
  d.decode(b, 0, b.length, b.length, 0, 0, 1);
  assert.deepEqual([d.rec.kind, d.rec.vrid, d.rec.priority, d.rec.vlan], [Kind.Reject, 0, 0, -1]);
});

test('text: IPv6 as tcpdump prints it (RFC 5952 and embedded IPv4), MAC, IPv4', () => {
  const t6 = (s: string): string => {
    const b = ip6(s);
    const w = (i: number): number => ((b[i] << 24) | (b[i + 1] << 16) | (b[i + 2] << 8) | b[i + 3]) >>> 0;
    return ipText6(w(0), w(4), w(8), w(12));
  };
  assert.equal(t6('0:0:0:0:0:0:0:0'), '::');
  assert.equal(t6('0:0:0:0:0:0:0:1'), '::1');
  assert.equal(t6('2001:db8:0:0:1:0:0:1'), '2001:db8::1:0:0:1'); // tie: first run
  assert.equal(t6('2001:0:0:1:0:0:0:1'), '2001:0:0:1::1'); // longest run
  assert.equal(t6('2001:db8:0:1:1:1:1:1'), '2001:db8:0:1:1:1:1:1'); // single zero group kept
  assert.equal(t6('fe80:0:0:0:0:0:0:0'), 'fe80::');
  assert.equal(t6('ff02::12'), 'ff02::12');
  assert.equal(t6('2001:DB8::ABCD:A'), '2001:db8::abcd:a');
  assert.equal(t6('::ffff:10.1.2.3'), '::ffff:10.1.2.3');
  assert.equal(t6('::10.1.2.3'), '::10.1.2.3');
  assert.equal(ipText4(0xffffffff), '255.255.255.255');
  assert.equal(ipText4(0x0a000001), '10.0.0.1');
  assert.equal(macText(0x0000, 0x5e000112), '00:00:5e:00:01:12');
  assert.equal(macText(-1, 0), '');
});

test('addresses compare by hash before formatting', () => {
  const a = dec(advertFrame({ addresses: ['10.0.0.1', '10.0.0.2'] })).rec.addrHash;
  const b = dec(advertFrame({ vrid: 9, priority: 5, addresses: ['10.0.0.1', '10.0.0.2'] })).rec.addrHash;
  const c = dec(advertFrame({ addresses: ['10.0.0.2', '10.0.0.1'] })).rec.addrHash;
  assert.equal(a, b);
  assert.notEqual(a, c);
  assert.ok(a > 0);
});

test('decode never reads outside [off, off+caplen): a frame inside a larger buffer', () => {
  const f = advertFrame({ version: 3, addresses: ['10.0.0.1'] });
  const big = concat(new Uint8Array(7).fill(0xee), f, new Uint8Array(9).fill(0xee));
  const d = new PacketDecoder();
  assert.equal(d.decode(big, 7, f.length, f.length, 0, 0, 1), Kind.Advert);
  assert.deepEqual(d.rec.addresses(), ['10.0.0.1']);
  // one byte short: the truncation is seen even though the buffer goes on
  assert.equal(d.decode(big, 7, f.length - 1, f.length, 0, 0, 1), Kind.Reject);
  assert.equal(d.rec.reject, Reject.TruncatedAddresses);
});

// The pipeline's prefilter skips the decoder for frames it calls plain "other": it must never say
// so of a frame that decode() would see as anything else.
function checkPrefilter(b: Uint8Array, off: number, caplen: number, linktype = 1): boolean {
  const skipped = plainOther(b, off, caplen, linktype);
  if (skipped) {
    const k = new PacketDecoder().decode(b, off, caplen, caplen, 0, 0, linktype);
    assert.equal(k, Kind.Other, `prefilter skipped a linktype ${linktype} frame decode() calls kind ${k}: ${Buffer.from(b.subarray(off, off + caplen)).toString('hex')}`);
  }
  return skipped;
}

test('prefilter: plain IPv4 of other protocols and foreign EtherTypes are skipped; nothing VRRP-related is', () => {
  const tcp = linkFrame(0x0800, ipv4Packet(6, new Uint8Array(20)));
  const ipx = linkFrame(0x8137, new Uint8Array(30));
  assert.equal(checkPrefilter(tcp, 0, tcp.length), true);
  assert.equal(checkPrefilter(ipx, 0, ipx.length), true);
  const kept = [
    advertFrame(), advertFrame({ version: 3 }), advertFrame({}, {}, { vlans: [[0x8100, 7]] }),
    linkFrame(0x86dd, ipv6Packet(6, new Uint8Array(20))), // IPv6: extension headers need the decoder
    linkFrame(0x0800, ipv4Packet(1, new Uint8Array(8))), linkFrame(0x0800, ipv4Packet(51, new Uint8Array(8))),
    linkFrame(0x0806, arpPacket(1, '52:54:00:00:00:01', '10.0.0.1', '00:00:00:00:00:00', '10.0.0.1')),
    tcp.subarray(0, 23), // too short to see the protocol byte
  ];
  for (const f of kept) assert.equal(checkPrefilter(f, 0, f.length), false, Buffer.from(f).toString('hex'));
  // a frame near the end of a larger buffer, and a caplen that runs past it
  assert.equal(checkPrefilter(concat(new Uint8Array(5), tcp), 5, tcp.length), true);
  assert.equal(plainOther(tcp, 0, tcp.length + 100, 1), true);
  assert.equal(plainOther(tcp.subarray(0, 23), 0, 60, 1), false);
  // Linux cooked captures (-i any): the same two fields at their offsets; other link types never
  for (const link of ['sll', 'sll2'] as const) {
    const lt = link === 'sll' ? 113 : 276;
    const t = linkFrame(0x0800, ipv4Packet(6, new Uint8Array(20)), { link });
    assert.equal(checkPrefilter(t, 0, t.length, lt), true, link);
    const v = advertFrame({}, {}, { link });
    assert.equal(checkPrefilter(v, 0, v.length, lt), false, link);
  }
  const raw = ipv4Packet(6, new Uint8Array(20));
  assert.equal(plainOther(raw, 0, raw.length, 101), false, 'raw IP: left to the decoder');
});

test('prefilter: random frames of each link type with interesting EtherTypes, versions and protocols', () => {
  const ets = [0x0800, 0x86dd, 0x0806, 0x8100, 0x88a8, 0x9100, 0x8137, 0x0000, 0xffff];
  const b0s = [0x45, 0x46, 0x4f, 0x40, 0x60, 0x55, 0x00];
  const protos = [112, 1, 51, 6, 17, 58, 0, 255];
  let seed = 0x2545f491;
  const rnd = (n: number): number => { seed ^= seed << 13; seed ^= seed >>> 17; seed ^= seed << 5; return (seed >>> 0) % n; };
  for (const [lt, etAt, ipAt] of [[1, 12, 14], [113, 14, 16], [276, 0, 20]] as const) {
    let skipped = 0;
    for (let i = 0; i < 20000; i++) {
      const f = new Uint8Array(ipAt + rnd(80));
      for (let j = 0; j < f.length; j++) f[j] = rnd(256);
      const et = rnd(2) === 0 ? 0x0800 : ets[rnd(ets.length)]!;
      if (f.length > etAt + 1) { f[etAt] = et >>> 8; f[etAt + 1] = et & 255; }
      if (f.length > ipAt) f[ipAt] = b0s[rnd(b0s.length)]!;
      if (f.length > ipAt + 9) f[ipAt + 9] = protos[rnd(protos.length)]!;
      if (checkPrefilter(f, 0, f.length - rnd(3), lt)) skipped++;
    }
    assert.ok(skipped > 5000 && skipped < 15000, `linktype ${lt}: skipped ${skipped} of 20000`);
  }
});

/** Runs checkPrefilter on every frame of `files`; an assertion failure inside the reader's frame callback
 *  propagates (the reader lets the sink's errors through). Only a file the reader refuses as a whole
 *  (VrrpwatchError 'input': not a capture) is set aside, and the caller checks which those were. */
function prefilterOver(files: string[]): { frames: number; skipped: number; refused: string[] } {
  let frames = 0;
  let skipped = 0;
  const refused: string[] = [];
  for (const f of files) {
    try {
      readCaptureFile(f, {
        frame(buf, off, caplen, _orig, _s, _n, linktype) {
          frames++;
          if (checkPrefilter(buf, off, caplen, linktype)) skipped++;
        },
      });
    } catch (e) {
      if (!(e instanceof VrrpwatchError && e.kind === 'input')) throw e;
      refused.push(path.basename(f));
    }
  }
  return { frames, skipped, refused };
}

test('prefilter: every frame of every capture in pcaps/', () => {
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
  const files = captureFiles(path.join(root, 'pcaps'));
  const r = prefilterOver(files);
  assert.deepEqual(r.refused, ['not-a-capture.pcap'], 'only the deliberate non-capture is refused by the reader');
  assert.ok(files.length > 30 && r.frames > 500, `${files.length} files, ${r.frames} frames`);
  assert.ok(r.skipped > 0, 'some frames of the captures are plain other traffic');
});

test('prefilter: every frame of every capture in shared/public-pcaps/', { skip: sharedSkip() }, () => {
  const files = sharedCaptures();
  const r = prefilterOver(files);
  assert.deepEqual(r.refused, [], 'every public capture is a capture');
  assert.ok(files.length >= 3 && r.frames > 50, `${files.length} files, ${r.frames} frames`);
});
