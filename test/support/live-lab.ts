// The real vrrpwatch CLI, an independent tcpdump and `check -i` next to real keepalived, for
// test/live-keepalived.test.ts: the lab of test/support/lab.ts (namespaces `vwl-t<pid>-<n>-{sw,a,b,c}`,
// built by scripts/lab/lab.sh, keepalived configs from `lab.sh conf`; nothing in the root namespace)
// with what the live tests add to it.
//
// Everything started here (keepalived, vrrpwatch, tcpdump) is remembered by pid and killed at
// teardown(); a process exit or SIGINT/SIGTERM/SIGHUP of the test runner tears every lab down synchronously.
import { spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Lab, LAB_IFACE, LAB_IPV4, LAB_IPV6, labSkipReason, listNamespaces, pidAlive, waitExit, type LabNode, type RunResult } from './lab.js';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
/** The real CLI entry point (runs dist/, built by `npm run build`). */
export const VRRPWATCH = join(ROOT, 'bin/vrrpwatch');

export type Node = LabNode;
export const IPV4 = LAB_IPV4;
export const IPV6 = LAB_IPV6;
export const IFACE = LAB_IFACE;
/** The VRRPv2 auth_pass of the generated configs (`lab.sh conf`'s default). */
export const PASS = 'vwlpass1';
export { waitExit };
export const alive = pidAlive;
export const namespaces = listNamespaces;

/** Why these tests cannot run here, or undefined when they can. */
export function liveLabSkipReason(): string | undefined {
  const lab = labSkipReason();
  if (lab !== undefined) return lab;
  if (spawnSync('sh', ['-c', 'command -v ip6tables'], { stdio: 'ignore' }).status !== 0) return 'needs ip6tables';
  if (!existsSync(join(ROOT, 'dist/src/cli/main.js'))) return 'needs `npm run build` (dist/ missing)';
  if (!existsSync(join(ROOT, 'native/build/Release/vrrpcap.node'))) return 'needs `npm run build:native` (libpcap binding missing)';
  return undefined;
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

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

  /** SIGINT (tcpdump's normal stop), then the file's adverts. --immediate-mode hands each packet over at once: without it
   *  the kernel's capture ring keeps a partly filled block (up to a second of packets) that SIGINT discards. */
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

export type CheckResult = RunResult;

/** The lab, plus the real CLI, an independent tcpdump and iptables rules on one family at a time. */
export class LiveLab extends Lab {
  /** SIGKILL: crash (VRRP child first: no priority-0 advert). SIGTERM: graceful stop (priority 0 sent). */
  stopKeepalived(n: Node, signal: 'SIGKILL' | 'SIGTERM'): Promise<void> {
    return this.stop(n, signal);
  }

  /** `iptables -A INPUT -p vrrp -j DROP` (and ip6tables; or only the tools given) in a node's namespace. */
  async firewallDrop(n: Node, tools: readonly ('iptables' | 'ip6tables')[] = ['iptables', 'ip6tables']): Promise<void> {
    for (const t of tools) await this.run(n, t, ['-w', '-A', 'INPUT', '-p', 'vrrp', '-j', 'DROP'], true);
  }

  async firewallClear(n: Node, tools: readonly ('iptables' | 'ip6tables')[] = ['iptables', 'ip6tables']): Promise<void> {
    for (const t of tools) await this.run(n, t, ['-w', '-D', 'INPUT', '-p', 'vrrp', '-j', 'DROP'], true);
  }

  /** `vrrpwatch -i eth0 --no-tui --json [extra]` in a node's namespace; resolves once it listens. */
  async watch(n: Node, extra: readonly string[] = []): Promise<Watch> {
    const child = this.exec(n, process.execPath, [VRRPWATCH, '-i', IFACE, '--no-tui', '--json', ...extra], { stdio: ['ignore', 'pipe', 'pipe'] });
    const w = new Watch(child);
    await w.until('"listening on"', () => (w.stderr.includes('listening on') ? true : undefined), 10_000);
    return w;
  }

  /** An independent `tcpdump -i eth0 -U --immediate-mode --time-stamp-precision=nano -w FILE FILTER` in a node's namespace
   *  (-Z root: Debian's tcpdump would otherwise open FILE as user tcpdump); resolves once it listens. */
  async tcpdump(n: Node, file: string, filter = 'ip proto 112'): Promise<Tcpdump> {
    const child = this.exec(n, 'tcpdump', ['-i', IFACE, '-nn', '-Z', 'root', '-U', '--immediate-mode', '--time-stamp-precision=nano', '-w', file, filter],
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
}
