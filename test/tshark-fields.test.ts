// Every VRRP frame of every capture under pcaps/ (recursively: edge cases, lab captures) decoded by
// tshark and by us, field by field. Skipped only when tshark is not installed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Checksum, Kind } from '../src/decode/packet.js';
import { ipText4, ipText6 } from '../src/decode/text.js';
import { captureFiles, sharedCaptures, sharedSkip } from './support/captures.js';
import { decodeCapture } from './support/decode-capture.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const FIELDS = [
  'frame.number', 'vrrp.version', 'vrrp.type', 'vrrp.virt_rtr_id', 'vrrp.prio', 'vrrp.addr_count',
  'vrrp.auth_type', 'vrrp.adver_int', 'vrrp.short_adver_int', 'vrrp.checksum', 'vrrp.checksum.status',
  'ip.src', 'ipv6.src', 'ip.dst', 'ipv6.dst', 'ip.ttl', 'ipv6.hlim', 'vrrp.ip_addr', 'vrrp.ipv6_addr',
  'vrrp.auth_string', 'eth.src', 'sll.src.eth', 'vlan.id', 'frame.time_epoch', 'icmp.type', 'icmpv6.type',
  'frame.len', 'frame.cap_len', '_ws.malformed', 'ip.len', 'ip.hdr_len', 'ipv6.plen', 'ip.flags.mf', 'ip.frag_offset',
] as const;
type Row = Record<(typeof FIELDS)[number], string>;

const hasTshark = spawnSync('tshark', ['-v'], { encoding: 'utf8' }).status === 0;

interface Ours {
  kind: number; version: number; type: number; vrid: number; prio: number; count: number; authType: number;
  intervalRaw: number; checksum: number; checksumStatus: number; src: string; dst: string; ttl: number;
  addrs: string[]; auth: string; mac: string; vlan: number; ts: string; qsrc: string; qvrid: number; reject: number;
}

/** Why tshark's own fields show that a frame it dissects as VRRP is not an advert a receiver accepts, for the
 *  reason we gave (null when they do not: then our reject is wrong). tshark dissects anything on protocol 112. */
function rejectJustified(o: Ours, row: Row): string | null {
  const f = (k: (typeof FIELDS)[number]): string => (row[k] ?? '').split(',')[0]!;
  const malformed = row['_ws.malformed'] !== '';
  const short = Number(f('frame.cap_len')) < Number(f('frame.len'));
  const ver = Number(f('vrrp.version'));
  const v6 = row['ipv6.src'] !== '';
  const vlen = v6 ? Number(f('ipv6.plen')) : Number(f('ip.len')) - Number(f('ip.hdr_len'));
  const need = 8 + Number(f('vrrp.addr_count')) * (v6 ? 16 : 4) + (ver === 2 ? 8 : 0);
  if (o.kind === Kind.Carp) return ver === 2 && f('vrrp.addr_count') === '7' && vlen === 36 ? 'CARP: v2, count 7, 36 bytes' : null;
  switch (o.reject) {
    case 1: case 4: case 8: return short || malformed ? 'truncated for tshark too' : null;   // truncated IP / VRRP / addresses
    case 2: return malformed ? 'malformed for tshark too' : null;                            // bad IP header
    case 3: return f('ip.flags.mf') === '1' || f('ip.flags.mf') === 'True' || Number(f('ip.frag_offset')) > 0 ? 'an IP fragment' : null;
    case 5: return (ver !== 2 && ver !== 3) || (ver === 2 && v6) ? `version ${ver}${v6 ? ' over IPv6' : ''}` : null;
    case 6: return f('vrrp.type') !== '1' ? `type ${f('vrrp.type')}` : null;
    case 7: return vlen < need || malformed ? `${vlen} bytes for ${need}` : null;            // count / length mismatch
    default: return null;
  }
}

function ours(file: string): Ours[] | null {
  return decodeCapture(file, (k, r, s, ns) => ({
    kind: k, version: r.version, type: r.type, vrid: r.vrid, prio: r.priority, count: r.count,
    authType: r.authType, intervalRaw: r.intervalRaw, checksum: r.checksum, checksumStatus: r.checksumStatus,
    src: r.srcText(), dst: r.dstText(), ttl: r.ttl, addrs: k === Kind.Advert ? r.addresses() : [],
    auth: k === Kind.Advert ? r.authText() : '', mac: r.macText(), vlan: r.vlan,
    ts: `${s}.${String(ns).padStart(9, '0')}`,
    qsrc: k === Kind.IcmpError ? (r.family === 4 ? ipText4(r.qsrc0) : ipText6(r.qsrc0, r.qsrc1, r.qsrc2, r.qsrc3)) : '',
    qvrid: r.qvrid, reject: r.reject,
  }));
}

function tshark(file: string): { rows: Row[]; ok: boolean } {
  const args = ['-r', file, '-Y', 'vrrp', '-T', 'fields', '-E', 'occurrence=a', '-E', 'aggregator=,', '-E', 'separator=/t'];
  for (const f of FIELDS) args.push('-e', f);
  const res = spawnSync('tshark', args, { encoding: 'utf8' });
  const rows: Row[] = [];
  for (const line of res.stdout.split('\n')) {
    if (!line) continue;
    const cols = line.split('\t');
    const row = {} as Row;
    FIELDS.forEach((f, i) => { row[f] = cols[i] ?? ''; });
    rows.push(row);
  }
  return { rows, ok: res.stdout.length > 0 || res.status === 0 };
}

const STATUS_GOOD = '1';
const STATUS_BAD = '0';

const files = [...captureFiles(path.join(ROOT, 'pcaps')), ...sharedCaptures('tcpdump-tests')];

