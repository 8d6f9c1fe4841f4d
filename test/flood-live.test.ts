// Issue 11, live: a real keepalived pair (a MASTER 100, b BACKUP 80, VRID 99) in the lab's namespaces;
// tcpreplay floods the lab's bridge, from a namespace port of its own, with adverts for VRID 99 from
// random source addresses and MACs (bench/flood-gen.ts); while it does, the backup is made deaf (iptables
// DROP of VRRP in its namespace), so its adverts start during the flood. `vrrpwatch check -i eth0` in the
// observer's namespace must still exit 2 with the real pair named, and say that there is a flood.
//
// Needs root, keepalived, iptables, tcpreplay, `npm run build` and `npm run build:native`; skips otherwise.
// Every address, link and rule lives in namespaces this file creates (vwl-t<pid>-*), torn down after.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { IPV4, LiveLab, liveLabSkipReason, sleep, waitExit } from './support/live-lab.js';
import { LAB_VIP4 } from './support/lab.js';
import { generateFlood } from '../bench/flood-gen.js';

const tool = spawnSync('sh', ['-c', 'command -v tcpreplay'], { stdio: 'ignore' }).status === 0;
const skip = liveLabSkipReason() ?? (tool ? undefined : 'needs tcpreplay (apt-get install tcpreplay)');

function ip(args: string[]): void {
  const r = spawnSync('ip', args, { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`ip ${args.join(' ')}: ${r.stderr.trim()}`);
}

test('a flood of random-source adverts on the segment while the backup goes deaf: check -i still exits 2 and names the real pair',
  { skip, timeout: 90_000 }, async (t) => {
    const l = new LiveLab();
    // the flooder: a namespace of its own, its veth a port of the lab's bridge (no MAC learning on that port:
    // the flood's random MACs must not fill the bridge's table)
    const fns = l.id + 'f';
    let tcpreplay: ChildProcess | null = null;
    t.after(async () => {
      if (tcpreplay !== null && tcpreplay.exitCode === null && tcpreplay.signalCode === null) {
        tcpreplay.kill('SIGKILL');
        await waitExit(tcpreplay, 2000);
      }
      spawnSync('ip', ['netns', 'del', fns], { stdio: 'ignore' });
      await l.teardown();
    });
    ip(['netns', 'add', fns]);
    ip(['-n', l.ns('sw'), 'link', 'add', 'pf', 'type', 'veth', 'peer', 'name', 'eth0', 'netns', fns]);
    ip(['-n', l.ns('sw'), 'link', 'set', 'pf', 'master', 'br0']);
    ip(['-n', l.ns('sw'), 'link', 'set', 'pf', 'type', 'bridge_slave', 'learning', 'off']);
    ip(['-n', l.ns('sw'), 'link', 'set', 'pf', 'up']);
    ip(['-n', fns, 'link', 'set', 'eth0', 'up']);

    // 300,000 adverts for VRID 99 from random sources (random priorities, no authentication: keepalived drops
    // them for the auth type), replayed at 20,000/s: 15 s of flood
    const file = join(l.dir, 'flood.pcap');
    generateFlood(file, { kind: 'one-vrid', adverts: 300_000, spacingUs: 50 });

    await l.keepalived('a', { state: 'MASTER', priority: 100 });
    await l.keepalived('b', { state: 'BACKUP', priority: 80 });
    await sleep(4000); // a master, b backup

    const flood = l.exec('sw', 'ip', ['netns', 'exec', fns, 'tcpreplay', '-q', '-i', 'eth0', '--pps=20000', file],
      { stdio: ['ignore', 'ignore', 'pipe'] });
    tcpreplay = flood;
    let floodErr = '';
    flood.stderr!.setEncoding('utf8').on('data', (d: string) => (floodErr += d));
    await sleep(1500);
    assert.equal(flood.exitCode, null, `tcpreplay is flooding: ${floodErr}`);

    // the backup goes deaf during the flood: it becomes master after its master-down interval (~3.7 s)
    await l.firewallDrop('b');
    await sleep(5000);

    const check = await l.check('c', ['-t', '12', '-v']);
    t.diagnostic(`check -i during the flood: exit ${check.code} after ${check.elapsed.toFixed(2)} s`);
    t.diagnostic(check.stdout.trim().split('\n').map((x) => x.slice(0, 400)).join('\n'));
    assert.equal(flood.exitCode, null, 'the flood was still going on when the check ended');
    assert.equal(check.code, 2, `check exit code; stdout: ${check.stdout} stderr: ${check.stderr}`);
    const [line, ...long] = check.stdout.trimEnd().split('\n');
    assert.ok(Buffer.byteLength(line!) <= 4096, 'one line of at most 4 KiB');
    // both masters' gratuitous ARPs for the VIP may fall within the check's 12 s (issue 12): the line then
    // starts with the address held by two hosts, which is true of this split brain too
    const re = (x: string) => x.replace(/\./g, '\\.');
    assert.match(line!, new RegExp(`^VRRP CRITICAL - VRID 99: (?:${re(LAB_VIP4)} held by two hosts at once; )?split brain .*` +
      `${re(IPV4.a)} prio 100, ${re(IPV4.b)} prio 80`), 'the real pair, and only it, named as the split brain');
    assert.match(line!, /VRRP flood/);
    assert.match(line!, /'untracked'=\d+c/);
    assert.ok(long.some((x) => /^\[CRITICAL\] vrrp-flood: /.test(x)), 'the flood finding in the long output');
  });
