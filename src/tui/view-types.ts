// What the pure view model hands to the screen (src/tui/layout.ts), and what it is told besides the
// snapshot and the UI state. Types only: every pane's builder and the screen import these, and this file
// imports none of them, so no pane needs view-model.ts (no import circle).
import type { Geometry } from './geometry.js';
import type { FixesFn } from './types.js';

export type Tone = 'ok' | 'warn' | 'crit' | 'info' | 'dim';

export interface PaneText {
  title: string;
  /** Tagged lines, each at most the pane's inner width once tags are removed. */
  lines: string[];
}

export interface ChartSeries {
  /** Advertiser IP (sanitised). */
  title: string;
  /** The plotted points: x labels (seconds since the first packet) and y values (priorities). */
  x: string[];
  y: number[];
}

export interface ViewModel {
  geometry: Geometry;
  header: { state: string; tone: Tone; line: string };
  routers: PaneText & { keys: string[]; selected: number };
  advertisers: PaneText;
  chart: PaneText & { series: ChartSeries[] };
  failovers: PaneText;
  alerts: PaneText & { count: number; /** The scroll offset actually used (clamped). */ scroll: number };
  events: PaneText & { scroll: number };
  help: PaneText | null;
  /** The full-screen fixes view (`f`), null when closed: title line, body (already scrolled), footer
   *  line, all three tagged (unlike the panes' plain titles: this view has no border to carry one). */
  fixes: (PaneText & { footer: string; scroll: number }) | null;
}

export interface ViewOptions {
  fixes: FixesFn;
  iface?: string;
  source: string;
  /** The user's BPF expression, 'default' for the built-in one (too long to show), null for none. */
  filter: string | null;
  mode: 'live' | 'replay';
}
