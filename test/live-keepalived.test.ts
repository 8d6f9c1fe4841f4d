// Issue 3, "proven against real keepalived": the real CLI (bin/vrrpwatch -> dist/) captures live in
// network namespaces this file creates (vwv-<pid>-<n>-*), next to real keepalived instances, and every
// assertion is on vrrpwatch's own output: `-i eth0 --no-tui --json` NDJSON lines (adverts, events, the
// summary printed on SIGTERM) and `check -i eth0` exit codes and status lines.
//
// Needs root, keepalived, iptables, tcpdump, `npm run build` and `npm run build:native`; skips otherwise.
// Run: node --import tsx --test test/live-keepalived.test.ts   (about 1.5 minutes)
// Namespaces are torn down by t.after(), and by exit/SIGINT/SIGTERM hooks when the runner is interrupted.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { join } from 'node:path';
import { IPV4, LiveLab, alive, liveLabSkipReason, namespaces, sleep, type Watch } from './support/live-lab.js';

const skip = liveLabSkipReason();
/** Master_Down_Interval of the prio-80 backup, advert_int 1: 3 × 1 + (256 − 80) / 256. */
const MASTER_DOWN_80 = 3 + (256 - 80) / 256;
/** Skew_Time of the prio-80 backup. */
const SKEW_80 = (256 - 80) / 256;

/** A fresh lab per test, torn down after it whatever happens. */
function lab(t: { after(fn: () => Promise<void>): void }): LiveLab {
  const l = new LiveLab();
  t.after(() => l.teardown());
  return l;
}

/** MASTER 100 on a, BACKUP 80 on b. */
async function pair(l: LiveLab, extra: { family?: 4 | 6; unicast?: boolean } = {}): Promise<void> {
  await l.keepalived('a', { state: 'MASTER', priority: 100, ...extra });
  await l.keepalived('b', { state: 'BACKUP', priority: 80, ...extra });
}

/** Waits until `n` adverts from `src` have been printed (kernel timestamps in `ts`). */
async function advertsFrom(w: Watch, src: string, n: number, ms = 8000): Promise<void> {
  await w.until(`${n} adverts from ${src}`, () => (w.adverts.filter((a) => a.src === src).length >= n ? true : undefined), ms);
}

interface SummaryRouter { key: string; family: number; vrid: number; state: string; master: string | null; advertisers: { ip: string; authText: string | null }[] }
interface SummaryFinding { code: string; cause: string | null; fixes?: { tool: string; host: string | null; commands: string[] }[] }
interface Summary { verdict: string; routers: SummaryRouter[]; findings: SummaryFinding[]; stats: { vrrpAdverts: number; pcapDropped: number | null } }

