// `npm run bench`: the speed and memory targets of the file path, measured against tcpdump in the
// same invocation, on deterministic captures built here (bench/out/, not committed).
//   mixed: several million frames, ~1% VRRP (some VLAN-tagged): vrrpwatch -r must be >= 4x faster
//          than `tcpdump -r FILE -w /dev/null 'ip proto 112 or (vlan and ip proto 112)'`;
//   pure:  VRRP only: >= 10 M adverts/s decoded and analysed;
//   peak RSS < 64 MiB whatever the file size;
//   floods (issue 11): 1 M adverts from random sources in one VRID, and in random VRIDs and VLANs, each
//          at most 3x the time of 1 M adverts of a healthy pair, peak RSS < 128 MiB.
// Optional parts run when their scripts exist: the live load test (bench/live-load.sh, root) and
// the dashboard cost (bench/tui-cost.ts). Results: printed, and bench/out/results.json.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, statSync, writeFileSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateMixed, generatePure, generateVantagePair } from './gen.js';
import { generateFlood } from './flood-gen.js';
import { analyzeFile } from '../src/cli/offline.js';
import { buildView } from '../src/tui/view-model.js';
import { fixesFor } from '../src/remedy/index.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const outDir = join(root, 'bench/out');
mkdirSync(outDir, { recursive: true });

