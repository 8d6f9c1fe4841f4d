// The libpcap binding against real traffic, in network namespaces of our own (prefix vwv-): a real keepalived
// (VRRPv3, advert_int 0.1) on one end of a veth pair, the capture on the other, plus replayed tagged/untagged
// VRRP and non-VRRP frames and kernel-generated UDP. Skips (saying why) when not root, when the binding is not
// built, or when keepalived/tcpreplay are missing. Teardown by after() and by exit/signal handlers.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import * as F from './live-frames.js';
import { sh } from './support/netns.js';
import { waitUntil } from './support/wait.js';

const BINDING = resolve('native/build/Release/vrrpcap.node');
const CHILD = resolve('test/live-child.ts');
function has(cmd: string): boolean { return spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0; }
const skipWhy = process.getuid?.() !== 0 ? 'needs root (network namespaces, capture)'
  : !existsSync(BINDING) ? 'libpcap binding not built (npm run build:native)'
  : !has('keepalived') || !has('tcpreplay') || !has('tcpdump') ? 'needs keepalived, tcpreplay and tcpdump'
  : false;

const tag = `${process.pid % 100000}`;
const NS_A = `vwv-${tag}-a`;          // keepalived + replay side
const NS_B = `vwv-${tag}-b`;          // capture side
const dir = mkdtempSync(join(tmpdir(), 'vwv-live-'));
let keepalived: ChildProcess | null = null;
const children = new Set<ChildProcess>();


