// Plain text fitted to a pane and painted for blessed: cut to a width ('…'), padded, word-wrapped,
// times and durations in short form, the tone colours, and the glyph set (UTF-8 or ASCII).
// Invariants: what comes in is plain text already cleaned (packet text goes through masked-text.ts
// first); paint() escapes blessed tags last, after every cut, so that a cut never splits a tag. The
// glyph set is chosen once per frame by useGlyphs() (buildView does it), never per row.
import { escapeTags } from './sanitize.js';
import type { Tone } from './view-types.js';

export const TONE_COLOUR: Record<Tone, string> = { ok: 'green', warn: 'yellow', crit: 'red', info: 'cyan', dim: 'gray' };

/** The tone a finding's severity word is painted in. */
export const SEVERITY_TONE = { ok: 'ok', warning: 'warn', critical: 'crit' } as const;

// Glyphs: UTF-8 or ASCII, chosen at the start of buildView() from UiState.unicode.
const UTF = { ellipsis: '…', marks: ['●', '○', '◆', '■', '▲', 'x', '+'], vert: '│', tick: '┤', corner: '└', dash: '─', arrows: '↑/↓' };
const ASCII = { ellipsis: '~', marks: ['*', 'o', '#', '@', '%', 'x', '+'], vert: '|', tick: '+', corner: '+', dash: '-', arrows: 'Up/Down' };

/** This frame's glyphs (marks, '…', chart lines): UTF-8, or ASCII stand-ins. */
export let glyphs = UTF;

/** Chooses the glyph set for the frame being built (from UiState.unicode). */
export function useGlyphs(unicode: boolean): void {
  glyphs = unicode ? UTF : ASCII;
}

/** Cuts plain text to `width` columns, marking the cut with '…'. */
export function fit(text: string, width: number): string {
  if (width <= 0) return '';
  return text.length <= width ? text : text.slice(0, Math.max(0, width - 1)) + glyphs.ellipsis;
}

export function pad(text: string, width: number, right = false): string {
  const t = fit(text, width);
  return right ? t.padStart(width) : t.padEnd(width);
}

export function paint(text: string, tone: Tone | null, colour: boolean, bold = false): string {
  let s = escapeTags(text);
  if (colour && tone !== null) s = `{${TONE_COLOUR[tone]}-fg}${s}{/${TONE_COLOUR[tone]}-fg}`;
  if (bold) s = `{bold}${s}{/bold}`;
  return s;
}

/** Wall-clock time of a packet-clock instant, HH:MM:SS (local time zone). */
export function localClock(t: number, ms = false): string {
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

/** Word-wraps plain text to `width`, continuation lines indented by `indent` spaces. Long words are split. */
export function wrap(text: string, width: number, indent: number): string[] {
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
