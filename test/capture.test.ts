// Capture reader: the edge captures in pcaps/edge (frame counts, link types, timestamps to the
// nanosecond, problem kinds and offsets), typed errors for non-captures, stdin, and buffer
// refills across many megabytes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { readCaptureFile, tsConvert } from '../src/capture/file.js';
import type { CaptureReadResult } from '../src/capture/types.js';
import { VrrpwatchError } from '../src/errors.js';
import { PacketDecoder } from '../src/decode/decoder.js';
import { Kind } from '../src/decode/packet.js';
import { advertFrame, concat, pcapFile, pcapngFile, u32 } from './support/encode.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const EDGE = path.join(ROOT, 'pcaps/edge');
const T0 = 1767323045;

interface Frame { caplen: number; origlen: number; sec: number; nsec: number; lt: number; kind: number; vrid: number; first: number }

function read(file: string): { res: CaptureReadResult; frames: Frame[] } {
  const d = new PacketDecoder();
  const frames: Frame[] = [];
  const res = readCaptureFile(file, {
    frame(b, o, c, ol, s, ns, lt) {
      const k = d.decode(b, o, c, ol, s, ns, lt);
      frames.push({ caplen: c, origlen: ol, sec: s, nsec: ns, lt, kind: k, vrid: d.rec.vrid, first: b[o] });
    },
  });
  return { res, frames };
}

function tmpdir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'vwd-capture-'));
}

test('classic pcap, little and big endian, microseconds: same frames, same times', () => {
  const le = read(path.join(EDGE, 'v2-le-usec.pcap'));
  const be = read(path.join(EDGE, 'v2-be-usec.pcap'));
  for (const x of [le, be]) {
    assert.equal(x.res.format, 'pcap');
    assert.equal(x.res.frames, 6);
    assert.equal(x.res.problem, null);
    assert.deepEqual(x.res.linktypes, [1]);
    assert.equal(x.res.bytesRead, x.res.fileSize);
    assert.deepEqual(x.frames.map((f) => f.kind), [Kind.Advert, Kind.Other, Kind.Advert, Kind.Arp, Kind.Advert, Kind.Advert]);
    assert.deepEqual([x.frames[0].sec, x.frames[0].nsec], [T0, 123456000]);
    assert.deepEqual([x.frames[5].sec, x.frames[5].nsec], [T0 + 5, 123456000]);
  }
  assert.deepEqual(le.frames, be.frames);
});

test('nanosecond pcap keeps every nanosecond', () => {
  const { res, frames } = read(path.join(EDGE, 'v3-ipv4-nsec.pcap'));
  assert.equal(res.frames, 3);
  // start T0 + 1 ns, step 0.987654321 s
  assert.deepEqual(frames.map((f) => [f.sec, f.nsec]), [[T0, 1], [T0, 987654322], [T0 + 1, 975308643]]);
});

test('pcapng: two sections (LE, BE), three interfaces, tsresol 10^-9 / 2^-20 / default, tsoffset, EPB/SPB/OPB, skipped blocks', () => {
  const { res, frames } = read(path.join(EDGE, 'multi-section.pcapng'));
  assert.equal(res.format, 'pcapng');
  assert.equal(res.problem, null);
  assert.equal(res.frames, 6);
  assert.deepEqual(res.linktypes, [1, 101, 113]);
  assert.deepEqual(frames.map((f) => f.lt), [1, 101, 1, 113, 113, 113]);
  assert.deepEqual(frames.map((f) => [f.sec, f.nsec]), [
    [T0, 5],                // 10^-9 units
    [T0, 500000000],        // 2^-20 units, if_tsoffset 100 s added
    [T0 + 1, 999999999],
    [T0 + 2, 250000000],    // default 10^-6, big-endian section
    [T0 + 2, 250000000],    // SPB: no timestamp, the previous packet's is used
    [T0 + 3, 0],            // OPB
  ]);
  assert.deepEqual(frames.map((f) => f.kind), [Kind.Advert, Kind.Advert, Kind.Other, Kind.Advert, Kind.Advert, Kind.Advert]);
  assert.equal(res.bytesRead, res.fileSize);
});

test('every link type capture reads cleanly and decodes its adverts', () => {
  for (const [name, lt, n] of [['sll.pcap', 113, 3], ['sll2.pcap', 276, 2], ['raw.pcap', 101, 2], ['null-le.pcap', 0, 2], ['null-be.pcap', 0, 2], ['loop.pcap', 108, 2], ['vlan-qinq.pcap', 1, 3], ['v3-ipv6-ext.pcap', 1, 3]] as const) {
    const { res, frames } = read(path.join(EDGE, name));
    assert.equal(res.problem, null, name);
    assert.deepEqual(res.linktypes, [lt], name);
    assert.equal(res.frames, n, name);
    assert.ok(frames.filter((f) => f.kind === Kind.Advert).length >= 2, name);
  }
});

