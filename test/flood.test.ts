// Floods (issue 11): captures made by bench/flood-gen.ts — adverts with correct checksums from random
// sources and MACs, in one VRID or in random VRIDs and VLANs — with a real split brain inside (the master
// 10.0.0.1 advertising all along, the backup 10.0.0.2 starting during the flood). The split brain must
// still be found with both advertisers and its duration; the state stays within the limits; the flood is
// a finding; the work grows linearly with the adverts (the work meter, never a timing); the check line,
// the text report and the JSON document stay bounded. Asserts counts and bounds, not times.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { generateFlood, type FloodSpec } from '../bench/flood-gen.js';
import { analyzeFile } from '../src/cli/offline.js';
import { Analyzer } from '../src/analyze/analyzer.js';
import type { Snapshot } from '../src/analyze/model.js';
import { RepeatSketch, DistinctCounter, keyHash } from '../src/analyze/repeat-sketch.js';
import { build, series } from './support/records.js';

const dir = mkdtempSync(join(tmpdir(), 'vrrpwatch-flood-'));
process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
let seq = 0;

/** Generate a flood capture and analyse it as `vrrpwatch -r` does. */
function run(spec: FloodSpec, limits: { maxRouters?: number; maxSources?: number } = {}): { an: Analyzer; s: Snapshot; file: string } {
  const file = join(dir, `flood-${seq++}.pcap`);
  generateFlood(file, spec);
  const { analyzer } = analyzeFile(file, { expectVrid: [], ...limits }, null, null);
  return { an: analyzer, s: analyzer.snapshot(), file };
}

/** The flood starts at 12:00:00 UTC (the generator's default): seconds since then. */
const T0 = 1_764_331_200;

/** The real pair's split brain: both advertisers, from the backup's tracked start to the capture's end. */
function assertRealSplitBrain(s: Snapshot, backupFrom: number, until: number): void {
  const r = s.routers.find((x) => x.key === 'v4/99');
  assert.ok(r, 'the real router v4/99 is tracked');
  const sb = r.splitBrains.find((p) => p.advertisers.includes('10.0.0.1') && p.advertisers.includes('10.0.0.2'));
  assert.ok(sb, `a split brain of 10.0.0.1 and 10.0.0.2: ${JSON.stringify(r.splitBrains)}`);
  assert.deepEqual([...sb.advertisers].sort(), ['10.0.0.1', '10.0.0.2'], 'nothing of the flood among its masters');
  // the backup started at backupFrom; during a flood it is tracked from its second advert, one interval later
  assert.ok(sb.start - T0 >= backupFrom - 1e-6 && sb.start - T0 <= backupFrom + 1 + 1e-6, `split brain start ${sb.start - T0}`);
  const real = until - backupFrom;
  assert.ok(sb.duration >= real - 1 - 1e-6 && sb.duration <= real + 1e-6, `duration ${sb.duration}, really ${real}`);
  assert.equal(r.state, 'split-brain');
  assert.equal(s.verdict, 'critical');
}

function assertWithinLimits(s: Snapshot, maxRouters: number, maxSources: number): void {
  assert.ok(s.routers.length <= maxRouters, `${s.routers.length} routers tracked, limit ${maxRouters}`);
  for (const r of s.routers) assert.ok(r.advertisers.length <= maxSources, `${r.key}: ${r.advertisers.length} sources, limit ${maxSources}`);
  assert.equal(s.limits!.routers, s.routers.length);
  assert.equal(s.limits!.sources, s.routers.reduce((n, r) => n + r.advertisers.length, 0));
}

