// src/report/advert-line.ts, unit by unit: the tcpdump-like text line of each record kind (`--adverts`),
// the NDJSON of rejects, CARP and ICMP errors (docs/adverts-json.md), and the printer's memo: a field that
// differs only where the memo's bucket key cannot see it still changes the line, and the memo is bounded.
// Records come from the decoder reading frames of the test encoder; every expected line is written out.
process.env.TZ = 'UTC';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PacketDecoder, Kind } from '../src/decode/index.js';
import { AdvertJsonLines, advertJson, advertText } from '../src/report/advert-line.js';
import { advertFrame, concat, icmpError, ipv4Packet, linkFrame, vrrpIp, vrrpMessage, type VrrpSpec, type IpSpec, type LinkSpec } from './support/encode.js';

const T = 1234567890; // 2009-02-13 23:31:30 UTC

function rec(f: Uint8Array, sec = T, nsec = 123000, d = new PacketDecoder()) {
  d.decode(f, 0, f.length, f.length, sec, nsec, 1);
  return d.rec;
}

const V2 = advertFrame({ version: 2, vrid: 51, priority: 150, authType: 1, auth: 'se\u0007cret', interval: 1, addresses: ['10.0.0.100', '10.0.0.101'] },
  { src: '10.0.0.1' }, { srcMac: '52:54:00:00:00:01', vlans: [[0x8100, 70]] });

test('text line of a VRRPv2 advert: time, link, addresses, auth masked or shown (sanitised), note and anomaly', () => {
  const p = rec(V2);
  const o = { showAuth: false, link: true, date: true };
  assert.equal(advertText(p, 'master', null, o),
    '2009-02-13 23:31:30.000123 52:54:00:00:00:01 vlan 70 IP 10.0.0.1 > 224.0.0.18: VRRPv2, vrid 51, prio 150, authtype simple, intvl 1s, ' +
    'ttl 255, addrs(2): 10.0.0.100,10.0.0.101 auth "********" [master]');
  assert.equal(advertText(p, 'contender', 'ttl 254', { showAuth: true, link: false, date: false }),
    '23:31:30.000123 IP 10.0.0.1 > 224.0.0.18: VRRPv2, vrid 51, prio 150, authtype simple, intvl 1s, ' +
    'ttl 255, addrs(2): 10.0.0.100,10.0.0.101 auth "se.cret" [contender: ttl 254]');
  // nanosecond timestamps keep nine digits, microsecond ones six
  assert.equal(advertText(rec(V2, T, 5), 'master', null, o)!.slice(0, 30), '2009-02-13 23:31:30.000000005 ');
  assert.equal(advertText(rec(V2, T, 999999999), 'master', null, o)!.slice(0, 30), '2009-02-13 23:31:30.999999999 ');
  assert.equal(advertText(rec(V2, T, 0), 'master', null, o)!.slice(0, 27), '2009-02-13 23:31:30.000000 ');
  // auth types by name, unknown ones by number; no auth text unless simple
  const at = (authType: number) => advertText(rec(advertFrame({ version: 2, authType, addresses: ['10.0.0.100'] }, { src: '10.0.0.1' })), 'master', null, { showAuth: true, link: false, date: false });
  assert.equal(at(0), '23:31:30.000123 IP 10.0.0.1 > 224.0.0.18: VRRPv2, vrid 1, prio 100, authtype none, intvl 1s, ttl 255, addrs(1): 10.0.0.100 [master]');
  assert.equal(at(2), '23:31:30.000123 IP 10.0.0.1 > 224.0.0.18: VRRPv2, vrid 1, prio 100, authtype ah, intvl 1s, ttl 255, addrs(1): 10.0.0.100 [master]');
  assert.equal(at(5), '23:31:30.000123 IP 10.0.0.1 > 224.0.0.18: VRRPv2, vrid 1, prio 100, authtype 5, intvl 1s, ttl 255, addrs(1): 10.0.0.100 [master]');
});

