// MetricsExporter: synthetic snapshots -> HTTP scrape -> content and `promtool check metrics`;
// the shipped alerting rules pass `promtool check rules` and their unit tests.
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { MetricsExporter, parseListen } from '../src/metrics/index.js';
import { analyzeFile } from '../src/cli/offline.js';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import type { Snapshot, Router, Advertiser, Finding } from '../src/analyze/model.js';
import type { HookStats } from '../src/notify/hooks.js';
import { VrrpwatchError } from '../src/errors.js';
import { Analyzer } from '../src/analyze/analyzer.js';
import { arp, build, series } from './support/records.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const T = 1_764_000_100;

function adv(ip: string, over: Partial<Advertiser> = {}): Advertiser {
  return {
    ip, mac: '00:00:5e:00:01:33', active: true, role: 'contender', priority: 100, priorityHistory: [],
    version: 2, advertInterval: 1, advertIntervalRaw: 1, advertIntervalUnit: 's', measuredInterval: 1,
    jitter: 0.001, adverts: 10, firstSeen: T - 100, lastSeen: T, addresses: ['10.0.0.100'], authType: 0,
    authText: null, authMatches: true, destination: 'multicast', unicastPeers: [], ttlMin: 255, ttlMax: 255,
    checksums: { ok: 10 }, vlan: null, ...over,
  };
}

function router(vrid: number, over: Partial<Router> = {}): Router {
  return {
    key: `v4/${vrid}`, family: 4, vrid, vlan: null, state: 'ok', worst: 'ok', master: '10.0.0.1',
    masterPriority: 150, virtualAddresses: ['10.0.0.100'],
    advertisers: [adv('10.0.0.1', { role: 'master', priority: 150, adverts: 100 })],
    failovers: [], splitBrains: [], noMasters: [], masterDownInterval: 3.609, lastFailover: null,
    adverts: 100, firstSeen: T - 100, lastSeen: T - 0.5,
    totals: { failovers: { failover: 0, graceful: 0, preemption: 0, initial: 1 }, splitBrains: 0, splitBrainSeconds: 0, noMasters: 0, noMasterSeconds: 0, briefDualMasters: 0 },
    ownership: { judged: true, note: null, vips: [] },
    ...over,
  };
}

function splitBrainSnapshot(): Snapshot {
  const sb = router(51, {
    state: 'split-brain', worst: 'critical', vlan: 10, key: 'v4/51@vlan10',
    advertisers: [
      adv('10.0.0.1', { role: 'master', priority: 150, adverts: 120 }),
      adv('10.0.0.2', { role: 'contender', priority: 100, adverts: 42, firstSeen: T - 90 }),
    ],
    failovers: [
      { t: T - 100, from: null, to: '10.0.0.1', kind: 'initial', duration: null, expected: null },
      { t: T - 60, from: '10.0.0.2', to: '10.0.0.1', kind: 'preemption', duration: 0.004, expected: 0 },
      { t: T - 50, from: '10.0.0.1', to: '10.0.0.2', kind: 'failover', duration: 3.7, expected: 3.609 },
    ],
    splitBrains: [
      { start: T - 80, end: T - 70, duration: 10, advertisers: ['10.0.0.1', '10.0.0.2'] },
      { start: T - 42, end: null, duration: 40, advertisers: ['10.0.0.1', '10.0.0.2'] },
    ],
    adverts: 162,
    totals: { failovers: { failover: 1, graceful: 0, preemption: 1, initial: 1 }, splitBrains: 2, splitBrainSeconds: 52, noMasters: 0, noMasterSeconds: 0, briefDualMasters: 0 },
  });
  const finding: Finding = {
    code: 'split-brain', severity: 'critical', routerKey: 'v4/51@vlan10', vrid: 51, family: 4, title: 'split brain',
    evidence: [], cause: 'firewall-drop', fixContext: { deafHost: '10.0.0.2', peers: ['10.0.0.1'], multicast: '224.0.0.18', family: 4 },
    firstSeen: T - 42, lastSeen: T, count: 1,
  };
  return {
    time: T, firstTime: T - 100,
    stats: {
      frames: 1000, bytes: 64000, vrrpAdverts: 262, rejects: { 'truncated-vrrp': 2, 'bad-version': 1 }, carp: 0,
      icmpErrors: 3, arp: 5, unsupportedLinks: {}, pcapReceived: 1000, pcapDropped: 7, pcapIfDropped: 0,
    },
    routers: [sb, router(7, { family: 6, key: 'v6/7', master: 'fe80::1', advertisers: [adv('fe80::1', { role: 'master', priority: 150 })] })],
    findings: [finding, { ...finding, code: 'ttl-not-255', severity: 'warning' }, { ...finding, code: 'ttl-not-255', severity: 'warning', routerKey: 'v6/7' }],
    events: [], verdict: 'critical',
  };
}

