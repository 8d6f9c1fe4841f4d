// The live CLI as an operator runs it, against a real keepalived (VRRPv3, advert_int 0.1, VRID 51) on one
// end of a veth pair in namespaces of our own (prefix vwc-), vrrpwatch on the other end: -c, -w FILE with
// SIGHUP, -w -, a reader that goes away (| head), -Z, -D, check -i with and without --expect-vrid, and a
// service (--metrics) whose interface is wrong. Teardown by after() and by exit/signal handlers.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { readCaptureFile } from '../src/capture/file.js';
import { PacketDecoder } from '../src/decode/index.js';
import { sh } from './support/netns.js';
import { waitUntil } from './support/wait.js';
import * as F from './live-frames.js';

const CLI = resolve('bin/vrrpwatch');
function has(cmd: string): boolean { return spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0; }
const skip = process.getuid?.() !== 0 ? 'needs root (network namespaces, capture)'
  : !existsSync(resolve('native/build/Release/vrrpcap.node')) ? 'libpcap binding not built (npm run build:native)'
  : !existsSync(resolve('dist/src/cli/main.js')) ? 'not built (npm run build)'
  : !has('keepalived') || !has('tcpdump') || !has('tcpreplay') ? 'needs keepalived, tcpdump and tcpreplay'
  : false;

const tag = `${process.pid % 100000}`;
const NS_A = `vwc-${tag}-a`;   // keepalived
const NS_B = `vwc-${tag}-b`;   // vrrpwatch
const IF_B = 'vwc-b0';
const dir = mkdtempSync(join(tmpdir(), 'vwc-cli-'));
const children = new Set<ChildProcess>();

