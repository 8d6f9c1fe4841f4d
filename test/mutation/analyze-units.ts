// The non-root unit test files that drive src/analyze, in one process, for mutation testing only
// (stryker.config.mjs; `npm test` runs each file on its own and never this one: it is not a *.test.ts).
// One process instead of one per file halves what a surviving mutant costs (every file runs for it, and each
// process spends some 0.4 s starting); a killed mutant stops at its first failing test.
// Fast, broad files first: a mutant is usually killed by the golden outputs. A part of src/analyze whose
// mutants only its own tests notice (the flood's, say) names those files in stryker.config.mjs, which passes
// them as MUTATION_TESTS_FIRST: they run first, so such a mutant is killed in a second, not after all 12 s.
const FILES = [
  'report-golden',
  'analyze',
  'analyze-causes',
  'analyze-transitions',
  'analyze-election',
  'analyze-hearing',
  'analyze-timing',
  'analyze-advert-notes',
  'analyze-receive-checks',
  'analyze-vips',
  'analyze-vip-probes',
  'analyze-vip-judge',
  'analyze-vip-judge-edges',
  'analyze-vip-evidence',
  'analyze-vip-ownership',
  'analyze-mismatch',
  'analyze-story',
  'analyze-lab',
  'doctor-wire-unit',
  'check-perfdata',
  'analyze-no-master',
  'analyze-split-brain',
  'analyze-split-brain-cause',
  'analyze-front',
  'analyze-front-edges',
  'analyze-evidence-text',
  'analyze-findings',
  'analyze-admission',
  'analyze-config-compare',
  'analyze-config-compare-edges',
  'analyze-icmp-refusals',
  'analyze-source-state',
  'analyze-router-state',
  'analyze-router-machine',
  'analyze-repeat-sketch',
  'vantage-survey',
  'vantage-whose-wire',
  'vantage-wire-cause',
  'vantage-view',
  'vantage-delivery-count',
  'vantage-clock-offset',
  'vantage-clock-offset-edges',
  'vantage-advert-matcher',
  'vantage-advert-matcher-edges',
  'analyze-fuzz',
  'flood',
];

const first = (process.env.MUTATION_TESTS_FIRST ?? '').split(',').filter((name) => name !== '');
for (const name of first) {
  if (!FILES.includes(name)) throw new Error(`MUTATION_TESTS_FIRST: '${name}' is not one of the files listed here`);
}
for (const name of [...first, ...FILES.filter((name) => !first.includes(name))]) await import(`../${name}.test.js`);
