// The -w writer: files read back by tcpdump and tshark with identical counts and timestamps, µs and ns,
// and nothing lost when the process is killed between batches (SIGINT, SIGTERM, SIGHUP).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { PcapWriter } from '../src/capture/pcap-writer.js';
import { vrrp2, vrrp3v6, garp } from './live-frames.js';

const dir = mkdtempSync(join(tmpdir(), 'vwv-writer-'));
process.on('exit', () => rmSync(dir, { recursive: true, force: true }));

function has(cmd: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;
}

/** Deterministic, irregular timestamps (ns) that exercise carries across seconds. */
function stamps(n: number): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  let s = 1_764_000_000, ns = 999_000_123;
  for (let i = 0; i < n; i++) {
    out.push([s, ns]);
    ns += 1_234_567 * (i % 7 + 1) + i;
    while (ns >= 1e9) { ns -= 1e9; s++; }
  }
  return out;
}

function writeSample(path: string, nano: boolean, n: number): Array<[number, number]> {
  const ts = stamps(n);
  const frames = [vrrp2(), vrrp3v6(), garp(), vrrp2({ vrid: 7, vlans: [{ tpid: 0x8100, vid: 10 }] })];
  const w = new PcapWriter(path, { linktype: 1, snaplen: 262144, nano, bufferSize: 4096 }); // small: forces mid-batch flushes
  ts.forEach(([s, ns], i) => {
    const f = frames[i % frames.length]!;
    // deliver from inside a bigger buffer at an offset, as the live session does
    const big = new Uint8Array(f.length + 37);
    big.set(f, 21);
    w.frame(big, 21, f.length, f.length + (i % 3), s, ns, 1);
    if (i % 50 === 49) w.batchEnd();
  });
  w.close();
  assert.equal(w.packets, n);
  return ts;
}

function tcpdumpTimes(path: string, nano: boolean): string[] {
  const args = ['-nn', '-tt', '-r', path];
  if (nano) args.unshift('--time-stamp-precision=nano');
  const r = spawnSync('tcpdump', args, { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout.trim().split('\n').filter((l) => l !== '').map((l) => l.split(' ')[0]!);
}

function tsharkTimes(path: string): string[] {
  const r = spawnSync('tshark', ['-r', path, '-T', 'fields', '-e', 'frame.time_epoch', '-e', 'frame.len', '-e', 'frame.cap_len'],
    { encoding: 'utf8', env: { ...process.env, HOME: dir } });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout.trim().split('\n').filter((l) => l !== '');
}

for (const nano of [false, true]) {
  test(`written ${nano ? 'ns' : 'µs'} pcap reads back identically in tcpdump and tshark`, { skip: !has('tcpdump') || !has('tshark') ? 'tcpdump/tshark missing' : false }, () => {
    const path = join(dir, `w-${nano ? 'ns' : 'us'}.pcap`);
    const n = 1000;
    const ts = writeSample(path, nano, n);
    const magic = readFileSync(path).readUInt32LE(0);
    assert.equal(magic, nano ? 0xa1b23c4d : 0xa1b2c3d4);
    const expect = ts.map(([s, ns]) => nano ? `${s}.${String(ns).padStart(9, '0')}` : `${s}.${String(Math.floor(ns / 1000)).padStart(6, '0')}`);
    const td = tcpdumpTimes(path, nano);
    assert.equal(td.length, n);
    assert.deepEqual(td, expect);
    const ts2 = tsharkTimes(path);
    assert.equal(ts2.length, n);
    const tsharkEpoch = ts2.map((l) => l.split('\t')[0]!);
    const want = ts.map(([s, ns]) => `${s}.${String(nano ? ns : Math.floor(ns / 1000) * 1000).padStart(9, '0')}`);
    assert.deepEqual(tsharkEpoch, want);
    // origlen kept apart from caplen
    const lens = ts2.map((l) => l.split('\t').slice(1).map(Number));
    lens.forEach(([len, cap], i) => assert.equal(len! - cap!, i % 3));
  });
}

test('a frame larger than the writer buffer is written whole', () => {
  const path = join(dir, 'big.pcap');
  const w = new PcapWriter(path, { linktype: 1, snaplen: 262144, nano: false, bufferSize: 1 });  // min 64 KiB
  const big = new Uint8Array(100_000).map((_, i) => i & 0xff);
  w.frame(big, 0, big.length, big.length, 1, 2000, 1);
  w.frame(vrrp2(), 0, 60, 60, 1, 3000, 1);
  w.close();
  const b = readFileSync(path);
  assert.equal(b.length, 24 + 16 + 100_000 + 16 + 60);
  assert.equal(b.readUInt32LE(24 + 8), 100_000);
  assert.equal(b[24 + 16 + 99_999], 99_999 & 0xff);
});

test('unwritable path is a typed one-line error', () => {
  assert.throws(() => new PcapWriter(join(dir, 'no', 'such', 'dir.pcap'), { linktype: 1, snaplen: 65535, nano: false }),
    (e: Error & { kind?: string }) => e.name === 'VrrpwatchError' && e.kind === 'input' && /ENOENT/.test(e.message) && !e.message.includes('\n'));
});

// A child writes one batch every 10 ms and reports each completed batch; it is killed by a signal (default
// action, no handler): every frame of every reported batch must be in the file.
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  test(`killed by ${sig} between batches: no reported frame lost`, { skip: !has('tcpdump') ? 'tcpdump missing' : false }, async () => {
    const path = join(dir, `sig-${sig}.pcap`);
    const child = join(dir, `child-${sig}.ts`);
    const writerPath = resolve('src/capture/pcap-writer.ts');
    const framesPath = resolve('test/live-frames.ts');
    writeFileSync(child, `
      import { PcapWriter } from ${JSON.stringify(writerPath)};
      import { vrrp2 } from ${JSON.stringify(framesPath)};
      const w = new PcapWriter(${JSON.stringify(path)}, { linktype: 1, snaplen: 65535, nano: true });
      const f = vrrp2();
      let n = 0;
      setInterval(() => {
        for (let i = 0; i < 7; i++) { w.frame(f, 0, f.length, f.length, 1764000000 + n, 0, 1); n++; }
        w.batchEnd();
        process.stdout.write(n + '\\n');
      }, 10);
    `);
    const p = spawn(process.execPath, ['--import', 'tsx', child], { stdio: ['ignore', 'pipe', 'inherit'] });
    let last = 0;
    await new Promise<void>((done) => {
      p.stdout.setEncoding('utf8');
      p.stdout.on('data', (d: string) => {
        const lines = d.trim().split('\n');
        last = Number(lines[lines.length - 1]);
        if (last >= 70 && p.exitCode === null && !p.killed) p.kill(sig);
      });
      p.on('exit', () => done());
    });
    assert.ok(last >= 70, `child reported ${last} frames`);
    const r = spawnSync('tcpdump', ['-nn', '-r', path], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    const got = r.stdout.trim().split('\n').filter((l) => l !== '').length;
    assert.ok(got >= last, `file has ${got} frames, child had reported ${last}`);
    assert.equal(got % 7, 0, 'only whole batches');
    assert.ok(!/truncated|cut short/i.test(r.stderr), r.stderr);
  });
}
