// Mutation testing (StrykerJS): how many deliberate small changes ("mutants") of one source folder the
// unit tests notice. Run one folder at a time with `npm run mutation -- FOLDER` (scripts/mutation.sh
// sets MUTATION_FOLDER); not part of `npm test` nor CI: it is slow. Scores go in docs/testing.md.
//
// Only unit tests that need no root, no network namespace and no keepalived are listed, per folder,
// by file. The TAP runner runs each file as `node --import tsx --test-reporter=tap FILE` (the way
// `npm test` runs them, one file per process); a test file is its unit of coverage, so a mutant is
// tried only against the files that executed its code. The TypeScript checker drops mutants that do
// not compile (tsx alone would run them unchecked) before any test runs them.

import fs from 'node:fs';

const TESTS = {
  decode: [
    'test/decode.test.ts',
    'test/decode-vectors.test.ts',
    'test/tcpdump-public.test.ts',
    'test/report-golden.test.ts',
    'test/advert-line.test.ts',
  ],
  remedy: [
    'test/remedy.test.ts',
    'test/remedy-units.test.ts',
    'test/report-golden.test.ts',
    'test/analyze-mismatch.test.ts',
  ],
  report: [
    'test/report-units.test.ts',
    'test/report-golden.test.ts',
    'test/advert-line-units.test.ts',
    'test/report-edges.test.ts',
    'test/advert-line.test.ts',
    'test/check-perfdata.test.ts',
  ],
  // src/analyze: its unit test files in one process (test/mutation/analyze-units.ts says why), and the
  // two-capture tests, which take 8 s, apart.
  analyze: ['test/mutation/analyze-units.ts', 'test/vantage.test.ts'],
};

// src/analyze has more mutants than one working session can try (7,893: some twelve hours here), so it can
// also be run in parts, `npm run mutation -- analyze:PART` (eleven parts, some 700 mutants each on average),
// each with its own report; scripts/mutation-score.mjs adds the parts' reports up to the folder's score.
// Every file of src/analyze is in exactly one part (checked below), so the parts together are the whole
// folder. No part runs test/vantage.test.ts (it runs the built CLI, not the mutated sources).
const withoutVantage = TESTS.analyze.filter((f) => f !== 'test/vantage.test.ts');
// The code of the two vantage parts and of config-icmp runs in a few of those files only: listed one by one,
// a surviving mutant costs the files that executed it (a few seconds), not the whole 12 s combined file, and
// a file that never executes the mutated code could not kill it anyway.
const analyzeUnitFilesOneByOne = fs.readFileSync('test/mutation/analyze-units.ts', 'utf8')
  .split('\n')
  .map((line) => /^  '([\w-]+)',$/.exec(line)?.[1])
  .filter((name) => name !== undefined)
  .map((name) => `test/${name}.test.ts`);
const PARTS = {
  analyze: {
    // what each router does: its state machine, the election, the advert timing and the receive checks
    machine: { files: ['router-machine.ts', 'election.ts', 'timing.ts', 'hearing.ts', 'receive-checks.ts'], tests: withoutVantage },
    // the analyzer's front and the bounded table of routers
    analyzer: { files: ['analyzer.ts', 'router-registry.ts'], tests: withoutVantage },
    // what is kept per router and per source, and the repeat sketch
    sources: {
      files: ['router-state.ts', 'source-state.ts', 'repeat-sketch.ts'], tests: withoutVantage,
      first: ['analyze-source-state', 'analyze-router-state', 'analyze-repeat-sketch'],
    },
    // split brains, their causes, and no master at all (and what a returning master's IP ID says)
    'split-brain': { files: ['split-brain.ts', 'split-brain-cause.ts', 'no-master.ts', 'ip-id-step.ts'], tests: withoutVantage },
    // the evidence and findings as they are told, and the view of the routers
    findings: { files: ['evidence.ts', 'evidence-text.ts', 'findings-book.ts', 'view.ts', 'model.ts'], tests: withoutVantage },
    // who holds each virtual address: the state kept and its view
    'vip-state': { files: ['vip-ownership.ts', 'vip-state.ts', 'vip-view.ts'], tests: withoutVantage },
    // who holds each virtual address: the probes, the evidence and the judgement
    'vip-judge': { files: ['vip-judge.ts', 'vip-evidence.ts', 'vip-probes.ts'], tests: withoutVantage },
    // admission under floods, the limits, and tracking
    admission: {
      files: ['admission.ts', 'limits.ts', 'flood-evidence.ts', 'tracking.ts'], tests: withoutVantage,
      first: ['flood', 'analyze-admission'],
    },
    // configuration mismatches between advertisers and ICMP refusals: run by fewer test files, listed one by one
    'config-icmp': {
      files: ['config-compare.ts', 'config-evidence.ts', 'icmp-refusals.ts'], tests: analyzeUnitFilesOneByOne,
      first: ['analyze-config-compare', 'analyze-mismatch', 'analyze-icmp-refusals', 'analyze-causes'],
    },
    // two vantage points: matching the adverts of two captures and their clocks
    'vantage-matching': {
      files: ['vantage/advert-matcher.ts', 'vantage/clock-offset.ts', 'vantage/delivery-count.ts', 'vantage/limits.ts'],
      tests: analyzeUnitFilesOneByOne,
      first: ['vantage-advert-matcher', 'vantage-clock-offset', 'vantage-delivery-count'],
    },
    // two vantage points: whose wire a capture is, the cause, the survey and the view
    'vantage-wire': {
      files: ['vantage/whose-wire.ts', 'vantage/wire-cause.ts', 'vantage/survey.ts', 'vantage/senders.ts',
        'vantage/model.ts', 'vantage/vantage-view.ts', 'vantage/vantage-findings.ts'],
      tests: analyzeUnitFilesOneByOne,
      first: ['vantage-whose-wire', 'vantage-wire-cause', 'vantage-survey', 'vantage-view'],
    },
  },
};

