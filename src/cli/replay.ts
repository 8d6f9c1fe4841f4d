// `vrrpwatch -r FILE --tui [--speed N]`: a capture someone sent, looked at through the same dashboard.
// First pass: keep a copy of every frame the decoder finds interesting (VRRP, ICMP errors, ARP) — a
// bounded list, usually tiny next to the file. Then feed them to a fresh analyzer, either all at once
// (browse the result) or paced at N × real time. --notify hooks fire for the events as they are
// replayed; their log lines go to the event pane while the screen is up. The replay itself (replayFrames)
// also serves several captures read together (vantage-replay.ts), which keep their merged frames.
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
import type { Snapshot } from '../analyze/model.js';

/** Frames kept for a replay at most (about 100 MB of adverts). */
export const MAX_FRAMES = 1_000_000;

export interface Kept { bytes: Uint8Array; origlen: number; tsSec: number; tsNsec: number; linktype: number }

/** What a replay shows and prints: the kept frames in time order, the dashboard's header, what the summary
 *  after the screen adds (the snapshot's decoration, the report options), the lines for stderr, the exit code. */
export interface ReplaySource {
  label: string;
  frames: Kept[];
  /** The frames were cut at MAX_FRAMES. */
  full: boolean;
  /** Set on the replay's analyzer (several captures: where the adverts arrived). */
  wires?: import('../analyze/vantage/wire-cause.js').WireEvidence;
  decorate?: (s: Snapshot) => Snapshot;
  /** The report after the screen, as -r prints it. */
  summary: (s: Snapshot) => string;
  problems: string[];
}

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
  const source: SourceInfo = { name: path, format: read.format, bytesRead: read.bytesRead, fileSize: read.fileSize, problem: read.problem };
  return replayFrames({
    label: path, frames: keeper.kept, full: keeper.kept.length >= MAX_FRAMES,
    // With --json, the JSON report, as `-r FILE --json` prints it.
    summary: (snap) => (o.json
      ? renderJson(snap, source, { showAuth: o.showAuth, version: VERSION })
      : renderText(snap, source, { showAuth: o.showAuth, color: useColor(o, 1) })),
    problems: read.problem ? [problemLine(path, read)] : [],
  }, o);
}

/** Replay kept frames through the dashboard, then print the summary. */
export async function replayFrames(src: ReplaySource, o: OfflineOptions): Promise<number> {
  const frames = src.frames;
  const analyzer = new Analyzer(analyzerOptions(o));
  if (src.wires !== undefined) analyzer.wireEvidence = src.wires;
  const snapshot = (): Snapshot => (src.decorate !== undefined ? src.decorate(analyzer.snapshot()) : analyzer.snapshot());
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
    snapshot,
    version: () => analyzer.changeCount,
    notes: () => notes,
    header: { source: o.speed === undefined ? src.label : `${src.label} at ${o.speed}x`, filter: null, mode: 'replay' },
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
    process.stdout.write(src.summary(snapshot()));
    // Quit before a paced replay reached the end: the summary covers only what was replayed; say so.
    if (next < frames.length) {
      process.stderr.write(`vrrpwatch: replay stopped after ${next} of ${frames.length} VRRP-related frames: the summary above covers only those (without --speed the whole capture is analysed)\n`);
    }
    if (src.full) process.stderr.write(`vrrpwatch: replay kept the first ${MAX_FRAMES} VRRP-related frames only\n`);
    for (const l of src.problems) process.stderr.write(l + '\n');
    return src.problems.length > 0 ? 1 : 0;
  } finally {
    // As with -r FILE --notify: running and queued hooks finish (up to their timeout) before the exit.
    if (hooks) await hooks.close();
  }
}
