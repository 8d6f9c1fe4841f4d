// Two network namespaces joined by a veth pair, for the doctor firewall tests: "node" (the host whose
// ruleset is judged, eth0 = 10.0.0.2 / fe80::2) and "peer" (eth0 = the peer's address / fe80::1).
// Rulesets are loaded only into the node namespace; real VRRP adverts are sent from the peer with
// test/support/vrrp-probe.py (one long-lived probe per namespace) and counted by the node's raw sockets,
// which are handed packets after netfilter INPUT: received = accepted. Names carry the test's pid;
// destroy() ends both probes (by their process) and removes both namespaces.
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FirewallOptions } from '../../src/doctor/firewall/index.js';
import { toHex, vrrpMessage } from './encode.js';

const PROBE = join(fileURLToPath(new URL('.', import.meta.url)), 'vrrp-probe.py');
let serial = 0;

export const NODE4 = '10.0.0.2';
/** Link-local, as keepalived's IPv6 adverts are (the kernel picks a link-local source for ff02::12). */
export const NODE6 = 'fe80::2';
export const PEER6 = 'fe80::1';

function must(argv: string[], input?: string): string {
  const r = spawnSync(argv[0], argv.slice(1), { encoding: 'utf8', input });
  if (r.status !== 0) throw new Error(`${argv.join(' ')}: ${r.stderr || r.stdout}`);
  return r.stdout;
}

/**
 * IPv6 sets up eth0's routes (fe80::/64, multicast ff00::/8) only when the kernel's link watcher
 * reports the veth's carrier, up to a second after `link set up`; a send before that fails with
 * "Network is unreachable". Waits for both routes, 10 s at most.
 */
function waitForIpv6Routes(ns: string): void {
  const sleeper = new Int32Array(new SharedArrayBuffer(4));
  for (let tries = 0; tries < 200; tries++) {
    const routes = must(['ip', '-n', ns, '-6', 'route', 'show', 'table', 'all', 'dev', 'eth0']);
    if (routes.includes('fe80::/64') && routes.includes('ff00::/8')) return;
    Atomics.wait(sleeper, 0, 0, 50);
  }
  throw new Error(`${ns}: eth0 has no IPv6 routes after 10 s`);
}

/** Can this process build the lab (root, ip, nft, iptables, python3)? A reason when not. */
export function labSkip(): string | false {
  if (process.getuid?.() !== 0) return 'needs root (network namespaces)';
  for (const t of ['ip', 'nft', 'iptables-legacy-restore', 'iptables-nft-restore', 'python3']) {
    if (spawnSync('sh', ['-c', `command -v ${t}`], { stdio: 'ignore' }).status !== 0) return `needs ${t}`;
  }
  return false;
}

export interface Lab {
  node: string;
  peer: string;
  peer4: string;
  /** Runs a command line inside the node namespace (a shell line: fixes are pasted as they are printed). */
  shell(line: string): string;
  /** checkFirewall's runner inside the node namespace; firewall-cmd and ufw answer "not installed". */
  run: NonNullable<FirewallOptions['run']>;
  /** Sends `count` adverts from the peer to dst; how many the node's raw socket received. */
  adverts(family: 4 | 6, dst: string, count?: number): Promise<number>;
  /** Sends an advert from the node to dst: 'sent 1', or 'blocked: ...' when OUTPUT refused it. */
  sendFromNode(family: 4 | 6, dst: string): Promise<string>;
  destroy(): void;
}

/** A probe process in a namespace: one command line in, one answer line out. */
class Probe {
  private readonly proc: ChildProcessWithoutNullStreams;
  private lines: string[] = [];
  private waiting: ((line: string) => void)[] = [];
  private buf = '';
  private err = '';
  constructor(ns: string) {
    this.proc = spawn('ip', ['netns', 'exec', ns, 'python3', PROBE, 'eth0']);
    this.proc.stderr.on('data', (d: Buffer) => { this.err += d.toString(); });
    this.proc.stdout.on('data', (d: Buffer) => {
      this.buf += d.toString();
      let i: number;
      while ((i = this.buf.indexOf('\n')) >= 0) {
        const line = this.buf.slice(0, i);
        this.buf = this.buf.slice(i + 1);
        const w = this.waiting.shift();
        if (w !== undefined) w(line); else this.lines.push(line);
      }
    });
    this.proc.on('close', () => { for (const w of this.waiting.splice(0)) w(`error: probe ended: ${this.err}`); });
  }
  next(): Promise<string> {
    const l = this.lines.shift();
    if (l !== undefined) return Promise.resolve(l);
    return new Promise((resolve) => this.waiting.push(resolve));
  }
  async ask(cmd: string): Promise<string> {
    this.proc.stdin.write(cmd + '\n');
    const a = await this.next();
    if (a.startsWith('error')) throw new Error(a);
    return a;
  }
  stop(): void { this.proc.stdin.end(); this.proc.kill(); }
}

