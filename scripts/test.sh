#!/usr/bin/env bash
# The whole test suite: build, then every test file with Node's test runner.
# Tests that need root (network namespaces, real keepalived) skip themselves, saying why, when not root.
# VRRPWATCH_NO_SKIP=1 (CI) makes a green run mean what it says (docs/testing.md): it fails the run when
#  - a test skipped itself (no root, binding not built, a tool or shared/ missing),
#  - a test is marked todo (a todo test that fails would otherwise pass),
#  - a test file ran no assertion, or a test ran without making one (counted by
#    test/support/assertion-count/, which hands every test file a counting node:assert).
set -euo pipefail
cd "$(dirname "$0")/.."
npm run --silent build
# The tests are TypeScript too: type-check them (tsx alone would run them unchecked).
npx tsc -p tsconfig.test.json
shopt -s nullglob
# the test files given (bash scripts/test.sh test/cli.test.ts ...), else all of them
files=("$@")
[ ${#files[@]} -gt 0 ] || files=(test/*.test.ts)
# Files run one at a time: the keepalived tests measure failover timing and must not fight for CPU.
if [ "${VRRPWATCH_NO_SKIP:-}" != 1 ]; then
  exec node --import tsx --test --test-concurrency=1 "${files[@]}"
fi
log=$(mktemp)
counts=$(mktemp -d)
trap 'rm -rf "$log" "$counts"' EXIT
set +e
VRRPWATCH_ASSERT_LOG="$counts" node --import tsx --import ./test/support/assertion-count/register.mjs \
  --test --test-concurrency=1 --test-reporter=tap "${files[@]}" | tee "$log"
status=${PIPESTATUS[0]}
set -e
# the refusals below are reported whether or not a test failed; the exit status is the runner's if it failed
summary() { sed -n "s/^# $1 \([0-9]*\)$/\1/p" "$log" | tail -1; }
skipped=$(summary skipped)
todo=$(summary todo)
refused=0
if [ "${skipped:-0}" != 0 ]; then
  echo "test.sh: $skipped test(s) skipped themselves, which VRRPWATCH_NO_SKIP=1 does not allow:" >&2
  grep -E '^ *ok [0-9]+ .*# SKIP' "$log" >&2 || true
  refused=1
fi
if [ "${todo:-0}" != 0 ]; then
  echo "test.sh: $todo test(s) marked todo (they pass whatever they find), which VRRPWATCH_NO_SKIP=1 does not allow:" >&2
  grep -E '^ *(not )?ok [0-9]+ .*# TODO' "$log" >&2 || true
  refused=1
fi
node test/support/assertion-count/check.mjs "$counts" "${files[@]}" || refused=1
[ "$status" -eq 0 ] || exit "$status"
exit "$refused"