const hooks: HookStats = { events: 9, filtered: 1, coalesced: 4, summaries: 1, started: 6, ok: 3, failed: 1, timedOut: 1, dropped: 2, running: 1, queued: 0, pending: 0 };

function get(port: number, path: string, method = 'GET'): Promise<{ status: number; type: string; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => { body += d; });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, type: String(res.headers['content-type']), body }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** Value of the one sample matching name and all given labels (labels order-free). */
function sample(body: string, name: string, labels: Record<string, string> = {}): number | undefined {
  for (const line of body.split('\n')) {
    if (line.startsWith('#')) continue;
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})? (\S+)$/.exec(line);
    if (!m || m[1] !== name) continue;
    const ls: Record<string, string> = {};
    for (const p of (m[3] ?? '').matchAll(/([a-zA-Z_]+)="((?:[^"\\]|\\.)*)"/g)) ls[p[1]] = p[2];
    if (Object.entries(labels).every(([k, v]) => ls[k] === v)) return Number(m[4]);
  }
  return undefined;
}

const hasPromtool = spawnSync('promtool', ['--version'], { stdio: 'ignore' }).status === 0;

/** `promtool ARGS` (stdin: input). Without promtool: null, and the test is marked skipped, saying so
 *  (its other assertions still run; with VRRPWATCH_NO_SKIP=1 the skip fails the run). */
function promtool(t: TestContext, args: string[], input?: string): { status: number | null; out: string } | null {
  if (!hasPromtool) {
    t.skip('promtool not installed (Debian package prometheus): the promtool checks did not run');
    return null;
  }
  const r = spawnSync('promtool', args, { input, encoding: 'utf8', cwd: root });
  if (r.error) throw r.error;
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}

