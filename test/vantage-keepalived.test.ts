// Several vantage points on real keepalived (test/support/lab.ts: namespaces vwl-t<pid>-*, a bridge in its
// own namespace, A = 10.99.0.1 prio 100, B = 10.99.0.2 prio 80, observer C): captures taken on A, B and C at
// once while the switch or B's host misbehaves, then read together by the CLI as a user would.
//  - the bridge drops A's multicast towards B (an nft bridge-family rule): cause network, direction A → B,
//    and the switch-side check the report prints (nft list ruleset bridge) shows the rule in the switch;
//  - B's INPUT chain drops VRRP: cause host-drop on B; the printed iptables fix, run in B's namespace, ends it;
//  - the bridge drops 30 % of A's adverts towards B at random: the loss rate within 3 points of the rule's
//    own counters (the truth).
// Needs root, ip, keepalived, tcpdump, iptables and nft; skipped otherwise. About 100 s.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { LAB_IPV4, labSkipReason, startLab, type Lab, type LabCapture, type LabNode } from './support/lab.js';

const env = { ...process.env, TZ: 'UTC', NO_COLOR: '1' };
const have = (c: string) => spawnSync('sh', ['-c', `command -v ${c}`], { stdio: 'ignore' }).status === 0;
const skip = labSkipReason() ?? (have('nft') ? undefined : 'needs nft');
const A = LAB_IPV4.a, B = LAB_IPV4.b;

interface Report {
  verdict: { severity: string };
  findings: { code: string; cause: string | null; evidence: string[]; fixContext: { deafHost: string | null; peers: string[] };
    fixes: { tool: string; host: string | null; commands: string[] }[] }[];
  vantagePoints: { points: { name: string; owns: string[] }[];
    sources: { source: string; deliveries: { to: string; expected: number; arrived: number; lost: number; lossPercent: number | null }[] }[] };
}

function vantage(lab: Lab, nodes: LabNode[], extra: string[] = []): { status: number | null; report: Report; stderr: string } {
  const args = nodes.flatMap((n) => ['-r', `${n}=${join(lab.dir, `${n}.pcap`)}`]);
  const r = spawnSync('bin/vrrpwatch', [...args, '--json', ...extra], { env, encoding: 'utf8' });
  return { status: r.status, report: JSON.parse(r.stdout || '{}') as Report, stderr: r.stderr };
}

/** The pair settled (A master), then captures on `nodes` at once. */
async function pairAndCaptures(lab: Lab, nodes: LabNode[], suffix = ''): Promise<LabCapture[]> {
  if (suffix === '') {
    await lab.keepalived('a', { state: 'MASTER', priority: 100 });
    await sleep(500);
    await lab.keepalived('b', { state: 'BACKUP', priority: 80 });
    await sleep(5000);
  }
  return Promise.all(nodes.map((n) => lab.capture(n, join(lab.dir, `${n}${suffix}.pcap`))));
}

async function bridge(lab: Lab, ...rule: string[]): Promise<void> {
  const chain = await lab.run('sw', 'nft', ['list', 'chain', 'bridge', 'vwt', 'forward']);
  if (chain.code !== 0) {
    await lab.run('sw', 'nft', ['add', 'table', 'bridge', 'vwt'], true);
    await lab.run('sw', 'nft', ['add', 'chain', 'bridge', 'vwt', 'forward', '{ type filter hook forward priority 0; policy accept; }'], true);
  }
  await lab.run('sw', 'nft', ['add', 'rule', 'bridge', 'vwt', 'forward', ...rule], true);
}

test('the bridge drops A\'s multicast towards B: cause network, direction A → B; the printed switch check finds the rule', { skip }, async (t) => {
  const lab = await startLab();
  t.after(() => lab.teardown());
  const caps = await pairAndCaptures(lab, ['a', 'b', 'c']);
  await sleep(1500);
  await bridge(lab, 'iifname', 'pa', 'oifname', 'pb', 'ip', 'daddr', '224.0.0.0/4', 'counter', 'drop');
  await sleep(10_000);   // B takes over 3.7 s after A's last advert it heard, split brain 2 intervals later
  for (const c of caps) await c.stop();
  const { status, report, stderr } = vantage(lab, ['a', 'b', 'c']);
  assert.equal(status, 0, stderr);
  const sb = report.findings.find((f) => f.code === 'split-brain');
  assert.ok(sb, JSON.stringify(report.findings.map((f) => f.code)));
  assert.equal(sb.cause, 'network', sb.evidence.join('\n'));
  assert.equal(sb.fixContext.deafHost, B);
  assert.deepEqual(sb.fixContext.peers, [A]);
  assert.ok(sb.evidence.some((e) => e.includes(`direction ${A} → ${B}`)));
  assert.ok(sb.fixes.every((f) => f.tool === 'switch'));
  // the check it prints for a Linux bridge, run where the bridge is, shows the culprit
  assert.ok(sb.fixes.some((f) => f.commands.some((c) => c.startsWith('nft list ruleset bridge'))));
  const rules = await lab.run('sw', 'nft', ['list', 'ruleset', 'bridge'], true);
  assert.match(rules.stdout, /iifname "pa" oifname "pb" ip daddr 224\.0\.0\.0\/4 counter packets [1-9]\d* bytes \d+ drop/);
  const owns = Object.fromEntries(report.vantagePoints.points.map((p) => [p.name, p.owns]));
  assert.deepEqual(owns, { a: [A], b: [B], c: [] });
  const check = spawnSync('bin/vrrpwatch', ['check', ...['a', 'b', 'c'].flatMap((n) => ['-r', `${n}=${join(lab.dir, `${n}.pcap`)}`])], { env, encoding: 'utf8' });
  assert.equal(check.status, 2);
  assert.match(check.stdout, /'10\.99\.0\.1>b_lost'=\d+(\.\d)?%;;;0;100/);
});

