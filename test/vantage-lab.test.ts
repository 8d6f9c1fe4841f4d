// The vantage-point captures of pcaps/lab (MANIFEST.md: real keepalived, captured on A, B and the observer
// C at once) read together through the CLI: the split brain's cause and direction, whose wire each capture
// is, and per direction the delivery counts — checked against a count made here, by a small pcap reader
// independent of src/ (which of A's IP IDs each capture holds), and against the switch's nft counters the
// recording printed. Clock offsets of seconds (the files' timestamps shifted here) change no verdict.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const env = { ...process.env, TZ: 'UTC', NO_COLOR: '1' };
const DIR = 'pcaps/lab';
const A = '10.99.0.1';
const B = '10.99.0.2';
const tmp = mkdtempSync(join(tmpdir(), 'vrrpwatch-vantage-lab-'));
test.after(() => rmSync(tmp, { recursive: true, force: true }));

// ---- independent reader: classic pcap, Ethernet, IPv4 -----------------------------------------

interface Advert { t: number; src: string; id: number }

function pcapAdverts(file: string): { first: number; last: number; adverts: Advert[] } {
  const b = readFileSync(file);
  const le = b.readUInt32LE(0) === 0xa1b2c3d4 || b.readUInt32LE(0) === 0xa1b23c4d;
  const nano = (le ? b.readUInt32LE(0) : b.readUInt32BE(0)) === 0xa1b23c4d;
  const u32 = (o: number) => (le ? b.readUInt32LE(o) : b.readUInt32BE(o));
  const out: Advert[] = [];
  let first = Infinity, last = -Infinity;
  for (let o = 24; o + 16 <= b.length;) {
    const t = u32(o) + u32(o + 4) / (nano ? 1e9 : 1e6);
    const incl = u32(o + 8);
    const f = b.subarray(o + 16, o + 16 + incl);
    o += 16 + incl;
    first = Math.min(first, t); last = Math.max(last, t);
    if (f.readUInt16BE(12) !== 0x0800 || f[14 + 9] !== 112) continue;
    out.push({ t, src: [...f.subarray(26, 30)].join('.'), id: f.readUInt16BE(18) });
  }
  return { first, last, adverts: out };
}

/** A copy of a capture with every timestamp moved by `shift` seconds (the clock of another host). */
function shifted(file: string, shift: number): string {
  const b = Buffer.from(readFileSync(file));
  const le = b.readUInt32LE(0) === 0xa1b2c3d4;
  assert.ok(le, 'the lab captures are little-endian microsecond pcap');
  for (let o = 24; o + 16 <= b.length;) {
    const us = b.readUInt32LE(o) * 1e6 + b.readUInt32LE(o + 4) + Math.round(shift * 1e6);
    b.writeUInt32LE(Math.floor(us / 1e6), o);
    b.writeUInt32LE(us % 1e6, o + 4);
    o += 16 + b.readUInt32LE(o + 8);
  }
  const p = join(tmp, `${shift}-${file.split('/').pop()}`);
  writeFileSync(p, b);
  return p;
}

/** A's adverts the sender's own capture holds while `on` ran, and how many of them `on` holds. */
function truth(scenario: string, on: string): { expected: number; arrived: number } {
  const sender = pcapAdverts(`${DIR}/${scenario}-a.pcap`).adverts.filter((x) => x.src === A);
  const rx = pcapAdverts(`${DIR}/${scenario}-${on}.pcap`);
  const ids = new Set(rx.adverts.filter((x) => x.src === A).map((x) => x.id));
  // the lab's namespaces share one clock: the spans compare as they are
  const during = sender.filter((x) => ids.has(x.id) || (x.t >= rx.first && x.t <= rx.last));
  return { expected: during.length, arrived: during.filter((x) => ids.has(x.id)).length };
}

// ---- the CLI ----------------------------------------------------------------------------------

interface Delivery { to: string; toSource: string | null; expected: number; arrived: number; lost: number; lossPercent: number | null; longest: { adverts: number } | null }
interface Report {
  verdict: { severity: string; label: string };
  findings: { code: string; cause: string | null; evidence: string[]; fixContext: { deafHost: string | null; peers: string[] }; fixes: { tool: string; host: string | null }[] }[];
  vantagePoints: { points: { name: string; offset: number; owns: string[] }[]; sources: { source: string; wire: string | null; wireHow: string | null; deliveries: Delivery[] }[] };
}

function args(files: Record<string, string>): string[] {
  return Object.entries(files).flatMap(([n, f]) => ['-r', `${n}=${f}`]);
}

