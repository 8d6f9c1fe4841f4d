// The pure half of the dashboard: (Snapshot, UiState) -> what each pane shows, already fitted to the
// pane's width and safe to hand to blessed with tags on. No blessed, no I/O, no clock: the time shown
// is the snapshot's (packet clock). Every text that came from packets goes through clean() (no
// control characters or ESC sequences), is masked when it is a password, and is tag-escaped after it
// has been truncated.
import type { Advertiser, Cause, Finding, Router, Snapshot } from '../analyze/model.js';
import { maskSecret } from '../report/sanitize.js';
import { computeGeometry, inner, type Geometry } from './geometry.js';
import { clean, escapeControls, escapeTags } from './sanitize.js';
import type { Fix, FixesFn, Note, UiState } from './types.js';
import { claimersWithoutAdverts, holdsCell, probeTitle } from './ownership-cells.js';

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

/** Longest filter expression shown in the header before it is cut. */
const FILTER_MAX = 40;

const TONE_COLOUR: Record<Tone, string> = { ok: 'green', warn: 'yellow', crit: 'red', info: 'cyan', dim: 'gray' };

// ---------------------------------------------------------------------------------------------
// Small text helpers (plain text in, plain text out; tags are added last).

/** Cuts plain text to `width` columns, marking the cut with '…'. */
export function fit(text: string, width: number): string {
  if (width <= 0) return '';
  return text.length <= width ? text : text.slice(0, Math.max(0, width - 1)) + G.ellipsis;
}

// Glyphs: UTF-8 or ASCII, chosen at the start of buildView() from UiState.unicode.
const UTF = { ellipsis: '…', marks: ['●', '○', '◆', '■', '▲', 'x', '+'], vert: '│', tick: '┤', corner: '└', dash: '─', arrows: '↑/↓' };
const ASCII = { ellipsis: '~', marks: ['*', 'o', '#', '@', '%', 'x', '+'], vert: '|', tick: '+', corner: '+', dash: '-', arrows: 'Up/Down' };
let G = UTF;

function pad(text: string, width: number, right = false): string {
  const t = fit(text, width);
  return right ? t.padStart(width) : t.padEnd(width);
}

function paint(text: string, tone: Tone | null, colour: boolean, bold = false): string {
  let s = escapeTags(text);
  if (colour && tone !== null) s = `{${TONE_COLOUR[tone]}-fg}${s}{/${TONE_COLOUR[tone]}-fg}`;
  if (bold) s = `{bold}${s}{/bold}`;
  return s;
}

/** Wall-clock time of a packet-clock instant, HH:MM:SS (local time zone). */
export function clock(t: number, ms = false): string {
  if (!Number.isFinite(t)) return '--:--:--';
  const d = new Date(t * 1000);
  const hh = String(d.getHours()).padStart(2, '0');
  const mm = String(d.getMinutes()).padStart(2, '0');
  const ss = String(d.getSeconds()).padStart(2, '0');
  return ms ? `${hh}:${mm}:${ss}.${String(d.getMilliseconds()).padStart(3, '0')}` : `${hh}:${mm}:${ss}`;
}

/** A duration, short: 850ms, 3.21s, 4m05s, 2h13m, 3d04h. */
export function dur(s: number | null): string {
  if (s === null || !Number.isFinite(s)) return '-';
  if (s < 0) s = 0;
  if (s < 1) return `${Math.round(s * 1000)}ms`;
  if (s < 60) return `${s.toFixed(2)}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(Math.floor(s % 60)).padStart(2, '0')}s`;
  if (s < 86400) return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
  return `${Math.floor(s / 86400)}d${String(Math.floor((s % 86400) / 3600)).padStart(2, '0')}h`;
}

/** Passwords seen in the snapshot, to be masked wherever they appear in free text. */
function secretsOf(snap: Snapshot): string[] {
  const out: string[] = [];
  for (const r of snap.routers) for (const a of r.advertisers) {
    if (a.authText !== null && a.authText.length > 0 && !out.includes(a.authText)) out.push(a.authText);
  }
  // Longest first so that a password containing another is masked whole.
  return out.sort((a, b) => b.length - a.length);
}

class Text {
  constructor(private readonly secrets: string[], private readonly showAuth: boolean) {}
  /** Packet-derived or analyzer free text -> one printable line, passwords masked. */
  t(raw: string | null | undefined): string {
    if (raw === null || raw === undefined) return '';
    let s = raw;
    // Shown passwords keep their control characters visible (\x1b), rather than losing them to clean().
    for (const p of this.secrets) if (s.includes(p)) s = s.split(p).join(this.secret(p));
    return clean(s);
  }
  /** A password: masked, or (--show-auth) escaped. */
  secret(p: string): string {
    return this.showAuth ? escapeControls(p) : maskSecret(p, false) ?? '';
  }
  auth(a: Advertiser): string {
    if (a.authType === null) return '-';
    if (a.authType === 0) return 'none';
    if (a.authType === 2) return 'AH';
    if (a.authType === 1) return `pass:${this.secret(a.authText ?? '')}`;
    return `type ${a.authType}`;
  }
}

interface Column { head: string; max: number; right?: boolean }