/** Seconds from the first to the last VRRP advert of `src` in a capture, as tcpdump reads it (not our reader). */
function advertSpan(file: string, src: string): number {
  const r = spawnSync('tcpdump', ['-r', file, '-nn', '-tt', `vrrp and src host ${src}`], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const ts = r.stdout.trim().split('\n').map((l) => Number(l.split(' ')[0]));
  assert.ok(ts.length >= 2 && ts.every(Number.isFinite), r.stdout);
  return ts.at(-1)! - ts[0]!;
}

test('split-brain snapshot served over HTTP: values right, promtool check metrics passes', async (t) => {
  const m = new MetricsExporter();
  m.update(splitBrainSnapshot(), hooks);
  const server = await m.serve('127.0.0.1', 0);
  try {
    const port = (server.address() as AddressInfo).port;
    const r = await get(port, '/metrics');
    assert.equal(r.status, 200);
    assert.match(r.type, /^text\/plain; version=0\.0\.4/);
    const b = r.body;
    const sb = { family: 'ipv4', vrid: '51', vlan: '10' };
    assert.match(b, /^vrrpwatch_router_split_brain\{family="ipv4",vrid="51",vlan="10"\} 1$/m);
    assert.equal(sample(b, 'vrrpwatch_router_split_brain', { vrid: '7' }), 0);
    assert.equal(sample(b, 'vrrpwatch_router_advertisers', sb), 2);
    assert.equal(sample(b, 'vrrpwatch_router_state', { ...sb, state: 'split-brain' }), 1);
    assert.equal(sample(b, 'vrrpwatch_router_state', { ...sb, state: 'ok' }), 0);
    assert.equal(sample(b, 'vrrpwatch_router_master_info', { ...sb, master: '10.0.0.1' }), 1);
    assert.equal(sample(b, 'vrrpwatch_router_master_info', { vrid: '7', family: 'ipv6', master: 'fe80::1' }), 1);
    assert.equal(sample(b, 'vrrpwatch_router_master_priority', sb), 150);
    assert.equal(sample(b, 'vrrpwatch_router_split_brain_seconds_total', sb), 52); // 10 closed + 42 open
    assert.equal(sample(b, 'vrrpwatch_router_split_brain_duration_seconds', sb), 42);
    assert.equal(sample(b, 'vrrpwatch_router_split_brain_duration_seconds', { vrid: '7' }), 0);
    assert.equal(sample(b, 'vrrpwatch_router_failovers_total', { ...sb, kind: 'failover' }), 1);
    assert.equal(sample(b, 'vrrpwatch_router_failovers_total', { ...sb, kind: 'preemption' }), 1);
    assert.equal(sample(b, 'vrrpwatch_router_failovers_total', { ...sb, kind: 'initial' }), 1);
    assert.equal(sample(b, 'vrrpwatch_router_split_brains_total', sb), 2);
    assert.equal(sample(b, 'vrrpwatch_router_no_masters_total', sb), 0);
    assert.equal(sample(b, 'vrrpwatch_router_last_failover_duration_seconds', sb), 3.7);
    assert.equal(sample(b, 'vrrpwatch_router_last_advert_age_seconds', sb), 0.5);
    assert.equal(sample(b, 'vrrpwatch_router_adverts_total', sb), 162);
    assert.equal(sample(b, 'vrrpwatch_advertiser_priority', { ...sb, advertiser: '10.0.0.2' }), 100);
    assert.equal(sample(b, 'vrrpwatch_advertiser_adverts_total', { ...sb, advertiser: '10.0.0.2' }), 42);
    assert.equal(sample(b, 'vrrpwatch_frames_total'), 1000);
    assert.equal(sample(b, 'vrrpwatch_vrrp_adverts_total'), 262);
    assert.equal(sample(b, 'vrrpwatch_pcap_dropped_packets_total'), 7);
    assert.equal(sample(b, 'vrrpwatch_rejected_packets_total', { reason: 'truncated-vrrp' }), 2);
    assert.equal(sample(b, 'vrrpwatch_findings', { code: 'ttl-not-255', severity: 'warning' }), 2);
    assert.equal(sample(b, 'vrrpwatch_findings', { code: 'split-brain', severity: 'critical' }), 1);
    assert.equal(sample(b, 'vrrpwatch_verdict'), 2);
    assert.equal(sample(b, 'vrrpwatch_hook_runs_total', { result: 'timeout' }), 1);
    assert.equal(sample(b, 'vrrpwatch_hook_dropped_runs_total'), 2);
    assert.equal(sample(b, 'vrrpwatch_hook_coalesced_events_total'), 4);
    const check = promtool(t, ['check', 'metrics'], b);
    if (check) {
      assert.equal(check.status, 0, check.out);
      assert.equal(check.out.trim(), '', `promtool lint: ${check.out}`);
    }

    assert.equal((await get(port, '/')).status, 404);
    assert.equal((await get(port, '/metricsx')).status, 404);
    assert.equal((await get(port, '/metrics', 'POST')).status, 405);
    const head = await get(port, '/metrics', 'HEAD');
    assert.equal(head.status, 200);
    assert.equal(head.body, '');
  } finally {
    await m.close();
  }
  assert.equal(server.listening, false);
});

test('values are set from snapshot totals, not accumulated; gone series disappear', async () => {
  const m = new MetricsExporter();
  const s = splitBrainSnapshot();
  m.update(s, hooks);
  m.update(s, hooks);
  let b = await m.metrics();
  assert.equal(sample(b, 'vrrpwatch_frames_total'), 1000);
  assert.equal(sample(b, 'vrrpwatch_router_adverts_total', { vrid: '51' }), 162);
  assert.equal(sample(b, 'vrrpwatch_hook_runs_total', { result: 'ok' }), 3);
  // The split brain heals and 10.0.0.2 becomes master.
  const healed = splitBrainSnapshot();
  healed.time = T + 10;
  healed.stats.frames = 1010;
  const r = healed.routers[0];
  r.state = 'ok';
  r.master = '10.0.0.2';
  r.masterPriority = 100;
  r.splitBrains[1] = { ...r.splitBrains[1], end: T + 5, duration: 47 };
  r.totals = { ...r.totals, splitBrainSeconds: 57 };
  r.advertisers[0].active = false;
  m.update(healed);
  b = await m.metrics();
  assert.equal(sample(b, 'vrrpwatch_frames_total'), 1010);
  assert.equal(sample(b, 'vrrpwatch_router_split_brain', { vrid: '51' }), 0);
  assert.equal(sample(b, 'vrrpwatch_router_split_brain_seconds_total', { vrid: '51' }), 57);
  assert.equal(sample(b, 'vrrpwatch_router_advertisers', { vrid: '51' }), 1);
  assert.equal(sample(b, 'vrrpwatch_router_master_info', { vrid: '51', master: '10.0.0.1' }), undefined);
  assert.equal(sample(b, 'vrrpwatch_router_master_info', { vrid: '51', master: '10.0.0.2' }), 1);
  assert.equal(sample(b, 'vrrpwatch_hook_runs_total', { result: 'ok' }), undefined);
});

test('cardinality is bounded under a spoofed flood (routers, advertisers, label values)', async (t) => {
  const m = new MetricsExporter({ maxRouters: 64, maxAdvertisers: 8, maxLabelValues: 32 });
  const s = splitBrainSnapshot();
  const legit = s.routers.slice();
  // 500 spoofed routers seen later, each with 20 spoofed advertisers; the first one in split brain.
  for (let i = 0; i < 500; i++) {
    const advs: Advertiser[] = [];
    for (let j = 0; j < 20; j++) advs.push(adv(`192.0.2.${j}`, { firstSeen: T - 10 + j * 0.01, adverts: 1 }));
    s.routers.push(router(i % 256, { key: `v4/${i % 256}@vlan${100 + i}`, vlan: 100 + i, firstSeen: T - 10 + i * 0.001, advertisers: advs, adverts: 20, state: i === 499 ? 'split-brain' : 'ok', master: `192.0.2.${i % 20}` }));
  }
  // And 20 advertisers on a legit router (master must keep its own series).
  for (let j = 0; j < 20; j++) legit[1].advertisers.push(adv(`fe80::${j + 10}`, { firstSeen: T - 200 + j }));
  for (let k = 0; k < 100; k++) s.stats.rejects[`reason-${k}`] = 1;
  m.update(s);
  const b = await m.metrics();
  const series = b.split('\n').filter((l) => l && !l.startsWith('#'));
  const routersSeen = new Set(series.filter((l) => l.startsWith('vrrpwatch_router_adverts_total')).map((l) => l.replace(/ \S+$/, '')));
  assert.equal(routersSeen.size, 65, '64 routers + other');
  const advSeries = series.filter((l) => l.startsWith('vrrpwatch_advertiser_adverts_total'));
  assert.ok(advSeries.length <= 64 * 9, `${advSeries.length} advertiser series`);
  // Legit routers (seen first) kept their series; the master of v6/7 is not folded.
  assert.equal(sample(b, 'vrrpwatch_router_adverts_total', { vrid: '51', vlan: '10' }), 162);
  assert.equal(sample(b, 'vrrpwatch_advertiser_priority', { vrid: '7', advertiser: 'fe80::1' }), 150);
  assert.equal(sample(b, 'vrrpwatch_advertiser_active', { vrid: '7', advertiser: 'other' }), 21 - 8);
  // Folded routers are summed, their split brain still shows.
  assert.equal(sample(b, 'vrrpwatch_router_split_brain', { family: 'other', vrid: 'other' }), 1);
  assert.equal(sample(b, 'vrrpwatch_router_adverts_total', { vrid: 'other' }), (500 - 62) * 20);
  assert.equal(sample(b, 'vrrpwatch_folded_series', { kind: 'router' }), 500 - 62);
  const reasons = series.filter((l) => l.startsWith('vrrpwatch_rejected_packets_total'));
  assert.equal(reasons.length, 32);
  // 102 reasons sorted by name: the first 31 kept, the other 71 (incl. truncated-vrrp = 2) summed.
  assert.equal(sample(b, 'vrrpwatch_rejected_packets_total', { reason: 'other' }), 70 + 2);
  assert.equal(sample(b, 'vrrpwatch_folded_series', { kind: 'reason' }), 71);
  assert.ok(series.length <= 11400, `${series.length} series`); // the bound documented in docs/metrics.md
  const check = promtool(t, ['check', 'metrics'], b);
  if (check) assert.equal(check.status, 0, check.out);
});

test('serve: a port in use is a typed one-line error', async () => {
  const a = new MetricsExporter();
  const s = await a.serve('127.0.0.1', 0);
  const port = (s.address() as AddressInfo).port;
  const b = new MetricsExporter();
  await assert.rejects(b.serve('127.0.0.1', port), (e: unknown) =>
    e instanceof VrrpwatchError && e.kind === 'usage' && /cannot serve metrics on 127\.0\.0\.1:\d+: address already in use/.test(e.message));
  await a.close();
});

test('parseListen: [ADDR:]PORT forms', () => {
  assert.deepEqual(parseListen(':9810'), { addr: '', port: 9810 });
  assert.deepEqual(parseListen('9810'), { addr: '', port: 9810 });
  assert.deepEqual(parseListen('127.0.0.1:9810'), { addr: '127.0.0.1', port: 9810 });
  assert.deepEqual(parseListen('[::1]:9810'), { addr: '::1', port: 9810 });
  for (const bad of ['', 'x', ':99999', '::1:9810', '1.2.3.4:', 'host:port']) {
    assert.throws(() => parseListen(bad), (e: unknown) => e instanceof VrrpwatchError && e.kind === 'usage', bad);
  }
});

test('docs/alerts.yml passes promtool check rules and its unit tests', { skip: hasPromtool ? false : 'promtool not installed (Debian package prometheus)' }, (t) => {
  const c = promtool(t, ['check', 'rules', 'docs/alerts.yml'])!;
  assert.equal(c.status, 0, c.out);
  assert.match(c.out, /SUCCESS: \d+ rules found/);
  const u = promtool(t, ['test', 'rules', 'docs/examples/alerts.test.yml'])!;
  assert.equal(u.status, 0, u.out);
});

test('source option: each scrape refreshes from the current snapshot; a failing source is a 500', async () => {
  let frames = 1;
  let fail = false;
  const m = new MetricsExporter({
    source: () => {
      if (fail) throw new Error('analyzer gone');
      const s = splitBrainSnapshot();
      s.stats.frames = frames;
      return { snapshot: s, hooks };
    },
  });
  const server = await m.serve('127.0.0.1', 0);
  const port = (server.address() as AddressInfo).port;
  try {
    assert.equal(sample((await get(port, '/metrics')).body, 'vrrpwatch_frames_total'), 1);
    frames = 5;
    assert.equal(sample((await get(port, '/metrics')).body, 'vrrpwatch_frames_total'), 5);
    fail = true;
    const r = await get(port, '/metrics');
    assert.equal(r.status, 500);
    assert.match(r.body, /analyzer gone/);
  } finally {
    await m.close();
  }
});

test('counters stay monotonic when the history is cleared (dashboard `c`) or capped: real analyzer, Router.totals', async (t) => {
  // the healed split brain lasts from the backup's first advert (two masters from then on) to its last one
  // (docs/analysis.md §3): measured on the capture by tcpdump, to its microsecond resolution
  const healedSpan = advertSpan(join(root, 'pcaps/lab/splitbrain-heals.pcap'), '10.99.0.2');
  for (const [file, name, labels, want] of [
    ['failover-crash', 'vrrpwatch_router_failovers_total', { kind: 'failover' }, 1],
    ['failover-crash', 'vrrpwatch_router_failovers_total', { kind: 'initial' }, 1],
    ['preemption', 'vrrpwatch_router_failovers_total', { kind: 'preemption' }, 1],
    ['splitbrain-heals', 'vrrpwatch_router_split_brains_total', {}, 1],
    ['splitbrain-heals', 'vrrpwatch_router_split_brain_seconds_total', {}, healedSpan],
  ] as const) {
    const { analyzer } = analyzeFile(join(root, 'pcaps/lab', `${file}.pcap`), { expectVrid: [] }, null, null);
    const m = new MetricsExporter();
    m.update(analyzer.snapshot());
    const before = await m.metrics();
    const got = sample(before, name, labels) ?? NaN;
    assert.ok(Math.abs(got - want) < 2e-6, `${file} ${name}: ${got}, the capture says ${want}`);
    const lastT = sample(before, 'vrrpwatch_router_last_failover_timestamp_seconds', {});
    analyzer.clearHistory();
    assert.equal(analyzer.snapshot().routers[0]!.failovers.length, 0, 'the history is gone');
    m.update(analyzer.snapshot());
    const after = await m.metrics();
    assert.equal(sample(after, name, labels), got, `${file} ${name} after clearHistory()`);
    assert.equal(sample(after, 'vrrpwatch_router_last_failover_timestamp_seconds', {}), lastT, 'the last failover is still described');
    const check = promtool(t, ['check', 'metrics'], after);
    if (check) assert.equal(check.status, 0, check.out);
  }
  // No-master seconds come from Router.totals too: a real no-master period (the master stops, the capture
  // goes on with another VRID), then the history cleared
  const an = new Analyzer();
  for (const r of build([...series('10.0.0.1', 0, 3.5, 1, { vrid: 1 }), ...series('10.0.0.5', 0.5, 20, 1, { vrid: 2 })].sort((x, y) => x.t - y.t))) an.packet(r);
  an.finish();
  const m = new MetricsExporter();
  m.update(an.snapshot());
  const nm = sample(await m.metrics(), 'vrrpwatch_router_no_master_seconds_total', { vrid: '1' }) ?? NaN;
  assert.ok(nm > 15 && nm < 17, `no-master seconds ${nm}`);
  an.clearHistory();
  m.update(an.snapshot());
  assert.equal(sample(await m.metrics(), 'vrrpwatch_router_no_master_seconds_total', { vrid: '1' }), nm);
});

test('minUpdateIntervalMs: updates closer together are skipped (the CLI: once a second, not per 100 ms tick)', async () => {
  let now = 0;
  const m = new MetricsExporter({ minUpdateIntervalMs: 1000, now: () => now });
  const s = splitBrainSnapshot();
  assert.equal(m.update(s), true);
  for (now = 100; now < 1000; now += 100) { assert.equal(m.due(), false); assert.equal(m.update(s), false); }
  assert.equal(m.due(), true);
  assert.equal(m.update(s), true);
  assert.equal(sample(await m.metrics(), 'vrrpwatch_metrics_updates_total'), 2);
  // The library default: every call updates.
  const d = new MetricsExporter();
  d.update(s); d.update(s); d.update(s);
  assert.equal(sample(await d.metrics(), 'vrrpwatch_metrics_updates_total'), 3);
});

// The real CLI, live on lo (listening only, nothing sent), metrics on a loopback port of its own.
const canLive = process.getuid?.() === 0 && existsSync(join(root, 'native/build/Release/vrrpcap.node')) && existsSync(join(root, 'dist/src/cli/main.js'));
test('vrrpwatch -i lo --metrics: refreshed about once a second, not on every 100 ms tick', { skip: !canLive && 'needs root, the libpcap binding and npm run build', timeout: 30_000 }, async () => {
  const child = spawn(process.execPath, [join(root, 'bin/vrrpwatch'), '-i', 'lo', '--no-tui', '--events-only', '--metrics', '127.0.0.1:0'], { stdio: ['ignore', 'ignore', 'pipe'] });
  try {
    let err = '';
    child.stderr.setEncoding('utf8');
    const port = await new Promise<number>((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`no metrics address in: ${err}`)), 15_000);
      child.stderr.on('data', (d: string) => {
        err += d;
        const m = /serving metrics on http:\/\/127\.0\.0\.1:(\d+)\/metrics/.exec(err);
        if (m) { clearTimeout(t); resolve(Number(m[1])); }
      });
      child.on('exit', (c) => reject(new Error(`exited ${c}: ${err}`)));
    });
    const updates = async (): Promise<number> => sample((await get(port, '/metrics')).body, 'vrrpwatch_metrics_updates_total') ?? 0;
    // the first update (the capture has started), polled for rather than slept for
    const end = Date.now() + 10_000;
    let a = await updates();
    while (a < 1 && Date.now() < end) { await new Promise((r) => setTimeout(r, 50)); a = await updates(); }
    assert.ok(a >= 1, 'no metrics update within 10 s of serving');
    // This wait is the behaviour under test: how many updates a 3 s stretch of time holds.
    await new Promise((r) => setTimeout(r, 3000));
    const b = await updates();
    assert.ok(b - a >= 2 && b - a <= 4, `${b - a} updates in 3 s (a 100 ms tick would give about 30)`);
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
  }
});

