#!/usr/bin/env bash
# Mutation testing, one source folder at a time: `npm run mutation` (decode, remedy, report) or
# `npm run mutation -- FOLDER... [stryker options, e.g. --incremental]`; a folder with parts also as
# FOLDER:PART (`analyze:machine`; the parts are listed in stryker.config.mjs), and
# `node scripts/mutation-score.mjs` adds the parts' reports up. Slow: not run by npm test
# nor CI. Runs under nice -n 19 with one test process (stryker.config.mjs), and prints how long each
# folder took. Reports: reports/mutation/FOLDER.html and .json.
set -euo pipefail
cd "$(dirname "$0")/.."
folders=()
opts=()
for a in "$@"; do
  case "$a" in
    -*) opts+=("$a") ;;
    *) folders+=("$a") ;;
  esac
done
[ ${#folders[@]} -gt 0 ] || folders=(decode remedy report)
for f in "${folders[@]}"; do
  case "$f" in
    decode|remedy|report|analyze|analyze:*) ;;
    *) echo "mutation.sh: unknown folder '$f' (decode, remedy, report, analyze, analyze:PART)" >&2; exit 2 ;;
  esac
done
# Stryker runs the tests in a copy of the repo under .stryker-tmp/: tell them where shared/ is.
if [ -z "${VRRPWATCH_SHARED:-}" ] && [ -d ../shared/public-pcaps ]; then
  VRRPWATCH_SHARED=$(cd ../shared && pwd)
  export VRRPWATCH_SHARED
fi
for f in "${folders[@]}"; do
  start=$(date +%s)
  MUTATION_FOLDER=$f nice -n 19 npx stryker run stryker.config.mjs ${opts[@]+"${opts[@]}"}
  echo "mutation.sh: $f took $(( $(date +%s) - start )) s"
done