function cleanup(): void {
  for (const c of children) if (c.exitCode === null && c.pid !== undefined) { try { process.kill(c.pid, 'SIGKILL'); } catch { /* gone */ } }
  if (keepalived?.pid !== undefined && keepalived.exitCode === null) { try { process.kill(keepalived.pid, 'SIGTERM'); } catch { /* gone */ } }
  // keepalived's VRRP child lives in NS_A: its pid file, then the namespace
  for (const f of ['ka-vrrp.pid']) {
    try { const pid = Number(spawnSync('cat', [join(dir, f)], { encoding: 'utf8' }).stdout.trim()); if (pid > 0) process.kill(pid, 'SIGTERM'); } catch { /* gone */ }
  }
  for (const ns of [NS_A, NS_B]) spawnSync('ip', ['netns', 'del', ns], { stdio: 'ignore' });
  rmSync(dir, { recursive: true, force: true });
}
process.on('exit', cleanup);
for (const s of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(s, () => { cleanup(); process.exit(130); });

let macA = '';

before(async () => {
  if (skipWhy !== false) return;
  sh(['ip', 'netns', 'add', NS_A]);
  sh(['ip', 'netns', 'add', NS_B]);
  sh(['ip', '-n', NS_A, 'link', 'add', 'vwv-a0', 'type', 'veth', 'peer', 'name', 'vwv-b0', 'netns', NS_B]);
  sh(['ip', '-n', NS_A, 'addr', 'add', '10.77.0.1/24', 'dev', 'vwv-a0']);
  sh(['ip', '-n', NS_B, 'addr', 'add', '10.77.0.2/24', 'dev', 'vwv-b0']);
  for (const [ns, dev] of [[NS_A, 'vwv-a0'], [NS_B, 'vwv-b0'], [NS_A, 'lo'], [NS_B, 'lo']] as const) sh(['ip', '-n', ns, 'link', 'set', dev, 'up']);
  macA = sh(['cat', '/sys/class/net/vwv-a0/address'], NS_A).trim().replace(/:/g, '');
  writeFileSync(join(dir, 'ka.conf'), [
    'global_defs {', '  router_id vwv_live_test', '  vrrp_version 3', '}',
    'vrrp_instance VI_1 {', '  state MASTER', '  interface vwv-a0', '  virtual_router_id 51', '  priority 150',
    '  advert_int 0.1', '  virtual_ipaddress {', '    10.77.0.100/24', '  }', '}', ''].join('\n'));
  keepalived = spawn('ip', ['netns', 'exec', NS_A, 'keepalived', '-n', '-l', '-D', '-f', join(dir, 'ka.conf'),
    '-p', join(dir, 'ka.pid'), '-r', join(dir, 'ka-vrrp.pid'), '--vrrp'], { stdio: 'ignore' });
  // master after ~0.3 s: it then holds the virtual address and sends adverts every 100 ms
  await waitUntil('keepalived to become master (10.77.0.100 on vwv-a0)',
    () => sh(['ip', '-n', NS_A, '-4', 'addr', 'show', 'dev', 'vwv-a0']).includes('10.77.0.100/'), 15_000);
});

after(() => {
  if (keepalived?.pid !== undefined && keepalived.exitCode === null) process.kill(keepalived.pid, 'SIGTERM');
  keepalived = null;
  cleanup();
});

interface Frame { hex: string; ts: number; tsSec: number; tsNsec: number; wall: number; caplen: number; origlen: number }
interface Done { why: string; frames: Frame[]; batches: number; stats: { received: number; dropped: number; ifDropped: number };
  statsAfterClose: { received: number; dropped: number }; closed: boolean }
interface Run { ready?: { linktype: number; nano: boolean; snaplen: number; filter: string; uid: number };
  done?: Done; error?: { name: string; kind: string; message: string }; code: number | null; selfExit: boolean;
  uncaught?: string; framesAtThrow?: number; progress?: { frames: number; macs: Record<string, number> } }

/** What the capture child has delivered so far, for `during` to wait on instead of sleeping. */
interface Progress {
  frames(): number;
  /** frames from this source MAC (12 hex digits); MAC:vrrp4 counts its untagged IPv4 VRRP frames */
  from(mac: string): number;
  /** the child has finished by itself (-c reached, an error) */
  finished(): boolean;
  /** resolves once `cond()` holds, or after `ms` (then the test's own assertions say what was missing) */
  until(cond: () => boolean, ms?: number): Promise<void>;
}

/** Starts the capture child in `ns`; `during` runs once it is ready; then "stop" and wait for it to exit alone. */
async function capture(opts: object, during: (p: Progress) => Promise<void> = async () => {}, ns = NS_B,
  prefix: string[] = [], env: NodeJS.ProcessEnv = process.env): Promise<Run> {
  const cmd = ns !== '' ? ['ip', 'netns', 'exec', ns, ...prefix] : prefix;
  const argv = [...cmd, process.execPath, '--import', 'tsx', CHILD, JSON.stringify(opts)];
  const p = spawn(argv[0]!, argv.slice(1), { stdio: ['pipe', 'pipe', 'pipe'], env });
  children.add(p);
  const run: Run = { code: null, selfExit: true };
  // A child that ends by itself (-c N, an error) may be gone by the time "stop" is written: that
  // closed pipe (EPIPE) is expected; any other error on the pipe fails the test below.
  let stdinError: Error | undefined;
  p.stdin!.on('error', (e: NodeJS.ErrnoException) => { if (e.code !== 'EPIPE') stdinError = e; });
  let out = '', err = '';
  p.stderr!.setEncoding('utf8').on('data', (d: string) => { err += d; });
  const exited = new Promise<void>((r) => p.on('exit', (code) => { run.code = code; r(); }));
  await new Promise<void>((ready) => {
    p.stdout!.setEncoding('utf8').on('data', (d: string) => {
      out += d;
      let nl;
      while ((nl = out.indexOf('\n')) >= 0) {
        const line = out.slice(0, nl);
        out = out.slice(nl + 1);
        const m = JSON.parse(line) as Partial<Run>;
        Object.assign(run, m);
        if (m.ready !== undefined || m.error !== undefined) ready();
      }
    });
    void exited.then(() => ready());
  });
  if (run.ready !== undefined) {
    await during({
      frames: () => run.progress?.frames ?? 0,
      from: (mac) => run.progress?.macs[mac] ?? 0,
      finished: () => run.done !== undefined || p.exitCode !== null,
      until: async (cond, ms = 15_000) => {
        const end = Date.now() + ms;
        while (!cond() && Date.now() < end && p.exitCode === null) await new Promise((r) => setTimeout(r, 20));
      },
    });
    if (p.exitCode === null && run.done === undefined) p.stdin!.write('stop\n');
  }
  // The child must exit by itself once the capture is closed: close() releases the event loop.
  const t = setTimeout(() => { run.selfExit = false; p.kill('SIGKILL'); }, 5000);
  await exited;
  clearTimeout(t);
  children.delete(p);
  if (stdinError !== undefined) throw stdinError;
  if (run.done === undefined && run.error === undefined) throw new Error(`capture child failed (code ${run.code}): ${err}`);
  return run;
}

/** The interface's promiscuity counter (libpcap's PACKET_MR_PROMISC membership raises it). */
function promiscuityOf(dev: string): number {
  const m = /promiscuity (\d+)/.exec(sh(['ip', '-d', '-n', NS_B, 'link', 'show', dev]));
  return m ? Number(m[1]) : -1;
}


/** What a captured frame is, after any in-band 802.1Q/802.1ad tags. */
function classify(hex: string): string {
  const b = Buffer.from(hex, 'hex');
  let p = 12;
  let et = b.readUInt16BE(p);
  while (et === 0x8100 || et === 0x88a8) { p += 4; et = b.readUInt16BE(p); }
  const ip = p + 2;
  if (et === 0x0806) return 'arp';
  if (et === 0x86dd) {
    if (b[ip + 6] === 112) return 'vrrp6';
    // ICMPv6 right after the IPv6 header: neighbour solicitation / advertisement (who holds an address)
    if (b[ip + 6] === 58 && (b[ip + 40] === 135 || b[ip + 40] === 136)) return 'nd';
    return b[ip + 6] === 58 ? `icmp6-type-${b[ip + 40]}` : `ip6-${b[ip + 6]}`;
  }
  if (et !== 0x0800) return `ether-${et.toString(16)}`;
  const proto = b[ip + 9]!;
  if (proto === 112) return 'vrrp4';
  const l4 = ip + (b[ip]! & 0x0f) * 4;
  if (proto === 1 && b[l4] === 3 && b[l4 + 8 + 9] === 112) return 'icmp-unreach-vrrp';
  return `ip-${proto}`;
}

const Q = { tpid: 0x8100, vid: 10 };
const QINQ = [{ tpid: 0x88a8, vid: 100 }, { tpid: 0x8100, vid: 10 }];
/** [frame, must pass the default filter] */
const MIX: Array<[Uint8Array, boolean]> = [
  [F.vrrp2(), true], [F.vrrp3v6(), true], [F.icmpEcho(), false], [F.icmpUnreachVrrp(), true], [F.icmpUnreachUdp(), false],
  [F.garp(), true], [F.udp(), false], [F.icmp6(136), true], [F.icmp6(133), false],
  [F.vrrp2({ vrid: 2, vlans: [Q] }), true], [F.icmpEcho({ vlans: [Q] }), false], [F.vrrp3v6({ vrid: 2, vlans: [Q] }), true],
  [F.udp({ vlans: [Q] }), false], [F.icmpUnreachVrrp({ vlans: [Q] }), true],
  [F.vrrp2({ vrid: 3, vlans: QINQ }), true], [F.udp({ vlans: QINQ }), false], [F.icmpUnreachVrrp({ vlans: QINQ }), true],
  [F.garp({ vlans: QINQ }), true], [F.vrrp3v6({ vrid: 3, vlans: QINQ }), true], [F.icmpEcho({ vlans: QINQ }), false],
  // the last frame, which must pass: once it is delivered, every frame before it has been (the test waits for it)
  [F.vrrp2({ vrid: 4 }), true],
];
const LAST_MAC = '00005e000104';
const SYNTH_MACS = ['00005e000101', '00005e000102', '00005e000103', LAST_MAC, '00005e000201', '020000000001', '020000000002'];

test('real keepalived adverts arrive with kernel timestamps; default filter keeps VRRP + evidence only (also VLAN/QinQ); stats; -w; -Z; close() lets the process exit',
  { skip: skipWhy }, async (t) => {
    const mixPath = join(dir, 'mix.pcap');
    F.writePcap(mixPath, MIX.map(([f]) => f));
    const wpath = join(dir, 'live-w.pcap');
    let promiscuity = -1;
    const run = await capture({ iface: 'vwv-b0', write: wpath, dropTo: 'nobody' }, async (p) => {
      promiscuity = promiscuityOf('vwv-b0');
      await p.until(() => p.from(`${macA}:vrrp4`) >= 1);   // the capture hears keepalived
      // kernel-generated non-VRRP traffic: UDP datagrams (and the ARP they need)
      for (let i = 0; i < 5; i++) sh(['bash', '-c', 'echo hello > /dev/udp/10.77.0.2/9'], NS_A);
      sh(['tcpreplay', '-q', '-i', 'vwv-a0', mixPath], NS_A);
      // the mix's last frame, and enough adverts to measure their spacing
      await p.until(() => p.from(LAST_MAC) >= 1 && p.from(`${macA}:vrrp4`) >= 10);
    });
    assert.equal(run.error, undefined, JSON.stringify(run.error));
    assert.ok(run.selfExit, 'child did not exit by itself after close()');
    assert.equal(run.code, 0);
    const r = run.ready!;
    assert.equal(r.linktype, 1);
    assert.equal(r.nano, true, 'nanosecond timestamps expected on Linux');
    assert.equal(r.uid, 65534, '-Z nobody did not drop privileges');
    assert.equal(promiscuity, 1, 'promiscuous mode requested but not set');
    assert.equal(promiscuityOf('vwv-b0'), 0, 'promiscuous mode not released by close()');
    const d = run.done!;
    const frames = d.frames;

    // 1. keepalived's adverts (VRRPv3, every 100 ms) arrive after the privileges were dropped
    const adverts = frames.filter((f) => f.hex.slice(12, 24) === macA && classify(f.hex) === 'vrrp4');
    assert.ok(adverts.length >= 10, `only ${adverts.length} keepalived adverts`);
    assert.ok(adverts.every((f) => f.hex.slice(28, 30) === '45' && f.hex.slice(68, 70) === '31'), 'VRRPv3 over IPv4');

    // 2. kernel timestamps: never decreasing, and within 100 ms of the wall clock at delivery (not after it)
    for (let i = 1; i < frames.length; i++) {
      const a = frames[i - 1]!, b = frames[i]!;
      assert.ok(b.tsSec > a.tsSec || (b.tsSec === a.tsSec && b.tsNsec >= a.tsNsec), `timestamps go back at frame ${i}`);
    }
    const lagsI = frames.map((f) => f.wall - f.ts);
    t.diagnostic(`immediate mode delivery lag: max ${Math.max(...lagsI).toFixed(1)} ms, mean ${(lagsI.reduce((a, b) => a + b, 0) / lagsI.length).toFixed(1)} ms`);
    for (const f of frames) {
      assert.ok(f.tsNsec >= 0 && f.tsNsec < 1e9);
      const lag = f.wall - f.ts;
      assert.ok(lag > -5 && lag < 100, `timestamp ${f.ts} vs delivery ${f.wall}: ${lag} ms`);
    }
    // adverts every ~100 ms by the kernel clock
    const gaps = adverts.slice(1).map((f, i) => f.ts - adverts[i]!.ts);
    const mean = gaps.reduce((x, y) => x + y, 0) / gaps.length;
    assert.ok(mean > 80 && mean < 130, `mean advert gap ${mean} ms`);

    // 3. the filter: nothing but VRRP, ICMP errors quoting VRRP, ARP and IPv6 neighbour discovery (NS/NA)
    const kinds = new Set(frames.map((f) => classify(f.hex)));
    for (const k of kinds) assert.ok(['vrrp4', 'vrrp6', 'icmp-unreach-vrrp', 'arp', 'nd'].includes(k), `unexpected ${k} passed the filter`);
    // the replayed mix: exactly the frames that must pass, byte for byte (tags re-inserted as sent)
    const synth = frames.filter((f) => SYNTH_MACS.includes(f.hex.slice(12, 24)));
    const want = MIX.filter(([, pass]) => pass).map(([f]) => Buffer.from(f).toString('hex'));
    assert.deepEqual(synth.map((f) => f.hex), want);

    // 4. stats: pcap counts what passed the filter, no drops; readable after close
    assert.ok(d.stats.received >= frames.length - 2, `received ${d.stats.received} < ${frames.length}`);
    assert.equal(d.stats.dropped, 0);
    assert.ok(d.statsAfterClose.received >= d.stats.received);
    assert.equal(d.closed, true);
    // one JS call per wakeup, not per packet: a burst of 11 replayed frames cannot take 11+ extra calls
    assert.ok(d.batches <= frames.length, `${d.batches} batches for ${frames.length} frames`);

    // 5. -w: the same frames, same timestamps (ns), read back by tcpdump
    const td = spawnSync('tcpdump', ['--time-stamp-precision=nano', '-tt', '-nn', '-r', wpath], { encoding: 'utf8' });
    assert.equal(td.status, 0, td.stderr);
    const lines = td.stdout.trim().split('\n');
    assert.equal(lines.length, frames.length);
    assert.deepEqual(lines.map((l) => l.split(' ')[0]), frames.map((f) => `${f.tsSec}.${String(f.tsNsec).padStart(9, '0')}`));
  });

// snaplen 512 as the CLI's default: in immediate mode (TPACKET_V2) each ring slot is ~snaplen, see ringSize()
test('batches: a 5000-advert burst at top speed is delivered in far fewer JS calls than packets, none lost', { skip: skipWhy }, async () => {
  const burst = join(dir, 'burst.pcap');
  const n = 5000;
  F.writePcap(burst, Array.from({ length: n }, (_, i) => F.vrrp2({ vrid: 200, id: i & 0xffff })));
  const run = await capture({ iface: 'vwv-b0', snaplen: 512, filter: 'ip proto 112 and ether src 00:00:5e:00:01:c8' }, async (p) => {
    sh(['tcpreplay', '-q', '--topspeed', '-i', 'vwv-a0', burst], NS_A);
    await p.until(() => p.frames() >= n);
  });
  const d = run.done!;
  assert.equal(d.frames.length, n, `got ${d.frames.length} of ${n}`);
  assert.equal(d.stats.dropped, 0);
  assert.ok(d.batches < n / 4, `${d.batches} batches for ${n} frames`);
  // IP ids in order: nothing reordered or duplicated across batch boundaries
  d.frames.forEach((f, i) => assert.equal(parseInt(f.hex.slice(36, 40), 16), i & 0xffff));
});

test('batch buffer smaller than a wakeup: several deliveries per wakeup, in order; close() in the middle stops delivery at once', { skip: skipWhy }, async () => {
  const burst = join(dir, 'burst2.pcap');
  const n = 5000;
  F.writePcap(burst, Array.from({ length: n }, (_, i) => F.vrrp2({ vrid: 201, id: i & 0xffff })));
  const filter = 'ip proto 112 and ether src 00:00:5e:00:01:c9';
  // 8 KiB holds 107 records of 76 bytes: a 5000-frame wakeup must be cut into many batches
  const run = await capture({ iface: 'vwv-b0', snaplen: 512, batchBytes: 8192, filter }, async (p) => {
    sh(['tcpreplay', '-q', '--topspeed', '-i', 'vwv-a0', burst], NS_A);
    await p.until(() => p.frames() >= n);
  });
  const d = run.done!;
  assert.equal(d.frames.length, n);
  assert.ok(d.batches >= Math.ceil(n / 107), `${d.batches} batches`);
  d.frames.forEach((f, i) => assert.equal(parseInt(f.hex.slice(36, 40), 16), i & 0xffff));
  // -c 1234 style: the sink closes the session in the middle of a batch of a multi-batch wakeup
  const run2 = await capture({ iface: 'vwv-b0', snaplen: 512, batchBytes: 8192, filter, maxFrames: 1234 }, async (p) => {
    sh(['tcpreplay', '-q', '--topspeed', '-i', 'vwv-a0', burst], NS_A);
    await p.until(() => p.finished());
  });
  assert.equal(run2.done!.why, 'maxFrames');
  assert.equal(run2.done!.frames.length, 1234);
  assert.ok(run2.selfExit);
  assert.equal(run2.code, 0);
});

test('-i any: Linux cooked capture, default filter without vlan; close() from inside the sink (-c N)', { skip: skipWhy }, async () => {
  const run = await capture({ iface: 'any', maxFrames: 3 }, (p) => p.until(() => p.finished()));
  assert.equal(run.error, undefined, JSON.stringify(run.error));
  assert.ok([113, 276].includes(run.ready!.linktype), `linktype ${run.ready!.linktype}`);
  assert.ok(!run.ready!.filter.includes('vlan'));
  assert.equal(run.done!.why, 'maxFrames');
  assert.equal(run.done!.frames.length, 3);
  assert.ok(run.selfExit, 'child did not exit after close() inside the callback');
});

test('interface removed while capturing: onError gets a typed error, the process still exits by itself', { skip: skipWhy }, async () => {
  sh(['ip', '-n', NS_A, 'link', 'add', 'vwv-c0', 'type', 'veth', 'peer', 'name', 'vwv-d0', 'netns', NS_B]);
  sh(['ip', '-n', NS_A, 'link', 'set', 'vwv-c0', 'up']);
  sh(['ip', '-n', NS_B, 'link', 'set', 'vwv-d0', 'up']);
  const one = join(dir, 'one.pcap');
  F.writePcap(one, [F.vrrp2({ vrid: 9 })]);
  // only VRRP: the default filter also passes the new link's own IPv6 neighbour discovery (DAD)
  const run = await capture({ iface: 'vwv-d0', filter: 'ip proto 112' }, async (p) => {
    sh(['tcpreplay', '-q', '-i', 'vwv-c0', one], NS_A);
    await p.until(() => p.frames() >= 1);
    sh(['ip', '-n', NS_A, 'link', 'del', 'vwv-c0']);     // removes both ends
    await p.until(() => p.finished());
  });
  const d = run.done!;
  assert.equal(d.frames.length, 1, 'the advert before the removal was delivered');
  assert.equal(d.why, 'error');
  assert.equal((d as unknown as { failure: { kind: string } }).failure.kind, 'interface');
  assert.match((d as unknown as { failure: { message: string } }).failure.message, /^capture on vwv-d0 stopped: /);
  assert.ok(run.selfExit);
});

test('buffered mode (immediate off, TPACKET_V3, 10 ms timeout): adverts delivered within ~10 ms, timestamps still the kernel\'s', { skip: skipWhy }, async (t) => {
  let promiscuity = -1;
  // also -p: promiscuous mode off
  const run = await capture({ iface: 'vwv-b0', immediate: false, timeoutMs: 10, filter: 'ip proto 112', promisc: false },
    async (p) => { promiscuity = promiscuityOf('vwv-b0'); await p.until(() => p.from(`${macA}:vrrp4`) >= 10); });
  assert.equal(promiscuity, 0, '-p: the interface went promiscuous');
  const adverts = run.done!.frames.filter((f) => f.hex.slice(12, 24) === macA);
  assert.ok(adverts.length >= 8, `${adverts.length} adverts`);
  const lags = adverts.map((f) => f.wall - f.ts);
  t.diagnostic(`buffered mode delivery lag: max ${Math.max(...lags).toFixed(1)} ms, mean ${(lags.reduce((a, b) => a + b, 0) / lags.length).toFixed(1)} ms`);
  assert.ok(Math.max(...lags) < 60, `delivery lag up to ${Math.max(...lags)} ms`);
  assert.ok(Math.min(...lags) > -5);
  const gaps = adverts.slice(1).map((f, i) => f.ts - adverts[i]!.ts);
  assert.ok(gaps.every((g) => g > 50 && g < 200), `advert gaps ${gaps.join(',')}`);
});

test('a throwing sink (disk full under -w, a closed pipe): onError gets a typed error with its message, no more frames, the capture closes', { skip: skipWhy }, async () => {
  const burst = join(dir, 'burst3.pcap');
  F.writePcap(burst, Array.from({ length: 300 }, (_, i) => F.vrrp2({ vrid: 202, id: i })));
  const run = await capture({ iface: 'vwv-b0', snaplen: 512, filter: 'ip proto 112 and ether src 00:00:5e:00:01:ca', throwAt: 100 }, async (p) => {
    sh(['tcpreplay', '-q', '--topspeed', '-i', 'vwv-a0', burst], NS_A);
    await p.until(() => p.finished());
  });
  assert.equal(run.uncaught, undefined, 'not an uncaught exception (no stack trace for the user)');
  assert.equal(run.done!.why, 'error');
  assert.equal((run.done as unknown as { failure: { kind: string; message: string } }).failure.kind, 'internal');
  assert.match((run.done as unknown as { failure: { kind: string; message: string } }).failure.message, /^capture on vwv-b0 stopped: sink failed at frame 100$/);
  assert.equal(run.done!.frames.length, 100, 'frames were delivered after the sink threw');
  assert.equal(run.done!.closed, true);
  assert.ok(run.selfExit);
});

test('raw IP interface (tun): the session reports LINKTYPE_RAW (101), not the DLT number, and the default filter compiles', { skip: skipWhy }, async () => {
  sh(['ip', '-n', NS_B, 'tuntap', 'add', 'mode', 'tun', 'dev', 'vwv-tun0']);
  sh(['ip', '-n', NS_B, 'link', 'set', 'vwv-tun0', 'up']);
  const run = await capture({ iface: 'vwv-tun0' });
  assert.equal(run.error, undefined, JSON.stringify(run.error));
  assert.equal(run.ready!.linktype, 101);
  assert.ok(!run.ready!.filter.includes('vlan'));
});

test('unknown interface: typed one-line error listing the real interfaces', { skip: skipWhy }, async () => {
  const run = await capture({ iface: 'vwv-nope0' });
  assert.equal(run.error?.name, 'VrrpwatchError');
  assert.equal(run.error?.kind, 'interface');
  assert.match(run.error!.message, /^no such interface: vwv-nope0 \(interfaces: .*vwv-b0/);
  assert.ok(!run.error!.message.includes('\n'));
});

test('bad filter: typed one-line error with libpcap\'s reason', { skip: skipWhy }, async () => {
  const run = await capture({ iface: 'vwv-b0', filter: 'ip proto 112 and port' });
  assert.equal(run.error?.kind, 'filter');
  assert.match(run.error!.message, /^bad filter expression "ip proto 112 and port": .*syntax error/);
  assert.ok(!run.error!.message.includes('\n'));
});

test('no permission: typed error saying to run as root or setcap the node binary', { skip: skipWhy || (!has('setpriv') ? 'setpriv missing' : false) }, async () => {
  const run = await capture({ iface: 'vwv-b0' }, undefined, NS_B,
    ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups', '--inh-caps=-all', '--bounding-set=-all'],
    { ...process.env, HOME: dir, TSX_TSCONFIG_PATH: resolve('tsconfig.json') });
  assert.equal(run.error?.kind, 'permission', JSON.stringify(run.error));
  assert.match(run.error!.message, /^no permission to capture on vwv-b0: run as root, or grant CAP_NET_RAW and CAP_NET_ADMIN .*setcap cap_net_raw,cap_net_admin=eip/);
});

test('binding unreadable for this user: says so, not "not built"', { skip: process.getuid?.() !== 0 ? 'needs root (to become another user)' : !has('setpriv') ? 'setpriv missing' : false }, () => {
  const locked = mkdtempSync(join(tmpdir(), 'vwv-locked-'));
  try {
    writeFileSync(join(locked, 'vrrpcap.node'), 'not read');
    chmodSync(locked, 0o700);
    const r = spawnSync('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', resolve('bin/vrrpwatch'), '-D'],
      { encoding: 'utf8', env: { ...process.env, VRRPWATCH_BINDING: join(locked, 'vrrpcap.node') } });
    assert.equal(r.status, 1, r.stderr);
    assert.match(r.stderr, /^vrrpwatch: cannot read the libpcap binding at .*vrrpcap\.node as nobody \(permission denied\): make the vrrpwatch folder readable/);
    assert.equal(r.stderr.trim().split('\n').length, 1);
    assert.doesNotMatch(r.stderr, /not built/);
  } finally {
    rmSync(locked, { recursive: true, force: true });
  }
});

test('binding missing: typed error saying how to build it (no root needed)', async () => {
  const run = await capture({ iface: 'lo' }, undefined, '', [], { ...process.env, VRRPWATCH_BINDING: join(dir, 'no-such.node') });
  assert.equal(run.error?.kind, 'binding');
  assert.match(run.error!.message, /^live capture \(-i\) is not built \(.*\); -r and check -r work\. For -i install libpcap-dev and a compiler: apt-get install libpcap-dev g\+\+ make, then node \/\S+\/scripts\/build-native\.mjs$/);
});
