// Random, mutated and truncated input through decode() for every link type and through
// readCaptureFile(): nothing may throw (the reader only its typed 'input' error for non-captures),
// and what is reported must stay self-consistent. Deterministic (seeded) so failures reproduce.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { readCaptureFile } from '../src/capture/file.js';
import { VrrpwatchError } from '../src/errors.js';
import { PacketDecoder } from '../src/decode/decoder.js';
import { Kind } from '../src/decode/packet.js';
import { advertFrame, arpPacket, concat, icmpError, linkFrame, LINKTYPE, vrrpIp, type LinkKind } from './support/encode.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** xorshift32, seeded */
function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => { s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0; return s; };
}

const LINKTYPES = [0, 1, 12, 14, 101, 107, 108, 113, 228, 229, 276, 105, 9999];

function check(d: PacketDecoder, buf: Uint8Array, off: number, cap: number, lt: number): void {
  const k = d.decode(buf, off, cap, cap, 0, 0, lt);
  const r = d.rec;
  assert.ok(k >= Kind.Other && k <= Kind.UnsupportedLink);
  assert.equal(r.kind, k);
  // text on demand must not throw either
  r.srcText(); r.dstText(); r.macText(); r.authText();
  if (k === Kind.Advert) {
    assert.equal(r.addresses().length, r.count);
    assert.ok(r.version === 2 || r.version === 3);
    assert.ok(r.vrrpLength >= 8);
  }
}

function seeds(): Uint8Array[] {
  const out: Uint8Array[] = [];
  const links: LinkKind[] = ['ether', 'sll', 'sll2', 'raw', 'null-le', 'null-be', 'loop'];
  for (const link of links) {
    out.push(advertFrame({ version: 2, authType: 1, auth: 'abc', addresses: ['10.0.0.1', '10.0.0.2'] }, {}, { link, vlans: link === 'ether' ? [[0x8100, 5]] : [] }));
    out.push(advertFrame({ version: 3, addresses: ['fe80::1', '2001:db8::1'] }, { family: 6, ext: [{ type: 0 }] }, { link }));
    out.push(linkFrame(0x0800, icmpError(4, 13, vrrpIp({}, { dst: '10.0.0.2' }), {}), { link }));
    out.push(linkFrame(0x86dd, icmpError(6, 1, vrrpIp({ version: 3 }, { family: 6, dst: '2001:db8::2' }), {}), { link }));
  }
  out.push(linkFrame(0x0806, arpPacket(1, '02:00:00:00:00:01', '10.0.0.1', '00:00:00:00:00:00', '10.0.0.2')));
  out.push(new Uint8Array([0x80, 0xea, 0x9d, 0x08, 0x00, ...vrrpIp({})])); // Frame Relay, Cisco style
  out.push(new Uint8Array([0x80, 0xeb, 0x03, 0xcc, ...vrrpIp({})])); // Frame Relay, NLPID IPv4
  return out;
}

test('decode: every truncation of every seed frame, for every link type', () => {
  const d = new PacketDecoder();
  let n = 0;
  for (const f of seeds()) {
    for (const lt of LINKTYPES) {
      for (let cap = 0; cap <= f.length; cap++) { check(d, f, 0, cap, lt); n++; }
    }
  }
  assert.ok(n > 10000, `${n} decodes`);
});

test('decode: byte-level mutations of valid frames', () => {
  const d = new PacketDecoder();
  const rnd = rng(0x5eed);
  const all = seeds();
  let adverts = 0;
  for (let i = 0; i < 60000; i++) {
    const src = all[i % all.length];
    const f = src.slice();
    const flips = 1 + (rnd() % 4);
    for (let j = 0; j < flips; j++) f[rnd() % f.length] = rnd() & 255;
    const lt = i % 3 === 0 ? LINKTYPES[rnd() % LINKTYPES.length] : (src === all[0] ? 1 : LINKTYPES[i % LINKTYPES.length]);
    check(d, f, 0, f.length, lt);
    if (d.rec.kind === Kind.Advert) adverts++;
  }
  assert.ok(adverts > 0, 'some mutations still decode as adverts');
});

test('decode: random buffers, offsets and captured lengths beyond the buffer', () => {
  const d = new PacketDecoder();
  const rnd = rng(42);
  for (let i = 0; i < 40000; i++) {
    const len = rnd() % 160;
    const b = new Uint8Array(len);
    for (let j = 0; j < len; j++) b[j] = rnd() & 255;
    // bias towards interesting values
    if (len > 23 && (i & 1)) { b[12] = 0x08; b[13] = 0x00; b[14] = 0x45; b[23] = 112; }
    const off = len ? rnd() % (len + 2) : 0;
    const cap = rnd() % (len + 40);
    check(d, b, off, cap, LINKTYPES[rnd() % LINKTYPES.length]);
  }
  // nonsense arguments
  const b = new Uint8Array(10);
  check(d, b, -5, 3, 1);
  check(d, b, 100, 3, 1);
  check(d, b, 0, -1, 1);
  check(d, b, NaN, NaN, 1);
});

test('readCaptureFile: truncated, mutated and random files never throw anything but a typed input error', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vwd-fuzz-'));
  const edge = path.join(ROOT, 'pcaps/edge');
  const bases = fs.readdirSync(edge).filter((f) => /\.(pcap|pcapng)$/.test(f)).map((f) => fs.readFileSync(path.join(edge, f)));
  const rnd = rng(7);
  const d = new PacketDecoder();
  const sink = { frame(b: Uint8Array, o: number, c: number, ol: number, s: number, ns: number, lt: number) { d.decode(b, o, c, ol, s, ns, lt); } };
  const file = path.join(dir, 'f');
  let files = 0;
  let problems = 0;
  const run = (data: Uint8Array): void => {
    fs.writeFileSync(file, data);
    files++;
    try {
      const res = readCaptureFile(file, sink);
      assert.ok(res.bytesRead <= data.length);
      if (res.problem) {
        problems++;
        assert.ok(res.problem.offset >= 0 && res.problem.offset <= data.length);
        assert.equal(res.problem.message.includes('\n'), false);
      }
    } catch (e) {
      assert.ok(e instanceof VrrpwatchError, `unexpected ${String(e)}`);
      assert.equal(e.kind, 'input');
    }
  };
  for (const base of bases) {
    // every truncation point of the first 400 bytes, then a stride
    for (let n = 0; n < base.length; n += n < 400 ? 1 : 37) run(base.subarray(0, n));
    for (let i = 0; i < 150; i++) {
      const m = Buffer.from(base);
      const flips = 1 + (rnd() % 6);
      for (let j = 0; j < flips; j++) m[rnd() % m.length] = rnd() & 255;
      run(m);
    }
  }
  const magics = [[0xd4, 0xc3, 0xb2, 0xa1], [0xa1, 0xb2, 0xc3, 0xd4], [0x4d, 0x3c, 0xb2, 0xa1], [0x0a, 0x0d, 0x0d, 0x0a]];
  for (let i = 0; i < 400; i++) {
    const len = rnd() % 600;
    const r = new Uint8Array(len);
    for (let j = 0; j < len; j++) r[j] = rnd() & 255;
    run(concat(magics[i % magics.length], r));
  }
  fs.rmSync(dir, { recursive: true });
  assert.ok(files > 5000, `${files} files`);
  assert.ok(problems > 100, `${problems} reported problems`);
});
