// Issue 3, "proven against real keepalived": the real CLI (bin/vrrpwatch -> dist/) captures live in
// network namespaces this file creates (vwl-t<pid>-<n>-*, the lab of test/support/lab.ts), next to real keepalived instances, and every
// assertion is on vrrpwatch's own output: `-i eth0 --no-tui --json` NDJSON lines (adverts, events, the
// summary printed on SIGTERM) and `check -i eth0` exit codes and status lines.
//
// Needs root, keepalived, iptables, tcpdump, `npm run build` and `npm run build:native`; skips otherwise.
// Run: node --import tsx --test test/live-keepalived.test.ts   (about 1.5 minutes)
// Namespaces are torn down by t.after(), and by exit/SIGINT/SIGTERM/SIGHUP hooks when the runner is interrupted.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { IPV4, LiveLab, PASS, alive, liveLabSkipReason, namespaces, sleep, type Advert, type Watch } from './support/live-lab.js';

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

/** MASTER 100 on a, BACKUP 80 on b; resolves (with the wall-clock second) once B's VRRP process runs. */
async function pair(l: LiveLab, extra: { family?: 4 | 6; unicast?: boolean } = {}): Promise<number> {
  await l.keepalived('a', { state: 'MASTER', priority: 100, ...extra });
  await l.keepalived('b', { state: 'BACKUP', priority: 80, ...extra });
  return Date.now() / 1000;
}

/** The pair has settled: two of A's adverts (of `family`) reached the observer after B's VRRP process was
 *  running, so B has heard A and its Master_Down timer runs from A's adverts, not from its own start. */
async function settled(w: Watch, since: number, family: 4 | 6 = 4): Promise<string> {
  const fromA = (): Advert[] => w.adverts.filter((a) => a.receivedAt > since && (family === 4 ? a.src === IPV4.a : a.dst === 'ff02::12'));
  await w.until(`two adverts of A after B started`, () => (fromA().length >= 2 ? true : undefined), 10_000);
  return fromA()[0]!.src;
}

/** Waits until `n` adverts from `src` have been printed (kernel timestamps in `ts`). */
async function advertsFrom(w: Watch, src: string, n: number, ms = 8000): Promise<void> {
  await w.until(`${n} adverts from ${src}`, () => (w.adverts.filter((a) => a.src === src).length >= n ? true : undefined), ms);
}

interface SummaryRouter { key: string; family: number; vrid: number; state: string; master: string | null; advertisers: { ip: string; authText: string | null }[] }
interface SummaryFinding { code: string; cause: string | null; fixes?: { tool: string; host: string | null; commands: string[] }[] }
interface Summary { verdict: { severity: string; label: string; headline: string }; routers: SummaryRouter[]; findings: SummaryFinding[]; stats: { vrrpAdverts: number; pcapDropped: number | null } }

/** Nanoseconds since the epoch as seconds (for comparing with vrrpwatch's float `ts`). */
const sec = (ns: bigint): number => Number(ns / 1_000_000_000n) + Number(ns % 1_000_000_000n) / 1e9;

test('healthy pair: one master (prio 100) on the wire, check -i exits 0 within a few seconds', { skip, timeout: 40_000 }, async (t) => {
  const l = lab(t);
  const prefix = l.id;
  assert.equal(namespaces(prefix).length, 4, 'switch, a, b, c namespaces exist');
  const w = await l.watch('c');
  await pair(l);
  await advertsFrom(w, IPV4.a, 3);
  // This wait is part of the behaviour under test: 1.5 more advert intervals in which the backup, hearing A,
  // must stay silent (any advert of B would show in the lines checked below).
  await sleep(1500);

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
  assert.equal(s.verdict.severity, 'ok');
  assert.equal(s.routers.length, 1);
  assert.equal(s.routers[0]!.master, IPV4.a);
  assert.equal(s.routers[0]!.state, 'ok');
  assert.ok(w.events.some((e) => e.type === 'new-master' && e.master === IPV4.a), 'new-master event for A');
  assert.ok(!w.events.some((e) => /split-brain|failover/.test(e.type)), 'no split brain or failover');
  assert.ok(s.stats.vrrpAdverts >= adverts.length, 'summary counts every printed advert');
  assert.equal(s.stats.pcapDropped, 0, 'no pcap drops');
  // the password is masked in the summary as in the -r report
  assert.ok(s.routers[0]!.advertisers.every((a) => a.authText !== PASS), 'auth text masked');

  await l.teardown();
  assert.deepEqual(namespaces(prefix), [], 'teardown removed the namespaces');
});