function report(files: Record<string, string>): Report {
  const r = spawnSync('bin/vrrpwatch', [...args(files), '--json'], { env, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout) as Report;
}

function files(scenario: string, nodes: string[], shift: Record<string, number> = {}): Record<string, string> {
  const out: Record<string, string> = {};
  for (const n of nodes) {
    const f = `${DIR}/${scenario}-${n}.pcap`;
    out[n] = shift[n] !== undefined ? shifted(f, shift[n]) : f;
  }
  return out;
}

const delivery = (r: Report, src: string, to: string): Delivery => r.vantagePoints.sources.find((s) => s.source === src)!.deliveries.find((d) => d.to === to)!;
const finding = (r: Report, code: string) => r.findings.find((f) => f.code === code);

const CASES = [
  { scenario: 'vantage-network-drop', nodes: ['a', 'b', 'c'] },
  { scenario: 'vantage-host-drop', nodes: ['a', 'b'] },
  { scenario: 'vantage-loss-30', nodes: ['a', 'b', 'c'] },
];

test('network drop (the bridge stops A\'s multicast towards B), captured on A, B and C: cause network, direction A → B', () => {
  const r = report(files('vantage-network-drop', ['a', 'b', 'c']));
  const sb = finding(r, 'split-brain')!;
  assert.equal(sb.cause, 'network');
  assert.equal(sb.fixContext.deafHost, B);
  assert.deepEqual(sb.fixContext.peers, [A]);
  assert.ok(sb.evidence.some((e) => e.includes(`direction ${A} → ${B}`)));
  assert.ok(sb.fixes.every((f) => f.tool === 'switch'), 'switch-side checks, no host firewall command');
  const owns = Object.fromEntries(r.vantagePoints.points.map((p) => [p.name, p.owns]));
  assert.deepEqual(owns, { a: [A], b: [B], c: [] }, 'c is the observer');
  const d = delivery(r, A, 'b');
  assert.deepEqual([d.expected, d.arrived], Object.values(truth('vantage-network-drop', 'b')));
  // the recording's nft counter: 17 of A's adverts dropped towards B (MANIFEST.md)
  assert.equal(d.lost, 17);
  assert.equal(delivery(r, A, 'c').lost, 0);
  assert.equal(delivery(r, B, 'a').lost, 0);
  // one capture alone cannot tell it: on A's and C's wire it reads as B's firewall, on B's as a plain failover
  const one = spawnSync('bin/vrrpwatch', ['-r', `${DIR}/vantage-network-drop-a.pcap`, '--json'], { env, encoding: 'utf8' });
  assert.equal((JSON.parse(one.stdout) as Report).findings.find((f) => f.code === 'split-brain')!.cause, 'firewall-drop');
});

test('B\'s INPUT drops VRRP, captured on both: host-drop on B, the adverts arrive on B\'s wire, B\'s fixes only', () => {
  const r = report(files('vantage-host-drop', ['a', 'b']));
  const sb = finding(r, 'split-brain')!;
  assert.equal(sb.cause, 'host-drop');
  assert.equal(sb.fixContext.deafHost, B);
  assert.ok(sb.evidence.some((e) => /they reach 10\.99\.0\.2's wire/.test(e)), sb.evidence.join('\n'));
  const fw = sb.fixes.filter((f) => f.tool !== 'keepalived');
  assert.ok(fw.length >= 4 && fw.every((f) => f.host === B));
  const d = delivery(r, A, 'b');
  assert.deepEqual([d.expected, d.arrived, d.lost], [...Object.values(truth('vantage-host-drop', 'b')), 0]);
  assert.equal(r.vantagePoints.sources.find((s) => s.source === B)!.wire, 'b');
});

test('30 % of A\'s adverts dropped towards B at random: the loss rate within 3 points of the switch\'s counters', () => {
  const r = report(files('vantage-loss-30', ['a', 'b', 'c']));
  const d = delivery(r, A, 'b');
  const t = truth('vantage-loss-30', 'b');
  assert.deepEqual([d.expected, d.arrived], [t.expected, t.arrived]);
  // the nft counters of the recording: 60 of A's adverts towards B while the rule was in place, 20 dropped
  assert.equal(d.lost, 20);
  assert.ok(Math.abs(d.lossPercent! - (20 / 60) * 100) <= 3, `${d.lossPercent} % against 33.3 %`);
  assert.equal(delivery(r, A, 'c').lost, 0, 'the observer got every advert');
  // B took over twice for a moment: the brief dual master's cause is the loss, told there with its runs
  const bd = finding(r, 'brief-dual-master')!;
  assert.equal(bd.cause, 'network-loss');
  assert.ok(bd.evidence.some((e) => /the longest 4 in a row/.test(e)), bd.evidence.join('\n'));
  assert.equal(r.verdict.severity, 'warning');
  const chk = spawnSync('bin/vrrpwatch', ['check', ...args(files('vantage-loss-30', ['a', 'b', 'c']))], { env, encoding: 'utf8' });
  assert.equal(chk.status, 1);
  assert.match(chk.stdout, /'10\.99\.0\.1>b_lost'=32\.3%;;;0;100/);
});

for (const c of CASES) {
  test(`${c.scenario}: clocks seconds apart (b +3.5 s, c −7.25 s) change no verdict and no count`, () => {
    const base = report(files(c.scenario, c.nodes));
    const moved = report(files(c.scenario, c.nodes, { b: 3.5, c: -7.25 }));
    const key = (r: Report) => ({
      verdict: r.verdict,
      findings: r.findings.map((f) => [f.code, f.cause, f.fixContext.deafHost]),
      wires: r.vantagePoints.sources.map((s) => [s.source, s.wire, s.deliveries.map((d) => [d.to, d.expected, d.arrived, d.longest?.adverts ?? 0])]),
    });
    assert.deepEqual(key(moved), key(base));
    const b = moved.vantagePoints.points.find((p) => p.name === 'b')!;
    assert.ok(Math.abs(b.offset + 3.5) < 1e-3, `b's offset ${b.offset}`);
  });
}

test('captures of other times or other segments are not read together', () => {
  let r = spawnSync('bin/vrrpwatch', ['-r', `${DIR}/healthy.pcap`, '-r', `${DIR}/failover-crash.pcap`], { env, encoding: 'utf8' });
  assert.equal(r.status, 1);
  assert.match(r.stderr, /do not overlap in time/);
  r = spawnSync('bin/vrrpwatch', ['check', '-r', `${DIR}/healthy.pcap`, '-r', 'pcaps/edge/v2-le-usec.pcap'], { env, encoding: 'utf8' });
  assert.equal(r.status, 3);
  assert.match(r.stdout, /^VRRP UNKNOWN - v2-le-usec has no virtual router in common with the other captures/);
});