/** Adverts in a pcap, read back by tcpdump: [epoch seconds, source, priority]. */
function pcapAdverts(file: string): { t: number; src: string; prio: number }[] {
  const text = execFileSync('tcpdump', ['-tt', '-nn', '-r', file, 'ip proto 112'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  const out: { t: number; src: string; prio: number }[] = [];
  for (const line of text.split('\n')) {
    const m = /^(\d+\.\d+) IP (\S+) > \S+: VRRPv2, Advertisement, vrid 99, prio (\d+)/.exec(line);
    if (m) out.push({ t: Number(m[1]), src: m[2]!, prio: Number(m[3]) });
  }
  return out;
}

test('healthy pair: one master (prio 100) on the wire, check -i exits 0 within a few seconds', { skip, timeout: 40_000 }, async (t) => {
  const l = lab(t);
  const prefix = l.id;
  assert.equal(namespaces(prefix).length, 4, 'switch, a, b, c namespaces exist');
  const w = await l.watch('c');
  await pair(l);
  await advertsFrom(w, IPV4.a, 3);
  await sleep(1500); // the backup had every chance to speak up

  const check = await l.check('c', ['-t', '10']);
  assert.equal(check.code, 0, `check exit code; stdout: ${check.stdout} stderr: ${check.stderr}`);
  assert.match(check.stdout, /^VRRP OK - /);
  assert.ok(check.elapsed < 6, `check took ${check.elapsed.toFixed(2)} s`);
  t.diagnostic(`check -i: exit 0 after ${check.elapsed.toFixed(2)} s: ${check.stdout.trim()}`);

  const s = (await w.stop()) as unknown as Summary;
  const adverts = w.adverts;
  assert.deepEqual([...new Set(adverts.map((a) => a.src))], [IPV4.a], 'only A advertises');
  for (const a of adverts) {
    assert.equal(a.vrid, 99);
    assert.equal(a.priority, 100);
    assert.equal(a.version, 2);
    assert.equal(a.dst, '224.0.0.18');
  }
  assert.equal(s.verdict, 'ok');
  assert.equal(s.routers.length, 1);
  assert.equal(s.routers[0]!.master, IPV4.a);
  assert.equal(s.routers[0]!.state, 'ok');
  assert.ok(w.events.some((e) => e.type === 'new-master' && e.master === IPV4.a), 'new-master event for A');
  assert.ok(!w.events.some((e) => /split-brain|failover/.test(e.type)), 'no split brain or failover');
  assert.ok(s.stats.vrrpAdverts >= adverts.length, 'summary counts every printed advert');
  assert.equal(s.stats.pcapDropped, 0, 'no pcap drops');
  // the password is masked in the summary as in the -r report
  assert.ok(s.routers[0]!.advertisers.every((a) => a.authText !== 'vwvpass1'), 'auth text masked');

  await l.teardown();
  assert.deepEqual(namespaces(prefix), [], 'teardown removed the namespaces');
});

test('master killed (SIGKILL): failover measured as on the wire, ≈ 3 × interval + skew', { skip, timeout: 40_000 }, async (t) => {
  const l = lab(t);
  const pcap = join(l.dir, 'failover.pcap');
  const w = await l.watch('c', ['-w', pcap]);
  await pair(l);
  await advertsFrom(w, IPV4.a, 3);
  await sleep(1000);
  await l.stopKeepalived('a', 'SIGKILL');
  const fo = await w.event('failover');
  await advertsFrom(w, IPV4.b, 2);
  await w.stop();

  assert.equal(fo.previousMaster, IPV4.a);
  assert.equal(fo.master, IPV4.b);
  assert.ok(fo.duration !== null && fo.expected !== null, 'duration and expected are given');
  assert.ok(Math.abs(fo.expected! - MASTER_DOWN_80) < 1e-6, `expected ${fo.expected} = Master_Down_Interval for prio 80`);

  // the same packets, read back from the -w file by tcpdump: last advert of A, first of B
  const wire = pcapAdverts(pcap);
  const lastA = wire.filter((a) => a.src === IPV4.a && a.prio === 100).at(-1);
  const firstB = wire.find((a) => a.src === IPV4.b && a.prio === 80);
  assert.ok(lastA && firstB, `A's and B's adverts in the pcap (${wire.length} adverts)`);
  const onWire = firstB.t - lastA.t;
  t.diagnostic(`failover: vrrpwatch ${fo.duration!.toFixed(6)} s, pcap ${onWire.toFixed(6)} s, expected ${MASTER_DOWN_80} s`);
  assert.ok(Math.abs(fo.duration! - onWire) <= 0.1, `measured ${fo.duration} s vs kernel timestamps ${onWire} s`);
  assert.ok(Math.abs(fo.duration! - MASTER_DOWN_80) <= 0.25, `measured ${fo.duration} s vs 3 × 1 + 0.6875 s`);
  // and the advert lines carry the same kernel timestamps as the pcap
  const lineLastA = w.adverts.filter((a) => a.src === IPV4.a).at(-1)!;
  assert.ok(Math.abs(lineLastA.ts - lastA.t) < 1e-5, `advert line ts ${lineLastA.ts} = pcap ${lastA.t}`);
  assert.ok(!w.events.some((e) => e.type === 'graceful-handover'), 'a crash is not a graceful hand-over');
});

test('graceful stop (SIGTERM, priority 0): recognised as a graceful hand-over', { skip, timeout: 40_000 }, async (t) => {
  const l = lab(t);
  const w = await l.watch('c');
  await pair(l);
  await advertsFrom(w, IPV4.a, 3);
  await sleep(1000);
  await l.stopKeepalived('a', 'SIGTERM');
  const ev = await w.event('graceful-handover');
  await w.stop();

  assert.ok(w.adverts.some((a) => a.src === IPV4.a && a.priority === 0), 'A sent a priority-0 advert');
  assert.equal(ev.previousMaster, IPV4.a);
  assert.equal(ev.master, IPV4.b);
  assert.ok(Math.abs(ev.expected! - SKEW_80) < 1e-6, `expected ${ev.expected} = Skew_Time for prio 80`);
  assert.ok(ev.duration !== null && ev.duration < SKEW_80 + 0.5, `hand-over took ${ev.duration} s`);
  t.diagnostic(`graceful hand-over: ${ev.duration!.toFixed(3)} s (skew ${SKEW_80} s)`);
  assert.ok(!w.events.some((e) => e.type === 'failover' || e.type.startsWith('split-brain')), 'no failover, no split brain');
});

test('iptables DROP of VRRP on the backup: split brain within 3 intervals, check exits 2, fix shown, end reported', { skip, timeout: 60_000 }, async (t) => {
  const l = lab(t);
  const w = await l.watch('b');
  await pair(l);
  await advertsFrom(w, IPV4.a, 3);
  await sleep(1000);
  await l.firewallDrop('b');

  const start = await w.event('split-brain-start');
  const firstB = w.adverts.find((a) => a.src === IPV4.b);
  assert.ok(firstB, 'B advertises');
  const afterFirstB = start.receivedAt - firstB.ts;
  t.diagnostic(`split-brain-start printed ${afterFirstB.toFixed(3)} s after B's first advert (event t ${(start.t - firstB.ts).toFixed(3)} s)`);
  assert.ok(afterFirstB <= 3, `reported ${afterFirstB} s after B's first advert (limit 3 × 1 s)`);
  assert.ok(start.t - firstB.ts <= 3);
  assert.ok(w.events.every((e) => e.type !== 'split-brain-end'), 'still on');

  const check = await l.check('b', ['-t', '10']);
  t.diagnostic(`check -i during the split brain: exit ${check.code} after ${check.elapsed.toFixed(2)} s: ${check.stdout.trim()}`);
  assert.equal(check.code, 2, `check exit code; stdout: ${check.stdout} stderr: ${check.stderr}`);
  assert.match(check.stdout, /^VRRP CRITICAL - .*split brain/i);

  const cleared = Date.now() / 1000;
  await l.firewallClear('b');
  const end = await w.event('split-brain-end');
  assert.ok(end.t > start.t);
  t.diagnostic(`split-brain-end printed ${(end.receivedAt - cleared).toFixed(3)} s after the rule was removed`);
  assert.ok(end.receivedAt - cleared <= 3, `split-brain-end ${end.receivedAt - cleared} s after the rule was removed`);
  const s = (await w.stop()) as unknown as Summary;
  const sb = s.findings.find((f) => f.code === 'split-brain');
  assert.ok(sb, `split-brain finding in the summary: ${JSON.stringify(s.findings.map((f) => f.code))}`);
  assert.equal(sb.cause, 'firewall-drop');
  const commands = (sb.fixes ?? []).flatMap((f) => f.commands).join('\n');
  assert.match(commands, /iptables -I INPUT.* -p vrrp/, 'an iptables fix');
  assert.match(commands, /firewall-cmd/, 'a firewalld fix');
  assert.ok((sb.fixes ?? []).some((f) => f.host === IPV4.b), `the fix is for the deaf host B: ${JSON.stringify(sb.fixes)}`);
  assert.equal(s.routers[0]!.master, IPV4.a, 'A is master again');
});

test('unicast peers: watched on a host interface and judged the same way (healthy, then split brain)', { skip, timeout: 60_000 }, async (t) => {
  const l = lab(t);
  const w = await l.watch('b');
  await pair(l, { unicast: true });
  await advertsFrom(w, IPV4.a, 3);
  for (const a of w.adverts) assert.equal(a.dst, IPV4.b, 'A unicasts to B');

  const ok = await l.check('b', ['-t', '10']);
  assert.equal(ok.code, 0, `healthy unicast pair; stdout: ${ok.stdout} stderr: ${ok.stderr}`);
  t.diagnostic(`check -i (unicast, healthy): exit 0 after ${ok.elapsed.toFixed(2)} s`);

  await l.firewallDrop('b');
  const start = await w.event('split-brain-start');
  const firstB = w.adverts.find((a) => a.src === IPV4.b)!;
  assert.equal(firstB.dst, IPV4.a, 'B unicasts to A');
  assert.ok(start.receivedAt - firstB.ts <= 3, `split brain reported ${start.receivedAt - firstB.ts} s after B's first advert`);
  const bad = await l.check('b', ['-t', '10']);
  assert.equal(bad.code, 2, `unicast split brain; stdout: ${bad.stdout}`);
  assert.match(bad.stdout, /split brain/i);
  const s = (await w.stop()) as unknown as Summary;
  const sb = s.findings.find((f) => f.code === 'split-brain');
  assert.ok(sb, 'split-brain finding');
  assert.match((sb.fixes ?? []).flatMap((f) => f.commands).join('\n'), /-p vrrp -s 10\.99\.0\.1 -j ACCEPT/, 'allow the unicast peer A');
});

test('VRRPv3 over IPv6 (ff02::12): decoded and judged', { skip, timeout: 40_000 }, async (t) => {
  const l = lab(t);
  const w = await l.watch('c');
  await pair(l, { family: 6 });
  await w.until('3 IPv6 adverts', () => (w.adverts.filter((a) => a.dst === 'ff02::12').length >= 3 ? true : undefined), 10_000);
  await sleep(1500);
  const check = await l.check('c', ['-t', '10']);
  assert.equal(check.code, 0, `check exit code; stdout: ${check.stdout} stderr: ${check.stderr}`);
  assert.match(check.stdout, /^VRRP OK - /);
  assert.match(check.stdout, /vrid99_v6/, 'perfdata names the IPv6 router');
  const s = (await w.stop()) as unknown as Summary;

  const srcs = new Set(w.adverts.map((a) => a.src));
  assert.equal(srcs.size, 1, `one advertiser: ${[...srcs]}`);
  const src = [...srcs][0]!;
  assert.match(src, /^fe80::/, 'sent from the link-local address');
  for (const a of w.adverts) {
    assert.equal(a.version, 3);
    assert.equal(a.dst, 'ff02::12');
    assert.equal(a.priority, 100);
    assert.equal(a.vrid, 99);
    assert.equal(a.intervalRaw, 100, 'advert_int 1 = 100 centiseconds');
    assert.deepEqual(a.addresses, ['fd99::100']);
  }
  assert.equal(s.routers.length, 1);
  const r = s.routers[0]!;
  assert.equal(r.family, 6);
  assert.equal(r.key, 'v6/99');
  assert.equal(r.state, 'ok');
  assert.equal(r.master, src);
  assert.equal(s.verdict, 'ok');
  assert.ok(w.events.some((e) => e.type === 'new-master' && e.family === 6));
});

// The runner killed mid-test (SIGTERM, SIGINT) must not leave namespaces or keepalived behind.
const INTERRUPTED = `
const { LiveLab } = await import(${JSON.stringify(new URL('./support/live-lab.ts', import.meta.url).href)});
const l = new LiveLab();
await l.keepalived('a', { state: 'MASTER', priority: 100 });
const w = await l.watch('c');
console.log(JSON.stringify({ id: l.id, vrrp: l.vrrpPid('a'), watch: w.child.pid }));
setInterval(() => {}, 1000);
`;

for (const sig of ['SIGTERM', 'SIGINT'] as const) {
  test(`a run interrupted by ${sig} tears its lab down (namespaces, keepalived, vrrpwatch)`, { skip, timeout: 30_000 }, async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', INTERRUPTED], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    for (let i = 0; i < 150 && !out.includes('\n'); i++) await sleep(100);
    const info = JSON.parse(out.split('\n')[0]!) as { id: string; vrrp: number; watch: number };
    assert.equal(namespaces(info.id).length, 4);
    assert.ok(alive(info.vrrp) && alive(info.watch), 'keepalived and vrrpwatch run');
    child.kill(sig);
    const code = await new Promise<number | null>((r) => child.once('exit', (c) => r(c)));
    assert.equal(code, sig === 'SIGTERM' ? 143 : 130);
    assert.deepEqual(namespaces(info.id), [], 'namespaces deleted');
    for (let i = 0; i < 20 && (alive(info.vrrp) || alive(info.watch)); i++) await sleep(100);
    assert.ok(!alive(info.vrrp), 'keepalived killed');
    assert.ok(!alive(info.watch), 'vrrpwatch killed');
  });
}