test('master killed (SIGKILL): failover measured as an independent tcpdump saw it, ≈ 3 × interval + skew', { skip, timeout: 40_000 }, async (t) => {
  const l = lab(t);
  // a capture of its own, by another program, next to vrrpwatch on the observer's interface
  const td = await l.tcpdump('c', join(l.dir, 'tcpdump.pcap'));
  const w = await l.watch('c');
  await settled(w, await pair(l));
  await l.stopKeepalived('a', 'SIGKILL');
  const fo = await w.event('failover');
  await advertsFrom(w, IPV4.b, 2);
  await w.stop();
  const wire = await td.stop();

  assert.equal(fo.previousMaster, IPV4.a);
  assert.equal(fo.master, IPV4.b);
  assert.ok(fo.duration !== null && fo.expected !== null, 'duration and expected are given');
  assert.ok(Math.abs(fo.expected! - MASTER_DOWN_80) < 1e-6, `expected ${fo.expected} = Master_Down_Interval for prio 80`);

  // the same packets' kernel timestamps, from tcpdump's nanosecond file: A's last advert, B's first
  const firstB = wire.find((a) => a.src === IPV4.b && a.prio === 80);
  assert.ok(firstB, `B's adverts in tcpdump's capture (${wire.length} adverts)`);
  const lastA = wire.filter((a) => a.src === IPV4.a && a.prio === 100 && a.ns < firstB.ns).at(-1);
  assert.ok(lastA, `A's adverts in tcpdump's capture (${wire.length} adverts)`);
  const onWire = sec(firstB.ns - lastA.ns);
  t.diagnostic(`failover: vrrpwatch ${fo.duration!.toFixed(6)} s, tcpdump ${onWire.toFixed(9)} s, expected ${MASTER_DOWN_80} s`);
  assert.ok(Math.abs(fo.duration! - onWire) <= 0.1, `measured ${fo.duration} s vs ${onWire} s from tcpdump's kernel timestamps`);
  assert.ok(Math.abs(fo.duration! - MASTER_DOWN_80) <= 0.25, `measured ${fo.duration} s vs 3 × 1 + 0.6875 s`);
  // vrrpwatch's advert lines carry those packets' kernel timestamps (not arrival or print time)
  const lineLastA = w.adverts.filter((a) => a.src === IPV4.a).at(-1)!;
  const lineFirstB = w.adverts.find((a) => a.src === IPV4.b)!;
  assert.ok(Math.abs(lineLastA.ts - sec(lastA.ns)) < 2e-6, `A's last advert line ts ${lineLastA.ts} = tcpdump ${sec(lastA.ns)}`);
  assert.ok(Math.abs(lineFirstB.ts - sec(firstB.ns)) < 2e-6, `B's first advert line ts ${lineFirstB.ts} = tcpdump ${sec(firstB.ns)}`);
  assert.ok(!w.events.some((e) => e.type === 'graceful-handover'), 'a crash is not a graceful hand-over');
});

test('graceful stop (SIGTERM, priority 0): recognised as a graceful hand-over', { skip, timeout: 40_000 }, async (t) => {
  const l = lab(t);
  const w = await l.watch('c');
  await settled(w, await pair(l));
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
  await settled(w, await pair(l));
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
  assert.ok(w.events.every((e) => e.type !== 'split-brain-end'), 'still on while the rule is in place');

  const cleared = Date.now() / 1000;
  await l.firewallClear('b');
  const end = await w.event('split-brain-end');
  assert.ok(end.t > start.t);
  t.diagnostic(`unicast split-brain-end printed ${(end.receivedAt - cleared).toFixed(3)} s after the rule was removed`);
  assert.ok(end.receivedAt - cleared <= 3, `split-brain-end ${end.receivedAt - cleared} s after the rule was removed`);
  const s = (await w.stop()) as unknown as Summary;
  const sb = s.findings.find((f) => f.code === 'split-brain');
  assert.ok(sb, 'split-brain finding');
  assert.match((sb.fixes ?? []).flatMap((f) => f.commands).join('\n'), /-p vrrp -s 10\.99\.0\.1 -j ACCEPT/, 'allow the unicast peer A');
  assert.equal(s.routers[0]!.master, IPV4.a, 'A is master again');
});

test('VRRPv3 over IPv6 (ff02::12): decoded and judged', { skip, timeout: 40_000 }, async (t) => {
  const l = lab(t);
  const w = await l.watch('c');
  await pair(l, { family: 6 });
  await w.until('3 IPv6 adverts', () => (w.adverts.filter((a) => a.dst === 'ff02::12').length >= 3 ? true : undefined), 10_000);
  // This wait is part of the behaviour under test: 1.5 more advert intervals in which the backup must stay silent.
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
  assert.equal(s.verdict.severity, 'ok');
  assert.ok(w.events.some((e) => e.type === 'new-master' && e.family === 6));
});