test('who holds the virtual addresses: claimers, last told, stale, probe counts (a real capture and probes)', async (t) => {
  const { analyzer } = analyzeFile(join(root, 'pcaps/lab/splitbrain-interval-mismatch.pcap'), { expectVrid: [] }, null, null);
  const m = new MetricsExporter();
  m.update(analyzer.snapshot());
  const body = await m.metrics();
  const vip = { vrid: '99', vip: '10.99.0.100' };
  assert.equal(sample(body, 'vrrpwatch_vip_claimers', vip), 2);
  assert.equal(sample(body, 'vrrpwatch_vip_last_told_master', vip), 0, 'the silenced master claimed last');
  assert.equal(sample(body, 'vrrpwatch_router_ownership_judged', { vrid: '99' }), 1);
  const checked = promtool(t, ['check', 'metrics'], body);
  if (checked) assert.equal(checked.status, 0, checked.out);
  // probes: two rounds, the second answered by two MACs
  const an = new Analyzer();
  for (const r of build(series('10.0.0.1', 0, 10, 1))) an.packet(r);
  const w = 0x0a000064;
  an.probeSent(4, w, 0, 0, 0, 10);
  an.packet(arp(10.001, 2, [0x5254, 0x00aa0001], '10.0.0.100', '0.0.0.0'));
  an.probeSent(4, w, 0, 0, 0, 11);
  an.packet(arp(11.001, 2, [0x5254, 0x00aa0001], '10.0.0.100', '0.0.0.0'));
  an.packet(arp(11.002, 2, [0x5254, 0x00aa0002], '10.0.0.100', '0.0.0.0'));
  an.tick(12.5);
  m.update(an.snapshot());
  const b2 = await m.metrics();
  const v2 = { vrid: '99', vip: '10.0.0.100' };
  assert.equal(sample(b2, 'vrrpwatch_vip_probes_total', v2), 2);
  assert.equal(sample(b2, 'vrrpwatch_vip_probe_answers_total', v2), 3);
  assert.equal(sample(b2, 'vrrpwatch_vip_probe_split_rounds_total', v2), 1);
  assert.equal(sample(b2, 'vrrpwatch_vip_probe_answering_macs', v2), 2);
  const checked2 = promtool(t, ['check', 'metrics'], b2);
  if (checked2) assert.equal(checked2.status, 0, checked2.out);
});
