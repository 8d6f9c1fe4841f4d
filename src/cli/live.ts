// `vrrpwatch -i IFACE` (dashboard, or lines when not a terminal / --no-tui) and `vrrpwatch check -i IFACE`.
// Loaded only for live modes: it pulls in the libpcap binding.
import { Analyzer } from '../analyze/analyzer.js';
import type { AnalysisEvent, Snapshot } from '../analyze/model.js';
import type { FrameSink } from '../decode/packet.js';
import { openLive, listInterfaces, formatInterfaceList, dropPrivileges, DEFAULT_FILTER, type LiveCapture } from '../live/index.js';
import { PcapWriter } from '../capture/pcap-writer.js';
import { Pipeline } from '../pipeline.js';
import { BatchWriter } from '../report/out.js';
import { localTimestamp } from '../report/format.js';
import { renderText } from '../report/text.js';
import { sanitize } from '../report/sanitize.js';
import { REPORT_SCHEMA, routersAndFindings } from '../report/json.js';
import { summarize } from '../report/summary.js';
import { VrrpwatchError } from '../errors.js';
import { DEFAULT_PROBE_INTERVAL, advertPrinter, analyzerOptions, printCheck, useColor, type CheckOptions, type OfflineOptions } from './common.js';
import { parseAddress, probeFrame, probeSource, type ProbeSource, type ProbeTarget } from '../live/probe.js';
import { startHooks, type Hooks } from './hooks.js';

/** How often the analyzer's clock advances without packets (silence detection), lines are flushed,
 *  libpcap counters are read and metrics refreshed. */
const TICK_MS = 100;

export async function listInterfacesCommand(): Promise<number> {
  const list = listInterfaces();
  process.stdout.write(formatInterfaceList(list) + '\n');
  return 0;
}

function open(o: { interface?: string; filter?: string; snapshotLength: number; promiscuousMode: boolean; bufferSize: number }): LiveCapture {
  return openLive({
    iface: o.interface!,
    filter: o.filter ?? DEFAULT_FILTER,
    snaplen: o.snapshotLength,
    promisc: o.promiscuousMode,
    bufferSize: o.bufferSize * 1024,
    immediate: true,
  });
}

/** Wall clock in the packets' time base: libpcap's kernel timestamps are wall-clock time too. */
const now = (): number => Date.now() / 1000;

/** One line per event for the line mode (text), or an NDJSON object. */
export function eventLine(e: AnalysisEvent, json: boolean): string {
  if (json) return JSON.stringify({ kind: 'event', ...e });
  const sev = e.severity === 'critical' ? 'CRITICAL' : e.severity === 'warning' ? 'WARNING' : 'event';
  return `${localTimestamp(e.t)} ${sev} VRID ${e.vrid}${e.family === 6 ? ' (IPv6)' : ''}${e.vlan !== null ? ` vlan ${e.vlan}` : ''}: ${sanitize(e.message)}`;
}

/** Frames go to the pcap writer (-w) first, then to the analysis. */
class Tee implements FrameSink {
  constructor(private readonly writer: PcapWriter, private readonly pipe: Pipeline, private readonly after: () => void) {}
  frame(buf: Uint8Array, off: number, caplen: number, origlen: number, tsSec: number, tsNsec: number, lt: number): void {
    this.writer.frame(buf, off, caplen, origlen, tsSec, tsNsec, lt);
    this.pipe.frame(buf, off, caplen, origlen, tsSec, tsNsec, lt);
  }
  batchEnd(): void {
    this.writer.batchEnd();
    this.after();
  }
}

class PipeSink implements FrameSink {
  constructor(private readonly pipe: Pipeline, private readonly after: () => void) {}
  frame(buf: Uint8Array, off: number, caplen: number, origlen: number, tsSec: number, tsNsec: number, lt: number): void {
    this.pipe.frame(buf, off, caplen, origlen, tsSec, tsNsec, lt);
  }
  batchEnd(): void { this.after(); }
}

export interface LiveRun {
  analyzer: Analyzer;
  session: LiveCapture;
  pipe: Pipeline;
  /** Resolves when the capture stopped (signal, -c, error); stop() ends it from outside. */
  done: Promise<void>;
  stop(): void;
  error: VrrpwatchError | null;
}

