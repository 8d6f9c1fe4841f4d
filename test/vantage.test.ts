// Several captures read together (-r a -r b ...), on synthetic captures whose truth is known by
// construction: who sent which advert when, which capture saw it, each capture's clock offset and the
// network's delay. Asserted through the CLI as a user runs it (`--json` vantagePoints and findings, the text
// report, `check`), so the clocks, the matching, whose wire each capture is, the delivery counts and runs,
// the split brain's cause, the bounds and the refusals are all exercised end to end. The real keepalived
// captures are in test/vantage-lab.test.ts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { advertFrame, arpPacket, linkFrame, pcapFile, type Bytes, type LinkKind, type PcapFrame } from './support/encode.js';

const env = { ...process.env, TZ: 'UTC', NO_COLOR: '1' };
const dir = mkdtempSync(join(tmpdir(), 'vrrpwatch-vantage-'));
test.after(() => rmSync(dir, { recursive: true, force: true }));

const run = (args: string[]) => spawnSync('bin/vrrpwatch', args, { env, encoding: 'utf8', maxBuffer: 1 << 26 });

const T0 = 1_800_000_000;
const HOSTS = {
  A: { ip: '10.0.0.1', mac: '02:00:00:00:00:01', prio: 100 },
  B: { ip: '10.0.0.2', mac: '02:00:00:00:00:02', prio: 80 },
} as const;
type Who = keyof typeof HOSTS;

interface Sent { t: number; who: Who; id: number; prio: number; vrid: number; arp?: boolean }

/** A's adverts every second from 0 to `until` (IP IDs from 1), B's from `bFrom` while `bFrom` ≥ 0. */
function story(until: number, bFrom = -1, o: { vrid?: number; jitter?: (i: number) => number; aId0?: number } = {}): Sent[] {
  const out: Sent[] = [];
  const vrid = o.vrid ?? 99;
  for (let i = 0; i <= until; i++) out.push({ t: i + (o.jitter?.(i) ?? 0), who: 'A', id: (o.aId0 ?? 1) + i, prio: 100, vrid });
  if (bFrom >= 0) for (let i = 0; bFrom + i <= until; i++) out.push({ t: bFrom + i + 0.3, who: 'B', id: 1 + i, prio: 80, vrid });
  return out.sort((x, y) => x.t - y.t);
}

interface CaptureSpec {
  /** Whose wire (its own frames at +0, the others' after `delay`); null: an observer (everything after `delay`). */
  on: Who | null;
  /** Added to every timestamp (the capture's clock against the true one). */
  offset?: number;
  delay?: number;
  /** Which of the sent frames it saw. */
  sees?: (s: Sent) => boolean;
  link?: LinkKind;
  /** Linux cooked capture: mark the host's own frames as outgoing. */
  markOutgoing?: boolean;
  /** Each frame twice within 0.5 ms (-i any on a bridge and its port). */
  twice?: boolean;
  span?: [number, number];
}

function frameOf(s: Sent, spec: CaptureSpec): Bytes {
  const h = HOSTS[s.who];
  const link = spec.link ?? 'ether';
  const f = s.arp
    ? linkFrame(0x0806, arpPacket(1, h.mac, '10.0.0.100', '00:00:00:00:00:00', '10.0.0.100'), { link, srcMac: h.mac, dstMac: 'ff:ff:ff:ff:ff:ff' })
    : advertFrame({ vrid: s.vrid, priority: s.prio, addresses: ['10.0.0.100'], interval: 1 }, { src: h.ip, dst: '224.0.0.18', id: s.id }, { link, srcMac: h.mac });
  if (link === 'sll' && spec.markOutgoing && spec.on === s.who) f[1] = 4;
  return f;
}

