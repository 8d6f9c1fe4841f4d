// The live capture options, each checked for its effect against a real keepalived (VRRPv3, advert_int 0.1,
// VRID 61, twelve virtual addresses: a 90-byte frame) on one end of a veth pair, vrrpwatch on the other, in
// namespaces of our own (vwo-<pid>-a, -b): -s (the -w file's snaplen and what is cut), -B (the size of the
// ring libpcap maps), -p (the interface's promiscuity count stays 0), -f (a filter that excludes the
// router: no adverts), -e live (keepalived's MAC). Teardown by after() and by exit/signal handlers.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { sh } from './support/netns.js';
import { waitUntil } from './support/wait.js';

const CLI = resolve('bin/vrrpwatch');
const has = (cmd: string): boolean => spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;
const skip = process.getuid?.() !== 0 ? 'needs root (network namespaces, capture)'
  : !existsSync(resolve('native/build/Release/vrrpcap.node')) ? 'libpcap binding not built (npm run build:native)'
  : !existsSync(resolve('dist/src/cli/main.js')) ? 'not built (npm run build)'
  : !has('keepalived') || !has('tcpdump') ? 'needs keepalived and tcpdump'
  : false;

const tag = `${process.pid % 100000}`;
const NS_A = `vwo-${tag}-a`;   // keepalived
const NS_B = `vwo-${tag}-b`;   // vrrpwatch
const IF_A = 'vwo-a0';
const IF_B = 'vwo-b0';
const SRC = '10.79.0.1';
const VIPS = Array.from({ length: 12 }, (_, i) => `10.79.0.${100 + i}`);
/** Ethernet 14 + IPv4 20 + VRRPv3 8 + 12 × 4 addresses. */
const FRAME = 14 + 20 + 8 + 4 * VIPS.length;
const dir = mkdtempSync(join(tmpdir(), 'vwo-opts-'));
const children = new Set<ChildProcess>();

