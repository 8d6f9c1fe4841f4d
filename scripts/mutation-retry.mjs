#!/usr/bin/env node
// Re-tries the mutants a Stryker report left alive (survived or without coverage) against today's code and
// tests, one by one, without a new Stryker run: `node scripts/mutation-retry.mjs REPORT.json SRC_FILE
// [TEST_FILE] [--still PREVIOUS_OUTPUT]`, e.g. `node scripts/mutation-retry.mjs
// reports/mutation/analyze--analyzer.json src/analyze/analyzer.ts test/mutation/analyze-units.ts`.
// Each mutant is found in today's file by the text of its lines in the report's own copy of the source (the
// line numbers may have moved), applied, and TEST_FILE run with node's test runner; the file is restored after
// each try, and on any exit. Prints KILLED, SURVIVED (with the line before and after), TIMEOUT (the run was
// stopped after 120 s: on a loaded machine that is no proof of a kill, try it again) or NOMATCH (its lines
// are gone) per mutant, then the totals. `--still` tries only the mutants an earlier output printed as
// SURVIVED or TIMEOUT (a second pass after new tests). TEST_FILE must pass without a mutant (checked first).
// A mutant here is a lower bound of what Stryker would try: no type check drops it first, and it runs only
// TEST_FILE. Slow (each try runs the tests: some 10 s for src/analyze); it changes SRC_FILE while it runs, so
// run it in a worktree nobody edits.
import fs from 'node:fs';
import { spawnSync } from 'node:child_process';

const args = process.argv.slice(2);
const stillAt = args.indexOf('--still');
const still = stillAt >= 0 ? args.splice(stillAt, 2)[1] : null;
const [report, src, testFile = 'test/mutation/analyze-units.ts'] = args;
if (report === undefined || src === undefined) {
  console.error('usage: mutation-retry.mjs REPORT.json SRC_FILE [TEST_FILE] [--still PREVIOUS_OUTPUT]');
  process.exit(2);
}
const file = JSON.parse(fs.readFileSync(report, 'utf8')).files?.[src];
if (file === undefined) {
  console.error(`mutation-retry: ${report} holds no ${src}`);
  process.exit(2);
}
const tagOf = (m) => `${src}:${m.location.start.line}:${m.location.start.column} ${m.status} ${m.mutatorName}`;
const wanted = still === null ? null
  : new Set(fs.readFileSync(still, 'utf8').split('\n').filter((l) => l.startsWith('SURVIVED') || l.startsWith('TIMEOUT')).map((l) => l.split(' ').slice(1, 4).join(' ')));
const oldLines = file.source.split('\n');
const today = fs.readFileSync(src, 'utf8');
const lines = today.split('\n');
const restore = () => fs.writeFileSync(src, today);
process.on('SIGINT', () => { restore(); process.exit(130); });
process.on('SIGTERM', () => { restore(); process.exit(143); });

// As in a Stryker run (stryker.config.mjs): tests that run only the built CLI skip themselves, since a
// mutant never reaches dist/ (and a worktree without dist/ would fail them whatever the mutant).
const testEnv = { ...process.env, VRRPWATCH_MUTATION_RUN: '1' };
const runTests = () => spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-reporter=dot', testFile],
  { encoding: 'utf8', timeout: 120_000, env: testEnv });
// A failure counts as a kill: the tests must pass without a mutant first, or every mutant would look killed.
const baseline = runTests();
if (baseline.status !== 0) {
  console.error(`mutation-retry: ${testFile} fails without any mutant (status ${baseline.status}); fix that first:\n${(baseline.stdout + baseline.stderr).slice(-2000)}`);
  process.exit(1);
}

const totals = { KILLED: 0, SURVIVED: 0, TIMEOUT: 0, NOMATCH: 0 };
try {
  for (const m of file.mutants) {
    if (m.status !== 'Survived' && m.status !== 'NoCoverage') continue;
    if (wanted !== null && !wanted.has(tagOf(m))) continue;
    const { start, end } = m.location;
    const block = oldLines.slice(start.line - 1, end.line);
    const before = block.join('\n');
    const from = start.column - 1;
    const to = before.length - (block[block.length - 1].length - (end.column - 1));
    const after = before.slice(0, from) + m.replacement + before.slice(to);
    // where those lines are today: the match nearest the old line number
    let at = -1;
    for (let i = 0; i + block.length <= lines.length; i++) {
      if (lines.slice(i, i + block.length).join('\n') !== before) continue;
      if (at < 0 || Math.abs(i - (start.line - 1)) < Math.abs(at - (start.line - 1))) at = i;
    }
    if (at < 0) { totals.NOMATCH++; console.log(`NOMATCH  ${tagOf(m)}`); continue; }
    fs.writeFileSync(src, [...lines.slice(0, at), ...after.split('\n'), ...lines.slice(at + block.length)].join('\n'));
    const run = runTests();
    restore();
    if (run.status === 0) {
      totals.SURVIVED++;
      console.log(`SURVIVED ${tagOf(m)} (now line ${at + 1})\n  - ${before.trim().slice(0, 200)}\n  + ${after.trim().slice(0, 200)}`);
    } else if (run.signal !== null || run.error !== undefined) {
      totals.TIMEOUT++;
      console.log(`TIMEOUT  ${tagOf(m)} (${run.signal ?? run.error?.message})`);
    } else {
      totals.KILLED++;
      console.log(`KILLED   ${tagOf(m)}`);
    }
  }
} finally {
  restore();
}
console.log(`total: killed ${totals.KILLED}, survived ${totals.SURVIVED}, timeout ${totals.TIMEOUT}, nomatch ${totals.NOMATCH}`);
