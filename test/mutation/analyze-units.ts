// The non-root unit test files that drive src/analyze, in one process, for mutation testing only
// (stryker.config.mjs; `npm test` runs each file on its own and never this one: it is not a *.test.ts).
// One process instead of one per file halves what a surviving mutant costs (every file runs for it, and each
// process spends some 0.4 s starting); a killed mutant stops at its first failing test either way.
// Fast, broad files first: a mutant is usually killed by the golden outputs.
import '../report-golden.test.js';
import '../analyze.test.js';
import '../analyze-causes.test.js';
import '../analyze-transitions.test.js';
import '../analyze-election.test.js';
import '../analyze-hearing.test.js';
import '../analyze-timing.test.js';
import '../analyze-advert-notes.test.js';
import '../analyze-receive-checks.test.js';
import '../analyze-vips.test.js';
import '../analyze-vip-probes.test.js';
import '../analyze-vip-judge.test.js';
import '../analyze-vip-judge-edges.test.js';
import '../analyze-vip-evidence.test.js';
import '../analyze-vip-ownership.test.js';
import '../analyze-mismatch.test.js';
import '../analyze-story.test.js';
import '../analyze-lab.test.js';
import '../doctor-wire-unit.test.js';
import '../check-perfdata.test.js';
import '../analyze-no-master.test.js';
import '../analyze-split-brain.test.js';
import '../analyze-split-brain-cause.test.js';
import '../analyze-front.test.js';
import '../analyze-front-edges.test.js';
import '../analyze-evidence-text.test.js';
import '../analyze-findings.test.js';
import '../analyze-admission.test.js';
import '../analyze-config-compare.test.js';
import '../analyze-icmp-refusals.test.js';
import '../analyze-source-state.test.js';
import '../analyze-router-state.test.js';
import '../analyze-router-machine.test.js';
import '../analyze-repeat-sketch.test.js';
import '../vantage-survey.test.js';
import '../vantage-whose-wire.test.js';
import '../vantage-wire-cause.test.js';
import '../vantage-view.test.js';
import '../vantage-delivery-count.test.js';
import '../vantage-clock-offset.test.js';
import '../vantage-advert-matcher.test.js';
import '../analyze-fuzz.test.js';
import '../flood.test.js';
