// The printed fixes, applied for real: a keepalived pair in throwaway namespaces (vwa-rk-<pid>-*)
// is split by a firewall drop and then by TTL 254; the commands fixesFor() prints are run on the
// host it names, and the split brain must end (the backup stops advertising).
// Needs root, ip, iptables, nft, keepalived and tcpdump; skipped otherwise. About 40 s.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fixesFor } from '../src/remedy/index.js';
import { waitUntil } from './support/wait.js';
import type { Finding } from '../src/analyze/model.js';

const have = (c: string) => spawnSync('sh', ['-c', `command -v ${c}`], { stdio: 'ignore' }).status === 0;
const ok = process.getuid?.() === 0 && ['ip', 'iptables', 'nft', 'keepalived', 'tcpdump'].every(have);
const P = `vwa-rk-${process.pid}`;
const NS = { sw: `${P}-sw`, a: `${P}-a`, b: `${P}-b` };
const procs: ChildProcess[] = [];
let dir = '';
let made = false;

function sh(ns: string, cmd: string) {
  return spawnSync('ip', ['netns', 'exec', ns, 'sh', '-c', cmd], { encoding: 'utf8' });
}
function must(args: string[]) {
  const r = spawnSync('ip', args, { encoding: 'utf8' });
  assert.equal(r.status, 0, `ip ${args.join(' ')}: ${r.stderr}`);
}

function alive(pid: number): boolean {
  try { process.kill(pid, 0); return true; } catch { return false; }
}
after(async () => {
  // keepalived's VRRP children (pid files), then the processes we spawned: TERM, wait, KILL, by PID
  const pids: number[] = [];
  for (const n of ['a', 'b']) {
    try { pids.push(Number(readFileSync(join(dir, `${n}.vrrp.pid`), 'utf8').trim())); } catch { /* not started */ }
  }
  for (const p of procs) if (p.pid !== undefined) pids.push(p.pid);
  for (const pid of pids) if (pid > 0 && alive(pid)) process.kill(pid, 'SIGTERM');
  for (let i = 0; i < 30 && pids.some((p) => p > 0 && alive(p)); i++) await sleep(100);
  for (const pid of pids) if (pid > 0 && alive(pid)) process.kill(pid, 'SIGKILL');
  if (made) for (const n of Object.values(NS)) spawnSync('ip', ['netns', 'del', n], { stdio: 'ignore' });
  if (dir && !process.env.VWA_KEEP) rmSync(dir, { recursive: true, force: true });
});

function conf(name: string, prio: number, state: string): string {
  return `global_defs { router_id ${name} }
vrrp_instance VI_1 {
  state ${state}
  interface ${name}0
  virtual_router_id 99
  priority ${prio}
  advert_int 1
  authentication {
    auth_type PASS
    auth_pass secret
  }
  virtual_ipaddress {
    10.0.0.100/24
  }
}
`;
}

/** Adverts (time, source) seen on the bridge since `since` (epoch seconds). */
function advertsSince(since: number): { t: number; src: string }[] {
  const out: { t: number; src: string }[] = [];
  for (const l of readFileSync(join(dir, 'wire.txt'), 'utf8').split('\n')) {
    const m = /^(\d+\.\d+) IP (\S+) > 224\.0\.0\.18: VRRPv2, Advertisement, (?:\(ttl \d+\), )?vrid 99, prio (\d+)/.exec(l);
    if (m && Number(m[1]) >= since && m[3] !== '0') out.push({ t: Number(m[1]), src: m[2] });
  }
  return out;
}

function finding(cause: 'firewall-drop' | 'ttl'): Finding {
  return {
    code: cause === 'ttl' ? 'ttl-not-255' : 'split-brain', severity: 'critical', routerKey: 'v4/99', vrid: 99, family: 4,
    title: 't', evidence: [], cause,
    fixContext: { deafHost: '10.0.0.2', peers: ['10.0.0.1'], multicast: '224.0.0.18', family: 4 },
    firstSeen: 0, lastSeen: 0, count: 1,
  };
}

