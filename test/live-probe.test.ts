// The active probe (--probe-vip) against real keepalived in network namespaces this file creates (the lab of
// test/support/lab.ts, vwl-t<pid>-<n>-*): vrrpwatch runs on the observer c and probes the VIP; a healthy
// pair answers with one MAC per round, a split brain (a firewall on the backup) with two, and a probe of
// the IPv6 VIP finds its holder by neighbour solicitation. Every probe frame is counted by an independent
// tcpdump on c: none without the option. Probes are sent only inside these namespaces.
//
// Needs root, keepalived, iptables, tcpdump, `npm run build` and `npm run build:native`; skips otherwise.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { IPV4, LiveLab, liveLabSkipReason, sleep, type Watch } from './support/live-lab.js';

const skip = liveLabSkipReason();

function lab(t: { after(fn: () => Promise<void>): void }): LiveLab {
  const l = new LiveLab();
  t.after(() => l.teardown());
  return l;
}

interface VipView { address: string; claimers: { mac: string; advertiser: string | null }[]; probe: { sent: number; answers: number; roundsWithTwoOrMore: number; rounds: { t: number; macs: string[] }[] } | null }
interface Summary { verdict: { label: string }; routers: { ownership: { vips: VipView[] } }[]; findings: { code: string; severity: string; evidence: string[] }[] }

/** The MAC of a node's eth0. */
function macOf(l: LiveLab, node: 'a' | 'b' | 'c'): string {
  const r = spawnSync('ip', ['-n', l.ns(node), '-o', 'link', 'show', 'eth0'], { encoding: 'utf8' });
  return /link\/ether ([0-9a-f:]{17})/.exec(r.stdout)![1]!;
}

/** Probe frames from c in a capture: ARP requests with sender address 0.0.0.0, neighbour solicitations. */
function probeFrames(file: string, mac: string): { arp: number; ns: number } {
  const count = (filter: string): number => {
    const r = spawnSync('tcpdump', ['-r', file, '-nn', `ether src ${mac} and (${filter})`], { encoding: 'utf8' });
    return r.stdout.split('\n').filter((x) => x.trim() !== '').length;
  };
  return { arp: count('arp and arp[7] = 1 and arp[14:4] = 0'), ns: count('icmp6 and ip6[40] = 135') };
}

async function summaryOf(w: Watch): Promise<Summary> {
  return (await w.stop()) as unknown as Summary;
}

test('--probe-vip: one MAC answers when healthy, two in a split brain; the probes are counted on the wire', { skip, timeout: 60_000 }, async (t) => {
  const l = lab(t);
  await l.keepalived('a', { state: 'MASTER', priority: 100 });
  await l.keepalived('b', { state: 'BACKUP', priority: 80 });
  await sleep(4500);                                             // a is master
  const cap = join(l.dir, 'probes.pcap');
  const td = await l.tcpdump('c', cap, 'arp or icmp6');
  const w = await l.watch('c', ['--probe-vip', '1']);
  await sleep(4200);
  // split brain: b drops VRRP, becomes master after its master-down interval and holds the VIP too
  await l.firewallDrop('b');
  await w.until('a split brain', () => (w.events.some((e) => e.type === 'split-brain-start') ? true : undefined), 15_000);
  await sleep(3500);
  const s = await summaryOf(w);
  await td.stop();
  const macA = macOf(l, 'a'), macB = macOf(l, 'b'), macC = macOf(l, 'c');
  const v = s.routers[0]!.ownership.vips.find((x) => x.address === '10.99.0.100')!;
  const p = v.probe!;
  t.diagnostic(`probe rounds: ${p.rounds.map((r) => r.macs.length).join(' ')}; sent ${p.sent}, answers ${p.answers}`);
  // before the split brain: each round answered by a's MAC only
  const early = p.rounds.slice(0, 3);
  assert.ok(early.length === 3 && early.every((r) => r.macs.length === 1 && r.macs[0] === macA), JSON.stringify(early));
  // during it: rounds answered by both
  assert.ok(p.roundsWithTwoOrMore >= 1, JSON.stringify(p.rounds));
  assert.ok(p.rounds.some((r) => r.macs.includes(macA) && r.macs.includes(macB)));
  const f = s.findings.find((x) => x.code === 'vip-conflict') ?? null;
  const sb = s.findings.find((x) => x.code === 'split-brain')!;
  assert.equal(s.verdict.label, 'SPLIT BRAIN');
  // one story: the conflict is the split brain's (reported within it), or shown with the probe's proof
  assert.ok(f === null || f.evidence.some((e) => e.includes('answered the active probe')), JSON.stringify(f));
  assert.ok(sb.evidence.some((e) => e.includes(`10.99.0.100 was claimed by 2 hosts`)), sb.evidence.join('\n'));
  // the wire: every probe vrrpwatch says it sent is there, from c, an RFC 5227 probe
  const frames = probeFrames(cap, macC);
  assert.equal(frames.arp, p.sent, `probe frames on the wire ${frames.arp}, sent ${p.sent}: ${spawnSync('tcpdump', ['-r', cap, '-nn', '-tt', 'arp'], { encoding: 'utf8' }).stdout}`);
});

