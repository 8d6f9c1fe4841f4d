// The alerts pane: each finding (severity, router, title, "last seen" once its evidence stopped), its
// cause and its fixes, each command on one line (cut with '…': the fixes view has them whole).
// Invariant: stops at `max` lines, so a flood of findings costs only what the pane shows.
import type { Snapshot } from '../analyze/model.js';
import { causeSentence, fixesOf, fixTitle, severityWord, sortedFindings } from './finding-text.js';
import { localClock, fit, paint, SEVERITY_TONE, wrap } from './fitted-text.js';
import type { MaskedText } from './masked-text.js';
import type { UiState } from './types.js';
import type { ViewOptions } from './view-types.js';

/** The alert lines, in order, until `max` lines (a flood may bring hundreds of findings; the pane shows a few). */
export function alertLines(snap: Snapshot, ui: UiState, o: ViewOptions, tx: MaskedText, width: number, max = Infinity): { lines: string[]; fixes: number } {
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
    const sev = severityWord(f);
    const where = f.routerKey === null ? '' : ` ${tx.t(f.routerKey)}`;
    // An alert whose evidence stopped a while ago says so (history, not the present).
    // (A split brain / no master still going on is not "over", whatever its lastSeen says.)
    const r = f.routerKey === null ? undefined : byKey.get(f.routerKey);
    const ongoing = r !== undefined && ((f.code === 'split-brain' && r.state === 'split-brain') || (f.code === 'no-master' && (r.state === 'no-master' || r.state === 'resigned')));
    const ended = !ongoing && snap.time - f.lastSeen > 10 ? ` [last seen ${localClock(f.lastSeen)}]` : '';
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