test('firewall-drop and TTL fixes, run as printed, end a real split brain', { skip: ok ? false : 'needs root, ip, iptables, nft, keepalived, tcpdump', timeout: 120_000 }, async () => {
  dir = mkdtempSync(join(tmpdir(), 'vwa-rk-'));
  for (const n of Object.values(NS)) must(['netns', 'add', n]);
  made = true;
  must(['-n', NS.sw, 'link', 'add', 'br0', 'type', 'bridge']);
  must(['-n', NS.sw, 'link', 'set', 'br0', 'up']);
  for (const [n, ip] of [['a', '10.0.0.1'], ['b', '10.0.0.2']] as const) {
    must(['link', 'add', `${n}0`, 'netns', NS[n], 'type', 'veth', 'peer', 'name', `s${n}`, 'netns', NS.sw]);
    must(['-n', NS.sw, 'link', 'set', `s${n}`, 'master', 'br0']);
    must(['-n', NS.sw, 'link', 'set', `s${n}`, 'up']);
    must(['-n', NS[n], 'link', 'set', 'lo', 'up']);
    must(['-n', NS[n], 'link', 'set', `${n}0`, 'up']);
    must(['-n', NS[n], 'addr', 'add', `${ip}/24`, 'dev', `${n}0`]);
  }
  writeFileSync(join(dir, 'a.conf'), conf('a', 100, 'MASTER'));
  writeFileSync(join(dir, 'b.conf'), conf('b', 80, 'BACKUP'));
  const td = spawn('ip', ['netns', 'exec', NS.sw, 'sh', '-c', `exec tcpdump -i br0 -n -tt -l 'ip proto 112' > ${join(dir, 'wire.txt')} 2>${join(dir, 'wire.err')}`]);
  procs.push(td);
  const file = (f: string): string => { try { return readFileSync(join(dir, f), 'utf8'); } catch { return ''; } };
  await waitUntil('tcpdump listening on the bridge', () => file('wire.err').includes('listening on'), 10_000);
  for (const n of ['a', 'b'] as const) {
    procs.push(spawn('ip', ['netns', 'exec', NS[n], 'sh', '-c', `exec keepalived -n -l -P -f ${join(dir, `${n}.conf`)} ` +
      `-p ${join(dir, `${n}.pid`)} -r ${join(dir, `${n}.vrrp.pid`)} > ${join(dir, `${n}.log`)} 2>&1`]));
  }
  const now = () => Date.now() / 1000;
  const t0 = now();
  await waitUntil('A master, B backup, A\'s adverts on the wire', () => file('a.log').includes('Entering MASTER STATE')
    && file('b.log').includes('Entering BACKUP STATE') && advertsSince(t0).filter((x) => x.src === '10.0.0.1').length >= 2, 20_000);
  const bLog = () => readFileSync(join(dir, 'b.log'), 'utf8');
  const masters = () => (bLog().match(/Entering MASTER STATE/g) ?? []).length;
  const backups = () => (bLog().match(/Entering BACKUP STATE/g) ?? []).length;
  /** Once B is back to BACKUP (its log says so), A goes on advertising and B sends nothing: two adverts of A
   *  after the transition, none of B. */
  const quietB = async (backupsBefore: number, what: string): Promise<void> => {
    await waitUntil(`B back to BACKUP after ${what}`, () => backups() > backupsBefore, 15_000);
    const tb = now();
    await waitUntil(`two adverts of A after B's return to BACKUP (${what})`, () => advertsSince(tb).filter((x) => x.src === '10.0.0.1').length >= 2, 10_000);
    const since = advertsSince(tb);
    assert.ok(!since.some((x) => x.src === '10.0.0.2'), `B still advertises after ${what}: ${JSON.stringify(since)}`);
  };

  // 1. firewall on the backup: split brain
  const tFw = now();
  assert.equal(sh(NS.b, 'iptables -A INPUT -p vrrp -j DROP').status, 0);
  await waitUntil('B to advertise behind its firewall (split brain)', () => advertsSince(tFw).some((x) => x.src === '10.0.0.2'), 15_000);
  // the printed fix, on the host it names, with the interface given
  const fw = fixesFor(finding('firewall-drop'), { iface: 'b0' }).filter((f) => f.tool === 'iptables');
  assert.equal(fw.length, 1);
  assert.equal(fw[0].host, '10.0.0.2');
  const fwBackups = backups();
  for (const c of fw[0].commands) assert.equal(sh(NS.b, c).status, 0, c);
  await quietB(fwBackups, 'the firewall fix');
  assert.ok(readFileSync(join(dir, 'b.log'), 'utf8').trimEnd().endsWith('(VI_1) Entering BACKUP STATE'), 'B back to BACKUP');
  assert.equal(sh(NS.b, 'iptables -F INPUT').status, 0);

  // 2. A's adverts arrive with TTL 254: B drops them and becomes master. On the wire B shows once:
  // A's adverts (rejected by B) keep restarting B's advert timer (a "silenced master", analysis §3.1).
  const m0 = masters();
  const t2 = now();
  assert.equal(sh(NS.a, 'iptables -t mangle -A POSTROUTING -p vrrp -j TTL --ttl-set 254').status, 0);
  await waitUntil('B to enter MASTER and advertise (TTL 254 from A)',
    () => masters() > m0 && advertsSince(t2).some((x) => x.src === '10.0.0.2'), 15_000);
  assert.equal(masters(), m0 + 1, 'B entered MASTER once');
  assert.ok(bLog().includes('invalid TTL/HL. Received 254 and expect 255'));
  const b0 = backups();
  const tf = fixesFor(finding('ttl'), { iface: 'b0' }).filter((f) => f.tool === 'nftables');
  assert.equal(tf.length, 1);
  for (const c of tf[0].commands) assert.equal(sh(NS.b, c).status, 0, c);
  await quietB(b0, 'the TTL fix');
  assert.equal(backups(), b0 + 1, `B went back to BACKUP once after the TTL fix:\n${bLog()}`);
});