function killPidFile(f: string): void {
  try { const pid = Number(readFileSync(join(dir, f), 'utf8').trim()); if (pid > 0) process.kill(pid, 'SIGTERM'); } catch { /* gone */ }
}
function cleanup(): void {
  for (const c of children) if (c.exitCode === null && c.pid !== undefined) { try { process.kill(c.pid, 'SIGKILL'); } catch { /* gone */ } }
  killPidFile('ka-vrrp.pid');
  killPidFile('ka.pid');
  for (const ns of [NS_A, NS_B]) spawnSync('ip', ['netns', 'del', ns], { stdio: 'ignore' });
  rmSync(dir, { recursive: true, force: true });
}
process.on('exit', cleanup);
for (const s of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(s, () => { cleanup(); process.exit(130); });

before(async () => {
  if (skip !== false) return;
  sh(['ip', 'netns', 'add', NS_A]);
  sh(['ip', 'netns', 'add', NS_B]);
  sh(['ip', '-n', NS_A, 'link', 'add', 'vwc-a0', 'type', 'veth', 'peer', 'name', IF_B, 'netns', NS_B]);
  sh(['ip', '-n', NS_A, 'addr', 'add', '10.78.0.1/24', 'dev', 'vwc-a0']);
  sh(['ip', '-n', NS_B, 'addr', 'add', '10.78.0.2/24', 'dev', IF_B]);
  for (const [ns, dev] of [[NS_A, 'vwc-a0'], [NS_B, IF_B], [NS_A, 'lo'], [NS_B, 'lo']] as const) sh(['ip', '-n', ns, 'link', 'set', dev, 'up']);
  writeFileSync(join(dir, 'ka.conf'), [
    'global_defs {', '  router_id vwc_cli_test', '  vrrp_version 3', '}',
    'vrrp_instance VI_1 {', '  state MASTER', '  interface vwc-a0', '  virtual_router_id 51', '  priority 150',
    '  advert_int 0.1', '  virtual_ipaddress {', '    10.78.0.100/24', '  }', '}', ''].join('\n'));
  const ka = spawn('ip', ['netns', 'exec', NS_A, 'keepalived', '-n', '-l', '-D', '-f', join(dir, 'ka.conf'),
    '-p', join(dir, 'ka.pid'), '-r', join(dir, 'ka-vrrp.pid'), '--vrrp'], { stdio: 'ignore' });
  children.add(ka);
  // master after ~0.3 s (it then holds the virtual address and sends adverts every 100 ms)
  await waitUntil('keepalived to become master (10.78.0.100 on vwc-a0)',
    () => sh(['ip', '-n', NS_A, '-4', 'addr', 'show', 'dev', 'vwc-a0']).includes('10.78.0.100/'), 15_000);
});
after(cleanup);

interface Result { code: number | null; signal: string | null; stdout: Buffer; stderr: string; ms: number }
/** What the CLI has printed so far, for `during`. */
interface SoFar { stdout(): string; stderr(): string }

/** Runs the CLI in NS_B; `during(child, soFar)` may signal it; resolves on exit (killed after `limitMs`). */
function cli(args: string[], o: { during?: (c: ChildProcess, soFar: SoFar) => Promise<void>; limitMs?: number; prefix?: string[] } = {}): Promise<Result> {
  const t0 = Date.now();
  const p = spawn('ip', ['netns', 'exec', NS_B, ...(o.prefix ?? []), process.execPath, CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  children.add(p);
  const out: Buffer[] = [];
  let err = '';
  p.stdout!.on('data', (d: Buffer) => out.push(d));
  p.stderr!.setEncoding('utf8').on('data', (d: string) => { err += d; });
  const limit = setTimeout(() => p.kill('SIGKILL'), o.limitMs ?? 15_000);
  return new Promise((res) => {
    p.on('close', (code, signal) => {
      clearTimeout(limit);
      children.delete(p);
      res({ code, signal, stdout: Buffer.concat(out), stderr: err, ms: Date.now() - t0 });
    });
    if (o.during) void o.during(p, { stdout: () => Buffer.concat(out).toString(), stderr: () => err });
  });
}
const summaryOf = (stdout: string) => JSON.parse(stdout.trim().split('\n').at(-1)!) as
  { kind: string; schema: string; verdict: { severity: string; label: string }; stats: { vrrpAdverts: number }; routers: { vrid: number; master: string }[] };

/** VRRP adverts in a pcap file, read with our own reader and decoder. */
function advertsIn(file: string): number {
  const dec = new PacketDecoder();
  let n = 0;
  readCaptureFile(file, { frame(b: Uint8Array, off: number, cap: number, orig: number, s: number, ns: number, lt: number) { if (dec.decode(b, off, cap, orig, s, ns, lt) === 1) n++; } });
  return n;
}

test('-c 5 --json: stops by itself after 5 adverts, the summary as in -r --json (schema, verdict object)', { skip }, async () => {
  const r = await cli(['-i', IF_B, '--no-tui', '--json', '-c', '5']);
  assert.equal(r.code, 0, r.stderr);
  const lines = r.stdout.toString().trim().split('\n').map((l) => JSON.parse(l) as { kind: string });
  assert.equal(lines.filter((l) => l.kind === 'advert').length, 5);
  const s = summaryOf(r.stdout.toString());
  assert.equal(s.kind, 'summary');
  assert.equal(s.schema, 'vrrpwatch.report/1');
  assert.equal(s.verdict.severity, 'ok');
  assert.equal(s.verdict.label, 'OK');
  assert.equal(s.stats.vrrpAdverts, 5);
  assert.equal(s.routers[0]!.vrid, 51);
  assert.equal(s.routers[0]!.master, '10.78.0.1');
});

test('-w FILE, ended by SIGHUP: the file holds every advert the summary counted', { skip }, async () => {
  const file = join(dir, 'hup.pcap');
  const r = await cli(['-i', IF_B, '--no-tui', '--json', '--events-only', '-w', file], {
    // SIGHUP once the file holds 8 adverts (-w writes at the end of every batch)
    during: async (c) => {
      await waitUntil('8 adverts in the -w file', () => existsSync(file) && advertsIn(file) >= 8, 10_000);
      c.kill('SIGHUP');
    },
  });
  assert.equal(r.code, 0, r.stderr);
  const counted = summaryOf(r.stdout.toString()).stats.vrrpAdverts;
  assert.ok(counted >= 8, `adverts counted: ${counted}`);
  assert.equal(advertsIn(file), counted);
  const td = spawnSync('tcpdump', ['-nn', '-r', file], { encoding: 'utf8' });
  assert.equal(td.status, 0, td.stderr);
  assert.equal(td.stdout.trim().split('\n').filter((l) => l.includes('VRRPv3')).length, counted, 'tcpdump reads the same adverts');
});

test('-w -: standard output is a pcap stream (tcpdump reads it), lines and summary go to stderr', { skip }, async () => {
  const r = await cli(['-i', IF_B, '--no-tui', '-c', '4', '-w', '-']);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout.readUInt32LE(0) === 0xa1b2c3d4 || r.stdout.readUInt32LE(0) === 0xa1b23c4d, true, 'pcap magic first');
  const f = join(dir, 'stdout.pcap');
  writeFileSync(f, r.stdout);
  assert.equal(advertsIn(f), 4);
  assert.match(r.stderr, /^OK {2}VRID 51: master 10\.78\.0\.1 prio 150$/m, r.stderr);
});

test('a reader that goes away (| head -1): vrrpwatch ends by itself, status 0, no stack trace', { skip }, async () => {
  const t0 = Date.now();
  // bash, pipefail: PIPESTATUS holds vrrpwatch's own status (timeout's 124 if it hung on after head left)
  const r = spawnSync('ip', ['netns', 'exec', NS_B, 'bash', '-c',
    `set -o pipefail; timeout -k 2 10 ${process.execPath} ${CLI} -i ${IF_B} --no-tui | head -1; echo "PIPESTATUS \${PIPESTATUS[*]}" >&2`],
    { encoding: 'utf8', timeout: 20_000, killSignal: 'SIGKILL' });
  const ms = Date.now() - t0;
  assert.equal(r.error, undefined, 'the pipeline ended');
  assert.match(r.stderr, /PIPESTATUS 0 0\n$/, `vrrpwatch and head both exit 0:\n${r.stderr}`);
  assert.ok(ms < 5000, `took ${ms} ms`);
  assert.match(r.stdout, /^[^\n]*(VRRPv3|10\.78\.0\.1)[^\n]*\n$/, 'head got one line (the first event or advert)');
  assert.doesNotMatch(r.stderr, /at .*\.js:\d+|internal error/, 'no stack trace');
});

test('-Z nobody: privileges dropped after the capture opened; the -w file is written as that user', { skip }, async () => {
  const d = join(dir, 'z');
  spawnSync('mkdir', ['-p', d]);
  chmodSync(dir, 0o711);   // mkdtemp makes it 0700: nobody must reach z/
  chmodSync(d, 0o777);
  const file = join(d, 'z.pcap');
  const r = await cli(['-i', IF_B, '--no-tui', '--json', '-c', '3', '-Z', 'nobody', '-w', file]);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(statSync(file).uid, Number(spawnSync('id', ['-u', 'nobody'], { encoding: 'utf8' }).stdout.trim()));
  assert.equal(advertsIn(file), 3);
  const bad = await cli(['-i', IF_B, '--no-tui', '-c', '1', '-Z', 'no-such-user-vwc']);
  assert.equal(bad.code, 2, 'an unknown user is a bad argument');
  assert.match(bad.stderr.trim(), /^vrrpwatch: -Z no-such-user-vwc: no such user$/);
});

test('-D lists the namespace\'s interfaces, tcpdump style', { skip }, async () => {
  const r = await cli(['-D']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout.toString(), new RegExp(`^\\d+\\.${IF_B} \\[Up, Running`, 'm'));
});

test('check -i: OK quickly with VRRP; an absent --expect-vrid is CRITICAL only after -t; no VRRP at all is UNKNOWN', { skip }, async () => {
  const ok = await cli(['check', '-i', IF_B, '-t', '8', '--expect-vrid', '51']);
  assert.equal(ok.code, 0, ok.stdout.toString());
  assert.match(ok.stdout.toString(), /^VRRP OK - VRID 51: master 10\.78\.0\.1 prio 150 \|/);
  assert.ok(ok.ms < 6000, `OK after ${ok.ms} ms`);

  const absent = await cli(['check', '-i', IF_B, '-t', '3', '--expect-vrid', '52']);
  assert.equal(absent.code, 2, absent.stdout.toString());
  assert.match(absent.stdout.toString(), /^VRRP CRITICAL - .*VRID 52/);
  assert.ok(absent.ms >= 2900, `gave up after ${absent.ms} ms, before -t 3`);

  const none = await cli(['check', '-i', 'lo', '-t', '1']);
  assert.equal(none.code, 3, none.stdout.toString());
  assert.match(none.stdout.toString(), /^VRRP UNKNOWN - no VRRP advertisement seen/);
  const expected = await cli(['check', '-i', 'lo', '-t', '1', '--expect-vrid', '51']);
  assert.equal(expected.code, 2, expected.stdout.toString());

  const trailing = await cli(['check', '-i', IF_B, '-t', '5', 'ip6 proto 112']);   // filter last, as in tcpdump
  assert.equal(trailing.code, 3, `no VRRPv3 over IPv6 here: ${trailing.stdout.toString()}`);
});

test('a service whose interface is wrong exits (with --metrics and --notify), one line, status 1', { skip }, async () => {
  const r = await cli(['-i', 'vwc-nosuch', '--no-tui', '--metrics', '127.0.0.1:0', '--notify', 'true'], { limitMs: 8000 });
  assert.equal(r.signal, null, 'it exited by itself');
  assert.equal(r.code, 1);
  assert.match(r.stderr, /^vrrpwatch: no such interface: vwc-nosuch \(interfaces: .*vwc-b0/m);
  assert.doesNotMatch(r.stderr, /at .*\.js:\d+/, 'no stack trace');
});

test('SIGTERM in the middle of a flood: every packet the kernel received is counted as dropped or is in the summary and in -w', { skip }, async () => {
  const flood = join(dir, 'flood.pcap');
  F.writePcap(flood, Array.from({ length: 100000 }, (_, i) => F.vrrp2({ vrid: 7, id: i & 0xffff })));
  const file = join(dir, 'term.pcap');
  // one NDJSON line per advert keeps vrrpwatch busy, so packets are still waiting in the ring at SIGTERM
  const r = await cli(['-i', IF_B, '--no-tui', '--json', '-w', file, 'ip proto 112 and ether src 00:00:5e:00:01:07'], {
    during: async (c, soFar) => {
      await waitUntil('"listening on"', () => soFar.stderr().includes('listening on'), 10_000, 20);
      const replay = spawn('ip', ['netns', 'exec', NS_A, 'tcpreplay', '-q', '--topspeed', '-i', 'vwc-a0', flood], { stdio: 'ignore' });
      children.add(replay);
      // mid-flood: the first flooded advert has been printed, the ring is full of packets not yet read
      await waitUntil('the first advert of the flood', () => soFar.stdout().includes('"kind":"advert"'), 10_000, 5);
      c.kill('SIGTERM');
      await new Promise((res) => replay.on('close', res));
      children.delete(replay);
    },
  });
  assert.equal(r.code, 0, r.stderr);
  const s = summaryOf(r.stdout.toString()) as unknown as { stats: { vrrpAdverts: number; pcapReceived: number; pcapDropped: number } };
  assert.ok(s.stats.vrrpAdverts > 0);
  assert.equal(s.stats.pcapReceived - s.stats.pcapDropped, s.stats.vrrpAdverts,
    `kernel received ${s.stats.pcapReceived}, dropped ${s.stats.pcapDropped}, analysed ${s.stats.vrrpAdverts}`);
  assert.equal(advertsIn(file), s.stats.vrrpAdverts, 'the -w file holds what was analysed');
});