const [folder, part] = (process.env.MUTATION_FOLDER ?? '').split(':');
if (!folder || !TESTS[folder]) {
  throw new Error(`MUTATION_FOLDER must be one of ${Object.keys(TESTS).join(', ')} (run: npm run mutation -- FOLDER)`);
}
if (part !== undefined && PARTS[folder]?.[part] === undefined) {
  throw new Error(`${folder} has no part '${part}' (parts: ${Object.keys(PARTS[folder] ?? {}).join(', ') || 'none'})`);
}
checkPartsCoverFolders();
const mutate = part === undefined ? [`src/${folder}/**/*.ts`] : PARTS[folder][part].files.map((f) => `src/${folder}/${f}`);
// A part's `first` test files (names as in test/mutation/analyze-units.ts) run first, in the combined file
// (it reads MUTATION_TESTS_FIRST, inherited by the test processes) or at the head of a one-by-one list: a
// mutant that only they notice is killed at once instead of after every other file.
const first = part === undefined ? [] : PARTS[folder][part].first ?? [];
process.env.MUTATION_TESTS_FIRST = first.join(',');
// Tests that run only the built CLI (dist/, never mutated) skip themselves in mutation runs (test/flood.test.ts).
process.env.VRRPWATCH_MUTATION_RUN = '1';
const firstFiles = first.map((name) => `test/${name}.test.ts`);
const partTests = part === undefined ? TESTS[folder] : PARTS[folder][part].tests;
const testFiles = [...firstFiles.filter((f) => partTests.includes(f)), ...partTests.filter((f) => !firstFiles.includes(f))];
const reportName = part === undefined ? folder : `${folder}--${part}`;

/** Each source file of a folder that has parts belongs to exactly one of them. */
function checkPartsCoverFolders() {
  for (const [name, parts] of Object.entries(PARTS)) {
    const files = fs.readdirSync(`src/${name}`, { recursive: true }).filter((f) => f.endsWith('.ts'));
    for (const file of files) {
      const owners = Object.keys(parts).filter((p) => parts[p].files.some((g) => globToRegExp(g).test(file)));
      if (owners.length !== 1) {
        throw new Error(`src/${name}/${file} is in ${owners.length} parts of ${name} (${owners.join(', ')}): it must be in one`);
      }
    }
  }
}

/** The parts' patterns use only `*` (any characters but `/`), as Stryker's globs read them. */
function globToRegExp(glob) {
  return new RegExp(`^${glob.split('*').map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('[^/]*')}$`);
}

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  packageManager: 'npm',
  testRunner: 'tap',
  plugins: ['@stryker-mutator/tap-runner', '@stryker-mutator/typescript-checker'],
  mutate,
  tap: {
    testFiles,
    // Run as root, a listed file would also run its tests that need root (test/remedy.test.ts: a
    // namespace, unshare); scripts/mutation-non-root.mjs makes them skip themselves as without root.
    nodeArgs: ['--import', 'tsx', '--import', './scripts/mutation-non-root.mjs', '--test-reporter=tap',
      '-r', '{{hookFile}}', '{{testFile}}'],
    forceBail: true,
  },
  checkers: ['typescript'],
  tsconfigFile: 'tsconfig.json',
  typescriptChecker: { prioritizePerformanceOverAccuracy: true },
  coverageAnalysis: 'perTest',
  // The machine is shared: two processes (the type checker and one test runner), under nice -n 19.
  concurrency: 2,
  // A mutant times out after 1.5 × the dry run's time plus this. 10 s let a busy machine turn slow runs of
  // src/analyze's 6 s test file into timeouts, which Stryker counts as detected; 20 s does not.
  timeoutMS: 20_000,
  reporters: ['clear-text', 'progress-append-only', 'html', 'json'],
  htmlReporter: { fileName: `reports/mutation/${reportName}.html` },
  jsonReporter: { fileName: `reports/mutation/${reportName}.json` },
  incrementalFile: `reports/mutation/${reportName}-incremental.json`,
  tempDirName: '.stryker-tmp',
  cleanTempDir: true,
  thresholds: { high: 90, low: 80, break: null },
};
