// `vrrpwatch -r FILE --tui [--speed N]`: a capture someone sent, looked at through the same dashboard.
// First pass: keep a copy of every frame the decoder finds interesting (VRRP, ICMP errors, ARP) — a
// bounded list, usually tiny next to the file. Then feed them to a fresh analyzer, either all at once
// (browse the result) or paced at N × real time. --notify hooks fire for the events as they are
// replayed; their log lines go to the event pane while the screen is up.
import { readCaptureFile } from '../capture/file.js';
import { PacketDecoder } from '../decode/index.js';
import type { FrameSink } from '../decode/packet.js';
import { Analyzer } from '../analyze/analyzer.js';
import { runDashboard, type DashboardFeed } from '../tui/dashboard.js';
import { NoteBuffer } from '../tui/notes.js';
import { startHooks } from './hooks.js';
import { renderText, type SourceInfo } from '../report/text.js';
import { renderJson } from '../report/json.js';
import { VERSION } from './version.js';
import { fixesFor } from '../remedy/index.js';
import { analyzerOptions, problemLine, useColor, type OfflineOptions } from './common.js';

/** Frames kept for a replay at most (about 100 MB of adverts). */
const MAX_FRAMES = 1_000_000;

interface Kept { bytes: Uint8Array; origlen: number; tsSec: number; tsNsec: number; linktype: number }

class Keeper implements FrameSink {
  readonly kept: Kept[] = [];
  private readonly d = new PacketDecoder();
  frame(buf: Uint8Array, off: number, caplen: number, origlen: number, tsSec: number, tsNsec: number, linktype: number): void {
    if ((this.d.decode(buf, off, caplen, origlen, tsSec, tsNsec, linktype) as number) === 0) return;
    if (this.kept.length >= MAX_FRAMES) return;
    this.kept.push({ bytes: buf.slice(off, off + caplen), origlen, tsSec, tsNsec, linktype });
  }
}

/** The replay on a terminal (runOffline() prints the report instead when there is none). */
export async function runReplayDashboard(path: string, o: OfflineOptions): Promise<number> {
  const keeper = new Keeper();
  const read = readCaptureFile(path, keeper);
  const frames = keeper.kept;
  const analyzer = new Analyzer(analyzerOptions(o));
  const decoder = new PacketDecoder();
  // The replay clock (packet time reached), which also stamps the hooks' log lines.
  let clock = frames.length ? frames[0]!.tsSec + frames[0]!.tsNsec / 1e9 : 0;
  const notes = new NoteBuffer();
  const hooks = o.notify.length > 0 ? await startHooks(o.notify, o.notifyTimeout, (s) => process.stderr.write(s + '\n'), o.json) : null;
  if (hooks) {
    hooks.setLogger((line) => notes.add(clock, line));
    analyzer.onEvent = (e) => hooks.event(e, analyzer);
  }
  let next = 0;
  const feedUpTo = (t: number): void => {
    for (; next < frames.length; next++) {
      const f = frames[next]!;
      const ft = f.tsSec + f.tsNsec / 1e9;
      if (ft > t) break;
      clock = ft;
      decoder.decode(f.bytes, 0, f.bytes.length, f.origlen, f.tsSec, f.tsNsec, f.linktype);
      analyzer.packet(decoder.rec);
    }
  };
  const feed: DashboardFeed = {
    snapshot: () => analyzer.snapshot(),
    version: () => analyzer.changeCount,
    notes: () => notes,
    header: { source: o.speed === undefined ? path : `${path} at ${o.speed}x`, filter: null, mode: 'replay' },
    clear: () => analyzer.clearHistory(),
  };
  let timer: NodeJS.Timeout | null = null;
  if (o.speed === undefined) {
    // As fast as possible, then browse the result.
    feedUpTo(Infinity);
    analyzer.finish();
  } else {
    // Paced: the replay clock runs at speed × real time and stops while paused.
    const speed = o.speed;
    const first = frames.length ? frames[0]!.tsSec + frames[0]!.tsNsec / 1e9 : 0;
    let replayed = 0;          // replay-clock seconds elapsed
    let last = Date.now();
    let paused = false;
    feed.pause = () => { paused = true; };
    feed.resume = () => { paused = false; last = Date.now(); };
    timer = setInterval(() => {
      const wall = Date.now();
      if (!paused) replayed += ((wall - last) / 1000) * speed;
      last = wall;
      const t = first + replayed;
      feedUpTo(t);
      clock = Math.max(clock, t);
      analyzer.tick(t);
      if (next >= frames.length && timer) { clearInterval(timer); timer = null; analyzer.finish(); }
    }, 50);
  }
  try {
    try {
      await runDashboard(feed, { showAuth: o.showAuth, fixes: fixesFor, colour: useColor(o, 1) });
    } finally {
      if (timer) clearInterval(timer);
      hooks?.setLogger(null);
      for (const line of notes.drain()) process.stderr.write(line + '\n');
    }
    // Back on the normal screen: the same summary as the report, so what was seen stays in the scrollback.
    const source: SourceInfo = { name: path, format: read.format, bytesRead: read.bytesRead, fileSize: read.fileSize, problem: read.problem };
    // With --json, the JSON report, as `-r FILE --json` prints it.
    const snap = analyzer.snapshot();
    process.stdout.write(o.json
      ? renderJson(snap, source, { showAuth: o.showAuth, version: VERSION })
      : renderText(snap, source, { showAuth: o.showAuth, color: useColor(o, 1) }));
    // Quit before a paced replay reached the end: the summary covers only what was replayed; say so.
    if (next < frames.length) {
      process.stderr.write(`vrrpwatch: replay stopped after ${next} of ${frames.length} VRRP-related frames: the summary above covers only those (without --speed the whole capture is analysed)\n`);
    }
    if (frames.length >= MAX_FRAMES) process.stderr.write(`vrrpwatch: replay kept the first ${MAX_FRAMES} VRRP-related frames only\n`);
    if (read.problem) process.stderr.write(problemLine(path, read) + '\n');
    return read.problem ? 1 : 0;
  } finally {
    // As with -r FILE --notify: running and queued hooks finish (up to their timeout) before the exit.
    if (hooks) await hooks.close();
  }
}
