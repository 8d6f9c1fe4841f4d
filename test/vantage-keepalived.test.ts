// Several vantage points on real keepalived (test/support/lab.ts: namespaces vwl-t<pid>-*, a bridge in its
// own namespace, A = 10.99.0.1 prio 100, B = 10.99.0.2 prio 80, observer C): captures taken on A, B and C at
// once while the switch or B's host misbehaves, then read together by the CLI as a user would.
//  - the bridge drops A's multicast towards B (an nft bridge-family rule): cause network, direction A → B,
//    and the switch-side check the report prints (nft list ruleset bridge) shows the rule in the switch;
//  - B's INPUT chain drops VRRP: cause host-drop on B; the printed iptables fix, run in B's namespace, ends it;
//  - the bridge drops 30 % of A's adverts towards B at random: every advert the switch dropped (its rule's
//    own counter, the truth) is counted lost, and nothing else.
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

/** The switch's own table (bridge vwt) and forward chain, made once. */
async function switchChain(lab: Lab): Promise<void> {
  const chain = await lab.run('sw', 'nft', ['list', 'chain', 'bridge', 'vwt', 'forward']);
  if (chain.code !== 0) {
    await lab.run('sw', 'nft', ['add', 'table', 'bridge', 'vwt'], true);
    await lab.run('sw', 'nft', ['add', 'chain', 'bridge', 'vwt', 'forward', '{ type filter hook forward priority 0; policy accept; }'], true);
  }
}

async function bridge(lab: Lab, ...rule: string[]): Promise<void> {
  await switchChain(lab);
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

test('the bridge drops 30 % of A\'s adverts towards B: every advert it dropped is counted lost, nothing else', { skip }, async (t) => {
  const lab = await startLab();
  t.after(() => lab.teardown());
  const caps = await pairAndCaptures(lab, ['a', 'b', 'c']);
  // A capture's span is that of its own frames (advert-matcher.ts: an advert outside it is not expected
  // there), and B's frames are the adverts that reached it: a dropped advert before B's first or after
  // B's last arrived one is outside B's span. So the rules drop only well inside it, with adverts arriving
  // for 2.5 s before them and after them. (Flushed and stopped at once, a loaded CI run had its last two
  // dropped adverts past B's span: 9 lost where the switch dropped 11.) Named counters keep their
  // counts once the rules are gone, so nothing is dropped between reading them and removing the rules.
  await sleep(2500);
  await switchChain(lab);
  for (const name of ['sent', 'dropped']) await lab.run('sw', 'nft', ['add', 'counter', 'bridge', 'vwt', name], true);
  await bridge(lab, 'iifname', 'pa', 'oifname', 'pb', 'ip', 'protocol', 'vrrp', 'counter', 'name', 'sent');
  await bridge(lab, 'iifname', 'pa', 'oifname', 'pb', 'ip', 'protocol', 'vrrp', 'numgen', 'random', 'mod', '100', '<', '30', 'counter', 'name', 'dropped', 'drop');
  await sleep(45_000);
  await lab.run('sw', 'nft', ['flush', 'chain', 'bridge', 'vwt', 'forward'], true);
  const counters = (await lab.run('sw', 'nft', ['list', 'counters', 'table', 'bridge', 'vwt'], true)).stdout;
  await sleep(2500);
  for (const c of caps) await c.stop();
  const count = (name: string): number => Number(new RegExp(`counter ${name} \\{\\s*packets (\\d+)`).exec(counters)?.[1] ?? NaN);
  const all = count('sent'), dropped = count('dropped');
  assert.ok(all >= 40 && dropped > 0, counters);
  const { report } = vantage(lab, ['a', 'b', 'c']);
  const d = report.vantagePoints.sources.find((s) => s.source === A)!.deliveries.find((x) => x.to === 'b')!;
  const said = `measured ${d.lost} lost of ${d.expected} (${d.lossPercent} %); the switch dropped ${dropped} of the ${all} it forwarded while the rules were in (${((dropped / all) * 100).toFixed(1)} %)`;
  assert.equal(d.lost, dropped, said);
  // the rules' window inside B's span: its adverts, plus the ones that arrived in the 2.5 s either side
  assert.ok(d.expected >= all && d.expected <= all + 6, said);
  assert.ok(Math.abs(d.lossPercent! - (d.lost / d.expected) * 100) < 0.05, said);
  const c = report.vantagePoints.sources.find((s) => s.source === A)!.deliveries.find((x) => x.to === 'c')!;
  assert.equal(c.lost, 0, 'the observer got every advert');
});
