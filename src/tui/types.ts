// The dashboard's contracts with the rest of the program: what it reads (a feed of Snapshots),
// what it is told (options), and the UI state the pure view model takes.
import type { Finding, Snapshot } from '../analyze/model.js';

/** One remedy, as produced by `fixesFor()` in src/remedy/index.ts (injected: see DashboardOptions.fixes). */
export interface Fix {
  tool: 'firewalld' | 'iptables' | 'nftables' | 'ufw' | 'keepalived' | 'switch' | 'bridge' | 'arping' | 'ndisc6' | 'vrrpwatch';
  /** Host the commands must run on, null when any/both. */
  host: string | null;
  title: string;
  commands: string[];
}

export type FixesFn = (f: Finding, opts?: { iface?: string }) => Fix[];

/** Where the dashboard's data comes from. Only snapshot() is required. */
export interface DashboardFeed {
  /** The current analysis. Called once per render tick (never per packet). */
  snapshot(): Snapshot;
  /** Optional cheap change counter: when it returns the same number as on the previous tick (and
   *  the UI did not change), snapshot() is not even called. */
  version?(): number;
  /** `filter`: the user's own BPF expression as given, 'default' for the built-in one, null for none (replay). */
  header: { source: string; filter: string | null; mode: 'live' | 'replay' };
  /** Optional log lines to show in the event pane (hook failures...): they must not be written to the
   *  terminal while the dashboard owns it. */
  notes?(): NoteLog;
  /** `p`: the display freezes; capture and analysis go on. */
  pause?(): void;
  resume?(): void;
  /** `c`: forget history (events, failovers, findings) in the analyzer. */
  clear?(): void;
}

export interface DashboardOptions {
  /** Show v2 simple-auth passwords as seen (`--show-auth`); masked otherwise. */
  showAuth: boolean;
  /** Remedies for a finding (src/remedy fixesFor). */
  fixes: FixesFn;
  /** Interface name passed to fixes (for `-i IFACE`). */
  iface?: string;
  /** Render tick in ms (default 250; clamped to >= 100). */
  tickMs?: number;
  /** Colours: default = stdout is a TTY and NO_COLOR is unset and TERM is not dumb. */
  colour?: boolean;
  /** Closes the dashboard (terminal restored, the promise resolves) when aborted: e.g. the capture
   *  ended (-c COUNT reached, capture error, signal handled by the caller). */
  signal?: AbortSignal;
  /** Injected blessed screen (tests); default: a new screen on the process's terminal. */
  screen?: import('blessed').Widgets.Screen;
  /** Injected timer functions (tests). */
  setInterval?: (fn: () => void, ms: number) => unknown;
  clearInterval?: (h: unknown) => void;
}

export type Focus = 'routers' | 'alerts' | 'events';

/** Everything the view depends on besides the snapshot. */
export interface UiState {
  /** Key of the selected virtual router (Router.key); null = the first one. */
  selectedKey: string | null;
  showAuth: boolean;
  /** `f`: the full-screen fixes view (every command whole, one per line), and its scroll offset. */
  fixesView: boolean;
  fixesScroll: number;
  paused: boolean;
  help: boolean;
  focus: Focus;
  colour: boolean;
  /** The terminal takes UTF-8 (marks, '…'); ASCII stand-ins otherwise. */
  unicode: boolean;
  /** Terminal size. */
  cols: number;
  rows: number;
  /** `c` pressed at this packet-clock time: older events, failovers and findings are not shown
   *  (works whether or not the feed can clear the analyzer's history). null = nothing cleared. */
  clearedAt: number | null;
  /** Scroll offsets of the alerts and event panes (lines from the top / from the newest). */
  alertsScroll: number;
  eventsScroll: number;
}

/** A log line shown in the event pane, stamped in the packet clock's time base. */
export interface Note { t: number; text: string }

/** Notes kept (the last few) and how many were ever added (a change counter for the render tick). */
export interface NoteLog { count: number; lines: readonly Note[] }
