// Namespaces, real keepalived and the real vrrpwatch CLI for test/live-keepalived.test.ts.
//
// Topology (all inside namespaces named `vwv-<pid>-<n>-{sw,a,b,c}`; nothing in the root namespace):
// a switch namespace with a bridge (multicast flooded, no STP delay), hosts a, b and the observer c on
// veth pairs, each with eth0 = 10.99.0.{1,2,3}/24 and fd99::{1,2,3}/64 (DAD off, so the link-local
// address keepalived sends VRRPv3/IPv6 from exists at once).
//
// Everything started here (keepalived, vrrpwatch, tcpdump) is remembered by pid and killed at
// teardown(); a process exit or SIGINT/SIGTERM/SIGHUP of the test runner tears every lab down synchronously.
import { spawn, spawnSync, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
/** The real CLI entry point (runs dist/, built by `npm run build`). */
export const VRRPWATCH = join(ROOT, 'bin/vrrpwatch');

export type Node = 'a' | 'b' | 'c';
export const IPV4: Readonly<Record<Node, string>> = { a: '10.99.0.1', b: '10.99.0.2', c: '10.99.0.3' };
export const IPV6: Readonly<Record<Node, string>> = { a: 'fd99::1', b: 'fd99::2', c: 'fd99::3' };
export const IFACE = 'eth0';

/** Why these tests cannot run here, or undefined when they can. */
export function liveLabSkipReason(): string | undefined {
  if (process.platform !== 'linux') return 'needs Linux network namespaces';
  if (typeof process.getuid !== 'function' || process.getuid() !== 0) return 'needs root (network namespaces, keepalived)';
  for (const tool of ['ip', 'keepalived', 'iptables', 'ip6tables', 'tcpdump']) {
    if (spawnSync('sh', ['-c', `command -v ${tool}`], { stdio: 'ignore' }).status !== 0) return `needs ${tool}`;
  }
  if (!existsSync(join(ROOT, 'dist/src/cli/main.js'))) return 'needs `npm run build` (dist/ missing)';
  if (!existsSync(join(ROOT, 'native/build/Release/vrrpcap.node'))) return 'needs `npm run build:native` (libpcap binding missing)';
  return undefined;
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Resolves true when the child has exited (at once if it already has), false on timeout. */
export function waitExit(child: ChildProcess, ms = 5000): Promise<boolean> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(true);
  return new Promise((r) => {
    const timer = setTimeout(() => r(false), ms);
    child.once('exit', () => { clearTimeout(timer); r(true); });
  });
}

/** Whether a process exists (signal 0). */
export function alive(pid: number): boolean {
  try { process.kill(pid, 0); return true; } catch { return false; }
}

function sh(cmd: string, args: readonly string[]): void {
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')}: exit ${r.status}: ${(r.stderr ?? '').trim()}`);
}

export interface KeepalivedOptions {
  state: 'MASTER' | 'BACKUP';
  priority: number;
  vrid?: number;
  interval?: number;
  /** 6: IPv6 VIP fd99::100/64, VRRPv3 */
  family?: 4 | 6;
  /** unicast_src_ip this node, unicast_peer the other of a/b */
  unicast?: boolean;
}

/** keepalived.conf for a node: VRID 99, advert_int 1, auth PASS (v2), VIP 10.99.0.100 (or fd99::100). */
export function keepalivedConf(node: Node, o: KeepalivedOptions): string {
  const v6 = o.family === 6;
  const peer: Node = node === 'a' ? 'b' : 'a';
  const ip = v6 ? IPV6 : IPV4;
  const lines = [
    'global_defs {',
    `  router_id vwv_${node}`,
    `  vrrp_version ${v6 ? 3 : 2}`,
    '  enable_script_security',
    '}',
    'vrrp_instance VI_1 {',
    `  state ${o.state}`,
    `  interface ${IFACE}`,
    `  virtual_router_id ${o.vrid ?? 99}`,
    `  priority ${o.priority}`,
    `  advert_int ${o.interval ?? 1}`,
  ];
  if (!v6) lines.push('  authentication {', '    auth_type PASS', '    auth_pass vwvpass1', '  }');
  if (o.unicast) lines.push(`  unicast_src_ip ${ip[node]}`, '  unicast_peer {', `    ${ip[peer]}`, '  }');
  lines.push('  virtual_ipaddress {', `    ${v6 ? 'fd99::100/64' : '10.99.0.100/24'}`, '  }', '}', '');
  return lines.join('\n');
}

/** One parsed NDJSON line of `vrrpwatch -i IFACE --no-tui --json`, with when the test received it. */
export interface WatchLine {
  kind: string;
  /** wall clock (s) when the line reached the test */
  receivedAt: number;
  [k: string]: unknown;
}

export interface Advert extends WatchLine {
  kind: 'advert';
  ts: number;
  src: string;
  dst: string;
  version: number;
  vrid: number;
  priority: number;
  note: string;
}

export interface Event extends WatchLine {
  kind: 'event';
  t: number;
  type: string;
  family: number;
  vrid: number;
  master: string | null;
  previousMaster: string | null;
  duration: number | null;
  expected: number | null;
  message: string;
}

/** A running `vrrpwatch -i eth0 --no-tui --json` inside a namespace. */
export class Watch {
  readonly lines: WatchLine[] = [];
  stderr = '';
  private partial = '';
  private readonly waiters = new Set<() => void>();

  constructor(readonly child: ChildProcess) {
    child.stdout!.setEncoding('utf8').on('data', (d: string) => {
      const now = Date.now() / 1000;
      const parts = (this.partial + d).split('\n');
      this.partial = parts.pop()!;
      for (const l of parts) {
        if (l.trim() === '') continue;
        let v: WatchLine;
        try {
          v = { ...(JSON.parse(l) as object), receivedAt: now } as WatchLine;
        } catch {
          v = { kind: 'unparsable', text: l, receivedAt: now };
        }
        this.lines.push(v);
      }
      for (const w of [...this.waiters]) w();
    });
    child.stderr!.setEncoding('utf8').on('data', (d: string) => {
      this.stderr += d;
      for (const w of [...this.waiters]) w();
    });
    child.once('exit', () => { for (const w of [...this.waiters]) w(); });
  }

  get adverts(): Advert[] { return this.lines.filter((l): l is Advert => l.kind === 'advert'); }
  get events(): Event[] { return this.lines.filter((l): l is Event => l.kind === 'event'); }
  get summary(): WatchLine | undefined { return this.lines.find((l) => l.kind === 'summary'); }

  /** Resolves with the first value `probe` returns that is not undefined; rejects on timeout or exit. */
  until<T>(what: string, probe: () => T | undefined, ms: number): Promise<T> {
    return new Promise((res, rej) => {
      const check = (): void => {
        const v = probe();
        if (v !== undefined) { done(); res(v); return; }
        if (this.child.exitCode !== null || this.child.signalCode !== null) {
          done(); rej(new Error(`vrrpwatch exited (${this.child.exitCode ?? this.child.signalCode}) before ${what}; stderr: ${this.stderr.trim()}`));
        }
      };
      const timer = setTimeout(() => { done(); rej(new Error(`timeout (${ms} ms) waiting for ${what}; lines:\n${this.dump()}`)); }, ms);
      const done = (): void => { clearTimeout(timer); this.waiters.delete(check); };
      this.waiters.add(check);
      check();
    });
  }

  event(type: string): Promise<Event> {
    return this.until(`a '${type}' event`, () => this.events.find((e) => e.type === type), 15_000);
  }

  /** SIGTERM, then the summary line; resolves with it (throws when vrrpwatch failed). */
  async stop(): Promise<WatchLine> {
    this.child.kill('SIGTERM');
    if (!(await waitExit(this.child, 5000))) {
      this.child.kill('SIGKILL');
      throw new Error(`vrrpwatch did not exit on SIGTERM; stderr: ${this.stderr}`);
    }
    const s = this.summary;
    if (this.child.exitCode !== 0 || !s) {
      throw new Error(`vrrpwatch exit ${this.child.exitCode ?? this.child.signalCode}, summary ${s ? 'present' : 'missing'}; stderr: ${this.stderr.trim()}`);
    }
    return s;
  }

  dump(): string {
    return this.lines.map((l) => {
      if (l.kind === 'advert') { const a = l as Advert; return `  advert ${a.ts.toFixed(6)} ${a.src} > ${a.dst} v${a.version} vrid ${a.vrid} prio ${a.priority} [${a.note}]`; }
      if (l.kind === 'event') { const e = l as Event; return `  event ${e.t.toFixed(6)} ${e.type}: ${e.message}`; }
      return '  ' + JSON.stringify(l).slice(0, 300);
    }).join('\n') + (this.stderr ? `\n  stderr: ${this.stderr.trim()}` : '');
  }
}

/** One VRRP advert as tcpdump itself decodes it from a pcap file (independent of vrrpwatch's reader). */
export interface WireAdvert {
  /** kernel timestamp, nanoseconds since the epoch (exact: from tcpdump's nanosecond output) */
  ns: bigint;
  src: string;
  dst: string;
  version: number;
  vrid: number;
  prio: number;
}

/** VRRP adverts in a pcap, read back by `tcpdump -r FILE -nn -tt --time-stamp-precision=nano`. */
export function tcpdumpAdverts(file: string): WireAdvert[] {
  const r = spawnSync('tcpdump', ['-r', file, '-nn', '-tt', '--time-stamp-precision=nano'], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`tcpdump -r ${file}: exit ${r.status}: ${(r.stderr ?? '').trim()}`);
  const out: WireAdvert[] = [];
  for (const line of r.stdout.split('\n')) {
    const m = /^(\d+)\.(\d{9}) IP6? (\S+) > (\S+): VRRPv(\d), Advertisement, vrid (\d+), prio (\d+)/.exec(line);
    if (!m) continue;
    out.push({ ns: BigInt(m[1]!) * 1_000_000_000n + BigInt(m[2]!), src: m[3]!, dst: m[4]!, version: Number(m[5]),
      vrid: Number(m[6]), prio: Number(m[7]) });
  }
  return out;
}

/** A running `tcpdump -U --time-stamp-precision=nano -w FILE` next to vrrpwatch (an independent capture). */
export class Tcpdump {
  stderr = '';

  constructor(readonly child: ChildProcess, readonly file: string) {
    child.stderr!.setEncoding('utf8').on('data', (d: string) => (this.stderr += d));
  }

  /** SIGINT (tcpdump's normal stop: -U has flushed every packet already), then the file's adverts. */
  async stop(): Promise<WireAdvert[]> {
    this.child.kill('SIGINT');
    if (!(await waitExit(this.child, 5000))) {
      this.child.kill('SIGKILL');
      throw new Error(`tcpdump did not exit on SIGINT; stderr: ${this.stderr}`);
    }
    if (this.child.exitCode !== 0) throw new Error(`tcpdump exit ${this.child.exitCode ?? this.child.signalCode}: ${this.stderr.trim()}`);
    return tcpdumpAdverts(this.file);
  }
}

export interface CheckResult {
  code: number | null;
  stdout: string;
  stderr: string;
  /** wall-clock seconds from spawn to exit */
  elapsed: number;
}

let seq = 0;
const labs = new Set<LiveLab>();
let hooked = false;

function hookExit(): void {
  if (hooked) return;
  hooked = true;
  process.on('exit', () => { for (const l of [...labs]) l.teardownSync(); });
  // 128 + signal number, as a shell reports a process killed by it
  const codes = { SIGHUP: 129, SIGINT: 130, SIGTERM: 143 } as const;
  for (const sig of ['SIGHUP', 'SIGINT', 'SIGTERM'] as const) {
    process.once(sig, () => {
      for (const l of [...labs]) l.teardownSync();
      process.exit(codes[sig]);
    });
  }
}

export class LiveLab {
  readonly id = `vwv-${process.pid}-${seq++}-`;
  readonly dir = mkdtempSync(join(tmpdir(), 'vwv-live-'));
  private readonly children = new Set<ChildProcess>();
  private readonly keepaliveds = new Map<Node, ChildProcess>();
  private down = false;

  constructor() {
    labs.add(this);
    hookExit();
    chmodSync(this.dir, 0o755);
    try {
      this.topology();
    } catch (e) {
      this.teardownSync();
      throw e;
    }
  }

  ns(n: Node | 'sw'): string { return this.id + n; }

  private topology(): void {
    const sw = this.ns('sw');
    sh('ip', ['netns', 'add', sw]);
    sh('ip', ['netns', 'exec', sw, 'sysctl', '-qw', 'net.ipv6.conf.all.disable_ipv6=1', 'net.ipv6.conf.default.disable_ipv6=1']);
    sh('ip', ['-n', sw, 'link', 'set', 'lo', 'up']);
    sh('ip', ['-n', sw, 'link', 'add', 'br0', 'type', 'bridge']);
    sh('ip', ['-n', sw, 'link', 'set', 'br0', 'type', 'bridge', 'mcast_snooping', '0', 'stp_state', '0', 'forward_delay', '0']);
    sh('ip', ['-n', sw, 'link', 'set', 'br0', 'up']);
    for (const n of ['a', 'b', 'c'] as const) {
      const ns = this.ns(n);
      sh('ip', ['netns', 'add', ns]);
      sh('ip', ['netns', 'exec', ns, 'sysctl', '-qw', 'net.ipv6.conf.all.accept_dad=0', 'net.ipv6.conf.default.accept_dad=0',
        'net.ipv6.conf.all.router_solicitations=0', 'net.ipv6.conf.default.router_solicitations=0']);
      sh('ip', ['-n', sw, 'link', 'add', `p${n}`, 'type', 'veth', 'peer', 'name', IFACE, 'netns', ns]);
      sh('ip', ['-n', sw, 'link', 'set', `p${n}`, 'master', 'br0', 'up']);
      sh('ip', ['-n', ns, 'link', 'set', 'lo', 'up']);
      sh('ip', ['-n', ns, 'addr', 'add', `${IPV4[n]}/24`, 'dev', IFACE]);
      sh('ip', ['-n', ns, 'addr', 'add', `${IPV6[n]}/64`, 'dev', IFACE, 'nodad']);
      sh('ip', ['-n', ns, 'link', 'set', IFACE, 'up']);
    }
  }

  /** Spawn a command in a node's namespace (`ip netns exec` execs it: the child's pid is the command's). */
  exec(n: Node, cmd: string, args: readonly string[], opts: SpawnOptions = {}): ChildProcess {
    if (this.down) throw new Error('lab is torn down');
    const child = spawn('ip', ['netns', 'exec', this.ns(n), cmd, ...args], opts);
    this.children.add(child);
    child.once('exit', () => this.children.delete(child));
    return child;
  }

  /** Run to completion in a namespace. */
  run(n: Node, cmd: string, args: readonly string[], timeoutMs = 30_000): Promise<CheckResult> {
    const t0 = Date.now();
    const child = this.exec(n, cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], timeout: timeoutMs });
    let stdout = '';
    let stderr = '';
    child.stdout!.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    return new Promise((res, rej) => {
      child.once('error', rej);
      child.once('close', (code) => res({ code, stdout, stderr, elapsed: (Date.now() - t0) / 1000 }));
    });
  }

  private vrrpPidFile(n: Node): string { return join(this.dir, `${n}.vrrp.pid`); }

  /** pid of the keepalived VRRP child (the advert sender), if it runs. */
  vrrpPid(n: Node): number | undefined {
    try {
      const pid = Number.parseInt(readFileSync(this.vrrpPidFile(n), 'utf8'), 10);
      return Number.isInteger(pid) && pid > 0 && alive(pid) ? pid : undefined;
    } catch {
      return undefined;
    }
  }

  log(n: Node): string {
    const f = join(this.dir, `${n}.log`);
    return existsSync(f) ? readFileSync(f, 'utf8') : '';
  }

  /** Start keepalived (VRRP only, foreground, no respawn, private pid files) and wait for its VRRP child. */
  async keepalived(n: Node, o: KeepalivedOptions): Promise<void> {
    if (this.keepaliveds.has(n)) throw new Error(`keepalived already runs on ${n}`);
    const conf = join(this.dir, `${n}.conf`);
    writeFileSync(conf, keepalivedConf(n, o));
    rmSync(this.vrrpPidFile(n), { force: true });
    const fd = openSync(join(this.dir, `${n}.log`), 'a');
    const child = this.exec(n, 'keepalived', ['-n', '-R', '-P', '-l', '-D', '-G', '-f', conf,
      '-p', join(this.dir, `${n}.pid`), '-r', this.vrrpPidFile(n)], { stdio: ['ignore', fd, fd] });
    closeSync(fd);
    this.keepaliveds.set(n, child);
    for (let i = 0; i < 50 && this.vrrpPid(n) === undefined && child.exitCode === null; i++) await sleep(100);
    if (this.vrrpPid(n) === undefined) throw new Error(`keepalived on ${n} did not start: ${this.log(n).slice(-600)}`);
  }

  /** SIGKILL: crash (VRRP child first: no priority-0 advert). SIGTERM: graceful stop (priority 0 sent). */
  async stopKeepalived(n: Node, signal: 'SIGKILL' | 'SIGTERM'): Promise<void> {
    const child = this.keepaliveds.get(n);
    if (!child) return;
    const vrrp = this.vrrpPid(n);
    if (signal === 'SIGKILL' && vrrp !== undefined) process.kill(vrrp, 'SIGKILL');
    child.kill(signal);
    if (!(await waitExit(child, 5000))) child.kill('SIGKILL');
    await waitExit(child, 2000);
    if (vrrp !== undefined && alive(vrrp)) process.kill(vrrp, 'SIGKILL');
    this.keepaliveds.delete(n);
  }

  /** `iptables -A INPUT -p vrrp -j DROP` (and ip6tables; or only the tools given) in a node's namespace. */
  async firewallDrop(n: Node, tools: readonly ('iptables' | 'ip6tables')[] = ['iptables', 'ip6tables']): Promise<void> {
    for (const t of tools) {
      const r = await this.run(n, t, ['-w', '-A', 'INPUT', '-p', 'vrrp', '-j', 'DROP']);
      if (r.code !== 0) throw new Error(`${t} in ${n}: ${r.stderr}`);
    }
  }

  async firewallClear(n: Node, tools: readonly ('iptables' | 'ip6tables')[] = ['iptables', 'ip6tables']): Promise<void> {
    for (const t of tools) {
      const r = await this.run(n, t, ['-w', '-D', 'INPUT', '-p', 'vrrp', '-j', 'DROP']);
      if (r.code !== 0) throw new Error(`${t} -D in ${n}: ${r.stderr}`);
    }
  }

  /** `vrrpwatch -i eth0 --no-tui --json [extra]` in a node's namespace; resolves once it listens. */
  async watch(n: Node, extra: readonly string[] = []): Promise<Watch> {
    const child = this.exec(n, process.execPath, [VRRPWATCH, '-i', IFACE, '--no-tui', '--json', ...extra], { stdio: ['ignore', 'pipe', 'pipe'] });
    const w = new Watch(child);
    await w.until('"listening on"', () => (w.stderr.includes('listening on') ? true : undefined), 10_000);
    return w;
  }

  /** An independent `tcpdump -i eth0 -U --time-stamp-precision=nano -w FILE FILTER` in a node's namespace
   *  (-Z root: Debian's tcpdump would otherwise open FILE as user tcpdump); resolves once it listens. */
  async tcpdump(n: Node, file: string, filter = 'ip proto 112'): Promise<Tcpdump> {
    const child = this.exec(n, 'tcpdump', ['-i', IFACE, '-nn', '-Z', 'root', '-U', '--time-stamp-precision=nano', '-w', file, filter],
      { stdio: ['ignore', 'ignore', 'pipe'] });
    const td = new Tcpdump(child, file);
    for (let i = 0; i < 100 && !td.stderr.includes('listening on'); i++) {
      if (child.exitCode !== null || child.signalCode !== null) break;
      await sleep(50);
    }
    if (!td.stderr.includes('listening on')) throw new Error(`tcpdump did not start: ${td.stderr.trim()}`);
    return td;
  }

  /** `vrrpwatch check -i eth0 [extra]` in a node's namespace. */
  check(n: Node, extra: readonly string[] = []): Promise<CheckResult> {
    return this.run(n, process.execPath, [VRRPWATCH, 'check', '-i', IFACE, ...extra]);
  }

  async teardown(): Promise<void> {
    if (this.down) return;
    for (const n of [...this.keepaliveds.keys()]) await this.stopKeepalived(n, 'SIGKILL');
    for (const c of this.children) c.kill('SIGKILL');
    await Promise.all([...this.children].map((c) => waitExit(c, 2000)));
    this.teardownSync();
  }

  /** Kill what this lab started (by pid), delete its namespaces and directory. Safe to call twice. */
  teardownSync(): void {
    if (this.down) return;
    this.down = true;
    labs.delete(this);
    for (const n of this.keepaliveds.keys()) {
      const vrrp = this.vrrpPid(n);
      if (vrrp !== undefined) process.kill(vrrp, 'SIGKILL');
    }
    for (const c of [...this.keepaliveds.values(), ...this.children]) {
      if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
    }
    this.keepaliveds.clear();
    for (const n of ['a', 'b', 'c', 'sw'] as const) spawnSync('ip', ['netns', 'del', this.ns(n)], { stdio: 'ignore' });
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** Namespaces whose names start with `prefix`. */
export function namespaces(prefix: string): string[] {
  const out = spawnSync('ip', ['netns', 'list'], { encoding: 'utf8' }).stdout ?? '';
  return out.split('\n').map((l) => l.split(' ')[0] ?? '').filter((x) => x.startsWith(prefix));
}
