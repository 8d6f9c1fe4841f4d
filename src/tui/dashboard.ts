// The dashboard's screen: one render tick pulls a Snapshot from the feed, the pure view model turns
// it into text, the layout shows it. Never per packet; nothing redrawn when nothing changed.
import type { Snapshot } from '../analyze/model.js';
import { applyView, createLayout } from './layout.js';
import { computeGeometry } from './geometry.js';
import type { DashboardFeed, DashboardOptions, Focus, UiState } from './types.js';
import { moveSelection } from './router-table.js';
import { buildView } from './view-model.js';
import type { ViewOptions } from './view-types.js';

export type { DashboardFeed, DashboardOptions, Fix, FixesFn } from './types.js';

/** Colours only on a TTY, never with NO_COLOR (set to anything but '', as no-color.org says) or TERM=dumb. */
export function colourWanted(env: NodeJS.ProcessEnv = process.env, isTty = process.stdout.isTTY === true): boolean {
  return isTty && (env.NO_COLOR === undefined || env.NO_COLOR === '') && env.TERM !== 'dumb';
}

/** What must change for the screen to need a redraw: coarse on purpose (time to the second). */
export function signature(s: Snapshot): string {
  const last = s.events.length === 0 ? null : s.events[s.events.length - 1]!;
  let states = '';
  for (const r of s.routers) states += r.state[0]!;
  return `${Math.floor(s.time)}|${s.routers.length}|${states}|${s.events.length}|${last === null ? '' : `${last.t}${last.type}`}|${s.findings.length}|${s.verdict}|${s.stats.pcapDropped}`;
}

/** The controlling terminal as a key source, or null (no terminal: keys cannot be read, q will not work). */
async function openTty(): Promise<import('node:tty').ReadStream | null> {
  try {
    const { openSync } = await import('node:fs');
    const tty = await import('node:tty');
    const fd = openSync('/dev/tty', 'r');
    return tty.isatty(fd) ? new tty.ReadStream(fd) : null;
  } catch { return null; }
}

const FOCUS_ORDER: Focus[] = ['routers', 'alerts', 'events'];

