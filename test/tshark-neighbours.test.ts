// Every ARP frame and every ICMPv6 neighbour solicitation/advertisement of every capture under pcaps/
// (and the public ones) decoded by tshark and by us, field by field: the operation, sender and target
// hardware and protocol addresses; the ND type, target, R/S/O flags and link-layer address option. What
// tshark shows a neighbour would ignore (hop limit, code, checksum, malformed) we must call Other, and
// every ARP/ND frame we keep must be one tshark shows. Skipped only when tshark is not installed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Kind } from '../src/decode/packet.js';
import { ipText4, ipText6, macText } from '../src/decode/text.js';
import { captureFiles, sharedDir } from './support/captures.js';
import { decodeCapture } from './support/decode-capture.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const FIELDS = [
  'frame.number', 'arp.hw.type', 'arp.proto.type', 'arp.hw.size', 'arp.proto.size', 'arp.opcode', 'arp.src.hw_mac',
  'arp.src.proto_ipv4', 'arp.dst.hw_mac', 'arp.dst.proto_ipv4', 'icmpv6.type', 'icmpv6.code', 'icmpv6.checksum.status',
  'icmpv6.nd.ns.target_address', 'icmpv6.nd.na.target_address', 'icmpv6.nd.na.flag.r', 'icmpv6.nd.na.flag.s',
  'icmpv6.nd.na.flag.o', 'icmpv6.opt.type', 'icmpv6.opt.linkaddr', 'ipv6.hlim', 'ipv6.dst', 'eth.src', 'sll.src.eth', 'vlan.id',
  '_ws.malformed', 'frame.len', 'frame.cap_len',
] as const;
type Row = Record<(typeof FIELDS)[number], string>;

const hasTshark = spawnSync('tshark', ['-v'], { encoding: 'utf8' }).status === 0;

interface Ours { kind: number; op: number; sha: string; spa: string; tha: string; tpa: string; type: number; flags: number; target: string; lla: string; mac: string; vlan: number }

function ours(file: string): Ours[] | null {
  return decodeCapture(file, (k, r) => ({
    kind: k, op: r.arpOp, sha: k === Kind.Arp ? r.macText() : '', spa: ipText4(r.arpSpa), tha: macText(r.arpThaHi, r.arpThaLo),
    tpa: ipText4(r.arpTpa), type: r.ndType, flags: r.ndFlags, target: ipText6(r.ndTarget0, r.ndTarget1, r.ndTarget2, r.ndTarget3),
    lla: macText(r.ndLlaHi, r.ndLlaLo), mac: r.macText(), vlan: r.vlan,
  }));
}

const tsharkRows = new Map<string, Row[]>();
/** tshark's rows for a capture, read once (the first test counts them all, then each capture's test compares). */
function tshark(file: string): Row[] {
  let rows = tsharkRows.get(file);
  if (rows === undefined) tsharkRows.set(file, (rows = tsharkOnce(file)));
  return rows;
}

function tsharkOnce(file: string): Row[] {
  const args = ['-r', file, '-Y', 'arp || icmpv6.type == 135 || icmpv6.type == 136', '-T', 'fields', '-E', 'occurrence=a',
    '-E', 'aggregator=,', '-E', 'separator=/t'];
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
  return rows;
}

const first = (s: string): string => s.split(',')[0] ?? '';
const flag = (s: string): boolean => s === '1' || s === 'True';

const SHARED = sharedDir();
const files = [
  ...captureFiles(path.join(ROOT, 'pcaps')),
  ...(SHARED ? captureFiles(path.join(SHARED, 'public-pcaps/tcpdump-tests')) : []),
];

test('pcaps/ holds ARP and neighbour discovery to compare', { skip: hasTshark ? false : 'tshark not installed' }, () => {
  let arp = 0, nd = 0;
  for (const f of files) for (const r of tshark(f)) { if (r['arp.opcode']) arp++; else nd++; }
  assert.ok(arp >= 100 && nd >= 10, `${arp} ARP and ${nd} ND frames`);
});

