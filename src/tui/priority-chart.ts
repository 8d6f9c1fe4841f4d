// The priority chart of the selected router: each advertiser's priority over time as a step plot in
// text (a vrrp_script weight shows as a vertical step), placed by time, not by sample index, with a
// legend and a time axis. Invariant: h rows by w columns exactly; the series are also returned as data.
import type { Router, Snapshot } from '../analyze/model.js';
import { localClock, fit, glyphs, paint } from './fitted-text.js';
import type { MaskedText } from './masked-text.js';
import { escapeTags } from './sanitize.js';
import type { UiState } from './types.js';
import type { ChartSeries, Tone } from './view-types.js';

const MARK_TONES: Tone[] = ['info', 'warn', 'ok', 'crit', 'dim', 'info', 'warn'];

/** Step chart of each advertiser's priority over time, as text (h rows, w columns). */
export function chartLines(r: Router | null, snap: Snapshot, ui: UiState, tx: MaskedText, w: number, h: number): { lines: string[]; series: ChartSeries[] } {
  if (r === null || r.advertisers.length === 0) return { lines: [], series: [] };
  const t0 = snap.firstTime ?? Math.min(...r.advertisers.map((a) => a.firstSeen));
  const t1 = Math.max(snap.time, t0 + 1e-3);
  const series: ChartSeries[] = r.advertisers.map((a) => ({
    title: tx.t(a.ip),
    x: a.priorityHistory.map((p) => (p.t - t0).toFixed(1)),
    y: a.priorityHistory.map((p) => p.priority),
  }));
  const legend = r.advertisers.map((a, i) => `${glyphs.marks[i % glyphs.marks.length]} ${tx.t(a.ip)} ${a.priority}`).join('  ');
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
      const mark = { ch: glyphs.marks[i % glyphs.marks.length]!, tone: MARK_TONES[i % MARK_TONES.length]! };
      // A vertical stroke where the priority stepped, so a vrrp_script weight shows as a step.
      if (prevRow >= 0 && prevRow !== row) {
        for (let y = Math.min(prevRow, row) + 1; y < Math.max(prevRow, row); y++) if (grid[y]![c]!.ch === ' ') grid[y]![c] = { ch: glyphs.vert, tone: mark.tone };
      }
      grid[row]![c] = mark;
      prevRow = row;
    }
  });
  const lines: string[] = [];
  for (let y = 0; y < plotH; y++) {
    const val = hi - ((hi - lo) * y) / Math.max(1, plotH - 1);
    const label = y === 0 || y === plotH - 1 || y === Math.floor(plotH / 2) ? String(Math.round(val)).padStart(3) + glyphs.tick : '   ' + glyphs.vert;
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
  const axisL = localClock(t0);
  const axisR = localClock(t1);
  const axis = '   ' + glyphs.corner + (pw > axisL.length + axisR.length + 2 ? axisL + ' '.repeat(pw - axisL.length - axisR.length) + axisR : glyphs.dash.repeat(pw));
  lines.push(escapeTags(fit(axis, w)));
  const legendPainted = ui.colour
    ? r.advertisers.map((a, i) => paint(`${glyphs.marks[i % glyphs.marks.length]} ${tx.t(a.ip)} ${a.priority}`, MARK_TONES[i % MARK_TONES.length]!, true)).join('  ')
    : escapeTags(legendLine);
  lines.unshift(legend.length <= w ? legendPainted : escapeTags(legendLine));
  return { lines, series };
}
