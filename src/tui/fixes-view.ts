// The full-screen fixes view (`f`): every fix of every finding as a shell script one can paste, each
// command whole, or continued with '\\' at spaces outside quotes when wider than the terminal.
// Invariants: continued lines paste back as the same command; keepalived.conf lines are never
// continued; a command that cannot be broken to fit is cut with '…' and counted in the title.
import type { Snapshot } from '../analyze/model.js';
import { causeSentence, fixesOf, fixTitle, severityWord, sortedFindings } from './finding-text.js';
import { fit, glyphs, paint, SEVERITY_TONE, wrap } from './fitted-text.js';
import type { MaskedText } from './masked-text.js';
import type { UiState } from './types.js';
import type { PaneText, Tone, ViewOptions } from './view-types.js';

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
function fixViewLines(snap: Snapshot, ui: UiState, o: ViewOptions, tx: MaskedText, width: number): { lines: string[]; cut: number } {
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
    const sev = severityWord(f);
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

/** The full-screen fixes view: no border (a mouse selection takes only the command), a title line
 *  and a footer line around the scrolled body. */
export function fixesView(snap: Snapshot, ui: UiState, o: ViewOptions, tx: MaskedText): PaneText & { footer: string; scroll: number } {
  const width = Math.max(10, ui.cols);
  const bodyH = Math.max(1, ui.rows - 2);
  const { lines, cut } = fixViewLines(snap, ui, o, tx, width);
  const scroll = Math.min(Math.max(0, ui.fixesScroll), Math.max(0, lines.length - bodyH));
  const below = lines.length - scroll - bodyH;
  const where = scroll > 0 || below > 0 ? ` - lines ${scroll + 1}-${Math.min(lines.length, scroll + bodyH)} of ${lines.length}` : '';
  // Said first when it happens: a cut command must not be pasted.
  const head = cut > 0 ? `Fixes: ${cut} command(s) cut (${glyphs.ellipsis}): widen the terminal, or quit: the summary prints them whole`
    : 'Fixes: each command whole (a long one continued with \\), ready to copy';
  const title = fit(` ${head}${where}`, width);
  const footer = fit(` ${glyphs.arrows} PgUp/PgDn scroll   Esc, q or f: back to the dashboard`, width);
  return {
    title: `{inverse}${paint(title.padEnd(width), null, ui.colour, true)}{/inverse}`,
    lines: lines.slice(scroll, scroll + bodyH),
    footer: paint(footer, 'dim', ui.colour),
    scroll,
  };
}
