// `vrrpwatch -r FILE --json`: the report as a versioned document (docs/json-report.md).
// Bump REPORT_SCHEMA's major on any change that removes or renames a field.
import type { Snapshot } from '../analyze/model.js';
import { fixesFor } from '../remedy/index.js';
import { causeSentence, type SourceInfo } from './text.js';
import { maskSecret, sanitize } from './sanitize.js';
import { summarize } from './summary.js';
import { JSON_MAX_FINDINGS, JSON_MAX_PERIODS, JSON_MAX_ROUTERS, problemsFirst } from './bounds.js';
import type { VantageReport } from '../analyze/vantage/model.js';

export const REPORT_SCHEMA = 'vrrpwatch.report/1';

/** Routers (auth text masked unless showAuth) and findings (sanitised, with cause text and fix commands):
 *  the -r report and the live exit summary (`kind: 'summary'`) show them the same way. Bounded
 *  (bounds.ts): at most JSON_MAX_ROUTERS routers (the ones with a problem first chosen, listed in order of
 *  first advert), JSON_MAX_FINDINGS findings (the worst first), JSON_MAX_PERIODS of each router's master
 *  changes and periods (the newest); `omitted` says how many of each were left out. */
export function routersAndFindings(s: Snapshot, sum: ReturnType<typeof summarize>, o: { showAuth: boolean; iface?: string }) {
  const text = new Map(sum.routers.map((x) => [x.router, x.text]));
  const keep = new Set(problemsFirst(sum.routers).slice(0, JSON_MAX_ROUTERS).map((x) => x.router));
  const last = <T>(xs: T[]): T[] => (xs.length > JSON_MAX_PERIODS ? xs.slice(-JSON_MAX_PERIODS) : xs);
  const order = { critical: 0, warning: 1, ok: 2 } as const;
  const findings = s.findings.length <= JSON_MAX_FINDINGS ? s.findings
    : s.findings.map((f, i) => ({ f, i })).sort((a, b) => order[a.f.severity] - order[b.f.severity] || a.i - b.i)
      .slice(0, JSON_MAX_FINDINGS).sort((a, b) => a.i - b.i).map((x) => x.f);
  return {
    routers: s.routers.filter((r) => keep.has(r)).map((r) => ({
      ...r,
      summary: text.get(r) ?? null,
      advertisers: r.advertisers.map((a) => ({ ...a, authText: maskSecret(a.authText, o.showAuth) })),
      failovers: last(r.failovers),
      splitBrains: last(r.splitBrains),
      noMasters: last(r.noMasters),
      omitted: {
        failovers: r.failovers.length - last(r.failovers).length,
        splitBrains: r.splitBrains.length - last(r.splitBrains).length,
        noMasters: r.noMasters.length - last(r.noMasters).length,
      },
    })),
    findings: findings.map((f) => ({
      ...f,
      title: sanitize(f.title),
      evidence: f.evidence.map(sanitize),
      causeText: causeSentence(f),
      fixes: fixesFor(f, o.iface ? { iface: o.iface } : undefined),
    })),
    omitted: { routers: s.routers.length - keep.size, findings: s.findings.length - findings.length },
  };
}

export function renderJson(s: Snapshot, src: SourceInfo, o: { showAuth: boolean; iface?: string; version: string; vantage?: VantageReport }): string {
  const sum = summarize(s);
  const { routers, findings, omitted } = routersAndFindings(s, sum, o);
  const doc = {
    schema: REPORT_SCHEMA,
    tool: { name: 'vrrpwatch', version: o.version },
    source: src,
    verdict: { severity: sum.severity, label: sum.label, headline: sum.headline },
    time: { first: s.firstTime, last: s.time },
    stats: s.stats,
    routers,
    findings,
    events: s.events,
    limits: s.limits ?? null,
    omitted: { ...omitted, events: s.limits?.eventsDropped ?? 0 },
    // several captures read together (-r a -r b): docs/json-report.md, bounded by src/analyze/vantage/limits.ts
    ...(o.vantage !== undefined ? { vantagePoints: o.vantage } : {}),
  };
  return JSON.stringify(doc, null, 2) + '\n';
}