function writeCapture(name: string, sent: readonly Sent[], spec: CaptureSpec): string {
  const frames: PcapFrame[] = [];
  const delay = spec.delay ?? 40e-6;
  for (const s of sent) {
    if (spec.sees && !spec.sees(s)) continue;
    if (spec.span && (s.t < spec.span[0] || s.t > spec.span[1])) continue;
    const t = T0 + s.t + (spec.on === s.who ? 0 : delay) + (spec.offset ?? 0);
    const push = (tt: number): void => {
      const sec = Math.floor(tt);
      frames.push({ sec, nsec: Math.round((tt - sec) * 1e6) * 1000, data: frameOf(s, spec) });
    };
    push(t);
    if (spec.twice) push(t + 0.0004);
  }
  frames.sort((x, y) => x.sec - y.sec || x.nsec - y.nsec);
  const p = join(dir, name);
  writeFileSync(p, pcapFile(frames, { linktype: spec.link === 'sll' ? 113 : 1 }));
  return p;
}

interface Json {
  verdict: { severity: string; label: string };
  findings: { code: string; cause: string | null; evidence: string[]; fixContext: { deafHost: string | null; peers: string[] }; fixes: { tool: string; host: string | null }[] }[];
  vantagePoints: {
    points: { name: string; offset: number; offsetHow: string; offsetSpread: number | null; owns: string[] }[];
    sources: { source: string; wire: string | null; wireHow: string | null; wireNote: string; sent: number;
      deliveries: { to: string; toSource: string | null; expected: number; arrived: number; lost: number; lossPercent: number | null;
        spellCount: number; spellLengths: number[]; longest: { adverts: number } | null; spells: unknown[]; spellsLeftOut: number }[] }[];
    sourcesLeftOut: number; settledEarly: number; notes: string[];
  };
  stats: { vrrpAdverts: number; frames: number; duplicates?: number };
}

function json(args: string[]): Json {
  const r = run([...args, '--json']);
  assert.ok(r.status === 0 || r.status === 1, `exit ${r.status}: ${r.stderr}`);
  return JSON.parse(r.stdout) as Json;
}

const src = (j: Json, ip: string) => j.vantagePoints.sources.find((s) => s.source === ip)!;
const splitBrain = (j: Json) => j.findings.find((f) => f.code === 'split-brain');

// A network drop: from t=5 the switch no longer delivers A's multicast to B; B takes over 3.69 s after the
// last advert it heard (t=4) and both advertise to the end. A hears B all along.
const dropStory = story(30, 8);
const droppedForB = (s: Sent) => !(s.who === 'A' && s.t >= 5);

test('network drop A → B: cause network, direction A → B, every capture tied to the first clock', () => {
  const a = writeCapture('nd-a.pcap', dropStory, { on: 'A' });
  const b = writeCapture('nd-b.pcap', dropStory, { on: 'B', sees: droppedForB });
  const c = writeCapture('nd-c.pcap', dropStory, { on: null, delay: 30e-6 });
  const j = json(['-r', a, '-r', b, '-r', c]);
  const sb = splitBrain(j)!;
  assert.equal(sb.cause, 'network');
  assert.equal(sb.fixContext.deafHost, '10.0.0.2');
  assert.deepEqual(sb.fixContext.peers, ['10.0.0.1']);
  assert.ok(sb.evidence.some((e) => /direction 10\.0\.0\.1 → 10\.0\.0\.2/.test(e)), sb.evidence.join('\n'));
  // switch-side checks only, no host firewall command
  assert.ok(sb.fixes.length > 0 && sb.fixes.every((f) => f.tool === 'switch'), JSON.stringify(sb.fixes.map((f) => f.tool)));
  const A = src(j, '10.0.0.1');
  assert.equal(A.sent, 31);
  assert.equal(A.wire, 'nd-a');
  const toB = A.deliveries.find((d) => d.to === 'nd-b')!;
  assert.deepEqual([toB.expected, toB.arrived, toB.lost, toB.spellCount, toB.longest?.adverts], [31, 5, 26, 1, 26]);
  assert.equal(toB.toSource, '10.0.0.2');
  assert.equal(src(j, '10.0.0.2').wire, 'nd-b');
  assert.deepEqual(j.vantagePoints.points.find((p) => p.name === 'nd-c')!.owns, []);
  // each advert once: 31 from A, 23 from B
  assert.equal(j.stats.vrrpAdverts, 31 + 23);
});