test('one VRID flooded from random sources: the real split brain is found with both advertisers and its duration; the flood is a CRITICAL finding', () => {
  const { s } = run({ kind: 'one-vrid', adverts: 100_000, spacingUs: 250, pair: { masterFrom: -10, backupFrom: 3, until: 25 } });
  assertRealSplitBrain(s, 3, 25);
  assertWithinLimits(s, 1024, 16);
  const l = s.limits!;
  // 100,000 flood adverts; at most 16 sources tracked before the flood was seen, a few chance repeats admitted
  assert.ok(l.untrackedAdverts >= 100_000 - 40 && l.untrackedAdverts <= 100_000, `untracked ${l.untrackedAdverts}`);
  assert.ok(Math.abs(l.untrackedSources - l.untrackedAdverts) / l.untrackedAdverts < 0.05, `about ${l.untrackedSources} distinct sources`);
  assert.equal(l.untrackedRouters, 0, 'every advert was for the tracked VRID 99');
  assert.deepEqual(l.vrids, { v4: [99], v6: [] });
  assert.ok(l.inUse > 99_000, 'VRID 99 is in use: the real master advertises');
  assert.equal(l.samples.length, 5);
  const f = s.findings.find((x) => x.code === 'vrrp-flood');
  assert.ok(f, 'the flood finding');
  assert.equal(f.severity, 'critical', 'a VRID in use (and priority 255) makes it CRITICAL');
  assert.equal(f.count, l.untrackedAdverts);
  assert.match(f.evidence.join('\n'), /VRIDs hit: IPv4 99; IPv6 none/);
  assert.match(f.evidence.join('\n'), /for a virtual router in use: v4\/99 \(10\.0\.0\.1, 10\.0\.0\.2\)/);
  assert.match(f.evidence.join('\n'), /adverts\/s on average/);
  assert.deepEqual(f.fixContext.peers.sort(), ['10.0.0.1', '10.0.0.2'], 'the real nodes, to accept VRRP from');
  assert.equal(Object.keys(f.fixContext.values ?? {}).length, 5, 'the first flooding MACs, to find their switch ports');
  // the split brain's evidence says the backup was tracked only from a later advert
  const sbf = s.findings.find((x) => x.code === 'split-brain')!;
  assert.match(sbf.evidence.join('\n'), /10\.0\.0\.2 was tracked from .* during a flood/);
});

test('random VRIDs and VLANs: the real split brain is found; at most 1,024 routers tracked; the real pair may even start during the flood', () => {
  for (const pair of [{ masterFrom: -10, backupFrom: 3, until: 25 }, { masterFrom: 2, backupFrom: 3, until: 25 }]) {
    const { s } = run({ kind: 'random', adverts: 100_000, spacingUs: 250, pair });
    assertRealSplitBrain(s, 3, 25);
    assertWithinLimits(s, 1024, 16);
    assert.equal(s.routers.length, 1024, 'the router table filled up');
    const l = s.limits!;
    // half the adverts are untagged: those hit the 255 untagged routers over and over
    assert.ok(l.untrackedRouters > 40_000, `about ${l.untrackedRouters} routers beyond the limit`);
    assert.ok(l.vrids.v4.length > 250, 'nearly every VRID hit');
  }
});

test('smaller limits (--max-routers 8 --max-sources 4): state within them, the real split brain still found', () => {
  const { s } = run({ kind: 'random', adverts: 40_000, spacingUs: 625, pair: { masterFrom: -10, backupFrom: 3, until: 25 } }, { maxRouters: 8, maxSources: 4 });
  assertWithinLimits(s, 8, 4);
  assertRealSplitBrain(s, 3, 25);
  assert.equal(s.limits!.maxRouters, 8);
  assert.equal(s.limits!.maxSources, 4);
});

test('no quadratic step: the work grows linearly with the flood (work meter), one VRID and random VRIDs', () => {
  for (const kind of ['one-vrid', 'random'] as const) {
    const work = (n: number): number => run({ kind, adverts: n, spacingUs: 10 }).an.work;
    const w1 = work(20_000), w2 = work(40_000), w4 = work(80_000);
    assert.ok(w2 / w1 > 1.5 && w2 / w1 < 2.5, `${kind}: doubling the flood made ${w2 / w1}x the work`);
    assert.ok(w4 / w2 > 1.5 && w4 / w2 < 2.5, `${kind}: doubling again made ${w4 / w2}x the work`);
    assert.ok(w4 / 80_000 < 64, `${kind}: ${w4 / 80_000} steps per advert`);
  }
});

