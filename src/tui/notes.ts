// Log lines that arrive while the dashboard owns the terminal (hook failures, timeouts): written to
// stderr they would be drawn over the screen, so they are kept here, shown in the event pane, and
// printed once the terminal is back. Bounded: a flapping hook cannot grow it without limit.
import type { Note, NoteLog } from './types.js';

export class NoteBuffer implements NoteLog {
  private readonly kept: Note[] = [];
  /** Lines ever added (the dashboard redraws when it moves). */
  count = 0;

  constructor(private readonly max = 200) {}

  get lines(): readonly Note[] { return this.kept; }

  add(t: number, text: string): void {
    this.count++;
    if (this.kept.length >= this.max) this.kept.shift();
    this.kept.push({ t, text });
  }

  /** What to print after the dashboard closed: the kept lines, after a note of those that were not. */
  drain(): string[] {
    const lost = this.count - this.kept.length;
    const out = lost > 0 ? [`vrrpwatch: ${lost} earlier log line(s) shown in the dashboard were not kept`] : [];
    for (const n of this.kept) out.push(n.text);
    this.kept.length = 0;
    this.count = 0;
    return out;
  }
}
