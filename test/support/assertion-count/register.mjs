// Counting assertions, for scripts/test.sh under VRRPWATCH_NO_SKIP=1: `node --import
// ./test/support/assertion-count/register.mjs --test ...` (with VRRPWATCH_ASSERT_LOG=DIR) makes every
// `import ... from 'node:assert'` / 'node:assert/strict' (of a test file or of its support modules) see a
// counting copy of the module (counting-assert.mjs); counter.mjs notes how many assertions each test made.
// Each test file's process writes DIR/<pid>.json when it exits: { file, total, tests: [{ name, assertions }] }.
// check.mjs then refuses (scripts/test.sh) a test file that ran no assertion, and a test that made none.
// Plain JavaScript: the loader hooks run in a thread of their own, before tsx could compile anything.
import { register } from 'node:module';

if (process.env.VRRPWATCH_ASSERT_LOG) register('./hooks.mjs', import.meta.url);
