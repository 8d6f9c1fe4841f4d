#!/usr/bin/env bash
# The whole test suite: build, then every test file with Node's test runner.
# Tests that need root (network namespaces, real keepalived) skip themselves, saying why, when not root.
set -euo pipefail
cd "$(dirname "$0")/.."
npm run --silent build
# The tests are TypeScript too: type-check them (tsx alone would run them unchecked).
npx tsc -p tsconfig.test.json
shopt -s nullglob
files=(test/*.test.ts)
# Files run one at a time: the keepalived tests measure failover timing and must not fight for CPU.
if [ "${VRRPWATCH_NO_SKIP:-}" != 1 ]; then
  exec node --import tsx --test --test-concurrency=1 "${files[@]}"
fi
# VRRPWATCH_NO_SKIP=1 (set by .ci/run): a test that skipped itself (no root, binding not built, a tool
# missing) fails the run, so a machine that could not set everything up cannot pass as green.
log=$(mktemp)
trap 'rm -f "$log"' EXIT
set +e
node --import tsx --test --test-concurrency=1 --test-reporter=tap "${files[@]}" | tee "$log"
status=${PIPESTATUS[0]}
set -e
skipped=$(sed -n 's/^# skipped \([0-9]*\)$/\1/p' "$log" | tail -1)
if [ "$status" -eq 0 ] && [ "${skipped:-0}" != 0 ]; then
  echo "test.sh: $skipped test(s) skipped themselves, which VRRPWATCH_NO_SKIP=1 does not allow:" >&2
  grep -E '^ *ok [0-9]+ .*# SKIP' "$log" >&2 || true
  exit 1
fi
exit "$status"
