// Tables as tagged lines no wider than their pane: column widths from the rows shown, a cut marked
// with '…', the selected row in inverse; and which columns give way first when the pane is too narrow.
// Invariants: cells are plain text (already masked and cleaned); tags are added per cell after the
// cut, so the visible width never exceeds the pane's.
import { glyphs, pad, paint } from './fitted-text.js';
import { escapeTags } from './sanitize.js';
import type { Tone } from './view-types.js';

export interface Column { head: string; max: number; right?: boolean }

/** Formats a table into lines no wider than `width`; cells are plain, tones apply per cell. */
export function table(cols: Column[], rows: { cells: string[]; tones?: (Tone | null)[]; selected?: boolean }[], width: number, colour: boolean, gap = '  '): string[] {
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
    if (full.length > width) { out += escapeTags(glyphs.ellipsis); used++; }
    if (selected) out = `{inverse}${out}${' '.repeat(Math.max(0, width - used))}{/inverse}`;
    return out;
  };
  const res = [line(cols.map((c) => c.head), undefined, false, true)];
  for (const r of rows) res.push(line(r.cells, r.tones, r.selected === true, false));
  return res;
}

/** Indexes of the columns to keep so that the table fits `width`: droppable columns go in order, a
 *  column with a flagged (red) cell last, since it carries evidence. */
export function fitColumns(cols: Column[], rows: { cells: string[]; tones?: (Tone | null)[] }[], width: number, gap: number, droppable: string[]): number[] {
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
