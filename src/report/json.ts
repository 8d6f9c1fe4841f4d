// `vrrpwatch -r FILE --json`: the report as a versioned document (docs/json-report.md).
// Bump REPORT_SCHEMA's major on any change that removes or renames a field.
import type { Snapshot } from '../analyze/model.js';
import { fixesFor } from '../remedy/index.js';
import { causeSentence, type SourceInfo } from './text.js';
import { maskSecret, sanitize } from './sanitize.js';
import { summarize } from './summary.js';
import type { VantageReport } from '../analyze/vantage/model.js';

export const REPORT_SCHEMA = 'vrrpwatch.report/1';

/** Routers (auth text masked unless showAuth) and findings (sanitised, with cause text and fix commands):
 *  the -r report and the live exit summary (`kind: 'summary'`) show them the same way. */
export function routersAndFindings(s: Snapshot, sum: ReturnType<typeof summarize>, o: { showAuth: boolean; iface?: string }) {
  return {
    routers: s.routers.map((r) => ({
      ...r,
      summary: sum.routers.find((x) => x.router === r)?.text ?? null,
      advertisers: r.advertisers.map((a) => ({ ...a, authText: maskSecret(a.authText, o.showAuth) })),
    })),
    findings: s.findings.map((f) => ({
      ...f,
      title: sanitize(f.title),
      evidence: f.evidence.map(sanitize),
      causeText: causeSentence(f),
      fixes: fixesFor(f, o.iface ? { iface: o.iface } : undefined),
    })),
  };
}

export function renderJson(s: Snapshot, src: SourceInfo, o: { showAuth: boolean; iface?: string; version: string; vantage?: VantageReport }): string {
  const sum = summarize(s);
  const doc = {
    schema: REPORT_SCHEMA,
    tool: { name: 'vrrpwatch', version: o.version },
    source: src,
    verdict: { severity: sum.severity, label: sum.label, headline: sum.headline },
    time: { first: s.firstTime, last: s.time },
    stats: s.stats,
    ...routersAndFindings(s, sum, o),
    events: s.events,
    // several captures read together (-r a -r b): docs/json-report.md, bounded by src/analyze/vantage/limits.ts
    ...(o.vantage !== undefined ? { vantagePoints: o.vantage } : {}),
  };
  return JSON.stringify(doc, null, 2) + '\n';
}
