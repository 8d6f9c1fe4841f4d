// doctor's wire judge on snapshots built by hand, for what keepalived 2.2.7 cannot be made to send in the
// lab: VRRPv3 checksums without the IPv4 pseudo-header (Cisco/Juniper/FRR style), a unicast peer that
// advertises to this node without being listed, the VIP-list rule of keepalived ≥ 2.3.3, this node's own
// adverts disagreeing with its file. The lab cases are in doctor-wire.test.ts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Advertiser, Router, Snapshot } from '../src/analyze/model.js';
import { judgeWire } from '../src/doctor/wire.js';
import { model } from './support/doctor.js';

const MAIN = '/etc/keepalived/keepalived.conf';

function adv(ip: string, over: Partial<Advertiser> = {}): Advertiser {
  return {
    ip, mac: null, active: true, role: 'master', priority: 100, priorityHistory: [], version: 2, advertInterval: 1, advertIntervalRaw: 1,
    advertIntervalUnit: 's', measuredInterval: 1, jitter: 0, adverts: 5, firstSeen: 0, lastSeen: 4, addresses: ['192.168.1.100'],
    authType: 0, authText: null, authMatches: true, destination: 'multicast', unicastPeers: [], ttlMin: 255, ttlMax: 255,
    checksums: { ok: 5 }, vlan: null, ...over,
  };
}

function snap(vrid: number, advertisers: Advertiser[], family: 4 | 6 = 4): Snapshot {
  const r = { key: `v${family}/${vrid}`, family, vrid, vlan: null, state: 'ok', worst: 'ok', master: advertisers[0]?.ip ?? null, masterPriority: 100,
    virtualAddresses: [], advertisers, failovers: [], splitBrains: [], noMasters: [], masterDownInterval: null, lastFailover: null, adverts: 5,
    firstSeen: 0, lastSeen: 4, totals: {} } as unknown as Router;
  return { time: 4, firstTime: 0, stats: {} as Snapshot['stats'], routers: [r], findings: [], events: [], verdict: 'ok' };
}

const conf = (body: string): string => `vrrp_instance VI_1 {\n interface eth0\n virtual_router_id 51\n priority 80\n${body}\n virtual_ipaddress {\n  192.168.1.100/24\n }\n}\n`;
const run = (text: string, s: Snapshot, version: [number, number, number] | null = [2, 2, 7]) =>
  judgeWire(model({ [MAIN]: text }), { snapshot: s, iface: 'eth0', seconds: 4, localAddresses: ['192.168.1.11'], keepalivedVersion: version }).findings;
const codes = (fs: { code: string }[]) => fs.map((f) => f.code);

test('VRRPv3/IPv4 checksums without the pseudo-header: CRITICAL; with it: nothing', () => {
  const v3 = conf(' version 3');
  const bad = run(v3, snap(51, [adv('192.168.1.12', { version: 3, advertIntervalRaw: 100, advertIntervalUnit: 'cs', authType: null, checksums: { 'v2-style': 5 } })]));
  assert.equal(bad.find((f) => f.code === 'wire-checksum-flavour')?.severity, 'critical');
  const good = run(v3, snap(51, [adv('192.168.1.12', { version: 3, advertIntervalRaw: 100, advertIntervalUnit: 'cs', authType: null })]));
  assert.deepEqual(codes(good), ['wire-match']);
});

test('a unicast peer advertising to this node but missing from unicast_peer; one sending elsewhere', () => {
  const uni = conf(' unicast_src_ip 192.168.1.11\n unicast_peer {\n  192.168.1.13\n }');
  const fs = run(uni, snap(51, [adv('192.168.1.12', { destination: 'unicast', unicastPeers: ['192.168.1.11'] })]));
  assert.equal(fs.find((f) => f.code === 'wire-peer-not-listed')?.where?.line, 6, 'the unicast_peer block');
  const elsewhere = run(conf(' unicast_src_ip 192.168.1.11\n unicast_peer {\n  192.168.1.12\n }'), snap(51, [adv('192.168.1.12', { destination: 'unicast', unicastPeers: ['192.168.1.50'] })]));
  assert.ok(codes(elsewhere).includes('wire-unicast-wrong-peer'));
  const fine = run(conf(' unicast_src_ip 192.168.1.11\n unicast_peer {\n  192.168.1.12\n }'), snap(51, [adv('192.168.1.12', { destination: 'unicast', unicastPeers: ['192.168.1.11'] })]));
  assert.deepEqual(codes(fine), ['wire-match']);
});

test('VIP lists that overlap but differ: CRITICAL up to keepalived 2.3.2, WARNING from 2.3.3', () => {
  const s = snap(51, [adv('192.168.1.12', { addresses: ['192.168.1.100', '192.168.1.101'] })]);
  assert.equal(run(conf(''), s, [2, 2, 7]).find((f) => f.code === 'wire-vip-mismatch')?.severity, 'critical');
  assert.equal(run(conf(''), s, [2, 3, 3]).find((f) => f.code === 'wire-vip-mismatch')?.severity, 'warning');
  assert.equal(run(conf(''), s, null).find((f) => f.code === 'wire-vip-mismatch')?.severity, 'critical', 'unknown version: judged as the older');
});

test('this node advertising what its file does not say: a reload is missing', () => {
  const s = snap(51, [adv('192.168.1.11', { advertIntervalRaw: 2, priority: 80 }), adv('192.168.1.12')]);
  const own = run(conf(''), s).find((f) => f.code === 'wire-own-differs')!;
  assert.deepEqual(own.evidence, ['advert_int 2 s (file: 1 s)']);
  assert.ok(!codes(run(conf(''), snap(51, [adv('192.168.1.11', { priority: 80 }), adv('192.168.1.12')]))).includes('wire-own-differs'));
});

test('no advert at all; only this node; other VRIDs named', () => {
  assert.deepEqual(codes(run(conf(''), { ...snap(51, []), routers: [] })), ['wire-silent']);
  assert.deepEqual(codes(run(conf(''), snap(51, [adv('192.168.1.11', { priority: 80 })]))), ['wire-no-peer']);
  const other = snap(77, [adv('192.168.1.40')]);
  assert.deepEqual(codes(run(conf(''), { ...other, routers: [...snap(51, [adv('192.168.1.12')]).routers, ...other.routers] })), ['wire-match', 'wire-other-vrids']);
});