test('clock offsets of seconds change nothing but the offsets', () => {
  const base = json(['-r', join(dir, 'nd-a.pcap'), '-r', join(dir, 'nd-b.pcap'), '-r', join(dir, 'nd-c.pcap')]);
  const b = writeCapture('nds-b.pcap', dropStory, { on: 'B', sees: droppedForB, offset: 3.5 });
  const c = writeCapture('nds-c.pcap', dropStory, { on: null, delay: 30e-6, offset: -7.25 });
  const j = json(['-r', join(dir, 'nd-a.pcap'), '-r', `nd-b=${b}`, '-r', `nd-c=${c}`]);
  const pb = j.vantagePoints.points.find((p) => p.name === 'nd-b')!;
  const pc = j.vantagePoints.points.find((p) => p.name === 'nd-c')!;
  assert.equal(pb.offsetHow, 'measured');
  // B's clock 3.5 s ahead (its frames of A's adverts also 40 µs late: a delay the offset cannot tell from the clock)
  assert.ok(Math.abs(pb.offset - -3.5) < 1e-4, String(pb.offset));
  assert.ok(Math.abs(pc.offset - 7.25) < 1e-4, String(pc.offset));
  assert.equal(splitBrain(j)!.cause, splitBrain(base)!.cause);
  assert.deepEqual(j.vantagePoints.sources.map((s) => [s.source, s.wire, s.deliveries.map((d) => [d.to, d.arrived, d.lost])]),
    base.vantagePoints.sources.map((s) => [s.source, s.wire, s.deliveries.map((d) => [d.to, d.arrived, d.lost])]));
});

test('host drop: A\'s adverts reach B\'s wire, B takes over anyway: host-drop on B, B\'s firewall fixes', () => {
  const a = writeCapture('hd-a.pcap', dropStory, { on: 'A' });
  const b = writeCapture('hd-b.pcap', dropStory, { on: 'B' });
  const j = json(['-r', a, '-r', b]);
  const sb = splitBrain(j)!;
  assert.equal(sb.cause, 'host-drop');
  assert.equal(sb.fixContext.deafHost, '10.0.0.2');
  const fw = sb.fixes.filter((f) => f.tool === 'iptables');
  assert.ok(fw.length > 0 && fw.every((f) => f.host === '10.0.0.2'), 'the firewall fixes are for B only');
  assert.equal(src(j, '10.0.0.1').wire, 'hd-a');
  assert.equal(src(j, '10.0.0.2').wire, 'hd-b');
  assert.equal(src(j, '10.0.0.1').wireHow, 'timing');
});