/** Runs the dashboard until the user quits (q / Ctrl-C); the terminal is restored when it resolves. */
export async function runDashboard(feed: DashboardFeed, opts: DashboardOptions): Promise<void> {
  const blessed = (await import('blessed')).default;
  const colour = opts.colour ?? colourWanted();
  // Keys come from the terminal even when stdin is not it (`-r - --tui` reads the capture from stdin,
  // or stdin was redirected): then /dev/tty, when there is one.
  const ttyIn = opts.screen === undefined && process.stdin.isTTY !== true ? await openTty() : null;
  const screen = opts.screen ?? blessed.screen({
    ...(ttyIn === null ? {} : { input: ttyIn as never }),
    smartCSR: true,
    title: 'vrrpwatch',
    autoPadding: true,
    warnings: false,
    dockBorders: false,
  });
  // With a UTF-8 locale, draw box characters as UTF-8 rather than through the ACS charset switch,
  // which tmux and several terminals show as letters ("lqqk") when the terminfo entry is off.
  const tput = (screen as unknown as { tput?: { unicode?: boolean; brokenACS?: boolean } }).tput;
  const unicode = tput?.unicode === true;
  if (unicode && opts.screen === undefined && tput !== undefined) tput.brokenACS = true;
  const layout = createLayout(blessed, screen, colour);
  const ui: UiState = {
    selectedKey: null, showAuth: opts.showAuth, paused: false, help: false, fixesView: false, fixesScroll: 0,
    focus: 'routers', colour, unicode, clearedAt: null, cols: screen.width as number, rows: screen.height as number, alertsScroll: 0, eventsScroll: 0,
  };
  const vopts: ViewOptions = { fixes: opts.fixes, source: feed.header.source, filter: feed.header.filter, mode: feed.header.mode };
  if (opts.iface !== undefined) vopts.iface = opts.iface;
  const tickMs = Math.max(100, opts.tickMs ?? 250);
  const setI = opts.setInterval ?? ((fn: () => void, ms: number) => setInterval(fn, ms));
  const clearI = opts.clearInterval ?? ((h: unknown) => clearInterval(h as NodeJS.Timeout));

  let snap = feed.snapshot();
  // Log notes move the version too: a hook failure shows even when the network is quiet.
  const notesCount = (): number => feed.notes?.().count ?? 0;
  const version = feed.version === undefined ? undefined : (): number => feed.version!() + notesCount();
  let lastVersion = version === undefined ? NaN : version();
  const sigOf = (s: Snapshot): string => `${signature(s)}|${notesCount()}`;
  let lastSig = sigOf(snap);

  const render = (): void => {
    ui.cols = screen.width as number;
    ui.rows = screen.height as number;
    if (ui.selectedKey === null && snap.routers.length > 0) ui.selectedKey = snap.routers[0]!.key;
    const vm = buildView(snap, ui, vopts, feed.notes?.().lines ?? []);
    // Keep the scroll offsets where the view clamped them, so that scrolling back needs no extra keys.
    ui.alertsScroll = vm.alerts.scroll;
    ui.eventsScroll = vm.events.scroll;
    if (vm.fixes !== null) ui.fixesScroll = vm.fixes.scroll;
    applyView(layout, vm, ui);
    screen.render();
  };

  /** One tick: pull a snapshot only when the feed says something changed; redraw only when it shows. */
  const tick = (): void => {
    if (ui.paused) return;
    if (version !== undefined) {
      const v = version();
      if (v === lastVersion) return;
      lastVersion = v;
    }
    snap = feed.snapshot();
    const sig = sigOf(snap);
    if (sig === lastSig) return;
    lastSig = sig;
    render();
  };

  return new Promise<void>((resolve, reject) => {
    let done = false;
    const quit = (err?: unknown): void => {
      if (done) return;
      done = true;
      clearI(timer);
      process.removeListener('exit', restore);
      process.removeListener('SIGTERM', onSignal);
      process.removeListener('SIGHUP', onSignal);
      opts.signal?.removeEventListener('abort', onSignal);
      try { screen.destroy(); } catch { /* terminal already gone */ }
      ttyIn?.destroy();
      if (err === undefined) resolve(); else reject(err);
    };
    // A failure while drawing (not per packet: once per tick) ends the dashboard cleanly and goes to
    // the caller's error handling with the terminal restored, rather than leaving it in raw mode.
    const safeTick = (): void => { try { tick(); } catch (e) { quit(e); } };
    const timer = setI(safeTick, tickMs);
    // If the process goes down some other way, still give the terminal back.
    const restore = (): void => { if (!done) { done = true; try { screen.destroy(); } catch { /* gone */ } } };
    const onSignal = (): void => quit();
    process.once('exit', restore);
    process.once('SIGTERM', onSignal);
    process.once('SIGHUP', onSignal);
    if (opts.signal !== undefined) {
      if (opts.signal.aborted) { quit(); return; }
      opts.signal.addEventListener('abort', onSignal, { once: true });
    }

    /** Next focusable pane that is on screen (the events pane is hidden on small terminals). */
    const cycleFocus = (dir: number): void => {
      const g = computeGeometry(screen.width as number, screen.height as number, snap.routers.length);
      const order = FOCUS_ORDER.filter((f) => g[f].visible);
      ui.focus = order[(order.indexOf(ui.focus) + order.length + dir) % order.length] ?? 'routers';
    };
    const scroll = (delta: number): void => {
      if (ui.focus === 'routers') ui.selectedKey = moveSelection(snap, ui.selectedKey, delta);
      else if (ui.focus === 'alerts') ui.alertsScroll = Math.max(0, ui.alertsScroll + delta);
      else ui.eventsScroll = Math.max(0, ui.eventsScroll - delta);
    };

    screen.on('keypress', (ch: string | undefined, key: { name?: string; full?: string; ctrl?: boolean } | undefined) => {
      try { onKey(ch, key); } catch (e) { quit(e); }
    });
    const onKey = (ch: string | undefined, key: { name?: string; full?: string; ctrl?: boolean } | undefined): void => {
      const name = key?.full ?? key?.name ?? ch ?? '';
      if (name === 'C-c') { quit(); return; }
      if (ui.help) { ui.help = false; render(); return; }
      // The fixes view takes the keys while it is open: q closes it (it does not quit).
      if (ui.fixesView) {
        const page = Math.max(1, (screen.height as number) - 3);
        switch (name) {
          case 'escape': case 'q': case 'f': ui.fixesView = false; break;
          case 'up': case 'k': ui.fixesScroll = Math.max(0, ui.fixesScroll - 1); break;
          case 'down': case 'j': ui.fixesScroll++; break;
          case 'pageup': ui.fixesScroll = Math.max(0, ui.fixesScroll - page); break;
          case 'pagedown': case 'space': ui.fixesScroll += page; break;
          case 'home': ui.fixesScroll = 0; break;
          case 'end': ui.fixesScroll = Number.MAX_SAFE_INTEGER; break;
          default:
            if (name === '?' || ch === '?') { ui.help = true; break; }
            return;
        }
        render();
        return;
      }
      if (name === 'q') { quit(); return; }
      switch (name) {
        case 'up': case 'k': scroll(-1); break;
        case 'down': case 'j': scroll(1); break;
        case 'pageup': scroll(-10); break;
        case 'pagedown': scroll(10); break;
        case 'home': ui.selectedKey = null; ui.alertsScroll = 0; ui.eventsScroll = 0; break;
        case 'enter': case 'tab': cycleFocus(1); break; // blessed sends 'return' and 'enter' for one Enter: take one
        case 'S-tab': cycleFocus(-1); break;
        case 'p':
          ui.paused = !ui.paused;
          if (ui.paused) feed.pause?.();
          else { feed.resume?.(); snap = feed.snapshot(); lastSig = sigOf(snap); }
          break;
        case 'c':
          feed.clear?.();
          ui.alertsScroll = 0; ui.eventsScroll = 0;
          if (!ui.paused) { snap = feed.snapshot(); lastSig = sigOf(snap); }
          ui.clearedAt = snap.time;
          break;
        case 'f': ui.fixesView = true; ui.fixesScroll = 0; break;
        case '?': ui.help = true; break;
        default:
          if (ch === '?') { ui.help = true; break; }
          return;
      }
      render();
    };
    screen.on('resize', () => { try { render(); } catch (e) { quit(e); } });
    try { render(); } catch (e) { quit(e); }
  });
}
