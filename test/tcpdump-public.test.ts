// tcpdump's own VRRP test captures, checked against tcpdump's expected text (vrrp.out, vrrp-v.out),
// its fuzz-found malformed captures (never an exception; rejects as its truncation markers imply),
// and PcapPlusPlus's three hex frames (as described in shared/public-pcaps/SOURCES.md).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { readCaptureFile } from '../src/capture/file.js';
import { PacketDecoder } from '../src/decode/decoder.js';
import { Checksum, Kind, REJECT_NAMES, CHECKSUM_NAMES } from '../src/decode/packet.js';
import { hex } from './support/encode.js';
import { sharedDir } from './support/captures.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

const SHARED = sharedDir();
const TD = SHARED ? path.join(SHARED, 'public-pcaps/tcpdump-tests') : '';

interface Got {
  kind: number; reject: string; ts: string; src: string; dst: string; ttl: number; version: number;
  vrid: number; prio: number; authType: number; intervalRaw: number; vrrpLength: number; count: number;
  addrs: string[]; auth: string; checksum: string;
}

function decodeAll(file: string): Got[] {
  const d = new PacketDecoder();
  const out: Got[] = [];
  readCaptureFile(file, {
    frame(b, o, c, ol, s, ns, lt) {
      const k = d.decode(b, o, c, ol, s, ns, lt);
      const r = d.rec;
      const t = new Date(s * 1000).toISOString().replace('T', ' ').slice(0, 19) + '.' + String(Math.floor(ns / 1000)).padStart(6, '0');
      out.push({
        kind: k, reject: REJECT_NAMES[r.reject], ts: t, src: r.srcText(), dst: r.dstText(), ttl: r.ttl,
        version: r.version, vrid: r.vrid, prio: r.priority, authType: r.authType, intervalRaw: r.intervalRaw,
        vrrpLength: r.vrrpLength, count: r.count, addrs: k === Kind.Advert ? r.addresses() : [],
        auth: k === Kind.Advert ? r.authText() : '', checksum: CHECKSUM_NAMES[r.checksumStatus],
      });
    },
  });
  return out;
}

/** Split tcpdump -# output into records: frame number -> the record's text (1 or 2 lines). */
function records(text: string): Map<number, string> {
  const m = new Map<number, string>();
  const parts = text.split(/\n(?=\s*\d+\s{2}\d{4}-)/);
  for (const p of parts) {
    const mm = /^\s*(\d+)\s{2}/.exec(p);
    if (mm) m.set(Number(mm[1]), p.trimEnd().replace(/\n\s+/g, ' '));
  }
  return m;
}

const AUTH: Record<string, number> = { none: 0, simple: 1, ah: 2 };
const VRRP_RE = /(\S+) > (\S+): VRRPv(\d+), Advertisement, (?:\(ttl (\d+)\), )?vrid (\d+), prio (\d+), (?:authtype (\w+), )?intvl (\d+)(s|cs), length (\d+)(?:, addrs(?:\((\d+)\))?: ([^ ]*))?(?: auth "([^"]*)")?/;

function checkAgainst(outFile: string, verbose: boolean): void {
  const got = decodeAll(path.join(TD, 'vrrp.pcap'));
  const recs = records(fs.readFileSync(path.join(TD, outFile), 'utf8'));
  assert.equal(got.length, 165);
  assert.equal(recs.size, 165, 'every frame has an expected line');
  let compared = 0;
  for (const [n, line] of recs) {
    const g = got[n - 1];
    const m = VRRP_RE.exec(line);
    assert.ok(m, `frame ${n}: expected line parses: ${line}`);
    const [, src, dst, ver, , vrid, prio, auth, intvl, unit, len, cnt, addrs, authText] = m;
    const where = `frame ${n}`;
    assert.equal(g.kind, Kind.Advert, where);
    assert.ok(line.includes(g.ts), `${where}: time ${g.ts}`);
    assert.equal(g.src, src, where);
    assert.equal(g.dst, dst, where);
    assert.equal(g.version, Number(ver), where);
    assert.equal(g.vrid, Number(vrid), where);
    assert.equal(g.prio, Number(prio), where);
    assert.equal(g.authType, auth === undefined ? -1 : AUTH[auth], where);
    assert.equal(unit, g.version === 2 ? 's' : 'cs', where);
    assert.equal(g.intervalRaw, Number(intvl), where);
    assert.equal(g.vrrpLength, Number(len), where);
    if (verbose) {
      const ttl = /\b(?:ttl|hlim) (\d+)/.exec(line);
      assert.ok(ttl, where);
      assert.equal(g.ttl, Number(ttl[1]), `${where} ttl`);
      assert.ok(addrs !== undefined, `${where}: -v prints the addresses`);
      assert.deepEqual(g.addrs, addrs.split(','), `${where} addresses`);
      assert.equal(g.count, cnt === undefined ? 1 : Number(cnt), `${where} count`);
      assert.equal(g.auth, authText ?? '', `${where} auth`);
      // tcpdump -v flags a bad checksum with "bad vrrp cksum"; none in this capture
      assert.equal(line.includes('bad vrrp cksum'), false);
      assert.equal(g.checksum, 'ok', `${where} checksum`);
    }
    compared++;
  }
  assert.equal(compared, 165);
}

