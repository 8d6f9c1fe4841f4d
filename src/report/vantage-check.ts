// What `check -r a -r b` adds to the status line: perfdata per direction — the share of a source's adverts
// lost on the way to each other capture — the directions with loss first, at most MAX_CHECK_DIRECTIONS
// (and a count of those left out), so the line stays short whatever the number of sources.
import type { VantageReport } from '../analyze/vantage/model.js';

export const MAX_CHECK_DIRECTIONS = 16;

/** A perfdata label part: what cannot appear in a label (quotes, '=') or reads badly becomes '_'. */
function labelPart(s: string): string {
  return s.replace(/[^A-Za-z0-9_.:-]/g, '_').slice(0, 40);
}

export function vantagePerfdata(v: VantageReport): string[] {
  const dirs: { label: string; pct: number | null; lost: number }[] = [];
  for (const s of v.sources) {
    for (const d of s.deliveries) {
      dirs.push({ label: `${labelPart(s.source)}>${labelPart(d.to)}_lost`, pct: d.lossPercent, lost: d.lost });
    }
  }
  dirs.sort((a, b) => b.lost - a.lost);
  const out = dirs.slice(0, MAX_CHECK_DIRECTIONS).map((d) => `'${d.label}'=${d.pct === null ? 'U' : `${d.pct}%`};;;0;100`);
  if (dirs.length > MAX_CHECK_DIRECTIONS) out.push(`'directions_left_out'=${dirs.length - MAX_CHECK_DIRECTIONS};;;0;`);
  return out;
}

/** One clause for the status line: the worst direction with loss, if any. */
export function vantageNote(v: VantageReport): string | null {
  let worst: { text: string; lost: number } | null = null;
  for (const s of v.sources) {
    for (const d of s.deliveries) {
      if (d.lost === 0 || d.expected === 0) continue;
      if (worst !== null && d.lost <= worst.lost) continue;
      const to = d.toSource !== null ? `${d.toSource}'s wire (${d.to})` : d.to;
      worst = { lost: d.lost, text: `${d.lost === d.expected ? 'none' : `${d.arrived} of ${d.expected}`} of ${s.source}'s adverts reached ${to}` };
    }
  }
  return worst === null ? null : worst.text;
}
