// node:assert (?loose) or node:assert/strict (?strict) with every call counted: the module's function
// itself (assert(x)) and each of its functions (assert.equal, .match, .rejects, ...). AssertionError and
// the other classes are handed through untouched.
import { createRequire } from 'node:module';
import { counter } from './counter.mjs';

const real = createRequire(import.meta.url)('node:assert');
const base = import.meta.url.endsWith('?strict') ? real.strict : real;

function counted(fn) {
  return function (...args) {
    counter.total++;
    return fn.apply(this, args);
  };
}

const assert = counted(base);
for (const key of Object.keys(base)) {
  const v = base[key];
  const isClass = typeof v === 'function' && /^[A-Z]/.test(key);
  assert[key] = typeof v === 'function' && !isClass ? counted(v) : v;
}
assert.strict = assert;

export default assert;
export const {
  ok, equal, notEqual, deepEqual, notDeepEqual, deepStrictEqual, notDeepStrictEqual, strictEqual, notStrictEqual,
  throws, doesNotThrow, rejects, doesNotReject, match, doesNotMatch, fail, ifError, AssertionError,
} = assert;
export { assert as strict };
