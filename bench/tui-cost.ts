// What the dashboard costs (issue 4): `node dist/bench/tui-cost.js` (run by `npm run bench`).
//  (a) CPU% of the process while idle: a live-like feed (the analyzer ticked every 100 ms on the wall
//      clock, as src/cli/live.ts does, the split-brain capture's routers on screen, nothing arriving),
//      with the dashboard rendering, over TUI_COST_IDLE_S seconds (default 20); and the same without it.
//  (b) adverts/s through decode + analysis, same process: the frames of pcaps/lab/splitbrain-firewall-drop.pcap
//      replayed in a loop (timestamps moved forward each lap) in chunks that yield to the event loop,
//      for TUI_COST_LOAD_S seconds (default 5) without the dashboard, then with it (render tick 250 ms,
//      worst case: the packet clock moves every tick so every tick redraws).
// The dashboard draws into a real terminal: this script re-runs itself inside a tmux pane (160x45, its
// own socket) when tmux is there; otherwise into an off-screen blessed screen (escape codes discarded).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { writeFileSync } from 'node:fs';
import { Writable, Readable } from 'node:stream';
import { dirname, join, resolve } from 'node:path';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import { readCaptureFile } from '../src/capture/file.js';
import { PacketDecoder } from '../src/decode/index.js';
import type { FrameSink } from '../src/decode/packet.js';
import { Analyzer } from '../src/analyze/analyzer.js';
import { runDashboard, type DashboardFeed } from '../src/tui/dashboard.js';
import { fixesFor } from '../src/remedy/index.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const PCAP = join(root, 'pcaps/lab/splitbrain-firewall-drop.pcap');
const LOAD_PCAP = join(root, process.env.TUI_COST_LOAD_PCAP ?? 'pcaps/lab/healthy.pcap');
const IDLE_S = Number(process.env.TUI_COST_IDLE_S ?? 20);
const LOAD_S = Number(process.env.TUI_COST_LOAD_S ?? 5);

interface Frame { bytes: Uint8Array; origlen: number; t: number; linktype: number }
interface Results { screen: string; idle: { withTui: number; without: number; seconds: number; renders: number };
  load: { withTui: number; without: number; seconds: number; renders: number } }

function loadFrames(path = PCAP): Frame[] {
  const d = new PacketDecoder();
  const out: Frame[] = [];
  const sink: FrameSink = {
    frame(buf, off, caplen, origlen, tsSec, tsNsec, linktype) {
      if ((d.decode(buf, off, caplen, origlen, tsSec, tsNsec, linktype) as number) === 0) return;
      out.push({ bytes: buf.slice(off, off + caplen), origlen, t: tsSec + tsNsec / 1e9, linktype });
    },
  };
  readCaptureFile(path, sink);
  return out;
}

/** Counts render ticks that redrew (screen.render calls). */
function countRenders(screen: { render(): void }): { n: number } {
  const c = { n: 0 };
  const orig = screen.render.bind(screen);
  screen.render = () => { c.n++; orig(); };
  return c;
}

async function makeScreen(offscreen: boolean): Promise<import('blessed').Widgets.Screen> {
  const blessed = (await import('blessed')).default;
  if (!offscreen) return blessed.screen({ smartCSR: true, autoPadding: true, warnings: false });
  const output = new Writable({ write(_c, _e, cb) { cb(); } }) as Writable & { columns: number; rows: number; isTTY: boolean };
  output.columns = 160; output.rows = 45; output.isTTY = true;
  const input = new Readable({ read() { /* never */ } }) as Readable & { isTTY: boolean; setRawMode(): void };
  input.isTTY = true; input.setRawMode = () => undefined;
  return blessed.screen({ input: input as never, output: output as never, terminal: 'xterm-256color', smartCSR: true, autoPadding: true, warnings: false });
}

const cpuPct = (u: NodeJS.CpuUsage, wallMs: number): number => ((u.user + u.system) / 1000 / wallMs) * 100;

/** (a) Live-like and quiet: CPU% over `seconds`, with or without the dashboard. */
async function idle(frames: Frame[], seconds: number, withTui: boolean, offscreen: boolean): Promise<{ cpu: number; renders: number }> {
  const a = new Analyzer();
  const d = new PacketDecoder();
  // Put the capture's routers in, shifted so that they end now: a screen with content, then silence.
  const shift = Date.now() / 1000 - frames[frames.length - 1]!.t;
  for (const f of frames) {
    const t = f.t + shift;
    d.decode(f.bytes, 0, f.bytes.length, f.origlen, Math.floor(t), Math.round((t % 1) * 1e9), f.linktype);
    a.packet(d.rec);
  }
  const tick = setInterval(() => { a.tick(Date.now() / 1000); a.setCaptureCounters(frames.length, 0, 0); }, 100);
  const ac = new AbortController();
  let renders = { n: 0 };
  const u0 = process.cpuUsage();
  const t0 = Date.now();
  if (withTui) {
    const screen = await makeScreen(offscreen);
    renders = countRenders(screen);
    const feed: DashboardFeed = {
      snapshot: () => a.snapshot(), version: () => a.changeCount,
      header: { source: 'interface bench0', filter: null, mode: 'live' },
    };
    const timer = setTimeout(() => ac.abort(), seconds * 1000);
    await runDashboard(feed, { showAuth: false, fixes: fixesFor, iface: 'bench0', signal: ac.signal, screen });
    clearTimeout(timer);
  } else {
    await new Promise((r) => setTimeout(r, seconds * 1000));
  }
  const cpu = cpuPct(process.cpuUsage(u0), Date.now() - t0);
  clearInterval(tick);
  return { cpu, renders: renders.n };
}

