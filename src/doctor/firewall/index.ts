// The firewall half of `vrrpwatch doctor` (issue 13), its only entry point: reads the ruleset in force
// (live.ts) or from a file (ruleset-file.ts), evaluates each VRRP path with first-match semantics
// (evaluate.ts, judge.ts) and gives the exact fixes for the firewall found (fixes.ts).
// The contract's types live in contract.ts and are re-exported here under the names doctor uses.
import type { FirewallOptions, FirewallReport, PathVerdict, RulesetSource, VrrpPath } from './contract.js';
import { defaultRun, type Found } from './found.js';
import { judgePath } from './judge.js';
import { readLive } from './live.js';
import { readRulesetFile } from './ruleset-file.js';

export type { FirewallOptions, FirewallReport, PathVerdict, RulesetSource, VrrpPath } from './contract.js';

/** Never throws for unreadable input: an unreadable ruleset file is an error the caller reports (VrrpwatchError 'input'). */
export function checkFirewall(paths: VrrpPath[], source: RulesetSource, opts: FirewallOptions = {}): FirewallReport {
  const run = opts.run ?? defaultRun;
  const found: Found = source.kind === 'file' ? readRulesetFile(source.path, run) : readLive(run, opts.root ?? '/');
  const verdicts = paths.map((p): PathVerdict => {
    if (found.unreadable !== null) return { path: p, verdict: 'unknown', decidedBy: found.unreadable, evidence: [], fixes: [] };
    if (!found.families.includes(p.family)) {
      return { path: p, verdict: 'unknown', evidence: [],
        decidedBy: `the ruleset read holds no IPv${p.family} rules (${p.family === 6 ? 'ip6tables-save' : 'iptables-save'} output is a separate file)`, fixes: [] };
    }
    return judgePath(p, found.rulesets, found.fix);
  });
  return { backends: found.backends, notes: found.notes, verdicts };
}