test('text line of a VRRPv3 advert over IPv6 with a checksum flag; no link fields when the link has none', () => {
  const f = advertFrame({ version: 3, vrid: 60, priority: 160, interval: 100, addresses: ['fe80::60', '2001:db8::60'], checksum: 'bad' },
    { family: 6, src: 'fe80::5054:ff:fe00:6002' }, { link: 'raw' });
  const d = new PacketDecoder();
  d.decode(f, 0, f.length, f.length, T, 7000, 101);
  assert.equal(advertText(d.rec, 'anomaly', 'bad-checksum', { showAuth: true, link: true, date: false }),
    '23:31:30.000007 IP6 fe80::5054:ff:fe00:6002 > ff02::12: VRRPv3, vrid 60, prio 160, intvl 100cs, ttl 255, addrs(2): fe80::60,2001:db8::60 ' +
    '[checksum bad] [anomaly: bad-checksum]');
  // a v3/IPv4 advert with the v2-style checksum, no addresses
  const v3 = rec(advertFrame({ version: 3, vrid: 9, interval: 50, addresses: [], checksum: 'v2-style' }, { src: '10.0.0.9' }, { srcMac: '02:00:00:00:00:09' }));
  assert.equal(advertText(v3, 'new-master', null, { showAuth: false, link: true, date: false }),
    '23:31:30.000123 02:00:00:00:00:09 IP 10.0.0.9 > 224.0.0.18: VRRPv3, vrid 9, prio 100, intvl 50cs, ttl 255, addrs(0):  [checksum v2-style] [new-master]');
});

test('text and JSON lines of rejects, CARP and ICMP errors; nothing for other kinds', () => {
  const o = { showAuth: false, link: true, date: false };
  const frag = rec(linkFrame(0x0800, ipv4Packet(112, vrrpMessage({}), { fragWord: 0x2000, src: '10.0.0.7', ttl: 64 }), { srcMac: '52:54:00:00:00:07' }), 1000, 500000000);
  assert.equal(frag.kind, Kind.Reject);
  assert.equal(advertText(frag, 'other', null, o), '00:16:40.500000 52:54:00:00:00:07 IP 10.0.0.7 > 224.0.0.18: VRRP rejected: fragment');
  assert.equal(advertJson(frag, 'other', null, o),
    '{"ts":1000.5,"kind":"reject","src":"10.0.0.7","dst":"224.0.0.18","srcMac":"52:54:00:00:00:07","vlan":null,"ttl":64,"reject":"fragment"}');
  assert.equal(new AdvertJsonLines(false).line(frag, 'other', null), advertJson(frag, 'other', null, o));

  const carp = rec(linkFrame(0x0800, ipv4Packet(112, concat([0x21, 5, 0, 7, 0, 1, 0, 0], new Uint8Array(28)), { src: '10.0.0.8' }), { vlans: [[0x8100, 0]] }), 1000, 0);
  assert.equal(carp.kind, Kind.Carp);
  assert.equal(advertText(carp, 'other', null, o), '00:16:40.000000 02:00:00:00:00:0a vlan 0 IP 10.0.0.8 > 224.0.0.18: CARP (not VRRP)');
  assert.equal(advertJson(carp, 'other', null, o),
    '{"ts":1000,"kind":"carp","src":"10.0.0.8","dst":"224.0.0.18","srcMac":"02:00:00:00:00:0a","vlan":0,"ttl":255,"reject":"carp"}');

  const q4 = vrrpIp({ version: 2, vrid: 80 }, { src: '10.80.0.1', dst: '10.80.0.2' });
  const icmp = rec(linkFrame(0x0800, icmpError(4, 13, q4, { src: '10.80.0.2', dst: '10.80.0.1' })), 1000, 0);
  assert.equal(advertText(icmp, 'other', null, { ...o, link: false }), '00:16:40.000000 IP 10.80.0.2 > 10.80.0.1: ICMP unreachable type 3 code 13 for VRRP vrid 80');
  assert.equal(advertJson(icmp, 'other', null, o),
    '{"ts":1000,"kind":"icmp-error","src":"10.80.0.2","dst":"10.80.0.1","srcMac":"02:00:00:00:00:0a","vlan":null,"ttl":64,"icmpType":3,"icmpCode":13,"quotedVrid":80}');
  // quoting the IP header only: no VRID
  const bare = rec(linkFrame(0x0800, ipv4Packet(1, concat([3, 10, 0, 0, 0, 0, 0, 0], q4.subarray(0, 20)), { src: '10.80.0.2', dst: '10.80.0.1', ttl: 64 })), 1000, 0);
  assert.equal(advertText(bare, 'other', null, { ...o, link: false }), '00:16:40.000000 IP 10.80.0.2 > 10.80.0.1: ICMP unreachable type 3 code 10 for VRRP');
  assert.equal(JSON.parse(advertJson(bare, 'other', null, o)!).quotedVrid, null);
  const q6 = vrrpIp({ version: 3, vrid: 81 }, { family: 6, src: '2001:db8::1', dst: '2001:db8::2' });
  const icmp6 = rec(linkFrame(0x86dd, icmpError(6, 1, q6, { src: '2001:db8::2', dst: '2001:db8::1' })), 1000, 0);
  assert.equal(advertText(icmp6, 'other', null, { ...o, link: false }), '00:16:40.000000 IP6 2001:db8::2 > 2001:db8::1: ICMPv6 unreachable type 1 code 1 for VRRP vrid 81');

  const arp = rec(linkFrame(0x0806, concat([0, 1, 8, 0, 6, 4, 0, 1, 2, 0, 0, 0, 0, 1, 10, 0, 0, 1, 0, 0, 0, 0, 0, 0, 10, 0, 0, 2])));
  assert.equal(arp.kind, Kind.Arp);
  assert.equal(advertText(arp, 'other', null, o), null);
  assert.equal(advertJson(arp, 'other', null, o), null);
  assert.equal(new AdvertJsonLines(true).line(arp, 'other', null), null);
});

