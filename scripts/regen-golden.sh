#!/usr/bin/env bash
# Regenerates the expected report, JSON and check line of every capture under pcaps/
# (test/golden/<dir>__<name>.{txt,json,check}). Run after an intended output change, then
# read the diff before committing it: the golden files are the output contract.
set -euo pipefail
cd "$(dirname "$0")/.."
export TZ=UTC NO_COLOR=1
npm run --silent build
rm -f test/golden/*.txt test/golden/*.json test/golden/*.check
while IFS= read -r f; do
  name=$(echo "${f#pcaps/}" | sed 's#/#__#g')
  ./bin/vrrpwatch -r "$f" > "test/golden/$name.txt" 2>&1 || true
  ./bin/vrrpwatch -r "$f" --json 2>/dev/null | node scripts/normalize-json.mjs > "test/golden/$name.json" || true
  { ./bin/vrrpwatch check -r "$f" -v; echo "exit $?"; } > "test/golden/$name.check" 2>&1 || true
done < <(find pcaps -type f \( -name '*.pcap' -o -name '*.pcapng' \) | sort)
# captures of one scenario taken on several nodes (pcaps/lab/vantage-X-{a,b,c}.pcap), read together:
# test/golden/vantage__X.{txt,json,check} (test/vantage-golden.test.ts)
for set in $(ls pcaps/lab/vantage-*-a.pcap 2>/dev/null | sed 's#.*/vantage-##; s#-a\.pcap$##'); do
  args=()
  for f in pcaps/lab/vantage-"$set"-?.pcap; do n=${f%.pcap}; args+=(-r "${n##*-}=$f"); done
  ./bin/vrrpwatch "${args[@]}" > "test/golden/vantage__$set.txt" 2>&1 || true
  ./bin/vrrpwatch "${args[@]}" --json 2>/dev/null | node scripts/normalize-json.mjs > "test/golden/vantage__$set.json" || true
  { ./bin/vrrpwatch check "${args[@]}" -v; echo "exit $?"; } > "test/golden/vantage__$set.check" 2>&1 || true
done
echo "regenerated $(ls test/golden | wc -l) golden files"