/** Formats a table into lines no wider than `width`; cells are plain, tones apply per cell. */
function table(cols: Column[], rows: { cells: string[]; tones?: (Tone | null)[]; selected?: boolean }[], width: number, colour: boolean, gap = '  '): string[] {
  const w = cols.map((c, i) => Math.min(c.max, Math.max(c.head.length, ...rows.map((r) => r.cells[i]!.length))));
  const line = (cells: string[], tones: (Tone | null)[] | undefined, selected: boolean, head: boolean): string => {
    const padded = cells.map((c, i) => pad(c, w[i]!, cols[i]!.right === true));
    padded[padded.length - 1] = padded[padded.length - 1]!.trimEnd();
    // Cut where the width runs out; a '…' says that something (maybe whole columns) was cut.
    const full = padded.join(gap).trimEnd();
    const limit = full.length <= width ? full.length : Math.max(0, width - 1);
    let used = 0;
    let out = '';
    for (let i = 0; i < padded.length && used < limit; i++) {
      const sep = i === 0 ? '' : gap;
      let cell = sep + padded[i]!;
      if (used + cell.length > limit) cell = cell.slice(0, limit - used);
      used += cell.length;
      out += head ? paint(cell, null, colour, true) : escapeTags(sep) + paint(cell.slice(sep.length), tones?.[i] ?? null, colour);
    }
    if (full.length > width) { out += escapeTags(G.ellipsis); used++; }
    if (selected) out = `{inverse}${out}${' '.repeat(Math.max(0, width - used))}{/inverse}`;
    return out;
  };
  const res = [line(cols.map((c) => c.head), undefined, false, true)];
  for (const r of rows) res.push(line(r.cells, r.tones, r.selected === true, false));
  return res;
}