test('advert JSON: VLAN 0 (a priority tag) is a VLAN; no addresses is []; v3 has no auth fields', () => {
  const p = rec(advertFrame({ version: 3, vrid: 4, addresses: [] }, { src: '10.0.0.4' }, { vlans: [[0x8100, 0]] }), 1000, 250000000);
  const doc = JSON.parse(advertJson(p, 'master', null, { showAuth: true })!);
  assert.deepEqual([doc.vlan, doc.addresses, doc.count, doc.authType, doc.authText, doc.interval, doc.intervalRaw, doc.intervalUnit, doc.ts],
    [0, [], 0, null, null, 1, 100, 'cs', 1000.25]);
  const memo = JSON.parse(new AdvertJsonLines(true).line(p, 'master', null)!);
  assert.deepEqual(memo, doc);
});

/** Two adverts of one source and VRID that differ in one field only (the checksum field held fixed). */
function pair(a: [VrrpSpec, IpSpec, LinkSpec], b: [VrrpSpec, IpSpec, LinkSpec]): [string, string] {
  const lines = new AdvertJsonLines(true);
  const d = new PacketDecoder();
  const line = (spec: [VrrpSpec, IpSpec, LinkSpec], sec: number) => {
    const f = advertFrame(...spec);
    assert.equal(d.decode(f, 0, f.length, f.length, sec, 0, 1), Kind.Advert);
    return lines.line(d.rec, 'master', null)!;
  };
  const first = line(a, 1);
  return [first, line(b, 2)];
}