test('pcaps/ holds captures to compare', () => {
  assert.ok(files.length >= 10, `found ${files.length} captures under pcaps/`);
});
// tcpdump's public captures are compared too (one test each, below); without shared/ that is said here
if (sharedSkip() !== false) test('tshark agrees with our decode: shared/public-pcaps/tcpdump-tests/*', { skip: sharedSkip() }, () => {});

for (const file of files) {
  const rel = file.startsWith(ROOT) ? path.relative(ROOT, file) : file.replace(/^.*\/(public-pcaps\/)/, 'shared/$1');
  test(`tshark agrees with our decode: ${rel}`, { skip: hasTshark ? false : 'tshark not installed (apt-get install tshark)' }, () => {
    const mine = ours(file);
    const { rows } = tshark(file);
    if (mine === null) {
      assert.equal(rows.length, 0, 'we refuse the file; tshark must find no VRRP in it');
      return;
    }
    const seen = new Set<number>();
    for (const row of rows) {
      const n = Number(row['frame.number']);
      seen.add(n);
      const o: Ours | undefined = mine[n - 1];
      const where = `${rel} frame ${n}`;
      assert.ok(o, `${where}: we delivered the frame`);
      const srcs = (row['ip.src'] || row['ipv6.src']).split(',');
      if (srcs.length > 1) {
        // VRRP quoted inside an ICMP error: destination unreachable (ICMP 3, ICMPv6 1) is evidence;
        // other ICMP errors (time exceeded, ...) are deliberately not of interest
        const unreach = row['icmp.type'].split(',')[0] === '3' || row['icmpv6.type'].split(',')[0] === '1';
        if (!unreach) { assert.equal(o.kind, Kind.Other, where); continue; }
        assert.equal(o.kind, Kind.IcmpError, where);
        assert.equal(o.src, srcs[0], where);
        assert.equal(o.qsrc, srcs[1], where);
        assert.equal(o.qvrid, Number(row['vrrp.virt_rtr_id']), where);
        continue;
      }
      if (o.kind !== Kind.Advert) {
        assert.ok(o.kind === Kind.Reject || o.kind === Kind.Carp, `${where}: kind ${o.kind}`);
        // a frame tshark dissects cleanly as an advert must not be thrown away by us
        assert.ok(rejectJustified(o, row) !== null, `${where}: we reject it (kind ${o.kind}, reason ${o.reject}) but tshark's fields show no reason`);
        if (o.version !== 0 && row['vrrp.version']) assert.equal(o.version, Number(row['vrrp.version']), where);
        if (o.version !== 0 && row['vrrp.virt_rtr_id']) assert.equal(o.vrid, Number(row['vrrp.virt_rtr_id']), where);
        continue;
      }
      assert.equal(o.version, Number(row['vrrp.version']), `${where} version`);
      assert.equal(o.type, Number(row['vrrp.type']), `${where} type`);
      assert.equal(o.vrid, Number(row['vrrp.virt_rtr_id']), `${where} vrid`);
      assert.equal(o.prio, Number(row['vrrp.prio']), `${where} prio`);
      assert.equal(o.count, Number(row['vrrp.addr_count']), `${where} count`);
      if (o.version === 2) {
        assert.equal(o.authType, Number(row['vrrp.auth_type']), `${where} auth type`);
        assert.equal(o.intervalRaw, Number(row['vrrp.adver_int']), `${where} interval (s)`);
        if (o.authType === 1) assert.equal(o.auth, row['vrrp.auth_string'], `${where} auth string`);
      } else {
        assert.equal(o.intervalRaw, Number(row['vrrp.short_adver_int']), `${where} interval (cs)`);
      }
      assert.equal(o.checksum, parseInt(row['vrrp.checksum'], 16), `${where} checksum value`);
      const st = row['vrrp.checksum.status'];
      if (o.checksumStatus === Checksum.Ok) assert.equal(st, STATUS_GOOD, `${where} checksum good`);
      else if (o.checksumStatus === Checksum.Unknown) assert.notEqual(st, STATUS_GOOD, `${where} checksum unverified`);
      else assert.equal(st, STATUS_BAD, `${where} checksum (ours ${o.checksumStatus}) is bad for tshark`);
      assert.equal(o.src, row['ip.src'] || row['ipv6.src'], `${where} src`);
      assert.equal(o.dst, row['ip.dst'] || row['ipv6.dst'], `${where} dst`);
      assert.equal(o.ttl, Number(row['ip.ttl'] || row['ipv6.hlim']), `${where} ttl`);
      const addrs = (row['vrrp.ip_addr'] || row['vrrp.ipv6_addr']);
      assert.deepEqual(o.addrs, addrs ? addrs.split(',') : [], `${where} addresses`);
      const mac = row['eth.src'] || row['sll.src.eth'];
      if (mac) assert.equal(o.mac, mac, `${where} mac`);
      const vl = row['vlan.id'] ? row['vlan.id'].split(',') : [];
      if (vl.length) assert.equal(o.vlan, Number(vl[vl.length - 1]), `${where} vlan`);
      if (row['frame.time_epoch']) assert.equal(o.ts, row['frame.time_epoch'], `${where} timestamp`);
    }
    // and the other way round: every advert we report, tshark calls VRRP too (one assertion, also for a
    // capture in which neither finds any)
    const notForTshark = mine.flatMap((o, i) => (o.kind === Kind.Advert && !seen.has(i + 1) ? [i + 1] : []));
    assert.deepEqual(notForTshark, [], `${rel}: frames we call adverts that tshark does not dissect as VRRP`);
  });
}