test('a third of A\'s adverts lost towards B, no takeover: advert-loss with exact counts and runs', () => {
  // every third advert of A lost on B's wire (IP IDs 2, 5, ..., 59: runs of one); B never takes over
  const s = story(59);
  const a = writeCapture('ls-a.pcap', s, { on: 'A' });
  const b = writeCapture('ls-b.pcap', s, { on: 'B', sees: (x) => !(x.who === 'A' && x.id % 3 === 2) });
  // B's own traffic for the timing: a gratuitous ARP burst now and then
  const withArp = [...s, ...[10.5, 20.5, 30.5].map((t) => ({ t, who: 'B' as Who, id: 0, prio: 0, vrid: 99, arp: true }))].sort((x, y) => x.t - y.t);
  const a2 = writeCapture('ls2-a.pcap', withArp, { on: 'A' });
  const b2 = writeCapture('ls2-b.pcap', withArp, { on: 'B', sees: (x) => !(x.who === 'A' && x.id % 3 === 2) });
  for (const args of [['-r', a, '-r', b], ['-r', a2, '-r', b2]]) {
    const j = json(args);
    const d = src(j, '10.0.0.1').deliveries[0]!;
    assert.deepEqual([d.expected, d.arrived, d.lost, d.lossPercent, d.spellCount, d.spellLengths], [60, 40, 20, 33.3, 20, [20, 0, 0, 0]]);
    assert.ok(d.spells.length <= 16 && d.spells.length + d.spellsLeftOut === 20);
  }
  // with B's frames on both captures, A's wire is told by timing; B never advertised, so the capture is
  // named rather than the node
  const j = json(['-r', a2, '-r', b2]);
  assert.equal(src(j, '10.0.0.1').wire, 'ls2-a');
  const f = j.findings.find((x) => x.code === 'advert-loss')!;
  assert.ok(f, j.findings.map((x) => x.code).join());
  assert.equal(f.cause, 'network-loss');
  assert.match(f.evidence[0]!, /^40 of 60 adverts 10\.0\.0\.1 sent while ls2-b ran reached ls2-b: 33\.3 % lost \(all 60 were seen on 10\.0\.0\.1's own wire, ls2-a\)/);
  assert.equal(j.verdict.severity, 'warning');
  const chk = run(['check', '-r', a2, '-r', b2]);
  assert.equal(chk.status, 1);
  assert.match(chk.stdout, /'10\.0\.0\.1>ls2-b_lost'=33\.3%;;;0;100/);
  assert.match(chk.stdout, /40 of 60 of 10\.0\.0\.1's adverts reached ls2-b/);
});

test('whose wire: cannot be told when nothing tells the captures apart; named; marked outgoing', () => {
  // no delay at all: both captures see every frame at the same moment
  const s = story(20, 8);
  const a = writeCapture('eq-a.pcap', s, { on: null, delay: 0 });
  const b = writeCapture('eq-b.pcap', s, { on: null, delay: 0 });
  let j = json(['-r', a, '-r', b]);
  assert.equal(src(j, '10.0.0.2').wire, null);
  assert.match(src(j, '10.0.0.2').wireNote, /cannot be told.*-r 10\.0\.0\.2=FILE/);
  const sb = splitBrain(j)!;
  assert.ok(sb.evidence.some((e) => /cannot be told from these captures/.test(e)), sb.evidence.join('\n'));
  assert.notEqual(sb.cause, 'host-drop');
  // named after the node's address
  j = json(['-r', `10.0.0.1=${a}`, '-r', `10.0.0.2=${b}`]);
  assert.equal(src(j, '10.0.0.2').wire, '10.0.0.2');
  assert.equal(src(j, '10.0.0.2').wireHow, 'named');
  assert.equal(splitBrain(j)!.cause, 'host-drop');
  // a Linux cooked capture (-i any) marks the host's own frames as outgoing
  const sa = writeCapture('sll-a.pcap', s, { on: 'A', delay: 0, link: 'sll', markOutgoing: true });
  const sb2 = writeCapture('sll-b.pcap', s, { on: 'B', delay: 0, link: 'sll', markOutgoing: true });
  j = json(['-r', sa, '-r', sb2]);
  assert.deepEqual([src(j, '10.0.0.1').wire, src(j, '10.0.0.1').wireHow, src(j, '10.0.0.2').wire], ['sll-a', 'outgoing', 'sll-b']);
});

test('a capture that sees every frame twice (-i any) counts each advert once', () => {
  const s = story(20);
  const a = writeCapture('dup-a.pcap', s, { on: 'A' });
  const b = writeCapture('dup-b.pcap', s, { on: 'B', twice: true });
  const j = json(['-r', a, '-r', b]);
  const d = src(j, '10.0.0.1').deliveries[0]!;
  assert.deepEqual([d.expected, d.arrived, d.lost], [21, 21, 0]);
  assert.equal(j.stats.vrrpAdverts, 21);
});

test('captures that cannot be read together: one line, exit 1 (check: UNKNOWN 3)', () => {
  const s = story(20);
  const a = writeCapture('no-a.pcap', s, { on: 'A' });
  // the same node two hours later: same sources, never the same advert
  const later = writeCapture('no-b.pcap', story(20, -1, { aId0: 5000 }), { on: 'B', offset: 7200 });
  let r = run(['-r', a, '-r', later]);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /^vrrpwatch: no-b and no-a do not overlap in time: they saw the same sources but never the same advert/);
  assert.equal(r.stderr.trimEnd().split('\n').length, 1);
  assert.equal(r.stdout, '');
  // another segment: VRID 51 only
  const other = writeCapture('un-b.pcap', story(20, -1, { vrid: 51 }).map((x) => ({ ...x, who: 'B' as Who })), { on: 'B' });
  r = run(['-r', a, '-r', other]);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /un-b has no virtual router in common with the other captures \(VRID 51 against VRID 99\)/);
  r = run(['check', '-r', a, '-r', other]);
  assert.equal(r.status, 3);
  assert.match(r.stdout, /^VRRP UNKNOWN - un-b has no virtual router in common/);
  // no VRRP at all
  const arpOnly = join(dir, 'arp-only.pcap');
  writeFileSync(arpOnly, pcapFile([{ sec: T0, nsec: 0, data: linkFrame(0x0806, arpPacket(1, HOSTS.A.mac, '10.0.0.1', '00:00:00:00:00:00', '10.0.0.2'), { dstMac: 'ff:ff:ff:ff:ff:ff' }) }]));
  r = run(['-r', a, '-r', arpOnly]);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /arp-only holds no VRRP advert/);
});