export function makeLab(peer4 = '10.0.0.1'): Lab {
  const tag = `vwf-${process.pid}-${serial++}`;
  const node = `${tag}n`;
  const peer = `${tag}p`;
  must(['ip', 'netns', 'add', node]);
  must(['ip', 'netns', 'add', peer]);
  const probes: Probe[] = [];
  const destroy = (): void => {
    for (const p of probes) p.stop();
    spawnSync('ip', ['netns', 'del', node]);
    spawnSync('ip', ['netns', 'del', peer]);
  };
  try {
    must(['ip', '-n', node, 'link', 'add', 'eth0', 'type', 'veth', 'peer', 'name', 'eth0', 'netns', peer]);
    for (const [ns, a4, a6] of [[node, NODE4, NODE6], [peer, peer4, PEER6]]) {
      // no generated link-local address: the fixed one below is the only source the kernel can pick
      must(['ip', 'netns', 'exec', ns, 'sysctl', '-qw', 'net.ipv6.conf.eth0.accept_dad=0', 'net.ipv6.conf.eth0.addr_gen_mode=1']);
      must(['ip', '-n', ns, 'addr', 'add', `${a4}/24`, 'dev', 'eth0']);
      must(['ip', '-n', ns, 'addr', 'add', `${a6}/64`, 'dev', 'eth0', 'nodad']);
      must(['ip', '-n', ns, 'link', 'set', 'lo', 'up']);
      must(['ip', '-n', ns, 'link', 'set', 'eth0', 'up']);
    }
    for (const ns of [node, peer]) waitForIpv6Routes(ns);
  } catch (e) { destroy(); throw e; }
  const nodeProbe = new Probe(node);
  const peerProbe = new Probe(peer);
  probes.push(nodeProbe, peerProbe);
  const started = Promise.all([nodeProbe.next(), peerProbe.next()]);
  const payload = (family: 4 | 6, src: string, dst: string) => toHex(vrrpMessage(
    family === 4 ? { version: 2, vrid: 51, priority: 100, addresses: ['10.0.0.100'], authType: 0, interval: 1 }
      : { version: 3, vrid: 51, priority: 100, addresses: ['fd00::100'], interval: 100 },
    { family, src, dst }));
  const received = async (family: 4 | 6): Promise<number> => {
    const m = /^count (\d+) (\d+)$/.exec(await nodeProbe.ask('count'));
    if (m === null) throw new Error('probe: bad count');
    return Number(m[family === 4 ? 1 : 2]);
  };
  return {
    node, peer, peer4,
    shell: (line) => must(['ip', 'netns', 'exec', node, 'sh', '-c', line]),
    run: (argv) => {
      if (argv[0] === 'firewall-cmd' || argv[0] === 'ufw') return { status: null, stdout: '', stderr: 'not installed (test)' };
      const r = spawnSync('ip', ['netns', 'exec', node, ...argv], { encoding: 'utf8' });
      return { status: r.status, stdout: r.stdout, stderr: r.stderr };
    },
    adverts: async (family, dst, count = 3) => {
      await started;
      const before = await received(family);
      const src = family === 4 ? peer4 : PEER6;
      const s = await peerProbe.ask(`send ${family} ${src} ${dst} ${payload(family, src, dst)} ${count}`);
      if (!s.startsWith('sent')) throw new Error(`peer could not send: ${s}`);
      return (await received(family)) - before;
    },
    sendFromNode: async (family, dst) => {
      await started;
      const src = family === 4 ? NODE4 : NODE6;
      return nodeProbe.ask(`send ${family} ${src} ${dst} ${payload(family, src, dst)} 1`);
    },
    destroy,
  };
}