test('vrrp.pcap decodes as tcpdump vrrp.out says', { skip: SHARED ? false : 'shared/ not found' }, () => {
  checkAgainst('vrrp.out', false);
});

test('vrrp.pcap decodes as tcpdump -v vrrp-v.out says (addresses, auth, ttl, checksum)', { skip: SHARED ? false : 'shared/ not found' }, () => {
  checkAgainst('vrrp-v.out', true);
});

for (const name of ['vrrp-vrrp_print-oobr', 'vrrp-vrrp_print-oobr-2']) {
  test(`${name}: malformed frames decode without exception, rejects match tcpdump's markers`, { skip: SHARED ? false : 'shared/ not found' }, () => {
    const got = decodeAll(path.join(TD, name + '.pcap'));
    const recs = records(fs.readFileSync(path.join(TD, name + '.out'), 'utf8'));
    assert.equal(got.length, recs.size);
    assert.ok(got.length >= 3);
    for (const [n, line] of recs) {
      const g = got[n - 1];
      const where = `${name} frame ${n}: ${line}`;
      assert.equal(g.kind, Kind.Reject, where);
      const flags = /flags \[([^\]]*)\]/.exec(line);
      if (flags && flags[1].split(', ').includes('+')) {
        // more-fragments set: keepalived never sees a lone fragment
        assert.equal(g.reject, 'fragment', where);
        continue;
      }
      const v = /VRRPv(\d+)/.exec(line);
      assert.ok(v, where);
      assert.equal(g.version, Number(v[1]), where);
      if (Number(v[1]) !== 2 && Number(v[1]) !== 3) { assert.equal(g.reject, 'bad-version', where); continue; }
      assert.ok(line.includes('[|vrrp]'), where);
      assert.match(g.reject, /^truncated-(vrrp|addresses)$/, where);
      const m = /vrid (\d+), prio (\d+),.* length (\d+)/.exec(line);
      assert.ok(m, where);
      assert.equal(g.vrid, Number(m[1]), where);
      assert.equal(g.prio, Number(m[2]), where);
      assert.equal(g.vrrpLength, Number(m[3]), where);
    }
  });
}

function datFrame(name: string): { d: PacketDecoder; k: number } {
  const bytes = hex(fs.readFileSync(path.join(SHARED!, 'public-pcaps/pcapplusplus', name), 'utf8'));
  const d = new PacketDecoder();
  const k = d.decode(bytes, 0, bytes.length, bytes.length, 0, 0, 1);
  return { d, k };
}

test('PcapPlusPlus VRRP-V2.dat: v2 without auth data, decoded and flagged', { skip: SHARED ? false : 'shared/ not found' }, () => {
  const { d, k } = datFrame('VRRP-V2.dat');
  const r = d.rec;
  assert.equal(k, Kind.Advert);
  assert.equal(r.srcText(), '192.168.0.30');
  assert.equal(r.dstText(), '224.0.0.18');
  assert.equal(r.version, 2);
  assert.equal(r.vrid, 1);
  assert.equal(r.priority, 100);
  assert.equal(r.authType, 0);
  assert.equal(r.intervalRaw, 1);
  assert.equal(r.intervalCs, 100);
  assert.deepEqual(r.addresses(), ['192.168.0.1', '192.168.0.2', '192.168.0.3']);
  assert.equal(r.authDataMissing, true);
  assert.equal(r.vrrpLength, 20);
  assert.equal(r.checksumStatus, Checksum.Ok);
});

test('PcapPlusPlus VRRP-V3-IPv4.dat', { skip: SHARED ? false : 'shared/ not found' }, () => {
  const { d, k } = datFrame('VRRP-V3-IPv4.dat');
  const r = d.rec;
  assert.equal(k, Kind.Advert);
  assert.equal(r.srcText(), '192.168.0.30');
  assert.equal(r.dstText(), '224.0.0.18');
  assert.equal(r.version, 3);
  assert.equal(r.vrid, 1);
  assert.equal(r.priority, 100);
  assert.equal(r.intervalRaw, 1);
  assert.equal(r.intervalCs, 1);
  assert.equal(r.authType, -1);
  assert.deepEqual(r.addresses(), ['192.168.0.1', '192.168.0.2']);
  assert.equal(r.checksumStatus, Checksum.Ok);
});

test('PcapPlusPlus VRRP-V3-IPv6.dat', { skip: SHARED ? false : 'shared/ not found' }, () => {
  const { d, k } = datFrame('VRRP-V3-IPv6.dat');
  const r = d.rec;
  assert.equal(k, Kind.Advert);
  assert.equal(r.family, 6);
  assert.equal(r.srcText(), 'fe80::1');
  assert.equal(r.dstText(), 'ff02::12');
  assert.equal(r.version, 3);
  assert.equal(r.vrid, 1);
  assert.equal(r.priority, 100);
  assert.equal(r.intervalCs, 1);
  assert.deepEqual(r.addresses(), ['fe80::254', '2001:db8::1', '2001:db8::2']);
  assert.equal(r.checksumStatus, Checksum.Ok);
});