test('without --probe-vip nothing is sent; with it an IPv6 VIP is probed by neighbour solicitation', { skip, timeout: 60_000 }, async (t) => {
  const l = lab(t);
  await l.keepalived('a', { state: 'MASTER', priority: 100, family: 6 });
  await l.keepalived('b', { state: 'BACKUP', priority: 80, family: 6 });
  await sleep(4500);
  const macA = macOf(l, 'a'), macC = macOf(l, 'c');
  const quiet = join(l.dir, 'quiet.pcap');
  let td = await l.tcpdump('c', quiet, 'arp or icmp6');
  let w = await l.watch('c');
  await sleep(4000);
  await summaryOf(w);
  await td.stop();
  assert.deepEqual(probeFrames(quiet, macC), { arp: 0, ns: 0 }, 'not one probe without --probe-vip');
  const probed = join(l.dir, 'probed.pcap');
  td = await l.tcpdump('c', probed, 'arp or icmp6');
  w = await l.watch('c', ['--probe-vip', '1', '--vip', IPV4.a]);
  await sleep(4500);
  const s = await summaryOf(w);
  await td.stop();
  const v = s.routers[0]!.ownership.vips.find((x) => x.address === 'fd99::100')!;
  assert.ok(v.probe !== null && v.probe.sent >= 3, JSON.stringify(v.probe));
  assert.ok(v.probe.rounds.slice(0, -1).every((r) => r.macs.length === 1 && r.macs[0] === macA), JSON.stringify(v.probe.rounds));
  const frames = probeFrames(probed, macC);
  assert.equal(frames.ns, v.probe.sent);
  assert.ok(frames.arp >= 3, 'the --vip address (a node\'s own address) is probed by ARP');
});

test('--probe-vip refuses -r and `any`, and --vip without it, in one line', { skip: skip ?? false }, async () => {
  const run = (args: string[]) => spawnSync(process.execPath, [join(import.meta.dirname, '../bin/vrrpwatch'), ...args], { encoding: 'utf8' });
  const r1 = run(['-r', 'pcaps/lab/healthy.pcap', '--probe-vip']);
  assert.equal(r1.status, 2);
  assert.equal(r1.stderr, 'vrrpwatch: --probe-vip sends probes on a live interface (-i IFACE): a capture file cannot be probed\n');
  const r2 = run(['-i', 'any', '--no-tui', '--probe-vip', '2']);
  assert.equal(r2.status, 2);
  assert.match(r2.stderr, /^vrrpwatch: --probe-vip cannot send on 'any': it is no interface but all of them/);
  const r3 = run(['-i', 'lo', '--vip', '10.0.0.1']);
  assert.equal(r3.stderr, 'vrrpwatch: --vip names addresses for the active probe: give --probe-vip too\n');
  const r4 = run(['check', '-r', 'pcaps/lab/healthy.pcap', '--probe-vip']);
  assert.equal(r4.status, 3);
  assert.match(r4.stdout, /^VRRP UNKNOWN - --probe-vip sends probes on a live interface/);
  const r5 = run(['-i', 'lo', '--probe-vip', '0.1']);
  assert.equal(r5.status, 2);
  assert.match(r5.stderr, /--probe-vip takes an interval from 0.5 to 3600 seconds, not '0.1'/);
});