test('each node hears only itself: read on the captures\' own clocks, said so', () => {
  const s = story(20, 0);
  const a = writeCapture('part-a.pcap', s, { on: 'A', sees: (x) => x.who === 'A' });
  const b = writeCapture('part-b.pcap', s, { on: 'B', sees: (x) => x.who === 'B' });
  const j = json(['-r', a, '-r', b]);
  assert.equal(j.vantagePoints.points[1]!.offsetHow, 'assumed');
  assert.ok(j.vantagePoints.notes.some((n) => /their clocks cannot be compared/.test(n)), j.vantagePoints.notes.join('\n'));
  // A's adverts while b ran (B's first advert at 0.3 s to its last at 20.3 s): none arrived
  const d = src(j, '10.0.0.1').deliveries[0]!;
  assert.deepEqual([d.arrived, d.lost], [0, 20]);
});

test('usage: several -r are files, at most 8, each once, each with its own name', () => {
  const a = join(dir, 'nd-a.pcap');
  let r = run(['-r', a, '-r', '-']);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /standard input cannot be read twice/);
  r = run(['-r', a, '-r', a]);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /is given twice/);
  r = run(['-r', `x=${a}`, '-r', `x=${join(dir, 'nd-b.pcap')}`]);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /two captures are named x/);
  r = run(Array.from({ length: 9 }, (_, i) => ['-r', `${i}.pcap`]).flat());
  assert.equal(r.status, 2);
  assert.match(r.stderr, /at most 8 captures/);
  // -c stops the reading: what the other captures had no chance to show is not counted as lost
  const c5 = json(['-r', a, '-r', join(dir, 'nd-c.pcap'), '-c', '5']);
  assert.equal(c5.stats.vrrpAdverts, 5);
  assert.ok(c5.vantagePoints.sources.every((x) => x.deliveries.every((d) => d.lost === 0)), JSON.stringify(c5.vantagePoints.sources));
  // one -r NAME=FILE is the one-capture report of FILE, byte for byte
  const one = run(['-r', a]);
  const named = run(['-r', `lb1=${a}`]);
  assert.equal(named.stdout, one.stdout);
});