const MIXED_FRAMES = Number(process.env.BENCH_MIXED_FRAMES ?? 4_000_000);
const PURE_ADVERTS = Number(process.env.BENCH_PURE_ADVERTS ?? 5_000_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const FLOOD_ADVERTS = Number(process.env.BENCH_FLOOD_ADVERTS ?? 1_000_000);

interface Timing { seconds: number; maxRssKiB: number | null }

function build(name: string, make: (p: string) => unknown): string {
  const p = join(outDir, name);
  const stamp = p + '.stamp';
  const want = `${MIXED_FRAMES}/${PURE_ADVERTS}/${FLOOD_ADVERTS}/3`;
  if (!existsSync(p) || !existsSync(stamp) || readFileSync(stamp, 'utf8') !== want) {
    process.stdout.write(`generating ${name}... `);
    make(p);
    writeFileSync(stamp, want);
    process.stdout.write(`${(statSync(p).size / 2 ** 20).toFixed(0)} MiB\n`);
  }
  spawnSync('cat', [p], { stdio: ['ignore', 'ignore', 'ignore'] }); // warm the page cache
  return p;
}

function time(cmd: string, args: string[]): Timing {
  let best: Timing | null = null;
  for (let i = 0; i < RUNS; i++) {
    const t0 = process.hrtime.bigint();
    const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 1 << 26 });
    const s = Number(process.hrtime.bigint() - t0) / 1e9;
    if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} exited ${r.status}: ${r.stderr.slice(0, 300)}`);
    const m = /BENCH_MAXRSS_KB=(\d+)/.exec(r.stderr);
    const t: Timing = { seconds: s, maxRssKiB: m ? Number(m[1]) : null };
    if (best === null || t.seconds < best.seconds) best = t;
  }
  return best!;
}

const vrrpwatch = (file: string): Timing =>
  time(process.execPath, ['--import', join(root, 'bench/maxrss.mjs'), join(root, 'bin/vrrpwatch'), '-r', file]);
/** One run (the flood part interleaves its own runs). */
function vrrpwatchOnce(file: string): Timing {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(process.execPath, ['--import', join(root, 'bench/maxrss.mjs'), join(root, 'bin/vrrpwatch'), '-r', file], { encoding: 'utf8', maxBuffer: 1 << 26 });
  const s = Number(process.hrtime.bigint() - t0) / 1e9;
  if (r.status !== 0) throw new Error(`vrrpwatch -r ${file} exited ${r.status}: ${r.stderr.slice(0, 300)}`);
  const m = /BENCH_MAXRSS_KB=(\d+)/.exec(r.stderr);
  return { seconds: s, maxRssKiB: m ? Number(m[1]) : null };
}
const tcpdump = (file: string): Timing =>
  time('tcpdump', ['-r', file, '-w', '/dev/null', 'ip proto 112 or (vlan and ip proto 112)']);

const mixed = build('mixed.pcap', (p) => generateMixed(p, MIXED_FRAMES));
const pure = build('pure.pcap', (p) => generatePure(p, PURE_ADVERTS));
// floods (issue 11): 10 µs apart, next to as many adverts of one healthy master
const floodOne = build('flood-one-vrid.pcap', (p) => generateFlood(p, { kind: 'one-vrid', adverts: FLOOD_ADVERTS }));
const floodRandom = build('flood-random.pcap', (p) => generateFlood(p, { kind: 'random', adverts: FLOOD_ADVERTS }));
const healthy = build('flood-healthy.pcap', (p) => generateFlood(p, { kind: 'one-vrid', adverts: FLOOD_ADVERTS, realEvery: 1 }));
const mixedBytes = statSync(mixed).size;
const pureBytes = statSync(pure).size;

const vm = vrrpwatch(mixed);
const tm = tcpdump(mixed);
// The ceiling: a bare reused-buffer readSync loop walking record headers, no decoding at all.
const walk = time(process.execPath, [join(root, 'bench/bare-walk.mjs'), mixed]);
const vp = vrrpwatch(pure);
const tp = tcpdump(pure);
// Floors that no reader written in Node can go under: copying the file out of the page cache at
// all (dd, C, nothing else), and start-up (Node alone; vrrpwatch on a 17-frame capture).
const copy = time('dd', [`if=${mixed}`, 'of=/dev/null', 'bs=1M', 'status=none']);
const nodeStart = time(process.execPath, ['-e', '0']);
const tiny = join(root, 'pcaps/lab/healthy.pcap');
const start = vrrpwatch(tiny);

// interleaved, so that the machine's drift hits the three alike
const fh: Timing[] = [], f1: Timing[] = [], fr: Timing[] = [];
for (let i = 0; i < RUNS; i++) {
  fh.push(vrrpwatchOnce(healthy));
  f1.push(vrrpwatchOnce(floodOne));
  fr.push(vrrpwatchOnce(floodRandom));
}
const best = (xs: Timing[]): Timing => xs.reduce((a, b) => (b.seconds < a.seconds ? b : a));
const peak = (xs: Timing[]): number | null => (xs.some((x) => x.maxRssKiB === null) ? null : Math.max(...xs.map((x) => x.maxRssKiB!)));
// the dashboard's redraw with the routers a flood fills the table with: snapshot + view model, in-process
const floodAnalyzer = analyzeFile(floodRandom, { expectVrid: [] }, null, null).analyzer;
const ui = { selectedKey: null, showAuth: false, paused: false, help: false, fixesView: false, fixesScroll: 0, focus: 'routers' as const,
  colour: true, unicode: true, clearedAt: null, cols: 160, rows: 45, alertsScroll: 0, eventsScroll: 0 };
const redraws: number[] = [];
for (let i = 0; i < 20; i++) {
  const t0 = process.hrtime.bigint();
  buildView(floodAnalyzer.snapshot(), ui, { fixes: fixesFor, source: floodRandom, filter: null, mode: 'live' });
  redraws.push(Number(process.hrtime.bigint() - t0) / 1e6);
}
redraws.sort((a, b) => a - b);
const flood = {
  adverts: FLOOD_ADVERTS,
  redrawMs: { routers: floodAnalyzer.snapshot().routers.length, median: redraws[10]!, max: redraws[19]! },
  healthy: { ...best(fh), maxRssKiB: peak(fh) },
  oneVrid: { ...best(f1), maxRssKiB: peak(f1) },
  random: { ...best(fr), maxRssKiB: peak(fr) },
};
// Several vantage points: 48 h of a healthy pair captured on A and on B (B's clock 3.5 s ahead, 1 % lost),
// read together, against the capture on A alone.
const VANTAGE_SECONDS = Number(process.env.BENCH_VANTAGE_SECONDS ?? 172_800);
const vpA = join(outDir, 'vantage-a.pcap');
const vpB = join(outDir, 'vantage-b.pcap');
if (!existsSync(vpB) || !existsSync(vpB + '.stamp') || readFileSync(vpB + '.stamp', 'utf8') !== String(VANTAGE_SECONDS)) {
  generateVantagePair(vpA, vpB, VANTAGE_SECONDS);
  writeFileSync(vpB + '.stamp', String(VANTAGE_SECONDS));
}
const vOne = vrrpwatch(vpA);
const vTwo = time(process.execPath, ['--import', join(root, 'bench/maxrss.mjs'), join(root, 'bin/vrrpwatch'), '-r', vpA, '-r', vpB]);

const results = {
  machine: { cpus: (await import('node:os')).cpus().length, node: process.version },
  runs: RUNS,
  mixed: {
    frames: MIXED_FRAMES, bytes: mixedBytes,
    vrrpwatch: vm, tcpdump: tm,
    bareReadSyncWalk: walk,
    catCopy: copy,
    nodeStartup: nodeStart,
    floorOverTcpdump: tm.seconds / (nodeStart.seconds + copy.seconds),
    speedupOverTcpdump: tm.seconds / vm.seconds,
    bareWalkOverTcpdump: tm.seconds / walk.seconds,
    framesPerSecond: MIXED_FRAMES / vm.seconds,
    mbPerSecond: mixedBytes / 2 ** 20 / vm.seconds,
  },
  pure: {
    adverts: PURE_ADVERTS, bytes: pureBytes,
    vrrpwatch: vp, tcpdump: tp,
    advertsPerSecond: PURE_ADVERTS / vp.seconds,
    vrrpwatchStartup: start,
    advertsPerSecondAfterStartup: PURE_ADVERTS / Math.max(1e-3, vp.seconds - start.seconds),
    mbPerSecond: pureBytes / 2 ** 20 / vp.seconds,
  },
  flood,
  vantage: { seconds: VANTAGE_SECONDS, one: vOne, two: vTwo },
};

const ok = (b: boolean): string => (b ? 'met' : 'MISSED');
const rss = (t: Timing): string => (t.maxRssKiB === null ? '?' : `${(t.maxRssKiB / 1024).toFixed(1)} MiB`);
const lines = [
  `vrrpwatch -r, best of ${RUNS}, warm page cache, ${results.machine.cpus} CPUs, Node ${process.version}`,
  '',
  `mixed  ${MIXED_FRAMES} frames, ${(mixedBytes / 2 ** 20).toFixed(0)} MiB, ~1% VRRP:`,
  `  vrrpwatch ${vm.seconds.toFixed(3)} s  ${(results.mixed.framesPerSecond / 1e6).toFixed(2)} M frames/s  ${results.mixed.mbPerSecond.toFixed(0)} MB/s  peak RSS ${rss(vm)}`,
  `  tcpdump   ${tm.seconds.toFixed(3)} s  (filter 'ip proto 112 or (vlan and ip proto 112)', -w /dev/null)`,
  `  bare readSync walk (no decoding) ${walk.seconds.toFixed(3)} s: the ceiling of any Node reader here, ${results.mixed.bareWalkOverTcpdump.toFixed(2)}x tcpdump`,
  `  floor: dd of the file ${copy.seconds.toFixed(3)} s + Node start-up ${nodeStart.seconds.toFixed(3)} s = ${(copy.seconds + nodeStart.seconds).toFixed(3)} s, ${results.mixed.floorOverTcpdump.toFixed(2)}x tcpdump at most`,
  `  speed-up over tcpdump ${results.mixed.speedupOverTcpdump.toFixed(2)}x  (target >= 4x: ${ok(results.mixed.speedupOverTcpdump >= 4)})`,
  '',
  `pure   ${PURE_ADVERTS} VRRP adverts, ${(pureBytes / 2 ** 20).toFixed(0)} MiB:`,
  `  vrrpwatch ${vp.seconds.toFixed(3)} s  ${(results.pure.advertsPerSecond / 1e6).toFixed(2)} M adverts/s  ${results.pure.mbPerSecond.toFixed(0)} MB/s  peak RSS ${rss(vp)}`,
  `  tcpdump   ${tp.seconds.toFixed(3)} s`,
  `  without start-up (vrrpwatch -r on a 17-frame capture: ${start.seconds.toFixed(3)} s): ${(results.pure.advertsPerSecondAfterStartup / 1e6).toFixed(2)} M adverts/s`,
  `  target >= 10 M adverts/s: ${ok(results.pure.advertsPerSecond >= 10e6)}`,
  '',
  `peak RSS < 64 MiB: ${ok(Math.max(vm.maxRssKiB ?? Infinity, vp.maxRssKiB ?? Infinity) < 64 * 1024)}`,
  '',
  `floods, ${FLOOD_ADVERTS} adverts 10 µs apart each, best of ${RUNS} interleaved:`,
  `  healthy pair (one master)          ${flood.healthy.seconds.toFixed(3)} s  peak RSS ${rss(flood.healthy)}`,
  `  random sources, one VRID           ${flood.oneVrid.seconds.toFixed(3)} s  peak RSS ${rss(flood.oneVrid)}  ${(flood.oneVrid.seconds / flood.healthy.seconds).toFixed(2)}x the healthy pair`,
  `  random sources, VRIDs and VLANs    ${flood.random.seconds.toFixed(3)} s  peak RSS ${rss(flood.random)}  ${(flood.random.seconds / flood.healthy.seconds).toFixed(2)}x the healthy pair`,
  `  dashboard redraw (snapshot + view) with ${flood.redrawMs.routers} routers: median ${flood.redrawMs.median.toFixed(1)} ms, ` +
    `slowest of 20 ${flood.redrawMs.max.toFixed(1)} ms (target < 100 ms: ${ok(flood.redrawMs.median < 100)})`,
  `  target <= 3x the healthy pair's time: ${ok(Math.max(flood.oneVrid.seconds, flood.random.seconds) <= 3 * flood.healthy.seconds)}; ` +
    `peak RSS < 128 MiB: ${ok(Math.max(flood.oneVrid.maxRssKiB ?? Infinity, flood.random.maxRssKiB ?? Infinity) < 128 * 1024)}`,
  `vantage points  ${VANTAGE_SECONDS} s of a healthy pair (${VANTAGE_SECONDS} adverts per capture), captured on A and on B:`,
  `  -r A          ${vOne.seconds.toFixed(3)} s  peak RSS ${rss(vOne)}`,
  `  -r A -r B     ${vTwo.seconds.toFixed(3)} s  peak RSS ${rss(vTwo)}  (two passes over both files, matched advert by advert)`,
];
console.log(lines.join('\n'));
writeFileSync(join(outDir, 'results.json'), JSON.stringify(results, null, 2) + '\n');

for (const extra of ['bench/tui-cost.js']) {
  const p = join(root, 'dist', extra);
  if (existsSync(p)) {
    console.log(`\n== ${extra}`);
    spawnSync(process.execPath, [p], { stdio: 'inherit' });
  }
}
const live = join(root, 'bench/live-load.sh');
if (existsSync(live)) {
  if (process.getuid && process.getuid() === 0) {
    console.log('\n== bench/live-load.sh');
    spawnSync('bash', [live], { stdio: 'inherit' });
  } else {
    console.log('\n(live load test skipped: needs root for network namespaces)');
  }
}
