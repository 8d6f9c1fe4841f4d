// The default BPF filter, offline (no root): compiled by libpcap for each link type, and applied by tcpdump to
// a capture of in-band tagged/untagged VRRP and neighbours. Live (kernel-stripped tags) is in live-binding.test.ts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { DEFAULT_FILTER, defaultFilter, resolveFilter } from '../src/live/filter.js';
import * as F from './live-frames.js';

const hasBinding = existsSync(resolve('native/build/Release/vrrpcap.node'));
const hasTcpdump = spawnSync('/bin/sh', ['-c', 'command -v tcpdump']).status === 0;
const dir = mkdtempSync(join(tmpdir(), 'vwv-filter-'));
process.on('exit', () => rmSync(dir, { recursive: true, force: true }));

test('default filter follows the link type; user filters are used as given', () => {
  assert.equal(resolveFilter(DEFAULT_FILTER, 1), DEFAULT_FILTER);
  assert.ok(DEFAULT_FILTER.includes('vlan'));
  for (const lt of [113, 276, 101, 12, 0]) {
    assert.equal(resolveFilter(DEFAULT_FILTER, lt), defaultFilter(lt));
    assert.ok(!defaultFilter(lt).includes('vlan'), `linktype ${lt}`);
  }
  assert.equal(resolveFilter('host 10.0.0.1', 276), 'host 10.0.0.1');
  assert.equal(resolveFilter('', 1), '');
});

test('libpcap compiles the default filter for Ethernet, Linux cooked v1/v2, raw IP, BSD loopback; rejects bad ones', { skip: !hasBinding ? 'binding not built' : false }, async () => {
  const { compileFilter } = await import('../src/live/index.js');
  for (const lt of [1, 113, 276, 12, 0]) {   // DLT values (pcap_open_dead): 12 = DLT_RAW
    const prog = compileFilter(defaultFilter(lt), lt);
    assert.match(prog, /ret\s+#\d+/, `linktype ${lt}`);
  }
  // the Ethernet form on a cooked link is what libpcap refuses: why defaultFilter() follows the link type
  assert.throws(() => compileFilter(DEFAULT_FILTER, 276), (e: Error & { kind?: string }) => e.kind === 'filter' && /VLAN/i.test(e.message));
  assert.throws(() => compileFilter('ip proto 112 and', 1), (e: Error & { kind?: string }) => e.kind === 'filter' && /syntax error/.test(e.message));
});

test('tcpdump applying the default filter keeps VRRP, ICMP errors quoting VRRP and ARP, tagged or not, and nothing else', { skip: !hasTcpdump ? 'tcpdump missing' : false }, () => {
  const Q = [{ tpid: 0x8100, vid: 10 }];
  const QQ = [{ tpid: 0x88a8, vid: 100 }, { tpid: 0x8100, vid: 10 }];
  const cases: Array<[string, Uint8Array, boolean]> = [];
  for (const [name, v] of [['untagged', undefined], ['802.1Q', Q], ['QinQ', QQ]] as const) {
    const o = v ? { vlans: [...v] } : {};
    cases.push([`${name} vrrp2`, F.vrrp2(o), true], [`${name} vrrp3 v6`, F.vrrp3v6(o), true],
      [`${name} icmp unreach quoting vrrp`, F.icmpUnreachVrrp(o), true], [`${name} garp`, F.garp(o), true],
      [`${name} icmp echo`, F.icmpEcho(o), false], [`${name} icmp unreach quoting udp`, F.icmpUnreachUdp(o), false],
      [`${name} udp`, F.udp(o), false]);
  }
  const path = join(dir, 'mix.pcap');
  F.writePcap(path, cases.map(([, f]) => f), 1_700_000_000, 1);
  const r = spawnSync('tcpdump', ['-nn', '-tt', '-r', path, DEFAULT_FILTER], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  // timestamps are 1 µs apart in case order: map each printed line back to its case
  const kept = new Set(r.stdout.trim().split('\n').map((l) => Number(l.split(' ')[0]!.split('.')[1])));
  for (const [i, [name, , pass]] of cases.entries()) assert.equal(kept.has(i), pass, name);
});