/** Opens the capture, wires frames → analysis, ticks the clock; the caller decides what to show. */
export function startLive(o: {
  interface?: string; filter?: string; snapshotLength: number; promiscuousMode: boolean; bufferSize: number;
  expectVrid: number[]; maxRouters?: number; maxSources?: number; write?: string; count?: number; relinquishPrivileges?: string;
  probeVip?: number | true; vip?: string[];
}, printer: ((p: import('../decode/packet.js').PacketRecord, n: import('../analyze/model.js').AdvertNote, a: string | null) => void) | null,
   onTick: (() => void) | null, afterBatch: () => void): LiveRun {
  const session = open(o);
  // --probe-vip: where the probes leave from, settled before anything is delivered (a usage error closes the capture)
  let probe: ProbeSource | null = null;
  if (o.probeVip !== undefined) {
    try {
      probe = probeSource(o.interface!, session.linktype, listInterfaces().find((d) => d.name === o.interface)?.addresses ?? []);
    } catch (e) {
      session.close();
      throw e;
    }
  }
  if (o.relinquishPrivileges) dropPrivileges(o.relinquishPrivileges);
  const analyzer = new Analyzer(analyzerOptions(o));
  // -c N: the session stops delivering at once when the pipeline reaches N (even inside a batch).
  const pipe = new Pipeline(analyzer, printer, o.count ?? Infinity, () => run.stop());
  const writer = o.write ? new PcapWriter(o.write, { linktype: session.linktype, snaplen: session.snaplen, nano: session.nano }) : null;
  let resolve!: () => void;
  const done = new Promise<void>((r) => { resolve = r; });
  let stopped = false;
  const run: LiveRun = {
    analyzer, session, pipe, done, error: null,
    stop() {
      if (stopped) return;
      stopped = true;
      clearInterval(timer);
      if (probeTimer !== null) clearInterval(probeTimer);
      if (probeFirst !== null) clearTimeout(probeFirst);
      session.close();
      writer?.close();
      const st = session.stats();
      analyzer.setCaptureCounters(st.received, st.dropped, st.ifDropped);
      resolve();
    },
  };
  session.onError = (e) => { run.error = e; run.stop(); };
  session.start(writer ? new Tee(writer, pipe, afterBatch) : new PipeSink(pipe, afterBatch));
  const timer = setInterval(() => {
    analyzer.tick(now());
    const st = session.stats();
    analyzer.setCaptureCounters(st.received, st.dropped, st.ifDropped);
    if (onTick) onTick();
  }, TICK_MS);
  let probeTimer: ReturnType<typeof setInterval> | null = null;
  let probeFirst: ReturnType<typeof setTimeout> | null = null;
  if (probe !== null) {
    const src = probe;
    const extra = (o.vip ?? []).map((v) => parseAddress(v)).filter((t): t is ProbeTarget => t !== null);
    const every = (o.probeVip === true || o.probeVip === undefined ? DEFAULT_PROBE_INTERVAL : o.probeVip) * 1000;
    const round = (): void => {
      if (stopped) return;
      // every address an advert lists (or --vip names), once per round
      const targets = new Map<string, ProbeTarget>();
      for (const v of analyzer.virtualAddresses()) targets.set(`${v.family}/${v.words.join('.')}`, { family: v.family, address: v.address, words: v.words });
      for (const t of extra) targets.set(`${t.family}/${t.words.join('.')}`, t);
      for (const t of targets.values()) {
        const f = probeFrame(src, t);
        if (f === null) continue;                 // IPv6 without a link-local address here: not probed
        const sentAt = now();                     // before the frame leaves: its answer may be stamped within 0.1 ms
        try {
          session.inject(f);
        } catch (e) {
          run.error = e instanceof VrrpwatchError ? e : new VrrpwatchError('interface', `--probe-vip: ${(e as Error).message}`);
          run.stop();
          return;
        }
        const w = t.words;
        analyzer.probeSent(t.family, w[0], w[1], w[2], w[3], sentAt);
      }
    };
    // the first round once the adverts have named the addresses (at once for --vip ones), then every interval
    probeFirst = setTimeout(() => {
      probeFirst = null;
      round();
      if (!stopped) probeTimer = setInterval(round, every);
    }, Math.min(every, extra.length > 0 ? 100 : 1500));
  }
  return run;
}

function onSignals(stop: () => void): () => void {
  const h = (): void => stop();
  process.on('SIGINT', h); process.on('SIGTERM', h); process.on('SIGHUP', h);
  return () => { process.off('SIGINT', h); process.off('SIGTERM', h); process.off('SIGHUP', h); };
}

export async function runLive(o: OfflineOptions): Promise<number> {
  const tui = o.tui !== false && process.stdout.isTTY === true && process.env.TERM !== 'dumb' && !o.json && !o.adverts;
  // -w - writes the capture to standard output, as tcpdump does; lines and the summary then go to stderr.
  const out = new BatchWriter(o.write === '-' ? 2 : 1);
  if (o.write === '-' && tui) throw new VrrpwatchError('usage', "-w - writes the capture to standard output: use it with --no-tui");
  const hooks: Hooks | null = o.notify.length > 0 ? await startHooks(o.notify, o.notifyTimeout, (s) => process.stderr.write(s + '\n'), o.json) : null;
  let metrics: Awaited<ReturnType<typeof import('./metrics.js').startMetrics>> | null = null;
  try {
    metrics = o.metrics !== undefined ? await (await import('./metrics.js')).startMetrics(o.metrics) : null;
    return await captureAndReport(o, tui, out, hooks, metrics);
  } finally {
    // also when the capture never opened (wrong interface): a service must exit, not linger on its HTTP port
    if (hooks) await hooks.close();
    if (metrics) await metrics.close();
  }
}

