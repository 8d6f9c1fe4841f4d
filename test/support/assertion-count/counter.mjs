// The one assertion counter of a test file's process, and the per-test record: imported (through
// counting-assert.mjs) by every test file that imports node:assert. It hangs a beforeEach/afterEach pair on
// the file's root test, so each top-level test (they run one after another) notes how many assertions were
// made while it ran; skipped tests run no hooks. When the process exits, the file's record goes to
// $VRRPWATCH_ASSERT_LOG/<pid>.json (see register.mjs). Wrapping test() instead would move the test
// locations node:test reports into this folder.
import { createRequire } from 'node:module';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const counter = { total: 0 };
const tests = [];
let before = 0;

const nodeTest = createRequire(import.meta.url)('node:test');
nodeTest.beforeEach(() => { before = counter.total; });
nodeTest.afterEach((t) => { tests.push({ name: t.name, assertions: counter.total - before }); });

process.on('exit', () => {
  const dir = process.env.VRRPWATCH_ASSERT_LOG;
  if (dir) writeFileSync(join(dir, `${process.pid}.json`), JSON.stringify({ file: process.argv[1], total: counter.total, tests }));
});
