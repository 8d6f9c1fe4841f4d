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
exec node --import tsx --test --test-concurrency=1 "${files[@]}"