test('IPv6 adverts (no IP ID) are matched by their timing; too regular a timing cannot be aligned', () => {
  // xorshift: an advert timer's irregularity has no arithmetic pattern
  const noise = (i: number): number => { let x = (i + 1) * 0x9e3779b9; x ^= x << 13; x ^= x >>> 17; x ^= x << 5; return (x >>> 0) / 4294967296; };
  const v6 = (name: string, offset: number, regular: boolean, on: Who): string => {
    const frames: PcapFrame[] = [];
    for (let i = 0; i < 40; i++) {
      // an advert timer's own irregularity, up to 2 ms (a pseudo-random sequence, the same in both captures)
      const jitter = regular ? 0 : noise(i) * 0.002;
      const t = T0 + offset + i + jitter + (on === 'A' ? 0 : 40e-6);
      const sec = Math.floor(t);
      frames.push({ sec, nsec: Math.round((t - sec) * 1e6) * 1000,
        data: advertFrame({ version: 3, vrid: 7, priority: 100, addresses: ['fd00::100'], interval: 100 }, { family: 6, src: 'fe80::1', dst: 'ff02::12' }, { srcMac: HOSTS.A.mac, dstMac: '33:33:00:00:00:12' }) });
    }
    const p = join(dir, name);
    writeFileSync(p, pcapFile(frames));
    return p;
  };
  const j = json(['-r', v6('v6-a.pcap', 0, false, 'A'), '-r', v6('v6-b.pcap', 2.5, false, 'B')]);
  const pb = j.vantagePoints.points[1]!;
  assert.ok(Math.abs(pb.offset - -2.5) < 1e-3, String(pb.offset));
  const d = j.vantagePoints.sources[0]!.deliveries[0]!;
  assert.deepEqual([d.expected, d.lost], [40, 0]);
  const r = run(['-r', v6('v6r-a.pcap', 0, true, 'A'), '-r', v6('v6r-b.pcap', 2.5, true, 'B')]);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /cannot be aligned: the adverts both saw carry no IP ID/);
});

test('bounded: a flood of sources is matched up to the limits and says what it left out', () => {
  // 300 sources of one VRID, 3 adverts each, on both captures; then a burst of 20,000 adverts in 0.1 s
  const frames: PcapFrame[] = [];
  const framesB: PcapFrame[] = [];
  let t = T0;
  const add = (srcIp: string, id: number, dt: number, mac: string): void => {
    t += dt;
    const data = advertFrame({ vrid: 99, priority: 50, addresses: ['10.0.0.100'], interval: 1 }, { src: srcIp, id }, { srcMac: mac });
    const sec = Math.floor(t);
    const nsec = Math.round((t - sec) * 1e6) * 1000;
    frames.push({ sec, nsec, data });
    framesB.push({ sec, nsec: nsec + 20_000, data });
  };
  for (let r = 0; r < 3; r++) for (let i = 0; i < 300; i++) add(`10.1.${i >> 8}.${i & 255}`, r + 1, 0.001, `02:00:00:01:${(i >> 8).toString(16).padStart(2, '0')}:${(i & 255).toString(16).padStart(2, '0')}`);
  for (let i = 0; i < 20000; i++) add('10.2.0.1', (i + 10) & 0xffff, 0.000005, '02:00:00:02:00:01');
  framesB.sort((x, y) => x.sec - y.sec || x.nsec - y.nsec);
  writeFileSync(join(dir, 'flood-a.pcap'), pcapFile(frames));
  writeFileSync(join(dir, 'flood-b.pcap'), pcapFile(framesB));
  const j = json(['-r', join(dir, 'flood-a.pcap'), '-r', join(dir, 'flood-b.pcap')]);
  assert.equal(j.vantagePoints.sources.length, 64);
  assert.ok(j.vantagePoints.sourcesLeftOut > 0);
  assert.ok(j.vantagePoints.settledEarly > 0);
  assert.ok(j.vantagePoints.notes.some((n) => /further flows/.test(n)));
  assert.ok(j.vantagePoints.notes.some((n) => /settled before their copies could arrive/.test(n)));
  const chk = run(['check', '-r', join(dir, 'flood-a.pcap'), '-r', join(dir, 'flood-b.pcap')]);
  const perf = chk.stdout.split('|')[1] ?? '';
  assert.ok((perf.match(/_lost'=/g) ?? []).length <= 16, 'at most 16 directions in the perfdata');
  assert.match(perf, /'directions_left_out'=\d+/);
});
