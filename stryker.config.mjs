// Mutation testing (StrykerJS): how many deliberate small changes ("mutants") of one source folder the
// unit tests notice. Run one folder at a time with `npm run mutation -- FOLDER` (scripts/mutation.sh
// sets MUTATION_FOLDER); not part of `npm test` nor CI: it is slow. Scores go in docs/testing.md.
//
// Only unit tests that need no root, no network namespace and no keepalived are listed, per folder,
// by file. The TAP runner runs each file as `node --import tsx --test-reporter=tap FILE` (the way
// `npm test` runs them, one file per process); a test file is its unit of coverage, so a mutant is
// tried only against the files that executed its code. The TypeScript checker drops mutants that do
// not compile (tsx alone would run them unchecked) before any test runs them.

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
  // src/analyze: ready for when the analyzer's rooms exist (`npm run mutation -- analyze`).
  analyze: [
    'test/analyze.test.ts',
    'test/analyze-fuzz.test.ts',
    'test/analyze-mismatch.test.ts',
    'test/check-perfdata.test.ts',
  ],
};

const folder = process.env.MUTATION_FOLDER;
if (!folder || !TESTS[folder]) {
  throw new Error(`MUTATION_FOLDER must be one of ${Object.keys(TESTS).join(', ')} (run: npm run mutation -- FOLDER)`);
}

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  packageManager: 'npm',
  testRunner: 'tap',
  plugins: ['@stryker-mutator/tap-runner', '@stryker-mutator/typescript-checker'],
  mutate: [`src/${folder}/**/*.ts`],
  tap: {
    testFiles: TESTS[folder],
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
  timeoutMS: 10_000,
  reporters: ['clear-text', 'progress-append-only', 'html', 'json'],
  htmlReporter: { fileName: `reports/mutation/${folder}.html` },
  jsonReporter: { fileName: `reports/mutation/${folder}.json` },
  incrementalFile: `reports/mutation/${folder}-incremental.json`,
  tempDirName: '.stryker-tmp',
  cleanTempDir: true,
  thresholds: { high: 90, low: 80, break: null },
};
