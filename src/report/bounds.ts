// How much of a snapshot each output shows at most (the developers' guide: output a machine reads has a
// size limit and says what it left out). A flood can make the analyzer track --max-routers routers with
// --max-sources sources each: these bounds keep the check line, the text report and the JSON document
// small whatever it tracks, showing the routers with a problem first.
import type { Severity } from '../analyze/model.js';
import type { RouterSummary } from './summary.js';

/** The check's status line with its perfdata, in bytes. */
export const CHECK_LINE_MAX_BYTES = 4096;
/** The status text before the perfdata, in characters. */
export const CHECK_TEXT_MAX = 1024;
/** Long output (-v): router and finding lines at most. */
export const CHECK_LONG_MAX_LINES = 100;
/** Text report: routers shown in full, findings shown in full. */
export const TEXT_MAX_ROUTERS = 32;
export const TEXT_MAX_FINDINGS = 64;
/** JSON report: routers, findings, and per router the master changes, split-brain and no-master periods (the newest). */
export const JSON_MAX_ROUTERS = 256;
export const JSON_MAX_FINDINGS = 256;
export const JSON_MAX_PERIODS = 100;

const RANK: Record<Severity, number> = { critical: 0, warning: 1, ok: 2 };

/** The routers with a problem first (critical, then warning), each group in its order of first advert. */
export function problemsFirst(routers: readonly RouterSummary[]): RouterSummary[] {
  return routers.map((r, i) => ({ r, i })).sort((a, b) => RANK[a.r.severity] - RANK[b.r.severity] || a.i - b.i).map((x) => x.r);
}

/** `text` cut to `max` characters, marked with '…'. */
export function cut(text: string, max: number): string {
  return text.length <= max ? text : text.slice(0, max - 1) + '…';
}