test('VRRPv3 over IPv6: ip6tables DROP of VRRP on the backup: split brain within 3 intervals, check exits 2, end reported', { skip, timeout: 60_000 }, async (t) => {
  const l = lab(t);
  const w = await l.watch('c');
  const srcA = await settled(w, await pair(l, { family: 6 }), 6);
  assert.ok(w.events.every((e) => !e.type.startsWith('split-brain')), 'healthy before the rule');
  await l.firewallDrop('b', ['ip6tables']);            // IPv6 only: the IPv4 rule would change nothing here

  const start = await w.event('split-brain-start');
  const firstB = w.adverts.find((a) => a.src !== srcA);
  assert.ok(firstB, 'B advertises');
  assert.match(firstB.src, /^fe80::/, 'B sends from its link-local address');
  assert.equal(firstB.version, 3);
  assert.equal(firstB.dst, 'ff02::12');
  assert.equal(firstB.priority, 80);
  assert.equal(start.family, 6);
  assert.equal(start.vrid, 99);
  t.diagnostic(`IPv6 split-brain-start printed ${(start.receivedAt - firstB.ts).toFixed(3)} s after B's first advert`);
  assert.ok(start.receivedAt - firstB.ts <= 3, `reported ${start.receivedAt - firstB.ts} s after B's first advert (limit 3 × 1 s)`);

  const check = await l.check('c', ['-t', '10']);
  t.diagnostic(`check -i (IPv6 split brain): exit ${check.code} after ${check.elapsed.toFixed(2)} s: ${check.stdout.trim()}`);
  assert.equal(check.code, 2, `check exit code; stdout: ${check.stdout} stderr: ${check.stderr}`);
  assert.match(check.stdout, /^VRRP CRITICAL - .*split brain/i);
  assert.match(check.stdout, /'vrid99_v6_masters'=2/, 'perfdata: two masters on the IPv6 router');
  assert.ok(w.events.every((e) => e.type !== 'split-brain-end'), 'still on while the rule is in place');

  const cleared = Date.now() / 1000;
  await l.firewallClear('b', ['ip6tables']);
  const end = await w.event('split-brain-end');
  assert.equal(end.family, 6);
  t.diagnostic(`IPv6 split-brain-end printed ${(end.receivedAt - cleared).toFixed(3)} s after the rule was removed`);
  assert.ok(end.receivedAt - cleared <= 3, `split-brain-end ${end.receivedAt - cleared} s after the rule was removed`);
  const s = (await w.stop()) as unknown as Summary;
  const sb = s.findings.find((f) => f.code === 'split-brain');
  assert.ok(sb, `split-brain finding in the summary: ${JSON.stringify(s.findings.map((f) => f.code))}`);
  assert.equal(sb.cause, 'firewall-drop');
  assert.match((sb.fixes ?? []).flatMap((f) => f.commands).join('\n'), /ip6tables -I INPUT.* -p vrrp/, 'an ip6tables fix');
  assert.ok((sb.fixes ?? []).some((f) => f.host === firstB.src), `the fix is for the deaf host B: ${JSON.stringify(sb.fixes)}`);
  assert.equal(s.routers.length, 1);
  assert.equal(s.routers[0]!.key, 'v6/99');
  assert.equal(s.routers[0]!.master, srcA, 'A is master again');
});

// The runner killed mid-test (SIGTERM, SIGINT, SIGHUP) must not leave namespaces or keepalived behind.
const INTERRUPTED = `
const { LiveLab } = await import(${JSON.stringify(new URL('./support/live-lab.ts', import.meta.url).href)});
const l = new LiveLab();
await l.keepalived('a', { state: 'MASTER', priority: 100 });
const w = await l.watch('c');
console.log(JSON.stringify({ id: l.id, vrrp: l.vrrpPid('a'), watch: w.child.pid }));
setInterval(() => {}, 1000);
`;

const EXIT_CODE = { SIGTERM: 143, SIGINT: 130, SIGHUP: 129 } as const;
for (const sig of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) {
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
    assert.equal(code, EXIT_CODE[sig]);
    assert.deepEqual(namespaces(info.id), [], 'namespaces deleted');
    for (let i = 0; i < 20 && (alive(info.vrrp) || alive(info.watch)); i++) await sleep(100);
    assert.ok(!alive(info.vrrp), 'keepalived killed');
    assert.ok(!alive(info.watch), 'vrrpwatch killed');
  });
}