test('a failover whose gratuitous ARPs are lost: stale-neighbours names the old MAC, the neighbour still has it, the printed arping fixes it', { skip, timeout: 60_000 }, async (t) => {
  const arping = spawnSync('sh', ['-c', 'command -v arping'], { encoding: 'utf8' }).status === 0;
  if (!arping) { t.skip('needs arping (apt-get install iputils-arping)'); return; }
  const l = lab(t);
  await l.keepalived('a', { state: 'MASTER', priority: 100 });
  await l.keepalived('b', { state: 'BACKUP', priority: 80, garpDelay: 30 });
  await sleep(4500);
  const macA = macOf(l, 'a'), macB = macOf(l, 'b');
  const neigh = async (): Promise<string> => (await l.run('c', 'ip', ['neigh', 'show', '10.99.0.100'])).stdout;
  await l.run('c', 'bash', ['-c', 'echo x > /dev/udp/10.99.0.100/9']);   // c resolves the VIP (one datagram)
  await sleep(300);
  assert.match(await neigh(), new RegExp(`lladdr ${macA}`), 'c resolved the VIP to a');
  // the switch loses b's ARP towards c (its first gratuitous ARPs as new master); its second set is 30 s away
  await l.run('sw', 'nft', ['add', 'table', 'bridge', 'vwl'], true);
  await l.run('sw', 'nft', ['add', 'chain', 'bridge', 'vwl', 'forward', '{ type filter hook forward priority 0; }'], true);
  await l.run('sw', 'nft', ['add', 'rule', 'bridge', 'vwl', 'forward', 'iifname', 'pb', 'oifname', 'pc', 'ether', 'type', 'arp', 'drop'], true);
  const w = await l.watch('c');
  await sleep(1500);
  await l.stopKeepalived('a', 'SIGKILL');
  await w.until('b as master', () => (w.events.some((e) => e.type === 'failover') ? true : undefined), 10_000);
  await sleep(2000);
  const s = (await w.stop()) as unknown as { findings: { code: string; severity: string; evidence: string[]; fixes: { tool: string; host: string | null; commands: string[] }[] }[] };
  const f = s.findings.find((x) => x.code === 'stale-neighbours');
  assert.ok(f, JSON.stringify(s.findings.map((x) => x.code)));
  assert.equal(f.severity, 'warning');
  assert.ok(f.evidence[0]!.includes(`the last claim was 10.99.0.1 (${macA})`) || f.evidence[0]!.startsWith('10.99.0.2 became master at'), f.evidence[0]);
  assert.match(await neigh(), new RegExp(`lladdr ${macA}`), 'c still sends the VIP to the dead a');
  // the fix, as printed, run on the new master once the switch passes its ARP again
  const fix = f.fixes.find((x) => x.tool === 'arping')!;
  assert.equal(fix.host, '10.99.0.2');
  assert.deepEqual(fix.commands, ['arping -U -c 3 -I eth0 10.99.0.100']);
  await l.run('sw', 'nft', ['flush', 'table', 'bridge', 'vwl'], true);
  const argv = fix.commands[0]!.split(' ');
  await l.run('b', argv[0]!, argv.slice(1), true, 10_000);
  assert.match(await neigh(), new RegExp(`lladdr ${macB}`), 'after the fix c sends the VIP to b');
});
