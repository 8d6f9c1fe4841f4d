// After a run with register.mjs: node check.mjs LOG_DIR TEST_FILE... prints every test file that ran no
// assertion (or wrote no record) and every test that ran without making one, and exits 1 if any.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';

const [dir, ...files] = process.argv.slice(2);
const records = new Map();
for (const f of readdirSync(dir)) {
  const r = JSON.parse(readFileSync(join(dir, f), 'utf8'));
  records.set(resolve(r.file), r);
}
const problems = [];
let assertions = 0;
for (const f of files) {
  const r = records.get(resolve(f));
  if (!r) { problems.push(`${f}: ran no assertion (it never loaded node:assert, or its process did not run to its end)`); continue; }
  assertions += r.total;
  if (r.total === 0) problems.push(`${f}: ran no assertion at all`);
  for (const t of r.tests) if (t.assertions === 0) problems.push(`${f}: test "${t.name}" ran without making an assertion`);
}
if (problems.length > 0) {
  console.error(`test.sh: ${problems.length} test file(s)/test(s) without assertions, which VRRPWATCH_NO_SKIP=1 does not allow:`);
  for (const p of problems) console.error(`  ${p}`);
  process.exit(1);
}
console.log(`# assertions ${assertions} in ${files.length} files (every test made at least one)`);
