// The golden outputs (test/golden/, the output contract that test/golden.test.ts checks through the built
// CLI) produced in this process from the sources: the same report, JSON document and check line for
// every capture under pcaps/. In-process so that mutation testing (npm run mutation), which changes
// src/ and not dist/, sees src/report, src/remedy and src/decode judged by them.
process.env.TZ = 'UTC';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyzeFile } from '../src/cli/offline.js';
import { problemLine } from '../src/cli/common.js';
import { VrrpwatchError } from '../src/errors.js';
import { renderText } from '../src/report/text.js';
import { renderJson } from '../src/report/json.js';
import { checkOutcome } from '../src/report/check.js';
import { captureFiles } from './support/captures.js';

const files = captureFiles('pcaps');
test('there are golden captures to check', () => {
  assert.ok(files.length >= 5, `only ${files.length} captures under pcaps/`);
});

for (const f of files) {
  const base = join('test/golden', f.slice('pcaps/'.length).replace(/\//g, '__'));
  test(`golden, from the sources: ${f}`, () => {
    assert.ok(existsSync(base + '.txt'), `no golden file for ${f}: run scripts/regen-golden.sh`);
    let res: ReturnType<typeof analyzeFile>;
    try {
      res = analyzeFile(f, { expectVrid: [] }, null, null);
    } catch (e) {
      // not a capture at all: the CLI prints one line and reports nothing (checked by golden.test.ts)
      assert.ok(e instanceof VrrpwatchError, String(e));
      assert.equal(readFileSync(base + '.txt', 'utf8'), `vrrpwatch: ${e.message}\nexit 1\n`);
      return;
    }
    const snap = res.analyzer.snapshot();
    const problem = res.read?.problem ?? null;
    // the golden .txt ends with the CLI's exit code: 1 when the capture broke off part-way, else 0
    const txt = renderText(snap, res.source, { showAuth: false, color: false }).trimEnd() + '\n' +
      (problem ? problemLine(f, res.read!) + '\n' : '') + `exit ${problem ? 1 : 0}\n`;
    assert.equal(txt, readFileSync(base + '.txt', 'utf8'), `text report of ${f}`);
    const json = JSON.stringify(JSON.parse(renderJson(snap, res.source, { showAuth: false, version: 'X' })), null, 2) + '\n';
    assert.equal(json, readFileSync(base + '.json', 'utf8'), `JSON report of ${f}`);
    const chk = checkOutcome(snap, { readProblem: problem, noVrrpIs: 3 });
    assert.equal(`${chk.line}\n${chk.long.map((l) => l + '\n').join('')}exit ${chk.code}\n`, readFileSync(base + '.check', 'utf8'), `check output of ${f}`);
  });
}