async function captureAndReport(o: OfflineOptions, tui: boolean, out: BatchWriter, hooks: Hooks | null,
  metrics: { update(s: Snapshot, h?: ReturnType<Hooks['stats']>): void; due(): boolean } | null): Promise<number> {
  // Line mode prints every advert (unless --events-only) and event as it comes (flushed after each batch and tick).
  const printer = tui || o.eventsOnly ? null : advertPrinter(out, o, false);
  // A reader that went away (`| head`) ends the capture like Ctrl-C would.
  const flush = (): void => { out.flush(); if (out.closed) run.stop(); };
  const run = startLive(o, printer, () => {
    flush();
    // a snapshot only when the exporter will take it (once a second), not on every 100 ms tick
    if (metrics !== null && metrics.due()) metrics.update(run.analyzer.snapshot(), hooks?.stats());
  }, flush);
  run.analyzer.onEvent = (e) => {
    // text lines: the split-brain / no-master findings repeat their own events, said a line earlier
    const repeat = !o.json && e.type === 'finding' && (e.findingCode === 'split-brain' || e.findingCode === 'no-master');
    if (!tui && !repeat) out.line(eventLine(e, o.json));
    hooks?.event(e, run.analyzer);
  };
  // Signals are ours before "listening on" is said: whoever waits for that line (a supervisor, a test) may
  // stop us at once and still gets the summary (a SIGTERM before the handler would kill the process).
  const unhook = onSignals(() => run.stop());
  if (!tui) {
    process.stderr.write(`vrrpwatch: listening on ${o.interface}, link type ${run.session.linktype}, snapshot length ${run.session.snaplen}` +
      (run.session.warning ? ` (${run.session.warning})` : '') + '\n');
  }
  if (tui) {
    const { runLiveDashboard } = await import('./dashboard.js');
    await runLiveDashboard(run.analyzer, run.done, o);
    run.stop();
  }
  await run.done;
  unhook();
  run.analyzer.finish();
  const snap = run.analyzer.snapshot();
  if (o.json) {
    // the same verdict, routers and findings as the -r --json report (docs/adverts-json.md)
    const sum = summarize(snap);
    const { routers, findings, omitted } = routersAndFindings(snap, sum, { showAuth: o.showAuth, iface: o.interface });
    out.line(JSON.stringify({
      kind: 'summary', schema: REPORT_SCHEMA, verdict: { severity: sum.severity, label: sum.label, headline: sum.headline },
      stats: snap.stats, routers, findings, limits: snap.limits ?? null, omitted,
    }));
  } else {
    out.line('');
    out.line(renderText(snap, { name: `interface ${o.interface}`, format: null, bytesRead: null, fileSize: null, problem: null },
      { showAuth: o.showAuth, color: useColor(o, 1), iface: o.interface }).trimEnd());
  }
  out.flush();
  if (run.error) throw run.error;
  return 0;
}

/** `check -i`: listen until every virtual router seen (and every --expect-vrid) has advertised at least three
 *  times and three of the longest advertised intervals have passed (so a backup that should take over had
 *  time to), at most -t seconds. */
export async function runLiveCheck(o: CheckOptions): Promise<number> {
  const started = now();
  let finished = false;
  let judgedAt = 0;
  const stop = (): void => { if (!finished) { finished = true; run.stop(); } };
  const run = startLive({ ...o }, null, () => {
    // is it enough yet? judged four times a second, not on every 100 ms tick, from the analyzer's counters
    // (no snapshot: with a flood's thousand routers that would be the check's main cost)
    const t = now();
    if (finished || t - judgedAt < 0.25) return;
    judgedAt = t;
    const s = run.analyzer.readiness(3, o.expectVrid);
    if (s.routers === 0) return;
    // during a flood a newcomer is tracked one advert late and advertises from its next: two intervals more
    const enough = s.vridsSeen && s.ready && t - started >= (s.flood ? 5 : 3) * s.longest + 0.5;
    if (enough) stop();
  }, () => undefined);
  // -t is kept by its own timer, not by the judging cadence above
  const deadline = setTimeout(stop, Math.max(0, o.timeout * 1000 - (now() - started) * 1000));
  const unhook = onSignals(() => run.stop());
  await run.done;
  clearTimeout(deadline);
  unhook();
  if (run.error) throw run.error;
  run.analyzer.finish();
  return printCheck(run.analyzer.snapshot(), o, null, o.expectVrid.length > 0 ? 2 : 3);
}