test('after the flood, what never became established ages out; the real routers stay', () => {
  // a 10 s flood of random VRIDs, then 80 s of the real pair alone (the backup quiet: a healthy pair)
  const { s } = run({ kind: 'random', adverts: 20_000, spacingUs: 500, pair: { masterFrom: -5, backupFrom: 1000, until: 90 } });
  assert.ok(s.limits!.agedOut.routers > 900, `${s.limits!.agedOut.routers} routers aged out`);
  assert.ok(s.limits!.agedOut.sources > 900, `${s.limits!.agedOut.sources} sources aged out`);
  assert.deepEqual(s.routers.map((r) => r.key), ['v4/99'], 'only the real router is left');
  assert.deepEqual(s.routers[0]!.advertisers.map((a) => a.ip), ['10.0.0.1']);
  assert.equal(s.routers[0]!.state, 'ok');
  assert.equal(s.limits!.floodActive, false, 'the flood is over');
});

// Runs the built CLI (dist/), which mutation testing never mutates: skipped there, where it would only add
// 1.7 s to every surviving mutant (stryker.config.mjs sets VRRPWATCH_MUTATION_RUN).
const builtCliOnly = process.env.VRRPWATCH_MUTATION_RUN === '1' ? 'runs the built CLI, which mutation testing does not mutate' : false;
test('the outputs stay bounded: check line <= 4 KiB and says what it left out, text report 32 routers in full, JSON arrays bounded with their omitted counts', { skip: builtCliOnly }, () => {
  const { file } = run({ kind: 'random', adverts: 100_000, spacingUs: 250, pair: { masterFrom: -10, backupFrom: 3, until: 25 } });
  const env = { ...process.env, TZ: 'UTC', NO_COLOR: '1' };
  const chk = spawnSync('bin/vrrpwatch', ['check', '-r', file, '-v'], { env, encoding: 'utf8' });
  assert.equal(chk.status, 2);
  const [line, ...long] = chk.stdout.trimEnd().split('\n');
  assert.ok(Buffer.byteLength(line!) <= 4096, `check line of ${Buffer.byteLength(line!)} bytes`);
  assert.match(line!, /^VRRP CRITICAL - VRID 99: split brain .*10\.0\.0\.1 prio 100, 10\.0\.0\.2 prio 80/, 'the real pair named first');
  assert.match(line!, /perfdata of \d+ more routers left out/);
  assert.match(line!, /\| 'vrid99_masters'=2;;1;0; /, 'the router with the problem first in the perfdata');
  assert.match(line!, /'untracked'=\d+c 'untracked_sources'=\d+ 'routers_left_out'=\d+$/);
  assert.ok(long.length <= 100, `${long.length} long-output lines`);
  const txt = spawnSync('bin/vrrpwatch', ['-r', file], { env, encoding: 'utf8' });
  assert.equal(txt.status, 0);
  assert.equal((txt.stdout.match(/^VRID \d+ {2}IPv/gm) ?? []).length, 32, 'routers in full');
  assert.match(txt.stdout, /^992 more virtual routers not shown in full \(/m);
  assert.match(txt.stdout, /^VRID 99 {2}IPv4 .*state split-brain/m, 'the split brain among those shown');
  assert.ok(txt.stdout.length < 256 * 1024, `text report of ${txt.stdout.length} characters`);
  const js = spawnSync('bin/vrrpwatch', ['-r', file, '--json'], { env, encoding: 'utf8', maxBuffer: 1 << 26 });
  const doc = JSON.parse(js.stdout) as { routers: { key: string; omitted: object }[]; findings: unknown[]; events: unknown[];
    omitted: { routers: number; findings: number; events: number }; limits: { routers: number; untrackedAdverts: number } };
  assert.equal(doc.routers.length, 256);
  assert.equal(doc.omitted.routers, 1024 - 256);
  assert.ok(doc.routers.some((r) => r.key === 'v4/99'), 'the split brain router is among them');
  assert.ok(doc.findings.length <= 256 && doc.events.length <= 1000);
  assert.equal(doc.limits.routers, 1024);
  assert.ok(doc.limits.untrackedAdverts > 90_000);
  assert.ok(js.stdout.length < 8 * 1024 * 1024, `JSON of ${js.stdout.length} characters`);
});

test('a healthy capture is analysed exactly as before: no flood, nothing untracked', () => {
  const { s } = run({ kind: 'one-vrid', adverts: 0, pair: { masterFrom: 0, backupFrom: 1000, until: 30 } });
  assert.equal(s.limits!.untrackedAdverts, 0);
  assert.equal(s.findings.length, 0);
  assert.equal(s.verdict, 'ok');
});

test('repeat sketch: a key seen comes back within the window, is forgotten after two; random keys give (almost) no false repeat', () => {
  const clock = new Float64Array(1);
  const sk = new RepeatSketch(clock, 2 * 1024 * 1024, 4);
  const at = (t: number, src: number, mac: number): boolean => {
    clock[0] = t;
    keyHash(51811, src, 0, 0, 0, 0x0200, mac);
    return sk.seenAndAdd();
  };
  assert.equal(at(0, 0x0a000002, 2), false);
  assert.equal(at(3.9, 0x0a000002, 2), true, 'within the window');
  assert.equal(at(4, 0x0a000003, 3), false, 'another key');
  assert.equal(at(4.1, 0x0a000002, 3), false, 'the same address from another MAC');
  assert.equal(at(12.5, 0x0a000002, 2), false, 'forgotten two windows later');
  // 1,000,000 distinct random keys at 100,000/s: the false repeats repeat-sketch.ts computes (about 1.2e-5 each)
  let x = 0x12345678, fp = 0;
  for (let i = 0; i < 1_000_000; i++) {
    x ^= x << 13; x >>>= 0; x ^= x >>> 17; x ^= x << 5; x >>>= 0;
    clock[0] = 20 + i * 1e-5;
    keyHash(51811, x, i, 0, 0, 0x0200, x ^ i);
    if (sk.seenAndAdd()) fp++;
  }
  assert.ok(fp <= 40, `${fp} false repeats in 1,000,000`);
  const dc = new DistinctCounter();
  for (let i = 0; i < 100_000; i++) { keyHash(7, i, 0, 0, 0, 0, 0); dc.add(); }
  assert.ok(Math.abs(dc.estimate() - 100_000) < 5_000, `distinct estimate ${dc.estimate()}`);
});

// The dashboard's `c` forgets every finding of no router. A flood that goes on must come back at its next advert
// beyond the limits (it was forgotten for good: the tracking kept the forgotten finding and never opened it
// again), with its severity rebuilt from the tally; a flood that is over stays forgotten.
test('the dashboard\'s `c` during a flood: the flood finding is back at the next advert beyond the limits, CRITICAL from the tally; after the flood, gone', () => {
  // one router tracked (A's VRID 99): B's VRID 7 is beyond the limits at each of its adverts, a WARNING (no
  // router in use); B claims priority 255 from 20.5 s on, so the reopened finding turns CRITICAL from the tally
  const records = build([...series('10.0.0.1', 0, 30, 1), ...series('10.0.0.2', 0.5, 19.6, 1, { prio: 80, vrid: 7 }),
    ...series('10.0.0.2', 20.5, 25, 1, { prio: 255, vrid: 7 })]);
  const an = new Analyzer({ maxRouters: 1, maxSources: 2 });
  const opened: number[] = [];
  an.onEvent = (e) => { if (e.findingCode === 'vrrp-flood') opened.push(e.t); };
  const codes = () => an.snapshot().findings.map((f) => `${f.code}:${f.severity}`);
  let next = 0;
  const feedUntil = (t: number) => {
    for (; next < records.length && records[next].tsSec + records[next].tsNsec / 1e9 <= t; next++) an.packet(records[next]);
  };
  feedUntil(10);
  assert.deepEqual(codes(), ['vrrp-flood:warning']);
  an.clearHistory();
  assert.deepEqual(codes(), [], 'forgotten by `c`');
  feedUntil(11);
  assert.deepEqual(codes(), ['vrrp-flood:warning'], 'back at the next advert beyond the limits');
  assert.deepEqual(opened, [0.5, 10.5], 'each opening told as an event at the advert that opened it');
  an.clearHistory();
  feedUntil(21);
  const f = an.snapshot().findings.find((x) => x.code === 'vrrp-flood')!;
  assert.equal(f.severity, 'critical', 'a claim of priority 255 in the tally');
  assert.equal(f.title, 'VRRP flood: more sources or virtual routers advertise than are tracked (an attack tool, a broken device or a test rig on the segment)');
  assert.equal(f.count, 21, 'the whole tally: every advert beyond the limits since the flood began');
  feedUntil(26);
  an.clearHistory();
  feedUntil(30);
  assert.deepEqual(codes(), [], 'the flood is over (no advert beyond the limits since `c`): it stays forgotten');
});