test('truncated last record: problem with the record offset, everything before delivered', () => {
  const { res, frames } = read(path.join(EDGE, 'truncated-last.pcap'));
  assert.equal(res.frames, 2);
  assert.equal(frames.length, 2);
  assert.equal(res.problem?.kind, 'truncated');
  const flen = frames[0].caplen;
  assert.equal(res.problem?.offset, 24 + 2 * (16 + flen));
  assert.equal(res.bytesRead, res.problem?.offset);
  assert.match(res.problem!.message, /truncated/);
});

test('corrupt record length: corrupt at that record', () => {
  const { res } = read(path.join(EDGE, 'corrupt-length.pcap'));
  assert.equal(res.frames, 2);
  assert.equal(res.problem?.kind, 'corrupt');
  assert.equal(res.problem?.offset, 24 + 2 * (16 + 60));
  assert.match(res.problem!.message, /256 KiB/);
});

test('pcapng: block length not a multiple of 4 is corrupt; a cut block is truncated', () => {
  const c = read(path.join(EDGE, 'corrupt-block.pcapng'));
  assert.equal(c.res.frames, 2);
  assert.equal(c.res.problem?.kind, 'corrupt');
  const epb = 32 + 60;
  assert.equal(c.res.problem?.offset, 28 + 20 + 2 * epb);
  const t = read(path.join(EDGE, 'truncated-last.pcapng'));
  assert.equal(t.res.frames, 2);
  assert.equal(t.res.problem?.kind, 'truncated');
  assert.equal(t.res.problem?.offset, 28 + 20 + 2 * epb);
});

test('caplen above the snaplen: libpcap-style, the first snaplen bytes are delivered', () => {
  const f = advertFrame();
  const dir = tmpdir();
  const p = path.join(dir, 'x.pcap');
  fs.writeFileSync(p, pcapFile([{ sec: 1, nsec: 0, data: f }, { sec: 2, nsec: 0, data: f }], { snaplen: 40 }));
  const { res, frames } = read(p);
  assert.equal(res.problem, null);
  assert.equal(res.frames, 2);
  assert.deepEqual(frames.map((x) => x.caplen), [40, 40]);
  assert.deepEqual(frames.map((x) => x.sec), [1, 2]);
  fs.rmSync(dir, { recursive: true });
});