test('B\'s INPUT drops VRRP: host-drop on B, and the printed iptables fix, run on B, ends the split brain', { skip }, async (t) => {
  const lab = await startLab();
  t.after(() => lab.teardown());
  let caps = await pairAndCaptures(lab, ['a', 'b']);
  await sleep(1500);
  await lab.fwDrop('b');
  await sleep(10_000);
  for (const c of caps) await c.stop();
  const { report, stderr } = vantage(lab, ['a', 'b']);
  const sb = report.findings.find((f) => f.code === 'split-brain');
  assert.ok(sb, stderr);
  assert.equal(sb.cause, 'host-drop', sb.evidence.join('\n'));
  assert.equal(sb.fixContext.deafHost, B);
  const ipt = sb.fixes.find((f) => f.tool === 'iptables');
  assert.ok(ipt && ipt.host === B);
  for (const cmd of ipt.commands) {
    const r = await lab.run('b', 'sh', ['-c', cmd]);
    assert.equal(r.code, 0, `${cmd}: ${r.stderr}`);
  }
  // B hears A again and goes back to backup: a fresh pair of captures shows one master
  await sleep(2000);
  caps = await pairAndCaptures(lab, ['a', 'b'], '-after');
  await sleep(6000);
  for (const c of caps) await c.stop();
  const after = spawnSync('bin/vrrpwatch', ['check', '-r', `a=${join(lab.dir, 'a-after.pcap')}`, '-r', `b=${join(lab.dir, 'b-after.pcap')}`], { env, encoding: 'utf8' });
  assert.equal(after.status, 0, after.stdout);
  assert.match(after.stdout, /^VRRP OK - VRID 99: master 10\.99\.0\.1 prio 100/);
});

test('the bridge drops 30 % of A\'s adverts towards B: the loss rate within 3 points of the rule\'s counters', { skip }, async (t) => {
  const lab = await startLab();
  t.after(() => lab.teardown());
  const caps = await pairAndCaptures(lab, ['a', 'b', 'c']);
  // the rules count and drop only while all three captures run, so that the window the analysis reads
  // holds the rules' whole window: every capture has started before them, and nothing is dropped once
  // the counters are read (on a loaded CI machine the analysed window once held two adverts fewer than
  // the rules', both of them dropped: 20.9 % measured against 24.4 %)
  await sleep(2500);
  await bridge(lab, 'iifname', 'pa', 'oifname', 'pb', 'ip', 'protocol', 'vrrp', 'counter');
  await bridge(lab, 'iifname', 'pa', 'oifname', 'pb', 'ip', 'protocol', 'vrrp', 'numgen', 'random', 'mod', '100', '<', '30', 'counter', 'drop');
  await sleep(45_000);
  const counters = (await lab.run('sw', 'nft', ['list', 'chain', 'bridge', 'vwt', 'forward'], true)).stdout;
  await lab.run('sw', 'nft', ['flush', 'chain', 'bridge', 'vwt', 'forward'], true);
  for (const c of caps) await c.stop();
  const n = [...counters.matchAll(/counter packets (\d+)/g)].map((m) => Number(m[1]));
  assert.equal(n.length, 2, counters);
  const [all, dropped] = n as [number, number];
  assert.ok(all >= 40, counters);
  const { report } = vantage(lab, ['a', 'b', 'c']);
  const d = report.vantagePoints.sources.find((s) => s.source === A)!.deliveries.find((x) => x.to === 'b')!;
  const truth = (dropped / all) * 100;
  assert.ok(Math.abs(d.lossPercent! - truth) <= 3, `measured ${d.lossPercent} % (${d.lost} of ${d.expected}), the switch dropped ${dropped} of ${all} (${truth.toFixed(1)} %)`);
  assert.ok(Math.abs(d.lost - dropped) <= 2, `lost ${d.lost}, dropped ${dropped}`);
  const c = report.vantagePoints.sources.find((s) => s.source === A)!.deliveries.find((x) => x.to === 'c')!;
  assert.equal(c.lost, 0, 'the observer got every advert');
});