/** Word-wraps plain text to `width`, continuation lines indented by `indent` spaces. Long words are split. */
function wrap(text: string, width: number, indent: number): string[] {
  if (width <= indent + 4) return [fit(text, Math.max(1, width))];
  const out: string[] = [];
  let rest = text;
  let first = true;
  while (rest.length > 0) {
    const lead = first ? '' : ' '.repeat(indent);
    const room = width - lead.length;
    if (rest.length <= room) { out.push(lead + rest); break; }
    let cut = rest.lastIndexOf(' ', room);
    if (cut <= room / 3) cut = room;
    out.push(lead + rest.slice(0, cut).trimEnd());
    rest = rest.slice(cut).trimStart();
    first = false;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// State words.

const ROUTER_STATE: Record<Router['state'], { word: string; tone: Tone }> = {
  'ok': { word: 'OK', tone: 'ok' },
  'split-brain': { word: 'SPLIT BRAIN', tone: 'crit' },
  'no-master': { word: 'NO MASTER', tone: 'crit' },
  'resigned': { word: 'RESIGNED', tone: 'crit' },
  'transition': { word: 'TRANSITION', tone: 'warn' },
};

const SEVERITY_TONE = { ok: 'ok', warning: 'warn', critical: 'crit' } as const;

/** The overall state word: what is wrong now first, else the verdict over the whole data. */
export function overallState(snap: Snapshot): { state: string; tone: Tone; note: string | null } {
  const now = (s: Router['state']): boolean => snap.routers.some((r) => r.state === s);
  let state: string;
  let tone: Tone;
  if (now('split-brain')) { state = 'SPLIT BRAIN'; tone = 'crit'; }
  else if (now('no-master') || now('resigned')) { state = 'NO MASTER'; tone = 'crit'; }
  else if (snap.routers.length === 0) { state = 'NO VRRP SEEN'; tone = snap.verdict === 'ok' ? 'info' : SEVERITY_TONE[snap.verdict]; }
  else if (now('transition')) { state = 'TRANSITION'; tone = 'warn'; }
  else if (snap.findings.some((f) => f.severity === 'warning' && f.code !== 'split-brain' && f.code !== 'no-master')) { state = 'WARNING'; tone = 'warn'; }
  else { state = 'OK'; tone = 'ok'; }
  let note: string | null = null;
  if (tone !== 'crit' && snap.verdict === 'critical' && (snap.findings.length > 0 || snap.routers.some((r) => r.splitBrains.length + r.noMasters.length > 0))) {
    const earlier = snap.routers.some((r) => r.splitBrains.length > 0) ? 'split brain' : snap.routers.some((r) => r.noMasters.length > 0) ? 'no master' : 'critical';
    note = `${earlier} earlier: see alerts`;
  }
  return { state, tone, note };
}

// ---------------------------------------------------------------------------------------------
// Panes.

function headerLine(snap: Snapshot, ui: UiState, o: ViewOptions, tx: Text, width: number): { state: string; tone: Tone; line: string } {
  let { state, tone, note } = overallState(snap);
  // A replayed capture is judged as a whole (like the text report): a split brain that healed before
  // the end is still the headline, not a green OK.
  if (o.mode === 'replay' && note !== null) {
    state = note.startsWith('split brain') ? 'SPLIT BRAIN, HEALED' : note.startsWith('no master') ? 'NO MASTER, RECOVERED' : 'CRITICAL EARLIER';
    tone = 'crit';
    note = null;
  }
  const c = ui.colour;
  // The state comes first so that it survives any truncation.
  const stateText = ` ${state} `;
  let s = c ? `{bold}{white-fg}{${TONE_COLOUR[tone]}-bg}${escapeTags(stateText)}{/${TONE_COLOUR[tone]}-bg}{/white-fg}{/bold}` : `{bold}{inverse}${escapeTags(stateText)}{/inverse}{/bold}`;
  let used = stateText.length;
  const add = (plain: string, tn: Tone | null = null): void => {
    const room = width - used;
    if (room <= 1) return;
    const piece = fit(' ' + plain, room);
    used += piece.length;
    s += paint(piece, tn, c);
  };
  if (ui.paused) add('[PAUSED]', 'warn');
  // What changes comes before what does not (source, filter), so that a narrow terminal or a long
  // path cuts the constant part, never the capture time, adverts or drops.
  const drops = snap.stats.pcapDropped;
  add(`time ${clock(snap.time)}${snap.firstTime === null ? '' : ` (+${dur(snap.time - snap.firstTime)})`}`);
  add(`adverts ${snap.stats.vrrpAdverts}`);
  add(drops === null ? 'drops n/a' : `drops ${drops}`, drops !== null && drops > 0 ? 'warn' : null);
  if (note !== null) add(`(${note})`, 'warn');
  add(`${o.mode === 'live' ? 'live' : 'replay'} ${tx.t(o.source)}`);
  if (o.filter !== null && o.filter !== '') add(`filter: ${fit(tx.t(o.filter), FILTER_MAX)}`);
  add(`routers ${snap.routers.length}`);
  add('  ? help');
  return { state, tone, line: s };
}

/** The header and the rows of routers `from` to `to` (exclusive): only what the pane shows is formatted
 *  (a flood may have the analyzer track a thousand routers; the column widths come from these rows). */
function routerRows(snap: Snapshot, ui: UiState, tx: Text, width: number, selected: number, from: number, to: number): string[] {
  const cols: Column[] = [
    { head: 'FAM', max: 3 }, { head: 'VRID', max: 4, right: true }, { head: 'VLAN', max: 4, right: true },
    { head: 'STATE', max: 11 }, { head: 'MASTER', max: 39 }, { head: 'PRI', max: 3, right: true },
    { head: 'ADV', max: 3, right: true }, { head: 'FAILOVER', max: 8 }, { head: 'VIRTUAL ADDRESSES', max: 60 },
  ];
  const rows = snap.routers.slice(from, to).map((r, j) => {
    const i = from + j;
    const st = ROUTER_STATE[r.state];
    const active = r.advertisers.filter((a) => a.active).length;
    return {
      cells: [
        `v${r.family}`, String(r.vrid), r.vlan === null ? '-' : String(r.vlan), st.word,
        r.master === null ? '-' : tx.t(r.master), r.masterPriority === null ? '-' : String(r.masterPriority),
        String(active), r.lastFailover === null ? '-' : dur(snap.time - r.lastFailover),
        r.virtualAddresses.map((a) => tx.t(a)).join(' '),
      ],
      tones: [null, null, null, st.tone, null, null, active > 1 ? 'crit' as Tone : null, null, null],
      selected: i === selected,
    };
  });
  const lines = table(cols, rows, width, ui.colour);
  if (snap.routers.length === 0) lines.push(paint(fit('No VRRP advertisement seen yet.', width), 'dim', ui.colour));
  return lines;
}

/** Columns of the advertisers table that give way, in this order, when the pane is too narrow for all
 *  of them: the MAC (which the issue requires) and the timing columns stay. */
const ADV_DROPPABLE = ['DEST', 'AUTH', 'TTL', 'JITTER'];

/** Indexes of the columns to keep so that the table fits `width`: droppable columns go in order, a
 *  column with a flagged (red) cell last, since it carries evidence. */
function fitColumns(cols: Column[], rows: { cells: string[]; tones?: (Tone | null)[] }[], width: number, gap: number, droppable: string[]): number[] {
  const w = cols.map((c, i) => Math.min(c.max, Math.max(c.head.length, ...rows.map((r) => r.cells[i]!.length))));
  const keep = cols.map((_, i) => i);
  const flagged = (i: number): boolean => rows.some((r) => r.tones?.[i] === 'crit');
  const order = droppable.map((h) => cols.findIndex((c) => c.head === h)).filter((i) => i >= 0);
  order.sort((a, b) => Number(flagged(a)) - Number(flagged(b)));
  const total = (): number => keep.reduce((n, i) => n + w[i]!, 0) + gap * (keep.length - 1);
  for (const i of order) {
    if (total() <= width) break;
    keep.splice(keep.indexOf(i), 1);
  }
  return keep;
}

function advertiserRows(r: Router | null, snap: Snapshot, ui: UiState, tx: Text, width: number): string[] {
  if (r === null) return [];
  const cols: Column[] = [
    { head: 'ADVERTISER', max: 39 }, { head: 'MAC', max: 17 }, { head: 'ROLE', max: 9 }, { head: 'PRI', max: 3, right: true },
    { head: 'INT', max: 6, right: true }, { head: 'MEASURED', max: 8, right: true }, { head: 'JITTER', max: 7, right: true },
    { head: 'ADVERTS', max: 8, right: true }, { head: 'LAST', max: 8, right: true }, { head: 'TTL', max: 7 }, { head: 'AUTH', max: 21 },
    { head: 'DEST', max: 9 }, { head: 'HOLDS', max: 41 },
  ];
  const roleTone: Record<Advertiser['role'], Tone> = { master: 'ok', contender: 'crit', silent: 'dim', resigned: 'warn' };
  const rows = r.advertisers.map((a) => ({
    cells: [
      tx.t(a.ip), a.mac === null ? '-' : tx.t(a.mac), a.role, String(a.priority),
      a.advertIntervalUnit === 's' ? `${a.advertIntervalRaw}s` : `${a.advertIntervalRaw}cs`,
      a.measuredInterval === null ? '-' : `${a.measuredInterval.toFixed(3)}s`,
      a.jitter === null ? '-' : `${(a.jitter * 1000).toFixed(1)}ms`,
      String(a.adverts), dur(snap.time - a.lastSeen),
      a.ttlMin === a.ttlMax ? String(a.ttlMin) : `${a.ttlMin}-${a.ttlMax}`,
      tx.auth(a), a.destination, holdsCell(r, a.mac),
    ],
    tones: [null, null, roleTone[a.role], null, null, null, null, null, null, a.ttlMin < 255 ? 'crit' as Tone : null, a.authMatches ? null : 'crit' as Tone, null, null] as (Tone | null)[],
  }));
  // a MAC that claims an address and sends no advert: the second holder the adverts do not show
  for (const [mac, holds] of claimersWithoutAdverts(r)) {
    rows.push({ cells: ['(no advert)', tx.t(mac), 'claims', '-', '-', '-', '-', '0', '-', '-', '-', '-', holds],
      tones: [null, null, 'crit', null, null, null, null, null, null, null, null, null, 'crit'] as (Tone | null)[] });
  }
  const gap = width < 100 ? ' ' : '  ';
  const keep = fitColumns(cols, rows, width, gap.length, ADV_DROPPABLE);
  const pick = <T>(xs: T[]): T[] => keep.map((i) => xs[i]!);
  return table(pick(cols), rows.map((x) => ({ cells: pick(x.cells), tones: pick(x.tones) })), width, ui.colour, gap);
}

const MARK_TONES: Tone[] = ['info', 'warn', 'ok', 'crit', 'dim', 'info', 'warn'];

/** Step chart of each advertiser's priority over time, as text (h rows, w columns). */
function chartLines(r: Router | null, snap: Snapshot, ui: UiState, tx: Text, w: number, h: number): { lines: string[]; series: ChartSeries[] } {
  if (r === null || r.advertisers.length === 0) return { lines: [], series: [] };
  const t0 = snap.firstTime ?? Math.min(...r.advertisers.map((a) => a.firstSeen));
  const t1 = Math.max(snap.time, t0 + 1e-3);
  const series: ChartSeries[] = r.advertisers.map((a) => ({
    title: tx.t(a.ip),
    x: a.priorityHistory.map((p) => (p.t - t0).toFixed(1)),
    y: a.priorityHistory.map((p) => p.priority),
  }));
  const legend = r.advertisers.map((a, i) => `${G.marks[i % G.marks.length]} ${tx.t(a.ip)} ${a.priority}`).join('  ');
  const legendLine = fit(legend, w);
  const plotH = Math.max(1, h - 2);
  let lo = Infinity, hi = -Infinity;
  for (const a of r.advertisers) for (const p of a.priorityHistory) { lo = Math.min(lo, p.priority); hi = Math.max(hi, p.priority); }
  if (!Number.isFinite(lo)) { lo = 0; hi = 255; }
  if (hi - lo < plotH - 1) { const extra = Math.ceil((plotH - 1 - (hi - lo)) / 2); lo = Math.max(0, lo - extra); hi = Math.min(255, hi + extra); }
  if (hi === lo) hi = lo + 1;
  const yw = 4;
  const pw = Math.max(1, w - yw);
  const grid: { ch: string; tone: Tone }[][] = Array.from({ length: plotH }, () => Array.from({ length: pw }, () => ({ ch: ' ', tone: 'dim' as Tone })));
  r.advertisers.forEach((a, i) => {
    const hist = a.priorityHistory;
    if (hist.length === 0) return;
    let k = 0;
    let prevRow = -1;
    for (let c = 0; c < pw; c++) {
      const tc = t0 + ((c + 1) / pw) * (t1 - t0);
      if (tc < hist[0]!.t || tc - (t1 - t0) / pw > a.lastSeen) { prevRow = -1; continue; }
      while (k + 1 < hist.length && hist[k + 1]!.t <= tc) k++;
      const p = hist[k]!.priority;
      const row = plotH - 1 - Math.round(((p - lo) / (hi - lo)) * (plotH - 1));
      const mark = { ch: G.marks[i % G.marks.length]!, tone: MARK_TONES[i % MARK_TONES.length]! };
      // A vertical stroke where the priority stepped, so a vrrp_script weight shows as a step.
      if (prevRow >= 0 && prevRow !== row) {
        for (let y = Math.min(prevRow, row) + 1; y < Math.max(prevRow, row); y++) if (grid[y]![c]!.ch === ' ') grid[y]![c] = { ch: G.vert, tone: mark.tone };
      }
      grid[row]![c] = mark;
      prevRow = row;
    }
  });
  const lines: string[] = [];
  for (let y = 0; y < plotH; y++) {
    const val = hi - ((hi - lo) * y) / Math.max(1, plotH - 1);
    const label = y === 0 || y === plotH - 1 || y === Math.floor(plotH / 2) ? String(Math.round(val)).padStart(3) + G.tick : '   ' + G.vert;
    let s = escapeTags(label);
    let run = '';
    let runTone: Tone | null = null;
    const flush = (): void => { if (run !== '') { s += paint(run, run.trim() === '' ? null : runTone, ui.colour); run = ''; } };
    for (const cell of grid[y]!) {
      const tn = cell.ch === ' ' ? null : cell.tone;
      if (tn !== runTone) { flush(); runTone = tn; }
      run += cell.ch;
    }
    flush();
    lines.push(s);
  }
  const axisL = clock(t0);
  const axisR = clock(t1);
  const axis = '   ' + G.corner + (pw > axisL.length + axisR.length + 2 ? axisL + ' '.repeat(pw - axisL.length - axisR.length) + axisR : G.dash.repeat(pw));
  lines.push(escapeTags(fit(axis, w)));
  const legendPainted = ui.colour
    ? r.advertisers.map((a, i) => paint(`${G.marks[i % G.marks.length]} ${tx.t(a.ip)} ${a.priority}`, MARK_TONES[i % MARK_TONES.length]!, true)).join('  ')
    : escapeTags(legendLine);
  lines.unshift(legend.length <= w ? legendPainted : escapeTags(legendLine));
  return { lines, series };
}

function failoverRows(r: Router | null, snap: Snapshot, ui: UiState, tx: Text, width: number, height: number): string[] {
  if (r === null) return [];
  const cols: Column[] = [
    { head: 'TIME', max: 12 }, { head: 'KIND', max: 10 }, { head: 'FROM', max: 39 }, { head: 'TO', max: 39 },
    { head: 'MEASURED', max: 8, right: true }, { head: 'EXPECTED', max: 8, right: true }, { head: '', max: 12 },
  ];
  const list = r.failovers.slice(-Math.max(1, height - 1)).reverse();
  const rows = list.map((f) => {
    const slow = f.duration !== null && f.expected !== null && f.duration > f.expected * 1.5 + 0.1;
    return {
      cells: [clock(f.t, true), f.kind, f.from === null ? '-' : tx.t(f.from), tx.t(f.to), dur(f.duration), dur(f.expected), slow ? 'SLOW' : f.duration !== null && f.expected !== null ? 'ok' : ''],
      tones: [null, null, null, null, slow ? 'crit' as Tone : null, null, slow ? 'crit' as Tone : 'ok' as Tone],
    };
  });
  const lines = table(cols, rows, width, ui.colour);
  if (rows.length === 0) lines.push(paint(fit('No failover seen.', width), 'dim', ui.colour));
  void snap;
  return lines;
}

/** One sentence for a cause, from the finding's fix context. */
export function causeSentence(f: Finding, tx: Text): string {
  const c = f.fixContext;
  const deaf = c.deafHost === null ? 'one node' : tx.t(c.deafHost);
  const peers = c.peers.length === 0 ? 'its peer' : c.peers.map((p) => tx.t(p)).join(', ');
  const values = c.configKey !== undefined && c.values !== undefined
    ? ` (${tx.t(c.configKey)}: ${Object.entries(c.values).map(([h, v]) => `${tx.t(h)}=${c.configKey === 'auth_pass' ? (maskSecret(v, false) ?? '') : tx.t(v)}`).join(', ')})`
    : '';
  const byCause: Record<Cause, string> = {
    'firewall-drop': `${deaf} does not receive VRRP from ${peers}: a firewall there drops incoming protocol 112.`,
    'firewall-reject': `${deaf} rejects VRRP from ${peers} (ICMP administratively prohibited seen): a firewall there refuses protocol 112.`,
    'firewall-stateful': `${deaf} has a stateful firewall with no VRRP rule: unicast adverts from ${peers} get in only as replies to its own, so it takes over briefly at every keepalived start.`,
    'network': `Adverts from ${peers} never reach ${deaf}'s wire: something between them (switch, VLAN, trunk, multicast filtering) drops VRRP.`,
    'network-loss': `Part of the adverts from ${peers} are lost on the way to ${deaf}: a long enough run of losses makes it take over.`,
    'host-drop': `Adverts from ${peers} reach ${deaf}'s wire, but ${deaf} drops them (firewall, rp_filter, wrong interface or socket).`,
    'auth-mismatch': `The nodes disagree on authentication, so each drops the other's adverts${values}.`,
    'interval-mismatch': `The nodes advertise different intervals, and keepalived drops adverts with another interval${values}.`,
    'version-mismatch': `The nodes speak different VRRP versions${values}.`,
    'ttl': `Adverts arrive with a TTL/hop limit below 255 (routed or rewritten), and receivers drop them.`,
    'checksum-variant': `The nodes compute the VRRPv3 checksum differently; a peer that checks it the other way drops these adverts${values}.`,
    'vip-mismatch': `The nodes advertise different virtual addresses${values}.`,
    'length-mismatch': `The nodes send adverts of different lengths (auth_hmac on one side only?): a node that expects another length drops them.`,
    'unicast-multicast-mix': `One node sends unicast and another multicast: neither listens where the other sends.`,
    'unicast-peer': `A unicast_peer list is missing or wrong, so adverts do not go to ${peers}${values}.`,
    'sender-stall': `The master stopped sending for a while and then resumed: look at load or keepalived on it.`,
    'unknown': `The cause is not visible in this capture.`,
  };
  return f.cause === null ? (values === '' ? '' : `Values seen${values}.`) : byCause[f.cause];
}

const SEVERITY_ORDER = { critical: 0, warning: 1, ok: 2 } as const;

/** Findings as the alerts pane and the fixes view list them: critical first, newest first. */
function sortedFindings(snap: Snapshot): Finding[] {
  return snap.findings.slice().sort((a, b) => SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] || b.lastSeen - a.lastSeen);
}

/** The remedies of a finding; a remedy function that throws must not take the screen down. */
function fixesOf(f: Finding, o: ViewOptions): Fix[] {
  try { return o.fixes(f, o.iface === undefined ? undefined : { iface: o.iface }); }
  catch { return []; }
}

/** "firewalld: accept VRRP ... on B": remedy titles usually name the tool and host already. */
function fixTitle(fx: Fix, tx: Text): string {
  const title = tx.t(fx.title);
  const tool = title.toLowerCase().startsWith(fx.tool) ? '' : `${fx.tool}: `;
  const host = fx.host === null || title.includes(fx.host) ? '' : ` (on ${tx.t(fx.host)})`;
  return `${tool}${title}${host}`;
}

/** The alert lines, in order, until `max` lines (a flood may bring hundreds of findings; the pane shows a few). */
function alertLines(snap: Snapshot, ui: UiState, o: ViewOptions, tx: Text, width: number, max = Infinity): { lines: string[]; fixes: number } {
  const findings = sortedFindings(snap);
  const byKey = new Map(snap.routers.map((r) => [r.key, r]));
  const out: string[] = [];
  let nFixes = 0;
  const c = ui.colour;
  if (findings.length === 0) {
    out.push(paint(fit(snap.routers.length === 0 ? 'Nothing to say yet.' : 'No problem found.', width), 'ok', c));
    return { lines: out, fixes: 0 };
  }
  for (const f of findings) {
    if (out.length >= max) break;
    const sev = f.severity === 'critical' ? 'CRIT' : f.severity === 'warning' ? 'WARN' : 'INFO';
    const where = f.routerKey === null ? '' : ` ${tx.t(f.routerKey)}`;
    // An alert whose evidence stopped a while ago says so (history, not the present).
    // (A split brain / no master still going on is not "over", whatever its lastSeen says.)
    const r = f.routerKey === null ? undefined : byKey.get(f.routerKey);
    const ongoing = r !== undefined && ((f.code === 'split-brain' && r.state === 'split-brain') || (f.code === 'no-master' && (r.state === 'no-master' || r.state === 'resigned')));
    const ended = !ongoing && snap.time - f.lastSeen > 10 ? ` [last seen ${clock(f.lastSeen)}]` : '';
    const head = wrap(`${sev}${where} ${tx.t(f.title)}${ended}`, width, 5);
    out.push(paint(head[0]!.slice(0, sev.length), SEVERITY_TONE[f.severity], c, true) + paint(head[0]!.slice(sev.length), null, c, true));
    for (const l of head.slice(1)) out.push(paint(l, null, c, true));
    const cause = causeSentence(f, tx);
    if (cause !== '') for (const l of wrap(`  cause: ${cause}`, width, 9)) out.push(paint(l, null, c));
    for (const fx of fixesOf(f, o)) {
      nFixes++;
      for (const l of wrap(`  fix: ${fixTitle(fx, tx)}`, width, 4)) out.push(paint(l, 'info', c));
      // One command, one line: a wrapped command pastes as two broken ones. Cut ones end in '…';
      // the fixes view (f) has them whole.
      for (const cmd of fx.commands) out.push(paint(fit(`    ${tx.t(cmd)}`, width), null, c));
    }
  }
  return { lines: out, fixes: nFixes };
}

/**
 * A shell command wider than `width` as continued lines ('… \\' then the rest, indented), broken only
 * at spaces outside quotes, so that the lines pasted together are the same command to the shell.
 * Null when some word (a quoted rich rule, say) does not fit on a line of its own.
 */
export function continuedLines(cmd: string, width: number): string[] | null {
  if (cmd.length <= width) return [cmd];
  const words: string[] = [];
  let quote = '';
  let start = 0;
  for (let i = 0; i < cmd.length; i++) {
    const ch = cmd[i]!;
    if (quote !== '') {
      if (ch === quote) quote = '';
      else if (ch === '\\' && quote === '"') i++;
    } else if (ch === "'" || ch === '"') quote = ch;
    else if (ch === '\\') i++;
    else if (ch === ' ') {
      if (i > start) words.push(cmd.slice(start, i));
      start = i + 1;
    }
  }
  if (quote !== '') return null; // unbalanced: not ours to re-flow
  if (start < cmd.length) words.push(cmd.slice(start));
  const indent = '    ';
  const out: string[] = [];
  let line = '';
  for (const w of words) {
    const lead = out.length === 0 ? '' : indent;
    const next = line === '' ? lead + w : `${line} ${w}`;
    // every line but the last ends with ' \\': keep room for it
    if (next.length + 2 <= width) { line = next; continue; }
    if (line === '' || lead.length + w.length + 2 > width) return null;
    out.push(`${line} \\`);
    line = indent + w;
  }
  out.push(line);
  if (out[out.length - 1]!.length > width) return null;
  return out;
}

/**
 * The fixes view (`f`): every fix of every finding, as a shell script one can paste: comments for the
 * finding, its cause and the fix's title (wrapped, they are comments), each command whole on its own
 * line, or, when wider than the terminal, on continued lines that paste as the same command. A command
 * that cannot be broken to fit is cut with '…' and counted (the summary after q has it).
 */
function fixViewLines(snap: Snapshot, ui: UiState, o: ViewOptions, tx: Text, width: number): { lines: string[]; cut: number } {
  const out: string[] = [];
  const c = ui.colour;
  let cut = 0;
  const comment = (text: string, tone: Tone, bold = false): void => {
    for (const l of wrap(text, width - 2, 2)) out.push(paint(`# ${l}`, tone, c, bold));
  };
  for (const f of sortedFindings(snap)) {
    const fixes = fixesOf(f, o);
    if (fixes.length === 0) continue;
    if (out.length > 0) out.push('');
    const sev = f.severity === 'critical' ? 'CRIT' : f.severity === 'warning' ? 'WARN' : 'INFO';
    comment(`${sev}${f.routerKey === null ? '' : ` ${tx.t(f.routerKey)}`} ${tx.t(f.title)}`, SEVERITY_TONE[f.severity], true);
    const cause = causeSentence(f, tx);
    if (cause !== '') comment(`cause: ${cause}`, 'dim');
    for (const fx of fixes) {
      comment(fixTitle(fx, tx), 'info');
      for (const cmd of fx.commands) {
        const t = tx.t(cmd);
        // keepalived.conf lines are not shell: never continued
        const lines = fx.tool === 'keepalived' ? (t.length <= width ? [t] : null) : continuedLines(t, width);
        if (lines === null) {
          cut++;
          out.push(paint(fit(t, width), null, c));
        } else for (const l of lines) out.push(paint(l, null, c));
      }
    }
  }
  if (out.length === 0) out.push(paint(fit('# No fix to show: no finding has a known remedy.', width), 'ok', c));
  return { lines: out, cut };
}

/** Events and log notes (hook failures...), merged in time order, newest last. */
function eventLines(snap: Snapshot, notes: readonly Note[], ui: UiState, tx: Text, width: number): string[] {
  const tone: Record<string, Tone> = { ok: 'ok', warning: 'warn', critical: 'crit' };
  const line = (t: number, text: string, tn: Tone | null): string => {
    const plain = fit(`${clock(t, true)} ${text}`, width);
    const cut = Math.min(plain.length, 13);
    return paint(plain.slice(0, cut), 'dim', ui.colour) + paint(plain.slice(cut), tn, ui.colour);
  };
  const out: string[] = [];
  let j = 0;
  const noteLine = (n: Note): string => line(n.t, tx.t(n.text.replace(/^vrrpwatch: /, '')), 'warn');
  for (const e of snap.events) {
    for (; j < notes.length && notes[j]!.t < e.t; j++) out.push(noteLine(notes[j]!));
    out.push(line(e.t, `${tx.t(e.routerKey)} ${tx.t(e.message)}`, tone[e.severity] ?? null));
  }
  for (; j < notes.length; j++) out.push(noteLine(notes[j]!));
  return out;
}

export const HELP_LINES = [
  'Up/Down j/k select a virtual router (or scroll the focused pane)',
  'Enter/Tab   switch focus: routers, alerts, events',
  'p           pause the display (capture goes on)',
  'c           clear history',
  'f           fixes in full: every command whole, to copy',
  '            (Up/Down scroll, Esc, q or f close it)',
  '?           this help (any key closes it)',
  'q  Ctrl-C   quit',
];

/** Index of the selected router in the snapshot (by key; the first when unknown). */
export function selectedIndex(snap: Snapshot, key: string | null): number {
  if (snap.routers.length === 0) return -1;
  const i = key === null ? -1 : snap.routers.findIndex((r) => r.key === key);
  return i < 0 ? 0 : i;
}

/** The key `delta` rows away from the selected router (clamped). */
export function moveSelection(snap: Snapshot, key: string | null, delta: number): string | null {
  if (snap.routers.length === 0) return key;
  const i = Math.min(snap.routers.length - 1, Math.max(0, selectedIndex(snap, key) + delta));
  return snap.routers[i]!.key;
}

/** History after `c`: a shallow copy without the events, failovers, periods and findings before `t`. */
export function sinceClear(snap: Snapshot, t: number): Snapshot {
  return {
    ...snap,
    events: snap.events.filter((e) => e.t > t),
    findings: snap.findings.filter((f) => f.lastSeen > t || (f.code === 'split-brain' && snap.routers.some((r) => r.key === f.routerKey && r.state === 'split-brain'))),
    routers: snap.routers.map((r) => ({
      ...r,
      failovers: r.failovers.filter((f) => f.t > t),
      splitBrains: r.splitBrains.filter((p) => p.end === null || p.end > t),
      noMasters: r.noMasters.filter((p) => p.end === null || p.end > t),
    })),
  };
}

/** The whole screen's content for one snapshot (and the log notes to show with its events). Pure. */
export function buildView(snap: Snapshot, ui: UiState, o: ViewOptions, notes: readonly Note[] = []): ViewModel {
  G = ui.unicode ? UTF : ASCII;
  if (ui.clearedAt !== null) {
    const t = ui.clearedAt;
    snap = sinceClear(snap, t);
    notes = notes.filter((n) => n.t > t);
  }
  const g = computeGeometry(ui.cols, ui.rows, snap.routers.length);
  const tx = new Text(secretsOf(snap), ui.showAuth);
  const sel = selectedIndex(snap, ui.selectedKey);
  const router = sel < 0 ? null : snap.routers[sel]!;
  const rkey = router === null ? '' : ` ${tx.t(router.key)}`;

  const header = headerLine(snap, ui, o, tx, inner(g.header).width);
  const rIn = inner(g.routers);
  // Keep the selected row in view when the pane is short.
  const rVisible = Math.max(1, rIn.height - 1);
  const first = sel < rVisible ? 0 : sel - rVisible + 1;
  const routerLines = routerRows(snap, ui, tx, rIn.width, sel, first, first + rVisible);

  const aIn = inner(g.advertisers);
  const cIn = inner(g.chart);
  const fIn = inner(g.failovers);
  const chart = g.chart.visible ? chartLines(router, snap, ui, tx, cIn.width, cIn.height) : { lines: [], series: [] };
  const alIn = inner(g.alerts);
  // the alerts pane's lines up to one past what it shows (enough to say "more below")
  const { lines: alerts, fixes: nFixes } = alertLines(snap, ui, o, tx, alIn.width, ui.alertsScroll + alIn.height + 1);
  const evIn = inner(g.events);
  const events = eventLines(snap, notes, ui, tx, evIn.width);
  const evScroll = Math.min(ui.eventsScroll, Math.max(0, events.length - evIn.height));
  const evEnd = events.length - evScroll;
  const alStart = Math.min(ui.alertsScroll, Math.max(0, alerts.length - alIn.height));
  const more = alerts.length - alStart > alIn.height ? ' - more below: Tab, then down' : alStart > 0 ? ' - scrolled' : '';

  return {
    geometry: g,
    header,
    routers: { title: `Virtual routers (${snap.routers.length})`, lines: routerLines, keys: snap.routers.map((r) => r.key), selected: sel },
    advertisers: { title: `Advertisers${rkey}${router !== null ? probeTitle(router) : ''}`, lines: g.advertisers.visible ? advertiserRows(router, snap, ui, tx, aIn.width) : [] },
    chart: { title: `Priority over time${rkey}`, lines: chart.lines, series: chart.series },
    failovers: { title: `Failovers${rkey} (measured vs expected)`, lines: g.failovers.visible ? failoverRows(router, snap, ui, tx, fIn.width, fIn.height) : [] },
    alerts: { title: `Alerts (${snap.findings.length})${nFixes > 0 ? ' - f: fixes in full' : ''}${more}`, lines: alerts.slice(alStart, alStart + alIn.height), count: snap.findings.length, scroll: alStart },
    events: { title: `Events (${snap.events.length}${notes.length > 0 ? `, ${notes.length} log` : ''})${evScroll > 0 ? ` - ${evScroll} newer below` : ''}`, lines: events.slice(Math.max(0, evEnd - evIn.height), evEnd), scroll: evScroll },
    help: ui.help ? { title: 'Keys', lines: HELP_LINES.map((l) => escapeTags(fit(l, Math.max(10, ui.cols - 6)))) } : null,
    fixes: ui.fixesView ? fixesView(snap, ui, o, tx) : null,
  };
}

/** The full-screen fixes view: no border (a mouse selection takes only the command), a title line
 *  and a footer line around the scrolled body. */
function fixesView(snap: Snapshot, ui: UiState, o: ViewOptions, tx: Text): PaneText & { footer: string; scroll: number } {
  const width = Math.max(10, ui.cols);
  const bodyH = Math.max(1, ui.rows - 2);
  const { lines, cut } = fixViewLines(snap, ui, o, tx, width);
  const scroll = Math.min(Math.max(0, ui.fixesScroll), Math.max(0, lines.length - bodyH));
  const below = lines.length - scroll - bodyH;
  const where = scroll > 0 || below > 0 ? ` - lines ${scroll + 1}-${Math.min(lines.length, scroll + bodyH)} of ${lines.length}` : '';
  // Said first when it happens: a cut command must not be pasted.
  const head = cut > 0 ? `Fixes: ${cut} command(s) cut (${G.ellipsis}): widen the terminal, or quit: the summary prints them whole`
    : 'Fixes: each command whole (a long one continued with \\), ready to copy';
  const title = fit(` ${head}${where}`, width);
  const footer = fit(` ${G.arrows} PgUp/PgDn scroll   Esc, q or f: back to the dashboard`, width);
  return {
    title: `{inverse}${paint(title.padEnd(width), null, ui.colour, true)}{/inverse}`,
    lines: lines.slice(scroll, scroll + bodyH),
    footer: paint(footer, 'dim', ui.colour),
    scroll,
  };
}