test('not a capture, empty, missing, directory, compressed: one-line VrrpwatchError(input)', () => {
  const dir = tmpdir();
  fs.writeFileSync(path.join(dir, 'empty.pcap'), '');
  fs.writeFileSync(path.join(dir, 'gz.pcap'), new Uint8Array([0x1f, 0x8b, 8, 0, 0, 0, 0, 0]));
  fs.writeFileSync(path.join(dir, 'xz.pcap'), new Uint8Array([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0, 0, 4]));
  fs.writeFileSync(path.join(dir, 'zst.pcap'), new Uint8Array([0x28, 0xb5, 0x2f, 0xfd, 0x24, 0, 0, 0]));
  fs.writeFileSync(path.join(dir, 'bz2.pcap'), new Uint8Array([0x42, 0x5a, 0x68, 0x39, 0x31, 0x41, 0x59, 0x26]));
  fs.writeFileSync(path.join(dir, 'short.pcap'), new Uint8Array([0xd4, 0xc3, 0xb2, 0xa1, 2, 0]));
  const cases: [string, RegExp][] = [
    [path.join(EDGE, 'not-a-capture.pcap'), /not a pcap or pcapng capture/],
    [path.join(dir, 'empty.pcap'), /empty file/],
    [path.join(dir, 'missing.pcap'), /no such file/],
    [dir, /directory/],
    [path.join(dir, 'gz.pcap'), /gzip-compressed; decompress it first \(zcat FILE \| vrrpwatch -r -\)/],
    [path.join(dir, 'xz.pcap'), /xz-compressed; decompress it first \(xzcat FILE/],
    [path.join(dir, 'zst.pcap'), /zstd-compressed; decompress it first \(zstdcat FILE/],
    [path.join(dir, 'bz2.pcap'), /bzip2-compressed; decompress it first \(bzcat FILE/],
    [path.join(dir, 'short.pcap'), /truncated pcap file header/],
  ];
  for (const [file, re] of cases) {
    assert.throws(() => readCaptureFile(file, { frame() { /* none */ } }), (e: unknown) => {
      assert.ok(e instanceof VrrpwatchError, file);
      assert.equal(e.kind, 'input');
      assert.match(e.message, re);
      assert.equal(e.message.includes('\n'), false);
      return true;
    });
  }
  fs.rmSync(dir, { recursive: true });
});

test('"-" reads stdin (a pipe); fileSize is null', () => {
  const script = `import { readCaptureFile } from ${JSON.stringify(path.join(ROOT, 'src/capture/file.ts'))};
    let n = 0; const r = readCaptureFile('-', { frame() { n++; } });
    console.log(JSON.stringify({ n, frames: r.frames, size: r.fileSize, bytes: r.bytesRead }));`;
  const input = fs.readFileSync(path.join(EDGE, 'multi-section.pcapng'));
  const out = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { input, encoding: 'utf8', cwd: ROOT });
  assert.equal(out.status, 0, out.stderr);
  assert.deepEqual(JSON.parse(out.stdout), { n: 6, frames: 6, size: null, bytes: input.length });
});

test('many megabytes: every frame delivered intact across buffer refills; huge skipped block', () => {
  const dir = tmpdir();
  // frames of varying size (60..9000 bytes) whose bytes encode their index
  const frames: { sec: number; nsec: number; data: Uint8Array }[] = [];
  let total = 0;
  for (let i = 0; total < 5_000_000; i++) {
    const len = 60 + ((i * 7919) % 8941);
    const data = new Uint8Array(len).fill(i & 255);
    data.set(u32(i), 0);
    frames.push({ sec: i, nsec: (i * 1000) % 1_000_000_000, data });
    total += len + 16;
  }
  // one 200 KiB frame in the middle
  frames.splice(100, 0, { sec: 100, nsec: 0, data: concat(u32(0xbeef), new Uint8Array(200 * 1024)) });
  const p = path.join(dir, 'big.pcap');
  fs.writeFileSync(p, pcapFile(frames));
  let n = 0;
  let ok = true;
  const res = readCaptureFile(p, {
    frame(b, o, c) {
      const want = frames[n++].data;
      if (c !== want.length || b[o] !== want[0] || b[o + 3] !== want[3] || b[o + c - 1] !== want[c - 1]) ok = false;
    },
  });
  assert.equal(res.problem, null);
  assert.equal(n, frames.length);
  assert.ok(ok, 'frame bytes intact');
  assert.equal(res.bytesRead, fs.statSync(p).size);
  // pcapng with a 3 MiB unknown block between packets
  const ng = pcapngFile([{ interfaces: [{ linktype: 1 }], extraBlocks: [{ type: 0x99, body: new Uint8Array(3 << 20) }], packets: [{ iface: 0, ts: 5n, data: advertFrame() }] }]);
  const q = path.join(dir, 'big.pcapng');
  fs.writeFileSync(q, ng);
  const r2 = read(q);
  assert.equal(r2.res.problem, null);
  assert.equal(r2.res.frames, 1);
  assert.equal(r2.frames[0].kind, Kind.Advert);
  fs.rmSync(dir, { recursive: true });
});

test('tsConvert: powers of 10 and 2, offsets, sub-nanosecond resolutions', () => {
  const out = { sec: 0, nsec: 0 };
  const cv = (hi: number, lo: number, pow10: number, pow2: number, offsetSec = 0): [number, number] => {
    tsConvert(hi, lo, { linktype: 1, snaplen: 0, pow10, pow2, offsetSec }, out);
    return [out.sec, out.nsec];
  };
  const split = (v: bigint): [number, number] => [Number(v >> 32n), Number(v & 0xffffffffn)];
  const ns = 1767323045_123456789n;
  assert.deepEqual(cv(...split(ns), 9, -1), [1767323045, 123456789]);
  assert.deepEqual(cv(...split(ns / 1000n), 6, -1), [1767323045, 123456000]);
  assert.deepEqual(cv(...split(ns / 1_000_000n), 3, -1), [1767323045, 123000000]);
  assert.deepEqual(cv(...split(1767323045n), 0, -1), [1767323045, 0]);
  assert.deepEqual(cv(...split(ns * 1000n), 12, -1), [1767323045, 123456789]);
  assert.deepEqual(cv(...split((1767323045n << 20n) | (1n << 19n)), -1, 20), [1767323045, 500000000]);
  assert.deepEqual(cv(...split((1767323045n << 32n) | (1n << 30n)), -1, 32), [1767323045, 250000000]);
  assert.deepEqual(cv(...split((5n << 40n) | (1n << 39n)), -1, 40), [5, 500000000]);
  assert.deepEqual(cv(...split(1000000n), 6, -1, -3600), [-3599, 0]);
});

test('old "modified" pcap (magic a1b2cd34, 24-byte record headers) reads', () => {
  const f = advertFrame({ vrid: 33 });
  const le32 = (n: number): number[] => [n & 255, (n >>> 8) & 255, (n >>> 16) & 255, (n >>> 24) & 255];
  const rec = (sec: number): Uint8Array => concat(le32(sec), le32(5), le32(f.length), le32(f.length), le32(2), [0, 8, 0, 0], f);
  const file = concat(le32(0xa1b2cd34), [2, 0, 4, 0], le32(0), le32(0), le32(65535), le32(1), rec(10), rec(11));
  const dir = tmpdir();
  const p = path.join(dir, 'm.pcap');
  fs.writeFileSync(p, file);
  const { res, frames } = read(p);
  assert.equal(res.problem, null);
  assert.deepEqual(frames.map((x) => [x.sec, x.nsec, x.kind, x.vrid]), [[10, 5000, Kind.Advert, 33], [11, 5000, Kind.Advert, 33]]);
  fs.rmSync(dir, { recursive: true });
});

test('pcapng corruptions: undeclared interface, caplen beyond the block, length mismatch, bad byte-order magic', () => {
  const dir = tmpdir();
  const p = path.join(dir, 'c.pcapng');
  const good = pcapngFile([{ interfaces: [{ linktype: 1 }], packets: [{ iface: 0, ts: 1n, data: advertFrame({}, {}, { pad: true }) }, { iface: 0, ts: 2n, data: advertFrame({}, {}, { pad: true }) }] }]);
  const second = 28 + 20 + 32 + 60;
  const mutate = (fn: (dv: DataView) => void): CaptureReadResult => {
    const b = good.slice();
    fn(new DataView(b.buffer));
    fs.writeFileSync(p, b);
    return read(p).res;
  };
  const a = mutate((dv) => dv.setUint32(second + 8, 3, true));
  assert.deepEqual([a.frames, a.problem?.kind, a.problem?.offset], [1, 'corrupt', second]);
  assert.match(a.problem!.message, /interface 3/);
  const b = mutate((dv) => dv.setUint32(second + 20, 5000, true));
  assert.deepEqual([b.frames, b.problem?.kind, b.problem?.offset], [1, 'corrupt', second]);
  const c = mutate((dv) => dv.setUint32(second + 32 + 60 - 4, 8, true));
  assert.deepEqual([c.frames, c.problem?.kind, c.problem?.offset], [1, 'corrupt', second]);
  const d = good.slice();
  d[8] = 0x11;
  fs.writeFileSync(p, d);
  assert.throws(() => readCaptureFile(p, { frame() { /* none */ } }), (e: unknown) => e instanceof VrrpwatchError && e.kind === 'input' && /byte-order/.test(e.message));
  fs.rmSync(dir, { recursive: true });
});

test('tsConvert agrees with exact BigInt arithmetic on random 64-bit timestamps', () => {
  const out = { sec: 0, nsec: 0 };
  let s = 12345;
  const r32 = (): number => { s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0; return s; };
  for (let i = 0; i < 20000; i++) {
    const hi = i % 2 ? r32() & 0x1fffff : r32();
    const lo = r32();
    const ts = (BigInt(hi) << 32n) | BigInt(lo);
    const pow10 = i % 10;
    const d = 10n ** BigInt(pow10);
    tsConvert(hi, lo, { linktype: 1, snaplen: 0, pow10, pow2: -1, offsetSec: 0 }, out);
    // seconds beyond 2^53 cannot be a JS number (and no capture has them)
    if (ts / d < 2n ** 53n) assert.equal(BigInt(out.sec), ts / d, `sec of ${ts} / 10^${pow10}`);
    assert.equal(BigInt(out.nsec), (ts % d) * 10n ** BigInt(9 - pow10), `nsec of ${ts} / 10^${pow10}`);
    if (hi < 0x200000) {
      const n = 1 + (i % 32);
      tsConvert(hi, lo, { linktype: 1, snaplen: 0, pow10: -1, pow2: n, offsetSec: 0 }, out);
      assert.equal(BigInt(out.sec), ts >> BigInt(n), `sec of ${ts} / 2^${n}`);
      const exact = ((ts & ((1n << BigInt(n)) - 1n)) * 1000000000n) >> BigInt(n);
      assert.ok(Math.abs(out.nsec - Number(exact)) <= 1, `nsec of ${ts} / 2^${n}: ${out.nsec} vs ${exact}`);
    }
  }
});
