// `vrrpwatch -r FILE --notify CMD` fires the hooks for the events in a capture (issue 5: "for testing
// a hook"). The capture is synthesised here: VRRPv2 adverts from 10.0.0.1 (prio 150) for 20 s and from
// 10.0.0.2 (prio 100) between 5 s and 12 s: one split brain. Skipped without the CLI (merged tree).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const MAIN = join(ROOT, 'src', 'cli', 'main.ts');
const T0 = 1_764_000_000;

function sum16(b: Buffer, off: number, len: number): number {
  let s = 0;
  for (let i = 0; i < len; i += 2) s += (b[off + i] << 8) | (i + 1 < len ? b[off + i + 1] : 0);
  while (s > 0xffff) s = (s & 0xffff) + (s >>> 16);
  return ~s & 0xffff;
}

/** One Ethernet + IPv4 + VRRPv2 advert (simple auth "vwnpass"), checksums right, TTL 255. */
function advert(src: string, vrid: number, prio: number, vip: string): Buffer {
  const vrrpLen = 8 + 4 + 8;
  const f = Buffer.alloc(14 + 20 + vrrpLen);
  Buffer.from([0x01, 0x00, 0x5e, 0x00, 0x00, 0x12, 0x00, 0x00, 0x5e, 0x00, 0x01, vrid]).copy(f, 0);
  f.writeUInt16BE(0x0800, 12);
  const ip = 14;
  f[ip] = 0x45; f[ip + 1] = 0xc0; f.writeUInt16BE(20 + vrrpLen, ip + 2);
  f[ip + 8] = 255; f[ip + 9] = 112;
  src.split('.').forEach((o, i) => { f[ip + 12 + i] = Number(o); });
  [224, 0, 0, 18].forEach((o, i) => { f[ip + 16 + i] = o; });
  f.writeUInt16BE(sum16(f, ip, 20), ip + 10);
  const v = ip + 20;
  f[v] = 0x21; f[v + 1] = vrid; f[v + 2] = prio; f[v + 3] = 1; f[v + 4] = 1; f[v + 5] = 1;
  vip.split('.').forEach((o, i) => { f[v + 8 + i] = Number(o); });
  f.write('vwnpass', v + 12, 'latin1');
  f.writeUInt16BE(sum16(f, v, vrrpLen), v + 6);
  return f;
}

function pcap(frames: Array<{ t: number; data: Buffer }>): Buffer {
  const h = Buffer.alloc(24);
  h.writeUInt32LE(0xa1b2c3d4, 0); h.writeUInt16LE(2, 4); h.writeUInt16LE(4, 6);
  h.writeUInt32LE(65535, 16); h.writeUInt32LE(1, 20);
  const parts: Buffer[] = [h];
  for (const fr of frames.sort((a, b) => a.t - b.t)) {
    const r = Buffer.alloc(16);
    const sec = Math.floor(fr.t);
    r.writeUInt32LE(sec, 0); r.writeUInt32LE(Math.round((fr.t - sec) * 1e6), 4);
    r.writeUInt32LE(fr.data.length, 8); r.writeUInt32LE(fr.data.length, 12);
    parts.push(r, fr.data);
  }
  return Buffer.concat(parts);
}

test('-r FILE --notify: split-brain-start and -end fire once each, with the capture\'s times', { skip: !existsSync(MAIN) && 'needs the CLI (merged tree)', timeout: 60_000 }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'vwn-offline-'));
  try {
    const frames: Array<{ t: number; data: Buffer }> = [];
    for (let i = 0; i <= 20; i++) frames.push({ t: T0 + i, data: advert('10.0.0.1', 51, 150, '10.0.0.100') });
    for (let i = 5; i <= 12; i++) frames.push({ t: T0 + i + 0.3, data: advert('10.0.0.2', 51, 100, '10.0.0.100') });
    writeFileSync(join(dir, 'sb.pcap'), pcap(frames));
    writeFileSync(join(dir, 'run.mjs'), `const m = await import(${JSON.stringify(MAIN)});\nawait m.main(process.argv);\n`);
    const hook = `env | grep '^VRRPWATCH_[A-Z_]*=' > "${dir}/$VRRPWATCH_EVENT.$$.env"; cat > "${dir}/$VRRPWATCH_EVENT.$$.json"`;
    const r = spawnSync(process.execPath, ['--import', 'tsx', join(dir, 'run.mjs'), '-r', join(dir, 'sb.pcap'), '--notify', hook],
      { cwd: ROOT, encoding: 'utf8', timeout: 30_000 });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stderr, '', 'hooks logged failures');
    assert.match(r.stdout, /split brain/i);
    const files = readdirSync(dir);
    const of = (ev: string): string[] => files.filter((f) => f.startsWith(`${ev}.`) && f.endsWith('.json'));
    assert.equal(of('split-brain-start').length, 1, files.join(' '));
    assert.equal(of('split-brain-end').length, 1, files.join(' '));
    assert.equal(of('coalesced').length, 0);
    // One incident, one notification: the split brain's own `finding` event runs no hook.
    const findings = of('finding').map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')) as { findingCode?: string });
    assert.deepEqual(findings.filter((f) => f.findingCode === 'split-brain' || f.findingCode === 'no-master'), [], files.join(' '));
    const start = JSON.parse(readFileSync(join(dir, of('split-brain-start')[0]), 'utf8'));
    assert.equal(start.vrid, 51);
    assert.deepEqual([...start.advertisers].sort(), ['10.0.0.1', '10.0.0.2']);
    assert.ok(start.t > T0 + 5 && start.t < T0 + 9, `split brain detected at +${start.t - T0} s`);
    assert.equal(start.time, new Date(start.t * 1000).toISOString());
    const end = JSON.parse(readFileSync(join(dir, of('split-brain-end')[0]), 'utf8'));
    assert.ok(end.duration >= 6 && end.duration <= 8, `lasted ${end.duration}`);
    const env = readFileSync(join(dir, of('split-brain-end')[0].replace(/\.json$/, '.env')), 'utf8');
    assert.match(env, /^VRRPWATCH_DURATION=\d+\.\d{3}$/m);
    assert.match(env, /^VRRPWATCH_VRID=51$/m);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