for (const file of files) {
  const rel = file.startsWith(ROOT) ? path.relative(ROOT, file) : file;
  test(`tshark agrees with our ARP/ND decode: ${rel}`, { skip: hasTshark ? false : 'tshark not installed (apt-get install tshark)' }, () => {
    const mine = ours(file);
    const rows = tshark(file);
    if (mine === null) { assert.equal(rows.length, 0); return; }
    const seen = new Set<number>();
    let keptByTshark = 0;   // frames tshark shows that a neighbour would act on (ARP over Ethernet/IPv4, accepted ND)
    for (const row of rows) {
      const n = Number(row['frame.number']);
      seen.add(n);
      const o: Ours | undefined = mine[n - 1];
      const where = `${rel} frame ${n}`;
      assert.ok(o, `${where}: delivered`);
      const whole = row['frame.len'] === row['frame.cap_len'] && row['_ws.malformed'] === '';
      const vl = row['vlan.id'] ? row['vlan.id'].split(',') : [];
      if (row['arp.opcode']) {
        const ipOverEther = row['arp.hw.type'] === '1' && first(row['arp.proto.type']) === '0x0800' && row['arp.hw.size'] === '6' && row['arp.proto.size'] === '4';
        if (!ipOverEther || row['arp.src.proto_ipv4'] === '') { assert.equal(o.kind, Kind.Other, `${where}: not IPv4 over Ethernet`); continue; }
        assert.equal(o.kind, Kind.Arp, where);
        keptByTshark++;
        assert.deepEqual([o.op, o.sha, o.spa, o.tha, o.tpa],
          [Number(row['arp.opcode']), row['arp.src.hw_mac'], row['arp.src.proto_ipv4'], row['arp.dst.hw_mac'], row['arp.dst.proto_ipv4']], where);
        if (vl.length) assert.equal(o.vlan, Number(vl[vl.length - 1]), `${where} vlan`);
        continue;
      }
      // neighbour discovery: kept only when a neighbour would accept it
      const type = Number(first(row['icmpv6.type']));
      const accepted = whole && row['ipv6.hlim'] === '255' && first(row['icmpv6.code']) === '0' && first(row['icmpv6.checksum.status']) === '1' &&
        !first(type === 135 ? row['icmpv6.nd.ns.target_address'] : row['icmpv6.nd.na.target_address']).startsWith('ff') &&
        !(type === 136 && row['ipv6.dst'].startsWith('ff') && flag(row['icmpv6.nd.na.flag.s']));
      if (!accepted) { assert.equal(o.kind, Kind.Other, `${where}: a neighbour ignores it`); continue; }
      assert.equal(o.kind, Kind.Nd, where);
      keptByTshark++;
      assert.equal(o.type, type, `${where} type`);
      assert.equal(o.target, type === 135 ? row['icmpv6.nd.ns.target_address'] : row['icmpv6.nd.na.target_address'], `${where} target`);
      if (type === 136) {
        assert.deepEqual([(o.flags & 0x80) !== 0, (o.flags & 0x40) !== 0, (o.flags & 0x20) !== 0],
          [flag(row['icmpv6.nd.na.flag.r']), flag(row['icmpv6.nd.na.flag.s']), flag(row['icmpv6.nd.na.flag.o'])], `${where} flags`);
      }
      const optTypes = row['icmpv6.opt.type'] ? row['icmpv6.opt.type'].split(',') : [];
      const want = type === 135 ? '1' : '2';
      const i = optTypes.indexOf(want);
      // tshark lists one linkaddr per link-layer option in order; ours is the first of the wanted type
      const lla = i < 0 ? '' : (row['icmpv6.opt.linkaddr'].split(',')[optTypes.slice(0, i).filter((t) => t === '1' || t === '2').length] ?? '');
      assert.equal(o.lla, lla, `${where} link-layer address option`);
      const mac = row['eth.src'] || row['sll.src.eth'];
      if (mac) assert.equal(o.mac, first(mac), `${where} link source`);
    }
    mine.forEach((o, i) => {
      if (o.kind === Kind.Arp || o.kind === Kind.Nd) assert.ok(seen.has(i + 1), `${rel} frame ${i + 1}: tshark shows it as ARP/ND too`);
    });
    // also for a capture without any: as many kept by us as tshark shows a neighbour would act on
    assert.equal(mine.filter((o) => o.kind === Kind.Arp || o.kind === Kind.Nd).length, keptByTshark, `${rel}: ARP/ND frames kept`);
  });
}