test('the printer\'s memo: fields its bucket key does not cover still change the line', () => {
  const v3: VrrpSpec = { version: 3, vrid: 7, checksum: 0x1234, addresses: ['fe80::7'] };
  const six = (src: string, dst = 'ff02::12'): IpSpec => ({ family: 6, src, dst });
  // IPv6 sources sharing their last 32 bits (the key's part of the address)
  for (const [a, b] of [['fe80::1', '2001:db8::1'], ['fe80::1', 'fe80:0:1::1'], ['fe80::1', 'fe80::1:0:0:1']]) {
    const [, second] = pair([v3, six(a), {}], [v3, six(b), {}]);
    assert.equal(JSON.parse(second).src, b, `${a} then ${b}`);
  }
  // destinations differing past their first 32 bits
  for (const dst of ['ff02:0:1::12', 'ff02::1:0:0:12', 'ff02::13']) {
    const [, second] = pair([v3, six('fe80::1'), {}], [v3, six('fe80::1', dst), {}]);
    assert.equal(JSON.parse(second).dst, dst);
  }
  // the first two bytes of the source MAC
  const v2: VrrpSpec = { version: 2, vrid: 8, checksum: 0x4321, authType: 1, auth: 'abcdefgh', addresses: ['10.0.0.8'] };
  const [, mac] = pair([v2, { src: '10.0.0.1' }, { srcMac: '52:54:00:00:00:01' }], [v2, { src: '10.0.0.1' }, { srcMac: '02:54:00:00:00:01' }]);
  assert.equal(JSON.parse(mac).srcMac, '02:54:00:00:00:01');
  // auth type alone, and each half of the auth data alone
  const [, type] = pair([{ ...v2, authType: 0 }, { src: '10.0.0.1' }, {}], [{ ...v2, authType: 2 }, { src: '10.0.0.1' }, {}]);
  assert.equal(JSON.parse(type).authType, 2);
  const [, hi] = pair([v2, { src: '10.0.0.1' }, {}], [{ ...v2, auth: 'xbcdefgh' }, { src: '10.0.0.1' }, {}]);
  assert.equal(JSON.parse(hi).authText, 'xbcdefgh');
  const [, lo] = pair([v2, { src: '10.0.0.1' }, {}], [{ ...v2, auth: 'abcdefgx' }, { src: '10.0.0.1' }, {}]);
  assert.equal(JSON.parse(lo).authText, 'abcdefgx');
});

test('the printer\'s memo is bounded: at 4096 sources it starts again', () => {
  const lines = new AdvertJsonLines(false);
  const d = new PacketDecoder();
  const frame = (i: number) => advertFrame({ version: 3, vrid: 1 }, { src: `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}` });
  const feed = (i: number) => { const f = frame(i); d.decode(f, 0, f.length, f.length, i, 0, 1); return lines.line(d.rec, 'master', null); };
  for (let i = 1; i <= 4096; i++) feed(i);
  assert.equal(lines.reused, 0);
  feed(4096);
  assert.equal(lines.reused, 1, 'the 4096th source is still held');
  feed(4097); // the 4097th: the memo is emptied first
  feed(1);
  assert.equal(lines.reused, 1, 'the first source was dropped');
  feed(4097);
  assert.equal(lines.reused, 2, 'the 4097th source is held');
});

test('a source MAC whose first two bytes are zero (Cisco\'s OUI 00:00:0c) is printed; a quoted VRID 0 too', () => {
  const cisco = rec(advertFrame({ version: 2, vrid: 1, addresses: ['10.0.0.100'] }, { src: '10.0.0.1' }, { srcMac: '00:00:0c:07:ac:01' }));
  assert.equal(cisco.macHi, 0);
  assert.equal(advertText(cisco, 'master', null, { showAuth: false, link: true, date: false })!.slice(0, 34), '23:31:30.000123 00:00:0c:07:ac:01 ');
  const frag = rec(linkFrame(0x0800, ipv4Packet(112, vrrpMessage({}), { fragWord: 0x2000 }), { srcMac: '00:00:0c:07:ac:02' }));
  assert.equal(JSON.parse(advertJson(frag, 'other', null, { showAuth: false })!).srcMac, '00:00:0c:07:ac:02');
  // and a link without MAC (raw IP): null, not ''
  const rawFrag = ipv4Packet(112, vrrpMessage({}), { fragWord: 0x2000 });
  const rd = new PacketDecoder();
  assert.equal(rd.decode(rawFrag, 0, rawFrag.length, rawFrag.length, 1000, 0, 101), Kind.Reject);
  assert.equal(JSON.parse(advertJson(rd.rec, 'other', null, { showAuth: false })!).srcMac, null);
  const q0 = vrrpIp({ version: 2, vrid: 0 }, { src: '10.80.0.1', dst: '10.80.0.2' });
  const icmp = rec(linkFrame(0x0800, icmpError(4, 13, q0, { src: '10.80.0.2', dst: '10.80.0.1' })), 1000, 0);
  assert.equal(icmp.qvrid, 0);
  assert.equal(advertText(icmp, 'other', null, { showAuth: false, link: false, date: false }), '00:16:40.000000 IP 10.80.0.2 > 10.80.0.1: ICMP unreachable type 3 code 13 for VRRP vrid 0');
  assert.equal(JSON.parse(advertJson(icmp, 'other', null, { showAuth: false })!).quotedVrid, 0);
});