function cleanup(): void {
  for (const c of children) if (c.exitCode === null && c.pid !== undefined) { try { process.kill(c.pid, 'SIGKILL'); } catch { /* gone */ } }
  for (const f of ['ka-vrrp.pid', 'ka.pid']) {
    try { const pid = Number(readFileSync(join(dir, f), 'utf8').trim()); if (pid > 0) process.kill(pid, 'SIGTERM'); } catch { /* gone */ }
  }
  for (const ns of [NS_A, NS_B]) spawnSync('ip', ['netns', 'del', ns], { stdio: 'ignore' });
  rmSync(dir, { recursive: true, force: true });
}
process.on('exit', cleanup);
for (const s of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(s, () => { cleanup(); process.exit(130); });

before(async () => {
  if (skip !== false) return;
  sh(['ip', 'netns', 'add', NS_A]);
  sh(['ip', 'netns', 'add', NS_B]);
  sh(['ip', '-n', NS_A, 'link', 'add', IF_A, 'type', 'veth', 'peer', 'name', IF_B, 'netns', NS_B]);
  sh(['ip', '-n', NS_A, 'addr', 'add', `${SRC}/24`, 'dev', IF_A]);
  sh(['ip', '-n', NS_B, 'addr', 'add', '10.79.0.2/24', 'dev', IF_B]);
  for (const [ns, dev] of [[NS_A, IF_A], [NS_B, IF_B], [NS_A, 'lo'], [NS_B, 'lo']] as const) sh(['ip', '-n', ns, 'link', 'set', dev, 'up']);
  writeFileSync(join(dir, 'ka.conf'), [
    'global_defs {', '  router_id vwo_opts_test', '  vrrp_version 3', '}',
    'vrrp_instance VI_1 {', '  state MASTER', `  interface ${IF_A}`, '  virtual_router_id 61', '  priority 150',
    '  advert_int 0.1', '  virtual_ipaddress {', ...VIPS.map((v) => `    ${v}/24`), '  }', '}', ''].join('\n'));
  const ka = spawn('ip', ['netns', 'exec', NS_A, 'keepalived', '-n', '-l', '-D', '-f', join(dir, 'ka.conf'),
    '-p', join(dir, 'ka.pid'), '-r', join(dir, 'ka-vrrp.pid'), '--vrrp'], { stdio: 'ignore' });
  children.add(ka);
  await waitUntil('keepalived to become master (its virtual addresses on vwo-a0)',
    () => sh(['ip', '-n', NS_A, '-4', 'addr', 'show', 'dev', IF_A]).includes(`${VIPS.at(-1)}/`), 15_000);
});
after(cleanup);

interface Live { child: ChildProcess; stdout(): string; stderr(): string; done: Promise<{ code: number | null; signal: string | null }> }

/** Starts the CLI in NS_B (killed after 20 s at the latest); resolves once it says it is listening. */
async function live(args: string[]): Promise<Live> {
  const child = spawn('ip', ['netns', 'exec', NS_B, process.execPath, CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  children.add(child);
  let out = '';
  let err = '';
  child.stdout!.setEncoding('utf8').on('data', (d: string) => { out += d; });
  child.stderr!.setEncoding('utf8').on('data', (d: string) => { err += d; });
  const limit = setTimeout(() => child.kill('SIGKILL'), 20_000);
  const done = new Promise<{ code: number | null; signal: string | null }>((res) => child.on('close', (code, signal) => {
    clearTimeout(limit);
    children.delete(child);
    res({ code, signal });
  }));
  const l: Live = { child, stdout: () => out, stderr: () => err, done };
  await waitUntil(`"listening on" from vrrpwatch ${args.join(' ')}`, () => err.includes('listening on') || child.exitCode !== null, 10_000, 20);
  assert.ok(err.includes('listening on'), `vrrpwatch did not start: ${err}`);
  return l;
}
async function stop(l: Live): Promise<{ code: number | null; signal: string | null }> {
  l.child.kill('SIGTERM');
  return l.done;
}

/** The file's snaplen and every record's (caplen, origlen), read from the pcap bytes. */
function pcapRecords(file: string): { snaplen: number; records: Array<[number, number]> } {
  const b = readFileSync(file);
  const magic = b.readUInt32LE(0);
  assert.ok(magic === 0xa1b2c3d4 || magic === 0xa1b23c4d, `pcap magic ${magic.toString(16)}`);
  const records: Array<[number, number]> = [];
  for (let o = 24; o + 16 <= b.length;) {
    const cap = b.readUInt32LE(o + 8);
    if (o + 16 + cap > b.length) break;   // a record still being written
    records.push([cap, b.readUInt32LE(o + 12)]);
    o += 16 + cap;
  }
  return { snaplen: b.readUInt32LE(16), records };
}

test('-s 64: the -w file says snaplen 64, every advert is cut to 64 of its 90 bytes, and counted as truncated, not as an advert', { skip }, async () => {
  const file = join(dir, 's64.pcap');
  const l = await live(['-i', IF_B, '--no-tui', '--json', '--events-only', '-s', '64', '-w', file]);
  assert.match(l.stderr(), /listening on vwo-b0, link type 1, snapshot length 64\b/);
  // 5 adverts (the default filter also passes the namespace's own neighbour discovery, 86-byte frames)
  await waitUntil('5 adverts in the -w file', () => existsSync(file) && pcapRecords(file).records.filter(([, orig]) => orig === FRAME).length >= 5, 10_000);
  assert.equal((await stop(l)).code, 0, l.stderr());
  const p = pcapRecords(file);
  assert.equal(p.snaplen, 64);
  const adverts = p.records.filter(([, orig]) => orig === FRAME);
  assert.ok(adverts.length >= 5, JSON.stringify(p.records));
  assert.ok(adverts.every(([cap]) => cap === 64), `caplens ${adverts.map(([c]) => c).join(' ')}`);
  assert.ok(p.records.every(([cap]) => cap <= 64));
  // tcpdump sees them cut too
  const td = spawnSync('tcpdump', ['-r', file, '-nn', '-v'], { encoding: 'utf8' });
  assert.match(td.stdout, /VRRPv3.*\[\|vrrp\]|\[\|vrrp\]/s, td.stdout);
  const summary = JSON.parse(l.stdout().trim().split('\n').at(-1)!) as { stats: { vrrpAdverts: number; rejects: Record<string, number> } };
  assert.equal(summary.stats.vrrpAdverts, 0, 'no whole advert fits in 64 bytes');
  assert.ok((summary.stats.rejects['truncated-addresses'] ?? 0) >= 5, JSON.stringify(summary.stats.rejects));

  // the default (512): nothing cut, the adverts counted
  const whole = join(dir, 's512.pcap');
  const d = await live(['-i', IF_B, '--no-tui', '--json', '-c', '5', '-w', whole]);
  assert.match(d.stderr(), /snapshot length 512\b/);
  assert.equal((await d.done).code, 0, d.stderr());
  const w = pcapRecords(whole);
  assert.equal(w.snaplen, 512);
  assert.ok(w.records.filter(([cap, orig]) => orig === FRAME && cap === FRAME).length >= 5, JSON.stringify(w.records));
});

/** Bytes of the packet socket ring libpcap mapped into the process (its `socket:[...]` mappings). */
function ringBytes(pid: number): number {
  let total = 0;
  for (const line of readFileSync(`/proc/${pid}/maps`, 'utf8').split('\n')) {
    const m = /^([0-9a-f]+)-([0-9a-f]+) \S+ \S+ \S+ \S+\s+socket:\[\d+\]$/.exec(line);
    if (m) total += parseInt(m[2]!, 16) - parseInt(m[1]!, 16);
  }
  return total;
}

test('-B KiB: the kernel ring libpcap maps is that size (rounded up to whole frames); the default is sized from -s', { skip }, async () => {
  const sizes: Record<string, number> = {};
  for (const args of [['-B', '4096'], ['-B', '16384'], []]) {
    const l = await live(['-i', IF_B, '--no-tui', '--events-only', ...args]);
    // `ip netns exec` execs the program: the child's pid is vrrpwatch's
    sizes[args.join(' ') || 'default'] = ringBytes(l.child.pid!);
    assert.equal((await stop(l)).code, 0, l.stderr());
  }
  const near = (got: number, want: number, what: string): void =>
    assert.ok(got >= want && got <= want * 1.3, `${what}: ring of ${got} bytes for ${want} asked`);
  near(sizes['-B 4096']!, 4096 * 1024, '-B 4096');
  near(sizes['-B 16384']!, 16384 * 1024, '-B 16384');
  // default: room for 8192 slots of (snaplen 512 + 128) bytes = 5 MiB (src/live/index.ts ringSize)
  near(sizes.default!, 8192 * 640, 'no -B');
});

/** The interface's promiscuity count (`ip -d link`): how many sockets asked for promiscuous mode. */
function promiscuity(): number {
  return Number(/promiscuity (\d+)/.exec(sh(['ip', '-d', 'link', 'show', 'dev', IF_B], NS_B))![1]);
}

test('-p: the interface is not put into promiscuous mode (its promiscuity count stays 0); without -p it is', { skip }, async () => {
  assert.equal(promiscuity(), 0, 'nobody else has it promiscuous');
  const promisc = await live(['-i', IF_B, '--no-tui', '--events-only']);
  assert.equal(promiscuity(), 1, 'the default capture is promiscuous');
  assert.equal((await stop(promisc)).code, 0);
  assert.equal(promiscuity(), 0, 'and gives it back');
  const plain = await live(['-i', IF_B, '--no-tui', '-p', '--json', '-c', '3']);
  assert.equal(promiscuity(), 0, 'with -p');
  assert.equal((await plain.done).code, 0, plain.stderr());
  assert.equal(plain.stdout().trim().split('\n').filter((l) => l.includes('"kind":"advert"')).length, 3, 'and it still hears the multicast adverts');
});

test('-f: a filter that excludes the router lets no advert through; one that selects it does', { skip }, async () => {
  const none = await live(['-i', IF_B, '--no-tui', '--json', '-f', `vrrp and not src host ${SRC}`]);
  // This wait is the behaviour under test: 2 s (20 adverts of the router) in which nothing may arrive.
  await new Promise((r) => setTimeout(r, 2000));
  assert.equal((await stop(none)).code, 0, none.stderr());
  const lines = none.stdout().trim().split('\n').map((l) => JSON.parse(l) as { kind: string; stats?: { frames: number; vrrpAdverts: number } });
  assert.deepEqual(lines.map((x) => x.kind), ['summary'], none.stdout());
  assert.deepEqual([lines[0]!.stats!.frames, lines[0]!.stats!.vrrpAdverts], [0, 0]);
  const some = await live(['-i', IF_B, '--no-tui', '--json', '-c', '3', '-f', `vrrp and src host ${SRC}`]);
  assert.equal((await some.done).code, 0, some.stderr());
  assert.equal(some.stdout().trim().split('\n').filter((l) => l.includes(`"src":"${SRC}"`)).length, 3);
  // check -f: the excluding filter leaves nothing to judge (UNKNOWN)
  const chk = spawnSync('ip', ['netns', 'exec', NS_B, process.execPath, CLI, 'check', '-i', IF_B, '-t', '2', '-f', `vrrp and not src host ${SRC}`],
    { encoding: 'utf8', timeout: 15_000 });
  assert.equal(chk.status, 3, chk.stdout);
  assert.match(chk.stdout, /^VRRP UNKNOWN - no VRRP advertisement seen/);
});

test('-e live: the lines carry keepalived\'s interface MAC', { skip }, async () => {
  const mac = /link\/ether ([0-9a-f:]{17})/.exec(sh(['ip', 'link', 'show', 'dev', IF_A], NS_A))![1]!;
  const l = await live(['-i', IF_B, '--no-tui', '-e', '-c', '3']);
  assert.equal((await l.done).code, 0, l.stderr());
  const adverts = l.stdout().split('\n').filter((x) => x.includes('VRRPv3'));
  assert.equal(adverts.length, 3, l.stdout());
  for (const a of adverts) assert.match(a, new RegExp(`^[0-9:.]+ ${mac} IP ${SRC.replace(/\./g, '\\.')} > 224\\.0\\.0\\.18: VRRPv3`), a);
});
