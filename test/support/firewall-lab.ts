// Two network namespaces joined by a veth pair, for the doctor firewall tests: "node" (the host whose
// ruleset is judged, eth0 = 10.0.0.2 / fd00::2) and "peer" (eth0 = the peer's address / fd00::1).
// Rulesets are loaded only into the node namespace; real VRRP adverts are sent from the peer with
// test/support/vrrp-probe.py and counted by a raw socket on the node (handed packets after netfilter
// INPUT: received = accepted). Names carry the test's pid; destroy() removes both namespaces.
import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FirewallOptions } from '../../src/doctor/firewall/index.js';
import { toHex, vrrpMessage } from './encode.js';

const PROBE = join(fileURLToPath(new URL('.', import.meta.url)), 'vrrp-probe.py');
let serial = 0;

export const NODE4 = '10.0.0.2';
export const NODE6 = 'fd00::2';
export const PEER6 = 'fd00::1';

function must(argv: string[], input?: string): string {
  const r = spawnSync(argv[0], argv.slice(1), { encoding: 'utf8', input });
  if (r.status !== 0) throw new Error(`${argv.join(' ')}: ${r.stderr || r.stdout}`);
  return r.stdout;
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
  /** Sends `count` adverts from the node to dst; 'blocked' when OUTPUT refused them. */
  sendFromNode(family: 4 | 6, dst: string): string;
  destroy(): void;
}

export function makeLab(peer4 = '10.0.0.1'): Lab {
  const tag = `vwf-${process.pid}-${serial++}`;
  const node = `${tag}n`;
  const peer = `${tag}p`;
  must(['ip', 'netns', 'add', node]);
  must(['ip', 'netns', 'add', peer]);
  const destroy = (): void => {
    spawnSync('ip', ['netns', 'del', node]);
    spawnSync('ip', ['netns', 'del', peer]);
  };
  try {
    must(['ip', '-n', node, 'link', 'add', 'eth0', 'type', 'veth', 'peer', 'name', 'eth0', 'netns', peer]);
    for (const [ns, a4, a6] of [[node, NODE4, NODE6], [peer, peer4, PEER6]]) {
      must(['ip', 'netns', 'exec', ns, 'sysctl', '-qw', 'net.ipv6.conf.eth0.accept_dad=0']);
      must(['ip', '-n', ns, 'addr', 'add', `${a4}/24`, 'dev', 'eth0']);
      must(['ip', '-n', ns, 'addr', 'add', `${a6}/64`, 'dev', 'eth0', 'nodad']);
      must(['ip', '-n', ns, 'link', 'set', 'lo', 'up']);
      must(['ip', '-n', ns, 'link', 'set', 'eth0', 'up']);
    }
  } catch (e) { destroy(); throw e; }
  const payload = (family: 4 | 6, src: string, dst: string) => toHex(vrrpMessage(
    family === 4 ? { version: 2, vrid: 51, priority: 100, addresses: ['10.0.0.100'], authType: 0, interval: 1 }
      : { version: 3, vrid: 51, priority: 100, addresses: ['fd00::100'], interval: 100 },
    { family, src, dst }));
  return {
    node, peer, peer4,
    shell: (line) => must(['ip', 'netns', 'exec', node, 'sh', '-c', line]),
    run: (argv) => {
      if (argv[0] === 'firewall-cmd' || argv[0] === 'ufw') return { status: null, stdout: '', stderr: 'not installed (test)' };
      const r = spawnSync('ip', ['netns', 'exec', node, ...argv], { encoding: 'utf8' });
      return { status: r.status, stdout: r.stdout, stderr: r.stderr };
    },
    adverts: (family, dst, count = 3) => new Promise((resolve, reject) => {
      const group = dst.startsWith('224.') || dst.toLowerCase().startsWith('ff') ? dst : '-';
      // the receiver runs until told (SIGTERM) a moment after the sender is done: no race with a slow start
      const rx = spawn('ip', ['netns', 'exec', node, 'python3', PROBE, 'recv', String(family), 'eth0', group, '30'], { stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      let err = '';
      let sent = false;
      rx.stderr.on('data', (d: Buffer) => { err += d.toString(); });
      rx.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        if (!sent && out.includes('ready\n')) {
          sent = true;
          const src = family === 4 ? peer4 : PEER6;
          const s = spawnSync('ip', ['netns', 'exec', peer, 'python3', PROBE, 'send', String(family), 'eth0', src, dst, payload(family, src, dst), String(count)], { encoding: 'utf8' });
          if (s.status !== 0) reject(new Error(`send: ${s.stderr}`));
          setTimeout(() => rx.kill('SIGTERM'), 300);
        }
      });
      rx.on('close', (code) => {
        if (code !== 0) { reject(new Error(`recv: ${err}`)); return; }
        resolve(Number(out.trim().split('\n').pop()));
      });
    }),
    sendFromNode: (family, dst) => must(['ip', 'netns', 'exec', node, 'python3', PROBE, 'send', String(family), 'eth0',
      family === 4 ? NODE4 : NODE6, dst, payload(family, family === 4 ? NODE4 : NODE6, dst), '1']).trim(),
    destroy,
  };
}