/** (b) Adverts/s through decode + analysis for `seconds`, with or without the dashboard's render tick. */
async function load(frames: Frame[], seconds: number, withTui: boolean, offscreen: boolean): Promise<{ rate: number; renders: number }> {
  const a = new Analyzer();
  const d = new PacketDecoder();
  const first = frames[0]!.t;
  const lap = frames[frames.length - 1]!.t - first + 1;
  let adverts = 0;
  let stop = false;
  let base = 1_800_000_000 - first;
  let i = 0;
  const CHUNK = 20_000;
  const pump = (): Promise<void> => new Promise((done) => {
    const step = (): void => {
      if (stop) { done(); return; }
      for (let k = 0; k < CHUNK; k++) {
        const f = frames[i]!;
        const t = f.t + base;
        const sec = Math.floor(t);
        d.decode(f.bytes, 0, f.bytes.length, f.origlen, sec, Math.round((t - sec) * 1e9), f.linktype);
        if (a.packet(d.rec) !== 'other') adverts++;
        if (++i === frames.length) { i = 0; base += lap; }
      }
      setImmediate(step);
    };
    step();
  });
  let renders = { n: 0 };
  const t0 = Date.now();
  const running = pump();
  setTimeout(() => { stop = true; }, seconds * 1000);
  if (withTui) {
    const screen = await makeScreen(offscreen);
    renders = countRenders(screen);
    const ac = new AbortController();
    const feed: DashboardFeed = {
      snapshot: () => a.snapshot(), version: () => a.changeCount,
      header: { source: 'bench (synthetic replay)', filter: null, mode: 'live' },
    };
    const dash = runDashboard(feed, { showAuth: false, fixes: fixesFor, signal: ac.signal, screen });
    await running;
    ac.abort();
    await dash;
  } else {
    await running;
  }
  return { rate: adverts / ((Date.now() - t0) / 1000), renders: renders.n };
}

async function measure(offscreen: boolean): Promise<Results> {
  const frames = loadFrames();
  const idleWithout = await idle(frames, Math.min(5, IDLE_S), false, offscreen);
  const idleWith = await idle(frames, IDLE_S, true, offscreen);
  const steady = loadFrames(LOAD_PCAP);
  await load(steady, 1, false, offscreen); // warm-up (JIT), not counted
  const loadWithout = await load(steady, LOAD_S, false, offscreen);
  const loadWith = await load(steady, LOAD_S, true, offscreen);
  return {
    screen: offscreen ? 'off-screen blessed (160x45, output discarded)' : 'tmux pane 160x45',
    idle: { withTui: idleWith.cpu, without: idleWithout.cpu, seconds: IDLE_S, renders: idleWith.renders },
    load: { withTui: loadWith.rate, without: loadWithout.rate, seconds: LOAD_S, renders: loadWith.renders },
  };
}

function print(r: Results): void {
  const row = (a: string, b: string, c: string): string => `  ${a.padEnd(34)} ${b.padStart(14)} ${c.padStart(14)}`;
  console.log(`dashboard cost (${r.screen}; node ${process.version})`);
  console.log(row('', 'dashboard', 'no dashboard'));
  console.log(row(`idle CPU% (live-like, ${r.idle.seconds} s)`, r.idle.withTui.toFixed(2) + ' %', r.idle.without.toFixed(2) + ' %'));
  console.log(row(`adverts/s decode+analysis (${r.load.seconds} s)`, Math.round(r.load.withTui).toLocaleString('en'), Math.round(r.load.without).toLocaleString('en')));
  console.log(row('  ratio with/without', (r.load.withTui / r.load.without * 100).toFixed(1) + ' %', ''));
  console.log(`  redraws: ${r.idle.renders} while idle (${(r.idle.renders / r.idle.seconds).toFixed(2)}/s), ${r.load.renders} under load (${(r.load.renders / r.load.seconds).toFixed(2)}/s)`);
}

const args = process.argv.slice(2);
const childOut = args[0] === '--child' ? args[1] : undefined;
if (childOut !== undefined) {
  // Inside the tmux pane: measure, hand the numbers back through a file.
  const r = await measure(false);
  writeFileSync(childOut, JSON.stringify(r));
  process.exit(0);
}
let haveTmux = true;
try { execFileSync('tmux', ['-V'], { stdio: 'ignore' }); } catch { haveTmux = false; }
if (!haveTmux || args.includes('--offscreen')) {
  print(await measure(true));
} else {
  const dir = mkdtempSync(join(tmpdir(), 'tui-cost-'));
  const sock = join(dir, 'tmux.sock');
  const out = join(dir, 'result.json');
  const me = fileURLToPath(import.meta.url);
  try {
    execFileSync('tmux', ['-S', sock, 'new-session', '-d', '-s', 'tuicost', '-x', '160', '-y', '45', '-e', 'LANG=C.UTF-8',
      process.execPath, me, '--child', out]);
    const limit = Date.now() + (IDLE_S + 5 + 2 * LOAD_S + 60) * 1000;
    while (!existsSync(out) && Date.now() < limit) await new Promise((r) => setTimeout(r, 250));
    if (!existsSync(out)) throw new Error('tui-cost: the measuring process in tmux gave no result');
    await new Promise((r) => setTimeout(r, 100));
    print(JSON.parse(readFileSync(out, 'utf8')) as Results);
  } finally {
    try { execFileSync('tmux', ['-S', sock, 'kill-server'], { stdio: 'ignore' }); } catch { /* ended with the pane */ }
    rmSync(dir, { recursive: true, force: true });
  }
}
